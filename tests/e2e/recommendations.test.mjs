// Recommendations in the browser (docs/statistics.md "Recommendations"), on the seeded demo: the
// demo enterprise's home shows "为您推荐" with reasons, the first one's reason is the one the API
// gives; following its link opens the page it names; /recommendations lists every item; in
// English the reasons are English; the demo body's home shows its own; a regulator sees an
// enterprise's recommendations on the enterprise's page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });

describe('recommendations that say why', () => {
  test('the demo enterprise sees its recommendations with their reasons and follows one', async () => {
    const ent = client();
    const entId = (await ent.signIn('enterprise')).body.user.enterprise_id;
    const expected = (await ent.request('GET', '/api/recommendations')).body.items;
    assert.ok(expected.length >= 3, JSON.stringify(expected));
    const english = (await ent.request('GET', '/api/recommendations', { headers: { 'accept-language': 'en' } })).body.items;

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      const card = byTestId(page, 'recommendations');
      await card.getByText('为您推荐').first().waitFor();
      await byTestId(card, 'recommendation').first().waitFor();
      assert.equal(await byTestId(card, 'recommendation').count(), 3, 'the home shows the first three');
      assert.equal((await byTestId(card, 'recommendation-reason').first().textContent()).trim(), `原因：${expected[0].reason.text}`);

      // the whole list
      await page.goto(new URL('/recommendations', page.url()).href);
      await byTestId(page, 'recommendations-page').waitFor();
      await byTestId(page, 'recommendation').first().waitFor();
      assert.equal(await byTestId(page, 'recommendation').count(), expected.length);

      // follow the first linked item
      const linked = expected.findIndex((i) => i.url);
      assert.ok(linked >= 0, 'an item with a link');
      await byTestId(page, 'recommendation').nth(linked).getByRole('link', { name: expected[linked].title }).click();
      await page.waitForURL((u) => u.pathname === expected[linked].url);
    });

    await withPage(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));
      await signInTo(page, 'enterprise', 'home-enterprise');
      const card = byTestId(page, 'recommendations');
      await card.getByText('Recommended for you').first().waitFor();
      await card.getByText(english[0].reason.text).waitFor();
    });

    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto(new URL(`/enterprises/${entId}`, page.url()).href);
      const card = byTestId(page, 'recommendations');
      await card.getByText('平台对该企业的推荐').waitFor();
      await card.getByText(expected[0].reason.text).waitFor();
    });
  });

  test('the demo body sees its own recommendations on its home', async () => {
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const expected = (await body.request('GET', '/api/recommendations')).body.items;
    assert.ok(expected.length >= 3, JSON.stringify(expected));
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      const card = byTestId(page, 'recommendations');
      await card.getByText(expected[0].reason.text).waitFor();
      assert.equal(await byTestId(card, 'recommendation').count(), 3);
    });
  });
});
