// Indicators (docs/effectiveness.md "Indicators"): the public catalogue with each indicator's
// bounds, an admin adding, editing and retiring indicators (code, kind, category and direction
// fixed once values exist); an enterprise's yearly values (every value checked first, nothing
// written on a refusal; unchanged values write nothing; null clears), each change kept with its
// previous value and audited; who reads and writes them (404 outside reach); a body's
// verification with its own audit, cleared when the value changes; ten saves at once each keep
// the value they replaced; and the CLI's `export indicators` / `export enterprises`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';

checkEveryAnswer();

const THIS_YEAR = new Date().getUTCFullYear();

describe('indicators', () => {
  let server, pub, admin, body, bodyId, regGd, regBj, demoEnterprise, engaged, catalogue2023;
  let serial = 0;
  const q = (text) => sql(server.db, text);
  const num = (text) => sqlNumber(server.db, text);

  async function newEnterprise(region = '440305') {
    serial += 1;
    const credit = makeCode(region, 7700 + serial);
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: `指标测试企业${serial}有限公司`, credit_code: credit, region, industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const login = `indicator-ent-${serial}`;
    const u = await admin.request('POST', '/api/users', {
      json: { login, name: `指标用户${serial}`, role: 'enterprise', password: 'indicator-pass-1', enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    return { id: e.body.id, credit, client: await signedIn(server.url, login, 'indicator-pass-1') };
  }
  const put = (client, id, year, values) => client.request('PUT', `/api/enterprises/${id}/indicators/${year}`, { json: { values } });
  const show = (client, id) => client.request('GET', `/api/enterprises/${id}/indicators`);
  const yearOf = (answer, year) => answer.body.years.find((y) => y.year === year);
  const valueOf = (answer, year, code) => yearOf(answer, year)?.values.find((v) => v.code === code);

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    regGd = await signedIn(server.url, 'regulator-gd');
    const r = await admin.request('POST', '/api/users', {
      json: { login: 'indicator-reg-bj', name: '北京市知识产权局', role: 'regulator', region: '110000', password: 'indicator-pass-1' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    regBj = await signedIn(server.url, 'indicator-reg-bj', 'indicator-pass-1');
    demoEnterprise = new Client(server.url);
    await demoEnterprise.signIn('enterprise');
    engaged = num(`SELECT MIN(enterprise_id) FROM engagements WHERE body_id = ${bodyId} AND status IN ('active', 'decided')`);
    catalogue2023 = num("SELECT MAX(id) FROM clause_catalogues WHERE edition = '2023'");
  });
  after(async () => { await server?.stop(); });

  test('the public catalogue: 21 indicators in order, each with its bounds', async () => {
    const r = await pub.request('GET', '/api/indicators');
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 21);
    assert.deepEqual(r.body.items.slice(0, 3).map((i) => i.code), ['invention_applications', 'invention_grants', 'invention_share']);
    const byCode = Object.fromEntries(r.body.items.map((i) => [i.code, i]));
    assert.deepEqual(byCode.invention_grants.bounds, { min: 0, max: null, whole: true });
    assert.equal(byCode.invention_grants.name, '发明专利授权量');
    assert.equal(byCode.invention_grants.unit, '件');
    assert.deepEqual(byCode.rnd_share.bounds, { min: 0, max: 100, whole: false });
    assert.equal(byCode.rnd_share.category, 'management');
    assert.deepEqual(byCode.licensing_income.bounds, { min: 0, max: null, whole: false });
    assert.equal(byCode.disputes_lost.lower_is_better, true);
    assert.equal(byCode.invention_grants.has_values, undefined);
    // ?all=true is an admin's: others get the same catalogue
    const all = await pub.request('GET', '/api/indicators?all=true');
    assert.equal(all.body.items.length, 21);
    // a public read: answered from the answer cache once read
    assert.equal((await pub.request('GET', '/api/indicators')).headers.get('x-cache'), 'hit');
  });

  test('an admin adds an indicator: refusals, codes and names unique, roles', async () => {
    const base = { code: 'standards_drafted', name: '参与制定标准数', name_en: 'Standards drafted', category: 'quality', unit: '项', kind: 'count' };
    let r = await admin.request('POST', '/api/indicators', { json: {} });
    assertError(r, 400, 'missing_field', 'code');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['code', 'name', 'name_en', 'category', 'unit', 'kind']);
    r = await admin.request('POST', '/api/indicators', { json: { ...base, code: 'Standards-1', category: 'quantity', kind: 'ratio' } });
    assertError(r, 400, 'invalid_value', 'code');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['code', 'category', 'kind']);
    assert.equal((await demoEnterprise.request('POST', '/api/indicators', { json: base })).status, 403);
    assert.equal((await pub.request('POST', '/api/indicators', { json: base })).status, 401);
    r = await admin.request('POST', '/api/indicators', { json: base });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.code, 'standards_drafted');
    assert.equal(r.body.position, 22);
    assert.equal(r.body.lower_is_better, false);
    assert.equal(r.body.has_values, false);
    assert.deepEqual(r.body.bounds, { min: 0, max: null, whole: true });
    assertError(await admin.request('POST', '/api/indicators', { json: { ...base, name: '另一个名称' } }), 409, 'indicator_code_taken', 'code');
    assertError(await admin.request('POST', '/api/indicators', { json: { ...base, code: 'other_code' } }), 409, 'indicator_name_taken', 'name');
    const list = await pub.request('GET', '/api/indicators');
    assert.equal(list.body.items.at(-1).code, 'standards_drafted');
    const [[action, entity, after]] = q(`SELECT action, entity, after_json FROM audit_log WHERE entity = 'indicator' ORDER BY seq DESC LIMIT 1`);
    assert.equal(action, 'indicator.create');
    assert.equal(entity, 'indicator');
    assert.equal(JSON.parse(after).code, 'standards_drafted');
  });

  test('an admin edits and retires one; code, kind, category and direction are fixed once values exist', async () => {
    const made = await admin.request('POST', '/api/indicators', {
      json: { code: 'brand_awards', name: '品牌奖项数', name_en: 'Brand awards', category: 'benefit', unit: '项', kind: 'count' },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id;
    // no values yet: everything may change
    let r = await admin.request('PATCH', `/api/indicators/${id}`, { json: { kind: 'amount', unit: '次', name_en: 'Brand awards won' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'amount');
    assert.equal(r.body.unit, '次');
    assertError(await admin.request('PATCH', `/api/indicators/${id}`, { json: { kind: 'percent' } }), 400, 'invalid_value', 'kind');
    assertError(await admin.request('PATCH', '/api/indicators/99999', { json: { unit: '项' } }), 404, 'indicator_not_found');
    // a value exists: the fixed fields refuse, names and unit still change
    const ent = await newEnterprise();
    assert.equal((await put(ent.client, ent.id, 2020, { brand_awards: 2 })).status, 200);
    assertError(await admin.request('PATCH', `/api/indicators/${id}`, { json: { kind: 'count' } }), 409, 'indicator_in_use');
    assertError(await admin.request('PATCH', `/api/indicators/${id}`, { json: { code: 'brand_prizes' } }), 409, 'indicator_in_use');
    assertError(await admin.request('PATCH', `/api/indicators/${id}`, { json: { category: 'quality' } }), 409, 'indicator_in_use');
    assertError(await admin.request('PATCH', `/api/indicators/${id}`, { json: { lower_is_better: true } }), 409, 'indicator_in_use');
    assert.equal(num(`SELECT COUNT(*) FROM indicators WHERE id = ${id} AND kind = 'amount' AND code = 'brand_awards'`), 1);
    r = await admin.request('PATCH', `/api/indicators/${id}`, { json: { name: '品牌荣誉数', kind: 'amount' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.name, '品牌荣誉数');
    assert.equal(r.body.has_values, true);
    // retired: out of the public catalogue, in the admin's with retired true
    r = await admin.request('PATCH', `/api/indicators/${id}`, { json: { retired: true } });
    assert.equal(r.body.retired, true);
    assert.ok(!(await pub.request('GET', '/api/indicators')).body.items.some((i) => i.id === id));
    const all = await admin.request('GET', '/api/indicators?all=true');
    const mine = all.body.items.find((i) => i.id === id);
    assert.equal(mine.retired, true);
    assert.equal(mine.has_values, true);
    const unused = await admin.request('POST', '/api/indicators', {
      json: { code: 'brand_awards_unused', name: '未使用的品牌奖项数', name_en: 'Brand awards (unused)', category: 'benefit', unit: '项', kind: 'count' },
    });
    assert.equal(unused.status, 201, JSON.stringify(unused.body));
    assert.equal((await admin.request('GET', '/api/indicators?all=true')).body.items.find((i) => i.id === unused.body.id).has_values, false);
    const actions = q(`SELECT action FROM audit_log WHERE entity = 'indicator' AND entity_id = '${id}' ORDER BY seq`).map((x) => x[0]);
    assert.deepEqual(actions, ['indicator.create', 'indicator.update', 'indicator.update', 'indicator.retire']);
    assert.equal((await demoEnterprise.request('PATCH', `/api/indicators/${id}`, { json: { unit: '项' } })).status, 403);
  });

  test('an enterprise saves a year: every value checked first, nothing written on a refusal', async () => {
    const ent = await newEnterprise();
    const values = () => num(`SELECT COUNT(*) FROM indicator_values WHERE enterprise_id = ${ent.id}`);
    let r = await put(ent.client, ent.id, 2021, {
      invention_grants: 2.5, rnd_share: 101, licensing_income: -1, no_such_code: 1, invention_applications: '12', ip_staff: 3,
    });
    assertError(r, 400, 'indicator_not_whole', 'values.invention_grants');
    const fields = Object.fromEntries(r.body.error.fields.map((f) => [f.field, f.code]));
    assert.deepEqual(fields, {
      'values.invention_grants': 'indicator_not_whole',
      'values.rnd_share': 'indicator_value_out_of_range',
      'values.licensing_income': 'indicator_value_out_of_range',
      'values.no_such_code': 'unknown_indicator',
      'values.invention_applications': 'wrong_type',
    });
    assert.match(r.body.error.fields.find((f) => f.field === 'values.rnd_share').message, /0–100/);
    assert.equal(values(), 0);
    assertError(await put(ent.client, ent.id, 1989, { ip_staff: 3 }), 400, 'indicator_year_out_of_range', 'year');
    assertError(await put(ent.client, ent.id, THIS_YEAR + 1, { ip_staff: 3 }), 400, 'indicator_year_out_of_range', 'year');
    assertError(await put(ent.client, ent.id, 'last', { ip_staff: 3 }), 400, 'indicator_year_out_of_range', 'year');
    assertError(await ent.client.request('PUT', `/api/enterprises/${ent.id}/indicators/2021`, { json: {} }), 400, 'missing_field', 'values');
    assertError(await ent.client.request('PUT', `/api/enterprises/${ent.id}/indicators/2021`, { json: { values: [1] } }), 400, 'wrong_type', 'values');
    assertError(await ent.client.request('PUT', `/api/enterprises/${ent.id}/indicators/2021`, { json: { values: {}, year: 1 } }), 400, 'unknown_field', 'year');
    assert.equal(values(), 0);

    // a good save: three values; the boundaries 0 and 100 are values
    r = await put(ent.client, ent.id, 2021, { invention_grants: 3, rnd_share: 12.5, licensing_income: 0.25, ip_budget_share: 100, ip_staff: 0 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.year, 2021);
    assert.equal(r.body.changed, 5);
    assert.equal(r.body.unchanged, 0);
    assert.deepEqual(r.body.values.map((v) => [v.code, v.value, v.source, v.verified]), [
      ['invention_grants', 3, 'form', null],
      ['licensing_income', 0.25, 'form', null],
      ['rnd_share', 12.5, 'form', null],
      ['ip_budget_share', 100, 'form', null],
      ['ip_staff', 0, 'form', null],
    ]);
    // the same again changes nothing, writes no event and no audit entry
    const events = () => num(`SELECT COUNT(*) FROM indicator_value_events WHERE enterprise_id = ${ent.id}`);
    const audits = () => num(`SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_values' AND entity_id = '${ent.id}:2021'`);
    assert.equal(events(), 5);
    assert.equal(audits(), 1);
    r = await put(ent.client, ent.id, 2021, { invention_grants: 3, rnd_share: 12.5 });
    assert.equal(r.body.changed, 0);
    assert.equal(r.body.unchanged, 2);
    assert.equal(events(), 5);
    assert.equal(audits(), 1);
    // a change and a clearing; the indicators left out keep their values
    r = await put(ent.client, ent.id, 2021, { invention_grants: 4, ip_staff: null });
    assert.equal(r.body.changed, 2);
    assert.deepEqual(r.body.values.map((v) => v.code), ['invention_grants', 'licensing_income', 'rnd_share', 'ip_budget_share']);
    const [[before, afterJson, region]] = q(`SELECT before_json, after_json, region FROM audit_log WHERE entity = 'indicator_values'
      AND entity_id = '${ent.id}:2021' ORDER BY seq DESC LIMIT 1`);
    assert.deepEqual(JSON.parse(before), { invention_grants: 3, ip_staff: 0 });
    assert.deepEqual(JSON.parse(afterJson), { invention_grants: 4, ip_staff: null });
    assert.equal(region, '440305');
    // another year: the values by year
    assert.equal((await put(ent.client, ent.id, 2022, { invention_grants: 6 })).status, 200);
    const all = await show(ent.client, ent.id);
    assert.equal(all.status, 200);
    assert.equal(all.body.enterprise_id, ent.id);
    assert.equal(all.body.current_year, THIS_YEAR);
    assert.ok(all.body.indicators.length >= 21);
    assert.deepEqual(all.body.years.map((y) => y.year), [2021, 2022]);
    assert.equal(valueOf(all, 2022, 'invention_grants').value, 6);
    assert.equal(valueOf(all, 2021, 'ip_staff'), undefined);
    // the effectiveness index is recomputed off the event loop: its job was queued
    assert.ok(num("SELECT COUNT(*) FROM jobs WHERE kind = 'effectiveness_refresh'") >= 1);

    // the history: every change with the previous value, who and how
    const h = await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?indicator=invention_grants&year=2021`);
    assert.equal(h.status, 200, JSON.stringify(h.body));
    assert.deepEqual(h.body.items.map((x) => [x.action, x.old, x.new, x.source]), [['set', 3, 4, 'form'], ['set', null, 3, 'form']]);
    assert.equal(h.body.items[0].user_name, '指标用户' + (serial));
    assert.equal(h.body.items[0].indicator, 'invention_grants');
    const cleared = await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?indicator=ip_staff`);
    assert.deepEqual(cleared.body.items.map((x) => [x.action, x.old, x.new]), [['removed', 0, null], ['set', null, 0]]);
    const everything = await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?per_page=100`);
    assert.equal(everything.body.total, 8);
    // by Chinese name too; an unknown one
    const byName = await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?indicator=${encodeURIComponent('发明专利授权量')}`);
    assert.equal(byName.body.total, 3);
    assertError(await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?indicator=nothing`), 400, 'unknown_indicator', 'indicator');
    // exported like every list
    const csv = await rawFetch(server.url, `/api/enterprises/${ent.id}/indicators/history?format=csv&indicator=invention_grants`, { client: ent.client });
    assert.equal(csv.status, 200);
    assert.match(csv.text, /invention_grants/);
  });

  test('who reads and writes an enterprise\'s values', async () => {
    const ent = await newEnterprise();
    const other = await newEnterprise();
    assert.equal((await put(ent.client, ent.id, 2020, { ip_staff: 2 })).status, 200);
    // another enterprise: 404 both ways; the public 401
    assertError(await show(other.client, ent.id), 404, 'enterprise_not_found');
    assertError(await put(other.client, ent.id, 2020, { ip_staff: 5 }), 404, 'enterprise_not_found');
    assert.equal((await show(pub, ent.id)).status, 401);
    // regulators: their region reads, another region 404; neither writes
    assert.equal((await show(regGd, ent.id)).status, 200);
    assertError(await show(regBj, ent.id), 404, 'enterprise_not_found');
    assert.equal((await put(regGd, ent.id, 2020, { ip_staff: 5 })).status, 403);
    // a body without an engagement with it: 404; the body engaged reads
    assertError(await show(body, ent.id), 404, 'enterprise_not_found');
    assertError(await body.request('GET', `/api/enterprises/${ent.id}/indicators/history`), 404, 'enterprise_not_found');
    assert.equal((await show(body, engaged)).status, 200);
    assert.equal((await put(body, engaged, 2020, { ip_staff: 5 })).status, 403);
    // an admin writes any enterprise's (a correction); an unknown enterprise 404
    const r = await put(admin, ent.id, 2020, { ip_staff: 3 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertError(await show(admin, 999999), 404, 'enterprise_not_found');
    assert.equal(num(`SELECT value FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
      WHERE v.enterprise_id = ${ent.id} AND i.code = 'ip_staff' AND v.year = 2020`), 3);
  });

  test('a body verifies values with its own audit; a change clears the mark', async () => {
    // the admin enters the engaged enterprise's 2012 values, a year before the demo seed's (2016–2025)
    // (the enterprise's own account is not needed)
    let r = await put(admin, engaged, 2012, { invention_applications: 10, invention_grants: 4, rnd_share: 3.2 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const plantAudit = (enterpriseId, bodyOf) => num(
      `INSERT INTO audits (enterprise_id, body_id, kind, catalogue_id, title, start_date, end_date, status, created_at, updated_at)
       VALUES (${enterpriseId}, ${bodyOf ?? 'NULL'}, 'surveillance', ${catalogue2023}, '指标核验审核', '2026-03-01', '2026-03-02', 'in_progress', 1, 1) RETURNING id`);
    const audit = plantAudit(engaged, bodyId);
    const otherBody = num(`SELECT MIN(id) FROM bodies WHERE id <> ${bodyId}`);
    const foreign = plantAudit(engaged, otherBody);
    const internal = plantAudit(engaged, null);
    const ent = await newEnterprise();
    const strayAudit = plantAudit(ent.id, bodyId);   // the body's audit, but of another enterprise
    const verify = (json, year = 2012, id = engaged) => body.request('POST', `/api/enterprises/${id}/indicators/${year}/verification`, { json });
    const mine = ['invention_applications', 'invention_grants', 'rnd_share'];
    assertError(await verify({ indicators: mine }), 400, 'missing_field', 'audit_id');
    for (const a of [foreign, internal, strayAudit, 999999]) assertError(await verify({ audit_id: a, indicators: mine }), 400, 'unknown_audit', 'audit_id');
    assertError(await verify({ audit_id: audit, indicators: ['nothing'] }), 400, 'unknown_indicator', 'indicators[0]');
    assertError(await verify({ audit_id: strayAudit }, 2012, ent.id), 404, 'enterprise_not_found');
    assert.equal((await demoEnterprise.request('POST', `/api/enterprises/${engaged}/indicators/2012/verification`, { json: { audit_id: audit } })).status, 403);
    // two of the three
    r = await verify({ audit_id: audit, indicators: ['invention_applications', 'rnd_share'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.marked, 2);
    const marks = Object.fromEntries(r.body.values.filter((v) => mine.includes(v.code)).map((v) => [v.code, v.verified]));
    assert.equal(marks.invention_grants, null);
    assert.equal(marks.invention_applications.body.id, bodyId);
    assert.equal(marks.invention_applications.audit_id, audit);
    assert.equal(marks.rnd_share.audit_id, audit);
    // again: nothing new to mark
    r = await verify({ audit_id: audit, indicators: ['invention_applications', 'rnd_share'] });
    assert.equal(r.body.marked, 0);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'indicator_values.verify' AND entity_id = '${engaged}:2012'`), 1);
    // the enterprise's side sees the marks; a change of a value clears its mark only
    r = await put(admin, engaged, 2012, { rnd_share: 3.4 });
    const seen = await show(body, engaged);
    assert.equal(valueOf(seen, 2012, 'rnd_share').verified, null);
    assert.equal(valueOf(seen, 2012, 'invention_applications').verified.audit_id, audit);
    // the history shows the verification by the body
    const h = await body.request('GET', `/api/enterprises/${engaged}/indicators/history?indicator=invention_applications&year=2012`);
    assert.deepEqual(h.body.items.map((x) => [x.action, x.old, x.new]), [['verified', 10, 10], ['set', null, 10]]);
    assert.equal(h.body.items[0].body_id, bodyId);
    // verified false clears the body's own marks
    r = await verify({ audit_id: audit, indicators: mine, verified: false });
    assert.equal(r.body.marked, 1);
    assert.ok(r.body.values.filter((v) => mine.includes(v.code)).every((v) => v.verified === null));
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'indicator_values.unverify' AND entity_id = '${engaged}:2012'`), 1);
  });

  test('ten saves of one year at once: every one 200, each change kept with the value it replaced', async () => {
    const ent = await newEnterprise();
    assert.equal((await put(ent.client, ent.id, 2023, { invention_applications: 100 })).status, 200);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => put(ent.client, ent.id, 2023, { invention_applications: i + 1, ip_staff: i + 1 })));
    assert.deepEqual(answers.map((r) => r.status), Array(10).fill(200), JSON.stringify(answers.map((r) => r.body)));
    for (const code of ['invention_applications', 'ip_staff']) {
      const h = await ent.client.request('GET', `/api/enterprises/${ent.id}/indicators/history?indicator=${code}&year=2023&per_page=100`);
      const chain = h.body.items.slice().reverse();   // oldest first
      assert.equal(chain.length, code === 'ip_staff' ? 10 : 11);
      assert.equal(chain[0].old, null);
      for (let i = 1; i < chain.length; i++) assert.equal(chain[i].old, chain[i - 1].new, `${code} event ${i}`);
      const stored = num(`SELECT value FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
        WHERE v.enterprise_id = ${ent.id} AND i.code = '${code}' AND v.year = 2023`);
      assert.equal(stored, chain.at(-1).new);
      // every value sent is in the chain once
      assert.deepEqual(chain.slice(code === 'ip_staff' ? 0 : 1).map((x) => x.new).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  test('guanbiao export indicators and export enterprises', async () => {
    const ent = await newEnterprise();
    assert.equal((await put(ent.client, ent.id, 2018, { invention_grants: 3, rnd_share: 12.5, licensing_income: 0.25 })).status, 200);
    assert.equal((await put(ent.client, ent.id, 2019, { licensing_income: 1234567.89 })).status, 200);
    const ex = runCli(['export', 'indicators', '--db', server.db]);
    assert.equal(ex.status, 0, ex.stderr);
    const lines = ex.stdout.split('\n');
    assert.equal(lines[0], 'credit_code,year,indicator,value');
    assert.equal(lines.at(-1), '');
    const mine = lines.filter((l) => l.startsWith(ent.credit + ','));
    assert.deepEqual(mine, [
      `${ent.credit},2018,invention_grants,3`,
      `${ent.credit},2018,licensing_income,0.25`,
      `${ent.credit},2018,rnd_share,12.5`,
      `${ent.credit},2019,licensing_income,1234567.89`,
    ]);
    assert.ok(lines.every((l) => !/e[+-]\d/.test(l)));
    const en = runCli(['export', 'enterprises', '--db', server.db]);
    assert.equal(en.status, 0, en.stderr);
    const rows = en.stdout.split('\n');
    assert.equal(rows[0], 'credit_code,name,industry,size,region,status');
    assert.ok(rows.includes(`${ent.credit},指标测试企业${serial}有限公司,39,small,440305,approved`), en.stdout.slice(0, 500));
    const bad = runCli(['export', 'indicatorz', '--db', server.db]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /export indicators/);
  });
});
