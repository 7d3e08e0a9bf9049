// Audits and management reviews (issue 9, docs/compliance.md "Audits"), from outside: an
// enterprise plans its internal audits, a body its external ones under its own active or decided
// engagement; findings per sampled clause, the effectiveness check, sign-off (refused while
// incomplete, naming what is missing; ten racing sign-offs: one); a signed-off audit never
// changes (409) but can be corrected by a revision (ten racing corrections: one); reads are
// scoped; every write is in the audit log; the enterprise hears of a body's sign-off.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { accountFor } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('audits', () => {
  let server, pub, admin, enterprise, body, regulator, regulatorGd, otherEnterprise, strangerBody, faraway;
  let bodyId, engagementId;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    [[engagementId]] = rows(server, `SELECT id FROM engagements WHERE enterprise_id = 1 AND body_id = ${bodyId} `
      + "AND status IN ('active', 'decided') ORDER BY id LIMIT 1");
    engagementId = Number(engagementId);
    otherEnterprise = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 2 });
    const [[stranger]] = rows(server, 'SELECT id FROM bodies WHERE id NOT IN (SELECT body_id FROM engagements '
      + 'WHERE enterprise_id = 1) ORDER BY id LIMIT 1');
    strangerBody = await accountFor(server, admin, { role: 'body', body_id: Number(stranger) });
    faraway = await accountFor(server, admin, { role: 'regulator', region: '110000' });
  });
  after(async () => {
    if (process.env.AUDITS_TEST_LOGS) console.log(server?.logs().split('\n').filter((l) => /error|ERROR|fail/.test(l)).join('\n'));
    await server?.stop();
  });

  const plan = (extra = {}) => ({
    kind: 'internal', edition: '2023', title: '2026 年度内部审核', scope: '全部门',
    start_date: '2026-03-02', end_date: '2026-03-04', auditors: '张三\n李四', lead_auditor: '张三',
    clauses: ['7.3', '8.1'], ...extra,
  });
  const create = (client, json) => client.request('POST', '/api/audits', { json });
  const find = (client, id, clause, json) => client.request('PUT', `/api/audits/${id}/findings/${clause}`, { json });
  const patch = (client, id, json) => client.request('PATCH', `/api/audits/${id}`, { json });
  const signOff = (client, id) => client.request('POST', `/api/audits/${id}/sign-off`);
  const revise = (client, id) => client.request('POST', `/api/audits/${id}/revisions`);
  const auditLog = (id) => rows(server, `SELECT action FROM audit_log WHERE entity = 'audit' AND entity_id = '${id}' ORDER BY seq`)
    .map(([a]) => a);

  /** A complete audit of client's, ready to sign off. */
  async function complete(client, json = plan()) {
    const r = await create(client, json);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    for (const f of r.body.findings) assert.equal((await find(client, r.body.id, f.clause, { finding: 'conforming' })).status, 200);
    const p = await patch(client, r.body.id, { effectiveness_examined: '抽查 10 份记录', effectiveness_findings: '体系有效运行' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    return p.body;
  }

  test('the demo data: an internal audit with minor findings, a stage 2 and a surveillance audit, a review', async () => {
    const internal = (await enterprise.request('GET', '/api/audits?kind=internal&status=signed_off')).body.items;
    assert.ok(internal.length >= 1);
    const one = await enterprise.request('GET', `/api/audits/${internal[internal.length - 1].id}`);
    assert.deepEqual(one.body.findings.filter((f) => f.finding === 'minor').map((f) => f.clause), ['7.3', '8.2']);
    const external = (await body.request('GET', '/api/audits')).body.items.map((a) => [a.kind, a.status]);
    assert.deepEqual(external.sort(), [['stage2', 'signed_off'], ['surveillance', 'in_progress']]);
    assert.equal((await enterprise.request('GET', '/api/management-reviews')).body.total, 1);
  });

  test('planning refusals: fields, clauses, kinds, engagement, roles', async () => {
    let r = await create(enterprise, {});
    assertError(r, 400, 'missing_field');
    assert.ok(r.body.error.fields.map((f) => f.field).includes('clauses'));
    assertError(await create(enterprise, plan({ clauses: ['7.3', '99.9'] })), 400, 'audit_unknown_clause', 'clauses');
    assertError(await create(enterprise, plan({ kind: 'stage2' })), 400, 'invalid_value', 'kind');
    assertError(await create(enterprise, plan({ edition: '2019' })), 400, 'invalid_value', 'edition');
    assertError(await create(enterprise, plan({ end_date: '2026-03-01' })), 400, 'invalid_value', 'end_date');
    assertError(await create(body, plan({ kind: 'internal', engagement_id: engagementId })), 400, 'invalid_value', 'kind');
    assertError(await create(body, plan({ kind: 'stage2' })), 400, 'missing_field', 'engagement_id');
    // a body without an engagement with the enterprise cannot audit it
    assertError(await create(strangerBody, plan({ kind: 'stage2', engagement_id: engagementId })), 403,
      'audit_engagement_required', 'engagement_id');
    assertError(await create(regulator, plan()), 403, 'forbidden');
    assertError(await create(pub, plan()), 401, 'unauthenticated');
  });

  test('an internal audit: planned, found, refused sign-off until complete, signed off, frozen, revised', async () => {
    const r = await create(enterprise, plan());
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const a = r.body;
    assert.equal(a.kind, 'internal');
    assert.equal(a.status, 'planned');
    assert.equal(a.enterprise.id, 1);
    assert.equal(a.body, null);
    assert.equal(a.engagement_id, null);
    assert.equal(a.edition, '2023');
    assert.equal(a.revision, 1);
    assert.equal(a.previous_id, null);
    assert.equal(a.next_id, null);
    assert.deepEqual(a.findings.map((f) => [f.clause, f.finding]), [['7.3', ''], ['8.1', '']]);
    assert.ok(a.findings.every((f) => f.title.length > 0));

    // sign-off names everything missing
    let s = await signOff(enterprise, a.id);
    assertError(s, 400, 'audit_finding_missing', 'findings.7.3');
    assert.deepEqual(s.body.error.fields.map((f) => f.field),
      ['findings.7.3', 'findings.8.1', 'effectiveness_examined', 'effectiveness_findings']);

    assertError(await find(enterprise, a.id, '7.3', { finding: 'bad' }), 400, 'invalid_value', 'finding');
    assertError(await find(enterprise, a.id, '4.1', { finding: 'minor' }), 404, 'audit_clause_not_sampled');
    let f = await find(enterprise, a.id, '7.3', { finding: 'minor', notes: '记录不全', evidence: '抽样 3 份' });
    assert.equal(f.status, 200, JSON.stringify(f.body));
    assert.equal(f.body.status, 'in_progress');
    assert.deepEqual(f.body.findings[0], { ...f.body.findings[0], clause: '7.3', finding: 'minor', notes: '记录不全', evidence: '抽样 3 份' });
    f = await find(enterprise, a.id, '8.1', { finding: 'conforming' });
    assert.equal(f.status, 200);

    // still refused without the effectiveness check
    s = await signOff(enterprise, a.id);
    assertError(s, 400, 'audit_effectiveness_missing', 'effectiveness_examined');
    assert.deepEqual(s.body.error.fields.map((x) => x.field), ['effectiveness_examined', 'effectiveness_findings']);
    let p = await patch(enterprise, a.id, { effectiveness_examined: '抽查了 2025 年的投诉处理记录' });
    assert.equal(p.status, 200);
    assertError(await signOff(enterprise, a.id), 400, 'audit_effectiveness_missing', 'effectiveness_findings');
    p = await patch(enterprise, a.id, { effectiveness_findings: '投诉均在 5 日内闭环', conclusion: '体系有效' });
    assert.equal(p.status, 200);
    assert.equal(p.body.conclusion, '体系有效');

    s = await signOff(enterprise, a.id);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.status, 'signed_off');
    assert.ok(s.body.signed_off_at);

    // frozen
    assertError(await find(enterprise, a.id, '8.1', { finding: 'major' }), 409, 'audit_signed_off');
    assertError(await patch(enterprise, a.id, { title: '改' }), 409, 'audit_signed_off');
    assertError(await signOff(enterprise, a.id), 409, 'audit_signed_off');

    // a correction is a new revision; the old one stays readable
    const v = await revise(enterprise, a.id);
    assert.equal(v.status, 201, JSON.stringify(v.body));
    assert.equal(v.body.revision, 2);
    assert.equal(v.body.previous_id, a.id);
    assert.equal(v.body.status, 'in_progress');
    assert.equal(v.body.effectiveness_findings, '投诉均在 5 日内闭环');
    assert.deepEqual(v.body.findings.map((x) => [x.clause, x.finding]), [['7.3', 'minor'], ['8.1', 'conforming']]);
    const old = await enterprise.request('GET', `/api/audits/${a.id}`);
    assert.equal(old.status, 200);
    assert.equal(old.body.next_id, v.body.id);
    assert.equal(old.body.status, 'signed_off');
    assertError(await revise(enterprise, a.id), 409, 'audit_revised');
    assertError(await revise(enterprise, v.body.id), 409, 'audit_not_signed_off');
    f = await find(enterprise, v.body.id, '8.1', { finding: 'observation' });
    assert.equal(f.status, 200);

    assert.deepEqual(auditLog(a.id), ['audit.create', 'audit.finding', 'audit.finding', 'audit.update', 'audit.update',
      'audit.sign_off']);
    assert.deepEqual(auditLog(v.body.id), ['audit.revise', 'audit.finding']);
  });

  test('ten racing sign-offs: one; ten racing revisions: one', async () => {
    const a = await complete(enterprise);
    const signs = await Promise.all(Array.from({ length: 10 }, () => signOff(enterprise, a.id)));
    assert.deepEqual(signs.map((x) => x.status).sort(), [200, ...Array(9).fill(409)]);
    for (const x of signs.filter((y) => y.status === 409)) assertError(x, 409, 'audit_signed_off');
    const revs = await Promise.all(Array.from({ length: 10 }, () => revise(enterprise, a.id)));
    assert.deepEqual(revs.map((x) => x.status).sort(), [201, ...Array(9).fill(409)]);
    for (const x of revs.filter((y) => y.status === 409)) assertError(x, 409, 'audit_revised');
    assert.deepEqual(rows(server, `SELECT COUNT(*) FROM audits WHERE previous_id = ${a.id}`), [['1']]);
  });

  test('an external audit: the body runs it, the enterprise reads it and is told of the sign-off', async () => {
    const a = await complete(body, plan({ kind: 'stage2', engagement_id: engagementId, title: '第二阶段审核' }));
    assert.equal(a.body.id, bodyId);
    assert.equal(a.engagement_id, engagementId);
    // the enterprise reads but does not change it
    const seen = await enterprise.request('GET', `/api/audits/${a.id}`);
    assert.equal(seen.status, 200);
    assertError(await patch(enterprise, a.id, { title: 'x' }), 403, 'audit_not_owner');
    assertError(await signOff(enterprise, a.id), 403, 'audit_not_owner');
    const s = await signOff(body, a.id);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const inbox = await enterprise.request('GET', '/api/notifications?per_page=100');
    assert.equal(inbox.body.items.filter((x) => x.type === 'audit' && x.entity_id === a.id).length, 1);
    // scope
    assertError(await otherEnterprise.request('GET', `/api/audits/${a.id}`), 404, 'audit_not_found');
    assertError(await strangerBody.request('GET', `/api/audits/${a.id}`), 404, 'audit_not_found');
    assertError(await faraway.request('GET', `/api/audits/${a.id}`), 404, 'audit_not_found');
    assert.equal((await regulatorGd.request('GET', `/api/audits/${a.id}`)).status, 200);
    assert.equal((await admin.request('GET', `/api/audits/${a.id}`)).status, 200);
    // lists
    const mine = await body.request('GET', '/api/audits?per_page=100');
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length > 0);
    assert.ok(mine.body.items.every((x) => x.body?.id === bodyId));
    const ours = await enterprise.request('GET', '/api/audits?kind=external&per_page=100');
    assert.ok(ours.body.items.some((x) => x.id === a.id));
    assert.ok(ours.body.items.every((x) => x.enterprise.id === 1 && x.kind !== 'internal'));
    const theirs = await otherEnterprise.request('GET', '/api/audits?per_page=100');
    assert.ok(theirs.body.items.every((x) => x.enterprise.id === 2));
    const byEngagement = await admin.request('GET', `/api/audits?engagement_id=${engagementId}&per_page=100`);
    assert.ok(byEngagement.body.items.every((x) => x.engagement_id === engagementId));
    assert.equal((await faraway.request('GET', `/api/audits?enterprise_id=1`)).body.total, 0);
    assertError(await admin.request('GET', '/api/audits?status=done'), 400, 'invalid_query', 'status');
    const csv = await rawFetch(server.url, '/api/audits?format=csv&kind=stage2', { client: admin });
    assert.equal(csv.status, 200);
    assert.match(csv.text, /^\uFEFF?编号,类型,企业,认证机构,委托编号,标题,开始日期,结束日期,审核组长,状态,版本/);
  });

  test('management reviews: the enterprise records and changes its own; scoped reads', async () => {
    const json = { date: '2026-06-30', participants: '总经理、管理者代表', inputs: '内审结果、顾客反馈',
      decisions: '增加售后人员', actions: '7 月底前招聘 2 人' };
    assertError(await enterprise.request('POST', '/api/management-reviews', { json: {} }), 400, 'missing_field', 'date');
    assertError(await enterprise.request('POST', '/api/management-reviews', { json: { date: '2026-13-01' } }), 400,
      'invalid_value', 'date');
    assertError(await body.request('POST', '/api/management-reviews', { json }), 403, 'forbidden');
    const r = await enterprise.request('POST', '/api/management-reviews', { json });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual({ ...r.body, id: 0, created_at: '', updated_at: '', enterprise: null },
      { ...json, id: 0, created_at: '', updated_at: '', enterprise: null });
    assert.equal(r.body.enterprise.id, 1);
    const p = await enterprise.request('PATCH', `/api/management-reviews/${r.body.id}`, { json: { decisions: '增加售后人员 3 名' } });
    assert.equal(p.status, 200);
    assert.equal(p.body.decisions, '增加售后人员 3 名');
    assert.equal(p.body.actions, json.actions);
    assertError(await otherEnterprise.request('GET', `/api/management-reviews/${r.body.id}`), 404, 'management_review_not_found');
    assertError(await otherEnterprise.request('PATCH', `/api/management-reviews/${r.body.id}`, { json: { actions: 'x' } }), 404,
      'management_review_not_found');
    assertError(await faraway.request('GET', `/api/management-reviews/${r.body.id}`), 404, 'management_review_not_found');
    assertError(await body.request('GET', `/api/management-reviews/${r.body.id}`), 403, 'forbidden');
    assert.equal((await regulatorGd.request('GET', `/api/management-reviews/${r.body.id}`)).status, 200);
    const list = await enterprise.request('GET', '/api/management-reviews');
    assert.ok(list.body.items.some((x) => x.id === r.body.id));
    assert.equal((await otherEnterprise.request('GET', '/api/management-reviews')).body.items.filter((x) => x.id === r.body.id).length, 0);
    assert.deepEqual(rows(server, `SELECT action FROM audit_log WHERE entity = 'management_review' AND entity_id = '${r.body.id}' ORDER BY seq`),
      [['management_review.create'], ['management_review.update']]);
  });
});
