// PDF and Excel output (docs/reports.md), from outside: the certificate's PDF read back with
// poppler (pdfinfo, pdftotext, pdftoppm) and its QR code with zbarimg; the CSV and XLSX exports
// of every list read back with Python's csv module and openpyxl, and compared with the JSON
// lists and with values written here for a small fixture.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, Client } from '../lib/platform.mjs';
import { pdfText as readPdf, pdfInfo, qrCodes } from '../lib/pdf.mjs';
import { assertError, signedIn } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

const PUBLIC_URL = 'https://zhengshu.example.cn/gb';   // given with a trailing "/" below
const DEMO_CERT = '84025IP021017R0M';
const DEMO_HOLDER = '深圳市示范科技有限公司';
const DEMO_CODE = '914403001922038216';
const FIXTURE_NAME = '报表测试科技有限公司';
const LISTS = ['users', 'enterprises', 'bodies', 'certificates', 'engagements', 'consulting-ties'];
const today = () => new Date().toISOString().slice(0, 10);

// Reads a CSV (utf-8-sig) or XLSX file and prints {"bom", "rows", "types"} as JSON.
const READER = `
import csv, io, json, sys
path, kind = sys.argv[1], sys.argv[2]
if kind == 'csv':
    raw = open(path, 'rb').read()
    text = raw.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    print(json.dumps({'bom': raw[:3] == b'\\xef\\xbb\\xbf', 'rows': rows}, ensure_ascii=False))
else:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    types = [[c.data_type for c in r] for r in ws.iter_rows()]
    print(json.dumps({'sheet': ws.title, 'rows': rows, 'types': types}, ensure_ascii=False, default=str))
`;

