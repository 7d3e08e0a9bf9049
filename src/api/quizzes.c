/* Question banks and quizzes (issue 11, docs/learning.md "Quizzes, certificates and progress"):
 * regulators and admins keep a course's bank (single, multiple, true/false questions with their
 * correct options, an explanation and clause tags; every change audited); a signed-in learner
 * starts an attempt (quiz_size questions drawn at random by the database), sees the questions
 * WITHOUT their answers, and submits once; the server alone scores it. The correct options and
 * explanations are written only for a submitted attempt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "store/learning_progress.h"

enum { QUESTION_TEXT_MAX = 1000, OPTION_MAX = 300, OPTIONS_MAX = 8, EXPLANATION_MAX = 2000, CLAUSES_MAX = 20 };

#define QUESTION_COLUMNS "q.id, q.course_id, q.kind, q.text, q.options, q.correct, q.explanation, q.clauses"

/* Writes "0,2" as [0,2]. */
static void indexes_write(jw_t *w, const char *list)
{
    jw_array(w);
    for (const char *p = list; *p;) {
        jw_int(w, strtoll(p, NULL, 10));
        p += strcspn(p, ",");
        p += *p == ',';
    }
    jw_end(w);
}

/* A bank question; with_answers false leaves out correct and explanation; chosen (NULL: left
 * out) the learner's choices in a submitted attempt, with whether they were right. */
static void question_write(jw_t *w, stmt_t *st, bool with_answers, const char *chosen)
{
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kint(w, "course_id", stmt_int(st, 1));
    jw_kstr(w, "kind", stmt_text(st, 2));
    jw_kstr(w, "text", stmt_text(st, 3));
    jw_key(w, "options");
    jw_raw(w, stmt_text(st, 4));
    if (with_answers) {
        jw_key(w, "correct");
        indexes_write(w, stmt_text(st, 5));
        jw_kstr(w, "explanation", stmt_text(st, 6));
        jw_key(w, "clauses");
        jw_array(w);
        for (const char *p = stmt_text(st, 7); *p;) {
            size_t n = strcspn(p, ",");
            jw_strn(w, p, n);
            p += n;
            p += *p == ',';
        }
        jw_end(w);
    }
    if (chosen != NULL) {
        jw_key(w, "chosen");
        indexes_write(w, chosen);
        jw_kbool(w, "is_correct", strcmp(chosen, stmt_text(st, 5)) == 0);
    }
    jw_end(w);
}

/* The course {id} of the path: its quiz settings; 404 course_not_found (or the database error). */
typedef struct course_quiz {
    int64_t id, quiz_size, pass_mark, max_attempts;
    const char *status, *title;
} course_quiz_t;

static bool course_load(call_t *c, int64_t id, course_quiz_t *k)
{
    stmt_t *st = db_query(c->db, "SELECT id, quiz_size, pass_mark, max_attempts, status, title FROM courses WHERE id = $1",
                          "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        *k = (course_quiz_t){stmt_int(st, 0), stmt_int(st, 1), stmt_int(st, 2), stmt_int(st, 3),
                             arena_strdup(&c->arena, stmt_text(st, 4)), arena_strdup(&c->arena, stmt_text(st, 5))};
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "course lookup");
    else if (rc == STORE_DONE)
        call_error(c, "course_not_found", NULL);
    return rc == STORE_ROW;
}

/* ---- the bank ---- */

static const char *const question_fields[] = {"kind", "text", "options", "correct", "explanation", "clauses", NULL};

typedef struct question_input {
    const char *kind, *text, *options_json, *correct, *explanation, *clauses;
} question_input_t;

