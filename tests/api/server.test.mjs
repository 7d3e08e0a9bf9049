// The server's own guarantees, tested against the real binary:
// - the event loop never waits: public verification stays fast while slow list searches run
//   and another process holds the database's write lock (with sessions due for a refresh);
// - query parameters have a length cap (400 too_long naming the parameter);
// - errors h2o answers itself (malformed request, bad Content-Length, a body over the limit)
//   are the JSON error shape, and an oversized body is refused before it is read;
// - one listening socket: a second server on the same port fails with a clear message;
// - stopping drains: requests already queued when SIGTERM arrives are all answered;
// - /metrics only for loopback and --metrics-from; X-Forwarded-For and X-Forwarded-Proto only
//   from --trusted-proxy peers (the client's address, Secure cookies and HSTS).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import http from 'node:http';
import {
  startServer, startPostgres, runCli, binary, fixtureBinary, freePort, Client, testDbKind,
} from '../lib/platform.mjs';
import { assertError, signedIn, rawFetch } from './helpers.mjs';

/** A server on the database under test, seeded at `scale` (its PostgreSQL stopped with it). */
async function startSeeded({ scale = 1, extraArgs = [], threads = 2 } = {}) {
  let db;
  let cleanup = () => {};
  if (testDbKind === 'postgres') {
    const pg = await startPostgres();
    db = pg.url;
    cleanup = () => pg.stop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'guanbiao-server-'));
    db = 'sqlite:' + join(dir, 'guanbiao.db');
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    const r = runCli(['seed', '--demo', '--scale', String(scale), '--db', db], {}, fixtureBinary);
    if (r.status !== 0) throw new Error('seed failed: ' + r.stderr + r.stdout);
    const server = await startServer({ db, seed: false, threads, extraArgs });
    const stop = server.stop;
    server.stop = async () => { const code = await stop(); cleanup(); return code; };
    return server;
  } catch (e) { cleanup(); throw e; }
}

