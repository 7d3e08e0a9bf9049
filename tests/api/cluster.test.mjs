// Several app nodes on one database, and a clean stop. With GUANBIAO_TEST_DB=postgres: two
// `guanbiao serve` processes (A and B) on different ports share one PostgreSQL database; a
// session made on A works on B, a sign-out on B ends it on A, a user created through A signs
// in on B. On SQLite (one node by design) the same assertions run with A and B being the same
// node. Then, on either database: SIGTERM while ~20 sign-ins are in flight on the worker pool
// → every request that got an answer got a complete, valid one, the process exits 0 (and on
// PostgreSQL node B keeps serving), and a restart on the same database has lost nothing:
// users and sessions made before the stop are still there.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer, startPostgres, testDbKind, Client, demoPassword } from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch, userTotal } from './helpers.mjs';

const twoNodes = testDbKind === 'postgres';

describe(`cluster (${twoNodes ? 'two nodes on PostgreSQL' : 'one node on SQLite'})`, () => {
  let pg = null;
  let a, b, restarted;
  let adminA;
  const cleanups = [];

  before(async () => {
    if (twoNodes) {
      pg = await startPostgres();
      a = await startServer({ db: pg.url });
      b = await startServer({ db: pg.url, seed: false });
      assert.notEqual(a.url, b.url);
    } else {
      a = await startServer();
      b = a;
      cleanups.push(() => rmSync(dirname(a.db.replace(/^sqlite:/, '')), { recursive: true, force: true }));
    }
    adminA = await signedIn(a.url, 'admin');
  });
  after(async () => {
    const errors = [];    // stop() throws on an unclean exit: stop every node all the same
    for (const s of [restarted, b, a]) if (s) await s.stop().catch((e) => errors.push(e));
    if (pg) pg.stop();
    for (const f of cleanups) f();
    if (errors.length) throw errors[0];
  });

  /** A client for node `to` carrying the session of `from`. */
  const onNode = (from, to) => {
    const c = new Client(to.url);
    c.cookie = from.cookie;
    c.csrf = from.csrf;
    return c;
  };

  test('a session made on A works on B, CSRF token included', async () => {
    const onA = await signedIn(a.url, 'regulator-gd');
    const meA = await onA.request('GET', '/api/session');
    const onB = onNode(onA, b);
    const meB = await onB.request('GET', '/api/session');
    assert.equal(meB.status, 200, JSON.stringify(meB.body));
    assert.deepEqual(meB.body, meA.body);
    // an unsafe request on B with A's token passes CSRF and reaches validation
    assertError(await onB.request('PUT', '/api/session/password', { json: {} }), 400, 'missing_field');
    assertError(await onB.request('PUT', '/api/session/password', { json: {}, csrf: false }), 403, 'csrf_failed');
  });

  test('a sign-out on B ends the session on A', async () => {
    const onA = await signedIn(a.url, 'body');
    const onB = onNode(onA, b);
    assert.equal((await onB.request('GET', '/api/session')).status, 200);
    const out = await onB.request('DELETE', '/api/session');
    assert.equal(out.status, 204, JSON.stringify(out.body));
    assertError(await onA.request('GET', '/api/session'), 401, 'unauthenticated');
    assertError(await rawFetch(b.url, '/api/session', { headers: { cookie: onA.cookie } }), 401, 'unauthenticated');
    // the other sessions on A are untouched
    assert.equal((await adminA.request('GET', '/api/session')).status, 200);
  });

  test('a user created through A signs in on B', async () => {
    const r = await adminA.request('POST', '/api/users', { json: { login: 'made-on-a', name: 'Made on A', role: 'admin', password: 'made-on-a-pw' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const s = await new Client(b.url).signIn('made-on-a', 'made-on-a-pw');
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.user.id, r.body.id);
    // and B sees the same accounts as A
    const onB = onNode(adminA, b);
    assert.deepEqual((await onB.request('GET', '/api/users?per_page=100')).body, (await adminA.request('GET', '/api/users?per_page=100')).body);
  });

  let answered = [];
  let before_stop;
  test('SIGTERM with sign-ins in flight: every answer complete and valid, exit code 0', async (t) => {
    before_stop = { users: await adminA.request('GET', '/api/users?per_page=100'), admin: adminA.cookie };
    const firing = [];
    let settled = 0;
    // four at a time per account: more concurrent attempts on one account are throttled
    const logins = ['admin', 'regulator', 'regulator-gd', 'enterprise', 'body'];
    for (let i = 0; i < 20; i++) {
      firing.push(fetch(a.url + '/api/session', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: logins[i % 5], password: demoPassword }),
      }).then(async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }),
        (err) => ({ error: err })).finally(() => { settled++; }));
    }
    // when the first answer arrives the others have reached the node and are hashing
    // (~0.1 s each on the worker pool): stop it now
    const first = await Promise.race(firing);
    assert.equal(first.status, 200, `the first sign-in: ${first.error || first.text}`);
    const settledAtStop = settled;
    const code = await a.stop({ keepData: true });
    const results = await Promise.all(firing);
    assert.equal(code, 0, `exit code; log:\n${a.logs().slice(-2000)}`);
    answered = results.filter((r) => !r.error);
    t.diagnostic(`answered before SIGTERM: ${settledAtStop}; all: ${results.map((r) => r.error ? (r.error.cause?.code || 'error') : r.status).join(' ')}`);
    assert.ok(answered.length > 0, `no request in flight was answered: ${results.map((r) => r.error?.cause?.code || r.status).join(',')}`);
    for (const r of answered) {
      let body;
      assert.doesNotThrow(() => { body = JSON.parse(r.text); }, `an incomplete body: ${r.text}`);
      if (r.status === 200) {
        assert.ok(logins.includes(body.user.login), r.text);
        assert.equal(typeof body.csrf, 'string');
        assert.match(r.headers.get('set-cookie') || '', /^gb_session=[A-Za-z0-9_-]{20,};/);
      } else {
        assert.equal(r.status, 503, r.text);
        assert.equal(body.error.code, 'shutting_down', r.text);
      }
    }
    // requests still in flight when SIGTERM came were finished, not dropped or refused
    assert.ok(answered.filter((r) => r.status === 200).length > settledAtStop,
      `only ${settledAtStop} answered before SIGTERM, and none after it`);
    assert.match(a.logs(), /stopped cleanly/);
    if (twoNodes) {
      // B did not notice: it still serves A's sessions
      assert.equal((await onNode(adminA, b).request('GET', '/api/session')).status, 200);
      assert.equal((await rawFetch(b.url, '/healthz')).status, 200);
    }
  });

  test('a restart on the same database has lost nothing', async () => {
    assert.ok(before_stop, 'the SIGTERM test ran');
    restarted = await startServer({ db: a.db, seed: false });
    const admin = new Client(restarted.url);
    admin.cookie = adminA.cookie;
    admin.csrf = adminA.csrf;
    const me = await admin.request('GET', '/api/session');
    assert.equal(me.status, 200, 'a session made before the stop');
    assert.equal(me.body.user.login, 'admin');
    assert.deepEqual((await admin.request('GET', '/api/users?per_page=100')).body, before_stop.users.body);
    assert.equal((await new Client(restarted.url).signIn('made-on-a', 'made-on-a-pw')).status, 200);
    // a sign-in answered during the stop left a working session
    const ok = answered.find((r) => r.status === 200);
    const cookie = /gb_session=([^;]*)/.exec(ok.headers.get('set-cookie'))[0];
    const s = await rawFetch(restarted.url, '/api/session', { headers: { cookie } });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.user.login, JSON.parse(ok.text).user.login);
    // and the node works as before
    assert.equal((await admin.request('POST', '/api/users', { json: { login: 'after-restart', name: 'After', role: 'admin', password: 'after-restart-pw' } })).status, 201);
    assert.equal(await userTotal(admin), before_stop.users.body.total + 1);
  });
});
