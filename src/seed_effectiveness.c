/* Demo data of the effectiveness check (issue 10; docs/effectiveness.md "The index (method v1)"):
 * yearly indicator values 2016–2025 for the demo enterprise and a deterministic cohort of the
 * seeded enterprises, then one run of the effectiveness job so that results exist on `make run`.
 *
 * The cohort: COHORT_GROUPS peer groups (industry section and size class; the demo enterprise's
 * first, then others in the order of the enterprises' ids, so across regions and bodies), each
 * with COHORT_CERTIFIED enterprises whose first certificate was issued 2017–2021 (both windows
 * have data) and COHORT_PEERS not certified before 2026 (their peers). The certified ones take
 * turns, of five: three improved (a step up after certification), one moved like its peers, one
 * in form only (flat or worse afterwards, management flat: flagged when its index is below 50).
 * Everyone follows a common trend of +3 % a year with noise; about one value in twenty is blank.
 * The demo enterprise improved and has every indicator, verified for the years of its windows
 * by the body of its first certificate. About 20,000 values. Values go through indicator_values_write (source
 * "seed"), so their history exists as for any other write; the seed records no audit entry
 * (it is not a user's change). The cohort's size keeps the seed's extra time small (measured
 * in docs/effectiveness.md): PostgreSQL, with a round trip per statement, is the slow one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "seed_internal.h"
#include "store/audit.h"
#include "store/indicators.h"

enum { COHORT_GROUPS = 10, COHORT_CERTIFIED = 6, COHORT_PEERS = 5, FIRST_YEAR = 2016, LAST_YEAR = 2025,
       COHORT_LAST_YEAR = 2024 };
enum { PROFILE_PEER, PROFILE_IMPROVED, PROFILE_LIKE_PEERS, PROFILE_FORM_ONLY };

typedef struct cohort_member {
    int64_t id;
    int certified_year;    /* 0: a peer (not certified before 2025) */
    int profile;
} cohort_member_t;

/* A deterministic number in [0, 1) from the arguments (splitmix64): independent of the order
 * of the seed's other parts. */
static double noise(int64_t a, int64_t b, int64_t c)
{
    uint64_t z = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b * 0xBF58476D1CE4E5B9ull ^ (uint64_t)c * 0x94D049BB133111EBull;
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* The value of indicator ind (index i in the catalogue) of member m in year y; NAN for blank. */
static double value_of(const cohort_member_t *m, const indicator_t *ind, size_t i, int y, bool demo)
{
    if (!demo && noise(m->id, (int64_t)i, y * 7 + 1) < 0.05)
        return NAN;
    double u = noise(m->id, (int64_t)i, 0);
    bool share = strcmp(ind->kind, "share") == 0, count = strcmp(ind->kind, "count") == 0;
    bool management = strcmp(ind->category, "management") == 0;
    double base = share ? 5 + 50 * u : count ? (ind->lower_is_better ? 1 + 4 * u : 3 + 60 * u) : 10 + 400 * u;
    double trend = pow(1.03, y - FIRST_YEAR) * (0.95 + 0.1 * noise(m->id, (int64_t)i, y));
    double v = share ? base + (y - FIRST_YEAR) * 0.4 + 2 * (noise(m->id, (int64_t)i, y) - 0.5) : base * trend;
    bool after = m->certified_year > 0 && y > m->certified_year;
    if (after && m->profile == PROFILE_IMPROVED) {
        double step = 1.3 + 0.3 * noise(m->id, (int64_t)i, 2);
        v = share ? v + 4 + 6 * noise(m->id, (int64_t)i, 3) : ind->lower_is_better ? v / step : v * step;
    } else if (after && m->profile == PROFILE_FORM_ONLY) {
        if (management)
            v = base;       /* management flat: nothing changed in practice */
        else
            v = share ? v - 3 : ind->lower_is_better ? v * 1.2 : v * 0.85;
    }
    if (share)
        v = v < 0 ? 0 : v > 100 ? 100 : v;
    return count ? round(v) : round(v * 10) / 10;
}

/* Writes member m's values (2016–2025 for the demo enterprise, 2016–2024 for the others: every
 * window of the cohort) through the one write path. */
static bool write_member(db_t *db, const cohort_member_t *m, const indicator_t *catalogue, size_t n, bool demo)
{
    indicator_value_write_t *w = calloc(n * (LAST_YEAR - FIRST_YEAR + 1), sizeof *w);
    if (w == NULL)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (int y = FIRST_YEAR; y <= (demo ? LAST_YEAR : COHORT_LAST_YEAR); y++) {
            double v = value_of(m, &catalogue[i], i, y, demo);
            if (!isnan(v))
                w[k++] = (indicator_value_write_t){.indicator_id = catalogue[i].id, .year = y, .value = v};
        }
    }
    size_t changed = 0, unchanged = 0;
    bool ok = indicator_values_write(db, &AUDIT_ACTOR_SEED, m->id, w, k, "seed", 0, &changed, &unchanged) == 0;
    free(w);
    return ok;
}

/* The demo enterprise's values of its windows verified by the body of its first certificate
 * (with that body's latest audit of it, when one). */
