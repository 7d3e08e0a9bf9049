// Browser tests of the downloads (docs/reports.md): the Export buttons of a list page download
// every row under the filters shown, and the certificate card's PDF button downloads the PDF.
// Run from the repository root after building the server and the UI:
//   node --test tests/e2e/reports.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });
const today = () => new Date().toISOString().slice(0, 10);

/** Clicks the element and saves what it downloads: { name, bytes }. */
async function downloadBy(page, testid) {
  const dir = mkdtempSync(join(tmpdir(), 'guanbiao-e2e-dl-'));
  try {
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, testid).click()]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    return { name: download.suggestedFilename(), bytes: readFileSync(path), path };
  } finally {
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 5000);
  }
}

describe('downloads: list exports and the certificate PDF', () => {
  test('the Excel button of a filtered enterprise list downloads exactly the rows shown by the filters', async () => {
    const gd = client();
    assert.equal((await gd.signIn('regulator-gd')).status, 200);
    const expected = await gd.request('GET', '/api/enterprises?size=small&per_page=1');
    assert.equal(expected.status, 200);
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.goto('/enterprises?size=small');
      await byTestId(page, 'ent-list').waitFor();
      const href = await byTestId(page, 'ent-export-xlsx').getAttribute('href');
      assert.match(href, /[?&]size=small(&|$)/);
      const file = await downloadBy(page, 'ent-export-xlsx');
      assert.equal(file.name, `enterprises-${today()}.xlsx`);
      const r = spawnSync('/usr/bin/python3', ['-c', `
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
h = rows[0]
print(len(rows) - 1, all(str(r[h.index('行政区划代码')]).startswith('44') for r in rows[1:]),
      all(r[h.index('企业规模')] == '小型' for r in rows[1:]))
`, file.path], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), `${expected.body.total} True True`);
    });
  });

  test('the CSV button downloads a CSV with the BOM', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/certificates');
      await byTestId(page, 'cert-list').waitFor();
      const file = await downloadBy(page, 'cert-export-csv');
      assert.equal(file.name, `certificates-${today()}.csv`);
      assert.deepEqual([...file.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.ok(file.bytes.toString('utf8').includes('证书编号'));
    });
  });

  test('the PDF button on a verified certificate downloads its PDF', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/verify?q=84025IP021017R0M');
      await byTestId(page, 'verify-result').waitFor();
      const file = await downloadBy(page, 'cert-pdf');
      assert.equal(file.name, '84025IP021017R0M.pdf');
      assert.equal(file.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    });
  });
});
