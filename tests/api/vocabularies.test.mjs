// GET /api/vocabularies from outside: the registry's code lists with their Chinese and English
// labels, as DOMAIN.md and docs/registry.md give them, public and the same in every language;
// and the lists agree with what the server accepts (a size or a status change it lists is
// accepted, one it does not list is refused).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const expected = {
  certificate_statuses: [
    { code: 'valid', zh: '有效', en: 'Valid', next: ['suspended', 'withdrawn', 'expired'], reason_required: false },
    { code: 'suspended', zh: '暂停', en: 'Suspended', next: ['valid', 'withdrawn', 'expired'], reason_required: true },
    { code: 'withdrawn', zh: '撤销', en: 'Withdrawn', next: [], reason_required: true },
    { code: 'expired', zh: '过期', en: 'Expired', next: [], reason_required: false },
  ],
  scope_areas: [
    { code: 'acquisition', zh: '获取', en: 'Acquisition' },
    { code: 'maintenance', zh: '维护', en: 'Maintenance' },
    { code: 'exploitation', zh: '运用', en: 'Exploitation' },
    { code: 'protection', zh: '保护', en: 'Protection' },
    { code: 'contracts', zh: '合同管理', en: 'Contract management' },
    { code: 'confidentiality', zh: '保密', en: 'Confidentiality' },
  ],
  scope_stages: [
    { code: 'research', zh: '研发', en: 'Research and development' },
    { code: 'procurement', zh: '采购', en: 'Procurement' },
    { code: 'production', zh: '生产', en: 'Production' },
    { code: 'sales', zh: '销售及售后', en: 'Sales and after-sales' },
  ],
  standards: ['GB/T 29490-2023', 'GB/T 29490-2013'],
  enterprise_sizes: [
    { code: 'large', zh: '大型', en: 'Large' },
    { code: 'medium', zh: '中型', en: 'Medium' },
    { code: 'small', zh: '小型', en: 'Small' },
    { code: 'micro', zh: '微型', en: 'Micro' },
  ],
  enterprise_statuses: [
    { code: 'pending', zh: '待审核', en: 'Pending' },
    { code: 'approved', zh: '已通过', en: 'Approved' },
    { code: 'rejected', zh: '已驳回', en: 'Rejected' },
  ],
};