let work;
function tool(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}
/** Writes bytes to a new file in the test's folder; returns its path. */
let fileSerial = 0;
function save(bytes, ext) {
  const path = join(work, `f${++fileSerial}.${ext}`);
  writeFileSync(path, bytes);
  return path;
}
function readTable(bytes, kind) {
  const r = tool('/usr/bin/python3', ['-c', READER, save(bytes, kind), kind]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}
/** The PDF's text as laid out on the page (the certificate's bilingual lines stay together). */
const pdfText = (bytes) => readPdf(bytes, { layout: true });
function jsonOf(d) {
  return { status: d.status, headers: d.headers, body: JSON.parse(d.bytes.toString('utf8')) };
}
/** Every item of a JSON list, page by page (per_page 100). */
async function everyItem(client, path) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await client.request('GET', `${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    if (r.body.items.length < 100) return { items, total: r.body.total };
  }
}

describe('reports: the certificate PDF and list exports', () => {
  let server, pub, admin, adminEn, regGd, body;
  let fixtureCode, validNumber, withdrawnNumber;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'guanbiao-reports-'));
    server = await startPlatform({ extraArgs: ['--public-url', PUBLIC_URL + '/'] });
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    adminEn = await signedIn(server.url, 'admin', undefined, { lang: 'en' });
    regGd = await signedIn(server.url, 'regulator-gd');
    body = await signedIn(server.url, 'body');
    // the fixture: one enterprise in Shenzhen with a formula-looking address, and two of its
    // certificates, one withdrawn
    fixtureCode = makeCode('440305', 7301);
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: FIXTURE_NAME, credit_code: fixtureCode, region: '440305', industry: '39', size: 'small',
        address: '=HYPERLINK("http://evil.example")' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    validNumber = '84026IP7300001R0M';
    withdrawnNumber = '84026IP7300002R0M';
    for (const [number, issued] of [[validNumber, '2026-01-05'], [withdrawnNumber, '2025-06-30']]) {
      const r = await body.request('POST', '/api/certificates', {
        json: { number, holder_credit_code: fixtureCode, standard: 'GB/T 29490-2023', scope: '研发与销售',
          scope_areas: ['acquisition', 'protection'], scope_stages: ['research', 'sales'], issued },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const w = await body.request('POST', `/api/certificates/${withdrawnNumber}/status`,
      { json: { status: 'withdrawn', reason: '测试撤销' } });
    assert.equal(w.status, 200, JSON.stringify(w.body));
  });
  after(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('a certificate PDF is a valid A4 PDF, inline, named after the number, for the public', async () => {
    const d = await pub.download(`/api/certificates/${DEMO_CERT}/pdf`);
    assert.equal(d.status, 200);
    assert.equal(d.headers.get('content-type'), 'application/pdf');
    assert.equal(d.headers.get('content-disposition'), `inline; filename*=UTF-8''${DEMO_CERT}.pdf`);
    assert.equal(d.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const info = pdfInfo(d.bytes);
    assert.match(info, /Page size:\s+595\.27\d? x 841\.89 pts \(A4\)/);
    assert.match(info, /Pages:\s+1\n/);
  });

  test('the PDF holds the certificate in Chinese: title, number, holder, code, standard, scope, dates, body', async () => {
    const cert = (await pub.request('GET', `/api/certificates/${DEMO_CERT}`)).body;
    const text = pdfText((await pub.download(`/api/certificates/${DEMO_CERT}/pdf`)).bytes);
    for (const s of ['知识产权管理体系认证证书', DEMO_CERT, DEMO_HOLDER, DEMO_CODE, 'GB/T 29490-2023', '有效',
      cert.issued, cert.expires, cert.body.name, cert.body.approval_number, '获取、维护、保护'])
      assert.ok(text.includes(s), `the PDF text lacks ${s}:\n${text}`);
    assert.ok(!text.includes('不再有效'), 'a valid certificate is not marked invalid');
  });

  test('its QR code decodes to exactly the verification page built from --public-url', async () => {
    const d = await pub.download(`/api/certificates/${validNumber}/pdf`);
    assert.deepEqual(qrCodes(d.bytes), [`${PUBLIC_URL}/verify?q=${validNumber}`]);
  });

  test('a withdrawn certificate says so (已撤销), a suspended one 已暂停', async () => {
    const text = pdfText((await pub.download(`/api/certificates/${withdrawnNumber}/pdf`)).bytes);
    assert.ok(text.includes('已撤销'), text);
    assert.ok(text.includes('撤销 Withdrawn'), text);
    assert.ok(text.includes(FIXTURE_NAME), text);
    const valid = pdfText((await pub.download(`/api/certificates/${validNumber}/pdf`)).bytes);
    assert.ok(!valid.includes('已撤销'), valid);
    // the demo data's suspended certificate
    const suspended = pdfText((await pub.download('/api/certificates/84024IP1000001R2M/pdf')).bytes);
    assert.ok(suspended.includes('已暂停'), suspended);
  });

  test('an unknown number is 404 certificate_not_found, a malformed one 400, as the JSON route', async () => {
    assertError(jsonOf(await pub.download('/api/certificates/99999IP0000000R0M/pdf')), 404, 'certificate_not_found');
    assertError(jsonOf(await pub.download('/api/certificates/bad!/pdf')), 400, 'invalid_certificate_number');
  });

  test('PDFs made at the same time on several workers are all whole', async () => {
    const numbers = [DEMO_CERT, validNumber, withdrawnNumber, '84024IP1000001R2M'];
    const all = await Promise.all([...numbers, ...numbers].map((n) => pub.download(`/api/certificates/${n}/pdf`)));
    all.forEach((d, i) => {
      assert.equal(d.status, 200);
      assert.ok(pdfText(d.bytes).includes(numbers[i % numbers.length]));
    });
  });

  test('every list answers both formats with every row, as a named attachment', async () => {
    for (const list of LISTS) {
      const json = await admin.request('GET', `/api/${list}?per_page=1`);
      assert.equal(json.status, 200);
      for (const ext of ['csv', 'xlsx']) {
        const d = await admin.download(`/api/${list}?format=${ext}`);
        assert.equal(d.status, 200, `${list}.${ext}: ${d.bytes.toString('utf8', 0, 300)}`);
        assert.equal(d.headers.get('content-type'), ext === 'csv' ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        assert.equal(d.headers.get('content-disposition'), `attachment; filename*=UTF-8''${list}-${today()}.${ext}`);
        const t = readTable(d.bytes, ext);
        assert.equal(t.rows.length - 1, json.body.total, `${list}.${ext}: every row, not one page`);
      }
    }
  });

  test('the XLSX of a filtered list holds exactly the rows of the JSON list, with the values written here', async () => {
    const query = `q=${encodeURIComponent(FIXTURE_NAME)}&sort=-issued`;
    const { items } = await everyItem(admin, `/api/certificates?${query}`);
    const t = readTable((await admin.download(`/api/certificates?${query}&format=xlsx`)).bytes, 'xlsx');
    assert.equal(t.sheet, 'certificates');
    assert.deepEqual(t.rows[0], ['证书编号', '获证组织', '统一社会信用代码', '地址', '发证机构', '机构批准号', '认证依据',
      '认证范围', '涉及领域', '涉及环节', '发证日期', '有效期至', '证书状态', '状态变更日期']);
    assert.deepEqual(t.rows.slice(1).map((r) => r[0]), items.map((i) => i.number));
    assert.deepEqual(t.rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[6], r[7], r[8], r[9], r[10], r[11], r[12]]), [
      [validNumber, FIXTURE_NAME, fixtureCode, '=HYPERLINK("http://evil.example")', 'GB/T 29490-2023', '研发与销售',
        '获取、保护', '研发、销售及售后', '2026-01-05', '2029-01-04', '有效'],
      [withdrawnNumber, FIXTURE_NAME, fixtureCode, '=HYPERLINK("http://evil.example")', 'GB/T 29490-2023', '研发与销售',
        '获取、保护', '研发、销售及售后', '2025-06-30', '2028-06-29', '撤销'],
    ]);
    // text, never a formula
    assert.ok(t.types.slice(1).every((r) => r[3] === 's'), JSON.stringify(t.types));
  });

  test('headers follow the caller\'s language', async () => {
    const t = readTable((await adminEn.download(`/api/certificates?q=${encodeURIComponent(FIXTURE_NAME)}&format=csv`)).bytes, 'csv');
    assert.deepEqual(t.rows[0].slice(0, 3), ['Certificate No.', 'Holder', 'Holder credit code']);
    assert.deepEqual(t.rows.slice(1).map((r) => r[12]).sort(), ['Valid', 'Withdrawn']);
    // ?lang= for a link the browser follows with its own Accept-Language
    const viaLink = readTable((await admin.download(`/api/certificates?q=${encodeURIComponent(FIXTURE_NAME)}&format=xlsx&lang=en`)).bytes, 'xlsx');
    assert.deepEqual(viaLink.rows[0].slice(0, 3), ['Certificate No.', 'Holder', 'Holder credit code']);
  });

  test('the CSV starts with the UTF-8 BOM and neutralises a formula-looking cell', async () => {
    const d = await admin.download(`/api/enterprises?q=${encodeURIComponent(FIXTURE_NAME)}&format=csv`);
    assert.deepEqual([...d.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const t = readTable(d.bytes, 'csv');
    assert.equal(t.bom, true);
    assert.equal(t.rows.length, 2);
    const address = t.rows[0].indexOf('地址');
    assert.equal(t.rows[1][address], '\'=HYPERLINK("http://evil.example")');
    assert.equal(t.rows[1][t.rows[0].indexOf('统一社会信用代码')], fixtureCode);
    assert.equal(t.rows[1][t.rows[0].indexOf('企业规模')], '小型');
  });

  test('a regional regulator\'s export holds its region only: the same rows as its JSON list', async () => {
    const { items, total } = await everyItem(regGd, '/api/enterprises?sort=name');
    assert.ok(total > 0);
    const t = readTable((await regGd.download('/api/enterprises?sort=name&format=xlsx')).bytes, 'xlsx');
    const region = t.rows[0].indexOf('行政区划代码');
    const regions = t.rows.slice(1).map((r) => r[region]);
    assert.equal(regions.length, total);
    assert.ok(regions.every((r) => String(r).startsWith('44')), 'a row outside Guangdong (440000)');
    assert.deepEqual(t.rows.slice(1).map((r) => r[0]), items.map((i) => i.id));
    const certs = readTable((await regGd.download('/api/certificates?format=csv')).bytes, 'csv');
    const json = await regGd.request('GET', '/api/certificates?per_page=1');
    assert.equal(certs.rows.length - 1, json.body.total);
    assert.ok(json.body.total < (await admin.request('GET', '/api/certificates?per_page=1')).body.total);
  });

  test('the audit log exports with its filters and the regulator\'s region only', async () => {
    const t = readTable((await regGd.download('/api/audit?entity=certificate&format=xlsx')).bytes, 'xlsx');
    assert.deepEqual(t.rows[0].slice(0, 8), ['序号', '时间', '操作人', '角色', '所属组织', '操作', '对象类型', '对象']);
    const json = await regGd.request('GET', '/api/audit?entity=certificate&per_page=1');
    assert.equal(t.rows.length - 1, json.body.total);
    assert.ok(json.body.total > 0);
    const region = t.rows[0].indexOf('行政区划代码');
    assert.ok(t.rows.slice(1).every((r) => String(r[region]).startsWith('44')), 'an entry outside Guangdong (440000)');
    assert.ok(t.rows.slice(1).every((r) => r[6] === 'certificate'));
    const all = await admin.request('GET', '/api/audit?entity=certificate&per_page=1');
    assert.ok(json.body.total < all.body.total, 'the national log holds more than Guangdong\'s');
    // the withdrawal made above, with its before and after
    const mine = readTable((await admin.download(`/api/audit?entity_id=${withdrawnNumber}&action=certificate.status&format=csv`)).bytes, 'csv');
    assert.equal(mine.rows.length, 2);
    assert.equal(mine.rows[1][5], 'certificate.status');
    assert.equal(JSON.parse(mine.rows[1][9]).status, 'valid');
    assert.deepEqual(JSON.parse(mine.rows[1][10]), { status: 'withdrawn', reason: '测试撤销' });
  });

  test('the jobs of the admin page export with their state filter', async () => {
    const json = await admin.request('GET', '/api/jobs?state=done&per_page=1');
    assert.equal(json.status, 200);
    const d = await admin.download('/api/jobs?state=done&format=csv');
    assert.equal(d.headers.get('content-disposition'), `attachment; filename*=UTF-8''jobs-${today()}.csv`);
    const t = readTable(d.bytes, 'csv');
    assert.deepEqual(t.rows[0].slice(0, 4), ['编号', '任务类型', '参数', '状态']);
    assert.equal(t.rows.length - 1, json.body.total);
    assert.ok(t.rows.slice(1).every((r) => r[3] === 'done'));
    assertError(jsonOf(await regGd.download('/api/jobs?format=csv')), 403, 'forbidden');
  });

  test('the public search by credit code exports too', async () => {
    const t = readTable((await pub.download(`/api/certificates?credit_code=${fixtureCode}&format=csv`)).bytes, 'csv');
    assert.deepEqual(t.rows.slice(1).map((r) => r[0]).sort(), [validNumber, withdrawnNumber]);
  });

  test('an unknown format is 400 invalid_format and exports keep the list\'s roles', async () => {
    const r = jsonOf(await adminEn.download('/api/users?format=pdf'));
    const e = assertError(r, 400, 'invalid_format', 'format');
    assert.match(e.message, /csv or xlsx/);
    assertError(jsonOf(await pub.download('/api/users?format=csv')), 401, 'unauthenticated');
    assertError(jsonOf(await regGd.download('/api/users?format=xlsx')), 403, 'forbidden');
  });
});
