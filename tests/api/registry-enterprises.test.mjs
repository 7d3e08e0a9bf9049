// The enterprise registry (docs/registry.md, PRODUCT.md "Stable public contract"), from outside:
// credit-code validation with a message naming the rule that failed (Chinese and English),
// normalisation, duplicates, field validation, the admin's check-character override, regional
// scope of regulators, what an enterprise account and a body account may do, self-registration
// with review by the regulator of the region, and list filters, sorting and pagination.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, demoPassword } from '../lib/platform.mjs';
import { assertError, signedIn, postFrom, checkEveryAnswer } from './helpers.mjs';
import {
  ALPHABET, orgCheck, finalCheck, complete, checksAgree, makeCode, withWrongFinal, withWrongOrgCheck,
} from './lib/uscc.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const DEMO_CODE = '914403001922038216';
const DEMO_NAME = '深圳市示范科技有限公司';


/** Compares two strings by their UTF-8 bytes (the order of SQLite BINARY and PostgreSQL C.UTF-8). */
function byteCompare(a, b) { return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')); }

describe('registry: enterprises', () => {
  let server;
  let admin, adminEn, regulator, regGd, regGdEn, enterprise, body;
  let demoEnterpriseId;
  let serial = 0;

  /** A valid new enterprise in `region` (fields may be overridden). */
  function newEnterprise(region = '440305', over = {}) {
    serial += 1;
    return {
      name: `测试登记企业${serial}号有限公司`, credit_code: makeCode(region, serial), region, industry: '39',
      size: 'small', address: '测试地址 1 号', contact_name: '张三', contact_phone: '0755-1234 5678',
      contact_email: `ip${serial}@example.cn`, ...over,
    };
  }
  async function total(client, query = '') {
    const r = await client.request('GET', '/api/enterprises' + query);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.total;
  }
  /** Every item of every page of GET /api/enterprises?query (per_page 100), at most maxPages pages. */
  async function allItems(client, query, maxPages = 50) {
    const items = [];
    let t = null;
    for (let page = 1; page <= maxPages; page++) {
      const r = await client.request('GET', `/api/enterprises?${query}&per_page=100&page=${page}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      t = r.body.total;
      items.push(...r.body.items);
      if (r.body.items.length < 100) break;
    }
    return { items, total: t };
  }

  /** What POST /api/enterprises/registrations answers (202) for registration `p`: its own fields, echoed. */
  function registrationEcho(p) {
    return {
      enterprise: { name: p.name, credit_code: p.credit_code.trim().toUpperCase(), region: p.region, status: 'pending' },
      user: { login: p.account.login, name: p.account.name, role: 'enterprise' },
    };
  }
  /** The id of the enterprise with this credit code (found by an admin), or null. */
  async function enterpriseIdOf(code) {
    const r = await admin.request('GET', '/api/enterprises?q=' + encodeURIComponent(code.trim().toUpperCase()));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const hits = r.body.items.filter((e) => e.credit_code === code.trim().toUpperCase());
    assert.ok(hits.length <= 1);
    return hits.length ? hits[0].id : null;
  }

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    adminEn = await signedIn(server.url, 'admin', undefined, { lang: 'en' });
    regulator = await signedIn(server.url, 'regulator');
    regGd = await signedIn(server.url, 'regulator-gd');
    regGdEn = await signedIn(server.url, 'regulator-gd', undefined, { lang: 'en' });
    const e = new Client(server.url);
    const r = await e.signIn('enterprise');
    assert.equal(r.status, 200);
    enterprise = e;
    demoEnterpriseId = r.body.user.enterprise_id;
    assert.ok(Number.isInteger(demoEnterpriseId) && demoEnterpriseId > 0, JSON.stringify(r.body.user));
    body = await signedIn(server.url, 'body');
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('the test helper computes GB 32100 check characters as the server does', async () => {
    assert.ok(checksAgree('91110000600037341L'));
    assert.ok(checksAgree(DEMO_CODE));
    assert.equal(orgCheck('60003734'), '1');
    assert.equal(finalCheck('91110000600037341'), 'L');
    assert.equal(finalCheck('91440300192203821'), '6');
    const pub = new Client(server.url, { lang: 'en' });
    for (const code of ['91110000600037341L', DEMO_CODE]) {
      const ok = await pub.request('GET', '/api/certificates?credit_code=' + code);
      assert.equal(ok.status, 200, `${code}: ${JSON.stringify(ok.body)}`);
    }
    // random organisation codes, letters included: the server accepts ours and names our check character
    let seed = 12345;
    const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const regions = ['110105', '440305', '310115', '650102', '820000', '510107'];
    for (let i = 0; i < 12; i++) {
      let org = '';
      for (let k = 0; k < 8; k++) org += ALPHABET[rnd(31)];
      const code = complete('91' + regions[i % regions.length] + org);
      const good = await pub.request('GET', '/api/certificates?credit_code=' + code);
      assert.equal(good.status, 200, `${code}: ${JSON.stringify(good.body)}`);
      const bad = withWrongFinal(code);
      const e = assertError(await pub.request('GET', '/api/certificates?credit_code=' + bad), 400, 'invalid_credit_code', 'credit_code', bad);
      assert.ok(e.message.includes(`should be '${code[17]}', not '${bad[17]}'`), `${bad}: ${e.message}`);
    }
  });

  test('wrong credit codes are refused with invalid_credit_code naming the rule, in Chinese and in English', async () => {
    const before = await total(admin);
    const valid = makeCode('440305', 900);            // each case below breaks exactly one rule of it
    const cases = [
      { what: 'too short', code: valid.slice(0, 17), zh: [/18 位/, /17 位/], en: [/18 characters/, /has 17/] },
      { what: 'too long', code: valid + '1', zh: [/18 位/, /19 位/], en: [/18 characters/, /has 19/] },
      { what: 'I at 9', code: valid.slice(0, 8) + 'I' + valid.slice(9), zh: [/第 9 位/, /I/], en: [/character 9 \('I'\)/] },
      { what: 'O at 10', code: valid.slice(0, 9) + 'O' + valid.slice(10), zh: [/第 10 位/, /O/], en: [/character 10 \('O'\)/] },
      { what: 'S at 12', code: valid.slice(0, 11) + 'S' + valid.slice(12), zh: [/第 12 位/, /S/], en: [/character 12 \('S'\)/] },
      { what: 'V at 3', code: valid.slice(0, 2) + 'V' + valid.slice(3), zh: [/第 3 位/, /V/], en: [/character 3 \('V'\)/] },
      { what: 'Z at 18', code: valid.slice(0, 17) + 'Z', zh: [/第 18 位/, /Z/], en: [/character 18 \('Z'\)/] },
      { what: 'a punctuation mark', code: valid.slice(0, 5) + '-' + valid.slice(6), zh: [/第 6 位/], en: [/character 6/] },
      { what: 'department B', code: complete('B1440305' + '80000901'), zh: [/第 1 位/, /登记管理部门/], en: [/character 1 \('B'\)/, /department/] },
      { what: 'department 0', code: complete('01440305' + '80000902'), zh: [/第 1 位/, /登记管理部门/], en: [/character 1 \('0'\)/, /department/] },
      { what: 'category 4 under 9', code: complete('94440305' + '80000903'), zh: [/第 2 位/, /机构类别/], en: [/character 2 \('4'\)/, /category/] },
      { what: 'province 99', code: complete('91990000' + '80000904'), zh: [/第 3–8 位/, /990000/, /行政区划/], en: [/characters 3–8/, /990000/, /division/] },
      { what: 'province 10', code: complete('91100000' + '80000905'), zh: [/100000/], en: [/100000/] },
      { what: 'letters in the division', code: complete('9144A300' + '80000906'), zh: [/第 3–8 位/], en: [/characters 3–8/] },
    ];
    const orgBad = withWrongOrgCheck(valid);
    cases.push({ what: 'organisation check', code: orgBad, zh: [/组织机构代码/, new RegExp(`第 17 位应为“${valid[16]}”`)],
      en: [/organisation code/, new RegExp(`character 17 should be '${valid[16]}', not '${orgBad[16]}'`)] });
    const finalBad = withWrongFinal(valid);
    cases.push({ what: 'final check', code: finalBad, zh: [new RegExp(`第 18 位校验码应为“${valid[17]}”`)],
      en: [new RegExp(`check character \\(18\\) should be '${valid[17]}', not '${finalBad[17]}'`)] });
    for (const c of cases) {
      const payload = newEnterprise('440305', { credit_code: c.code });
      const zh = assertError(await admin.request('POST', '/api/enterprises', { json: payload }), 400, 'invalid_credit_code', 'credit_code', c.what);
      assert.match(zh.message, /[\u4e00-\u9fff]/, `${c.what}: ${zh.message}`);
      for (const re of c.zh) assert.match(zh.message, re, `${c.what} (${c.code}): ${zh.message}`);
      const en = assertError(await adminEn.request('POST', '/api/enterprises', { json: payload }), 400, 'invalid_credit_code', 'credit_code', c.what);
      assert.match(en.message, /^[\x20-\x7e–]+$/, `${c.what}: ${en.message}`);
      for (const re of c.en) assert.match(en.message, re, `${c.what} (${c.code}): ${en.message}`);
    }
    // the unbroken code is fine (so each case above failed for its own reason)
    const ok = await admin.request('POST', '/api/enterprises', { json: newEnterprise('440305', { credit_code: valid }) });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(await total(admin), before + 1, 'only the valid code created an enterprise');
  });

  test('lower case and surrounding blanks are normalised; a duplicate code is 409 credit_code_taken', async () => {
    let p = null;
    for (let i = 0; i < 200 && !p; i++) {         // a code with letters, so that case matters
      const cand = newEnterprise('440304');
      if (/[A-Z]/.test(cand.credit_code.slice(8))) p = cand;
    }
    assert.ok(p, 'no code with a letter found');
    const upper = p.credit_code;
    const r = await admin.request('POST', '/api/enterprises', { json: { ...p, credit_code: `  ${upper.toLowerCase()}\t` } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.credit_code, upper);
    assert.equal(r.body.status, 'approved');
    assert.equal(r.body.region, '440304');
    assert.match(r.body.region_name, /广东省.*深圳市.*福田区/);
    assert.equal(r.body.industry_section, 'C');
    assert.equal(r.body.credit_code_override, false);
    const shown = await admin.request('GET', `/api/enterprises/${r.body.id}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.credit_code, upper);
    const found = await admin.request('GET', '/api/enterprises?q=' + upper.toLowerCase());
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((e) => e.id), [r.body.id]);

    const before = await total(admin);
    for (const dup of [upper, upper.toLowerCase(), ` ${upper} `]) {
      assertError(await admin.request('POST', '/api/enterprises', { json: newEnterprise('440304', { credit_code: dup }) }),
        409, 'credit_code_taken', 'credit_code', dup);
    }
    assertError(await admin.request('POST', '/api/enterprises', { json: newEnterprise('440304', { credit_code: DEMO_CODE }) }),
      409, 'credit_code_taken', 'credit_code');
    // changing another enterprise to a taken code is refused too
    assertError(await admin.request('PATCH', `/api/enterprises/${r.body.id}`, { json: { credit_code: DEMO_CODE } }),
      409, 'credit_code_taken', 'credit_code');
    assert.equal(await total(admin), before);
    const again = await admin.request('GET', `/api/enterprises/${r.body.id}`);
    assert.equal(again.body.credit_code, upper);
  });

  test('bad region, industry, size, phone or e-mail: 400 with that field, nothing created', async () => {
    const before = await total(admin);
    const cases = [
      ['region', { region: '440000' }], ['region', { region: '999999' }], ['region', { region: '4403' }],
      ['region', { region: 'abcdef' }], ['industry', { industry: 'C' }], ['industry', { industry: '98' }],
      ['industry', { industry: '00' }], ['size', { size: 'huge' }], ['size', { size: 'Large' }],
      ['contact_email', { contact_email: 'not-an-email' }], ['contact_email', { contact_email: 'a@b' }],
      ['contact_phone', { contact_phone: 'call me' }],
    ];
    for (const [field, over] of cases) {
      const res = await admin.request('POST', '/api/enterprises', { json: newEnterprise('440305', over) });
      assert.equal(res.status, 400, `${JSON.stringify(over)}: ${JSON.stringify(res.body)}`);
      assertError(res, 400, res.body.error.code, field, JSON.stringify(over));
      assert.ok(['invalid_value', 'too_long', 'too_short'].includes(res.body.error.code), JSON.stringify(res.body));
    }
    for (const field of ['name', 'credit_code', 'region', 'industry', 'size']) {
      const p = newEnterprise('440305');
      delete p[field];
      assertError(await admin.request('POST', '/api/enterprises', { json: p }), 400, 'missing_field', field);
    }
    assertError(await admin.request('POST', '/api/enterprises', { json: newEnterprise('440305', { status: 'approved' }) }),
      400, 'unknown_field', 'status');
    const en = await adminEn.request('POST', '/api/enterprises', { json: newEnterprise('440305', { size: 'huge' }) });
    assertError(en, 400, 'invalid_value', 'size');
    assert.match(en.body.error.message, /large, medium, small or micro/);
    assert.equal(await total(admin), before, 'a refused request created nothing');
  });

  test('check-character override: accepted for an admin and marked, refused for a regulator and for other faults', async () => {
    const before = await total(admin);
    const base = newEnterprise('440305');
    const pilot = withWrongFinal(base.credit_code);
    // without the override, even an admin is refused
    assertError(await admin.request('POST', '/api/enterprises', { json: { ...base, credit_code: pilot } }), 400, 'invalid_credit_code', 'credit_code');
    // a regulator may not override
    for (const reg of [regulator, regGd]) {
      assertError(await reg.request('POST', '/api/enterprises', { json: { ...base, credit_code: pilot, credit_code_override: true } }),
        400, 'invalid_credit_code', 'credit_code');
    }
    // the override covers only check characters, not other rules
    const other = newEnterprise('440305');
    for (const bad of [other.credit_code.slice(0, 17), complete('94440305' + '80000999'), other.credit_code.slice(0, 9) + 'O' + other.credit_code.slice(10)]) {
      assertError(await admin.request('POST', '/api/enterprises', { json: { ...other, credit_code: bad, credit_code_override: true } }),
        400, 'invalid_credit_code', 'credit_code', bad);
    }
    assert.equal(await total(admin), before);
    const r = await admin.request('POST', '/api/enterprises', { json: { ...base, credit_code: pilot.toLowerCase(), credit_code_override: true } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.credit_code, pilot);
    assert.equal(r.body.credit_code_override, true);
    // a code failing the organisation check only
    const org = newEnterprise('440305');
    const orgPilot = withWrongOrgCheck(org.credit_code);
    const r2 = await admin.request('POST', '/api/enterprises', { json: { ...org, credit_code: orgPilot, credit_code_override: true } });
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    assert.equal(r2.body.credit_code_override, true);
    // a valid code with the override flag is simply valid
    const plain = newEnterprise('440305');
    const r3 = await admin.request('POST', '/api/enterprises', { json: { ...plain, credit_code_override: true } });
    assert.equal(r3.status, 201, JSON.stringify(r3.body));
    assert.equal(r3.body.credit_code_override, false);
    assert.equal(await total(admin), before + 3);
  });

  test('a provincial regulator creates only in its province: 403 out_of_region elsewhere', async () => {
    const before = await total(admin);
    for (const region of ['110105', '310115', '450102']) {
      assertError(await regGd.request('POST', '/api/enterprises', { json: newEnterprise(region) }), 403, 'out_of_region', 'region', region);
    }
    const en = await regGdEn.request('POST', '/api/enterprises', { json: newEnterprise('110105') });
    assertError(en, 403, 'out_of_region', 'region');
    assert.match(en.body.error.message, /jurisdiction/);
    assert.equal(await total(admin), before);
    const ok = await regGd.request('POST', '/api/enterprises', { json: newEnterprise('440106') });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'approved');
    // moving it is refused: a region, like a credit code, is the admins' to change
    assertError(await regGd.request('PATCH', `/api/enterprises/${ok.body.id}`, { json: { region: '110105' } }), 403, 'identifier_admin_only', 'region');
    const still = await regGd.request('GET', `/api/enterprises/${ok.body.id}`);
    assert.equal(still.body.region, '440106');
    // the national regulator creates anywhere
    const nat = await regulator.request('POST', '/api/enterprises', { json: newEnterprise('110105') });
    assert.equal(nat.status, 201, JSON.stringify(nat.body));
  });

  test("the Guangdong regulator's list holds only Guangdong enterprises; the national one sees all provinces", async () => {
    const gdTotal = await total(regGd);
    assert.equal(gdTotal, await total(admin, '?region=440000'), 'regulator-gd total = admin total in 44');
    assert.ok(gdTotal > 12 && gdTotal < await total(admin), `gd total ${gdTotal}`);
    for (const page of [1, 2, 3]) {
      const r = await regGd.request('GET', `/api/enterprises?per_page=50&page=${page}&sort=credit_code`);
      assert.equal(r.status, 200);
      assert.equal(r.body.total, gdTotal);
      assert.ok(r.body.items.length > 0, `page ${page} empty`);
      for (const e of r.body.items) {
        assert.match(e.region, /^44\d{4}$/, `page ${page}: ${e.name} ${e.region}`);
        assert.match(e.region_name, /^广东省/);
      }
    }
    const last = await regGd.request('GET', `/api/enterprises?per_page=100&page=${Math.ceil(gdTotal / 100)}`);
    assert.ok(last.body.items.length > 0);
    for (const e of last.body.items) assert.match(e.region, /^44/);
    // a filter cannot widen the scope
    const bj = await regGd.request('GET', '/api/enterprises?region=110000');
    assert.equal(bj.status, 200);
    assert.equal(bj.body.total, 0);
    assert.deepEqual(bj.body.items, []);
    const q = await regGd.request('GET', '/api/enterprises?q=北京');
    for (const e of q.body.items) assert.match(e.region, /^44/);
    // the national regulator sees several provinces
    const nat = await allItems(regulator, 'sort=name', 3);
    assert.equal(nat.total, await total(admin));
    const provinces = new Set(nat.items.map((e) => e.region.slice(0, 2)));
    assert.ok(provinces.size >= 10, `provinces seen: ${[...provinces]}`);
    assert.ok(nat.items.some((e) => !e.region.startsWith('44')));
  });

  test("a provincial regulator cannot read or change another province's enterprise (404)", async () => {
    const bj = await admin.request('GET', '/api/enterprises?region=110000&per_page=1');
    assert.equal(bj.status, 200);
    assert.ok(bj.body.total > 0);
    const target = bj.body.items[0];
    assertError(await regGd.request('GET', `/api/enterprises/${target.id}`), 404, 'enterprise_not_found');
    assertError(await regGd.request('PATCH', `/api/enterprises/${target.id}`, { json: { name: '被改名的企业' } }), 404, 'enterprise_not_found');
    assertError(await regGd.request('POST', `/api/enterprises/${target.id}/review`, { json: { decision: 'approve' } }), 404, 'enterprise_not_found');
    const after = await admin.request('GET', `/api/enterprises/${target.id}`);
    assert.equal(after.body.name, target.name);
    // the national regulator reaches it; the Guangdong one reaches the demo enterprise
    assert.equal((await regulator.request('GET', `/api/enterprises/${target.id}`)).status, 200);
    const own = await regGd.request('GET', `/api/enterprises/${demoEnterpriseId}`);
    assert.equal(own.status, 200);
    assert.equal(own.body.credit_code, DEMO_CODE);
    assertError(await regGd.request('GET', '/api/enterprises/99999999'), 404, 'enterprise_not_found');
  });

  test('an enterprise account reads and edits its own enterprise only, and not its credit code or region', async () => {
    const own = await enterprise.request('GET', `/api/enterprises/${demoEnterpriseId}`);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.name, DEMO_NAME);
    assert.equal(own.body.credit_code, DEMO_CODE);
    assert.equal(own.body.region, '440300');
    const other = await admin.request('GET', '/api/enterprises?region=440000&per_page=5');
    const otherId = other.body.items.find((e) => e.id !== demoEnterpriseId).id;
    assertError(await enterprise.request('GET', `/api/enterprises/${otherId}`), 404, 'enterprise_not_found');
    assertError(await enterprise.request('PATCH', `/api/enterprises/${otherId}`, { json: { contact_name: 'x' } }), 404, 'enterprise_not_found');
    const newCode = makeCode('440300', 5000);
    assertError(await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { credit_code: newCode } }), 403, 'identifier_admin_only', 'credit_code');
    assertError(await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { region: '440305' } }), 403, 'identifier_admin_only', 'region');
    assertError(await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { credit_code_override: true } }), 403, 'identifier_admin_only', 'credit_code_override');
    assertError(await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { status: 'approved' } }), 400, 'unknown_field', 'status');
    const patched = await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { contact_name: '知识产权部 李四' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.contact_name, '知识产权部 李四');
    assert.equal(patched.body.credit_code, DEMO_CODE);
    assert.equal(patched.body.region, '440300');
    assert.equal(patched.body.status, 'approved');
    const again = await admin.request('GET', `/api/enterprises/${demoEnterpriseId}`);
    assert.equal(again.body.credit_code, DEMO_CODE);
    assert.equal(again.body.contact_name, '知识产权部 李四');
    // neither an enterprise nor a body may list or create enterprises
    assertError(await enterprise.request('GET', '/api/enterprises'), 403, 'forbidden');
    assertError(await body.request('GET', '/api/enterprises'), 403, 'forbidden');
    assertError(await body.request('GET', `/api/enterprises/${demoEnterpriseId}`), 403, 'forbidden');
    assertError(await body.request('POST', '/api/enterprises', { json: newEnterprise() }), 403, 'forbidden');
    assertError(await enterprise.request('POST', '/api/enterprises', { json: newEnterprise() }), 403, 'forbidden');
    assertError(await new Client(server.url).request('GET', '/api/enterprises'), 401, 'unauthenticated');
  });

  test('self-registration: validation, pending until the regional regulator approves, one review only', async () => {
    const pub = new Client(server.url);
    const pubEn = new Client(server.url, { lang: 'en' });
    const before = await total(admin);
    const pendingBefore = await total(regGd, '?status=pending');
    assert.equal(pendingBefore, 12, 'the demo has 12 pending enterprises in Guangdong');
    const reg = (over = {}, account = {}) => ({
      ...newEnterprise('440305', over),
      account: { login: `selfreg${serial}`, name: '王五', password: 'a-long-enough-password', ...account },
    });
    const wrong = reg();
    wrong.credit_code = withWrongFinal(wrong.credit_code);
    const e1 = assertError(await pub.request('POST', '/api/enterprises/registrations', { json: wrong }), 400, 'invalid_credit_code', 'credit_code');
    assert.match(e1.message, /第 18 位/);
    const e2 = assertError(await pubEn.request('POST', '/api/enterprises/registrations', { json: wrong }), 400, 'invalid_credit_code', 'credit_code');
    assert.match(e2.message, /check character \(18\)/);
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({}, { login: 'Bad Login' }) }), 400, 'invalid_value', 'account.login');
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({}, { login: 'x' }) }), 400, 'too_short', 'account.login');
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({}, { password: 'short' }) }), 400, 'weak_password', 'account.password');
    for (const blank of [' '.repeat(10), '\u3000'.repeat(12), '\t \u3000\u00a0\u2003 \n\u200b\u3000  '])
      assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({}, { password: blank }) }), 400,
        'weak_password', 'account.password', JSON.stringify(blank));
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({}, { login: 'same-as-login', password: 'Same-As-Login' }) }),
      400, 'weak_password', 'account.password');
    const noAccount = reg();
    delete noAccount.account;
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: noAccount }), 400, 'missing_field', 'account');
    // a taken login is answered as if accepted, and creates nothing (docs/api.md)
    const taken = reg({}, { login: 'admin' });
    const t = await pub.request('POST', '/api/enterprises/registrations', { json: taken });
    assert.equal(t.status, 202, JSON.stringify(t.body));
    assert.deepEqual(t.body, registrationEcho(taken));
    assertError(await pub.request('POST', '/api/enterprises/registrations', { json: reg({ credit_code: DEMO_CODE }) }), 409, 'credit_code_taken', 'credit_code');
    assert.equal(await total(admin), before, 'refused registrations created nothing');
    assert.equal(await total(regGd, '?status=pending'), 12);

    const good = reg();
    const r = await pub.request('POST', '/api/enterprises/registrations', { json: { ...good, credit_code: ` ${good.credit_code.toLowerCase()} ` } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.deepEqual(r.body, registrationEcho(good));
    assert.equal(JSON.stringify(r.body).includes(good.account.password), false, 'password echoed');
    const id = await enterpriseIdOf(good.credit_code);
    assert.equal(await total(admin), before + 1);

    // the new account signs in and reads its pending enterprise
    const self = new Client(server.url);
    const s = await self.signIn(good.account.login, good.account.password);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.user.role, 'enterprise');
    const mine = await self.request('GET', `/api/enterprises/${id}`);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.status, 'pending');
    assertError(await self.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'approve' } }), 403, 'forbidden');

    // the Guangdong regulator sees it among the pending, every one of them pending and in 44
    const pending = await allItems(regGd, 'status=pending');
    assert.equal(pending.total, 13);
    assert.ok(pending.items.some((e) => e.id === id));
    for (const e of pending.items) { assert.equal(e.status, 'pending'); assert.match(e.region, /^44/); }

    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'maybe' } }), 400, 'invalid_value', 'decision');
    const ap = await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'approve' } });
    assert.equal(ap.status, 200, JSON.stringify(ap.body));
    assert.equal(ap.body.status, 'approved');
    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'approve' } }), 409, 'already_reviewed');
    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'reject', note: '材料不全' } }), 409, 'already_reviewed');
    assert.equal((await self.request('GET', `/api/enterprises/${id}`)).body.status, 'approved');
    assert.equal(await total(regGd, '?status=pending'), 12);
  });

  test('self-registration: rejecting needs a note; a rejected enterprise that edits itself is pending again', async () => {
    const pub = new Client(server.url);
    const p = { ...newEnterprise('440106'), account: { login: `selfrej${serial}`, name: '赵六', password: 'another-long-password' } };
    const r = await pub.request('POST', '/api/enterprises/registrations', { json: p });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = await enterpriseIdOf(p.credit_code);
    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'reject' } }), 400, 'missing_field', 'note');
    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'reject', note: '' } }), 400, 'missing_field', 'note');
    assert.equal((await regGd.request('GET', `/api/enterprises/${id}`)).body.status, 'pending');
    const rej = await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'reject', note: '营业执照与名称不符' } });
    assert.equal(rej.status, 200, JSON.stringify(rej.body));
    assert.equal(rej.body.status, 'rejected');
    assert.equal(rej.body.review_note, '营业执照与名称不符');
    assertError(await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'approve' } }), 409, 'already_reviewed');
    const self = await signedIn(server.url, p.account.login, p.account.password);
    const fixed = await self.request('PATCH', `/api/enterprises/${id}`, { json: { name: p.name + '(更正)' } });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    assert.equal(fixed.body.status, 'pending');
    assert.equal(fixed.body.review_note, '');
    const ap = await regGd.request('POST', `/api/enterprises/${id}/review`, { json: { decision: 'approve', note: '已更正' } });
    assert.equal(ap.status, 200, JSON.stringify(ap.body));
    assert.equal(ap.body.status, 'approved');

    // a registration in Beijing is not the Guangdong regulator's to review
    const bjp = { ...newEnterprise('110105'), account: { login: `selfbj${serial}`, name: '钱七', password: 'beijing-long-password' } };
    const bj = await pub.request('POST', '/api/enterprises/registrations', { json: bjp });
    assert.equal(bj.status, 202, JSON.stringify(bj.body));
    const bjId = await enterpriseIdOf(bjp.credit_code);
    assertError(await regGd.request('POST', `/api/enterprises/${bjId}/review`, { json: { decision: 'approve' } }), 404, 'enterprise_not_found');
    const gdPending = await allItems(regGd, 'status=pending');
    assert.ok(!gdPending.items.some((e) => e.id === bjId));
    const natPending = await regulator.request('GET', '/api/enterprises?status=pending&region=110000');
    assert.ok(natPending.body.items.some((e) => e.id === bjId));
    const natAp = await regulator.request('POST', `/api/enterprises/${bjId}/review`, { json: { decision: 'approve' } });
    assert.equal(natAp.status, 200);
    assert.equal(natAp.body.status, 'approved');
  });

  test('self-registration does not tell whether a login exists: a taken one gets the answer of a free one, and nothing is made', async () => {
    const from = '127.0.0.21';
    const before = await total(admin);
    const mk = (login) => ({ ...newEnterprise('440305'), account: { login, name: '孙八', password: 'probe-long-password' } });
    const takenReg = mk('enterprise');               // the demo enterprise account's login
    const freeReg = mk(`free-login-${serial}`);
    const taken = await postFrom(server.url, from, '/api/enterprises/registrations', takenReg);
    const free = await postFrom(server.url, from, '/api/enterprises/registrations', freeReg);
    assert.equal(taken.status, 202, JSON.stringify(taken.body));
    assert.equal(free.status, 202, JSON.stringify(free.body));
    // the same members, each echoing the request: nothing to tell them apart
    assert.deepEqual(taken.body, registrationEcho(takenReg));
    assert.deepEqual(free.body, registrationEcho(freeReg));
    for (const h of ['content-type', 'set-cookie', 'location', 'retry-after'])
      assert.equal(taken.headers.get(h), free.headers.get(h), h);

    // the free one made its enterprise and account; the taken one made nothing
    assert.equal(await total(admin), before + 1);
    assert.equal(await enterpriseIdOf(takenReg.credit_code), null, 'an enterprise kept for a taken login');
    assert.ok(await enterpriseIdOf(freeReg.credit_code));
    assert.equal((await new Client(server.url).signIn(freeReg.account.login, 'probe-long-password')).status, 200);
    // the taken login's owner is untouched: the registrant's password is not theirs, the old one still is
    assertError(await new Client(server.url).signIn('enterprise', 'probe-long-password'), 401, 'invalid_credentials');
    assert.equal((await new Client(server.url).signIn('enterprise', demoPassword)).status, 200);
    // and the credit code is free to register again, with another login
    const retry = await postFrom(server.url, from, '/api/enterprises/registrations', { ...takenReg, account: { ...takenReg.account, login: `second-try-${serial}` } });
    assert.equal(retry.status, 202, JSON.stringify(retry.body));
    assert.ok(await enterpriseIdOf(takenReg.credit_code));
  });

  test('self-registration is throttled per address: every attempt counts, taken logins and credit codes too; waits, not a lock-out', async () => {
    const from = '127.0.0.22';
    const attempt = (account = {}, over = {}) => postFrom(server.url, from, '/api/enterprises/registrations',
      { ...newEnterprise('440305', over), account: { login: `thr-${serial}`, name: '周九', password: 'throttle-long-password', ...account } });
    // 10 attempts of every outcome: accepted, a taken login, a taken credit code
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    for (let i = 0; i < 4; i++) statuses.push((await attempt({ login: 'admin' })).status);
    for (let i = 0; i < 2; i++) statuses.push((await attempt({}, { credit_code: DEMO_CODE })).status);
    assert.deepEqual(statuses, [202, 202, 202, 202, 202, 202, 202, 202, 409, 409]);
    // an invalid one is refused before it counts, and says why
    assertError(await attempt({ password: 'short' }), 400, 'weak_password', 'account.password');
    // the eleventh waits 2 s, whatever it is; Retry-After and the message say so
    const pendingBefore = await total(admin);
    const slowed = await attempt();
    const e = assertError(slowed, 429, 'too_many_attempts', null);
    const wait = Number(slowed.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 2, `Retry-After: ${wait}`);
    assert.ok(e.message.includes(String(wait)), e.message);
    assertError(await attempt({ login: 'admin' }), 429, 'too_many_attempts');
    assert.equal(await total(admin), pendingBefore, 'a throttled registration made something');
    // another address is not affected
    assert.equal((await postFrom(server.url, '127.0.0.23', '/api/enterprises/registrations',
      { ...newEnterprise('440305'), account: { login: `elsewhere-${serial}`, name: '吴十', password: 'throttle-long-password' } })).status, 202);
    // after the wait, one goes through; the next waits 4 s
    await new Promise((r) => setTimeout(r, wait * 1000));
    assert.equal((await attempt()).status, 202);
    const longer = Number((await attempt()).headers.get('retry-after'));
    assert.ok(longer >= 3 && longer <= 4, `Retry-After: ${longer}`);
  });

  test('self-registration throttle holds under concurrency: of 16 at once from one address at most 10 are tried', async () => {
    const from = '127.0.0.24';
    const before = await total(admin);
    const all = await Promise.all(Array.from({ length: 16 }, () => postFrom(server.url, from, '/api/enterprises/registrations',
      { ...newEnterprise('440305'), account: { login: `burst-${serial}`, name: '郑一', password: 'burst-long-password' } })));
    const statuses = all.map((r) => r.status);
    const accepted = statuses.filter((s) => s === 202).length;
    assert.ok(accepted >= 1 && accepted <= 10, `statuses: ${statuses.join(' ')}`);
    for (const r of all) if (r.status !== 202) assertError(r, 429, 'too_many_attempts');
    assert.equal(await total(admin), before + accepted);
    // the allowance is used up now (or nearly, when some attempts were sent back as busy)
    const next = [];
    for (let i = accepted; i < 11; i++) next.push((await postFrom(server.url, from, '/api/enterprises/registrations',
      { ...newEnterprise('440305'), account: { login: `burst-${serial}`, name: '郑一', password: 'burst-long-password' } })).status);
    assert.equal(next.at(-1), 429, `after the burst: ${next.join(' ')}`);
  });

  test('the credit code and the region are changed by admins only; a regulator or the enterprise gets 403', async () => {
    const made = await regGd.request('POST', '/api/enterprises', { json: newEnterprise('440305') });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const path = `/api/enterprises/${made.body.id}`;
    const newCode = makeCode('440305', 8800);
    for (const reg of [regGd, regulator]) {
      for (const [field, value] of [['credit_code', newCode], ['region', '440304']]) {
        const e = assertError(await reg.request('PATCH', path, { json: { [field]: value, contact_name: '改了也不算' } }), 403, 'identifier_admin_only', field);
        assert.ok(e.message.includes(field), e.message);
      }
    }
    const en = assertError(await regGdEn.request('PATCH', path, { json: { credit_code: newCode } }), 403, 'identifier_admin_only', 'credit_code');
    assert.match(en.message, /administrator/);
    const still = (await admin.request('GET', path)).body;
    assert.equal(still.credit_code, made.body.credit_code);
    assert.equal(still.region, '440305');
    assert.equal(still.contact_name, made.body.contact_name, 'a refused request changes nothing');
    // the stored values sent back are no change; other fields are the regulator's to edit
    const same = await regGd.request('PATCH', path, { json: { credit_code: made.body.credit_code.toLowerCase(), region: '440305', contact_name: '李四' } });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal(same.body.contact_name, '李四');
    // an admin changes both
    const moved = await admin.request('PATCH', path, { json: { credit_code: newCode, region: '440304' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.credit_code, newCode);
    assert.equal(moved.body.region, '440304');
  });

  test('a renamed enterprise keeps its former names, newest first, whoever renamed it', async () => {
    const made = await admin.request('POST', '/api/enterprises', { json: newEnterprise('440305', { name: '第一个名字有限公司' }) });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(made.body.former_names, []);
    const path = `/api/enterprises/${made.body.id}`;
    const r1 = await regGd.request('PATCH', path, { json: { name: '第二个名字有限公司' } });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(r1.body.former_names, [{ name: '第一个名字有限公司', until: today }]);
    const r2 = await admin.request('PATCH', path, { json: { name: '第三个名字股份有限公司', size: 'medium' } });
    assert.deepEqual(r2.body.former_names.map((f) => f.name), ['第二个名字有限公司', '第一个名字有限公司']);
    assert.deepEqual((await regGd.request('GET', path)).body.former_names, r2.body.former_names);
    // the list leaves them out
    const listed = await admin.request('GET', '/api/enterprises?q=' + encodeURIComponent('第三个名字'));
    assert.equal(listed.body.items[0].former_names, undefined);
    // the demo enterprise renames itself
    const own = await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { name: DEMO_NAME + '(更名测试)' } });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.former_names.map((f) => f.name), [DEMO_NAME]);
    const back = await enterprise.request('PATCH', `/api/enterprises/${demoEnterpriseId}`, { json: { name: DEMO_NAME } });
    assert.deepEqual(back.body.former_names.map((f) => f.name), [DEMO_NAME + '(更名测试)', DEMO_NAME]);
  });

  test('filters q, region, industry, size, status', async () => {
    const all = await total(admin);
    const demo = await admin.request('GET', '/api/enterprises?q=示范科技');
    assert.equal(demo.status, 200);
    assert.ok(demo.body.items.some((e) => e.credit_code === DEMO_CODE));
    for (const e of demo.body.items) assert.ok(e.name.includes('示范科技') || e.credit_code.includes('示范科技'));
    const byCode = await admin.request('GET', '/api/enterprises?q=' + DEMO_CODE.slice(0, 12));
    assert.ok(byCode.body.items.some((e) => e.credit_code === DEMO_CODE));
    for (const e of byCode.body.items) assert.ok(e.credit_code.includes(DEMO_CODE.slice(0, 12)) || e.name.includes(DEMO_CODE.slice(0, 12)));
    const none = await admin.request('GET', '/api/enterprises?q=' + encodeURIComponent('%_不存在的企业名_%'));
    assert.equal(none.body.total, 0);
    const pct = await admin.request('GET', '/api/enterprises?q=%25');
    assert.equal(pct.body.total, 0, 'a % in q is matched literally');

    const sz = await admin.request('GET', '/api/enterprises?region=440300&per_page=100');
    assert.ok(sz.body.total > 0);
    for (const e of sz.body.items) assert.match(e.region, /^4403/);
    assert.ok(sz.body.total <= await total(admin, '?region=440000'));
    const county = await admin.request('GET', '/api/enterprises?region=440305&per_page=100');
    for (const e of county.body.items) assert.equal(e.region, '440305');

    const ind = await admin.request('GET', '/api/enterprises?industry=39&per_page=100');
    assert.ok(ind.body.total > 0);
    for (const e of ind.body.items) { assert.equal(e.industry, '39'); assert.equal(e.industry_section, 'C'); }

    let sum = 0;
    for (const size of ['large', 'medium', 'small', 'micro']) {
      const r = await admin.request('GET', `/api/enterprises?size=${size}&per_page=100`);
      assert.equal(r.status, 200);
      assert.ok(r.body.total > 0, size);
      for (const e of r.body.items) assert.equal(e.size, size);
      sum += r.body.total;
    }
    assert.equal(sum, all, 'the sizes partition the list');
    let sumStatus = 0;
    for (const status of ['approved', 'pending', 'rejected']) {
      const r = await admin.request('GET', `/api/enterprises?status=${status}&per_page=100`);
      for (const e of r.body.items) assert.equal(e.status, status);
      sumStatus += r.body.total;
    }
    assert.equal(sumStatus, all, 'the statuses partition the list');
    const combo = await admin.request('GET', '/api/enterprises?region=440000&status=pending&size=small&per_page=100');
    for (const e of combo.body.items) { assert.match(e.region, /^44/); assert.equal(e.status, 'pending'); assert.equal(e.size, 'small'); }
  });

  test('sorting and pagination', async () => {
    const asc = await admin.request('GET', '/api/enterprises?sort=name&per_page=50');
    const desc = await admin.request('GET', '/api/enterprises?sort=-name&per_page=50');
    assert.equal(asc.status, 200);
    assert.equal(desc.status, 200);
    assert.notEqual(asc.body.items[0].name, desc.body.items[0].name);
    for (let i = 1; i < asc.body.items.length; i++) assert.ok(byteCompare(asc.body.items[i - 1].name, asc.body.items[i].name) <= 0, 'asc order');
    for (let i = 1; i < desc.body.items.length; i++) assert.ok(byteCompare(desc.body.items[i - 1].name, desc.body.items[i].name) >= 0, 'desc order');
    assert.ok(byteCompare(asc.body.items[0].name, desc.body.items[0].name) < 0);
    const codes = await admin.request('GET', '/api/enterprises?sort=credit_code&per_page=30');
    for (let i = 1; i < codes.body.items.length; i++) assert.ok(codes.body.items[i - 1].credit_code < codes.body.items[i].credit_code);
    const created = await admin.request('GET', '/api/enterprises?sort=-created_at&per_page=5');
    assert.equal(created.status, 200);
    for (let i = 1; i < created.body.items.length; i++) assert.ok(created.body.items[i - 1].created_at >= created.body.items[i].created_at);
    for (const bad of ['bogus', '-bogus', 'region', 'name;drop']) {
      assertError(await admin.request('GET', '/api/enterprises?sort=' + encodeURIComponent(bad)), 400, 'invalid_query', 'sort', bad);
    }
    const all = await total(admin);
    const p1 = await admin.request('GET', '/api/enterprises?sort=credit_code&per_page=7&page=1');
    const p2 = await admin.request('GET', '/api/enterprises?sort=credit_code&per_page=7&page=2');
    assert.equal(p1.body.total, all);
    assert.equal(p2.body.total, all);
    assert.equal(p1.body.page, 1);
    assert.equal(p2.body.page, 2);
    assert.equal(p1.body.per_page, 7);
    assert.equal(p1.body.items.length, 7);
    assert.equal(p2.body.items.length, 7);
    const ids1 = new Set(p1.body.items.map((e) => e.id));
    assert.ok(!p2.body.items.some((e) => ids1.has(e.id)), 'pages overlap');
    assert.ok(p1.body.items[6].credit_code < p2.body.items[0].credit_code);
    const lastPage = Math.ceil(all / 7);
    const pl = await admin.request('GET', `/api/enterprises?sort=credit_code&per_page=7&page=${lastPage}`);
    assert.equal(pl.body.items.length, all - 7 * (lastPage - 1));
    const beyond = await admin.request('GET', `/api/enterprises?per_page=7&page=${lastPage + 1}`);
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body.items, []);
    assert.equal(beyond.body.total, all);
    const dflt = await admin.request('GET', '/api/enterprises');
    assert.equal(dflt.body.per_page, 20);
    assert.equal(dflt.body.items.length, 20);
    for (const bad of ['per_page=0', 'per_page=101', 'page=0', 'page=x', 'per_page=-1']) {
      const f = bad.split('=')[0];
      assertError(await admin.request('GET', '/api/enterprises?' + bad), 400, 'invalid_query', f, bad);
    }
  });
});
