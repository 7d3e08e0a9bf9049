// The background jobs page (/admin/jobs, docs/jobs.md) in the browser, on the seeded demo: an
// administrator reaches it from the navigation, sees the queue's depth and the demo's dead job
// with its error, and retries it: the job is queued again (the API says so) and its row no
// longer offers a retry. Other roles are shown the forbidden page. Run after building the UI.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo, phoneContext, assertFitsPhone } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|403)\b/ });

describe('background jobs page', () => {
  let admin;
  let dead;
  before(async () => {
    admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const r = await admin.request('GET', '/api/jobs?state=dead');
    dead = r.body.items[0];
    assert.ok(dead, 'the demo has a dead job');
  });

  test('an administrator sees the queue and the failure, and retries it', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.getByRole('link', { name: '后台任务' }).first().click();
      await byTestId(page, 'jobs-page').waitFor();
      assert.equal(new URL(page.url()).pathname, '/admin/jobs');
      // the counts show once the page's request has answered ('–' until then)
      await byTestId(page, 'jobs-count-dead').locator('.number', { hasText: /^\d+$/ }).waitFor();
      const counts = (await admin.request('GET', '/api/jobs')).body.counts;
      assert.equal(await byTestId(page, 'jobs-count-dead').locator('.number').textContent(), String(counts.dead));
      assert.equal(await byTestId(page, 'jobs-count-done').locator('.number').textContent(), String(counts.done));
      const row = page.locator(`[data-testid="jobs-failure"][data-id="${dead.id}"]`);
      await row.waitFor();
      assert.equal((await row.locator('[data-testid="jobs-error"]').textContent()).trim(), dead.last_error);
      await row.locator('[data-testid="jobs-retry"]').click();
      await page.locator('.el-message--success').waitFor();
      const after = (await admin.request('GET', '/api/jobs?per_page=100')).body.items.find((j) => j.id === dead.id);
      assert.notEqual(after.state, 'dead', 'the job was retried');
      await row.locator('[data-testid="jobs-retry"]').waitFor({ state: 'detached' });
    });
  });

  test('the page fits a phone, in English', async () => {
    await withPage(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/admin/jobs');
      await byTestId(page, 'jobs-page').waitFor();
      await page.getByRole('heading', { name: 'Background jobs' }).waitFor();
      await assertFitsPhone(page, 'jobs page');
    }, phoneContext);
  });

  test('other roles may not open it', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/admin/jobs');
      await page.waitForURL(/\/forbidden/);
    });
  });
});
