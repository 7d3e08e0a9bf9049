// Reviews and complaints in the browser, as people use them (docs/marketplace.md "Feedback and
// complaints"): the demo enterprise reviews the demo body from "My reviews", edits it and reads
// its history; the body replies once; the public sees the review and the reply on the body's
// page; a regulator hides it with a reason and the public then sees only the placeholder; the
// enterprise files a complaint, a regulator takes it through its steps, and the enterprise reads
// the outcome.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo, phoneContext, assertFitsPhone } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

describe('reviews and complaints in the browser', () => {
  const comment = `审核安排周到，现场审核准时开始-${Date.now()}`;
  let bodyId, bodyName;

  test('an enterprise reviews the body, edits it and reads the earlier version', async () => {
    const body = client();
    const s = await body.signIn('body');
    bodyId = s.body.user.body_id;
    bodyName = s.body.user.organisation.name;
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/my/reviews"]:visible').first().click();
      const row = byTestId(page, 'reviewable').filter({ hasText: bodyName }).first();
      await row.waitFor();
      await row.locator('[data-testid="review-write"]').click();
      const form = byTestId(page, 'review-new');
      for (const [d, n] of [['professionalism', 5], ['effectiveness', 4], ['timeliness', 4], ['commitment', 5]]) {
        await form.locator(`[data-testid="rating-${d}"] label`).nth(n - 1).click();
      }
      await byTestId(page, 'review-new-comment').fill(comment);
      await byTestId(page, 'review-new-submit').click();
      const mine = byTestId(page, 'my-review').filter({ hasText: comment });
      await mine.waitFor();
      assert.match(await mine.innerText(), /专业能力 5\/5/);
      // edit: lower timeliness, add a sentence
      await mine.locator('[data-testid="review-edit"]').click();
      const edit = byTestId(page, 'review-edit-form');
      await edit.locator('[data-testid="rating-timeliness"] label').nth(2).click();
      await byTestId(page, 'review-edit-form-comment').fill(`${comment}（补充：决定稍晚。）`);
      await byTestId(page, 'review-edit-form-submit').click();
      const edited = byTestId(page, 'my-review').filter({ hasText: '补充：决定稍晚' });
      await edited.waitFor();
      assert.match(await edited.innerText(), /第 2 版/);
      await edited.locator('[data-testid="review-history"]').click();
      const versions = byTestId(page, 'review-version');
      await versions.nth(1).waitFor();
      assert.equal(await versions.count(), 2);
      assert.match(await versions.nth(0).innerText(), /第 1 版[\s\S]*及时性 4\/5/);
      assert.match(await versions.nth(1).innerText(), /当前版本[\s\S]*及时性 3\/5/);
    });
  });

  test('the body replies once; the public sees the review and the reply', async () => {
    const reply = '感谢贵公司的评价，我们会进一步缩短决定周期。';
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.locator('a[href="/body/reviews"]:visible').first().click();
      const item = byTestId(page, 'body-review').filter({ hasText: comment }).first();
      await item.waitFor();
      await item.locator('[data-testid="reply-text"]').fill(reply);
      await item.locator('[data-testid="reply-submit"]').click();
      await item.locator('[data-testid="body-review-reply"]').waitFor();
      assert.equal(await item.locator('[data-testid="reply-submit"]').count(), 0, 'one reply: the form is gone');
    });
    await withPage(async ({ page }) => {
      await page.goto(`/bodies/${bodyId}`);
      const review = byTestId(page, 'review').filter({ hasText: comment }).first();
      await review.waitFor();
      assert.match(await review.innerText(), new RegExp(reply));
      assert.match(await byTestId(page, 'body-reviews-count').innerText(), /共 \d+ 条公开评价/);
    });
  });

  test('a regulator hides it with a reason: the public sees the placeholder, not the text', async () => {
    const reason = '评论含有可识别个人身份的信息，依评价规则隐藏。';
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.locator('a[href="/moderation"]:visible').first().click();
      const item = byTestId(page, 'moderation-item').filter({ hasText: comment }).first();
      await item.waitFor();
      await item.locator('[data-testid="moderation-hide"]').click();
      await item.locator('[data-testid="moderation-reason"]').fill(reason);
      await item.locator('[data-testid="moderation-hide-confirm"]').click();
      await byTestId(page, 'moderation-item').filter({ hasText: comment }).locator('[data-testid="moderation-unhide"]').waitFor();
    });
    await withPage(async ({ page }) => {
      await page.goto(`/bodies/${bodyId}`);
      const placeholder = byTestId(page, 'review-hidden').filter({ hasText: reason }).first();
      await placeholder.waitFor();
      assert.equal(await page.getByText(comment).count(), 0, 'the hidden text is not on the public page');
    });
  });

  test('the review policy is public, in Chinese and English, and links to the ranking', async () => {
    await withPage(async ({ page }) => {
      await page.goto(`/bodies/${bodyId}`);
      await byTestId(page, 'body-reviews-policy').click();
      await page.waitForURL('**/reviews/policy');
      assert.match(await byTestId(page, 'policy-who').innerText(), /每次委托只能评价一次/);
      assert.match(await byTestId(page, 'policy-order').innerText(), /从新到旧/);
      assert.match(await byTestId(page, 'policy-moderation').innerText(), /必须记录原因/);
      assert.equal(await byTestId(page, 'policy-rankings').getAttribute('href'), '/rankings');
      await byTestId(page, 'lang-switch').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="policy-order"]')?.textContent.includes('newest first'));
      assert.match(await byTestId(page, 'policy-who').innerText(), /One review per engagement/);
    });
  });

  test('a complaint: filed by the enterprise, taken through its steps by a regulator, read by both', async () => {
    const text = `审核组长临时更换且未提前通知-${Date.now()}`;
    let path;
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/complaints"]:visible').first().click();
      await byTestId(page, 'complaint-engagement').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: bodyName }).first().click();
      await byTestId(page, 'complaint-text').fill(text);
      await byTestId(page, 'complaint-submit').click();
      await page.waitForURL(/\/complaints\/\d+$/);
      path = new URL(page.url()).pathname;
      assert.equal(await byTestId(page, 'complaint-status').innerText(), '已受理');
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto(path);
      await byTestId(page, 'complaint-to-under_review').click();
      await byTestId(page, 'complaint-advance-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="complaint-status"]')?.textContent.trim() === '调查中');
      await byTestId(page, 'complaint-to-upheld').click();
      await byTestId(page, 'complaint-note').fill('经核实投诉属实，已责令机构改进通知流程。');
      await byTestId(page, 'complaint-advance-submit').click();
      await byTestId(page, 'complaint-resolution').waitFor();
      assert.equal(await byTestId(page, 'complaint-status').innerText(), '投诉成立');
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(path);
      await byTestId(page, 'complaint-resolution').waitFor();
      assert.match(await byTestId(page, 'complaint-events').innerText(), /已受理[\s\S]*调查中[\s\S]*投诉成立/);
    });
  });

  test('on a phone: the public reviews, my reviews and the moderation queue fit the screen', async () => {
    await withPage(async ({ page }) => {
      await page.goto(`/bodies/${bodyId}`);
      await byTestId(page, 'review').first().waitFor();
      await assertFitsPhone(page, 'a body with its reviews');
      await page.goto('/reviews/policy');
      await byTestId(page, 'policy-who').waitFor();
      await assertFitsPhone(page, 'the review policy');
    }, phoneContext);
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto('/my/reviews');
      await byTestId(page, 'my-review').first().waitFor();
      await byTestId(page, 'review-write').first().click();
      await byTestId(page, 'review-new').waitFor();
      await assertFitsPhone(page, 'my reviews, writing one');
    }, phoneContext);
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/moderation');
      await byTestId(page, 'moderation-item').first().waitFor();
      await assertFitsPhone(page, 'the moderation queue');
    }, phoneContext);
  });
});
