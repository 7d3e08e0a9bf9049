// The ranking of certification bodies in the browser (/rankings and the body page; docs/
// marketplace.md "Ranking"), on the seeded demo, as a visitor would: from the public menu to the
// ranking, whose table is best first with ranks shared only by equal scores and says the same as
// GET /api/rankings; the page explains the formula (weights, shrinkage, the interval, what never
// counts); a body's name leads to its page, which shows its place and the inputs behind it.
// Run after building the UI.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, phoneContext, assertFitsPhone } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });

describe('rankings page', () => {
  let ranking;
  before(async () => {
    const pub = client();
    ranking = (await pub.request('GET', '/api/rankings')).body;
    assert.ok(ranking.items.length >= 10, 'the demo is ranked');
  });

  test('a visitor finds the ranking, sorted, with the formula explained', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/');
      await page.getByRole('link', { name: '机构排名' }).first().click();
      await byTestId(page, 'rankings-row').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/rankings');
      await page.getByRole('heading', { level: 1, name: '认证机构排名' }).waitFor();
      const rows = byTestId(page, 'rankings-row');
      assert.equal(await rows.count(), ranking.items.length);
      const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({
        rank: Number(tr.dataset.rank), score: Number(tr.dataset.score), name: tr.querySelector('a').textContent.trim(),
      })));
      for (let i = 0; i < shown.length; i++) {
        assert.equal(shown[i].name, ranking.items[i].body.name, `row ${i}`);
        assert.equal(shown[i].rank, ranking.items[i].rank, `row ${i}`);
        if (i > 0) {
          assert.ok(shown[i].score <= shown[i - 1].score, `row ${i} is not above row ${i - 1}`);
          assert.equal(shown[i].rank, shown[i].score === shown[i - 1].score ? shown[i - 1].rank : i + 1, `rank of row ${i}`);
        }
      }
      // the score and its interval, in words for screen readers
      const top = ranking.items[0];
      const bar = rows.first().getByRole('img');
      assert.equal(await bar.getAttribute('aria-label'),
        `得分 ${top.score.toFixed(1)}，80% 区间 ${top.interval[0].toFixed(1)} 至 ${top.interval[1].toFixed(1)}`);
      // the formula in plain words
      const formula = byTestId(page, 'rankings-formula');
      const text = await formula.textContent();
      for (const words of ['0.5 × 客户评价', '0.3 × 认证效果', '0.2 × 承诺兑现', '10 条平台平均分', '5 个按平台兑现率', '80% 区间', '先验值 50'])
        assert.ok(text.includes(words), `the formula says ${words}`);
      const never = await byTestId(page, 'rankings-never').textContent();
      for (const words of ['成立年限', '注册资本', '规模', '客户数量', '地区']) assert.ok(never.includes(words), `never: ${words}`);

      // a body's name leads to its page, with its place and the inputs behind it
      await rows.first().getByRole('link', { name: top.body.name }).click();
      await byTestId(page, 'body-ranking-inputs').waitFor();
      assert.equal((await byTestId(page, 'body-ranking-rank').textContent()).trim(), `第 ${top.rank} 名（共 ${ranking.items.length} 家）`);
      const inputs = await byTestId(page, 'body-ranking-inputs').textContent();
      assert.ok(inputs.includes(String(top.reviews)), 'the reviews counted');
      await page.getByRole('link', { name: '排名如何计算' }).click();
      await byTestId(page, 'rankings-formula').waitFor();
    });
  });

  test('in English, and on a phone', async () => {
    await withPage(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));
      await page.goto('/rankings');
      await byTestId(page, 'rankings-row').first().waitFor();
      await page.getByRole('heading', { name: 'How the ranking is computed (method v1)' }).waitFor();
      const never = await byTestId(page, 'rankings-never').textContent();
      for (const words of ['age', 'registered capital', 'size', 'number of clients', 'region']) assert.ok(never.includes(words), words);
      await assertFitsPhone(page, 'rankings page');
    }, phoneContext);
  });
});
