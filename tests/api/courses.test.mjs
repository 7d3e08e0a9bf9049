// Courses and lessons (issue 11, docs/learning.md "Content"), from outside: the public reads the
// published catalogue (filtered by category, clause and words) without signing in; regulators
// and admins author: a course and its draft lessons, tagged with clauses of the catalogue,
// submitted for review and approved by another author (four eyes; ten racing approvals: one
// wins), each publication kept as a revision; an edit of a published lesson is a new draft while
// readers keep the published revision; Markdown comes out inert; every step is audited and the
// published texts are searchable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('courses and lessons', () => {
  let server, pub, admin, regulator, enterprise;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
  });
  after(async () => { await server?.stop(); });

  test('the seeded catalogue is public: categories, a clause filter, words', async () => {
    let r = await pub.request('GET', '/api/courses?per_page=100');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 10);
    assert.ok(r.body.items.every((c) => c.status === 'published' && c.lesson_count >= 2));
    assert.deepEqual(new Set(r.body.items.map((c) => c.category)), new Set(['clauses', 'policy', 'briefing', 'auditor']));
    r = await pub.request('GET', '/api/courses?category=auditor');
    assert.deepEqual(r.body.items.map((c) => c.title), ['内审员培训：知识产权管理体系内部审核']);
    assert.equal(r.body.items[0].slug, 'auditor-internal-audit');
    r = await pub.request('GET', '/api/courses?clause=9.2&edition=2023');
    assert.deepEqual(r.body.items.map((c) => c.slug).sort(), ['auditor-internal-audit']);
    r = await pub.request('GET', '/api/courses?clause=9');   // the chapter: its sub-clauses
    assert.deepEqual(r.body.items.map((c) => c.slug).sort(), ['auditor-internal-audit', 'clauses-2023-ch9']);
    r = await pub.request('GET', `/api/courses?q=${encodeURIComponent('从形式到实效')}`);
    assert.deepEqual(r.body.items.map((c) => c.slug), ['policy-notice-2020']);
    assertError(await pub.request('GET', '/api/courses?category=cooking'), 400, 'invalid_query');
    const csv = await pub.download('/api/courses?category=auditor&format=csv');
    assert.equal(csv.status, 200);
    const text = csv.bytes.toString('utf8');
    assert.match(text, /^(\ufeff)?课程编号,类别,课程名称/);
    assert.match(text, /内审员培训：知识产权管理体系内部审核/);

    const course = (await pub.request('GET', '/api/courses?category=auditor')).body.items[0];
    r = await pub.request('GET', `/api/courses/${course.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.lessons.map((l) => l.title), ['内审方案与审核策划', '现场审核与抽样', '审核报告与跟踪']);
    const [first, second] = r.body.lessons;
    r = await pub.request('GET', `/api/lessons/${second.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.prev_id, first.id);
    assert.equal(r.body.course_title, '内审员培训：知识产权管理体系内部审核');
    assert.deepEqual(r.body.clauses, [{ edition: '2023', number: '9.2', title: '内部审核' }]);
    assert.match(r.body.html, /<h2>怎样找证据<\/h2>/);
  });

  test('authoring: draft → review → approved by another author → published revision; edits are new drafts', async () => {
    let r = await regulator.request('POST', '/api/courses', { json: { category: 'clauses', title: '第9章 测试课程', summary: '专利检索入门' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const course = r.body;
    assert.equal(course.status, 'draft');
    assert.equal(course.edition, '2023');
    assertError(await pub.request('GET', `/api/courses/${course.id}`), 404, 'course_not_found');

    assertError(await regulator.request('POST', `/api/courses/${course.id}/lessons`, { json: { title: '课一', clauses: ['99.9'] } }),
      400, 'unknown_clause', 'clauses');
    r = await regulator.request('POST', `/api/courses/${course.id}/lessons`,
      { json: { title: '课一', markdown: '# 第一版\n\n正文', clauses: ['9.2', '9.1'], minutes: 12 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lesson = r.body;
    assert.equal(lesson.status, 'draft');
    assert.equal(lesson.published_revision, 0);
    assert.deepEqual(lesson.clauses.map((c) => c.number), ['9.1', '9.2']);
    assertError(await pub.request('GET', `/api/lessons/${lesson.id}`), 404, 'lesson_not_found');

    // approve before submitting: 409; submit; the author cannot approve their own lesson
    assertError(await admin.request('POST', `/api/lessons/${lesson.id}/approve`), 409, 'lesson_transition');
    r = await regulator.request('POST', `/api/lessons/${lesson.id}/submit`);
    assert.equal(r.body.status, 'review');
    assertError(await regulator.request('POST', `/api/lessons/${lesson.id}/submit`), 409, 'lesson_transition');
    assertError(await regulator.request('PUT', `/api/lessons/${lesson.id}`, { json: { title: '改' } }), 409, 'lesson_transition');
    assertError(await regulator.request('POST', `/api/lessons/${lesson.id}/approve`), 409, 'lesson_own_review');

    // ten racing approvals by another author: exactly one wins
    const approvals = await Promise.all(Array.from({ length: 10 }, () => admin.request('POST', `/api/lessons/${lesson.id}/approve`)));
    assert.equal(approvals.filter((a) => a.status === 200).length, 1, JSON.stringify(approvals.map((a) => a.status)));
    assert.ok(approvals.filter((a) => a.status !== 200).every((a) => a.status === 409));
    assert.equal(Number(rows(server, `SELECT COUNT(*) FROM lesson_revisions WHERE lesson_id = ${lesson.id}`)[0][0]), 1);

    // the course: review, published (searchable), readable by the public
    assertError(await regulator.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'published' } }),
      409, 'course_transition');
    assert.equal((await regulator.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'review' } })).body.status, 'review');
    const racing = await Promise.all(Array.from({ length: 10 }, () =>
      admin.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'published' } })));
    assert.equal(racing.filter((a) => a.status === 200).length, 1);
    r = await pub.request('GET', `/api/lessons/${lesson.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.revision, 1);
    assert.match(r.body.html, /<h1>第一版<\/h1>/);
    assert.deepEqual(rows(server, `SELECT type, url FROM search_documents WHERE (type = 'lesson' AND ref_id = ${lesson.id}) OR (type = 'course' AND ref_id = ${course.id}) ORDER BY type`),
      [['course', `/courses/${course.id}`], ['lesson', `/lessons/${lesson.id}`]]);

    // an edit of the published lesson: a new draft; readers keep revision 1 until it is approved
    r = await admin.request('PUT', `/api/lessons/${lesson.id}`, { json: { markdown: '# 第二版' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'draft');
    assert.match((await pub.request('GET', `/api/lessons/${lesson.id}`)).body.html, /第一版/);
    await admin.request('POST', `/api/lessons/${lesson.id}/submit`);
    assertError(await admin.request('POST', `/api/lessons/${lesson.id}/approve`), 409, 'lesson_own_review');
    assert.equal((await regulator.request('POST', `/api/lessons/${lesson.id}/approve`)).status, 200);
    r = await pub.request('GET', `/api/lessons/${lesson.id}`);
    assert.equal(r.body.revision, 2);
    assert.match(r.body.html, /第二版/);

    // the history, and any revision, for authors only
    r = await regulator.request('GET', `/api/lessons/${lesson.id}/revisions`);
    assert.deepEqual(r.body.items.map((x) => x.revision), [2, 1]);
    r = await regulator.request('GET', `/api/lessons/${lesson.id}/revisions/1`);
    assert.match(r.body.html, /第一版/);
    assertError(await pub.request('GET', `/api/lessons/${lesson.id}/revisions`), 401, 'unauthenticated');
    assertError(await enterprise.request('GET', `/api/lessons/${lesson.id}/revisions/1`), 403, 'forbidden');

    // audited
    const audit = await admin.request('GET', `/api/audit?entity=lesson&entity_id=${lesson.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action),
      ['lesson.approve', 'lesson.submit', 'lesson.update', 'lesson.approve', 'lesson.submit', 'lesson.create']);

    // archiving takes the course and its lessons out of the catalogue and the search
    r = await admin.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'archived' } });
    assert.equal(r.body.status, 'archived');
    assertError(await pub.request('GET', `/api/lessons/${lesson.id}`), 404, 'lesson_not_found');
    assert.deepEqual(rows(server, `SELECT type FROM search_documents WHERE (type = 'lesson' AND ref_id = ${lesson.id}) OR (type = 'course' AND ref_id = ${course.id})`), []);
  });

  test('reorder: every lesson once, in the new order', async () => {
    const course = (await admin.request('POST', '/api/courses', { json: { category: 'briefing', title: '排序' } })).body;
    const ids = [];
    for (const title of ['一', '二', '三'])
      ids.push((await admin.request('POST', `/api/courses/${course.id}/lessons`, { json: { title } })).body.id);
    assertError(await admin.request('PUT', `/api/courses/${course.id}/order`, { json: { lesson_ids: [ids[0], ids[1]] } }),
      400, 'invalid_value', 'lesson_ids');
    const r = await admin.request('PUT', `/api/courses/${course.id}/order`, { json: { lesson_ids: [ids[2], ids[0], ids[1]] } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.lessons.map((l) => l.title), ['三', '一', '二']);
  });

  test('Markdown with script, event handlers and javascript: links comes out inert', async () => {
    const course = (await admin.request('POST', '/api/courses', { json: { category: 'policy', title: '安全' } })).body;
    const markdown = '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3)) and <a href="javascript:alert(4)">y</a>\n\n**ok**';
    const made = await admin.request('POST', `/api/courses/${course.id}/lessons`, { json: { title: 'XSS', markdown } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const lesson = made.body;
    const preview = await admin.request('POST', '/api/markdown/preview', { json: { markdown } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    for (const html of [lesson.html, preview.body.html]) {
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /onerror/i);
      assert.doesNotMatch(html, /javascript:/i);
      assert.doesNotMatch(html, /<img/i);
      assert.match(html, /<strong>ok<\/strong>/);
    }
    await admin.request('POST', `/api/lessons/${lesson.id}/submit`);
    assert.equal((await regulator.request('POST', `/api/lessons/${lesson.id}/approve`)).status, 200);
    await admin.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'review' } });
    await admin.request('POST', `/api/courses/${course.id}/status`, { json: { status: 'published' } });
    const r = await pub.request('GET', `/api/lessons/${lesson.id}`);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.body.html, /<script|onerror|javascript:/i);
  });

  test('refusals: roles, fields', async () => {
    assertError(await pub.request('POST', '/api/courses', { json: { category: 'policy', title: 'x' } }), 401, 'unauthenticated');
    assertError(await enterprise.request('POST', '/api/courses', { json: { category: 'policy', title: 'x' } }), 403, 'forbidden');
    const r = await admin.request('POST', '/api/courses', { json: { category: 'cooking' } });
    assertError(r, 400, 'invalid_value', 'category');
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.code]), [['category', 'invalid_value'], ['title', 'missing_field']]);
    assertError(await admin.request('GET', '/api/courses/999999'), 404, 'course_not_found');
    assertError(await pub.request('GET', '/api/lessons/999999'), 404, 'lesson_not_found');
    assertError(await admin.request('POST', '/api/courses', { json: { category: 'policy', title: 'x', edition: '2099' } }),
      400, 'invalid_value', 'edition');
  });
});
