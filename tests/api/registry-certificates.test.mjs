// Certificates (docs/registry.md; PRODUCT.md "Stable public contract"), from outside: public
// verification with exactly the documented fields, the public search by holder, issuing by a
// body (defaults, duplicates, unapproved holders, another body's name), the status lifecycle
// with its history, expiry by date, and the scoped list of each role with its filters.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode, withWrongFinal } from './lib/uscc.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const DEMO_CODE = '914403001922038216';
const DEMO_NAME = '深圳市示范科技有限公司';
const DEMO_CERT = '84025IP021017R0M';
const STATUSES = ['valid', 'suspended', 'withdrawn', 'expired'];
// with the lifecycle's (docs/registry.md "Lifecycle"; tests/api/surveillance.test.mjs)
const CERT_FIELDS = ['body', 'cycle', 'decision_date', 'expires', 'holder', 'issued', 'number', 'previous_number', 'renewed_by',
  'scope', 'scope_areas', 'scope_stages', 'standard', 'status', 'status_changed', 'surveillance_due', 'surveillance_overdue',
  'surveillances_done'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today (UTC, as the server counts), YYYY-MM-DD. */
const today = () => new Date().toISOString().slice(0, 10);

/** date + years − 1 day (29 February in a common year counts as 1 March), as DOMAIN.md's 3-year validity. */
function plusYearsMinusDay(date, years) {
  const [y, m, d] = date.split('-').map(Number);
  let month = m, day = d;
  const daysInMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  if (day > daysInMonth) { month += 1; day = 1; }
  return new Date(Date.UTC(y + years, month - 1, day) - 86400000).toISOString().slice(0, 10);
}

describe('registry: certificates', () => {
  let server;
  let pub, pubEn, admin, bodyUser, body2, enterprise, regGd, regulator;
  let bodyId, body2Id, bodyUserName;
  let approvedHolder, bjHolder, pendingHolder;
  let serial = 0;
  const nextNumber = (prefix = '840') => `${prefix}26IP9${String(++serial).padStart(5, '0')}R0M`;

  function issue(client, over = {}) {
    return client.request('POST', '/api/certificates', {
      json: {
        number: nextNumber(), holder_credit_code: approvedHolder, standard: 'GB/T 29490-2023',
        scope: '知识产权管理体系覆盖研发、采购、生产和销售', scope_areas: ['acquisition', 'maintenance', 'protection'],
        scope_stages: ['research', 'production'], issued: today(), ...over,
      },
    });
  }
  /** Every item of pages 1..n (per_page 100) of GET /api/certificates?query. */
  async function pages(client, query, n) {
    const items = [];
    let total = null;
    for (let page = 1; page <= n; page++) {
      const r = await client.request('GET', `/api/certificates?${query}&per_page=100&page=${page}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      total = r.body.total;
      items.push(...r.body.items);
      if (r.body.items.length < 100) break;
    }
    return { items, total };
  }

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    pubEn = new Client(server.url, { lang: 'en' });
    admin = await signedIn(server.url, 'admin');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    bodyUserName = s.body.user.name;
    enterprise = await signedIn(server.url, 'enterprise');
    regGd = await signedIn(server.url, 'regulator-gd');
    regulator = await signedIn(server.url, 'regulator');
    // a second body's account
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    body2Id = bodies.body.items.find((b) => b.code === '841').id;
    const u = await admin.request('POST', '/api/users', {
      json: { login: 'body-841', name: '中规认证审核员', role: 'body', password: 'second-body-password', body_id: body2Id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    body2 = await signedIn(server.url, 'body-841', 'second-body-password');
    // holders: one new approved enterprise in Guangdong, one in Beijing, one pending (demo)
    approvedHolder = makeCode('440305', 4242);
    bjHolder = makeCode('110105', 4243);
    for (const [code, region] of [[approvedHolder, '440305'], [bjHolder, '110105']]) {
      const r = await admin.request('POST', '/api/enterprises', {
        json: { name: `证书测试企业${region}有限公司`, credit_code: code, region, industry: '39', size: 'small' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const pending = await regGd.request('GET', '/api/enterprises?status=pending&per_page=1');
    assert.equal(pending.status, 200);
    pendingHolder = pending.body.items[0].credit_code;
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('the date helper agrees with the documented default validity', () => {
    assert.equal(plusYearsMinusDay('2024-02-29', 3), '2027-02-28');
    assert.equal(plusYearsMinusDay('2019-01-01', 3), '2021-12-31');
    assert.equal(plusYearsMinusDay('2023-03-01', 3), '2026-02-28');
    assert.equal(plusYearsMinusDay('2022-03-01', 3), '2025-02-28');
    assert.equal(plusYearsMinusDay('2025-03-01', 3), '2028-02-29');
    assert.equal(plusYearsMinusDay('2026-07-15', 3), '2029-07-14');
  });

  test('GET /api/certificates/{number} (public) has exactly the documented fields', async () => {
    const r = await pub.request('GET', '/api/certificates/' + DEMO_CERT);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const c = r.body;
    assert.deepEqual(Object.keys(c).sort(), CERT_FIELDS);
    assert.deepEqual(Object.keys(c.holder).sort(), ['address', 'credit_code', 'former_names', 'name']);
    assert.deepEqual(c.holder.former_names, [], 'the demo holder was never renamed');
    assert.deepEqual(Object.keys(c.body).sort(), ['approval_number', 'id', 'name', 'standing']);
    assert.equal(c.number, DEMO_CERT);
    assert.equal(c.holder.name, DEMO_NAME);
    assert.equal(c.holder.credit_code, DEMO_CODE);
    assert.equal(c.body.name, '中知认证有限公司');
    assert.equal(c.body.id, bodyId);
    const b = await pub.request('GET', `/api/bodies/${bodyId}`);
    assert.equal(c.body.approval_number, b.body.approval_number);
    assert.ok(['GB/T 29490-2013', 'GB/T 29490-2023'].includes(c.standard));
    assert.equal(typeof c.scope, 'string');
    assert.ok(c.scope.length > 0);
    assert.ok(Array.isArray(c.scope_areas) && c.scope_areas.length > 0);
    for (const a of c.scope_areas) assert.ok(['acquisition', 'maintenance', 'exploitation', 'protection', 'contracts', 'confidentiality'].includes(a), a);
    for (const s of c.scope_stages) assert.ok(['research', 'procurement', 'production', 'sales'].includes(s), s);
    for (const d of [c.issued, c.expires, c.status_changed]) assert.match(d, DATE);
    assert.equal(c.expires, plusYearsMinusDay(c.issued, 3));
    assert.ok(STATUSES.includes(c.status));
    assert.equal(c.status, c.expires < today() ? 'expired' : 'valid');
    for (const path of ['84025ip021017r0m', '84025Ip021017R0m']) {
      const lower = await pub.request('GET', '/api/certificates/' + path);
      assert.equal(lower.status, 200, path);
      assert.deepEqual(lower.body, c);
    }
    assertError(await pub.request('GET', '/api/certificates/84025IP999999R0M'), 404, 'certificate_not_found', null);
    const en = assertError(await pubEn.request('GET', '/api/certificates/84025IP999999R0M'), 404, 'certificate_not_found');
    assert.match(en.message, /^[\x20-\x7e]+$/);
    const zh = assertError(await pub.request('GET', '/api/certificates/ZZZZZZ-1'), 404, 'certificate_not_found');
    assert.match(zh.message, /[\u4e00-\u9fff]/);
    assertError(await pub.request('GET', '/api/certificates/X1'), 400, 'invalid_certificate_number');
  });

  test('GET /api/certificates?credit_code= (public) lists that holder\'s certificates; a bad code is 400', async () => {
    for (const q of [DEMO_CODE, DEMO_CODE.toLowerCase(), encodeURIComponent(` ${DEMO_CODE} `)]) {
      const r = await pub.request('GET', '/api/certificates?credit_code=' + q);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(Array.isArray(r.body.items));
      assert.ok(r.body.items.length >= 3, `${r.body.items.length} items`);
      const demo = r.body.items.find((c) => c.number === DEMO_CERT);
      assert.ok(demo, 'the demo certificate is listed');
      for (const c of r.body.items) {
        assert.deepEqual(Object.keys(c).sort(), CERT_FIELDS);
        assert.equal(c.holder.credit_code, DEMO_CODE);
        assert.equal(c.holder.name, DEMO_NAME);
        assert.ok(STATUSES.includes(c.status));
      }
      const statuses = new Set(r.body.items.map((c) => c.status));
      assert.ok(statuses.has('suspended') && statuses.has('withdrawn'), [...statuses].join());
    }
    const bad = assertError(await pub.request('GET', '/api/certificates?credit_code=' + withWrongFinal(DEMO_CODE)), 400, 'invalid_credit_code', 'credit_code');
    assert.match(bad.message, /第 18 位校验码应为“6”/);
    assertError(await pub.request('GET', '/api/certificates?credit_code=12345'), 400, 'invalid_credit_code', 'credit_code');
    assertError(await pub.request('GET', '/api/certificates?credit_code='), 400, 'invalid_credit_code', 'credit_code');
    const none = await pub.request('GET', '/api/certificates?credit_code=' + makeCode('440305', 9999));
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.items, []);
    assertError(await pub.request('GET', '/api/certificates'), 400, 'missing_query', 'credit_code');
    assertError(await pub.request('GET', '/api/certificates?status=valid'), 400, 'missing_query', 'credit_code');
  });

  test('a body issues a certificate: defaults, public verification, and the refusals', async () => {
    const countHolder = async () => (await pub.request('GET', '/api/certificates?credit_code=' + approvedHolder)).body.items.length;
    const leap = await issue(bodyUser, { issued: '2024-02-29', number: '84024ip0000001r0m' });
    assert.equal(leap.status, 201, JSON.stringify(leap.body));
    assert.deepEqual(Object.keys(leap.body).sort(), CERT_FIELDS);
    assert.equal(leap.body.number, '84024IP0000001R0M');
    assert.equal(leap.body.issued, '2024-02-29');
    assert.equal(leap.body.expires, '2027-02-28');
    assert.equal(leap.body.status, '2027-02-28' < today() ? 'expired' : 'valid');
    assert.equal(leap.body.body.id, bodyId);
    assert.equal(leap.body.holder.credit_code, approvedHolder);
    assert.deepEqual(leap.body.scope_areas, ['acquisition', 'maintenance', 'protection']);
    assert.deepEqual(leap.body.scope_stages, ['research', 'production']);
    const shown = await pub.request('GET', '/api/certificates/84024IP0000001R0M');
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body, leap.body);

    const now = await issue(bodyUser);
    assert.equal(now.status, 201, JSON.stringify(now.body));
    assert.equal(now.body.issued, today());
    assert.equal(now.body.expires, plusYearsMinusDay(today(), 3));
    assert.equal(now.body.status, 'valid');
    assert.equal(now.body.status_changed, today());
    const explicit = await issue(bodyUser, { issued: '2025-05-10', expires: '2028-05-01', body_id: bodyId });
    assert.equal(explicit.status, 201, JSON.stringify(explicit.body));
    assert.equal(explicit.body.expires, '2028-05-01');
    const n = await countHolder();
    assert.equal(n, 3);

    // refusals, none of which creates anything
    for (const number of [now.body.number, now.body.number.toLowerCase()]) {
      assertError(await issue(bodyUser, { number }), 409, 'certificate_exists', 'number', number);
    }
    assertError(await issue(admin, { number: DEMO_CERT, body_id: bodyId }), 409, 'certificate_exists', 'number');
    const pendingNumber = nextNumber();
    assertError(await issue(bodyUser, { number: pendingNumber, holder_credit_code: pendingHolder }), 409, 'enterprise_not_approved', 'holder_credit_code');
    assertError(await pub.request('GET', '/api/certificates/' + pendingNumber), 404, 'certificate_not_found');
    const otherBody = nextNumber();
    assertError(await issue(bodyUser, { number: otherBody, body_id: body2Id }), 400, 'invalid_value', 'body_id');
    assertError(await pub.request('GET', '/api/certificates/' + otherBody), 404, 'certificate_not_found');
    assertError(await issue(bodyUser, { holder_credit_code: withWrongFinal(approvedHolder) }), 400, 'invalid_credit_code', 'holder_credit_code');
    assertError(await issue(bodyUser, { holder_credit_code: makeCode('440305', 9998) }), 404, 'enterprise_not_found', 'holder_credit_code');
    assertError(await issue(bodyUser, { number: 'AB CD!' }), 400, 'invalid_certificate_number', 'number');
    assertError(await issue(bodyUser, { number: 'A1' }), 400, 'invalid_certificate_number', 'number');
    assertError(await issue(bodyUser, { standard: 'GB/T 29490-2020' }), 400, 'invalid_value', 'standard');
    assertError(await issue(bodyUser, { scope_areas: ['acquisition', 'marketing'] }), 400, 'invalid_value', 'scope_areas');
    assertError(await issue(bodyUser, { scope_areas: [] }), 400, 'invalid_value', 'scope_areas');
    assertError(await issue(bodyUser, { scope_stages: ['design'] }), 400, 'invalid_value', 'scope_stages');
    assertError(await issue(bodyUser, { issued: '2025-02-29' }), 400, 'invalid_value', 'issued');
    assertError(await issue(bodyUser, { issued: '2025/01/01' }), 400, 'invalid_value', 'issued');
    assertError(await issue(bodyUser, { issued: '2025-01-01', expires: '2025-01-01' }), 400, 'invalid_value', 'expires');
    assertError(await issue(bodyUser, { issued: '2025-01-01', expires: '2024-12-31' }), 400, 'invalid_value', 'expires');
    assertError(await issue(bodyUser, { status: 'valid' }), 400, 'unknown_field', 'status');
    assertError(await issue(admin), 400, 'missing_field', 'body_id');
    assertError(await issue(admin, { body_id: 999999 }), 404, 'body_not_found', 'body_id');
    assertError(await issue(pub), 401, 'unauthenticated');
    for (const c of [enterprise, regGd, regulator]) assertError(await issue(c), 403, 'forbidden');
    assert.equal(await countHolder(), 3, 'refused requests created nothing');

    // the admin issues in a body's name; the other body issues in its own
    const byAdmin = await issue(admin, { body_id: body2Id, number: nextNumber('841') });
    assert.equal(byAdmin.status, 201, JSON.stringify(byAdmin.body));
    assert.equal(byAdmin.body.body.id, body2Id);
    const by2 = await issue(body2, { number: nextNumber('841') });
    assert.equal(by2.status, 201, JSON.stringify(by2.body));
    assert.equal(by2.body.body.id, body2Id);
    assert.equal(by2.body.body.name, '中规(北京)认证有限公司');
    assert.equal(await countHolder(), 5);
  });

  test("a number in DOMAIN.md's usual pattern starts with its own body's code, when the code is another body's", async () => {
    const countHolder = async () => (await pub.request('GET', '/api/certificates?credit_code=' + approvedHolder)).body.items.length;
    const before = await countHolder();
    // 841 is body2's code: body 840 may not issue it, nor may an admin in 840's name, nor body2 take 840's
    for (const [client, over] of [[bodyUser, { number: '84126IP0000001R0M' }], [bodyUser, { number: '84126ip-frei' }],
      [admin, { number: '84126IP0000002R0M', body_id: bodyId }], [body2, { number: '84026IP0000003R0S' }], [body2, { number: DEMO_CERT }]]) {
      const e = assertError(await issue(client, over), 409, 'number_of_another_body', 'number', over.number);
      assert.match(e.message, /84[01]/);
    }
    assert.equal(await countHolder(), before, 'nothing was issued');
    // the body's own code, a code no body has, and numbers in other patterns are accepted
    for (const [client, number] of [[bodyUser, '84026IP0000004R0M'], [body2, '84126IP0000005R0M'], [bodyUser, '99926IP0000006R0M'],
      [bodyUser, 'ZH-841-2026-0007'], [bodyUser, '8412IP00008'], [bodyUser, '841260IP0009'], [admin, '84126IP0000010R1L']]) {
      const r = await issue(client, client === admin ? { number, body_id: body2Id } : { number });
      assert.equal(r.status, 201, `${number}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.number, number);
    }
    assert.equal(await countHolder(), before + 7);
  });

  test('status lifecycle: suspend (reason), reinstate, withdraw (reason), final; history in order', async () => {
    const r = await issue(bodyUser);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const number = r.body.number;
    const setStatus = (client, status, reason) =>
      client.request('POST', `/api/certificates/${number}/status`, { json: reason === undefined ? { status } : { status, reason } });
    const publicStatus = async () => (await pub.request('GET', '/api/certificates/' + number)).body.status;

    assertError(await setStatus(bodyUser, 'suspended'), 400, 'missing_field', 'reason');
    assertError(await setStatus(bodyUser, 'suspended', ''), 400, 'missing_field', 'reason');
    assertError(await setStatus(bodyUser, 'revoked', 'x'), 400, 'invalid_value', 'status');
    assertError(await setStatus(bodyUser, 'valid', 'already valid'), 409, 'invalid_transition', 'status');
    assert.equal(await publicStatus(), 'valid');

    // another body, the holder, a regulator: no changes
    assertError(await setStatus(body2, 'suspended', '越权暂停'), 403, 'forbidden');
    assertError(await body2.request('PATCH', `/api/certificates/${number}`, { json: { scope: '越权修改' } }), 403, 'forbidden');
    for (const c of [enterprise, regGd]) assertError(await setStatus(c, 'withdrawn', '越权撤销'), 403, 'forbidden');
    assertError(await setStatus(pub, 'withdrawn', '匿名撤销'), 401, 'unauthenticated');
    assert.equal(await publicStatus(), 'valid');

    const s1 = await setStatus(bodyUser, 'suspended', '监督审核发现严重不符合项');
    assert.equal(s1.status, 200, JSON.stringify(s1.body));
    assert.equal(s1.body.status, 'suspended');
    assert.equal(s1.body.status_changed, today());
    assert.equal(await publicStatus(), 'suspended');
    assertError(await setStatus(bodyUser, 'suspended', 'again'), 409, 'invalid_transition', 'status');
    const s2 = await setStatus(bodyUser, 'valid', '整改完成,恢复证书');
    assert.equal(s2.status, 200, JSON.stringify(s2.body));
    assert.equal(s2.body.status, 'valid');
    assert.equal(await publicStatus(), 'valid');
    assertError(await setStatus(bodyUser, 'withdrawn'), 400, 'missing_field', 'reason');
    const s3 = await setStatus(bodyUser, 'withdrawn', '提供虚假材料');
    assert.equal(s3.status, 200, JSON.stringify(s3.body));
    assert.equal(s3.body.status, 'withdrawn');
    assert.equal(await publicStatus(), 'withdrawn');
    for (const to of ['valid', 'suspended', 'expired', 'withdrawn']) {
      assertError(await setStatus(bodyUser, to, '试图恢复'), 409, 'invalid_transition', 'status', to);
      assertError(await setStatus(admin, to, '试图恢复'), 409, 'invalid_transition', 'status', to);
    }
    assert.equal(await publicStatus(), 'withdrawn');

    const h = await bodyUser.request('GET', `/api/certificates/${number.toLowerCase()}/history`);
    assert.equal(h.status, 200, JSON.stringify(h.body));
    const changes = h.body.items.map((e) => [e.from, e.to, e.reason]);
    assert.equal(h.body.items.length, 4, JSON.stringify(h.body.items));
    assert.deepEqual(h.body.items[0].to, 'valid');
    assert.ok(!h.body.items[0].from, 'issued from nothing');
    assert.deepEqual(changes.slice(1), [
      ['valid', 'suspended', '监督审核发现严重不符合项'],
      ['suspended', 'valid', '整改完成,恢复证书'],
      ['valid', 'withdrawn', '提供虚假材料'],
    ]);
    for (const e of h.body.items) {
      assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(e.by, bodyUserName);
    }
    for (let i = 1; i < h.body.items.length; i++) assert.ok(h.body.items[i - 1].at <= h.body.items[i].at);
    // who may read the history
    for (const c of [admin, regGd, regulator]) {
      const x = await c.request('GET', `/api/certificates/${number}/history`);
      assert.equal(x.status, 200);
      assert.deepEqual(x.body.items, h.body.items);
    }
    assertError(await body2.request('GET', `/api/certificates/${number}/history`), 404, 'certificate_not_found');
    assertError(await enterprise.request('GET', `/api/certificates/${number}/history`), 404, 'certificate_not_found');
    assertError(await pub.request('GET', `/api/certificates/${number}/history`), 401, 'unauthenticated');
  });

  test('the history of the demo certificates: holder and issuing body read it; a Beijing holder is not Guangdong\'s', async () => {
    const h = await enterprise.request('GET', `/api/certificates/${DEMO_CERT}/history`);
    assert.equal(h.status, 200, JSON.stringify(h.body));
    assert.ok(h.body.items.length >= 1);
    assert.equal(h.body.items[0].to, 'valid');
    const bj = await issue(bodyUser, { holder_credit_code: bjHolder });
    assert.equal(bj.status, 201, JSON.stringify(bj.body));
    assertError(await regGd.request('GET', `/api/certificates/${bj.body.number}/history`), 404, 'certificate_not_found');
    assert.equal((await regulator.request('GET', `/api/certificates/${bj.body.number}/history`)).status, 200);
    const gdList = await regGd.request('GET', '/api/certificates?q=' + bj.body.number);
    assert.equal(gdList.body.total, 0);
    const natList = await regulator.request('GET', '/api/certificates?q=' + bj.body.number);
    assert.equal(natList.body.total, 1);
  });

  test('admin may change any certificate; valid → expired is allowed without a reason; PATCH scope and expiry', async () => {
    const r = await issue(body2, { number: nextNumber('841') });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const number = r.body.number;
    const p = await body2.request('PATCH', `/api/certificates/${number}`, { json: { scope: '新的认证范围', scope_areas: ['contracts'], expires: '2030-01-31' } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.scope, '新的认证范围');
    assert.deepEqual(p.body.scope_areas, ['contracts']);
    assert.equal(p.body.expires, '2030-01-31');
    assertError(await body2.request('PATCH', `/api/certificates/${number}`, { json: { expires: '2000-01-01' } }), 400, 'invalid_value', 'expires');
    assertError(await body2.request('PATCH', `/api/certificates/${number}`, { json: { issued: '2000-01-01' } }), 400, 'unknown_field', 'issued');
    assertError(await bodyUser.request('PATCH', `/api/certificates/${number}`, { json: { scope: '越权' } }), 403, 'forbidden');
    assert.equal((await pub.request('GET', '/api/certificates/' + number)).body.scope, '新的认证范围');
    const s = await admin.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '管理员暂停' } });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const e = await admin.request('POST', `/api/certificates/${number}/status`, { json: { status: 'expired' } });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    assert.equal(e.body.status, 'expired');
    assertError(await body2.request('POST', `/api/certificates/${number}/status`, { json: { status: 'valid', reason: '续期' } }), 409, 'invalid_transition', 'status');
    assertError(await admin.request('POST', '/api/certificates/84099IP0000000R0M/status', { json: { status: 'suspended', reason: 'x' } }), 404, 'certificate_not_found');
  });

  test('a certificate past its expiry date reads expired, and expired is final', async () => {
    const r = await issue(bodyUser, { issued: '2019-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.expires, '2021-12-31');
    assert.equal(r.body.status, 'expired');
    assert.equal(r.body.status_changed, '2021-12-31');
    const shown = await pub.request('GET', '/api/certificates/' + r.body.number);
    assert.equal(shown.body.status, 'expired');
    const byHolder = await pub.request('GET', '/api/certificates?credit_code=' + approvedHolder);
    assert.equal(byHolder.body.items.find((c) => c.number === r.body.number).status, 'expired');
    for (const to of ['valid', 'suspended', 'withdrawn']) {
      assertError(await bodyUser.request('POST', `/api/certificates/${r.body.number}/status`, { json: { status: to, reason: '补救' } }),
        409, 'invalid_transition', 'status', to);
    }
    const expired = await bodyUser.request('GET', '/api/certificates?status=expired&q=' + r.body.number);
    assert.equal(expired.body.total, 1);
    const valid = await bodyUser.request('GET', '/api/certificates?status=valid&q=' + r.body.number);
    assert.equal(valid.body.total, 0);
    // a suspended certificate past its date reads expired too
    const s = await issue(bodyUser, { issued: '2020-06-01', expires: '2099-01-01' });
    assert.equal(s.status, 201);
    assert.equal((await bodyUser.request('POST', `/api/certificates/${s.body.number}/status`, { json: { status: 'suspended', reason: '暂停' } })).status, 200);
    const past = await bodyUser.request('PATCH', `/api/certificates/${s.body.number}`, { json: { expires: '2023-05-31' } });
    assert.equal(past.status, 200, JSON.stringify(past.body));
    assert.equal(past.body.status, 'expired');
    assert.equal(past.body.status_changed, '2023-05-31');
    assert.equal((await pub.request('GET', '/api/certificates/' + s.body.number)).body.status, 'expired');
  });

  test('withdrawn and expired are final: no PATCH revives them (409), and an expiry change is recorded', async () => {
    const patch = (client, number, json) => client.request('PATCH', `/api/certificates/${number}`, { json });
    const history = async (number) => (await bodyUser.request('GET', `/api/certificates/${number}/history`)).body.items;
    // an expiry change of an open certificate leaves a history entry; a scope change or the same expiry does not
    const r = await issue(bodyUser);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const number = r.body.number, first = r.body.expires;
    const p1 = await patch(bodyUser, number, { expires: '2031-03-31' });
    assert.equal(p1.status, 200, JSON.stringify(p1.body));
    assert.equal(p1.body.expires, '2031-03-31');
    assert.equal((await patch(bodyUser, number, { scope: '只改范围' })).status, 200);
    assert.equal((await patch(bodyUser, number, { expires: '2031-03-31' })).status, 200);
    const p2 = await patch(admin, number, { expires: '2030-12-31', scope: '管理员更正' });
    assert.equal(p2.status, 200, JSON.stringify(p2.body));
    const items = await history(number);
    assert.deepEqual(items.map((e) => e.kind), ['status', 'expiry', 'expiry']);
    assert.deepEqual(items.slice(1).map((e) => [e.from, e.to, e.expires_from, e.expires_to, e.by]), [
      ['valid', 'valid', first, '2031-03-31', bodyUserName],
      ['valid', 'valid', '2031-03-31', '2030-12-31', '平台管理员'],
    ]);
    assert.equal(items[0].expires_from, undefined, 'a status entry has no expiry fields');
    // suspended is still open
    assert.equal((await bodyUser.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '暂停' } })).status, 200);
    assert.equal((await patch(bodyUser, number, { scope: '暂停期间更正范围' })).status, 200);
    // withdrawn: closed to every edit, for the body and for an admin
    assert.equal((await bodyUser.request('POST', `/api/certificates/${number}/status`, { json: { status: 'withdrawn', reason: '撤销' } })).status, 200);
    const withdrawn = await pub.request('GET', '/api/certificates/' + number);
    for (const [client, json] of [[bodyUser, { expires: '2040-01-01' }], [admin, { expires: '2040-01-01' }], [bodyUser, { scope: '撤销后修改' }],
      [admin, { scope_areas: ['contracts'] }], [admin, {}]]) {
      const e = assertError(await patch(client, number, json), 409, 'certificate_final', null, JSON.stringify(json));
      assert.ok(e.message.includes(number));
    }
    assert.deepEqual((await pub.request('GET', '/api/certificates/' + number)).body, withdrawn.body, 'unchanged');
    assert.equal((await history(number)).length, 5);
    // expired by date (a valid certificate past its expiry): its expiry cannot be pushed out again
    const old = await issue(bodyUser, { issued: '2019-05-01' });
    assert.equal(old.status, 201, JSON.stringify(old.body));
    assert.equal(old.body.status, 'expired');
    for (const json of [{ expires: '2099-12-31' }, { scope: '续期' }]) {
      assertError(await patch(bodyUser, old.body.number, json), 409, 'certificate_final');
      assertError(await patch(admin, old.body.number, json), 409, 'certificate_final');
    }
    const still = await pub.request('GET', '/api/certificates/' + old.body.number);
    assert.equal(still.body.status, 'expired');
    assert.equal(still.body.expires, '2022-04-30');
    // expired by status: the same
    const ex = await issue(bodyUser);
    assert.equal((await admin.request('POST', `/api/certificates/${ex.body.number}/status`, { json: { status: 'expired' } })).status, 200);
    assertError(await patch(admin, ex.body.number, { expires: '2099-12-31' }), 409, 'certificate_final');
    assert.equal((await pub.request('GET', '/api/certificates/' + ex.body.number)).body.status, 'expired');
    const adminEn = await signedIn(server.url, 'admin', undefined, { lang: 'en' });
    const en = assertError(await patch(adminEn, ex.body.number, { scope: 'x' }), 409, 'certificate_final');
    assert.match(en.message, /withdrawn or expired/);
  });

  test("public verification shows the holder's former names after a rename", async () => {
    const code = makeCode('440305', 4250);
    const created = await admin.request('POST', '/api/enterprises', {
      json: { name: '改名前科技有限公司', credit_code: code, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const c = await issue(bodyUser, { holder_credit_code: code });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.deepEqual(c.body.holder.former_names, []);
    for (const [client, name] of [[admin, '改名后科技有限公司'], [regGd, '再次改名科技股份有限公司']]) {
      const r = await client.request('PATCH', `/api/enterprises/${created.body.id}`, { json: { name } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // a PATCH that leaves the name as it is records nothing
    assert.equal((await admin.request('PATCH', `/api/enterprises/${created.body.id}`, { json: { name: '再次改名科技股份有限公司', address: '深圳' } })).status, 200);
    const shown = await pub.request('GET', '/api/certificates/' + c.body.number);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.holder.name, '再次改名科技股份有限公司');
    assert.deepEqual(shown.body.holder.former_names, [
      { name: '改名后科技有限公司', until: today() }, { name: '改名前科技有限公司', until: today() },
    ]);
    const byHolder = await pub.request('GET', '/api/certificates?credit_code=' + code);
    assert.deepEqual(byHolder.body.items[0].holder, shown.body.holder);
    // the signed-in list leaves them out (one query per page)
    const listed = await admin.request('GET', '/api/certificates?q=' + c.body.number);
    assert.equal(listed.body.items[0].holder.former_names, undefined);
    // the OpenAPI document describes them
    const doc = (await pub.request('GET', '/api/openapi.json')).body;
    const named = (s) => doc.components.schemas[s.$ref.replace('#/components/schemas/', '')];
    const holder = named(doc.paths['/api/certificates/{number}'].get.responses['200'].content['application/json'].schema)
      .properties.holder;
    const former = named(holder.properties.former_names);
    assert.equal(former.type, 'array');
    assert.deepEqual(Object.keys(former.items.properties).sort(), ['name', 'until']);
    for (const k of ['name', 'credit_code']) assert.ok(holder.properties[k], k);
  });

  test('scoped lists: a body sees its own, an enterprise its own, the Guangdong regulator holders in 44', async () => {
    const all = await admin.request('GET', '/api/certificates?per_page=1');
    assert.equal(all.status, 200);
    assert.ok(all.body.total >= 5000, `admin total ${all.body.total}`);

    const mine = await pages(bodyUser, 'sort=number', 3);
    assert.ok(mine.total > 0 && mine.total < all.body.total, `body total ${mine.total}`);
    assert.ok(mine.items.length >= Math.min(mine.total, 200));
    for (const c of mine.items) assert.equal(c.body.id, bodyId, c.number);
    const byAdmin = await admin.request('GET', `/api/certificates?body_id=${bodyId}&per_page=1`);
    assert.equal(byAdmin.body.total, mine.total);
    const widened = await bodyUser.request('GET', `/api/certificates?body_id=${body2Id}`);
    assert.equal(widened.status, 200);
    assert.equal(widened.body.total, 0, 'a body_id filter does not widen the scope');
    const other = await pages(body2, '', 1);
    for (const c of other.items) assert.equal(c.body.id, body2Id);

    const own = await pages(enterprise, '', 2);
    assert.ok(own.total >= 3);
    for (const c of own.items) assert.equal(c.holder.credit_code, DEMO_CODE);
    const publicView = await pub.request('GET', '/api/certificates?credit_code=' + DEMO_CODE);
    assert.equal(own.total, publicView.body.items.length);

    const gd = await pages(regGd, 'sort=-issued', 3);
    assert.ok(gd.total > 0 && gd.total < all.body.total, `gd total ${gd.total}`);
    for (const c of gd.items) assert.equal(c.holder.credit_code.slice(2, 4), '44', `${c.number} ${c.holder.credit_code}`);
    for (let i = 1; i < gd.items.length; i++) assert.ok(gd.items[i - 1].issued >= gd.items[i].issued, 'sort=-issued');
    const lastGd = await regGd.request('GET', `/api/certificates?per_page=100&page=${Math.ceil(gd.total / 100)}`);
    assert.ok(lastGd.body.items.length > 0);
    for (const c of lastGd.body.items) assert.equal(c.holder.credit_code.slice(2, 4), '44');
    const nat = await pages(regulator, '', 2);
    assert.equal(nat.total, all.body.total);
    assert.ok(nat.items.some((c) => c.holder.credit_code.slice(2, 4) !== '44'));

    assertError(await pub.request('GET', '/api/certificates'), 400, 'missing_query', 'credit_code');
  });

  test('list filters: status, q, standard, body_id; sorting; pagination', async () => {
    const total = (await admin.request('GET', '/api/certificates?per_page=1')).body.total;
    let sum = 0;
    for (const status of STATUSES) {
      const r = await admin.request('GET', `/api/certificates?status=${status}&per_page=100`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.total > 0, status);
      for (const c of r.body.items) assert.equal(c.status, status, c.number);
      sum += r.body.total;
      const p2 = await admin.request('GET', `/api/certificates?status=${status}&per_page=100&page=2`);
      for (const c of p2.body.items) assert.equal(c.status, status, c.number);
    }
    assert.equal(sum, total, 'the four statuses partition the certificates');
    const mineSuspended = await bodyUser.request('GET', '/api/certificates?status=suspended&per_page=100');
    for (const c of mineSuspended.body.items) { assert.equal(c.status, 'suspended'); assert.equal(c.body.id, bodyId); }
    assertError(await admin.request('GET', '/api/certificates?status=active'), 400, 'invalid_query', 'status');

    const q = await admin.request('GET', '/api/certificates?q=84025ip0210');
    assert.ok(q.body.items.some((c) => c.number === DEMO_CERT));
    for (const c of q.body.items) assert.ok(c.number.includes('84025IP0210'), c.number);
    const byName = await admin.request('GET', '/api/certificates?q=示范科技&per_page=100');
    assert.ok(byName.body.total >= 3);
    for (const c of byName.body.items) assert.ok(c.holder.name.includes('示范科技'), c.holder.name);
    for (const standard of ['GB/T 29490-2013', 'GB/T 29490-2023']) {
      const r = await admin.request('GET', '/api/certificates?per_page=100&standard=' + encodeURIComponent(standard));
      assert.ok(r.body.total > 0);
      for (const c of r.body.items) assert.equal(c.standard, standard);
    }
    const b2 = await admin.request('GET', `/api/certificates?per_page=100&body_id=${body2Id}`);
    assert.ok(b2.body.total > 0);
    for (const c of b2.body.items) assert.equal(c.body.id, body2Id);

    const asc = await admin.request('GET', '/api/certificates?sort=number&per_page=50');
    const desc = await admin.request('GET', '/api/certificates?sort=-number&per_page=50');
    assert.notEqual(asc.body.items[0].number, desc.body.items[0].number);
    for (let i = 1; i < 50; i++) {
      assert.ok(asc.body.items[i - 1].number < asc.body.items[i].number);
      assert.ok(desc.body.items[i - 1].number > desc.body.items[i].number);
    }
    const exp = await admin.request('GET', '/api/certificates?sort=expires&per_page=50');
    for (let i = 1; i < 50; i++) assert.ok(exp.body.items[i - 1].expires <= exp.body.items[i].expires);
    for (const bad of ['holder', 'status', '-bogus']) assertError(await admin.request('GET', '/api/certificates?sort=' + bad), 400, 'invalid_query', 'sort', bad);
    const p1 = await admin.request('GET', '/api/certificates?sort=number&per_page=10&page=1');
    const p2 = await admin.request('GET', '/api/certificates?sort=number&per_page=10&page=2');
    assert.equal(p1.body.items.length, 10);
    assert.ok(p1.body.items[9].number < p2.body.items[0].number);
    assert.equal(p2.body.total, total);
    assertError(await admin.request('GET', '/api/certificates?per_page=1000'), 400, 'invalid_query', 'per_page');
  });
});
