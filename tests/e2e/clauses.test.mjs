// The standard as data in the browser (docs/compliance.md), on the seeded demo: a visitor goes
// from the home page to the clauses, sees the 2023 edition by chapter with guidance, evidence
// and the unconfirmed entries marked, and switches to 2013; an admin sees the catalogue versions,
// is told every problem of a bad CSV at once, and imports a good one as the next version.
// Run after building the UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404)\b/ });

describe('clauses pages', () => {
  test('a visitor reads the clauses of both editions', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'home-clauses').click();
      await byTestId(page, 'clauses-item').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/clauses');
      await page.getByRole('heading', { level: 1, name: '标准条款' }).waitFor();
      const chapters = await byTestId(page, 'clauses-chapter').evaluateAll((els) => els.map((e) => e.dataset.number));
      assert.deepEqual(chapters, ['4', '5', '6', '7', '8', '9', '10']);
      const k102 = page.locator('[data-testid="clauses-item"][data-number="10.2"]');
      assert.match(await k102.textContent(), /不合格和纠正措施/);
      assert.match(await k102.textContent(), /纠正措施记录/);
      const k81 = page.locator('[data-testid="clauses-item"][data-number="8.1"]');
      assert.equal(await k81.locator('[data-testid="clauses-provisional"]').count(), 1);
      await page.locator('[data-testid="clauses-edition"] [data-edition="2013"]').click();
      await page.locator('[data-testid="clauses-item"][data-number="4.2.1"]').waitFor();
      const k73 = page.locator('[data-testid="clauses-item"][data-number="7.3"]');
      assert.match(await k73.textContent(), /运用/);
      // the 2023 tags leave with a transition: none stays once it is over
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="clauses-provisional"]').length === 0);
    });
  });

  test('an admin is told every problem of a bad file, then imports a good one', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/admin/clauses');
      await byTestId(page, 'clause-admin-version').first().waitFor();
      const before = await page.locator('[data-testid="clause-admin-version"][data-edition="2013"]').count();
      await page.locator('[data-testid="clause-admin-edition"]').selectOption('2013');
      await byTestId(page, 'clause-admin-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv',
        buffer: Buffer.from('number,title,parent\n4,体系,\n4.1,,4\n5.1,职责,5\n') });
      await byTestId(page, 'clause-admin-submit').click();
      const problems = byTestId(page, 'clause-admin-problems');
      await problems.waitFor();
      assert.match(await problems.textContent(), /line 3\.title/);
      assert.match(await problems.textContent(), /line 4\.parent/);
      await byTestId(page, 'clause-admin-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv',
        buffer: Buffer.from('number,title,parent\n4,体系,\n4.1,总体要求,4\n') });
      await byTestId(page, 'clause-admin-note').fill('浏览器导入');
      await byTestId(page, 'clause-admin-submit').click();
      await byTestId(page, 'clause-admin-done').waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="clause-admin-version"][data-edition="2013"]').length === n,
        before + 1);
    });
  });
});
