/* The audit log's canonical encoding, hash and verifier, and the export's lines read and
 * written (see audit_chain.h). */
#include "core/audit_chain.h"

#include <inttypes.h>
#include <stddef.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/text.h"

const char *const AUDIT_FIELDS[] = {"seq", "at", "actor_kind", "actor_id", "actor_login", "actor_role",
                                    "actor_org", "request_id", "address", "action", "entity", "entity_id",
                                    "region", "before", "after", NULL};

static bool put_field(buf_t *out, const char *s)
{
    if (s == NULL)
        s = "";
    size_t n = strlen(s);
    return buf_printf(out, "%zu:", n) && buf_append(out, s, n) && buf_append(out, ",", 1);
}

static bool put_int(buf_t *out, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    return put_field(out, text);
}

bool audit_encode(const audit_entry_t *e, buf_t *out)
{
    return put_int(out, e->seq) && put_int(out, e->at) && put_field(out, e->actor_kind) &&
           put_int(out, e->actor_id) && put_field(out, e->actor_login) && put_field(out, e->actor_role) &&
           put_field(out, e->actor_org) && put_field(out, e->request_id) && put_field(out, e->address) &&
           put_field(out, e->action) && put_field(out, e->entity) && put_field(out, e->entity_id) &&
           put_field(out, e->region) && put_field(out, e->before) && put_field(out, e->after);
}

bool audit_hash(const audit_entry_t *e, char out[AUDIT_HASH_HEX + 1])
{
    buf_t b;
    buf_init(&b, 1u << 24);
    const char *prev = e->prev_hash ? e->prev_hash : "";
    bool ok = buf_append(&b, prev, strlen(prev)) && audit_encode(e, &b);
    if (ok) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)b.data, b.len);
        sodium_bin2hex(out, AUDIT_HASH_HEX + 1, digest, sizeof digest);
    }
    buf_free(&b);
    return ok;
}

const char *audit_break_text(audit_break_t b)
{
    switch (b) {
    case AUDIT_OK: return "ok";
    case AUDIT_BAD_SEQUENCE: return "missing: the sequence jumps past it (deleted)";
    case AUDIT_BAD_LINK: return "prev_hash does not match the previous entry: entries deleted or reordered";
    case AUDIT_BAD_HASH: return "hash does not match its content: the entry was edited";
    }
    return "?";
}

void audit_verifier_init(audit_verifier_t *v)
{
    v->count = 0;
    v->next_seq = 1;
    memcpy(v->prev_hash, AUDIT_GENESIS, sizeof v->prev_hash);
}

audit_break_t audit_verify_next(audit_verifier_t *v, const audit_entry_t *e)
{
    if (e->seq != v->next_seq)
        return AUDIT_BAD_SEQUENCE;
    /* the link before the content: a moved entry still links to its old neighbour */
    if (e->prev_hash == NULL || strcmp(e->prev_hash, v->prev_hash) != 0)
        return AUDIT_BAD_LINK;
    char computed[AUDIT_HASH_HEX + 1];
    if (!audit_hash(e, computed) || e->hash == NULL || strcmp(computed, e->hash) != 0)
        return AUDIT_BAD_HASH;
    memcpy(v->prev_hash, e->hash, sizeof v->prev_hash);
    v->next_seq++;
    v->count++;
    return AUDIT_OK;
}

/* ---- The export's lines ---- */

/* The keys of a line in the order of the export (AUDIT_FIELDS, then prev_hash and hash), and
 * where each goes in the entry: the one table that both reads and writes a line. */
static const struct line_key {
    const char *name;
    size_t offset;
    bool integer;   /* else a string */
} LINE_KEYS[] = {
#define INT_KEY(f) {#f, offsetof(audit_entry_t, f), true}
#define TEXT_KEY(f) {#f, offsetof(audit_entry_t, f), false}
    INT_KEY(seq), INT_KEY(at), TEXT_KEY(actor_kind), INT_KEY(actor_id), TEXT_KEY(actor_login),
    TEXT_KEY(actor_role), TEXT_KEY(actor_org), TEXT_KEY(request_id), TEXT_KEY(address), TEXT_KEY(action),
    TEXT_KEY(entity), TEXT_KEY(entity_id), TEXT_KEY(region), TEXT_KEY(before), TEXT_KEY(after),
    TEXT_KEY(prev_hash), TEXT_KEY(hash),
#undef INT_KEY
#undef TEXT_KEY
};

