// Role enforcement, driven by the server's own /api/openapi.json: for every operation and
// every caller (the public and each demo login: admin, regulator, regulator-gd, enterprise,
// body), a caller whose role is not in the operation's x-roles gets 401 unauthenticated (the
// public) or 403 forbidden (signed in), and a caller whose role is listed gets neither 401 nor
// 403 (nor a 5xx). Unsafe methods carry `{}` so that validation answers instead of anything
// changing; path parameters get an id that does not exist; DELETE operations use a fresh
// sign-in per caller because they may end the session (DELETE /api/session does). A route
// added to the table without its roles being enforced by the dispatcher makes this fail.
// (A handler that refuses a listed role with 403 for a made-up id would fail it too: such a
// handler should answer 404.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, demoLogins } from '../lib/platform.mjs';
import { assertError, signedIn, userTotal } from './helpers.mjs';

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

describe('roles', () => {
  let server;
  let doc;
  const callers = {};     // name → { role, client (null for the public) }

  before(async () => {
    server = await startPlatform();
    callers.public = { role: 'public', client: null };
    for (const login of demoLogins) {
      const c = await signedIn(server.url, login);
      const me = await c.request('GET', '/api/session');
      callers[login] = { role: me.body.user.role, client: c };
    }
    const r = await new Client(server.url).request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('the demo logins cover every signed-in role', () => {
    const roles = new Set(Object.values(callers).map((c) => c.role));
    assert.deepEqual([...roles].sort(), ['admin', 'body', 'enterprise', 'public', 'regulator']);
  });

  test('every operation enforces exactly its x-roles', async () => {
    const usersBefore = await userTotal(callers.admin.client);
    const ops = [];
    for (const [pattern, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item))
        if (METHODS.has(method)) ops.push({ pattern, method, op });
    assert.ok(ops.length >= 9, `only ${ops.length} operations documented`);
    // DELETE /api/session and friends run last, with their own sign-ins
    ops.sort((a, b) => (a.method === 'delete') - (b.method === 'delete'));

    const failures = [];
    let checked = 0;
    for (const { pattern, method, op } of ops) {
      const roles = op['x-roles'];
      assert.ok(Array.isArray(roles) && roles.length > 0, `${method} ${pattern} has no x-roles`);
      const path = pattern.replace(/\{[^}]+\}/g, '999999999');
      const M = method.toUpperCase();
      for (const [name, caller] of Object.entries(callers)) {
        let client = caller.client ? caller.client : new Client(server.url);
        if (method === 'delete' && caller.client) client = await signedIn(server.url, name);
        const r = await client.request(M, path, UNSAFE.has(method) ? { json: {} } : {});
        checked++;
        const what = `${M} ${pattern} as ${name} (${caller.role}; x-roles ${roles.join(',')}): ${r.status} ${typeof r.body === 'string' ? r.body.slice(0, 80) : JSON.stringify(r.body)}`;
        try {
          if (roles.includes(caller.role)) {
            assert.ok(r.status !== 401 && r.status !== 403, `listed role refused: ${what}`);
            assert.ok(r.status < 500, `server error: ${what}`);
          } else if (caller.role === 'public') {
            assertError(r, 401, 'unauthenticated', null, what);
          } else {
            assertError(r, 403, 'forbidden', null, what);
          }
        } catch (e) {
          failures.push(e.message);
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(checked, ops.length * Object.keys(callers).length);
    // the shared sessions survived the walk, and nothing was created by the `{}` bodies
    for (const [name, caller] of Object.entries(callers))
      if (caller.client) assert.equal((await caller.client.request('GET', '/api/session')).status, 200, `${name} was signed out`);
    assert.equal(await userTotal(callers.admin.client), usersBefore);
  });

  test('the session routes are documented with the roles the contract gives them', () => {
    const signedInRoles = ['admin', 'body', 'enterprise', 'regulator'];
    assert.ok(doc.paths['/api/session'].post['x-roles'].includes('public'), 'anyone may sign in');
    assert.deepEqual([...doc.paths['/api/session'].get['x-roles']].sort(), signedInRoles);
    assert.deepEqual([...doc.paths['/api/session'].delete['x-roles']].sort(), signedInRoles);
    assert.deepEqual([...doc.paths['/api/session/password'].put['x-roles']].sort(), signedInRoles);
    assert.deepEqual(doc.paths['/api/users'].get['x-roles'], ['admin']);
    assert.deepEqual(doc.paths['/api/users'].post['x-roles'], ['admin']);
    assert.ok(doc.paths['/healthz'].get['x-roles'].includes('public'));
  });

  test('a signed-in caller outside x-roles is refused before its body is read', async () => {
    // the enterprise may not create users: 403 forbidden even with a broken body; 403 without a token
    const ent = callers.enterprise.client;
    assertError(await ent.request('POST', '/api/users', { body: '{not json', headers: { 'content-type': 'application/json' } }), 403, 'forbidden');
    const noToken = await ent.request('POST', '/api/users', { json: {}, csrf: false });
    assert.equal(noToken.status, 403, JSON.stringify(noToken.body));
    // the public gets 401 whatever it sends
    assertError(await new Client(server.url).request('POST', '/api/users', { body: '[', headers: { 'content-type': 'application/json' } }), 401, 'unauthenticated');
  });
});
