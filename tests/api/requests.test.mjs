// The dispatcher's refusals, each in PRODUCT.md's error shape, and proof that none of them
// changed anything (no user created, no cookie set): 404, 405 + Allow, 413 over the route's
// body limit, 415, invalid_json (line and column), invalid_utf8, json_too_deep,
// body_not_object, wrong_type, missing_field, unknown_field. Also the operations endpoints
// (/healthz, /metrics in Prometheus text, /api/openapi.json listing every route of
// src/api/routes.c), the security headers on API and static responses, and the web
// application's static serving: /, the SPA fallback, a missing asset, and a hashed asset's
// long cache and gzip/br encodings (web/dist must have been built).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { startPlatform, Client, root } from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch, userTotal } from './helpers.mjs';

const webDist = join(root, 'web/dist');

/** GET with exactly these headers; the body as raw bytes (no automatic decoding). */
function rawGet(url, path, headers = {}) {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** The routes declared in src/api/routes.c, as "METHOD /pattern". */
function declaredRoutes() {
  const text = readFileSync(join(root, 'src/api/routes.c'), 'utf8');
  const out = [];
  // each entry is a designated initializer: {.method = HTTP_X, … .pattern = "…", …}
  for (const entry of text.split(/\{\s*(?=\.)/).slice(1)) {
    const method = /\.method\s*=\s*HTTP_([A-Z]+)/.exec(entry);
    const pattern = /\.pattern\s*=\s*"([^"]+)"/.exec(entry);
    if (method && pattern) out.push(`${method[1]} ${pattern[1]}`);
  }
  return out;
}

function assertSecurityHeaders(headers, what) {
  const get = (n) => (typeof headers.get === 'function' ? headers.get(n) : headers[n]);
  const csp = get('content-security-policy') || '';
  assert.match(csp, /(^|;)\s*script-src 'self'(;|$)/, `${what}: CSP script-src: ${csp}`);
  assert.match(csp, /frame-ancestors/, `${what}: CSP frame-ancestors: ${csp}`);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-(inline|eval)/, `${what}: CSP allows unsafe scripts`);
  assert.equal(get('x-content-type-options'), 'nosniff', what);
  assert.ok(get('referrer-policy'), `${what}: referrer-policy missing`);
}

