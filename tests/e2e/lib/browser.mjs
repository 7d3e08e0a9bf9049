// What the browser tests share: the real server and Debian's chromium (playwright-core from
// web/node_modules) for a describe() block, a fresh page per check that fails on console
// errors, test ids, and signing in through the form.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, demoPassword, Client, root } from '../../lib/platform.mjs';

const require = createRequire(join(root, 'web/package.json'));
const { chromium } = require('playwright-core');

export const dist = join(root, 'web/dist');
export const phone = { width: 375, height: 740 };
/** Context options of a 375px-wide phone. */
export const phoneContext = { viewport: phone, isMobile: true, hasTouch: true };

/**
 * Call inside describe(): before() checks web/dist, starts the server (seeded demo) and
 * chromium; after() stops both. `expectedConsole` matches the console errors the pages may log
 * (chromium logs every 4xx answer to fetch as one; the UI expects and handles those). Returns
 * { server, withPage, client }: `server` once started; withPage(fn, contextOptions) runs
 * fn({page, context}) in a fresh browser context (no cookies, no storage), then fails the test on
 * any other console error or uncaught page error (CSP violations appear there);
 * client(options) is an API Client of the server.
 */
export function useBrowser({ expectedConsole }) {
  let browser;
  const env = {
    server: null,
    client: (options) => new Client(env.server.url, options),
    async withPage(fn, contextOptions = {}) {
      const context = await browser.newContext({ baseURL: env.server.url, ...contextOptions });
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error' && !expectedConsole.test(m.text())) errors.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      try {
        await fn({ page, context });
      } finally {
        await context.close();
      }
      assert.deepEqual(errors, [], 'no console errors');
    },
  };

  before(async () => {
    assert.ok(existsSync(join(dist, 'index.html')), 'web/dist is missing: run `npm ci && npm run build` in web/');
    // the pages as built now (web/dist), not as embedded when the binary was built
    env.server = await startServer({ extraArgs: ['--web', dist] });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await env.server?.stop();
  });

  return env;
}

/** The visible elements with a data-testid. */
export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]:visible`);

/** Signs in through the form of the sign-in page shown. */
export async function signIn(page, login, password = demoPassword) {
  await byTestId(page, 'login-input').fill(login);
  await byTestId(page, 'password-input').fill(password);
  await byTestId(page, 'login-submit').click();
}

/**
 * Opens the sign-in page (`path`: /login, perhaps with ?redirect=), signs in as `login` with the
 * demo password and waits for the element with test id `then` of the page it leads to.
 */
export async function signInTo(page, login, then, path = '/login') {
  await page.goto(path);
  await signIn(page, login);
  await byTestId(page, then).waitFor();
}

/** Fails unless the page fits the phone's width (no horizontal scrolling); `what` names it. */
export async function assertFitsPhone(page, what = '') {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= phone.width, `${what ? `${what}: ` : ''}no horizontal scrolling (page is ${width}px wide)`);
}
