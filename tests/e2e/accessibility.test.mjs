// Accessibility of every page (GB/T 37668, WCAG 2.1 AA): each page of the public and of each
// demo role, with the forms, menus, drop-downs and field errors that open on it, is checked by
// axe-core (tests/e2e/lib/axe.mjs) in Chinese, the main ones in English too, and a few on a
// 375px-wide phone. A test fails listing every serious or critical violation it found.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo, phoneContext, assertFitsPhone } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';
import { plantEffectiveness } from './lib/effectiveness-fixture.mjs';
import { plantQuizCourse } from './lib/learning-quiz-fixture.mjs';

// Chromium logs every 4xx answer to fetch as a console error; the pages below provoke some on
// purpose (public session check, wrong password, unknown certificate, empty forms).
const browserEnv = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409|415)\b/ });
const { withPage, client } = browserEnv;

const demo = {}; // records of the demo the pages show, found through the API in before()

/** Waits until no finite CSS transition or animation is running (drop-downs, drawers, tags). */
async function settled(page) {
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.getTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => {}))));
}

/**
 * Visits each step in one page and checks it with axe; fails listing every violation found.
 * A step: [name, path or null (stay), test id to wait for, optional action run before the check].
 */
async function checkPages(page, steps) {
  const found = [];
  for (const [name, path, ready, action] of steps) {
    if (path) await page.goto(path);
    await byTestId(page, ready).first().waitFor();
    if (action) await action(page);
    await page.waitForLoadState('networkidle');
    await settled(page);
    found.push(...await axeViolations(page, name));
  }
  assert.deepEqual(found, [], `${found.length} serious or critical accessibility violations:\n${found.join('\n')}`);
}

