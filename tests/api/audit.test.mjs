// The audit log (docs/audit.md), from outside: a freshly seeded database verifies; every write
// route leaves exactly one entry (self-registration: one per record it creates) with the actor,
// the request id answered in X-Request-Id, and before/after holding only the changed fields, as
// written here; security events (sign-in, failure, sign-out, throttling) are recorded; the CLI's
// writes (user add, user passwd, import) are the CLI's; a regulator sees only its region;
// filters; export + offline verify; an edited, a deleted and a swapped entry are each caught
// with exit 1 naming the entry; several writers at once (two nodes on PostgreSQL) keep one chain.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { startPlatform, startServer, runCli, testDbKind, binary, Client } from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch, checkEveryAnswer } from './helpers.mjs';
import { makeCode, withWrongFinal } from './lib/uscc.mjs';
import { sql } from './lib/sql.mjs';

checkEveryAnswer();      // every answer here, the audit log's included, matches its OpenAPI schema

const today = () => new Date().toISOString().slice(0, 10);
const HEX16 = /^[0-9a-f]{16}$/;

/** `guanbiao ARGS` with `input` on its standard input, as the operator OPERATOR. */
function cli(args, input, operator = 'ops-zhang') {
  const r = spawnSync(binary, args, { input, encoding: 'utf8', timeout: 120000, maxBuffer: 256 << 20,
    env: { ...process.env, USER: operator } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe(`audit log (${testDbKind})`, () => {
  let server, db, admin, regGd, bodyUser, enterpriseUser, bodyId;
  let dir;
  let serial = 0;

  before(async () => {
    server = await startPlatform();
    db = server.pg ? server.pg.url : server.db;
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-audit-'));
    admin = await signedIn(server.url, 'admin');
    regGd = await signedIn(server.url, 'regulator-gd');
    bodyUser = await signedIn(server.url, 'body');
    enterpriseUser = await signedIn(server.url, 'enterprise');
    bodyId = (await bodyUser.request('GET', '/api/session')).body.user.body_id;
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The highest sequence number now. */
  async function head() {
    const r = await admin.request('GET', '/api/audit?per_page=1');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.length ? r.body.items[0].seq : 0;
  }
  /** Entries after seq `since`, oldest first. */
  async function since(seq) {
    const r = await admin.request('GET', '/api/audit?per_page=100');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.filter((e) => e.seq > seq).reverse();
  }
  /** Runs write(), then asserts that it left exactly one entry, which it returns with the response. */
  async function one(write) {
    const before_ = await head();
    const res = await write();
    assert.ok(res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
    const entries = await since(before_);
    assert.equal(entries.length, 1, JSON.stringify(entries));
    const e = entries[0];
    assert.match(res.headers.get('x-request-id'), HEX16);
    assert.equal(e.request_id, res.headers.get('x-request-id'), 'the entry names the request');
    assert.equal(e.address, '127.0.0.1');
    return { res, e };
  }
  function verify(args = []) {
    return runCli(['audit', 'verify', '--db', db, ...args]);
  }
  function newEnterprise(region, over = {}) {
    serial += 1;
    return { name: `审计测试企业${serial}有限公司`, credit_code: makeCode(region, 800 + serial), region, industry: '39',
      size: 'small', ...over };
  }

  test('a freshly seeded database verifies', () => {
    const r = verify();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log intact: \d+ entries$/m);
    assert.ok(Number(r.stdout.match(/intact: (\d+)/)[1]) > 1000, 'the seed is recorded');
  });

  test('every answer carries a fresh X-Request-Id', async () => {
    const a = await rawFetch(server.url, '/api/vocabularies');
    const b = await rawFetch(server.url, '/api/vocabularies');
    assert.match(a.headers.get('x-request-id'), HEX16);
    assert.match(b.headers.get('x-request-id'), HEX16);
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
    // the access log names it
    const id = b.headers.get('x-request-id');
    for (let i = 0; i < 50 && !server.logs().includes(`request_id=${id}`); i++) await new Promise((ok) => setTimeout(ok, 20));
    assert.match(server.logs(), new RegExp(`access method=GET route=/api/vocabularies status=200 .* request_id=${id}\\n`));
  });

  test('enterprises: create, edit, approve, reject, credit-code override, self-registration', async () => {
    const input = newEnterprise('440305');
    const { res, e } = await one(() => admin.request('POST', '/api/enterprises', { json: input }));
    const id = res.body.id;
    assert.equal(e.action, 'enterprise.create');
    assert.deepEqual(e.actor, { kind: 'user', id: e.actor.id, login: 'admin', role: 'admin', organisation: '' });
    assert.equal(e.entity, 'enterprise');
    assert.equal(e.entity_id, String(id));
    assert.equal(e.region, '440305');
    assert.equal(e.before, null);
    assert.deepEqual(e.after, { name: input.name, credit_code: input.credit_code, region: '440305', industry: '39',
      size: 'small', address: '', contact_name: '', contact_phone: '', contact_email: '', status: 'approved' });

    // an edit: only the fields that change (industry is sent unchanged)
    const edit = await one(() => regGd.request('PATCH', `/api/enterprises/${id}`,
      { json: { name: `${input.name}（更名）`, address: '深圳市南山区 8 号', industry: '39' } }));
    assert.equal(edit.e.action, 'enterprise.update');
    assert.equal(edit.e.actor.login, 'regulator-gd');
    assert.equal(edit.e.actor.organisation, 'region:440000');
    assert.deepEqual(edit.e.before, { name: input.name, address: '' });
    assert.deepEqual(edit.e.after, { name: `${input.name}（更名）`, address: '深圳市南山区 8 号' });

    // an admin's pilot code that fails its check character
    const pilot = newEnterprise('440304');
    pilot.credit_code = withWrongFinal(pilot.credit_code);
    const override = await one(() => admin.request('POST', '/api/enterprises', { json: { ...pilot, credit_code_override: true } }));
    assert.equal(override.e.action, 'enterprise.credit_code_override');
    assert.equal(override.e.after.credit_code, pilot.credit_code);
    assert.equal(override.e.after.credit_code_override, true);

    // self-registration: the enterprise and its account, by the public, then the review
    const reg = newEnterprise('440106');
    const login = `audit-reg-${serial}`;
    const before_ = await head();
    const r = await new Client(server.url).request('POST', '/api/enterprises/registrations',
      { json: { ...reg, account: { login, name: '登记人', password: 'audit-registration-1' } } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const created = await since(before_);
    assert.deepEqual(created.map((x) => x.action), ['enterprise.register', 'user.create']);
    assert.deepEqual(created.map((x) => x.actor.kind), ['public', 'public']);
    assert.equal(created[0].actor.login, login);
    assert.equal(created[0].after.status, 'pending');
    assert.equal(created[0].region, '440106');
    assert.deepEqual(created[1].after, { login, name: '登记人', role: 'enterprise', enterprise_id: Number(created[0].entity_id) });
    assert.equal(created[1].region, '440106', 'an enterprise account lies in its enterprise\'s region');
    const regId = created[0].entity_id;

    const approve = await one(() => regGd.request('POST', `/api/enterprises/${regId}/review`, { json: { decision: 'approve' } }));
    assert.equal(approve.e.action, 'enterprise.approve');
    assert.deepEqual(approve.e.before, { status: 'pending' });
    assert.deepEqual(approve.e.after, { status: 'approved' });

    const other = newEnterprise('440106');
    const before2 = await head();
    await new Client(server.url).request('POST', '/api/enterprises/registrations',
      { json: { ...other, account: { login: `${login}-b`, name: '登记人', password: 'audit-registration-2' } } });
    const otherId = (await since(before2))[0].entity_id;
    const reject = await one(() => regGd.request('POST', `/api/enterprises/${otherId}/review`,
      { json: { decision: 'reject', note: '营业执照不清晰' } }));
    assert.equal(reject.e.action, 'enterprise.reject');
    assert.deepEqual(reject.e.before, { status: 'pending', review_note: '' });
    assert.deepEqual(reject.e.after, { status: 'rejected', review_note: '营业执照不清晰' });
  });

  test('bodies: create and edit', async () => {
    const input = { name: '审计测试认证有限公司', credit_code: makeCode('110108', 990), code: '977',
      approval_number: 'CNCA-R-2021-977', cnas_number: 'CNAS C977-M', founded: '2020-01-02', regions: ['440000'] };
    const { res, e } = await one(() => admin.request('POST', '/api/bodies', { json: input }));
    assert.equal(e.action, 'body.create');
    assert.equal(e.region, '');
    assert.deepEqual(e.after, { name: input.name, credit_code: input.credit_code, code: '977',
      approval_number: 'CNCA-R-2021-977', cnas_number: 'CNAS C977-M', founded: '2020-01-02', address: '',
      contact_phone: '', website: '', regions: '440000' });
    const edit = await one(() => admin.request('PATCH', `/api/bodies/${res.body.id}`,
      { json: { contact_phone: '010-6100 0000', founded: '2020-01-02' } }));
    assert.equal(edit.e.action, 'body.update');
    assert.deepEqual(edit.e.before, { contact_phone: '' });
    assert.deepEqual(edit.e.after, { contact_phone: '010-6100 0000' });
  });

  test('certificates: issue, edit, each status change', async () => {
    const number = '84026IP977001R0M';
    const issued = today();
    const { e } = await one(() => bodyUser.request('POST', '/api/certificates', {
      json: { number, holder_credit_code: '914403001922038216', standard: 'GB/T 29490-2023', scope: '研发',
        scope_areas: ['acquisition'], scope_stages: ['research'], issued, expires: '2030-01-01' },
    }));
    assert.equal(e.action, 'certificate.create');
    assert.equal(e.entity, 'certificate');
    assert.equal(e.entity_id, number);
    assert.equal(e.region, '440300');
    assert.equal(e.actor.login, 'body');
    assert.equal(e.actor.organisation, `body:${bodyId}`);
    assert.deepEqual(e.after, { enterprise_id: 1, body_id: bodyId, number, standard: 'GB/T 29490-2023', scope: '研发',
      scope_areas: 'acquisition', scope_stages: 'research', issued, expires: '2030-01-01', status: 'valid' });

    const edit = await one(() => bodyUser.request('PATCH', `/api/certificates/${number}`,
      { json: { scope: '研发与生产', expires: '2030-06-30' } }));
    assert.equal(edit.e.action, 'certificate.update');
    assert.deepEqual(edit.e.before, { scope: '研发', expires: '2030-01-01' });
    assert.deepEqual(edit.e.after, { scope: '研发与生产', expires: '2030-06-30' });

    const steps = [['suspended', '监督审核不合格'], ['valid', '整改完成'], ['withdrawn', '企业申请撤销']];
    let from = 'valid';
    for (const [to, reason] of steps) {
      const s = await one(() => admin.request('POST', `/api/certificates/${number}/status`, { json: { status: to, reason } }));
      assert.equal(s.e.action, 'certificate.status');
      assert.deepEqual(s.e.before, { status: from });
      assert.deepEqual(s.e.after, { status: to, reason });
      from = to;
    }
    // a refused change writes nothing
    const before_ = await head();
    assertError(await admin.request('POST', `/api/certificates/${number}/status`, { json: { status: 'valid', reason: 'x' } }),
      409, 'invalid_transition', 'status');
    assert.equal(await head(), before_);
  });

  test('accounts: create, password change by the API and by the CLI, user add', async () => {
    const { res, e } = await one(() => admin.request('POST', '/api/users',
      { json: { login: 'audit-reg', name: '审计处', role: 'regulator', region: '440300', password: 'audit-password-1' } }));
    assert.equal(e.action, 'user.create');
    assert.equal(e.entity_id, String(res.body.id));
    assert.equal(e.region, '440300');
    assert.deepEqual(e.after, { login: 'audit-reg', name: '审计处', role: 'regulator', region: '440300' });
    assert.ok(!JSON.stringify(e).includes('argon2'), 'no password hash in the log');

    const user = await signedIn(server.url, 'audit-reg', 'audit-password-1');
    const pw = await one(() => user.request('PUT', '/api/session/password',
      { json: { current_password: 'audit-password-1', new_password: 'audit-password-2' } }));
    assert.equal(pw.e.action, 'user.password');
    assert.equal(pw.e.actor.login, 'audit-reg');
    assert.equal(pw.e.before, null);
    assert.deepEqual(Object.keys(pw.e.after), ['password_changed_at']);

    // the command line: the operator is the actor, with no request
    let before_ = await head();
    const passwd = cli(['user', 'passwd', 'audit-reg', '--db', db], 'audit-password-3\n');
    assert.equal(passwd.status, 0, passwd.stderr);
    let entries = await since(before_);
    assert.equal(entries.length, 1, JSON.stringify(entries));
    assert.equal(entries[0].action, 'user.password');
    assert.equal(entries[0].entity_id, String(res.body.id));
    assert.deepEqual({ ...entries[0].actor, id: 0 }, { kind: 'cli', id: 0, login: 'ops-zhang', role: '', organisation: '' });
    assert.equal(entries[0].request_id, '');

    before_ = await head();
    const add = cli(['user', 'add', 'audit-cli', '--role', 'admin', '--name', '运维', '--db', db], 'audit-password-4\n');
    assert.equal(add.status, 0, add.stderr);
    entries = await since(before_);
    assert.equal(entries.length, 1, JSON.stringify(entries));
    assert.equal(entries[0].action, 'user.create');
    assert.equal(entries[0].actor.kind, 'cli');
    assert.deepEqual(entries[0].after, { login: 'audit-cli', name: '运维', role: 'admin' });
  });

  test('certificate import: one entry per certificate written, by the operator', async () => {
    const path = join(dir, 'import.csv');
    writeFileSync(path, 'number,holder_credit_code,body_code,standard,scope_areas,scope_stages,issued,expires\r\n' +
      `84026IP977101R0M,914403001922038216,840,GB/T 29490-2023,acquisition,research,${today()},2029-12-31\r\n` +
      `84026IP977102R0M,914403001922038216,840,GB/T 29490-2023,acquisition,research,${today()},2029-12-31\r\n`);
    const before_ = await head();
    const r = cli(['import', 'certificates', path, '--db', db], '');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).accepted, 2, r.stdout);
    const entries = await since(before_);
    assert.deepEqual(entries.map((e) => [e.action, e.entity_id, e.actor.kind, e.actor.login]), [
      ['certificate.create', '84026IP977101R0M', 'cli', 'ops-zhang'],
      ['certificate.create', '84026IP977102R0M', 'cli', 'ops-zhang'],
    ]);
  });

  test('certificate import upload: one entry per certificate written, by the uploader', async () => {
    const csv = 'number,holder_credit_code,body_code,standard,scope_areas,scope_stages,issued,expires\r\n' +
      `84026IP977201R0M,914403001922038216,840,GB/T 29490-2023,acquisition,research,${today()},2029-12-31\r\n`;
    const before_ = await head();
    const r = await admin.request('POST', '/api/certificates/imports',
      { body: Buffer.from(csv), headers: { 'content-type': 'text/csv', 'x-file-name': 'audit.csv' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 1);
    const entries = await since(before_);
    assert.deepEqual(entries.map((e) => [e.action, e.entity, e.actor.login, e.request_id]), [
      ['certificate.create', 'certificate', 'admin', r.headers.get('x-request-id')],
      ['file.attach', 'attachment', 'admin', r.headers.get('x-request-id')],
    ]);
    assert.equal(entries[0].entity_id, '84026IP977201R0M');
    assert.deepEqual(entries[1].after, { owner: 'certificate_import', owner_id: entries[1].after.owner_id,
      name: 'audit.csv', type: entries[1].after.type, size: csv.length,
      sha256: createHash('sha256').update(csv).digest('hex') });
    assert.match(entries[1].after.type, /^text\/(csv|plain)$/);
  });

  test('files: an upload to an enterprise, in the enterprise\'s region', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% audit\n', 'latin1');
    const me = (await enterpriseUser.request('GET', '/api/session')).body.user;
    const { res, e } = await one(() => enterpriseUser.request('POST', `/api/enterprises/${me.enterprise_id}/files`,
      { body: pdf, headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('许可证.pdf') } }));
    assert.equal(e.action, 'file.attach');
    assert.equal(e.entity, 'attachment');
    assert.equal(e.entity_id, String(res.body.id));
    assert.equal(e.actor.login, 'enterprise');
    assert.equal(e.region, (await admin.request('GET', `/api/enterprises/${me.enterprise_id}`)).body.region);
    assert.match(e.region, /^44/);
    assert.equal(e.before, null);
    assert.deepEqual(e.after, { owner: 'enterprise', owner_id: me.enterprise_id, name: '许可证.pdf',
      type: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
  });

  test('notification preferences: the account\'s email and channels, before and after', async () => {
    const { e } = await one(() => bodyUser.request('PUT', '/api/notifications/preferences',
      { json: { email: 'audit@example.cn', types: [{ type: 'certificate_status', inbox: true, email: false }] } }));
    assert.equal(e.action, 'user.preferences');
    assert.equal(e.entity, 'user');
    assert.deepEqual(e.before, { email: '', 'certificate_status.email': true });
    assert.deepEqual(e.after, { email: 'audit@example.cn', 'certificate_status.email': false });
    // the same again changes nothing and records nothing
    const before_ = await head();
    const again = await bodyUser.request('PUT', '/api/notifications/preferences',
      { json: { email: 'audit@example.cn', types: [{ type: 'certificate_status', inbox: true, email: false }] } });
    assert.equal(again.status, 200);
    assert.deepEqual(await since(before_), []);
  });

  test('jobs: an administrator\'s retry of a dead job', async () => {
    const now = Math.floor(Date.now() / 1000);
    const [[id]] = sql(db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, last_error, created_at) ` +
      `VALUES ('certificate_expiry', '{"date":"not a date"}', 'dead', 5, 5, ${now}, 'payload: date must be a date', ${now}) RETURNING id`);
    const { e } = await one(() => admin.request('POST', `/api/jobs/${id}/retry`));
    assert.equal(e.action, 'job.retry');
    assert.equal(e.entity, 'job');
    assert.equal(e.entity_id, String(id));
    assert.deepEqual(e.before, { state: 'dead' });
    assert.deepEqual(e.after, { state: 'queued', attempts: 0 });
  });

  test('security events: sign-in, failure, throttling, sign-out', async () => {
    const { e } = await one(() => new Client(server.url).request('POST', '/api/session',
      { json: { login: 'enterprise', password: 'guanbiao-demo' } }));
    assert.equal(e.action, 'session.sign_in');
    assert.equal(e.actor.login, 'enterprise');
    assert.equal(e.actor.kind, 'user');

    const stranger = new Client(server.url);
    const fail = await one(() => stranger.request('POST', '/api/session', { json: { login: 'audit-nobody', password: 'wrong-password' } })
      .then((r) => ({ ...r, status: r.status === 401 ? 200 : 500 })));
    assert.equal(fail.e.action, 'session.sign_in_failed');
    assert.equal(fail.e.entity_id, 'audit-nobody');
    assert.deepEqual({ kind: fail.e.actor.kind, login: fail.e.actor.login }, { kind: 'public', login: 'audit-nobody' });

    // 5 failures are free (one made above); the next attempt is refused, and that is recorded
    for (let i = 0; i < 4; i++)
      assert.equal((await stranger.request('POST', '/api/session', { json: { login: 'audit-nobody', password: 'wrong' } })).status, 401);
    const refused = await one(() => stranger.request('POST', '/api/session', { json: { login: 'audit-nobody', password: 'wrong' } })
      .then((r) => ({ ...r, status: r.status === 429 ? 200 : 500 })));
    assert.equal(refused.e.action, 'session.throttled');
    assert.equal(refused.e.entity, 'throttle');
    assert.equal(refused.e.entity_id, 'login:audit-nobody');
    assert.ok(refused.e.after.retry_after > 0);

    const c = await signedIn(server.url, 'body');
    const out = await one(() => c.request('DELETE', '/api/session'));
    assert.equal(out.e.action, 'session.sign_out');
    assert.equal(out.e.actor.login, 'body');
  });

  test('the platform\'s certificate expiry (a job) is recorded as the platform\'s', async () => {
    const [number] = sql(db, "SELECT number FROM certificates WHERE status = 'valid' AND expires > '2027-01-01' ORDER BY id DESC LIMIT 1")[0];
    sql(db, `UPDATE certificates SET expires = '2026-01-31' WHERE number = '${number}'`);
    sql(db, `UPDATE schedules SET next_run = ${Math.floor(Date.now() / 1000) - 60} WHERE name = 'certificate_expiry'`);
    let entry;
    for (let i = 0; i < 300 && !entry; i++) {
      entry = (await admin.request('GET', `/api/audit?entity_id=${number}&action=certificate.status`)).body.items[0];
      if (!entry) await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.ok(entry, 'the expiry job ran within 30 s');
    assert.deepEqual(entry.actor, { kind: 'platform', id: null, login: '', role: '', organisation: '' });
    assert.deepEqual(entry.before, { status: 'valid' });
    assert.equal(entry.after.status, 'expired');
    assert.equal(entry.request_id, '');
  });

  test('a regulator sees only the entries of its region; filters', async () => {
    const national = await signedIn(server.url, 'regulator');     // (its sign-in is an entry too)
    const all = await admin.request('GET', '/api/audit?per_page=100');
    const gd = await regGd.request('GET', '/api/audit?per_page=100');
    assert.equal(gd.status, 200);
    assert.ok(gd.body.total > 0 && gd.body.total < all.body.total, `${gd.body.total} of ${all.body.total}`);
    for (const e of gd.body.items) assert.match(e.region, /^44/);
    assert.equal((await national.request('GET', '/api/audit?per_page=1')).body.total, all.body.total);

    const bodyEntry = (await admin.request('GET', '/api/audit?entity=body&per_page=1')).body.items[0];
    assert.equal(bodyEntry.region, '');
    assert.equal((await admin.request('GET', `/api/audit/${bodyEntry.seq}`)).status, 200);
    assertError(await regGd.request('GET', `/api/audit/${bodyEntry.seq}`), 404, 'audit_entry_not_found');
    assertError(await admin.request('GET', '/api/audit/99999999'), 404, 'audit_entry_not_found');
    for (const who of [enterpriseUser, bodyUser]) assertError(await who.request('GET', '/api/audit'), 403, 'forbidden');

    const byActor = await admin.request('GET', '/api/audit?actor=regulator-gd&per_page=100');
    assert.ok(byActor.body.total >= 3);
    for (const e of byActor.body.items) assert.equal(e.actor.login, 'regulator-gd');
    const statuses = await admin.request(`GET`, `/api/audit?entity=certificate&entity_id=84026IP977001R0M&action=certificate.status`);
    assert.equal(statuses.body.total, 3);
    const family = await admin.request('GET', '/api/audit?action=certificate.&entity_id=84026IP977001R0M');
    assert.equal(family.body.total, 5);
    const day = today();
    assert.equal((await admin.request('GET', `/api/audit?from=${day}&to=${day}&actor=regulator-gd`)).body.total, byActor.body.total);
    assert.equal((await admin.request('GET', `/api/audit?to=2020-01-01&actor=regulator-gd`)).body.total, 0);
    assertError(await admin.request('GET', '/api/audit?from=2026-13-01'), 400, 'invalid_query', 'from');
  });

  test('several writers at once keep one chain (two nodes on PostgreSQL)', async () => {
    const other = server.pg ? await startServer({ db: db, seed: false }) : server;
    try {
      const onOther = server.pg ? await signedIn(other.url, 'admin') : admin;
      const before_ = await head();
      const writes = [];
      for (let i = 0; i < 30; i++) {
        const client = i % 2 ? admin : onOther;
        writes.push(client.request('POST', '/api/enterprises', { json: newEnterprise(i % 3 ? '440305' : '110108') }));
      }
      const answers = await Promise.all(writes);
      for (const r of answers) assert.equal(r.status, 201, JSON.stringify(r.body));
      const entries = await since(before_);
      assert.equal(entries.length, 30);
      assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 30 }, (_, i) => before_ + 1 + i));
      const r = verify();
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      if (other !== server) await other.stop();
    }
  });

  test('export, offline verify, and a changed export is caught', () => {
    const file = join(dir, 'audit.jsonl');
    const ex = runCli(['audit', 'export', file, '--db', db]);
    assert.equal(ex.status, 0, ex.stderr);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const count = Number(verify().stdout.match(/intact: (\d+)/)[1]);
    assert.equal(lines.length, count);
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), ['seq', 'at', 'actor_kind', 'actor_id', 'actor_login', 'actor_role',
      'actor_org', 'request_id', 'address', 'action', 'entity', 'entity_id', 'region', 'before', 'after', 'prev_hash', 'hash']);
    const offline = runCli(['audit', 'verify', '--file', file]);
    assert.equal(offline.status, 0, offline.stdout + offline.stderr);
    assert.equal(offline.stdout.trim(), `audit log intact: ${count} entries`);

    const third = JSON.parse(lines[2]);
    third.after = third.after.replace(/"[^"]*"}$/, '"篡改"}');
    const changed = [...lines];
    changed[2] = JSON.stringify(third);
    writeFileSync(file, changed.join('\n') + '\n');
    const bad = runCli(['audit', 'verify', '--file', file]);
    assert.equal(bad.status, 1, bad.stdout);
    assert.match(bad.stdout, /^audit log broken at entry 3: .*edited/m);
  });

  test('an edited, a swapped and a deleted entry are each caught, naming the entry', () => {
    const saved = sql(db, 'SELECT after_json FROM audit_log WHERE seq = 10')[0][0];
    sql(db, `UPDATE audit_log SET after_json = '{"name":"改过"}' WHERE seq = 10`);
    let r = verify();
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^audit log broken at entry 10: hash does not match its content: the entry was edited$/m);
    sql(db, `UPDATE audit_log SET after_json = '${saved.replace(/'/g, "''")}' WHERE seq = 10`);
    assert.equal(verify().status, 0);

    const swap = (a, b) => sql(db, `UPDATE audit_log SET seq = -1 WHERE seq = ${a}; UPDATE audit_log SET seq = ${a} WHERE seq = ${b}; ` +
      `UPDATE audit_log SET seq = ${b} WHERE seq = -1`);
    swap(20, 21);
    r = verify();
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^audit log broken at entry 20: prev_hash does not match the previous entry/m);
    swap(20, 21);
    assert.equal(verify().status, 0);

    if (server.pg) {
      // PostgreSQL keeps the chain's head in audit_head: the last entries deleted are noticed too
      const last = Number(sql(db, 'SELECT MAX(seq) FROM audit_log')[0][0]);
      sql(db, `DELETE FROM audit_log WHERE seq = ${last}`);
      r = verify();
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, new RegExp(`^audit log broken at entry ${last}: the head names entry ${last}; entries at the end are missing$`, 'm'));
    }

    sql(db, 'DELETE FROM audit_log WHERE seq = 30');
    r = verify();
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^audit log broken at entry 30: missing/m);
  });
});
