/* The notifications the platform sends about the registry (issue 7's first uses): their
 * recipients and their wording in zh and en. Each runs inside the caller's transaction when one
 * is open (store/notifications.h: notify). */
#ifndef GUANBIAO_NOTICES_H
#define GUANBIAO_NOTICES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* A certificate's status changed to to_status: notifies the holder's and the issuing body's
 * accounts. For api/certificates.c and the platform's own changes (expiry). The number of
 * recipients, or -1 on error. */
int64_t notice_certificate_status(db_t *db, int64_t certificate_id, const char *to_status);

/* An enterprise's registration was approved or rejected (with the reviewer's note): notifies
 * the enterprise's accounts. */
int64_t notice_enterprise_review(db_t *db, int64_t enterprise_id, bool approved, const char *note);

/* An enterprise registered itself and awaits review: notifies the regulators whose region
 * reaches the enterprise's (domain/scope.h: region_within) and the admins. */
int64_t notice_registration_pending(db_t *db, int64_t enterprise_id, const char *name, const char *region);

/* Version `version` of service commitment commitment_id (titled `title`) was published:
 * notifies the accounts of every enterprise with an open engagement (requested or active)
 * under it, which stays under the version it was requested under. */
int64_t notice_commitment_version(db_t *db, int64_t commitment_id, int64_t version, const char *title);

/* A step of engagement id (store/engagements.h), type "engagement": event "requested" and
 * "cancelled" notify the body's accounts; "accepted", "declined", "stage1", "stage2",
 * "certified", "not_certified" the enterprise's accounts. The number of recipients, or -1. */
int64_t notice_engagement(db_t *db, int64_t engagement_id, const char *event);

/* A consulting tie between the enterprise and the body was recorded by a regulator: notifies
 * both sides' accounts (type "engagement", linked to the body's page). */
int64_t notice_consulting_tie(db_t *db, int64_t enterprise_id, int64_t body_id);

enum { REMINDER_FAR_DAYS = 90, REMINDER_NEAR_DAYS = 30 };

/* The daily reminders: certificates (valid or suspended) expiring within 90 and within 30 days
 * of `today` (YYYY-MM-DD) notify the holder's and the body's accounts, once per certificate,
 * threshold and expiry date (table certificate_reminders), so that a rerun sends nothing twice;
 * one first seen within 30 days gets the 30-day reminder only. Each certificate in its own
 * transaction. The number of certificates reminded of, or -1 on error. */
int64_t certificate_reminders_send(db_t *db, const char *today);

enum { SURVEILLANCE_FAR_DAYS = 60, SURVEILLANCE_NEAR_DAYS = 14 };

/* The daily surveillance reminders (sql/012_surveillance.sql): open certificates (valid or
 * suspended, not past expiry) whose surveillance falls due within 60 and within 14 days of
 * `today` notify the issuing body's and the holder's accounts (type surveillance_due), once
 * per certificate, due date and threshold (table surveillance_notices, d60 and d14); one first
 * seen within 14 days gets the 14-day reminder only. Each certificate in its own transaction.
 * The number of certificates reminded of, or -1 on error. */
int64_t surveillance_reminders_send(db_t *db, const char *today);
/* The daily overdue flag: an open certificate whose due date is before `today` with no
 * surveillance recorded since is flagged (surveillance_notices kind overdue, once per due date)
 * and its body's accounts and the regulators reaching the holder's region are notified (type
 * surveillance_overdue), each certificate in its own transaction. The number flagged, or -1. */
int64_t surveillance_overdue_flag(db_t *db, const char *today);
/* A review's event: "created" or "edited" notify the reviewed body's accounts, "replied" the
 * reviewing enterprise's, "hidden" and "unhidden" both (a hide names its reason). Type
 * "feedback". */
int64_t notice_feedback(db_t *db, int64_t feedback_id, const char *event);

/* A complaint reached to_status ("received" for a new one): notifies the enterprise's and the
 * body's accounts; a new one also the regulators whose region reaches the enterprise's. Type
 * "complaint". */
int64_t notice_complaint(db_t *db, int64_t complaint_id, const char *to_status);
/* A body signed off an external audit: notifies the audited enterprise's accounts. Type "audit". */
int64_t notice_audit_signed_off(db_t *db, int64_t audit_id);

/* The daily overdue flag of nonconformities (docs/compliance.md "Nonconformities"): each one
 * whose due date is before `today` and that is not effective tells its enterprise's accounts
 * (type "nonconformity") once per due date (nonconformities.overdue_notified_due, sql/019,
 * set in the notice's own transaction). The number told, or -1. */
int64_t nonconformity_overdue_flag(db_t *db, const char *today);

/* issue 11, activities (docs/learning.md "Activities"): an activity's event, type "activity".
 * "changed" (time, place or link) and "cancelled" notify every user registered or waitlisted;
 * "promoted" only user_id, moved from the waiting list to a seat. The number notified, or -1. */
int64_t notice_activity(db_t *db, int64_t activity_id, const char *event, int64_t user_id);

/* issue 11, the forum (docs/learning.md "Exchange"): a new reply in topic_id, type "forum", to
 * every follower but the replier (in the caller's transaction), in batches by user id. The
 * number notified, or -1. */
int64_t notice_forum_reply(db_t *db, int64_t topic_id, int64_t replier_user_id);

/* issue 12, registry and review (docs/policies.md): policy_id's status set to `status` by
 * another regulator than its registrant: the registrant is told (type "policy_reviewed"), in the
 * caller's transaction. Nothing when the setter is the registrant or there is none. The number
 * notified, or -1. */
int64_t notice_policy_reviewed(db_t *db, int64_t policy_id, const char *status, int64_t setter_user_id);

#endif
