// Browser test of the certificate lifecycle (docs/registry.md "Lifecycle") against the real
// binary with the seeded demo: the demo body records a surveillance audit on one of its
// certificates (a suspension without a reason is refused beside the field), the history shows
// it and verification its next due date; it renews a certificate in its last year and lands on
// the new one, which names the one it renews; the Guangdong regulator's "surveillance due" page
// lists the overdue certificates of its region.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|409)\b/ });

const today = () => new Date().toISOString().slice(0, 10);

/** Types a date into an Element Plus date picker (its data-testid is on the input or around it). */
async function typeDate(page, testid, date) {
  const picker = page.locator(`[data-testid="${testid}"]`).first();
  const input = (await picker.evaluate((el) => el.tagName)) === 'INPUT' ? picker : picker.locator('input').first();
  await input.fill(date);
  await input.press('Enter');
}

describe('the certificate lifecycle in the web UI', () => {
  test('the body records a surveillance audit and renews a certificate', async () => {
    const body = client();
    const signed = await body.signIn('body');
    assert.equal(signed.status, 200);
    const due = await body.request('GET', '/api/certificates/surveillance?per_page=100');
    assert.equal(due.status, 200, JSON.stringify(due.body));
    const open = due.body.items.find((c) => c.status === 'valid' && c.surveillances_done === 0);
    assert.ok(open, 'the demo body has a certificate with its first surveillance to record');
    // one in its last year, not yet renewed, in the usual number pattern
    const year = new Date(Date.now() + 300 * 86400000).toISOString().slice(0, 10);
    const list = await body.request('GET', '/api/certificates?status=valid&sort=expires&per_page=100');
    const renewable = list.body.items.find((c) => c.expires > today() && c.expires < year && !c.renewed_by
      && /^\d{5}IP\d+R\d+[A-Z]$/.test(c.number) && c.number !== open.number);
    assert.ok(renewable, 'the demo body has a certificate in its last year');

    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'certificate-page', `/login?redirect=${encodeURIComponent(`/certificates/${open.number}`)}`);
      await byTestId(page, 'surveillance-form').waitFor();
      await typeDate(page, 'surveillance-date', today());
      await page.locator('[data-testid="surveillance-suspended"]').click();
      await byTestId(page, 'surveillance-submit').click();
      await byTestId(page, 'field-error-reason').waitFor();            // a suspension needs a reason
      await page.locator('[data-testid="surveillance-maintained"]').click();
      await byTestId(page, 'surveillance-submit').click();
      await byTestId(page, 'cert-history-item').filter({ hasText: '第 1 次监督审核' }).waitFor();
      await byTestId(page, 'cert-history-item').filter({ hasText: '监督审核：保持认证资格' }).waitFor();
      assert.match(await byTestId(page, 'surveillance-form').innerText(), /第 2 次监督审核/);
    });
    const after = await client().request('GET', `/api/certificates/${open.number}`);
    assert.equal(after.body.surveillances_done, 1);
    assert.equal(after.body.status, 'valid');

    await withPage(async ({ page }) => {
      await page.goto(`/verify?q=${encodeURIComponent(open.number)}`);
      await byTestId(page, 'verify-result').waitFor();
      assert.equal((await byTestId(page, 'cert-surveillance-due').innerText()).trim(), after.body.surveillance_due);
    });

    const next = renewable.number.replace(/R(\d+)([A-Z])$/, (_, n, size) => `R${Number(n) + 1}${size}`);
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'certificate-page', `/login?redirect=${encodeURIComponent(`/certificates/${renewable.number}`)}`);
      await byTestId(page, 'renewal-submit').click();
      await page.waitForURL((u) => u.pathname === `/certificates/${next}`);
      await byTestId(page, 'cert-previous').filter({ hasText: renewable.number }).waitFor();
      assert.equal((await byTestId(page, 'cert-number').innerText()).trim(), next);
    });
    const old = await client().request('GET', `/api/certificates/${renewable.number}`);
    assert.equal(old.body.renewed_by, next);
  });

  test('the regulator lists the overdue surveillance of its region', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.getByRole('link', { name: '监督审核到期', exact: true }).first().click();
      await byTestId(page, 'surveillance-page').waitFor();
      await byTestId(page, 'surveillance-row').first().waitFor();
      const rows = await byTestId(page, 'surveillance-row').count();
      assert.ok(rows > 0);
      const late = await page.locator('[data-testid="surveillance-row"] .late').count();
      assert.ok(late > 0, 'the overdue ones show their days overdue');
    });
  });
});
