// The effectiveness index as people read it (issue 10; docs/effectiveness.md "Pages and report"),
// from outside: results planted with SQL (the computation is another part of the issue), then
// GET /api/enterprises/{id}/effectiveness (the contract), its PDF report, and the regulators'
// form-only list and distributions by region, industry and body, with every number written here
// and computed by hand from the fixture below; CSV and XLSX exports read back.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rows as sql } from './lib/sql.mjs';
import { startPlatform, Client } from '../lib/platform.mjs';
import { pdfText, pdfInfo } from '../lib/pdf.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { effectivenessJobsSettled } from './lib/effectiveness.mjs';

checkEveryAnswer();

const COMPUTED = 1767225600;   // 2026-01-01T00:00:00Z
const PASS = 'effectiveness-views-1';
const one = (server, text) => sql(server, text)[0][0];

// the demo enterprise's detail: three indicators, as the method stores them
const DETAIL = [
  { code: 'invention_grants', name: '发明专利授权量', name_en: 'Invention patents granted', category: 'quality', unit: '件',
    kind: 'count', lower_is_better: false, before: 10, after: 20, years_before: 3, years_after: 3, change: 0.6466,
    peer_median: 0.2, peers: 7, peer_level: 'industry', adjusted: 0.4466, mad: 0.2977, scaled: 1.5, verified: true },
  { code: 'grant_rate', name: '发明专利授权率', name_en: 'Grant rate', category: 'quality', unit: '%',
    kind: 'share', lower_is_better: false, before: 40, after: 38, years_before: 2, years_after: 3, change: -2,
    peer_median: 1, peers: 7, peer_level: 'industry', adjusted: -3, mad: 2.5, scaled: -1.2, verified: false },
  { code: 'rnd_share', name: '研发投入占营业收入比例', name_en: 'R&D share of revenue', category: 'management', unit: '%',
    kind: 'share', lower_is_better: false, before: 3, after: 4, years_before: 3, years_after: 1, change: 1,
    peer_median: 0.5, peers: 7, peer_level: 'industry', adjusted: 0.5, mad: 0.625, scaled: 0.8, verified: false },
];

// an indicator the method could not evaluate: every number null
const MISSING = [{ code: 'pct_applications', name: 'PCT国际专利申请量', category: 'quality', unit: '件', kind: 'count',
  lower_is_better: false, before: null, after: 3, change: null, peer_median: null, peers: 0, scaled: null, verified: false }];

