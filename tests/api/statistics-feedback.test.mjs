// The feedback dashboard, GET /api/statistics/feedback (docs/statistics.md "Feedback"), and the
// filter and exports every dashboard shares ("Filters and exports"), from outside. Three new
// enterprises in 达坂城区 (650107, where the demo has none) go through certification with the demo
// body and review it with known ratings; one complains and is upheld, one complains and waits;
// one review is moved three months back. Every number below is worked out by hand from those
// facts. Both databases (GUANBIAO_TEST_DB).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, demoClients } from './helpers.mjs';
import { rows as sql } from './lib/sql.mjs';
import { makeCode } from './lib/uscc.mjs';
import { readXlsx } from './lib/xlsx.mjs';

checkEveryAnswer();

const COUNTY = '650107';
const today = () => new Date().toISOString().slice(0, 10);
/** "YYYY-MM" of the month `back` months before this one (UTC). */
function monthBack(back) {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 15));
  return m.toISOString().slice(0, 7);
}
const near = (actual, expected, what) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-4,
  `${what}: ${actual} ≈ ${expected}`);

describe('statistics: the feedback dashboard', () => {
  let server, admin, regulator, regulatorGd, enterprise, bodyUser, bodyId, commitment;
  const reviews = {};   // letter → feedback id

  /** An approved enterprise in COUNTY with an account, certified by the demo body, reviewing it. */
  async function certifiedAndReviewed(letter, industry, ratings) {
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: `达坂城统计测试${letter}有限公司`, credit_code: makeCode(COUNTY, 8800 + letter.charCodeAt(0)), region: COUNTY,
        industry, size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const login = `stats-fb-${letter.toLowerCase()}`;
    const u = await admin.request('POST', '/api/users', {
      json: { login, name: `统计企业${letter}`, role: 'enterprise', password: 'stats-pass-1', enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    const client = await signedIn(server.url, login, 'stats-pass-1');
    const r = await client.request('POST', '/api/engagements', { json: { commitment_id: commitment } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id;
    for (const [what, json] of [['accept', { declaration: true }], ['stages', { stage: 'stage1', date: today() }],
      ['stages', { stage: 'stage2', date: today() }], ['decision', { decision: 'certified', date: today() }]]) {
      const s = await bodyUser.request('POST', `/api/engagements/${id}/${what}`, { json });
      assert.equal(s.status, what === 'decision' ? 201 : 200, `${what}: ${JSON.stringify(s.body)}`);
    }
    const f = await client.request('POST', '/api/feedback', { json: { engagement_id: id, ratings } });
    assert.equal(f.status, 201, JSON.stringify(f.body));
    reviews[letter] = f.body.id;
    return { client, engagement: id };
  }

  const dashboard = (client, query = '') => client.request('GET', `/api/statistics/feedback${query}`);

  before(async () => {
    server = await startPlatform();
    ({ admin, regulator, regulatorGd, enterprise, body: bodyUser, bodyId } = await demoClients(server));
    [[commitment]] = sql(server, `SELECT id FROM commitments WHERE body_id = ${bodyId} AND status = 'published' ORDER BY id LIMIT 1`);
    commitment = Number(commitment);

    const before = await dashboard(regulator, `?region=${COUNTY}`);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.totals.reviews, 0, `the demo has no review in ${COUNTY}: pick another county`);

    // A: manufacturing (39, section C), all fives, replied to
    await certifiedAndReviewed('A', '39', { professionalism: 5, effectiveness: 5, timeliness: 5, commitment: 5 });
    // B: manufacturing (34), mean 3.5 (rounds to 4 stars), complains, upheld; its review moved back 3 months
    const b = await certifiedAndReviewed('B', '34', { professionalism: 4, effectiveness: 4, timeliness: 3, commitment: 3 });
    // C: software and IT services (65, section I), mean 1.75 (2 stars), complains and waits
    const c = await certifiedAndReviewed('C', '65', { professionalism: 2, effectiveness: 2, timeliness: 2, commitment: 1 });

    const reply = await bodyUser.request('POST', `/api/feedback/${reviews.A}/reply`, { json: { text: '感谢评价' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const kb = await b.client.request('POST', '/api/complaints', { json: { engagement_id: b.engagement, text: '审核员迟到半天' } });
    assert.equal(kb.status, 201, JSON.stringify(kb.body));
    for (const status of ['under_review', 'upheld']) {
      const s = await regulator.request('POST', `/api/complaints/${kb.body.id}/status`, { json: { status, note: '核实' } });
      assert.equal(s.status, 200, JSON.stringify(s.body));
    }
    const kc = await c.client.request('POST', '/api/complaints', { json: { engagement_id: c.engagement, text: '报告迟迟未出' } });
    assert.equal(kc.status, 201, JSON.stringify(kc.body));
    // B's review as if written on the 15th three months ago
    const back = Math.floor(Date.parse(`${monthBack(3)}-15T12:00:00Z`) / 1000);
    sql(server, `UPDATE feedback SET created_at = ${back} WHERE id = ${reviews.B}`);
  });
  after(async () => { await server?.stop(); });

  test('the county: totals, months, bodies, ratings and complaints worked out by hand', async () => {
    const r = await dashboard(regulator, `?region=${COUNTY}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.filters, { region: COUNTY, region_name: '新疆维吾尔自治区 乌鲁木齐市 达坂城区', industry: null,
      industry_name: null, from: monthBack(11), to: monthBack(0) });
    const t = r.body.totals;
    assert.equal(t.reviews, 3);
    near(t.mean_rating, (5 + 3.5 + 1.75) / 3, 'mean rating');
    near(t.professionalism, 11 / 3, 'professionalism');
    near(t.effectiveness, 11 / 3, 'effectiveness');
    near(t.timeliness, 10 / 3, 'timeliness');
    near(t.commitment, 3, 'commitment');
    near(t.replied_rate, 1 / 3, 'replied');
    assert.equal(t.complaints, 2);
    assert.equal(t.complaints_open, 1);
    assert.ok(t.median_days_to_close !== null && t.median_days_to_close < 0.01, `closed at once: ${t.median_days_to_close}`);

    assert.equal(r.body.by_month.length, 12);
    assert.deepEqual(r.body.by_month.map((m) => m.month), Array.from({ length: 12 }, (_, i) => monthBack(11 - i)));
    const month = (m) => r.body.by_month.find((x) => x.month === m);
    assert.equal(month(monthBack(0)).reviews, 2);
    near(month(monthBack(0)).mean_rating, (5 + 1.75) / 2, 'this month');
    assert.equal(month(monthBack(0)).complaints, 2);
    assert.deepEqual(month(monthBack(3)), { month: monthBack(3), reviews: 1, mean_rating: 3.5, complaints: 0 });
    assert.deepEqual(month(monthBack(1)), { month: monthBack(1), reviews: 0, mean_rating: null, complaints: 0 });

    assert.equal(r.body.by_body.length, 1);
    assert.equal(r.body.by_body[0].body_id, bodyId);
    assert.equal(r.body.by_body[0].reviews, 3);
    assert.equal(r.body.by_body[0].complaints, 2);
    assert.deepEqual(r.body.ratings, [{ stars: 1, count: 0 }, { stars: 2, count: 1 }, { stars: 3, count: 0 },
      { stars: 4, count: 1 }, { stars: 5, count: 1 }]);
    assert.deepEqual(r.body.complaints_by_status, [{ status: 'received', count: 1 }, { status: 'under_review', count: 0 },
      { status: 'upheld', count: 1 }, { status: 'dismissed', count: 0 }]);
  });

  test('industry: a section takes its divisions; a division only itself', async () => {
    let r = await dashboard(regulator, `?region=${COUNTY}&industry=C`);
    assert.equal(r.status, 200);
    assert.equal(r.body.filters.industry, 'C');
    assert.equal(r.body.filters.industry_name, '制造业');
    assert.equal(r.body.totals.reviews, 2);
    near(r.body.totals.mean_rating, (5 + 3.5) / 2, 'manufacturing');
    assert.equal(r.body.totals.complaints, 1);
    assert.equal(r.body.totals.complaints_open, 0);
    r = await dashboard(regulator, `?region=${COUNTY}&industry=c`);   // a section letter in lower case
    assert.equal(r.body.totals.reviews, 2);
    r = await dashboard(regulator, `?region=${COUNTY}&industry=39`);
    assert.equal(r.body.totals.reviews, 1);
    assert.equal(r.body.totals.mean_rating, 5);
    r = await dashboard(regulator, `?region=${COUNTY}&industry=I`);
    assert.deepEqual([r.body.totals.reviews, r.body.totals.complaints, r.body.totals.complaints_open], [1, 1, 1]);
  });

  test('the period: one month three months back holds B alone; the default is the last twelve months', async () => {
    const r = await dashboard(regulator, `?region=${COUNTY}&from=${monthBack(3)}&to=${monthBack(3)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.totals.reviews, 1);
    assert.equal(r.body.totals.mean_rating, 3.5);
    assert.equal(r.body.totals.complaints, 0);
    assert.deepEqual(r.body.by_month.map((m) => m.month), [monthBack(3)]);
    const later = await dashboard(regulator, `?region=${COUNTY}&from=${monthBack(2)}`);
    assert.equal(later.body.totals.reviews, 2);
    assert.equal(later.body.by_month.length, 3);
  });

  test("reach: Guangdong's regulator gets zeros for Xinjiang's county and its own province by default", async () => {
    const r = await dashboard(regulatorGd, `?region=${COUNTY}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.totals.reviews, 0);
    assert.equal(r.body.totals.mean_rating, null);
    assert.deepEqual(r.body.by_body, []);
    const own = await dashboard(regulatorGd);
    assert.equal(own.body.filters.region, '440000');
    assert.equal(own.body.filters.region_name, '广东省');
    const national = await dashboard(regulator);
    assert.equal(national.body.filters.region, null);
    assert.equal(national.body.filters.region_name, '全国');
    assert.ok(national.body.totals.reviews > own.body.totals.reviews, 'the country has more reviews than Guangdong');
    assert.ok(own.body.totals.reviews > 0, 'the demo has reviews in Guangdong');
    assert.ok(national.body.by_month.filter((m) => m.reviews > 0).length >= 6, 'the demo spreads reviews over the year');
    // a national regulator asking for the province sees what Guangdong's regulator sees
    const asked = await dashboard(regulator, '?region=440000');
    assert.deepEqual(asked.body.totals, own.body.totals);
  });

  test('a hidden review is not counted', async () => {
    const h = await regulator.request('POST', `/api/feedback/${reviews.C}/hide`, { json: { reason: '含个人信息' } });
    assert.equal(h.status, 200, JSON.stringify(h.body));
    const r = await dashboard(regulator, `?region=${COUNTY}`);
    assert.equal(r.body.totals.reviews, 2);
    assert.equal(r.body.totals.complaints, 2, 'complaints stay');
    const u = await regulator.request('POST', `/api/feedback/${reviews.C}/unhide`, { json: {} });
    assert.equal(u.status, 200, JSON.stringify(u.body));
  });

  test('roles: enterprises, bodies and the public have no dashboard', async () => {
    assertError(await dashboard(enterprise), 403, 'forbidden');
    assertError(await dashboard(bodyUser), 403, 'forbidden');
    assertError(await dashboard(new Client(server.url)), 401, 'unauthenticated');
    assert.equal((await dashboard(admin, `?region=${COUNTY}`)).body.totals.reviews, 3);
  });

  test('bad filters are refused, naming the parameter', async () => {
    assertError(await dashboard(regulator, '?region=44a'), 400, 'invalid_query', 'region');
    assertError(await dashboard(regulator, '?region=4400001'), 400, 'invalid_query', 'region');
    assertError(await dashboard(regulator, '?industry=ZZ'), 400, 'invalid_query', 'industry');
    assertError(await dashboard(regulator, '?industry=99'), 400, 'invalid_query', 'industry');
    assertError(await dashboard(regulator, '?from=2026-13'), 400, 'invalid_query', 'from');
    assertError(await dashboard(regulator, '?to=26-01'), 400, 'invalid_query', 'to');
    assertError(await dashboard(regulator, '?from=2026-05&to=2026-04'), 400, 'invalid_query', 'from');
    assertError(await dashboard(regulator, '?from=2010-01&to=2020-01'), 400, 'invalid_query', 'from');  // 121 months
    assert.equal((await dashboard(regulator, '?from=2010-01&to=2019-12')).status, 200);               // 120
    assertError(await dashboard(regulator, '?format=pdf'), 400, 'invalid_format', 'format');
    assertError(await dashboard(regulator, '?format=csv'), 400, 'invalid_query', 'table');
    assertError(await dashboard(regulator, '?format=csv&table=everything'), 400, 'invalid_query', 'table');
    const en = await regulator.request('GET', '/api/statistics/feedback?industry=ZZ', { headers: { 'Accept-Language': 'en' } });
    assert.equal(en.body.error.message, 'Query parameter industry is invalid');
  });

  test('XLSX: a sheet per table, in the caller\'s language; CSV: one table with a BOM', async () => {
    const r = await regulator.download(`/api/statistics/feedback?region=${COUNTY}&format=xlsx`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition'),
      new RegExp(`statistics-feedback-${monthBack(11)}-${monthBack(0)}\\.xlsx`));
    const book = readXlsx(r.bytes);
    assert.deepEqual(Object.keys(book), ['总计', '按月', '按认证机构', '评分分布', '投诉状态']);
    assert.deepEqual(book['总计'][0], ['项目', '数值']);
    assert.deepEqual(book['总计'][1], ['评价数', 3]);
    assert.deepEqual(book['总计'].find((row) => row[0] === '投诉数'), ['投诉数', 2]);
    assert.deepEqual(book['评分分布'], [['评分（四舍五入）', '评价数'], [1, 0], [2, 1], [3, 0], [4, 1], [5, 1]]);
    assert.equal(book['按月'].length, 13);
    assert.deepEqual(book['按月'].find((row) => row[0] === monthBack(3)), [monthBack(3), 1, 3.5, 0]);

    const en = await regulator.download(`/api/statistics/feedback?region=${COUNTY}&format=xlsx&lang=en`);
    assert.deepEqual(Object.keys(readXlsx(en.bytes)), ['Totals', 'By month', 'By body', 'Ratings', 'Complaints by status']);

    const csv = await regulator.download(`/api/statistics/feedback?region=${COUNTY}&format=csv&table=complaints_by_status`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    const text = csv.bytes.toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM, so that Excel reads Chinese');
    assert.deepEqual(text.slice(1).trim().split(/\r?\n/), ['状态,投诉数', '已受理,1', '调查中,0', '投诉成立,1', '投诉不成立,0'],
      'the statuses by their names in a file');
    const enCsv = await regulator.download(`/api/statistics/feedback?region=${COUNTY}&format=csv&table=complaints_by_status&lang=en`);
    assert.deepEqual(enCsv.bytes.toString('utf8').slice(1).trim().split(/\r?\n/),
      ['Status,Complaints', 'Received,1', 'Under review,0', 'Upheld,1', 'Dismissed,0']);
  });
});
