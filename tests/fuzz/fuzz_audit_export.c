/* libFuzzer harness for the audit export reader (`guanbiao audit verify --file`, docs/audit.md).
 * The input is an export (JSON lines). It is read by audit_export_read, the command's own loop,
 * over fmemopen, twice:
 *   1. as it is, every entry through audit_verify_next until the first break (the command);
 *   2. re-chained: each entry's prev_hash and hash replaced by the right ones, so that the
 *      fuzzer gets past SHA-256 and only the sequence can break the chain.
 * Checked, besides no crash, no leak and no undefined behaviour (ASan, UBSan):
 *   - every entry handed over has non-NULL, valid UTF-8 strings, and formatting it as a line
 *     (audit_line_format) and parsing that back gives the same entry;
 *   - the verifier accepts an entry only when its seq is the next, its prev_hash the previous
 *     entry's hash and its hash that of its content, and then moves on by exactly one; it
 *     changes nothing when it refuses one, and names the first rule broken;
 *   - re-chained, an entry is refused exactly when its seq is not the next;
 *   - lines are counted here on the raw bytes: a reading that ends without an unreadable line
 *     and without a break ("intact: N entries") handed over one entry per non-blank line, so
 *     N is that count; an unreadable line K is a non-blank line of the input, and the entries
 *     before it are the non-blank lines before it.
 * The whole input as one line also goes to audit_line_parse, whose result must be consistent
 * (field only for a missing or mistyped key, json only for an entry). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_chain.h"
#include "core/buf.h"
#include "core/text.h"

#define CHECK(cond)                                                                                         \
    do {                                                                                                    \
        if (!(cond)) {                                                                                      \
            fprintf(stderr, "fuzz_audit_export: check failed at line %d: %s\n", __LINE__, #cond);           \
            abort();                                                                                        \
        }                                                                                                   \
    } while (0)

typedef struct pass {
    audit_verifier_t v;
    bool rechain;      /* pass 2 */
    long entries;      /* handed over by the reader */
    bool broke;        /* the verifier refused the last one handed over */
} pass_t;

/* The canonical encoding of e, plus its prev_hash and hash: equal entries give equal texts. */
static char *whole_text(const audit_entry_t *e)
{
    buf_t b;
    buf_init(&b, 1u << 26);
    CHECK(audit_encode(e, &b));
    CHECK(buf_append(&b, "|", 1) && buf_append(&b, e->prev_hash, strlen(e->prev_hash)));
    CHECK(buf_append(&b, "|", 1) && buf_append(&b, e->hash, strlen(e->hash)));
    char *text = buf_take(&b);
    CHECK(text != NULL);
    return text;
}

static void check_entry_shape(const audit_entry_t *e)
{
    const char *t[] = {e->actor_kind, e->actor_login, e->actor_role, e->actor_org, e->request_id,
                       e->address, e->action, e->entity, e->entity_id, e->region, e->before,
                       e->after, e->prev_hash, e->hash};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        CHECK(t[i] != NULL && utf8_valid(t[i], strlen(t[i]), NULL));
}

/* Formatting e and parsing the line back gives e. */
static void check_round_trip(const audit_entry_t *e)
{
    char *text = audit_line_format(e);
    CHECK(text != NULL && strchr(text, '\n') == NULL);
    audit_line_t back;
    CHECK(audit_line_parse(text, strlen(text), &back) == AUDIT_LINE_ENTRY);
    CHECK(back.entry.seq == e->seq && back.entry.at == e->at && back.entry.actor_id == e->actor_id);
    char *was = whole_text(e), *is = whole_text(&back.entry);
    CHECK(strcmp(was, is) == 0);
    free(was);
    free(is);
    audit_line_free(&back);
    free(text);
}