describe('requests', () => {
  let server;
  let admin;
  let usersBefore;

  before(async () => {
    server = await startPlatform({ extraArgs: ['--web', webDist] });
    admin = await signedIn(server.url, 'admin');
    usersBefore = await userTotal(admin);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('unknown /api path → 404 not_found', async () => {
    const c = new Client(server.url);
    assertError(await c.request('GET', '/api/no-such-thing'), 404, 'not_found', null);
    assertError(await c.request('GET', '/api'), 404, 'not_found');
    assertError(await c.request('POST', '/api/session/extra', { json: {} }), 404, 'not_found');
    assertError(await admin.request('GET', '/api/users/'), 404, 'not_found');
  });

  test('wrong method → 405 method_not_allowed with Allow', async () => {
    const c = new Client(server.url, { lang: 'en' });
    const r = await c.request('PATCH', '/api/session', { json: {} });
    const e = assertError(r, 405, 'method_not_allowed', null);
    assert.match(e.message, /PATCH/);
    const allowOf = (res) => (res.headers.get('allow') || '').split(',').map((s) => s.trim()).filter((m) => m !== 'HEAD').sort();
    assert.deepEqual(allowOf(r), ['DELETE', 'GET', 'POST']);
    const r2 = await c.request('DELETE', '/api/users');
    assertError(r2, 405, 'method_not_allowed');
    assert.deepEqual(allowOf(r2), ['GET', 'POST']);
    const r3 = await c.request('POST', '/healthz', { json: {} });
    assertError(r3, 405, 'method_not_allowed');
    assert.match(r3.headers.get('allow') || '', /GET/);
  });

  test('a body over the route limit → 413 body_too_large, and no sign-in happens', async () => {
    const pad = 'x'.repeat(5000);
    const c = new Client(server.url, { lang: 'en' });
    const r = await c.request('POST', '/api/session', { json: { login: 'admin', password: 'guanbiao-demo', pad } });
    const e = assertError(r, 413, 'body_too_large', null);
    assert.match(e.message, /4096/);
    assert.equal(r.headers.get('set-cookie'), null);
    // just under the limit the same route parses the body (and refuses the unknown field)
    const small = await c.request('POST', '/api/session', { json: { login: 'admin', password: 'guanbiao-demo', pad: 'x'.repeat(3900) } });
    assertError(small, 400, 'unknown_field', 'pad');
    assertError(await admin.request('POST', '/api/users', { json: { login: 'big-user', name: 'x'.repeat(5000), role: 'admin', password: 'long-enough-pw' } }),
      413, 'body_too_large');
  });

  test('a text/plain body → 415 unsupported_media_type', async () => {
    const c = new Client(server.url);
    const r = await c.request('POST', '/api/session',
      { body: JSON.stringify({ login: 'admin', password: 'guanbiao-demo' }), headers: { 'content-type': 'text/plain' } });
    assertError(r, 415, 'unsupported_media_type', null);
    assert.equal(r.headers.get('set-cookie'), null);
    assertError(await admin.request('POST', '/api/users', { body: 'login=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415, 'unsupported_media_type');
    // a charset parameter on application/json is fine
    const ok = await c.request('POST', '/api/session',
      { body: JSON.stringify({ login: 'admin', password: 'guanbiao-demo' }), headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('malformed JSON → 400 invalid_json naming line and column', async () => {
    const body = '{\n  "login": "admin",\n  "password" "guanbiao-demo"\n}';
    const en = await new Client(server.url, { lang: 'en' }).request('POST', '/api/session', { body, headers: { 'content-type': 'application/json' } });
    const e = assertError(en, 400, 'invalid_json', null);
    assert.match(e.message, /line 3, column \d+/, e.message);
    const zh = await new Client(server.url).request('POST', '/api/session', { body, headers: { 'content-type': 'application/json' } });
    assert.match(assertError(zh, 400, 'invalid_json').message, /第 3 行第 \d+ 列/);
    assertError(await admin.request('POST', '/api/users', { body: '{"login": ', headers: { 'content-type': 'application/json' } }),
      400, 'invalid_json');
  });

  test('invalid UTF-8 → 400 invalid_utf8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"login":"ad'), Buffer.from([0xff, 0xfe]), Buffer.from('min","password":"guanbiao-demo"}')]);
    const r = await new Client(server.url, { lang: 'en' }).request('POST', '/api/session', { body: bytes, headers: { 'content-type': 'application/json' } });
    const e = assertError(r, 400, 'invalid_utf8', null);
    assert.match(e.message, /\b12\b/, `the message names the byte offset: ${e.message}`);
    // an overlong encoding of '/' and a lone surrogate are not UTF-8 either
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const b = Buffer.concat([Buffer.from('{"login":"'), Buffer.from(bad), Buffer.from('","password":"x"}')]);
      assertError(await new Client(server.url).request('POST', '/api/session', { body: b, headers: { 'content-type': 'application/json' } }),
        400, 'invalid_utf8');
    }
    assertError(await admin.request('POST', '/api/users', { body: bytes, headers: { 'content-type': 'application/json' } }), 400, 'invalid_utf8');
  });

  test('nesting deeper than 32 → 400 json_too_deep; 32 levels are parsed', async () => {
    const nest = (n) => '{"login":' + '['.repeat(n - 1) + ']'.repeat(n - 1) + ',"password":"x"}';
    const deep = await new Client(server.url, { lang: 'en' }).request('POST', '/api/session', { body: nest(40), headers: { 'content-type': 'application/json' } });
    assert.match(assertError(deep, 400, 'json_too_deep', null).message, /32/);
    assertError(await new Client(server.url).request('POST', '/api/session', { body: nest(33), headers: { 'content-type': 'application/json' } }),
      400, 'json_too_deep');
    // exactly 32 levels is allowed: the body parses and the field is then of the wrong type
    assertError(await new Client(server.url).request('POST', '/api/session', { body: nest(32), headers: { 'content-type': 'application/json' } }),
      400, 'wrong_type', 'login');
    // brackets inside strings do not count
    const inString = JSON.stringify({ login: '['.repeat(100), password: 'x' });
    assertError(await new Client(server.url).request('POST', '/api/session', { body: inString, headers: { 'content-type': 'application/json' } }),
      400, 'too_long', 'login');
  });

  test('an array body → 400 body_not_object', async () => {
    const c = new Client(server.url);
    assertError(await c.request('POST', '/api/session', { json: [{ login: 'admin', password: 'guanbiao-demo' }] }), 400, 'body_not_object', null);
    assertError(await c.request('POST', '/api/session', { json: 'admin' }), 400, 'body_not_object');
    assertError(await admin.request('POST', '/api/users', { json: [] }), 400, 'body_not_object');
  });

  test('field errors: wrong_type, missing_field, unknown_field, each naming its field', async () => {
    const c = new Client(server.url);
    assertError(await c.request('POST', '/api/session', { json: { login: 1, password: 'guanbiao-demo' } }), 400, 'wrong_type', 'login');
    assertError(await c.request('POST', '/api/session', { json: { login: 'admin', password: true } }), 400, 'wrong_type', 'password');
    assertError(await c.request('POST', '/api/session', { json: { login: 'admin' } }), 400, 'missing_field', 'password');
    assertError(await c.request('POST', '/api/session', { json: { password: 'guanbiao-demo' } }), 400, 'missing_field', 'login');
    assertError(await c.request('POST', '/api/session', { json: {} }), 400, 'missing_field');
    const unknown = await c.request('POST', '/api/session', { json: { login: 'admin', password: 'guanbiao-demo', remember: true } });
    assert.match(assertError(unknown, 400, 'unknown_field', 'remember').message, /remember/);
    assert.equal(c.cookie, null, 'a refused sign-in set a cookie');

    const good = { login: 'valid-new', name: 'Valid', role: 'admin', password: 'long-enough-pw' };
    assertError(await admin.request('POST', '/api/users', { json: { ...good, login: 7 } }), 400, 'wrong_type', 'login');
    assertError(await admin.request('POST', '/api/users', { json: { ...good, enterprise_id: '1' } }), 400, 'wrong_type', 'enterprise_id');
    const { name, ...noName } = good;
    assertError(await admin.request('POST', '/api/users', { json: noName }), 400, 'missing_field', 'name');
    assertError(await admin.request('POST', '/api/users', { json: { ...good, is_admin: true } }), 400, 'unknown_field', 'is_admin');
    assertError(await admin.request('POST', '/api/users', { json: { ...good, name: '   ' } }), 400, 'blank_field', 'name');
  });

  test('an unsafe request from a cookie session without X-CSRF-Token → 403 csrf_failed', async () => {
    const good = { login: 'csrf-victim', name: 'CSRF', role: 'admin', password: 'long-enough-pw' };
    assertError(await admin.request('POST', '/api/users', { json: good, csrf: false }), 403, 'csrf_failed', null);
    assertError(await admin.request('POST', '/api/users', { json: good, csrf: false, headers: { 'x-csrf-token': '' } }), 403, 'csrf_failed');
    // the token of the session, not any token: another admin session's token is refused
    const other = await signedIn(server.url, 'admin');
    assertError(await admin.request('POST', '/api/users', { json: good, csrf: false, headers: { 'x-csrf-token': other.csrf } }), 403, 'csrf_failed');
  });

  test('none of the refusals changed anything', async () => {
    assert.equal(await userTotal(admin), usersBefore, 'a refused POST /api/users created a user');
    for (const login of ['big-user', 'valid-new', 'csrf-victim'])
      assert.equal((await userTotal(admin, `?q=${login}`)), 0, `${login} exists`);
    // and the admin's session is intact
    assert.equal((await admin.request('GET', '/api/session')).status, 200);
  });

  test('a 21 MiB body (over the server cap: the largest route limit, 20 MiB for the certificate import) gets a JSON 413 before it is sent', async () => {
    // Expect: 100-continue: the server answers on the headers alone, and the body is never sent
    const u = new URL(server.url);
    const r = await new Promise((ok, fail) => {
      const req = httpRequest({ host: u.hostname, port: u.port, path: '/api/session', method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 21 << 20, expect: '100-continue' } }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => ok({ status: res.statusCode, headers: { get: (n) => res.headers[n] }, body: JSON.parse(text) }));
      });
      req.on('continue', () => fail(new Error('the server asked for the 21 MiB body')));
      req.on('error', fail);
      req.flushHeaders();
    });
    assert.match(assertError(r, 413, 'body_too_large').message, /4096/);
  });

  test('the documented success status is the one answered', async () => {
    const doc = (await rawFetch(server.url, '/api/openapi.json')).body;
    const documented = (path, method) => Object.keys(doc.paths[path][method].responses).filter((k) => k !== 'default');
    const c = new Client(server.url);
    const signIn = await c.signIn('regulator');
    assert.deepEqual(documented('/api/session', 'post'), [String(signIn.status)]);
    assert.deepEqual(documented('/api/session', 'get'), [String((await c.request('GET', '/api/session')).status)]);
    const created = await admin.request('POST', '/api/users', { json: { login: 'documented', name: 'Doc', role: 'admin', password: 'long-enough-pw' } });
    assert.deepEqual(documented('/api/users', 'post'), [String(created.status)]);
    assert.deepEqual(documented('/api/users', 'get'), [String((await admin.request('GET', '/api/users')).status)]);
    const d = await signedIn(server.url, 'documented', 'long-enough-pw');
    const pw = await d.request('PUT', '/api/session/password', { json: { current_password: 'long-enough-pw', new_password: 'longer-enough-pw' } });
    assert.deepEqual(documented('/api/session/password', 'put'), [String(pw.status)]);
    assert.deepEqual(documented('/api/session', 'delete'), [String((await d.request('DELETE', '/api/session')).status)]);
    assert.deepEqual(documented('/healthz', 'get'), ['200']);
  });

  test('GET /healthz → 200 {"status":"ok"}', async () => {
    const r = await rawFetch(server.url, '/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(r.body, { status: 'ok' });
  });

  test('GET /metrics is Prometheus text with requests by route, a latency histogram and database errors', async () => {
    await rawFetch(server.url, '/api/no-such-thing');
    const r = await rawFetch(server.url, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/plain/);
    const t = r.text;
    assert.match(t, /^# TYPE guanbiao_http_requests_total counter$/m);
    assert.match(t, /^guanbiao_http_requests_total\{[^}]*route="\/api\/session"[^}]*status="200"[^}]*\} [1-9][0-9]*$/m);
    assert.match(t, /^guanbiao_http_requests_total\{[^}]*route="\/api\/session"[^}]*status="413"[^}]*\} [1-9][0-9]*$/m);
    assert.match(t, /^guanbiao_http_requests_total\{[^}]*route="[^"]+"[^}]*status="404"[^}]*\} [1-9][0-9]*$/m);
    assert.match(t, /^# TYPE guanbiao_http_request_duration_seconds histogram$/m);
    assert.match(t, /^guanbiao_http_request_duration_seconds_bucket\{[^}]*route="\/api\/session"[^}]*le="\+Inf"\} [1-9][0-9]*$/m);
    assert.match(t, /^guanbiao_http_request_duration_seconds_bucket\{[^}]*le="0\.[0-9]+"\} [0-9]+$/m);
    assert.match(t, /^guanbiao_http_request_duration_seconds_sum\{[^}]*route="\/api\/session"[^}]*\} [0-9.e+-]+$/m);
    assert.match(t, /^guanbiao_http_request_duration_seconds_count\{[^}]*route="\/api\/session"[^}]*\} [1-9][0-9]*$/m);
    assert.match(t, /^# TYPE guanbiao_db_errors_total counter$/m);
    assert.match(t, /^guanbiao_db_errors_total [0-9]+$/m);
    // every sample line is well formed
    for (const line of t.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      assert.match(line, /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$/, line);
    }
    // histogram buckets are cumulative
    const buckets = [...t.matchAll(/^guanbiao_http_request_duration_seconds_bucket\{method="POST",route="\/api\/session",le="([^"]+)"\} (\d+)$/gm)]
      .map((m) => Number(m[2]));
    assert.ok(buckets.length > 3, 'buckets of POST /api/session');
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], 'buckets not cumulative');
  });

  test('GET /api/openapi.json is OpenAPI 3 and lists every route with its roles', async () => {
    const r = await rawFetch(server.url, '/api/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    const doc = r.body;
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    const declared = declaredRoutes();
    assert.ok(declared.length >= 9, `parsed only ${declared.length} routes from src/api/routes.c`);
    const documented = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        documented.push(`${method.toUpperCase()} ${path}`);
        assert.ok(Array.isArray(op['x-roles']) && op['x-roles'].length > 0, `${method} ${path}: x-roles`);
        for (const role of op['x-roles']) assert.ok(['public', 'enterprise', 'body', 'regulator', 'admin'].includes(role), role);
        assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path}: responses`);
      }
    }
    assert.deepEqual(documented.sort(), declared.sort(), 'the document and the route table differ');
    for (const route of ['GET /healthz', 'POST /api/session', 'GET /api/session', 'DELETE /api/session',
      'PUT /api/session/password', 'GET /api/users', 'POST /api/users'])
      assert.ok(documented.includes(route), route);
    assert.deepEqual(doc.paths['/api/users'].post['x-roles'], ['admin']);
    assert.ok(doc.paths['/api/session'].post['x-roles'].includes('public'));
    assert.ok(doc.components.schemas.Error, 'the Error schema');
  });

  test('security headers on API and static responses', async () => {
    assertSecurityHeaders((await rawFetch(server.url, '/healthz')).headers, '/healthz');
    assertSecurityHeaders((await rawFetch(server.url, '/api/session')).headers, 'GET /api/session 401');
    assertSecurityHeaders((await rawFetch(server.url, '/api/no-such-thing')).headers, '404 API');
    assertSecurityHeaders((await admin.request('GET', '/api/users')).headers, 'GET /api/users');
    assertSecurityHeaders((await rawFetch(server.url, '/')).headers, 'GET /');
    assertSecurityHeaders((await rawFetch(server.url, '/assets/no-such-file.js')).headers, 'static 404');
    // API answers are never cached
    assert.match((await admin.request('GET', '/api/session')).headers.get('cache-control') || '', /no-store/);
  });

  test('static: /, the SPA fallback, a missing asset, a hashed asset with long cache and gzip/br', async () => {
    assert.ok(existsSync(join(webDist, 'index.html')),
      `web/dist/index.html is missing: build the web application (make web / npm run build in web/) before the API tests`);
    const index = await rawFetch(server.url, '/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') || '', /^text\/html/);
    assert.match(index.text, /<!doctype html>/i);
    assert.doesNotMatch(index.headers.get('cache-control') || '', /max-age=31536000/, 'index.html must not be cached for a year');

    for (const route of ['/account/password', '/login', '/some/deep/client/route']) {
      const r = await rawFetch(server.url, route);
      assert.equal(r.status, 200, route);
      assert.match(r.headers.get('content-type') || '', /^text\/html/, route);
      assert.equal(r.text, index.text, `${route} is not index.html`);
    }
    for (const missing of ['/assets/x.js', '/assets/no/such.css', '/no-such-file.png']) {
      const r = await rawFetch(server.url, missing);
      assert.equal(r.status, 404, missing);
      assert.doesNotMatch(r.text, /<!doctype html>/i, `${missing} fell back to index.html`);
    }

    const refs = [...index.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 0, 'index.html references no /assets/ file');
    const script = refs.find((p) => p.endsWith('.js')) || refs[0];
    assert.match(script, /-[A-Za-z0-9_-]{6,}\.(js|css)$/, `not a hashed asset name: ${script}`);

    const plain = await rawGet(server.url, script, { 'accept-encoding': 'identity' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers['cache-control'] || '', /max-age=31536000/);
    assert.match(plain.headers['content-type'] || '', /javascript|css/);
    assert.ok(plain.headers.etag, 'etag');
    assertSecurityHeaders(plain.headers, script);

    const gz = await rawGet(server.url, script, { 'accept-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip', `${script} not served gzip`);
    assert.match(gz.headers.vary || '', /accept-encoding/i);
    assert.match(gz.headers['cache-control'] || '', /max-age=31536000/);
    assert.ok(gunzipSync(gz.body).equals(plain.body), 'gzip body differs from the file');

    const br = await rawGet(server.url, script, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br', `${script} not served br`);
    assert.ok(brotliDecompressSync(br.body).equals(plain.body), 'br body differs from the file');

    // a conditional request with the etag is answered 304 without a body
    const again = await rawGet(server.url, script, { 'if-none-match': plain.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });
});