/** Clicks a button and waits for the field errors of the form's own rules. */
const submitEmpty = (testid) => async (page) => {
  await byTestId(page, testid).click();
  await page.locator('.el-form-item__error').first().waitFor();
};
/** Opens an Element Plus select (its drop-down is teleported to <body>). */
const openDropdown = (selector) => async (page) => {
  await page.locator(selector).first().click();
  await page.locator('.el-select-dropdown:visible').first().waitFor();
};
const english = (page) => page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  before(async () => {
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    demo.cert = (await admin.request('GET', '/api/certificates?status=valid&per_page=1')).body.items[0];
    // one with a surveillance still to record (the list holds only those)
    demo.surveyed = (await admin.request('GET', '/api/certificates/surveillance?per_page=1')).body.items[0];
    demo.body = (await admin.request('GET', '/api/bodies?per_page=1')).body.items[0];
    const gd = client();
    assert.equal((await gd.signIn('regulator-gd')).status, 200);
    demo.pending = (await gd.request('GET', '/api/enterprises?status=pending&per_page=1')).body.items[0];
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    demo.bodyCert = (await body.request('GET', '/api/certificates?status=valid&per_page=1')).body.items[0];
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    demo.entCert = (await ent.request('GET', '/api/certificates?per_page=1')).body.items[0];
    // a certificate of the body whose approval the seed suspended: its verification warns
    const suspended = (await admin.request('GET', '/api/bodies?per_page=100')).body.items
      .find((b) => b.standing.approval.status === 'suspended');
    demo.suspendedCert = suspended && (await admin.request('GET', `/api/certificates?body_id=${suspended.id}&per_page=1`)).body.items[0];
    for (const k of ['cert', 'body', 'pending', 'bodyCert', 'entCert', 'suspendedCert']) assert.ok(demo[k], `the demo has a ${k}`);
  });

  test('public pages, in Chinese', async () => {
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['home', '/', 'home-public'],
        ['verify', '/verify', 'verify-page'],
        ['verify: a certificate', `/verify?q=${encodeURIComponent(demo.cert.number)}`, 'verify-result'],
        ['verify: a holder', `/verify?q=${demo.cert.holder.credit_code}`, 'verify-result'],
        ['verify: a certificate of a suspended body', `/verify?q=${encodeURIComponent(demo.suspendedCert.number)}`, 'cert-body-standing'],
        ['verify: not found', '/verify?q=NO-SUCH-CERT-0000', 'verify-not-found'],
        ['verify: a wrong credit code', '/verify?q=91440300192203821X', 'verify-error'],
        ['verify: bulk', '/verify/bulk', 'bulk-verify-page'],
        ['verify: bulk result', null, 'bulk-verify-text', async (p) => {
          await byTestId(p, 'bulk-verify-text').fill(`${demo.cert.number}\nNO-SUCH-CERT-0000\n${demo.cert.holder.credit_code}`);
          await byTestId(p, 'bulk-verify-submit').click();
          await byTestId(p, 'bulk-verify-table').waitFor();
        }],
        ['verify: bulk malformed', null, 'bulk-verify-text', async (p) => {
          await byTestId(p, 'bulk-verify-text').fill('bad!');
          await byTestId(p, 'bulk-verify-submit').click();
          await byTestId(p, 'bulk-verify-error').waitFor();
        }],
        ['login', '/login', 'login-input'],
        ['login: empty fields', null, 'login-submit', submitEmpty('login-submit')],
        ['login: wrong password', null, 'login-input', async (p) => {
          await byTestId(p, 'login-input').fill('enterprise');
          await byTestId(p, 'password-input').fill('definitely-not-the-password');
          await byTestId(p, 'login-submit').click();
          await byTestId(p, 'login-error').waitFor();
        }],
        ['register', '/register', 'register-page'],
        ['register: empty fields', null, 'reg-submit', submitEmpty('reg-submit')],
        ['register: region picker', null, 'reg-region', async (p) => {
          await openDropdown('[data-testid="reg-region"] [data-level="province"]')(p);
          await p.locator('.el-select-dropdown__item:visible', { hasText: '广东省' }).click();
          await openDropdown('[data-testid="reg-region"] [data-level="prefecture"]:not(:has(.is-disabled))')(p);
        }],
        ['register: industry', '/register', 'reg-industry', openDropdown('[data-testid="reg-industry"] .el-select')],
        ['bodies', '/bodies', 'body-row'],
        ['bodies: region filter', null, 'body-filter-region', openDropdown('[data-testid="body-filter-region"]')],
        ['a body', `/bodies/${demo.body.id}`, 'body-page'],
        ['a body, its ranking', `/bodies/${demo.body.id}`, 'body-ranking-inputs'],
        ['rankings', '/rankings', 'rankings-row'],
        ['clauses', '/clauses', 'clauses-item'],
        // search (issue 11): results with their highlights, and none
        ['search', `/search?q=${encodeURIComponent('专利')}`, 'search-result'],
        ['search: nothing found', `/search?q=${encodeURIComponent('ｚｑｘｖ')}`, 'search-empty'],
        ['not found', '/no-such-page', 'not-found'],
      ]);
    });
  });

  test('public pages, in English', async () => {
    await withPage(async ({ page }) => {
      await english(page);
      await checkPages(page, [
        ['home (en)', '/', 'home-public'],
        ['verify: a certificate (en)', `/verify?q=${encodeURIComponent(demo.cert.number)}`, 'verify-result'],
        ['login: empty fields (en)', '/login', 'login-submit', submitEmpty('login-submit')],
        ['register: empty fields (en)', '/register', 'reg-submit', submitEmpty('reg-submit')],
        ['bodies (en)', '/bodies', 'body-row'],
        ['a body (en)', `/bodies/${demo.body.id}`, 'body-page'],
        ['rankings (en)', '/rankings', 'rankings-row'],
        ['search (en)', `/search?q=${encodeURIComponent('专利')}`, 'search-result'],
        ['clauses (en)', '/clauses', 'clauses-item'],
      ]);
    });
  });

  test('public pages on a phone, with the menu open', async () => {
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['phone: home, menu open', '/', 'home-public', async (p) => {
          await byTestId(p, 'menu-button').click();
          await byTestId(p, 'signin-link').waitFor();
        }],
        ['phone: verify a certificate', `/verify?q=${encodeURIComponent(demo.cert.number)}`, 'verify-result'],
        ['phone: register', '/register', 'register-page'],
        ['phone: rankings', '/rankings', 'rankings-row'],
        ['phone: search', `/search?q=${encodeURIComponent('专利')}`, 'search-result'],
        ['phone: a body, its ranking', `/bodies/${demo.body.id}`, 'body-ranking-inputs'],
        ['phone: bodies, filters open', '/bodies', 'body-row', async (p) => {
          await byTestId(p, 'filters-toggle').click();
          await byTestId(p, 'body-filter-region').waitFor();
        }],
      ]);
    }, phoneContext);
  });

  test('an administrator\'s pages', async () => {
    const cert = `/certificates/${encodeURIComponent(demo.cert.number)}`;
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin: home', null, 'home-admin'],
        ['admin: enterprises', '/enterprises', 'ent-row'],
        ['admin: enterprises, size filter', null, 'ent-filter-size', openDropdown('[data-testid="ent-filter-size"]')],
        ['admin: pending enterprise', `/enterprises/${demo.pending.id}`, 'ent-review'],
        ['admin: enterprise, editing', null, 'ent-edit', async (p) => {
          await byTestId(p, 'ent-edit').click();
          await byTestId(p, 'ent-save').waitFor();
        }],
        ['admin: new enterprise', '/enterprises/new', 'enterprise-new-page'],
        ['admin: new enterprise, empty', null, 'ent-submit', submitEmpty('ent-submit')],
        ['admin: bodies', '/bodies', 'body-row'],
        ['admin: a body, editing', `/bodies/${demo.body.id}`, 'body-edit', async (p) => {
          await byTestId(p, 'body-edit').click();
          await byTestId(p, 'body-save').waitFor();
        }],
        ['admin: a body, its standing form', `/bodies/${demo.body.id}`, 'body-standing-form'],
        ['admin: new body, empty', '/bodies/new', 'body-submit', submitEmpty('body-submit')],
        ['admin: certificates', '/certificates', 'cert-row'],
        ['admin: certificates, status filter', null, 'cert-filter-status', openDropdown('[data-testid="cert-filter-status"]')],
        ['admin: a certificate', cert, 'cert-history'],
        ['admin: a certificate, status without a reason', null, 'cert-status-form', async (p) => {
          await p.locator('[data-testid="cert-to-suspended"]').click();
          await byTestId(p, 'cert-status-submit').click();
          await byTestId(p, 'field-error-reason').waitFor();
        }],
        ['admin: a certificate, editing', cert, 'cert-edit', async (p) => {
          await byTestId(p, 'cert-edit').click();
          await byTestId(p, 'cert-save').waitFor();
        }],
        ['admin: a certificate, surveillance without a date', `/certificates/${encodeURIComponent(demo.surveyed.number)}`, 'surveillance-form', async (p) => {
          await p.locator('[data-testid="surveillance-suspended"]').click();
          await byTestId(p, 'surveillance-submit').click();
          await byTestId(p, 'field-error-audit_date').waitFor();
        }],
        ['admin: surveillance due', '/surveillance', 'surveillance-row'],
        ['admin: new certificate, empty', '/certificates/new', 'cert-submit', submitEmpty('cert-submit')],
        ['admin: audit log', '/audit', 'audit-diff-row'],
        ['admin: audit log, action filter', null, 'audit-filter-action', openDropdown('[data-testid="audit-filter-action"]')],
        ['admin: audit log, a certificate\'s entries', `/audit?q=${encodeURIComponent(demo.cert.number)}`, 'audit-row'],
        ['admin: certificate import', '/certificates/import', 'certificate-import-page'],
        ['admin: certificate import, its report', null, 'certificate-import-page', async (p) => {
          await p.locator('[data-testid="cert-import-input"]').setInputFiles({ name: 'c.csv', mimeType: 'text/csv', buffer: Buffer.from(
            'number,holder_credit_code,body_code,standard,issued\nbad number!,914403001922038216,840,GB/T 29490-2023,2026-03-01\n') });
          await byTestId(p, 'cert-import-rejected-table').waitFor();
        }],
        ['admin: background jobs', '/admin/jobs', 'jobs-failure'],
        ['admin: background jobs, state filter', null, 'jobs-state', openDropdown('[data-testid="jobs-state"]')],
        ['admin: clause catalogues', '/admin/clauses', 'clause-admin-version'],
        ['admin: clause catalogues, an import refused', null, 'clause-admin-page', async (p) => {
          await p.locator('[data-testid="clause-admin-file"]').setInputFiles({ name: 'c.csv', mimeType: 'text/csv',
            buffer: Buffer.from('number,title\n4,体系\n4.1,\n') });
          await byTestId(p, 'clause-admin-submit').click();
          await byTestId(p, 'clause-admin-problems').waitFor();
        }],
        ['admin: password', '/account/password', 'password-page'],
        ['admin: password, empty', null, 'password-submit', submitEmpty('password-submit')],
      ]);
    });
  });

  test('an administrator\'s main pages, in English', async () => {
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin (en): home', null, 'home-admin'],
        ['admin (en): enterprises', '/enterprises', 'ent-row'],
        ['admin (en): pending enterprise', `/enterprises/${demo.pending.id}`, 'ent-review'],
        ['admin (en): certificates', '/certificates', 'cert-row'],
        ['admin (en): audit log', '/audit', 'audit-diff-row'],
        ['admin (en): a certificate', `/certificates/${encodeURIComponent(demo.cert.number)}`, 'cert-history'],
        ['admin (en): new certificate', '/certificates/new', 'certificate-new-page'],
        ['admin (en): certificate import', '/certificates/import', 'certificate-import-page'],
        ['admin (en): upload certificates', '/certificates/upload', 'certificate-upload-page'],
        ['admin (en): an enterprise with its documents', `/enterprises/${demo.pending.id}`, 'ent-files'],
        ['admin (en): background jobs', '/admin/jobs', 'jobs-failure'],
        ['admin (en): surveillance due', '/surveillance', 'surveillance-row'],
      ]);
    });
  });

  test('a regulator\'s pages', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await checkPages(page, [
        ['regulator: home', null, 'pending-approvals'],
        ['regulator: pending enterprises', '/enterprises?status=pending', 'ent-row'],
        ['regulator: a registration to review', `/enterprises/${demo.pending.id}`, 'ent-review'],
        ['regulator: rejecting without a note', null, 'ent-reject', async (p) => {
          await byTestId(p, 'ent-reject').click();
          await byTestId(p, 'field-error-note').waitFor();
        }],
        ['regulator: certificates', '/certificates', 'cert-row'],
        ['regulator: audit log of the region', '/audit', 'audit-diff-row'],
        ['regulator: overdue surveillance of the region', '/surveillance', 'surveillance-row'],
        ['regulator: a certificate', `/certificates/${encodeURIComponent(demo.cert.number)}`, 'certificate-page'],
        ['regulator: not for this role', '/organisation', 'forbidden'],
        ['regulator: indicator import, a value out of the region refused', '/indicators/import', 'indicator-import-page', async (p) => {
          await p.locator('[data-testid="indicator-import-input"]').setInputFiles({ name: 'r.csv', mimeType: 'text/csv', buffer: Buffer.from(
            '统一社会信用代码,年度,发明专利申请量\n000000000000000000,2020,1\n') });
          await byTestId(p, 'indicator-import-rejected-table').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [['national regulator: home', null, 'home-regulator']]);
    });
  });

  test('an enterprise\'s pages', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: home', null, 'home-enterprise'],
        ['enterprise: organisation', '/organisation', 'organisation-page'],
        ['enterprise: organisation, a document uploaded', null, 'ent-files', async (p) => {
          await p.locator('[data-testid="ent-file-upload-input"]').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf',
            buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n') });
          await byTestId(p, 'ent-file-link').first().waitFor();
        }],
        ['enterprise: organisation, a refused file', null, 'ent-files', async (p) => {
          await p.locator('[data-testid="ent-file-upload-input"]').setInputFiles({ name: 'x.pdf', mimeType: 'application/pdf',
            buffer: Buffer.from('<!DOCTYPE html><html><body>x</body></html>') });
          await byTestId(p, 'ent-files-error').waitFor();
        }],
        ['enterprise: organisation, editing', null, 'ent-edit', async (p) => {
          await byTestId(p, 'ent-edit').click();
          await byTestId(p, 'ent-save').waitFor();
        }],
        ['enterprise: certificates', '/certificates', 'cert-row'],
        ['enterprise: a certificate', `/certificates/${encodeURIComponent(demo.entCert.number)}`, 'cert-history'],
        ['enterprise: not for this role', '/enterprises', 'forbidden'],
        ['enterprise: password', '/account/password', 'password-page'],
        ['enterprise: indicator import', '/indicators/import', 'indicator-import-page'],
        ['enterprise: indicator import, its preview', null, 'indicator-import-page', async (p) => {
          await p.locator('[data-testid="indicator-import-input"]').setInputFiles({ name: 'i.csv', mimeType: 'text/csv', buffer: Buffer.from(
            'credit_code,year,indicator,value\n914403001922038216,2020,invention_applications,1\n914403001922038216,2020,nope,1\n') });
          await byTestId(p, 'indicator-import-rejected-table').waitFor();
        }],
        ['enterprise: notifications', '/notifications', 'inbox-item-unread'],
        ['enterprise: notification settings', '/account/notifications', 'settings-save'],
        ['enterprise: notification settings, the daily digest on', null, 'settings-digest', async (p) => {
          await byTestId(p, 'settings-digest').click();
          await p.locator('[data-testid="settings-digest"].is-checked').waitFor();
        }],
        ['enterprise: notification settings, a wrong address', null, 'settings-email', async (p) => {
          await byTestId(p, 'settings-email').fill('not an address');
          await byTestId(p, 'settings-save').click();
          await byTestId(p, 'field-error-email').waitFor();
        }],
      ]);
    });
  });

  test('a certification body\'s pages', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: home', null, 'home-body'],
        ['body: organisation', '/organisation', 'organisation-page'],
        ['body: organisation, editing', null, 'body-edit', async (p) => {
          await byTestId(p, 'body-edit').click();
          await byTestId(p, 'body-save').waitFor();
        }],
        ['body: organisation, regions', null, 'body-regions', openDropdown('[data-testid="body-regions"] .el-select')],
        ['body: organisation, saved', null, 'body-save', async (p) => {
          await p.keyboard.press('Escape');
          await byTestId(p, 'body-contact-phone').fill('010-6000 1234');
          await byTestId(p, 'body-save').click();
          await p.locator('.el-message').first().waitFor();
        }],
        ['body: certificates', '/certificates', 'cert-row'],
        ['body: a certificate, changing its status', `/certificates/${encodeURIComponent(demo.bodyCert.number)}`, 'cert-status-form'],
        ['body: new certificate', '/certificates/new', 'certificate-new-page'],
        ['body: new certificate, empty', null, 'cert-submit', submitEmpty('cert-submit')],
        ['body: new certificate, date picker', null, 'certificate-new-page', async (p) => {
          await p.locator('.el-date-editor input').first().click();
          await p.locator('.el-picker__popper:visible').first().waitFor();
        }],
        ['body: upload certificates', '/certificates/upload', 'certificate-upload-page'],
        ['body: upload certificates, its report', null, 'certificate-upload-page', async (p) => {
          await p.locator('[data-testid="cert-upload-input"]').setInputFiles({ name: 'c.csv', mimeType: 'text/csv', buffer: Buffer.from(
            'Certificate Number,Certified Entity Identifier,Standard,Issue Date\nbad number!,914403001922038216,GB/T 29490-2023,2026-03-01\n') });
          await byTestId(p, 'cert-upload-rejected-table').waitFor();
        }],
        ['body: API tokens', '/organisation/tokens', 'api-tokens-table'],
        ['body: API tokens, empty name', null, 'api-token-create', async (p) => {
          await byTestId(p, 'api-token-create').click();
          await p.locator('.el-form-item__error').first().waitFor();
        }],
        ['body: API tokens, one created and shown once', null, 'api-token-create', async (p) => {
          await byTestId(p, 'api-token-name').fill('无障碍检查');
          await byTestId(p, 'api-token-create').click();
          await byTestId(p, 'api-token-value').waitFor();
        }],
        ['body: API tokens, revoking', null, 'api-tokens-table', async (p) => {
          await p.locator('[data-testid^="api-token-revoke-"]').first().click();
          await p.locator('[data-testid^="api-token-confirm-"]').first().waitFor();
        }],
        ['body: notifications', '/notifications', 'inbox-item-unread'],
        ['body: notifications, unread only (en)', null, 'inbox-unread-only', async (p) => {
          await byTestId(p, 'lang-switch').click();
          await byTestId(p, 'inbox-unread-only').click();
          await byTestId(p, 'inbox-item-unread').first().waitFor();
        }],
      ]);
    });
  });

  // reviews and complaints (docs/marketplace.md "Feedback and complaints")
  test('reviews and complaints: the public policy, each role\'s pages, their forms', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const complaint = (await ent.request('GET', '/api/complaints?per_page=1')).body.items[0];
    assert.ok(complaint, 'the demo enterprise has a complaint');
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['public: review policy', '/reviews/policy', 'review-policy-page'],
        ['public: a body with its reviews', `/bodies/${demo.body.id}`, 'review'],
      ]);
      await english(page);
      await checkPages(page, [['public (en): review policy', '/reviews/policy', 'review-policy-page']]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: my reviews', '/my/reviews', 'reviewable'],
        ['enterprise: writing a review', null, 'review-write', async (p) => {
          await byTestId(p, 'review-write').first().click();
          await byTestId(p, 'review-new').waitFor();
          await byTestId(p, 'review-new-complain').click();
          await byTestId(p, 'review-new-complaint').waitFor();
        }],
        ['enterprise: complaints', '/complaints', 'complaint-form'],
        ['enterprise: complaints, choosing an engagement', null, 'complaint-engagement', openDropdown('[data-testid="complaint-engagement"]')],
        ['enterprise: a complaint', `/complaints/${complaint.id}`, 'complaint-events'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: reviews', '/body/reviews', 'body-review'],
        ['body: complaints', '/complaints', 'complaint-row'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');   // national: the seeded hidden review is in its reach
      await checkPages(page, [
        ['regulator: moderation', '/moderation', 'moderation-item'],
        ['regulator: moderation, hiding', null, 'moderation-hide', async (p) => {
          await byTestId(p, 'moderation-hide').first().click();
          await byTestId(p, 'moderation-reason').waitFor();
        }],
        ['regulator: moderation, hidden ones', null, 'moderation-hidden', async (p) => {
          await byTestId(p, 'moderation-hidden').click();
          await byTestId(p, 'moderation-unhide').first().waitFor();
        }],
        ['regulator: complaints', '/complaints', 'complaint-row'],
        ['regulator: a complaint, its next step', `/complaints/${complaint.id}`, 'complaint-advance'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin (en): moderation', '/moderation', 'moderation-item'],
        ['admin (en): complaints', '/complaints', 'complaint-row'],
      ]);
    });
  });
  // audits and management reviews (docs/compliance.md "Audits")
  test('audits and management reviews: each role\'s pages and forms', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const internal = (await ent.request('GET', '/api/audits?kind=internal&per_page=1')).body.items[0];
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const open = (await body.request('GET', '/api/audits?status=in_progress&per_page=1')).body.items[0];
    assert.ok(internal && open, 'the demo has an internal audit and a body\'s audit in progress');
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: audits', '/audits', 'audit-form'],
        ['enterprise: an audit', `/audits/${internal.id}`, 'audit-findings'],
        ['enterprise: management reviews', '/management-reviews', 'management-review-form'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: audits', '/audits', 'audit-row'],
        ['body: audits, choosing an engagement', null, 'audit-engagement', openDropdown('[data-testid="audit-engagement"]')],
        ['body: an audit in progress', `/audits/${open.id}`, 'audit-sign-off'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator (en): audits', '/audits', 'audit-row'],
        ['regulator (en): management reviews', '/management-reviews', 'management-review-row'],
      ]);
    });
  });
  test('service commitments: the catalogue, a comparison, a commitment, a body\'s own', async () => {
    const pub = client();
    const all = (await pub.request('GET', '/api/commitments?per_page=100')).body.items;
    const versioned = all.find((m) => m.version === 2);
    assert.ok(versioned && all.length >= 2, 'the demo has commitments, one with two versions');
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['commitments: catalogue', '/commitments', 'commitment-card'],
        ['commitments: catalogue, region filter', null, 'commitment-filter-region', openDropdown('[data-testid="commitment-filter-region"]')],
        ['commitments: catalogue, two to compare', '/commitments?coverage=quality', 'commitment-card', async (p) => {
          await byTestId(p, 'commitment-compare').nth(0).click();
          await byTestId(p, 'commitment-compare').nth(1).click();
        }],
        ['commitments: comparison', `/commitments/compare?ids=${all[0].id},${versioned.id},${all[1].id}`, 'compare-row'],
        ['commitments: a commitment with its history and diff', `/commitments/${versioned.id}`, 'commitment-diff'],
        ['commitments: an earlier version', null, 'history-row', async (p) => {
          await p.locator('[data-testid="history-row"][data-version="1"] button').click();
          await byTestId(p, 'commitment-showing').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await checkPages(page, [
        ['commitments: catalogue (en)', '/commitments', 'commitment-card'],
        ['commitments: comparison (en)', `/commitments/compare?ids=${all[0].id},${versioned.id}`, 'compare-row'],
        ['commitments: a commitment (en)', `/commitments/${versioned.id}`, 'commitment-diff'],
      ]);
    });
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['phone: commitments, filters open', '/commitments', 'commitment-card', async (p) => {
          await byTestId(p, 'filters-toggle').click();
          await byTestId(p, 'commitment-filter-region').waitFor();
        }],
      ]);
    }, phoneContext);
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: my commitments', '/commitments/mine', 'my-commitment-row'],
        ['body: publish a commitment, empty', null, 'commitment-new', async (p) => {
          await byTestId(p, 'commitment-new').click();
          await byTestId(p, 'commitment-submit').click();
          await p.locator('.el-form-item__error').first().waitFor();
        }],
        ['body: a new version, refused by the server', '/commitments/mine', 'commitment-version', async (p) => {
          await byTestId(p, 'commitment-version').first().click();
          await byTestId(p, 'commitment-input-title').fill('x');
          await byTestId(p, 'commitment-submit').click();
          await byTestId(p, 'field-error-title').waitFor();
        }],
      ]);
    });
  });
  test('engagement pages (enterprise, body, regulator)', async () => {
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const find = async (q) => (await body.request('GET', `/api/engagements?${q}&per_page=1`)).body.items[0];
    const requested = await find('status=requested');
    const atStage2 = await find('status=active&stage=stage2');
    const decided = await find('status=decided');
    for (const [k, v] of Object.entries({ requested, atStage2, decided })) assert.ok(v, `the demo body has a ${k} engagement`);
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const own = (await ent.request('GET', '/api/engagements?status=requested&per_page=1')).body.items[0];
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: engagements', '/engagements', 'eng-row'],
        ['body: engagements, status filter', null, 'eng-filter-status', openDropdown('[data-testid="eng-filter-status"]')],
        ['body: a request to answer', `/engagements/${requested.id}`, 'eng-answer'],
        ['body: an engagement to decide', `/engagements/${atStage2.id}`, 'eng-decision-form'],
        ['body: a decided engagement', `/engagements/${decided.id}`, 'eng-timeline'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: engagements', '/engagements', 'eng-row'],
        ['enterprise: an engagement', `/engagements/${own.id}`, 'eng-cancel'],
        ['enterprise: a request', `/engagements/new?commitment=${requested.commitment.id}`, 'engagement-new-page'],
        ['enterprise: a request, unanswered', null, 'eng-submit', async (p) => {
          await byTestId(p, 'eng-submit').click();
          await byTestId(p, 'eng-error').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator (en): engagements in the region', '/engagements', 'eng-row'],
        ['regulator (en): an engagement, the tie form', `/engagements/${requested.id}`, 'eng-tie-form'],
      ]);
    });
  });
  test('self-assessment pages (enterprise, body through its grant, regulator in English)', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const own = (await ent.request('GET', '/api/self-assessments?per_page=1')).body.items[0];
    assert.ok(own, 'the demo enterprise has a self-assessment');
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: self-assessments and evidence grants', '/self-assessments', 'sa-row'],
        ['enterprise: a self-assessment, chapters', `/self-assessments/${own.id}`, 'sa-clause'],
        ['enterprise: a clause status drop-down', null, 'sa-item-status', openDropdown('[data-testid="sa-item-status"]')],
        ['enterprise: a clause history', null, 'sa-item-history', async (p) => {
          await p.keyboard.press('Escape');
          await byTestId(p, 'sa-item-history').first().click();
          await byTestId(p, 'sa-history').first().waitFor();
        }],
        ['enterprise: the gaps', null, 'sa-progress', async (p) => {
          await p.getByRole('tab', { name: /差距/ }).click();
          await byTestId(p, 'sa-gaps').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: self-assessments through grants', '/self-assessments', 'sa-row'],
        ['body: a granted self-assessment', `/self-assessments/${own.id}`, 'sa-clause'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator (en): self-assessments', '/self-assessments', 'sa-row'],
        ['regulator (en): a self-assessment', `/self-assessments/${own.id}`, 'sa-clause'],
      ]);
    });
  });

  // the nonconformity register (docs/compliance.md "Nonconformities")
  test('nonconformities: the register, a detail with its forms, the counts by clause', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const mine = (await ent.request('GET', '/api/nonconformities?per_page=100')).body.items;
    const implemented = mine.find((n) => n.status === 'implemented');
    const open = mine.find((n) => n.status === 'open');
    assert.ok(implemented && open, 'the demo enterprise has open and implemented nonconformities');
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: nonconformities', '/nonconformities', 'nc-row'],
        ['enterprise: nonconformities, recording one', null, 'nc-page', async (p) => {
          await p.locator('.raise summary').click();
          await byTestId(p, 'nc-form').waitFor();
        }],
        ['enterprise: a nonconformity, its forms', `/nonconformities/${open.id}`, 'nc-edit'],
        ['enterprise: a nonconformity, verifying', `/nonconformities/${implemented.id}`, 'nc-advance', async (p) => {
          await byTestId(p, 'nc-to-effective').click();
          await byTestId(p, 'nc-audit-id').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [['body: nonconformities', '/nonconformities', 'nc-page']]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [['regulator: nonconformities by clause', '/nonconformities/by-clause', 'ncc-row']]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin (en): nonconformities by clause', '/nonconformities/by-clause', 'ncc-row'],
        ['admin (en): nonconformities', '/nonconformities?overdue=true', 'nc-row'],
      ]);
    });
  });

  // indicators (docs/effectiveness.md "Indicators")
  test('indicator pages: the enterprise\'s form with a field error and a history, a client\'s for the body, the admin\'s catalogue', async () => {
    const ent = client();
    const enterpriseId = (await ent.signIn('enterprise')).body.user.enterprise_id;
    const saved = await ent.request('PUT', `/api/enterprises/${enterpriseId}/indicators/2023`, { json: { values: { invention_grants: 5, rnd_share: 4.5 } } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: my indicators', '/indicators', 'ind-row', (p) => byTestId(p, 'ind-year').selectOption('2023')],
        ['enterprise: my indicators, a refused value', null, 'ind-save', async (p) => {
          await byTestId(p, 'ind-input-rnd_share').fill('101');
          await byTestId(p, 'ind-save').click();
          await byTestId(p, 'ind-error-rnd_share').waitFor();
        }],
        ['enterprise: my indicators, a history', null, 'ind-history-button', async (p) => {
          await p.locator('[data-testid="ind-row"][data-code="invention_grants"] [data-testid="ind-history-button"]').click();
          await byTestId(p, 'ind-history').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body: a client\'s indicators', `/enterprises/${enterpriseId}/indicators`, 'ind-verify-panel'],
        ['body: a client\'s indicators, the audit drop-down', null, 'ind-verify-audit', openDropdown('[data-testid="ind-verify-audit"]')],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [['regulator (en): an enterprise\'s indicators', `/enterprises/${enterpriseId}/indicators`, 'ind-row']]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin: the indicator catalogue', '/admin/indicators', 'ind-admin-row'],
        ['admin: the indicator catalogue, a refused indicator', null, 'ind-admin-submit', async (p) => {
          await byTestId(p, 'ind-admin-submit').click();
          await byTestId(p, 'ind-admin-error').waitFor();
        }],
        ['admin: the indicator catalogue, editing one', null, 'ind-admin-edit', (p) => byTestId(p, 'ind-admin-edit').first().click()],
      ]);
    });
  });

  test('effectiveness pages (enterprise, regulator, admin in English)', async () => {
    const ent = client();
    const ids = await plantEffectiveness(browserEnv.server, (await ent.signIn('enterprise')).body.user.enterprise_id);
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      const audit = (await ent.request('GET', '/api/audits?per_page=1')).body.items[0];
      await checkPages(page, [
        ['enterprise: effectiveness', '/effectiveness', 'eff-row'],
        ['enterprise: an audit with the effectiveness index', `/audits/${audit.id}`, 'audit-effectiveness-index'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await checkPages(page, [
        ['regulator: effectiveness supervision', '/effectiveness/supervision', 'effs-form-only-row'],
        ['regulator: a form-only enterprise\'s effectiveness', `/enterprises/${ids.flagged}/effectiveness`, 'eff-form-only'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [
        ['admin (en): effectiveness', `/enterprises/${ids.demo}/effectiveness`, 'eff-row'],
        ['admin (en): effectiveness supervision', '/effectiveness/supervision', 'effs-row-region'],
      ]);
    });
  });

  // learning content (issue 11, docs/learning.md "Content")
  test('learning content pages: the catalogue, a course, a lesson, the authoring page with its editor', async () => {
    const pub = client();
    const course = (await pub.request('GET', '/api/courses?category=auditor')).body.items[0];
    const lesson = (await pub.request('GET', `/api/courses/${course.id}`)).body.lessons[1];
    const announcement = (await pub.request('GET', '/api/announcements')).body.items[0];
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['learning: home with announcements', '/', 'announcement'],
        ['learning: catalogue', '/learning', 'learning-course'],
        ['learning: a course', `/courses/${course.id}`, 'course-lesson'],
        ['learning: a lesson', `/lessons/${lesson.id}`, 'lesson-body'],
        ['learning: an announcement', `/announcements/${announcement.id}`, 'announcement-body'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await checkPages(page, [['learning (en): catalogue', '/learning', 'learning-course']]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['learning: authoring', '/learning/authoring', 'authoring-course'],
        ['learning: authoring, a lesson in the editor', null, 'authoring-course', async (p) => {
          await byTestId(p, 'authoring-course').first().click();
          await byTestId(p, 'authoring-lesson').first().click();
          await byTestId(p, 'lesson-preview-html').waitFor();
        }],
        // follow-up "authoring2": course settings, lesson order, a revision open, the announcement editor
        ['learning: authoring, a revision open', null, 'authoring-course', async (p) => {
          await byTestId(p, 'course-save').waitFor();
          await byTestId(p, 'lesson-up').first().waitFor();
          await byTestId(p, 'lesson-revision-open').first().click();
          await byTestId(p, 'lesson-revision-html').waitFor();
        }],
        ['learning: authoring, the announcement editor', null, 'authoring-tab-announcements', async (p) => {
          await byTestId(p, 'authoring-tab-announcements').click();
          await byTestId(p, 'ann-open').first().click();
          await byTestId(p, 'ann-preview').click();
          await byTestId(p, 'ann-preview-html').locator('*').first().waitFor();
        }],
      ]);
    }, phoneContext);
  });
  // issue 11, slice quiz: the quiz before and after submission, my learning, the staff's progress,
  // a certificate of completion verified and not found
  test('learning: quiz, my learning, staff progress, certificate of completion (enterprise; regulator in English)', async () => {
    const reg = client();
    assert.equal((await reg.signIn('regulator')).status, 200);
    const planted = await plantQuizCourse(browserEnv.server, reg, '无障碍测验课程');
    const ent = client();
    const entId = (await ent.signIn('enterprise')).body.user.enterprise_id;
    for (const id of planted.lessons) await ent.request('POST', `/api/lessons/${id}/progress`, { json: { event: 'completed' } });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: a quiz', `/learning/courses/${planted.course}/quiz`, 'quiz-question'],
        ['enterprise: a quiz submitted', null, 'quiz-submit', async (p) => {
          for (let i = 0; i < 3; i++) await byTestId(p, 'quiz-question').nth(i).locator('[data-testid="quiz-option"]').first().click();
          await byTestId(p, 'quiz-submit').click();
          await byTestId(p, 'quiz-result').waitFor();
        }],
        ['enterprise: my learning', '/me/learning', 'my-learning-course'],
        ['enterprise: staff learning', '/learning/staff', 'staff-learning-table'],
      ]);
      const number = await byTestId(page, 'staff-learning-table').count() && (await ent.request('GET', '/api/me/learning'))
        .body.items.find((i) => i.certificate_number).certificate_number;
      await checkPages(page, [
        ['a certificate of completion', `/learning/certificates/${number}`, 'completion-valid'],
        ['a certificate of completion not found', '/learning/certificates/XC000000FFFFFFFFFF', 'completion-not-found'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator (en): an enterprise\'s staff learning', `/enterprises/${entId}/learning`, 'staff-learning-table'],
        ['regulator (en): my learning', '/me/learning', 'my-learning'],
      ]);
    });
  });
  // issue 11, slice qbank: a course's question bank, with a refused question's errors beside its fields
  test('learning: the question-bank editor (regulator; admin in English)', async () => {
    const reg = client();
    assert.equal((await reg.signIn('regulator')).status, 200);
    const planted = await plantQuizCourse(browserEnv.server, reg, '无障碍题库课程');
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator: a question bank', `/learning/courses/${planted.course}/questions`, 'qbank-question'],
        ['regulator: a question bank, a refused question', null, 'qbank-save', async (p) => {
          await byTestId(p, 'qbank-kind').nth(1).check();
          await byTestId(p, 'qbank-text').fill('x');
          await byTestId(p, 'qbank-save').click();
          await byTestId(p, 'field-error-text').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'admin', 'home-admin');
      await checkPages(page, [['admin (en): a question bank, one being edited', `/learning/courses/${planted.course}/questions`, 'qbank-question', async (p) => {
        await byTestId(p, 'qbank-edit').first().click();
      }]]);
    }, phoneContext);
  });
  // the exchange forum (issue 11, docs/learning.md "Exchange")
  test('exchange forum: the public pages, posting, a topic with actions, the moderation queue', async () => {
    const pub = client();
    const topics = (await pub.request('GET', '/api/forum/topics?per_page=100')).body.items;
    const solved = topics.find((x) => x.accepted_reply_id !== null);
    const withHidden = topics.find((x) => x.title === '证书查验二维码扫不出来怎么办？');
    const category = (await pub.request('GET', '/api/forum/categories')).body.items[0];
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['public: forum', '/forum', 'forum-topic'],
        ['public: forum category', `/forum/categories/${category.id}`, 'forum-topic'],
        ['public: forum topic with an accepted answer', `/forum/topics/${solved.id}`, 'forum-accepted'],
        ['public: forum topic with a hidden reply', `/forum/topics/${withHidden.id}`, 'forum-reply-placeholder'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await checkPages(page, [
        ['public (en): forum', '/forum', 'forum-topic'],
        ['public (en): forum topic', `/forum/topics/${solved.id}`, 'forum-accepted'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: new forum topic', '/forum/new', 'forum-new-title'],
        ['enterprise: new forum topic, choosing a category', null, 'forum-new-category', openDropdown('[data-testid="forum-new-category"]')],
        ['enterprise: new forum topic, refused', '/forum/new', 'forum-new-submit', async (p) => {
          await byTestId(p, 'forum-new-submit').click();
          await byTestId(p, 'forum-new-error').waitFor();
        }],
        ['enterprise: forum topic, reporting', `/forum/topics/${solved.id}`, 'forum-report-topic', async (p) => {
          await byTestId(p, 'forum-report-topic').click();
          await byTestId(p, 'forum-reason').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator: forum moderation', '/forum/moderation', 'forum-report'],
        ['regulator: forum moderation, hiding', null, 'forum-queue-hide', async (p) => {
          await byTestId(p, 'forum-queue-hide').first().click();
          await byTestId(p, 'forum-queue-reason').waitFor();
        }],
        ['regulator: forum topic with a hidden reply and its reason', `/forum/topics/${withHidden.id}`, 'forum-hide-topic'],
      ]);
    });
  });
  // issue 11, activities (docs/learning.md "Activities")
  test('activities: list, detail, registration, organiser form and registrations', async () => {
    const pub = client();
    const upcoming = (await pub.request('GET', '/api/activities?upcoming=1&per_page=100')).body.items;
    const full = upcoming.find((a) => a.seats_left === 0);
    const open = upcoming.find((a) => a.seats_left > 0);
    assert.ok(full && open, 'the demo has a full and an open upcoming activity');
    await withPage(async ({ page }) => {
      await checkPages(page, [
        ['public: activities', '/activities', 'activity-card'],
        ['public: an activity', `/activities/${open.id}`, 'activity-description'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await checkPages(page, [['public (en): activities', '/activities', 'activity-card']]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: an activity with a seat and the check-in form', `/activities/${open.id}`, 'activity-code'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['regulator: activities with drafts', '/activities?upcoming=0', 'activity-card'],
        ['regulator: an activity with its registrations', `/activities/${full.id}`, 'activity-registrations'],
        ['regulator: new activity, refused by the server', '/activities/new', 'activity-save', async (p) => {
          await byTestId(p, 'activity-save').click();
          await p.locator('.el-form-item__error').first().waitFor();
        }],
      ]);
    });
  });

  // the fair-policy checker (issue 12, docs/policies.md "Pages"): each page as the regulator who
  // uses it, with its forms, dialog and results; the national view by province and the rules'
  // editor; the main ones in English
  test('the fair-policy checker\'s pages (province and national regulators)', async () => {
    const gd = client();
    assert.equal((await gd.signIn('regulator-gd')).status, 200);
    const sample = '申报条件\n申报省级知识产权示范企业的，须通过知识产权管理体系认证方可申报。\n对专利质量显著提升的企业给予奖励。';
    const created = await gd.request('POST', '/api/policies', {
      json: { title: '无障碍检查用政策', office: '广东省知识产权局', region: '440000', text: sample },
    });
    assert.equal(created.status, 201);
    const policy = created.body;
    // the demo's policy with the most findings (some of them over one sentence), as reviewed
    const national = client();
    assert.equal((await national.signIn('regulator')).status, 200);
    const reviewed = (await national.request('GET', '/api/policies?per_page=100')).body.items
      .sort((a, b) => (b.findings.confirmed + b.findings.dismissed + b.findings.pending) - (a.findings.confirmed + a.findings.dismissed + a.findings.pending))[0];
    assert.ok(reviewed, 'the demo has policies');
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await checkPages(page, [
        ['regulator: policies', '/policies', 'policy-row'],
        ['regulator: policies, status filter', null, 'policy-filter-status', openDropdown('[data-testid="policy-filter-status"]')],
        ['regulator: register a policy', '/policies/new', 'policy-new-page'],
        ['regulator: register a policy, empty', null, 'policy-submit', submitEmpty('policy-submit')],
        ['regulator: register a policy, upload', null, 'policy-text-upload', async (p) => {
          await byTestId(p, 'policy-text-upload').click();
          await byTestId(p, 'policy-text-file-button').waitFor();
        }],
        ['regulator: a policy with its findings', `/policies/${policy.id}`, 'policy-finding'],
        ['regulator: a policy, editing its details', null, 'policy-edit', async (p) => {
          await byTestId(p, 'policy-edit').click();
          await byTestId(p, 'policy-edit-title').fill('');
          await byTestId(p, 'policy-edit-save').click();
          await p.locator('.el-form-item__error').first().waitFor();
        }],
        ['regulator: a policy, deciding on a finding', null, 'policy-confirm', async (p) => {
          await byTestId(p, 'policy-confirm').first().click();
          await byTestId(p, 'policy-decide-submit').click();
          await byTestId(p, 'policy-decide-error').waitFor();
        }],
        ['regulator: quick check with its findings', '/policy-check', 'policy-check-page', async (p) => {
          await byTestId(p, 'policy-check-text').fill(sample);
          await byTestId(p, 'policy-check-submit').click();
          await byTestId(p, 'policy-check-result').waitFor();
        }],
        ['regulator: the rules', '/policy-rules', 'policy-rule'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['national regulator: policies by province', '/policies', 'policy-region-row'],
        ['national regulator: a reviewed policy of the demo', `/policies/${reviewed.id}`, 'policy-text'],
        ['national regulator: editing the rules', '/policy-rules', 'policy-rules-edit', async (p) => {
          await byTestId(p, 'policy-rules-edit').click();
          await byTestId(p, 'policy-rules-form').waitFor();
        }],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['national regulator (en): policies', '/policies', 'policy-region-row'],
        ['national regulator (en): a policy', `/policies/${policy.id}`, 'policy-finding'],
        ['national regulator (en): the rules', '/policy-rules', 'policy-rule'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ['phone: policies by province', '/policies', 'policy-region-row'],
        ['phone: a reviewed policy', `/policies/${reviewed.id}`, 'policy-text'],
      ]);
      await assertFitsPhone(page, 'a policy');
    }, phoneContext);
  });
  // statistics slice "recommendations that say why": the card on the homes, the page, a
  // regulator's panel on an enterprise
  test('recommendations: the card and the page (enterprise; body in English; regulator on an enterprise)', async () => {
    const ent = client();
    const entId = (await ent.signIn('enterprise')).body.user.enterprise_id;
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await checkPages(page, [
        ['enterprise: home with its recommendations', '/', 'recommendation'],
        ['enterprise: recommendations', '/recommendations', 'recommendation'],
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'body', 'home-body');
      await checkPages(page, [
        ['body (en): home with its recommendations', '/', 'recommendation'],
        ['body (en): recommendations', '/recommendations', 'recommendation'],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [['regulator: an enterprise with its recommendations', `/enterprises/${entId}`, 'recommendation']]);
    });
  });

  // the statistics dashboards (capability 6, docs/statistics.md "Pages"): every tab for both
  // regulators, a drilled region and an open drop-down, English, and a phone
  test('the statistics pages (province and national regulators, English, a phone)', async () => {
    const tabs = ['learning', 'certification', 'effectiveness', 'feedback'];
    /** A tab of /statistics, ready once its panel has answered (or said why not). */
    const statsTab = (who, tab, query = '') => [`${who}: statistics, ${tab}`, `/statistics?tab=${tab}${query}`, 'stat-panel', async (p) => {
      await p.locator(`[data-testid="stat-panel"][data-tab="${tab}"]:not([data-state="loading"])`).waitFor();
    }];
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await checkPages(page, [
        ...tabs.map((tab) => statsTab('regulator', tab)),
        ['regulator: statistics, the industry drop-down open', null, 'stats-filter-industry', openDropdown('[data-testid="stats-filter-industry"] .el-select')],
      ]);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, [
        ...tabs.map((tab) => statsTab('national regulator', tab)),
        statsTab('national regulator, Guangdong', 'certification', '&region=440000'),
      ]);
    });
    await withPage(async ({ page }) => {
      await english(page);
      await signInTo(page, 'regulator', 'home-regulator');
      await checkPages(page, tabs.map((tab) => statsTab('national regulator (en)', tab)));
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      for (const tab of tabs) {
        await checkPages(page, [statsTab('phone', tab)]);
        await assertFitsPhone(page, `statistics, ${tab}`);
      }
    }, phoneContext);
  });
});
