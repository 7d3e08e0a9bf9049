// The standard as data (docs/compliance.md), from outside: GET /api/clauses gives an edition's
// clauses in the catalogue's order with our own guidance and evidence; an admin imports a new
// version (JSON or CSV), which becomes the current one while the old stays readable by version;
// a bad document is refused with every problem listed at once and nothing written; an export
// imports back to the same clauses; only an admin imports and exports.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, Client, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';

checkEveryAnswer();

const KEYS = ['number', 'title', 'title_en', 'parent', 'provisional', 'guidance', 'evidence', 'catalogue'];
const strip = (k) => ({ number: k.number, title: k.title, title_en: k.title_en, parent: k.parent,
  provisional: k.provisional, guidance: k.guidance, evidence: k.evidence });

describe('clause catalogues', () => {
  let server, pub, admin, enterprise;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  async function clauses(edition, extra = '') {
    const r = await pub.request('GET', `/api/clauses?edition=${edition}${extra}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  async function catalogues() {
    const r = await pub.request('GET', '/api/clause-catalogues');
    assert.equal(r.status, 200);
    return Object.fromEntries(r.body.items.map((e) => [e.edition, e.versions]));
  }

  test('the 2013 edition: the contract shape, in the catalogue order, with guidance and evidence', async () => {
    const body = await clauses('2013');
    assert.deepEqual(Object.keys(body), ['items']);
    assert.equal(body.items.length, 41);
    const numbers = body.items.map((k) => k.number);
    assert.deepEqual(numbers.slice(0, 8), ['4', '4.1', '4.2', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '5']);
    assert.deepEqual(numbers.slice(-4), ['9', '9.1', '9.2', '9.3']);
    const k73 = body.items.find((k) => k.number === '7.3');
    assert.deepEqual(Object.keys(k73), KEYS);
    assert.equal(k73.title, '运用');
    assert.equal(k73.parent, '7');
    assert.equal(k73.provisional, false);
    assert.equal(k73.catalogue.edition, '2013');
    assert.equal(k73.catalogue.version, 1);
    assert.equal(body.items.find((k) => k.number === '9.2').title, '内部审核');
    assert.equal(body.items.find((k) => k.number === '4.2.1').parent, '4.2');
    for (const k of body.items) {
      assert.ok(k.guidance.length > 10, `guidance of ${k.number}`);
      assert.ok(k.evidence.length > 2, `evidence of ${k.number}`);
    }
  });

  test('the 2023 edition: 10.2, the provisional chapter 8 clauses', async () => {
    const { items } = await clauses('2023');
    assert.equal(items.length, 32);
    assert.equal(items.find((k) => k.number === '10.2').title, '不合格和纠正措施');
    assert.equal(items.find((k) => k.number === '7.3').title, '意识');
    for (const n of ['8.1', '8.2', '8.3', '8.4']) assert.equal(items.find((k) => k.number === n).provisional, true, n);
    assert.equal(items.find((k) => k.number === '8').provisional, false);
    assert.equal(items.find((k) => k.number === '10.1').provisional, false);
    assert.equal(items[0].catalogue.edition, '2023');
  });

  test('an unknown edition or a missing version is refused', async () => {
    assertError(await pub.request('GET', '/api/clauses?edition=2019'), 400, 'invalid_value', 'edition');
    assertError(await pub.request('GET', '/api/clauses'), 400, 'invalid_value', 'edition');
    assertError(await pub.request('GET', '/api/clauses?edition=2013&version=99'), 404, 'clause_catalogue_not_found', null);
  });

  test('the catalogues list: both editions with their versions and clause counts', async () => {
    const c = await catalogues();
    assert.deepEqual(Object.keys(c), ['2013', '2023']);
    assert.equal(c['2013'][c['2013'].length - 1].version, 1);
    assert.equal(c['2013'][c['2013'].length - 1].clauses, 41);
    assert.equal(c['2023'][c['2023'].length - 1].clauses, 32);
    assert.match(c['2013'][0].imported_at, /^\d{4}-\d\d-\d\dT/);
  });

  test('an import becomes the current version; the old one stays readable by version', async () => {
    const before2013 = await clauses('2013');
    const doc = {
      edition: '2013', note: '测试导入',
      clauses: before2013.items.map(strip).map((k) => (k.number === '7.3'
        ? { ...k, guidance: '新的指引：运用前评估价值。' } : k)),
    };
    const r = await admin.request('POST', '/api/clause-catalogues', { json: doc });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.edition, '2013');
    assert.equal(r.body.version, 2);
    assert.equal(r.body.note, '测试导入');
    assert.equal(r.body.clauses, 41);
    const now = await clauses('2013');
    assert.equal(now.items[0].catalogue.version, 2);
    assert.equal(now.items[0].catalogue.id, r.body.id);
    assert.equal(now.items.find((k) => k.number === '7.3').guidance, '新的指引：运用前评估价值。');
    const old = await clauses('2013', '&version=1');
    assert.equal(old.items[0].catalogue.version, 1);
    assert.deepEqual(old.items.map(strip), before2013.items.map(strip));
    const c = await catalogues();
    assert.deepEqual(c['2013'].map((v) => v.version), [2, 1]);
    const audit = await admin.request('GET', '/api/audit?entity=clause_catalogue&per_page=5');
    assert.equal(audit.status, 200);
    assert.ok(audit.body.items.some((e) => e.action === 'clause_catalogue.import' && e.entity_id === String(r.body.id)),
      JSON.stringify(audit.body.items));
  });

  test('refusals: every problem listed at once, with row and field; nothing written', async () => {
    const before = await catalogues();
    const doc = {
      edition: '2013',
      clauses: [
        { number: '4', title: '体系', parent: '', provisional: false },
        { number: '4.1', title: '', parent: '4', provisional: false },
        { number: '4.1', title: '重复', parent: '4', provisional: false },
        { number: '4..2', title: '坏编号', parent: '4' },
        { number: '5.1', title: '无上级', parent: '5' },
        { number: '6', title: '布尔', provisional: 'yes' },
      ],
    };
    const r = await admin.request('POST', '/api/clause-catalogues', { json: doc });
    assertError(r, 400, 'invalid_value', 'clauses[1].title');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), [
      'clauses[1].title', 'clauses[2].number', 'clauses[3].number', 'clauses[4].parent', 'clauses[5].provisional',
    ]);
    const bad = await admin.request('POST', '/api/clause-catalogues', { json: { edition: '2019', clauses: [{ number: '4', title: 'x' }] } });
    assertError(bad, 400, 'invalid_value', 'edition');
    const csv = 'number,title,parent,provisional\r\n4,体系,,false\r\n4.1,,4,maybe\r\n';
    const rc = await admin.request('POST', '/api/clause-catalogues?edition=2023', {
      body: Buffer.from(csv), headers: { 'content-type': 'text/csv', 'x-file-name': 'bad.csv' },
    });
    assertError(rc, 400, 'invalid_value', 'line 3.title');
    assert.deepEqual(rc.body.error.fields.map((f) => f.field), ['line 3.title', 'line 3.provisional']);
    const nohead = await admin.request('POST', '/api/clause-catalogues?edition=2023', {
      body: Buffer.from('编号,标题\r\n4,x\r\n'), headers: { 'content-type': 'text/csv', 'x-file-name': 'bad.csv' },
    });
    assertError(nohead, 400, 'clause_column_missing', 'file');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const notCsv = await admin.request('POST', '/api/clause-catalogues?edition=2023', {
      body: png, headers: { 'content-type': 'text/csv', 'x-file-name': 'clauses.csv' },
    });
    assertError(notCsv, 415, 'file_type_not_allowed');
    assert.deepEqual(await catalogues(), before);
  });

  test('CSV round trip: export, import, the same clauses', async () => {
    const c = await catalogues();
    const current = c['2023'][0];
    const ex = await admin.request('GET', `/api/clause-catalogues/${current.id}/export?format=csv`);
    assert.equal(ex.status, 200);
    assert.match(ex.headers.get('content-type'), /^text\/csv/);
    assert.match(ex.headers.get('content-disposition'), /^attachment/);
    const lines = ex.body.split('\r\n');
    assert.equal(lines[0], 'number,title,title_en,parent,provisional,guidance,evidence');
    assert.equal(lines.length, 32 + 2);
    const im = await admin.request('POST', '/api/clause-catalogues?edition=2023&note=round%20trip', {
      body: Buffer.from(ex.body), headers: { 'content-type': 'text/csv', 'x-file-name': 'clauses-2023.csv' },
    });
    assert.equal(im.status, 201, JSON.stringify(im.body));
    assert.equal(im.body.version, current.version + 1);
    assert.equal(im.body.note, 'round trip');
    const older = await clauses('2023', `&version=${current.version}`);
    const newer = await clauses('2023');
    assert.equal(newer.items[0].catalogue.version, current.version + 1);
    assert.deepEqual(newer.items.map(strip), older.items.map(strip));
    const js = await admin.request('GET', `/api/clause-catalogues/${im.body.id}/export?format=json`);
    assert.equal(js.status, 200);
    const doc = typeof js.body === 'string' ? JSON.parse(js.body) : js.body;
    assert.equal(doc.edition, '2023');
    assert.deepEqual(doc.clauses, newer.items.map(strip));
    assertError(await admin.request('GET', `/api/clause-catalogues/${im.body.id}/export?format=pdf`), 400, 'invalid_value', 'format');
    assertError(await admin.request('GET', '/api/clause-catalogues/999999/export'), 404, 'clause_catalogue_not_found', null);
  });

  test('only an admin imports and exports', async () => {
    const doc = { edition: '2013', clauses: [{ number: '4', title: 'x' }] };
    assertError(await enterprise.request('POST', '/api/clause-catalogues', { json: doc }), 403, 'forbidden');
    assertError(await pub.request('GET', '/api/clause-catalogues/1/export'), 401, 'unauthenticated');
    assertError(await enterprise.request('GET', '/api/clause-catalogues/1/export'), 403, 'forbidden');
  });
  test('ten imports of one edition at once: each a version of its own, none lost', async () => {
    const before = (await catalogues())['2023'];
    const doc = { edition: '2023', clauses: [{ number: '4', title: '组织环境' }, { number: '4.1', title: '理解', parent: '4' }] };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      admin.request('POST', '/api/clause-catalogues', { json: { ...doc, note: `并发 ${i}` } })));
    const made = answers.filter((r) => r.status === 201);
    for (const r of answers) assert.ok(r.status === 201 || r.status === 409, `${r.status} ${JSON.stringify(r.body)}`);
    assert.ok(made.length >= 1);
    const versions = made.map((r) => r.body.version).sort((a, b) => a - b);
    assert.equal(new Set(versions).size, versions.length, `distinct versions ${versions}`);
    const after = (await catalogues())['2023'];
    assert.equal(after.length, before.length + made.length);
    assert.equal(after[0].version, before[0].version + made.length);
  });

  test('the command line: export clauses, import clauses (refusals printed, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clauses-'));
    const ex = runCli(['export', 'clauses', '--edition', '2013', '--format', 'csv', '--db', server.db]);
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(ex.stdout.split('\r\n')[0], 'number,title,title_en,parent,provisional,guidance,evidence');
    const file = join(dir, 'c.csv');
    writeFileSync(file, ex.stdout);
    const before = (await catalogues())['2013'].length;
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'number,title,parent\n4,x,\n4.1,,5\n');
    const refused = runCli(['import', 'clauses', bad, '--edition', '2013', '--db', server.db], { LANG: 'en_US.UTF-8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /line 3\.title: must not be empty/);
    assert.match(refused.stderr, /line 3\.parent: /);
    assert.equal((await catalogues())['2013'].length, before);
    const ok = runCli(['import', 'clauses', file, '--edition', '2013', '--db', server.db]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`as version ${before + 1} \\(41 clauses\\)`));
    const now = await clauses('2013');
    assert.equal(now.items[0].catalogue.version, before + 1);
    const js = runCli(['export', 'clauses', '--edition', '2013', '--db', server.db]);
    assert.equal(js.status, 0, js.stderr);
    assert.deepEqual(JSON.parse(js.stdout).clauses, now.items.map(strip));
  });
});