/* Validates the question form (every failure recorded); false when any failed. */
static bool question_read(call_t *c, question_input_t *q)
{
    *q = (question_input_t){.explanation = "", .clauses = ""};
    body_only(c, question_fields);
    body_string(c, "kind", FIELD_REQUIRED, 1, 20, &q->kind);
    body_string(c, "text", FIELD_REQUIRED, 2, QUESTION_TEXT_MAX, &q->text);
    body_string(c, "explanation", 0, 0, EXPLANATION_MAX, &q->explanation);
    const char **options = NULL, **clauses = NULL;
    int noptions = 0, nclauses = 0;
    body_string_list(c, "options", 0, OPTIONS_MAX, NULL, &options, &noptions);
    if (body_string_list(c, "clauses", 0, CLAUSES_MAX, NULL, &clauses, &nclauses) && clauses != NULL)
        q->clauses = arena_join(&c->arena, clauses, nclauses, ",");
    if (q->kind != NULL && strcmp(q->kind, "single") != 0 && strcmp(q->kind, "multiple") != 0 &&
        strcmp(q->kind, "truefalse") != 0)
        call_invalid(c, "kind", "应为 single、multiple 或 truefalse", "single, multiple or truefalse");
    if (q->kind != NULL && strcmp(q->kind, "truefalse") == 0) {
        static const char *tf[] = {"正确", "错误", NULL};
        options = tf;
        noptions = 2;
    } else if (options == NULL && !body_has(c, "options")) {
        call_error(c, "missing_field", "options", "options");
    } else if (options != NULL && noptions < 2) {
        call_invalid(c, "options", "至少两个选项", "at least two options");
    }
    for (int i = 0; options != NULL && i < noptions; i++)
        if (options[i][0] == '\0' || strlen(options[i]) > OPTION_MAX * 4)
            call_invalid(c, "options", "选项不能为空或过长", "an option is blank or too long");
    /* correct: option indexes, ascending, no repeats */
    json_t *correct = json_object_get(c->body, "correct");
    bool seen[OPTIONS_MAX] = {false};
    int ncorrect = 0;
    char buf[64] = "";
    if (correct == NULL) {
        call_error(c, "missing_field", "correct", "correct");
    } else if (!json_is_array(correct)) {
        call_invalid(c, "correct", "应为选项序号的数组", "an array of option indexes");
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(correct, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) >= noptions ||
                json_integer_value(v) >= OPTIONS_MAX || seen[json_integer_value(v)]) {
                call_invalid(c, "correct", "正确答案应为不重复的选项序号", "distinct indexes of the options");
                return false;
            }
            seen[json_integer_value(v)] = true;
            ncorrect++;
        }
        for (int k = 0; k < OPTIONS_MAX; k++)
            if (seen[k])
                snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", buf[0] ? "," : "", k);
        if (ncorrect == 0 || (q->kind != NULL && strcmp(q->kind, "multiple") != 0 && ncorrect != 1))
            call_invalid(c, "correct", "单选题和判断题有且只有一个正确答案，多选题至少一个",
                         "single and true/false questions have exactly one correct option, multiple at least one");
    }
    if (call_answered(c))
        return false;
    json_t *arr = json_array();
    for (int i = 0; i < noptions; i++)
        json_array_append_new(arr, json_string(options[i]));
    char *dumped = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
    q->options_json = arena_strdup(&c->arena, dumped);
    free(dumped);
    json_decref(arr);
    q->correct = arena_strdup(&c->arena, buf);
    return true;
}

static void answer_question(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " QUESTION_COLUMNS " FROM quiz_questions q WHERE q.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "question re-read");
        return;
    }
    question_write(call_json_begin(c, status), st, true, NULL);
    stmt_done(st);
}

