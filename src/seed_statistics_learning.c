/* Demo data of the learning dashboard (statistics slice "learning", docs/statistics.md
 * "Learning"): 40 × scale learners (logins learner-0001 …, the demo password) of seeded
 * enterprises, half of them in Guangdong, who over the last twelve months open and complete the
 * published courses' lessons and submit their quizzes, through the same store calls as the API
 * (learning_event_record, learning_clause_answers_record, learning_completion_issue), so that
 * every aggregate exists as for real learners; and searches that found nothing in the
 * anonymous search log. Deterministic (the seed's one random sequence); after seed_quiz (the
 * question banks). */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "domain/account.h"
#include "seed_internal.h"
#include "store/audit.h"
#include "store/learning_progress.h"
#include "store/users.h"

enum { LEARNERS_PER_SCALE = 40, MAX_COURSES = 32, MAX_LESSONS = 12, MAX_QUESTIONS = 16, MAX_FIRMS = 300,
       DAY = 86400 };

typedef struct seed_course {
    int64_t id, pass_mark;
    int64_t lessons[MAX_LESSONS];
    int nlessons;
    int64_t questions[MAX_QUESTIONS];
    char correct[MAX_QUESTIONS][24], clauses[MAX_QUESTIONS][48];
    int nquestions;
} seed_course_t;

/* Searches the platform has nothing for yet: what learners ask that the content should answer. */
static const char *const unmet_queries[] = {
    "数据知识产权登记", "海外维权援助", "商业秘密保护指引", "专利开放许可", "知识产权质押融资",
    "标准必要专利", "地理标志保护", "集成电路布图设计", "植物新品种", "知识产权海关备案",
};

static bool load_courses(db_t *db, seed_course_t *courses, int *n)
{
    *n = 0;
    stmt_t *st = db_query(db, "SELECT id, pass_mark FROM courses WHERE status = 'published' ORDER BY position, id", "");
    int rc = STORE_ERROR;
    while (st != NULL && *n < MAX_COURSES && (rc = stmt_step(st)) == STORE_ROW)
        courses[(*n)++] = (seed_course_t){.id = stmt_int(st, 0), .pass_mark = stmt_int(st, 1)};
    stmt_done(st);
    if (st == NULL)
        return false;
    for (int i = 0; i < *n; i++) {
        seed_course_t *c = &courses[i];
        st = db_query(db, "SELECT id FROM lessons WHERE course_id = $1 AND published_revision > 0 ORDER BY position, id",
                      "I", c->id);
        while (st != NULL && c->nlessons < MAX_LESSONS && stmt_step(st) == STORE_ROW)
            c->lessons[c->nlessons++] = stmt_int(st, 0);
        stmt_done(st);
        st = db_query(db, "SELECT id, correct, clauses FROM quiz_questions WHERE course_id = $1 AND deleted_at IS NULL "
                          "ORDER BY id", "I", c->id);
        while (st != NULL && c->nquestions < MAX_QUESTIONS && stmt_step(st) == STORE_ROW) {
            c->questions[c->nquestions] = stmt_int(st, 0);
            snprintf(c->correct[c->nquestions], sizeof c->correct[0], "%s", stmt_text(st, 1));
            snprintf(c->clauses[c->nquestions], sizeof c->clauses[0], "%s", stmt_text(st, 2));
            c->nquestions++;
        }
        stmt_done(st);
    }
    return true;
}

/* Enterprises without accounts yet (not the demo enterprise: its staff stay as the other seeds
 * made them), in Guangdong or elsewhere, in id order. */
#define NO_STAFF "NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = e.id)"
static int load_firms(db_t *db, int64_t *ids, bool in_guangdong)
{
    int n = 0;
    stmt_t *st = db_query(db,
                          in_guangdong ? "SELECT id FROM enterprises e WHERE region LIKE '44%' AND " NO_STAFF
                                         " ORDER BY id LIMIT 300"
                                       : "SELECT id FROM enterprises e WHERE region NOT LIKE '44%' AND " NO_STAFF
                                         " ORDER BY id LIMIT 300",
                          "");
    while (st != NULL && n < MAX_FIRMS && stmt_step(st) == STORE_ROW)
        ids[n++] = stmt_int(st, 0);
    stmt_done(st);
    return n;
}

