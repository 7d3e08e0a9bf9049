// Browser tests of files (docs/files.md) against the real `guanbiao` binary with the seeded demo:
// an enterprise uploads a document on its organisation page, sees it listed and downloads the
// same bytes; a disguised file is refused with the server's message; an administrator imports
// certificates from a CSV on the certificate list's import page and reads the report.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404|415)\b/ });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% e2e\n', 'latin1');
const CSV = [
  'number,holder_credit_code,body_code,standard,scope,scope_areas,scope_stages,issued,expires,status',
  '84025IP021017R0M,914403001922038216,840,GB/T 29490-2023,知识产权管理体系覆盖企业研发、采购、生产、销售及售后全过程,' +
    'acquisition;maintenance;protection,research;procurement;production;sales,2026-03-01,2029-02-28,valid',
  'bad number!,914403001922038216,840,GB/T 29490-2023,范围,acquisition,research,2026-03-01,2029-02-28,valid',
].join('\n') + '\n';

describe('files in the web UI', () => {
  test('an enterprise uploads its business licence, sees it listed and downloads the same bytes', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto('/organisation');
      await byTestId(page, 'ent-files').waitFor();
      await page.locator('[data-testid="ent-file-upload-input"]').setInputFiles(
        { name: '营业执照.pdf', mimeType: 'application/pdf', buffer: PDF });
      const link = byTestId(page, 'ent-file-link').filter({ hasText: '营业执照.pdf' });
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), '营业执照.pdf');
      assert.ok(readFileSync(await download.path()).equals(PDF), 'the downloaded bytes are the uploaded ones');

      // an HTML page named .pdf is refused, with the server's message
      await page.locator('[data-testid="ent-file-upload-input"]').setInputFiles(
        { name: 'licence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!DOCTYPE html><html><body>x</body></html>') });
      const error = byTestId(page, 'ent-files-error');
      await error.waitFor();
      assert.match(await error.innerText(), /text\/html/);
      assert.equal(await byTestId(page, 'ent-file-link').filter({ hasText: 'licence.pdf' }).count(), 0);
    });
  });

  test('an administrator imports certificates from the list page and reads the report', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/certificates');
      await byTestId(page, 'cert-import-link').click();
      await byTestId(page, 'certificate-import-page').waitFor();
      await page.locator('[data-testid="cert-import-input"]').setInputFiles(
        { name: '证书.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await byTestId(page, 'cert-import-report').waitFor();
      assert.equal(await byTestId(page, 'cert-import-accepted').innerText(), '0');
      assert.equal(await byTestId(page, 'cert-import-unchanged').innerText(), '1');
      assert.equal(await byTestId(page, 'cert-import-rejected').innerText(), '1');
      assert.match(await byTestId(page, 'cert-import-rejected-table').innerText(), /number/);
    });
  });
});
