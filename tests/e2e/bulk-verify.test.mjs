// Browser test of bulk verification (/verify/bulk; docs/registry.md) against the real binary
// with the seeded demo: the verify page links to it; a CSV with a BOM and a header is uploaded
// and each row shows its certificate with the status the single lookup gives, an unknown number
// "not found"; the result downloads as CSV; pasted malformed entries list every bad line.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useBrowser, byTestId } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401)\b/ });

const DEMO_CERT = '84025IP021017R0M';
const UNKNOWN = '84099IP0000000R0M';

describe('bulk verification in the web UI', () => {
  test('a CSV upload answers a table with statuses, downloadable as CSV', async () => {
    const single = await client().request('GET', `/api/certificates/${DEMO_CERT}`);
    assert.equal(single.status, 200);
    await withPage(async ({ page }) => {
      await page.goto('/verify');
      await byTestId(page, 'verify-bulk-link').click();
      await byTestId(page, 'bulk-verify-page').waitFor();
      const csv = `\uFEFF序号,证书编号\r\n1,${DEMO_CERT}\r\n2,${UNKNOWN}\r\n`;
      await page.locator('[data-testid="bulk-verify-file-input"]').setInputFiles(
        { name: '核验清单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await byTestId(page, 'bulk-verify-table').waitFor();
      const statuses = await page.locator('[data-testid="bulk-verify-status"]').evaluateAll(
        (tags) => tags.map((t) => t.getAttribute('data-status')));
      assert.deepEqual(statuses, [single.body.status]);
      assert.equal(await byTestId(page, 'bulk-verify-not-found').count(), 1);
      assert.match(await byTestId(page, 'bulk-verify-summary').innerText(), /共 2 项：找到 1 项，未找到 1 项/);

      const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'bulk-verify-download').click()]);
      assert.equal(download.suggestedFilename(), 'verification.csv');
      const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
      assert.equal(lines.length, 3);
      assert.match(lines[0], /^query,kind,found,number,/);
      assert.ok(lines[1].startsWith(`${DEMO_CERT},number,true,${DEMO_CERT},`), lines[1]);
      assert.ok(lines[1].includes(`,${single.body.status},`), lines[1]);
      assert.ok(lines[2].startsWith(`${UNKNOWN},number,false,`), lines[2]);
    });
  });

  test('pasted entries: the malformed ones are all listed', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/verify/bulk');
      await byTestId(page, 'bulk-verify-text').fill(`${DEMO_CERT}\nbad!\n证书`);
      await byTestId(page, 'bulk-verify-submit').click();
      const error = byTestId(page, 'bulk-verify-error');
      await error.waitFor();
      const text = await error.innerText();
      assert.match(text, /items\[1\]/);
      assert.match(text, /items\[2\]/);
    });
  });
});
