// Self-assessment (docs/compliance.md "Self-assessment"): an enterprise assesses itself clause by
// clause against the current 2023 catalogue, each change of an item kept in its history; progress
// by chapter and the gaps; evidence uploads checked by content and size with nothing stored when
// refused; who reads what (another enterprise, a body without a grant, a regulator of another
// province: 404); evidence grants; and the guarded completion (10 at once: one 200).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';

checkEveryAnswer();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
// the first bytes of an ELF executable, sent as "report.pdf"
const ELF = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64, 1)]);

function upload(client, path, bytes, name) {
  return client.request('POST', path, {
    body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
  });
}

describe('self-assessment', () => {
  let server, admin, regGd, regBj, body, bodyId, entA, entB, assessment, engagementA;
  let serial = 0;
  const count = (table) => sqlNumber(server.db, `SELECT COUNT(*) FROM ${table}`);

  async function newEnterprise() {
    serial += 1;
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: `自评测试企业${serial}有限公司`, credit_code: makeCode('440305', 8800 + serial), region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const login = `assess-ent-${serial}`;
    const u = await admin.request('POST', '/api/users', {
      json: { login, name: `自评用户${serial}`, role: 'enterprise', password: 'assessment-pass-1', enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    return { id: e.body.id, client: await signedIn(server.url, login, 'assessment-pass-1') };
  }
  const item = (client, id, clause, json) => client.request('PUT', `/api/self-assessments/${id}/items/${clause}`, { json });

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    regGd = await signedIn(server.url, 'regulator-gd');
    body = await signedIn(server.url, 'body');
    bodyId = (await body.request('GET', '/api/session')).body.user.body_id;
    const r = await admin.request('POST', '/api/users', {
      json: { login: 'assess-reg-bj', name: '北京市知识产权局', role: 'regulator', region: '110000', password: 'assessment-pass-1' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    regBj = await signedIn(server.url, 'assess-reg-bj', 'assessment-pass-1');
    entA = await newEnterprise();
    entB = await newEnterprise();
    // entA requests certification from the demo body: the engagement its grant names
    const [[commitment]] = sql(server.db, `SELECT id FROM commitments WHERE body_id = ${bodyId} AND status = 'published' ORDER BY id LIMIT 1`);
    const g = await entA.client.request('POST', '/api/engagements', { json: { commitment_id: Number(commitment) } });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    engagementA = g.body.id;
  });
  after(async () => { await server?.stop(); });

  test('an enterprise starts one against the current 2023 catalogue', async () => {
    assertError(await entA.client.request('POST', '/api/self-assessments', { json: { edition: '2019' } }), 400, 'invalid_value', 'edition');
    assertError(await entA.client.request('POST', '/api/self-assessments', { json: {} }), 400, 'missing_field', 'edition');
    const r = await entA.client.request('POST', '/api/self-assessments', { json: { edition: '2023', title: '2026 年度自评' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assessment = r.body;
    assert.equal(assessment.status, 'in_progress');
    assert.equal(assessment.edition, '2023');
    assert.equal(assessment.title, '2026 年度自评');
    assert.equal(assessment.enterprise_id, entA.id);
    // 32 clauses of which 7 chapter headings: 25 to assess
    assert.equal(assessment.clauses.length, 32);
    assert.equal(assessment.total, 25);
    assert.equal(assessment.assessed, 0);
    assert.deepEqual(assessment.chapters.map((c) => [c.number, c.total]),
      [['4', 5], ['5', 3], ['6', 2], ['7', 5], ['8', 4], ['9', 3], ['10', 3]]);
    assert.ok(assessment.clauses.every((c) => c.item === null));
    assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'self_assessment' AND action = 'self_assessment.create' AND entity_id = '${assessment.id}'`), 1);
  });

  test('items: status validated, clause in the catalogue, progress and gaps', async () => {
    const id = assessment.id;
    assertError(await item(entA.client, id, '4.1', { status: 'bogus' }), 400, 'invalid_value', 'status');
    assertError(await item(entA.client, id, '4.1', {}), 400, 'missing_field', 'status');
    assertError(await item(entA.client, id, '99.9', { status: 'conforming' }), 404, 'clause_not_found');
    assertError(await item(entA.client, id, '4', { status: 'conforming' }), 400, 'clause_not_assessable');
    assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM assessment_items WHERE assessment_id = ${id}`), 0);
    let r = await item(entA.client, id, '4.1', { status: 'conforming', notes: '已识别内外部因素', owner: '法务部' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.clause_number, '4.1');
    assert.equal(r.body.owner, '法务部');
    for (const [clause, status] of [['4.2', 'partly'], ['5.1', 'not_conforming'], ['5.2', 'not_applicable']]) {
      r = await item(entA.client, id, clause, { status, notes: `${clause} 说明` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const d = (await entA.client.request('GET', `/api/self-assessments/${id}`)).body;
    assert.deepEqual(d.progress, { assessed: 4, total: 25, by_status: { conforming: 1, partly: 1, not_conforming: 1, not_applicable: 1 } });
    assert.equal(d.assessed, 4);
    const ch4 = d.chapters.find((c) => c.number === '4'), ch5 = d.chapters.find((c) => c.number === '5');
    assert.deepEqual([ch4.assessed, ch4.total, ch4.by_status.conforming, ch4.by_status.partly], [2, 5, 1, 1]);
    assert.deepEqual([ch5.assessed, ch5.total, ch5.by_status.not_conforming, ch5.by_status.not_applicable], [2, 3, 1, 1]);
    assert.deepEqual(d.gaps.map((g) => [g.number, g.status, g.title]),
      [['4.2', 'partly', '理解相关方的需要和期望'], ['5.1', 'not_conforming', '领导作用和承诺']]);
    assert.equal(d.clauses.find((c) => c.number === '4.1').item.notes, '已识别内外部因素');
  });

  test('history: each change of status or notes, newest first', async () => {
    const id = assessment.id;
    assert.equal((await item(entA.client, id, '4.2', { status: 'conforming', notes: '已补充相关方清单' })).status, 200);
    // only the owner changes: no new entry; notes left out keep their value
    const r = await item(entA.client, id, '4.2', { status: 'conforming', owner: '综合部' });
    assert.equal(r.body.notes, '已补充相关方清单');
    const h = await entA.client.request('GET', `/api/self-assessments/${id}/items/4.2/history`);
    assert.equal(h.status, 200);
    assert.deepEqual(h.body.items.map((e) => [e.from_status, e.to_status, e.notes]),
      [['partly', 'conforming', '已补充相关方清单'], ['', 'partly', '4.2 说明']]);
    const none = await entA.client.request('GET', `/api/self-assessments/${id}/items/6.1/history`);
    assert.deepEqual(none.body.items, []);
    const gaps = (await entA.client.request('GET', `/api/self-assessments/${id}`)).body.gaps;
    assert.deepEqual(gaps.map((g) => g.number), ['5.1']);
  });

  test('evidence: uploaded to an assessed clause, refused when disguised or too large, nothing stored', async () => {
    const id = assessment.id;
    const r = await upload(entA.client, `/api/self-assessments/${id}/items/4.1/evidence`, PDF, '相关方清单.pdf');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.type, 'application/pdf');
    assert.equal(r.body.name, '相关方清单.pdf');
    const d = (await entA.client.request('GET', `/api/self-assessments/${id}`)).body;
    assert.deepEqual(d.clauses.find((c) => c.number === '4.1').item.evidence.map((e) => e.id), [r.body.id]);
    assert.equal((await entA.client.request('GET', r.body.url)).status, 200);
    assertError(await entB.client.request('GET', r.body.url), 404, 'file_not_found');
    assertError(await body.request('GET', r.body.url), 404, 'file_not_found');

    assertError(await upload(entA.client, `/api/self-assessments/${id}/items/6.1/evidence`, PDF, 'x.pdf'), 404, 'assessment_item_not_found');
    const before = ['attachments', 'file_contents', 'evidence_links'].map(count);
    assertError(await upload(entA.client, `/api/self-assessments/${id}/items/4.1/evidence`, ELF, 'report.pdf'), 415, 'file_type_not_allowed');
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    assertError(await upload(entA.client, `/api/self-assessments/${id}/items/4.1/evidence`, big, 'big.txt'), 413, 'body_too_large');
    assertError(await upload(entB.client, `/api/self-assessments/${id}/items/4.1/evidence`, PDF, 'x.pdf'), 404, 'self_assessment_not_found');
    assert.deepEqual(['attachments', 'file_contents', 'evidence_links'].map(count), before);
  });

  test('scope: another enterprise, a body without a grant, a regulator of another province get 404', async () => {
    const id = assessment.id;
    for (const c of [entB.client, body, regBj]) {
      assertError(await c.request('GET', `/api/self-assessments/${id}`), 404, 'self_assessment_not_found');
      assertError(await c.request('GET', `/api/self-assessments/${id}/items/4.1/history`), 404, 'self_assessment_not_found');
      assert.equal((await c.request('GET', `/api/self-assessments?enterprise_id=${entA.id}`)).body.total, 0);
    }
    assertError(await item(entB.client, id, '4.1', { status: 'partly' }), 404, 'self_assessment_not_found');
    for (const c of [regGd, admin]) {
      const r = await c.request('GET', `/api/self-assessments/${id}`);
      assert.equal(r.status, 200);
      assert.ok((await c.request('GET', `/api/self-assessments?enterprise_id=${entA.id}`)).body.items.some((a) => a.id === id));
    }
    const csv = await rawFetch(server.url, '/api/self-assessments?format=csv', { client: entA.client });
    assert.equal(csv.status, 200);
    assert.match(csv.text, /编号,企业名称,标准版本/);
    assert.match(csv.text, new RegExp(`${id},自评测试企业1有限公司,2023,\\d+,2026 年度自评,in_progress,4,25,`));
    const mine = await entA.client.request('GET', '/api/self-assessments');
    assert.deepEqual(mine.body.items.map((a) => [a.id, a.assessed, a.total]), [[id, 4, 25]]);
  });

  test('evidence grants: a body reads while the grant stands', async () => {
    const id = assessment.id;
    assertError(await entB.client.request('POST', '/api/evidence-grants', { json: { body_id: bodyId, engagement_id: engagementA } }),
      404, 'engagement_not_found', 'engagement_id');
    assertError(await entA.client.request('POST', '/api/evidence-grants', { json: { body_id: bodyId + 1000, engagement_id: engagementA } }),
      404, 'engagement_not_found', 'engagement_id');
    const g = await entA.client.request('POST', '/api/evidence-grants', { json: { body_id: bodyId, engagement_id: engagementA } });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal(g.body.standing, true);
    assertError(await entA.client.request('POST', '/api/evidence-grants', { json: { body_id: bodyId, engagement_id: engagementA } }),
      409, 'evidence_grant_exists');
    assert.ok((await body.request('GET', '/api/evidence-grants')).body.items.some((x) => x.id === g.body.id));
    assert.equal((await entB.client.request('GET', '/api/evidence-grants')).body.total, 0);

    const d = await body.request('GET', `/api/self-assessments/${id}`);
    assert.equal(d.status, 200);
    assert.deepEqual((await body.request('GET', `/api/self-assessments?enterprise_id=${entA.id}`)).body.items.map((a) => a.id), [id]);
    assert.equal((await body.request('GET', `/api/self-assessments/${id}/items/4.2/history`)).status, 200);
    const file = d.body.clauses.find((c) => c.number === '4.1').item.evidence[0];
    const dl = await body.request('GET', file.url);
    assert.equal(dl.status, 200);
    // a body reads, never writes
    assert.equal((await item(body, id, '4.1', { status: 'partly' })).status, 403);

    assertError(await entB.client.request('DELETE', `/api/evidence-grants/${g.body.id}`), 404, 'evidence_grant_not_found');
    const rv = await entA.client.request('DELETE', `/api/evidence-grants/${g.body.id}`);
    assert.equal(rv.status, 200);
    assert.equal(rv.body.standing, false);
    assertError(await entA.client.request('DELETE', `/api/evidence-grants/${g.body.id}`), 409, 'evidence_grant_revoked');
    assertError(await body.request('GET', `/api/self-assessments/${id}`), 404, 'self_assessment_not_found');
    assertError(await body.request('GET', file.url), 404, 'file_not_found');
    assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'evidence_grant' AND entity_id = '${g.body.id}'`), 2);
    // one standing grant per engagement: ten at once → one 201, nine 409; ten revokes of it → one 200
    const grants = await Promise.all(Array.from({ length: 10 }, () =>
      entA.client.request('POST', '/api/evidence-grants', { json: { body_id: bodyId, engagement_id: engagementA } })));
    assert.deepEqual(grants.map((x) => x.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const won = grants.find((x) => x.status === 201).body.id;
    const revokes = await Promise.all(Array.from({ length: 10 }, () =>
      entA.client.request('DELETE', `/api/evidence-grants/${won}`)));
    assert.deepEqual(revokes.map((x) => x.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  });

  test('the demo: the demo enterprise’s 2023 assessment in progress, readable by the demo body through its grant', async () => {
    const ent = await signedIn(server.url, 'enterprise');
    const list = (await ent.request('GET', '/api/self-assessments')).body;
    assert.equal(list.total, 1);
    const d = (await ent.request('GET', `/api/self-assessments/${list.items[0].id}`)).body;
    assert.equal(d.status, 'in_progress');
    assert.deepEqual(d.progress, { assessed: 17, total: 25, by_status: { conforming: 13, partly: 2, not_conforming: 1, not_applicable: 1 } });
    assert.deepEqual(d.gaps.map((g) => [g.number, g.status]), [['4.5', 'partly'], ['6.1', 'not_conforming'], ['7.2', 'partly']]);
    const h = (await ent.request('GET', `/api/self-assessments/${d.id}/items/4.2/history`)).body.items;
    assert.deepEqual(h.map((e) => [e.from_status, e.to_status]), [['partly', 'conforming'], ['', 'partly']]);
    assert.equal(d.clauses.find((c) => c.item && c.item.evidence.length > 0).item.evidence[0].name, '知识产权方针（示例）.pdf');
    const viaGrant = await body.request('GET', `/api/self-assessments/${d.id}`);
    assert.equal(viaGrant.status, 200);
  });

  test('completion is guarded: 10 at once give one 200, then the assessment no longer changes', async () => {
    const id = assessment.id;
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      entA.client.request('POST', `/api/self-assessments/${id}/complete`, { json: {} })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.error.code, 'self_assessment_completed');
    assert.equal(answers.find((a) => a.status === 200).body.status, 'completed');
    const events = count('assessment_item_events');
    assertError(await item(entA.client, id, '6.1', { status: 'conforming' }), 409, 'self_assessment_completed');
    assertError(await upload(entA.client, `/api/self-assessments/${id}/items/4.1/evidence`, PDF, 'late.pdf'), 409, 'self_assessment_completed');
    assert.equal(count('assessment_item_events'), events);
    assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'self_assessment.complete'`), 1);
  });
});
