// Browser test of the nonconformity register (docs/compliance.md "Nonconformities") against the
// real binary with the seeded demo: the demo enterprise records a nonconformity (an unknown
// clause is refused), planning it without a root cause is refused, it writes the cause and
// action, plans, implements and verifies it effective, each step appearing in the list of
// steps; the register marks the seeded overdue one and filters to it; the regulator's counts by
// clause show a table and a chart.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|409)\b/ });

describe('nonconformities in the web UI', () => {
  test('the enterprise records one and takes it to effective; the overdue one is marked', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'nc-page', `/login?redirect=${encodeURIComponent('/nonconformities')}`);
      await byTestId(page, 'nc-row').first().waitFor();
      assert.equal(await page.locator('[data-testid="nc-row"][data-overdue="true"]').count(), 1);
      await byTestId(page, 'nc-filter-overdue').click();
      await byTestId(page, 'nc-apply').click();
      await page.waitForURL(/overdue=true/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="nc-row"]').length === 1);
      assert.equal(await page.locator('[data-testid="nc-row"][data-overdue="true"]').count(), 1);

      await page.locator('.raise summary').click();
      await byTestId(page, 'nc-clause').fill('99.9');
      await byTestId(page, 'nc-description').fill('浏览器测试：知识产权培训记录缺失');
      await byTestId(page, 'nc-owner').fill('测试责任人');
      await byTestId(page, 'nc-due').fill('2099-12-31');
      await byTestId(page, 'nc-submit').click();
      await page.getByText('条款 99.9 不在所用条款目录中').waitFor();
      await byTestId(page, 'nc-clause').fill('7.3');
      await byTestId(page, 'nc-submit').click();
      await page.waitForURL(/\/nonconformities\/\d+$/);
      await byTestId(page, 'nc-status').filter({ hasText: '待处理' }).waitFor();

      await byTestId(page, 'nc-to-action_planned').click();
      await byTestId(page, 'nc-advance-submit').click();
      await page.getByText('制定纠正措施前须先填写原因分析和纠正措施').waitFor();
      await byTestId(page, 'nc-root-cause').fill('培训计划未覆盖新员工');
      await byTestId(page, 'nc-action').fill('把知识产权课程纳入入职培训');
      await byTestId(page, 'nc-save').click();
      await page.getByText('已保存').first().waitFor();
      await byTestId(page, 'nc-to-action_planned').click();
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '已制定措施' }).waitFor();
      await byTestId(page, 'nc-to-implemented').click();
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '已实施' }).waitFor();
      await byTestId(page, 'nc-to-effective').click();
      await byTestId(page, 'nc-note').fill('抽查三名新员工的培训记录，均已参加');
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '验证有效' }).waitFor();
      assert.equal(await byTestId(page, 'nc-edit').count(), 0);       // closed: no more edits
      const steps = await byTestId(page, 'nc-events').locator('li').allTextContents();
      assert.equal(steps.length, 4);
      assert.ok(steps[3].includes('抽查三名新员工的培训记录'));
    });
  });

  test('the regulator sees the counts by clause as a table and a chart', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'ncc-page', `/login?redirect=${encodeURIComponent('/nonconformities/by-clause')}`);
      await byTestId(page, 'ncc-row').first().waitFor();
      assert.ok(await byTestId(page, 'ncc-row').count() >= 5);
      await byTestId(page, 'ncc-chart').locator('canvas').waitFor();
      await byTestId(page, 'ncc-edition').getByText('GB/T 29490-2013').click();
      await byTestId(page, 'ncc-apply').click();
      await byTestId(page, 'ncc-empty').waitFor();                     // the demo records the 2023 edition
    });
  });
});
