// Service commitments (issue 8; docs/marketplace.md), from outside: a body publishes a
// commitment (every invalid field named at once), the public catalogue shows it and each filter
// selects exactly the rows it should, a new version shows on the commitment's page with the
// earlier one in its history, the diff lists exactly the changed fields, two publishes on one
// base give one 201 and one 409, a version is never edited (405), another body's staff cannot
// touch it, a withdrawn commitment leaves the catalogue but stays readable, and each write is in
// the audit log.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sql } from './lib/sql.mjs';

checkEveryAnswer();

const TAG = '承诺测试';    // every title made here contains it, so q=TAG selects only them

/** A complete, valid content; over replaces members. */
function content(over = {}) {
  return {
    title: `${TAG} 标准服务`, edition: 'GB/T 29490-2023', areas: ['acquisition', 'protection'],
    stages: ['research'], regions: ['440000'], industries: ['C'], effectiveness_coverage: ['quality', 'management'],
    effectiveness_method: '对照认证前后三年的专利指标。', man_days_large: 12, man_days_medium: 8.5,
    man_days_small: 5, man_days_micro: 3, price_min: 30000, price_max: 50000, lead_time_days: 60,
    response_hours: 24, surveillance_terms: '每年一次监督审核。', complaint_channel: '投诉电话 400-000-0000', ...over,
  };
}

