// Nonconformities (issue 9, docs/compliance.md "Nonconformities"), from outside: an enterprise
// records its own, a body raises them from its audit of an enterprise it has an engagement
// with; the clause must be in the audit's catalogue (or the edition's current one); steps open →
// action_planned (root cause and corrective action first, else 400) → implemented →
// effective | not_effective (a note; the body with its audit) ; not_effective → reopened →
// action_planned, each guarded in the write (out of order 409; ten racing steps: one 2xx);
// overdue flags and the daily job telling the enterprise once per due date; scope (another
// enterprise's 404, a body without engagement 404); the regulator's counts by clause.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';
import { accountFor } from './lib/market.mjs';

checkEveryAnswer();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('nonconformities', () => {
  let server, pub, admin, enterprise, body, regulator, regulatorGd, bodyId, enterpriseId;
  let engaged;          // an enterprise the demo body has an active or decided engagement with
  let stranger;         // an enterprise the demo body has no engagement with (not the demo one)
  let catalogue2023, catalogue2013;

  const q = (text) => sql(server.db, text);
  const num = (text) => sqlNumber(server.db, text);
  /** A signed-off audit row planted in the database: its id. */
  const plantAudit = (enterpriseIdOf, bodyIdOf, kind, catalogue) => num(
    `INSERT INTO audits (enterprise_id, body_id, kind, catalogue_id, title, start_date, end_date, status, created_at, updated_at)
     VALUES (${enterpriseIdOf}, ${bodyIdOf ?? 'NULL'}, '${kind}', ${catalogue}, '测试审核', '2026-03-01', '2026-03-02', 'signed_off', 1, 1) RETURNING id`);

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = new Client(server.url);
    enterpriseId = (await enterprise.signIn('enterprise')).body.user.enterprise_id;
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    engaged = num(`SELECT MIN(enterprise_id) FROM engagements WHERE body_id = ${bodyId} AND status IN ('active', 'decided')`);
    stranger = num(`SELECT MIN(id) FROM enterprises WHERE id <> ${enterpriseId} AND id NOT IN
      (SELECT enterprise_id FROM engagements WHERE body_id = ${bodyId})`);
    catalogue2023 = num("SELECT MAX(id) FROM clause_catalogues WHERE edition = '2023'");
    catalogue2013 = num("SELECT MAX(id) FROM clause_catalogues WHERE edition = '2013'");
  });
  after(async () => { await server?.stop(); });

  const create = (client, json) => client.request('POST', '/api/nonconformities', { json });
  const step = (client, id, json) => client.request('POST', `/api/nonconformities/${id}/status`, { json });
  const edit = (client, id, json) => client.request('PATCH', `/api/nonconformities/${id}`, { json });
  const base = { clause_number: '9.2', grade: 'minor', description: '内部审核未覆盖研发部门', owner: '张三', due_date: '2099-06-30' };

  test('the demo seed: the demo enterprise has one in every status, one overdue; the regulator\'s counts are alive', async () => {
    const r = await enterprise.request('GET', '/api/nonconformities?per_page=100');
    const statuses = new Set(r.body.items.map((x) => x.status));
    for (const s of ['open', 'action_planned', 'implemented', 'effective', 'not_effective', 'reopened']) assert.ok(statuses.has(s), s);
    const late = r.body.items.filter((x) => x.overdue);
    assert.equal(late.length, 1);
    assert.equal(late[0].clause_number, '8.4');
    const counts = await regulator.request('GET', '/api/nonconformities/by-clause?per_page=100');
    assert.ok(counts.body.total >= 10);
    assert.ok(counts.body.items.every((x) => x.total === x.major + x.minor && x.clause_title !== ''));
  });

  test('refusals on create: fields, clause outside the catalogue, audits one may not name, roles', async () => {
    let r = await create(enterprise, {});
    assertError(r, 400, 'missing_field', 'clause_number');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['clause_number', 'grade', 'description', 'owner', 'due_date']);
    assertError(await create(enterprise, { ...base, grade: 'critical' }), 400, 'invalid_value', 'grade');
    assertError(await create(enterprise, { ...base, due_date: '2026-02-30' }), 400, 'invalid_value', 'due_date');
    assertError(await create(enterprise, { ...base, edition: '2019' }), 400, 'invalid_value', 'edition');
    // 4.2.1 is a 2013 clause, not a 2023 one (the default edition); 10.2 is 2023 only
    assertError(await create(enterprise, { ...base, clause_number: '4.2.1' }), 400, 'unknown_clause', 'clause_number');
    assertError(await create(enterprise, { ...base, clause_number: '10.2', edition: '2013' }), 400, 'unknown_clause', 'clause_number');
    // the audit's catalogue decides: a 2013 audit takes 4.2.1 and refuses 10.2
    const audit2013 = plantAudit(enterpriseId, null, 'internal', catalogue2013);
    assertError(await create(enterprise, { ...base, clause_number: '10.2', raised_by_audit_id: audit2013 }), 400, 'unknown_clause');
    r = await create(enterprise, { ...base, clause_number: '4.2.1', raised_by_audit_id: audit2013 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.edition, '2013');
    assert.equal(r.body.clause_title, '总则');
    // another enterprise's audit; a body without its audit; a body's audit of an enterprise it has no engagement with
    const otherAudit = plantAudit(stranger, null, 'internal', catalogue2023);
    assertError(await create(enterprise, { ...base, raised_by_audit_id: otherAudit }), 400, 'unknown_audit', 'raised_by_audit_id');
    assertError(await create(body, base), 400, 'missing_field', 'raised_by_audit_id');
    const strayAudit = plantAudit(stranger, bodyId, 'stage2', catalogue2023);
    assertError(await create(body, { ...base, raised_by_audit_id: strayAudit }), 400, 'unknown_audit', 'raised_by_audit_id');
    assertError(await create(body, { ...base, raised_by_audit_id: otherAudit }), 400, 'unknown_audit', 'raised_by_audit_id');
    assertError(await create(regulator, base), 403, 'forbidden');
    assertError(await create(pub, base), 401, 'unauthenticated');
  });

  test('the whole flow: open, planned, implemented, not effective, reopened, planned again, implemented, effective', async () => {
    let r = await create(enterprise, { ...base, evidence: '2026 年内审计划' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const nc = r.body;
    assert.equal(nc.status, 'open');
    assert.equal(nc.enterprise.id, enterpriseId);
    assert.equal(nc.edition, '2023');
    assert.equal(nc.clause_title, '内部审核');
    assert.equal(nc.overdue, false);
    assert.equal(nc.raised_by_audit, null);
    assert.deepEqual(nc.events.map((e) => [e.from_status, e.to_status]), [['', 'open']]);

    // planning needs the root cause and the corrective action
    assertError(await step(enterprise, nc.id, { status: 'action_planned' }), 400, 'nonconformity_plan_incomplete', 'root_cause');
    assert.equal((await edit(enterprise, nc.id, { root_cause: '内审员不足' })).status, 200);
    assertError(await step(enterprise, nc.id, { status: 'action_planned' }), 400, 'nonconformity_plan_incomplete', 'corrective_action');
    // verification before implementation; implementation before the plan
    assertError(await step(enterprise, nc.id, { status: 'effective', note: '已验证' }), 409, 'nonconformity_transition', 'status');
    assertError(await step(enterprise, nc.id, { status: 'implemented' }), 409, 'nonconformity_transition');
    assertError(await step(enterprise, nc.id, { status: 'closed' }), 400, 'invalid_value', 'status');
    r = await edit(enterprise, nc.id, { corrective_action: '培训两名内审员并补做研发部门内审', correction: '补充审核计划', owner: '李四', due_date: '2099-09-30' });
    assert.equal(r.status, 200);
    assert.equal(r.body.owner, '李四');
    assert.equal(r.body.due_date, '2099-09-30');
    assertError(await edit(enterprise, nc.id, { due_date: 'soon' }), 400, 'invalid_value', 'due_date');
    assertError(await edit(body, nc.id, { owner: 'x' }), 403, 'forbidden');

    r = await step(enterprise, nc.id, { status: 'action_planned' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'action_planned');
    assertError(await step(enterprise, nc.id, { status: 'effective', note: '已验证' }), 409, 'nonconformity_transition');
    assert.equal((await step(enterprise, nc.id, { status: 'implemented', note: '已培训' })).body.status, 'implemented');
    assertError(await step(enterprise, nc.id, { status: 'not_effective' }), 400, 'missing_field', 'note');
    const internal = plantAudit(enterpriseId, null, 'internal', catalogue2023);
    r = await step(enterprise, nc.id, { status: 'not_effective', note: '研发部门仍未覆盖', audit_id: internal });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.verification, '研发部门仍未覆盖');
    assert.equal(r.body.closed_by_audit_id, null);
    assertError(await step(enterprise, nc.id, { status: 'action_planned' }), 409, 'nonconformity_transition');
    assert.equal((await step(enterprise, nc.id, { status: 'reopened', note: '重新分析' })).body.status, 'reopened');
    assert.equal((await step(enterprise, nc.id, { status: 'action_planned' })).body.status, 'action_planned');
    assert.equal((await step(enterprise, nc.id, { status: 'implemented' })).body.status, 'implemented');
    r = await step(enterprise, nc.id, { status: 'effective', note: '复查研发部门内审记录，有效', audit_id: internal });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'effective');
    assert.equal(r.body.closed_by_audit_id, internal);
    assert.equal(r.body.closed_by_audit.id, internal);
    assert.equal(r.body.closed_by_audit.kind, 'internal');
    assert.deepEqual(r.body.events.map((e) => [e.from_status, e.to_status]), [
      ['', 'open'], ['open', 'action_planned'], ['action_planned', 'implemented'], ['implemented', 'not_effective'],
      ['not_effective', 'reopened'], ['reopened', 'action_planned'], ['action_planned', 'implemented'],
      ['implemented', 'effective']]);
    assert.equal(r.body.events.at(-1).audit_id, internal);
    assert.equal(r.body.events.at(-1).note, '复查研发部门内审记录，有效');
    // closed: no more edits, no more steps
    assertError(await edit(enterprise, nc.id, { owner: '王五' }), 409, 'nonconformity_closed');
    assertError(await step(enterprise, nc.id, { status: 'reopened' }), 409, 'nonconformity_transition');

    // every write audited
    const log = await admin.request('GET', `/api/audit?entity=nonconformity&entity_id=${nc.id}&per_page=100`);
    assert.equal(log.status, 200);
    const actions = log.body.items.map((e) => e.action).sort();
    assert.equal(actions.filter((a) => a === 'nonconformity.create').length, 1);
    assert.equal(actions.filter((a) => a === 'nonconformity.update').length, 2);
    assert.equal(actions.filter((a) => a === 'nonconformity.status').length, 7);
  });

  test('a body raises one from its audit and verifies it with its audit; it reads that enterprise\'s, nobody else\'s', async () => {
    const audit = plantAudit(engaged, bodyId, 'stage2', catalogue2023);
    let r = await create(body, { ...base, clause_number: '8.2', grade: 'major', raised_by_audit_id: audit });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const nc = r.body;
    assert.equal(nc.enterprise.id, engaged);
    assert.equal(nc.raised_by_audit_id, audit);
    assert.equal(nc.raised_by_audit.kind, 'stage2');
    // the enterprise's steps are not the body's
    assertError(await step(body, nc.id, { status: 'implemented' }), 403, 'forbidden');
    const staff = await accountFor(server, admin, { role: 'enterprise', enterprise_id: engaged });
    assert.equal((await edit(staff, nc.id, { root_cause: '台账缺失', corrective_action: '建立台账' })).status, 200);
    assert.equal((await step(staff, nc.id, { status: 'action_planned' })).status, 200);
    assert.equal((await step(staff, nc.id, { status: 'implemented' })).status, 200);
    assertError(await step(body, nc.id, { status: 'effective', note: '已查' }), 400, 'missing_field', 'audit_id');
    const foreign = plantAudit(engaged, null, 'internal', catalogue2023);
    assertError(await step(body, nc.id, { status: 'effective', note: '已查', audit_id: foreign }), 400, 'unknown_audit', 'audit_id');
    const surveillance = plantAudit(engaged, bodyId, 'surveillance', catalogue2023);
    r = await step(body, nc.id, { status: 'effective', note: '监督审核抽查台账，有效', audit_id: surveillance });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.closed_by_audit_id, surveillance);
    // lists: the body sees it by audit; the demo enterprise does not; filters
    r = await body.request('GET', `/api/nonconformities?audit_id=${audit}`);
    assert.deepEqual(r.body.items.map((x) => x.id), [nc.id]);
    r = await body.request('GET', `/api/nonconformities?audit_id=${surveillance}&grade=major&status=effective&clause=8.2`);
    assert.deepEqual(r.body.items.map((x) => x.id), [nc.id]);
    r = await body.request('GET', `/api/nonconformities?audit_id=${audit}&grade=minor`);
    assert.equal(r.body.total, 0);
    if (engaged !== enterpriseId) {
      assertError(await enterprise.request('GET', `/api/nonconformities/${nc.id}`), 404, 'nonconformity_not_found');
      r = await enterprise.request('GET', `/api/nonconformities?audit_id=${audit}`);
      assert.equal(r.body.total, 0);
    }
    assertError(await body.request('GET', '/api/nonconformities?status=closed'), 400, 'invalid_query', 'status');
    assertError(await body.request('GET', '/api/nonconformities?overdue=yes'), 400, 'invalid_query', 'overdue');
  });

  test('scope: another enterprise\'s 404; a body without engagement 404 and not in its list; regulators by region', async () => {
    const theirs = await create(admin, { ...base, enterprise_id: stranger, clause_number: '7.5' });
    assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
    const id = theirs.body.id;
    assertError(await enterprise.request('GET', `/api/nonconformities/${id}`), 404, 'nonconformity_not_found');
    assertError(await step(enterprise, id, { status: 'action_planned' }), 404, 'nonconformity_not_found');
    assertError(await edit(enterprise, id, { owner: 'x' }), 404, 'nonconformity_not_found');
    assertError(await body.request('GET', `/api/nonconformities/${id}`), 404, 'nonconformity_not_found');
    assertError(await step(body, id, { status: 'effective', note: 'x' }), 404, 'nonconformity_not_found');
    let r = await body.request('GET', '/api/nonconformities?per_page=100&clause=7.5');
    assert.ok(!r.body.items.some((x) => x.id === id));
    r = await enterprise.request('GET', '/api/nonconformities?per_page=100');
    assert.ok(r.body.items.every((x) => x.enterprise.id === enterpriseId));
    assert.equal((await regulator.request('GET', `/api/nonconformities/${id}`)).status, 200);
    const region = theirs.body.enterprise.region;
    const gd = await regulatorGd.request('GET', `/api/nonconformities/${id}`);
    assert.equal(gd.status, region.startsWith('44') ? 200 : 404);
    assertError(await pub.request('GET', '/api/nonconformities'), 401, 'unauthenticated');
    assertError(await enterprise.request('GET', '/api/nonconformities/999999'), 404, 'nonconformity_not_found');
  });

  test('ten racing steps: exactly one goes through', async () => {
    const nc = (await create(enterprise, { ...base, clause_number: '7.4' })).body;
    await edit(enterprise, nc.id, { root_cause: '沟通渠道不畅', corrective_action: '建立月度沟通会' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => step(enterprise, nc.id, { status: 'action_planned' })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 409, 'nonconformity_transition');
    const events = (await enterprise.request('GET', `/api/nonconformities/${nc.id}`)).body.events;
    assert.equal(events.filter((e) => e.to_status === 'action_planned').length, 1);
  });

  test('overdue: the flag, the filter, and the daily job telling the enterprise once per due date', async () => {
    const late = (await create(enterprise, { ...base, clause_number: '7.3', due_date: '2020-01-15' })).body;
    const onTime = (await create(enterprise, { ...base, clause_number: '7.3', due_date: '2099-01-15' })).body;
    assert.equal(late.overdue, true);
    assert.equal(onTime.overdue, false);
    let r = await enterprise.request('GET', '/api/nonconformities?overdue=true&clause=7.3');
    assert.deepEqual(r.body.items.map((x) => x.id), [late.id]);
    r = await enterprise.request('GET', '/api/nonconformities?overdue=false&clause=7.3');
    assert.deepEqual(r.body.items.map((x) => x.id), [onTime.id]);

    const run = async (date) => {
      const t = Math.floor(Date.now() / 1000);
      const id = num(`INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at)
        VALUES ('nonconformity_overdue', '{"date":"${date}"}', 'queued', 0, 3, ${t}, ${t}) RETURNING id`);
      for (const deadline = Date.now() + 15000; ;) {
        const [[state, error]] = q(`SELECT state, last_error FROM jobs WHERE id = ${id}`);
        if (state === 'done') return;
        assert.ok(state !== 'dead' && Date.now() < deadline, `nonconformity_overdue ${date}: ${state} ${error}`);
        await sleep(100);
      }
    };
    const told = (id) => num(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.entity = 'nonconformity' AND n.entity_id = ${id} AND n.type = 'nonconformity' AND u.login = 'enterprise'`);
    await run('2020-01-15');                  // due that day: not yet overdue
    assert.equal(told(late.id), 0);
    await run('2020-01-16');
    assert.equal(told(late.id), 1);
    await run('2020-01-17');                  // once per due date
    assert.equal(told(late.id), 1);
    assert.equal(told(onTime.id), 0);
    // a new due date, passed in turn: told again
    await edit(enterprise, late.id, { due_date: '2021-03-01' });
    await run('2021-03-02');
    assert.equal(told(late.id), 2);
    const inbox = await enterprise.request('GET', '/api/notifications?per_page=100');
    assert.ok(inbox.body.items.some((n) => n.type === 'nonconformity' && n.title.includes('2021-03-01')));
  });

  test('counts by clause: major and minor, titles, the region and the days, exportable', async () => {
    // the 2013 edition's register holds only what this test records
    const rec = (enterpriseIdOf, clause, grade) => create(admin, { ...base, edition: '2013', enterprise_id: enterpriseIdOf, clause_number: clause, grade });
    const [[region]] = q(`SELECT region FROM enterprises WHERE id = ${stranger}`);
    for (const [clause, grade] of [['7.4', 'major'], ['7.4', 'minor'], ['7.4', 'minor'], ['5.5', 'major']])
      assert.equal((await rec(stranger, clause, grade)).status, 201);
    let r = await regulator.request('GET', '/api/nonconformities/by-clause?edition=2013');
    assert.equal(r.status, 200);
    const counts = Object.fromEntries(r.body.items.map((x) => [x.clause_number, [x.major, x.minor, x.total, x.clause_title]]));
    // 4.2.1 from the refusals test (the demo enterprise's internal audit)
    assert.deepEqual(counts['7.4'], [1, 2, 3, '保护']);
    assert.deepEqual(counts['5.5'], [1, 0, 1, '管理评审']);
    assert.deepEqual(counts['4.2.1'], [0, 1, 1, '总则']);
    assert.equal(r.body.items[0].clause_number, '7.4');             // most first
    assert.equal(r.body.total, 3);
    // days: none recorded in 2020
    r = await regulator.request('GET', '/api/nonconformities/by-clause?edition=2013&from=2020-01-01&to=2020-12-31');
    assert.equal(r.body.total, 0);
    const today = new Date().toISOString().slice(0, 10);
    r = await admin.request('GET', `/api/nonconformities/by-clause?edition=2013&from=${today}&to=${today}`);
    assert.equal(r.body.total, 3);
    // a province's regulator counts its own region only
    r = await regulatorGd.request('GET', '/api/nonconformities/by-clause?edition=2013');
    assert.equal(r.body.items.some((x) => x.clause_number === '7.4'), region.startsWith('44'));
    assertError(await regulator.request('GET', '/api/nonconformities/by-clause?edition=2019'), 400, 'invalid_query', 'edition');
    assertError(await regulator.request('GET', '/api/nonconformities/by-clause?from=yesterday'), 400, 'invalid_query', 'from');
    assertError(await enterprise.request('GET', '/api/nonconformities/by-clause'), 403, 'forbidden');
    assertError(await body.request('GET', '/api/nonconformities/by-clause'), 403, 'forbidden');
    const csv = await rawFetch(server.url, '/api/nonconformities/by-clause?edition=2013&format=csv', { client: regulator });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.ok(String(csv.body).includes('保护'));
    const list = await rawFetch(server.url, '/api/nonconformities?format=csv', { client: enterprise });
    assert.equal(list.status, 200);
    assert.ok(String(list.body).includes('内部审核未覆盖研发部门'));
  });
});
