// The effectiveness index, method v1 (issue 10, docs/effectiveness.md "The index (method v1)"),
// from outside: enterprises, certificates and indicator values planted with SQL on an empty
// platform, `guanbiao effectiveness refresh` run, and the stored effectiveness_results rows
// checked against numbers computed by hand below. The fixture (current year ≥ 2026; certified
// 2020: windows 2017–2019 and 2021–2023):
//   peers P1–P5: industry 39 (section C), small, no certificate (P5's first is of 2024, after
//     2020 + 3: still a peer of 2020). 发明专利申请量 9→9, 9→9, 4→9, 4→9, 2→8: changes 0, 0, ln 2,
//     ln 2, ln 3 → median ln 2. 研发投入占营业收入比例 (share, points) 3→3 … 3→7: 0, 1, 2, 3, 4 →
//     median 2.
//   I (improved): applications 4→24: ln 5, adjusted ln 2.5; R&D share 3→8: 5, adjusted 3.
//   L (like its peers): 4→9: ln 2, adjusted 0; 3→5: 2, adjusted 0.
//   F (form only): 9→4: −ln 2, adjusted −2 ln 2; 3→4: 1, adjusted −1 (management not improved).
//   W (too few peers): industry 73 (section M), large, nobody alike: applications 1→3: ln 2,
//     unadjusted (peer level none).
//   MAD of applications over I, L, F, W: adjusted ln 2.5, 0, −2 ln 2, ln 2 → median ln 2 / 2;
//     deviations ln 2.5 − ln 2/2, ln 2/2, 2.5 ln 2, ln 2/2 → MAD (ln 2/2 + ln 2.5 − ln 2/2)/2 =
//     ln 2.5 / 2 = 0.458145. Scaled: I 2, L 0, F −3.026 → −3, W ln 2 / 0.458145 = 1.512942.
//   MAD of the R&D share over I, L, F: 3, 0, −1 → median 0, deviations 3, 0, 1 → MAD 1;
//     scaled 3, 0, −1.
//   I: quality 2, management 3 → 50 + 50/3 × (0.4 × 2 + 0.2 × 3) / 0.6 = 88.888889, 显著提升.
//   L: 50, 无明显变化. F: 50 + 50/3 × (0.4 × −3 + 0.2 × −1) / 0.6 = 11.111111, 下降, form only.
//   W: 50 + 50/3 × 1.512942 = 75.215705, peer level none. Every grade C (≤ 2 of 21 present).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, runCli, Client } from '../lib/platform.mjs';
import { checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const LN2 = Math.log(2);
const close = (actual, expected, what, eps = 1e-6) =>
  assert.ok(Math.abs(Number(actual) - expected) <= eps, `${what}: ${actual}, expected ${expected}`);

describe('effectiveness method v1', () => {
  let server;
  const ids = {};

  /** One enterprise: name, industry division, size; its id. */
  function enterprise(name, industry, size, serial) {
    const code = makeCode('110108', 60000 + serial);
    rows(server, `INSERT INTO enterprises (name, credit_code, region, industry, size, created_at)
      VALUES ('${name}', '${code}', '110108', '${industry}', '${size}', 0)`);
    ids[name] = Number(rows(server, `SELECT id FROM enterprises WHERE credit_code = '${code}'`)[0][0]);
    return ids[name];
  }
  function certificate(number, enterpriseId, bodyId, issued) {
    rows(server, `INSERT INTO certificates (number, enterprise_id, body_id, standard, issued, expires, status,
      status_changed, created_at, updated_at) VALUES ('${number}', ${enterpriseId}, ${bodyId}, 'GB/T 29490-2013',
      '${issued}', '2099-12-31', 'valid', '${issued}', 0, 0)`);
  }
  /** Values of indicator `code` for the enterprise: `before` in 2017–2019, `after` in 2021–2023. */
  function flat(name, code, beforeValue, afterValue) {
    const values = [2017, 2018, 2019].map((y) => [y, beforeValue]).concat([2021, 2022, 2023].map((y) => [y, afterValue]));
    rows(server, 'INSERT INTO indicator_values (enterprise_id, indicator_id, year, value, source, updated_at) VALUES ' +
      values.map(([y, v]) => `(${ids[name]}, (SELECT id FROM indicators WHERE code = '${code}'), ${y}, ${v}, 'seed', 0)`)
        .join(', '));
  }
  const result = (name) => {
    const r = rows(server, `SELECT certified_year, COALESCE(body_id, 0), index_value, quality, benefit, management,
      verdict, grade, form_only, indicators_present, indicators_verified, peer_level, detail, method
      FROM effectiveness_results WHERE enterprise_id = ${ids[name]}`);
    if (r.length === 0) return null;
    const [year, body, index, quality, benefit, management, verdict, grade, formOnly, present, verified, level,
      detail, method] = r[0];
    return { year: Number(year), body: Number(body), index: index === '' ? null : Number(index),
      quality: quality === '' ? null : Number(quality), benefit: benefit === '' ? null : Number(benefit),
      management: management === '' ? null : Number(management), verdict, grade, formOnly: Number(formOnly),
      present: Number(present), verified: Number(verified), level, detail: JSON.parse(detail), method };
  };
  const indicator = (r, code) => r.detail.find((d) => d.code === code);
  const refresh = () => {
    const run = runCli(['effectiveness', 'refresh', '--db', server.db]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    return JSON.parse(run.stdout);
  };

  let bodyA, bodyB;
  before(async () => {
    server = await startPlatform({ seed: false });
    rows(server, `INSERT INTO bodies (name, credit_code, code, created_at) VALUES
      ('认证甲', '${makeCode('110108', 69001)}', '971', 0), ('认证乙', '${makeCode('110108', 69002)}', '972', 0)`);
    bodyA = Number(rows(server, "SELECT id FROM bodies WHERE code = '971'")[0][0]);
    bodyB = Number(rows(server, "SELECT id FROM bodies WHERE code = '972'")[0][0]);
    const peers = [[9, 9], [9, 9], [4, 9], [4, 9], [2, 8]];
    peers.forEach(([b, a], k) => {
      enterprise(`P${k + 1}`, '39', 'small', k + 1);
      flat(`P${k + 1}`, 'invention_applications', b, a);
      flat(`P${k + 1}`, 'rnd_share', 3, 3 + k);
    });
    certificate('97124IP0001R0S', ids.P5, bodyA, '2024-05-01');
    enterprise('I', '39', 'small', 11);
    flat('I', 'invention_applications', 4, 24);
    flat('I', 'rnd_share', 3, 8);
    enterprise('L', '39', 'small', 12);
    flat('L', 'invention_applications', 4, 9);
    flat('L', 'rnd_share', 3, 5);
    enterprise('F', '39', 'small', 13);
    flat('F', 'invention_applications', 9, 4);
    flat('F', 'rnd_share', 3, 4);
    enterprise('W', '73', 'large', 14);
    flat('W', 'invention_applications', 1, 3);
    for (const [k, name] of ['I', 'L', 'F', 'W'].entries()) certificate(`97120IP000${k + 2}R0S`, ids[name], bodyA, '2020-06-30');
    // F's later certificate from another body does not move its certified year or body
    certificate('97223IP0009R1S', ids.F, bodyB, '2023-06-30');
    // I's 2022 R&D share verified by its body, and every value of L's applications
    rows(server, `UPDATE indicator_values SET verified_by_body = ${bodyA}, verified_at = 0 WHERE enterprise_id = ${ids.L}
      AND indicator_id = (SELECT id FROM indicators WHERE code = 'invention_applications')`);
    rows(server, `UPDATE indicator_values SET verified_by_body = ${bodyA}, verified_at = 0 WHERE enterprise_id = ${ids.I}
      AND year = 2022 AND indicator_id = (SELECT id FROM indicators WHERE code = 'rnd_share')`);
  });
  after(async () => { await server?.stop(); });

  test('the CLI evaluates every certified enterprise and records the run', () => {
    rows(server, "DELETE FROM jobs WHERE kind = 'ranking_refresh' AND state <> 'running'");
    const out = refresh();
    assert.deepEqual(Object.keys(out).sort(), ['duration_ms', 'evaluated']);
    assert.equal(out.evaluated, 5);      // I, L, F, W and P5 (certified 2024)
    assert.ok(Number.isInteger(out.duration_ms) && out.duration_ms >= 0);
    const [[method, evaluated]] = rows(server, 'SELECT method, evaluated FROM effectiveness_runs WHERE id = 1');
    assert.equal(method, 'v1');
    assert.equal(Number(evaluated), 5);
    assert.equal(Number(rows(server, 'SELECT COUNT(*) FROM effectiveness_results')[0][0]), 5);
    // the ranking of bodies follows the outcomes (queued, or already taken by the server's runner)
    assert.ok(Number(rows(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'ranking_refresh'")[0][0]) >= 1);
  });

  test('the improved enterprise: every step as computed by hand', () => {
    const r = result('I');
    assert.equal(r.method, 'v1');
    assert.equal(r.year, 2020);
    assert.equal(r.body, bodyA);
    const apps = indicator(r, 'invention_applications');
    close(apps.before, 4, 'before');
    close(apps.after, 24, 'after');
    assert.equal(apps.years_before, 3);
    assert.equal(apps.years_after, 3);
    close(apps.change, Math.log(5), 'change ln 5');
    close(apps.peer_median, LN2, 'peer median ln 2');
    assert.equal(apps.peers, 5);
    assert.equal(apps.peer_level, 'industry');
    close(apps.adjusted, Math.log(2.5), 'adjusted ln 2.5');
    close(apps.mad, Math.log(2.5) / 2, 'MAD');
    close(apps.scaled, 2, 'scaled');
    assert.equal(apps.category, 'quality');
    assert.equal(apps.name, '发明专利申请量');
    const rnd = indicator(r, 'rnd_share');
    close(rnd.change, 5, 'share change in points');
    close(rnd.peer_median, 2, 'share peer median');
    close(rnd.adjusted, 3, 'share adjusted');
    close(rnd.mad, 1, 'share MAD');
    close(rnd.scaled, 3, 'share scaled');
    assert.equal(rnd.verified, false);      // one of six values verified is not enough
    close(r.quality, 2, 'quality');
    assert.equal(r.benefit, null);           // no benefit indicator: the weights renormalise
    close(r.management, 3, 'management');
    close(r.index, 50 + (50 / 3) * (0.4 * 2 + 0.2 * 3) / 0.6, 'index 88.888889');
    assert.equal(r.verdict, 'significant_improvement');
    assert.equal(r.grade, 'C');
    assert.equal(r.formOnly, 0);
    assert.equal(r.present, 2);
    assert.equal(r.verified, 0);
    assert.equal(r.level, 'industry');
    // every catalogue indicator is listed; the missing ones with nulls
    assert.equal(r.detail.length, 21);
    const missing = indicator(r, 'pct_applications');
    for (const k of ['before', 'after', 'change', 'peer_median', 'adjusted', 'mad', 'scaled']) assert.equal(missing[k], null, k);
    assert.equal(missing.peers, 0);
    assert.deepEqual(Object.keys(apps).sort(), ['adjusted', 'after', 'before', 'category', 'change', 'code', 'kind',
      'lower_is_better', 'mad', 'name', 'name_en', 'peer_level', 'peer_median', 'peers', 'scaled', 'unit', 'verified',
      'years_after', 'years_before'].sort());
  });

  test('like its peers, form only, too few peers', () => {
    const l = result('L');
    close(indicator(l, 'invention_applications').adjusted, 0, 'L adjusted');
    assert.equal(indicator(l, 'invention_applications').verified, true);
    close(l.index, 50, 'L index');
    assert.equal(l.verdict, 'no_change');
    assert.equal(l.verified, 1);
    assert.equal(l.formOnly, 0);

    const f = result('F');
    assert.equal(f.year, 2020);
    assert.equal(f.body, bodyA);
    close(indicator(f, 'invention_applications').adjusted, -2 * LN2, 'F adjusted');
    close(indicator(f, 'invention_applications').scaled, -3, 'F clipped');
    close(indicator(f, 'rnd_share').scaled, -1, 'F share scaled');
    close(f.index, 50 + (50 / 3) * (0.4 * -3 + 0.2 * -1) / 0.6, 'F index 11.111111');
    assert.equal(f.verdict, 'decline');
    assert.equal(f.formOnly, 1);

    const w = result('W');
    const apps = indicator(w, 'invention_applications');
    assert.equal(apps.peer_level, 'none');
    assert.equal(apps.peer_median, null);
    assert.equal(apps.peers, 0);
    close(apps.adjusted, LN2, 'W unadjusted');
    close(apps.scaled, LN2 / (Math.log(2.5) / 2), 'W scaled 1.512942');
    close(w.index, 50 + (50 / 3) * (LN2 / (Math.log(2.5) / 2)), 'W index 75.215705');
    assert.equal(w.level, 'none');
    assert.equal(w.grade, 'C');
    assert.equal(w.formOnly, 0);

    const p5 = result('P5');   // certified 2024: no "after" values yet
    assert.equal(p5.year, 2024);
    assert.equal(p5.index, null);
    assert.equal(p5.verdict, '');
    assert.equal(p5.grade, '');
    assert.equal(p5.present, 0);
    assert.equal(result('P1'), null);   // never certified: not evaluated
  });

  test('a changed value and a new certificate recompute; the run replaces every row', () => {
    // L's applications after certification rise to 19: ln(20/5) = ln 4, adjusted ln 2
    rows(server, `UPDATE indicator_values SET value = 19 WHERE enterprise_id = ${ids.L} AND year >= 2021
      AND indicator_id = (SELECT id FROM indicators WHERE code = 'invention_applications')`);
    refresh();
    close(indicator(result('L'), 'invention_applications').adjusted, LN2, 'L adjusted after the change');
    rows(server, `DELETE FROM certificates WHERE enterprise_id = ${ids.W}`);
    refresh();
    assert.equal(result('W'), null, 'a row of an enterprise no longer certified is gone');
  });

  test('a certificate issued through the import queues the effectiveness job once', () => {
    rows(server, "DELETE FROM jobs WHERE kind = 'effectiveness_refresh'");
    const dir = mkdtempSync(join(tmpdir(), 'guanbiao-eff-'));
    try {
      const path = join(dir, 'certs.csv');
      const code = makeCode('110108', 60001);   // P1
      writeFileSync(path, 'number,holder_credit_code,body_code,standard,scope_areas,scope_stages,issued,expires\r\n' +
        `97125IP0100R0S,${code},971,GB/T 29490-2023,acquisition,research,2025-03-01,2028-02-28\r\n` +
        `97125IP0101R0S,${code},971,GB/T 29490-2023,acquisition,research,2025-04-01,2028-03-31\r\n`);
      const run = runCli(['import', 'certificates', path, '--db', server.db]);
      assert.equal(run.status, 0, run.stderr + run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // one transaction for the file: one job (queued, or already taken by the server's runner)
    assert.equal(Number(rows(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'effectiveness_refresh'")[0][0]), 1);
  });

  test("the server's job runner runs it: P1, certified in 2025, is evaluated", async () => {
    const deadline = Date.now() + 30000;
    while (result('P1') === null) {
      assert.ok(Date.now() < deadline, 'the effectiveness job did not run');
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const p1 = result('P1');
    assert.equal(p1.year, 2025);
    assert.equal(p1.index, null);       // no value after 2025 yet
    // certified in 2025, after 2020 + 3: still a peer of the enterprises certified in 2020
    assert.equal(indicator(result('I'), 'invention_applications').peers, 5);
    const [[state]] = rows(server, "SELECT state FROM jobs WHERE kind = 'effectiveness_refresh'");
    assert.ok(['running', 'done'].includes(state), state);
  });

  test('the platform answers while results are stored', async () => {
    const r = await new Client(server.url).request('GET', '/healthz');
    assert.equal(r.status, 200);
  });
});
