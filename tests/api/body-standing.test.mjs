// A body's own standing (issue 8; docs/registry.md), from outside: an admin suspends the body's
// approval → verification says so → the body cannot issue (409 body_not_in_good_standing, an
// admin for it neither, nor an import row) → restored, it issues again; a withdrawal is final;
// only admins record it; the audit entry holds before and after; the body's accounts are
// notified; and a suspension racing issues never lets one through after its commit.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { pdfText } from '../lib/pdf.mjs';

checkEveryAnswer();

const today = () => new Date().toISOString().slice(0, 10);

describe('body standing', () => {
  let server, pub, admin, bodyUser, enterprise, bodyId, body2Id, holder;
  let serial = 0;
  const nextNumber = () => `84026IP8${String(++serial).padStart(6, '0')}R0M`;
  const issue = (client, over = {}) => client.request('POST', '/api/certificates', {
    json: {
      number: nextNumber(), holder_credit_code: holder, standard: 'GB/T 29490-2023', scope: '知识产权管理体系',
      scope_areas: ['acquisition'], scope_stages: ['research'], issued: today(), ...over,
    },
  });
  const standing = (id, json, client = admin) => client.request('POST', `/api/bodies/${id}/standing`, { json });

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    enterprise = await signedIn(server.url, 'enterprise');
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    body2Id = bodies.body.items.find((b) => b.code === '841').id;
    holder = makeCode('440305', 5151);
    const r = await admin.request('POST', '/api/enterprises', {
      json: { name: '机构状态测试企业有限公司', credit_code: holder, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => { await server?.stop(); });

  test('a body starts valid, shown on the body, in the list and on its certificates', async () => {
    const b = await pub.request('GET', `/api/bodies/${bodyId}`);
    assert.equal(b.status, 200);
    assert.deepEqual(b.body.standing, {
      approval: { status: 'valid', since: '', until: '' }, accreditation: { status: 'valid', since: '', until: '' },
    });
    assert.deepEqual(b.body.standing_history, []);
    const list = await pub.request('GET', '/api/bodies?per_page=100');
    assert.equal(list.body.items.find((x) => x.id === bodyId).standing.approval.status, 'valid');
    const made = await issue(bodyUser);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(made.body.body.standing,
      { approval: 'valid', approval_since: '', accreditation: 'valid', accreditation_since: '' });
  });

  test('only admins record a standing; bad input changes nothing', async () => {
    const json = { which: 'approval', status: 'suspended', from: '2026-11-01' };
    assertError(await standing(bodyId, json, bodyUser), 403, 'forbidden');
    assertError(await standing(bodyId, json, enterprise), 403, 'forbidden');
    assert.equal((await standing(bodyId, json, pub)).status, 401);
    assertError(await standing(bodyId, { ...json, which: 'licence' }), 400, 'invalid_value', 'which');
    assertError(await standing(bodyId, { ...json, status: 'paused' }), 400, 'invalid_value', 'status');
    assertError(await standing(bodyId, { ...json, from: '2026-13-01' }), 400, 'invalid_value', 'from');
    assertError(await standing(bodyId, { ...json, until: '2026-10-01' }), 400, 'invalid_value', 'until');
    assertError(await standing(999999, json), 404, 'body_not_found');
    const b = await pub.request('GET', `/api/bodies/${bodyId}`);
    assert.equal(b.body.standing.approval.status, 'valid');
    assert.deepEqual(b.body.standing_history, []);
  });

  test('suspend → verification says so → issuing refused → restore → issuing works', async () => {
    const before = await issue(bodyUser);
    assert.equal(before.status, 201);
    const r = await standing(bodyId, {
      which: 'approval', status: 'suspended', from: '2026-11-20', until: '2027-02-20', reason: '监督检查发现问题',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.standing.approval, { status: 'suspended', since: '2026-11-20', until: '2027-02-20' });
    assert.equal(r.body.standing_history.length, 1);
    const ev = r.body.standing_history[0];
    assert.deepEqual({ ...ev, at: undefined }, {
      which: 'approval', from_status: 'valid', to_status: 'suspended', from: '2026-11-20', until: '2027-02-20',
      reason: '监督检查发现问题', at: undefined,
    });
    // verification of its certificate, and the holder search, say so
    const v = await pub.request('GET', `/api/certificates/${before.body.number}`);
    assert.equal(v.body.body.standing.approval, 'suspended');
    assert.equal(v.body.body.standing.approval_since, '2026-11-20');
    const search = await pub.request('GET', `/api/certificates?credit_code=${holder}`);
    assert.equal(search.status, 200);
    const items = search.body.items ?? search.body.certificates ?? [];
    assert.ok(items.length >= 1);
    for (const c of items) if (c.body.id === bodyId) assert.equal(c.body.standing.approval, 'suspended');
    // and so does its PDF
    const pdf = await fetch(`${server.url}/api/certificates/${before.body.number}/pdf`);
    assert.equal(pdf.status, 200);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer())).replace(/\s+/g, '');
    assert.ok(text.includes('发证机构的批准已暂停（自2026-11-20起）'), text);
    // issuing refused: by the body, by an admin for it; the other body still issues
    assertError(await issue(bodyUser), 409, 'body_not_in_good_standing');
    assertError(await issue(admin, { body_id: bodyId }), 409, 'body_not_in_good_standing');
    const other = await issue(admin, { body_id: body2Id, number: `84126IP8${String(++serial).padStart(6, '0')}R0M` });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    // an accreditation suspension alone does not stop issuing
    const acc = await standing(body2Id, { which: 'accreditation', status: 'suspended', from: '2026-11-21' });
    assert.equal(acc.status, 200);
    assert.equal(acc.body.standing.accreditation.status, 'suspended');
    assert.equal(acc.body.standing.approval.status, 'valid');
    // restored
    const back = await standing(bodyId, { which: 'approval', status: 'valid', from: '2026-11-25', reason: '整改完成' });
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.standing.approval, { status: 'valid', since: '2026-11-25', until: '' });
    assert.deepEqual(back.body.standing_history.map((e) => e.to_status), ['valid', 'suspended']);
    assert.equal((await issue(bodyUser)).status, 201);
  });

  test('the audit entry holds before and after; the body\'s accounts are notified', async () => {
    const a = await admin.request('GET', `/api/audit?entity_id=${bodyId}&action=body.standing&per_page=10`);
    assert.equal(a.status, 200);
    const [restored, suspended] = a.body.items;
    assert.equal(suspended.entity, 'body');
    assert.equal(suspended.actor.login, 'admin');
    assert.deepEqual(suspended.before, { status: 'valid', since: '', until: '' });
    assert.equal(suspended.after.status, 'suspended');
    assert.equal(suspended.after.since, '2026-11-20');
    assert.equal(suspended.after.until, '2027-02-20');
    assert.equal(suspended.after.reason, '监督检查发现问题');
    assert.equal(restored.before.status, 'suspended');
    assert.equal(restored.after.status, 'valid');
    const n = await bodyUser.request('GET', '/api/notifications?per_page=100');
    const mine = n.body.items.filter((x) => x.type === 'body_standing' && x.link === `/bodies/${bodyId}`);
    assert.equal(mine.length, 2);
    // an enterprise account is not told
    const e = await enterprise.request('GET', '/api/notifications?per_page=100');
    assert.equal(e.body.items.filter((x) => x.type === 'body_standing').length, 0);
  });

  test('a withdrawn approval is final', async () => {
    const w = await standing(body2Id, { which: 'approval', status: 'withdrawn', from: '2026-11-28', reason: '撤销批准' });
    assert.equal(w.status, 200);
    assert.equal(w.body.standing.approval.status, 'withdrawn');
    assertError(await standing(body2Id, { which: 'approval', status: 'valid', from: '2026-11-29' }), 409, 'body_standing_final');
    assertError(await standing(body2Id, { which: 'approval', status: 'suspended', from: '2026-11-29' }), 409,
      'body_standing_final');
    const b = await pub.request('GET', `/api/bodies/${body2Id}`);
    assert.equal(b.body.standing.approval.status, 'withdrawn');
    assert.equal(b.body.standing_history.filter((e) => e.which === 'approval').length, 1);
    assertError(await issue(admin, { body_id: body2Id, number: `84126IP8${String(++serial).padStart(6, '0')}R0M` }),
      409, 'body_not_in_good_standing');
    // the import refuses its rows, and still accepts those of a body in good standing
    const csv = 'number,holder_credit_code,body_code,standard,scope_areas,scope_stages,issued,expires\r\n' +
      `84126IP8990001R0M,${holder},841,GB/T 29490-2023,acquisition,research,${today()},2029-12-31\r\n` +
      `84026IP8990002R0M,${holder},840,GB/T 29490-2023,acquisition,research,${today()},2029-12-31\r\n`;
    const r = await admin.request('POST', '/api/certificates/imports',
      { body: Buffer.from(csv), headers: { 'content-type': 'text/csv', 'x-file-name': 'standing.csv' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 1);
    assert.deepEqual(r.body.rejected.map((x) => [x.row, x.code]), [[2, 'body_not_in_good_standing']]);
    assert.equal((await pub.request('GET', '/api/certificates/84126IP8990001R0M')).status, 404);
    assert.equal((await pub.request('GET', '/api/certificates/84026IP8990002R0M')).status, 200);
  });

  test('ten withdrawals of one approval at once: exactly one is recorded', async () => {
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    const id = bodies.body.items.find((b) => b.code === '842').id;
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      standing(id, { which: 'approval', status: 'withdrawn', from: '2026-11-30', reason: '同时撤销' })));
    assert.equal(answers.filter((r) => r.status === 200).length, 1, JSON.stringify(answers.map((r) => r.status)));
    assert.ok(answers.every((r) => r.status === 200 || r.status === 409), JSON.stringify(answers.map((r) => r.status)));
    const b = await pub.request('GET', `/api/bodies/${id}`);
    assert.equal(b.body.standing.approval.status, 'withdrawn');
    assert.equal(b.body.standing_history.filter((e) => e.which === 'approval').length, 1);
  });

  test('a suspension racing issues never lets one through after its commit (20 pairs)', async () => {
    for (let i = 0; i < 20; i++) {
      const ok = await standing(bodyId, { which: 'approval', status: 'valid', from: '2026-11-29' });
      assert.equal(ok.status, 200);
      const number = nextNumber();
      const [made, suspended] = await Promise.all([
        issue(bodyUser, { number }),
        standing(bodyId, { which: 'approval', status: 'suspended', from: '2026-11-29' }),
      ]);
      assert.equal(suspended.status, 200);
      assert.ok(made.status === 201 || made.status === 409, JSON.stringify(made.body));
      const s = (await admin.request('GET', `/api/audit?entity_id=${bodyId}&action=body.standing&per_page=1`)).body.items[0];
      const c = (await admin.request('GET', `/api/audit?entity_id=${number}&action=certificate.create`)).body.items;
      if (made.status === 201) {
        assert.equal(c.length, 1);
        assert.ok(c[0].seq < s.seq, `pair ${i}: the certificate was committed after the suspension`);
      } else {
        assert.equal(made.body.error.code, 'body_not_in_good_standing');
        assert.equal(c.length, 0);
        assert.equal((await pub.request('GET', `/api/certificates/${number}`)).status, 404);
      }
    }
  });
});
