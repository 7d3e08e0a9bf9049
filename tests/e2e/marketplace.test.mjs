// The whole marketplace in the browser, as issue 8 tells it: an enterprise compares two
// commitments and requests an engagement under the demo body's; the body accepts it with its
// conflict-of-interest declaration, records both audit stages and certifies; the public verifies
// the new certificate; the enterprise reviews the body; the body replies; and the ranking page
// then counts one more review for the body. Each person uses only the pages. The enterprise is a
// new one (its account made by an admin through the API), so nothing seeded stands in its way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

// a Shenzhen (Nanshan) enterprise; its code's two check characters computed by GB 32100's rule
const ENTERPRISE = { name: '深圳市全流程测试科技有限公司', credit_code: '91440305MA5FYP5X5P', login: 'market-flow', password: 'guanbiao-demo' };   // signInTo signs in with the demo password

describe('the marketplace from commitment to ranking', () => {
  let bodyId, bodyName, commitmentId, reviewsBefore, number;

  test('an admin registers the enterprise and its account', async () => {
    const admin = client();
    assert.equal((await admin.signIn('admin')).status, 200);
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: ENTERPRISE.name, credit_code: ENTERPRISE.credit_code, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const u = await admin.request('POST', '/api/users', {
      json: { login: ENTERPRISE.login, name: '质量部 王工', role: 'enterprise', password: ENTERPRISE.password, enterprise_id: e.body.id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    const body = client();
    const s = await body.signIn('body');
    bodyId = s.body.user.body_id;
    bodyName = s.body.user.organisation.name;
    const pub = client();
    const mine = (await pub.request('GET', `/api/commitments?body_id=${bodyId}&per_page=5`)).body.items;
    assert.ok(mine.length >= 1, 'the demo body publishes a commitment');
    commitmentId = mine[0].id;
    const ranked = (await pub.request('GET', '/api/rankings')).body.items.find((x) => x.body.id === bodyId);
    assert.ok(ranked, 'the demo body is ranked');
    reviewsBefore = ranked.reviews;
  });

  test('the enterprise compares two commitments, then requests an engagement under the body\'s', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, ENTERPRISE.login, 'home-enterprise');
      await page.goto('/commitments');
      await byTestId(page, 'commitment-card').nth(1).waitFor();
      const ids = await byTestId(page, 'commitment-card').evaluateAll((cards) => cards.slice(0, 2).map((c) => c.dataset.id));
      await byTestId(page, 'commitment-compare').nth(0).click();
      await byTestId(page, 'commitment-compare').nth(1).click();
      await byTestId(page, 'commitments-compare').click();
      await byTestId(page, 'compare-table').waitFor();
      assert.deepEqual(await page.locator('thead th[data-id]').evaluateAll((th) => th.map((x) => x.dataset.id)), ids);
      assert.ok(await page.locator('[data-testid="compare-row"][data-field="lead_time_days"]').count() === 1);

      await page.goto(`/commitments/${commitmentId}`);
      await byTestId(page, 'commitment-request').click();
      await page.waitForURL(new RegExp(`/engagements/new\\?commitment=${commitmentId}$`));
      await byTestId(page, 'eng-note').fill('体系已运行六个月，完成一次内审和一次管理评审，申请认证。');
      await byTestId(page, 'eng-consulted-no').click();
      await byTestId(page, 'eng-submit').click();
      await page.waitForURL(/\/engagements\/\d+$/);
      assert.match(await byTestId(page, 'eng-status').innerText(), /待受理/);
    });
  });

  test('the body accepts with its declaration, records both stages and certifies', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      // the home page counts the requests waiting for an answer, and leads to them
      const waiting = byTestId(page, 'queue-toAnswer');
      await waiting.waitFor();
      assert.ok(Number((await waiting.locator('.queue-n').innerText()).trim()) >= 1, 'the new request waits');
      await waiting.click();
      await page.waitForURL(/\/engagements\?status=requested$/);
      const row = byTestId(page, 'eng-row').filter({ hasText: ENTERPRISE.name }).first();
      await row.waitFor();
      await row.locator('a').first().click();
      await byTestId(page, 'eng-declare').click();
      await byTestId(page, 'eng-accept').click();
      await byTestId(page, 'eng-declaration').waitFor();
      await byTestId(page, 'eng-stage-submit').click();
      await page.locator('[data-testid="eng-timeline"]', { hasText: '第一阶段审核' }).waitFor();
      await byTestId(page, 'eng-stage-submit').click();
      await byTestId(page, 'eng-decision-form').waitFor();
      await byTestId(page, 'eng-decide').click();
      await byTestId(page, 'eng-certificate').waitFor();
      number = (await byTestId(page, 'eng-certificate').locator('a').innerText()).trim();
      assert.match(number, /^[0-9A-Z-]{6,40}$/);
    });
  });

  test('the public verifies the certificate', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/verify');
      await byTestId(page, 'verify-input').fill(number);
      await byTestId(page, 'verify-submit').click();
      const card = byTestId(page, 'verify-result');
      await card.waitFor();
      const text = await card.innerText();
      assert.ok(text.includes(number), 'the card names the number');
      assert.ok(text.includes(ENTERPRISE.name), 'and the holder');
      assert.ok(text.includes(bodyName), 'and the body');
      assert.match(text, /有效/);
    });
  });

  const comment = `从申请到发证都在承诺周期内，效果核查看了我们的专利数据-${Date.now()}`;
  const reply = '感谢评价，我们会在监督审核中继续跟进效果核查。';

  test('the enterprise reviews the body; the body replies once', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, ENTERPRISE.login, 'home-enterprise');
      await page.locator('a[href="/my/reviews"]:visible').first().click();
      const row = byTestId(page, 'reviewable').filter({ hasText: bodyName }).first();
      await row.waitFor();
      await row.locator('[data-testid="review-write"]').click();
      const form = byTestId(page, 'review-new');
      for (const [d, n] of [['professionalism', 5], ['effectiveness', 5], ['timeliness', 4], ['commitment', 5]])
        await form.locator(`[data-testid="rating-${d}"] label`).nth(n - 1).click();
      await byTestId(page, 'review-new-comment').fill(comment);
      await byTestId(page, 'review-new-submit').click();
      await byTestId(page, 'my-review').filter({ hasText: comment }).waitFor();
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.locator('a[href="/body/reviews"]:visible').first().click();
      const item = byTestId(page, 'body-review').filter({ hasText: comment }).first();
      await item.waitFor();
      await item.locator('[data-testid="reply-text"]').fill(reply);
      await item.locator('[data-testid="reply-submit"]').click();
      await item.locator('[data-testid="body-review-reply"]').waitFor();
    });
    await withPage(async ({ page }) => {
      await page.goto(`/bodies/${bodyId}`);
      const review = byTestId(page, 'review').filter({ hasText: comment }).first();
      await review.waitFor();
      assert.ok((await review.innerText()).includes(reply), 'the public sees the reply under the review');
    });
  });

  test('the ranking page counts the new review for the body', async () => {
    await withPage(async ({ page }) => {
      // the review queued the ranking job; the runner takes it within its tick
      let shown = reviewsBefore;
      for (let i = 0; i < 60 && shown !== reviewsBefore + 1; i++) {
        await page.goto('/rankings');
        const row = byTestId(page, 'rankings-row').filter({ has: page.getByRole('link', { name: bodyName, exact: true }) });
        await row.waitFor();
        shown = Number((await row.locator('td.num').last().innerText()).trim());
        if (shown !== reviewsBefore + 1) await page.waitForTimeout(1000);
      }
      assert.equal(shown, reviewsBefore + 1, 'one more review counted');
    });
  });
});
