// libsodium is initialised first thing, and guanbiao does not start without it: with a
// sodium_init() that fails (a shared object preloaded in front of libsodium, as a missing
// random source would make it fail), every command exits 1 with a message saying so, before
// it touches the database or listens; with the real one, the same commands run.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, freePort } from '../lib/platform.mjs';

describe('start-up without libsodium', () => {
  let dir;
  let shim;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'guanbiao-sodium-'));
    writeFileSync(join(dir, 'shim.c'), 'int sodium_init(void) { return -1; }\n');
    shim = join(dir, 'nosodium.so');
    execFileSync('cc', ['-shared', '-fPIC', '-o', shim, join(dir, 'shim.c')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** guanbiao ARGS, with or without the failing sodium_init. */
  function run(args, broken) {
    const env = { ...process.env, GUANBIAO_LANG: 'en' };
    if (broken) {
      env.LD_PRELOAD = shim;
      // a sanitized binary wants its runtime first in the library list; the shim only adds a symbol
      env.ASAN_OPTIONS = [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':');
    }
    return spawnSync(binary, args, { env, encoding: 'utf8', timeout: 30000 });
  }

  test('serve, migrate and user refuse to start: exit 1, a message naming libsodium, nothing created', async () => {
    const port = await freePort();
    const commands = [
      ['serve', '--listen', `127.0.0.1:${port}`],
      ['migrate'],
      ['user', 'add', 'someone', '--role', 'admin', '--name', 'Someone'],
    ];
    for (const args of commands) {
      const db = join(dir, `${args[0]}.db`);
      const r = run([...args, '--db', `sqlite:${db}`], true);
      assert.equal(r.status, 1, `${args[0]}: exit ${r.status} ${r.signal || ''}\n${r.stderr}`);
      assert.match(r.stderr, /cannot initialise libsodium/, `${args[0]}: ${r.stderr}`);
      assert.equal(existsSync(db), false, `${args[0]} opened the database`);
    }
  });

  test('with libsodium, the same binary starts', () => {
    const db = join(dir, 'ok.db');
    const r = run(['migrate', '--db', `sqlite:${db}`], false);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /schema version/);
  });
});
