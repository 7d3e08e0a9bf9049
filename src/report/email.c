/* Email out through libcurl's SMTP client (see email.h). */
#include "report/email.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/text.h"
#include "store/notifications.h"

enum {
    SMTP_CONNECT_SECONDS = 10,
    SMTP_TOTAL_SECONDS = 60,
    SUBJECT_CHUNK_BYTES = 45,   /* of UTF-8 per encoded-word: 60 base64 characters, under RFC 2047's 75 */
    BODY_LINE_CHARS = 76,
};

static const char *smtp_url, *smtp_from = "guanbiao@localhost", *site;

void email_configure(const char *url, const char *from, const char *site_url)
{
    smtp_url = url && *url ? url : NULL;
    if (from && *from)
        smtp_from = from;
    site = site_url && *site_url ? site_url : NULL;
    if (smtp_url)
        curl_global_init(CURL_GLOBAL_DEFAULT);
    notifications_email_enable(smtp_url != NULL);
}

bool email_configured(void)
{
    return smtp_url != NULL;
}

static void base64_append(buf_t *b, const unsigned char *data, size_t n)
{
    char out[sodium_base64_ENCODED_LEN(SUBJECT_CHUNK_BYTES * 4, sodium_base64_VARIANT_ORIGINAL)];
    while (n > 0) {
        size_t take = n < SUBJECT_CHUNK_BYTES * 4 ? n : SUBJECT_CHUNK_BYTES * 4;
        sodium_bin2base64(out, sizeof out, data, take, sodium_base64_VARIANT_ORIGINAL);
        buf_puts(b, out);
        data += take;
        n -= take;
    }
}

/* RFC 2047 encoded-words of UTF-8 text, cut between characters, folded onto lines. */
static void subject_append(buf_t *b, const char *s)
{
    size_t n = strlen(s), at = 0;
    while (at < n) {
        size_t take = n - at < SUBJECT_CHUNK_BYTES ? n - at : SUBJECT_CHUNK_BYTES;
        while (at + take < n && ((unsigned char)s[at + take] & 0xC0) == 0x80)
            take--;     /* never split a character's bytes */
        if (at > 0)
            buf_puts(b, "\r\n ");
        buf_puts(b, "=?UTF-8?B?");
        base64_append(b, (const unsigned char *)s + at, take);
        buf_puts(b, "?=");
        at += take;
    }
}

const char *email_message(arena_t *a, const char *to, const char *subject, const char *body)
{
    buf_t b;
    buf_init(&b, 1u << 20);
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    char id[sizeof rnd * 2 + 1];
    randombytes_buf(rnd, sizeof rnd);
    hex_encode(rnd, sizeof rnd, id);
    const char *domain = strchr(smtp_from, '@');
    buf_printf(&b, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s%s>\r\nSubject: ", date, smtp_from, to, id,
               domain ? domain : "@localhost");
    subject_append(&b, subject);
    buf_puts(&b, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n");
    /* the body in base64 lines of 76 characters (57 bytes each) */
    size_t n = strlen(body);
    for (size_t at = 0; at < n; at += 57) {
        base64_append(&b, (const unsigned char *)body + at, n - at < 57 ? n - at : 57);
        buf_puts(&b, "\r\n");
    }
    const char *text = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return text;
}

typedef struct upload {
    const char *data;
    size_t len, pos;
} upload_t;

static size_t read_upload(char *ptr, size_t size, size_t nmemb, void *user)
{
    upload_t *u = user;
    size_t room = size * nmemb, left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(ptr, u->data + u->pos, n);
    u->pos += n;
    return n;
}

int email_send(arena_t *a, const char *to, const char *subject, const char *body, char *err, size_t errlen)
{
    if (smtp_url == NULL) {
        snprintf(err, errlen, "email is off: the server was started without --smtp");
        return -1;
    }
    const char *message = email_message(a, to, subject, body);
    upload_t up = {.data = message, .len = strlen(message)};
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(err, errlen, "curl_easy_init failed");
        return -1;
    }
    char curl_err[CURL_ERROR_SIZE] = "";
    struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to));
    curl_easy_setopt(curl, CURLOPT_URL, smtp_url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", smtp_from));
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)SMTP_CONNECT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)SMTP_TOTAL_SECONDS);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "SMTP to %s: %s%s%s (server's last reply %ld)", to, curl_easy_strerror(rc),
                 curl_err[0] ? ": " : "", curl_err, code);
        return -1;
    }
    return 0;
}

