// Test harness shared by the API and browser tests: starts the real `guanbiao` binary on a
// free port against a fresh SQLite file or a throw-away PostgreSQL cluster, seeds the demo,
// and stops everything afterwards. Nothing here is mocked.
//
// A server that does not exit cleanly fails the test file: stop() throws when the server exits
// non-zero, dies of a signal or has to be killed, with its sanitizer report (or the end of its
// output) in the message; a test that kills a server on purpose says so with
// stop({ expectKilled: true }). A server the test file never stopped is stopped, and checked
// the same way, by an after-hook of the file.
import { after } from 'node:test';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = process.env.GUANBIAO_BIN || join(root, 'build/guanbiao');
/** The binary that makes large fixtures (a demo database at a high --scale): the plain build
 *  when there is one. The sanitized build seeds about ten times slower, and what its lane tests
 *  is the server that then runs on the fixture, not the seed (which the other lanes test). */
export const fixtureBinary = existsSync(join(root, 'build/guanbiao')) ? join(root, 'build/guanbiao') : binary;
export const demoPassword = 'guanbiao-demo';
export const demoLogins = ['admin', 'regulator', 'regulator-gd', 'enterprise', 'body'];

/**
 * The environment of every process the harness starts. For a sanitized binary (build-asan):
 * leaks are checked at exit, against tests/lsan.supp (h2o's own long-lived allocations), with
 * full stack traces (the suppressions name h2o functions, and h2o is built without frame
 * pointers, so the fast unwinder would stop inside it); undefined behaviour stops the process.
 * Options the caller set come after these defaults and win. Ignored by a plain binary.
 */
export function processEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  const withDefaults = (name, defaults) => { env[name] = env[name] ? `${defaults}:${env[name]}` : defaults; };
  withDefaults('ASAN_OPTIONS', 'detect_leaks=1:fast_unwind_on_malloc=0');
  withDefaults('LSAN_OPTIONS', `suppressions=${join(root, 'tests/lsan.supp')}`);
  withDefaults('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1');
  return env;
}

/**
 * The part of a process's output that a sanitizer wrote (AddressSanitizer, LeakSanitizer,
 * UndefinedBehaviorSanitizer), or null when there is none.
 */
export function sanitizerReport(output) {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /^==\d+==(ERROR|WARNING): \w+Sanitizer|runtime error: |^SUMMARY: \w+Sanitizer/.test(l));
  if (start < 0) return null;
  const report = lines.slice(start).join('\n');
  return report.length > 20000 ? report.slice(0, 20000) + '\n… (cut)' : report;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

const isRoot = process.getuid && process.getuid() === 0;
const pgBin = (() => {
  for (const v of ['17', '16', '15']) {
    const d = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(d, 'initdb'))) return d;
  }
  return null;
})();

/** Runs a PostgreSQL tool as the postgres user when we are root (it refuses to run as root). */
function pgRun(tool, args, opts = {}) {
  const cmd = join(pgBin, tool);
  if (isRoot) return spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', ...opts });
  return spawnSync(cmd, args, { encoding: 'utf8', ...opts });
}

/**
 * Starts a PostgreSQL cluster in a temporary directory on a free port.
 * Returns { url, port, psql(sql), halt(), start(), restart(), stop() }; `url` names database
 * `guanbiao`, created empty. psql(sql) runs SQL on it as the superuser (client encoding UTF-8)
 * and returns psql's unaligned output, throwing on an error. halt() stops the cluster (fast:
 * every connection is cut), start() starts it again on the same port, restart() does both;
 * stop() stops it for good and removes it.
 */