static bool each_entry(const audit_entry_t *given, void *ctx)
{
    pass_t *p = ctx;
    p->entries++;
    check_entry_shape(given);
    check_round_trip(given);

    audit_entry_t e = *given;
    char rehashed[AUDIT_HASH_HEX + 1], prev[AUDIT_HASH_HEX + 1];
    if (p->rechain) {
        memcpy(prev, p->v.prev_hash, sizeof prev);
        e.prev_hash = prev;
        CHECK(audit_hash(&e, rehashed));
        e.hash = rehashed;
    }
    char computed[AUDIT_HASH_HEX + 1];
    CHECK(audit_hash(&e, computed));

    audit_verifier_t before = p->v;
    audit_break_t r = audit_verify_next(&p->v, &e);
    if (r == AUDIT_OK) {
        CHECK(e.seq == before.next_seq && strcmp(e.prev_hash, before.prev_hash) == 0);
        CHECK(strcmp(e.hash, computed) == 0);
        CHECK(p->v.count == before.count + 1 && p->v.next_seq == before.next_seq + 1);
        CHECK(p->v.next_seq == p->v.count + 1 && strcmp(p->v.prev_hash, e.hash) == 0);
    } else {
        CHECK(memcmp(&before, &p->v, sizeof before) == 0);
        audit_break_t first = e.seq != before.next_seq                     ? AUDIT_BAD_SEQUENCE
                              : strcmp(e.prev_hash, before.prev_hash) != 0 ? AUDIT_BAD_LINK
                                                                           : AUDIT_BAD_HASH;
        CHECK(r == first);
        if (r == AUDIT_BAD_HASH)
            CHECK(strcmp(e.hash, computed) != 0);
    }
    if (p->rechain)
        CHECK((r == AUDIT_OK) == (given->seq == before.next_seq));
    p->broke = r != AUDIT_OK;
    return !p->broke;
}

/* Lines as getline splits them: through each "\n", and what follows the last one. */
typedef struct raw_lines {
    long total, nonblank;
    long nonblank_before;   /* non-blank lines before line `upto` */
    bool upto_nonblank;     /* line `upto` exists and is not blank */
} raw_lines_t;

static raw_lines_t count_lines(const uint8_t *data, size_t size, long upto)
{
    raw_lines_t r = {0};
    size_t at = 0;
    while (at < size) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
        bool blank = len == 1 && data[at] == '\n';
        r.total++;
        if (r.total < upto && !blank)
            r.nonblank_before++;
        if (r.total == upto)
            r.upto_nonblank = !blank;
        if (!blank)
            r.nonblank++;
        at += len;
    }
    return r;
}

static void read_export(const uint8_t *data, size_t size, bool rechain)
{
    pass_t p = {.rechain = rechain};
    audit_verifier_init(&p.v);
    FILE *f = fmemopen((void *)data, size, "r");
    CHECK(f != NULL);
    audit_line_status_t why = AUDIT_LINE_ENTRY;
    long bad = audit_export_read(f, each_entry, &p, &why);
    fclose(f);
    CHECK(bad >= 0);
    raw_lines_t lines = count_lines(data, size, bad);
    if (bad > 0) {
        /* stopped at an unreadable line: every line before it read, no break */
        CHECK(!p.broke && why != AUDIT_LINE_ENTRY && why != AUDIT_LINE_BLANK);
        CHECK(bad <= lines.total && lines.upto_nonblank);
        CHECK(p.entries == lines.nonblank_before && p.v.count == p.entries);
    } else if (!p.broke) {
        /* "audit log intact: N entries" */
        CHECK(p.entries == lines.nonblank && p.v.count == lines.nonblank);
    } else {
        CHECK(p.entries >= 1 && p.entries <= lines.nonblank && p.v.count == p.entries - 1);
    }
}

static void parse_as_one_line(const uint8_t *data, size_t size)
{
    audit_line_t line;
    audit_line_status_t s = audit_line_parse((const char *)data, size, &line);
    CHECK(strcmp(audit_line_status_text(s), "?") != 0);
    CHECK((line.json != NULL) == (s == AUDIT_LINE_ENTRY));
    CHECK((line.field != NULL) == (s == AUDIT_LINE_MISSING || s == AUDIT_LINE_WRONG_TYPE));
    CHECK(s != AUDIT_LINE_BLANK || size == 0 || (size == 1 && data[0] == '\n'));
    if (s == AUDIT_LINE_ENTRY)
        check_entry_shape(&line.entry);
    audit_line_free(&line);
    audit_line_free(&line);   /* the contract: safe twice */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_as_one_line(data, size);
    if (size == 0)
        return 0;
    read_export(data, size, false);
    read_export(data, size, true);
    return 0;
}
