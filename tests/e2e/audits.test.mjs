// Audits in the browser, as people use them (docs/compliance.md "Audits"): the demo enterprise
// plans an internal audit, records a finding per clause, is refused the sign-off until the
// effectiveness check is filled, signs it off and makes a revision; the enterprise reads the
// body's external audit without a way to change it; a management review is recorded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

describe('audits in the browser', () => {
  test('an enterprise plans, finds, signs off and revises an internal audit', async () => {
    const title = `浏览器内审-${Date.now()}`;
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/audits"]:visible').first().click();
      await byTestId(page, 'audit-form').waitFor();
      await byTestId(page, 'audit-title').fill(title);
      await byTestId(page, 'audit-start').fill('2026-09-01');
      await byTestId(page, 'audit-end').fill('2026-09-02');
      await byTestId(page, 'audit-lead').fill('王敏');
      await byTestId(page, 'audit-clauses').fill('7.3, 8.1');
      await byTestId(page, 'audit-submit').click();
      await byTestId(page, 'audit-findings').waitFor();
      assert.equal(await byTestId(page, 'finding-row').count(), 2);
      // sign-off refused while incomplete
      await byTestId(page, 'audit-sign-off').click();
      await byTestId(page, 'audit-error').waitFor();
      assert.match(await byTestId(page, 'audit-error').innerText(), /7\.3/);
      for (const [clause, label] of [['7.3', '一般不符合'], ['8.1', '符合']]) {
        const row = page.locator(`[data-testid="finding-row"][data-clause="${clause}"]`);
        await row.locator('[data-testid="finding-select"]').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${label}$`) }).first().click();
        // the drop-down closes before the next one opens
        await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((e) => e.offsetParent !== null));
        await row.locator('[data-testid="finding-save"]').click();
        await page.locator('.el-alert--success').waitFor();
      }
      await byTestId(page, 'effectiveness-examined').fill('抽查了培训记录');
      await byTestId(page, 'effectiveness-findings').fill('培训覆盖率 95%');
      await byTestId(page, 'effectiveness-save').click();
      await byTestId(page, 'audit-sign-off').click();
      await page.locator('[data-testid="audit-status"]', { hasText: '已签署' }).waitFor();
      // the signed-off audit's report downloads from its page as the signed-in enterprise
      const pdf = await page.request.get(await byTestId(page, 'audit-pdf').getAttribute('href'));
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'], /^application\/pdf/);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
      await byTestId(page, 'audit-revise').click();
      await page.locator('[data-testid="audit-chain"]', { hasText: '更正的版本' }).waitFor();
      await page.locator('[data-testid="audit-status"]', { hasText: '进行中' }).waitFor();
    });
  });

  test('the enterprise reads the body\'s external audit; a management review is recorded', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const external = (await ent.request('GET', '/api/audits?kind=stage2&per_page=1')).body.items[0];
    assert.ok(external, 'the demo has a stage 2 audit');
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/audits/${external.id}`);
      await byTestId(page, 'audit-findings').waitFor();
      assert.equal(await byTestId(page, 'finding-select').count(), 0);
      assert.equal(await byTestId(page, 'audit-sign-off').count(), 0);
      await page.locator('a[href="/management-reviews"]:visible').first().click();
      await byTestId(page, 'management-review-form').waitFor();
      await byTestId(page, 'management-review-date').fill('2026-10-08');
      await byTestId(page, 'management-review-decisions').fill('增加培训预算');
      await byTestId(page, 'management-review-submit').click();
      await page.locator('[data-testid="management-review-row"]', { hasText: '增加培训预算' }).waitFor();
    });
  });
});
