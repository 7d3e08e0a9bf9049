// The learning dashboard, GET /api/statistics/learning (docs/statistics.md "Learning"), from
// outside. Three enterprises are registered through the API (Shenzhen Nanshan, industry 39;
// Guangzhou Tianhe, 65; Nanjing Xuanwu, 26), four of their people open and complete lessons and
// submit quizzes through the API, and the public searches for words that find nothing. The
// courses and lessons are planted with SQL (as the learning tests do). Then every learner's
// events are moved to a month of 2021 with SQL (no demo data lives there), so that the numbers
// written below are exact whatever the demo seeds: totals, months, regions, categories, clauses
// and unmet needs, with the region, industry and period filters, the roles, and the exports.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { readXlsx } from './lib/xlsx.mjs';
import { assertError, checkEveryAnswer, demoClients } from './helpers.mjs';
import { accountFor } from './lib/market.mjs';
import { makeCode } from './lib/uscc.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const now = Math.floor(Date.now() / 1000);
const MARCH = Date.UTC(2021, 2, 15, 12) / 1000;     // 2021-03-15 12:00 UTC
const APRIL = Date.UTC(2021, 3, 10, 8) / 1000;      // 2021-04-10 08:00 UTC
const PERIOD = 'from=2021-03&to=2021-04';

async function userId(client) {
  const me = await client.request('GET', '/api/session');
  const id = me.body.user?.id ?? me.body.id;
  assert.ok(id, JSON.stringify(me.body));
  return id;
}

const zeroMonth = (month) => ({ month, learners: 0, opened: 0, completed: 0, submitted: 0, passed: 0 });
const zeroCategories = ['clauses', 'policy', 'briefing', 'auditor']
  .map((category) => ({ category, opened: 0, completed: 0, submitted: 0, passed: 0 }));

