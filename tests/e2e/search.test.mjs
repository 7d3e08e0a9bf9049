// The one search box in the browser (issue 11; docs/learning.md "Search"), as a visitor would:
// a body has published a commitment about 内审 (through the API); the visitor types 内审 in the
// top bar's search box, sees the results page with the match highlighted (<mark>), narrows it
// by type, and opens the commitment's page. Full-width input in the page's own box finds the
// same. Run after building the UI.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });

describe('search page', () => {
  let commitmentId;
  before(async () => {
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const r = await body.request('POST', '/api/commitments', {
      json: {
        title: '企业内审员带教服务', edition: 'GB/T 29490-2023', areas: ['acquisition'], stages: ['research'],
        regions: [], industries: [], effectiveness_coverage: ['quality'], effectiveness_method: '陪同企业完成一次内审。',
        man_days_large: 4, man_days_medium: 3, man_days_small: 2, man_days_micro: 1, price_min: 8000, price_max: 12000,
        lead_time_days: 30, response_hours: 24, surveillance_terms: '每年回访。', complaint_channel: '投诉邮箱 ts@example.cn',
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    commitmentId = r.body.id;
  });

  test('a visitor searches 内审 from the top bar, sees it highlighted and opens it', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      const box = page.getByRole('searchbox', { name: '全站搜索' });
      await box.fill('内审');
      await box.press('Enter');
      await byTestId(page, 'search-results').waitFor();
      assert.equal(new URL(page.url()).pathname, '/search');
      assert.equal(new URL(page.url()).searchParams.get('q'), '内审');
      const result = page.locator(`[data-testid="search-result"][data-type="commitment"][data-id="${commitmentId}"]`);
      await result.waitFor();
      assert.equal((await result.locator('.result-title mark').first().textContent()), '内审');
      assert.ok((await result.locator('.snippet mark').count()) >= 1, 'the snippet marks the match');
      assert.equal(await result.locator('.result-title').textContent(), '企业内审员带教服务');
      // no markup but <mark> comes from the server's HTML
      assert.equal(await result.locator('.snippet *:not(mark)').count(), 0);

      // narrowed to commitments, then opened
      await byTestId(page, 'search-type').selectOption('commitment');
      await page.waitForURL(/type=commitment/);
      await result.waitFor();
      const types = await byTestId(page, 'search-result').evaluateAll((lis) => lis.map((li) => li.dataset.type));
      assert.ok(types.length > 0 && types.every((x) => x === 'commitment'), types.join());
      await result.locator('.result-title').click();
      await page.waitForURL(`**/commitments/${commitmentId}`);
    });
  });

  test('full-width input and a word nothing has', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/search?q=' + encodeURIComponent('内审员　带教'));
      await page.locator(`[data-testid="search-result"][data-id="${commitmentId}"]`).waitFor();
      await byTestId(page, 'search-input').fill('ｚｑｘｖ不存在的词');
      await byTestId(page, 'search-input').press('Enter');
      await byTestId(page, 'search-empty').waitFor();
      assert.match(await byTestId(page, 'search-total').textContent(), /共 0 条结果/);
    });
  });
});
