// The certificate lifecycle after the decision (issue 8; docs/registry.md "Lifecycle"), from
// outside: a certificate's first surveillance falls due on the anniversary of its decision (29
// February: 28 February), the second 12 months after the first audit, none after; the issuing
// body records maintained / suspended / withdrawn (a reason for the last two), which public
// verification and the history show; a withdrawn certificate takes no surveillance; two
// recordings at once: one 201, one 409. Renewal issues the next cycle (R count + 1, or the
// number given), only in the window, once (two at once: one 201, one 409). The daily jobs
// remind at 60 and 14 days and flag an overdue surveillance to the body and the regulator,
// each once (jobs planted with a fixed {"date"} payload).
// The dates are written out; the certificates are issued in 2024–2026 with the machine's
// clock in late 2026 (the renewal window and "audit not after today" depend on it: these tests
// hold until early 2027).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, testDbKind } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';
import { readFileSync } from 'node:fs';
import { root } from '../lib/platform.mjs';

checkEveryAnswer();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe(`certificate lifecycle: surveillance and renewal (${testDbKind})`, () => {
  let server, pub, admin, body, enterprise, regulatorGd, regulator, holder;
  let serial = 0;
  const number = () => `84024IP9${String(++serial).padStart(5, '0')}R0M`;
  const issue = async (issued, over = {}) => {
    const n = over.number || number();
    const r = await body.request('POST', '/api/certificates', {
      json: { number: n, holder_credit_code: holder, standard: 'GB/T 29490-2023', scope: '知识产权管理体系',
        scope_areas: ['acquisition'], scope_stages: ['research'], issued, ...over },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const survey = (n, json, client = body) => client.request('POST', `/api/certificates/${n}/surveillances`, { json });
  const renew = (n, json = {}, client = body) => client.request('POST', `/api/certificates/${n}/renewal`, { json });
  const history = async (n) => {
    const r = await admin.request('GET', `/api/certificates/${n}/history`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items;
  };

  before(async () => {
    server = await startPlatform({ extraArgs: ['--jobs-tick', '100'] });
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    body = await signedIn(server.url, 'body');
    enterprise = await signedIn(server.url, 'enterprise');
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    holder = makeCode('440305', 6262);
    const r = await admin.request('POST', '/api/enterprises', {
      json: { name: '监督审核测试企业有限公司', credit_code: holder, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => { await server?.stop(); });

  test('due dates: the anniversary of the decision, 29 February → 28 February, shown by verification', async () => {
    const a = await issue('2025-12-20');
    assert.equal(a.expires, '2028-12-19');
    assert.equal(a.cycle, 0);
    assert.equal(a.decision_date, '2025-12-20');
    assert.equal(a.surveillances_done, 0);
    assert.equal(a.surveillance_due, '2026-12-20');
    assert.equal(a.surveillance_overdue, false);
    assert.equal(a.previous_number, '');
    assert.equal(a.renewed_by, '');
    const leap = await issue('2024-02-29');
    assert.equal(leap.surveillance_due, '2025-02-28');
    assert.equal(leap.surveillance_overdue, true);
    const monthEnd = await issue('2025-01-31');
    assert.equal(monthEnd.surveillance_due, '2026-01-31');
    const v = await pub.request('GET', `/api/certificates/${leap.number}`);
    assert.equal(v.status, 200);
    assert.equal(v.body.surveillance_due, '2025-02-28');
    assert.equal(v.body.surveillance_overdue, true);
  });

  test('maintained, then the second audit 12 months on, then none: a third is refused', async () => {
    const c = await issue('2025-02-28');
    assert.equal(c.surveillance_due, '2026-02-28');
    let r = await survey(c.number, { audit_date: '2026-02-20', outcome: 'maintained' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'valid');
    assert.equal(r.body.surveillances_done, 1);
    assert.equal(r.body.surveillance_due, '2027-02-20');
    assert.equal(r.body.surveillance_overdue, false);
    r = await survey(c.number, { audit_date: '2026-11-02', outcome: 'maintained', reason: '体系运行有效' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.surveillances_done, 2);
    assert.equal(r.body.surveillance_due, '');
    assertError(await survey(c.number, { audit_date: '2026-11-03', outcome: 'maintained' }), 409, 'surveillances_complete');
    // the same form sent again names its audit: recorded once
    assertError(await survey(c.number, { seq: 2, audit_date: '2026-11-02', outcome: 'maintained' }), 409, 'surveillance_recorded', 'seq');
    // the history shows each maintain as a surveillance entry, without a status change
    const h = await history(c.number);
    const s = h.filter((e) => e.kind === 'surveillance');
    assert.deepEqual(s.map((e) => [e.seq, e.audit_date, e.outcome, e.reason, e.from, e.to]), [
      [1, '2026-02-20', 'maintained', '监督审核：保持认证资格', '', ''],
      [2, '2026-11-02', 'maintained', '监督审核：保持认证资格：体系运行有效', '', ''],
    ]);
    assert.equal(s[0].by, '中知认证有限公司 · 审核员');
    assert.equal(h.filter((e) => e.kind === 'status').length, 1);    // the issue only
  });

  test('bad input gets a clear error and changes nothing', async () => {
    const c = await issue('2025-06-10');
    assertError(await survey(c.number, { outcome: 'maintained' }), 400, 'missing_field', 'audit_date');
    assertError(await survey(c.number, { audit_date: '2026-13-01', outcome: 'maintained' }), 400, 'invalid_value', 'audit_date');
    assertError(await survey(c.number, { audit_date: '2025-06-09', outcome: 'maintained' }), 400, 'invalid_value', 'audit_date');
    assertError(await survey(c.number, { audit_date: '2099-01-01', outcome: 'maintained' }), 400, 'invalid_value', 'audit_date');
    assertError(await survey(c.number, { audit_date: '2026-06-01', outcome: 'expired' }), 400, 'invalid_value', 'outcome');
    assertError(await survey(c.number, { audit_date: '2026-06-01', outcome: 'suspended' }), 400, 'missing_field', 'reason');
    assertError(await survey(c.number, { audit_date: '2026-06-01', outcome: 'maintained', extra: 1 }), 400, 'unknown_field', 'extra');
    assertError(await survey(c.number, { seq: 3, audit_date: '2026-06-01', outcome: 'maintained' }), 400, 'invalid_value', 'seq');
    assertError(await survey(c.number, { seq: 2, audit_date: '2026-06-01', outcome: 'maintained' }), 409, 'surveillance_out_of_order', 'seq');
    assertError(await survey('84099IP0000001R0M', { audit_date: '2026-06-01', outcome: 'maintained' }), 404, 'certificate_not_found');
    // another body may not record on this body's certificate; the enterprise neither
    const other = await signedIn(server.url, 'enterprise');
    assertError(await survey(c.number, { audit_date: '2026-06-01', outcome: 'maintained' }, other), 403, 'forbidden');
    const v = await pub.request('GET', `/api/certificates/${c.number}`);
    assert.equal(v.body.surveillances_done, 0);
    assert.equal(v.body.surveillance_due, '2026-06-10');
    assert.equal((await history(c.number)).length, 1);
  });

  test('suspended, then maintained (reinstated), then withdrawn: reasons in the public status and the history', async () => {
    const c = await issue('2025-03-01');
    let r = await survey(c.number, { audit_date: '2026-02-15', outcome: 'suspended', reason: '未按期整改不符合项' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'suspended');
    assert.equal(r.body.surveillance_due, '2027-02-15');
    let v = await pub.request('GET', `/api/certificates/${c.number}`);
    assert.equal(v.body.status, 'suspended');
    // the body's accounts (and the holder's) hear of the change
    const titles = (await body.request('GET', '/api/notifications?per_page=100')).body.items.map((x) => x.title);
    assert.ok(titles.includes(`证书 ${c.number} 的状态已变更为“暂停”`), JSON.stringify(titles.slice(0, 5)));
    let h = await history(c.number);
    assert.deepEqual(h.slice(1).map((e) => [e.kind, e.from, e.to, e.reason]), [
      ['surveillance', '', '', '监督审核：暂停认证资格：未按期整改不符合项'],
      ['status', 'valid', 'suspended', '监督审核（第1次）：暂停认证资格：未按期整改不符合项'],
    ]);
    // a body that maintains a suspended certificate reinstates it
    r = await survey(c.number, { audit_date: '2026-11-20', outcome: 'maintained', reason: '整改完成' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'valid');
    h = await history(c.number);
    assert.deepEqual(h.at(-1), { ...h.at(-1), kind: 'status', from: 'suspended', to: 'valid',
      reason: '监督审核（第2次）：保持认证资格：整改完成' });

    // withdrawn at the first surveillance: no due date any more, and no surveillance after
    const w = await issue('2025-04-01');
    r = await survey(w.number, { audit_date: '2026-03-20', outcome: 'withdrawn', reason: '严重不符合，拒绝整改' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'withdrawn');
    assert.equal(r.body.surveillance_due, '');
    assert.equal(r.body.surveillance_overdue, false);
    v = await pub.request('GET', `/api/certificates/${w.number}`);
    assert.equal(v.body.status, 'withdrawn');
    assertError(await survey(w.number, { audit_date: '2026-04-01', outcome: 'maintained' }), 409, 'certificate_final');
    h = await history(w.number);
    assert.deepEqual(h.at(-1), { ...h.at(-1), kind: 'status', from: 'valid', to: 'withdrawn',
      reason: '监督审核（第1次）：撤销认证资格：严重不符合，拒绝整改' });
    // an expired certificate takes none either
    const old = await issue('2022-05-01');
    assertError(await survey(old.number, { audit_date: '2023-04-01', outcome: 'maintained' }), 409, 'certificate_final');
    // the audit log holds the surveillance
    const audit = await admin.request('GET', `/api/audit?entity=certificate&entity_id=${w.number}&action=certificate.surveillance`);
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.equal(audit.body.items.length, 1);
  });

  test('two recordings of the same surveillance at once: one 201, one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const c = await issue('2025-05-05');
      const answers = await Promise.all([
        survey(c.number, { seq: 1, audit_date: '2026-05-01', outcome: 'maintained' }),
        survey(c.number, { seq: 1, audit_date: '2026-05-02', outcome: 'suspended', reason: '并发测试' }, admin),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], JSON.stringify(answers.map((a) => a.body)));
      assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM certificate_surveillances s JOIN certificates c ON c.id = s.certificate_id WHERE c.number = '${c.number}'`), 1);
      const v = await pub.request('GET', `/api/certificates/${c.number}`);
      assert.equal(v.body.surveillances_done, 1);
    }
  });

  test('renewal: the next cycle, R count + 1, decided on the date given; the old one says renewed by', async () => {
    const c = await issue('2024-03-15', { number: '84024IP9777001R0M' });
    assert.equal(c.expires, '2027-03-14');
    const r = await renew(c.number, { decision_date: '2026-11-20' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.number, '84024IP9777001R1M');
    assert.equal(r.body.cycle, 1);
    assert.equal(r.body.previous_number, '84024IP9777001R0M');
    assert.equal(r.body.issued, '2026-11-20');
    assert.equal(r.body.decision_date, '2026-11-20');
    assert.equal(r.body.expires, '2029-11-19');
    assert.equal(r.body.surveillance_due, '2027-11-20');
    assert.equal(r.body.status, 'valid');
    assert.equal(r.body.holder.credit_code, holder);
    assert.deepEqual(r.body.scope_areas, ['acquisition']);
    const old = await pub.request('GET', `/api/certificates/${c.number}`);
    assert.equal(old.status, 200);
    assert.equal(old.body.renewed_by, '84024IP9777001R1M');
    assert.equal(old.body.status, 'valid');
    const h = await history(c.number);
    assert.deepEqual(h.at(-1), { ...h.at(-1), kind: 'renewal', renewed_by: '84024IP9777001R1M',
      reason: '换证：由证书 84024IP9777001R1M 接续 (renewed by 84024IP9777001R1M)' });
    const hn = await history('84024IP9777001R1M');
    assert.equal(hn[0].reason, '换证：接续证书 84024IP9777001R0M (renews 84024IP9777001R0M)');
    assertError(await renew(c.number), 409, 'certificate_already_renewed');
    // the renewal renews in turn, R1 → R2, once it is in its last year (not now)
    assertError(await renew('84024IP9777001R1M'), 409, 'renewal_not_allowed');
  });

  test('renewal: the window, withdrawn, a number in another pattern', async () => {
    assertError(await renew((await issue('2026-01-10')).number), 409, 'renewal_not_allowed');      // 2 years left
    assertError(await renew((await issue('2023-01-10')).number), 409, 'renewal_not_allowed');      // expired > 6 months
    const recent = await issue('2023-08-01');                                                       // expired 2026-07-31
    assert.equal((await pub.request('GET', `/api/certificates/${recent.number}`)).body.status, 'expired');
    const r = await renew(recent.number, { decision_date: '2026-11-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.expires, '2029-10-31');
    const w = await issue('2024-04-01');
    const s = await body.request('POST', `/api/certificates/${w.number}/status`, { json: { status: 'withdrawn', reason: '测试' } });
    assert.equal(s.status, 200);
    assertError(await renew(w.number), 409, 'renewal_not_allowed');
    const other = await issue('2024-05-01', { number: 'SURV-TEST-0001' });
    assertError(await renew(other.number), 400, 'renewal_number_required', 'number');
    assertError(await renew(other.number, { number: 'bad number!' }), 400, 'invalid_certificate_number', 'number');
    assertError(await renew(other.number, { number: '84124IP0000001R1M' }), 409, 'number_of_another_body', 'number');
    assertError(await renew(other.number, { number: c0() }), 409, 'certificate_exists', 'number');
    const ok = await renew(other.number, { number: 'surv-test-0001-r1' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.number, 'SURV-TEST-0001-R1');
    assert.equal(ok.body.previous_number, 'SURV-TEST-0001');
    function c0() { return '84024IP9777001R0M'; }
  });

  test('two renewals at once: one 201, one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const c = await issue('2024-06-01');
      const answers = await Promise.all([renew(c.number), renew(c.number, {}, admin)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], JSON.stringify(answers.map((a) => a.body)));
      assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM certificates n JOIN certificates c ON c.id = n.previous_id WHERE c.number = '${c.number}'`), 1);
    }
  });

  test('the surveillance list: due_before, overdue, each caller its reach', async () => {
    const due = await issue('2025-12-21');                 // due 2026-12-21
    const late = await issue('2025-01-05');                // due 2026-01-05: overdue
    const all = async (client, query) => {
      const items = [];
      for (let page = 1; ; page++) {
        const r = await client.request('GET', `/api/certificates/surveillance?per_page=100&page=${page}&${query}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        items.push(...r.body.items);
        if (page * 100 >= r.body.total) return items;
      }
    };
    const overdue = await all(body, 'overdue=true');
    const mine = overdue.find((x) => x.number === late.number);
    assert.equal(mine.surveillance_due, '2026-01-05');
    assert.ok(mine.days_overdue > 300, JSON.stringify(mine));
    assert.equal(mine.holder_name, '监督审核测试企业有限公司');
    assert.ok(!overdue.some((x) => x.number === due.number));
    assert.ok(overdue.every((x) => x.days_overdue > 0));
    const soon = await all(body, 'due_before=2026-12-22');
    assert.ok(soon.some((x) => x.number === due.number));
    assert.ok(!(await all(body, 'due_before=2026-12-21')).some((x) => x.number === due.number));
    // the Guangdong regulator reaches the holder (440305); the national one too; admins all
    assert.ok((await all(regulatorGd, 'overdue=true')).some((x) => x.number === late.number));
    assert.ok((await all(regulator, 'overdue=true')).some((x) => x.number === late.number));
    assert.ok((await all(admin, 'overdue=true')).some((x) => x.number === late.number));
    const found = await body.request('GET', `/api/certificates/surveillance?q=${encodeURIComponent('监督审核测试')}&overdue=true&per_page=100`);
    assert.ok(found.body.items.length >= 1 && found.body.items.every((x) => x.holder_name === '监督审核测试企业有限公司'));
    const csv = await rawFetch(server.url, '/api/certificates/surveillance?overdue=true&format=csv', { client: body });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.ok(String(csv.body).includes(late.number));
    assertError(await body.request('GET', '/api/certificates/surveillance?due_before=tomorrow'), 400, 'invalid_query', 'due_before');
    assertError(await enterprise.request('GET', '/api/certificates/surveillance'), 403, 'forbidden');
  });

  test('jobs: reminders at 60 and 14 days and the overdue flag, each sent once', async () => {
    const c = await issue('2025-12-19');                   // due 2026-12-19
    const run = async (kind, date) => {
      const t = Math.floor(Date.now() / 1000);
      const [[id]] = sql(server.db, `INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at)
        VALUES ('${kind}', '{"date":"${date}"}', 'queued', 0, 3, ${t}, ${t}) RETURNING id`);
      for (const deadline = Date.now() + 15000; ;) {
        const [[state, error]] = sql(server.db, `SELECT state, last_error FROM jobs WHERE id = ${id}`);
        if (state === 'done') return;
        assert.ok(state !== 'dead' && Date.now() < deadline, `${kind} ${date}: ${state} ${error}`);
        await sleep(100);
      }
    };
    const inbox = async (client) => (await client.request('GET', '/api/notifications?per_page=100')).body.items
      .filter((x) => x.title.includes(c.number)).map((x) => `${x.type} ${x.title}`).sort();
    await run('surveillance_reminders', '2026-10-01');        // 79 days before: nothing yet
    assert.deepEqual(await inbox(body), []);
    await run('surveillance_reminders', '2026-10-25');        // 55 days before
    const far = `surveillance_due 证书 ${c.number} 的监督审核须在 2026-12-19 前完成（60 天内）`;
    assert.deepEqual(await inbox(body), [far]);
    assert.deepEqual(await inbox(enterprise), []);             // the demo enterprise is not the holder
    await run('surveillance_reminders', '2026-10-26');
    assert.deepEqual(await inbox(body), [far]);
    await run('surveillance_reminders', '2026-12-10');         // 9 days before
    const near = `surveillance_due 证书 ${c.number} 的监督审核须在 2026-12-19 前完成（14 天内）`;
    assert.deepEqual(await inbox(body), [far, near].sort());
    await run('surveillance_reminders', '2026-12-11');
    assert.deepEqual(await inbox(body), [far, near].sort());
    assert.deepEqual(await inbox(regulatorGd), []);
    // the due date passes: flagged once, to the body and the regulators reaching 440305
    await run('surveillance_overdue', '2026-12-19');
    assert.deepEqual((await inbox(regulatorGd)), []);
    await run('surveillance_overdue', '2026-12-20');
    await run('surveillance_overdue', '2026-12-21');
    const flag = `surveillance_overdue 证书 ${c.number} 的监督审核已逾期：应在 2026-12-19 前完成`;
    assert.deepEqual(await inbox(regulatorGd), [flag]);
    assert.deepEqual(await inbox(regulator), [flag]);
    assert.deepEqual(await inbox(body), [far, near, flag].sort());
    assert.deepEqual(await inbox(admin), []);
    assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM surveillance_notices n JOIN certificates c ON c.id = n.certificate_id WHERE c.number = '${c.number}' AND n.kind = 'overdue'`), 1);
    // once recorded, the next due date starts afresh: a reminder for it in its time
    const r = await survey(c.number, { audit_date: '2026-11-30', outcome: 'maintained' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.surveillance_due, '2027-11-30');
    await run('surveillance_overdue', '2026-12-21');
    await run('surveillance_reminders', '2027-11-20');
    assert.deepEqual(await inbox(body), [far, near, flag,
      `surveillance_due 证书 ${c.number} 的监督审核须在 2027-11-30 前完成（14 天内）`].sort());
    // the schedules exist
    for (const name of ['surveillance_reminders', 'surveillance_overdue'])
      assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM schedules WHERE name = '${name}'`), 1, name);
  });

  // last: it recomputes every certificate's due date from its issue date, as on an upgrade
  test('the migration gives existing certificates their due date, in the SQL both databases run', async () => {
    const short = await issue('2025-06-01', { expires: '2026-05-31' });
    assert.equal(short.surveillance_due, '');                          // it would fall after the expiry
    const made = [[await issue('2024-02-29'), '2025-02-28'], [await issue('2025-01-31'), '2026-01-31'],
      [await issue('2025-12-20'), '2026-12-20'], [short, '']];
    const numbers = made.map(([c]) => `'${c.number}'`).join(', ');
    sql(server.db, `UPDATE certificates SET surveillance_due = 'unset' WHERE number IN (${numbers})`);
    const migration = readFileSync(`${root}/sql/012_surveillance.sql`, 'utf8');
    const updates = migration.match(/UPDATE certificates SET surveillance_due[^;]*;/g);
    assert.equal(updates.length, 2);
    for (const u of updates) sql(server.db, u);
    for (const [c, due] of made) {
      assert.equal(sql(server.db, `SELECT surveillance_due FROM certificates WHERE number = '${c.number}'`)[0]?.[0] ?? '', due, c.number);
    }
  });
});
