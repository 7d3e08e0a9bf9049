// Indicator imports (docs/effectiveness.md "Imports"), from outside: files built here in each
// encoding (UTF-8 with and without BOM, GBK by Python's gb18030 codec) and layout (long, wide;
// CSV and XLSX by openpyxl), as real offices write them (full-width digits, thousands
// separators, 12.5%, blank cells, trailing empty rows and columns, headings with stray spaces),
// and broken ones. The right values are kept (read back with SQL), each rejected one reported
// with its row and column; the same file again changes nothing; a dry run writes nothing; an
// enterprise imports only its own values, a regulator its region's; a large upload runs as a job
// whose progress the import shows; `guanbiao import indicators` prints the same summary.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeXlsx } from './lib/xlsx.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const BOM = '\uFEFF';
const utf8 = (text) => Buffer.from(text, 'utf8');
/** The bytes of text in GBK (GB18030), encoded by Python, not by the server's iconv. */
function gbk(text) {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.read().encode("gb18030"))'],
    { input: Buffer.from(text, 'utf8') });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

describe('indicator imports', () => {
  let server, admin, enterprise, regulatorGd, own, other, inRegion, outOfRegion;
  // the demo seed gives values for 2016–2025: these tests write years before that
  const now = new Date().getUTCFullYear();
  const year = 2013;
  let tmp;

  function upload(client, bytes, name, dryRun) {
    const q = dryRun === undefined ? '' : `?dry_run=${dryRun}`;
    return client.request('POST', '/api/indicator-imports' + q, {
      body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
    });
  }
  /** The stored values of an enterprise (by credit code): { 'code/year': value }. */
  function stored(creditCode) {
    const out = {};
    for (const [code, y, v, source] of rows(server, `SELECT i.code, v.year, v.value, v.source FROM indicator_values v
        JOIN indicators i ON i.id = v.indicator_id JOIN enterprises e ON e.id = v.enterprise_id
        WHERE e.credit_code = '${creditCode}' AND v.source = 'import' ORDER BY i.code, v.year`)) {
      assert.equal(source, 'import');
      out[`${code}/${y}`] = Number(v);
    }
    return out;
  }
  const valueCount = () => Number(rows(server, 'SELECT COUNT(*) FROM indicator_values')[0][0]);
  const eventCount = () => Number(rows(server, 'SELECT COUNT(*) FROM indicator_value_events')[0][0]);
  const where = (report) => report.rejected.map((x) => [x.row, x.column, x.code]);

  before(async () => {
    server = await startPlatform();
    tmp = mkdtempSync(join(tmpdir(), 'guanbiao-indicators-'));
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    regulatorGd = await signedIn(server.url, 'regulator-gd');     // region 440000
    const session = await enterprise.request('GET', '/api/session');
    const mine = await admin.request('GET', `/api/enterprises/${session.body.user.enterprise_id}`);
    own = mine.body.credit_code;
    const inGd = rows(server, `SELECT credit_code FROM enterprises WHERE region LIKE '44%' AND credit_code <> '${own}'
      ORDER BY id LIMIT 2`).map((r) => r[0]);
    [other, inRegion] = inGd;
    outOfRegion = rows(server, "SELECT credit_code FROM enterprises WHERE region NOT LIKE '44%' ORDER BY id LIMIT 1")[0][0];
  });
  after(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('long layout, UTF-8 with BOM, Chinese headings, office cells; the same file again: all unchanged', async () => {
    const text = BOM + ' 统一社会信用代码 ,年度,指标 ,数值,,\r\n' +
      `${own},${year - 2},发明专利申请量,"1,234",,\r\n` +
      `${own},${year - 2},invention_share,12.5%,,\r\n` +
      // full-width digits and signs, the ideographic space, a full-width comma as thousands separator
      `${own.replace(/[0-9]/g, (d) => String.fromCharCode(0xFF10 + Number(d)))},２０${String(year - 2).slice(2).replace(/[0-9]/g, (d) => String.fromCharCode(0xFF10 + Number(d)))},licensing_income,　１，５００．５　,,\r\n` +
      `${own},${year - 3},grant_rate,,,\r\n` +                           // blank: missing, not zero
      ',,,,,\r\n\r\n';
    const r = await upload(enterprise, utf8(text), '指标-长表.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'done');
    assert.equal(r.body.layout, 'long');
    assert.equal(r.body.encoding, 'utf-8');
    assert.equal(r.body.dry_run, false);
    assert.equal(r.body.accepted, 3);
    assert.equal(r.body.unchanged, 0);
    assert.deepEqual(r.body.rejected, []);
    assert.equal(r.body.rows_total, 4);
    assert.equal(r.body.rows_done, 4);
    assert.match(r.body.file_sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(stored(own), {
      [`invention_applications/${year - 2}`]: 1234,
      [`invention_share/${year - 2}`]: 12.5,
      [`licensing_income/${year - 2}`]: 1500.5,
    });
    // one audit entry for the import, and the effectiveness job queued
    const audit = await admin.request('GET', `/api/audit?entity=indicator_import&entity_id=${r.body.id}`);
    assert.equal(audit.body.total, 1);
    assert.equal(audit.body.items[0].action, 'indicator_import.run');
    assert.equal(audit.body.items[0].after.accepted, 3);
    assert.ok(Number(rows(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'effectiveness_refresh'")[0][0]) >= 1);
    // the file is kept by the file service
    assert.equal(rows(server, `SELECT COUNT(*) FROM file_contents WHERE sha256 = '${r.body.file_sha256}'`)[0][0], '1');

    const events = eventCount();
    const again = await upload(enterprise, utf8(text), '指标-长表.csv');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.accepted, 0);
    assert.equal(again.body.unchanged, 3);
    assert.deepEqual(again.body.rejected, []);
    assert.equal(eventCount(), events, 'nothing written');
  });

  test('wide layout in GBK under a title row, headings with units and stray spaces, trailing empty columns', async () => {
    const text = '知识产权指标统计表（单位见表头）,,,,,,\r\n,,,,,,\r\n' +     // a title row above the header
      ' 统一社会信用代码 ,年度 , 发明专利授权量（件） ,发明专利授权率,ip_staff,,\r\n' +
      `${own},${year - 4}年,10,55%,3,,\r\n` +
      `${own},${year - 5},8,,2,,\r\n` +
      ',,,,,,\r\n';
    const r = await upload(enterprise, gbk(text), '宽表.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.layout, 'wide');
    assert.equal(r.body.encoding, 'gbk');
    assert.equal(r.body.accepted, 5);
    assert.deepEqual(r.body.rejected, []);
    assert.equal(r.body.rows_total, 2);
    const s = stored(own);
    assert.equal(s[`invention_grants/${year - 4}`], 10);
    assert.equal(s[`grant_rate/${year - 4}`], 55);
    assert.equal(s[`ip_staff/${year - 4}`], 3);
    assert.equal(s[`invention_grants/${year - 5}`], 8);
    assert.equal(s[`grant_rate/${year - 5}`], undefined, 'a blank cell writes nothing');
    assert.equal(s[`ip_staff/${year - 5}`], 2);
  });

  test('UTF-8 without BOM and XLSX (number cells), long and wide', async () => {
    const long = await upload(admin, utf8(`credit_code,year,indicator,value\n${other},${year - 1},trademark_registrations,7\n`),
      'long.csv');
    assert.equal(long.status, 200, JSON.stringify(long.body));
    assert.equal(long.body.accepted, 1);
    assert.deepEqual(stored(other), { [`trademark_registrations/${year - 1}`]: 7 });

    const wide = makeXlsx([
      ['统一社会信用代码', '年度', '商标注册量', '研发投入占营业收入比例', null],
      [other, year - 2, 4, 3.25, null],
      [other, year - 3, null, '2.5%', null],
      [null, null, null, null, null],
    ]);
    const w = await upload(admin, wide, 'wide.xlsx');
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.layout, 'wide');
    assert.equal(w.body.accepted, 3, JSON.stringify(w.body.rejected));
    const s = stored(other);
    assert.equal(s[`trademark_registrations/${year - 2}`], 4);
    assert.equal(s[`rnd_share/${year - 2}`], 3.25);
    assert.equal(s[`rnd_share/${year - 3}`], 2.5);
    assert.equal(s[`trademark_registrations/${year - 3}`], undefined);

    // a spreadsheet's CSV with a hundred empty columns after the table
    const pad = ','.repeat(100);
    const padded = await upload(admin, utf8(`统一社会信用代码,年度,软件著作权登记量${pad}\n${other},${year - 1},6${pad}\n${pad}\n`),
      'padded.csv');
    assert.equal(padded.status, 200, JSON.stringify(padded.body));
    assert.equal(padded.body.accepted, 1, JSON.stringify(padded.body.rejected));
    assert.equal(stored(other)[`software_copyrights/${year - 1}`], 6);

    const longXlsx = makeXlsx([['credit_code', 'year', 'indicator', 'value'], [other, year - 1, '专职知识产权人员数', 12]]);
    const lx = await upload(admin, longXlsx, 'long.xlsx');
    assert.equal(lx.status, 200, JSON.stringify(lx.body));
    assert.equal(lx.body.layout, 'long');
    assert.equal(stored(other)[`ip_staff/${year - 1}`], 12);
  });

  test('a broken file: every bad value reported with its row and column, the good ones kept', async () => {
    const text = 'credit_code,year,indicator,value\n' +
      `${own},${year - 6},invention_applications,20\n` +             // 2 kept
      `${own},${now + 1},invention_applications,20\n` +              // 3 a year not begun
      `${own},1989,invention_applications,20\n` +                    // 4 before 1990
      `${own},去年,invention_applications,20\n` +                     // 5 not a year
      `91440300000000000X,${year - 6},invention_applications,20\n` + // 6 unknown enterprise
      `${own},${year - 6},no_such_indicator,20\n` +                  // 7 unknown indicator
      `${own},${year - 6},grant_rate,about 20\n` +                   // 8 text in a number cell
      `${own},${year - 6},software_copyrights,3\n` +                 // 9 duplicated with another value
      `${own},${year - 6},software_copyrights,4\n` +                 // 10
      `${own},${year - 6},pct_applications,5\n` +                    // 11 duplicated with the same value: kept once
      `${own},${year - 6},pct_applications,5\n` +                    // 12
      `${own},${year - 6},grant_rate,120\n` +                        // 13 a share over 100
      `${own},${year - 6},ip_staff,-1\n` +                           // 14 a negative count
      `${own},${year - 6},ip_staff,2.5\n` +                          // 15 a count not whole
      `${own},${year - 6},invention_grants,5%\n` +                   // 16 a percentage for a count
      `${own},${year - 6},licensing_income,1,234\n`;                 // 17 an unquoted comma: past the header
    const r = await upload(enterprise, utf8(text), 'broken.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(where(r.body), [
      [3, 'year', 'indicator_year_out_of_range'],
      [4, 'year', 'indicator_year_out_of_range'],
      [5, 'year', 'indicator_year_out_of_range'],
      [6, 'credit_code', 'unknown_enterprise'],
      [7, 'indicator', 'unknown_indicator'],
      [8, 'value', 'not_a_number'],
      [9, 'value', 'duplicate_row'],
      [10, 'value', 'duplicate_row'],
      [13, 'value', 'indicator_value_out_of_range'],
      [14, 'value', 'indicator_value_out_of_range'],
      [15, 'value', 'indicator_not_whole'],
      [16, 'value', 'not_a_number'],
      [17, 'value', 'not_a_number'],
    ], JSON.stringify(r.body.rejected));
    for (const x of r.body.rejected) assert.ok(x.message.length > 0);
    assert.match(r.body.rejected.find((x) => x.row === 9).message, /10/, 'names the other row');
    assert.equal(r.body.rejected_count, 13);
    assert.equal(r.body.accepted, 2);          // rows 2, 11
    assert.equal(r.body.unchanged, 1);         // row 12, the repeat of 11
    const s = stored(own);
    assert.equal(s[`invention_applications/${year - 6}`], 20);
    assert.equal(s[`pct_applications/${year - 6}`], 5);
    assert.equal(s[`licensing_income/${year - 6}`], undefined);
    assert.equal(s[`software_copyrights/${year - 6}`], undefined, 'neither of two contradicting rows');
    assert.equal(s[`grant_rate/${year - 6}`], undefined);
    assert.equal(s[`ip_staff/${year - 6}`], undefined);

    // English messages for an English caller
    const en = await enterprise.request('POST', '/api/indicator-imports', {
      body: utf8(`credit_code,year,indicator,value\n${own},${year - 6},nope,1\n`),
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'en.csv', 'accept-language': 'en' },
    });
    assert.equal(en.body.rejected[0].message, 'No indicator nope');
  });

  test('a dry run reports what an import would do and writes nothing', async () => {
    const text = `credit_code,year,indicator,value\n${own},${year - 7},invention_applications,30\n` +
      `${own},${year - 2},invention_applications,"1,234"\n${own},${year - 7},nope,1\n`;
    const values = valueCount(), events = eventCount();
    const dry = await upload(enterprise, utf8(text), 'preview.csv', true);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.dry_run, true);
    assert.equal(dry.body.accepted, 1);
    assert.equal(dry.body.unchanged, 1);
    assert.deepEqual(where(dry.body), [[4, 'indicator', 'unknown_indicator']]);
    assert.equal(valueCount(), values);
    assert.equal(eventCount(), events);
    assert.equal(stored(own)[`invention_applications/${year - 7}`], undefined);
    const audit = await admin.request('GET', `/api/audit?entity=indicator_import&entity_id=${dry.body.id}`);
    assert.equal(audit.body.total, 0, 'a dry run changes nothing, so it leaves no audit entry');
    // the real import: the same report
    const real = await upload(enterprise, utf8(text), 'preview.csv', false);
    assert.equal(real.body.accepted, dry.body.accepted);
    assert.equal(real.body.unchanged, dry.body.unchanged);
    assert.deepEqual(real.body.rejected, dry.body.rejected);
    assert.equal(stored(own)[`invention_applications/${year - 7}`], 30);
    assertError(await upload(enterprise, utf8(text), 'x.csv', 'maybe'), 400, 'invalid_query', 'dry_run');
  });

  test('scope: an enterprise imports its own values only, a regulator its region\'s', async () => {
    const text = `credit_code,year,indicator,value\n${own},${year - 8},ip_staff,1\n${other},${year - 8},ip_staff,1\n`;
    const r = await upload(enterprise, utf8(text), 'scope.csv');
    assert.deepEqual(where(r.body), [[3, 'credit_code', 'out_of_scope']]);
    assert.equal(r.body.accepted, 1);

    const reg = await upload(regulatorGd, utf8(`credit_code,year,indicator,value\n${inRegion},${year - 8},ip_staff,4\n` +
      `${outOfRegion},${year - 8},ip_staff,4\n`), 'region.csv');
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    assert.deepEqual(where(reg.body), [[3, 'credit_code', 'out_of_scope']]);
    assert.equal(stored(inRegion)[`ip_staff/${year - 8}`], 4);
    assert.deepEqual(stored(outOfRegion), {});

    // the list: the caller's own imports; another's import is not found
    const mine = await regulatorGd.request('GET', '/api/indicator-imports');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.items.map((x) => x.id), [reg.body.id]);
    assert.equal(mine.body.items[0].rejected, undefined, 'the list leaves the rejected rows to the import');
    assertError(await regulatorGd.request('GET', `/api/indicator-imports/${r.body.id}`), 404, 'indicator_import_not_found');
    const all = await admin.request('GET', '/api/indicator-imports?per_page=100');
    assert.ok(all.body.items.some((x) => x.id === r.body.id) && all.body.items.some((x) => x.id === reg.body.id));
    const csv = await admin.download('/api/indicator-imports?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.bytes.toString('utf8'), /file_name/);
  });

  test('five uploads of one file at once: each value written once, with one event', async () => {
    const codes = ['invention_applications', 'invention_grants', 'pct_applications', 'trademark_registrations'];
    const text = 'credit_code,year,indicator,value\n' + codes.map((c, i) => `${own},${year - 11},${c},${i + 1}`).join('\n') + '\n';
    const events = eventCount();
    const answers = await Promise.all([0, 1, 2, 3, 4].map(() => upload(enterprise, utf8(text), 'same.csv')));
    for (const a of answers) {
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.deepEqual(a.body.rejected, []);
      assert.equal(a.body.accepted + a.body.unchanged, 4);
    }
    assert.equal(answers.reduce((n, a) => n + a.body.accepted, 0), 4, 'each value written by one upload only');
    assert.equal(eventCount(), events + 4);
  });

  test('files that cannot be read at all', async () => {
    assertError(await upload(admin, utf8('名称,地址\n甲,乙\n'), 'other.csv'), 400, 'indicator_import_header');
    assertError(await upload(admin, utf8('credit_code,year,foo,bar\nX,2020,1,2\n'), 'none.csv'), 400,
      'indicator_import_header');
    assertError(await upload(admin, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x81, 0x0a]), 'bad.csv'), 400, 'import_not_text');
    const failed = await admin.request('GET', '/api/indicator-imports?per_page=100');
    assert.ok(failed.body.items.some((x) => x.state === 'failed' && x.file_name === 'bad.csv'));
  });

  test('a large upload runs as a job (answered at once, queued) whose progress the import shows', async () => {
    // 50,001 lines: over the inline limit; blank values are nothing, so the job stays quick
    const lines = ['credit_code,year,indicator,value', `${own},${year - 9},invention_applications,9`];
    for (let i = 0; i < 50000; i++) lines.push(`${own},${year - 9},grant_rate,`);
    lines.push(`${own},${year - 9},nope,1`);
    const r = await upload(enterprise, utf8(lines.join('\n') + '\n'), 'large.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
    assert.equal(r.body.state, 'queued');
    let shown;
    for (let i = 0; i < 300; i++) {
      shown = await enterprise.request('GET', `/api/indicator-imports/${r.body.id}`);
      assert.equal(shown.status, 200);
      if (shown.body.state === 'done' || shown.body.state === 'failed') break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.equal(shown.body.state, 'done', JSON.stringify(shown.body).slice(0, 500));
    assert.equal(shown.body.rows_total, 50002);
    assert.equal(shown.body.rows_done, 50002);
    assert.equal(shown.body.accepted, 1);
    assert.deepEqual(where(shown.body), [[50003, 'indicator', 'unknown_indicator']]);
    assert.equal(stored(own)[`invention_applications/${year - 9}`], 9);
  });

  test('guanbiao import indicators FILE [--dry-run] prints the JSON summary', async () => {
    const file = join(tmp, 'cli.csv');
    writeFileSync(file, gbk(`统一社会信用代码,年度,指标,数值\n${own},${year - 10},发明人奖酬金额,８８\n${own},${year - 10},nope,1\n`));
    const dry = runCli(['import', 'indicators', file, '--dry-run', '--db', server.db]);
    assert.equal(dry.status, 0, dry.stderr);
    const preview = JSON.parse(dry.stdout);
    assert.deepEqual(Object.keys(preview), ['accepted', 'unchanged', 'rejected']);
    assert.equal(preview.accepted, 1);
    assert.deepEqual(preview.rejected.map((x) => [x.row, x.column, x.code]), [[3, '指标', 'unknown_indicator']]);
    assert.equal(stored(own)[`inventor_rewards/${year - 10}`], undefined);
    assert.equal(dry.stderr, '', 'no progress bar when stderr is not a terminal');

    const run = runCli(['import', 'indicators', file, '--db', server.db]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), preview);
    assert.equal(stored(own)[`inventor_rewards/${year - 10}`], 88);
    const again = JSON.parse(runCli(['import', 'indicators', file, '--db', server.db]).stdout);
    assert.equal(again.accepted, 0);
    assert.equal(again.unchanged, 1);
    const cliEvent = rows(server, `SELECT COUNT(*) FROM indicator_value_events ev JOIN indicator_imports im ON im.id = ev.import_id
      WHERE im.file_name = 'cli.csv' AND ev.source = 'import'`);
    assert.equal(cliEvent[0][0], '1', 'the value\'s event names the import');

    // every stored value, exported in the long layout, imports back unchanged
    const exported = runCli(['export', 'indicators', '--db', server.db]);
    assert.equal(exported.status, 0, exported.stderr);
    const lines = exported.stdout.trim().split('\n');
    assert.equal(lines[0], 'credit_code,year,indicator,value');
    writeFileSync(join(tmp, 'export.csv'), exported.stdout);
    const back = JSON.parse(runCli(['import', 'indicators', join(tmp, 'export.csv'), '--db', server.db]).stdout);
    assert.deepEqual(back, { accepted: 0, unchanged: lines.length - 1, rejected: [] });

    const bad = runCli(['import', 'indicators', join(tmp, 'missing.csv'), '--db', server.db]);
    assert.equal(bad.status, 1);
    writeFileSync(join(tmp, 'header.csv'), 'a,b\n1,2\n');
    const header = runCli(['import', 'indicators', join(tmp, 'header.csv'), '--db', server.db]);
    assert.equal(header.status, 1);
    assert.match(header.stderr, /credit_code|统一社会信用代码/);
  });
});
