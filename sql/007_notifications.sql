-- Notifications (issue 7): each user's inbox, their preferences per type and channel, an email
-- address on accounts (the second channel), and the certificate expiry reminders already sent.

-- An account's address for email notifications; NULL or '' = none.
ALTER TABLE users ADD COLUMN email TEXT;

-- One notification to one user. title (zh) and title_en are written when it is made; link is
-- the web path of the record it is about. inbox = 0: the user wants this type by email only
-- (the row then carries the message for the email job and is not shown). emailed = 1: an
-- email job was enqueued with it.
CREATE TABLE notifications (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    entity TEXT NOT NULL DEFAULT '',
    entity_id BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    inbox INTEGER NOT NULL DEFAULT 1,
    emailed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_inbox ON notifications (user_id, created_at);
-- the header's unread count reads only this index's entries of one user
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL AND inbox = 1;

-- A user's choice per type; no row = both channels on.
CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    inbox INTEGER NOT NULL DEFAULT 1,
    email INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, type)
);

-- The expiry reminders sent: once per certificate, threshold (days) and expiry date, so that a
-- rerun sends nothing twice and a changed expiry is reminded of again.
CREATE TABLE certificate_reminders (
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    days INTEGER NOT NULL,
    expires TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (certificate_id, days, expires)
);
