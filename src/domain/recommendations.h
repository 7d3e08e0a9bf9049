/* Recommendations that say why (PRODUCT.md capability 6, docs/statistics.md "Recommendations").
 * Pure: the API reads the facts (src/api/recommendations.c) and gives each to one rule below;
 * each rule decides whether the fact recommends something, how strongly, and writes the reason
 * in the request's language. recs_finish then orders the items (strongest first, then by reason
 * code and target: deterministic), drops a second item for the same target and keeps at most
 * RECS_MAX. No I/O, no allocation: every text is copied into the item; titles are copied too. */
#ifndef GUANBIAO_RECOMMENDATIONS_H
#define GUANBIAO_RECOMMENDATIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/text.h"

enum { RECS_MAX = 8, RECS_CANDIDATES = 64, RECS_TEXT = 640, RECS_TITLE = 320 };

/* A feedback dimension is weak when its mean is at least this far below the national mean of
 * all bodies, over at least RECS_FEEDBACK_MIN_REVIEWS reviews. */
#define RECS_FEEDBACK_GAP 0.3
enum { RECS_FEEDBACK_MIN_REVIEWS = 3 };

typedef enum rec_kind { REC_COURSE, REC_ACTIVITY, REC_ACTION } rec_kind_t;

typedef struct rec_item {
    rec_kind_t kind;
    char title[RECS_TITLE];
    char url[96];               /* the web path, "" for none */
    const char *target_type;    /* static: "course", "complaint", …; NULL for none */
    int64_t target_id;
    const char *code;           /* static: the reason's code */
    char clause[24];            /* "" for none */
    int64_t count;              /* -1 for none */
    int weight;                 /* larger first */
    char text[RECS_TEXT];
} rec_item_t;

typedef struct recs {
    lang_t lang;
    int n;
    rec_item_t items[RECS_CANDIDATES];
} recs_t;

void recs_init(recs_t *r, lang_t lang);

/* ---- an enterprise's rules ---- */
/* Clause `clause` had `total` nonconformities in the last three years, `open` of them not
 * closed (effective); course (id, title) covers the clause and not all the staff completed it. */
void recs_clause_nonconformities(recs_t *r, const char *clause, int total, int open, int64_t course_id,
                                 const char *course_title);
/* The latest self-assessment marks clause not met (not_met true) or partly met. */
void recs_self_assessment_gap(recs_t *r, const char *clause, bool not_met, int64_t course_id,
                              const char *course_title);
/* `learners` of the staff submitted the course's quiz without passing; `exhausted` of them used
 * every attempt. */
void recs_quiz_failed(recs_t *r, int64_t course_id, const char *course_title, int learners, int exhausted);
/* The effectiveness result: verdict "decline" and/or the form-only flag; a briefing course (id 0:
 * none, then nothing). */
void recs_effectiveness(recs_t *r, const char *verdict, bool form_only, int64_t course_id, const char *course_title);
/* Of `total` indicators in use the enterprise has values for `present` (latest year). */
void recs_indicators_missing(recs_t *r, int present, int total);

/* ---- a body's rules ---- */
/* Dimension (professionalism, effectiveness, timeliness, commitment): its mean over `reviews`
 * reviews and the national mean of all bodies; an auditor-category course (id 0: none). */
void recs_feedback_dimension(recs_t *r, const char *dimension, double mean, double national, int reviews,
                             int64_t course_id, const char *course_title);
/* An open complaint (status received or under_review) about the body. */
void recs_complaint_open(recs_t *r, int64_t complaint_id, const char *status);
/* `count` nonconformities its audits raised are past their due date and not verified. */
void recs_verification_overdue(recs_t *r, int count);
/* `count` engagements decided in the last year outside the committed lead time. */
void recs_engagements_late(recs_t *r, int count);

/* Orders, removes repeated targets, keeps RECS_MAX; returns the number of items. */
int recs_finish(recs_t *r);

#endif
