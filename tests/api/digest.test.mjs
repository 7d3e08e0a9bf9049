// The daily notification digest (docs/notifications.md#daily-digest), from outside: the
// `digest` preference (off by default, a boolean, round trip), and the `notification_digest`
// schedule made due with SQL (tests/api/lib/sql.mjs): an account with the digest on gets one
// email listing exactly its unread notifications since the last digest (read ones left out),
// an account with it off gets none, a second run sends nothing, a later one only what is new.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';

checkEveryAnswer();

const SITE = 'https://gb.example.cn';
const HOLDER = '914403001922038216';   // the demo enterprise's credit code
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

describe('the daily notification digest', () => {
  let server, sink, admin, enterprise, body;

  async function prefs(client, json) {
    const r = json === undefined
      ? await client.request('GET', '/api/notifications/preferences')
      : await client.request('PUT', '/api/notifications/preferences', { json });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  /** Issues a certificate to the demo enterprise and suspends it: one notification each to the
   * enterprise's and the body's accounts, titled as returned. */
  async function suspendedCertificate(number) {
    let r = await body.request('POST', '/api/certificates', {
      json: { number, holder_credit_code: HOLDER, standard: 'GB/T 29490-2023', scope: '知识产权管理',
        scope_areas: ['acquisition'], scope_stages: ['research'], issued: day(-100), expires: day(600) },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await body.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '汇总测试' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return `证书 ${number} 的状态已变更为“暂停”`;
  }
  /** Makes the digest schedule due and waits until its run `n` (counted over the test) is done. */
  async function runDigest(n) {
    await sleep(1100);   // the digest lists notifications made before the second it runs in
    sql(server.db, `UPDATE schedules SET next_run = ${Math.floor(Date.now() / 1000) - 60} WHERE name = 'notification_digest'`);
    for (const deadline = Date.now() + 20000; ;) {
      const r = await admin.request('GET', '/api/jobs?kind=notification_digest&state=done&per_page=100');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      if (r.body.total >= n) break;
      assert.ok(Date.now() < deadline, `digest run ${n} not done: ${JSON.stringify(r.body.failures)}`);
      await sleep(100);
    }
    // the email jobs it queued are done too
    for (const deadline = Date.now() + 20000; ;) {
      const left = sqlNumber(server.db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email' AND state <> 'done'");
      if (left === 0) break;
      assert.ok(Date.now() < deadline, `${left} email job(s) not done`);
      await sleep(100);
    }
  }
  /** The items of a digest body: the Chinese title line of each. */
  const listed = (m) => [...m.body.matchAll(/^\d+\. (.*)$/gm)].map((x) => x[1].trim()).sort();

  before(async () => {
    sink = await startSmtpSink();
    server = await startPlatform({
      extraArgs: ['--smtp', sink.url, '--smtp-from', 'noreply@gb.example.cn', '--public-url', SITE, '--jobs-tick', '100'],
    });
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
  });
  after(async () => { await server?.stop(); await sink?.close(); });

  test('the digest preference: off by default, a boolean, kept', async () => {
    assert.equal((await prefs(body)).digest, false);
    assert.equal((await prefs(body, { digest: true })).digest, true);
    assert.equal((await prefs(body)).digest, true);
    // other members leave it alone
    assert.equal((await prefs(body, { email: 'audit@body.example.cn' })).digest, true);
    assertError(await body.request('PUT', '/api/notifications/preferences', { json: { digest: 'yes', email: '' } }),
      400, 'wrong_type', 'digest');
    const p = await prefs(body);
    assert.equal(p.digest, true);
    assert.equal(p.email, 'audit@body.example.cn', 'a refused request changed nothing');
    assert.equal((await prefs(body, { digest: false })).digest, false);
    assert.equal((await prefs(body)).digest, false);
    // the schedule exists, daily at 23:30 UTC
    const next = sqlNumber(server.db, "SELECT next_run FROM schedules WHERE name = 'notification_digest'");
    assert.equal(((next % 86400) + 86400) % 86400, 23 * 3600 + 30 * 60);
  });

  test('one email listing the unread notifications since the last digest; off: none; twice: once', async () => {
    // individual emails off for the type, so that the sink receives digests only
    const noMail = [{ type: 'certificate_status', inbox: true, email: false }];
    // times are in seconds: the seed's notifications (unread ones among them) are a second older
    // than the switch, which is what keeps them out of the first digest
    await sleep(1100);
    assert.equal((await prefs(enterprise, { email: 'ip@demo.example.cn', digest: true, types: noMail })).digest, true);
    assert.equal((await prefs(body, { email: 'audit@body.example.cn', digest: false, types: noMail })).digest, false);

    const titles = [];
    for (const number of ['84026IP9D0001R0M', '84026IP9D0002R0M', '84026IP9D0003R0M'])
      titles.push(await suspendedCertificate(number));
    const readTitle = await suspendedCertificate('84026IP9D0004R0M');
    // the fourth is read before the digest runs: not listed
    const items = (await enterprise.request('GET', '/api/notifications?per_page=100')).body.items;
    const read = items.find((x) => x.title === readTitle);
    assert.ok(read, readTitle);
    assert.equal((await enterprise.request('POST', `/api/notifications/${read.id}/read`)).status, 200);

    await runDigest(1);
    assert.equal(sink.messages.length, 1, JSON.stringify(sink.messages.map((m) => [m.to, m.subject])));
    const [m] = sink.messages;
    assert.deepEqual(m.to, ['ip@demo.example.cn']);
    assert.equal(m.from, 'noreply@gb.example.cn');
    assert.equal(m.subject, '贯标平台每日汇总：3 条未读通知', m.body);
    assert.deepEqual(listed(m), [
      '证书 84026IP9D0001R0M 的状态已变更为“暂停”',
      '证书 84026IP9D0002R0M 的状态已变更为“暂停”',
      '证书 84026IP9D0003R0M 的状态已变更为“暂停”',
    ]);
    assert.deepEqual(listed(m), [...titles].sort());
    assert.ok(!m.body.includes('84026IP9D0004R0M'), 'the read one is not listed');
    for (const n of ['84026IP9D0001R0M', '84026IP9D0002R0M', '84026IP9D0003R0M'])
      assert.ok(m.body.includes(`${SITE}/certificates/${n}`), m.body);
    assert.match(m.body, /The status of certificate 84026IP9D0001R0M changed to Suspended/);
    // the seed's older unread notifications predate the switch: not listed
    assert.ok(!m.body.includes('84025IP021017R0M'), m.body);

    // the same day again: nothing twice
    await runDigest(2);
    await sleep(500);
    assert.equal(sink.messages.length, 1, JSON.stringify(sink.messages.map((m2) => [m2.to, m2.subject])));

    // something new: the next digest lists that only
    const later = await suspendedCertificate('84026IP9D0005R0M');
    await runDigest(3);
    assert.equal(sink.messages.length, 2, JSON.stringify(sink.messages.map((m2) => [m2.to, m2.subject])));
    assert.deepEqual(sink.messages[1].to, ['ip@demo.example.cn']);
    assert.equal(sink.messages[1].subject, '贯标平台每日汇总：1 条未读通知');
    assert.deepEqual(listed(sink.messages[1]), [later]);

    // the digest turned off: nothing more
    await prefs(enterprise, { digest: false });
    await suspendedCertificate('84026IP9D0006R0M');
    await runDigest(4);
    await sleep(500);
    assert.equal(sink.messages.length, 2);
  });
});
