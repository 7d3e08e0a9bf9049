// Question banks and quizzes (issue 11, docs/learning.md "Quizzes, certificates and progress"),
// from outside: regulators and admins keep a course's bank (audited); a learner draws quiz_size
// questions that carry no answer, submits once (409 the second time, one of ten racing), is
// scored by the server only (a score sent is refused), within max_attempts even when ten
// attempts are submitted at once; answers and explanations appear only after submission. The
// courses and lessons are planted with SQL (the content slice writes their API).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { accountFor } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const now = Math.floor(Date.now() / 1000);

/** Plants a course (published unless told) and returns its id. */
export function plantCourse(server, { title = '测验课程', status = 'published', quizSize = 3, passMark = 60,
  maxAttempts = 3, category = 'clauses' } = {}) {
  const [[id]] = rows(server, `INSERT INTO courses (category, title, status, quiz_size, pass_mark, max_attempts, created_at, `
    + `updated_at, published_at) VALUES ('${category}', '${title}', '${status}', ${quizSize}, ${passMark}, ${maxAttempts}, `
    + `${now}, ${now}, ${now}) RETURNING id`);
  return Number(id);
}

const bankOf3 = [
  { kind: 'single', text: '知识产权管理体系的最高管理者应当做什么？', options: ['制定知识产权方针', '只管财务', '不参与'],
    correct: [0], explanation: '最高管理者是知识产权管理的第一责任人。', clauses: ['5.1'] },
  { kind: 'multiple', text: '以下哪些属于知识产权？', options: ['专利', '商标', '厂房', '著作权'], correct: [0, 1, 3],
    explanation: '厂房是有形资产。', clauses: ['4.1'] },
  { kind: 'truefalse', text: '内部审核可以由被审核部门自己完成。', correct: [1], explanation: '审核员不审核自己的工作。' },
];

