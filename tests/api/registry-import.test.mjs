// Certificates in and out as CSV (docs/registry.md "Command line"; PRODUCT.md: the export has a
// header with number, holder_credit_code and status; the import prints
// {"accepted","unchanged","rejected":[{row,column,code,message}]}), run as `guanbiao import|export
// certificates --db …` against the database of a running server, checked through the public API.
// Also: `guanbiao seed --demo` gives the same data on every run.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startPlatform, Client, binary } from '../lib/platform.mjs';
import { assertError, signedIn } from './helpers.mjs';
import { makeCode, withWrongFinal } from './lib/uscc.mjs';

const DEMO_CODE = '914403001922038216';
const DEMO_CERT = '84025IP021017R0M';
const COLUMNS = ['number', 'holder_credit_code', 'holder_name', 'body_code', 'body_credit_code', 'body_name', 'standard',
  'scope', 'scope_areas', 'scope_stages', 'issued', 'expires', 'status', 'status_changed'];

/** A small RFC 4180 reader: [[field, …], …] (quotes, doubled quotes, CRLF or LF). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
const csvField = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (values) => values.map((v) => csvField(String(v))).join(',');

/**
 * `guanbiao ARGS`, as platform.mjs's runCli but with room for a 5,000-row export on stdout
 * (runCli keeps spawnSync's default 1 MiB maxBuffer, which the export exceeds: ENOBUFS).
 */
