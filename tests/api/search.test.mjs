// The one search box (issue 11; docs/learning.md "Search"), from outside: documents planted in
// search_documents and indexed by `guanbiao search reindex`, and commitments published through
// the marketplace's own writes. A two-character word finds what contains it; full-width input
// and mixed Chinese and English find the same as ASCII; every term must be in a result (AND);
// a title match ranks first; the snippet marks the matches in escaped HTML; a withdrawn
// commitment leaves the results and comes back when republished; every search is logged
// anonymised, and the log's summary is for admins only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { sql } from './lib/sql.mjs';

checkEveryAnswer();

// 鹬蚌 is in every planted body, so adding it to a query keeps the answer to this file's documents
const MARK = '鹬蚌';
const planted = [
  ['lesson', 990001, '专利导航入门', `${MARK} 介绍专利信息的检索与分析。`],
  ['announcement', 990002, '内审员培训通知', `${MARK} GB/T 29490-2023 内审员培训，全国开放报名。`],
  ['topic', 990003, '关于体系运行的问题', `${MARK} 我们公司的内审员需要什么资质？内审怎么做？`],
  ['lesson', 990004, 'Internal audit basics', `${MARK} How to plan an internal audit under GB/T 29490.`],
  ['topic', 990005, '知识产权贯标经验', `${MARK} 知识产权管理体系的贯标经验分享`],
  ['topic', 990006, '转义测试', `<script>alert(1)</script> ${MARK} <b>粗体</b> & 引号"`],
];