/** Runs SQL against the database under test from a separate process; resolves to its output. */
function sql(db, statement) {
  if (testDbKind === 'postgres') {
    const r = spawnSync('psql', [db, '-At', '-c', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('psql: ' + r.stderr);
    return r.stdout.trim();
  }
  const r = spawnSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA busy_timeout = 10000')
for row in c.execute(sys.argv[2]).fetchall():
    print('|'.join(str(v) for v in row))
`, db.replace(/^sqlite:/, ''), statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('python3: ' + r.stderr);
  return r.stdout.trim();
}

/**
 * Another process takes the database's write lock (an open write transaction that has
 * written) and keeps it for `seconds`. Resolves once the lock is held, to { released }: a
 * promise of the holder's exit.
 */
function holdWriteLock(db, seconds) {
  let child;
  if (testDbKind === 'postgres') {
    // row locks on every session and throttle row: writers to them wait, readers do not
    child = spawn('psql', [db, '-v', 'ON_ERROR_STOP=1', '-q', '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(`BEGIN;
UPDATE sessions SET refreshed_at = refreshed_at;
INSERT INTO settings (key, value) VALUES ('lock-holder', 'x');
\\echo holding
SELECT pg_sleep(${seconds});
ROLLBACK;
`);
  } else {
    child = spawn('python3', ['-c', `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE')
c.execute("INSERT INTO settings (key, value) VALUES ('lock-holder', 'x')")
print('holding', flush=True)
time.sleep(float(sys.argv[2]))
c.execute('ROLLBACK')
`, db.replace(/^sqlite:/, ''), String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((ok, fail) => child.on('exit', (code) => (code === 0 ? ok() : fail(new Error('lock holder: ' + err)))));
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('holding')) ok({ released: exited });
    });
    child.on('exit', () => fail(new Error('lock holder exited before holding the lock: ' + err)));
  });
}

/** GET on a new connection (so that every event loop gets its share); { status, ms }. */
function getFresh(url, path, headers = {}) {
  const u = new URL(url);
  const started = performance.now();
  return new Promise((ok, fail) => {
    const req = http.request({ host: u.hostname, port: u.port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => ok({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('error', fail);
    req.end();
  });
}

function p95(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

/** Verifies certificates from `parallel` clients, each on new connections, for `ms`. */
async function verifyFor(url, numbers, ms, parallel = 3) {
  const times = [];
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: parallel }, async (_, k) => {
    for (let i = k; performance.now() < until; i += parallel) {
      const r = await getFresh(url, '/api/certificates/' + encodeURIComponent(numbers[i % numbers.length]));
      assert.equal(r.status, 200, 'a verification failed');
      times.push(r.ms);
    }
  }));
  return times;
}

/**
 * Sends raw bytes on a new TCP connection and reads until the server closes it. Resolves to
 * { text, reset } (reset: the connection was reset rather than closed).
 */
function rawExchange(port, data, { timeout = 10000 } = {}) {
  return new Promise((ok) => {
    const chunks = [];
    let reset = false;
    const sock = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => sock.destroy(new Error('timeout')), timeout);
    sock.on('connect', () => sock.write(data));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => { reset = e.code || e.message; });
    sock.on('close', () => { clearTimeout(timer); ok({ text: Buffer.concat(chunks).toString('utf8'), reset }); });
  });
}

/** Parses one HTTP/1.1 response: { status, headers (lower-case names), body, complete }. */
function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', complete: false };
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] || 0);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = Buffer.from(text.slice(end + 4), 'utf8');
  const length = Number(headers['content-length']);
  const complete = Number.isFinite(length) && rest.length >= length;
  return { status, headers, body: rest.subarray(0, Number.isFinite(length) ? length : rest.length).toString('utf8'), complete };
}

/** A raw answer in the JSON error shape (see helpers.mjs assertError). */
function assertRawError(res, status, code, note) {
  const where = `${note}: ${JSON.stringify(res)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers['content-type'] || '', /^application\/json/, where);
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body), ['error'], where);
  assert.equal(body.error.code, code, where);
  assert.equal(typeof body.error.message, 'string', where);
  assert.ok(body.error.message.length > 0, where);
  return body.error;
}