describe('service commitments', () => {
  let server, pub, admin, bodyUser, otherStaff, enterprise, bodyId, otherBodyId;
  const made = {};      // name → id of the commitments this file publishes

  const publish = (client, over = {}) => client.request('POST', '/api/commitments', { json: content(over) });
  const catalogue = async (query) => {
    const r = await pub.request('GET', `/api/commitments?q=${encodeURIComponent(TAG)}&per_page=100&${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.map((x) => x.id).sort((a, b) => a - b);
  };
  const ids = (...names) => names.map((n) => made[n]).sort((a, b) => a - b);

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    const b = await admin.request('POST', '/api/bodies', {
      json: { name: '承诺测试认证有限公司', credit_code: makeCode('110105', 7731), code: '977', approval_number: 'CNCA-R-2026-977' },
    });
    assert.equal(b.status, 201, JSON.stringify(b.body));
    otherBodyId = b.body.id;
    const u = await admin.request('POST', '/api/users', {
      json: { login: 'other-body-staff', name: '其他机构人员', role: 'body', body_id: otherBodyId, password: 'other-body-pass-1' },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    otherStaff = await signedIn(server.url, 'other-body-staff', 'other-body-pass-1');
  });
  after(async () => { await server?.stop(); });

  test('an invalid form names every invalid field at once and publishes nothing', async () => {
    const before = await catalogue('');
    const r = await publish(bodyUser, {
      title: '', edition: 'ISO 9001', areas: ['acquisition', 'cooking'], stages: [], regions: ['440300'],
      industries: ['39'], effectiveness_coverage: ['price'], man_days_small: 0, price_min: 60000, price_max: 50000,
      lead_time_days: 400, response_hours: 0, colour: 'red',
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const fields = r.body.error.fields.map((f) => f.field).sort();
    assert.deepEqual(fields, ['areas', 'colour', 'edition', 'effectiveness_coverage', 'industries', 'lead_time_days',
      'man_days_small', 'price_max', 'regions', 'response_hours', 'stages', 'title'].sort());
    const missing = await bodyUser.request('POST', '/api/commitments', { json: { title: `${TAG} 缺字段` } });
    assertError(missing, 400, 'missing_field');
    assert.deepEqual(missing.body.error.fields.map((f) => f.field).sort(), ['areas', 'edition', 'lead_time_days',
      'man_days_large', 'man_days_medium', 'man_days_micro', 'man_days_small', 'price_max', 'price_min',
      'response_hours', 'stages'].sort());
    assert.deepEqual(await catalogue(''), before);
  });

  test('who may publish: a body for itself, an admin for a named body; nobody else', async () => {
    assertError(await publish(pub), 401, 'unauthenticated');
    assertError(await publish(enterprise), 403, 'forbidden');
    assertError(await publish(bodyUser, { body_id: otherBodyId }), 400, 'invalid_value', 'body_id');
    assertError(await publish(admin), 400, 'missing_field', 'body_id');
    assertError(await publish(admin, { body_id: 999999 }), 404, 'body_not_found', 'body_id');
    const r = await publish(admin, { body_id: otherBodyId, title: `${TAG} 机构二 全国服务`, regions: [], industries: [],
      edition: 'GB/T 29490-2013', price_min: 20000, price_max: 26000, lead_time_days: 30,
      effectiveness_coverage: ['quality', 'benefit', 'management'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    made.national = r.body.id;
    assert.equal(r.body.body.id, otherBodyId);
  });

  test('a published commitment is in the catalogue with its fields as sent', async () => {
    const r = await publish(bodyUser);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    made.gd = r.body.id;
    const expected = content();
    for (const k of Object.keys(expected)) assert.deepEqual(r.body[k], expected[k], k);
    assert.equal(r.body.version, 1);
    assert.equal(r.body.current_version, 1);
    assert.equal(r.body.status, 'published');
    assert.equal(r.body.body.id, bodyId);
    assert.deepEqual(r.body.versions, []);
    const two = await publish(bodyUser, { title: `${TAG} 江苏 信息技术`, regions: ['320000', '310000'],
      industries: ['I', 'M'], effectiveness_coverage: ['benefit'], price_min: 45000, price_max: 80000,
      lead_time_days: 90 });
    assert.equal(two.status, 201, JSON.stringify(two.body));
    made.js = two.body.id;
    assert.deepEqual(await catalogue(''), ids('national', 'gd', 'js'));
    const row = (await pub.request('GET', `/api/commitments?q=${encodeURIComponent(TAG)}&body_id=${bodyId}&sort=price`))
      .body.items;
    assert.deepEqual(row.map((x) => x.id), [made.gd, made.js]);
    assert.equal(row[0].body.name.length > 0, true);
    assert.equal(row[0].price_min, 30000);
  });

  test('each filter of the catalogue selects exactly its rows', async () => {
    // region: a province served, or a division within it; nationwide commitments match everywhere
    assert.deepEqual(await catalogue('region=440000'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('region=440305'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('region=320000'), ids('national', 'js'));
    assert.deepEqual(await catalogue('region=650000'), ids('national'));
    // industry: a section letter, or a division of it (39 is in C)
    assert.deepEqual(await catalogue('industry=C'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('industry=39'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('industry=I'), ids('national', 'js'));
    // edition
    assert.deepEqual(await catalogue(`edition=${encodeURIComponent('GB/T 29490-2013')}`), ids('national'));
    assert.deepEqual(await catalogue(`edition=${encodeURIComponent('GB/T 29490-2023')}`), ids('gd', 'js'));
    // price_max: the highest price at most this
    assert.deepEqual(await catalogue('price_max=50000'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('price_max=26000'), ids('national'));
    assert.deepEqual(await catalogue('price_max=25999'), []);
    // lead_time_max
    assert.deepEqual(await catalogue('lead_time_max=60'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('lead_time_max=30'), ids('national'));
    // coverage: every category asked for
    assert.deepEqual(await catalogue('coverage=quality'), ids('national', 'gd'));
    assert.deepEqual(await catalogue('coverage=benefit'), ids('national', 'js'));
    assert.deepEqual(await catalogue('coverage=quality,benefit'), ids('national'));
    // body_id
    assert.deepEqual(await catalogue(`body_id=${otherBodyId}`), ids('national'));
    // q: the body's name too
    const byName = await pub.request('GET', `/api/commitments?q=${encodeURIComponent('承诺测试认证有限')}&per_page=100`);
    assert.deepEqual(byName.body.items.map((x) => x.id), [made.national]);
    // sorts
    const sorted = async (s) => (await pub.request('GET', `/api/commitments?q=${encodeURIComponent(TAG)}&sort=${s}`))
      .body.items.map((x) => x.id);
    assert.deepEqual(await sorted('lead_time'), [made.national, made.gd, made.js]);
    assert.deepEqual(await sorted('-price'), [made.js, made.gd, made.national]);
    assert.deepEqual(await sorted('newest'), [made.js, made.gd, made.national]);
    // malformed filters are refused
    for (const bad of ['region=99', 'region=abc', 'industry=Z9', 'edition=ISO', 'coverage=price', 'price_max=-1',
      'lead_time_max=x', 'sort=colour']) {
      const r = await pub.request('GET', `/api/commitments?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.code, 'invalid_query', bad);
    }
  });

  test('the catalogue exports as CSV with its named columns', async () => {
    const r = await fetch(`${server.url}/api/commitments?q=${encodeURIComponent(TAG)}&sort=lead_time&format=csv`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    const text = (await r.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    assert.match(lines[0], /^编号,服务名称,认证机构,版本,认证依据/);
    assert.equal(lines.length, 4);
    assert.match(lines[1], new RegExp(`^${made.national},`));
  });

  test('a new version: the page shows it, the earlier one in history; the diff lists exactly what changed', async () => {
    const next = content({ lead_time_days: 45, price_max: 55000, effectiveness_coverage: ['quality', 'benefit', 'management'],
      base_version: 1, change_note: '缩短决定周期' });
    const r = await bodyUser.request('POST', `/api/commitments/${made.gd}/versions`, { json: next });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.version, 2);
    assert.equal(r.body.lead_time_days, 45);
    assert.equal(r.body.change_note, '缩短决定周期');
    const page = await pub.request('GET', `/api/commitments/${made.gd}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.version, 2);
    assert.equal(page.body.price_max, 55000);
    assert.deepEqual(page.body.versions.map((v) => [v.version, v.change_note]), [[1, '']]);
    const v1 = await pub.request('GET', `/api/commitments/${made.gd}/versions/1`);
    assert.equal(v1.status, 200);
    assert.equal(v1.body.version, 1);
    assert.equal(v1.body.current_version, 2);
    assert.equal(v1.body.lead_time_days, 60);
    assertError(await pub.request('GET', `/api/commitments/${made.gd}/versions/3`), 404, 'commitment_version_not_found');
    const diff = await pub.request('GET', `/api/commitments/${made.gd}/diff?from=1&to=2`);
    assert.equal(diff.status, 200);
    assert.deepEqual(diff.body, [
      { field: 'effectiveness_coverage', before: ['quality', 'management'], after: ['quality', 'benefit', 'management'] },
      { field: 'price_max', before: 50000, after: 55000 },
      { field: 'lead_time_days', before: 60, after: 45 },
    ]);
    const back = await pub.request('GET', `/api/commitments/${made.gd}/diff?from=2&to=1`);
    assert.deepEqual(back.body.map((d) => d.field), ['effectiveness_coverage', 'price_max', 'lead_time_days']);
    assert.deepEqual((await pub.request('GET', `/api/commitments/${made.gd}/diff?from=2&to=2`)).body, []);
    assertError(await pub.request('GET', `/api/commitments/${made.gd}/diff?from=1`), 400, 'missing_query');
    // the catalogue shows the current version
    assert.deepEqual(await catalogue('lead_time_max=45'), ids('national', 'gd'));
    // an invalid version changes nothing
    const bad = await bodyUser.request('POST', `/api/commitments/${made.gd}/versions`,
      { json: { ...next, base_version: 2, price_min: 0, man_days_micro: -1 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields.map((f) => f.field).sort(), ['man_days_micro', 'price_min']);
    assert.equal((await pub.request('GET', `/api/commitments/${made.gd}`)).body.version, 2);
  });

  test('a stale base_version is refused; ten racing publishes on one base give exactly one 201', async () => {
    const stale = await bodyUser.request('POST', `/api/commitments/${made.gd}/versions`,
      { json: content({ base_version: 1 }) });
    assertError(stale, 409, 'commitment_version_conflict', 'base_version');
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => bodyUser.request('POST',
      `/api/commitments/${made.gd}/versions`, { json: content({ base_version: 2, response_hours: 10 + i }) })));
    const statuses = all.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(9).fill(409)], JSON.stringify(all.map((r) => r.body.error?.code)));
    const page = await pub.request('GET', `/api/commitments/${made.gd}`);
    assert.equal(page.body.version, 3);
    assert.deepEqual(page.body.versions.map((v) => v.version), [2, 1]);
  });

  test('a published version is never edited: PATCH and PUT answer 405', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      for (const path of [`/api/commitments/${made.gd}`, `/api/commitments/${made.gd}/versions/1`]) {
        const r = await bodyUser.request(method, path, { json: { title: `${TAG} 改` } });
        assert.equal(r.status, 405, `${method} ${path}`);
        assert.equal(r.body.error.code, 'method_not_allowed');
      }
    }
    assert.equal((await pub.request('GET', `/api/commitments/${made.gd}/versions/1`)).body.title, `${TAG} 标准服务`);
  });

  test("another body's staff cannot version, withdraw or list a body's commitments", async () => {
    assertError(await otherStaff.request('POST', `/api/commitments/${made.gd}/versions`,
      { json: content({ base_version: 3 }) }), 403, 'forbidden');
    assertError(await otherStaff.request('POST', `/api/commitments/${made.gd}/withdraw`), 403, 'forbidden');
    assertError(await otherStaff.request('GET', `/api/bodies/${bodyId}/commitments`), 404, 'body_not_found');
    assertError(await enterprise.request('POST', `/api/commitments/${made.gd}/withdraw`), 403, 'forbidden');
    assertError(await pub.request('GET', `/api/commitments/999999`), 404, 'commitment_not_found');
    assert.equal((await pub.request('GET', `/api/commitments/${made.gd}`)).body.version, 3);
  });

  test('withdrawn: out of the catalogue, readable by id, in its body\'s own list; republished: back', async () => {
    const w = await bodyUser.request('POST', `/api/commitments/${made.js}/withdraw`);
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.status, 'withdrawn');
    assertError(await bodyUser.request('POST', `/api/commitments/${made.js}/withdraw`), 409, 'commitment_not_published');
    assert.deepEqual(await catalogue(''), ids('national', 'gd'));
    const page = await pub.request('GET', `/api/commitments/${made.js}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.status, 'withdrawn');
    const own = await bodyUser.request('GET', `/api/bodies/${bodyId}/commitments?per_page=100`);
    assert.equal(own.status, 200);
    const mine = own.body.items.filter((x) => x.title.includes(TAG));
    assert.deepEqual(mine.map((x) => [x.id, x.status]), [[made.js, 'withdrawn'], [made.gd, 'published']]);
    assert.ok(own.body.items.every((x) => x.body.id === bodyId));
    const viaAdmin = await admin.request('GET', `/api/bodies/${bodyId}/commitments?per_page=100`);
    assert.equal(viaAdmin.body.total, own.body.total);
    const r = await bodyUser.request('POST', `/api/commitments/${made.js}/republish`);
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'published');
    assertError(await bodyUser.request('POST', `/api/commitments/${made.js}/republish`), 409, 'commitment_not_withdrawn');
    assert.deepEqual(await catalogue(''), ids('national', 'gd', 'js'));
  });

  test('ten withdrawals at once: one 200, nine 409, one audit entry', async () => {
    const all = await Promise.all(Array.from({ length: 10 },
      () => bodyUser.request('POST', `/api/commitments/${made.national}/withdraw`)));
    assert.equal(all.filter((r) => r.status === 403).length, 10);     // not its body's staff
    const mineAll = await Promise.all(Array.from({ length: 10 },
      () => admin.request('POST', `/api/commitments/${made.national}/withdraw`)));
    assert.deepEqual(mineAll.map((r) => r.status).sort(), [200, ...Array(9).fill(409)]);
    const log = await admin.request('GET', `/api/audit?entity=commitment&entity_id=${made.national}&per_page=100`);
    assert.deepEqual(log.body.items.map((e) => e.action), ['commitment.withdraw', 'commitment.publish']);
  });

  test('every write is in the audit log with what it changed', async () => {
    const log = await admin.request('GET', `/api/audit?entity=commitment&entity_id=${made.gd}&per_page=100`);
    assert.equal(log.status, 200);
    assert.deepEqual(log.body.items.map((e) => e.action), ['commitment.version', 'commitment.version', 'commitment.publish']);
    const first = log.body.items.at(-1);
    assert.equal(first.actor.login, 'body');
    assert.equal(first.after.title, `${TAG} 标准服务`);
    assert.deepEqual(first.after.regions, ['440000']);
    const v2 = log.body.items[1];
    assert.deepEqual(v2.before, { version: 1, effectiveness_coverage: ['quality', 'management'], price_max: 50000, lead_time_days: 60 });
    assert.deepEqual(v2.after, { version: 2, effectiveness_coverage: ['quality', 'benefit', 'management'], price_max: 55000,
      lead_time_days: 45, change_note: '缩短决定周期' });
  });

  test('a new version notifies the enterprises with an open engagement under it, no one else', async () => {
    const me = (await enterprise.request('GET', '/api/session')).body.user;
    // the demo enterprise's open engagements (the seed: requested and active ones with several bodies)
    const open = sql(server.db, `SELECT commitment_id FROM engagements WHERE enterprise_id = ${me.enterprise_id} ` +
      "AND status IN ('requested', 'active') ORDER BY id LIMIT 1");
    assert.equal(open.length, 1, 'the demo enterprise has an open engagement');
    const commitmentId = Number(open[0][0]);
    const page = (await pub.request('GET', `/api/commitments/${commitmentId}`)).body;
    const unread = async (c) => (await c.request('GET', '/api/notifications/unread')).body.count;
    const before = await unread(enterprise);
    const next = { ...Object.fromEntries(Object.entries(page).filter(([k]) => Object.hasOwn(content(), k))),
      response_hours: page.response_hours + 1, base_version: page.version, change_note: '响应更快' };
    const r = await admin.request('POST', `/api/commitments/${commitmentId}/versions`, { json: next });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(await unread(enterprise), before + 1);
    const inbox = await enterprise.request('GET', '/api/notifications?per_page=1');
    const n = inbox.body.items[0];
    assert.equal(n.type, 'commitment_version');
    assert.equal(n.link, `/commitments/${commitmentId}`);
    assert.ok(n.title.includes(`第 ${page.version + 1} 版`), n.title);
    // a commitment nobody engaged under notifies no one: the enterprise's count stays
    const quiet = await bodyUser.request('POST', `/api/commitments/${made.js}/versions`,
      { json: content({ title: `${TAG} 江苏 信息技术`, base_version: 1 }) });
    assert.equal(quiet.status, 201, JSON.stringify(quiet.body));
    assert.equal(await unread(enterprise), before + 1);
  });

  test('the seeded catalogue: published commitments of the demo bodies, none withdrawn', async () => {
    const all = await pub.request('GET', '/api/commitments?per_page=100');
    assert.equal(all.status, 200);
    assert.ok(all.body.total >= 30, String(all.body.total));
    assert.ok(all.body.items.every((x) => x.status === 'published'));
  });
});
