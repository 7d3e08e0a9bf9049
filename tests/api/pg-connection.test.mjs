// A lost PostgreSQL connection, from outside. This file always runs on PostgreSQL (in the
// SQLite run of the API suite too): it needs a cluster it can cut.
//
// When PostgreSQL terminates the server's backends, restarts, or is down for a while, each of
// the server's database connections answers at most one request with 503
// database_unavailable, then reconnects and works again: no other error, no hang. And the
// session settings the server makes on connect hold after a reconnect as well: this database
// defaults to client_encoding LATIN1 (and time zone Asia/Shanghai), so a connection that came
// back without its `SET client_encoding` fails to return Chinese text (500) and stores what it
// writes garbled (read back here with psql, past the server).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, startServer, Client } from '../lib/platform.mjs';
import { signedIn } from './helpers.mjs';

const BODY_NAME = '中知认证有限公司';        // the demo body with code 840 (tools' demo data)

describe('a lost PostgreSQL connection', () => {
  let pg, server, admin, pub, bodyId;
  let connections;       // the server's connections to the database

  before(async () => {
    pg = await startPostgres();
    // what a connection gets unless the server sets its own session settings
    pg.psql("ALTER DATABASE guanbiao SET client_encoding TO 'LATIN1'");
    pg.psql("ALTER DATABASE guanbiao SET timezone TO 'Asia/Shanghai'");
    server = await startServer({ db: pg.url, threads: 1, extraArgs: ['--workers', '2'] });
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    assert.equal(bodies.status, 200, JSON.stringify(bodies.body));
    bodyId = bodies.body.items.find((b) => b.code === '840').id;
    connections = Number(pg.psql('SELECT count(*) FROM pg_stat_activity WHERE datname = \'guanbiao\' AND pid <> pg_backend_pid()'));
    assert.ok(connections >= 2, `the server holds ${connections} connections (at least one per worker)`);
  });
  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      if (pg) pg.stop();
    }
  });

  /** One request of each kind (a point read, a list with a Chinese filter, a session, health),
   * twice, all at once: each answer is right, or 503 database_unavailable. Returns the 503s. */
  async function burst() {
    const checks = [
      async () => {
        const r = await pub.request('GET', `/api/bodies/${bodyId}`);
        return [r, () => assert.equal(r.body.name, BODY_NAME)];
      },
      async () => {
        const r = await pub.request('GET', `/api/bodies?q=${encodeURIComponent('中知认证')}`);
        return [r, () => assert.deepEqual(r.body.items.map((b) => b.name), [BODY_NAME])];
      },
      async () => {
        const r = await admin.request('GET', '/api/session');
        return [r, () => assert.equal(r.body.user.login, 'admin')];
      },
      async () => {
        const r = await pub.request('GET', '/healthz');
        return [r, () => assert.deepEqual(r.body, { status: 'ok' })];
      },
    ];
    const results = await Promise.all([...checks, ...checks].map((f) => f()));
    let unavailable = 0;
    for (const [r, check] of results) {
      const what = `${r.status} ${JSON.stringify(r.body)}`;
      if (r.status === 503) {
        assert.equal(r.body?.error?.code, 'database_unavailable', what);
        unavailable++;
      } else {
        assert.equal(r.status, 200, what);
        check();
      }
    }
    return unavailable;
  }

  /** Bursts until three in a row answer without a 503; returns the 503s seen on the way. */
  async function untilSettled() {
    let unavailable = 0;
    for (let calm = 0, n = 0; calm < 3; n++) {
      assert.ok(n < 30, `still 503 after ${n} bursts (${unavailable} in all)`);
      const u = await burst();
      unavailable += u;
      calm = u === 0 ? calm + 1 : 0;
    }
    return unavailable;
  }

  /** A Chinese write through the server, read back past it: stored as UTF-8. */
  async function writesUtf8(address) {
    let r;
    for (let i = 0; i < 10; i++) {
      r = await admin.request('PATCH', `/api/bodies/${bodyId}`, { json: { address } });
      if (r.status !== 503) break;
    }
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.address, address);
    assert.equal(pg.psql(`SELECT address FROM bodies WHERE id = ${bodyId}`), address);
  }

  test('all is well before anything is cut', async () => {
    assert.equal(await burst(), 0);
    await writesUtf8('北京市海淀区知春路 1 号');
  });

  test('backends terminated: at most one 503 per connection, then everything works, in UTF-8', async (t) => {
    const killed = Number(pg.psql('SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity ' +
      "WHERE datname = 'guanbiao' AND pid <> pg_backend_pid()"));
    assert.equal(killed, connections);
    const unavailable = await untilSettled();
    assert.ok(unavailable >= 1, 'no request noticed the cut');
    t.diagnostic(`${unavailable} answers were 503 for ${connections} connections`);
    assert.ok(unavailable <= connections, `${unavailable} answers were 503 for ${connections} connections`);
    await writesUtf8('广东省深圳市南山区科技园');
  });

  test('PostgreSQL restarted: at most one 503 per connection, then everything works, in UTF-8', async (t) => {
    pg.restart();
    const unavailable = await untilSettled();
    assert.ok(unavailable >= 1, 'no request noticed the restart');
    t.diagnostic(`${unavailable} answers were 503 for ${connections} connections`);
    assert.ok(unavailable <= connections, `${unavailable} answers were 503 for ${connections} connections`);
    await writesUtf8('上海市浦东新区世纪大道 100 号');
  });

  test('PostgreSQL down: 503 database_unavailable at once; back up: everything works', async (t) => {
    pg.halt();
    try {
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        for (const r of [await pub.request('GET', '/healthz'), await pub.request('GET', `/api/bodies/${bodyId}`),
          await admin.request('GET', '/api/session')]) {
          assert.equal(r.status, 503, JSON.stringify(r.body));
          assert.equal(r.body.error.code, 'database_unavailable');
        }
        assert.ok(Date.now() - started < 5000, `answers took ${Date.now() - started} ms`);
      }
    } finally {
      pg.start();
    }
    const unavailable = await untilSettled();
    t.diagnostic(`${unavailable} answers were 503 for ${connections} connections`);
    assert.ok(unavailable <= connections, `${unavailable} answers were 503 for ${connections} connections`);
    await writesUtf8('广东省广州市天河区');
  });
});
