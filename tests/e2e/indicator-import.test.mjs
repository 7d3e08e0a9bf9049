// Browser test of the indicator import page (/indicators/import; docs/effectiveness.md
// "Imports") against the real binary with the seeded demo: the enterprise reaches it from its
// navigation, chooses a small GBK file in the wide layout (built here by Python's gb18030 codec),
// sees the preview (nothing written yet, the rejected cell listed with its row and column), then
// imports it and sees the values written; the values are read back with SQL.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { sql } from '../api/lib/sql.mjs';

const browser = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401)\b/ });
const { withPage, client } = browser;

function gbk(text) {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.read().encode("gb18030"))'],
    { input: Buffer.from(text, 'utf8') });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

describe('indicator import in the web UI', () => {
  test('an enterprise previews, then imports a GBK file in the wide layout', async () => {
    const c = client();
    assert.equal((await c.signIn('enterprise')).status, 200);
    const session = await c.request('GET', '/api/session');
    const own = (await c.request('GET', `/api/enterprises/${session.body.user.enterprise_id}`)).body.credit_code;
    const db = browser.server.db;
    const year = 2012;      // before the demo seed's years (2016–2025)
    const stored = () => sql(db, `SELECT i.code, v.value FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
      JOIN enterprises e ON e.id = v.enterprise_id WHERE e.credit_code = '${own}' AND v.year = ${year} AND v.source = 'import'
      ORDER BY i.code`);
    const file = gbk(`统一社会信用代码,年度,发明专利申请量,发明专利授权率,专职知识产权人员数\r\n${own},${year},１２,45%,很多\r\n`);

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/indicators/import"]').first().click();
      await byTestId(page, 'indicator-import-page').waitFor();
      await page.locator('[data-testid="indicator-import-input"]').setInputFiles(
        { name: '指标宽表.csv', mimeType: 'text/csv', buffer: file });
      await byTestId(page, 'indicator-import-preview').waitFor();
      assert.equal(await byTestId(page, 'indicator-import-accepted').innerText(), '2');
      assert.equal(await byTestId(page, 'indicator-import-rejected').innerText(), '1');
      const rejected = await byTestId(page, 'indicator-import-rejected-table').innerText();
      assert.match(rejected, /2\s+专职知识产权人员数\s+“很多”不是数值/);
      assert.match(await byTestId(page, 'indicator-import-preview').innerText(), /gbk/);
      assert.deepEqual(stored(), [], 'a preview writes nothing');

      await byTestId(page, 'indicator-import-run').click();
      await byTestId(page, 'indicator-import-done').waitFor();
      assert.equal(await byTestId(page, 'indicator-import-accepted').innerText(), '2');
      assert.deepEqual(stored(), [['grant_rate', '45.0'], ['invention_applications', '12.0']]);

      // the recent imports: the import and its preview, newest first; the preview opens again
      await page.locator('[data-testid="indicator-import-recent"] tbody tr').nth(1).waitFor();
      const opens = byTestId(page, 'indicator-import-open');
      assert.equal(await opens.count(), 2);
      await opens.nth(1).click();
      await byTestId(page, 'indicator-import-preview').waitFor();
      assert.equal(await byTestId(page, 'indicator-import-rejected').innerText(), '1');
    });
  });

  test('a large file is previewed as a job: a progress bar, then the report', async () => {
    const c = client();
    assert.equal((await c.signIn('enterprise')).status, 200);
    const session = await c.request('GET', '/api/session');
    const own = (await c.request('GET', `/api/enterprises/${session.body.user.enterprise_id}`)).body.credit_code;
    const year = 2011;
    const lines = ['credit_code,year,indicator,value', `${own},${year},ip_staff,7`];
    for (let i = 0; i < 50000; i++) lines.push(`${own},${year},grant_rate,`);
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto('/indicators/import');
      await byTestId(page, 'indicator-import-page').waitFor();
      await page.locator('[data-testid="indicator-import-input"]').setInputFiles(
        { name: 'large.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
      await byTestId(page, 'indicator-import-progress').waitFor();
      await byTestId(page, 'indicator-import-preview').waitFor({ timeout: 60000 });
      assert.equal(await byTestId(page, 'indicator-import-accepted').innerText(), '1');
      assert.match(await byTestId(page, 'indicator-import-preview').innerText(), /50001/);
    });
  });
});
