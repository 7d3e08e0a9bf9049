// Bulk verification (docs/registry.md "Bulk verification"), from outside: numbers and credit
// codes mixed, each with its effective status in the order asked; unknown ones not found;
// malformed entries all named; more than 10,000 refused; the same from a CSV upload (BOM).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode, withWrongFinal } from './lib/uscc.mjs';
import { makeXlsx } from './lib/xlsx.mjs';

checkEveryAnswer();

const today = () => new Date().toISOString().slice(0, 10);

describe('bulk verification', () => {
  let server, pub, pubEn, admin, bodyUser;
  let holder, emptyHolder;
  const n = {};          // numbers by what the setup did to them
  let serial = 0;
  const nextNumber = () => `84026IP8${String(++serial).padStart(5, '0')}R0M`;

  async function issue(over = {}) {
    const r = await bodyUser.request('POST', '/api/certificates', {
      json: {
        number: nextNumber(), holder_credit_code: holder, standard: 'GB/T 29490-2023', scope: '知识产权管理体系',
        scope_areas: ['acquisition'], scope_stages: ['research'], issued: today(), ...over,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.number;
  }
  async function setStatus(number, status) {
    const r = await bodyUser.request('POST', `/api/certificates/${number}/status`, { json: { status, reason: '测试' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  function upload(bytes, name = 'list.csv', client = pub) {
    return client.request('POST', '/api/certificates/verify/file', {
      body: bytes, headers: { 'content-type': name.endsWith('.xlsx') ? 'application/octet-stream' : 'text/csv',
        'x-file-name': encodeURIComponent(name) },
    });
  }

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    pubEn = new Client(server.url, { lang: 'en' });
    admin = await signedIn(server.url, 'admin');
    bodyUser = await signedIn(server.url, 'body');
    holder = makeCode('440305', 5151);
    emptyHolder = makeCode('440305', 5152);
    for (const [code, name] of [[holder, '批量核验测试有限公司'], [emptyHolder, '无证书测试有限公司']]) {
      const r = await admin.request('POST', '/api/enterprises', {
        json: { name, credit_code: code, region: '440305', industry: '39', size: 'small' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    n.valid = await issue();
    n.suspended = await issue();
    await setStatus(n.suspended, 'suspended');
    n.withdrawn = await issue();
    await setStatus(n.withdrawn, 'withdrawn');
    // stored valid, but its expiry date is past: shown expired
    n.pastDate = await issue({ issued: '2019-01-01' });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, server.logs().slice(-3000));
  });

  test('numbers and credit codes, mixed, answer their effective status in the order asked', async () => {
    const items = [n.withdrawn, holder, '84099ip0000000r0m', n.valid.toLowerCase(), emptyHolder, n.pastDate,
      ` ${n.suspended} `];
    const r = await pub.request('POST', '/api/certificates/verify', { json: { items } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const got = r.body.items;
    assert.deepEqual(got.map((i) => i.query), items, 'in the order asked, as asked');
    assert.deepEqual(got.map((i) => i.kind), ['number', 'credit_code', 'number', 'number', 'credit_code', 'number', 'number']);
    assert.deepEqual(got.map((i) => i.found), [true, true, false, true, false, true, true]);
    assert.deepEqual([0, 2, 3, 4, 5, 6].map((k) => got[k].certificates.map((c) => c.status)),
      [['withdrawn'], [], ['valid'], [], ['expired'], ['suspended']]);
    // the holder's four certificates, newest issue first (the one issued in 2019 last)
    assert.equal(got[1].certificates.length, 4);
    assert.deepEqual(got[1].certificates.map((c) => c.status).sort(), ['expired', 'suspended', 'valid', 'withdrawn']);
    assert.equal(got[1].certificates[3].number, n.pastDate);
    assert.equal(got[3].certificates[0].number, n.valid);
    assert.equal(got[3].certificates[0].holder.credit_code, holder);
    assert.equal(got[3].certificates[0].holder.name, '批量核验测试有限公司');
    assert.equal(got[3].certificates[0].body.name, '中知认证有限公司');
    assert.equal(got[5].certificates[0].status_changed, '2021-12-31');
    assert.deepEqual(r.body.summary, {
      total: 7, found: 5, not_found: 2, certificates: 8, valid: 2, suspended: 2, withdrawn: 2, expired: 2,
    });
  });

  test('the demo certificate and holder verify like the single lookup', async () => {
    const one = await pub.request('GET', '/api/certificates/84025IP021017R0M');
    const r = await pub.request('POST', '/api/certificates/verify', { json: { items: ['84025IP021017R0M', '914403001922038216'] } });
    assert.equal(r.status, 200);
    const { former_names, ...holderFields } = one.body.holder;
    assert.deepEqual(r.body.items[0].certificates[0], { ...one.body, holder: holderFields });
    assert.ok(r.body.items[1].certificates.some((c) => c.number === '84025IP021017R0M'));
  });

  test('malformed entries are all listed; nothing else is answered', async () => {
    const bad = withWrongFinal(holder);
    const r = await pubEn.request('POST', '/api/certificates/verify', {
      json: { items: [n.valid, 'ab', '证书', n.suspended, '', 42] },
    });
    const e = assertError(r, 400, 'invalid_value', 'items[1]');
    assert.deepEqual(e.fields.map((f) => f.field), ['items[1]', 'items[2]', 'items[4]', 'items[5]']);
    // a credit code with a wrong check character has a number's shape: it is looked up as one
    const w = await pub.request('POST', '/api/certificates/verify', { json: { items: [bad] } });
    assert.equal(w.status, 200);
    assert.deepEqual([w.body.items[0].kind, w.body.items[0].found], ['number', false]);
    assertError(await pub.request('POST', '/api/certificates/verify', { json: { items: [] } }), 400, 'invalid_value', 'items');
    assertError(await pub.request('POST', '/api/certificates/verify', { json: {} }), 400, 'missing_field', 'items');
    assertError(await pub.request('POST', '/api/certificates/verify', { json: { items: [n.valid], more: 1 } }), 400, 'unknown_field', 'more');
  });

  test('10,000 items are answered in batches; 10,001 are refused', async () => {
    const items = Array.from({ length: 10000 }, (_, k) => (k % 1000 === 7 ? n.valid : `84099IP${String(k).padStart(7, '0')}R`));
    const r = await pub.request('POST', '/api/certificates/verify', { json: { items } });
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 10000);
    assert.equal(r.body.summary.found, 10);
    assert.equal(r.body.summary.valid, 10);
    assert.equal(r.body.items[9007].found, true);
    assert.equal(r.body.items[9008].found, false);
    assertError(await pub.request('POST', '/api/certificates/verify', { json: { items: [...items, n.valid] } }),
      400, 'invalid_value', 'items');
  });

  test('a CSV upload with a BOM and a header: the same answer', async () => {
    const csv = '\uFEFF序号,证书编号\r\n1,' + n.suspended + '\r\n2,84099IP0000000R0M\r\n3,\r\n4,' + n.withdrawn + '\r\n';
    const r = await upload(Buffer.from(csv, 'utf8'));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items.map((i) => [i.query, i.found]),
      [[n.suspended, true], ['84099IP0000000R0M', false], [n.withdrawn, true]]);
    assert.deepEqual(r.body.items.map((i) => i.certificates.map((c) => c.status)), [['suspended'], [], ['withdrawn']]);
    // no header: the first column, the first row included; credit codes too
    const plain = await upload(Buffer.from(`${holder},x\n${n.pastDate}\n`, 'utf8'));
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(plain.body.items.map((i) => i.kind), ['credit_code', 'number']);
    assert.equal(plain.body.summary.certificates, 5);
    // malformed rows are named by their line
    const e = assertError(await upload(Buffer.from('number\nok-but-bad!\n证书\n', 'utf8')), 400, 'invalid_value', 'line 2');
    assert.deepEqual(e.fields.map((f) => f.field), ['line 2', 'line 3']);
    assertError(await upload(Buffer.alloc(0)), 400, 'empty_file');
    assertError(await upload(Buffer.from('number\n', 'utf8')), 400, 'empty_file');
  });

  test('an XLSX upload: its first sheet, the column by its header, blank rows skipped', async () => {
    const book = makeXlsx([['序号', '证书编号', '备注'], [1, n.suspended, 'x'], [2, '84099IP0000000R0M', null], [],
      [4, n.withdrawn, { date: '2024-01-01' }]], { title: '核验', moreSheets: ['第二页'] });
    const r = await upload(book, '核验清单.xlsx');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items.map((i) => [i.query, i.found]),
      [[n.suspended, true], ['84099IP0000000R0M', false], [n.withdrawn, true]]);
    assert.deepEqual(r.body.items.map((i) => i.certificates.map((c) => c.status)), [['suspended'], [], ['withdrawn']]);
    // no header: the first column; malformed entries named by their row in the sheet
    const plain = await upload(makeXlsx([[holder], [n.pastDate]]), 'plain.xlsx');
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(plain.body.items.map((i) => i.kind), ['credit_code', 'number']);
    const e = assertError(await upload(makeXlsx([['number'], ['ok-but-bad!'], [null], ['证书']]), 'bad.xlsx'), 400,
      'invalid_value', 'line 2');
    assert.deepEqual(e.fields.map((f) => f.field), ['line 2', 'line 4']);
    assertError(await upload(makeXlsx([['number']]), 'empty.xlsx'), 400, 'empty_file');
    // 10,000 entries at most, counted in the sheet too
    const many = [['number'], ...Array.from({ length: 10001 }, (_, i) => [`84099IP${String(i).padStart(7, '0')}R0M`])];
    assertError(await upload(makeXlsx(many), 'many.xlsx'), 400, 'invalid_value', 'file');
    // a zip that is no workbook, and a workbook that is broken
    const zip = Buffer.from(book);
    for (let at = zip.indexOf('xl/workbook.xml'); at >= 0; at = zip.indexOf('xl/workbook.xml', at + 1)) {
      zip.write('xl/workbooX', at, 'latin1');     // in the local header and the central directory
    }
    assertError(await upload(zip, 'broken.xlsx', pubEn), 400, 'invalid_value', 'file');
  });
});
