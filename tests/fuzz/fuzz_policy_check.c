/* libFuzzer harness for the fair-policy checker (domain/policy_check.h) with the shipped rules
 * (data/policy-rules.json): any valid UTF-8 input (others are skipped: the API refuses them
 * first) must be checked without a crash, a leak or a hang, and every finding must keep the
 * contract: 0 <= start < end <= the text's length in code points, and excerpt exactly the text
 * between them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/text.h"
#include "domain/policy_check.h"

static policy_ruleset_t *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t len;
    const char *text = embedded_file("policy-rules.json", &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    char err[256], field[128];
    rules = policy_ruleset_compile(doc, err, sizeof err, field, sizeof field);
    json_decref(doc);
    if (rules == NULL)
        abort();
    return 0;
}

/* The byte offset of code point n in s. */
static size_t byte_of(const char *s, size_t len, size_t n)
{
    size_t at = 0;
    while (n > 0 && at < len) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
        n--;
    }
    return at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (!utf8_valid(text, size, NULL))
        return 0;
    json_t *answer = policy_check_text(rules, text, size, "zh");
    if (answer == NULL)
        abort();
    size_t chars = utf8_length(text, size);
    json_t *findings = json_object_get(answer, "findings");
    if (!json_is_array(findings) || json_object_size(answer) != 1)
        abort();
    size_t i;
    json_t *f;
    json_int_t last = 0;
    json_array_foreach(findings, i, f) {
        json_int_t start = json_integer_value(json_object_get(f, "start"));
        json_int_t end = json_integer_value(json_object_get(f, "end"));
        const char *excerpt = json_string_value(json_object_get(f, "excerpt"));
        if (start < 0 || end <= start || (size_t)end > chars || excerpt == NULL || start < last)
            abort();
        last = start;
        size_t a = byte_of(text, size, (size_t)start), z = byte_of(text, size, (size_t)end);
        if (json_string_length(json_object_get(f, "excerpt")) != z - a || memcmp(excerpt, text + a, z - a) != 0)
            abort();
        if (json_object_size(f) != 6)
            abort();
    }
    json_decref(answer);
    return 0;
}
