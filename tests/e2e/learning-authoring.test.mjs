// The authoring pages' follow-up (issue 11, docs/learning.md "Content", slice "authoring2"), in
// the browser on the seeded demo: a course written through the API (two lessons written by the
// regulator, approved by the admin, published); the regulator then reorders its lessons with
// the down button and the public course page shows the new order; edits its quiz settings and
// finds them saved; reads a lesson's revision history and opens revision 1; writes an
// announcement, previews it (rendered by the server), publishes and pins it, and a visitor sees
// it on the public home page (an edit not yet saved is saved by publishing); archived, it leaves
// the home page. Run after building the UI.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });
const { withPage, client } = env;
const courseTitle = `条款精讲：编写后续 ${Date.now()}`;
const planted = {}; // { course, lessons: [id of 第一课, id of 第二课] }

/** The public course page's lesson titles, in order. */
async function publicLessons(page, courseId) {
  await page.goto(`/courses/${courseId}`);
  await byTestId(page, 'course-lesson').first().waitFor();
  return (await byTestId(page, 'course-lesson').allTextContents()).map((s) => s.trim());
}

describe('learning authoring: order, settings, revisions, announcements', () => {
  before(async () => {
    const reg = client();
    const admin = client();
    assert.equal((await reg.signIn('regulator')).status, 200);
    assert.equal((await admin.signIn('admin')).status, 200);
    const course = await reg.request('POST', '/api/courses', { json: { title: courseTitle, category: 'clauses' } });
    assert.equal(course.status, 201, JSON.stringify(course.body));
    planted.course = course.body.id;
    planted.lessons = [];
    for (const [title, markdown] of [['第一课 方针', '## 方针\n\n第一版**正文**。'], ['第二课 目标', '## 目标\n\n正文。']]) {
      const l = await reg.request('POST', `/api/courses/${planted.course}/lessons`, { json: { title, markdown } });
      assert.equal(l.status, 201, JSON.stringify(l.body));
      assert.equal((await reg.request('POST', `/api/lessons/${l.body.id}/submit`)).status, 200);
      assert.equal((await admin.request('POST', `/api/lessons/${l.body.id}/approve`)).status, 200);
      planted.lessons.push(l.body.id);
    }
    assert.equal((await reg.request('POST', `/api/courses/${planted.course}/status`, { json: { status: 'review' } })).status, 200);
    assert.equal((await admin.request('POST', `/api/courses/${planted.course}/status`, { json: { status: 'published' } })).status, 200);
  });

  test('a regulator reorders two lessons and the public course page shows the new order', async () => {
    await withPage(async ({ page }) => {
      assert.deepEqual(await publicLessons(page, planted.course), ['第一课 方针', '第二课 目标']);
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      await byTestId(page, 'authoring-course').filter({ hasText: courseTitle }).click();
      await page.getByRole('button', { name: '下移：第一课 方针' }).click();
      await byTestId(page, 'authoring-message').filter({ hasText: '课时顺序已保存' }).waitFor();
      assert.deepEqual((await byTestId(page, 'authoring-lesson').allTextContents()).map((s) => s.trim()), ['第二课 目标', '第一课 方针']);
      assert.equal(await page.getByRole('button', { name: '上移：第二课 目标' }).isDisabled(), true);
      assert.deepEqual(await publicLessons(page, planted.course), ['第二课 目标', '第一课 方针']);
    });
  });

  test('a regulator edits the course quiz settings and summary', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      await byTestId(page, 'authoring-course').filter({ hasText: courseTitle }).click();
      await byTestId(page, 'course-summary').fill('方针与目标的两课。');
      await byTestId(page, 'course-quiz-size').fill('5');
      await byTestId(page, 'course-pass-mark').fill('80');
      await byTestId(page, 'course-max-attempts').fill('2');
      await byTestId(page, 'course-category').selectOption('policy');
      await byTestId(page, 'course-save').click();
      await byTestId(page, 'authoring-message').filter({ hasText: '已保存' }).waitFor();
      // reopened from the server, the form shows what was saved
      await page.reload();
      await byTestId(page, 'authoring-course').filter({ hasText: courseTitle }).click();
      assert.equal(await byTestId(page, 'course-quiz-size').inputValue(), '5');
      assert.equal(await byTestId(page, 'course-pass-mark').inputValue(), '80');
      assert.equal(await byTestId(page, 'course-max-attempts').inputValue(), '2');
      assert.equal(await byTestId(page, 'course-category').inputValue(), 'policy');
    });
    const c = (await client().request('GET', `/api/courses/${planted.course}`)).body;
    assert.deepEqual([c.quiz_size, c.pass_mark, c.max_attempts, c.category, c.summary], [5, 80, 2, 'policy', '方针与目标的两课。']);
  });

  test('a regulator reads a lesson\'s revision history and opens a revision', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      await byTestId(page, 'authoring-course').filter({ hasText: courseTitle }).click();
      await byTestId(page, 'authoring-lesson').filter({ hasText: '第一课 方针' }).click();
      await byTestId(page, 'lesson-revision').first().waitFor();
      assert.equal(await byTestId(page, 'lesson-revision').count(), 1);
      const row = await byTestId(page, 'lesson-revision').textContent();
      assert.match(row, /第 1 版 · 第一课 方针/);
      assert.match(row, /审核 /);
      await byTestId(page, 'lesson-revision-open').click();
      await byTestId(page, 'lesson-revision-html').locator('h2', { hasText: '方针' }).waitFor();
      assert.equal(await byTestId(page, 'lesson-revision-html').locator('strong').textContent(), '正文');
    });
  });

  test('a regulator writes, previews, publishes and pins an announcement; a visitor sees it on the home page', async () => {
    const title = `年度培训计划公告 ${Date.now()}`;
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      await byTestId(page, 'authoring-course').first().waitFor();
      await page.getByRole('tab', { name: '公告管理' }).click();
      await byTestId(page, 'ann-row').first().waitFor();
      await byTestId(page, 'ann-new').click();
      await byTestId(page, 'ann-title').fill(title);
      await byTestId(page, 'ann-markdown').fill('请各单位**按时**报名。\n\n<script>window.pwned = 1</script>');
      await byTestId(page, 'ann-preview').click();
      await byTestId(page, 'ann-preview-html').locator('strong', { hasText: '按时' }).waitFor();
      assert.doesNotMatch(await byTestId(page, 'ann-preview-html').innerHTML(), /<script/);
      await byTestId(page, 'ann-pinned').check();
      await byTestId(page, 'ann-save').click();
      await byTestId(page, 'ann-message').filter({ hasText: '公告已保存' }).waitFor();
      await byTestId(page, 'ann-row').filter({ hasText: title }).filter({ hasText: '草稿' }).waitFor();
      // an edit not yet saved is saved by publishing
      await byTestId(page, 'ann-markdown').fill('请各单位**按时**报名（已更新）。\n\n<script>window.pwned = 1</script>');
      await byTestId(page, 'ann-publish').click();
      await byTestId(page, 'ann-status').filter({ hasText: '已发布' }).waitFor();
      await byTestId(page, 'ann-row').filter({ hasText: title }).filter({ hasText: '已发布' }).waitFor();
    });
    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'announcement').first().waitFor();
      const first = byTestId(page, 'announcement').first(); // pinned first
      assert.match(await first.textContent(), new RegExp(title));
      assert.equal(await first.locator('strong').textContent(), '按时');
      assert.match(await first.textContent(), /已更新/);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
    });
    // archived, it leaves the home page
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      await page.getByRole('tab', { name: '公告管理' }).click();
      await byTestId(page, 'ann-open').filter({ hasText: title }).click();
      await byTestId(page, 'ann-archive').click();
      await byTestId(page, 'ann-status').filter({ hasText: '已归档' }).waitFor();
      assert.equal(await byTestId(page, 'ann-save').isDisabled(), true);
      await page.goto('/');
      await byTestId(page, 'announcement').first().waitFor();
      assert.doesNotMatch(await byTestId(page, 'announcements').textContent(), new RegExp(title));
    });
  });
});
