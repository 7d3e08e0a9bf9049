-- Nonconformities (issue 9, docs/compliance.md "Nonconformities"): the due date for which the
-- enterprise was last told that a nonconformity is overdue ('' never). The daily job
-- nonconformity_overdue sets it in the same transaction as the notice, guarded by
-- `overdue_notified_due <> due_date`, so each due date is told once (a new due date again).
ALTER TABLE nonconformities ADD COLUMN overdue_notified_due TEXT NOT NULL DEFAULT '';
