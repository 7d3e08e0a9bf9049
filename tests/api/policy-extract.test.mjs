// Extraction of a local policy's text and `guanbiao policy-check FILE` (docs/policies.md
// "Extraction"), from outside: every document is made here with outside tools — a DOCX with
// Python's zipfile, PDFs printed by Chromium (Chinese text with Noto CJK; a "scan": a page that
// holds only an image), GBK text and a GBK HTML page with a meta charset by iconv — then
// `guanbiao policy-check FILE --text` must give the sentences, `guanbiao policy-check FILE` the
// JSON that POST /api/policy-checks answers for that text, and bad files a clear message and
// exit 1 (usage errors exit 2). Runs against the database under test (SQLite or PostgreSQL).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, runCli, binary, processEnv } from '../lib/platform.mjs';
import { signedIn, checkEveryAnswer } from './helpers.mjs';

checkEveryAnswer();

const TITLE = '关于支持知识产权管理体系贯标工作的若干措施';
const VIOLATION = '申报市级知识产权示范企业的，须通过知识产权管理体系认证方可申报。';
const COMPLIANT = '不得将通过贯标认证作为申报其他知识产权项目的条件。';
const REWARD = '对上一年度发明专利授权量增长超过百分之二十的企业，给予一次性奖励。';

/** Runs an outside program; its stdout (bytes), failing the test when it fails. */
function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 28, timeout: 120000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * A minimal valid DOCX written by Python's zipfile. A paragraph is a string, or {text, ilvl} of
 * a list item; with `numbering` (word/numbering.xml's body) list 1 is numbered by it, and without
 * it list 1 is unknown (no number shown).
 */
function makeDocx(file, paragraphs, numbering = null) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = paragraphs.map((item) => {
    const { text: p, ilvl = 0 } = typeof item === 'string' ? { text: item } : item;
    // a paragraph in two runs (Word splits runs anywhere), a list item of list 1
    const half = Math.floor(p.length / 2);
    return `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>`
      + `<w:r><w:t xml:space="preserve">${esc(p.slice(0, half))}</w:t></w:r><w:r><w:t>${esc(p.slice(half))}</w:t></w:r></w:p>`;
  }).join('');
  const parts = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  };
  if (numbering) {
    parts['word/numbering.xml'] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="${W}">${numbering}</w:numbering>`;
  }
  run('/usr/bin/python3', ['-c', `
import json, sys, zipfile
parts = json.loads(sys.stdin.read())
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        z.writestr(name, text)
`, file], JSON.stringify(parts));
}

/** html printed to a PDF by Chromium (headless), in the temporary directory dir. */
function printPdf(dir, name, html) {
  const page = join(dir, name + '.html');
  writeFileSync(page, html);
  const out = join(dir, name + '.pdf');
  run('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-pdf-header-footer', `--user-data-dir=${join(dir, 'chromium')}`,
    `--print-to-pdf=${out}`, page]);
  return out;
}

/** A PNG of stripes (no text in it), written by Python's zlib: what a scanner gives. */
function stripesPng() {
  return run('/usr/bin/python3', ['-c', `
import struct, sys, zlib
w, h = 320, 120
raw = b''.join(b'\\x00' + bytes(0 if (x // 8 + y // 8) % 2 else 255 for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
sys.stdout.buffer.write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
`]);
}

/** A one-page PDF encrypted with the standard security handler (RC4, revision 2) and the user
 * password "secret", written by Python from the PDF specification's algorithms. */
const encryptedPdf = () => run('/usr/bin/python3', ['-c', String.raw`import hashlib, struct, sys
PAD = bytes.fromhex('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A')
def rc4(key, data):
    s = list(range(256)); j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256; s[i], s[j] = s[j], s[i]
    i = j = 0; out = bytearray()
    for c in data:
        i = (i + 1) % 256; j = (j + s[i]) % 256; s[i], s[j] = s[j], s[i]
        out.append(c ^ s[(s[i] + s[j]) % 256])
    return bytes(out)
pad = lambda pw: (pw + PAD)[:32]
user, owner, perms = b'secret', b'owner', -4
file_id = hashlib.md5(b'guanbiao').digest()
O = rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
key = hashlib.md5(pad(user) + O + struct.pack('<i', perms) + file_id).digest()[:5]
U = rc4(key, PAD)
def obj_key(n): return hashlib.md5(key + struct.pack('<I', n)[:3] + b'\0\0').digest()[:10]
stream = rc4(obj_key(4), b'BT /F1 12 Tf 20 150 Td (Applicants must hold the certificate.) Tj ET')
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        b'<< /Filter /Standard /V 1 /R 2 /O <' + O.hex().encode() + b'> /U <' + U.hex().encode() + b'> /P %d >>' % perms]
out = b'%PDF-1.4\n'; offs = []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
x = len(out); out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
for o in offs: out += b'%010d 00000 n \n' % o
out += b'trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n' % (
    len(objs) + 1, file_id.hex().encode(), file_id.hex().encode(), x)
sys.stdout.buffer.write(out)
`]);

const gbk = (text) => run('iconv', ['-f', 'UTF-8', '-t', 'GBK'], Buffer.from(text, 'utf8'));

describe('policy document extraction and guanbiao policy-check', () => {
  let server, regulator, dir;
  const files = {};
  const cli = (args, env = {}) => runCli(['policy-check', ...args, '--db', server.db], { GUANBIAO_LANG: 'zh', ...env });
  /** The text the CLI extracts (its --text output without the final line feed). */
  function extracted(file) {
    const r = cli([file, '--text']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\n'));
    return r.stdout.slice(0, -1);
  }

  before(async () => {
    server = await startPlatform();
    regulator = await signedIn(server.url, 'regulator');
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-extract-'));
    files.docx = join(dir, 'policy.docx');
    makeDocx(files.docx, [TITLE, VIOLATION, COMPLIANT, REWARD]);
    // Word's multilevel list as Chinese documents use it: 一、 then （一） then 1.
    files.numbered = join(dir, 'numbered.docx');
    const level = (ilvl, format, text) => `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${format}"/>`
      + `<w:lvlText w:val="${text}"/></w:lvl>`;
    makeDocx(files.numbered, [
      { text: '申报条件', ilvl: 0 },
      { text: '申报市级知识产权示范企业，应当具备下列条件：', ilvl: 1 },
      { text: '在本市依法注册；', ilvl: 2 },
      { text: '通过知识产权管理体系认证；', ilvl: 2 },
      { text: '支持措施', ilvl: 0 },
      { text: REWARD, ilvl: 1 },
    ], '<w:abstractNum w:abstractNumId="0">' + level(0, 'chineseCounting', '%1、') + level(1, 'chineseCounting', '（%2）')
      + level(2, 'decimal', '%3.') + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>');
    files.pdf = printPdf(dir, 'policy', `<!doctype html><html><head><meta charset="utf-8"><style>
      body { font-family: "Noto Sans CJK SC"; font-size: 14pt } h1 { font-size: 18pt }</style></head><body>
      <h1>${TITLE}</h1><p>${VIOLATION}</p><p>${COMPLIANT}</p><p>${REWARD}</p></body></html>`);
    const png = stripesPng();
    files.scan = printPdf(dir, 'scan', `<!doctype html><html><body style="margin:0">
      <img src="data:image/png;base64,${png.toString('base64')}" style="width:160mm"></body></html>`);
    files.gbkText = join(dir, 'policy-gbk.txt');
    writeFileSync(files.gbkText, gbk(`${TITLE}\r\n${VIOLATION}\r\n${COMPLIANT}\r\n`));
    files.gbkHtml = join(dir, 'policy-gbk.html');
    writeFileSync(files.gbkHtml, gbk(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
      <title>不该出现的标题</title><script>var x = '不该出现的脚本';</script></head>
      <body><h2>${TITLE}</h2><div>${VIOLATION}</div><ul><li>一是${COMPLIANT}</li><li>二是${REWARD}</li></ul></body></html>`));
    files.png = join(dir, 'scan.docx');
    writeFileSync(files.png, png);
    files.exe = join(dir, 'program.pdf');
    writeFileSync(files.exe, readFileSync('/bin/true'));
    files.encrypted = join(dir, 'encrypted.pdf');
    writeFileSync(files.encrypted, encryptedPdf());
    files.damaged = join(dir, 'damaged.docx');
    writeFileSync(files.damaged, readFileSync(files.docx).subarray(0, 200));
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('a DOCX: each paragraph a line, its runs joined', () => {
    assert.equal(extracted(files.docx), [TITLE, VIOLATION, COMPLIANT, REWARD].join('\n'));
  });

  test("a DOCX's automatic list numbers (numbering.xml) are in its text; the finding is the item", () => {
    assert.equal(extracted(files.numbered), ['一、申报条件', '（一）申报市级知识产权示范企业，应当具备下列条件：',
      '1.在本市依法注册；', '2.通过知识产权管理体系认证；', '二、支持措施', '（一）' + REWARD].join('\n'));
    const r = cli([files.numbered]);
    assert.equal(r.status, 0, r.stderr);
    const findings = JSON.parse(r.stdout).findings;
    assert.deepEqual(findings.map((f) => [f.rule, f.excerpt]), [['R1', '通过知识产权管理体系认证；']]);
    const before = '一、申报条件\n（一）申报市级知识产权示范企业，应当具备下列条件：\n1.在本市依法注册；\n2.';
    assert.equal(findings[0].start, [...before].length, 'offsets count the numbers shown');
  });

  test('a PDF printed by Chromium: the Chinese sentences, wrapped lines joined again', () => {
    const text = extracted(files.pdf);
    for (const sentence of [TITLE, VIOLATION, COMPLIANT, REWARD]) assert.ok(text.includes(sentence), `${sentence} in\n${text}`);
  });

  test('GBK text (CRLF) and a GBK page with a meta charset', () => {
    assert.equal(extracted(files.gbkText), [TITLE, VIOLATION, COMPLIANT].join('\n'));
    const html = extracted(files.gbkHtml);
    assert.equal(html, [TITLE, VIOLATION, '一是' + COMPLIANT, '二是' + REWARD].join('\n'));
    assert.ok(!html.includes('不该出现'), 'title and script are not text');
  });

  test('standard input ("-")', () => {
    const r = spawnSync(binary, ['policy-check', '-', '--text'], { input: readFileSync(files.docx),
      env: processEnv({}), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [TITLE, VIOLATION, COMPLIANT, REWARD].join('\n') + '\n');
  });

  test('policy-check prints the contract JSON, one line, for every format', () => {
    for (const file of [files.docx, files.pdf, files.gbkText, files.gbkHtml]) {
      const r = cli([file]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trimEnd().split('\n').length, 1, 'one line');
      const answer = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(answer), ['findings']);
      const text = extracted(file);
      const chars = [...text];
      for (const f of answer.findings) {
        assert.deepEqual(Object.keys(f), ['rule', 'severity', 'start', 'end', 'excerpt', 'explanation']);
        assert.equal(f.excerpt, chars.slice(f.start, f.end).join(''), 'offsets in characters of the extracted text');
      }
    }
  });

  test('policy-check answers what POST /api/policy-checks answers for the extracted text', async () => {
    for (const file of [files.docx, files.pdf, files.gbkText, files.gbkHtml]) {
      const r = cli([file]);
      assert.equal(r.status, 0, r.stderr);
      const res = await regulator.request('POST', '/api/policy-checks', { json: { text: extracted(file) } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(JSON.parse(r.stdout), res.body, file);
    }
  });

  test('the review report of a policy registered from a PDF: the PDF (poppler) and the XLSX', async () => {
    const upload = await regulator.request('POST', '/api/policy-files', { body: readFileSync(files.pdf),
      headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('措施.pdf') } });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    assert.equal(upload.body.source_format, 'pdf');
    const created = await regulator.request('POST', '/api/policies', { json: { title: TITLE, office: '某市市场监督管理局',
      region: '440300', document_number: '深市监〔2026〕9号', file_id: upload.body.id } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.revision.text, extracted(files.pdf), 'the registry stores the text the CLI extracts');
    const pdf = await regulator.download(`/api/policies/${created.body.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
    const report = join(dir, 'report.pdf');
    writeFileSync(report, pdf.bytes);
    const text = run('pdftotext', [report, '-']).toString('utf8').replace(/[\s\u3000]/g, '');
    for (const expected of ['地方政策公平竞争审查报告', TITLE, '深市监〔2026〕9号', '未审查', VIOLATION, COMPLIANT]) {
      assert.ok(text.includes(expected.replace(/[\s\u3000]/g, '')), `${expected} in the report`);
    }
    for (const [i, f] of created.body.findings.entries()) {
      assert.ok(text.includes(`〔${i + 1}〕`), `finding ${i + 1} numbered in the report`);
      assert.ok(text.includes(f.rule));
    }
    const xlsx = await regulator.download(`/api/policies/${created.body.id}/xlsx`);
    assert.equal(xlsx.status, 200);
    const book = join(dir, 'report.xlsx');
    writeFileSync(book, xlsx.bytes);
    const sheets = JSON.parse(run('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False, default=str))
`, book]).toString('utf8'));
    assert.deepEqual(Object.keys(sheets), ['审查发现', '政策信息']);
    assert.equal(sheets['审查发现'].length, 1 + created.body.findings.length);
    assert.deepEqual(sheets['审查发现'][0].slice(0, 3), ['编号', '规则', '严重程度']);
    const meta = Object.fromEntries(sheets['政策信息'].slice(1));
    assert.equal(meta['标题'], TITLE);
    assert.equal(meta['文号'], '深市监〔2026〕9号');
    assert.equal(meta['审查状态'], '未审查');
  });

  test('a scanned PDF: exit 1 with a clear message (Chinese and English), nothing on stdout', () => {
    const zh = cli([files.scan]);
    assert.equal(zh.status, 1);
    assert.equal(zh.stdout, '');
    assert.match(zh.stderr, /该 PDF 没有可提取的文字（可能是扫描件），请上传文字版或粘贴文本/);
    const en = cli([files.scan, '--text'], { GUANBIAO_LANG: 'en' });
    assert.equal(en.status, 1);
    assert.match(en.stderr, /no text to extract \(it may be a scan\)/);
  });

  test('an image or a program, whatever its name: exit 1, not supported', () => {
    for (const file of [files.png, files.exe]) {
      const r = cli([file]);
      assert.equal(r.status, 1, file);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /不支持此类文件：请上传纯文本、HTML、DOCX 或 PDF 文件/);
    }
  });

  test('a PDF locked with a password: exit 1, unreadable (poppler\'s own pdftotext opens it with the password)', () => {
    const withPassword = spawnSync('pdftotext', ['-upw', 'secret', files.encrypted, '-'], { encoding: 'utf8' });
    assert.equal(withPassword.status, 0, withPassword.stderr);
    assert.match(withPassword.stdout, /Applicants must hold the certificate/);
    const r = cli([files.encrypted]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /无法读取该文件：文件已损坏或已加密/);
  });

  test('a damaged DOCX, a missing file: exit 1; no file or two: usage, exit 2', () => {
    const damaged = cli([files.damaged]);
    assert.equal(damaged.status, 1);
    assert.match(damaged.stderr, /无法读取该文件：文件已损坏或已加密/);
    const missing = cli([join(dir, 'missing.pdf')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read .*missing\.pdf/);
    for (const args of [[], [files.docx, files.pdf]]) {
      const r = runCli(['policy-check', ...args, '--db', server.db]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage: guanbiao policy-check FILE/);
    }
  });
});
