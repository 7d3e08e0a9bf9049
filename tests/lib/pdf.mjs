// Reading the PDFs the platform makes as an outsider would: poppler's pdftotext, pdfinfo and
// pdftoppm, and zbarimg for QR codes, each on the bytes written to a private temporary folder
// that is removed again. Shared by the API and browser tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs fn(path of the bytes as a .pdf, the folder) and removes the folder afterwards. */
function withFile(bytes, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'guanbiao-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, bytes);
    return fn(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tool(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

/** The PDF's text (pdftotext: reading order, or the page's layout with { layout: true }). */
export function pdfText(bytes, { layout = false } = {}) {
  return withFile(bytes, (path) => {
    const r = tool('pdftotext', [...(layout ? ['-layout'] : []), path, '-']);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
}

/** pdfinfo's report (page size, pages, metadata). */
export function pdfInfo(bytes) {
  return withFile(bytes, (path) => {
    const r = tool('pdfinfo', [path]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
}

/** Every QR code found on page 1 (rendered at 150 dpi), as text. */
export function qrCodes(bytes) {
  return withFile(bytes, (path, dir) => {
    assert.equal(tool('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', path, join(dir, 'page')]).status, 0);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    const r = tool('zbarimg', ['-q', '--raw', join(dir, png)]);
    assert.equal(r.status, 0, 'zbarimg found no code: ' + r.stderr);
    return r.stdout.trim().split('\n');
  });
}
