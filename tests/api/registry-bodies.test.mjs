// The directory of certification bodies (docs/registry.md), from outside: the public list and
// detail, creation by an admin with its validation (credit code, 3-digit code, dates, province
// codes), duplicate codes, the region filter (a body serving a province, or the whole country),
// sorting that never ranks by founding date, and who may change a body.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode, withWrongFinal } from './lib/uscc.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const BODY_FIELDS = ['address', 'approval_number', 'cnas_number', 'code', 'contact_phone', 'created_at', 'credit_code',
  'founded', 'id', 'name', 'regions', 'standing', 'updated_at', 'website'];
/** One body (detail, and the answer to a write) adds its former names and its standing history. */
const BODY_DETAIL = [...BODY_FIELDS, 'former_names', 'standing_history'].sort();

/** The province codes a body serves, whether the server lists codes or {code,name} objects. */
const regionCodes = (b) => b.regions.map((r) => (typeof r === 'string' ? r : r.code));
function byteCompare(a, b) { return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')); }

describe('registry: certification bodies', () => {
  let server;
  let pub, admin, bodyUser, bodyUserId;
  let gdBody, nationalBody;
  let serial = 0;

  function newBody(over = {}) {
    serial += 1;
    return {
      name: `测试认证机构${serial}有限公司`, credit_code: makeCode('110108', 700 + serial), code: String(900 + serial),
      approval_number: `CNCA-R-2020-${900 + serial}`, cnas_number: `CNAS C9${serial}-M`, founded: '2019-06-30',
      address: '北京市海淀区 1 号', contact_phone: '010-6000 0000', website: 'https://example.cn', ...over,
    };
  }
  async function listAll(client, query) {
    const r = await client.request('GET', `/api/bodies?per_page=100&${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length === r.body.total, 'all bodies fit one page');
    return r.body.items;
  }

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    bodyUser = new Client(server.url);
    const r = await bodyUser.signIn('body');
    assert.equal(r.status, 200);
    bodyUserId = r.body.user.body_id;
    assert.ok(bodyUserId > 0, JSON.stringify(r.body.user));
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('public list: 30 demo bodies, paginated, with the documented fields', async () => {
    const r = await pub.request('GET', '/api/bodies?per_page=100');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.total, 30);
    assert.equal(r.body.items.length, 30);
    assert.equal(r.body.page, 1);
    assert.equal(r.body.per_page, 100);
    const codes = new Set();
    for (const b of r.body.items) {
      assert.deepEqual(Object.keys(b).sort(), BODY_FIELDS, JSON.stringify(b));
      assert.match(b.code, /^\d{3}$/);
      assert.match(b.credit_code, /^[0-9A-HJ-NPQRTUWXY]{18}$/);
      assert.match(b.founded, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(Array.isArray(b.regions));
      for (const code of regionCodes(b)) assert.match(code, /^\d{2}0000$/);
      codes.add(b.code);
    }
    assert.equal(codes.size, 30, 'body codes are unique');
    const demo = r.body.items.find((b) => b.code === '840');
    assert.ok(demo, 'body 840');
    assert.equal(demo.name, '中知认证有限公司');
    assert.equal(demo.credit_code, '91110000600037341L');
    assert.equal(demo.id, bodyUserId);
    const p1 = await pub.request('GET', '/api/bodies?per_page=8&page=1&sort=name');
    const p4 = await pub.request('GET', '/api/bodies?per_page=8&page=4&sort=name');
    assert.equal(p1.body.items.length, 8);
    assert.equal(p4.body.items.length, 6);
    assert.equal(p4.body.total, 30);
    assert.ok(!p4.body.items.some((b) => p1.body.items.some((x) => x.id === b.id)));
  });

  test('public detail; unknown id 404 body_not_found', async () => {
    const r = await pub.request('GET', `/api/bodies/${bodyUserId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), BODY_DETAIL);
    assert.deepEqual(r.body.former_names, []);
    assert.equal(r.body.name, '中知认证有限公司');
    assert.equal(r.body.code, '840');
    assert.match(r.body.approval_number, /^CNCA-R-/);
    assertError(await pub.request('GET', '/api/bodies/999999'), 404, 'body_not_found');
    const en = await new Client(server.url, { lang: 'en' }).request('GET', '/api/bodies/999999');
    assertError(en, 404, 'body_not_found');
    assert.match(en.body.error.message, /certification body/);
  });

  test('q filter and sorting; the founding date is never a sort key', async () => {
    const q = await pub.request('GET', '/api/bodies?q=中知');
    assert.equal(q.status, 200);
    assert.ok(q.body.items.some((b) => b.code === '840'));
    for (const b of q.body.items) assert.ok(b.name.includes('中知') || b.approval_number.includes('中知'), b.name);
    const all = await listAll(pub, '');
    const approval = all.find((b) => b.code === '845').approval_number;
    const byApproval = await pub.request('GET', '/api/bodies?q=' + encodeURIComponent(approval));
    assert.deepEqual(byApproval.body.items.map((b) => b.code), ['845']);
    assert.equal((await pub.request('GET', '/api/bodies?q=%25')).body.total, 0);
    const asc = await listAll(pub, 'sort=name');
    const desc = await listAll(pub, 'sort=-name');
    assert.notEqual(asc[0].id, desc[0].id);
    for (let i = 1; i < asc.length; i++) assert.ok(byteCompare(asc[i - 1].name, asc[i].name) <= 0);
    assert.deepEqual(desc.map((b) => b.id), asc.map((b) => b.id).reverse());
    const created = await pub.request('GET', '/api/bodies?sort=created_at');
    assert.equal(created.status, 200);
    for (const bad of ['founded', '-founded', 'code', 'bogus']) {
      assertError(await pub.request('GET', '/api/bodies?sort=' + bad), 400, 'invalid_query', 'sort', bad);
    }
  });

  test('admin creates bodies; the credit code, code, dates and regions are validated; nothing else is created', async () => {
    const before = (await pub.request('GET', '/api/bodies')).body.total;
    const wrongCode = newBody();
    wrongCode.credit_code = withWrongFinal(wrongCode.credit_code);
    const e = assertError(await admin.request('POST', '/api/bodies', { json: wrongCode }), 400, 'invalid_credit_code', 'credit_code');
    assert.match(e.message, /第 18 位/);
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ credit_code: '9111000060003734' }) }), 400, 'invalid_credit_code', 'credit_code');
    const cases = [
      ['code', { code: '84' }], ['code', { code: '8400' }], ['code', { code: 'ABC' }], ['code', { code: '8a1' }],
      ['founded', { founded: '2020-13-01' }], ['founded', { founded: '2021-02-29' }], ['founded', { founded: '20200101' }],
      ['regions', { regions: ['440300'] }], ['regions', { regions: ['999999'] }], ['regions', { regions: ['440000', '4400'] }],
      ['regions', { regions: '440000' }], ['regions', { regions: [440000] }],
    ];
    for (const [field, over] of cases) {
      const r = await admin.request('POST', '/api/bodies', { json: newBody(over) });
      assert.equal(r.status, 400, `${JSON.stringify(over)}: ${r.status} ${JSON.stringify(r.body)}`);
      assertError(r, 400, r.body.error.code, field, JSON.stringify(over));
    }
    for (const field of ['name', 'credit_code', 'code', 'approval_number']) {
      const b = newBody();
      delete b[field];
      assertError(await admin.request('POST', '/api/bodies', { json: b }), 400, 'missing_field', field);
    }
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ rank: 1 }) }), 400, 'unknown_field', 'rank');
    // duplicates
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ code: '840' }) }), 409, 'body_code_taken', 'code');
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ credit_code: '91110000600037341L' }) }), 409, 'credit_code_taken', 'credit_code');
    assert.equal((await pub.request('GET', '/api/bodies')).body.total, before, 'refused requests created nothing');

    const gd = newBody({ regions: ['440000'], credit_code: ` ${makeCode('440106', 777).toLowerCase()} ` });
    const r1 = await admin.request('POST', '/api/bodies', { json: gd });
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    assert.deepEqual(Object.keys(r1.body).sort(), BODY_DETAIL);
    assert.equal(r1.body.credit_code, makeCode('440106', 777));
    assert.equal(r1.body.code, gd.code);
    assert.equal(r1.body.founded, '2019-06-30');
    assert.deepEqual(regionCodes(r1.body), ['440000']);
    gdBody = r1.body;
    const nat = newBody();
    delete nat.founded; delete nat.cnas_number; delete nat.website;
    const r2 = await admin.request('POST', '/api/bodies', { json: nat });
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    assert.deepEqual(regionCodes(r2.body), []);
    assert.equal(r2.body.founded, '');
    nationalBody = r2.body;
    const r3 = await admin.request('POST', '/api/bodies', { json: newBody({ regions: ['110000', '310000', '110000'] }) });
    assert.equal(r3.status, 201, JSON.stringify(r3.body));
    assert.deepEqual(regionCodes(r3.body).sort(), ['110000', '310000']);
    assert.equal((await pub.request('GET', '/api/bodies')).body.total, before + 3);
    const shown = await pub.request('GET', `/api/bodies/${gdBody.id}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.name, gd.name);
    // a second body with the new body's code is refused
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ code: gd.code }) }), 409, 'body_code_taken', 'code');
  });

  test('the region filter: a province body for its province only, a nationwide body everywhere', async () => {
    assert.ok(gdBody && nationalBody, 'created by the previous test');
    const has = (items, b) => items.some((x) => x.id === b.id);
    for (const region of ['440300', '440000', '440305', '44']) {
      const items = await listAll(pub, 'region=' + region);
      assert.ok(has(items, gdBody), `GD body for region=${region}`);
      assert.ok(has(items, nationalBody), `nationwide body for region=${region}`);
      for (const b of items) {
        const rc = regionCodes(b);
        assert.ok(rc.length === 0 || rc.includes('440000'), `${b.name} ${rc} listed for ${region}`);
      }
    }
    for (const region of ['110000', '110105', '310115']) {
      const items = await listAll(pub, 'region=' + region);
      assert.ok(!has(items, gdBody), `GD body for region=${region}`);
      assert.ok(has(items, nationalBody), `nationwide body for region=${region}`);
      for (const b of items) {
        const rc = regionCodes(b);
        assert.ok(rc.length === 0 || rc.includes(region.slice(0, 2) + '0000'), `${b.name} ${rc} listed for ${region}`);
      }
    }
    const everywhere = await listAll(pub, '');
    const gdList = await listAll(pub, 'region=440300');
    const nationwide = everywhere.filter((b) => regionCodes(b).length === 0).length;
    const gdOnly = everywhere.filter((b) => regionCodes(b).includes('440000')).length;
    assert.equal(gdList.length, nationwide + gdOnly);
    assert.ok(gdList.length < everywhere.length);
  });

  test('a body edits its own entry (200) but not another (403); an admin edits any', async () => {
    const own = await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { contact_phone: '010-6000 1234', website: 'https://zhongzhi.example.cn' } });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.contact_phone, '010-6000 1234');
    assert.equal(own.body.website, 'https://zhongzhi.example.cn');
    assert.equal(own.body.code, '840');
    assert.equal((await pub.request('GET', `/api/bodies/${bodyUserId}`)).body.contact_phone, '010-6000 1234');
    assertError(await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { founded: 'yesterday' } }), 400, 'invalid_value', 'founded');
    assertError(await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { regions: ['440300'] } }), 400, 'invalid_value', 'regions');
    const before = (await pub.request('GET', `/api/bodies/${gdBody.id}`)).body;
    assertError(await bodyUser.request('PATCH', `/api/bodies/${gdBody.id}`, { json: { name: '被篡改的机构' } }), 403, 'forbidden');
    const after = (await pub.request('GET', `/api/bodies/${gdBody.id}`)).body;
    assert.equal(after.name, before.name);
    assert.equal(after.updated_at, before.updated_at);
    // an admin changes regions: the GD body becomes nationwide, then serves Beijing only
    const wide = await admin.request('PATCH', `/api/bodies/${gdBody.id}`, { json: { regions: [] } });
    assert.equal(wide.status, 200, JSON.stringify(wide.body));
    assert.deepEqual(regionCodes(wide.body), []);
    assert.ok((await listAll(pub, 'region=110105')).some((b) => b.id === gdBody.id));
    const bj = await admin.request('PATCH', `/api/bodies/${gdBody.id}`, { json: { regions: ['110000'] } });
    assert.equal(bj.status, 200, JSON.stringify(bj.body));
    assert.deepEqual(regionCodes(bj.body), ['110000']);
    assert.ok(!(await listAll(pub, 'region=440300')).some((b) => b.id === gdBody.id));
    // a code taken by another body is refused on change too
    assertError(await admin.request('PATCH', `/api/bodies/${gdBody.id}`, { json: { code: '840' } }), 409, 'body_code_taken', 'code');
    assertError(await admin.request('PATCH', '/api/bodies/999999', { json: { name: '不存在的机构' } }), 404, 'body_not_found');
  });

  test('identifiers an authority issued (credit code, code, CNCA approval, CNAS number) are changed by admins only', async () => {
    const before = (await pub.request('GET', `/api/bodies/${bodyUserId}`)).body;
    const changes = {
      credit_code: makeCode('110108', 9101), code: '998', approval_number: 'CNCA-R-2099-001', cnas_number: 'CNAS C999-M',
    };
    for (const [field, value] of Object.entries(changes)) {
      const e = assertError(await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { [field]: value, website: 'https://x.example.cn' } }),
        403, 'identifier_admin_only', field, field);
      assert.ok(e.message.includes(field), e.message);
    }
    const en = await signedIn(server.url, 'body', undefined, { lang: 'en' });
    const e = assertError(await en.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { approval_number: 'CNCA-R-2099-002' } }), 403, 'identifier_admin_only', 'approval_number');
    assert.match(e.message, /administrator/);
    const after = (await pub.request('GET', `/api/bodies/${bodyUserId}`)).body;
    assert.deepEqual(after, before, 'a refused change changes nothing');
    // its own identifiers sent back unchanged are no change
    const same = await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, {
      json: { credit_code: before.credit_code.toLowerCase(), code: before.code, approval_number: before.approval_number, cnas_number: before.cnas_number, contact_phone: '010-6000 5678' },
    });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal(same.body.contact_phone, '010-6000 5678');
    // an admin changes them
    const target = (await admin.request('POST', '/api/bodies', { json: newBody() })).body;
    const changed = await admin.request('PATCH', `/api/bodies/${target.id}`, { json: changes });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    for (const [field, value] of Object.entries(changes)) assert.equal(changed.body[field], value, field);
  });

  test('CNCA approval and CNAS numbers belong to one body each; an empty CNAS number is none', async () => {
    const all = await listAll(pub, '');
    const taken = all.find((b) => b.code === '845');
    const count = all.length;
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ approval_number: taken.approval_number }) }),
      409, 'approval_number_taken', 'approval_number', taken.approval_number);
    assertError(await admin.request('POST', '/api/bodies', { json: newBody({ cnas_number: taken.cnas_number }) }),
      409, 'cnas_number_taken', 'cnas_number');
    assert.equal((await listAll(pub, '')).length, count, 'nothing created');
    // several bodies without a CNAS number
    const blank = [];
    for (let i = 0; i < 2; i++) {
      const r = await admin.request('POST', '/api/bodies', { json: newBody({ cnas_number: '' }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      blank.push(r.body);
    }
    // changing to a number another body holds is refused as well; keeping one's own is not
    assertError(await admin.request('PATCH', `/api/bodies/${blank[0].id}`, { json: { approval_number: taken.approval_number } }),
      409, 'approval_number_taken', 'approval_number');
    assertError(await admin.request('PATCH', `/api/bodies/${blank[0].id}`, { json: { cnas_number: taken.cnas_number } }),
      409, 'cnas_number_taken', 'cnas_number');
    assertError(await admin.request('PATCH', `/api/bodies/${blank[0].id}`, { json: { approval_number: blank[1].approval_number } }),
      409, 'approval_number_taken', 'approval_number');
    const own = await admin.request('PATCH', `/api/bodies/${blank[0].id}`, { json: { approval_number: blank[0].approval_number, cnas_number: 'CNAS C777-M' } });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.cnas_number, 'CNAS C777-M');
    const shown = await pub.request('GET', `/api/bodies/${blank[1].id}`);
    assert.equal(shown.body.cnas_number, '');
  });

  test('a renamed body keeps its former names, newest first, shown on its public detail', async () => {
    const b = (await admin.request('POST', '/api/bodies', { json: newBody({ name: '旧名认证有限公司' }) })).body;
    const r1 = await admin.request('PATCH', `/api/bodies/${b.id}`, { json: { name: '新名认证有限公司' } });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(r1.body.former_names, [{ name: '旧名认证有限公司', until: today }]);
    // a body renames itself: its former name is kept too
    const own = await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { name: '中知认证(集团)有限公司' } });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.former_names.map((f) => f.name), ['中知认证有限公司']);
    const r2 = await admin.request('PATCH', `/api/bodies/${b.id}`, { json: { name: '第三个名字认证有限公司', address: '上海' } });
    assert.deepEqual(r2.body.former_names.map((f) => f.name), ['新名认证有限公司', '旧名认证有限公司']);
    const shown = await pub.request('GET', `/api/bodies/${b.id}`);
    assert.deepEqual(shown.body.former_names, r2.body.former_names);
    // the list leaves them out; renaming back to the current name records nothing
    const listed = (await listAll(pub, '')).find((x) => x.id === b.id);
    assert.equal(listed.former_names, undefined);
    const same = await admin.request('PATCH', `/api/bodies/${b.id}`, { json: { name: '第三个名字认证有限公司' } });
    assert.equal(same.body.former_names.length, 2);
    const back = await bodyUser.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { name: '中知认证有限公司' } });
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.former_names.map((f) => f.name), ['中知认证(集团)有限公司', '中知认证有限公司']);
  });

  test('only an admin creates a body: public 401, other roles 403', async () => {
    const before = (await pub.request('GET', '/api/bodies')).body.total;
    assertError(await pub.request('POST', '/api/bodies', { json: newBody() }), 401, 'unauthenticated');
    assertError(await pub.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { name: '匿名修改' } }), 401, 'unauthenticated');
    for (const login of ['body', 'enterprise', 'regulator', 'regulator-gd']) {
      const c = await signedIn(server.url, login);
      assertError(await c.request('POST', '/api/bodies', { json: newBody() }), 403, 'forbidden', undefined, login);
    }
    for (const login of ['enterprise', 'regulator']) {
      const c = await signedIn(server.url, login);
      assertError(await c.request('PATCH', `/api/bodies/${bodyUserId}`, { json: { name: '越权修改' } }), 403, 'forbidden', undefined, login);
    }
    assert.equal((await pub.request('GET', '/api/bodies')).body.total, before);
  });
});
