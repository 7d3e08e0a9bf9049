-- Learning and exchange activities (issue 11, docs/learning.md "Activities"): online or on-site
-- events organised by regulators and admins, with a capacity, a registration list that holds a
-- waiting list in order, and attendance check-in with a code. Times are Unix seconds.

-- An activity. status: draft → published (→ cancelled); the public sees published and cancelled
-- ones. mode online needs a link, onsite a place. checkin_code is shown to its organisers only.
-- registered counts the registrations in status registered, kept in the write that changes them,
-- so that the capacity guard is one conditional UPDATE of this row (the row is its lock).
CREATE TABLE activities (
    id @ID@,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL CHECK (mode IN ('online', 'onsite')),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL CHECK (capacity >= 1),
    registered BIGINT NOT NULL DEFAULT 0 CHECK (registered >= 0),
    waitlist_seq BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    checkin_code TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX activities_status ON activities (status, starts_at);

-- One user's registration for an activity (one per user and activity). status registered
-- (holds a seat), waitlisted (position = its place in the waiting order: waitlist_seq of the
-- activity when it joined), cancelled. checked_in_at: attendance, once.
CREATE TABLE activity_registrations (
    id @ID@,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    waitlist_position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    checked_in_at BIGINT,
    UNIQUE (activity_id, user_id)
);
CREATE INDEX activity_registrations_waiting ON activity_registrations (activity_id, status, waitlist_position);
CREATE INDEX activity_registrations_user ON activity_registrations (user_id, activity_id);
