// Browser tests of the web UI (web/dist) served by the real `guanbiao` binary with the seeded
// demo database, driven by playwright-core in Debian's chromium. Run from the repository root
// after `npm run build` in web/ and building the server:  node --test tests/e2e/
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { demoLogins, demoPassword } from '../lib/platform.mjs';
import { useBrowser, byTestId, signIn, signInTo, dist, phoneContext, assertFitsPhone } from './lib/browser.mjs';

// Chromium logs every 4xx answer to fetch as a console error; these are answers the UI expects
// and handles (public session check, wrong password, wrong current password, rate limit).
const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|403|429)\b/ });
const users = {}; // login -> user object as the API returns it

/** The error message the server gives for a wrong password, in a language. */
async function wrongPasswordMessage(login, lang) {
  const r = await client({ lang }).signIn(login, 'definitely-not-the-password');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'invalid_credentials');
  return r.body.error.message;
}

const regionText = (region) => (!region || region === '000000' ? '全国' : region);

describe('web UI', () => {
  before(async () => {
    for (const login of demoLogins) {
      const r = await client().signIn(login);
      assert.equal(r.status, 200, `demo login ${login} works through the API`);
      users[login] = r.body.user;
    }
  });

  for (const login of demoLogins) {
    test(`${login} signs in through the form, sees the role's home, keeps it on reload, signs out`, async () => {
      const user = users[login];
      await withPage(async ({ page }) => {
        await signInTo(page, login, `home-${user.role}`);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal((await byTestId(page, 'user-name').textContent()).trim(), user.name);
        if (user.organisation?.name) {
          assert.ok((await byTestId(page, 'organisation').textContent()).includes(user.organisation.name));
        }
        if (user.role === 'regulator') {
          assert.ok((await byTestId(page, 'region').textContent()).includes(regionText(user.region)));
        }

        await page.reload(); // the session is restored from the cookie
        await byTestId(page, `home-${user.role}`).waitFor();
        assert.equal((await byTestId(page, 'user-name').textContent()).trim(), user.name);

        await byTestId(page, 'signout').click();
        await byTestId(page, 'home-public').waitFor();
        assert.equal(await byTestId(page, 'user-name').count(), 0);
        await byTestId(page, 'signin-link').waitFor();

        await page.reload(); // signed out on the server too
        await byTestId(page, 'home-public').waitFor();
      });
    });
  }

  test('the sign-in form checks its fields and shows the server message for a wrong password', async () => {
    const expected = await wrongPasswordMessage('enterprise', 'zh-CN');
    await withPage(async ({ page }) => {
      await page.goto('/login');
      await byTestId(page, 'login-submit').click();
      await page.locator('.el-form-item__error').nth(1).waitFor(); // both fields required
      assert.equal(await page.locator('.el-form-item__error').count(), 2);

      await signIn(page, 'enterprise', 'definitely-not-the-password');
      const error = byTestId(page, 'login-error');
      await error.waitFor();
      assert.ok((await error.textContent()).includes(expected), `shows "${expected}"`);
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await byTestId(page, 'user-name').count(), 0);
    });
  });

  test('too many failed sign-ins: the server message is shown and the button waits', async () => {
    const login = 'e2e-no-such-user'; // failures count per login even when it does not exist
    const api = client({ lang: 'zh-CN' });
    // The waits grow with each failure past the first five (2 s, 4 s, 8 s, …): fail until the
    // wait is long enough for the page below to meet it too.
    let r;
    for (let i = 0; i < 20; i += 1) {
      r = await api.signIn(login, 'definitely-not-the-password');
      if (r.status !== 429) continue;
      const wait = Number(r.headers.get('retry-after'));
      if (wait >= 8) break;
      await new Promise((ok) => setTimeout(ok, wait * 1000));
    }
    assert.equal(r.status, 429, 'the server throttles repeated failures');
    assert.equal(r.body.error.code, 'too_many_attempts');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    // The message may name the seconds left, which tick on: compare it with digits as a pattern.
    const escaped = r.body.error.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
    await withPage(async ({ page }) => {
      await page.goto('/login');
      await signIn(page, login, 'definitely-not-the-password');
      await byTestId(page, 'login-error').waitFor();
      assert.match(await byTestId(page, 'login-error').textContent(), new RegExp(escaped));
      assert.ok(await byTestId(page, 'login-submit').isDisabled(), 'the button waits for Retry-After');
    });
  });

  test('switching to English changes the UI, is remembered, and server messages follow', async () => {
    const expected = await wrongPasswordMessage('body', 'en');
    await withPage(async ({ page }) => {
      await page.goto('/');
      const heading = page.locator('[data-testid="home-public"] h1');
      assert.equal((await heading.textContent()).trim(), '贯标认证公共服务平台');
      assert.equal((await byTestId(page, 'signin-link').textContent()).trim(), '登录');

      await byTestId(page, 'lang-switch').click();
      await page.getByRole('heading', { name: 'Guanbiao certification public service platform' }).waitFor();
      assert.equal((await byTestId(page, 'signin-link').textContent()).trim(), 'Sign in');
      assert.equal(await page.evaluate(() => localStorage.getItem('guanbiao.lang')), 'en');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

      await page.reload();
      await page.getByRole('heading', { name: 'Guanbiao certification public service platform' }).waitFor();

      await byTestId(page, 'signin-link').click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await signIn(page, 'body', 'definitely-not-the-password');
      await byTestId(page, 'login-error').waitFor();
      assert.ok((await byTestId(page, 'login-error').textContent()).includes(expected), `shows "${expected}"`);

      await byTestId(page, 'lang-switch').click();
      await page.getByRole('heading', { name: '登录' }).waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('guanbiao.lang')), 'zh-CN');
    });
  });

  test('on a 375px-wide screen the navigation is a menu, and sign-in and sign-out work through it', async () => {
    const user = users['regulator-gd'];
    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'home-public').waitFor();
      assert.equal(await page.locator('.app-header .nav').count(), 0, 'the header navigation is collapsed');
      await assertFitsPhone(page);

      await byTestId(page, 'menu-button').click();
      await byTestId(page, 'signin-link').click();
      await byTestId(page, 'login-input').waitFor();
      await signIn(page, 'regulator-gd');
      await byTestId(page, 'home-regulator').waitFor();
      assert.equal(await byTestId(page, 'user-name').count(), 0, 'the name is inside the closed menu');

      await byTestId(page, 'menu-button').click();
      await byTestId(page, 'user-name').waitFor();
      assert.equal((await byTestId(page, 'user-name').textContent()).trim(), user.name);
      await byTestId(page, 'signout').click();
      await byTestId(page, 'home-public').waitFor();

      await byTestId(page, 'menu-button').click();
      await byTestId(page, 'signin-link').waitFor();
      assert.equal(await byTestId(page, 'user-name').count(), 0);
    }, phoneContext);
  });

  // Every link and button of the header is wholly on screen and inside its bar (none scrolled
  // away or clipped), for the role with the longest name and the most work, in both languages,
  // on a laptop and a small desktop.
  test('on 1024px and 1280px screens every header link is wholly visible, in Chinese and in English', async () => {
    /** The header's links and buttons that stick out of the window or out of their own bar. */
    const hidden = (page) => page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('.app-header a, .app-header button, .app-header input')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue; // not shown at this width
        const bar = el.closest('.nav, .workbar, .topbar').getBoundingClientRect();
        if (r.left < -0.5 || r.right > window.innerWidth + 0.5 || r.left < bar.left - 0.5 || r.right > bar.right + 0.5
            || r.top < bar.top - 0.5 || r.bottom > bar.bottom + 0.5) {
          out.push(`${el.textContent.trim() || el.getAttribute('aria-label') || el.tagName} at ${Math.round(r.left)}–${Math.round(r.right)}`);
        }
      }
      const nav = document.querySelector('.app-header .nav');
      if (nav && nav.scrollWidth > nav.clientWidth + 1) out.push(`the site's links scroll (${nav.scrollWidth} > ${nav.clientWidth})`);
      return out;
    });
    for (const width of [1024, 1280]) {
      for (const login of ['regulator', 'admin', 'enterprise', 'body', null]) {
        await withPage(async ({ page }) => {
          if (login) await signInTo(page, login, `home-${users[login].role}`);
          else { await page.goto('/'); await byTestId(page, 'home-public').waitFor(); }
          assert.deepEqual(await hidden(page), [], `${login || 'a visitor'} at ${width}px, Chinese`);
          await byTestId(page, 'lang-switch').click();
          await page.waitForFunction(() => document.documentElement.lang === 'en');
          assert.deepEqual(await hidden(page), [], `${login || 'a visitor'} at ${width}px, English`);
        }, { viewport: { width, height: 800 } });
      }
    }
  });

  test('the password page needs sign-in, shows server field errors, and changes the password', async () => {
    const newPassword = 'a-brand-new-password-2024';
    const api = client({ lang: 'zh-CN' });
    assert.equal((await api.signIn('admin')).status, 200);
    const wrong = await api.request('PUT', '/api/session/password', { json: { current_password: 'definitely-not-the-password', new_password: newPassword } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.field, 'current_password');
    await withPage(async ({ page }) => {
      await page.goto('/account/password');
      await byTestId(page, 'login-input').waitFor();
      const asked = new URL(page.url());
      assert.equal(asked.pathname, '/login');
      assert.equal(asked.searchParams.get('redirect'), '/account/password');
      await signIn(page, 'admin');
      await byTestId(page, 'password-page').waitFor();
      assert.equal(new URL(page.url()).pathname, '/account/password');

      // Wrong current password: the server's message appears beside that field.
      await byTestId(page, 'current-password-input').fill('definitely-not-the-password');
      await byTestId(page, 'new-password-input').fill(newPassword);
      await byTestId(page, 'repeat-password-input').fill(newPassword);
      await byTestId(page, 'password-submit').click();
      const currentItem = page.locator('.el-form-item', { has: page.locator('[data-testid="current-password-input"]') });
      await currentItem.locator('.el-form-item__error').waitFor();
      assert.equal((await currentItem.locator('.el-form-item__error').textContent()).trim(), wrong.body.error.message);

      // Change it, then change it back so the demo password stays as it was.
      for (const [from, to] of [[demoPassword, newPassword], [newPassword, demoPassword]]) {
        await byTestId(page, 'current-password-input').fill(from);
        await byTestId(page, 'new-password-input').fill(to);
        await byTestId(page, 'repeat-password-input').fill(to);
        await byTestId(page, 'password-submit').click();
        await byTestId(page, 'password-done').waitFor();
      }
    });
    const r = await client().signIn('admin');
    assert.equal(r.status, 200, 'the demo password works again');
  });

  test('an unknown path shows the not-found page', async () => {
    await withPage(async ({ page }) => {
      const res = await page.goto('/no-such-page/here');
      assert.equal(res.status(), 200, 'the server answers unknown paths with index.html');
      await byTestId(page, 'not-found').waitFor();
      await page.getByRole('link', { name: '返回首页' }).click();
      await byTestId(page, 'home-public').waitFor();
    });
  });

  test('the sign-in page needs under 300 kB of gzipped JavaScript', async (t) => {
    await withPage(async ({ page }) => {
      const scripts = new Set();
      const encodings = new Set();
      page.on('response', (res) => {
        if (res.request().resourceType() !== 'script') return;
        scripts.add(new URL(res.url()).pathname);
        encodings.add(res.headers()['content-encoding'] || 'identity');
      });
      await page.goto('/login', { waitUntil: 'networkidle' });
      await byTestId(page, 'login-input').waitFor();
      let total = 0;
      for (const path of scripts) {
        assert.match(path, /^\/assets\/[\w.-]+\.js$/, 'scripts come from /assets/ with hashed names');
        const gz = join(dist, path + '.gz');
        assert.ok(existsSync(gz), `${path}.gz exists`);
        total += statSync(gz).size;
      }
      t.diagnostic(`sign-in page: ${scripts.size} scripts, ${(total / 1000).toFixed(1)} kB gzipped; served as ${[...encodings].join(', ')}`);
      assert.ok(scripts.size > 0);
      assert.ok(total < 300_000, `sign-in page loads ${total} bytes of gzipped JavaScript`);
    });
  });
});
