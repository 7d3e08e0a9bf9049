// Files (docs/files.md): uploads are the raw body with the name in X-File-Name (percent-encoded
// UTF-8); the type is decided by the bytes, never by the name or Content-Type; the same bytes
// are stored once; downloads go only to those who may read the owning record (404 otherwise);
// the certificate import upload answers what `guanbiao import certificates` prints; `guanbiao
// backup` copies a running SQLite database, files included; the binary carries the web
// application and runs alone from any folder.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, startServer, runCli, binary, freePort, testDbKind, processEnv, sanitizerReport } from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sqlNumber } from './lib/sql.mjs';

// A minimal PDF: libmagic knows it by its first bytes, "%PDF-".
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
// A 1×1 PNG (the PNG signature and an IHDR chunk).
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');
const HTML = Buffer.from('<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n');
const LICENCE = '营业执照（副本）.pdf';

const DEMO_CERT_ROWS = [
  'number,holder_credit_code,body_code,standard,scope,scope_areas,scope_stages,issued,expires,status',
  '84025IP021017R0M,914403001922038216,840,GB/T 29490-2023,知识产权管理体系覆盖企业研发、采购、生产、销售及售后全过程,' +
    'acquisition;maintenance;protection,research;procurement;production;sales,2026-03-01,2029-02-28,valid',
  'bad number!,914403001922038216,840,GB/T 29490-2023,范围,acquisition,research,2026-03-01,2029-02-28,valid',
];

/** POST the bytes as an upload, as the web application does. */
function upload(client, path, bytes, { name = 'document.pdf', type = 'application/octet-stream', headers = {} } = {}) {
  const h = { 'content-type': type };
  if (name !== null) h['x-file-name'] = encodeURIComponent(name);
  Object.assign(h, headers);
  return client.request('POST', path, { body: bytes, headers: h });
}