void api_questions_list(call_t *c)
{
    course_quiz_t k;
    if (!course_load(c, call_param_id(c, "id"), &k))
        return;
    stmt_t *st = db_query(c->db, "SELECT " QUESTION_COLUMNS " FROM quiz_questions q WHERE q.course_id = $1 AND "
                                 "q.deleted_at IS NULL ORDER BY q.id", "I", k.id);
    if (st == NULL) {
        call_db_error(c, "question list");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    while (stmt_step(st) == STORE_ROW)
        question_write(w, st, true, NULL);
    stmt_done(st);
    jw_end(w);
    jw_end(w);
}

void api_questions_create(call_t *c)
{
    course_quiz_t k;
    question_input_t q;
    if (!course_load(c, call_param_id(c, "id"), &k) || !question_read(c, &q))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int64_t id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO quiz_questions (course_id, kind, text, options, correct, explanation, clauses, "
                              "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, 0), $9, "
                              "$9) RETURNING id",
                              "IttttttII", k.id, q.kind, q.text, q.options_json, q.correct, q.explanation, q.clauses,
                              c->user.id, now);
        id = st ? stmt_insert_id(st) : -1;
        const char *after = arena_printf(&c->arena, "{\"course_id\":%lld,\"kind\":\"%s\"}", (long long)k.id, q.kind);
        if (id <= 0 || !audit_record_id(c->db, &actor, "quiz_question.create", "quiz_question", id, "", "", after))
            id = -1;
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "question create"))
        return;
    answer_question(c, 201, id);
}

void api_questions_update(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    question_input_t q;
    if (id == 0 || !question_read(c, &q))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        int64_t n = db_run(c->db,
                           "UPDATE quiz_questions SET kind = $2, text = $3, options = $4, correct = $5, explanation = $6, "
                           "clauses = $7, updated_at = $8 WHERE id = $1 AND deleted_at IS NULL",
                           "IttttttI", id, q.kind, q.text, q.options_json, q.correct, q.explanation, q.clauses,
                           now_seconds());
        rc = n < 0 ? -1 : (int)n;
        if (rc == 1 && !audit_record_id(c->db, &actor, "quiz_question.update", "quiz_question", id, "", "",
                                        arena_printf(&c->arena, "{\"kind\":\"%s\"}", q.kind)))
            rc = -1;
    }
    rc = db_finish(c->db, rc);
    if (rc == 0)
        call_error(c, "question_not_found", NULL);
    else if (rc < 0)
        call_db_error(c, "question update");
    else
        answer_question(c, 200, id);
}

void api_questions_delete(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        int64_t n = db_run(c->db, "UPDATE quiz_questions SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL", "II",
                           id, now_seconds());
        rc = n < 0 ? -1 : (int)n;
        if (rc == 1 && !audit_record_id(c->db, &actor, "quiz_question.delete", "quiz_question", id, "", "", ""))
            rc = -1;
    }
    rc = db_finish(c->db, rc);
    if (rc == 0)
        call_error(c, "question_not_found", NULL);
    else if (rc < 0)
        call_db_error(c, "question delete");
    else
        call_no_content(c);
}

/* ---- attempts ---- */

typedef struct attempt {
    int64_t id, course_id, user_id, correct_count, score, number, started_at, submitted_at;
    bool submitted, passed;
    const char *question_ids, *answers;
} attempt_t;

/* Loads attempt id of the caller (another's is as absent as none: 404 quiz_attempt_not_found). */
static bool attempt_load(call_t *c, int64_t id, attempt_t *a)
{
    stmt_t *st = db_query(c->db,
                          "SELECT id, course_id, user_id, status, question_ids, answers, correct_count, score, passed, "
                          "COALESCE(number, 0), started_at, COALESCE(submitted_at, 0) FROM quiz_attempts WHERE id = $1 "
                          "AND user_id = $2", "II", id, c->user.id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        *a = (attempt_t){.id = stmt_int(st, 0), .course_id = stmt_int(st, 1), .user_id = stmt_int(st, 2),
                         .submitted = strcmp(stmt_text(st, 3), "submitted") == 0,
                         .question_ids = arena_strdup(&c->arena, stmt_text(st, 4)),
                         .answers = arena_strdup(&c->arena, stmt_text(st, 5)), .correct_count = stmt_int(st, 6),
                         .score = stmt_int(st, 7), .passed = stmt_int(st, 8) != 0, .number = stmt_int(st, 9),
                         .started_at = stmt_int(st, 10), .submitted_at = stmt_int(st, 11)};
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "attempt lookup");
    else if (rc == STORE_DONE)
        call_error(c, "quiz_attempt_not_found", NULL);
    return rc == STORE_ROW;
}