describe('quizzes', () => {
  let server, pub, admin, regulator, enterprise, body;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
  });
  after(async () => { await server?.stop(); });

  const addQuestion = (client, course, json) => client.request('POST', `/api/courses/${course}/questions`, { json });
  const start = (client, course) => client.request('POST', `/api/courses/${course}/quiz-attempts`, { json: {} });
  const submit = (client, id, json) => client.request('POST', `/api/quiz-attempts/${id}/submit`, { json });
  async function bank(course, questions = bankOf3) {
    const ids = [];
    for (const q of questions) {
      const r = await addQuestion(regulator, course, q);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push(r.body);
    }
    return ids;
  }
  /** The right answers of an attempt's questions, from the bank. */
  const rightAnswers = (attempt, questions) => Object.fromEntries(attempt.questions.map((q) =>
    [String(q.id), questions.find((b) => b.id === q.id).correct]));

  test('the bank: create, read, update, delete; audited; refusals and roles', async () => {
    const course = plantCourse(server);
    let r = await addQuestion(regulator, course, bankOf3[0]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body, { id: r.body.id, course_id: course, ...bankOf3[0] });
    const id = r.body.id;
    r = await addQuestion(admin, course, bankOf3[2]);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.options, ['正确', '错误']);
    assert.deepEqual(r.body.clauses, []);

    assertError(await addQuestion(regulator, course, {}), 400, 'missing_field', 'kind');
    assertError(await addQuestion(regulator, course, { ...bankOf3[0], kind: 'essay' }), 400, 'invalid_value', 'kind');
    assertError(await addQuestion(regulator, course, { ...bankOf3[0], correct: [0, 1] }), 400, 'invalid_value', 'correct');
    assertError(await addQuestion(regulator, course, { ...bankOf3[0], correct: [5] }), 400, 'invalid_value', 'correct');
    assertError(await addQuestion(regulator, course, { ...bankOf3[1], correct: [] }), 400, 'invalid_value', 'correct');
    assertError(await addQuestion(regulator, course, { ...bankOf3[0], options: ['唯一'] }), 400, 'invalid_value', 'options');
    assertError(await addQuestion(regulator, course, { ...bankOf3[0], score: 100 }), 400, 'unknown_field', 'score');
    assertError(await addQuestion(regulator, 999999, bankOf3[0]), 404, 'course_not_found');
    assertError(await addQuestion(enterprise, course, bankOf3[0]), 403, 'forbidden');
    assertError(await addQuestion(body, course, bankOf3[0]), 403, 'forbidden');
    assertError(await addQuestion(pub, course, bankOf3[0]), 401, 'unauthenticated');
    assertError(await enterprise.request('GET', `/api/courses/${course}/questions`), 403, 'forbidden');

    r = await regulator.request('PUT', `/api/questions/${id}`, { json: { ...bankOf3[0], text: '最高管理者的职责是什么？' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.text, '最高管理者的职责是什么？');
    r = await regulator.request('GET', `/api/courses/${course}/questions`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((q) => q.text), ['最高管理者的职责是什么？', bankOf3[2].text]);
    assert.equal((await regulator.request('DELETE', `/api/questions/${id}`)).status, 204);
    assertError(await regulator.request('DELETE', `/api/questions/${id}`), 404, 'question_not_found');
    assertError(await regulator.request('PUT', `/api/questions/${id}`, { json: bankOf3[0] }), 404, 'question_not_found');
    r = await regulator.request('GET', `/api/courses/${course}/questions`);
    assert.deepEqual(r.body.items.map((q) => q.kind), ['truefalse']);

    const audit = rows(server, `SELECT action FROM audit_log WHERE entity = 'quiz_question' AND entity_id = '${id}' ORDER BY seq`);
    assert.deepEqual(audit.map(([a]) => a), ['quiz_question.create', 'quiz_question.update', 'quiz_question.delete']);
  });

  test('an attempt: questions drawn without answers, scored by the server, once; answers revealed after', async () => {
    const course = plantCourse(server, { quizSize: 2, passMark: 50 });
    const questions = await bank(course);
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    let r = await start(learner, course);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const attempt = r.body;
    assert.equal(attempt.status, 'started');
    assert.equal(attempt.questions.length, 2);
    assert.equal(attempt.pass_mark, 50);
    assert.equal(attempt.attempts_used, 0);
    // nothing of the answers leaks before submission
    const leaks = (a) => /correct|explanation|chosen|score|passed/.test(JSON.stringify(a));
    assert.ok(!leaks(attempt), JSON.stringify(attempt));
    for (const q of attempt.questions) assert.deepEqual(Object.keys(q).sort(), ['course_id', 'id', 'kind', 'options', 'text']);
    r = await learner.request('GET', `/api/quiz-attempts/${attempt.id}`);
    assert.equal(r.status, 200);
    assert.ok(!leaks(r.body));
    // starting again gives the same open attempt
    r = await start(learner, course);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, attempt.id);
    // another user cannot read nor submit it
    assertError(await enterprise.request('GET', `/api/quiz-attempts/${attempt.id}`), 404, 'quiz_attempt_not_found');
    assertError(await submit(enterprise, attempt.id, { answers: {} }), 404, 'quiz_attempt_not_found');
    // a score or correctness sent is refused
    assertError(await submit(learner, attempt.id, { answers: {}, score: 100 }), 400, 'unknown_field', 'score');
    assertError(await submit(learner, attempt.id, { answers: {}, passed: true }), 400, 'unknown_field', 'passed');
    assertError(await submit(learner, attempt.id, {}), 400, 'missing_field', 'answers');
    assertError(await submit(learner, attempt.id, { answers: [1, 2] }), 400, 'invalid_value', 'answers');
    assertError(await submit(learner, attempt.id, { answers: { [attempt.questions[0].id]: 'A' } }), 400, 'invalid_value', 'answers');
    assertError(await submit(learner, attempt.id, { answers: { [attempt.questions[0].id]: [-1] } }), 400, 'invalid_value', 'answers');

    // one right, one wrong: 50, passed at pass_mark 50
    const right = rightAnswers(attempt, questions);
    const [first, second] = attempt.questions;
    const answers = { [first.id]: right[first.id], [second.id]: [7] };
    // refused submissions changed nothing
    assert.equal((await learner.request('GET', `/api/quiz-attempts/${attempt.id}`)).body.status, 'started');
    r = await submit(learner, attempt.id, { answers });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'submitted');
    assert.equal(r.body.score, 50);
    assert.equal(r.body.correct_count, 1);
    assert.equal(r.body.passed, true);
    assert.equal(r.body.number, 1);
    assert.equal(r.body.attempts_used, 1);
    const revealed = r.body.questions;
    assert.deepEqual(revealed.map((q) => q.is_correct), [true, false]);
    for (const q of revealed) {
      const b = questions.find((x) => x.id === q.id);
      assert.deepEqual(q.correct, b.correct);
      assert.equal(q.explanation, b.explanation);
    }
    assert.deepEqual(revealed[1].chosen, [7]);
    r = await learner.request('GET', `/api/quiz-attempts/${attempt.id}`);
    assert.equal(r.body.score, 50);
    assert.deepEqual(r.body.questions.map((q) => q.correct), revealed.map((q) => q.correct));
    assertError(await submit(learner, attempt.id, { answers: right }), 409, 'quiz_attempt_submitted');

    // the aggregates, without reading events
    const [[attempts, best, passed]] = rows(server,
      `SELECT attempts, best_score, passed FROM learning_progress p JOIN users u ON u.id = p.user_id WHERE p.course_id = ${course}`);
    assert.deepEqual([attempts, best, passed], ['1', '50', '1']);
    const events = rows(server, `SELECT kind FROM learning_events WHERE course_id = ${course} ORDER BY id`);
    assert.deepEqual(events.map(([k]) => k), ['submitted', 'passed']);
  });

  test('a course not published, an empty bank', async () => {
    const draft = plantCourse(server, { status: 'draft' });
    await bank(draft);
    assertError(await start(enterprise, draft), 404, 'course_not_found');
    const empty = plantCourse(server);
    assertError(await start(enterprise, empty), 409, 'quiz_empty');
    assertError(await start(pub, empty), 401, 'unauthenticated');
  });

  test('ten racing submissions of one attempt: exactly one', async () => {
    const course = plantCourse(server);
    await bank(course);
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    const attempt = (await start(learner, course)).body;
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(learner, attempt.id, { answers: {} })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, ...Array(9).fill(409)], JSON.stringify(results.map((r) => r.body)));
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'quiz_attempt_submitted');
  });

  test('max_attempts holds: ten attempts submitted at once never exceed it', async () => {
    const course = plantCourse(server, { maxAttempts: 3, passMark: 100 });
    const questions = await bank(course);
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    // ten open attempts (planted: the API gives back the open one)
    const first = (await start(learner, course)).body;
    const ids = [first.id];
    const [[userId]] = rows(server, `SELECT user_id FROM quiz_attempts WHERE id = ${first.id}`);
    const drawn = first.questions.map((q) => q.id).join(',');
    for (let i = 0; i < 9; i++) {
      const [[id]] = rows(server, `INSERT INTO quiz_attempts (course_id, user_id, question_ids, started_at) VALUES `
        + `(${course}, ${userId}, '${drawn}', ${now}) RETURNING id`);
      ids.push(Number(id));
    }
    const results = await Promise.all(ids.map((id) => submit(learner, id, { answers: {} })));
    const ok = results.filter((r) => r.status === 200);
    assert.ok(ok.length >= 1 && ok.length <= 3, JSON.stringify(results.map((r) => r.status)));
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 409, 'quiz_attempts_exhausted');
    // the rest, one by one, fill the slots and no more
    for (const id of ids) await submit(learner, id, { answers: {} });
    const [[submitted]] = rows(server, `SELECT COUNT(*) FROM quiz_attempts WHERE course_id = ${course} AND status = 'submitted'`);
    assert.equal(submitted, '3');
    assertError(await start(learner, course), 409, 'quiz_attempts_exhausted');
    const numbers = rows(server, `SELECT number FROM quiz_attempts WHERE course_id = ${course} AND status = 'submitted' ORDER BY number`);
    assert.deepEqual(numbers.map(([n]) => n), ['1', '2', '3']);
    void questions;
  });

  test('ten racing starts, then every attempt submitted: never more than max_attempts', async () => {
    const course = plantCourse(server, { maxAttempts: 2 });
    await bank(course);
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    const started = await Promise.all(Array.from({ length: 10 }, () => start(learner, course)));
    for (const r of started) assert.equal(r.status, 200, JSON.stringify(r.body));
    const ids = [...new Set(started.map((r) => r.body.id))];
    const results = [];
    for (const id of ids) results.push((await submit(learner, id, { answers: {} })).status);
    // and starting again until refused
    for (let i = 0; i < 3; i++) {
      const r = await start(learner, course);
      if (r.status !== 200) { assertError(r, 409, 'quiz_attempts_exhausted'); break; }
      results.push((await submit(learner, r.body.id, { answers: {} })).status);
    }
    assert.equal(results.filter((s) => s === 200).length, 2, JSON.stringify(results));
    const [[submitted]] = rows(server, `SELECT COUNT(*) FROM quiz_attempts WHERE course_id = ${course} AND status = 'submitted'`);
    assert.equal(submitted, '2');
  });

  test('the OpenAPI document shows no answer of any question', async () => {
    const r = await pub.request('GET', '/api/openapi.json');
    const schema = r.body.components.schemas.QuizAttempt;
    assert.ok(schema);
    const text = JSON.stringify(r.body);
    for (const q of bankOf3) assert.ok(!text.includes(q.explanation) && !text.includes(q.text));
  });
});
