// Test harness shared by the API and browser tests: starts the real `guanbiao` binary on a
// free port against a fresh SQLite file or a throw-away PostgreSQL cluster, seeds the demo,
// and stops everything afterwards. Nothing here is mocked.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = process.env.GUANBIAO_BIN || join(root, 'build/guanbiao');
export const demoPassword = 'guanbiao-demo';
export const demoLogins = ['admin', 'regulator', 'regulator-gd', 'enterprise', 'body'];

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
 * Returns { url, stop }; `url` names database `guanbiao`, created empty.
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
  r = pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  if (r.status !== 0) throw new Error('pg_ctl start failed: ' + r.stderr + r.stdout);
  r = pgRun('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'guanbiao']);
  if (r.status !== 0) throw new Error('createdb failed: ' + r.stderr);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/guanbiao`,
    stop() {
      pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `guanbiao ARGS` to completion; returns { status, stdout, stderr }. */
export function runCli(args, env = {}) {
  const r = spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300000,
    maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `guanbiao serve` and waits until /healthz answers.
 * options: db (a --db value; default a new SQLite file), seed (default true: `seed --demo`),
 *          threads, extraArgs, env.
 * Returns { url, db, stop(), logs() }.
 */
export async function startServer(options = {}) {
  let dir = null;
  let db = options.db;
  if (!db) {
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-test-'));
    db = 'sqlite:' + join(dir, 'guanbiao.db');
  }
  if (options.seed !== false) {
    const r = runCli(['seed', '--demo', '--db', db]);
    if (r.status !== 0) throw new Error('seed failed: ' + r.stderr + r.stdout);
  }
  const port = await freePort();
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', String(options.threads || 2),
    ...(options.extraArgs || [])];
  const child = spawn(binary, args, { env: { ...process.env, ...(options.env || {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited: ' + output);
    try {
      const res = await fetch(url + '/healthz');
      if (res.status === 200) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('server did not start: ' + output); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, db, child,
    logs: () => output,
    /** SIGTERM, wait for a clean exit; resolves to the exit code. */
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', (code) => r(code)));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        const code = await exited;
        clearTimeout(timer);
        if (dir && !keepData) rmSync(dir, { recursive: true, force: true });
        return code;
      }
      if (dir && !keepData) rmSync(dir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
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
    server.stop = async () => { const c = await stop(); pg.stop(); return c; };
    return server;
  } catch (e) { pg.stop(); throw e; }
}

/**
 * A tiny cookie-keeping client. `client.request(method, path, {json, headers, csrf})` returns
 * { status, headers, body (parsed JSON or text) }. After signIn() it sends the session cookie
 * and, on unsafe methods, the CSRF token (pass csrf:false to omit it).
 */
export class Client {
  constructor(url, { lang } = {}) { this.url = url; this.cookie = null; this.csrf = null; this.lang = lang; }
  async request(method, path, { json, body, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.lang) h['accept-language'] = this.lang;
    if (csrf && this.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method)) h['x-csrf-token'] = this.csrf;
    let payload = body;
    if (json !== undefined) { payload = JSON.stringify(json); h['content-type'] ??= 'application/json'; }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /gb_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `gb_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }
  async signIn(login, password = demoPassword) {
    const r = await this.request('POST', '/api/session', { json: { login, password } });
    if (r.status === 200) this.csrf = r.body.csrf;
    return r;
  }
}
