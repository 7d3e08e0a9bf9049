// Notifications (docs/notifications.md), from outside: each first use notifies exactly the
// accounts written here (an enterprise's review; a certificate's status change: the holder's and
// the issuing body's accounts), the inbox with its unread count, marking read (only one's own),
// preferences per type, and the account's email address; email through an SMTP sink the test
// starts (a Chinese subject, a refusing server retried), and the 90- and 30-day expiry reminders.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';

checkEveryAnswer();

const DEMO_CERT = '84025IP021017R0M';
const PASSWORD = 'a-long-enough-password';

describe('notifications', () => {
  let server, admin, regGd, enterprise, body, regulator, enterprise2;
  let serial = 0;

  /** Every notification of `client` (newest first). */
  async function inbox(client, query = '') {
    const r = await client.request('GET', '/api/notifications?per_page=100' + query);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  async function unread(client) {
    const r = await client.request('GET', '/api/notifications/unread');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body), ['count']);
    return r.body.count;
  }
  /** For each client (by login), the notifications about `link` it has. */
  async function recipients(clients, link) {
    const got = [];
    for (const [login, client] of Object.entries(clients)) {
      const items = (await inbox(client)).items.filter((n) => n.link === link);
      for (let i = 0; i < items.length; i++) got.push(login);
    }
    return got.sort();
  }
  function register(login) {
    serial += 1;
    return new Client(server.url).request('POST', '/api/enterprises/registrations', {
      json: {
        name: `通知测试企业${serial}号有限公司`, credit_code: makeCode('440305', 700 + serial), region: '440305',
        industry: '39', size: 'small', account: { login, name: '赵六', password: PASSWORD },
      },
    });
  }
  async function enterpriseIdOf(login) {
    const c = await signedIn(server.url, login, PASSWORD);
    const r = await c.request('GET', '/api/session');
    return { client: c, id: r.body.user.enterprise_id };
  }

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    regGd = await signedIn(server.url, 'regulator-gd');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
    // a second account of the demo enterprise, and one that is the demo body's
    const session = await enterprise.request('GET', '/api/session');
    const bodySession = await body.request('GET', '/api/session');
    for (const [login, extra] of [['enterprise-two', { role: 'enterprise', enterprise_id: session.body.user.enterprise_id }],
      ['body-two', { role: 'body', body_id: bodySession.body.user.body_id }],
      ['regulator-bj', { role: 'regulator', region: '110000' }]]) {
      const r = await admin.request('POST', '/api/users', { json: { login, name: login, password: PASSWORD, ...extra } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    enterprise2 = await signedIn(server.url, 'enterprise-two', PASSWORD);
  });
  after(() => server?.stop());

  test('a certificate suspended and reinstated: the holder\'s and the body\'s accounts, no one else', async () => {
    const body2 = await signedIn(server.url, 'body-two', PASSWORD);
    const clients = { admin, regulator, 'regulator-gd': regGd, enterprise, 'enterprise-two': enterprise2, body, 'body-two': body2 };
    const link = `/certificates/${DEMO_CERT}`;
    const before = await recipients(clients, link);
    const unreadBefore = await unread(enterprise);
    const r = await body.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'suspended', reason: '监督审核发现问题' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(await recipients(clients, link), [...before, 'body', 'body-two', 'enterprise', 'enterprise-two'].sort());
    assert.equal(await unread(enterprise), unreadBefore + 1);
    const top = (await inbox(enterprise)).items[0];
    assert.equal(top.type, 'certificate_status');
    assert.equal(top.title, `证书 ${DEMO_CERT} 的状态已变更为“暂停”`);
    assert.equal(top.link, link);
    assert.equal(top.entity, 'certificate');
    assert.equal(top.read, false);
    assert.equal(top.read_at, null);
    const en = new Client(server.url, { lang: 'en' });
    await en.signIn('enterprise');
    assert.equal((await inbox(en)).items[0].title, `The status of certificate ${DEMO_CERT} changed to Suspended`);
    // a refused change notifies no one
    const bad = await body.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'suspended', reason: 'x' } });
    assert.equal(bad.status, 409);
    const r2 = await admin.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'valid' } });
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    assert.deepEqual(await recipients(clients, link),
      [...before, 'body', 'body', 'body-two', 'body-two', 'enterprise', 'enterprise', 'enterprise-two', 'enterprise-two'].sort());
  });

  test('a registration: the regulators of its region (and national) and the admins hear of it', async () => {
    const regBj = await signedIn(server.url, 'regulator-bj', PASSWORD);
    const clients = { admin, regulator, 'regulator-gd': regGd, 'regulator-bj': regBj, enterprise, body };
    assert.equal((await register('notify-pending')).status, 202);
    const pending = await enterpriseIdOf('notify-pending');
    const link = `/enterprises/${pending.id}`;
    assert.deepEqual(await recipients(clients, link), ['admin', 'regulator', 'regulator-gd']);
    const item = (await inbox(regGd)).items.find((n) => n.link === link);
    assert.equal(item.type, 'registration_pending');
    assert.equal(item.title, `企业“通知测试企业${serial}号有限公司”提交了注册申请，待审核`);
    assert.equal(item.entity_id, pending.id);
    // a registration refused (its credit code taken) notifies no one
    const before = await unread(regGd);
    const again = await new Client(server.url).request('POST', '/api/enterprises/registrations', {
      json: { name: '重复登记有限公司', credit_code: makeCode('440305', 700 + serial), region: '440305', industry: '39',
        size: 'small', account: { login: 'notify-dup', name: '赵六', password: PASSWORD } },
    });
    assert.equal(again.status, 409);
    assert.equal(await unread(regGd), before);
  });

  test('an enterprise\'s registration approved or rejected: its account only', async () => {
    assert.equal((await register('notify-approved')).status, 202);
    assert.equal((await register('notify-rejected')).status, 202);
    const approved = await enterpriseIdOf('notify-approved');
    const rejected = await enterpriseIdOf('notify-rejected');
    assert.equal(await unread(approved.client), 0);
    const before = { enterprise: await unread(enterprise), admin: await unread(admin), regGd: await unread(regGd) };
    let r = await regGd.request('POST', `/api/enterprises/${approved.id}/review`, { json: { decision: 'approve' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await regGd.request('POST', `/api/enterprises/${rejected.id}/review`, { json: { decision: 'reject', note: '营业执照不清晰' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const a = (await inbox(approved.client)).items;
    assert.deepEqual(a.map((n) => [n.type, n.title, n.link, n.entity, n.entity_id]),
      [['enterprise_review', '企业注册已通过审核', '/organisation', 'enterprise', approved.id]]);
    const b = (await inbox(rejected.client)).items;
    assert.deepEqual(b.map((n) => [n.type, n.title]), [['enterprise_review', '企业注册未通过审核：营业执照不清晰']]);
    assert.deepEqual({ enterprise: await unread(enterprise), admin: await unread(admin), regGd: await unread(regGd) }, before);
    // a second review is refused and notifies no one
    assertError(await regGd.request('POST', `/api/enterprises/${approved.id}/review`, { json: { decision: 'reject', note: 'x' } }),
      409, 'already_reviewed');
    assert.equal((await inbox(approved.client)).total, 1);
  });

  test('marking read: one\'s own only (404 otherwise), all at once, ?unread=1', async () => {
    const r = await body.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'suspended', reason: '复核' } });
    assert.equal(r.status, 200);
    const mine = (await inbox(enterprise, '&unread=1')).items;
    assert.ok(mine.length >= 1);
    assert.ok(mine.every((n) => !n.read));
    const count = await unread(enterprise);
    assert.equal(count, mine.length);
    const target = mine[0];
    // another user, even of the same enterprise, cannot mark it read
    assertError(await enterprise2.request('POST', `/api/notifications/${target.id}/read`), 404, 'notification_not_found');
    assertError(await admin.request('POST', `/api/notifications/${target.id}/read`), 404, 'notification_not_found');
    assertError(await enterprise.request('POST', '/api/notifications/999999999/read'), 404, 'notification_not_found');
    assert.equal(await unread(enterprise), count);
    const m = await enterprise.request('POST', `/api/notifications/${target.id}/read`);
    assert.equal(m.status, 200, JSON.stringify(m.body));
    assert.deepEqual(m.body, { count: count - 1 });
    // again: still read, nothing changes
    assert.deepEqual((await enterprise.request('POST', `/api/notifications/${target.id}/read`)).body, { count: count - 1 });
    const read = (await inbox(enterprise)).items.find((n) => n.id === target.id);
    assert.equal(read.read, true);
    assert.match(read.read_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal((await inbox(enterprise, '&unread=1')).items.some((n) => n.id === target.id), false);
    assertError(await enterprise.request('GET', '/api/notifications?unread=maybe'), 400, 'invalid_query', 'unread');
    // enterprise-two's own are untouched by enterprise's read-all
    const other = await unread(enterprise2);
    assert.ok(other > 0);
    const all = await enterprise.request('POST', '/api/notifications/read-all');
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, { count: 0 });
    assert.equal(await unread(enterprise), 0);
    assert.equal(await unread(enterprise2), other);
    assert.equal((await admin.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'valid' } })).status, 200);
  });

  test('preferences: per type, inbox off means no entry; the email address', async () => {
    const p = await enterprise2.request('GET', '/api/notifications/preferences');
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.deepEqual(p.body, {
      email: '', email_enabled: false, digest: false,
      types: [
        { type: 'enterprise_review', inbox: true, email: true },
        { type: 'certificate_status', inbox: true, email: true },
        { type: 'certificate_expiring', inbox: true, email: true },
        { type: 'registration_pending', inbox: true, email: true },
        { type: 'body_standing', inbox: true, email: true },
        { type: 'surveillance_due', inbox: true, email: true },
        { type: 'surveillance_overdue', inbox: true, email: true },
        { type: 'feedback', inbox: true, email: true },
        { type: 'complaint', inbox: true, email: true },
        { type: 'commitment_version', inbox: true, email: true },
        { type: 'engagement', inbox: true, email: true },
        { type: 'audit', inbox: true, email: true },
        { type: 'nonconformity', inbox: true, email: true },
        { type: 'forum', inbox: true, email: true },
        { type: 'activity', inbox: true, email: true },
        { type: 'policy_reviewed', inbox: true, email: true },
      ],
    });
    const put = await enterprise2.request('PUT', '/api/notifications/preferences', {
      json: { email: 'ip@example.cn', types: [{ type: 'certificate_status', inbox: false, email: false }] },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.email, 'ip@example.cn');
    assert.deepEqual(put.body.types[1], { type: 'certificate_status', inbox: false, email: false });
    assert.deepEqual(put.body.types[0], { type: 'enterprise_review', inbox: true, email: true });
    // bad input changes nothing
    assertError(await enterprise2.request('PUT', '/api/notifications/preferences', { json: { email: 'not an address' } }),
      400, 'invalid_value', 'email');
    assertError(await enterprise2.request('PUT', '/api/notifications/preferences', {
      json: { email: 'x@example.cn', types: [{ type: 'certificate_status', inbox: true, email: true }, { type: 'nonsense', inbox: true, email: true }] },
    }), 400, 'invalid_value', 'types[1]');
    assertError(await enterprise2.request('PUT', '/api/notifications/preferences', { json: { types: [{ type: 'certificate_status', inbox: 'yes', email: true }] } }),
      400, 'invalid_value', 'types[0]');
    assertError(await enterprise2.request('PUT', '/api/notifications/preferences', { json: { types: {} } }), 400, 'wrong_type', 'types');
    const still = await enterprise2.request('GET', '/api/notifications/preferences');
    assert.deepEqual(still.body, put.body);

    const before2 = (await inbox(enterprise2)).total, before1 = (await inbox(enterprise)).total;
    assert.equal((await body.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'suspended', reason: '偏好测试' } })).status, 200);
    assert.equal((await inbox(enterprise2)).total, before2, 'inbox off: no entry');
    assert.equal((await inbox(enterprise)).total, before1 + 1);
    assert.equal((await admin.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: 'valid' } })).status, 200);
    // the address is removed with ""
    const cleared = await enterprise2.request('PUT', '/api/notifications/preferences', { json: { email: '' } });
    assert.equal(cleared.body.email, '');
  });

  test('an account created with an email address', async () => {
    const r = await admin.request('POST', '/api/users', {
      json: { login: 'with-email', name: '有邮箱', role: 'regulator', region: '440000', password: PASSWORD, email: 'reg@example.cn' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assertError(await admin.request('POST', '/api/users', {
      json: { login: 'bad-email', name: 'x', role: 'admin', password: PASSWORD, email: 'nope' },
    }), 400, 'invalid_value', 'email');
    const c = await signedIn(server.url, 'with-email', PASSWORD);
    assert.equal((await c.request('GET', '/api/notifications/preferences')).body.email, 'reg@example.cn');
  });
});

describe('notifications by email, and the expiry reminders', () => {
  const SITE = 'https://gb.example.cn';
  let server, sink, admin, enterprise, body;
  let serial = 0;
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

  async function setPrefs(client, json) {
    const r = await client.request('PUT', '/api/notifications/preferences', { json });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  async function status(client, to, reason = '测试') {
    const r = await client.request('POST', `/api/certificates/${DEMO_CERT}/status`, { json: { status: to, reason } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  /** Waits ms and asserts that the sink still holds n messages (nothing more was sent). */
  async function stillAt(n, ms = 1500) {
    await new Promise((r) => setTimeout(r, ms));
    assert.equal(sink.messages.length, n, JSON.stringify(sink.messages.map((m) => [m.to, m.subject])));
  }
  async function total(client, type) {
    const r = await client.request('GET', '/api/notifications?per_page=100');
    return r.body.items.filter((n) => !type || n.type === type).length;
  }

  before(async () => {
    sink = await startSmtpSink();
    server = await startPlatform({
      extraArgs: ['--smtp', sink.url, '--smtp-from', 'noreply@gb.example.cn', '--public-url', SITE,
        '--jobs-tick', '100', '--jobs-backoff', '1'],
    });
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
  });
  after(async () => { await server?.stop(); await sink?.close(); });

  test('a status change mails the holder who wants it, with a Chinese subject; email off: none', async () => {
    const p = await setPrefs(enterprise, { email: 'ip@demo.example.cn' });
    assert.equal(p.email_enabled, true);
    await setPrefs(body, { email: 'audit@body.example.cn', types: [{ type: 'certificate_status', inbox: true, email: false }] });
    const bodyBefore = await total(body, 'certificate_status');
    await status(body, 'suspended', '监督审核发现问题');
    const [m] = await sink.waitFor(1);
    await stillAt(1);
    assert.deepEqual(m.to, ['ip@demo.example.cn']);
    assert.equal(m.from, 'noreply@gb.example.cn');
    assert.match(m.headers.subject, /^=\?UTF-8\?B\?/);
    assert.equal(m.subject, `证书 ${DEMO_CERT} 的状态已变更为“暂停”`);
    assert.match(m.headers['content-type'], /^text\/plain; charset=UTF-8/i);
    assert.match(m.body, new RegExp(`The status of certificate ${DEMO_CERT} changed to Suspended`));
    assert.ok(m.body.includes(`${SITE}/certificates/${DEMO_CERT}`), m.body);
    // the body's account got its inbox entry all the same
    assert.equal(await total(body, 'certificate_status'), bodyBefore + 1);
    await status(admin, 'valid');
    await sink.waitFor(2);
    await stillAt(2);
  });

  test('inbox off, email on: the email only', async () => {
    await setPrefs(enterprise, { types: [{ type: 'certificate_status', inbox: false, email: true }] });
    const before = await total(enterprise);
    const n = sink.messages.length;
    await status(body, 'suspended');
    await sink.waitFor(n + 1);
    assert.equal(sink.messages[n].subject, `证书 ${DEMO_CERT} 的状态已变更为“暂停”`);
    assert.equal(await total(enterprise), before);
    await setPrefs(enterprise, { types: [{ type: 'certificate_status', inbox: true, email: true }] });
    await status(admin, 'valid');
    await sink.waitFor(n + 2);
  });

  test('a server that refuses the mail: the job fails and is retried until it goes through', async () => {
    const n = sink.messages.length;
    sink.refuse = '550 5.7.1 mailbox unavailable';
    await status(body, 'suspended');
    let failed = null;
    for (const deadline = Date.now() + 15000; !failed && Date.now() < deadline;) {
      const r = await admin.request('GET', '/api/jobs?kind=email&per_page=100');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      failed = r.body.items.find((j) => j.last_error !== '' && j.attempts >= 1);
      if (!failed) await new Promise((r2) => setTimeout(r2, 100));
    }
    assert.ok(failed, 'an email job failed');
    assert.match(failed.last_error, /550|refused|RCPT|MAIL|denied/i);
    assert.equal(sink.messages.length, n);
    sink.refuse = null;
    await sink.waitFor(n + 1);
    assert.equal(sink.messages[n].subject, `证书 ${DEMO_CERT} 的状态已变更为“暂停”`);
    await status(admin, 'valid');
    await sink.waitFor(n + 2);
  });

  test('reminders at 90 and 30 days: the holder\'s and the body\'s accounts, once each', async () => {
    const issue = async (expires) => {
      serial += 1;
      const number = `84026IP8${String(serial).padStart(5, '0')}R0M`;
      const r = await body.request('POST', '/api/certificates', {
        json: { number, holder_credit_code: '914403001922038216', standard: 'GB/T 29490-2023', scope: '知识产权管理',
          scope_areas: ['acquisition'], scope_stages: ['research'], issued: day(-300), expires },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return number;
    };
    // the demo data's own certificates due today are reminded of first (without email)
    const first = runCli(['reminders', '--db', server.db]);
    assert.equal(first.status, 0, first.stderr);
    const near = await issue(day(20)), mid = await issue(day(60));
    await issue(day(200));
    const ours = [near, mid];
    const inboxOf = async (client) => (await client.request('GET', '/api/notifications?per_page=100')).body.items
      .filter((x) => x.type === 'certificate_expiring' && ours.some((n) => x.title.includes(n))).map((x) => x.title).sort();
    const regulator = await signedIn(server.url, 'regulator');
    const mails = sink.messages.length;
    const run = (date, email = true) => {
      const r = runCli(['reminders', '--db', server.db, ...(email ? ['--smtp', sink.url] : []), ...(date ? ['--date', date] : [])]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    assert.match(run(), /^2 certificate\(s\) reminded of/);
    const expected = [`证书 ${mid} 将于 ${day(60)} 到期（90 天内）`, `证书 ${near} 将于 ${day(20)} 到期（30 天内）`].sort();
    assert.deepEqual(await inboxOf(enterprise), expected);
    assert.deepEqual(await inboxOf(body), expected);
    assert.deepEqual(await inboxOf(admin), []);
    assert.deepEqual(await inboxOf(regulator), []);
    // by email to the enterprise's account (the body's has email on for this type)
    await sink.waitFor(mails + 4);
    assert.deepEqual(sink.messages.slice(mails).map((m) => m.to[0]).sort(),
      ['audit@body.example.cn', 'audit@body.example.cn', 'ip@demo.example.cn', 'ip@demo.example.cn']);
    // the same day again: nothing twice
    assert.match(run(), /^0 certificate\(s\)/);
    assert.deepEqual(await inboxOf(enterprise), expected);
    // 35 days on, the 60-day certificate is within 30 days: its second reminder, once (other
    // demo certificates are due then too; this run queues no email)
    run(day(35), false);
    assert.match(run(day(35), false), /^0 certificate\(s\)/);
    assert.deepEqual(await inboxOf(enterprise), [...expected, `证书 ${mid} 将于 ${day(60)} 到期（30 天内）`].sort());
    assert.deepEqual(await inboxOf(body), [...expected, `证书 ${mid} 将于 ${day(60)} 到期（30 天内）`].sort());
    await stillAt(mails + 4);
  });

  test('the scheduled jobs: the daily expiry notifies, the daily reminders run', async () => {
    serial += 1;
    const number = `84026IP7${String(serial).padStart(5, '0')}R0M`;
    const soon = `84026IP6${String(serial).padStart(5, '0')}R0M`;
    for (const [n, expires] of [[number, day(5)], [soon, day(10)]]) {
      const r = await body.request('POST', '/api/certificates', {
        json: { number: n, holder_credit_code: '914403001922038216', standard: 'GB/T 29490-2023', scope: '知识产权管理',
          scope_areas: ['acquisition'], scope_stages: ['research'], issued: day(-300), expires },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    // the first certificate's date has passed (as if days went by)
    sql(server.db, `UPDATE certificates SET expires = '${day(-1)}' WHERE number = '${number}'`);
    const titles = async (client) => (await client.request('GET', '/api/notifications?per_page=100')).body.items.map((x) => x.title);
    for (const name of ['certificate_expiry', 'certificate_reminders']) {
      assert.equal(sqlNumber(server.db, `SELECT COUNT(*) FROM schedules WHERE name = '${name}'`), 1, `schedule ${name}`);
      sql(server.db, `UPDATE schedules SET next_run = ${Math.floor(Date.now() / 1000) - 60} WHERE name = '${name}'`);
    }
    const want = [`证书 ${number} 的状态已变更为“过期”`, `证书 ${soon} 将于 ${day(10)} 到期（30 天内）`];
    for (const deadline = Date.now() + 30000; ;) {
      const got = await titles(enterprise);
      if (want.every((w) => got.includes(w))) break;
      assert.ok(Date.now() < deadline, `waiting for ${JSON.stringify(want)}; got ${JSON.stringify(got.slice(0, 5))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // (the demo body's inbox also fills with the demo's own expired certificates: counted in SQL)
    const to = (login, title) => sqlNumber(server.db,
      `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = '${login}' AND n.title = '${title}'`);
    for (const w of want) {
      assert.equal(to('enterprise', w), 1, w);
      assert.equal(to('body', w), 1, w);
      for (const login of ['admin', 'regulator', 'regulator-gd']) assert.equal(to(login, w), 0, `${login}: ${w}`);
    }
  });
});