export async function startPostgres() {
  if (!pgBin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'guanbiao-pg-'));
  chmodSync(dir, 0o777);
  if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  // --no-sync: a throw-away cluster need not be flushed to disk (halves initdb's time)
  let r = pgRun('initdb', ['--no-sync', '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  if (r.status !== 0) throw new Error('initdb failed: ' + r.stderr);
  const cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/guanbiao`,
    port,
    psql(sql) {
      const q = pgRun('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'guanbiao',
        '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: { ...process.env, PGCLIENTENCODING: 'UTF8' } });
      if (q.status !== 0) throw new Error(`psql failed (${sql}): ${q.stderr}`);
      return q.stdout.trim();
    },
    start() {
      const s = pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
      if (s.status !== 0) throw new Error('pg_ctl start failed: ' + s.stderr + s.stdout);
    },
    halt() {
      const s = pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      if (s.status !== 0) throw new Error('pg_ctl stop failed: ' + s.stderr + s.stdout);
    },
    restart() { cluster.halt(); cluster.start(); },
    stop() {
      pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  r = pgRun('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'guanbiao']);
  if (r.status !== 0) throw new Error('createdb failed: ' + r.stderr);
  return cluster;
}

/** Runs `guanbiao ARGS` to completion; returns { status, stdout, stderr }. */
export function runCli(args, env = {}, bin = binary) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: processEnv(env), timeout: 300000,
    maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Servers started by this test file and not yet stopped (the after-hook below stops them). */
const running = new Set();

after(async () => {
  const errors = [];
  for (const server of [...running]) {
    try {
      await server.stop();
    } catch (e) {
      errors.push(e.message);
    }
  }
  if (errors.length) throw new Error('a server the test file left running:\n' + errors.join('\n\n'));
});

/**
 * Starts `guanbiao serve` and waits until /healthz answers.
 * options: db (a --db value; default a new SQLite file), seed (default true: `seed --demo`),
 *          threads, extraArgs, env.
 * Returns { url, db, child, logs(), stop() }.
 *
 * stop({ keepData, expectKilled }): sends SIGTERM (unless the server has exited already), waits
 * for the exit and resolves to the exit code, 0. It throws, with the sanitizer report or the end
 * of the server's output, when the server exited non-zero, died of a signal, or did not stop
 * within 10 s. A test that killed the server itself (kill -9) passes expectKilled: true; then
 * stop() throws unless the server did die of SIGKILL, and resolves to null.
 */
export async function startServer(options = {}) {
  let dir = null;
  let db = options.db;
  if (!db) {
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-test-'));
    db = 'sqlite:' + join(dir, 'guanbiao.db');
  }
  const removeData = () => { if (dir) rmSync(dir, { recursive: true, force: true }); };
  if (options.seed !== false) {
    const r = runCli(['seed', '--demo', '--db', db]);
    if (r.status !== 0) { removeData(); throw new Error(`seed failed (exit ${r.status}): ${r.stderr}${r.stdout}`); }
  }
  const port = await freePort();
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', String(options.threads || 2),
    ...(options.extraArgs || [])];
  const child = spawn(binary, args, { env: processEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  // 'close' comes after the exit and after the last of the output (a sanitizer writes at exit)
  const closed = new Promise((ok) => child.once('close', (code, signal) => ok({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  let killedByUs = false;
  const server = {
    url, db, child,
    logs: () => output,
    async stop({ keepData = false, expectKilled = false } = {}) {
      running.delete(server);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => { killedByUs = true; child.kill('SIGKILL'); }, 10000);
        await closed;
        clearTimeout(timer);
      }
      const { code, signal } = await closed;
      if (!keepData) removeData();
      const how = signal ? `died of ${signal}` : `exited with code ${code}`;
      const report = () => {
        const r = sanitizerReport(output);
        return r ? `its sanitizer report:\n${r}` : `the end of its output:\n${output.slice(-3000)}`;
      };
      if (expectKilled) {
        if (signal === 'SIGKILL' && !killedByUs) return null;
        throw new Error(`the server was to be killed by the test, but it ${how}; ${report()}`);
      }
      if (killedByUs) throw new Error(`the server did not stop within 10 s of SIGTERM; ${report()}`);
      if (code !== 0 || signal) throw new Error(`the server ${how}; ${report()}`);
      return code;
    },
  };
  running.add(server);
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(server);
      await closed;
      removeData();
      throw new Error('server exited: ' + output);
    }
    try {
      const res = await fetch(url + '/healthz');
      if (res.status === 200) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) {
      running.delete(server);
      child.kill('SIGKILL');
      await closed;
      removeData();
      throw new Error('server did not start: ' + output);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return server;
}

/** The database under test: GUANBIAO_TEST_DB=postgres runs the API suite on PostgreSQL. */
export const testDbKind = process.env.GUANBIAO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** Starts a server on the database kind under test (and its PostgreSQL, if any). */
export async function startPlatform(options = {}) {
  if (testDbKind !== 'postgres') return startServer(options);
  const pg = await startPostgres();
  try {
    const server = await startServer({ ...options, db: pg.url });
    const stop = server.stop;
    server.pg = pg;
    server.stop = async (opts) => { try { return await stop(opts); } finally { pg.stop(); } };
    return server;
  } catch (e) { pg.stop(); throw e; }
}

/**
 * A tiny cookie-keeping client. `client.request(method, path, {json, headers, csrf})` returns
 * { status, headers, body (parsed JSON or text) }; `client.download(path)` the raw bytes. After signIn() it sends the session cookie
 * and, on unsafe methods, the CSRF token (pass csrf:false to omit it).
 */
/**
 * fetch, sent again once when it went out on a pooled keep-alive connection that the server had
 * already closed as idle: a test that blocked the event loop (spawnSync of the CLI) for longer
 * than the server keeps an idle connection has not yet seen that connection end, and undici
 * answers "other side closed" for a request the server never read (it retries only idempotent
 * methods itself). Any other failure is thrown as it is.
 */
export async function fetchFresh(url, options) {
  try {
    return await fetch(url, options);
  } catch (e) {
    if (e.cause?.code !== 'UND_ERR_SOCKET' || e.cause?.message !== 'other side closed') throw e;
    return fetch(url, options);
  }
}

export class Client {
  constructor(url, { lang } = {}) { this.url = url; this.cookie = null; this.csrf = null; this.lang = lang; }
  async request(method, path, { json, body, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.lang) h['accept-language'] = this.lang;
    if (csrf && this.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method)) h['x-csrf-token'] = this.csrf;
    let payload = body;
    if (json !== undefined) { payload = JSON.stringify(json); h['content-type'] ??= 'application/json'; }
    const res = await fetchFresh(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /gb_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `gb_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
    // method and url: for tests/api/helpers.mjs's assertMatchesSchema
    return { status: res.status, headers: res.headers, body: parsed, method, url: this.url + path };
  }
  /** GET path with the session and language, the answer's bytes kept as they are (a PDF, an XLSX):
   * { status, headers, bytes }. */
  async download(path) {
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.lang) headers['accept-language'] = this.lang;
    const res = await fetchFresh(this.url + path, { headers });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  async signIn(login, password = demoPassword) {
    const r = await this.request('POST', '/api/session', { json: { login, password } });
    if (r.status === 200) this.csrf = r.body.csrf;
    return r;
  }
}
