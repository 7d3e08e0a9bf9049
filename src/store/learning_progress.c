/* Learning events and their aggregates, certificates of completion (store/learning_progress.h). */
#include "store/learning_progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/dates.h"

int learning_event_record(db_t *db, const user_t *u, int64_t course_id, int64_t lesson_id, int64_t attempt_id,
                          const char *kind, int64_t score, int64_t now)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    bool ok = db_run(db,
                     "INSERT INTO learning_events (user_id, course_id, lesson_id, attempt_id, kind, at) "
                     "VALUES ($1, $2, NULLIF($3, 0), NULLIF($4, 0), $5, $6)",
                     "IIIItI", u->id, course_id, lesson_id, attempt_id, kind, now) == 1;
    /* the course row of the learner: created by the first event */
    ok = ok && db_run(db,
                      "INSERT INTO learning_progress (user_id, course_id, enterprise_id, region, started_at, updated_at) "
                      "VALUES ($1, $2, NULLIF($3, 0), COALESCE((SELECT region FROM enterprises WHERE id = $3), $4), "
                      "$5, $5) ON CONFLICT (user_id, course_id) DO NOTHING",
                      "IIItI", u->id, course_id, u->enterprise_id, u->region ? u->region : "", now) >= 0;
    if (ok && strcmp(kind, "opened") == 0) {
        ok = db_run(db,
                    "INSERT INTO learning_lesson_progress (user_id, lesson_id, course_id, opened_at) VALUES ($1, $2, "
                    "$3, $4) ON CONFLICT (user_id, lesson_id) DO NOTHING",
                    "IIII", u->id, lesson_id, course_id, now) >= 0 &&
             db_run(db, "UPDATE learning_progress SET last_lesson_id = $3, updated_at = $4 WHERE user_id = $1 AND "
                        "course_id = $2", "IIII", u->id, course_id, lesson_id, now) == 1;
    } else if (ok && strcmp(kind, "completed") == 0) {
        ok = db_run(db,
                    "INSERT INTO learning_lesson_progress (user_id, lesson_id, course_id, opened_at) VALUES ($1, $2, "
                    "$3, $4) ON CONFLICT (user_id, lesson_id) DO NOTHING",
                    "IIII", u->id, lesson_id, course_id, now) >= 0;
        int64_t first = ok ? db_run(db, "UPDATE learning_lesson_progress SET completed_at = $3 WHERE user_id = $1 "
                                        "AND lesson_id = $2 AND completed_at IS NULL", "III", u->id, lesson_id, now)
                           : -1;
        ok = first >= 0 &&
             db_run(db, "UPDATE learning_progress SET lessons_completed = lessons_completed + $3, last_lesson_id = $4, "
                        "updated_at = $5 WHERE user_id = $1 AND course_id = $2",
                    "IIIII", u->id, course_id, first, lesson_id, now) == 1;
    } else if (ok && strcmp(kind, "submitted") == 0) {
        ok = db_run(db, "UPDATE learning_progress SET attempts = attempts + 1, best_score = CASE WHEN best_score IS "
                        "NULL OR best_score < $3 THEN $3 ELSE best_score END, updated_at = $4 WHERE user_id = $1 AND "
                        "course_id = $2", "IIII", u->id, course_id, score, now) == 1;
    } else if (ok && strcmp(kind, "passed") == 0) {
        ok = db_run(db, "UPDATE learning_progress SET passed = 1, updated_at = $3 WHERE user_id = $1 AND course_id = $2",
                    "III", u->id, course_id, now) == 1;
    }
    char day[DATE_LEN + 1];
    date_from_unix(now, day);
    ok = ok && db_run(db,
                      "INSERT INTO learning_daily (day, region, category, kind, events) SELECT $1, p.region, "
                      "c.category, $4, 1 FROM learning_progress p JOIN courses c ON c.id = p.course_id WHERE "
                      "p.user_id = $2 AND p.course_id = $3 ON CONFLICT (day, region, category, kind) DO UPDATE SET "
                      "events = learning_daily.events + 1",
                      "tIIt", day, u->id, course_id, kind) == 1;
    return db_finish(db, ok ? 1 : -1);
}

int learning_completion_issue(db_t *db, const user_t *u, const audit_actor_t *actor, int64_t course_id, int64_t now)
{
    /* complete: the quiz passed and no published lesson left uncompleted */
    stmt_t *st = db_query(db,
                          "SELECT p.best_score, c.title FROM learning_progress p JOIN courses c ON c.id = p.course_id "
                          "WHERE p.user_id = $1 AND p.course_id = $2 AND p.passed = 1 AND p.completed_at IS NULL "
                          "AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.course_id = $2 AND l.published_revision > 0 "
                          "AND NOT EXISTS (SELECT 1 FROM learning_lesson_progress lp WHERE lp.user_id = $1 AND "
                          "lp.lesson_id = l.id AND lp.completed_at IS NOT NULL))",
                          "II", u->id, course_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    int64_t score = stmt_int(st, 0);
    char title[512];
    snprintf(title, sizeof title, "%s", stmt_text(st, 1));
    stmt_done(st);
    unsigned char r[5];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return -1;
    char day[DATE_LEN + 1], number[32];
    date_from_unix(now, day);
    snprintf(number, sizeof number, "XC%.4s%.2s%02X%02X%02X%02X%02X", day, day + 5, r[0], r[1], r[2], r[3], r[4]);
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t id = db_run(db,
                        "INSERT INTO completion_certificates (number, user_id, course_id, holder_name, course_title, "
                        "score, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, course_id) DO NOTHING",
                        "tIIttII", number, u->id, course_id, u->name ? u->name : "", title, score, now);
    bool ok = id >= 0;
    if (ok && id == 1) {
        char after[160];
        snprintf(after, sizeof after, "{\"course_id\":%lld,\"user_id\":%lld,\"number\":\"%s\"}", (long long)course_id,
                 (long long)u->id, number);
        ok = db_run(db, "UPDATE learning_progress SET completed_at = $3 WHERE user_id = $1 AND course_id = $2", "III",
                    u->id, course_id, now) == 1 &&
             audit_record(db, actor, "completion_certificate.issue", "completion_certificate", number, "", "", after);
    }
    rc = db_finish(db, ok ? 1 : -1);
    return rc < 0 ? -1 : (int)id;
}

/* ---- learning statistics: answers per clause (sql/025) ---- */

bool learning_clause_answers_record(db_t *db, const user_t *u, int64_t course_id, int64_t attempt_id,
                                    const char *clauses, bool right, int64_t now)
{
    bool ok = true;
    for (const char *p = clauses; ok && p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ",");
        char number[32];
        if (n > 0 && n < sizeof number) {
            memcpy(number, p, n);
            number[n] = '\0';
            ok = db_run(db,
                        "INSERT INTO quiz_clause_answers (attempt_id, edition, clause_number, user_id, course_id, "
                        "enterprise_id, region, answered, correct, at) SELECT $1, CASE c.edition WHEN '2013' THEN "
                        "'2013' ELSE '2023' END, $2, p.user_id, p.course_id, p.enterprise_id, p.region, 1, $3, $4 "
                        "FROM learning_progress p JOIN courses c ON c.id = p.course_id WHERE p.user_id = $5 AND "
                        "p.course_id = $6 ON CONFLICT (attempt_id, edition, clause_number) DO UPDATE SET answered = "
                        "quiz_clause_answers.answered + 1, correct = quiz_clause_answers.correct + excluded.correct",
                        "ItIIII", attempt_id, number, (int64_t)right, now, u->id, course_id) == 1;
        }
        p += n;
        p += *p == ',';
    }
    return ok;
}
