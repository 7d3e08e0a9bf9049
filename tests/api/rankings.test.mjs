// The ranking of certification bodies (issue 8, docs/marketplace.md "Ranking"), from outside:
// GET /api/rankings's contract (shape, best first, scores to one decimal within their interval,
// equal scores share a rank); GET /api/bodies/{id}/ranking with the inputs behind it; POST
// /api/rankings/refresh (admins, audited) runs the job; then, with reviews and engagements planted
// in the database for bodies created here: two bodies with identical records but different
// founding dates and regions score and rank equal; hidden reviews, reviews of undecided
// engagements and reviews from a tied enterprise do not count; one review of 5 ranks below fifty
// averaging 4.9; the scores are the formula's, computed here from the published platform means;
// a body whose approval is withdrawn leaves the ranking; ten refreshes at once queue one job.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sql } from './lib/sql.mjs';

checkEveryAnswer();

const ENTRY_KEYS = ['body', 'score', 'interval', 'components', 'reviews', 'rank'];
const oneDecimal = (x) => Math.abs(Math.round(x * 10) / 10 - x) < 1e-9;
const round1 = (x) => Math.round(x * 10) / 10;

/** Asserts one entry's shape and its numbers' ranges. */
function checkEntry(e, where) {
  for (const k of ENTRY_KEYS) assert.ok(k in e, `${where}: ${k}`);
  assert.deepEqual(Object.keys(e.body).sort(), ['id', 'name'], where);
  assert.deepEqual(Object.keys(e.components).sort(), ['commitment', 'outcome', 'rating'], where);
  assert.equal(e.interval.length, 2, where);
  const [low, high] = e.interval;
  assert.ok(low >= 0 && low <= e.score && e.score <= high && high <= 100, `${where}: ${low} ≤ ${e.score} ≤ ${high}`);
  for (const x of [e.score, low, high, ...Object.values(e.components)]) {
    assert.ok(x >= 0 && x <= 100, `${where}: ${x} in 0–100`);
    assert.ok(oneDecimal(x), `${where}: ${x} has one decimal`);
  }
}

/** Asserts the items are best first and equal scores share a rank (1, 1, 3). */
function checkOrder(items) {
  for (let i = 0; i < items.length; i++) {
    const want = i > 0 && items[i].score === items[i - 1].score ? items[i - 1].rank : i + 1;
    assert.equal(items[i].rank, want, `rank of item ${i} (score ${items[i].score})`);
    if (i > 0) assert.ok(items[i].score <= items[i - 1].score, `item ${i} not below item ${i - 1}`);
  }
}

