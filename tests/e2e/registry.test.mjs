// Browser tests of the registry pages (certificate verification, enterprise registration and
// review, certificate status) against the real `guanbiao` binary with the seeded demo, in
// Debian's chromium. Run from the repository root after building the server and the UI:
//   node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { useBrowser, byTestId, signIn, signInTo, phone, phoneContext, assertFitsPhone } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';

const demoEnterprise = { name: '深圳市示范科技有限公司', creditCode: '914403001922038216' };

// Chromium logs every 4xx answer to fetch as a console error; these are answers the UI expects
// and shows (public session check, invalid credit code, unknown certificate, …).
const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409|429)\b/ });

// --- Unified social credit codes (GB 32100-2015, docs/domain.md) ----------------------------
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character of an organisation code body (GB 11714: weights 3,7,9,10,5,8,4,2, mod 11). */
function organisationCheck(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number.parseInt(body8[i], 36) * w[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Final check character of the first 17 characters. */
function creditCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += alphabet.indexOf(first17[i]) * weights[i];
  return alphabet[(31 - (sum % 31)) % 31];
}

/** A valid code for an enterprise (9 1) registered in `division`, with a random organisation code. */
function validCreditCode(division = '440300') {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += String(randomInt(10));
  const first17 = `91${division}${body}${organisationCheck(body)}`;
  return first17 + creditCheck(first17);
}

/** The same code with a wrong final check character. */
function withWrongCheck(code) {
  const next = alphabet[(alphabet.indexOf(code[17]) + 1) % alphabet.length];
  return code.slice(0, 17) + next;
}

// --------------------------------------------------------------------------------------------

/** Waits until the element's data-status is `status`. */
async function expectStatus(locator, status) {
  await locator.and(locator.page().locator(`[data-status="${status}"]`)).first().waitFor();
}

/** Waits until a locator matches exactly n elements. */
async function waitForCount(locator, n, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let count;
  while ((count = await locator.count()) !== n) {
    if (Date.now() > deadline) assert.fail(`expected ${n} elements, found ${count}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Picks an option of an Element Plus select (its dropdown is teleported to <body>). */
async function pickOption(page, trigger, text) {
  await trigger.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

/** The select of one level ('province', 'prefecture', 'county') of the region picker with test id `testid`. */
const regionSelect = (page, testid, level) => page.locator(`[data-testid="${testid}"] .el-select[data-level="${level}"]`);

/** Chooses the province, prefecture and county of a region picker by name, each once it has its choices. */
async function pickRegion(page, testid, names) {
  const levels = ['province', 'prefecture', 'county'];
  for (const [i, name] of names.entries()) {
    const select = regionSelect(page, testid, levels[i]);
    await select.locator('.el-select__wrapper:not(.is-disabled)').waitFor();
    await pickOption(page, select, name);
  }
}

describe('registry pages', () => {
  test('the credit-code helper of this test follows GB 32100', () => {
    assert.equal(creditCheck('91110000600037341'), 'L');
    assert.equal(creditCheck(demoEnterprise.creditCode.slice(0, 17)), demoEnterprise.creditCode[17]);
    for (let i = 0; i < 20; i += 1) {
      const code = validCreditCode();
      assert.match(code, /^91440300[0-9]{8}[0-9X][0-9A-HJ-NP-RTUW-Y]$/);
      assert.equal(organisationCheck(code.slice(8, 16)), code[16]);
      assert.notEqual(withWrongCheck(code), code);
    }
  });

  test('an enterprise registers (the wrong credit code is shown beside its field), signs in while pending, and the regional regulator approves it', async () => {
    const suffix = `${Date.now().toString(36)}${randomInt(1000)}`;
    const name = `深圳市贯标测试${suffix}科技有限公司`;
    const login = `e2e-reg-${suffix}`;
    const code = validCreditCode('440300');
    const wrong = withWrongCheck(code);

    // What the server says about the wrong code, to compare with what the page shows.
    const probe = await client({ lang: 'zh-CN' }).request('POST', '/api/enterprises/registrations', {
      json: {
        name, credit_code: wrong, region: '440305', industry: '39', size: 'small', address: '深圳市南山区科技园',
        contact_name: '张三', contact_phone: '0755-86000000', contact_email: 'e2e@example.com',
        account: { login, name: '张三', password: 'e2e-password-123' },
      },
    });
    assert.equal(probe.status, 400, JSON.stringify(probe.body));
    assert.equal(probe.body.error.code, 'invalid_credit_code');
    assert.equal(probe.body.error.field, 'credit_code');

    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'home-register').click();
      await byTestId(page, 'register-page').waitFor();

      await byTestId(page, 'reg-name').fill(name);
      await byTestId(page, 'reg-credit-code').fill(wrong);
      await pickRegion(page, 'reg-region', ['广东省', '深圳市', '南山区']);
      await pickOption(page, page.locator('[data-testid="reg-industry"] .el-select'), '计算机、通信和其他电子设备制造业');
      await page.locator('[data-testid="reg-size-small"]').click();
      await byTestId(page, 'reg-address').fill('深圳市南山区科技园');
      await byTestId(page, 'reg-contact-name').fill('张三');
      await byTestId(page, 'reg-contact-phone').fill('0755-86000000');
      await byTestId(page, 'reg-contact-email').fill('e2e@example.com');
      await byTestId(page, 'reg-login').fill(login);
      await byTestId(page, 'reg-account-name').fill('张三');
      await byTestId(page, 'reg-password').fill('e2e-password-123');
      await byTestId(page, 'reg-submit').click();

      // The server's message appears beside the credit code, not as a form-wide alert.
      const codeItem = page.locator('.el-form-item', { has: page.locator('[data-testid="reg-credit-code"]') });
      const codeError = codeItem.locator('[data-testid="field-error-credit_code"]');
      await codeError.waitFor();
      assert.equal((await codeError.textContent()).trim(), probe.body.error.message);
      assert.equal(await byTestId(page, 'reg-error').count(), 0);

      // Correcting the code clears the message; the registration then goes through.
      await byTestId(page, 'reg-credit-code').fill(code.toLowerCase()); // lower case is accepted
      await codeError.waitFor({ state: 'detached' });
      await byTestId(page, 'reg-submit').click();
      await byTestId(page, 'reg-success').waitFor();
      assert.ok((await byTestId(page, 'reg-success').textContent()).includes(name));

      // The new account can sign in at once and sees its enterprise waiting for approval.
      await byTestId(page, 'reg-signin').click();
      await signIn(page, login, 'e2e-password-123');
      await byTestId(page, 'organisation-page').waitFor();
      await byTestId(page, 'ent-pending-banner').waitFor();
      await expectStatus(byTestId(page, 'ent-status'), 'pending');
      assert.equal((await byTestId(page, 'ent-name').textContent()).trim(), name);
    });

    // The same credit code cannot be registered twice: the answer is beside the field too.
    const again = await client().request('POST', '/api/enterprises/registrations', {
      json: {
        name: `${name}二`, credit_code: code, region: '440305', industry: '39', size: 'small',
        account: { login: `${login}-2`, name: '李四', password: 'e2e-password-123' },
      },
    });
    assert.ok(again.status === 409 || again.status === 400, `a duplicate credit code is refused (${again.status})`);

    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await byTestId(page, 'pending-approvals').click();
      await byTestId(page, 'enterprises-page').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('status'), 'pending');

      await byTestId(page, 'ent-filter-q').fill(name);
      await byTestId(page, 'ent-search').click();
      await page.waitForURL((u) => u.searchParams.get('q') === name && u.searchParams.get('status') === 'pending');
      await waitForCount(byTestId(page, 'ent-row'), 1); // only the new enterprise matches
      const row = byTestId(page, 'ent-row').filter({ hasText: name });
      await row.getByRole('link', { name }).click();

      await byTestId(page, 'enterprise-page').waitFor();
      await expectStatus(byTestId(page, 'ent-status'), 'pending');
      await byTestId(page, 'ent-approve').click();
      await expectStatus(byTestId(page, 'ent-status'), 'approved');
      assert.equal(await byTestId(page, 'ent-approve').count(), 0, 'the review is gone once decided');
    });

    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const list = await admin.request('GET', `/api/enterprises?q=${encodeURIComponent(code)}`);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].status, 'approved');
    assert.equal(list.body.items[0].credit_code, code, 'stored in upper case');
  });

  test('a registration the server refuses for three fields shows all three messages beside their fields, tied to them', async () => {
    const suffix = `${Date.now().toString(36)}${randomInt(1000)}`;
    const wrong = withWrongCheck(validCreditCode('440300'));
    const fill = {
      name: `深圳市三错${suffix}科技有限公司`, credit_code: wrong, region: '440305', industry: '39', size: 'small',
      contact_phone: 'call me later', account: { login: `Bad Login ${suffix}`, name: '张三', password: 'e2e-password-123' },
    };
    // what the server says, to compare with what the page shows
    const probe = await client({ lang: 'zh-CN' }).request('POST', '/api/enterprises/registrations', { json: fill });
    assert.equal(probe.status, 400, JSON.stringify(probe.body));
    assert.deepEqual(probe.body.error.fields.map((f) => f.field), ['credit_code', 'contact_phone', 'account.login']);
    const expected = Object.fromEntries(probe.body.error.fields.map((f) => [f.field, f.message]));

    await withPage(async ({ page }) => {
      await page.goto('/register');
      await byTestId(page, 'register-page').waitFor();
      await byTestId(page, 'reg-name').fill(fill.name);
      await byTestId(page, 'reg-credit-code').fill(wrong);
      await pickRegion(page, 'reg-region', ['广东省', '深圳市', '南山区']);
      await pickOption(page, page.locator('[data-testid="reg-industry"] .el-select'), '计算机、通信和其他电子设备制造业');
      await page.locator('[data-testid="reg-size-small"]').click();
      await byTestId(page, 'reg-contact-phone').fill(fill.contact_phone);
      await byTestId(page, 'reg-login').fill(fill.account.login);
      await byTestId(page, 'reg-account-name').fill('张三');
      await byTestId(page, 'reg-password').fill('e2e-password-123');
      await byTestId(page, 'reg-submit').click();

      for (const [field, testid] of [['credit_code', 'reg-credit-code'], ['contact_phone', 'reg-contact-phone'],
        ['account.login', 'reg-login']]) {
        const item = page.locator('.el-form-item', { has: page.locator(`[data-testid="${testid}"]`) });
        const message = item.locator(`[data-testid="field-error-${field}"]`);
        await message.waitFor();
        assert.equal((await message.textContent()).trim(), expected[field], field);
        // the control says it is invalid and names the message that says why
        const input = item.locator('input').first();
        await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle());
        const id = await message.getAttribute('id');
        assert.ok(id, `${field}: the message has an id`);
        assert.ok((await input.getAttribute('aria-describedby') || '').split(' ').includes(id), `${field}: aria-describedby`);
      }
      assert.equal(await page.locator('[data-testid="form-error"]').count(), 0, 'no form-wide alert: every message is placed');
      assert.deepEqual(await axeViolations(page, 'registration with three server field errors'), []);

      // correcting a field takes its message (and its aria-invalid) away, the others stay
      await byTestId(page, 'reg-contact-phone').fill('0755-86000000');
      const phoneItem = page.locator('.el-form-item', { has: page.locator('[data-testid="reg-contact-phone"]') });
      await phoneItem.locator('[data-testid="field-error-contact_phone"]').waitFor({ state: 'detached' });
      await page.waitForFunction((el) => !el.hasAttribute('aria-invalid'), await phoneItem.locator('input').first().elementHandle());
      assert.equal(await page.locator('[data-testid="field-error-credit_code"]').count(), 1);
    });
  });

  test('the regulator rejects a registration only with a note', async () => {
    const code = validCreditCode('440300');
    const name = `深圳市驳回测试${Date.now().toString(36)}有限公司`;
    const r = await client().request('POST', '/api/enterprises/registrations', {
      json: {
        name, credit_code: code, region: '440305', industry: '39', size: 'micro',
        account: { login: `e2e-rej-${Date.now().toString(36)}`, name: '王五', password: 'e2e-password-123' },
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    // the answer names no id (it is the same whether or not the login was free): an admin finds it
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const found = await admin.request('GET', `/api/enterprises?q=${encodeURIComponent(code)}`);
    assert.equal(found.body.items.length, 1, JSON.stringify(found.body));
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'enterprise-page', `/login?redirect=${encodeURIComponent(`/enterprises/${found.body.items[0].id}`)}`);
      await byTestId(page, 'ent-reject').click();
      await byTestId(page, 'field-error-note').waitFor();
      await byTestId(page, 'ent-review-note').fill('营业执照信息与填报不一致');
      await byTestId(page, 'ent-reject').click();
      await expectStatus(byTestId(page, 'ent-status'), 'rejected');
      await byTestId(page, 'ent-review-note-shown').waitFor();
    });
  });

  test('verifying a certificate of a body whose approval is suspended warns; the body page shows its standing', async () => {
    const pub = client();
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    const body = bodies.body.items.find((b) => b.standing.approval.status === 'suspended');
    assert.ok(body, 'the demo has a suspended body (seed: code 869)');
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const cert = (await admin.request('GET', `/api/certificates?body_id=${body.id}&per_page=1`)).body.items[0];
    assert.ok(cert, 'the suspended body has certificates');
    await withPage(async ({ page }) => {
      await page.goto(`/verify?q=${encodeURIComponent(cert.number)}`);
      const warning = byTestId(page, 'cert-body-standing');
      await warning.waitFor();
      const text = await warning.textContent();
      assert.ok(text.includes('暂停'), text);
      assert.ok(text.includes(body.standing.approval.since), text);
      await page.goto(`/bodies/${body.id}`);
      await byTestId(page, 'body-standing-history').waitFor();
      assert.ok((await byTestId(page, 'body-standing-approval').textContent()).includes('暂停'));
      assert.equal(await byTestId(page, 'body-standing-form').count(), 0, 'the form is for admins only');
      assert.deepEqual(await axeViolations(page), []);
    });
  });

  test('an admin records a suspension of a body\'s accreditation on its page; the body then shows it, with its history', async () => {
    const pub = client();
    const body = (await pub.request('GET', '/api/bodies?per_page=100')).body.items.find((b) => b.code === '868');
    assert.ok(body);
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'body-standing-form', `/login?redirect=${encodeURIComponent(`/bodies/${body.id}`)}`);
      await page.locator('[data-testid="standing-which"] label', { hasText: 'CNAS' }).click();
      await page.locator('[data-testid="standing-to-suspended"]').click();
      await byTestId(page, 'standing-reason').fill('认可监督评审未通过');
      await byTestId(page, 'standing-submit').click();
      await byTestId(page, 'body-standing-history').waitFor();
      assert.ok((await byTestId(page, 'body-standing-accreditation').textContent()).includes('暂停'));
      assert.ok((await byTestId(page, 'body-standing-approval').textContent()).includes('有效'));
      assert.ok((await byTestId(page, 'body-standing-history').textContent()).includes('认可监督评审未通过'));
    });
    const after = await pub.request('GET', `/api/bodies/${body.id}`);
    assert.equal(after.body.standing.accreditation.status, 'suspended');
    assert.equal(after.body.standing_history.length, 1);
  });

  test('the public verifies a certificate by number (also from a link) and by credit code, and sees "not found"', async () => {
    const pub = client();
    let holder = await pub.request('GET', `/api/certificates?credit_code=${demoEnterprise.creditCode}`);
    assert.equal(holder.status, 200);
    let cert = holder.body.items[0];
    if (!cert) {
      const admin = client();
      assert.equal((await admin.signIn('admin')).status, 200);
      const any = await admin.request('GET', '/api/certificates?per_page=1');
      assert.equal(any.status, 200);
      cert = any.body.items[0];
      holder = await pub.request('GET', `/api/certificates?credit_code=${cert.holder.credit_code}`);
    }
    assert.ok(cert, 'the demo has certificates');
    const one = await pub.request('GET', `/api/certificates/${encodeURIComponent(cert.number)}`);
    assert.equal(one.status, 200);

    await withPage(async ({ page }) => {
      // From the public home, by number.
      await page.goto('/');
      await byTestId(page, 'home-verify-input').fill(cert.number);
      await byTestId(page, 'home-verify-submit').click();
      await byTestId(page, 'verify-result').waitFor();
      assert.equal(new URL(page.url()).pathname, '/verify');
      assert.equal(new URL(page.url()).searchParams.get('q'), cert.number);
      assert.equal(await byTestId(page, 'verify-result').count(), 1);
      const result = byTestId(page, 'verify-result');
      const text = await result.textContent();
      assert.ok(text.includes(one.body.holder.name), 'shows the holder');
      assert.ok(text.includes(one.body.body.name), 'shows the body');
      assert.ok(text.includes(one.body.standard), 'shows the standard');
      assert.ok(text.includes(one.body.expires), 'shows the expiry date');
      await expectStatus(result.locator('[data-testid="verify-status"]'), one.body.status);

      // By credit code, typed in lower case with blanks around it.
      await byTestId(page, 'verify-input').fill(`  ${one.body.holder.credit_code.toLowerCase()} `);
      await byTestId(page, 'verify-submit').click();
      await page.waitForURL((u) => u.searchParams.get('q') === one.body.holder.credit_code);
      await byTestId(page, 'verify-result').first().waitFor();
      assert.equal(await byTestId(page, 'verify-result').count(), holder.body.items.length);
      const numbers = await page.locator('[data-testid="verify-result"] [data-testid="cert-number"]').allTextContents();
      assert.ok(numbers.map((s) => s.trim()).includes(cert.number));

      // Unknown number: said clearly.
      await byTestId(page, 'verify-input').fill('NO-SUCH-CERT-0000');
      await byTestId(page, 'verify-submit').click();
      await byTestId(page, 'verify-not-found').waitFor();
      assert.equal(await byTestId(page, 'verify-result').count(), 0);

      // A mistyped credit code: the server says which check failed.
      const typo = withWrongCheck(one.body.holder.credit_code);
      const why = await client({ lang: 'zh-CN' }).request('GET', `/api/certificates?credit_code=${typo}`);
      assert.equal(why.status, 400);
      assert.equal(why.body.error.code, 'invalid_credit_code');
      await byTestId(page, 'verify-input').fill(typo);
      await byTestId(page, 'verify-submit').click();
      await byTestId(page, 'verify-error').waitFor();
      assert.ok((await byTestId(page, 'verify-error').textContent()).includes(why.body.error.message));
      assert.equal(await byTestId(page, 'verify-result').count(), 0);
    });

    // A link (a QR code) straight to the result, on a phone, in English.
    await withPage(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));
      await page.goto(`/verify?q=${encodeURIComponent(cert.number.toLowerCase())}`);
      await byTestId(page, 'verify-result').waitFor();
      const status = byTestId(page, 'verify-status');
      const label = { valid: 'Valid', suspended: 'Suspended', withdrawn: 'Withdrawn', expired: 'Expired' }[one.body.status];
      assert.equal((await status.textContent()).trim(), label);
      await assertFitsPhone(page);
    }, phoneContext);
  });

  test('a body suspends one of its certificates with a reason, and the public verification shows it suspended', async () => {
    const bodyClient = client({ lang: 'zh-CN' });
    const signed = await bodyClient.signIn('body');
    assert.equal(signed.status, 200);
    const mine = await bodyClient.request('GET', '/api/certificates?status=valid&per_page=5');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    const cert = mine.body.items.find((c) => Number(c.body?.id) === Number(signed.body.user.body_id)) || mine.body.items[0];
    assert.ok(cert, 'the demo body has a valid certificate');
    const reason = `监督审核发现重大不符合项（e2e ${Date.now()}）`;

    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.getByRole('link', { name: '证书', exact: true }).click();
      await byTestId(page, 'certificates-page').waitFor();
      await byTestId(page, 'cert-filter-q').fill(cert.number);
      await byTestId(page, 'cert-search').click();
      await page.waitForURL((u) => u.searchParams.get('q') === cert.number);
      const row = byTestId(page, 'cert-row').filter({ hasText: cert.number });
      await row.waitFor();
      await row.getByRole('link', { name: cert.number }).click();

      await byTestId(page, 'certificate-page').waitFor();
      await expectStatus(byTestId(page, 'verify-status'), 'valid');
      await page.locator('[data-testid="cert-to-suspended"]').click();
      await byTestId(page, 'cert-status-submit').click();
      await byTestId(page, 'field-error-reason').waitFor(); // a suspension needs a reason
      await byTestId(page, 'cert-reason').fill(reason);
      await byTestId(page, 'cert-status-submit').click();
      await expectStatus(byTestId(page, 'verify-status'), 'suspended');
      await byTestId(page, 'cert-history-item').filter({ hasText: reason }).waitFor();
      // Suspended: it may be reinstated, withdrawn or expire, not suspended again.
      assert.equal(await page.locator('[data-testid="cert-to-suspended"]').count(), 0);
      await page.locator('[data-testid="cert-to-valid"]').waitFor();
    });

    await withPage(async ({ page }) => {
      await page.goto(`/verify?q=${encodeURIComponent(cert.number)}`);
      await byTestId(page, 'verify-result').waitFor();
      const status = byTestId(page, 'verify-status');
      await expectStatus(status, 'suspended');
      assert.equal((await status.textContent()).trim(), '暂停');
      const today = new Date().toISOString().slice(0, 10);
      assert.ok((await byTestId(page, 'verify-result').textContent()).includes(today), 'shows the date of the change');
    });

    const after = await client().request('GET', `/api/certificates/${encodeURIComponent(cert.number)}`);
    assert.equal(after.body.status, 'suspended');
  });

  test("verification shows a renamed holder's former names; the certificate's history shows an expiry change", async () => {
    const admin = client({ lang: 'zh-CN' });
    assert.equal((await admin.signIn('admin')).status, 200);
    const body = client({ lang: 'zh-CN' });
    const signed = await body.signIn('body');
    assert.equal(signed.status, 200);
    const code = validCreditCode('440305');
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: '更名前的示例有限公司', credit_code: code, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const number = `84026IP${String(randomInt(1e6)).padStart(6, '0')}R0S`;
    const c = await body.request('POST', '/api/certificates', {
      json: { number, holder_credit_code: code, standard: 'GB/T 29490-2023', scope: '研发', scope_areas: ['acquisition'], scope_stages: ['research'], issued: '2025-06-01' },
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal((await admin.request('PATCH', `/api/enterprises/${e.body.id}`, { json: { name: '更名后的示例股份有限公司' } })).status, 200);
    assert.equal((await body.request('PATCH', `/api/certificates/${number}`, { json: { expires: '2029-05-31' } })).status, 200);
    const today = new Date().toISOString().slice(0, 10);

    await withPage(async ({ page }) => {
      await page.goto(`/verify?q=${number}`);
      await byTestId(page, 'verify-result').waitFor();
      assert.equal((await byTestId(page, 'cert-holder').textContent()).trim(), '更名后的示例股份有限公司');
      const former = (await byTestId(page, 'cert-holder-former').textContent()).trim();
      assert.ok(former.includes('曾用名') && former.includes('更名前的示例有限公司') && former.includes(today), former);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto(`/certificates/${number}`);
      await byTestId(page, 'certificate-page').waitFor();
      await byTestId(page, 'cert-history-item').filter({ hasText: '有效期由 2028-05-31 改为 2029-05-31' }).waitFor();
    });
  });

  test('a body issues a certificate through the form; a number already used is refused beside its field', async () => {
    const number = `84026IP${randomInt(100000, 999999)}R0S`;
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'certificates-page', '/login?redirect=/certificates');
      for (let round = 0; round < 2; round += 1) {
        await byTestId(page, 'cert-new').click();
        await byTestId(page, 'certificate-new-page').waitFor();
        await byTestId(page, 'cert-number-input').fill(number.toLowerCase());
        await byTestId(page, 'cert-holder-input').fill(demoEnterprise.creditCode);
        await page.locator('[data-testid="cert-scope-areas"] .el-checkbox', { hasText: '获取' }).click();
        await page.locator('[data-testid="cert-scope-areas"] .el-checkbox', { hasText: '保密' }).click();
        await page.locator('[data-testid="cert-scope-stages"] .el-checkbox', { hasText: '研发' }).click();
        await byTestId(page, 'cert-scope').fill('知识产权管理体系覆盖研发过程');
        await byTestId(page, 'cert-submit').click();
        if (round === 0) {
          await byTestId(page, 'certificate-page').waitFor();
          assert.equal(new URL(page.url()).pathname, `/certificates/${number}`);
          await expectStatus(byTestId(page, 'verify-status'), 'valid');
          const text = await page.locator('.cert-card').first().textContent();
          assert.ok(text.includes(demoEnterprise.name) && text.includes('获取、保密') && text.includes('研发'));
          await page.goBack();
          await page.goBack();
          await byTestId(page, 'certificates-page').waitFor();
        } else {
          const error = byTestId(page, 'field-error-number');
          await error.waitFor();
          assert.ok((await error.textContent()).includes(number), 'the server names the number already used');
        }
      }
    });
    const r = await client().request('GET', `/api/certificates/${number}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.scope_areas.sort(), ['acquisition', 'confidentiality']);
  });

  test('a body edits its own organisation: the provinces it serves are shown by name', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.getByRole('link', { name: '本单位', exact: true }).click();
      await byTestId(page, 'organisation-page').waitFor();
      await byTestId(page, 'body-edit').click();
      await pickOption(page, page.locator('[data-testid="body-regions"] .el-select'), '广东省');
      await page.keyboard.press('Escape');
      await byTestId(page, 'body-save').click();
      await byTestId(page, 'body-regions-shown').waitFor();
      assert.equal((await byTestId(page, 'body-regions-shown').textContent()).trim(), '广东省');
      await page.reload();
      await byTestId(page, 'body-regions-shown').waitFor();
      assert.equal((await byTestId(page, 'body-regions-shown').textContent()).trim(), '广东省');
    });
  });

  test('on a 375px-wide screen registration works through the menu and its region picker fits', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      await byTestId(page, 'menu-button').click();
      await page.locator('.drawer-link', { hasText: '企业注册' }).click();
      await byTestId(page, 'register-page').waitFor();
      const onScreen = (box) => box.x >= 0 && box.x + box.width <= phone.width;
      for (const [level, name] of [['province', '广东省'], ['prefecture', '深圳市'], ['county', '南山区']]) {
        const select = regionSelect(page, 'reg-region', level);
        await select.locator('.el-select__wrapper:not(.is-disabled)').waitFor();
        const box = await select.boundingBox();
        assert.ok(onScreen(box), `the ${level} select is on the screen (${box.x}+${box.width})`);
        await select.click();
        const option = page.locator('.el-select-dropdown__item:visible', { hasText: name }).first();
        await option.waitFor();
        const choice = await option.boundingBox();
        assert.ok(onScreen(choice), `the ${level} choices are on the screen (${choice.x}+${choice.width})`);
        await option.click();
      }
      assert.match(await regionSelect(page, 'reg-region', 'county').textContent(), /南山区/);
      await assertFitsPhone(page);
    }, phoneContext);
  });

  test('on a 375px-wide screen every registry page fits without horizontal scrolling', async () => {
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const cert = (await admin.request('GET', '/api/certificates?per_page=1')).body.items[0];
    const body = (await admin.request('GET', '/api/bodies?per_page=1')).body.items[0];
    const paths = [
      ['/enterprises', 'ent-row'], ['/enterprises/1', 'ent-status'], ['/enterprises/new', 'enterprise-new-page'],
      ['/bodies', 'body-row'], [`/bodies/${body.id}`, 'body-title'], ['/bodies/new', 'body-new-page'],
      ['/certificates', 'cert-row'], [`/certificates/${encodeURIComponent(cert.number)}`, 'cert-history'],
      ['/certificates/new', 'certificate-new-page'], [`/verify?q=${demoEnterprise.creditCode}`, 'verify-result'],
      ['/register', 'register-page'],
    ];
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      for (const [path, id] of paths) {
        await page.goto(path);
        await byTestId(page, id).first().waitFor();
        await assertFitsPhone(page, path);
      }
    }, phoneContext);
  });

  test('pages are for their roles: the public is sent to sign in, others see "not for your account"', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/enterprises');
      await byTestId(page, 'login-input').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('redirect'), '/enterprises');
      await signIn(page, 'enterprise');
      await byTestId(page, 'forbidden').waitFor();

      await page.goto('/organisation');
      await byTestId(page, 'organisation-page').waitFor();
      assert.equal((await byTestId(page, 'ent-name').textContent()).trim(), demoEnterprise.name);
    });
  });

  test('the public browses certification bodies and opens one', async () => {
    const list = await client().request('GET', '/api/bodies?per_page=100');
    assert.equal(list.status, 200);
    assert.ok(list.body.total >= 1);
    const body = list.body.items[0];
    await withPage(async ({ page }) => {
      await page.goto('/bodies');
      await byTestId(page, 'body-row').first().waitFor();
      assert.equal(await byTestId(page, 'body-row').count(), Math.min(list.body.total, 20));
      await byTestId(page, 'body-filter-q').fill(body.name);
      await byTestId(page, 'body-search').click();
      await page.waitForURL((u) => u.searchParams.get('q') === body.name);
      const row = byTestId(page, 'body-row').filter({ hasText: body.name }).first();
      await row.getByRole('link', { name: body.name }).click();
      await byTestId(page, 'body-page').waitFor();
      assert.equal((await byTestId(page, 'body-title').textContent()).trim(), body.name);
      assert.equal(await byTestId(page, 'body-edit').count(), 0, 'the public cannot edit');
    });
  });
});
