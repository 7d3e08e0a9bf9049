// Certificate uploads (docs/registry.md "Uploads"), from outside: a body pushes a CSV or an XLSX
// (made here by openpyxl) with IAF CertSearch or Chinese headers; valid rows are kept, each bad
// row is reported with its row, the field as the file named it, and the reason; the same file
// again changes nothing (no audit entry); a body (or its API token) uploads only its own
// certificates (body_mismatch); five identical uploads at once leave one certificate per number.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { makeXlsx } from './lib/xlsx.mjs';

checkEveryAnswer();

const DEMO_CERT = '84025IP021017R0M';      // the demo body's (840)
const CERTSEARCH = ['Certificate Number', 'Certified Entity Name', 'Certified Entity Identifier', 'Standard', 'Scope',
  'Original Certification Date', 'Expiry Date', 'Certification Status'];
const CHINESE = ['证书编号', '组织名称', '统一社会信用代码', '认证标准', '认证范围', '颁证日期', '有效期至', '状态'];

const csvOf = (rows) => Buffer.from(rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\r\n') + '\r\n', 'utf8');

describe('certificate uploads', () => {
  let server, admin, bodyUser, body2, enterprise, pub;
  let bodyId, holder, holderName;
  let serial = 0;
  const nextNumber = (prefix = '840') => `${prefix}26IP7${String(++serial).padStart(5, '0')}R0M`;

  function upload(client, bytes, name) {
    return client.request('POST', '/api/certificates/uploads', {
      body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
    });
  }
  async function auditTotal() {
    const r = await admin.request('GET', '/api/audit?entity=certificate&per_page=1');
    assert.equal(r.status, 200);
    return r.body.total;
  }
  async function show(number) {
    const r = await pub.request('GET', `/api/certificates/${number}`);
    return r.status === 200 ? r.body : null;
  }

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    enterprise = await signedIn(server.url, 'enterprise');
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    const body2Id = bodies.body.items.find((b) => b.code === '841').id;
    const u = await admin.request('POST', '/api/users', {
      json: { login: 'upload-body-841', name: '中规上传', role: 'body', password: 'second-body-password', body_id: body2Id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    body2 = await signedIn(server.url, 'upload-body-841', 'second-body-password');
    holder = makeCode('440305', 6161);
    holderName = '上传测试企业有限公司';
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: holderName, credit_code: holder, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('a CertSearch-style CSV: good rows kept, bad rows reported by row and field; again: unchanged', async () => {
    const [a, b, c] = [nextNumber(), nextNumber(), nextNumber()];
    const rows = [
      CERTSEARCH,
      [a, holderName, holder, 'GB/T 29490-2023', '知识产权管理体系', '2025-03-01', '2028-02-29', 'Active'],
      [b, holderName, holder, 'GB/T 29490-2023', '研发', '2025-04-01', null, 'Suspended'],
      [nextNumber(), holderName, '91440305MA5XXXXXX1', 'GB/T 29490-2023', '', '2025-03-01', null, 'Active'],
      [nextNumber(), holderName, holder, 'GB/T 29490-2023', '', '2025/03/01', null, 'Active'],
      [nextNumber(), holderName, holder, 'ISO 9001', '', '2025-03-01', null, 'Active'],
      [nextNumber('841'), holderName, holder, 'GB/T 29490-2023', '', '2025-03-01', null, 'Active'],
      [nextNumber(), '未登记企业', makeCode('440305', 6999), 'GB/T 29490-2023', '', '2025-03-01', null, 'Active'],
      [c, holderName, holder, 'GB/T 29490-2013', '', '2024-01-15', '2027-01-14', 'valid'],
      [],
      [a, holderName, holder, 'GB/T 29490-2023', '', '2025-03-01', null, 'Active'],
    ];
    const before = await auditTotal();
    const r = await upload(bodyUser, csvOf(rows), 'certsearch.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 3);
    assert.equal(r.body.unchanged, 0);
    const byRow = Object.fromEntries(r.body.rejected.map((x) => [x.row, [x.field, x.code]]));
    assert.deepEqual(byRow, {
      4: ['Certified Entity Identifier', 'invalid_credit_code'],
      5: ['Original Certification Date', 'invalid_value'],
      6: ['Standard', 'invalid_value'],
      7: ['Certificate Number', 'body_mismatch'],
      8: ['Certified Entity Identifier', 'enterprise_not_found'],
      11: ['Certificate Number', 'duplicate_row'],
    }, JSON.stringify(r.body.rejected));
    for (const x of r.body.rejected) assert.ok(x.message.length > 0);
    const shownA = await show(a);
    assert.equal(shownA.status, 'valid');
    assert.equal(shownA.issued, '2025-03-01');
    assert.equal(shownA.expires, '2028-02-29');
    assert.equal(shownA.body.id, bodyId);
    assert.equal(shownA.holder.credit_code, holder);
    const shownB = await show(b);
    assert.equal(shownB.status, 'suspended');
    assert.equal(shownB.expires, '2028-03-31', 'three years less a day by default');
    assert.equal((await show(c)).standard, 'GB/T 29490-2013');
    const written = await auditTotal();
    assert.ok(written > before);

    // the same file again: nothing changes, nothing is written
    const again = await upload(bodyUser, csvOf(rows), 'certsearch.csv');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.accepted, 0);
    assert.equal(again.body.unchanged, 3);
    assert.deepEqual(again.body.rejected.map((x) => x.row), [4, 5, 6, 7, 8, 11]);
    assert.equal(await auditTotal(), written, 'a re-sent file wrote audit entries');
  });

  test('an XLSX with Chinese headers, date cells and Chinese statuses', async () => {
    const [a, b] = [nextNumber(), nextNumber()];
    const book = makeXlsx([
      CHINESE,
      [a, holderName, holder, 'GB/T 29490-2023', '知识产权管理体系', { date: '2024-02-29' }, { date: '2027-02-28' }, '有效'],
      [b, holderName, holder, 'GB/T 29490-2023', '', { date: '2025-06-01' }, null, '暂停'],
      [null, null, null, null, null, null, null, null],
      [nextNumber(), holderName, holder, 'GB/T 29490-2023', '', '不是日期', null, '有效'],
      [nextNumber(), holderName, holder, 'GB/T 29490-2023', '', { date: '2025-06-01' }, null, '作废'],
    ], { title: '证书清单' });
    const r = await upload(bodyUser, book, '证书.xlsx');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 2, JSON.stringify(r.body));
    assert.deepEqual(r.body.rejected.map((x) => [x.row, x.field, x.code]),
      [[5, '颁证日期', 'invalid_value'], [6, '状态', 'invalid_value']]);
    const shownA = await show(a);
    assert.deepEqual([shownA.issued, shownA.expires, shownA.status], ['2024-02-29', '2027-02-28', 'valid']);
    assert.equal((await show(b)).status, 'suspended');
    const again = await upload(bodyUser, book, '证书.xlsx');
    assert.deepEqual([again.body.accepted, again.body.unchanged], [0, 2]);
    // a change in the next upload is written (a status change as the lifecycle allows)
    const changed = makeXlsx([CHINESE,
      [b, holderName, holder, 'GB/T 29490-2023', '', { date: '2025-06-01' }, null, '有效']]);
    const c2 = await upload(bodyUser, changed, 'change.xlsx');
    assert.deepEqual([c2.body.accepted, c2.body.unchanged, c2.body.rejected.length], [1, 0, 0], JSON.stringify(c2.body));
    assert.equal((await show(b)).status, 'valid');
  });

  test('a body uploads only its own certificates; an API token the same', async () => {
    const mine = nextNumber('841');
    // body 841 may not touch 840's certificates, by number or by body column
    const r = await upload(body2, csvOf([
      ['Certificate Number', 'Certified Entity Identifier', 'Standard', 'Issue Date', 'Certification Body Code'],
      [DEMO_CERT, holder, 'GB/T 29490-2023', '2025-03-01', ''],
      [nextNumber('841'), holder, 'GB/T 29490-2023', '2025-03-01', '840'],
      [mine, holder, 'GB/T 29490-2023', '2025-03-01', '841'],
    ]), 'mine.csv');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 1);
    assert.deepEqual(r.body.rejected.map((x) => [x.row, x.field, x.code]),
      [[2, 'Certificate Number', 'body_mismatch'], [3, 'Certification Body Code', 'body_mismatch']]);
    assert.equal((await show(DEMO_CERT)).body.id, bodyId, 'the demo certificate moved');
    // an API token of body 840
    const t = await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'uploads' } });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const auth = { authorization: `Bearer ${t.body.token}` };
    const fresh = nextNumber();
    const tokenUpload = (bytes) => new Client(server.url).request('POST', '/api/certificates/uploads', {
      body: bytes, headers: { ...auth, 'content-type': 'text/csv', 'x-file-name': 'push.csv' },
    });
    const byToken = await tokenUpload(csvOf([
      ['Certificate Number', 'Certified Entity Identifier', 'Standard', 'Issue Date'],
      [fresh, holder, 'GB/T 29490-2023', '2025-05-05'],
      [mine, holder, 'GB/T 29490-2023', '2025-03-01'],
    ]));
    assert.equal(byToken.status, 200, JSON.stringify(byToken.body));
    assert.equal(byToken.body.accepted, 1);
    assert.deepEqual(byToken.body.rejected.map((x) => [x.row, x.code]), [[3, 'body_mismatch']]);
    assert.equal((await show(fresh)).body.id, bodyId);
    const audit = await admin.request('GET', `/api/audit?entity=certificate&entity_id=${fresh}`);
    assert.equal(audit.body.items[0].actor.kind, 'token');
  });

  test('five identical uploads at once leave one certificate per number', async () => {
    const numbers = Array.from({ length: 6 }, () => nextNumber());
    const file = csvOf([['Certificate Number', 'Certified Entity Identifier', 'Standard', 'Issue Date'],
      ...numbers.map((n) => [n, holder, 'GB/T 29490-2023', '2025-07-01'])]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => upload(bodyUser, file, 'same.csv')));
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    const accepted = answers.reduce((n, a) => n + a.body.accepted, 0);
    const unchanged = answers.reduce((n, a) => n + a.body.unchanged, 0);
    assert.equal(accepted, numbers.length, JSON.stringify(answers.map((a) => a.body)));
    assert.equal(unchanged, numbers.length * 4);
    for (const a of answers) assert.deepEqual(a.body.rejected, []);
    for (const n of numbers) {
      const list = await bodyUser.request('GET', `/api/certificates?q=${n}`);
      assert.equal(list.body.total, 1, n);
    }
    const created = await admin.request('GET', `/api/audit?action=certificate.create&q=${numbers[0]}`);
    assert.equal(created.body.items.filter((e) => e.entity_id === numbers[0]).length, 1);
  });

  test('refused files: headers, types, roles', async () => {
    const e = assertError(await upload(bodyUser, csvOf([['Certificate Number', 'Standard', 'Issue Date'], ['x', 'y', 'z']]),
      'no-holder.csv'), 400, 'upload_column_missing', 'file');
    assert.match(e.message, /holder_credit_code/);
    // an admin names the body of each row
    assertError(await upload(admin, csvOf([['Certificate Number', 'Certified Entity Identifier', 'Standard', 'Issue Date'],
      [nextNumber(), holder, 'GB/T 29490-2023', '2025-03-01']]), 'admin.csv'), 400, 'upload_column_missing', 'file');
    const number = nextNumber();
    const byAdmin = await upload(admin, csvOf([['证书编号', '统一社会信用代码', '认证标准', '颁证日期', '认证机构代码'],
      [number, holder, 'GB/T 29490-2023', '2025-03-01', '840']]), 'admin.csv');
    assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
    assert.equal(byAdmin.body.accepted, 1);
    assertError(await upload(bodyUser, Buffer.alloc(0), 'empty.csv'), 400, 'empty_file');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    assertError(await upload(bodyUser, png, 'picture.csv'), 415, 'file_type_not_allowed');
    assertError(await upload(bodyUser, Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'utf16.csv'), 400, 'import_not_utf8');
    assertError(await upload(enterprise, csvOf([['x']]), 'x.csv'), 403, 'forbidden');
    assertError(await upload(pub, csvOf([['x']]), 'x.csv'), 401, 'unauthenticated');
  });
});
