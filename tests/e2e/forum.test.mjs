// The exchange forum in the browser, as people use it (docs/learning.md "Exchange"): a visitor
// reaches the forum from the top bar ("交流"), reads a topic with its accepted answer; the demo
// enterprise opens a topic in Markdown (shown rendered, a <script> in it inert), the body replies
// and the author accepts that reply; the body reports the topic, a regulator hides it from the
// moderation queue with a reason; the public then sees the placeholder, the author the reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo, phoneContext, assertFitsPhone } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

describe('the exchange forum in the browser', () => {
  const title = `内审检查表怎么编-${Date.now()}`;
  let topicPath;

  test('a visitor finds the forum in the top bar and reads a solved topic', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      await page.locator('a[href="/forum"]:visible').first().click();
      await byTestId(page, 'forum-category').first().waitFor();
      assert.deepEqual((await byTestId(page, 'forum-category').allInnerTexts()).slice(0, 5),
        ['贯标认证', '内审与管理评审', '专利运用', '政策解读', '平台使用']);
      await page.locator('a', { hasText: '首次认证前需要运行体系多久？' }).click();
      await byTestId(page, 'forum-accepted').waitFor();
      const accepted = byTestId(page, 'forum-reply').filter({ has: page.locator('[data-testid="forum-accepted"]') });
      assert.match(await accepted.innerText(), /运行满三个月/);
      assert.equal(await page.locator('.post-html strong', { hasText: '运行满三个月' }).count(), 1, 'Markdown shown rendered');
      assert.equal(await byTestId(page, 'forum-reply-submit').count(), 0, 'no reply form for the public');
    });
  });

  test('post, reply, accept; report; hide from the queue; placeholder and reason', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto('/forum');
      await byTestId(page, 'forum-new').click();
      await byTestId(page, 'forum-new-category').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '内审与管理评审' }).click();
      await byTestId(page, 'forum-new-title').fill(title);
      await byTestId(page, 'forum-new-body').fill('检查表要覆盖**全部条款**吗？\n\n<script>window.pwned = 1</script>');
      await byTestId(page, 'forum-new-submit').click();
      await byTestId(page, 'forum-topic-title').filter({ hasText: title }).waitFor();
      topicPath = new URL(page.url()).pathname;
      assert.match(topicPath, /^\/forum\/topics\/\d+$/);
      assert.equal(await byTestId(page, 'forum-topic-html').locator('strong').innerText(), '全部条款');
      assert.equal(await page.evaluate(() => window.pwned), undefined, 'the script is inert');
      assert.equal(await byTestId(page, 'forum-follow').innerText(), '取消关注', 'the author follows the topic');
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto(topicPath);
      await byTestId(page, 'forum-reply-body').fill('建议按过程编写，**每个条款至少一个检查点**。');
      await byTestId(page, 'forum-reply-submit').click();
      await byTestId(page, 'forum-reply').first().waitFor();
      assert.match(await byTestId(page, 'forum-reply').first().innerText(), /每个条款至少一个检查点/);
      await byTestId(page, 'forum-report-topic').click();
      await byTestId(page, 'forum-reason').fill('与版块无关的测试内容');
      await byTestId(page, 'forum-reason-confirm').click();
      await page.locator('.el-message', { hasText: '已举报' }).waitFor();
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(topicPath);
      await byTestId(page, 'forum-accept').first().click();
      await byTestId(page, 'forum-accepted').waitFor();
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/forum/moderation');
      const item = byTestId(page, 'forum-report').filter({ hasText: title });
      await item.waitFor();
      await item.locator('[data-testid="forum-queue-hide"]').click();
      await byTestId(page, 'forum-queue-reason').fill('测试内容，不宜公开');
      await byTestId(page, 'forum-queue-hide-confirm').click();
      await byTestId(page, 'forum-report').filter({ hasText: title }).waitFor({ state: 'detached' });
    });
    await withPage(async ({ page }) => {
      await page.goto(topicPath);
      await byTestId(page, 'forum-topic-title').waitFor();
      assert.equal(await byTestId(page, 'forum-topic-title').innerText(), '该内容已被版主隐藏。');
      assert.equal(await page.locator('[data-testid="forum-topic-html"]').innerHTML(), '', 'no text of the hidden topic');
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(topicPath);
      await byTestId(page, 'forum-topic-reason').waitFor();
      assert.match(await byTestId(page, 'forum-topic-reason').innerText(), /测试内容，不宜公开/);
    });
  });

  test('on a phone the forum fits the screen', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/forum');
      await byTestId(page, 'forum-topic').first().waitFor();
      await assertFitsPhone(page, '/forum');
      await page.goto(topicPath || '/forum');
      await page.waitForLoadState('networkidle');
      await assertFitsPhone(page, 'a topic');
    }, phoneContext);
  });
});
