// Expired sessions and throttle rows are purged (docs/operations.md): at start, and then every
// GUANBIAO_PURGE_SECONDS (600 by default). Rows from the past are planted straight into the
// database (SQLite file or PostgreSQL) with its own client; live rows beside them must stay.
// On the database under test (GUANBIAO_TEST_DB=postgres for PostgreSQL).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startPostgres, testDbKind, Client } from '../lib/platform.mjs';
import { signedIn } from './helpers.mjs';
import { sql, sqlNumber } from './lib/sql.mjs';

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);
const hash = (c) => c.repeat(64);   // a token hash no real token has

describe(`purge of expired sessions and throttle rows (${testDbKind})`, () => {
  let pg = null;
  let server = null;
  let db;
  let adminId;

  before(async () => {
    if (testDbKind === 'postgres') pg = await startPostgres();
    server = await startServer(pg ? { db: pg.url } : {});
    db = server.db;
    adminId = sqlNumber(db, "SELECT id FROM users WHERE login = 'admin'");
  });
  after(async () => {
    const code = server ? await server.stop() : 0;
    if (pg) pg.stop();
    assert.equal(code, 0, 'server exit code');
  });

  /** Rows that have had their time: two expired sessions and two throttle keys whose last failure is an hour or more ago. */
  function plantStale(tag) {
    const t = now();
    // one transaction: a purge running meanwhile sees all four rows or none
    sql(db, `BEGIN; INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, refreshed_at, address) VALUES
      ('${hash(tag[0])}', ${adminId}, 'x', ${t - 9 * HOUR}, ${t - HOUR}, ${t - 9 * HOUR}, '192.0.2.1'),
      ('${hash(tag[1])}', ${adminId}, 'x', ${t - 8 * 24 * HOUR}, ${t - 1}, ${t - 8 * 24 * HOUR}, '192.0.2.1');
      INSERT INTO login_failures (key, last_failure, failures) VALUES
      ('login:stale-${tag}', ${t - HOUR - 5}, 7), ('addr:198.51.100.${tag.charCodeAt(0) % 200}', ${t - 30 * 24 * HOUR}, 40);
      COMMIT;`);
    return { sessions: [hash(tag[0]), hash(tag[1])], keys: [`login:stale-${tag}`] };
  }
  const staleLeft = (tag) => sqlNumber(db, `SELECT COUNT(*) FROM sessions WHERE token_hash IN ('${hash(tag[0])}', '${hash(tag[1])}')`) +
    sqlNumber(db, `SELECT COUNT(*) FROM login_failures WHERE key = 'login:stale-${tag}' OR key LIKE 'addr:198.51.100.%'`);

  test('at start: a restart leaves no expired session or forgotten throttle row; live ones stay', async () => {
    // live rows: a session and a recent failure
    const live = await signedIn(server.url, 'regulator');
    assert.equal((await new Client(server.url).signIn('nobody-purge', 'wrong-password')).status, 401);
    sql(db, `INSERT INTO login_failures (key, last_failure, failures) VALUES ('login:recent', ${now() - HOUR + 120}, 3)`);
    assert.equal(await server.stop({ keepData: true }), 0, 'server exit code');
    server = null;
    plantStale('ab');
    assert.equal(staleLeft('ab'), 4, 'the stale rows are planted');

    server = await startServer({ db, seed: false });
    assert.equal(staleLeft('ab'), 0, 'stale rows left after the start');
    assert.equal(sqlNumber(db, "SELECT COUNT(*) FROM login_failures WHERE key IN ('login:nobody-purge', 'login:recent')"), 2,
      'recent failures were purged');
    const me = new Client(server.url);
    me.cookie = live.cookie;
    assert.equal((await me.request('GET', '/api/session')).status, 200, 'a live session was purged');
    assert.match(server.logs(), /purged 4 expired session and throttle rows/);
  });

  test('every GUANBIAO_PURGE_SECONDS while running', async () => {
    assert.equal(await server.stop({ keepData: true }), 0, 'server exit code');
    server = await startServer({ db, seed: false, env: { GUANBIAO_PURGE_SECONDS: '1' } });
    const live = await signedIn(server.url, 'body');
    const purgedBefore = (server.logs().match(/purged \d+ expired/g) || []).length;
    plantStale('cd');   // the purge every second may take them at once: no count of them here
    const deadline = Date.now() + 10000;
    while (staleLeft('cd') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(staleLeft('cd'), 0, 'stale rows still there after 10 s');
    const runs = server.logs().match(/purged \d+ expired/g) || [];
    assert.deepEqual(runs.slice(purgedBefore), ['purged 4 expired'], 'one purge while running took the four planted rows');
    assert.equal((await live.request('GET', '/api/session')).status, 200, 'a live session was purged');
    // nothing but live rows is left: every session unexpired, every throttle row within its hour
    assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM sessions WHERE expires_at <= ${now()}`), 0);
    assert.equal(sqlNumber(db, `SELECT COUNT(*) FROM login_failures WHERE last_failure + ${HOUR} <= ${now()}`), 0);
    assert.equal(sqlNumber(db, "SELECT COUNT(*) FROM login_failures WHERE key LIKE 'pending:%'"), 0);
  });
});
