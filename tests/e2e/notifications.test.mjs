// Browser test of notifications: an enterprise whose certificate is suspended sees the unread
// count on the bell in the header, opens its inbox, clicks the notification, lands on the
// certificate, and the count goes down; the settings page keeps an email address and the daily
// digest switch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo, phoneContext } from './lib/browser.mjs';

const DEMO_CERT = '84025IP021017R0M';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404)\b/ });

/** The number the bell's badge shows (0 when hidden). */
async function badge(page) {
  const sup = byTestId(page, 'bell-badge').locator('sup');
  if (!(await sup.isVisible())) return 0;
  return Number(await sup.innerText());
}

describe('notifications in the browser', () => {
  test('a suspended certificate: the badge, the inbox, the record, the badge goes down', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const before = (await ent.request('GET', '/api/notifications/unread')).body.count;
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const r = await body.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'suspended', reason: '监督审核发现问题' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.waitForFunction((n) => document.querySelector('[data-testid="bell-badge"] sup')?.textContent.trim() === String(n), before + 1);
      assert.equal(await badge(page), before + 1);
      assert.match(await byTestId(page, 'bell').getAttribute('aria-label'), new RegExp(`${before + 1} 条未读`));
      await byTestId(page, 'bell').click();
      const item = byTestId(page, 'inbox-item-unread').filter({ hasText: `证书 ${DEMO_CERT} 的状态已变更为“暂停”` }).first();
      await item.waitFor();
      await item.click();
      await page.waitForURL(`**/certificates/${DEMO_CERT}`);
      await byTestId(page, 'cert-history').first().waitFor();
      await page.waitForFunction((n) => (document.querySelector('[data-testid="bell-badge"] sup')?.textContent.trim() ?? '') === String(n), before);
      assert.equal(await badge(page), before);
      // back in the inbox it reads as read; "mark all read" empties the badge
      await page.goto('/notifications');
      await byTestId(page, 'inbox-item').filter({ hasText: DEMO_CERT }).first().waitFor();
      await byTestId(page, 'inbox-read-all').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="bell-badge"] sup:not([style*="display: none"])'));
      assert.equal(await badge(page), 0);
    });
    assert.equal((await ent.request('GET', '/api/notifications/unread')).body.count, 0);
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    assert.equal((await admin.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'valid' } })).status, 200);
  });

  test('the settings page saves an email address, a channel and the digest; a wrong address is refused beside the field', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto('/account/notifications');
      const input = byTestId(page, 'settings-email');
      await input.fill('nope');
      await byTestId(page, 'settings-save').click();
      await byTestId(page, 'field-error-email').waitFor();
      await input.fill('audit@body.example.cn');
      await byTestId(page, 'pref-certificate_expiring').locator('.el-switch').last().click();
      await byTestId(page, 'settings-digest').click();
      await byTestId(page, 'settings-save').click();
      await byTestId(page, 'settings-saved').waitFor();
    });
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const p = (await body.request('GET', '/api/notifications/preferences')).body;
    assert.equal(p.email, 'audit@body.example.cn');
    assert.equal(p.digest, true);
    assert.deepEqual(p.types.find((x) => x.type === 'certificate_expiring'), { type: 'certificate_expiring', inbox: true, email: false });
  });

  test('on a phone the bell sits beside the menu button', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await byTestId(page, 'bell').click();
      await byTestId(page, 'inbox-page').waitFor();
    }, phoneContext);
  });
});
