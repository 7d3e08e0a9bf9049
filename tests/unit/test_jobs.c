/* The job queue of store/jobs.h on SQLite: a job enqueued in a transaction that rolls back does
 * not exist, and one in a committed transaction does; claims take due jobs only, oldest first,
 * at most n, and count the attempt; a failure queues the job again at the backoff's time until
 * the last attempt leaves it dead with its error; outcomes are guarded by the claim; a dead job
 * retried runs again; expired leases are recovered; the kinds table is enforced; a due
 * schedule fires once and enqueues its job; the backoff doubles up to an hour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store/jobs.h"
#include "unit_db.h"

static int setup(void **state)
{
    static temp_db_t t;
    if (!temp_db_open(&t, "jobs"))
        return -1;
    job_kinds_register(NULL, 0);
    *state = &t;
    return 0;
}

static int teardown(void **state)
{
    temp_db_close(*state);
    job_kinds_register(NULL, 0);
    return 0;
}

static db_t *db_of(void **state) { return ((temp_db_t *)*state)->db; }

static void enqueue_follows_the_transaction(void **state)
{
    db_t *db = db_of(state);
    assert_int_equal(db_begin(db), STORE_DONE);
    int64_t gone = job_enqueue(db, "purge", NULL, 0);
    assert_true(gone > 0);
    db_rollback(db);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs"), 0);

    assert_int_equal(db_begin(db), STORE_DONE);
    int64_t kept = job_enqueue(db, "purge", "{\"a\":1}", 0);
    assert_true(kept > 0);
    assert_int_equal(db_commit(db), STORE_DONE);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND attempts = 0 AND "
                               "max_attempts = 5 AND payload = '{\"a\":1}'"), 1);
    /* without a transaction it commits by itself; NULL payload is {} */
    assert_true(job_enqueue(db, "purge", NULL, 0) > kept);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE payload = '{}'"), 1);
}

static void claim_takes_due_jobs_oldest_first(void **state)
{
    db_t *db = db_of(state);
    int64_t now = 1000000;
    int64_t a = job_enqueue(db, "k", NULL, now - 10);
    int64_t b = job_enqueue(db, "k", NULL, now - 20);
    int64_t later = job_enqueue(db, "k", NULL, now + 60);
    (void)later;
    int64_t c = job_enqueue(db, "k", NULL, now);
    arena_t ar = {0};
    claimed_job_t jobs[4];
    assert_int_equal(job_claim(db, &ar, "node-1", now, now + 600, jobs, 2), 2);
    assert_int_equal(jobs[0].id + jobs[1].id, a + b);     /* the two oldest due */
    assert_int_equal(jobs[0].attempts, 1);
    assert_string_equal(jobs[0].kind, "k");
    assert_string_equal(jobs[0].payload, "{}");
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND locked_by = 'node-1' "
                               "AND locked_until = 1000600 AND attempts = 1"), 2);
    assert_int_equal(job_claim(db, &ar, "node-2", now, now + 600, jobs, 4), 1);
    assert_int_equal(jobs[0].id, c);
    assert_int_equal(job_claim(db, &ar, "node-2", now, now + 600, jobs, 4), 0);   /* the later one is not due */
    arena_free(&ar);
}

static void failures_back_off_then_rest_dead(void **state)
{
    db_t *db = db_of(state);
    int64_t now = 2000000;
    int64_t id = job_enqueue(db, "k", NULL, now);
    assert_int_equal(db_run(db, "UPDATE jobs SET max_attempts = 3 WHERE id = $1", "I", id), 1);
    arena_t ar = {0};
    claimed_job_t j;
    for (int attempt = 1; attempt <= 3; attempt++) {
        assert_int_equal(job_claim(db, &ar, "n", now, now + 600, &j, 1), 1);
        assert_int_equal(j.attempts, attempt);
        assert_int_equal(j.max_attempts, 3);
        int64_t retry_at = now + job_backoff(10, j.attempts);
        assert_int_equal(job_failed(db, &j, "n", "payload: date must be a date YYYY-MM-DD", now, retry_at), 1);
        if (attempt < 3) {
            assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'"), 1);
            /* not due before its backoff */
            assert_int_equal(job_claim(db, &ar, "n", retry_at - 1, now + 600, &j, 1), 0);
            now = retry_at;
        }
    }
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'dead' AND attempts = 3 AND "
                               "last_error = 'payload: date must be a date YYYY-MM-DD' AND finished_at IS NOT NULL"), 1);
    assert_int_equal(job_claim(db, &ar, "n", now + 100000, now + 600, &j, 1), 0);   /* dead rests */
    /* an admin's retry: queued again with its attempts reset; only a dead job */
    assert_int_equal(job_retry(db, id, now), 1);
    assert_int_equal(job_retry(db, id, now), 0);
    assert_int_equal(job_claim(db, &ar, "n", now, now + 600, &j, 1), 1);
    assert_int_equal(j.attempts, 1);
    assert_int_equal(job_succeeded(db, &j, "n", now), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND last_error = ''"), 1);
    assert_int_equal(job_retry(db, id, now), 0);
    assert_int_equal(job_retry(db, id + 1000, now), 0);
    arena_free(&ar);
}

