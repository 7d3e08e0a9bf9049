// GET /api/statistics/effectiveness (docs/statistics.md "Effectiveness"), from outside: enterprises
// made through the API in Dongguan (441900) and Zhongshan (442000), Guangdong, and Luohe (411100),
// Henan — places the demo seed leaves empty — get effectiveness results planted with SQL (the
// computation is another part of the platform; effectiveness-views.test.mjs does the same), each
// computed in a known month of 2026. Every number below is computed by hand from that fixture;
// the demo's own results (computed when the seed ran) are counted independently with SQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rows as sql } from './lib/sql.mjs';
import { startPlatform } from '../lib/platform.mjs';
import { readXlsx } from './lib/xlsx.mjs';
import { assertError, checkEveryAnswer, demoClients } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { effectivenessJobsSettled } from './lib/effectiveness.mjs';

checkEveryAnswer();

const PERIOD = 'from=2026-01&to=2026-06';
const at = (day) => Date.parse(day + 'T08:00:00Z') / 1000;
const bins = (filled) => Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: filled[i * 10] ?? 0 }));

describe('effectiveness statistics', () => {
  let server, pub, admin, regulator, regulatorGd, enterpriseUser, bodyUser, body1, body2, name1, name2;
  const ids = {};

  function plant(id, { body, index, verdict, formOnly, computed }) {
    const v = (x) => (x === null || x === undefined ? 'NULL' : x);
    sql(server, 'INSERT INTO effectiveness_results (enterprise_id, method, certified_year, body_id, index_value, verdict, '
      + `grade, form_only, indicators_present, peer_level, detail, computed_at) VALUES (${id}, 'v1', 2021, ${v(body)}, `
      + `${v(index)}, '${verdict ?? ''}', '', ${formOnly ? 1 : 0}, 3, 'industry', '[]', ${at(computed)})`);
  }
  const get = (client, query = '') => client.request('GET', `/api/statistics/effectiveness${query ? '?' + query : ''}`);

  before(async () => {
    server = await startPlatform();
    ({ pub, admin, regulator, regulatorGd, enterprise: enterpriseUser, body: bodyUser, bodyId: body1 } = await demoClients(server));
    [[body2]] = sql(server, `SELECT id FROM bodies WHERE id <> ${body1} ORDER BY id LIMIT 1`);
    body2 = Number(body2);
    [[name1]] = sql(server, `SELECT name FROM bodies WHERE id = ${body1}`);
    [[name2]] = sql(server, `SELECT name FROM bodies WHERE id = ${body2}`);
    const made = [['e1', '441900', '39'], ['e2', '441900', '38'], ['e3', '441900', '39'], ['e4', '441900', '39'],
      ['e5', '442000', '65'], ['e6', '411102', '39'], ['e7', '441900', '39']];
    let n = 0;
    for (const [key, region, industry] of made) {
      n += 1;
      const r = await admin.request('POST', '/api/enterprises', {
        json: { name: `统计有效性测试企业${n}有限公司`, credit_code: makeCode(region, 8500 + n), region, industry, size: 'small' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[key] = r.body.id;
    }
    await effectivenessJobsSettled(server);
    plant(ids.e1, { body: body1, index: 62.5, verdict: 'improvement', computed: '2026-03-10' });
    plant(ids.e2, { body: body1, index: 40, verdict: 'decline', formOnly: true, computed: '2026-03-10' });
    plant(ids.e3, { body: body2, index: 70, verdict: 'significant_improvement', computed: '2026-04-02' });
    plant(ids.e4, { body: null, index: null, computed: '2026-03-10' });                      // not evaluated
    plant(ids.e5, { body: body2, index: 48, verdict: 'no_change', formOnly: true, computed: '2026-05-20' });
    plant(ids.e6, { body: body1, index: 100, verdict: 'significant_improvement', computed: '2026-03-10' });
    plant(ids.e7, { body: body1, index: 55, verdict: 'improvement', computed: '2026-08-01' });   // after the period
  });
  after(async () => { await server?.stop(); });

  test('Dongguan in the first half of 2026: totals, histogram, by region, industry and body', async () => {
    const r = await get(regulator, `region=441900&${PERIOD}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.filters.region, '441900');
    assert.deepEqual(r.body.totals, { evaluated: 3, mean_index: 57.5, median_index: 62.5, form_only: 1,
      significant_improvement: 1, improvement: 1, no_change: 0, decline: 1 });
    assert.deepEqual(r.body.histogram, bins({ 40: 1, 60: 1, 70: 1 }));
    assert.deepEqual(r.body.by_region.map((x) => [x.group, x.evaluated, x.mean_index, x.median_index, x.form_only]),
      [['441900', 3, 57.5, 62.5, 1]]);
    assert.match(r.body.by_region[0].name, /东莞市/);
    assert.deepEqual(r.body.by_industry, [
      { group: '38', name: '电气机械和器材制造业', evaluated: 1, mean_index: 40, median_index: 40, form_only: 1 },
      { group: '39', name: '计算机、通信和其他电子设备制造业', evaluated: 2, mean_index: 66.25, median_index: 66.25, form_only: 0 },
    ]);
    const expected = [
      { group: String(body1), name: name1, evaluated: 2, mean_index: 51.25, median_index: 51.25, form_only: 1 },
      { group: String(body2), name: name2, evaluated: 1, mean_index: 70, median_index: 70, form_only: 0 },
    ].sort((a, b) => (a.group < b.group ? -1 : 1));
    assert.deepEqual(r.body.by_body, expected);
  });

  test('Guangdong (regulator-gd) by prefecture, the months, the industry; Henan; another province is zeros', async () => {
    let r = await get(regulatorGd, PERIOD);
    assert.equal(r.body.filters.region, '440000');
    assert.deepEqual([r.body.totals.evaluated, r.body.totals.mean_index, r.body.totals.median_index, r.body.totals.form_only],
      [4, 55.125, 55.25, 2]);
    assert.deepEqual(r.body.by_region.map((x) => [x.group, x.evaluated, x.mean_index]), [['441900', 3, 57.5], ['442000', 1, 48]]);

    r = await get(regulatorGd, 'from=2026-04&to=2026-05');
    assert.deepEqual([r.body.totals.evaluated, r.body.totals.mean_index, r.body.totals.median_index], [2, 59, 59]);
    r = await get(regulatorGd, 'from=2026-03&to=2026-03&region=441900&industry=38');
    assert.deepEqual([r.body.totals.evaluated, r.body.totals.decline], [1, 1]);
    r = await get(regulatorGd, `region=441900&industry=C&${PERIOD}`);
    assert.equal(r.body.totals.evaluated, 3);
    r = await get(regulatorGd, `industry=I&${PERIOD}`);       // Zhongshan's 65
    assert.deepEqual([r.body.totals.evaluated, r.body.totals.no_change], [1, 1]);

    r = await get(regulator, `region=411100&${PERIOD}`);      // 100 falls in the last bin
    assert.deepEqual(r.body.histogram, bins({ 90: 1 }));
    assert.equal(r.body.totals.significant_improvement, 1);

    r = await get(regulatorGd, `region=411100&${PERIOD}`);
    assert.deepEqual(r.body.totals, { evaluated: 0, mean_index: null, median_index: null, form_only: 0,
      significant_improvement: 0, improvement: 0, no_change: 0, decline: 0 });
    assert.deepEqual(r.body.histogram, bins({}));
    assert.deepEqual([r.body.by_region, r.body.by_industry, r.body.by_body], [[], [], []]);
  });

  test('the demo\'s results, computed when the seed ran, are the default period\'s (counted with SQL)', async () => {
    const now = new Date();
    const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1) / 1000;
    const [[count, formOnly]] = sql(server, 'SELECT COUNT(*), COALESCE(SUM(form_only), 0) FROM effectiveness_results '
      + `WHERE index_value IS NOT NULL AND computed_at >= ${first}`);
    const r = await get(regulator);
    assert.equal(r.status, 200);
    assert.equal(r.body.totals.evaluated, Number(count));
    assert.equal(r.body.totals.form_only, Number(formOnly));
    assert.equal(r.body.histogram.reduce((s, b) => s + b.count, 0), Number(count));
    const [[gd]] = sql(server, 'SELECT COUNT(*) FROM effectiveness_results r JOIN enterprises e ON e.id = r.enterprise_id '
      + `WHERE r.index_value IS NOT NULL AND r.computed_at >= ${first} AND e.region LIKE '44%'`);
    assert.equal((await get(regulatorGd)).body.totals.evaluated, Number(gd));
  });

  test('bad values, the roles, and the exports', async () => {
    assertError(await get(regulator, 'region=4403000'), 400, 'invalid_query', 'region');
    assertError(await get(regulator, 'industry=99'), 400, 'invalid_query', 'industry');
    assertError(await get(regulator, 'from=1999-12'), 400, 'invalid_query', 'from');
    assertError(await get(regulator, 'format=doc'), 400, 'invalid_format', 'format');
    assertError(await get(enterpriseUser), 403, 'forbidden');
    assertError(await get(bodyUser), 403, 'forbidden');
    assertError(await get(pub), 401, 'unauthenticated');
    assert.equal((await get(admin)).status, 200);

    const x = await regulator.download(`/api/statistics/effectiveness?region=441900&${PERIOD}&format=xlsx&lang=en`);
    assert.equal(x.status, 200);
    const book = readXlsx(x.bytes);
    assert.deepEqual(Object.keys(book), ['Totals', 'Histogram', 'By region', 'By industry', 'By body']);
    assert.deepEqual(book.Totals[1], ['Enterprises evaluated', 3]);
    assert.deepEqual(book.Totals[2], ['Mean index', 57.5]);
    assert.deepEqual(book.Histogram[0], ['Index from', 'Index to', 'Enterprises']);
    assert.deepEqual(book.Histogram[5], [40, 50, 1]);
    assert.deepEqual(book['By industry'][1].slice(0, 3), ['38', '电气机械和器材制造业', 1]);
    const c = await regulator.download(`/api/statistics/effectiveness?region=441900&${PERIOD}&format=csv&table=histogram&lang=zh`);
    assert.equal(c.status, 200);
    const text = c.bytes.toString('utf8');
    assert.equal(text.charCodeAt(0), 0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/);
    assert.deepEqual([lines[0], lines[5], lines[7], lines.length], ['指数自,指数至,企业数', '40,50,1', '60,70,1', 11]);
  });
});