describe('learning statistics', () => {
  let server, pub, admin, regulator, regulatorGd, enterprise, body;
  const firm = {}, bank = {};
  let clausesCourse;

  before(async () => {
    server = await startPlatform();
    ({ pub, admin, regulator, regulatorGd, enterprise, body } = await demoClients(server));

    // the enterprises and their learners
    const learners = {};
    const firms = [['nanshan', '440305', '39', 7101], ['tianhe', '440106', '65', 7102], ['xuanwu', '320102', '26', 7103]];
    for (const [key, region, industry, serial] of firms) {
      const r = await admin.request('POST', '/api/enterprises', {
        json: { name: `学习统计测试企业${serial}有限公司`, credit_code: makeCode(region, serial), region, industry, size: 'small' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      firm[key] = r.body.id;
    }
    for (const [name, key] of [['a1', 'nanshan'], ['a2', 'nanshan'], ['b1', 'tianhe'], ['c1', 'xuanwu']])
      learners[name] = await accountFor(server, admin, { role: 'enterprise', enterprise_id: firm[key] });

    // two courses: the clauses (edition 2023, two lessons, two questions), internal auditors (no
    // lesson, one question); every question is drawn (quiz_size = the bank), pass mark 100
    const plantCourse = (category, title, size, edition) => Number(rows(server,
      `INSERT INTO courses (category, title, edition, status, quiz_size, pass_mark, max_attempts, created_at, updated_at, `
      + `published_at) VALUES ('${category}', '${title}', '${edition}', 'published', ${size}, 100, 0, ${now}, ${now}, ${now}) `
      + 'RETURNING id')[0][0]);
    const plantLesson = (course, position, title) => Number(rows(server,
      `INSERT INTO lessons (course_id, position, title, markdown, status, published_revision, created_at, updated_at) `
      + `VALUES (${course}, ${position}, '${title}', '# ${title}', 'published', 1, ${now}, ${now}) RETURNING id`)[0][0]);
    clausesCourse = plantCourse('clauses', '学习统计：条款精讲', 2, '2023');
    const auditorCourse = plantCourse('auditor', '学习统计：内审员', 1, '');
    const [l1, l2] = [plantLesson(clausesCourse, 1, '领导作用'), plantLesson(clausesCourse, 2, '内部审核')];
    for (const [course, q] of [
      [clausesCourse, { kind: 'truefalse', text: '最高管理者应对体系承担责任。', correct: [0], clauses: ['5.1'] }],
      [clausesCourse, { kind: 'single', text: '内部审核由谁策划？', options: ['组织', '无人'], correct: [0], clauses: ['5.1', '9.2'] }],
      [auditorCourse, { kind: 'truefalse', text: '审核员可以审核自己的工作。', correct: [1], clauses: ['9.2'] }],
    ]) {
      const r = await regulator.request('POST', `/api/courses/${course}/questions`, { json: q });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      bank[r.body.id] = r.body.correct;
    }

    const event = async (who, lesson, ev) => {
      const r = await learners[who].request('POST', `/api/lessons/${lesson}/progress`, { json: { event: ev } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    /** Draws the course's quiz and answers it; wrong: the question ids answered wrongly. */
    const quiz = async (who, course, wrong = () => false) => {
      const a = await learners[who].request('POST', `/api/courses/${course}/quiz-attempts`, { json: {} });
      assert.ok([200, 201].includes(a.status), JSON.stringify(a.body));
      const answers = Object.fromEntries(a.body.questions.map((q) => {
        const right = bank[q.id];
        return [String(q.id), wrong(q) ? [right[0] === 0 ? 1 : 0] : right];
      }));
      const r = await learners[who].request('POST', `/api/quiz-attempts/${a.body.id}/submit`, { json: { answers } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    // a1: both lessons, then the quiz all right (passed: the course is completed)
    await event('a1', l1, 'opened'); await event('a1', l1, 'completed');
    await event('a1', l2, 'opened'); await event('a1', l2, 'completed');
    assert.equal((await quiz('a1', clausesCourse)).passed, true);
    // a2: opens the first lesson twice; the quiz with the 5.1-only question wrong
    await event('a2', l1, 'opened'); await event('a2', l1, 'opened');
    assert.equal((await quiz('a2', clausesCourse, (q) => q.kind === 'truefalse')).passed, false);
    // b1: completes a lesson of the clauses course; passes the auditors' quiz (completed: no lesson)
    await event('b1', l1, 'opened'); await event('b1', l1, 'completed');
    assert.equal((await quiz('b1', auditorCourse)).passed, true);
    // c1: opens a lesson; every answer wrong
    await event('c1', l1, 'opened');
    assert.equal((await quiz('c1', clausesCourse, () => true)).passed, false);

    // a1 and a2 learned in March 2021, b1 and c1 in April
    for (const [who, at] of [['a1', MARCH], ['a2', MARCH], ['b1', APRIL], ['c1', APRIL]]) {
      const id = await userId(learners[who]);
      rows(server, `UPDATE learning_events SET at = ${at} WHERE user_id = ${id}`);
      rows(server, `UPDATE learning_progress SET completed_at = ${at} WHERE user_id = ${id} AND completed_at IS NOT NULL`);
      rows(server, `UPDATE quiz_clause_answers SET at = ${at} WHERE user_id = ${id}`);
    }

    // searches that find nothing: 3 + 1, moved to 2021-04-10
    for (const q of ['qzxwvhjk', 'qzxwvhjk', 'QZXWVHJK', 'blorptikum']) {
      const r = await pub.request('GET', `/api/search?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.total, 0);
    }
    rows(server, `UPDATE search_log SET day = ${Date.UTC(2021, 3, 10) / 1000} WHERE query IN ('qzxwvhjk', 'blorptikum')`);
  });
  after(async () => { await server?.stop(); });

  const get = (client, query = '') => client.request('GET', `/api/statistics/learning?${PERIOD}${query}`);

  test('the whole country: totals, months, provinces, categories, clauses, unmet needs', async () => {
    for (const client of [admin, regulator]) {
      const r = await get(client);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.filters, { region: null, region_name: '全国', industry: null, industry_name: null,
        from: '2021-03', to: '2021-04' });
      assert.deepEqual(r.body.totals, { learners: 4, lessons_opened: 6, lessons_completed: 3, quiz_attempts: 4,
        quiz_passed: 2, pass_rate: 0.5, courses_completed: 2 });
      assert.deepEqual(r.body.by_month, [
        { month: '2021-03', learners: 2, opened: 4, completed: 2, submitted: 2, passed: 1 },
        { month: '2021-04', learners: 2, opened: 2, completed: 1, submitted: 2, passed: 1 },
      ]);
      assert.deepEqual(r.body.by_region, [
        { region: '320000', region_name: '江苏省', learners: 1, completed: 0, submitted: 1, passed: 0, pass_rate: 0 },
        { region: '440000', region_name: '广东省', learners: 3, completed: 3, submitted: 3, passed: 2, pass_rate: 0.6667 },
      ]);
      assert.deepEqual(r.body.by_category, [
        { category: 'clauses', opened: 6, completed: 3, submitted: 3, passed: 1 },
        { category: 'policy', opened: 0, completed: 0, submitted: 0, passed: 0 },
        { category: 'briefing', opened: 0, completed: 0, submitted: 0, passed: 0 },
        { category: 'auditor', opened: 0, completed: 0, submitted: 1, passed: 1 },
      ]);
      // 5.1: a1 2 of 2, a2 1 of 2, c1 0 of 2; 9.2: a1, a2 right, c1 wrong, b1 right (auditors, edition 2023)
      assert.deepEqual(r.body.by_clause, [
        { clause: '5.1', title: '领导作用和承诺', answered: 6, correct: 3, correct_rate: 0.5 },
        { clause: '9.2', title: '内部审核', answered: 4, correct: 3, correct_rate: 0.75 },
      ]);
      assert.deepEqual(r.body.unmet_needs, [
        { query: 'qzxwvhjk', searches: 3, last_day: '2021-04-10' },
        { query: 'blorptikum', searches: 1, last_day: '2021-04-10' },
      ]);
    }
  });

  test('a province: the regulator of Guangdong by prefecture; another province is zeros', async () => {
    let r = await get(regulatorGd);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.filters.region, '440000');
    assert.deepEqual(r.body.totals, { learners: 3, lessons_opened: 5, lessons_completed: 3, quiz_attempts: 3,
      quiz_passed: 2, pass_rate: 0.6667, courses_completed: 2 });
    assert.deepEqual(r.body.by_region, [
      { region: '440100', region_name: '广东省 广州市', learners: 1, completed: 1, submitted: 1, passed: 1, pass_rate: 1 },
      { region: '440300', region_name: '广东省 深圳市', learners: 2, completed: 2, submitted: 2, passed: 1, pass_rate: 0.5 },
    ]);
    assert.deepEqual(r.body.by_clause, [
      { clause: '5.1', title: '领导作用和承诺', answered: 4, correct: 3, correct_rate: 0.75 },
      { clause: '9.2', title: '内部审核', answered: 3, correct: 3, correct_rate: 1 },
    ]);
    // the whole reach of the regulator: the anonymous log is shown
    assert.equal(r.body.unmet_needs.length, 2);
    // the same from the national regulator asking for Guangdong, except the log (narrower than its reach)
    const national = await get(regulator, '&region=440000');
    assert.deepEqual(national.body.totals, r.body.totals);
    assert.deepEqual(national.body.by_region, r.body.by_region);
    assert.deepEqual(national.body.unmet_needs, []);

    r = await get(regulatorGd, '&region=320000');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.totals, { learners: 0, lessons_opened: 0, lessons_completed: 0, quiz_attempts: 0,
      quiz_passed: 0, pass_rate: null, courses_completed: 0 });
    assert.deepEqual(r.body.by_month, [zeroMonth('2021-03'), zeroMonth('2021-04')]);
    assert.deepEqual(r.body.by_region, []);
    assert.deepEqual(r.body.by_category, zeroCategories);
    assert.deepEqual(r.body.by_clause, []);
    assert.deepEqual(r.body.unmet_needs, []);

    // a prefecture groups by county
    r = await get(admin, '&region=4403');
    assert.deepEqual(r.body.by_region, [
      { region: '440305', region_name: '广东省 深圳市 南山区', learners: 2, completed: 2, submitted: 2, passed: 1, pass_rate: 0.5 },
    ]);
    assert.deepEqual(r.body.unmet_needs, []);
  });

  test('industry: a section takes its divisions, a division itself; the anonymous log is left out', async () => {
    let r = await get(admin, '&industry=c');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.filters.industry, 'C');
    assert.deepEqual(r.body.totals, { learners: 3, lessons_opened: 5, lessons_completed: 2, quiz_attempts: 3,
      quiz_passed: 1, pass_rate: 0.3333, courses_completed: 1 });
    assert.deepEqual(r.body.by_region.map((x) => [x.region, x.learners]), [['320000', 1], ['440000', 2]]);
    assert.deepEqual(r.body.unmet_needs, []);

    r = await get(admin, '&industry=39');
    assert.deepEqual(r.body.totals, { learners: 2, lessons_opened: 4, lessons_completed: 2, quiz_attempts: 2,
      quiz_passed: 1, pass_rate: 0.5, courses_completed: 1 });
    assert.deepEqual(r.body.by_month, [
      { month: '2021-03', learners: 2, opened: 4, completed: 2, submitted: 2, passed: 1 }, zeroMonth('2021-04'),
    ]);

    r = await get(admin, '&industry=I');
    assert.deepEqual(r.body.totals, { learners: 1, lessons_opened: 1, lessons_completed: 1, quiz_attempts: 1,
      quiz_passed: 1, pass_rate: 1, courses_completed: 1 });
    assert.deepEqual(r.body.by_clause, [{ clause: '9.2', title: '内部审核', answered: 1, correct: 1, correct_rate: 1 }]);
    assert.deepEqual(r.body.by_category.find((x) => x.category === 'auditor'),
      { category: 'auditor', opened: 0, completed: 0, submitted: 1, passed: 1 });
  });

  test('the period: from and to, both included', async () => {
    const r = await admin.request('GET', '/api/statistics/learning?from=2021-04&to=2021-04');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.totals, { learners: 2, lessons_opened: 2, lessons_completed: 1, quiz_attempts: 2,
      quiz_passed: 1, pass_rate: 0.5, courses_completed: 1 });
    assert.deepEqual(r.body.by_month, [{ month: '2021-04', learners: 2, opened: 2, completed: 1, submitted: 2, passed: 1 }]);
    const before = await admin.request('GET', '/api/statistics/learning?from=2020-01&to=2021-02');
    assert.equal(before.body.by_month.length, 14);
    assert.equal(before.body.totals.learners, 0);
    assert.deepEqual(before.body.unmet_needs, []);
  });

  test('bad filters are refused with the field; roles', async () => {
    assertError(await admin.request('GET', '/api/statistics/learning?region=44ab'), 400, 'invalid_query', 'region');
    assertError(await admin.request('GET', '/api/statistics/learning?industry=ZZ'), 400, 'invalid_query', 'industry');
    assertError(await admin.request('GET', '/api/statistics/learning?to=2021-13'), 400, 'invalid_query', 'to');
    assertError(await admin.request('GET', '/api/statistics/learning?from=2021-05&to=2021-04'), 400, 'invalid_query', 'from');
    assertError(await admin.request('GET', `/api/statistics/learning?${PERIOD}&format=pdf`), 400, 'invalid_format');
    assertError(await admin.request('GET', `/api/statistics/learning?${PERIOD}&format=csv&table=nothing`), 400,
      'invalid_query', 'table');
    assertError(await enterprise.request('GET', '/api/statistics/learning'), 403, 'forbidden');
    assertError(await body.request('GET', '/api/statistics/learning'), 403, 'forbidden');
    assertError(await pub.request('GET', '/api/statistics/learning'), 401, 'unauthenticated');
  });

  test('exports: XLSX a sheet per table, CSV one table with a BOM', async () => {
    const x = await admin.download(`/api/statistics/learning?${PERIOD}&format=xlsx&lang=zh`);
    assert.equal(x.status, 200);
    const out = readXlsx(x.bytes);
    assert.deepEqual(Object.keys(out), ['总计', '按月', '按地区', '按课程类别', '按条款', '未满足的搜索']);
    assert.deepEqual(out['按月'][0], ['月份', '学习人数', '打开课时', '完成课时', '提交测验', '通过测验']);
    assert.deepEqual(out['按月'][1], ['2021-03', 2, 4, 2, 2, 1]);
    assert.deepEqual(out['按条款'][1].slice(0, 4), ['5.1', '领导作用和承诺', 6, 3]);
    assert.deepEqual(out['未满足的搜索'][1], ['qzxwvhjk', 3, '2021-04-10']);

    const csv = await admin.download(`/api/statistics/learning?${PERIOD}&format=csv&table=by_clause&lang=en`);
    assert.equal(csv.status, 200);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    assert.equal(lines[0], 'Clause,Title,Answered,Correct,Correct rate');
    assert.equal(lines[1], '5.1,领导作用和承诺,6,3,0.5');
    assert.equal(lines.length, 3);
  });

  test('ten racing submissions of one attempt: one counts, its clauses once', async () => {
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: firm.tianhe });
    const a = await learner.request('POST', `/api/courses/${clausesCourse}/quiz-attempts`, { json: {} });
    assert.ok([200, 201].includes(a.status), JSON.stringify(a.body));
    const answers = Object.fromEntries(a.body.questions.map((q) => [String(q.id), bank[q.id]]));
    const answered = await Promise.all(Array.from({ length: 10 },
      () => learner.request('POST', `/api/quiz-attempts/${a.body.id}/submit`, { json: { answers } })));
    assert.deepEqual(answered.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const id = await userId(learner);
    const may = Date.UTC(2021, 4, 20) / 1000;
    rows(server, `UPDATE learning_events SET at = ${may} WHERE user_id = ${id}`);
    rows(server, `UPDATE learning_progress SET completed_at = ${may} WHERE user_id = ${id} AND completed_at IS NOT NULL`);
    rows(server, `UPDATE quiz_clause_answers SET at = ${may} WHERE user_id = ${id}`);
    const r = await admin.request('GET', '/api/statistics/learning?from=2021-05&to=2021-05');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.totals, { learners: 1, lessons_opened: 0, lessons_completed: 0, quiz_attempts: 1,
      quiz_passed: 1, pass_rate: 1, courses_completed: 0 });
    assert.deepEqual(r.body.by_clause, [
      { clause: '5.1', title: '领导作用和承诺', answered: 2, correct: 2, correct_rate: 1 },
      { clause: '9.2', title: '内部审核', answered: 1, correct: 1, correct_rate: 1 },
    ]);
  });

  test('a learner without a region (a body\'s staff): the whole country only, a row with no code', async () => {
    const a = await body.request('POST', `/api/courses/${clausesCourse}/quiz-attempts`, { json: {} });
    assert.ok([200, 201].includes(a.status), JSON.stringify(a.body));
    // option 1 of both questions of the clauses course: both wrong
    const answers = Object.fromEntries(a.body.questions.map((q) => [String(q.id), [1]]));
    const r0 = await body.request('POST', `/api/quiz-attempts/${a.body.id}/submit`, { json: { answers } });
    assert.equal(r0.status, 200, JSON.stringify(r0.body));
    const id = await userId(body);
    const june = Date.UTC(2021, 5, 1) / 1000;
    rows(server, `UPDATE learning_events SET at = ${june} WHERE user_id = ${id}`);
    rows(server, `UPDATE quiz_clause_answers SET at = ${june} WHERE user_id = ${id}`);
    let r = await admin.request('GET', '/api/statistics/learning?from=2021-06&to=2021-06');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.by_region, [
      { region: '', region_name: '', learners: 1, completed: 0, submitted: 1, passed: 0, pass_rate: 0 },
    ]);
    assert.deepEqual(r.body.by_clause.map((x) => [x.clause, x.answered, x.correct]), [['5.1', 2, 0], ['9.2', 1, 0]]);
    r = await regulatorGd.request('GET', '/api/statistics/learning?from=2021-06&to=2021-06');
    assert.equal(r.body.totals.learners, 0);
    r = await admin.request('GET', '/api/statistics/learning?from=2021-06&to=2021-06&industry=C');
    assert.equal(r.body.totals.learners, 0);
  });
});
