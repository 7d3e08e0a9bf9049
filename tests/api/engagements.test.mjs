// Engagements (issue 8; docs/marketplace.md), from outside: an enterprise requests certification
// under a body's commitment → the body accepts with its conflict-of-interest declaration →
// stage 1 → stage 2 → decision certified → the certificate is publicly verifiable with the
// engagement's scope and dates and its history shows the issue; declines and cancels; every
// refusal (consulted, a tie, a withdrawn commitment, a second open engagement, no declaration,
// stages out of order, a decision before stage 2, another body's staff, another enterprise);
// races (10 accepts at once → one 200; 5 decisions at once → one certificate); lead time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rows as sql } from './lib/sql.mjs';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

checkEveryAnswer();

const DAY = 86400000;
const dateAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const today = () => dateAgo(0);


describe('engagements', () => {
  let server, pub, admin, regulatorGd, bodyUser, otherBody, bodyId, otherBodyId, commitment, committedDays;
  let serial = 0;
  /** A new approved enterprise (region 440305 unless given) and a signed-in account of it. */
  async function newEnterprise(region = '440305', size = 'medium') {
    serial += 1;
    const code = makeCode(region, 7100 + serial);
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: `委托测试企业${serial}有限公司`, credit_code: code, region, industry: '39', size },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const login = `eng-ent-${serial}`;
    const u = await admin.request('POST', '/api/users', {
      json: { login, name: `企业用户${serial}`, role: 'enterprise', password: 'engagement-pass-1', enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    const client = await signedIn(server.url, login, 'engagement-pass-1');
    return { id: e.body.id, client };
  }
  const request = (ent, json = {}) => ent.client.request('POST', '/api/engagements', { json: { commitment_id: commitment, ...json } });
  const step = (client, id, what, json = {}) => client.request('POST', `/api/engagements/${id}/${what}`, { json });
  /** Moves an engagement's application date back by `days` (as if requested then). */
  function backdate(id, days) {
    sql(server, `UPDATE engagements SET application_date = '${dateAgo(days)}' WHERE id = ${id}`);
    sql(server, `UPDATE engagement_stages SET date = '${dateAgo(days)}' WHERE engagement_id = ${id} AND stage = 'application'`);
  }

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    [[commitment, committedDays]] = sql(server,
      `SELECT c.id, v.lead_time_days FROM commitments c JOIN commitment_versions v ON v.commitment_id = c.id AND ` +
      `v.version = c.version WHERE c.body_id = ${bodyId} AND c.status = 'published' ORDER BY c.id LIMIT 1`);
    commitment = Number(commitment);
    committedDays = Number(committedDays);
    [[otherBodyId]] = sql(server, `SELECT id FROM bodies WHERE id <> ${bodyId} ORDER BY id LIMIT 1`);
    otherBodyId = Number(otherBodyId);
    const u = await admin.request('POST', '/api/users', {
      json: { login: 'eng-other-body', name: '另一机构', role: 'body', password: 'engagement-pass-1', body_id: otherBodyId },
    });
    assert.equal(u.status, 201);
    otherBody = await signedIn(server.url, 'eng-other-body', 'engagement-pass-1');
  });
  after(async () => { await server?.stop(); });

  test('the whole path: request → accept → stage 1 → stage 2 → certified, verifiable, with its history', async () => {
    const ent = await newEnterprise('440305', 'medium');
    const r = await request(ent, { note: '体系已运行六个月' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id;
    assert.equal(r.body.status, 'requested');
    assert.equal(r.body.stage, 'application');
    assert.equal(r.body.application_date, today());
    assert.equal(r.body.commitment.id, commitment);
    assert.equal(r.body.commitment.committed_lead_days, committedDays);
    assert.equal(r.body.body.id, bodyId);
    assert.equal(r.body.request_note, '体系已运行六个月');
    assert.equal(r.body.declaration, null);
    assert.equal(r.body.days_elapsed, 0);
    assert.deepEqual(r.body.stages.map((s) => [s.stage, s.date]), [['application', today()]]);

    // the body's accounts hear of it
    const inbox = await bodyUser.request('GET', '/api/notifications?per_page=5');
    assert.ok(inbox.body.items.some((n) => n.type === 'engagement' && n.link === `/engagements/${id}`));

    // applied 45 days ago: lead time 45 at a decision today
    backdate(id, 45);
    const shown = await ent.client.request('GET', `/api/engagements/${id}`);
    assert.equal(shown.body.days_elapsed, 45);

    const a = await step(bodyUser, id, 'accept', { declaration: true });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.status, 'active');
    assert.match(a.body.declaration.statement, /未向该企业提供/);
    assert.ok(a.body.declaration.declared_by.length > 0);

    let s1 = await step(bodyUser, id, 'stages', { stage: 'stage1', date: dateAgo(30), note: '文件审核' });
    assert.equal(s1.status, 200, JSON.stringify(s1.body));
    assert.equal(s1.body.stage, 'stage1');
    const s2 = await step(bodyUser, id, 'stages', { stage: 'stage2', date: dateAgo(10) });
    assert.equal(s2.status, 200, JSON.stringify(s2.body));
    assert.deepEqual(s2.body.stages.map((s) => [s.stage, s.date]),
      [['application', dateAgo(45)], ['stage1', dateAgo(30)], ['stage2', dateAgo(10)]]);

    const d = await step(bodyUser, id, 'decision', { decision: 'certified', date: today() });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal(d.body.status, 'decided');
    assert.equal(d.body.stage, 'decision');
    assert.equal(d.body.decision, 'certified');
    assert.equal(d.body.decision_date, today());
    assert.equal(d.body.lead_days, 45);
    assert.equal(d.body.within_commitment, 45 <= committedDays);
    assert.equal(d.body.days_elapsed, null);
    const number = d.body.certificate_number;
    // the generated number: body code 840, the year, IP, 9 + the engagement id, R0, M (medium)
    const yy = today().slice(2, 4);
    assert.equal(number, `840${yy}IP9${String(id).padStart(6, '0')}R0M`);
    assert.equal(d.body.certificate.number, number);
    assert.equal(d.body.certificate.status, 'valid');

    // publicly verifiable, with the engagement's scope and dates
    const [[areas, stages, edition, title]] = sql(server,
      `SELECT areas, stages, edition, title FROM commitment_versions WHERE commitment_id = ${commitment} ORDER BY version DESC LIMIT 1`);
    const cert = await pub.request('GET', `/api/certificates/${number}`);
    assert.equal(cert.status, 200);
    assert.equal(cert.body.holder.credit_code.length, 18);
    assert.equal(cert.body.body.id, bodyId);
    assert.equal(cert.body.issued, today());
    const expires = new Date(Date.now());
    expires.setUTCFullYear(expires.getUTCFullYear() + 3);
    assert.equal(cert.body.expires, new Date(expires.getTime() - DAY).toISOString().slice(0, 10));
    assert.equal(cert.body.standard, edition);
    assert.equal(cert.body.scope, title);
    assert.deepEqual(cert.body.scope_areas, areas.split(','));
    assert.deepEqual(cert.body.scope_stages, stages === '' ? [] : stages.split(','));
    // the engagement names the certificate it issued
    assert.deepEqual(sql(server, `SELECT g.id FROM engagements g JOIN certificates c ON c.id = g.certificate_id WHERE c.number = '${number}'`), [[String(id)]]);
    // its history shows the issue
    const h = await ent.client.request('GET', `/api/certificates/${number}/history`);
    assert.equal(h.status, 200);
    assert.equal(h.body.items.length, 1);
    assert.equal(h.body.items[0].to, 'valid');
    assert.match(h.body.items[0].reason, new RegExp(`#${id}`));
    // and the engagement's detail shows the certificate's later lifecycle
    const sus = await bodyUser.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '监督审核未按期进行' } });
    assert.equal(sus.status, 200);
    const after = await ent.client.request('GET', `/api/engagements/${id}`);
    assert.equal(after.body.certificate.status, 'suspended');
    assert.deepEqual(after.body.certificate.history.map((x) => x.to), ['valid', 'suspended']);
    // the enterprise heard of the decision
    const ei = await ent.client.request('GET', '/api/notifications?per_page=10');
    assert.ok(ei.body.items.some((n) => n.type === 'engagement' && /certify|认证/.test(n.title)));
    // audited step by step
    const log = await admin.request('GET', `/api/audit?entity=engagement&entity_id=${id}&sort=seq`);
    assert.deepEqual(log.body.items.map((x) => x.action),
      ['engagement.request', 'engagement.accept', 'engagement.stage', 'engagement.stage', 'engagement.decide']);
    const decide = log.body.items[4];
    assert.equal(decide.after.lead_days, 45);
    assert.equal(decide.after.certificate, number);
    assert.equal(decide.region, '440305');
  });

  test('the certificate\'s surveillance audits become the engagement\'s stages surveillance 1 and 2', async () => {
    const ent = await newEnterprise('440305', 'small');
    const id = (await request(ent)).body.id;
    backdate(id, 40);
    assert.equal((await step(bodyUser, id, 'accept', { declaration: true })).status, 200);
    assert.equal((await step(bodyUser, id, 'stages', { stage: 'stage1', date: dateAgo(30) })).status, 200);
    assert.equal((await step(bodyUser, id, 'stages', { stage: 'stage2', date: dateAgo(20) })).status, 200);
    const d = await step(bodyUser, id, 'decision', { decision: 'certified', date: dateAgo(10) });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const number = d.body.certificate.number;
    const survey = (json) => bodyUser.request('POST', `/api/certificates/${number}/surveillances`, { json });
    assert.equal((await survey({ audit_date: dateAgo(5), outcome: 'maintained' })).status, 201);
    let g = await bodyUser.request('GET', `/api/engagements/${id}`);
    assert.equal(g.body.stage, 'surveillance1');
    assert.deepEqual(g.body.stages.map((x) => [x.stage, x.date]), [
      ['application', dateAgo(40)], ['stage1', dateAgo(30)], ['stage2', dateAgo(20)], ['decision', dateAgo(10)],
      ['surveillance1', dateAgo(5)],
    ]);
    assert.equal((await survey({ audit_date: today(), outcome: 'suspended', reason: '监督审核发现严重不符合项' })).status, 201);
    g = await ent.client.request('GET', `/api/engagements/${id}`);
    assert.equal(g.body.stage, 'surveillance2');
    assert.deepEqual(g.body.stages.at(-1), { ...g.body.stages.at(-1), stage: 'surveillance2', date: today() });
  });

  test('a decision beyond the commitment, not certified: no certificate', async () => {
    const ent = await newEnterprise();
    const r = await request(ent);
    const id = r.body.id;
    backdate(id, committedDays + 1);
    assert.equal((await step(bodyUser, id, 'accept', { declaration: true, statement: '本机构声明无利益冲突。' })).status, 200);
    assert.equal((await step(bodyUser, id, 'stages', { stage: 'stage1', date: dateAgo(2) })).status, 200);
    assert.equal((await step(bodyUser, id, 'stages', { stage: 'stage2', date: dateAgo(1) })).status, 200);
    const d = await step(bodyUser, id, 'decision', { decision: 'not_certified', date: today() });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal(d.body.lead_days, committedDays + 1);
    assert.equal(d.body.within_commitment, false);
    assert.equal(d.body.certificate_number, null);
    assert.equal(d.body.certificate, null);
    assert.equal(d.body.declaration.statement, '本机构声明无利益冲突。');
  });

  test('declines need a reason; cancels only while requested, only by the enterprise', async () => {
    const ent = await newEnterprise();
    const r = await request(ent);
    assertError(await step(bodyUser, r.body.id, 'decline', {}), 400, 'missing_field', 'reason');
    const d = await step(bodyUser, r.body.id, 'decline', { reason: '超出本机构业务范围' });
    assert.equal(d.status, 200);
    assert.equal(d.body.status, 'declined');
    assert.equal(d.body.decline_reason, '超出本机构业务范围');
    assertError(await step(ent.client, r.body.id, 'cancel'), 409, 'engagement_wrong_status');
    // declined is not open: a new request to the same body is allowed; then cancelled
    const again = await request(ent);
    assert.equal(again.status, 201);
    // cancelled once: five at once → one 200, four 409
    const cancels = await Promise.all(Array.from({ length: 5 }, () => step(ent.client, again.body.id, 'cancel')));
    assert.deepEqual(cancels.map((x) => x.status).sort(), [200, 409, 409, 409, 409]);
    const c = cancels.find((x) => x.status === 200);
    assert.equal(c.body.status, 'cancelled');
    assertError(await step(bodyUser, again.body.id, 'accept', { declaration: true }), 409, 'engagement_wrong_status');
    const other = await newEnterprise();
    assertError(await step(other.client, again.body.id, 'cancel'), 404, 'engagement_not_found');
  });

  test('refusals: consulted, a tie, withdrawn, a second open engagement, no declaration, order, scope', async () => {
    const ent = await newEnterprise();
    // a second open engagement with the same body
    const first = await request(ent);
    assert.equal(first.status, 201);
    assertError(await request(ent), 409, 'engagement_open');
    // accept without the declaration: 400, nothing changes
    assertError(await step(bodyUser, first.body.id, 'accept', {}), 400, 'declaration_required', 'declaration');
    assertError(await step(bodyUser, first.body.id, 'accept', { declaration: false }), 400, 'declaration_required', 'declaration');
    assert.equal((await ent.client.request('GET', `/api/engagements/${first.body.id}`)).body.status, 'requested');
    // a different body's staff, another enterprise: not found
    assertError(await step(otherBody, first.body.id, 'accept', { declaration: true }), 404, 'engagement_not_found');
    assertError(await otherBody.request('GET', `/api/engagements/${first.body.id}`), 404, 'engagement_not_found');
    const stranger = await newEnterprise();
    assertError(await stranger.client.request('GET', `/api/engagements/${first.body.id}`), 404, 'engagement_not_found');
    // the enterprise may not accept its own
    assertError(await step(ent.client, first.body.id, 'accept', { declaration: true }), 403, 'forbidden');
    // stages out of order, decision before stage 2
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage1', date: today() }), 409, 'engagement_wrong_status');
    assert.equal((await step(bodyUser, first.body.id, 'accept', { declaration: true })).status, 200);
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage2', date: today() }), 409, 'stage_out_of_order', 'stage');
    assertError(await step(bodyUser, first.body.id, 'decision', { decision: 'certified', date: today() }), 409, 'stage_out_of_order');
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage1', date: dateAgo(-1) }), 400, 'invalid_value', 'date');
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage1', date: dateAgo(1) }), 400, 'invalid_value', 'date');
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage3', date: today() }), 400, 'invalid_value', 'stage');
    assert.equal((await step(bodyUser, first.body.id, 'stages', { stage: 'stage1', date: today() })).status, 200);
    assertError(await step(bodyUser, first.body.id, 'stages', { stage: 'stage1', date: today() }), 409, 'stage_out_of_order', 'stage');
    assertError(await step(bodyUser, first.body.id, 'decision', { decision: 'certified', date: today() }), 409, 'stage_out_of_order');

    // consulted: the tie is recorded, the request refused, and later ones too
    const ent2 = await newEnterprise();
    assertError(await request(ent2, { consulted: true }), 409, 'conflict_of_interest');
    assert.deepEqual(sql(server, `SELECT source FROM consulting_ties WHERE enterprise_id = ${ent2.id} AND body_id = ${bodyId}`), [['enterprise']]);
    assertError(await request(ent2), 409, 'conflict_of_interest');
    const none = await ent2.client.request('GET', '/api/engagements');
    assert.equal(none.body.total, 0);

    // a withdrawn commitment
    const [[withdrawn]] = sql(server, `SELECT id FROM commitments WHERE status = 'withdrawn' ORDER BY id LIMIT 1`);
    assertError(await request(ent2, { commitment_id: Number(withdrawn) }), 409, 'commitment_withdrawn', 'commitment_id');
    assertError(await request(ent2, { commitment_id: 999999 }), 404, 'commitment_not_found', 'commitment_id');
    assertError(await ent2.client.request('POST', '/api/engagements', { json: {} }), 400, 'missing_field', 'commitment_id');
  });

  test('a regulator records a tie: later acceptances and requests for the pair are refused', async () => {
    const ent = await newEnterprise();
    const r = await request(ent);
    assert.equal(r.status, 201);
    const tie = await regulatorGd.request('POST', '/api/consulting-ties',
      { json: { enterprise_id: ent.id, body_id: bodyId, note: '检查发现该机构关联公司曾为其提供贯标咨询' } });
    assert.equal(tie.status, 201, JSON.stringify(tie.body));
    assert.equal(tie.body.source, 'regulator');
    assertError(await regulatorGd.request('POST', '/api/consulting-ties',
      { json: { enterprise_id: ent.id, body_id: bodyId, note: '再次' } }), 409, 'consulting_tie_exists');
    assertError(await step(bodyUser, r.body.id, 'accept', { declaration: true }), 409, 'conflict_of_interest');
    assert.equal((await step(ent.client, r.body.id, 'cancel')).status, 200);
    assertError(await request(ent), 409, 'conflict_of_interest');
    const list = await regulatorGd.request('GET', `/api/consulting-ties?enterprise_id=${ent.id}`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((t) => [t.source, t.body.id]), [['regulator', bodyId]]);
    // outside the regulator's region: not found
    const beijing = await newEnterprise('110105');
    assertError(await regulatorGd.request('POST', '/api/consulting-ties',
      { json: { enterprise_id: beijing.id, body_id: bodyId, note: 'x' } }), 404, 'enterprise_not_found', 'enterprise_id');
    const far = await request(beijing);
    assertError(await regulatorGd.request('GET', `/api/engagements/${far.body.id}`), 404, 'engagement_not_found');
    const gdList = await regulatorGd.request('GET', `/api/engagements?enterprise_id=${beijing.id}`);
    assert.equal(gdList.body.total, 0);
  });

  test('lists are scoped and filtered', async () => {
    const ent = await newEnterprise();
    const r = await request(ent);
    const mine = await ent.client.request('GET', '/api/engagements');
    assert.deepEqual(mine.body.items.map((x) => x.id), [r.body.id]);
    const received = await bodyUser.request('GET', `/api/engagements?status=requested&enterprise_id=${ent.id}`);
    assert.deepEqual(received.body.items.map((x) => x.id), [r.body.id]);
    const all = await bodyUser.request('GET', '/api/engagements?per_page=100');
    assert.ok(all.body.items.every((x) => x.body.id === bodyId));
    assert.equal((await otherBody.request('GET', `/api/engagements?enterprise_id=${ent.id}`)).body.total, 0);
    assertError(await bodyUser.request('GET', '/api/engagements?status=nope'), 400, 'invalid_query');
    const csv = await rawFetch(server.url, `/api/engagements?enterprise_id=${ent.id}&format=csv`, { client: admin });
    assert.equal(csv.status, 200);
    const text = csv.text;
    assert.match(text, /委托编号/);
    assert.match(text, new RegExp(`${r.body.id},requested,application,委托测试企业`));
  });

  test('an enterprise not approved may not request; 5 requests at once → one engagement', async () => {
    const pending = await newEnterprise();
    sql(server, `UPDATE enterprises SET status = 'pending' WHERE id = ${pending.id}`);
    assertError(await request(pending), 409, 'enterprise_not_approved');
    const ent = await newEnterprise();
    const all = await Promise.all(Array.from({ length: 5 }, () => request(ent)));
    assert.deepEqual(all.map((x) => x.status).sort(), [201, 409, 409, 409, 409]);
    assert.ok(all.filter((x) => x.status === 409).every((x) => x.body.error.code === 'engagement_open'));
    assert.equal((await ent.client.request('GET', '/api/engagements')).body.total, 1);
  });

  test('a decision goes through the certificate rules: standing, another body\'s code, a number sent', async () => {
    const [[otherCommitment]] = sql(server, `SELECT id FROM commitments WHERE body_id = ${otherBodyId} AND status = 'published' ORDER BY id LIMIT 1`);
    const ent = await newEnterprise('440305', 'small');
    const r = await request(ent, { commitment_id: Number(otherCommitment) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id;
    assert.equal((await step(otherBody, id, 'accept', { declaration: true })).status, 200);
    assert.equal((await step(otherBody, id, 'stages', { stage: 'stage1', date: today() })).status, 200);
    assert.equal((await step(otherBody, id, 'stages', { stage: 'stage2', date: today() })).status, 200);
    // the body's approval suspended: no certificate, the engagement unchanged
    const standing = (status) => admin.request('POST', `/api/bodies/${otherBodyId}/standing`,
      { json: { which: 'approval', status, from: today(), reason: '监督检查' } });
    assert.equal((await standing('suspended')).status, 200);
    assertError(await step(otherBody, id, 'decision', { decision: 'certified', date: today() }), 409, 'body_not_in_good_standing');
    const still = await ent.client.request('GET', `/api/engagements/${id}`);
    assert.equal(still.body.status, 'active');
    assert.equal(still.body.stage, 'stage2');
    assert.equal((await standing('valid')).status, 200);
    // a number carrying the demo body's code 840
    assertError(await step(otherBody, id, 'decision', { decision: 'certified', date: today(), certificate: { number: '84026IP7654321R0S' } }),
      409, 'number_of_another_body', 'certificate.number');
    assertError(await step(otherBody, id, 'decision', { decision: 'certified', date: today(), certificate: { scope_areas: ['nope'] } }),
      400, 'invalid_value', 'certificate.scope_areas');
    // the body's own number and scope
    const d = await step(otherBody, id, 'decision', { decision: 'certified', date: today(),
      certificate: { number: 'ZX-2026-0001', scope: '软件研发的知识产权管理', scope_areas: ['acquisition', 'protection'], scope_stages: ['research'] } });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal(d.body.certificate_number, 'ZX-2026-0001');
    const cert = await pub.request('GET', '/api/certificates/ZX-2026-0001');
    assert.equal(cert.body.scope, '软件研发的知识产权管理');
    assert.deepEqual(cert.body.scope_areas, ['acquisition', 'protection']);
    assert.deepEqual(cert.body.scope_stages, ['research']);
    assert.equal(cert.body.body.id, otherBodyId);
  });

  test('races: 10 accepts at once → one 200; 5 decisions at once → one certificate', async () => {
    const ent = await newEnterprise();
    const r = await request(ent);
    const id = r.body.id;
    const accepts = await Promise.all(Array.from({ length: 10 }, () => step(bodyUser, id, 'accept', { declaration: true })));
    assert.equal(accepts.filter((x) => x.status === 200).length, 1, JSON.stringify(accepts.map((x) => x.status)));
    assert.ok(accepts.every((x) => x.status === 200 || x.status === 409));
    // a stage is recorded once: five at once → one 200, four 409
    const stage1 = await Promise.all(Array.from({ length: 5 }, () => step(bodyUser, id, 'stages', { stage: 'stage1', date: today() })));
    assert.deepEqual(stage1.map((x) => x.status).sort(), [200, 409, 409, 409, 409]);
    assert.equal((await step(bodyUser, id, 'stages', { stage: 'stage2', date: today() })).status, 200);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => step(bodyUser, id, 'decision', { decision: 'certified', date: today() })));
    assert.equal(decisions.filter((x) => x.status === 201).length, 1, JSON.stringify(decisions.map((x) => [x.status, x.body?.error?.code])));
    assert.ok(decisions.every((x) => x.status === 201 || x.status === 409));
    // a new enterprise: every certificate it holds came from this engagement's decisions
    const [[n]] = sql(server, `SELECT COUNT(*) FROM certificates WHERE enterprise_id = ${ent.id}`);
    assert.equal(Number(n), 1);
    const log = await admin.request('GET', `/api/audit?entity=engagement&entity_id=${id}`);
    assert.equal(log.body.items.filter((x) => x.action === 'engagement.accept').length, 1);
    assert.equal(log.body.items.filter((x) => x.action === 'engagement.decide').length, 1);
  });
});
