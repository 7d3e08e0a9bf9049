// Browser walk of the service commitments (docs/marketplace.md), as people use them: a body's
// staff publishes a commitment (an empty form is refused field by field first), then a new
// version with a shorter lead time; the public finds it in the catalogue with a filter, reads
// its page, its history and what changed, and compares it with another commitment (the rows
// that differ are marked); an enterprise sees "request an engagement"; the body withdraws it
// and it leaves the catalogue. Run from the repository root after building server and UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

const TITLE = '浏览器测试 知识产权管理体系认证快捷服务';

/** Sets an el-input-number inside the element with test id `id`. */
async function setNumber(page, id, value) {
  const input = byTestId(page, id).locator('input');
  await input.fill(String(value));
  await input.blur();
}

describe('service commitments in the browser', () => {
  let id;

  test('a body publishes a commitment, then a new version of it', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.getByRole('link', { name: '我的承诺' }).first().click();
      await byTestId(page, 'my-commitment-row').first().waitFor();

      await byTestId(page, 'commitment-new').click();
      await byTestId(page, 'commitment-submit').click();
      await byTestId(page, 'field-error-title').waitFor();           // the form's own rule
      await byTestId(page, 'commitment-input-title').fill(TITLE);
      await byTestId(page, 'commitment-submit').click();
      // the server names every missing field at once
      for (const f of ['areas', 'stages', 'price_min', 'lead_time_days']) await byTestId(page, `field-error-${f}`).waitFor();

      const dialog = byTestId(page, 'commitment-dialog');
      await dialog.getByText('获取', { exact: true }).click();
      await dialog.getByText('研发', { exact: true }).click();
      await dialog.getByText('质量指标', { exact: true }).click();
      await setNumber(page, 'commitment-input-man_days_large', 10);
      await setNumber(page, 'commitment-input-man_days_medium', 7);
      await setNumber(page, 'commitment-input-man_days_small', 4.5);
      await setNumber(page, 'commitment-input-man_days_micro', 2);
      await setNumber(page, 'commitment-input-price_min', 21000);
      await setNumber(page, 'commitment-input-price_max', 33000);
      await setNumber(page, 'commitment-input-lead_time_days', 58);
      await setNumber(page, 'commitment-input-response_hours', 12);
      await byTestId(page, 'commitment-submit').click();
      await page.locator('.el-message--success').first().waitFor();
      const row = page.locator('[data-testid="my-commitment-row"]', { hasText: TITLE });
      await row.waitFor();
      id = Number(await row.getAttribute('data-id'));
      assert.ok(id > 0);

      await row.locator('[data-testid="commitment-version"]').click();
      assert.equal(await byTestId(page, 'commitment-input-title').inputValue(), TITLE);   // from the current content
      await setNumber(page, 'commitment-input-lead_time_days', 40);
      await byTestId(page, 'commitment-input-change-note').fill('决定周期缩短为 40 天');
      await byTestId(page, 'commitment-submit').click();
      await page.locator('.el-message--success', { hasText: '第 2 版' }).waitFor();
      await page.locator(`[data-testid="my-commitment-row"][data-id="${id}"] td`, { hasText: /^2$/ }).waitFor();
    });
  });

  test('the public finds it, reads its history and what changed, and compares it', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/commitments');
      await byTestId(page, 'commitment-card').first().waitFor();
      await byTestId(page, 'commitment-filter-q').fill('浏览器测试');
      await byTestId(page, 'commitment-search').click();
      await page.waitForURL(/q=/);
      await page.locator(`[data-testid="commitment-card"][data-id="${id}"]`).waitFor();
      assert.equal(await byTestId(page, 'commitment-card').count(), 1);
      const card = page.locator(`[data-testid="commitment-card"][data-id="${id}"]`);
      assert.equal(await card.locator('[data-testid="commitment-lead-time"]').innerText(), '40 天');
      assert.equal(await card.locator('[data-testid="commitment-price"]').innerText(), '21,000–33,000 元');

      // a lead time filter that leaves it out
      await page.goto('/commitments?q=浏览器测试&lead_time_max=39');
      await byTestId(page, 'commitment-empty').waitFor();

      await page.goto(`/commitments/${id}`);
      await byTestId(page, 'commitment-diff').waitFor();
      assert.equal(await byTestId(page, 'commitment-title').innerText(), TITLE);
      assert.deepEqual(await page.locator('[data-testid="history-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.version)), ['2', '1']);
      assert.deepEqual(await page.locator('[data-testid="diff-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.field)), ['lead_time_days']);
      assert.match(await page.locator('[data-testid="diff-row"]').innerText(), /58 天\s+40 天/);
      await page.locator('[data-testid="history-row"][data-version="1"] button').click();
      await byTestId(page, 'commitment-showing').waitFor();
      assert.equal(await page.locator('[data-testid="commitment-fields"] [data-field="lead_time_days"]').innerText(), '58 天');
      assert.equal(await byTestId(page, 'commitment-request').count(), 0);     // the public cannot request

      // compare with a seeded commitment: tick both in the catalogue
      const other = (await client().request('GET', '/api/commitments?sort=price&per_page=1')).body.items[0];
      await page.goto('/commitments?sort=lead_time');
      await byTestId(page, 'commitment-card').first().waitFor();
      await page.locator(`[data-testid="commitment-card"][data-id="${id}"] [data-testid="commitment-compare"]`).click();
      await page.goto(`/commitments/compare?ids=${id},${other.id}`);
      await byTestId(page, 'compare-row').first().waitFor();
      const differs = async (field) => page.locator(`[data-testid="compare-row"][data-field="${field}"]`).getAttribute('data-differs');
      assert.equal(await differs('title'), 'true');
      assert.equal(await differs('body'), 'true');
      assert.equal(await differs('lead_time_days'), other.lead_time_days === 40 ? 'false' : 'true');
      assert.equal(await differs('man_days_micro'), other.man_days_micro === 2 ? 'false' : 'true');
      assert.match(await page.locator('[data-testid="compare-row"][data-field="lead_time_days"]').innerText(), /40 天/);
    });
  });

  test('ticking two commitments in the catalogue opens their comparison', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/commitments');
      await byTestId(page, 'commitment-card').nth(2).waitFor();
      const ids = await byTestId(page, 'commitment-card').evaluateAll((cards) => cards.slice(0, 2).map((c) => c.dataset.id));
      await byTestId(page, 'commitment-compare').nth(0).click();
      await byTestId(page, 'commitment-compare').nth(1).click();
      await byTestId(page, 'commitments-compare').click();
      await page.waitForURL(new RegExp(`/commitments/compare\\?ids=${ids[0]}(%2C|,)${ids[1]}$`));
      await byTestId(page, 'compare-table').waitFor();
      assert.deepEqual(await page.locator('thead th[data-id]').evaluateAll((th) => th.map((x) => x.dataset.id)), ids);
    });
  });

  test('an enterprise is offered "request an engagement"; a withdrawn commitment leaves the catalogue', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/commitments/${id}`);
      const request = byTestId(page, 'commitment-request');
      await request.waitFor();
      await request.click();
      await page.waitForURL(new RegExp(`/engagements/new\\?commitment=${id}$`));
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto('/commitments/mine');
      const row = page.locator(`[data-testid="my-commitment-row"][data-id="${id}"]`);
      await row.locator('[data-testid="commitment-withdraw"]').click();
      await page.locator('.el-message-box .el-button--primary').click();
      await page.locator(`[data-testid="my-commitment-row"][data-id="${id}"][data-status="withdrawn"]`).waitFor();
      await page.goto('/commitments?q=浏览器测试');
      await byTestId(page, 'commitment-empty').waitFor();
      await page.goto(`/commitments/${id}`);
      assert.equal(await byTestId(page, 'commitment-status').getAttribute('data-status'), 'withdrawn');
    });
  });
});