/* The choices given to question qid in answers (a JSON object of id → indexes), as "0,2"; "" none. */
static const char *choices_of(call_t *c, json_t *answers, int64_t qid)
{
    char key[24], buf[64] = "";
    snprintf(key, sizeof key, "%lld", (long long)qid);
    json_t *v = answers ? json_object_get(answers, key) : NULL;
    bool seen[OPTIONS_MAX] = {false};
    size_t i;
    json_t *x;
    if (json_is_array(v))
        json_array_foreach(v, i, x)
            if (json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) < OPTIONS_MAX)
                seen[json_integer_value(x)] = true;
    for (int k = 0; k < OPTIONS_MAX; k++)
        if (seen[k])
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", buf[0] ? "," : "", k);
    return arena_strdup(&c->arena, buf);
}

static int64_t attempts_used(call_t *c, int64_t course_id)
{
    stmt_t *st = db_query(c->db, "SELECT COUNT(*) FROM quiz_attempts WHERE user_id = $1 AND course_id = $2 AND "
                                 "status = 'submitted'", "II", c->user.id, course_id);
    int64_t n = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    return n;
}

/* Answers the attempt: its questions in the order drawn; answers, correct options and
 * explanations only once submitted. */
static void answer_attempt(call_t *c, int status, int64_t id)
{
    attempt_t a;
    course_quiz_t k;
    if (!attempt_load(c, id, &a) || !course_load(c, a.course_id, &k))
        return;
    json_t *answers = a.submitted ? json_loads(a.answers, 0, NULL) : NULL;
    const char *certificate = NULL;
    if (a.submitted) {
        stmt_t *st = db_query(c->db, "SELECT number FROM completion_certificates WHERE user_id = $1 AND course_id = $2",
                              "II", a.user_id, a.course_id);
        if (st && stmt_step(st) == STORE_ROW)
            certificate = arena_strdup(&c->arena, stmt_text(st, 0));
        stmt_done(st);
    }
    int64_t used = attempts_used(c, a.course_id);
    jw_t *w = call_json_begin(c, status);
    char at[21];
    jw_object(w);
    jw_kint(w, "id", a.id);
    jw_kint(w, "course_id", a.course_id);
    jw_kstr(w, "course_title", k.title);
    jw_kstr(w, "status", a.submitted ? "submitted" : "started");
    time_iso(a.started_at, at);
    jw_kstr(w, "started_at", at);
    jw_kint(w, "pass_mark", k.pass_mark);
    jw_kint(w, "max_attempts", k.max_attempts);
    jw_kint(w, "attempts_used", used);
    if (a.submitted) {
        time_iso(a.submitted_at, at);
        jw_kstr(w, "submitted_at", at);
        jw_kint(w, "number", a.number);
        jw_kint(w, "correct_count", a.correct_count);
        jw_kint(w, "score", a.score);
        jw_kbool(w, "passed", a.passed);
        jw_kstr(w, "certificate_number", certificate);
    }
    jw_key(w, "questions");
    jw_array(w);
    for (const char *p = a.question_ids; *p;) {
        int64_t qid = strtoll(p, NULL, 10);
        p += strcspn(p, ",");
        p += *p == ',';
        stmt_t *st = db_query(c->db, "SELECT " QUESTION_COLUMNS " FROM quiz_questions q WHERE q.id = $1", "I", qid);
        if (st && stmt_step(st) == STORE_ROW) {
            question_write(w, st, a.submitted, a.submitted ? choices_of(c, answers, qid) : NULL);
        }
        stmt_done(st);
    }
    jw_end(w);
    jw_end(w);
    json_decref(answers);
}

