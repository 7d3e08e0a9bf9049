// Browser test of engagements: the demo enterprise opens the request page of the demo body's
// commitment, answers the consulting question, sends; the body finds the request in its list,
// cannot accept before ticking the declaration, accepts, records stage 1 and stage 2 and
// decides to certify with the prefilled certificate fields; the certificate is linked and the
// enterprise sees the engagement decided, within or beyond the commitment. Then a request that
// the enterprise cancels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404|409)\b/ });

describe('engagements in the browser', () => {
  test('request → accept with the declaration → stages → certified; then a cancel', async () => {
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    // the demo body's commitment, as its seeded requests name it
    const seeded = (await body.request('GET', '/api/engagements?status=requested&per_page=1')).body.items[0];
    assert.ok(seeded, 'the demo body has a requested engagement');
    const commitment = seeded.commitment.id;
    let id;

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/engagements/new?commitment=${commitment}`);
      await byTestId(page, 'engagement-new-page').waitFor();
      await byTestId(page, 'eng-note').fill('体系已运行六个月，申请认证。');
      // the consulting question must be answered
      await byTestId(page, 'eng-submit').click();
      await byTestId(page, 'eng-error').waitFor();
      await byTestId(page, 'eng-consulted-no').click();
      await byTestId(page, 'eng-submit').click();
      await page.waitForURL(/\/engagements\/\d+$/);
      id = Number(page.url().split('/').pop());
      assert.match(await byTestId(page, 'eng-status').innerText(), /待受理/);
      assert.match(await byTestId(page, 'eng-lead').innerText(), /已用 0 天/);
    });

    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto('/engagements?status=requested');
      const row = page.locator(`[data-testid="eng-row"][data-id="${id}"]`);
      await row.waitFor();
      await row.locator('a').first().click();
      await byTestId(page, 'eng-answer').waitFor();
      assert.equal(await byTestId(page, 'eng-accept').isDisabled(), true);
      await byTestId(page, 'eng-declare').click();
      await byTestId(page, 'eng-accept').click();
      await byTestId(page, 'eng-declaration').waitFor();
      assert.match(await byTestId(page, 'eng-declaration').innerText(), /未向该企业提供/);
      // stage 1, then stage 2, dated today
      await byTestId(page, 'eng-stage-submit').click();
      await page.locator('[data-testid="eng-timeline"]', { hasText: '第一阶段审核' }).waitFor();
      await byTestId(page, 'eng-stage-note').fill('现场审核');
      await byTestId(page, 'eng-stage-submit').click();
      await byTestId(page, 'eng-decision-form').waitFor();
      // the certificate's fields come prefilled from the commitment
      assert.ok((await byTestId(page, 'eng-cert-scope').inputValue()).length > 0);
      await byTestId(page, 'eng-decide').click();
      await byTestId(page, 'eng-certificate').waitFor();
      const number = (await byTestId(page, 'eng-certificate').locator('a').innerText()).trim();
      assert.match(number, /^840\d\dIP9\d{6}R0[LMSW]$/);
      await byTestId(page, 'eng-certificate').locator('a').click();
      await page.waitForURL(`**/certificates/${number}`);
    });

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/engagements/${id}`);
      await byTestId(page, 'eng-certificate').waitFor();
      assert.match(await byTestId(page, 'eng-status').innerText(), /已决定/);
      assert.match(await byTestId(page, 'eng-lead').innerText(), /实际 0 天.*承诺 \d+ 天/s);
      assert.match(await byTestId(page, 'eng-lead').innerText(), /符合承诺/);
      // a second request to the same body, cancelled by the enterprise
      await page.goto(`/engagements/new?commitment=${commitment}`);
      await byTestId(page, 'eng-consulted-no').click();
      await byTestId(page, 'eng-submit').click();
      await byTestId(page, 'eng-cancel').waitFor();
      await byTestId(page, 'eng-cancel').click();
      await page.locator('[data-testid="eng-status"]', { hasText: '已撤回' }).waitFor();
      await page.goto('/engagements');
      await byTestId(page, 'eng-row').first().waitFor();
    });
  });
});
