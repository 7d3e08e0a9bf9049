-- Learning statistics (docs/statistics.md "Learning"; src/api/statistics_learning.c). Times are
-- Unix seconds.

-- The dashboard reads the learning events of a period (distinct learners cannot be summed from
-- daily counts, and learning_daily has no industry): by time.
CREATE INDEX learning_events_at ON learning_events (at);

-- Per submitted quiz attempt and clause (the clauses its questions are tagged with): how many of
-- the attempt's answered questions test the clause, and how many of them were right. Written by
-- the submission in its transaction (store/learning_progress.h learning_clause_answers_record),
-- never changed; region and enterprise_id are the learner's of learning_progress, edition the
-- course's ('2023' when it names none), at the submission's time.
CREATE TABLE quiz_clause_answers (
    attempt_id BIGINT NOT NULL REFERENCES quiz_attempts (id),
    edition TEXT NOT NULL CHECK (edition IN ('2013', '2023')),
    clause_number TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    enterprise_id BIGINT,
    region TEXT NOT NULL DEFAULT '',
    answered BIGINT NOT NULL,
    correct BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, edition, clause_number)
);
CREATE INDEX quiz_clause_answers_at ON quiz_clause_answers (at);
