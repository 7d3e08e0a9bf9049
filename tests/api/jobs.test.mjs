// Background jobs (docs/jobs.md), on the database under test (GUANBIAO_TEST_DB=postgres for
// PostgreSQL): the daily certificate_expiry job expires certificates past their date with a
// history entry by the platform; a failing job is retried with backoff, rests dead with its
// error, and an admin's retry runs it again; a job left running by a node that died runs
// again; the admin API answers counts, failures and pages; /metrics carries the gauges. On
// PostgreSQL, 1,000 jobs claimed by two nodes at once each run exactly once.
// Jobs and due schedules are planted with SQL (tests/api/lib/sql.mjs); the servers look for
// due work every 100 ms (--jobs-tick) and retry after 1 s, 2 s, … (--jobs-backoff 1). Last, a
// SIGTERM while jobs run leaves none running, and a restarted node runs the rest once each.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startPostgres, testDbKind } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

checkEveryAnswer();

const FAST = ['--jobs-tick', '100', '--jobs-backoff', '1'];
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until check() is truthy (polling every 100 ms); fails with `what` after `ms`. */
async function waitFor(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Inserts a queued job as another node or an older version could; returns its id. */
function plantJob(db, kind, payload, { maxAttempts = 5, state = 'queued', attempts = 0, lockedBy = '', lockedUntil = 0 } = {}) {
  const t = now();
  const rows = sql(db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, locked_by, locked_until, created_at)
    VALUES ('${kind}', '${payload}', '${state}', ${attempts}, ${maxAttempts}, ${t}, '${lockedBy}', ${lockedUntil}, ${t}) RETURNING id`);
  return Number(rows[0][0]);
}

const jobRow = (db, id) => {
  const [r] = sql(db, `SELECT state, attempts, last_error, locked_by FROM jobs WHERE id = ${id}`);
  return { state: r[0], attempts: Number(r[1]), lastError: r[2] || '', node: r[3] || '' };
};

/** A metric's value in a /metrics text (0 when absent). */
async function metric(url, name) {
  const text = await (await fetch(url + '/metrics')).text();
  const m = new RegExp(`^${name.replace(/[{}"=]/g, (c) => '\\' + c)} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe(`background jobs (${testDbKind})`, () => {
  let pg = null;
  let server = null;
  let db;
  let admin;

  before(async () => {
    if (testDbKind === 'postgres') pg = await startPostgres();
    server = await startServer({ ...(pg ? { db: pg.url } : {}), extraArgs: FAST });
    db = server.db;
    admin = await signedIn(server.url, 'admin');
  });
  after(async () => {
    const code = server ? await server.stop() : 0;
    if (pg) pg.stop();
    else if (db) rmSync(dirname(db.replace(/^sqlite:/, '')), { recursive: true, force: true });   // kept for the restart
    assert.equal(code, 0, 'server exit code');
  });

  test('the daily certificate_expiry job expires certificates past their date, with a history entry by the platform', async () => {
    // four open certificates of the demo: two past their date (valid, suspended), one not yet,
    // and a withdrawn one past its date (withdrawn is final)
    const pick = (status, n) => sql(db, `SELECT number FROM certificates WHERE status = '${status}' AND expires > '2027-01-01' ORDER BY id LIMIT ${n}`).map((r) => r[0]);
    const [pastValid, futureValid] = pick('valid', 2);
    const [pastSuspended] = pick('suspended', 1);
    const [withdrawn] = sql(db, "SELECT number FROM certificates WHERE status = 'withdrawn' ORDER BY id LIMIT 1").map((r) => r[0]);
    for (const n of [pastValid, pastSuspended, futureValid, withdrawn]) assert.ok(n, 'the demo has such certificates');
    sql(db, `UPDATE certificates SET expires = '2026-01-31' WHERE number IN ('${pastValid}', '${pastSuspended}', '${withdrawn}')`);
    const before = await admin.request('GET', `/api/certificates/${pastValid}/history`);
    assert.equal(before.status, 200);

    // the schedule is due: it fires on the next tick and its job runs
    assert.equal(sqlNumber(db, "SELECT COUNT(*) FROM schedules WHERE name = 'certificate_expiry'"), 1, 'the schedule exists');
    sql(db, `UPDATE schedules SET next_run = ${now() - 60} WHERE name = 'certificate_expiry'`);
    const id = await waitFor('a done certificate_expiry job', () =>
      sqlNumber(db, "SELECT COALESCE(MAX(id), 0) FROM jobs WHERE kind = 'certificate_expiry' AND state = 'done'"), 60000);
    assert.equal(jobRow(db, id).attempts, 1);
    // the schedule moved on to tomorrow 00:05 UTC
    const next = sqlNumber(db, "SELECT next_run FROM schedules WHERE name = 'certificate_expiry'");
    const midnight = now() - (now() % 86400);
    assert.ok(next === midnight + 300 || next === midnight + 86400 + 300, `next_run ${next}`);

    const status = async (n) => (await admin.request('GET', `/api/certificates/${n}`)).body.status;
    assert.equal(await status(pastValid), 'expired');
    assert.equal(await status(pastSuspended), 'expired');
    assert.equal(await status(futureValid), 'valid');
    assert.equal(await status(withdrawn), 'withdrawn');

    const after = await admin.request('GET', `/api/certificates/${pastValid}/history`);
    assert.equal(after.status, 200);
    assert.equal(after.body.items.length, before.body.items.length + 1);
    const last = after.body.items.at(-1);
    assert.equal(last.kind, 'status');
    assert.equal(last.from, 'valid');
    assert.equal(last.to, 'expired');
    assert.equal(last.by, '', 'made by the platform, not by a user');
    assert.match(last.reason, /expiry date passed/);
    assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM certificate_events ev JOIN certificates c ON c.id = ev.certificate_id
      WHERE c.number = '${pastSuspended}' AND ev.to_status = 'expired' AND ev.from_status = 'suspended' AND ev.user_id IS NULL`), 1);
    // no open certificate is left past its date
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM certificates WHERE status IN ('valid', 'suspended') AND expires < '${today}'`), 0);
  });

  test('a failing job is retried with backoff, rests dead with its error, and an admin retry runs it again', async () => {
    const failuresBefore = await metric(server.url, 'guanbiao_job_failures_total');
    const planted = now();
    const id = plantJob(db, 'certificate_expiry', '{"date":"30/11/2026"}', { maxAttempts: 3 });
    // watch it: after attempt 1 it waits 1 s, after attempt 2 it waits 2 s (run_at in seconds)
    const waits = {};
    await waitFor('the job to be dead', () => {
      const [r] = sql(db, `SELECT state, attempts, run_at FROM jobs WHERE id = ${id}`);
      if (r[0] === 'queued' && Number(r[1]) > 0) waits[r[1]] = Number(r[2]);
      return r[0] === 'dead';
    }, 30000);
    // the waits as the database held them, when the polling saw them (a loaded machine may run the
    // retry between two polls); and in any case the whole: three attempts, with waits of 1 s and
    // 2 s between them, end 3 s or more after the job was planted
    if (waits[1] !== undefined) assert.ok(waits[1] >= planted + 1, `the retry after attempt 1 at ${waits[1]}, planted at ${planted}`);
    if (waits[1] !== undefined && waits[2] !== undefined) {
      assert.ok(waits[2] >= waits[1] + 2, `the retry after attempt 2 at ${waits[2]}, after attempt 1 at ${waits[1]}`);
    }
    const finished = sqlNumber(db, `SELECT finished_at FROM jobs WHERE id = ${id}`);
    assert.ok(finished >= planted + 3, `dead at ${finished}, planted at ${planted}: the backoff waited 1 s and 2 s`);
    const dead = jobRow(db, id);
    assert.equal(dead.attempts, 3);
    assert.equal(dead.lastError, 'payload: date must be a date YYYY-MM-DD');
    await waitFor('the failures counter', async () => await metric(server.url, 'guanbiao_job_failures_total') >= failuresBefore + 3, 5000);

    // the admin API lists it among the failures, with its error
    const list = await admin.request('GET', '/api/jobs');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.ok(list.body.counts.dead >= 1);
    const failure = list.body.failures.find((j) => j.id === id);
    assert.ok(failure, 'the dead job is among the failures');
    assert.equal(failure.state, 'dead');
    assert.equal(failure.kind, 'certificate_expiry');
    assert.equal(failure.attempts, 3);
    assert.equal(failure.max_attempts, 3);
    assert.equal(failure.last_error, 'payload: date must be a date YYYY-MM-DD');
    assert.equal(failure.payload, '{"date":"30/11/2026"}');
    assert.match(failure.finished_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const dead1 = await admin.request('GET', '/api/jobs?state=dead&per_page=100');
    assert.ok(dead1.body.items.every((j) => j.state === 'dead'));
    assert.ok(dead1.body.items.some((j) => j.id === id));

    // the payload is mended (as an operator would), then an admin retries: it runs again and is done
    sql(db, `UPDATE jobs SET payload = '{"date":"2026-01-01"}' WHERE id = ${id}`);
    const retried = await admin.request('POST', `/api/jobs/${id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.id, id);
    assert.equal(retried.body.state, 'queued');
    assert.equal(retried.body.attempts, 0);
    await waitFor('the retried job to be done', () => jobRow(db, id).state === 'done');
    assert.equal(jobRow(db, id).attempts, 1);
    assert.equal(jobRow(db, id).lastError, '');

    // only a dead job may be retried; an unknown one is 404
    assertError(await admin.request('POST', `/api/jobs/${id}/retry`), 409, 'job_not_dead');
    assertError(await admin.request('POST', '/api/jobs/99999999/retry'), 404, 'job_not_found');
    assertError(await admin.request('POST', '/api/jobs/abc/retry'), 404, 'not_found');
  });

  test('ten retries of one dead job at once: exactly one runs it again', async () => {
    const now = Math.floor(Date.now() / 1000);
    const [[id]] = sql(db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, last_error, created_at) ` +
      `VALUES ('certificate_expiry', '{"date":"never"}', 'dead', 5, 5, ${now}, 'payload: date', ${now}) RETURNING id`);
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.request('POST', `/api/jobs/${id}/retry`)));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) assertError(r, 409, 'job_not_dead');
  });

  test('a job of a kind this node does not know fails with a clear error', async () => {
    const id = plantJob(db, 'no_such_kind', '{}', { maxAttempts: 1 });
    await waitFor('the job to be dead', () => jobRow(db, id).state === 'dead');
    assert.equal(jobRow(db, id).lastError, "no job kind 'no_such_kind' on this node");
  });

  test('a job left running by a node that died (its lease expired) runs again', async () => {
    const id = plantJob(db, 'purge', '{}', { state: 'running', attempts: 1, lockedBy: 'dead-node:1', lockedUntil: now() - 5 });
    const last = plantJob(db, 'purge', '{}', { state: 'running', attempts: 2, maxAttempts: 2, lockedBy: 'dead-node:1', lockedUntil: now() - 5 });
    // the expired leases are looked for every 10 s
    await waitFor('the job to be done', () => jobRow(db, id).state === 'done', 25000);
    const j = jobRow(db, id);
    assert.equal(j.attempts, 2);
    assert.notEqual(j.node, 'dead-node:1');
    await waitFor('the job without attempts left to be dead', () => jobRow(db, last).state === 'dead', 5000);
    assert.match(jobRow(db, last).lastError, /lease expired/);
  });

  test('GET /api/jobs: counts by state, paging, filters; /metrics gauges', async () => {
    const all = await admin.request('GET', '/api/jobs?per_page=2&page=1');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body.counts).sort(), ['dead', 'done', 'queued', 'running']);
    const total = sqlNumber(db, 'SELECT COUNT(*) FROM jobs');
    assert.equal(all.body.total, total);
    assert.equal(Object.values(all.body.counts).reduce((a, b) => a + b, 0), total);
    assert.equal(all.body.items.length, 2);
    assert.ok(all.body.items[0].id > all.body.items[1].id, 'newest first');
    const second = await admin.request('GET', '/api/jobs?per_page=2&page=2');
    assert.ok(second.body.items[0].id < all.body.items[1].id);
    const purges = await admin.request('GET', '/api/jobs?kind=purge&per_page=100');
    assert.ok(purges.body.items.length > 0 && purges.body.items.every((j) => j.kind === 'purge'));
    assertError(await admin.request('GET', '/api/jobs?state=sleeping'), 400, 'invalid_query');
    assertError(await admin.request('GET', '/api/jobs?per_page=0'), 400, 'invalid_query');

    const dead = sqlNumber(db, "SELECT COUNT(*) FROM jobs WHERE state = 'dead'");
    await waitFor('the dead gauge', async () => await metric(server.url, 'guanbiao_jobs{state="dead"}') === dead, 5000);
    assert.ok(await metric(server.url, 'guanbiao_jobs_run_total') >= 3);
  });

  test('1,000 jobs claimed by two nodes at once each run exactly once (PostgreSQL)', { skip: testDbKind !== 'postgres' && 'one runner on SQLite' }, async () => {
    const other = await startServer({ db, seed: false, extraArgs: [...FAST, '--jobs-concurrency', '4'] });
    try {
      const nodes = [server, other];
      const runsBefore = await Promise.all(nodes.map((n) => metric(n.url, 'guanbiao_jobs_run_total')));
      const first = sqlNumber(db, 'SELECT COALESCE(MAX(id), 0) + 1 FROM jobs');
      const t = now();
      sql(db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at)
        SELECT 'purge', '{}', 'queued', 0, 5, ${t}, ${t} FROM generate_series(1, 1000)`);
      const mine = `id >= ${first} AND kind = 'purge'`;
      assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM jobs WHERE ${mine}`), 1000);
      await waitFor('1,000 done jobs', () => sqlNumber(db, `SELECT COUNT(*) FROM jobs WHERE ${mine} AND state = 'done'`) === 1000, 120000);
      // each ran once: one attempt each, none failed
      assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM jobs WHERE ${mine} AND attempts = 1 AND last_error = ''`), 1000);
      // both nodes took part, and what each ran adds up to 1,000
      const byNode = sql(db, `SELECT locked_by, COUNT(*) FROM jobs WHERE ${mine} GROUP BY locked_by`);
      assert.equal(byNode.length, 2, JSON.stringify(byNode));
      assert.equal(byNode.reduce((a, r) => a + Number(r[1]), 0), 1000);
      const runsAfter = await Promise.all(nodes.map((n) => metric(n.url, 'guanbiao_jobs_run_total')));
      const ran = runsAfter.map((v, i) => v - runsBefore[i]);
      assert.ok(ran[0] > 0 && ran[1] > 0, `each node ran some: ${ran}`);
      assert.equal(ran[0] + ran[1], 1000, `runs per node ${ran}`);
      assert.deepEqual(byNode.map((r) => Number(r[1])).sort((a, b) => a - b), [...ran].sort((a, b) => a - b));
    } finally {
      assert.equal(await other.stop({ keepData: true }), 0);
    }
  });

  test('on SIGTERM a node claims nothing more, lets running jobs finish and leaves none running', async () => {
    const first = sqlNumber(db, 'SELECT COALESCE(MAX(id), 0) + 1 FROM jobs');
    const t = now();
    const values = Array.from({ length: 400 }, () => `('purge', '{}', 'queued', 0, 5, ${t}, ${t})`).join(', ');
    sql(db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at) VALUES ${values}`);
    const mine = `id >= ${first} AND kind = 'purge'`;
    await waitFor('the first of them done', () => sqlNumber(db, `SELECT COUNT(*) FROM jobs WHERE ${mine} AND state = 'done'`) > 0);
    assert.equal(await server.stop({ keepData: true }), 0, 'a clean exit');
    server = null;
    // nothing is left running; what did not run is queued with its attempt not counted
    const rows = sql(db, `SELECT state, attempts, COUNT(*) FROM jobs WHERE ${mine} GROUP BY state, attempts ORDER BY state`);
    for (const [state, attempts] of rows) {
      assert.ok((state === 'done' && attempts === '1') || (state === 'queued' && attempts === '0'), JSON.stringify(rows));
    }
    // a restarted node runs the rest, each once
    server = await startServer({ db, seed: false, extraArgs: FAST });
    await waitFor('all 400 done', () => sqlNumber(db, `SELECT COUNT(*) FROM jobs WHERE ${mine} AND state = 'done' AND attempts = 1`) === 400, 60000);
  });
});
