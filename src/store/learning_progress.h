/* Learning progress (issue 11, docs/learning.md "Quizzes, certificates and progress"): every
 * learning event is appended to learning_events and the aggregates (learning_lesson_progress,
 * learning_progress, learning_daily) are updated in the same transaction, so that progress pages
 * and statistics never scan the events; a course completed (every published lesson completed and
 * the quiz passed) issues its certificate of completion once (UNIQUE user and course). */
#ifndef GUANBIAO_STORE_LEARNING_PROGRESS_H
#define GUANBIAO_STORE_LEARNING_PROGRESS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"
#include "store/audit.h"
#include "store/store.h"

/* Records event kind ("opened" | "completed" of lesson_id, "submitted" | "passed" of attempt_id
 * with its score) of user u in course_id, in the caller's transaction (or its own). Returns 1,
 * or -1 on a database error (the caller rolls back). */
int learning_event_record(db_t *db, const user_t *u, int64_t course_id, int64_t lesson_id, int64_t attempt_id,
                          const char *kind, int64_t score, int64_t now);

/* Issues the certificate of completion of course_id to u when the course is complete for u and
 * none was issued yet (audited as completion_certificate.issue). In the caller's transaction.
 * 1 issued, 0 nothing to do, -1 error. */
int learning_completion_issue(db_t *db, const user_t *u, const audit_actor_t *actor, int64_t course_id,
                              int64_t now);

/* Learning statistics (docs/statistics.md "Learning"): counts one answered question of the
 * submitted attempt_id of u in course_id for each of its clauses (comma-separated numbers, ""
 * none), right or not, into quiz_clause_answers (sql/025), with the learner's region and
 * enterprise of learning_progress (so call it after learning_event_record "submitted"). In the
 * caller's transaction. true, or false on a database error. */
bool learning_clause_answers_record(db_t *db, const user_t *u, int64_t course_id, int64_t attempt_id,
                                    const char *clauses, bool right, int64_t now);

#endif