static bool verify_demo(db_t *db, int64_t enterprise_id, int certified_year)
{
    int64_t body_id = 0, audit_id = 0;
    stmt_t *st = db_query(db, "SELECT body_id FROM certificates WHERE enterprise_id = $1 ORDER BY issued, id LIMIT 1",
                          "I", enterprise_id);
    if (st && stmt_step(st) == STORE_ROW)
        body_id = stmt_int(st, 0);
    stmt_done(st);
    if (body_id == 0)
        return true;
    st = db_query(db, "SELECT COALESCE(MAX(id), 0) FROM audits WHERE enterprise_id = $1 AND body_id = $2", "II",
                  enterprise_id, body_id);
    if (st && stmt_step(st) == STORE_ROW)
        audit_id = stmt_int(st, 0);
    stmt_done(st);
    for (int y = certified_year - 3; y <= certified_year + 3; y++)
        if (y != certified_year && y <= LAST_YEAR &&
            indicator_values_verify(db, &AUDIT_ACTOR_SEED, enterprise_id, y, NULL, 0, body_id, audit_id, true) < 0)
            return false;
    return true;
}

/* The section letter of a division (or section) code; 0 unknown. */
static char section_of(const char *code)
{
    const industry_t *ind = industry_find(code);
    return ind == NULL ? 0 : ind->section[0] ? ind->section[0] : ind->code[0];
}

bool seed_effectiveness(db_t *db, int64_t demo_enterprise_id, FILE *log)
{
    arena_t a = {0};
    indicator_t *catalogue = NULL;
    int n = indicators_list(db, &a, false, &catalogue);
    if (n <= 0) {
        arena_free(&a);
        return n == 0;
    }
    /* the demo enterprise's section and size */
    char demo_section = 0, demo_size[16] = "";
    int demo_year = 0;
    stmt_t *st = db_query(db,
                          "SELECT e.industry, e.size, COALESCE((SELECT MIN(c.issued) FROM certificates c WHERE "
                          "c.enterprise_id = e.id), '') FROM enterprises e WHERE e.id = $1",
                          "I", demo_enterprise_id);
    if (st && stmt_step(st) == STORE_ROW) {
        demo_section = section_of(stmt_text(st, 0));
        snprintf(demo_size, sizeof demo_size, "%s", stmt_text(st, 1));
        demo_year = atoi(stmt_text(st, 2));
    }
    stmt_done(st);
    /* peer groups (section, size): the demo enterprise's first, then others as they come */
    struct {
        char section;
        char size[16];
        int certified, peers;
    } groups[COHORT_GROUPS] = {0};
    size_t ngroups = 1;
    groups[0].section = demo_section;
    snprintf(groups[0].size, sizeof groups[0].size, "%s", demo_size);
    cohort_member_t members[COHORT_GROUPS * (COHORT_CERTIFIED + COHORT_PEERS) + 1];
    size_t nm = 0;
    members[nm++] = (cohort_member_t){demo_enterprise_id, demo_year, PROFILE_IMPROVED};
    st = db_query(db,
                  "SELECT e.id, e.industry, e.size, COALESCE((SELECT MIN(c.issued) FROM certificates c WHERE "
                  "c.enterprise_id = e.id), '') FROM enterprises e WHERE e.status = 'approved' AND e.id <> $1 "
                  "ORDER BY e.id",
                  "I", demo_enterprise_id);
    int rc, certified_total = 0;
    while (st && (rc = stmt_step(st)) == STORE_ROW && nm < sizeof members / sizeof members[0]) {
        char section = section_of(stmt_text(st, 1));
        const char *size = stmt_text(st, 2);
        size_t g = 0;
        while (g < ngroups && !(groups[g].section == section && strcmp(groups[g].size, size) == 0))
            g++;
        if (g == ngroups) {
            if (ngroups == COHORT_GROUPS || section == 0)
                continue;
            groups[g].section = section;
            snprintf(groups[g].size, sizeof groups[g].size, "%s", size);
            ngroups++;
        }
        int y = atoi(stmt_text(st, 3));
        if (y >= 2017 && y <= 2021 && groups[g].certified < COHORT_CERTIFIED) {
            /* of every five certified: three improved, one like its peers, one in form only */
            int turn = certified_total++ % 5;
            int profile = turn < 3 ? PROFILE_IMPROVED : turn == 3 ? PROFILE_LIKE_PEERS : PROFILE_FORM_ONLY;
            members[nm++] = (cohort_member_t){stmt_int(st, 0), y, profile};
            groups[g].certified++;
        } else if ((y == 0 || y >= 2026) && groups[g].peers < COHORT_PEERS) {
            members[nm++] = (cohort_member_t){stmt_int(st, 0), 0, PROFILE_PEER};
            groups[g].peers++;
        }
    }
    stmt_done(st);
    bool ok = true;
    for (size_t k = 0; ok && k < nm; k++) {
        ok = write_member(db, &members[k], catalogue, (size_t)n, k == 0);
        seed_progress(log, "indicators", (long)k + 1, (long)nm);
    }
    if (ok && demo_year > 0)
        ok = verify_demo(db, demo_enterprise_id, demo_year);
    arena_free(&a);
    return ok;
}
