// What public verification promises, under concurrent requests (docs/registry.md; issue 6):
// every rule that guards a certificate's state is checked inside the write, so changes sent
// at the same time cannot both apply from the same starting point. After each round, public
// verification agrees with the history, a withdrawn certificate stays withdrawn, and the
// history has exactly one entry per change that succeeded. The same for renames (the former
// name recorded is the one replaced) and for the unique CNCA approval number. Run on SQLite
// and, with GUANBIAO_TEST_DB=postgres, on PostgreSQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

const today = () => new Date().toISOString().slice(0, 10);
const ok = (r) => r.status === 200 || r.status === 201;
/** A refused concurrent change: 409, either because the write found the row changed, or
 *  because it read the row after the other change and the transition was no longer allowed. */
function assertLost(r, note) {
  assert.equal(r.status, 409, `${note}: ${r.status} ${JSON.stringify(r.body)}`);
  assert.ok(['changed_concurrently', 'invalid_transition'].includes(r.body.error.code), `${note}: ${JSON.stringify(r.body)}`);
  assertError(r, 409, r.body.error.code);
}

describe('integrity under concurrent requests', () => {
  let server, pub, admin, body;
  let holder;
  let serial = 0;

  const issue = async (over = {}) => {
    const r = await body.request('POST', '/api/certificates', {
      json: {
        number: `84026IP7${String(++serial).padStart(5, '0')}R0M`, holder_credit_code: holder, standard: 'GB/T 29490-2023',
        scope: '并发测试', scope_areas: ['acquisition'], scope_stages: ['research'], issued: today(), ...over,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.number;
  };
  const setStatus = (number, status, reason) =>
    body.request('POST', `/api/certificates/${number}/status`, { json: { status, reason } });
  const history = async (number) => {
    const r = await body.request('GET', `/api/certificates/${number}/history`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items;
  };
  const verify = async (number) => {
    const r = await pub.request('GET', `/api/certificates/${number}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  /** The status entries form one chain: each starts where the one before ended. */
  function assertChain(items, note) {
    const statuses = items.filter((e) => (e.kind ?? 'status') === 'status');
    assert.equal(statuses[0].from, '', `${note}: issued from nothing`);
    for (let k = 1; k < statuses.length; k++) {
      assert.equal(statuses[k].from, statuses[k - 1].to, `${note}: entry ${k} ${JSON.stringify(statuses)}`);
    }
    return statuses;
  }

  before(async () => {
    server = await startPlatform({ threads: 2 });
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    body = await signedIn(server.url, 'body');
    holder = makeCode('440305', 6161);
    const r = await admin.request('POST', '/api/enterprises', {
      json: { name: '并发测试科技有限公司', credit_code: holder, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('20 pairs of withdraw + reinstate sent together: a withdrawn certificate never verifies as valid', async () => {
    for (let i = 0; i < 20; i++) {
      const number = await issue();
      assert.equal((await setStatus(number, 'suspended', '监督审核暂停')).status, 200);
      const [w, r] = await Promise.all([setStatus(number, 'withdrawn', '撤销证书'), setStatus(number, 'valid', '恢复证书')]);
      const note = `pair ${i} (${number}): withdraw ${w.status}, reinstate ${r.status}`;
      // an answer shows the certificate after its change: as it made it, or as a later change left it
      if (ok(w)) assert.equal(w.body.status, 'withdrawn', note); else assertLost(w, note);
      if (ok(r)) assert.ok(['valid', 'withdrawn'].includes(r.body.status), note); else assertLost(r, note);
      assert.ok(ok(w) || ok(r), `${note}: one of them applies`);
      const items = await history(number);
      const statuses = assertChain(items, note);
      // issue, suspend, then one entry per change that succeeded
      assert.equal(statuses.length, 2 + [w, r].filter(ok).length, `${note}: ${JSON.stringify(statuses)}`);
      const shown = await verify(number);
      assert.equal(shown.status, statuses.at(-1).to, `${note}: verification agrees with the history`);
      if (ok(w)) {
        assert.equal(shown.status, 'withdrawn', `${note}: withdrawn stays withdrawn`);
        assertError(await setStatus(number, 'valid', '再次恢复'), 409, 'invalid_transition', 'status');
        assert.equal((await verify(number)).status, 'withdrawn', note);
      }
    }
  });

  test('the same change sent 10 times at once applies once and is recorded once', async () => {
    for (const [to, reason] of [['suspended', '同时暂停'], ['valid', '同时恢复'], ['withdrawn', '同时撤销']]) {
      const number = await issue();
      if (to === 'valid') assert.equal((await setStatus(number, 'suspended', '先暂停')).status, 200);
      const answers = await Promise.all(Array.from({ length: 10 }, () => setStatus(number, to, reason)));
      const note = `${to} ×10 (${number}): ${answers.map((a) => a.status).join(' ')}`;
      assert.equal(answers.filter(ok).length, 1, note);
      for (const a of answers) if (!ok(a)) assertLost(a, note);
      const statuses = assertChain(await history(number), note);
      assert.equal(statuses.filter((e) => e.to === to && e.reason === reason).length, 1, `${note}: ${JSON.stringify(statuses)}`);
      assert.equal(statuses.at(-1).to, to, note);
      assert.equal((await verify(number)).status, to, note);
    }
  });

  test('10 expiry changes at once: one history entry per change applied, and they chain', async () => {
    const number = await issue();
    const original = (await verify(number)).expires;
    const dates = Array.from({ length: 10 }, (_, i) => `2031-0${1 + (i % 9)}-${String(10 + i).padStart(2, '0')}`);
    const answers = await Promise.all(dates.map((expires) => body.request('PATCH', `/api/certificates/${number}`, { json: { expires } })));
    const note = `expiry ×10: ${answers.map((a) => a.status).join(' ')}`;
    assert.ok(answers.some(ok), note);
    for (const a of answers) if (!ok(a)) assertError(a, 409, 'changed_concurrently', undefined, note);
    const expiry = (await history(number)).filter((e) => e.kind === 'expiry');
    assert.equal(expiry.length, answers.filter(ok).length, `${note}: ${JSON.stringify(expiry)}`);
    assert.equal(expiry[0].expires_from, original, note);
    for (let k = 1; k < expiry.length; k++) assert.equal(expiry[k].expires_from, expiry[k - 1].expires_to, note);
    for (const e of expiry) assert.ok(dates.includes(e.expires_to), e.expires_to);
    const shown = await verify(number);
    assert.equal(shown.expires, expiry.at(-1).expires_to, `${note}: verification agrees with the history`);
    assert.equal(shown.status, 'valid');
  });

  test('an expiry change and a withdrawal sent together: nothing revives or edits a withdrawn certificate', async () => {
    for (let i = 0; i < 10; i++) {
      const number = await issue();
      const original = (await verify(number)).expires;
      const [p, w] = await Promise.all([
        body.request('PATCH', `/api/certificates/${number}`, { json: { expires: '2035-06-30', scope: '撤销前的修改' } }),
        setStatus(number, 'withdrawn', '撤销证书'),
      ]);
      const note = `pair ${i} (${number}): patch ${p.status}, withdraw ${w.status}`;
      assert.equal(w.status, 200, note);
      if (!ok(p)) assert.ok(['changed_concurrently', 'certificate_final'].includes(p.body.error.code), `${note}: ${JSON.stringify(p.body)}`);
      const items = await history(number);
      const statuses = assertChain(items, note);
      assert.equal(statuses.length, 2, note);
      const at = items.findIndex((e) => e.to === 'withdrawn' && (e.kind ?? 'status') === 'status');
      assert.ok(items.slice(at + 1).every((e) => e.kind !== 'expiry'), `${note}: no change after the withdrawal ${JSON.stringify(items)}`);
      const shown = await verify(number);
      assert.equal(shown.status, 'withdrawn', note);
      assert.equal(shown.expires, ok(p) ? '2035-06-30' : original, note);
      assert.equal(items.filter((e) => e.kind === 'expiry').length, ok(p) ? 1 : 0, note);
      assertError(await body.request('PATCH', `/api/certificates/${number}`, { json: { expires: '2036-01-01' } }), 409, 'certificate_final');
    }
  });

  test('10 renames of an enterprise and of a body at once: each former name is the name it replaced', async () => {
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: '改名前的企业有限公司', credit_code: makeCode('440305', 6162), region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const b = await admin.request('POST', '/api/bodies', {
      json: { name: '改名前的认证机构有限公司', credit_code: makeCode('110108', 6163), code: '977', approval_number: 'CNCA-R-2024-977' },
    });
    assert.equal(b.status, 201, JSON.stringify(b.body));
    for (const [path, original] of [[`/api/enterprises/${e.body.id}`, e.body.name], [`/api/bodies/${b.body.id}`, b.body.name]]) {
      const names = Array.from({ length: 10 }, (_, i) => `同时改名${i}号有限公司`);
      const answers = await Promise.all(names.map((name) => admin.request('PATCH', path, { json: { name } })));
      const note = `${path}: ${answers.map((a) => a.status).join(' ')}`;
      assert.ok(answers.some(ok), note);
      for (const a of answers) if (!ok(a)) assertError(a, 409, 'changed_concurrently', undefined, note);
      const now = await admin.request('GET', path);
      const former = now.body.former_names;
      assert.equal(former.length, answers.filter(ok).length, `${note}: ${JSON.stringify(former)}`);
      assert.equal(former.at(-1).name, original, `${note}: the oldest former name is the first name`);
      const all = [now.body.name, ...former.map((f) => f.name)];
      assert.equal(new Set(all).size, all.length, `${note}: no name recorded twice ${JSON.stringify(all)}`);
      // (the names asked for: an answer shows the name after its own rename, or a later one)
      assert.deepEqual([...all].sort(), [original, ...names.filter((_, i) => ok(answers[i]))].sort(), note);
      for (const f of former) assert.equal(f.until, today());
    }
  });

  test('two bodies registered at once with the same CNCA approval number: one is refused', async () => {
    const make = (i) => admin.request('POST', '/api/bodies', {
      json: { name: `同号认证机构${i}有限公司`, credit_code: makeCode('110108', 6170 + i), code: String(980 + i), approval_number: 'CNCA-R-2025-SAME', cnas_number: `CNAS C98${i}-M` },
    });
    const answers = await Promise.all([0, 1, 2, 3].map(make));
    assert.equal(answers.filter(ok).length, 1, answers.map((a) => a.status).join(' '));
    for (const a of answers) if (!ok(a)) assertError(a, 409, 'approval_number_taken', 'approval_number');
    const listed = await pub.request('GET', '/api/bodies?per_page=100&q=CNCA-R-2025-SAME');
    assert.equal(listed.body.total, 1);
  });
});