/* POST /api/courses/{id}/quiz-attempts: the caller's open attempt at a published course, or a
 * new one of quiz_size questions drawn at random; 409 when the attempts are used up. */
void api_quiz_attempts_start(call_t *c)
{
    course_quiz_t k;
    if (!course_load(c, call_param_id(c, "id"), &k))
        return;
    if (strcmp(k.status, "published") != 0) {
        call_error(c, "course_not_found", NULL);
        return;
    }
    if (k.max_attempts > 0 && attempts_used(c, k.id) >= k.max_attempts) {
        call_error(c, "quiz_attempts_exhausted", NULL, arena_printf(&c->arena, "%lld", (long long)k.max_attempts));
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT id FROM quiz_attempts WHERE user_id = $1 AND course_id = $2 AND status = "
                                 "'started' ORDER BY id LIMIT 1", "II", c->user.id, k.id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t open = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "attempt lookup");
        return;
    }
    if (open > 0) {
        answer_attempt(c, 200, open);
        return;
    }
    /* the draw: the database's random order over the bank */
    buf_t ids;
    buf_init(&ids, 1u << 16);
    st = db_query(c->db, "SELECT id FROM quiz_questions WHERE course_id = $1 AND deleted_at IS NULL ORDER BY RANDOM() "
                         "LIMIT $2", "II", k.id, k.quiz_size);
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
        buf_printf(&ids, "%s%lld", ids.len ? "," : "", (long long)stmt_int(st, 0));
    stmt_done(st);
    if (st == NULL || rc == STORE_ERROR) {
        buf_free(&ids);
        call_db_error(c, "question draw");
        return;
    }
    if (ids.len == 0) {
        buf_free(&ids);
        call_error(c, "quiz_empty", NULL);
        return;
    }
    buf_append(&ids, "", 1);
    st = db_query(c->db, "INSERT INTO quiz_attempts (course_id, user_id, question_ids, started_at) VALUES ($1, $2, $3, "
                         "$4) RETURNING id", "IItI", k.id, c->user.id, ids.data, now_seconds());
    int64_t id = st ? stmt_insert_id(st) : -1;
    buf_free(&ids);
    if (id <= 0) {
        call_db_error(c, "attempt start");
        return;
    }
    answer_attempt(c, 200, id);
}

void api_quiz_attempts_show(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id != 0)
        answer_attempt(c, 200, id);
}

static const char *const submit_fields[] = {"answers", NULL};

/* POST /api/quiz-attempts/{id}/submit {answers: {question id: [option indexes]}}: scored here;
 * once only (409 quiz_attempt_submitted), and at most max_attempts submitted attempts per user
 * and course, both guarded inside the write (the status in the WHERE; the attempt's number
 * UNIQUE per user and course). */