function rssKiB(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

describe('the event loop never waits', () => {
  let server;
  let admin;
  let numbers;

  before(async () => {
    // demo scale 40: 200,000 certificates, so that a search over them takes a while
    server = await startSeeded({ scale: 40 });
    admin = await signedIn(server.url, 'admin');
    const list = await admin.request('GET', '/api/certificates?per_page=50');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    numbers = list.body.items.map((c) => c.number);
    assert.ok(numbers.length >= 10);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('verification latency is unaffected by slow searches and a held write lock', async () => {
    await verifyFor(server.url, numbers, 300);                 // warm up
    const baseline = await verifyFor(server.url, numbers, 1500);

    // signed-in users whose sessions are due for their sliding-expiry refresh (a write)
    const users = [];
    for (const login of ['regulator', 'enterprise', 'body', 'regulator-gd'])
      users.push(await signedIn(server.url, login));
    sql(server.db, 'UPDATE sessions SET refreshed_at = refreshed_at - 3600');

    const lock = await holdWriteLock(server.db, 3);
    let stop = false;
    const searches = [];
    const searching = Promise.all([0, 1].map(async () => {
      while (!stop) {
        const started = performance.now();
        const r = await admin.request('GET', '/api/certificates?q=zzz&per_page=5');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        searches.push(performance.now() - started);
      }
    }));
    const refreshes = Promise.all(users.map(async (u) => {
      const started = performance.now();
      const r = await u.request('GET', '/api/session');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return performance.now() - started;
    }));
    const during = await verifyFor(server.url, numbers, 2500);
    stop = true;
    await searching;
    const refreshTimes = await refreshes;
    await lock.released;

    const base95 = p95(baseline), during95 = p95(during);
    const note = `baseline p95 ${base95.toFixed(1)} ms (${baseline.length}), under load p95 ${during95.toFixed(1)} ms `
      + `(${during.length}, max ${Math.max(...during).toFixed(0)} ms); searches ${searches.map((t) => t.toFixed(0)).join(',')} ms; `
      + `refreshes ${refreshTimes.map((t) => t.toFixed(0)).join(',')} ms`;
    // the load was real: searches take a while, and the session refreshes waited for the lock
    assert.ok(Math.max(...searches) > 150, `the searches were not slow: ${note}`);
    assert.ok(Math.min(...refreshTimes) > 1500, `the session refreshes did not wait for the lock: ${note}`);
    assert.ok(during95 < 100 + 2 * base95, `verification stalled behind the load: ${note}`);
    // and the refreshes were done (off the loop): no session is due any more
    assert.equal(sql(server.db, 'SELECT COUNT(*) FROM sessions WHERE refreshed_at < ' + (Math.floor(Date.now() / 1000) - 1800)),
      '0', 'a session used under load was not refreshed');
  });
});

describe('limits and errors before any handler', () => {
  let server;
  let admin;
  let port;

  before(async () => {
    server = await startSeeded();
    admin = await signedIn(server.url, 'admin');
    port = Number(new URL(server.url).port);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('a query parameter over 200 characters → 400 too_long naming it (50,000 gave a 500)', async () => {
    const en = new Client(server.url, { lang: 'en' });
    en.cookie = admin.cookie;
    for (const [path, name] of [['/api/enterprises', 'q'], ['/api/certificates', 'q'], ['/api/bodies', 'q'],
      ['/api/users', 'q'], ['/api/bodies', 'region'], ['/api/enterprises', 'industry'], ['/api/certificates', 'standard']]) {
      for (const n of [201, 50000]) {
        const r = await en.request('GET', `${path}?${name}=${'a'.repeat(n)}`);
        const e = assertError(r, 400, 'too_long', name, `${path} ${name} × ${n}`);
        assert.match(e.message, /200/);
      }
      // characters, not bytes: 200 Chinese characters are within the cap
      const ok = await en.request('GET', `${path}?${name}=${encodeURIComponent('检'.repeat(200))}`);
      assert.notEqual(ok.status, 500, `${path} ${name}: ${JSON.stringify(ok.body)}`);
      if (name === 'q') assert.equal(ok.status, 200, `${path}: ${JSON.stringify(ok.body)}`);
    }
    // a region filter is a region code: a cut-off multi-byte character gave PostgreSQL a 500
    for (const path of ['/api/bodies', '/api/enterprises'])
      assertError(await en.request('GET', `${path}?region=${encodeURIComponent('检检检')}`), 400, 'invalid_query', 'region', path);
    // the public verification list too
    assertError(await new Client(server.url).request('GET', `/api/certificates?credit_code=${'9'.repeat(300)}`),
      400, 'too_long', 'credit_code');
  });

  test('a request that does not parse → 400 bad_request as JSON', async () => {
    for (const raw of ['GET /api/bodies HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      'GET /api/bodies HTTP/1.1\r\nHo st: x\r\n\r\n',
      'NOT A REQUEST\r\n\r\n']) {
      const r = await rawExchange(port, raw);
      const res = parseResponse(r.text);
      assert.ok(res.complete, `incomplete answer to ${JSON.stringify(raw)}: ${r.text}`);
      assertRawError(res, 400, 'bad_request', JSON.stringify(raw));
      assert.match(res.headers['content-security-policy'] || '', /frame-ancestors/);
    }
  });

  test('a broken Content-Length or Transfer-Encoding → 400 bad_request as JSON, in the client\'s language', async () => {
    for (const raw of ['POST /api/session HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Length: abc\r\n\r\n',
      'POST /api/session HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Length: -5\r\n\r\n',
      'POST /api/session HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nTransfer-Encoding: gzip\r\n\r\n']) {
      const res = parseResponse((await rawExchange(port, raw)).text);
      const e = assertRawError(res, 400, 'bad_request', JSON.stringify(raw));
      assert.match(e.message, /Malformed request/);
    }
    const zh = parseResponse((await rawExchange(port, 'POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n')).text);
    assert.match(assertRawError(zh, 400, 'bad_request', 'zh').message, /请求格式不正确/);
  });

  test('a Content-Length over the route\'s limit → JSON 413 before the body is read, the server does not grow', async () => {
    const pid = server.child.pid;
    const before = rssKiB(pid);
    // a 60 MB sign-in body: announced; sent only if the server waits for it (the server
    // before this fix read all of it, then answered 413)
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const result = await new Promise((ok) => {
      const chunks = [];
      let sent = 0;
      let error = null;
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write('POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept-Language: en\r\n'
          + 'Content-Length: 60000000\r\n\r\n');
        setTimeout(function pump() {
          if (chunks.length > 0) return;       // answered already
          while (sent < 60 && !sock.destroyed) {
            sent++;
            if (!sock.write(chunk.subarray(0, sent === 60 ? 60000000 - 59 * chunk.length : chunk.length))) {
              sock.once('drain', pump);
              return;
            }
          }
        }, 1000);
      });
      sock.on('data', (d) => chunks.push(d));
      sock.on('error', (e) => { error = e.code; });
      sock.on('close', () => ok({ text: Buffer.concat(chunks).toString('utf8'), sent, error }));
    });
    const res = parseResponse(result.text);
    const e = assertRawError(res, 413, 'body_too_large', 'a 60 MB sign-in');
    assert.match(e.message, /4096/, 'names the route\'s limit');
    const grown = rssKiB(pid) - before;
    assert.ok(grown < 8 * 1024, `the server grew by ${grown} KiB`);
    assert.equal(result.sent, 0, `the server waited for the body (${result.sent} MiB sent)`);

    // a body over the server's cap (20 MiB, the largest route limit) on a route with the default limit: the same, naming 65536
    const big = parseResponse((await rawExchange(port, 'POST /api/enterprises HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n'
      + `Content-Type: application/json\r\nCookie: ${admin.cookie}\r\nContent-Length: 22000000\r\n\r\n{`)).text);
    assert.match(assertRawError(big, 413, 'body_too_large', 'POST /api/enterprises').message, /65536/);
    // with Expect: 100-continue the client learns it before sending anything (no 100 first)
    const expect = parseResponse((await rawExchange(port, 'POST /api/session HTTP/1.1\r\nHost: x\r\n'
      + 'Expect: 100-continue\r\nContent-Length: 22000000\r\n\r\n')).text);
    assertRawError(expect, 413, 'body_too_large', 'Expect: 100-continue');
    // the server still answers, and nobody was signed in
    assert.equal((await rawFetch(server.url, '/healthz')).status, 200);
  });

  test('static files: a missing asset and a wrong method are JSON errors too', async () => {
    const missing = await rawFetch(server.url, '/assets/no-such-file.js');
    assertError(missing, 404, 'not_found');
    const post = await rawFetch(server.url, '/index.html', { method: 'POST', body: 'x' });
    assertError(post, 405, 'method_not_allowed');
    assert.match(post.headers.get('allow') || '', /GET/);
  });
});

describe('one listening socket', () => {
  test('a second server on a port in use fails with a clear message and exit status 1', async () => {
    const server = await startSeeded();
    try {
      const port = new URL(server.url).port;
      const r = spawnSync(binary, ['serve', '--db', server.db, '--listen', `127.0.0.1:${port}`, '--threads', '2'],
        { encoding: 'utf8', timeout: 15000 });
      assert.equal(r.error, undefined, `the second server did not exit: ${r.error}`);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: Address already in use`));
      // the first one still serves every request
      for (let i = 0; i < 20; i++) assert.equal((await getFresh(server.url, '/healthz')).status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('stopping drains', () => {
  test('SIGTERM with 64 requests queued: every one gets a complete answer, none is reset', async () => {
    const server = await startSeeded({ threads: 2 });
    const port = Number(new URL(server.url).port);
    const admin = await signedIn(server.url, 'admin');
    const numbers = (await admin.request('GET', '/api/certificates?per_page=10')).body.items.map((c) => c.number);
    // a keep-alive connection opened before the signal, used after it
    const keepAlive = net.connect(port, '127.0.0.1');
    await new Promise((ok) => keepAlive.once('connect', ok));

    const paths = [];
    for (let i = 0; i < 64; i++) {
      if (i % 4 === 0) paths.push(['GET', '/api/bodies?per_page=5', '']);                       // a worker's
      else if (i % 4 === 1) paths.push(['GET', '/healthz', '']);
      else paths.push(['GET', '/api/certificates/' + numbers[i % numbers.length], '']);    // the loop's
    }
    const exchanges = paths.map(([method, path]) => rawExchange(port,
      `${method} ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookie}\r\n\r\n`, { timeout: 15000 }));
    const exited = new Promise((ok) => server.child.once('exit', (code) => ok(code)));
    server.child.kill('SIGTERM');
    await new Promise((ok) => setTimeout(ok, 50));
    const late = new Promise((ok) => {
      let text = '';
      keepAlive.on('data', (d) => { text += d; });
      keepAlive.on('error', (e) => { text += `[${e.code}]`; });
      keepAlive.on('close', () => ok(text));
      keepAlive.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    const results = await Promise.all(exchanges);
    const problems = [];
    results.forEach((r, i) => {
      const res = parseResponse(r.text);
      if (r.reset || !res.complete) problems.push(`${paths[i][1]}: ${r.reset || 'incomplete'} ${JSON.stringify(r.text.slice(0, 80))}`);
      else if (res.status !== 200) {
        try { assertRawError(res, 503, 'shutting_down', paths[i][1]); } catch (e) { problems.push(e.message); }
      }
    });
    assert.deepEqual(problems, [], `${problems.length} of 64 not answered`);
    const lateRes = parseResponse(await late);
    assert.ok(lateRes.complete, `the keep-alive request after SIGTERM: ${JSON.stringify(await late)}`);
    assert.equal(lateRes.status, 200);
    assert.equal(lateRes.headers.connection, 'close', 'keep-alive during the drain');
    assert.equal(await exited, 0, server.logs());
    await server.stop();
  });
});

describe('/metrics and trusted proxies', () => {
  let plain;     // no --trusted-proxy
  let proxied;   // --trusted-proxy 127.0.0.1 --metrics-from 198.51.100.0/24

  before(async () => {
    plain = await startSeeded();
    proxied = await startSeeded({ extraArgs: ['--trusted-proxy', '127.0.0.1, 10.0.0.0/8', '--metrics-from', '198.51.100.0/24'] });
  });
  after(async () => {
    if (plain) assert.equal(await plain.stop(), 0);
    if (proxied) assert.equal(await proxied.stop(), 0);
  });

  test('/metrics answers loopback and --metrics-from addresses; anyone else gets 404', async () => {
    assert.equal((await rawFetch(plain.url, '/metrics')).status, 200);
    // a spoofed address from an untrusted peer changes nothing
    assert.equal((await rawFetch(plain.url, '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 200);
    // behind the trusted proxy, the client is the forwarded address
    assertError(await rawFetch(proxied.url, '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } }), 404, 'not_found');
    assertError(await rawFetch(proxied.url, '/metrics', { headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } }),
      404, 'not_found');
    const allowed = await rawFetch(proxied.url, '/metrics', { headers: { 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(allowed.status, 200);
    assert.match(allowed.text, /guanbiao_http_requests_total/);
    // through a chain of trusted proxies: the right-most address that is not one of them
    assert.equal((await rawFetch(proxied.url, '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.7, 10.1.2.3' } })).status, 200);
    assert.equal((await rawFetch(proxied.url, '/metrics')).status, 200, 'the proxy itself (loopback)');
  });

  test('X-Forwarded-For counts only from a trusted proxy: the session and throttle use the real address', async () => {
    const spoofed = new Client(plain.url);
    let r = await spoofed.request('POST', '/api/session', { json: { login: 'enterprise', password: 'guanbiao-demo' },
      headers: { 'x-forwarded-for': '203.0.113.50' } });
    assert.equal(r.status, 200);
    r = await spoofed.request('POST', '/api/session', { json: { login: 'no-such-user-1', password: 'wrong-password' },
      headers: { 'x-forwarded-for': '203.0.113.51' } });
    assert.equal(r.status, 401);
    assert.equal(sql(plain.db, "SELECT COUNT(*) FROM sessions WHERE address = '203.0.113.50'"), '0');
    assert.equal(sql(plain.db, "SELECT COUNT(*) FROM sessions WHERE address = '127.0.0.1'"), '1');
    assert.equal(sql(plain.db, "SELECT COUNT(*) FROM login_failures WHERE key LIKE '%203.0.113.%'"), '0',
      'a throttle row was keyed by the spoofed address');
    assert.notEqual(sql(plain.db, "SELECT COUNT(*) FROM login_failures WHERE key LIKE '%127.0.0.1%'"), '0',
      'no throttle row for the real address');

    const forwarded = new Client(proxied.url);
    r = await forwarded.request('POST', '/api/session', { json: { login: 'enterprise', password: 'guanbiao-demo' },
      headers: { 'x-forwarded-for': '203.0.113.60, 10.9.9.9' } });
    assert.equal(r.status, 200);
    r = await forwarded.request('POST', '/api/session', { json: { login: 'no-such-user-2', password: 'wrong-password' },
      headers: { 'x-forwarded-for': '203.0.113.61' } });
    assert.equal(r.status, 401);
    assert.equal(sql(proxied.db, "SELECT COUNT(*) FROM sessions WHERE address = '203.0.113.60'"), '1');
    assert.notEqual(sql(proxied.db, "SELECT COUNT(*) FROM login_failures WHERE key LIKE '%203.0.113.61%'"), '0',
      'the throttle did not count the forwarded address');
    assert.equal(sql(proxied.db, "SELECT COUNT(*) FROM login_failures WHERE key LIKE '%127.0.0.1%'"), '0',
      'the throttle counted the proxy instead of the client');
  });

  test('Secure cookie and HSTS only when a trusted proxy says the client used HTTPS', async () => {
    const signIn = (url, headers) => new Client(url).request('POST', '/api/session',
      { json: { login: 'body', password: 'guanbiao-demo' }, headers });
    const https = { 'x-forwarded-proto': 'https' };
    let r = await signIn(proxied.url, https);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie') || '', /;\s*Secure/i);
    assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000');
    // from an untrusted peer the header means nothing
    r = await signIn(plain.url, https);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.headers.get('set-cookie') || '', /Secure/i);
    assert.equal(r.headers.get('strict-transport-security'), null);
    // plain HTTP through the trusted proxy
    r = await signIn(proxied.url, { 'x-forwarded-proto': 'http' });
    assert.doesNotMatch(r.headers.get('set-cookie') || '', /Secure/i);
    assert.equal(r.headers.get('strict-transport-security'), null);
    r = await signIn(proxied.url, {});
    assert.doesNotMatch(r.headers.get('set-cookie') || '', /Secure/i);
    // answers outside the API too (a missing web asset)
    const asset = await rawFetch(proxied.url, '/assets/none.js', { headers: https });
    assert.equal(asset.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal((await rawFetch(plain.url, '/assets/none.js', { headers: https })).headers.get('strict-transport-security'), null);
  });
});
