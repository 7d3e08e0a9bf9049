// Browser test of the statistics pages (capability 6; docs/statistics.md "Pages") against the
// real binary with the seeded demo: the Guangdong regulator opens 统计分析 from its navigation and
// sees, on every dashboard, the numbers the API answers for the same filter (read with the page's
// own session); changing the period and the industry changes the address and the numbers; opened
// on a city's address, the region select still offers its province alone; the XLSX (read back
// with openpyxl) and a CSV download; the national regulator drills from the provinces into
// Guangdong (a click on its bar); an admin in English gets English tabs, line and files
// (&lang=en); an enterprise has no entry and gets the "no access" page.
// Run from the repository root after building the server and the UI:
//   node --test tests/e2e/statistics.test.mjs
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|403)\b/ });
const TABS = ['learning', 'certification', 'effectiveness', 'feedback'];

/** The dashboard's answer for a query, fetched with the page's own session cookie. */
const answerOf = (page, tab, query = '') => page.evaluate(async ([t, q]) => {
  const r = await fetch(`/api/statistics/${t}${q}`, { headers: { Accept: 'application/json' } });
  return { status: r.status, body: await r.json() };
}, [tab, query]);

/** Waits until the tab's panel has answered, and returns its KPI cards as {key: data-value}. */
async function kpis(page, tab) {
  await page.locator(`[data-testid="stat-panel"][data-tab="${tab}"][data-state="ready"]`).waitFor();
  return Object.fromEntries(await page.locator('[data-testid="stat-kpi"]').evaluateAll(
    (cards) => cards.map((c) => [c.dataset.key, c.dataset.value])));
}
/** The answer's totals as the cards carry them (null as ''). */
const asCards = (totals, keys) => Object.fromEntries(keys.map((k) => [k, totals[k] === null || totals[k] === undefined ? '' : String(totals[k])]));

/** Clicks the element and saves what it downloads: { name, bytes, path }. */
async function downloadBy(locator, page) {
  const dir = mkdtempSync(join(tmpdir(), 'guanbiao-e2e-stats-'));
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 5000);
  return { name: download.suggestedFilename(), bytes: readFileSync(path), path };
}

/** Types a month into a month picker and confirms it. */
async function pickMonth(page, testid, month) {
  const input = page.locator(`[data-testid="${testid}"] input`).first();
  await input.click();
  await input.fill(month);
  await input.press('Enter');
}

