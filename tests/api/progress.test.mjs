// Learning progress and certificates of completion (issue 11, docs/learning.md "Quizzes,
// certificates and progress"), from outside: lesson events appended with the learner's
// aggregates kept in the same write; my learning with where to resume; an enterprise's staff
// progress for its manager, its region's regulator and admins (nobody else); completing a course
// (every published lesson and the quiz) issues one certificate of completion, verifiable by
// anyone, as a PDF whose QR code leads to the public verification page. Courses and lessons are
// planted with SQL (the content slice writes their API).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { pdfText, qrCodes } from '../lib/pdf.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { accountFor } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const now = Math.floor(Date.now() / 1000);

function plantCourse(server, title, { status = 'published' } = {}) {
  const [[id]] = rows(server, `INSERT INTO courses (category, title, status, quiz_size, pass_mark, max_attempts, created_at, `
    + `updated_at, published_at) VALUES ('auditor', '${title}', '${status}', 2, 100, 0, ${now}, ${now}, ${now}) RETURNING id`);
  return Number(id);
}
function plantLesson(server, course, position, title, { published = true } = {}) {
  const [[id]] = rows(server, `INSERT INTO lessons (course_id, position, title, markdown, status, published_revision, `
    + `created_at, updated_at) VALUES (${course}, ${position}, '${title}', '# ${title}', '${published ? 'published' : 'draft'}', `
    + `${published ? 1 : 0}, ${now}, ${now}) RETURNING id`);
  return Number(id);
}