/* The digest of user_id's unread notifications created in [since, until), as one message
 * (notifications.h: notification_digest_get); nothing when none is left to list. */
static int email_digest(db_t *db, arena_t *a, int64_t user_id, int64_t since, int64_t until, char *err, size_t errlen)
{
    notification_digest_t *d = arena_alloc(a, sizeof *d);
    int rc = notification_digest_get(db, a, user_id, since, until, d);
    if (rc < 0) {
        snprintf(err, errlen, "reading the digest of user %lld: %s", (long long)user_id, db_error(db));
        return -1;
    }
    if (rc == 0)
        return 0;     /* all read since, the digest turned off, or the address removed */
    buf_t b;
    buf_init(&b, 1u << 20);
    buf_printf(&b, "您有 %d 条未读通知（自上次汇总以来）：\r\nYou have %d unread notification(s) since the last digest:\r\n",
               d->total, d->total);
    for (int i = 0; i < d->count; i++) {
        const char *link = site ? arena_printf(a, "%s%s", site, d->items[i].link) : d->items[i].link;
        buf_printf(&b, "\r\n%d. %s\r\n   %s\r\n   %s\r\n", i + 1, d->items[i].title, d->items[i].title_en, link);
    }
    if (d->total > d->count)
        buf_printf(&b, "\r\n……另有 %d 条 / and %d more: %s/notifications\r\n", d->total - d->count,
                   d->total - d->count, site ? site : "");
    buf_printf(&b, "\r\n——\r\n贯标平台每日汇总。在“通知设置”中可以关闭每日汇总邮件：%s/account/notifications\r\n"
                   "The Guanbiao platform's daily digest; turn it off in Notification settings.\r\n", site ? site : "");
    const char *body = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    const char *subject = arena_printf(a, "贯标平台每日汇总：%d 条未读通知", d->total);
    return email_send(a, d->to, subject, body, err, errlen);
}

/* A positive integer member of o, or 0 (absent, or not one). */
static int64_t payload_id(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer_value(v) : 0;
}

int email_notification_job(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    json_error_t je;
    json_t *o = json_loads(payload ? payload : "{}", 0, &je);
    int64_t nid = payload_id(o, "notification"), digest_user = payload_id(o, "digest");
    json_t *since = json_object_get(o, "since"), *until = json_object_get(o, "until");
    if (digest_user > 0 && json_is_integer(since) && json_is_integer(until)) {
        int64_t from = json_integer_value(since), to = json_integer_value(until);
        json_decref(o);
        return email_digest(db, a, digest_user, from, to, err, errlen);
    }
    json_decref(o);
    if (nid <= 0) {
        snprintf(err, errlen, "payload: {\"notification\": ID} or {\"digest\": USER, \"since\", \"until\"} expected");
        return -1;
    }
    notification_mail_t m;
    int rc = notification_mail_get(db, a, nid, &m);
    if (rc < 0) {
        snprintf(err, errlen, "reading notification %lld: %s", (long long)nid, db_error(db));
        return -1;
    }
    if (rc == 0 || m.to[0] == '\0')
        return 0;     /* gone, or the address removed since: nothing to send */
    const char *link = site ? arena_printf(a, "%s%s", site, m.link) : m.link;
    const char *body = arena_printf(a,
        "%s\r\n%s\r\n\r\n%s\r\n\r\n"
        "——\r\n贯标平台通知。在“我的账号”中可以关闭邮件通知。\r\n"
        "A notification of the Guanbiao platform; turn email off on your account page.\r\n",
        m.title, m.title_en, link);
    return email_send(a, m.to, m.title, body, err, errlen);
}
