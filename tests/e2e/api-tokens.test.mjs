// Browser tests of a body's API tokens and certificate uploads (docs/api.md "API tokens",
// docs/registry.md "Uploads") against the real binary with the seeded demo: the body's staff
// create a token on its page and see it once, the token then works against the API and is
// listed by its prefix only; revoking asks for a confirmation and ends it; an upload from the
// certificate list reports accepted, unchanged and rejected rows with their fields.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|415)\b/ });
const { withPage } = env;

describe('API tokens and uploads in the web UI', () => {
  test('a body creates a token, sees it once, uses it, revokes it', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.getByRole('link', { name: 'API 令牌' }).first().click();
      await byTestId(page, 'api-tokens-table').waitFor();
      await byTestId(page, 'api-token-name').fill('浏览器测试');
      await byTestId(page, 'api-token-create').click();
      const value = byTestId(page, 'api-token-value');
      await value.waitFor();
      const token = await value.inputValue();
      assert.match(token, /^gb_[A-Za-z0-9_-]{43}$/);
      // the list shows its prefix, never the token
      const table = byTestId(page, 'api-tokens-table');
      await table.getByText('浏览器测试').waitFor();
      assert.ok((await table.innerText()).includes(token.slice(0, 10)));
      assert.ok(!(await table.innerText()).includes(token));
      // it works on the certificate routes
      const use = await fetch(env.server.url + '/api/certificates?per_page=1', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(use.status, 200);
      // after a reload it is gone from the page
      await page.reload();
      await byTestId(page, 'api-tokens-table').getByText('浏览器测试').waitFor();
      assert.equal(await byTestId(page, 'api-token-value').count(), 0);
      // revoking asks first
      const row = page.locator('.el-table__row').filter({ hasText: '浏览器测试' });
      await row.locator('[data-testid^="api-token-revoke-"]').click();
      await row.locator('[data-testid^="api-token-confirm-"]').click();
      await row.getByTestId('api-token-revoked').waitFor();
      const after = await fetch(env.server.url + '/api/certificates?per_page=1', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(after.status, 401);
    });
  });

  test('a body uploads certificates from the list page and reads the report', async () => {
    const csv = ['证书编号,统一社会信用代码,认证标准,颁证日期,状态',
      'bad number!,914403001922038216,GB/T 29490-2023,2025-03-01,有效',
      '84125IP0000001R0M,914403001922038216,GB/T 29490-2023,2025-03-01,有效'].join('\n') + '\n';
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto('/certificates');
      await byTestId(page, 'cert-upload-link').click();
      await byTestId(page, 'certificate-upload-page').waitFor();
      await page.locator('[data-testid="cert-upload-input"]').setInputFiles(
        { name: '证书.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await byTestId(page, 'cert-upload-report').waitFor();
      assert.equal(await byTestId(page, 'cert-upload-rejected').innerText(), '2');
      const rejected = await byTestId(page, 'cert-upload-rejected-table').innerText();
      assert.match(rejected, /证书编号/);
      assert.match(rejected, /另一家认证机构/);
    });
  });
});
