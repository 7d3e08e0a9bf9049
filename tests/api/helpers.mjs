// Small assertions shared by the API tests (not a test file itself: node --test only runs
// *.test.mjs here). Everything talks to a real server started by tests/lib/platform.mjs.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Client, demoPassword } from '../lib/platform.mjs';

/**
 * Asserts PRODUCT.md's error shape: the status, {"error":{"code","message","field"?}} and
 * nothing else; `field` is checked when given (null: must be absent). Returns the error.
 */
export function assertError(res, status, code, field, note = '') {
  const where = `${note ? note + ': ' : ''}got ${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, where);
  assert.equal(typeof res.body, 'object', where);
  assert.deepEqual(Object.keys(res.body), ['error'], where);
  const e = res.body.error;
  assert.equal(e.code, code, where);
  assert.match(e.code, /^[a-z][a-z0-9_]*$/, where);
  assert.equal(typeof e.message, 'string', where);
  assert.ok(e.message.length > 0, where);
  for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `${where}: extra key ${k}`);
  if (field === null) assert.equal(e.field, undefined, where);
  else if (field !== undefined) assert.equal(e.field, field, where);
  return e;
}

/** A new client signed in as `login`; fails the test if the sign-in does not succeed. */
export async function signedIn(url, login, password = demoPassword, options = {}) {
  const c = new Client(url, options);
  const r = await c.signIn(login, password);
  assert.equal(r.status, 200, `sign-in of ${login}: ${r.status} ${JSON.stringify(r.body)}`);
  assert.ok(c.cookie, `sign-in of ${login} set no cookie`);
  return c;
}

/** Raw fetch with the cookie of `client` (if any) but none of Client's conveniences. */
export async function rawFetch(url, path, { method = 'GET', headers = {}, body, client } = {}) {
  const h = { ...headers };
  if (client && client.cookie) h.cookie = client.cookie;
  const res = await fetch(url + path, { method, headers: h, body, redirect: 'manual' });
  const text = await res.text();
  let parsed = text;
  if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Total of GET /api/users (as an admin client). */
export async function userTotal(admin, query = '') {
  const r = await admin.request('GET', '/api/users' + query);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.total;
}

/**
 * POST a JSON body from a chosen local address (127.0.0.x), so that per-address throttles can
 * be exercised alone (English messages). Resolves to { status, headers, body }.
 */
export function postFrom(url, localAddress, path, json) {
  const u = new URL(url);
  const payload = JSON.stringify(json);
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: 'POST', localAddress,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'accept-language': 'en' } },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode, headers: new Headers(res.headers), body: JSON.parse(text) }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}
