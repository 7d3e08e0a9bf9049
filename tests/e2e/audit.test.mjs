// Browser test of the audit log page (/audit, docs/audit.md) against the real binary with the
// seeded demo: an admin suspends a certificate through the API, then finds the change on the page
// by its number, as a field-by-field difference (status valid → suspended, the reason); the
// navigation offers the page to admins and regulators only; a regional regulator's page holds
// only its region's entries. Run from the repository root after building the server and the UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|403|404)\b/ });

describe('audit log page', () => {
  test('an admin finds a status change as a field-by-field difference', async () => {
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const cert = (await admin.request('GET', '/api/certificates?status=valid&per_page=1')).body.items[0];
    const r = await admin.request('POST', `/api/certificates/${encodeURIComponent(cert.number)}/status`,
      { json: { status: 'suspended', reason: '浏览器测试暂停' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));

    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.locator('nav a[href="/audit"]').first().click();
      await byTestId(page, 'audit-page').waitFor();
      await byTestId(page, 'audit-filter-q').fill(cert.number);
      await byTestId(page, 'audit-search').click();
      await page.waitForURL(/q=/);
      // the filtered list has replaced the first one when every row names the certificate
      await page.waitForFunction((n) => {
        const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return rows.length > 0 && rows.every((r) => r.innerText.includes(n));
      }, cert.number);
      const newest = byTestId(page, 'audit-row').first();
      assert.equal(await newest.locator('[data-action]').getAttribute('data-action'), 'certificate.status');
      assert.match(await newest.innerText(), /admin/);
      const status = newest.locator('[data-testid="audit-diff-row"][data-field="status"]');
      assert.equal(await status.locator('del').innerText(), 'valid');
      assert.equal(await status.locator('ins').innerText(), 'suspended');
      const reason = newest.locator('[data-testid="audit-diff-row"][data-field="reason"]');
      assert.equal(await reason.locator('ins').innerText(), '浏览器测试暂停');
    });
  });

  test('only admins and regulators have it; a regional regulator sees its region', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      assert.equal(await page.locator('nav a[href="/audit"]').count(), 0);
      await page.goto('/audit');
      await byTestId(page, 'forbidden').waitFor();
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto('/audit?entity=enterprise');
      await byTestId(page, 'audit-row').first().waitFor();
      const gd = client();
      assert.equal((await gd.signIn('regulator-gd')).status, 200);
      const items = (await gd.request('GET', '/api/audit?entity=enterprise&per_page=20')).body.items;
      for (const e of items) assert.match(e.region, /^44/);
      assert.equal(await byTestId(page, 'audit-row').count(), items.length);
    });
  });
});
