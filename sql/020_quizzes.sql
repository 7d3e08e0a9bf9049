-- Quizzes, learning progress and certificates of completion (issue 11, docs/learning.md
-- "Quizzes, certificates and progress"). Times are Unix seconds.

-- A course's question bank. kind: single (one correct option), multiple (one or more), truefalse
-- (options 正确/错误). options: a JSON array of texts; correct: the indexes of the correct
-- options, ascending, comma-separated ("0,2"); clauses: clause numbers it tests, comma-separated.
-- A deleted question (deleted_at) stays for the attempts that drew it.
CREATE TABLE quiz_questions (
    id @ID@,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse')),
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    correct TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    clauses TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX quiz_questions_course ON quiz_questions (course_id, id);

-- One attempt of a user at a course's quiz: the questions drawn (ids, comma-separated, in the
-- order shown) at the start; at submission the answers given (JSON), the score (percent) and
-- whether it passed. number is the attempt's rank among the user's SUBMITTED attempts at the
-- course, set by the submission: UNIQUE, so racing submissions cannot exceed max_attempts.
CREATE TABLE quiz_attempts (
    id @ID@,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'started' CHECK (status IN ('started', 'submitted')),
    question_ids TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '',
    correct_count BIGINT NOT NULL DEFAULT 0,
    score BIGINT NOT NULL DEFAULT 0,
    passed BIGINT NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),
    number BIGINT,
    started_at BIGINT NOT NULL,
    submitted_at BIGINT,
    UNIQUE (user_id, course_id, number)
);
CREATE INDEX quiz_attempts_user ON quiz_attempts (user_id, course_id);

-- Every learning event, append-only (never updated nor deleted): kind opened | completed (a
-- lesson), submitted | passed (a quiz attempt). The aggregates below are kept in the same
-- transaction, so pages and statistics never scan this table.
CREATE TABLE learning_events (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    lesson_id BIGINT REFERENCES lessons (id),
    attempt_id BIGINT REFERENCES quiz_attempts (id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'completed', 'submitted', 'passed')),
    at BIGINT NOT NULL
);

-- Per user and lesson: first opened, completed.
CREATE TABLE learning_lesson_progress (
    user_id BIGINT NOT NULL REFERENCES users (id),
    lesson_id BIGINT NOT NULL REFERENCES lessons (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    opened_at BIGINT NOT NULL,
    completed_at BIGINT,
    PRIMARY KEY (user_id, lesson_id)
);

-- Per user and course: lessons completed, where to resume, best score, passed, completed.
-- enterprise_id and region are the learner's at the first event (for the manager's page).
CREATE TABLE learning_progress (
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    enterprise_id BIGINT,
    region TEXT NOT NULL DEFAULT '',
    lessons_completed BIGINT NOT NULL DEFAULT 0,
    last_lesson_id BIGINT REFERENCES lessons (id),
    attempts BIGINT NOT NULL DEFAULT 0,
    best_score BIGINT,
    passed BIGINT NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),
    completed_at BIGINT,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, course_id)
);
CREATE INDEX learning_progress_enterprise ON learning_progress (enterprise_id, course_id);

-- Events per day (UTC, 'YYYY-MM-DD') × region (the learner's, '' none) × course category ×
-- kind: the statistics issue reads these counts.
CREATE TABLE learning_daily (
    day TEXT NOT NULL,
    region TEXT NOT NULL,
    category TEXT NOT NULL,
    kind TEXT NOT NULL,
    events BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region, category, kind)
);

-- A certificate of completion, issued once per user and course.
CREATE TABLE completion_certificates (
    id @ID@,
    number TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    holder_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    score BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (user_id, course_id)
);