static audit_line_status_t line_fail(audit_line_t *line, json_t *o, audit_line_status_t status,
                                     const char *field)
{
    json_decref(o);
    *line = (audit_line_t){.field = field};
    return status;
}

audit_line_status_t audit_line_parse(const char *text, size_t len, audit_line_t *line)
{
    *line = (audit_line_t){0};
    if (len == 0 || (len == 1 && text[0] == '\n'))
        return AUDIT_LINE_BLANK;
    if (len > AUDIT_LINE_MAX)
        return AUDIT_LINE_TOO_LONG;
    if (!utf8_valid(text, len, NULL))
        return AUDIT_LINE_NOT_UTF8;
    json_error_t err;
    /* a repeated key would be read differently by different readers (first or last wins) */
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (o == NULL)
        return AUDIT_LINE_NOT_JSON;
    if (!json_is_object(o))
        return line_fail(line, o, AUDIT_LINE_NOT_OBJECT, NULL);

    /* in the export's order: the first bad key named is the first in the line */
    for (size_t i = 0; i < sizeof LINE_KEYS / sizeof LINE_KEYS[0]; i++) {
        const struct line_key *k = &LINE_KEYS[i];
        json_t *v = json_object_get(o, k->name);
        if (v == NULL)
            return line_fail(line, o, AUDIT_LINE_MISSING, k->name);
        if (k->integer ? !json_is_integer(v) : !json_is_string(v))
            return line_fail(line, o, AUDIT_LINE_WRONG_TYPE, k->name);
        char *to = (char *)&line->entry + k->offset;
        if (k->integer)
            *(int64_t *)to = json_integer_value(v);
        else
            *(const char **)to = json_string_value(v);
    }
    line->json = o;
    return AUDIT_LINE_ENTRY;
}

void audit_line_free(audit_line_t *line)
{
    json_decref(line->json);
    *line = (audit_line_t){0};
}

const char *audit_line_status_text(audit_line_status_t s)
{
    switch (s) {
    case AUDIT_LINE_ENTRY: return "an entry";
    case AUDIT_LINE_BLANK: return "a blank line";
    case AUDIT_LINE_TOO_LONG: return "longer than the longest entry";
    case AUDIT_LINE_NOT_UTF8: return "not valid UTF-8";
    case AUDIT_LINE_NOT_JSON: return "not one JSON value";
    case AUDIT_LINE_NOT_OBJECT: return "not a JSON object";
    case AUDIT_LINE_MISSING: return "a field is missing";
    case AUDIT_LINE_WRONG_TYPE: return "a field has the wrong type";
    }
    return "?";
}

char *audit_line_format(const audit_entry_t *e)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    for (size_t i = 0; ok && i < sizeof LINE_KEYS / sizeof LINE_KEYS[0]; i++) {
        const struct line_key *k = &LINE_KEYS[i];
        const char *from = (const char *)e + k->offset;
        const char *text = k->integer ? NULL : *(const char *const *)from;
        json_t *v = k->integer ? json_integer(*(const int64_t *)from) : json_string(text ? text : "");
        ok = json_object_set_new(o, k->name, v) == 0;   /* takes v, also when it fails */
    }
    char *line = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return line;
}

long audit_export_read(FILE *f, bool (*each)(const audit_entry_t *e, void *ctx), void *ctx,
                       audit_line_status_t *why)
{
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, result = 0;
    while (result == 0 && (len = getline(&text, &cap, f)) >= 0) {
        lineno++;
        audit_line_t line;
        audit_line_status_t status = audit_line_parse(text, (size_t)len, &line);
        if (status == AUDIT_LINE_ENTRY) {
            bool more = each(&line.entry, ctx);
            audit_line_free(&line);
            if (!more)
                break;
        } else if (status != AUDIT_LINE_BLANK) {
            if (why)
                *why = status;
            result = lineno;
        }
    }
    if (result == 0 && ferror(f))
        result = -1;
    free(text);
    return result;
}
