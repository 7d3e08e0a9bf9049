// A published course with two published lessons and a bank of three questions whose correct
// answer is always the first option, planted with SQL and the API for the browser tests of
// issue 11's quiz slice (the content slice writes the courses' own API). Not a test file.
import assert from 'node:assert/strict';
import { rows as sql } from '../../api/lib/sql.mjs';

export const QUIZ_COURSE_TITLE = '内审员培训：审核的策划与实施';

/** Plants the course through `regulator` (a signed-in API client); returns { course, lessons }. */
export async function plantQuizCourse(server, regulator, title = QUIZ_COURSE_TITLE) {
  const now = Math.floor(Date.now() / 1000);
  const [[course]] = sql(server, 'INSERT INTO courses (category, title, status, quiz_size, pass_mark, max_attempts, created_at, '
    + `updated_at, published_at) VALUES ('auditor', '${title}', 'published', 3, 60, 3, ${now}, ${now}, ${now}) RETURNING id`);
  const lessons = [1, 2].map((n) => Number(sql(server, 'INSERT INTO lessons (course_id, position, title, markdown, status, '
    + `published_revision, created_at, updated_at) VALUES (${course}, ${n}, '第 ${n} 课', '正文', 'published', 1, ${now}, ${now}) `
    + 'RETURNING id')[0][0]));
  for (const q of [
    { kind: 'single', text: '内部审核的目的是什么？', options: ['确认体系符合要求并有效运行', '考核员工绩效'], correct: [0], explanation: '见 GB/T 29490 9.2。' },
    { kind: 'multiple', text: '审核计划应包括哪些内容？', options: ['审核范围和准则', '审核员的工资'], correct: [0], explanation: '审核计划说明范围、准则和日程。' },
    { kind: 'truefalse', text: '审核员应保持客观和公正。', correct: [0], explanation: '审核原则之一。' },
  ]) {
    const r = await regulator.request('POST', `/api/courses/${course}/questions`, { json: q });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  return { course: Number(course), lessons };
}
