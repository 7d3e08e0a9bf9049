// Small assertions shared by the API tests (not a test file itself: node --test only runs
// *.test.mjs here). Everything talks to a real server started by tests/lib/platform.mjs.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import { Client, demoPassword, fetchFresh } from '../lib/platform.mjs';

// the validators the web app's node_modules hold (web/package.json's devDependencies)
const requireFromWeb = createRequire(new URL('../../web/package.json', import.meta.url));

/**
 * Asserts PRODUCT.md's error shape: the status, {"error":{"code","message","field"?,"fields"?}}
 * and nothing else; `field` is checked when given (null: must be absent). When a field is
 * named, `fields` lists it first (docs/api.md). Returns the error.
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
  for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field', 'fields'].includes(k), `${where}: extra key ${k}`);
  if (field === null) assert.equal(e.field, undefined, where);
  else if (field !== undefined) assert.equal(e.field, field, where);
  if (e.field !== undefined) {
    assert.ok(Array.isArray(e.fields) && e.fields.length > 0, `${where}: fields`);
    assert.deepEqual(e.fields[0], { field: e.field, code: e.code, message: e.message }, `${where}: fields[0]`);
  } else {
    assert.equal(e.fields, undefined, `${where}: fields without field`);
  }
  return e;
}

/** The validators of the served /api/openapi.json, per server address: fetched once. */
const contracts = new Map();

async function contract(origin) {
  if (!contracts.has(origin)) {
    contracts.set(origin, (async () => {
      const res = await fetch(origin + '/api/openapi.json');
      assert.equal(res.status, 200, 'GET /api/openapi.json');
      const doc = await res.json();
      const Ajv = requireFromWeb('ajv').default;
      const addFormats = requireFromWeb('ajv-formats').default;
      // OpenAPI 3.0 schemas are JSON Schema draft 4/7 plus a few keywords: Ajv knows `nullable`;
      // strict mode off for the others (description, x-media-type …).
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      ajv.addSchema({ $id: 'openapi', components: doc.components });
      const routes = [];
      for (const [pattern, item] of Object.entries(doc.paths)) {
        const re = new RegExp('^' + pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
        for (const [method, op] of Object.entries(item)) routes.push({ method: method.toUpperCase(), pattern, re, op });
      }
      // a literal segment wins over a parameter (/api/enterprises/registrations)
      routes.sort((a, b) => (a.pattern.match(/\{/g) || []).length - (b.pattern.match(/\{/g) || []).length);
      return { ajv, routes };
    })());
  }
  return contracts.get(origin);
}

/**
 * Checks a real answer against the served OpenAPI document: finds the operation by the
 * request's method and path (res.method, res.url: Client.request and rawFetch set them, or
 * pass them in `request`), its response by status (else `default`), and validates the body
 * with Ajv against that schema (additionalProperties: false catches a field added without its
 * schema). An answer without a body must be documented as such. Returns the body.
 */
export async function assertMatchesSchema(res, request = {}) {
  const method = (request.method || res.method || 'GET').toUpperCase();
  const url = new URL(request.url || res.url);
  const { ajv, routes } = await contract(url.origin);
  if (method === 'HEAD') return res.body;           // no body to check
  const route = routes.find((r) => r.method === method && r.re.test(url.pathname));
  if (!route && request.undocumented === 'error-only') {
    // no route (404, 405): still the error body
    if (res.status >= 400 && res.body && typeof res.body === 'object') {
      const validate = ajv.getSchema('openapi#/components/schemas/Error');
      if (!validate(res.body))
        assert.fail(`${method} ${url.pathname} → ${res.status}: not the Error schema: ${ajv.errorsText(validate.errors)}`);
    }
    return res.body;
  }
  assert.ok(route, `${method} ${url.pathname}: no operation in /api/openapi.json`);
  const where = `${method} ${route.pattern} → ${res.status}`;
  const documented = route.op.responses[String(res.status)] || route.op.responses.default;
  assert.ok(documented, `${where}: status not documented`);
  const content = documented.content || {};
  if (!documented.content) {
    assert.ok(res.body === '' || res.body === undefined, `${where}: a body where none is documented`);
    return res.body;
  }
  const json = content['application/json'];
  if (!json) return res.body;                       // text (the metrics)
  const name = json.schema.$ref.replace('#/components/schemas/', '');
  const validate = ajv.getSchema('openapi#/components/schemas/' + name);
  assert.ok(validate, `${where}: schema ${name}`);
  if (!validate(res.body))
    assert.fail(`${where}: the body does not match ${name}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}\n` +
      JSON.stringify(res.body).slice(0, 2000));
  return res.body;
}

/**
 * From now on in this test file, every answer a Client gets is checked against the served
 * OpenAPI document (assertMatchesSchema; an answer of a path without a route: its error body
 * only). Call it once at the top of a test file.
 */
export function checkEveryAnswer() {
  if (Client.prototype.request.checked) return;
  const plain = Client.prototype.request;
  const checked = async function (method, path, options) {
    const res = await plain.call(this, method, path, options);
    if (path.startsWith('/api/') || path === '/healthz') await assertMatchesSchema(res, { undocumented: 'error-only' });
    return res;
  };
  checked.checked = true;
  Client.prototype.request = checked;
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
  const res = await fetchFresh(url + path, { method, headers: h, body, redirect: 'manual' });
  const text = await res.text();
  let parsed = text;
  if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text, method, url: url + path };
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

/**
 * The public and each demo account signed in on server, with the demo body's id:
 * {pub, admin, regulator, regulatorGd, enterprise, body, bodyId}.
 */
export async function demoClients(server) {
  const body = new Client(server.url);
  const s = await body.signIn('body');
  assert.equal(s.status, 200, `sign-in of body: ${JSON.stringify(s.body)}`);
  return {
    pub: new Client(server.url),
    admin: await signedIn(server.url, 'admin'),
    regulator: await signedIn(server.url, 'regulator'),
    regulatorGd: await signedIn(server.url, 'regulator-gd'),
    enterprise: await signedIn(server.url, 'enterprise'),
    body,
    bodyId: s.body.user.body_id,
  };
}