describe('learning progress', () => {
  let server, pub, admin, regulator, regulatorGd, enterprise, body, course, lessons, draftLesson, questions;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
    course = plantCourse(server, '内审员培训：审核方案与实施');
    lessons = [plantLesson(server, course, 1, '审核方案'), plantLesson(server, course, 2, '现场审核')];
    draftLesson = plantLesson(server, course, 3, '尚未发布', { published: false });
    questions = [];
    for (const q of [
      { kind: 'truefalse', text: '内审员可以审核自己的工作。', correct: [1], explanation: '保持客观和公正。' },
      { kind: 'single', text: '审核发现的依据是什么？', options: ['审核准则', '个人喜好'], correct: [0], explanation: '依据审核准则。' },
    ]) {
      const r = await regulator.request('POST', `/api/courses/${course}/questions`, { json: q });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      questions.push(r.body);
    }
  });
  after(async () => { await server?.stop(); });

  const event = (client, lesson, ev) => client.request('POST', `/api/lessons/${lesson}/progress`, { json: { event: ev } });
  async function passQuiz(client) {
    const a = (await client.request('POST', `/api/courses/${course}/quiz-attempts`, { json: {} })).body;
    const answers = Object.fromEntries(a.questions.map((q) => [q.id, questions.find((b) => b.id === q.id).correct]));
    const r = await client.request('POST', `/api/quiz-attempts/${a.id}/submit`, { json: { answers } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.passed, true);
    return r.body;
  }

  test('events: refusals, aggregates kept as they arrive, where to resume', async () => {
    assertError(await event(enterprise, lessons[0], 'skipped'), 400, 'invalid_value', 'event');
    assertError(await enterprise.request('POST', `/api/lessons/${lessons[0]}/progress`, { json: {} }), 400, 'missing_field', 'event');
    assertError(await event(enterprise, draftLesson, 'opened'), 404, 'lesson_not_found');
    assertError(await event(enterprise, 999999, 'opened'), 404, 'lesson_not_found');
    assertError(await event(pub, lessons[0], 'opened'), 401, 'unauthenticated');

    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    let r = await event(learner, lessons[0], 'opened');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual({ ...r.body, updated_at: undefined }, {
      course: { id: course, title: '内审员培训：审核方案与实施', category: 'auditor' }, lessons_completed: 0, lessons_total: 2,
      best_score: null, passed: false, attempts: 0, completed_at: null, updated_at: undefined, certificate_number: null,
      resume_lesson_id: lessons[0],
    });
    r = await event(learner, lessons[0], 'completed');
    assert.equal(r.body.lessons_completed, 1);
    assert.equal(r.body.resume_lesson_id, lessons[1]);
    r = await event(learner, lessons[0], 'completed');     // again: counted once
    assert.equal(r.body.lessons_completed, 1);
    r = await learner.request('GET', '/api/me/learning');
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.items[0].resume_lesson_id, lessons[1]);
    assert.equal(r.body.items[0].lessons_completed, 1);

    const events = rows(server, `SELECT e.kind FROM learning_events e JOIN users u ON u.id = e.user_id WHERE e.course_id = ${course} AND u.login = '${await login(learner)}' ORDER BY e.id`);
    assert.deepEqual(events.map(([k]) => k), ['opened', 'completed', 'completed']);
    const day = new Date().toISOString().slice(0, 10);
    const [[opened]] = rows(server, `SELECT SUM(events) FROM learning_daily WHERE day = '${day}' AND category = 'auditor' AND kind = 'opened'`);
    assert.ok(Number(opened) >= 1);
  });

  async function login(client) { return (await client.request('GET', '/api/session')).body.user.login; }

  test('completing the course issues one certificate of completion: verified, PDF with QR code', async () => {
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    // the quiz first: no certificate while a lesson is left
    const passed = await passQuiz(learner);
    assert.equal(passed.certificate_number, null);
    await event(learner, lessons[0], 'completed');
    let r = await event(learner, lessons[1], 'completed');
    assert.equal(r.status, 200);
    const number = r.body.certificate_number;
    assert.match(number, /^XC\d{6}[0-9A-F]{10}$/);
    assert.ok(r.body.completed_at);
    assert.equal(r.body.passed, true);
    assert.equal(r.body.best_score, 100);
    // once only
    r = await event(learner, lessons[1], 'completed');
    assert.equal(r.body.certificate_number, number);
    const [[count]] = rows(server, `SELECT COUNT(*) FROM completion_certificates WHERE course_id = ${course} AND number = '${number}'`);
    assert.equal(count, '1');
    const audit = rows(server, `SELECT action FROM audit_log WHERE entity = 'completion_certificate' AND entity_id = '${number}'`);
    assert.deepEqual(audit, [['completion_certificate.issue']]);

    r = await pub.request('GET', `/api/completion-certificates/${number}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.valid, true);
    assert.equal(r.body.course.title, '内审员培训：审核方案与实施');
    assert.match(r.body.holder_name, /^测试账号/);
    assert.equal(r.body.issued, new Date().toISOString().slice(0, 10));
    assertError(await pub.request('GET', '/api/completion-certificates/XC000000FFFFFFFFFF'), 404, 'completion_certificate_not_found');

    const pdf = await pub.download(`/api/completion-certificates/${number}/pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const text = pdfText(pdf.bytes);
    assert.match(text, /结业证书/);
    assert.match(text, /内审员培训：审核方案与实施/);
    assert.ok(text.includes(number));
    assert.deepEqual(qrCodes(pdf.bytes), [`${server.url}/learning/certificates/${number}`]);

    r = await learner.request('GET', '/api/me/learning');
    assert.equal(r.body.items[0].certificate_number, number);
  });

  test('ten racing completions of the last lesson: one certificate', async () => {
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    await passQuiz(learner);
    await event(learner, lessons[0], 'completed');
    const results = await Promise.all(Array.from({ length: 10 }, () => event(learner, lessons[1], 'completed')));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    const numbers = new Set(results.map((r) => r.body.certificate_number));
    assert.equal(numbers.size, 1);
    const [[count]] = rows(server, `SELECT COUNT(*) FROM completion_certificates c JOIN users u ON u.id = c.user_id WHERE c.course_id = ${course} AND u.login = '${await login(learner)}'`);
    assert.equal(count, '1');
    const [[done]] = rows(server, `SELECT p.lessons_completed FROM learning_progress p JOIN users u ON u.id = p.user_id WHERE p.course_id = ${course} AND u.login = '${await login(learner)}'`);
    assert.equal(done, '2');
  });

  test('an enterprise\'s staff progress: its users, its region\'s regulator, admins; nobody else', async () => {
    const learner = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    await event(learner, lessons[0], 'opened');
    let r = await enterprise.request('GET', '/api/enterprises/1/learning');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.total >= 3);
    const learnerLogin = await login(learner);
    const mine = r.body.items.find((i) => i.user.login === learnerLogin);
    assert.ok(mine);
    assert.equal(mine.course.id, course);
    assert.equal(mine.resume_lesson_id, undefined);
    const csv = await enterprise.download('/api/enterprises/1/learning?format=csv');
    assert.equal(csv.status, 200);
    csv.body = csv.bytes.toString('utf8');
    const header = csv.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    assert.equal(header, '学员,账号,课程,已完成课时,课时数,最高分,测验通过,结业时间,结业证书编号');
    assert.ok(csv.body.includes(learnerLogin));
    for (const client of [admin, regulator, regulatorGd]) assert.equal((await client.request('GET', '/api/enterprises/1/learning')).status, 200);
    const [[other]] = rows(server, "SELECT id FROM enterprises WHERE region NOT LIKE '44%' ORDER BY id LIMIT 1");
    assertError(await regulatorGd.request('GET', `/api/enterprises/${other}/learning`), 404, 'enterprise_not_found');
    assertError(await enterprise.request('GET', `/api/enterprises/${other}/learning`), 404, 'enterprise_not_found');
    assertError(await body.request('GET', '/api/enterprises/1/learning'), 403, 'forbidden');
    assertError(await pub.request('GET', '/api/enterprises/1/learning'), 401, 'unauthenticated');
    r = await admin.request('GET', `/api/enterprises/${other}/learning`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0);
  });
});