describe('the effectiveness views', () => {
  let server, admin, regulator, regulatorGd, regulatorBj, enterprise, body, otherBody, otherEnterprise;
  let demo, bodyId, otherBodyId, bodyName, otherBodyName, seeded, seededPdf;
  const ids = {};

  /** Plants enterprise id's result (values as written). */
  function plant(id, r) {
    const v = (x) => (x === null || x === undefined ? 'NULL' : x);
    sql(server, `INSERT INTO effectiveness_results (enterprise_id, method, certified_year, body_id, index_value, quality, `
      + `benefit, management, verdict, grade, form_only, indicators_present, indicators_verified, peer_level, detail, `
      + `computed_at) VALUES (${id}, 'v1', ${r.year}, ${v(r.body)}, ${v(r.index)}, ${v(r.quality)}, ${v(r.benefit)}, `
      + `${v(r.management)}, '${r.verdict ?? ''}', '${r.grade ?? ''}', ${r.formOnly ? 1 : 0}, ${r.present ?? 0}, `
      + `${r.verified ?? 0}, '${r.peerLevel ?? 'industry'}', '${JSON.stringify(r.detail ?? [])}', ${COMPUTED})`);
  }

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');        // national
    regulatorGd = await signedIn(server.url, 'regulator-gd');   // 440000
    enterprise = new Client(server.url);
    demo = (await enterprise.signIn('enterprise')).body.user.enterprise_id;
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    otherBodyId = Number(one(server, `SELECT id FROM bodies WHERE id <> ${bodyId} ORDER BY id LIMIT 1`));
    bodyName = one(server, `SELECT name FROM bodies WHERE id = ${bodyId}`);
    otherBodyName = one(server, `SELECT name FROM bodies WHERE id = ${otherBodyId}`);
    // the demo enterprise in Shenzhen (440305), industry 39
    sql(server, `UPDATE enterprises SET region = '440305', industry = '39', size = 'medium' WHERE id = ${demo}`);

    const made = [['e1', '深圳有效性甲有限公司', '440306', '39', 9101], ['e2', '广州有效性乙有限公司', '440106', '65', 9102],
      ['e3', '广州有效性丙有限公司', '440106', '65', 9103], ['e4', '北京有效性丁有限公司', '110105', '39', 9104],
      ['e5', '深圳有效性戊有限公司', '440305', '65', 9105]];
    for (const [key, name, region, industry, n] of made) {
      const r = await admin.request('POST', '/api/enterprises', {
        json: { name, credit_code: makeCode(region, n), region, industry, size: 'small' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[key] = r.body.id;
    }
    const accounts = [
      { login: 'ev-other-body', name: '另一机构审核员', role: 'body', body_id: otherBodyId },
      { login: 'ev-regulator-bj', name: '北京监管员', role: 'regulator', region: '110000' },
      { login: 'ev-other-ent', name: '另一企业用户', role: 'enterprise', enterprise_id: ids.e1 },
    ];
    for (const a of accounts) {
      const u = await admin.request('POST', '/api/users', { json: { ...a, password: PASS } });
      assert.equal(u.status, 201, JSON.stringify(u.body));
    }
    otherBody = await signedIn(server.url, 'ev-other-body', PASS);
    regulatorBj = await signedIn(server.url, 'ev-regulator-bj', PASS);
    otherEnterprise = await signedIn(server.url, 'ev-other-ent', PASS);

    // only this fixture's results (after any run of the method the seed queued); the demo's own
    // result, as the method stored it, read first (checkEveryAnswer checks it against the schema)
    await effectivenessJobsSettled(server);
    seeded = await enterprise.request('GET', `/api/enterprises/${demo}/effectiveness`);
    seededPdf = await enterprise.download(`/api/enterprises/${demo}/effectiveness/pdf`);
    sql(server, 'DELETE FROM effectiveness_results');
    plant(demo, { year: 2022, body: bodyId, index: 62.5, quality: 0.15, benefit: null, management: 0.8,
      verdict: 'improvement', grade: 'B', present: 3, verified: 1, detail: DETAIL });
    plant(ids.e1, { year: 2020, body: bodyId, index: 40, quality: -0.6, management: -0.6, verdict: 'decline', grade: 'C', formOnly: true, present: 5 });
    plant(ids.e2, { year: 2021, body: otherBodyId, index: 70, quality: 1.2, benefit: 0.6, management: 0.6, verdict: 'significant_improvement', grade: 'A', present: 20 });
    plant(ids.e3, { year: 2021, body: otherBodyId, index: 48, quality: -0.12, benefit: -0.12, management: -0.12, verdict: 'no_change', grade: 'C', formOnly: true, present: 6 });
    plant(ids.e4, { year: 2019, body: bodyId, index: 30, quality: -1.2, benefit: -0.6, management: -0.6, verdict: 'decline', grade: 'C', formOnly: true, present: 4 });
    plant(ids.e5, { year: 2024, body: null, index: null, verdict: '', grade: '', present: 0, peerLevel: 'none', detail: MISSING });
  });

  after(async () => {
    await server?.stop();
  });

  test('the demo\'s seeded result answers in the contract\'s shape, and its report is made', () => {
    if (seeded.status === 404) return;   // a seed without results: nothing to check here
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
    assert.equal(seeded.body.method, 'v1');
    for (const k of ['certified_year', 'index', 'verdict', 'grade', 'form_only', 'indicators']) assert.ok(k in seeded.body, k);
    for (const x of seeded.body.indicators) {
      for (const k of ['code', 'before', 'after', 'change', 'peer_median', 'peers', 'scaled']) assert.ok(k in x, `${x.code}.${k}`);
    }
    assert.equal(seededPdf.status, 200);
    assert.match(pdfInfo(seededPdf.bytes), /\(A4\)/);
  });

  test('the contract: the stored result with every indicator, exactly', async () => {
    const r = await enterprise.request('GET', `/api/enterprises/${demo}/effectiveness`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, {
      method: 'v1', certified_year: 2022, index: 62.5, verdict: 'improvement', grade: 'B', form_only: false,
      quality: 0.15, benefit: null, management: 0.8, peer_level: 'industry', indicators_present: 3,
      indicators_verified: 1, computed_at: '2026-01-01T00:00:00Z',
      enterprise: { id: demo, name: '深圳市示范科技有限公司' }, body: { id: bodyId, name: bodyName },
      indicators: DETAIL,
    });
    // no index: nulls, no body
    const none = await admin.request('GET', `/api/enterprises/${ids.e5}/effectiveness`);
    assert.equal(none.status, 200);
    assert.equal(none.body.index, null);
    assert.equal(none.body.verdict, null);
    assert.equal(none.body.grade, null);
    assert.equal(none.body.body, null);
    assert.deepEqual(none.body.indicators, MISSING);
    // and its report says so without numbers it does not have
    const pdf = pdfText((await admin.download(`/api/enterprises/${ids.e5}/effectiveness/pdf`)).bytes).replace(/\s+/g, '');
    for (const s of ['有效性指数—', 'PCT国际专利申请量', '3.00', '没有指标高于同行', '没有指标低于同行']) assert.ok(pdf.includes(s), `${s} in ${pdf.slice(0, 1500)}`);
  });

  test('who reads it: the enterprise, its bodies, regulators of its region, admins; anyone else 404', async () => {
    for (const who of [enterprise, body, regulatorGd, regulator, admin]) {
      assert.equal((await who.request('GET', `/api/enterprises/${demo}/effectiveness`)).status, 200);
    }
    for (const who of [otherEnterprise, regulatorBj, otherBody]) {
      assertError(await who.request('GET', `/api/enterprises/${demo}/effectiveness`), 404, 'enterprise_not_found');
    }
    // the Beijing regulator reads Beijing's enterprise, not Guangdong's
    assert.equal((await regulatorBj.request('GET', `/api/enterprises/${ids.e4}/effectiveness`)).status, 200);
    assertError(await regulatorGd.request('GET', `/api/enterprises/${ids.e4}/effectiveness`), 404, 'enterprise_not_found');
    assertError(await admin.request('GET', '/api/enterprises/999999/effectiveness'), 404, 'enterprise_not_found');
    assert.equal((await new Client(server.url).request('GET', `/api/enterprises/${demo}/effectiveness`)).status, 401);
    // a body engaged with the enterprise reads it (active engagement planted), not before
    assertError(await otherBody.request('GET', `/api/enterprises/${ids.e1}/effectiveness`), 404, 'enterprise_not_found');
    const [[commitment, version]] = sql(server, 'SELECT id, version FROM commitments ORDER BY id LIMIT 1');
    sql(server, 'INSERT INTO engagements (enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days, '
      + `status, requested_at, application_date, created_at, updated_at) VALUES (${ids.e1}, ${otherBodyId}, ${commitment}, `
      + `${version}, 30, 'active', ${COMPUTED}, '2026-01-01', ${COMPUTED}, ${COMPUTED})`);
    assert.equal((await otherBody.request('GET', `/api/enterprises/${ids.e1}/effectiveness`)).status, 200);
  });

  test('not evaluated: 404 effectiveness_not_evaluated (in reach), enterprise_not_found (out of reach)', async () => {
    const r = await admin.request('POST', '/api/enterprises', {
      json: { name: '尚未评价有限公司', credit_code: makeCode('440305', 9106), region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(r.status, 201);
    const e = assertError(await regulatorGd.request('GET', `/api/enterprises/${r.body.id}/effectiveness`), 404,
      'effectiveness_not_evaluated');
    void e;
    assertError(await regulatorGd.request('GET', `/api/enterprises/${r.body.id}/effectiveness/pdf`), 404,
      'effectiveness_not_evaluated');
    assertError(await regulatorBj.request('GET', `/api/enterprises/${r.body.id}/effectiveness`), 404, 'enterprise_not_found');
  });

  test('the PDF report: A4, the indicators in Chinese with the fixture\'s numbers, the method', async () => {
    const r = await enterprise.download(`/api/enterprises/${demo}/effectiveness/pdf`);
    assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.match(pdfInfo(r.bytes), /Page size:\s+595\.\d* x 841\.\d* pts \(A4\)/);
    const text = pdfText(r.bytes);
    const flat = text.replace(/\s+/g, '');
    for (const s of ['贯标有效性评价报告', '深圳市示范科技有限公司', bodyName, '有效性指数62.5', '有所提升', '等级B',
      '发明专利授权量', '发明专利授权率', '研发投入占营业收入比例', '10.00', '20.00', '0.6466', '0.2000', '1.5000',
      '40.00', '38.00', '-2.0000', '-1.2000', '0.8000', '2022年', '方法v1', '2026-01-01',
      '拉动最大的是「发明专利授权量」', '拖累最大的是「发明专利授权率」', '指数=50+(50/3)×(0.4×质量+0.4×效益+0.2×管理)']) {
      assert.ok(flat.includes(s.replace(/\s+/g, '')), `the report lacks ${s}:\n${text.slice(0, 3000)}`);
    }
    assert.ok(!flat.includes('形式化贯标：'), 'not flagged');
    for (const who of [body, regulatorGd, admin]) {
      assert.equal((await who.download(`/api/enterprises/${demo}/effectiveness/pdf`)).status, 200);
    }
    assertError(await otherBody.request('GET', `/api/enterprises/${demo}/effectiveness/pdf`), 404, 'enterprise_not_found');
    // a form-only enterprise's report says so
    const flagged = pdfText((await admin.download(`/api/enterprises/${ids.e1}/effectiveness/pdf`)).bytes).replace(/\s+/g, '');
    assert.ok(flagged.includes('形式化贯标'), flagged.slice(0, 800));
    assert.ok(flagged.includes('有效性指数40.0'));
  });

  test('form-only: the flagged enterprises in the caller\'s region, lowest index first', async () => {
    const all = await admin.request('GET', '/api/effectiveness/form-only');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.deepEqual(all.body.items.map((x) => [x.enterprise_id, x.index, x.verdict, x.certified_year]),
      [[ids.e4, 30, 'decline', 2019], [ids.e1, 40, 'decline', 2020], [ids.e3, 48, 'no_change', 2021]]);
    const e1 = all.body.items[1];
    assert.equal(e1.enterprise_name, '深圳有效性甲有限公司');
    assert.equal(e1.region, '440306');
    assert.match(e1.region_name, /广东省.*深圳市/);
    assert.equal(e1.industry, '39');
    assert.equal(e1.industry_name, '计算机、通信和其他电子设备制造业');
    assert.equal(e1.body_id, bodyId);
    assert.equal(e1.body_name, bodyName);
    assert.equal(e1.grade, 'C');
    const gd = await regulatorGd.request('GET', '/api/effectiveness/form-only');
    assert.deepEqual(gd.body.items.map((x) => x.enterprise_id), [ids.e1, ids.e3]);
    const bj = await regulatorBj.request('GET', '/api/effectiveness/form-only');
    assert.deepEqual(bj.body.items.map((x) => x.enterprise_id), [ids.e4]);
    assert.equal((await enterprise.request('GET', '/api/effectiveness/form-only')).status, 403);
    assert.equal((await body.request('GET', '/api/effectiveness/form-only')).status, 403);
  });

  const near = (a, b) => Math.abs(a - b) < 1e-9;
  const brief = (g) => [g.group, g.count, g.mean, g.median, g.verdicts.significant_improvement, g.verdicts.improvement,
    g.verdicts.no_change, g.verdicts.decline];

  test('distribution by region: provinces for the nation, prefectures for a province', async () => {
    const all = await admin.request('GET', '/api/effectiveness/distribution?by=region');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    // 110000: e4 30; 440000: demo 62.5, e1 40, e2 70, e3 48 → mean 55.125, median (48 + 62.5) / 2
    assert.deepEqual(all.body.items.map(brief), [['110000', 1, 30, 30, 0, 0, 0, 1], ['440000', 4, 55.125, 55.25, 1, 1, 1, 1]]);
    assert.equal(all.body.items[1].name, '广东省');
    const gd = await regulatorGd.request('GET', '/api/effectiveness/distribution?by=region');
    // 440100: e2 70, e3 48; 440300: demo 62.5, e1 40
    assert.deepEqual(gd.body.items.map(brief), [['440100', 2, 59, 59, 1, 0, 1, 0], ['440300', 2, 51.25, 51.25, 0, 1, 0, 1]]);
    assert.match(gd.body.items[0].name, /广州市/);
  });

  test('distribution by industry and by body', async () => {
    const ind = await regulator.request('GET', '/api/effectiveness/distribution?by=industry');
    assert.equal(ind.body.total, 2);
    // 39: demo 62.5, e1 40, e4 30 → mean 132.5 / 3, median 40; 65: e2 70, e3 48 (e5 has no index)
    const [i39, i65] = ind.body.items;
    assert.equal(i39.group, '39');
    assert.equal(i39.name, '计算机、通信和其他电子设备制造业');
    assert.equal(i39.count, 3);
    assert.ok(near(i39.mean, 132.5 / 3), String(i39.mean));
    assert.equal(i39.median, 40);
    assert.deepEqual(i39.verdicts, { significant_improvement: 0, improvement: 1, no_change: 0, decline: 2 });
    assert.deepEqual(brief(i65), ['65', 2, 59, 59, 1, 0, 1, 0]);
    const bodies = await admin.request('GET', '/api/effectiveness/distribution?by=body');
    const byId = Object.fromEntries(bodies.body.items.map((g) => [g.group, g]));
    assert.equal(bodies.body.total, 2);
    assert.equal(byId[String(bodyId)].name, bodyName);
    assert.equal(byId[String(bodyId)].count, 3);
    assert.equal(byId[String(bodyId)].median, 40);
    assert.equal(byId[String(otherBodyId)].name, otherBodyName);
    assert.deepEqual(brief(byId[String(otherBodyId)]), [String(otherBodyId), 2, 59, 59, 1, 0, 1, 0]);
    // Guangdong's regulator: the Beijing enterprise (body of the demo) is not counted
    const gd = await regulatorGd.request('GET', '/api/effectiveness/distribution?by=body');
    const gdById = Object.fromEntries(gd.body.items.map((g) => [g.group, g]));
    assert.deepEqual(brief(gdById[String(bodyId)]), [String(bodyId), 2, 51.25, 51.25, 0, 1, 0, 1]);
    assertError(await admin.request('GET', '/api/effectiveness/distribution?by=size'), 400, 'invalid_value', 'by');
    assertError(await admin.request('GET', '/api/effectiveness/distribution'), 400, 'invalid_value', 'by');
  });

  test('exports: CSV and XLSX read back', async () => {
    const csv = await admin.download('/api/effectiveness/form-only?format=csv');
    assert.equal(csv.status, 200);
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^企业编号,企业名称,统一社会信用代码/);
    assert.ok(lines[1].includes('北京有效性丁有限公司') && lines[1].includes(',30,') && lines[1].endsWith(',下降,C'), lines[1]);
    const xlsx = await regulatorGd.download('/api/effectiveness/distribution?by=region&format=xlsx');
    assert.equal(xlsx.status, 200);
    const dir = mkdtempSync(join(tmpdir(), 'ev-'));
    try {
      const path = join(dir, 'd.xlsx');
      writeFileSync(path, xlsx.bytes);
      const out = execFileSync('/usr/bin/python3', ['-c',
        'import json,sys,openpyxl; ws=openpyxl.load_workbook(sys.argv[1]).active; '
        + 'print(json.dumps([[c.value for c in r] for r in ws.iter_rows()], ensure_ascii=False, default=str))', path],
      { encoding: 'utf8' });
      const table = JSON.parse(out);
      assert.deepEqual(table[0], ['分组代码', '分组名称', '企业数', '平均指数', '指数中位数', '显著提升', '有所提升', '无明显变化', '下降']);
      assert.equal(table.length, 3);
      assert.equal(table[1][0], '440100');
      assert.match(String(table[1][1]), /广州市/);
      assert.equal(Number(table[1][2]), 2);
      assert.equal(Number(table[1][3]), 59);
      assert.equal(Number(table[2][3]), 51.25);
      assert.equal(Number(table[2][8]), 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