describe('the statistics pages', () => {
  before(async () => {
    const gd = env.client();
    assert.equal((await gd.signIn('regulator-gd')).status, 200);
    for (const tab of TABS) {
      const r = await gd.request('GET', `/api/statistics/${tab}`);
      assert.equal(r.status, 200, `the ${tab} dashboard: ${JSON.stringify(r.body)}`);
    }
  });

  test('the Guangdong regulator sees the numbers the API answers, on every dashboard', async () => {
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.locator('a[href="/statistics"]').first().click();
      await byTestId(page, 'stats-page').waitFor();
      for (const tab of TABS) {
        await byTestId(page, `stats-tab-${tab}`).click();
        if (tab !== 'learning') await page.waitForURL(new RegExp(`[?&]tab=${tab}`));
        const cards = await kpis(page, tab);
        const api = await answerOf(page, tab);
        assert.equal(api.status, 200);
        assert.equal(api.body.filters.region, '440000');
        assert.deepEqual(cards, asCards(api.body.totals, Object.keys(cards)), `${tab}: the cards are the API's totals`);
        assert.ok(Object.keys(cards).length >= 4, tab);
        assert.match(await byTestId(page, 'stats-shown').textContent(), /广东省/);
        if (api.body.by_region) {
          const codes = await page.locator(`[data-testid="stat-row"][data-table="by_region"]`).evaluateAll((rs) => rs.map((r) => r.dataset.region));
          assert.deepEqual(codes, api.body.by_region.map((r) => String(r.region ?? r.group)), `${tab}: the regions`);
          for (const c of codes) assert.match(c, /^44/);
        }
      }
    });
  });

  test('changing the period and the industry changes the address and the numbers', async () => {
    const tab = TABS[0];
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto(`/statistics?tab=${tab}`);
      const before = await kpis(page, tab);
      const all = await answerOf(page, tab);
      assert.deepEqual(before, asCards(all.body.totals, Object.keys(before)));
      // the period: one month, the last of the default twelve
      const month = all.body.filters.to;
      await pickMonth(page, 'stats-filter-from', month);
      await page.waitForURL(new RegExp(`[?&]from=${month}`));
      const narrow = await answerOf(page, tab, `?from=${month}`);
      assert.equal(narrow.status, 200, JSON.stringify(narrow.body));
      assert.equal(narrow.body.filters.from, month);
      await page.locator(`[data-testid="stat-panel"][data-state="ready"]`).waitFor();
      await page.waitForFunction(([m]) => document.querySelector('[data-testid="stats-shown"]')?.textContent.includes(`${m} 至 ${m}`), [month]);
      assert.deepEqual(await kpis(page, tab), asCards(narrow.body.totals, Object.keys(before)), 'one month');
      assert.notDeepEqual(asCards(narrow.body.totals, Object.keys(before)), before, 'the demo has numbers in other months too');
      if (tab === 'learning' || tab === 'certification') {
        const months = await page.locator('[data-testid="stat-row"][data-table="by_month"]').count();
        assert.equal(months, 1, 'one month row');
      }
      // the province select offers Guangdong alone (the regulator's reach)
      await page.locator('[data-testid="stats-filter-region"] .el-select').first().click();
      await page.locator('.el-select-dropdown__item:visible').first().waitFor();
      assert.deepEqual((await page.locator('.el-select-dropdown__item:visible').allTextContents()).map((x) => x.trim()), ['广东省']);
      await page.keyboard.press('Escape');
      // the industry: section C (manufacturing), chosen in the select
      await page.locator('[data-testid="stats-filter-industry"] .el-select').click();
      await page.keyboard.type('C 制造业');
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^C 制造业$/ }).click();
      await page.waitForURL(/[?&]industry=C(&|$)/);
      assert.match(page.url(), new RegExp(`[?&]from=${month}`));
      const manufacturing = await answerOf(page, tab, `?from=${month}&industry=C`);
      assert.equal(manufacturing.body.filters.industry, 'C');
      await page.waitForFunction(() => document.querySelector('[data-testid="stats-shown"]')?.textContent.includes('制造业'));
      await page.locator(`[data-testid="stat-panel"][data-state="ready"]`).waitFor();
      assert.deepEqual(await kpis(page, tab), asCards(manufacturing.body.totals, Object.keys(before)), 'manufacturing, one month');
      // reset: back to the defaults, and to the numbers of the start
      await byTestId(page, 'stats-reset').click();
      await page.waitForURL((u) => !u.search.includes('industry=') && !u.search.includes('from='));
      await page.waitForFunction(() => !document.querySelector('[data-testid="stats-shown"]')?.textContent.includes('制造业'));
      await page.locator(`[data-testid="stat-panel"][data-state="ready"]`).waitFor();
      assert.deepEqual(await kpis(page, tab), before, 'reset');
    });
  });

  test('opened on an address that names a city, the province select still offers Guangdong alone', async () => {
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto('/statistics?region=440300');
      await page.locator('[data-testid="stat-panel"][data-state="ready"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="stats-shown"]')?.textContent.includes('深圳市'));
      await page.locator('[data-testid="stats-filter-region"] .el-select').first().click();
      await page.locator('.el-select-dropdown__item:visible').first().waitFor();
      assert.deepEqual((await page.locator('.el-select-dropdown__item:visible').allTextContents()).map((x) => x.trim()), ['广东省']);
      await page.keyboard.press('Escape');
    });
  });

  test('the dashboard downloads as XLSX (a sheet per table) and a table as CSV', async () => {
    const tab = TABS[0];
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto(`/statistics?tab=${tab}`);
      await kpis(page, tab);
      const api = await answerOf(page, tab);
      const tables = Object.keys(api.body).filter((k) => k !== 'filters' && k !== 'totals');
      const xlsx = byTestId(page, 'stat-xlsx');
      assert.match(await xlsx.getAttribute('href'), new RegExp(`^/api/statistics/${tab}\\?format=xlsx&lang=zh$`));
      const file = await downloadBy(xlsx, page);
      assert.match(file.name, /\.xlsx$/);
      const r = spawnSync('/usr/bin/python3', ['-c', `
import openpyxl, sys, json
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([ws.title for ws in wb.worksheets], ensure_ascii=False))
`, file.path], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const sheets = JSON.parse(r.stdout);
      assert.ok(sheets.length >= tables.length, `a sheet per table: ${sheets.join(', ')} for ${tables.join(', ')}`);
      // the first table's CSV: the BOM and a header row in Chinese
      const first = tables[0];
      const link = page.locator(`[data-testid="stat-csv"][data-table="${first}"]`);
      assert.equal(await link.getAttribute('href'), `/api/statistics/${tab}?format=csv&table=${first}&lang=zh`);
      const csv = await downloadBy(link, page);
      assert.match(csv.name, /\.csv$/);
      assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const lines = csv.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
      assert.match(lines[0], /[\u4e00-\u9fff]/, `a Chinese header: ${lines[0]}`);
      assert.equal(lines.length - 1, api.body[first].length, 'a line per row');
    });
  });

  test('the national regulator drills from the provinces into Guangdong', async () => {
    const tab = 'certification';
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto(`/statistics?tab=${tab}`);
      await kpis(page, tab);
      const country = await answerOf(page, tab);
      assert.ok(!country.body.filters.region, 'the whole country');
      await byTestId(page, 'stat-chart-region').locator('canvas').waitFor();
      const provinces = await page.locator('[data-testid="stat-row"][data-table="by_region"]').evaluateAll((rs) => rs.map((r) => r.dataset.region));
      assert.ok(provinces.includes('440000'), `Guangdong among ${provinces.join(' ')}`);
      // a click on Guangdong's bar in the chart (the table's buttons do the same from the keyboard)
      const chart = byTestId(page, 'stat-chart-region');
      await chart.scrollIntoViewIfNeeded();
      const at = await chart.evaluate((el) => {
        const c = el.statChart;
        const i = c.rows.findIndex((g) => g.code === '440000');
        const value = c.getOption().series[0].data[i];
        return c.convertToPixel({ seriesIndex: 0 }, [Math.max(value, 0) / 2, i]);
      });
      const box = await chart.boundingBox();
      // the bars grow in (ECharts' animation): wait until the point is on Guangdong's bar
      await page.waitForFunction(([el, p]) => Boolean(el.statChart.getZr().handler.findHover(p[0], p[1])?.target), [await chart.elementHandle(), at]);
      await page.mouse.click(box.x + Math.max(at[0], 1), box.y + at[1]);
      await page.waitForURL(/[?&]region=440000(&|$)/);
      await page.waitForFunction(() => document.querySelector('[data-testid="stats-shown"]')?.textContent.includes('广东省'));
      const gd = await answerOf(page, tab, '?region=440000');
      await page.locator(`[data-testid="stat-panel"][data-state="ready"]`).waitFor();
      const cards = await kpis(page, tab);
      assert.deepEqual(cards, asCards(gd.body.totals, Object.keys(cards)));
      const prefectures = await page.locator('[data-testid="stat-row"][data-table="by_region"]').evaluateAll((rs) => rs.map((r) => r.dataset.region));
      assert.deepEqual(prefectures, gd.body.by_region.map((r) => String(r.region ?? r.group)));
      for (const c of prefectures) assert.match(c, /^44\d\d00$/);
      // under 广东省 a prefecture is named alone
      assert.equal((await page.locator('[data-testid="stat-drill"][data-region="440300"]').textContent()).trim(), '深圳市');
      // and back up to the country
      await byTestId(page, 'stat-drill-up').click();
      await page.waitForURL((u) => !u.search.includes('region='));
      await page.waitForFunction(() => !document.querySelector('[data-testid="stats-shown"]')?.textContent.includes('广东省'));
    });
  });

  test('in English the tabs, cards and downloads are English', async () => {
    const tab = 'certification';
    await env.withPage(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('guanbiao.lang', 'en'));
      await signInTo(page, 'admin', 'home-admin');
      await page.locator('a[href="/statistics"]').first().click();
      await byTestId(page, `stats-tab-${tab}`).click();
      await kpis(page, tab);
      assert.equal((await byTestId(page, 'stats-tab-learning').textContent()).trim(), 'Learning');
      assert.match(await byTestId(page, 'stats-shown').textContent(), /^Showing: .*, All industries, \d{4}-\d\d to \d{4}-\d\d$/);
      assert.equal(await byTestId(page, 'stat-xlsx').getAttribute('href'), `/api/statistics/${tab}?format=xlsx&lang=en`);
      for (const href of await page.locator('[data-testid="stat-csv"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        assert.match(href, /[?&]format=csv&table=\w+&lang=en$/);
      }
      const csv = await page.request.get(await page.locator('[data-testid="stat-csv"]').first().getAttribute('href'));
      assert.equal(csv.status(), 200);
      assert.doesNotMatch((await csv.text()).split(/\r?\n/)[0], /[\u4e00-\u9fff]/, 'an English header');
    });
  });

  test('an enterprise has no statistics entry and gets the no-access page', async () => {
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      assert.equal(await page.locator('a[href="/statistics"]').count(), 0);
      await page.goto('/statistics');
      await byTestId(page, 'forbidden').waitFor();
      assert.equal(await byTestId(page, 'stats-page').count(), 0);
    });
  });
});
