/* What the parts of the demo seed share (seed.c and seed_*.c): one deterministic random
 * sequence, the progress bar, and a point lookup. Not for the rest of the program. */
#ifndef GUANBIAO_SEED_INTERNAL_H
#define GUANBIAO_SEED_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "store/store.h"

uint64_t seed_next(void);        /* the next number of the one fixed sequence */
int seed_pick(int n);            /* 0 … n−1 from it */
/* A progress bar on out when it is a terminal (every 500 items and at the end). */
void seed_progress(FILE *out, const char *what, long done, long total);
/* The integer in the first column of the first row of sql bound to $1 = code; 0 when none. */
int64_t seed_find_id(db_t *db, const char *sql, const char *code);

/* The marketplace (seed_market.c): commitments of every body, an engagement behind every
 * seeded certificate, open engagements in every status, feedback with replies, complaints and
 * a consulting tie. The demo enterprise and the demo body see each kind. */
typedef struct seed_market_context {
    const int64_t *body_ids;     /* every seeded body, the demo body first */
    int nbodies;
    int64_t demo_enterprise_id;
    int scale;
} seed_market_context_t;
bool seed_market(db_t *db, const seed_market_context_t *ctx, FILE *log);

/* A one-page PDF specimen whose page is the PDF content stream `content` (seed.c). */
void seed_specimen_pdf(buf_t *b, const char *content);

/* Compliance records (seed_compliance.c), each part in its own block. */
/* Self-assessment: the demo enterprise's 2023 self-assessment in progress (about two thirds
 * assessed, a few gaps, some history, one evidence file) and its evidence grant to the demo body
 * for their engagement. */
bool seed_compliance_assessment(db_t *db, int64_t enterprise_id, int64_t body_id, FILE *log);

/* Compliance records (seed_compliance.c). Audits and management reviews: the demo enterprise's
 * signed-off internal audit with minor findings and a management review; the demo body's
 * signed-off stage 2 audit and in-progress surveillance audit under its decided engagement with
 * the demo enterprise. */
bool seed_audits(db_t *db, int64_t enterprise_id, int64_t body_id);

/* The nonconformity register (seed_compliance.c): the demo enterprise's nonconformities in every
 * status (one overdue, some raised by the demo body's audit when it has an engagement with it),
 * and a spread over other enterprises and the 2023 clauses for the counts by clause. */
bool seed_nonconformities(db_t *db, int64_t demo_enterprise_id, int64_t demo_body_id);

/* Indicator values (seed_effectiveness.c; docs/effectiveness.md): 2016–2025 for the demo
 * enterprise and a deterministic cohort of its section (improved, like their peers, form only,
 * and uncertified peers), through indicator_values_write; the demo enterprise's windows verified
 * by its certifying body. The caller runs the effectiveness job afterwards. */
bool seed_effectiveness(db_t *db, int64_t demo_enterprise_id, FILE *log);
/* The exchange forum (seed_forum.c; docs/learning.md "Exchange"): five categories, a dozen
 * topics of the demo accounts with replies, an accepted answer, a hidden reply with its reason
 * and its actioned report, one open report. After seed_accounts (it names the demo logins). */
bool seed_forum(db_t *db);

/* Learning content (seed_learning.c; docs/learning.md "Content"): published courses with their
 * lessons, revisions, clause tags and searchable texts, and two announcements. */
bool seed_learning(db_t *db, FILE *log);

/* Question banks and some progress (seed_quiz.c; issue 11, docs/learning.md "Quizzes, certificates
 * and progress"): a bank for every published course seeded before it (by category), and the demo
 * enterprise's user's first lessons. Runs after the content slice's courses. */
bool seed_quiz(db_t *db, int64_t demo_enterprise_id);

/* issue 11, activities (seed_activities.c): two upcoming published activities (online; on site
 * and full), a past one the demo enterprise attended, a draft; the demo enterprise's user (and on
 * the full one the demo body's) registered. */
bool seed_activities(db_t *db, FILE *log);

/* issue 12, registry and review (seed_policies.c; docs/policies.md): a dozen local support
 * policies of several provinces, checked with the current rule set, registered by the demo
 * regulators, some reviewed (compliant, to_amend, amended with a second text). After the
 * accounts (it acts as the demo regulators). --scale N adds 10 × (N − 1) generated ones. */
bool seed_policies(db_t *db, int scale, FILE *log);

/* statistics slice "learning" (seed_statistics_learning.c; docs/statistics.md "Learning"): 40 ×
 * scale learners of seeded enterprises (half in Guangdong) opening and completing lessons and
 * submitting quizzes over the last twelve months, and searches that found nothing. After
 * seed_quiz (the question banks). */
bool seed_statistics_learning(db_t *db, int scale, FILE *log);

#endif