void api_quiz_attempts_submit(call_t *c)
{
    attempt_t a;
    course_quiz_t k;
    int64_t id = call_param_id(c, "id");
    if (id == 0 || !body_only(c, submit_fields))
        return;
    json_t *answers = json_object_get(c->body, "answers");
    if (answers == NULL) {
        call_error(c, "missing_field", "answers", "answers");
        return;
    }
    bool shaped = json_is_object(answers);
    const char *key;
    json_t *v;
    json_object_foreach(shaped ? answers : NULL, key, v) {
        size_t i;
        json_t *x;
        shaped = shaped && json_is_array(v) && json_array_size(v) <= OPTIONS_MAX;
        json_array_foreach(shaped ? v : NULL, i, x)
            shaped = shaped && json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) < OPTIONS_MAX;
    }
    if (!shaped) {
        call_invalid(c, "answers", "应为题目编号到选项序号数组的对象", "an object of question id to option indexes");
        return;
    }
    if (!attempt_load(c, id, &a) || !course_load(c, a.course_id, &k))
        return;
    if (a.submitted) {
        call_error(c, "quiz_attempt_submitted", NULL);
        return;
    }
    /* the score: the drawn questions whose chosen options are exactly the correct ones */
    int64_t total = 0, right = 0;
    /* learning statistics: each answered question's clauses and whether it was right */
    size_t ndrawn = 1;
    for (const char *p = a.question_ids; *p; p++)
        ndrawn += *p == ',';
    const char **answered_clauses = arena_alloc(&c->arena, sizeof *answered_clauses * ndrawn);
    bool *answered_right = arena_alloc(&c->arena, sizeof *answered_right * ndrawn);
    size_t nanswered = 0;
    for (const char *p = a.question_ids; *p;) {
        int64_t qid = strtoll(p, NULL, 10);
        p += strcspn(p, ",");
        p += *p == ',';
        stmt_t *st = db_query(c->db, "SELECT correct, clauses FROM quiz_questions WHERE id = $1", "I", qid);
        if (st && stmt_step(st) == STORE_ROW) {
            const char *chosen = choices_of(c, answers, qid);
            bool is_right = strcmp(chosen, stmt_text(st, 0)) == 0;
            total++;
            right += is_right;
            if (*chosen != '\0' && *stmt_text(st, 1) != '\0' && nanswered < ndrawn) {
                answered_clauses[nanswered] = arena_strdup(&c->arena, stmt_text(st, 1));
                answered_right[nanswered++] = is_right;
            }
        }
        stmt_done(st);
    }
    int64_t score = total > 0 ? (right * 100 + total / 2) / total : 0;
    bool passed = score >= k.pass_mark;
    char *kept = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t now = now_seconds();
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        int64_t n = db_run(c->db,
                           "UPDATE quiz_attempts SET status = 'submitted', answers = $3, correct_count = $4, score = $5, "
                           "passed = $6, submitted_at = $7, number = (SELECT COUNT(*) + 1 FROM quiz_attempts s WHERE "
                           "s.user_id = $2 AND s.course_id = $8 AND s.status = 'submitted') WHERE id = $1 AND user_id = $2 "
                           "AND status = 'started' AND ($9 = 0 OR (SELECT COUNT(*) FROM quiz_attempts s WHERE s.user_id "
                           "= $2 AND s.course_id = $8 AND s.status = 'submitted') < $9)",
                           "IItIIbIII", a.id, c->user.id, kept ? kept : "{}", right, score, passed, now, a.course_id,
                           k.max_attempts);
        rc = n < 0 ? -1 : (int)n;
        if (rc < 0 && db_error_kind(c->db) == DB_ERR_UNIQUE)
            rc = 0;     /* a racing submission took the same number */
        if (rc == 1 && learning_event_record(c->db, &c->user, a.course_id, 0, a.id, "submitted", score, now) < 0)
            rc = -1;
        if (rc == 1 && passed && learning_event_record(c->db, &c->user, a.course_id, 0, a.id, "passed", score, now) < 0)
            rc = -1;
        for (size_t i = 0; rc == 1 && i < nanswered; i++)
            if (!learning_clause_answers_record(c->db, &c->user, a.course_id, a.id, answered_clauses[i],
                                                answered_right[i], now))
                rc = -1;
        if (rc == 1 && passed && learning_completion_issue(c->db, &c->user, &actor, a.course_id, now) < 0)
            rc = -1;
    }
    free(kept);
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        /* submitted meanwhile, or the attempts used up by others */
        attempt_t now_a;
        if (attempt_load(c, id, &now_a) && now_a.submitted)
            call_error(c, "quiz_attempt_submitted", NULL);
        else if (!call_answered(c))
            call_error(c, "quiz_attempts_exhausted", NULL, arena_printf(&c->arena, "%lld", (long long)k.max_attempts));
        return;
    }
    if (rc < 0) {
        call_db_error(c, "attempt submit");
        return;
    }
    answer_attempt(c, 200, id);
}
