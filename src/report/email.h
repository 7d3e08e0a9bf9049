/* Email the platform sends out (issue 7's second channel of notifications), through libcurl's
 * SMTP client to the server given by `guanbiao serve --smtp URL`; off when unset. One message
 * per call: a UTF-8 subject encoded per RFC 2047 and a plain-text UTF-8 body. */
#ifndef GUANBIAO_EMAIL_H
#define GUANBIAO_EMAIL_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "store/store.h"

/* Sets the SMTP server (smtp://host:port or smtps://…; NULL or "" = email off), the sender
 * address (NULL = "guanbiao@localhost") and the site's address for links in messages
 * (NULL = none: links are paths). Call once at start-up, before any thread sends; the
 * strings must outlive every use. Also turns the email channel of notifications on or off. */
void email_configure(const char *smtp_url, const char *from, const char *site_url);
bool email_configured(void);

/* The message as sent (headers and body, CRLF line ends), into the arena: for the tests of
 * the encoding and for email_send. */
const char *email_message(arena_t *a, const char *to, const char *subject, const char *body);

/* Sends one message. 0 sent; -1 with the reason in err when email is off, or the server is
 * unreachable or refused it (the caller's job is then retried). */
int email_send(arena_t *a, const char *to, const char *subject, const char *body, char *err, size_t errlen);

/* The `email` job (api/jobs.c's table of kinds): payload {"notification": ID}; sends that
 * notification to its user's address. A notification gone, or a user without an address by
 * now, is done with nothing sent. Payload {"digest": USER, "since": T0, "until": T1} (queued by
 * notification_digests_enqueue): one message listing the user's notifications of [T0, T1)
 * still unread when it runs, with absolute links; nothing when none is left. */
int email_notification_job(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen);

#endif