/* One submitted attempt of u at course c at time at, about 70 % of answers right. */
static bool seed_attempt(db_t *db, const user_t *u, const seed_course_t *c, int number, int64_t at)
{
    if (c->nquestions == 0)
        return true;
    char ids[MAX_QUESTIONS * 24] = "", answers[MAX_QUESTIONS * 40] = "{";
    bool right[MAX_QUESTIONS];
    int nright = 0;
    for (int q = 0; q < c->nquestions; q++) {
        right[q] = seed_pick(10) < 7;
        nright += right[q];
        const char *wrong = c->correct[q][0] == '0' ? "1" : "0";
        size_t len = strlen(ids), alen = strlen(answers);
        snprintf(ids + len, sizeof ids - len, "%s%lld", q ? "," : "", (long long)c->questions[q]);
        snprintf(answers + alen, sizeof answers - alen, "%s\"%lld\":[%s]", q ? "," : "", (long long)c->questions[q],
                 right[q] ? c->correct[q] : wrong);
    }
    size_t alen = strlen(answers);
    snprintf(answers + alen, sizeof answers - alen, "}");
    int64_t score = (nright * 100 + c->nquestions / 2) / c->nquestions;
    bool passed = score >= c->pass_mark;
    stmt_t *st = db_query(db,
                             "INSERT INTO quiz_attempts (course_id, user_id, status, question_ids, answers, correct_count, "
                             "score, passed, number, started_at, submitted_at) VALUES ($1, $2, 'submitted', $3, $4, $5, "
                             "$6, $7, $8, $9, $10) RETURNING id",
                             "IIttIIbIII", c->id, u->id, ids, answers, (int64_t)nright, score, passed, (int64_t)number,
                             at - 600, at);
    int64_t attempt = st != NULL ? stmt_insert_id(st) : -1;
    if (attempt <= 0 || learning_event_record(db, u, c->id, 0, attempt, "submitted", score, at) < 0 ||
        (passed && learning_event_record(db, u, c->id, 0, attempt, "passed", score, at) < 0))
        return false;
    for (int q = 0; q < c->nquestions; q++)
        if (!learning_clause_answers_record(db, u, c->id, attempt, c->clauses[q], right[q], at))
            return false;
    return !passed || learning_completion_issue(db, u, &AUDIT_ACTOR_SEED, c->id, at) >= 0;
}

/* One learner's year (every time before now): a first day in the last twelve months, then up to three courses. */
static bool seed_learner(db_t *db, const user_t *u, const seed_course_t *courses, int ncourses, int64_t now)
{
    int64_t at = now - (int64_t)(seed_pick(360) + 2) * DAY + seed_pick(DAY);
    int take = 1 + seed_pick(3), first = seed_pick(ncourses);
    for (int k = 0; k < take && k < ncourses && at < now; k++) {
        const seed_course_t *c = &courses[(first + k) % ncourses];   /* distinct courses */
        int reach = c->nlessons > 0 ? 1 + seed_pick(c->nlessons) : 0;   /* lessons opened */
        for (int l = 0; l < reach && at < now; l++) {
            if (learning_event_record(db, u, c->id, c->lessons[l], 0, "opened", 0, at) < 0)
                return false;
            int64_t next = at + 600 + seed_pick(3600);
            at = next < now ? next : now;
            if (seed_pick(10) < 7 && learning_event_record(db, u, c->id, c->lessons[l], 0, "completed", 0, at) < 0)
                return false;
            at += seed_pick(3) * DAY + seed_pick(DAY / 2);
        }
        for (int n = 1; n <= 2 && at < now && seed_pick(10) < 6; n++) {
            if (!seed_attempt(db, u, c, n, at))
                return false;
            at += DAY + seed_pick(5 * DAY);
        }
        at += seed_pick(30) * DAY;
    }
    return true;
}

bool seed_statistics_learning(db_t *db, int scale, FILE *log)
{
    static seed_course_t courses[MAX_COURSES];
    static int64_t gd[MAX_FIRMS], elsewhere[MAX_FIRMS];
    int ncourses;
    if (!load_courses(db, courses, &ncourses))
        return false;
    int ngd = load_firms(db, gd, true), nelse = load_firms(db, elsewhere, false);
    int64_t now = now_seconds();
    char hash[PASSWORD_HASH_MAX];
    if (ncourses == 0 || ngd + nelse == 0 || !password_hash("guanbiao-demo", hash))
        return ncourses == 0 || ngd + nelse == 0;
    int learners = LEARNERS_PER_SCALE * scale;
    for (int i = 0; i < learners; i++) {
        bool home = (i % 2 == 0 && ngd > 0) || nelse == 0;
        int64_t firm = home ? gd[seed_pick(ngd)] : elsewhere[seed_pick(nelse)];
        char login[32], name[32];
        snprintf(login, sizeof login, "learner-%04d", i + 1);
        snprintf(name, sizeof name, "学员%04d", i + 1);
        new_user_t nu = {.login = login, .name = name, .password_hash = hash, .region = "", .role = ROLE_ENTERPRISE,
                         .enterprise_id = firm};
        if (db_begin(db) != STORE_DONE)
            return false;
        int64_t id = user_insert(db, &nu, &AUDIT_ACTOR_SEED);
        user_t u = {.id = id, .role = ROLE_ENTERPRISE, .login = login, .name = name, .enterprise_id = firm,
                    .region = ""};
        bool ok = id > 0 && seed_learner(db, &u, courses, ncourses, now);
        if (db_finish(db, ok ? 1 : -1) < 0)
            return false;
        seed_progress(log, "learners", i + 1, learners);
    }
    /* the unmet needs: each query on a few days of the year, the most wanted first */
    int nq = (int)(sizeof unmet_queries / sizeof unmet_queries[0]);
    for (int q = 0; q < nq; q++)
        for (int d = 0; d < (nq - q) * scale; d++) {
            int64_t day = (now / DAY - seed_pick(360)) * DAY;
            if (db_run(db,
                       "INSERT INTO search_log (day, query, searches, results) VALUES ($1, $2, $3, 0) ON CONFLICT "
                       "(day, query) DO UPDATE SET searches = search_log.searches + excluded.searches",
                       "ItI", day, unmet_queries[q], (int64_t)(1 + seed_pick(4))) < 0)
                return false;
        }
    return true;
}
