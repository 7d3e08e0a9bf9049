// Browser test of the self-assessment (docs/compliance.md "Self-assessment") against the real
// `guanbiao` binary with the seeded demo: an enterprise starts a 2023 self-assessment, assesses
// every clause of chapter 4 (one partly: a gap), uploads evidence to a clause and sees it listed,
// reads a clause's history, and sees the chapter's progress and the gap.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404|409|415)\b/ });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% e2e evidence\n', 'latin1');

/** Picks `label` in the Element Plus select inside `scope`. */
async function choose(page, scope, testid, label) {
  await scope.locator(`[data-testid="${testid}"]`).click();
  const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${label}$`) }).last();
  await option.waitFor();
  await page.evaluate(() => Promise.all(document.getAnimations().map((x) => x.finished.catch(() => {}))));
  await option.click();
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' });
}

describe('self-assessment in the web UI', () => {
  test('an enterprise assesses chapter 4, uploads evidence and sees progress, history and the gap', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto('/self-assessments');
      await byTestId(page, 'sa-title').fill('e2e 自评');
      await byTestId(page, 'sa-start').click();
      await byTestId(page, 'sa-clause').first().waitFor();
      const clause = (n) => page.locator(`[data-clause="${n}"]`);
      const plan = { '4.1': '符合', '4.2': '部分符合', '4.3': '符合', '4.4': '不适用', '4.5': '符合' };
      for (const [n, label] of Object.entries(plan)) {
        await choose(page, clause(n), 'sa-item-status', label);
        await clause(n).locator('[data-testid="sa-item-owner"]').fill('知识产权部');
        await clause(n).locator('[data-testid="sa-item-notes"]').fill(`${n} 的说明`);
        await clause(n).locator('[data-testid="sa-item-save"]').click();
        await clause(n).locator('[data-testid="sa-item-history"]').waitFor();
      }
      const chapter4 = byTestId(page, 'sa-chapter').first();
      await chapter4.getByText('已评 5 / 5').waitFor();
      assert.match(await byTestId(page, 'sa-progress').innerText(), /已评 5 \/ 25/);

      // evidence on 4.1, listed under it
      await clause('4.1').locator('[data-testid="sa-evidence-4.1-input"]').setInputFiles(
        { name: '方针.pdf', mimeType: 'application/pdf', buffer: PDF });
      await clause('4.1').locator('[data-testid="sa-evidence-link"]').filter({ hasText: '方针.pdf' }).waitFor();

      // a change of 4.2 shows in its history
      await choose(page, clause('4.2'), 'sa-item-status', '符合');
      await clause('4.2').locator('[data-testid="sa-item-save"]').click();
      await clause('4.2').locator('[data-testid="sa-item-history"]').click();
      const history = clause('4.2').locator('[data-testid="sa-history"] li');
      await history.nth(1).waitFor();
      assert.match(await history.nth(0).innerText(), /部分符合 → 符合/);
      assert.match(await history.nth(1).innerText(), /未评价 → 部分符合/);

      // 4.2 is no longer a gap; none remain
      await page.getByRole('tab', { name: /差距/ }).click();
      await byTestId(page, 'sa-gaps').getByText('没有部分符合或不符合的条款').waitFor();
    });
  });
});
