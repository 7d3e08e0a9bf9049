// GET /api/statistics/certification (docs/statistics.md "Certification"), from outside: enterprises
// in Dongguan (441900) and Zhongshan (442000), Guangdong, and in Luohe (411100), Henan — places
// the demo seed leaves empty — request certification through the API; the demo body accepts,
// holds stage 1 and stage 2 and decides on dates of early 2026 (the application dates are moved
// back with SQL, as the engagement tests do); a certificate is suspended; nonconformities are
// recorded by an enterprise and raised by the body's audit, their recording dates set with SQL.
// Every number below is counted by hand from that fixture. Filters (region, industry section and
// division, months), the roles, bad values, and the XLSX and CSV exports (read back with openpyxl).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rows as sql } from './lib/sql.mjs';
import { startPlatform } from '../lib/platform.mjs';
import { readXlsx } from './lib/xlsx.mjs';
import { assertError, signedIn, checkEveryAnswer, demoClients } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

checkEveryAnswer();

const PASS = 'statistics-cert-1';
const PERIOD = 'from=2026-01&to=2026-06';
const ZERO_MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

describe('certification statistics', () => {
  let server, pub, admin, regulator, regulatorGd, bodyUser, enterpriseUser, bodyId, bodyName, commitment, committedDays;
  const ent = {};        // key → {id, client}
  const eng = {};        // key → {id, lead, within, number}
  let serial = 0;

  async function newEnterprise(key, region, industry) {
    serial += 1;
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: `统计认证测试企业${serial}有限公司`, credit_code: makeCode(region, 8300 + serial), region, industry, size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const login = `stcert-ent-${serial}`;
    const u = await admin.request('POST', '/api/users', {
      json: { login, name: `统计企业用户${serial}`, role: 'enterprise', password: PASS, enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    ent[key] = { id: e.body.id, client: await signedIn(server.url, login, PASS) };
  }
  const step = (client, id, what, json = {}) => client.request('POST', `/api/engagements/${id}/${what}`, { json });
  const days = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

  /** Requests under the demo body's commitment on `applied`; then, if given, stages and a decision. */
  async function engage(key, applied, stages, decision) {
    const r = await ent[key].client.request('POST', '/api/engagements', { json: { commitment_id: commitment } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id;
    sql(server, `UPDATE engagements SET application_date = '${applied}' WHERE id = ${id}`);
    sql(server, `UPDATE engagement_stages SET date = '${applied}' WHERE engagement_id = ${id} AND stage = 'application'`);
    eng[key] = { id };
    if (!stages) return;
    assert.equal((await step(bodyUser, id, 'accept', { declaration: true })).status, 200);
    for (const [stage, date] of [['stage1', stages[0]], ['stage2', stages[1]]]) {
      const s = await step(bodyUser, id, 'stages', { stage, date });
      assert.equal(s.status, 200, JSON.stringify(s.body));
    }
    const d = await step(bodyUser, id, 'decision', { decision: decision[0], date: decision[1] });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const lead = days(applied, decision[1]);
    assert.equal(d.body.lead_days, lead);
    eng[key] = { id, lead, within: lead <= committedDays, number: d.body.certificate_number };
  }

  /** A nonconformity recorded by client (an audit named for a body), then dated `day` with SQL. */
  async function nonconformity(client, json, day) {
    const r = await client.request('POST', '/api/nonconformities', {
      json: { description: '统计测试不符合项', owner: '张三', due_date: '2099-06-30', ...json },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    sql(server, `UPDATE nonconformities SET created_at = ${Date.parse(day + 'T08:00:00Z') / 1000} WHERE id = ${r.body.id}`);
  }

  const get = (client, query = '') => client.request('GET', `/api/statistics/certification${query ? '?' + query : ''}`);

  before(async () => {
    server = await startPlatform();
    ({ pub, admin, regulator, regulatorGd, enterprise: enterpriseUser, body: bodyUser, bodyId } = await demoClients(server));
    [[bodyName]] = sql(server, `SELECT name FROM bodies WHERE id = ${bodyId}`);
    [[commitment, committedDays]] = sql(server,
      `SELECT c.id, v.lead_time_days FROM commitments c JOIN commitment_versions v ON v.commitment_id = c.id AND `
      + `v.version = c.version WHERE c.body_id = ${bodyId} AND c.status = 'published' ORDER BY c.id LIMIT 1`);
    commitment = Number(commitment);
    committedDays = Number(committedDays);

    await newEnterprise('A', '441900', '39');
    await newEnterprise('B', '441900', '38');
    await newEnterprise('C', '442000', '65');
    await newEnterprise('D', '411102', '39');
    await newEnterprise('E', '441900', '39');
    await newEnterprise('F', '441900', '39');
    await engage('A', '2026-01-10', ['2026-01-20', '2026-02-01'], ['certified', '2026-02-20']);     // 41 days
    await engage('B', '2026-02-05', ['2026-02-15', '2026-03-01'], ['certified', '2026-03-15']);     // 38 days
    await engage('C', '2026-03-01', ['2026-03-10', '2026-04-01'], ['certified', '2026-04-30']);     // 60 days
    await engage('D', '2026-02-10', ['2026-02-20', '2026-03-01'], ['certified', '2026-03-12']);     // 30 days
    await engage('E', '2026-05-03');                                                                // requested only
    await engage('F', '2025-12-20', ['2025-12-28', '2026-01-05'], ['not_certified', '2026-01-15']); // 26 days
    const sus = await bodyUser.request('POST', `/api/certificates/${eng.B.number}/status`,
      { json: { status: 'suspended', reason: '监督审核未按期进行' } });
    assert.equal(sus.status, 200, JSON.stringify(sus.body));

    // A records three (2026-02-25) and one in July; the body's audit of A raises one (2026-03-05); D one (2026-03-20)
    await nonconformity(ent.A.client, { clause_number: '8.3', grade: 'major' }, '2026-02-25');
    await nonconformity(ent.A.client, { clause_number: '8.3', grade: 'minor' }, '2026-02-25');
    await nonconformity(ent.A.client, { clause_number: '9.2', grade: 'minor' }, '2026-02-25');
    await nonconformity(ent.A.client, { clause_number: '9.2', grade: 'minor' }, '2026-07-10');
    const [[catalogue]] = sql(server, "SELECT MAX(id) FROM clause_catalogues WHERE edition = '2023'");
    const [[audit]] = sql(server, `INSERT INTO audits (enterprise_id, body_id, engagement_id, kind, catalogue_id, title, `
      + `start_date, end_date, status, created_at, updated_at) VALUES (${ent.A.id}, ${bodyId}, ${eng.A.id}, 'stage2', `
      + `${catalogue}, '第二阶段审核', '2026-02-01', '2026-02-02', 'signed_off', 1, 1) RETURNING id`);
    await nonconformity(bodyUser, { clause_number: '7.2', grade: 'major', raised_by_audit_id: Number(audit) }, '2026-03-05');
    await nonconformity(ent.D.client, { clause_number: '9.2', grade: 'minor' }, '2026-03-20');
  });
  after(async () => { await server?.stop(); });

  const within = (...keys) => keys.filter((k) => eng[k].within).length / keys.length;
  const rate = (x) => Math.round(x * 10000) / 10000;

  test('Dongguan in the first half of 2026: every total, month, region, body and clause', async () => {
    const r = await get(regulator, `region=441900&${PERIOD}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.filters, { region: '441900', region_name: r.body.filters.region_name, industry: null,
      industry_name: null, from: '2026-01', to: '2026-06' });
    assert.match(r.body.filters.region_name, /东莞市/);
    assert.deepEqual(r.body.totals, {
      certificates_issued: 2,           // A (02-20), B (03-15)
      certificates_valid: 1,            // A; B is suspended
      certificates_suspended: 1,
      certificates_withdrawn: 0,
      engagements_requested: 3,         // A (01-10), B (02-05), E (05-03); F applied in December
      engagements_certified: 2,         // A, B
      median_days_to_certify: 39.5,     // 38 and 41
      within_commitment_rate: rate(within('A', 'B', 'F')),   // decided in the period: A, B, F (not certified)
      nonconformities: 4,               // A's three of 02-25 and the body's of 03-05; July's is outside
      nonconformities_major: 2,
      nonconformities_minor: 2,
    });
    assert.deepEqual(r.body.by_month, [
      { month: '2026-01', issued: 0, requested: 1, certified: 0 },
      { month: '2026-02', issued: 1, requested: 1, certified: 1 },
      { month: '2026-03', issued: 1, requested: 0, certified: 1 },
      { month: '2026-04', issued: 0, requested: 0, certified: 0 },
      { month: '2026-05', issued: 0, requested: 1, certified: 0 },
      { month: '2026-06', issued: 0, requested: 0, certified: 0 },
    ]);
    assert.equal(r.body.by_region.length, 1);
    assert.deepEqual({ ...r.body.by_region[0], region_name: '' },
      { region: '441900', region_name: '', issued: 2, valid: 1, engagements: 3 });
    assert.deepEqual(r.body.by_body, [{ body_id: bodyId, body_name: bodyName, issued: 2, engagements: 3,
      median_days_to_certify: 39.5, within_commitment_rate: rate(within('A', 'B', 'F')),
      nonconformities_major: 1, nonconformities_minor: 0 }]);
    assert.deepEqual(r.body.nonconformities_by_clause, [
      { edition: '2023', clause: '8.3', title: '经营管理', major: 1, minor: 1 },
      { edition: '2023', clause: '7.2', title: '能力', major: 1, minor: 0 },
      { edition: '2023', clause: '9.2', title: '内部审核', major: 0, minor: 1 },
    ]);
    // the same clause counts as GET /api/nonconformities/by-clause over the same days
    const list = await regulator.request('GET', '/api/nonconformities/by-clause?from=2026-01-01&to=2026-06-30&per_page=100');
    assert.equal(list.status, 200);
    for (const row of r.body.nonconformities_by_clause) {
      const same = list.body.items.find((x) => x.clause_number === row.clause);
      assert.ok(same.major >= row.major && same.minor >= row.minor, row.clause);
    }
  });

  test('Guangdong by prefecture (regulator-gd), Henan alone, and another province is zeros for regulator-gd', async () => {
    let r = await get(regulatorGd, PERIOD);
    assert.equal(r.status, 200);
    assert.equal(r.body.filters.region, '440000');
    const dg = r.body.by_region.find((x) => x.region === '441900');
    const zs = r.body.by_region.find((x) => x.region === '442000');
    assert.deepEqual({ ...dg, region_name: '' }, { region: '441900', region_name: '', issued: 2, valid: 1, engagements: 3 });
    assert.deepEqual({ ...zs, region_name: '' }, { region: '442000', region_name: '', issued: 1, valid: 1, engagements: 1 });
    assert.match(zs.region_name, /中山市/);
    assert.ok(r.body.by_region.every((x) => x.region.startsWith('44')));
    assert.ok(r.body.totals.certificates_issued >= 3);

    r = await get(regulator, `region=411100&${PERIOD}`);
    assert.equal(r.body.totals.certificates_issued, 1);
    assert.equal(r.body.totals.engagements_requested, 1);
    assert.equal(r.body.totals.engagements_certified, 1);
    assert.equal(r.body.totals.median_days_to_certify, 30);
    assert.equal(r.body.totals.nonconformities, 1);
    assert.equal(r.body.totals.nonconformities_minor, 1);
    assert.deepEqual(r.body.by_region.map((x) => [x.region, x.issued, x.valid, x.engagements]), [['411102', 1, 1, 1]]);

    r = await get(regulatorGd, `region=411100&${PERIOD}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.totals, { certificates_issued: 0, certificates_valid: 0, certificates_suspended: 0,
      certificates_withdrawn: 0, engagements_requested: 0, engagements_certified: 0, median_days_to_certify: null,
      within_commitment_rate: null, nonconformities: 0, nonconformities_major: 0, nonconformities_minor: 0 });
    assert.deepEqual(r.body.by_month, ZERO_MONTHS.map((month) => ({ month, issued: 0, requested: 0, certified: 0 })));
    assert.deepEqual([r.body.by_region, r.body.by_body, r.body.nonconformities_by_clause], [[], [], []]);
  });

  test('industry: a division, its section, another section; months from and to', async () => {
    let r = await get(regulator, `region=441900&industry=38&${PERIOD}`);       // B alone
    assert.deepEqual([r.body.totals.certificates_issued, r.body.totals.certificates_valid, r.body.totals.certificates_suspended,
      r.body.totals.engagements_requested, r.body.totals.engagements_certified, r.body.totals.median_days_to_certify],
    [1, 0, 1, 1, 1, 38]);
    assert.equal(r.body.filters.industry, '38');
    r = await get(regulator, `region=441900&industry=39&${PERIOD}`);           // A, E, F
    assert.deepEqual([r.body.totals.certificates_issued, r.body.totals.engagements_requested,
      r.body.totals.engagements_certified, r.body.totals.median_days_to_certify, r.body.totals.nonconformities],
    [1, 2, 1, 41, 4]);
    r = await get(regulator, `region=441900&industry=c&${PERIOD}`);            // the section C: 38 and 39
    assert.equal(r.body.filters.industry, 'C');
    assert.deepEqual([r.body.totals.certificates_issued, r.body.totals.engagements_requested, r.body.totals.nonconformities], [2, 3, 4]);
    r = await get(regulatorGd, `industry=I&${PERIOD}&region=442000`);          // C of Zhongshan is 65, section I
    assert.equal(r.body.totals.certificates_issued, 1);
    r = await get(regulatorGd, `industry=39&${PERIOD}&region=442000`);
    assert.equal(r.body.totals.certificates_issued, 0);

    r = await get(regulator, 'region=441900&from=2026-03&to=2026-03');
    assert.deepEqual([r.body.totals.certificates_issued, r.body.totals.engagements_requested, r.body.totals.engagements_certified,
      r.body.totals.median_days_to_certify, r.body.totals.within_commitment_rate, r.body.totals.nonconformities],
    [1, 0, 1, 38, within('B'), 1]);
    assert.deepEqual(r.body.by_month, [{ month: '2026-03', issued: 1, requested: 0, certified: 1 }]);
    // the certificates held do not depend on the months
    r = await get(regulator, 'region=441900&from=2020-01&to=2020-12');
    assert.deepEqual([r.body.totals.certificates_issued, r.body.totals.certificates_valid, r.body.totals.certificates_suspended], [0, 1, 1]);
  });

  test('bad values are refused with the field; the roles', async () => {
    assertError(await get(regulator, 'region=44x'), 400, 'invalid_query', 'region');
    assertError(await get(regulator, 'industry=ZZ'), 400, 'invalid_query', 'industry');
    assertError(await get(regulator, 'from=2026-13'), 400, 'invalid_query', 'from');
    assertError(await get(regulator, 'from=2026-05&to=2026-02'), 400, 'invalid_query', 'from');
    assertError(await get(regulator, 'to=26-01'), 400, 'invalid_query', 'to');
    assertError(await get(regulator, 'format=pdf'), 400, 'invalid_format', 'format');
    assertError(await get(regulator, 'format=csv'), 400, 'invalid_query', 'table');
    assertError(await get(regulator, 'format=csv&table=nothing'), 400, 'invalid_query', 'table');
    assertError(await get(enterpriseUser), 403, 'forbidden');
    assertError(await get(bodyUser), 403, 'forbidden');
    assertError(await get(pub), 401, 'unauthenticated');
    assert.equal((await get(admin, PERIOD)).status, 200);
  });

  test('exports: XLSX a sheet per table, CSV one table with a BOM', async () => {
    const x = await regulator.download(`/api/statistics/certification?region=441900&${PERIOD}&format=xlsx&lang=zh`);
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    assert.match(x.headers.get('content-disposition'), /statistics-certification-2026-01-2026-06\.xlsx/);
    const book = readXlsx(x.bytes);
    assert.deepEqual(Object.keys(book), ['总计', '按月', '按地区', '按认证机构', '不符合项按条款']);
    assert.deepEqual(book['总计'][0], ['项目', '数值']);
    assert.deepEqual(book['总计'][1], ['颁发证书', 2]);
    assert.deepEqual(book['总计'][7], ['认证用时中位数（天）', 39.5]);
    assert.deepEqual(book['按月'][0], ['月份', '颁发证书', '认证申请', '认证通过']);
    assert.deepEqual(book['按月'][2], ['2026-02', 1, 1, 1]);
    assert.equal(book['按月'].length, 7);
    assert.deepEqual(book['不符合项按条款'][1], ['2023', '8.3', '经营管理', 1, 1]);
    const c = await regulator.download(`/api/statistics/certification?region=441900&${PERIOD}&format=csv&table=by_month&lang=en`);
    assert.equal(c.status, 200);
    assert.match(c.headers.get('content-disposition'), /statistics-certification-by_month-2026-01-2026-06\.csv/);
    const text = c.bytes.toString('utf8');
    assert.equal(text.charCodeAt(0), 0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/);
    assert.equal(lines[0], 'Month,Issued,Requested,Certified');
    assert.equal(lines[3], '2026-03,1,0,1');
    assert.equal(lines.length, 7);
  });
});
