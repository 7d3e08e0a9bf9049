/* Notifications (issue 7): each user's inbox, preferences per type and channel, and the email
 * channel's queue entries. A notification is made inside the transaction of the change it
 * reports (the caller's, when one is open), for one user or for every active account of an
 * enterprise or of a body, honouring each recipient's preferences; when a recipient wants
 * email, has an address and email is on (notifications_email_enable), an `email` job is
 * enqueued in that same transaction (store/jobs.h). The first uses, which word the titles,
 * are in report/notices.h. */
#ifndef GUANBIAO_NOTIFICATIONS_H
#define GUANBIAO_NOTIFICATIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* The types of notification, in the order the preferences list them. */
enum { NOTIFICATION_TYPE_COUNT = 16 };
extern const char *const notification_types[NOTIFICATION_TYPE_COUNT];
bool notification_type_valid(const char *type);

/* Email is a channel only when the server was given --smtp. Call once at start-up, before
 * any thread uses the store. */
void notifications_email_enable(bool on);
bool notifications_email_enabled(void);

enum { AUDIENCE_REGIONS = 5 };

/* Who gets a notification: the union of the non-zero members (only active accounts; an
 * enterprise's enterprise-role accounts, a body's body-role accounts, the regulators whose
 * region code is one of regulator_regions (NULL entries ignored), every admin). */
typedef struct audience {
    int64_t user_id, enterprise_id, body_id;
    const char *regulator_regions[AUDIENCE_REGIONS];
    bool admins;
} audience_t;

typedef struct notice {
    const char *type;              /* one of notification_types */
    const char *title, *title_en;  /* zh and en */
    const char *link;              /* web path of the record, e.g. "/certificates/X" */
    const char *entity;            /* "certificate", "enterprise", ... */
    int64_t entity_id;
} notice_t;

/* Notifies the audience: one INSERT … SELECT over the recipients, then one email job per
 * recipient who wants the email. Runs in the caller's transaction when one is open (else in
 * its own). The number of recipients notified (inbox or email), or -1 on error. */
int64_t notify(db_t *db, const notice_t *n, const audience_t *to);

/* The unread count of a user's inbox (an index read). -1 on error. */
int64_t notifications_unread(db_t *db, int64_t user_id);
/* Marks one of the user's notifications read (the user guard is in the UPDATE): 1 marked (or
 * already read), 0 no such notification of this user, -1 error. */
int notification_mark_read(db_t *db, int64_t user_id, int64_t id);
/* Marks all the user's notifications read: the number marked, or -1. */
int64_t notifications_mark_all_read(db_t *db, int64_t user_id);

/* A user's preference for one type (both on when never set). */
typedef struct notification_pref {
    const char *type;
    bool inbox, email;
} notification_pref_t;
/* Fills prefs[NOTIFICATION_TYPE_COUNT] in the order of notification_types. */
bool notification_prefs_get(db_t *db, int64_t user_id, notification_pref_t *prefs);
bool notification_pref_set(db_t *db, int64_t user_id, const notification_pref_t *pref);

/* The account's email address ("" when none; arena copy), NULL on error or no such user. */
const char *user_email(db_t *db, arena_t *a, int64_t user_id);
bool user_set_email(db_t *db, int64_t user_id, const char *email);

/* What the email job sends for notification id: the recipient's address, the titles and the
 * link. 1 found (the address may be "" when removed since), 0 gone, -1 error. */
typedef struct notification_mail {
    const char *to, *title, *title_en, *link;
} notification_mail_t;
int notification_mail_get(db_t *db, arena_t *a, int64_t id, notification_mail_t *m);

/* ---- The daily digest (sql/009_digest.sql): one email a day listing an account's unread
 * notifications created since its last digest, for accounts that turned it on. ---- */

/* Whether the account wants the digest: 1 yes, 0 no, -1 error or no such user. */
int user_digest(db_t *db, int64_t user_id);
/* Turns the digest on or off. Turning it on (from off) starts the next digest at `now`: the
 * notifications made before are not listed. */
bool user_set_digest(db_t *db, int64_t user_id, bool on, int64_t now);

/* For every active account with the digest on, an address, and unread inbox notifications
 * created in [its digest_until, now): moves digest_until to now and enqueues one `email` job
 * {"digest": USER, "since": T0, "until": now}, in one transaction per batch of accounts (the
 * move is guarded by the old value, so of two runs only one enqueues). Nothing while email is
 * off. The number of digests enqueued, or -1 on error. */
int64_t notification_digests_enqueue(db_t *db, int64_t now);

/* What a digest email lists: the recipient's address and the account's unread inbox
 * notifications created in [since, until), newest first, the first DIGEST_MAX_ITEMS of them
 * (total counts them all). */
enum { DIGEST_MAX_ITEMS = 50 };
typedef struct notification_digest {
    const char *to;
    int count, total;
    notification_mail_t items[DIGEST_MAX_ITEMS];   /* .to unused */
} notification_digest_t;
/* 1 with something to send; 0 nothing (no unread ones left, the digest turned off, the account
 * inactive or without an address by now); -1 error. Text in the arena. */
int notification_digest_get(db_t *db, arena_t *a, int64_t user_id, int64_t since, int64_t until,
                            notification_digest_t *d);

#endif