/** `guanbiao ARGS` without blocking the event loop (so that requests go on meanwhile). */
function runCliAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { env: processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** GET a download as bytes, with the client's cookie. */
async function download(url, path, client) {
  const res = await fetch(url + path, { headers: client && client.cookie ? { cookie: client.cookie } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

// every JSON answer a Client gets is checked against the served OpenAPI document
checkEveryAnswer();

describe('files', () => {
  let server, admin, regGd, enterprise, body, demoEnterpriseId, otherEnterpriseId;
  const count = (table, where = '') => sqlNumber(server.db, `SELECT COUNT(*) FROM ${table}${where ? ' WHERE ' + where : ''}`);

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    regGd = await signedIn(server.url, 'regulator-gd');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
    demoEnterpriseId = (await enterprise.request('GET', '/api/session')).body.user.enterprise_id;
    // an enterprise in Beijing: out of reach of the Guangdong regulator and of the demo enterprise
    const r = await admin.request('POST', '/api/enterprises', { json: {
      name: '北京文件测试有限公司', credit_code: makeCode('110105', 701), region: '110105', industry: '39', size: 'small',
      address: '北京市朝阳区测试路 1 号', contact_name: '李四', contact_phone: '010-1234 5678', contact_email: 'files@example.cn' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    otherEnterpriseId = r.body.id;
  });
  after(() => server?.stop());

  test('upload and download round trip, with the stored type and the download headers', async () => {
    const up = await upload(enterprise, `/api/enterprises/${demoEnterpriseId}/files`, PDF, { name: LICENCE });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(up.body.name, LICENCE);
    assert.equal(up.body.type, 'application/pdf');
    assert.equal(up.body.size, PDF.length);
    assert.equal(up.body.sha256, createHash('sha256').update(PDF).digest('hex'));
    assert.match(up.body.sha256, /^[0-9a-f]{64}$/);
    assert.equal(up.body.url, `/api/files/${up.body.id}`);
    assert.match(up.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const list = await regGd.request('GET', `/api/enterprises/${demoEnterpriseId}/files`);
    assert.equal(list.status, 200);
    // the demo's specimen licence (src/seed.c: attached by the seed, no account), then this one
    assert.deepEqual(list.body.items.map((f) => [f.name, f.type, f.uploader]),
      [['营业执照（示例）.pdf', 'application/pdf', ''], [LICENCE, 'application/pdf', up.body.uploader]]);
    assert.equal(list.body.items[1].id, up.body.id);

    // the regulator of the enterprise's province reads it back, byte for byte
    const d = await download(server.url, up.body.url, regGd);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(PDF), 'the same bytes');
    assert.equal(d.headers.get('content-type'), 'application/pdf');
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(d.headers.get('content-disposition'),
      "attachment; filename=\"________.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%EF%BC%88%E5%89%AF%E6%9C%AC%EF%BC%89.pdf");
  });

  test('the type is decided by the content: a PDF declared as a PNG is a PDF; a PNG is a PNG', async () => {
    const asPng = await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, PDF, { name: 'scan.png', type: 'image/png' });
    assert.equal(asPng.status, 201, JSON.stringify(asPng.body));
    assert.equal(asPng.body.type, 'application/pdf');
    const png = await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, PNG, { name: 'seal.pdf', type: 'application/pdf' });
    assert.equal(png.status, 201, JSON.stringify(png.body));
    assert.equal(png.body.type, 'image/png');
    const d = await download(server.url, png.body.url, admin);
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.ok(d.bytes.equals(PNG));
  });

  test('a disguised file (HTML or an executable named .pdf) is refused with 415 and nothing is stored', async () => {
    const contents = count('file_contents'), attachments = count('attachments');
    const html = await upload(enterprise, `/api/enterprises/${demoEnterpriseId}/files`, HTML,
      { name: 'licence.pdf', type: 'application/pdf' });
    const e = assertError(html, 415, 'file_type_not_allowed');
    assert.match(e.message, /text\/html/);
    assert.match(e.message, /application\/pdf, image\/png, image\/jpeg/);
    const elf = readFileSync(binary).subarray(0, 64 * 1024);
    assertError(await upload(enterprise, `/api/enterprises/${demoEnterpriseId}/files`, elf, { name: 'licence.pdf' }),
      415, 'file_type_not_allowed');
    assert.equal(count('file_contents'), contents, 'no content stored');
    assert.equal(count('attachments'), attachments, 'no attachment stored');
  });

  test('oversize, empty and nameless uploads are refused and nothing is stored', async () => {
    const contents = count('file_contents'), attachments = count('attachments');
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
    const e = assertError(await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, big), 413, 'body_too_large');
    assert.match(e.message, /10485760/);
    assertError(await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, Buffer.alloc(0)), 400, 'empty_file');
    assertError(await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, PDF, { name: null }), 400,
      'invalid_file_name', 'X-File-Name');
    assertError(await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, PDF, { headers: { 'x-file-name': '%E8%90' } }),
      400, 'invalid_file_name');
    assert.equal(count('file_contents'), contents);
    assert.equal(count('attachments'), attachments);
  });

  test('the same content uploaded twice is stored once, under two attachments; names are cleaned', async () => {
    const bytes = Buffer.concat([PDF, Buffer.from('% twice\n')]);
    const contents = count('file_contents');
    const a = await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, bytes, { name: '../../etc/第一份.pdf' });
    const b = await upload(admin, `/api/enterprises/${otherEnterpriseId}/files`, bytes, { name: 'C:\\docs\\"second".pdf' });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.equal(a.body.name, '第一份.pdf');
    assert.equal(b.body.name, 'second.pdf');
    assert.notEqual(a.body.id, b.body.id);
    assert.equal(a.body.sha256, b.body.sha256);
    assert.equal(count('file_contents'), contents + 1, 'one content for both');
    assert.equal(count('attachments', `sha256 = '${a.body.sha256}'`), 2);
  });

  test('who may not read the enterprise gets 404 for its files, as for a file that does not exist', async () => {
    const up = await upload(admin, `/api/enterprises/${otherEnterpriseId}/files`, PNG, { name: '北京.png' });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    for (const [who, client] of [['regulator-gd', regGd], ['enterprise', enterprise], ['body', body]]) {
      const d = await download(server.url, up.body.url, client);
      assert.equal(d.status, 404, `${who}: ${d.status}`);
      assert.equal(d.json().error.code, 'file_not_found', who);
    }
    assert.equal((await download(server.url, '/api/files/999999', admin)).json().error.code, 'file_not_found');
    assert.equal((await download(server.url, up.body.url, null)).status, 401, 'the public signs in first');
    assertError(await regGd.request('GET', `/api/enterprises/${otherEnterpriseId}/files`), 404, 'enterprise_not_found');
    assertError(await upload(enterprise, `/api/enterprises/${otherEnterpriseId}/files`, PDF), 404, 'enterprise_not_found');
    assert.equal((await download(server.url, up.body.url, admin)).status, 200, 'the admin reads it');
  });

  test('the certificate import upload answers what `guanbiao import certificates` prints, and keeps the file', async () => {
    const csv = DEMO_CERT_ROWS.join('\n') + '\n';
    const imports = count('certificate_imports');
    const r = await upload(admin, '/api/certificates/imports', Buffer.from(csv), { name: '证书导入.csv', type: 'text/csv' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 0);
    assert.equal(r.body.unchanged, 1);
    assert.equal(r.body.rejected.length, 1);
    assert.equal(r.body.rejected[0].row, 3);
    assert.equal(r.body.rejected[0].code, 'invalid_certificate_number');
    assert.equal(count('certificate_imports'), imports + 1);
    assert.equal(count('attachments', "owner = 'certificate_import'"), imports + 1);

    const dir = mkdtempSync(join(tmpdir(), 'guanbiao-import-'));
    try {
      writeFileSync(join(dir, 'c.csv'), csv);
      const cli = runCli(['import', 'certificates', join(dir, 'c.csv'), '--db', server.db], { GUANBIAO_LANG: 'zh_CN' });
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout), r.body, 'the same report');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an import the importer cannot read, or not CSV, changes nothing; only admins import', async () => {
    const imports = count('certificate_imports'), contents = count('file_contents');
    assertError(await upload(admin, '/api/certificates/imports', Buffer.from('a,b\n1,2\n'), { name: 'x.csv' }), 400,
      'import_header_invalid');
    assertError(await upload(admin, '/api/certificates/imports', PDF, { name: 'x.csv' }), 415, 'file_type_not_allowed');
    assertError(await upload(admin, '/api/certificates/imports', Buffer.from([0x6e, 0x2c, 0xff, 0xfe, 0x0a]), { name: 'x.csv' }),
      400, 'import_not_utf8');
    assertError(await upload(body, '/api/certificates/imports', Buffer.from(DEMO_CERT_ROWS.join('\n')), { name: 'x.csv' }), 403,
      'forbidden');
    assert.equal(count('certificate_imports'), imports);
    assert.equal(count('file_contents'), contents);
  });

  test('the upload routes are in the OpenAPI document as binary bodies', async () => {
    const doc = (await admin.request('GET', '/api/openapi.json')).body;
    for (const path of ['/api/enterprises/{id}/files', '/api/certificates/imports'])
      assert.equal(doc.paths[path].post.requestBody.content['application/octet-stream'].schema.$ref,
        '#/components/schemas/FileUpload', path);
    assert.equal(doc.components.schemas.FileUpload.format, 'binary');
    assert.equal(doc.paths['/api/files/{id}'].get.responses['200'].content['application/octet-stream'].schema.$ref,
      '#/components/schemas/FileContent');
    assert.deepEqual(doc.components.schemas.ImportReport.required, ['accepted', 'unchanged', 'rejected']);
  });

  test('guanbiao backup copies the running database with its files; on PostgreSQL it points to pg_dump', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guanbiao-backup-'));
    try {
      const copy = join(dir, 'copy.db');
      if (testDbKind === 'postgres') {
        const r = runCli(['backup', copy, '--db', server.db]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /pg_dump/);
        assert.equal(existsSync(copy), false);
        return;
      }
      const up = await upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, PNG, { name: 'before-backup.png' });
      // writes go on while the backup runs
      const writes = Promise.all(Array.from({ length: 5 }, (_, i) =>
        upload(admin, `/api/enterprises/${demoEnterpriseId}/files`, Buffer.concat([PDF, Buffer.from(`% ${i}\n`)]), { name: `w${i}.pdf` })));
      const r = await runCliAsync(['backup', copy, '--db', server.db]);
      assert.equal(r.status, 0, r.stderr);
      for (const w of await writes) assert.equal(w.status, 201);
      assert.equal(existsSync(copy + '.partial'), false);
      assert.match(r.stdout, /backed up/);
      // a wrong --db (an empty database) is said so, and nothing is written
      const wrong = runCli(['backup', join(dir, 'wrong.db'), '--db', 'sqlite:' + join(dir, 'no-such.db')]);
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /empty database/);
      assert.equal(existsSync(join(dir, 'wrong.db')), false);
      const restored = await startServer({ db: 'sqlite:' + copy, seed: false });
      try {
        const a = await signedIn(restored.url, 'admin');
        const d = await download(restored.url, up.body.url, a);
        assert.equal(d.status, 200);
        assert.ok(d.bytes.equals(PNG), 'the file came with the backup');
        assert.equal(d.headers.get('content-disposition'), `attachment; filename="before-backup.png"; filename*=UTF-8''before-backup.png`);
      } finally {
        await restored.stop({ keepData: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one self-contained binary', () => {
  test('build/guanbiao copied alone into an empty folder serves the web application and the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guanbiao-alone-'));
    copyFileSync(binary, join(dir, 'guanbiao'));
    const port = await freePort();
    const child = spawn('./guanbiao', ['serve', '--db', 'sqlite:' + join(dir, 'alone.db'), '--listen', `127.0.0.1:${port}`,
      '--threads', '1'], { cwd: dir, env: processEnv({ GUANBIAO_WEB: '', GUANBIAO_DB: '' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const closed = new Promise((ok) => child.once('close', (code) => ok(code)));
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        try { if ((await fetch(url + '/healthz')).status === 200) break; } catch { /* not yet */ }
        assert.ok(i < 200, 'the server did not start: ' + output);
        await new Promise((r) => setTimeout(r, 50));
      }
      const health = await rawFetch(url, '/healthz');
      assert.deepEqual(health.body, { status: 'ok' });
      const index = await rawFetch(url, '/');
      assert.equal(index.status, 200);
      assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(index.headers.get('cache-control'), 'no-cache');
      const asset = /\/assets\/[\w.-]+\.js/.exec(index.text);
      assert.ok(asset, 'the binary carries the built web application (make build: web/dist before the server); got: ' +
        index.text.slice(0, 300));
      const js = await fetch(url + asset[0], { headers: { 'accept-encoding': 'br' } });
      assert.equal(js.status, 200);
      assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(js.headers.get('content-encoding'), 'br');
      assert.ok((await js.arrayBuffer()).byteLength > 0);
      // a route of the application gets index.html; a missing asset is a 404
      assert.equal((await rawFetch(url, '/enterprises/1')).text, index.text);
      assert.equal((await rawFetch(url, '/assets/missing-0000.js')).status, 404);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await closed, 0, sanitizerReport(output) || output);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
