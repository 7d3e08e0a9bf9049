// A crash leaves no lock-out behind. Sign-ins in flight when the server is killed (SIGKILL,
// no chance to clean up) must count nowhere once it restarts on the same database: the right
// password works at once, and an account's whole allowance of simultaneous attempts is there
// again. (Attempts in flight are counted in the node's memory; only failures are stored.)
// On the database under test (GUANBIAO_TEST_DB=postgres for PostgreSQL).
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startPlatform, startServer, testDbKind, Client, demoPassword } from '../lib/platform.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** POST /api/session; resolves to the status, or 'reset' when the connection died unanswered. */
function signIn(url, login, password) {
  return fetch(url + '/api/session', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }),
  }).then(async (res) => { await res.text(); return res.status; }, () => 'reset');
}

describe(`throttle after a crash (${testDbKind})`, () => {
  const cleanups = [];
  after(async () => {
    let failure = null;
    for (const f of cleanups.reverse()) await f().catch((e) => { failure ??= e; });
    if (failure) throw failure;
  });

  test('kill -9 with sign-ins in flight, restart on the same database: the right password works at once', async (t) => {
    const first = await startPlatform();
    const exited = new Promise((r) => first.child.once('exit', r));
    cleanups.push(async () => {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
      await exited;
      // the harness checks that it died of our SIGKILL (and stops its PostgreSQL); the SQLite
      // file, which the second server used, goes afterwards
      await first.stop({ expectKilled: true, keepData: true });
      if (!first.pg) rmSync(dirname(first.db.replace(/^sqlite:/, '')), { recursive: true, force: true });
    });

    // an account's whole allowance of simultaneous attempts (5), each hashing for ~0.1 s or
    // more on the worker pool; kill the node while they are at it
    const firing = Array.from({ length: 5 }, () => signIn(first.url, 'enterprise', demoPassword));
    await sleep(60);
    first.child.kill('SIGKILL');
    await exited;
    const statuses = await Promise.all(firing);
    t.diagnostic(`answers before the kill: ${statuses.join(' ')}`);
    assert.ok(statuses.includes('reset'), `the kill came after every answer (${statuses.join(' ')}): nothing was in flight`);

    const second = await startServer({ db: first.db, seed: false });
    cleanups.push(async () => assert.equal(await second.stop(), 0, 'exit code after the restart'));
    // at once: no wait, no 429
    const r = await new Client(second.url).signIn('enterprise', demoPassword);
    assert.equal(r.status, 200, `after the restart: ${r.status} ${JSON.stringify(r.body)} (Retry-After ${r.headers.get('retry-after')})`);
    // and the whole allowance is there: five at once all go through
    const again = await Promise.all(Array.from({ length: 5 }, () => signIn(second.url, 'enterprise', demoPassword)));
    assert.deepEqual(again, [200, 200, 200, 200, 200]);
  });
});