describe('vocabularies', () => {
  let server;
  before(async () => { server = await startPlatform(); });
  after(async () => { await server?.stop(); });

  test('the public gets every list with its zh and en labels', async () => {
    const r = await new Client(server.url).request('GET', '/api/vocabularies');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const { standards, ...rest } = r.body;
    assert.deepEqual(Object.keys(r.body).sort(), Object.keys(expected).sort());
    assert.deepEqual(rest, Object.fromEntries(Object.entries(expected).filter(([k]) => k !== 'standards')));
    assert.deepEqual(standards.map((s) => s.code), expected.standards);
    for (const s of standards) {
      assert.ok(s.zh.startsWith(s.code) && s.zh.includes('《'), `Chinese title of ${s.code}: ${s.zh}`);
      assert.ok(s.en.startsWith(s.code) && s.en.length > s.code.length, `English title of ${s.code}: ${s.en}`);
    }
  });

  test('the answer is the same in either language and for a signed-in user', async () => {
    const zh = await new Client(server.url, { lang: 'zh-CN' }).request('GET', '/api/vocabularies');
    const en = await new Client(server.url, { lang: 'en' }).request('GET', '/api/vocabularies');
    const admin = await signedIn(server.url, 'admin');
    const signed = await admin.request('GET', '/api/vocabularies');
    assert.equal(zh.status, 200);
    assert.deepEqual(en.body, zh.body);
    assert.deepEqual(signed.body, zh.body);
    assertError(await admin.request('POST', '/api/vocabularies', { json: {} }), 405, 'method_not_allowed');
  });

  test('the lists are what the server accepts', async () => {
    const r = await new Client(server.url).request('GET', '/api/vocabularies');
    const admin = await signedIn(server.url, 'admin');
    const body = await signedIn(server.url, 'body');
    // Every listed size registers an enterprise and filters the list; another size is refused.
    const holder = makeCode('440305', 5100);
    for (const [i, { code }] of r.body.enterprise_sizes.entries()) {
      const created = await admin.request('POST', '/api/enterprises', {
        json: { name: `词表测试${code}企业有限公司`, credit_code: i === 0 ? holder : makeCode('440305', 5100 + i), region: '440305', industry: '39', size: code },
      });
      assert.equal(created.status, 201, `${code}: ${JSON.stringify(created.body)}`);
      const list = await admin.request('GET', `/api/enterprises?size=${code}&per_page=5`);
      assert.equal(list.status, 200, `${code}: ${JSON.stringify(list.body)}`);
      assert.ok(list.body.items.length > 0);
      for (const e of list.body.items) assert.equal(e.size, code);
    }
    assertError(await admin.request('POST', '/api/enterprises', {
      json: { name: '词表测试超大企业有限公司', credit_code: makeCode('440305', 5199), region: '440305', industry: '39', size: 'huge' },
    }), 400, 'invalid_value', 'size');

    // Every listed standard, area and stage is accepted on a certificate; another area is refused.
    const areas = r.body.scope_areas.map((a) => a.code);
    const stages = r.body.scope_stages.map((a) => a.code);
    const issued = new Date().toISOString().slice(0, 10);
    const issue = (number, over) => body.request('POST', '/api/certificates', {
      json: { number, holder_credit_code: holder, standard: 'GB/T 29490-2023', scope: '词表测试', scope_areas: areas, scope_stages: stages, issued, ...over },
    });
    for (const [i, { code }] of r.body.standards.entries()) {
      const cert = await issue(`VOCAB-TEST-${i}`, { standard: code });
      assert.equal(cert.status, 201, `${code}: ${JSON.stringify(cert.body)}`);
      assert.equal(cert.body.standard, code);
      assert.deepEqual([...cert.body.scope_areas].sort(), [...areas].sort());
      assert.deepEqual([...cert.body.scope_stages].sort(), [...stages].sort());
    }
    assertError(await issue('VOCAB-TEST-X', { scope_areas: ['marketing'] }), 400, 'invalid_value', 'scope_areas');
    assertError(await issue('VOCAB-TEST-Y', { standard: 'GB/T 29490-2019' }), 400, 'invalid_value', 'standard');

    // Each listed certificate status filters the list; another is refused.
    for (const { code } of r.body.certificate_statuses) {
      const list = await admin.request('GET', `/api/certificates?status=${code}&per_page=5`);
      assert.equal(list.status, 200, `${code}: ${JSON.stringify(list.body)}`);
      for (const c of list.body.items) assert.equal(c.status, code);
    }
    assertError(await admin.request('GET', '/api/certificates?status=revoked'), 400, 'invalid_query', 'status');

    // The changes listed are the changes allowed: from valid, to each status it lists and back.
    const path = '/api/certificates/VOCAB-TEST-0/status';
    assertError(await body.request('POST', path, { json: { status: 'valid' } }), 409, 'invalid_transition', 'status');
    const suspended = r.body.certificate_statuses.find((s) => s.code === 'suspended');
    assert.equal((await body.request('POST', path, { json: { status: 'suspended', reason: '词表测试' } })).status, 200);
    for (const to of ['valid', 'suspended', 'withdrawn', 'expired']) {
      if (suspended.next.includes(to)) continue;
      assertError(await body.request('POST', path, { json: { status: to, reason: '词表测试' } }), 409, 'invalid_transition', 'status', to);
    }
    assert.equal((await body.request('POST', path, { json: { status: 'withdrawn', reason: '词表测试' } })).status, 200);
    for (const to of ['valid', 'suspended', 'expired']) {
      assertError(await body.request('POST', path, { json: { status: to, reason: '词表测试' } }), 409, 'invalid_transition', 'status', to);
    }
  });
});