describe('search', () => {
  let server, pub, admin, bodyUser;

  const search = async (q, extra = '') => {
    const r = await pub.request('GET', `/api/search?q=${encodeURIComponent(q)}&per_page=100${extra}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const keys = (body) => body.results.map((x) => `${x.type}:${x.id}`);
  const sorted = (body) => keys(body).sort();

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    bodyUser = await signedIn(server.url, 'body');
    const values = planted.map(([type, id, title, body]) =>
      `('${type}', ${id}, '${title.replace(/'/g, "''")}', '${body.replace(/'/g, "''")}', '/x/${id}', 1, 0)`).join(', ');
    sql(server.db, `INSERT INTO search_documents (type, ref_id, title, body, url, public, updated_at) VALUES ${values}`);
    const r = runCli(['search', 'reindex', '--db', server.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /"documents":\d+/);
  });
  after(async () => { await server?.stop(); });

  test('a two-character word finds what contains it', async () => {
    assert.ok(keys(await search('专利')).includes('lesson:990001'));
    assert.deepEqual(sorted(await search(`专利 ${MARK}`)), ['lesson:990001']);
    const audit = keys(await search('内审'));
    assert.ok(audit.includes('announcement:990002') && audit.includes('topic:990003'), audit.join());
  });

  test('the demo\'s internal-auditor course and its lessons are found by 内审, their Markdown not shown', async () => {
    const courses = (await search('内审', '&type=course')).results;
    const course = courses.find((r) => r.title === '内审员培训：知识产权管理体系内部审核');
    assert.ok(course, JSON.stringify(courses));
    assert.equal(course.url, `/courses/${course.id}`);
    assert.equal(course.title_html, '<mark>内审</mark>员培训：知识产权管理体系内部审核');
    const lessons = (await search('内审方案', '&type=lesson')).results;
    assert.ok(lessons.length >= 1, JSON.stringify(lessons));
    assert.equal(lessons[0].title, '内审方案与审核策划');
    assert.match(lessons[0].url, /^\/lessons\/\d+$/);
    for (const r of lessons) assert.doesNotMatch(r.snippet, /##|\*\*/);
  });

  test('full-width input finds what ASCII finds', async () => {
    const ascii = sorted(await search(`GB/T 29490 ${MARK}`));
    assert.deepEqual(ascii, ['announcement:990002', 'lesson:990004']);
    // ＧＢ／Ｔ　２９４９０ with the ideographic space
    assert.deepEqual(sorted(await search(`ＧＢ／Ｔ　２９４９０ ${MARK}`)), ascii);
  });

  test('mixed Chinese and English, and every term must match', async () => {
    assert.deepEqual(sorted(await search(`GB/T 29490 内审员 ${MARK}`)), ['announcement:990002']);
    assert.deepEqual(sorted(await search(`INTERNAL Audit ${MARK}`)), ['lesson:990004']);
    assert.deepEqual(sorted(await search(`内审 audit ${MARK}`)), []);
    assert.deepEqual(sorted(await search(`专利 知识产权 ${MARK}`)), []);
    assert.deepEqual(sorted(await search('zzqqxxvv')), []);
  });

  test('a title match ranks before a body match', async () => {
    const order = keys(await search('内审员'));
    assert.ok(order.indexOf('announcement:990002') >= 0 && order.indexOf('topic:990003') >= 0, order.join());
    assert.ok(order.indexOf('announcement:990002') < order.indexOf('topic:990003'), order.join());
  });

  test('the snippet and the title mark the matches in escaped HTML', async () => {
    const [hit] = (await search(`内审员 ${MARK}`, '&type=announcement')).results;
    assert.deepEqual(Object.keys(hit).sort(), ['id', 'snippet', 'title', 'title_html', 'type', 'url']);
    assert.equal(hit.id, 990002);
    assert.equal(hit.title, '内审员培训通知');
    assert.equal(hit.title_html, '<mark>内审员</mark>培训通知');
    assert.equal(hit.snippet, `<mark>${MARK}</mark> GB/T 29490-2023 <mark>内审员</mark>培训，全国开放报名。`);
    assert.equal(hit.url, '/x/990002');
    const [escaped] = (await search(`粗体 ${MARK}`)).results;
    // a fifth of the 120 characters before the first match: the start is cut, with …
    assert.equal(escaped.snippet,
      `…cript&gt;alert(1)&lt;/script&gt; <mark>${MARK}</mark> &lt;b&gt;<mark>粗体</mark>&lt;/b&gt; &amp; 引号&quot;`);
  });

  test('type narrows, pages page, bad input is refused', async () => {
    assert.deepEqual(sorted(await search(MARK, '&type=topic')), ['topic:990003', 'topic:990005', 'topic:990006']);
    const first = await pub.request('GET', `/api/search?q=${MARK}&per_page=4`);
    const second = await pub.request('GET', `/api/search?q=${MARK}&per_page=4&page=2`);
    assert.equal(first.body.total, 6);
    assert.equal(first.body.results.length, 4);
    assert.equal(second.body.results.length, 2);
    assert.equal(new Set([...keys(first.body), ...keys(second.body)]).size, 6);
    assertError(await pub.request('GET', '/api/search?q=x&type=user'), 400, 'invalid_value', 'type');
    const empty = await search('');
    assert.deepEqual(empty.results, []);
    assert.equal(empty.total, 0);
  });

  test('a published commitment is found, leaves when withdrawn and comes back when republished', async () => {
    const content = {
      title: '翠鸟承诺 内审辅导服务', edition: 'GB/T 29490-2023', areas: ['acquisition'], stages: ['research'],
      regions: [], industries: [], effectiveness_coverage: ['quality'], effectiveness_method: '对照专利指标。',
      man_days_large: 12, man_days_medium: 8, man_days_small: 5, man_days_micro: 3, price_min: 30000,
      price_max: 50000, lead_time_days: 60, response_hours: 24, surveillance_terms: '每年一次。',
      complaint_channel: '投诉电话 400-000-0000',
    };
    const made = await bodyUser.request('POST', '/api/commitments', { json: content });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id;
    let found = await search('翠鸟承诺');
    assert.deepEqual(keys(found), [`commitment:${id}`]);
    assert.equal(found.results[0].url, `/commitments/${id}`);
    const v2 = await bodyUser.request('POST', `/api/commitments/${id}/versions`,
      { json: { ...content, title: '翠鸟承诺 第二版', base_version: 1, change_note: '改名' } });
    assert.equal(v2.status, 201, JSON.stringify(v2.body));
    found = await search('翠鸟承诺');
    assert.equal(found.results[0].title, '翠鸟承诺 第二版');
    assert.deepEqual(keys(await search('翠鸟承诺 内审')), []);
    assert.equal((await bodyUser.request('POST', `/api/commitments/${id}/withdraw`, { json: {} })).status, 200);
    assert.deepEqual(keys(await search('翠鸟承诺')), []);
    assert.equal((await bodyUser.request('POST', `/api/commitments/${id}/republish`, { json: {} })).status, 200);
    assert.deepEqual(keys(await search('翠鸟承诺')), [`commitment:${id}`]);
  });

  test('ten commitments published at once are all indexed (index writers queue, never deadlock)', async () => {
    const content = (i) => ({
      title: `鸬鹚并发 服务${i} 知识产权内审`, edition: 'GB/T 29490-2023', areas: ['acquisition'], stages: ['research'],
      regions: [], industries: [], effectiveness_coverage: ['quality'], effectiveness_method: '对照专利指标与内审记录。',
      man_days_large: 12, man_days_medium: 8, man_days_small: 5, man_days_micro: 3, price_min: 30000,
      price_max: 50000, lead_time_days: 60, response_hours: 24, surveillance_terms: '每年一次。',
      complaint_channel: '投诉电话 400-000-0000',
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      bodyUser.request('POST', '/api/commitments', { json: content(i) })));
    assert.deepEqual(answers.map((r) => r.status), Array(10).fill(201), JSON.stringify(answers.map((r) => r.body)));
    const found = await search('鸬鹚并发');
    assert.equal(found.total, 10);
    assert.deepEqual(keys(found).sort(), answers.map((r) => `commitment:${r.body.id}`).sort());
  });

  test('a document removed or changed leaves the index (reindex)', async () => {
    sql(server.db, "UPDATE search_documents SET title = '专利检索入门' WHERE type = 'lesson' AND ref_id = 990001");
    sql(server.db, "DELETE FROM search_postings WHERE document_id IN (SELECT id FROM search_documents WHERE ref_id = 990005)");
    sql(server.db, "DELETE FROM search_documents WHERE ref_id = 990005");
    assert.equal(runCli(['search', 'reindex', '--db', server.db]).status, 0);
    assert.deepEqual(sorted(await search(`检索入门 ${MARK}`)), ['lesson:990001']);
    assert.deepEqual(sorted(await search(`导航 ${MARK}`)), []);
    assert.deepEqual(sorted(await search(`贯标 ${MARK}`)), []);
  });

  test('every search is logged anonymised; the summary is for admins', async () => {
    await search(`蝴蝶标本 ${MARK}`);
    await search(`ｘｙｚ　蝴蝶标本 ${MARK}`);
    await search(`XYZ 蝴蝶标本 ${MARK}`);
    const row = sql(server.db, `SELECT query, searches, results FROM search_log WHERE query = 'xyz 蝴蝶标本 ${MARK}'`);
    assert.deepEqual(row, [[`xyz 蝴蝶标本 ${MARK}`, '2', '0']]);
    const columns = sql(server.db, "SELECT * FROM search_log WHERE query LIKE '%专利%' LIMIT 1")[0];
    assert.equal(columns.length, 4);   /* day, query, searches, results: nothing about who asked */
    const log = await admin.request('GET', '/api/search/log?days=1&limit=100');
    assert.equal(log.status, 200, JSON.stringify(log.body));
    assert.ok(log.body.searches >= 10);
    const top = log.body.top.find((x) => x.query === `xyz 蝴蝶标本 ${MARK}`);
    assert.deepEqual(top, { query: `xyz 蝴蝶标本 ${MARK}`, searches: 2, results: 0 });
    assert.ok(log.body.zero_results.some((x) => x.query === `xyz 蝴蝶标本 ${MARK}`));
    assert.ok(!log.body.zero_results.some((x) => x.query === '专利'));
    assertError(await pub.request('GET', '/api/search/log'), 401, 'unauthenticated');
    const enterprise = await signedIn(server.url, 'enterprise');
    assertError(await enterprise.request('GET', '/api/search/log'), 403, 'forbidden');
  });
});
