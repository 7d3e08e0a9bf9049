/* The checker's own time for bench/policy: compiles the shipped rules (data/policy-rules.json,
 * embedded) once, then checks the text of FILE ROUNDS times and prints
 * {"chars","findings","compile_ms","mean_ms","min_ms","max_ms"}: the cost of the check alone,
 * without HTTP, JSON parsing of the request or the database. Built by run.sh against the
 * project's static libraries (build/libguanbiao_domain.a, build/libguanbiao_core.a).
 *   checker_time FILE [ROUNDS] */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/buf.h"
#include "core/embedded.h"
#include "core/text.h"
#include "domain/policy_check.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: checker_time FILE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 50;
    buf_t text;
    buf_init(&text, 64u << 20);
    if (!buf_read_file(&text, argv[1]) || !utf8_valid(text.data, text.len, NULL)) {
        fprintf(stderr, "checker_time: cannot read %s as UTF-8\n", argv[1]);
        return 2;
    }
    size_t len;
    const char *rules = embedded_file("policy-rules.json", &len);
    json_t *doc = json_loadb(rules, len, 0, NULL);
    char err[256], field[128];
    double t0 = now_ms();
    policy_ruleset_t *rs = policy_ruleset_compile(doc, err, sizeof err, field, sizeof field);
    double compile_ms = now_ms() - t0;
    json_decref(doc);
    if (rs == NULL) {
        fprintf(stderr, "checker_time: %s\n", err);
        return 2;
    }
    double sum = 0, min = 1e12, max = 0;
    size_t findings = 0;
    for (int i = 0; i < rounds; i++) {
        double a = now_ms();
        json_t *answer = policy_check_text(rs, text.data, text.len, "zh");
        double d = now_ms() - a;
        findings = json_array_size(json_object_get(answer, "findings"));
        json_decref(answer);
        sum += d;
        min = d < min ? d : min;
        max = d > max ? d : max;
    }
    printf("{\"chars\":%zu,\"findings\":%zu,\"compile_ms\":%.2f,\"mean_ms\":%.2f,\"min_ms\":%.2f,\"max_ms\":%.2f}\n",
           utf8_length(text.data, text.len), findings, compile_ms, sum / rounds, min, max);
    policy_ruleset_free(rs);
    buf_free(&text);
    return 0;
}