describe('rankings', () => {
  let server, pub, admin, enterpriseIds;
  let bodyCode = 900;

  /** A new body through the API (as an admin); returns its id. */
  async function newBody(name, extra) {
    bodyCode++;
    const r = await admin.request('POST', '/api/bodies', {
      json: { name, credit_code: makeCode('110108', 7000 + bodyCode), code: String(bodyCode),
        approval_number: `CNCA-R-2026-${bodyCode}`, ...extra },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  }

  /**
   * Plants, straight into the database, one commitment of the body and for each review an
   * engagement by enterprise `enterprise` (default: the next one of the demo's) with its feedback:
   * review = { scores: [professionalism, effectiveness, timeliness, commitment], within: 1 | 0
   * (default 1), status (default 'decided'), hidden (default 0) }; without scores, the
   * engagement only.
   */
  let planted = 0;
  function plant(bodyId, reviews) {
    const now = Math.floor(Date.now() / 1000);
    const lines = [
      `INSERT INTO commitments (body_id, version, status, created_at, updated_at) VALUES (${bodyId}, 1, 'published', ${now}, ${now});`,
    ];
    for (const r of reviews) {
      const tag = `ranking-test-${++planted}`;
      const enterprise = r.enterprise ?? enterpriseIds[planted % enterpriseIds.length];
      const status = r.status ?? 'decided';
      const decided = status === 'decided';
      lines.push(
        'INSERT INTO engagements (enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days, status, ' +
        'stage, request_note, requested_at, application_date, decision, decision_date, lead_days, within_commitment, ' +
        `created_at, updated_at) VALUES (${enterprise}, ${bodyId}, (SELECT MAX(id) FROM commitments WHERE body_id = ${bodyId}), ` +
        `1, 60, '${status}', '${decided ? 'decision' : 'stage1'}', '${tag}', ${now}, '2026-03-02', ` +
        `'${decided ? 'certified' : ''}', '${decided ? '2026-04-20' : ''}', ${decided ? 49 : 'NULL'}, ` +
        `${decided ? (r.within ?? 1) : 'NULL'}, ${now}, ${now});`,
      );
      if (r.scores) lines.push(
        'INSERT INTO feedback (engagement_id, body_id, enterprise_id, professionalism, effectiveness, timeliness, ' +
        'commitment, created_at, updated_at, editable_until, hidden) VALUES ' +
        `((SELECT id FROM engagements WHERE request_note = '${tag}'), ${bodyId}, ${enterprise}, ${r.scores.join(', ')}, ` +
        `${now}, ${now}, ${now + 90 * 86400}, ${r.hidden ?? 0});`,
      );
    }
    sql(server.db, lines.join('\n'));
  }

  /** POST /api/rankings/refresh as an admin, then waits until that job is done. */
  async function refresh() {
    const r = await admin.request('POST', '/api/rankings/refresh');
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body), ['job_id']);
    const deadline = Date.now() + 20000;
    for (;;) {
      const jobs = await admin.request('GET', '/api/jobs?kind=ranking_refresh&per_page=100');
      assert.equal(jobs.status, 200);
      const job = jobs.body.items.find((j) => j.id === r.body.job_id);
      assert.ok(job, `job ${r.body.job_id} listed`);
      assert.notEqual(job.state, 'dead', job.last_error);
      if (job.state === 'done') return r.body.job_id;
      assert.ok(Date.now() < deadline, `job ${r.body.job_id} still ${job.state}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  /** Waits until no effectiveness job is queued or running (its run replaces every stored result). */
  async function effectivenessIdle() {
    const deadline = Date.now() + 30000;
    while (Number(sql(server.db, "SELECT COUNT(*) FROM jobs WHERE kind = 'effectiveness_refresh' AND state IN ('queued', 'running')")[0][0]) > 0) {
      assert.ok(Date.now() < deadline, 'the effectiveness job is still queued or running');
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  const ranking = async (id) => {
    const r = await pub.request('GET', `/api/bodies/${id}/ranking`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    // enterprises of the demo with no consulting tie to anyone
    enterpriseIds = sql(server.db, 'SELECT id FROM enterprises WHERE id NOT IN (SELECT enterprise_id FROM consulting_ties) ' +
      'ORDER BY id LIMIT 40').map((row) => Number(row[0]));
    assert.equal(enterpriseIds.length, 40);
  });
  after(async () => { await server?.stop(); });

  test('the seeded ranking: the contract, best first, equal scores share a rank', async () => {
    const r = await pub.request('GET', '/api/rankings');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['method', 'computed_at', 'items']);
    assert.equal(r.body.method, 'v1');
    assert.match(r.body.computed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(r.body.items.length, 30, 'every demo body is ranked');
    for (const [i, e] of r.body.items.entries()) {
      assert.deepEqual(Object.keys(e), ENTRY_KEYS, `item ${i}`);
      checkEntry(e, `item ${i}`);
      assert.ok(e.reviews > 0, `item ${i}: the demo bodies have reviews`);
    }
    checkOrder(r.body.items);
    assert.equal(r.body.items[0].rank, 1);
    // the same answer whoever asks (public answers only)
    const asAdmin = await admin.request('GET', '/api/rankings');
    assert.deepEqual(asAdmin.body, r.body);
  });

  test("a body's ranking: its entry and the inputs that produced it", async () => {
    const list = (await pub.request('GET', '/api/rankings')).body;
    const top = list.items[0];
    const b = await ranking(top.body.id);
    assert.deepEqual(Object.keys(b), ['method', 'computed_at', ...ENTRY_KEYS, 'bodies_ranked', 'inputs', 'platform']);
    for (const k of ENTRY_KEYS) assert.deepEqual(b[k], top[k], k);
    assert.equal(b.computed_at, list.computed_at);
    assert.equal(b.bodies_ranked, 30);
    assert.deepEqual(Object.keys(b.inputs), ['reviews', 'means', 'engagements', 'outcomes']);
    assert.equal(b.inputs.reviews, top.reviews);
    assert.ok(Number.isInteger(b.inputs.outcomes) && b.inputs.outcomes >= 0, 'client outcomes counted');
    assert.deepEqual(Object.keys(b.inputs.means), ['professionalism', 'effectiveness', 'timeliness', 'commitment', 'rating']);
    assert.deepEqual(Object.keys(b.platform), ['reviews', 'means', 'engagements', 'share_within', 'outcome_prior']);
    assert.equal(b.platform.outcome_prior, 50);
    // the components from the inputs, by the formula of the ranking page
    const n = b.inputs.reviews, m = b.inputs.means.rating, pm = b.platform.means.rating;
    assert.ok(Math.abs(b.components.rating - ((10 * pm + n * m) / (10 + n) - 1) / 4 * 100) <= 0.051);
    const { within, beyond } = b.inputs.engagements, p = b.platform.share_within;
    assert.ok(Math.abs(b.components.commitment - (5 * p + within) / (5 + within + beyond) * 100) <= 0.051);
    const platformShare = b.platform.engagements.within / (b.platform.engagements.within + b.platform.engagements.beyond);
    assert.ok(Math.abs(p - platformShare) < 1e-4);

    assertError(await pub.request('GET', '/api/bodies/999999/ranking'), 404, 'body_not_found');
  });

  test('refresh: admins only, audited, and it runs the job', async () => {
    assertError(await pub.request('POST', '/api/rankings/refresh'), 401, 'unauthenticated');
    const enterprise = await signedIn(server.url, 'enterprise');
    assertError(await enterprise.request('POST', '/api/rankings/refresh'), 403, 'forbidden');
    const before = (await pub.request('GET', '/api/rankings')).body;
    await new Promise((ok) => setTimeout(ok, 1100));     // computed_at is to the second
    const job = await refresh();
    const after = (await pub.request('GET', '/api/rankings')).body;
    assert.ok(after.computed_at > before.computed_at, `${after.computed_at} after ${before.computed_at}`);
    assert.deepEqual(after.items, before.items, 'the same inputs give the same ranking');
    const audit = await admin.request('GET', '/api/audit?action=ranking.refresh');
    assert.equal(audit.status, 200);
    const entry = audit.body.items.find((e) => e.entity_id === String(job));
    assert.ok(entry, 'the refresh is in the audit log');
    assert.equal(entry.entity, 'job');
    assert.equal(entry.actor.login, 'admin');
    assert.deepEqual(entry.after, { kind: 'ranking_refresh', state: 'queued' });
  });

  test('identical records rank equal whatever the age and region; what does not count', async () => {
    const young = await newBody('排名测试甲认证有限公司', { founded: '2024-06-01', regions: ['440000'] });
    const old = await newBody('排名测试乙认证有限公司', { founded: '1998-01-15', regions: ['110000', '310000', '320000'] });
    const record = [
      { scores: [5, 4, 4, 5] }, { scores: [4, 4, 3, 4] }, { scores: [5, 5, 5, 4], within: 0 },
    ];
    plant(young, record);
    plant(old, record);
    // none of these count: hidden, an engagement not decided, an enterprise tied to the body
    const tied = enterpriseIds[39];
    sql(server.db, `INSERT INTO consulting_ties (enterprise_id, body_id, source, at) VALUES (${tied}, ${young}, 'regulator', 0)`);
    plant(young, [
      { scores: [1, 1, 1, 1], hidden: 1 }, { scores: [1, 1, 1, 1], status: 'active' },
      { scores: [1, 2, 1, 1], enterprise: tied },
    ]);
    // their engagements do count (two decided within the commitment): the same for the other
    plant(old, [{}, {}]);
    await refresh();
    const a = await ranking(young), b = await ranking(old);
    for (const k of ['score', 'interval', 'components', 'reviews', 'rank']) assert.deepEqual(a[k], b[k], k);
    assert.deepEqual(a.inputs, b.inputs);
    assert.equal(a.reviews, 3);
    assert.deepEqual(a.inputs.engagements, { within: 4, beyond: 1 });
    assert.deepEqual(a.inputs.means, { professionalism: 4.6667, effectiveness: 4.3333, timeliness: 4, commitment: 4.3333, rating: 4.3333 });
    const list = (await pub.request('GET', '/api/rankings')).body.items;
    const ia = list.findIndex((e) => e.body.id === young), ib = list.findIndex((e) => e.body.id === old);
    assert.equal(Math.abs(ia - ib), 1, 'next to each other');
    assert.equal(list[ia].rank, list[ib].rank);
    // equal in score and interval, so ordered by id: the older body is not placed first for its age
    assert.ok(ia < ib, 'the lower id first');
    checkOrder(list);
  });

  // The client outcomes (issue 10): the effectiveness indices of the clients each body certified
  // first (effectiveness_results.body_id), mean shrunk toward 50 with prior strength 5.
  test('two bodies with the same feedback rank by their clients\' effectiveness', async () => {
    const good = await newBody('排名测试庚认证有限公司', {});
    const poor = await newBody('排名测试辛认证有限公司', {});
    const record = [{ scores: [4, 4, 4, 4] }, { scores: [5, 4, 4, 4] }];
    plant(good, record);
    plant(poor, record);
    await effectivenessIdle();
    // their clients' stored indices (as the effectiveness job writes them): 80 and 70; 30 and 40;
    // one client without an index (nothing evaluable) does not count
    const now = Math.floor(Date.now() / 1000);
    const clients = [[enterpriseIds[30], good, 80], [enterpriseIds[31], good, 70], [enterpriseIds[32], poor, 30],
      [enterpriseIds[33], poor, 40], [enterpriseIds[34], poor, null]];
    sql(server.db, clients.map(([e, b, x]) =>
      `INSERT INTO effectiveness_results (enterprise_id, method, certified_year, body_id, index_value, computed_at) ` +
      `VALUES (${e}, 'v1', 2020, ${b}, ${x === null ? 'NULL' : x}, ${now}) ON CONFLICT (enterprise_id) DO UPDATE ` +
      'SET body_id = excluded.body_id, index_value = excluded.index_value;').join('\n'));
    await refresh();
    const a = await ranking(good), b = await ranking(poor);
    assert.equal(a.inputs.outcomes, 2);
    assert.equal(b.inputs.outcomes, 2);
    assert.deepEqual(a.inputs.means, b.inputs.means);
    assert.equal(a.components.rating, b.components.rating);
    assert.equal(a.components.commitment, b.components.commitment);
    assert.equal(a.components.outcome, round1((5 * 50 + 80 + 70) / 7));   // 57.1
    assert.equal(b.components.outcome, round1((5 * 50 + 30 + 40) / 7));   // 45.7
    assert.ok(a.rank < b.rank, `rank ${a.rank} above ${b.rank}`);
    // the difference is the outcome's weight, 0.3, times the outcome difference
    assert.ok(Math.abs(a.score - b.score - 0.3 * (150 - 70) / 7) <= 0.1, `${a.score} − ${b.score}`);
  });

  test('one review of 5 ranks below fifty averaging 4.9, as the formula says', async () => {
    const one = await newBody('排名测试丙认证有限公司', {});
    const fifty = await newBody('排名测试丁认证有限公司', {});
    plant(one, [{ scores: [5, 5, 5, 5] }]);
    plant(fifty, [...Array(45).fill({ scores: [5, 5, 5, 5] }), ...Array(5).fill({ scores: [4, 4, 4, 4] })]);
    await refresh();
    const a = await ranking(one), b = await ranking(fifty);
    assert.equal(a.reviews, 1);
    assert.equal(b.reviews, 50);
    assert.equal(b.inputs.means.rating, 4.9);
    assert.ok(b.rank < a.rank, `rank ${b.rank} above ${a.rank}`);
    assert.ok(b.score > a.score);
    assert.ok(b.components.rating > a.components.rating);
    // by hand from the platform means (GET answers them): rating shrunk with prior strength 10,
    // commitment with 5, outcome 50 (none measured); overall 0.5 / 0.3 / 0.2
    const pm = a.platform.means.rating, ps = a.platform.share_within;
    assert.deepEqual(b.platform, a.platform);
    const rating = (n, sum) => ((10 * pm + sum) / (10 + n) - 1) / 4 * 100;
    const commitment = (kept, all) => (5 * ps + kept) / (5 + all) * 100;
    const expect = (r, c) => ({ rating: round1(r), outcome: 50, commitment: round1(c), score: round1(0.5 * r + 0.3 * 50 + 0.2 * c) });
    const ea = expect(rating(1, 5), commitment(1, 1)), eb = expect(rating(50, 245), commitment(50, 50));
    for (const [got, want] of [[a, ea], [b, eb]]) {
      assert.ok(Math.abs(got.components.rating - want.rating) <= 0.1, `rating ${got.components.rating} ≈ ${want.rating}`);
      assert.equal(got.components.outcome, 50);
      assert.ok(Math.abs(got.components.commitment - want.commitment) <= 0.1, `commitment ${got.components.commitment} ≈ ${want.commitment}`);
      assert.ok(Math.abs(got.score - want.score) <= 0.1, `score ${got.score} ≈ ${want.score}`);
    }
    // fifty reviews narrow the interval
    assert.ok(b.interval[1] - b.interval[0] < a.interval[1] - a.interval[0]);
  });

  test('a body whose approval is withdrawn leaves the ranking', async () => {
    const gone = await newBody('排名测试戊认证有限公司', {});
    plant(gone, [{ scores: [5, 5, 5, 5] }]);
    await refresh();
    assert.equal((await ranking(gone)).reviews, 1);
    const w = await admin.request('POST', `/api/bodies/${gone}/standing`, {
      json: { which: 'approval', status: 'withdrawn', from: '2026-11-01', reason: '排名测试：批准撤销' },
    });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    // at once: out of the list and of its own entry; the job it queued then ranks without it
    assertError(await pub.request('GET', `/api/bodies/${gone}/ranking`), 404, 'ranking_not_found');
    await refresh();
    const list = (await pub.request('GET', '/api/rankings')).body.items;
    assert.ok(!list.some((e) => e.body.id === gone));
    checkOrder(list);
    // and a body registered after the last run is not ranked until the next one
    const late = await newBody('排名测试己认证有限公司', {});
    assertError(await pub.request('GET', `/api/bodies/${late}/ranking`), 404, 'ranking_not_found');
  });
});

// With the job runner idle (a tick of ten minutes), nothing claims the queued job: ten refreshes
// at once all answer the one queued job, and exactly one is queued (the check under the
// ranking_platform row's lock), each refresh audited.
describe('rankings: one queued job at a time', () => {
  let server, admin;
  before(async () => {
    server = await startPlatform({ extraArgs: ['--jobs-tick', '600000'] });
    admin = await signedIn(server.url, 'admin');
  });
  after(async () => { await server?.stop(); });

  test('ten refreshes at once queue one job', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.request('POST', '/api/rankings/refresh')));
    for (const r of answers) assert.equal(r.status, 202, JSON.stringify(r.body));
    const ids = new Set(answers.map((r) => r.body.job_id));
    assert.equal(ids.size, 1, `one job: ${[...ids]}`);
    const jobs = await admin.request('GET', '/api/jobs?kind=ranking_refresh&state=queued');
    assert.equal(jobs.body.total, 1);
    assert.equal(jobs.body.items[0].id, [...ids][0]);
    const audit = await admin.request('GET', '/api/audit?action=ranking.refresh&per_page=100');
    assert.equal(audit.body.total, 10, 'each refresh audited');
  });
});