function runCli(args, env = {}) {
  const r = spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300000, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The export as objects keyed by the header. */
function exportRows(db) {
  const r = runCli(['export', 'certificates', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const rows = parseCsv(r.stdout);
  const header = rows.shift();
  return { header, text: r.stdout, rows: rows.map((f) => Object.fromEntries(header.map((h, i) => [h, f[i]]))) };
}
function importFile(db, path, lang = 'zh') {
  const r = runCli(['import', 'certificates', path, '--db', db], { GUANBIAO_LANG: lang });
  assert.equal(r.status, 0, `import: ${r.status} ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('registry: certificate import and export', () => {
  let server, dir, pub;
  let exported;

  before(async () => {
    server = await startPlatform();
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-import-'));
    pub = new Client(server.url);
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('export: CSV with the documented header and one row per certificate', async () => {
    exported = exportRows(server.db);
    assert.deepEqual(exported.header, COLUMNS);
    assert.ok(exported.text.startsWith('number,holder_credit_code,'));
    assert.ok(exported.text.endsWith('\n'));
    // the demo at scale 1: 5,000 certificates issued, and one of them renewed into a new cycle
    assert.equal(exported.rows.length, 5001);
    const numbers = new Set(exported.rows.map((r) => r.number));
    assert.equal(numbers.size, 5001, 'numbers are unique');
    const statuses = {};
    for (const r of exported.rows) {
      assert.match(r.number, /^[0-9A-Z-]{6,40}$/);
      assert.match(r.holder_credit_code, /^9[0-9A-HJ-NPQRTUWXY]{17}$/);
      assert.match(r.body_code, /^8[4-6]\d$/);
      assert.ok(['valid', 'suspended', 'withdrawn', 'expired'].includes(r.status), r.status);
      assert.match(r.issued, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(r.expires > r.issued);
      for (const a of r.scope_areas.split(';')) assert.ok(['acquisition', 'maintenance', 'exploitation', 'protection', 'contracts', 'confidentiality'].includes(a), a);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
    }
    for (const s of ['valid', 'suspended', 'withdrawn', 'expired']) assert.ok(statuses[s] > 0, `${s}: ${JSON.stringify(statuses)}`);
    const demo = exported.rows.find((r) => r.number === DEMO_CERT);
    assert.ok(demo);
    assert.equal(demo.holder_credit_code, DEMO_CODE);
    assert.equal(demo.holder_name, '深圳市示范科技有限公司');
    assert.equal(demo.body_code, '840');
    assert.equal(demo.body_credit_code, '91110000600037341L');
    assert.equal(demo.body_name, '中知认证有限公司');
    // the export says what public verification says (a sample across the file)
    for (let i = 0; i < 5001; i += 250) {
      const row = exported.rows[i];
      const r = await pub.request('GET', '/api/certificates/' + row.number);
      assert.equal(r.status, 200, row.number);
      assert.equal(r.body.holder.credit_code, row.holder_credit_code);
      assert.equal(r.body.status, row.status, row.number);
      assert.equal(r.body.issued, row.issued);
      assert.equal(r.body.expires, row.expires);
      assert.equal(r.body.status_changed, row.status_changed);
      assert.equal(r.body.standard, row.standard);
      assert.deepEqual(r.body.scope_areas, row.scope_areas.split(';'));
    }
  });

  test('re-importing the export changes nothing: accepted 0, unchanged 5001, rejected []', () => {
    const path = join(dir, 'export.csv');
    writeFileSync(path, exported.text);
    assert.deepEqual(importFile(server.db, path), { accepted: 0, unchanged: 5001, rejected: [] });
    const again = exportRows(server.db);
    assert.equal(again.text, exported.text, 'the database is as it was');
  });

  test('a file with good and bad rows: good rows kept, bad rows reported by row and column; a second run is unchanged', async () => {
    const admin = await signedIn(server.url, 'admin');
    const pending = (await admin.request('GET', '/api/enterprises?status=pending&per_page=1')).body.items[0].credit_code;
    const today = new Date().toISOString().slice(0, 10);
    // existing certificates to change: a valid one (to be suspended) and a withdrawn one (cannot become valid)
    const valid = exported.rows.find((r) => r.status === 'valid' && r.number !== DEMO_CERT && r.expires > today);
    const withdrawn = exported.rows.find((r) => r.status === 'withdrawn');
    assert.ok(valid && withdrawn);
    const base = {
      holder_credit_code: DEMO_CODE, holder_name: '', body_code: '840', body_credit_code: '', body_name: '',
      standard: 'GB/T 29490-2023', scope: '知识产权管理体系, 覆盖 "研发" 与销售', scope_areas: 'acquisition;protection',
      scope_stages: 'research;sales', issued: '2025-04-01', expires: '2028-03-31', status: 'valid', status_changed: '',
    };
    const lines = [
      { ...base, number: 'IMP-GOOD-0001' },                                                     // 2 good
      { ...base, number: 'imp-bad-!!', issued: '2025-04-02' },                                  // 3 bad number
      { ...base, number: 'IMP-BAD-0003', holder_credit_code: withWrongFinal(DEMO_CODE) },       // 4 bad credit code
      { ...base, number: 'IMP-GOOD-0002', body_code: '', body_credit_code: '91110000600037341L', expires: '', issued: '2024-02-29' }, // 5 good
      { ...base, number: 'IMP-BAD-0005', body_code: '999' },                                   // 6 unknown body
      { ...base, number: 'IMP-BAD-0006', scope_areas: 'acquisition;marketing' },               // 7 bad scope area
      { ...base, number: 'IMP-BAD-0007', issued: '2025-02-30' },                               // 8 bad date
      { ...withdrawn, status: 'valid' },                                                       // 9 withdrawn → valid
      { ...valid, status: 'suspended' },                                                       // 10 good: valid → suspended
      { ...base, number: 'IMP-BAD-0010', holder_credit_code: pending },                        // 11 holder not approved
      { ...base, number: 'IMP-BAD-0011', standard: 'ISO 9001' },                               // 12 bad standard
      { ...base, number: 'IMP-BAD-0012', expires: '2020-01-01' },                              // 13 expires before issued
      { ...base, number: 'imp-good-0013', holder_credit_code: ` ${DEMO_CODE.toLowerCase()} `, status: '' }, // 14 good, normalised
      { ...base, number: 'IMP-BAD-0014', holder_credit_code: makeCode('440305', 31337) },      // 15 unknown holder
    ];
    const text = [COLUMNS.join(','), ...lines.map((l) => csvLine(COLUMNS.map((c) => l[c] ?? '')))].join('\r\n') + '\r\n';
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, text);
    const expectedRejections = [
      [3, 'number', 'invalid_certificate_number'],
      [4, 'holder_credit_code', 'invalid_credit_code'],
      [6, 'body_code', 'body_not_found'],
      [7, 'scope_areas', 'invalid_value'],
      [8, 'issued', 'invalid_value'],
      [9, 'status', 'invalid_transition'],
      [11, 'holder_credit_code', 'enterprise_not_approved'],
      [12, 'standard', 'invalid_value'],
      [13, 'expires', 'invalid_value'],
      [15, 'holder_credit_code', 'enterprise_not_found'],
    ];
    const first = importFile(server.db, path, 'zh');
    assert.deepEqual(Object.keys(first).sort(), ['accepted', 'rejected', 'unchanged']);
    assert.equal(first.accepted, 4, JSON.stringify(first));
    assert.equal(first.unchanged, 0, JSON.stringify(first));
    assert.deepEqual(first.rejected.map((x) => [x.row, x.column, x.code]), expectedRejections, JSON.stringify(first.rejected, null, 1));
    for (const x of first.rejected) {
      assert.deepEqual(Object.keys(x).sort(), ['code', 'column', 'message', 'row']);
      assert.equal(typeof x.message, 'string');
      assert.match(x.message, /[\u4e00-\u9fff]/, x.message);
    }
    assert.match(first.rejected[1].message, /第 18 位校验码应为“6”/);
    assert.match(first.rejected[3].message, /marketing/);
    assert.match(first.rejected[5].message, /withdrawn.*valid/, 'the transition names both statuses');
    assert.match(first.rejected[7].message, /ISO 9001/, 'the bad standard is named');

    // the good rows are verifiable, the bad ones are not there
    const g1 = await pub.request('GET', '/api/certificates/IMP-GOOD-0001');
    assert.equal(g1.status, 200, JSON.stringify(g1.body));
    assert.equal(g1.body.holder.credit_code, DEMO_CODE);
    assert.equal(g1.body.body.name, '中知认证有限公司');
    assert.equal(g1.body.scope, base.scope);
    assert.deepEqual(g1.body.scope_areas, ['acquisition', 'protection']);
    assert.deepEqual(g1.body.scope_stages, ['research', 'sales']);
    assert.equal(g1.body.issued, '2025-04-01');
    assert.equal(g1.body.expires, '2028-03-31');
    assert.equal(g1.body.status, '2028-03-31' < today ? 'expired' : 'valid');
    const g2 = await pub.request('GET', '/api/certificates/IMP-GOOD-0002');
    assert.equal(g2.status, 200);
    assert.equal(g2.body.expires, '2027-02-28', 'default expiry: issued + 3 years − 1 day');
    const g3 = await pub.request('GET', '/api/certificates/IMP-GOOD-0013');
    assert.equal(g3.status, 200);
    assert.equal(g3.body.holder.credit_code, DEMO_CODE);
    const changed = await pub.request('GET', '/api/certificates/' + valid.number);
    assert.equal(changed.body.status, 'suspended');
    assert.equal(changed.body.status_changed, today);
    for (const k of ['issued', 'expires', 'standard', 'scope']) assert.equal(changed.body[k], valid[k], `${k} kept by the update`);
    const still = await pub.request('GET', '/api/certificates/' + withdrawn.number);
    assert.equal(still.body.status, 'withdrawn');
    for (const n of ['IMP-BAD-0003', 'IMP-BAD-0005', 'IMP-BAD-0006', 'IMP-BAD-0007', 'IMP-BAD-0010', 'IMP-BAD-0011', 'IMP-BAD-0012', 'IMP-BAD-0014']) {
      assertError(await pub.request('GET', '/api/certificates/' + n), 404, 'certificate_not_found', undefined, n);
    }
    const history = await admin.request('GET', `/api/certificates/${valid.number}/history`);
    const last = history.body.items.at(-1);
    assert.deepEqual([last.from, last.to], ['valid', 'suspended']);
    const byHolder = await pub.request('GET', '/api/certificates?credit_code=' + DEMO_CODE);
    for (const n of ['IMP-GOOD-0001', 'IMP-GOOD-0002', 'IMP-GOOD-0013']) assert.ok(byHolder.body.items.some((c) => c.number === n), n);

    // the same file again: the good rows are unchanged, the bad ones reported again (in English now)
    const second = importFile(server.db, path, 'en');
    assert.equal(second.accepted, 0, JSON.stringify(second));
    assert.equal(second.unchanged, 4, JSON.stringify(second));
    assert.deepEqual(second.rejected.map((x) => [x.row, x.column, x.code]), expectedRejections);
    for (const x of second.rejected) assert.match(x.message, /^[\x20-\x7e–>]+$/, x.message);
    assert.match(second.rejected[5].message, /from withdrawn to valid/);
    assert.match(second.rejected[1].message, /should be '6'/);
    const total = exportRows(server.db).rows.length;
    assert.equal(total, 5004, 'three new certificates');
  });

  test('a changed row is accepted and updates the certificate; the header must name the required columns', async () => {
    const row = { ...exportRows(server.db).rows.find((r) => r.number === 'IMP-GOOD-0001') };
    row.scope = '更新后的认证范围';
    row.scope_stages = 'research;procurement;production;sales';
    const path = join(dir, 'update.csv');
    writeFileSync(path, COLUMNS.join(',') + '\n' + csvLine(COLUMNS.map((c) => row[c])) + '\n');
    assert.deepEqual(importFile(server.db, path), { accepted: 1, unchanged: 0, rejected: [] });
    const r = await pub.request('GET', '/api/certificates/IMP-GOOD-0001');
    assert.equal(r.body.scope, '更新后的认证范围');
    assert.deepEqual(r.body.scope_stages, ['research', 'procurement', 'production', 'sales']);
    assert.equal(r.body.issued, row.issued);
    assert.equal(r.body.expires, row.expires, 'an updated row keeps its expiry date');
    assert.equal(r.body.status, row.status);
    assert.deepEqual(importFile(server.db, path), { accepted: 0, unchanged: 1, rejected: [] });
    const bad = join(dir, 'noheader.csv');
    writeFileSync(bad, 'number,standard,issued\nIMP-X-1,GB/T 29490-2023,2025-01-01\n');
    const res = runCli(['import', 'certificates', bad, '--db', server.db]);
    assert.notEqual(res.status, 0);
    assert.match(res.stderr, /holder_credit_code/);
    assertError(await pub.request('GET', '/api/certificates/IMP-X-1'), 404, 'certificate_not_found');
  });

  test('the export neutralises cells a spreadsheet would run as a formula, and still reads back unchanged', async () => {
    const admin = await signedIn(server.url, 'admin');
    const body = await signedIn(server.url, 'body');
    const evilName = '=HYPERLINK("http://evil.example/x?a=1","点击查看")有限公司';
    const code = makeCode('440305', 5151);
    const e = await admin.request('POST', '/api/enterprises', { json: { name: evilName, credit_code: code, region: '440305', industry: '39', size: 'small' } });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const issued = [];
    for (const [number, scope] of [['84026IP5151001R0S', '@SUM(1+1)*cmd|" /C calc"!A0'], ['-84026-5151', '-2+3'], ['84026IP5151003R0S', '+认证范围'],
      ['84026IP5151004R0S', '=1+2'], ['84026IP5151005R0S', '普通范围, 含 "引号" 与 = 号']]) {
      const r = await body.request('POST', '/api/certificates', {
        json: { number, holder_credit_code: code, standard: 'GB/T 29490-2023', scope, scope_areas: ['acquisition'], scope_stages: ['research'], issued: '2025-06-01' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      issued.push([number, scope]);
    }
    const out = exportRows(server.db);
    // no cell starts with what a spreadsheet runs
    const raw = parseCsv(out.text);
    for (const row of raw) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, JSON.stringify(cell));
    const mine = raw.filter((row) => row[1] === code);
    assert.equal(mine.length, 5);
    for (const row of mine) assert.equal(row[2], "'" + evilName, 'the holder name is shown as text');
    const cell = (number, column) => raw.find((row) => row[0] === number || row[0] === "'" + number)[COLUMNS.indexOf(column)];
    assert.equal(cell('84026IP5151001R0S', 'scope'), "'@SUM(1+1)*cmd|\" /C calc\"!A0");
    assert.equal(cell('-84026-5151', 'number'), "'-84026-5151");
    assert.equal(cell('-84026-5151', 'scope'), "'-2+3");
    assert.equal(cell('84026IP5151004R0S', 'scope'), "'=1+2");
    assert.equal(cell('84026IP5151005R0S', 'scope'), '普通范围, 含 "引号" 与 = 号', 'an ordinary value is written as it is');
    assert.ok(out.text.includes(`"'=HYPERLINK(""http://evil.example/x?a=1"",""点击查看"")有限公司"`), 'quoted as RFC 4180 says');
    // the file reads back as it was: every row unchanged
    const path = join(dir, 'neutralised.csv');
    writeFileSync(path, out.text);
    const again = importFile(server.db, path);
    assert.deepEqual(again, { accepted: 0, unchanged: out.rows.length, rejected: [] });
    for (const [number, scope] of issued) assert.equal((await pub.request('GET', '/api/certificates/' + number)).body.scope, scope, number);
    assert.equal(exportRows(server.db).text, out.text, 'the database is as it was');
  });

  test('the import keeps the rules of the API: body codes in numbers, final certificates, the history of expiry changes', async () => {
    const admin = await signedIn(server.url, 'admin');
    const today = new Date().toISOString().slice(0, 10);
    const rows = exportRows(server.db).rows;
    const withdrawn = rows.find((r) => r.status === 'withdrawn');
    const pastDate = rows.find((r) => r.status === 'expired' && r.expires < today &&
      (r.number.startsWith('8') && r.number !== DEMO_CERT));
    const open = rows.filter((r) => r.status === 'valid' && r.expires > today && r.body_code === '840' && r.number !== DEMO_CERT);
    assert.ok(withdrawn && pastDate && open.length >= 2);
    const base = {
      holder_credit_code: DEMO_CODE, holder_name: '', body_code: '840', body_credit_code: '', body_name: '',
      standard: 'GB/T 29490-2023', scope: '导入规则', scope_areas: 'acquisition', scope_stages: 'research',
      issued: '2025-04-01', expires: '2028-03-31', status: 'valid', status_changed: '',
    };
    const newExpiry = open[0].expires.replace(/^(\d{4})/, (y) => String(Number(y) + 1));
    const lines = [
      { ...base, number: '84127IP0000001R0M' },                   // 2 another body's code (841)
      { ...base, number: '84127IP0000002R0M', body_code: '841' }, // 3 good: 841's own
      { ...base, number: '99927IP0000003R0M' },                   // 4 good: a code no body has
      { ...withdrawn, scope: '撤销后改范围' },                      // 5 final: withdrawn
      { ...pastDate, expires: '2099-12-31' },                     // 6 final: expired (by date or by status)
      { ...open[0], expires: newExpiry },                         // 7 good: expiry change, recorded
      { ...open[1], number: open[1].number, body_code: '841' },   // 8 its number is 840's: not 841's to hold
    ];
    const text = [COLUMNS.join(','), ...lines.map((l) => csvLine(COLUMNS.map((c) => l[c] ?? '')))].join('\r\n') + '\r\n';
    const path = join(dir, 'rules.csv');
    writeFileSync(path, text);
    const r = importFile(server.db, path, 'en');
    assert.equal(r.accepted, 3, JSON.stringify(r));
    assert.deepEqual(r.rejected.map((x) => [x.row, x.column, x.code]), [
      [2, 'number', 'number_of_another_body'],
      [5, 'scope', 'certificate_final'],
      [6, 'expires', 'certificate_final'],
      [8, 'number', 'number_of_another_body'],
    ], JSON.stringify(r.rejected));
    assert.match(r.rejected[0].message, /841/);
    assertError(await pub.request('GET', '/api/certificates/84127IP0000001R0M'), 404, 'certificate_not_found');
    assert.equal((await pub.request('GET', '/api/certificates/' + withdrawn.number)).body.scope, withdrawn.scope);
    const expired = (await pub.request('GET', '/api/certificates/' + pastDate.number)).body;
    assert.equal(expired.expires, pastDate.expires);
    assert.equal(expired.status, 'expired');
    const changed = (await pub.request('GET', '/api/certificates/' + open[0].number)).body;
    assert.equal(changed.expires, newExpiry);
    const last = (await admin.request('GET', `/api/certificates/${open[0].number}/history`)).body.items.at(-1);
    assert.deepEqual([last.kind, last.from, last.to, last.expires_from, last.expires_to], ['expiry', 'valid', 'valid', open[0].expires, newExpiry]);
    assert.equal((await pub.request('GET', '/api/certificates/' + open[1].number)).body.body.id,
      (await pub.request('GET', '/api/certificates/' + open[0].number)).body.body.id, 'row 8 left its certificate with 840');
  });

  test('seed --demo is deterministic: two fresh databases export the same certificates', () => {
    const exports = [];
    for (let i = 0; i < 2; i++) {
      const d = mkdtempSync(join(tmpdir(), 'guanbiao-seed-'));
      try {
        const db = 'sqlite:' + join(d, 'guanbiao.db');
        const s = runCli(['seed', '--demo', '--scale', '1', '--db', db]);
        assert.equal(s.status, 0, s.stderr + s.stdout);
        exports.push(exportRows(db).rows);
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    }
    const [a, b] = exports;
    assert.equal(a.length, 5001);
    assert.equal(b.length, 5001);
    const stable = (r) => [r.number, r.holder_credit_code, r.holder_name, r.body_code, r.body_credit_code, r.standard, r.scope,
      r.scope_areas, r.scope_stages].join('|');
    for (let i = 0; i < a.length; i++) assert.equal(stable(a[i]), stable(b[i]), `row ${i + 2}`);
    // and they are the same as this server's demo data
    for (let i = 0; i < 5001; i++) assert.equal(stable(a[i]), stable(exported.rows[i]), `row ${i + 2} vs the server's`);
  });
});
