// Learning content in the browser (issue 11, docs/learning.md "Content"), on the seeded demo:
// a visitor goes from the top bar to the catalogue, picks the internal-auditor tab, opens the
// course and reads its lessons (server-rendered HTML, clauses linking to /clauses, next and
// previous); a regulator writes a course and a lesson in the authoring page (Markdown with a
// script that the preview shows inert), submits it; an admin approves it and publishes the
// course; the visitor then reads it. Run after building the UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404|409)\b/ });

describe('learning content', () => {
  test('a visitor reads the internal-auditor course from the catalogue', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'announcement').first().waitFor();
      assert.match(await byTestId(page, 'announcements').textContent(), /学习平台上线/);
      await page.getByRole('link', { name: '学习', exact: true }).first().click();
      await byTestId(page, 'learning-course').first().waitFor();
      await page.getByRole('tab', { name: '内审员培训' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="learning-course"]').length === 1);
      await page.getByRole('link', { name: '内审员培训：知识产权管理体系内部审核' }).click();
      await byTestId(page, 'course-lesson').first().waitFor();
      assert.equal(await byTestId(page, 'course-lesson').count(), 3);
      await page.getByRole('link', { name: '内审方案与审核策划' }).click();
      await page.getByRole('heading', { level: 2, name: '内审的目的' }).waitFor();
      assert.equal(await byTestId(page, 'lesson-prev').count(), 0);
      assert.match(await byTestId(page, 'lesson-clause').first().textContent(), /9\.2 内部审核/);
      await byTestId(page, 'lesson-next').click();
      await page.getByRole('heading', { level: 1, name: '现场审核与抽样' }).waitFor();
      await byTestId(page, 'lesson-prev').waitFor();
      await byTestId(page, 'lesson-clause').first().click();
      await page.waitForURL(/\/clauses\?/);
    });
  });

  test('a regulator writes a lesson, an admin approves it and publishes the course, a visitor reads it', async () => {
    const title = `第10章 改进实践 ${Date.now()}`;
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.getByRole('link', { name: '课程编写' }).first().click();
      await byTestId(page, 'authoring-course').first().waitFor();
      await byTestId(page, 'authoring-new-title').fill(title);
      await byTestId(page, 'authoring-create').click();
      await byTestId(page, 'authoring-new-lesson').click();
      await byTestId(page, 'lesson-title').fill('纠正措施的五个步骤');
      await byTestId(page, 'lesson-markdown').fill('## 五个步骤\n\n先**控制**，再分析原因。\n\n<script>window.pwned = 1</script>');
      await byTestId(page, 'lesson-clauses').fill('10.2');
      await byTestId(page, 'lesson-preview').click();
      await byTestId(page, 'lesson-preview-html').locator('strong', { hasText: '控制' }).waitFor();
      assert.doesNotMatch(await byTestId(page, 'lesson-preview-html').innerHTML(), /<script/);
      await byTestId(page, 'lesson-save').click();
      await byTestId(page, 'authoring-message').filter({ hasText: '已保存' }).waitFor();
      await byTestId(page, 'lesson-submit').click();
      await byTestId(page, 'authoring-message').filter({ hasText: '已提交审核' }).waitFor();
      await byTestId(page, 'course-submit').click();
      await byTestId(page, 'authoring-status').filter({ hasText: '待审核' }).waitFor();
      // the last editor cannot approve their own lesson
      await byTestId(page, 'lesson-approve').click();
      await page.getByRole('alert').filter({ hasText: '不能审核自己' }).waitFor();
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/learning/authoring');
      await byTestId(page, 'authoring-course').filter({ hasText: title }).click();
      await byTestId(page, 'authoring-lesson').first().click();
      await byTestId(page, 'lesson-approve').click();
      await byTestId(page, 'authoring-message').filter({ hasText: '已审核通过并发布' }).waitFor();
      await byTestId(page, 'course-publish').click();
      await byTestId(page, 'authoring-status').filter({ hasText: '已发布' }).waitFor();
    });
    await withPage(async ({ page }) => {
      await page.goto('/learning');
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('link', { name: '纠正措施的五个步骤' }).click();
      await page.getByRole('heading', { level: 2, name: '五个步骤' }).waitFor();
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.match(await byTestId(page, 'lesson-clause').textContent(), /10\.2/);
    });
  });
});
