// The session contract of PRODUCT.md, from outside: sign-in of every demo account (cookie
// flags, body shape), GET /api/session while signed in and after sign-out, CSRF on
// DELETE /api/session, identical 401 invalid_credentials for a wrong password and an unknown
// login, password change (errors beside their fields, old password refused, other sessions
// ended, this one kept; a blank new password refused), Chinese and English messages, and
// sign-in throttling per account (5 free failures, then waits of 2 s, 4 s, … that Retry-After
// states, after which the right password signs in; attempts made at once cannot overrun it)
// and per client address (30 free failures, the same scheme); successful sign-ins do not count
// against an address.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, demoLogins, demoPassword } from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch, postFrom, checkEveryAnswer } from './helpers.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const expectedRole = { admin: 'admin', regulator: 'regulator', 'regulator-gd': 'regulator', enterprise: 'enterprise', body: 'body' };
const hasHan = /[\u4e00-\u9fff]/;
const ascii = /^[\x20-\x7e]+$/;

/** POST /api/session from a chosen local address (127.0.0.x), so the per-address throttle can be exercised alone. */
function signInFrom(url, localAddress, login, password) {
  return postFrom(url, localAddress, '/api/session', { login, password });
}

describe('session', () => {
  let server;
  let admin;
  const sessions = {};   // login → { client, body } from the sign-in of each demo account

  before(async () => {
    server = await startPlatform();
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('each demo account signs in: 200, HttpOnly SameSite=Lax cookie, {user:{…,role}, csrf}', async () => {
    for (const login of demoLogins) {
      const c = new Client(server.url);
      const r = await c.signIn(login);
      assert.equal(r.status, 200, `${login}: ${JSON.stringify(r.body)}`);
      const cookie = r.headers.get('set-cookie');
      assert.ok(cookie, `${login}: no Set-Cookie`);
      assert.match(cookie, /^gb_session=[A-Za-z0-9_-]{20,};/, cookie);
      assert.match(cookie, /;\s*HttpOnly(;|$)/i, cookie);
      assert.match(cookie, /;\s*SameSite=Lax(;|$)/i, cookie);
      assert.match(cookie, /;\s*Path=\/(;|$)/i, cookie);
      assert.deepEqual(Object.keys(r.body).sort(), ['csrf', 'user']);
      assert.equal(typeof r.body.csrf, 'string');
      assert.ok(r.body.csrf.length >= 20, 'csrf token too short');
      const u = r.body.user;
      assert.equal(u.login, login);
      assert.equal(u.role, expectedRole[login]);
      assert.equal(typeof u.id, 'number');
      assert.equal(typeof u.name, 'string');
      assert.ok(u.name.length > 0);
      assert.doesNotMatch(JSON.stringify(r.body), /argon2|password/i, 'the body leaks a password (hash)');
      assert.ok(!cookie.includes(r.body.csrf), 'the CSRF token must not be the cookie');
      sessions[login] = { client: c, body: r.body };
    }
    assert.equal(sessions['regulator-gd'].body.user.region, '440000');
    assert.equal(typeof sessions.enterprise.body.user.enterprise_id, 'number');
    assert.equal(typeof sessions.body.body.user.body_id, 'number');
    assert.equal(sessions.admin.body.user.enterprise_id, null);
    // every sign-in is its own session with its own CSRF token
    assert.equal(new Set(Object.values(sessions).map((s) => s.body.csrf)).size, demoLogins.length);
    admin = sessions.admin.client;
  });

  test('GET /api/session answers the same body while signed in, 401 without a cookie', async () => {
    for (const login of demoLogins) {
      const r = await sessions[login].client.request('GET', '/api/session');
      assert.equal(r.status, 200, `${login}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, sessions[login].body, login);
    }
    assertError(await new Client(server.url).request('GET', '/api/session'), 401, 'unauthenticated', null);
    // a well-formed but unknown token is the public too
    const forged = await rawFetch(server.url, '/api/session', { headers: { cookie: 'gb_session=' + 'A'.repeat(43) } });
    assertError(forged, 401, 'unauthenticated');
  });

  test('wrong password and unknown login: both 401 invalid_credentials, identical bodies, no cookie', async () => {
    const wrong = await new Client(server.url).signIn('body', 'not-the-password');
    const unknown = await new Client(server.url).signIn('no-such-login', 'not-the-password');
    assertError(wrong, 401, 'invalid_credentials', null);
    assertError(unknown, 401, 'invalid_credentials', null);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.headers.get('set-cookie'), null);
    assert.equal(unknown.headers.get('set-cookie'), null);
    // an empty password is refused by validation, not by a sign-in attempt
    assertError(await new Client(server.url).signIn('body', ''), 400, 'blank_field', 'password');
  });

  test('messages are Chinese by default and English with Accept-Language: en', async () => {
    const zh = await new Client(server.url).signIn('no-such-login-2', 'x-wrong-password');
    const en = await new Client(server.url, { lang: 'en' }).signIn('no-such-login-2', 'x-wrong-password');
    const enUs = await new Client(server.url, { lang: 'en-US,en;q=0.9' }).request('GET', '/api/session');
    const zhCn = await new Client(server.url, { lang: 'zh-CN,zh;q=0.9,en;q=0.8' }).request('GET', '/api/session');
    const zhE = assertError(zh, 401, 'invalid_credentials');
    const enE = assertError(en, 401, 'invalid_credentials');
    assert.match(zhE.message, hasHan, zhE.message);
    assert.match(enE.message, ascii, enE.message);
    assert.notEqual(zhE.message, enE.message);
    assert.match(assertError(enUs, 401, 'unauthenticated').message, ascii);
    assert.match(assertError(zhCn, 401, 'unauthenticated').message, hasHan);
  });

  test('DELETE /api/session needs the CSRF token; without it or with a wrong one the session survives', async () => {
    const c = await signedIn(server.url, 'regulator');
    const me = await c.request('GET', '/api/session');
    assert.equal(me.status, 200);

    assertError(await c.request('DELETE', '/api/session', { csrf: false }), 403, 'csrf_failed');
    assert.equal((await c.request('GET', '/api/session')).status, 200, 'session ended without a CSRF token');
    assertError(await c.request('DELETE', '/api/session', { csrf: false, headers: { 'x-csrf-token': 'wrong' + c.csrf.slice(5) } }),
      403, 'csrf_failed');
    assertError(await c.request('DELETE', '/api/session', { csrf: false, headers: { 'x-csrf-token': sessions.admin.body.csrf } }),
      403, 'csrf_failed', undefined, "another session's token");
    assert.equal((await c.request('GET', '/api/session')).status, 200, 'session ended with a wrong CSRF token');

    const oldCookie = c.cookie;
    const out = await c.request('DELETE', '/api/session');
    assert.equal(out.status, 204, JSON.stringify(out.body));
    assert.match(out.headers.get('set-cookie') || '', /gb_session=;.*Max-Age=0/i, 'the cookie is not cleared');
    assertError(await c.request('GET', '/api/session'), 401, 'unauthenticated');
    // the old cookie, replayed, is dead on the server, not just forgotten by the client
    assertError(await rawFetch(server.url, '/api/session', { headers: { cookie: oldCookie } }), 401, 'unauthenticated');
    // other sessions are untouched
    assert.equal((await sessions.regulator.client.request('GET', '/api/session')).status, 200);
  });

  test('signing in again from a signed-in client replaces its session', async () => {
    const c = await signedIn(server.url, 'enterprise');
    const first = c.cookie;
    const again = await c.signIn('enterprise');
    assert.equal(again.status, 200);
    assert.notEqual(c.cookie, first);
    assert.equal((await c.request('GET', '/api/session')).status, 200);
    assertError(await rawFetch(server.url, '/api/session', { headers: { cookie: first } }), 401, 'unauthenticated');
  });

  test('PUT /api/session/password: errors beside fields; success ends other sessions and keeps this one', async () => {
    const created = await admin.request('POST', '/api/users',
      { json: { login: 'pw-user', name: 'Password user', role: 'admin', password: 'first-password-1' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const a = await signedIn(server.url, 'pw-user', 'first-password-1');
    const b = await signedIn(server.url, 'pw-user', 'first-password-1');
    const bOnly = async () => (await b.request('GET', '/api/session')).status;

    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: 'second-password-2' }, csrf: false }),
      403, 'csrf_failed');
    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'wrong-password-x', new_password: 'second-password-2' } }),
      403, 'wrong_current_password', 'current_password');
    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: 'short' } }),
      400, 'weak_password', 'new_password');
    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1' } }),
      400, 'missing_field', 'new_password');
    // blanks are no password: ten spaces, full-width spaces, a mix of kinds of white space
    for (const blank of [' '.repeat(10), '\u3000'.repeat(10), ' \t\u3000\u00a0\u2003\n\u3000 \u200b\u3000 '])
      assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: blank } }),
        400, 'weak_password', 'new_password', JSON.stringify(blank));
    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: 'PW-User' } }),
      400, 'weak_password', 'new_password');
    assertError(await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: ' pw-user\u3000' } }),
      400, 'weak_password', 'new_password', 'the login itself, blanks around it');
    // none of the refusals changed anything
    assert.equal(await bOnly(), 200);
    assert.equal((await new Client(server.url).signIn('pw-user', 'first-password-1')).status, 200);

    const ok = await a.request('PUT', '/api/session/password', { json: { current_password: 'first-password-1', new_password: 'second-password-2' } });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));
    assert.equal((await a.request('GET', '/api/session')).status, 200, 'the current session must be kept');
    assertError(await b.request('GET', '/api/session'), 401, 'unauthenticated', undefined, 'the other session must end');
    assertError(await new Client(server.url).signIn('pw-user', 'first-password-1'), 401, 'invalid_credentials');
    assert.equal((await new Client(server.url).signIn('pw-user', 'second-password-2')).status, 200);
    // the kept session still acts (its CSRF token still works)
    const again = await a.request('PUT', '/api/session/password', { json: { current_password: 'second-password-2', new_password: 'third-password-3' } });
    assert.equal(again.status, 204, JSON.stringify(again.body));
  });

  const sleep = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000));
  /** Asserts a 429 too_many_attempts whose Retry-After (named in the message too) lies in [min, max]; returns it. */
  function assertWait(res, min, max, note = '') {
    const e = assertError(res, 429, 'too_many_attempts', null, note);
    const retry = res.headers.get('retry-after');
    assert.match(retry || '', /^[0-9]+$/, `${note}: Retry-After: ${retry}`);
    assert.ok(Number(retry) >= min && Number(retry) <= max, `${note}: Retry-After ${retry}, expected ${min}–${max}`);
    assert.ok(e.message.includes(retry), `${note}: the message names the wait: ${e.message}`);
    assert.equal(res.headers.get('set-cookie'), null);
    return Number(retry);
  }

  test('throttle per account: after 5 wrong passwords each attempt waits 2 s, then 4 s; the right password after the wait signs in', async () => {
    const created = await admin.request('POST', '/api/users',
      { json: { login: 'slowed-user', name: 'Slowed user', role: 'admin', password: 'slowed-password-1' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (let i = 1; i <= 5; i++)
      assertError(await new Client(server.url).signIn('slowed-user', `wrong-password-${i}`), 401, 'invalid_credentials', null, `attempt ${i}`);
    // at once: even the right password waits, 2 s after the fifth failure (Retry-After: the seconds left)
    let wait = assertWait(await new Client(server.url, { lang: 'en' }).signIn('slowed-user', 'slowed-password-1'), 1, 2, 'sixth');
    assertWait(await new Client(server.url).signIn('slowed-user', 'wrong-password-6'), 1, 2, 'a wrong one is not even tried');
    // another account on the same address is unaffected
    assert.equal((await new Client(server.url).signIn('regulator-gd')).status, 200);
    // after the wait, an attempt is tried again; a sixth failure makes the next wait 4 s
    await sleep(wait);
    assertError(await new Client(server.url).signIn('slowed-user', 'wrong-password-7'), 401, 'invalid_credentials', null, 'after the wait');
    wait = assertWait(await new Client(server.url).signIn('slowed-user', 'slowed-password-1'), 3, 4, 'after the sixth failure');
    await sleep(wait);
    // the right password after the wait signs in: the account was slowed, never locked
    const ok = await new Client(server.url).signIn('slowed-user', 'slowed-password-1');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // and a sign-in clears the account's failures: five free ones again
    for (let i = 1; i <= 5; i++)
      assertError(await new Client(server.url).signIn('slowed-user', `wrong-again-${i}`), 401, 'invalid_credentials', null, `again ${i}`);
    assertWait(await new Client(server.url).signIn('slowed-user', 'slowed-password-1'), 1, 2, 'the sixth again');
  });

  test('throttle per account holds under concurrency: of 20 simultaneous wrong passwords 5 are tried; after the wait, one of 10', async () => {
    const created = await admin.request('POST', '/api/users',
      { json: { login: 'race-user', name: 'Race user', role: 'admin', password: 'race-password-1' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => new Client(server.url).signIn('race-user', `wrong-password-${i}`)));
    const statuses = all.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, `statuses: ${statuses.join(' ')}`);
    for (const r of all) if (r.status !== 401) assertError(r, 429, 'too_many_attempts');
    const wait = assertWait(await new Client(server.url).signIn('race-user', 'race-password-1'), 1, 2, 'after the burst');
    await sleep(wait);
    // past the allowance, attempts go one at a time: of 10 at once, one is tried
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => new Client(server.url).signIn('race-user', `wrong-again-${i}`)));
    const again = burst.map((r) => r.status);
    assert.equal(again.filter((s) => s === 401).length, 1, `statuses: ${again.join(' ')}`);
    for (const r of burst) if (r.status !== 401) assertError(r, 429, 'too_many_attempts');
    assertWait(await new Client(server.url).signIn('race-user', 'race-password-1'), 1, 4, 'after the second burst');
  });

  test('successful sign-ins do not use up an address\'s allowance', async () => {
    const from = '127.0.0.4';
    const logins = ['body', 'enterprise', 'regulator', 'admin'];
    for (let i = 0; i < 32; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, (_, k) => signInFrom(server.url, from, logins[k % 4], demoPassword)));
      for (const r of batch) assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    assertError(await signInFrom(server.url, from, 'body', 'wrong-password'), 401, 'invalid_credentials');
  });

  test('throttle per address: after 30 failures from one address it waits; another address still signs in', async () => {
    const from = '127.0.0.2';
    // 30 different logins, so the per-account limit never applies; 6 at a time
    for (let i = 0; i < 30; i += 6) {
      const batch = [];
      for (let k = i; k < i + 6 && k < 30; k++) batch.push(signInFrom(server.url, from, `nobody-${k}`, 'wrong-password'));
      for (const r of await Promise.all(batch)) assertError(r, 401, 'invalid_credentials');
    }
    const wait = assertWait(await signInFrom(server.url, from, 'enterprise', demoPassword), 1, 2, 'the address after 30 failures');
    const elsewhere = await signInFrom(server.url, '127.0.0.3', 'enterprise', demoPassword);
    assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.body));
    // slowed, not locked: after the wait the right password signs in from that address too
    await sleep(wait);
    const after = await signInFrom(server.url, from, 'enterprise', demoPassword);
    assert.equal(after.status, 200, JSON.stringify(after.body));
  });
});