static void outcomes_are_guarded_by_the_claim(void **state)
{
    db_t *db = db_of(state);
    int64_t now = 3000000;
    job_enqueue(db, "k", NULL, now);
    arena_t ar = {0};
    claimed_job_t first, second;
    assert_int_equal(job_claim(db, &ar, "a", now, now + 10, &first, 1), 1);
    /* a's lease runs out: recovery queues it again, b claims it */
    assert_int_equal(jobs_recover_expired(db, now + 11), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND last_error LIKE '%lease expired%'"), 1);
    assert_int_equal(job_claim(db, &ar, "b", now + 11, now + 600, &second, 1), 1);
    assert_int_equal(second.attempts, 2);
    /* a finishes late: its outcome is refused, b's counts */
    assert_int_equal(job_succeeded(db, &first, "a", now + 12), 0);
    assert_int_equal(job_failed(db, &first, "a", "late", now + 12, now + 20), 0);
    assert_int_equal(job_release(db, &first, "a"), 0);
    /* b gives it back unstarted (a stop): the attempt is not counted */
    assert_int_equal(job_release(db, &second, "b"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND attempts = 1"), 1);
    /* a lease expiring on the last attempt leaves it dead */
    assert_int_equal(db_run(db, "UPDATE jobs SET max_attempts = 2", ""), 1);
    assert_int_equal(job_claim(db, &ar, "c", now + 12, now + 20, &second, 1), 1);
    assert_int_equal(jobs_recover_expired(db, now + 19), 0);
    assert_int_equal(jobs_recover_expired(db, now + 21), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'dead'"), 1);
    arena_free(&ar);
}

static int ok_run(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)db, (void)a, (void)payload, (void)err, (void)errlen;
    return 0;
}

static void kinds_table_is_enforced(void **state)
{
    db_t *db = db_of(state);
    static const job_kind_t kinds[] = {{.name = "once", .run = ok_run, .max_attempts = 1}, {.name = "often", .run = ok_run}};
    job_kinds_register(kinds, 2);
    assert_ptr_equal(job_kind_find("often"), &kinds[1]);
    assert_null(job_kind_find("never"));
    assert_int_equal(job_enqueue(db, "never", NULL, 0), -1);
    assert_non_null(strstr(db_error(db), "never"));
    assert_true(job_enqueue(db, "once", NULL, 0) > 0);
    assert_true(job_enqueue(db, "often", NULL, 0) > 0);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'once' AND max_attempts = 1"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'often' AND max_attempts = 5"), 1);
}

static void a_due_schedule_fires_once(void **state)
{
    db_t *db = db_of(state);
    int64_t now = 4000000;
    assert_true(schedule_ensure(db, "hourly", now + 3600, now + 3600));
    assert_int_equal(schedule_fire(db, "hourly", "purge", NULL, now, now + 3600), 0);   /* not due */
    assert_int_equal(schedule_fire(db, "hourly", "purge", NULL, now + 3600, now + 7200), 1);
    assert_int_equal(schedule_fire(db, "hourly", "purge", NULL, now + 3600, now + 7200), 0);  /* a second node */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'purge'"), 1);
    assert_int_equal(count(db, "SELECT next_run FROM schedules WHERE name = 'hourly'"), now + 7200);
    /* ensure keeps an existing schedule, bringing it forward to `latest` when later */
    assert_true(schedule_ensure(db, "hourly", now, now + 7200));
    assert_int_equal(count(db, "SELECT next_run FROM schedules WHERE name = 'hourly'"), now + 7200);
    assert_true(schedule_ensure(db, "hourly", now, now + 10));
    assert_int_equal(count(db, "SELECT next_run FROM schedules WHERE name = 'hourly'"), now + 10);
    assert_int_equal(schedule_fire(db, "unknown", "purge", NULL, now, now + 1), 0);
}

static void counts_and_backoff(void **state)
{
    db_t *db = db_of(state);
    job_enqueue(db, "k", NULL, 1);
    job_enqueue(db, "k", NULL, 1);
    int64_t id = job_enqueue(db, "k", NULL, 1);
    assert_int_equal(db_run(db, "UPDATE jobs SET state = 'done', finished_at = 100 WHERE id = $1", "I", id), 1);
    int64_t c[JOB_NSTATES];
    assert_true(jobs_count(db, c));
    assert_int_equal(c[JOB_QUEUED], 2);
    assert_int_equal(c[JOB_RUNNING], 0);
    assert_int_equal(c[JOB_DONE], 1);
    assert_int_equal(c[JOB_DEAD], 0);
    assert_int_equal(jobs_purge_done(db, 100), 0);
    assert_int_equal(jobs_purge_done(db, 101), 1);
    assert_string_equal(job_state_name(JOB_DEAD), "dead");

    assert_int_equal(job_backoff(30, 1), 30);
    assert_int_equal(job_backoff(30, 2), 60);
    assert_int_equal(job_backoff(30, 4), 240);
    assert_int_equal(job_backoff(30, 20), 3600);
    assert_int_equal(job_backoff(1, 1000000), 3600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(enqueue_follows_the_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(claim_takes_due_jobs_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_back_off_then_rest_dead, setup, teardown),
        cmocka_unit_test_setup_teardown(outcomes_are_guarded_by_the_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(kinds_table_is_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(a_due_schedule_fires_once, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_and_backoff, setup, teardown),
    };
    return cmocka_run_group_tests_name("job queue on SQLite", tests, NULL, NULL);
}
