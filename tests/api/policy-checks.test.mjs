// The fair-policy checker from outside (docs/policies.md "Rules and the checker"; PRODUCT.md's
// contract of POST /api/policy-checks): the answer's shape exactly; offsets in Unicode
// characters of the text sent, through astral and full-width characters; the corpus of
// tests/policy/corpus.json checked through the API with precision and recall per rule (failing
// under 0.9 for either); who may check; bad texts; the rule set as versioned data: a bad pattern
// is refused naming it and saves nothing, a new rule R5 takes effect on the next check, saves at
// once get distinct versions, each save is audited.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlatform, startServer, testDbKind, Client, root } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';

checkEveryAnswer();

const corpus = JSON.parse(readFileSync(join(root, 'tests/policy/corpus.json'), 'utf8')).passages;
const RULES = ['R1', 'R2', 'R3', 'R4'];
const FINDING_KEYS = ['rule', 'severity', 'start', 'end', 'excerpt', 'explanation'];
const chars = (s) => Array.from(s);   // code points, as the contract counts

describe('policy checks', () => {
  let server, pub, admin, regulator, regional, enterprise, body;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    regional = await signedIn(server.url, 'regulator-gd');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  async function check(text, client = regulator) {
    const r = await client.request('POST', '/api/policy-checks', { json: { text } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  test('the contract: {"findings":[{rule, severity, start, end, excerpt, explanation}]} and nothing else', async () => {
    const text = '为规范专项资金管理，制定本办法。申报省级示范企业，须通过知识产权管理体系认证方可申报。';
    const answer = await check(text);
    assert.deepEqual(Object.keys(answer), ['findings']);
    assert.equal(answer.findings.length, 1);
    const f = answer.findings[0];
    assert.deepEqual(Object.keys(f), FINDING_KEYS);
    assert.equal(f.rule, 'R1');
    assert.equal(f.severity, 'high');
    assert.equal(f.start, 16);
    assert.equal(f.end, 43);
    assert.equal(f.excerpt, '申报省级示范企业，须通过知识产权管理体系认证方可申报。');
    assert.match(f.explanation, /通知第三点/);
    const en = new Client(server.url, { lang: 'en' });
    Object.assign(en, { cookie: regulator.cookie, csrf: regulator.csrf });
    const english = await check(text, en);
    assert.match(english.findings[0].explanation, /Point 三 of the notice/);
    assert.deepEqual(await check('鼓励企业自愿开展贯标认证。'), { findings: [] });
  });

  test('offsets are Unicode characters of the text sent: astral, full-width and line-broken text', async () => {
    const text = '𠀀𠀁𩸽附则。\r\n申报企业须通过ＧＢ／Ｔ　２９４９０\n知识产权管理体系认证方可申报。𠀂';
    const answer = await check(text);
    assert.equal(answer.findings.length, 1);
    const f = answer.findings[0];
    assert.equal(f.start, 8);
    assert.equal(f.end, 41);
    assert.equal(f.excerpt, chars(text).slice(f.start, f.end).join(''));
    assert.equal(f.excerpt, '申报企业须通过ＧＢ／Ｔ　２９４９０\n知识产权管理体系认证方可申报。');
  });

  test('the corpus: precision and recall per rule at least 0.9 (long passages: the span too)', async () => {
    assert.ok(corpus.length >= 80, `${corpus.length} passages`);
    assert.ok(corpus.filter((p) => chars(p.text).length >= 1000 && p.span).length >= 4);
    const counts = Object.fromEntries(RULES.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
    const wrong = [];
    for (const p of corpus) {
      const { findings } = await check(p.text);
      for (const f of findings) {
        assert.deepEqual(Object.keys(f), FINDING_KEYS);
        assert.equal(f.excerpt, chars(p.text).slice(f.start, f.end).join(''), `${p.id}: excerpt is the span`);
      }
      const got = new Set(findings.map((f) => f.rule));
      if (p.span) {   // a long passage: the finding must be the expected sentence
        const hit = findings.some((f) => f.rule === p.span.rule && f.start === p.span.start && f.end === p.span.end);
        if (!hit) got.delete(p.span.rule);
        for (const f of findings)
          if (f.rule === p.span.rule && !hit) wrong.push(`${p.id}: ${f.rule} at ${f.start}-${f.end}, want ${p.span.start}-${p.span.end}`);
      }
      const want = new Set(p.rules);
      for (const r of RULES) {
        if (got.has(r) && want.has(r)) counts[r].tp++;
        else if (got.has(r)) { counts[r].fp++; wrong.push(`${p.id}: ${r} found, not labelled: ${p.text.slice(0, 50)}`); }
        else if (want.has(r)) { counts[r].fn++; wrong.push(`${p.id}: ${r} missed: ${p.text.slice(0, 50)}`); }
      }
    }
    const lines = [];
    for (const r of RULES) {
      const { tp, fp, fn } = counts[r];
      const precision = tp + fp ? tp / (tp + fp) : 1;
      const recall = tp + fn ? tp / (tp + fn) : 1;
      counts[r].precision = precision;
      counts[r].recall = recall;
      lines.push(`${r}: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    }
    console.log(`policy corpus, ${corpus.length} passages:\n  ` + lines.join('\n  ') +
      (wrong.length ? '\n  disagreements:\n    ' + wrong.join('\n    ') : ''));
    for (const r of RULES) {
      assert.ok(counts[r].tp > 0, `${r}: the corpus has violations of it`);
      assert.ok(counts[r].precision >= 0.9, `${r} precision ${counts[r].precision}`);
      assert.ok(counts[r].recall >= 0.9, `${r} recall ${counts[r].recall}`);
    }
  });

  test('who may check: regulators (any region) and admins; enterprises and bodies 403, the public 401', async () => {
    const json = { text: '须通过贯标认证方可申报。' };
    for (const c of [admin, regulator, regional]) {
      const r = await c.request('POST', '/api/policy-checks', { json });
      assert.equal(r.status, 200);
      assert.equal(r.body.findings.length, 1);
    }
    for (const c of [enterprise, body]) {
      assertError(await c.request('POST', '/api/policy-checks', { json }), 403, 'forbidden');
      assertError(await c.request('GET', '/api/policy-rules'), 403, 'forbidden');
    }
    assertError(await pub.request('POST', '/api/policy-checks', { json }), 401, 'unauthenticated');
    assertError(await pub.request('GET', '/api/policy-rules/versions'), 401, 'unauthenticated');
  });

  test('bad texts are refused, naming the field text', async () => {
    const post = (json) => regulator.request('POST', '/api/policy-checks', { json });
    assertError(await post({}), 400, 'missing_field', 'text');
    assertError(await post({ text: '' }), 400, 'blank_field', 'text');
    assertError(await post({ text: ' \n\t ' }), 400, 'blank_field', 'text');
    assertError(await post({ text: 42 }), 400, 'wrong_type', 'text');
    assertError(await post({ text: '须通过贯标认证', lang: 'en' }), 400, 'unknown_field', 'lang');
    assertError(await post({ text: '贯'.repeat(349526) }), 400, 'policy_text_too_long', 'text');   // 1,048,578 bytes
    const r = await post({ text: '贯'.repeat(349525) });   // 1,048,575 bytes: accepted
    assert.equal(r.status, 200);
  });

  test('the rule set as data: read, refused when a pattern is bad (nothing saved), a new rule R5 at once', async () => {
    const current = await regulator.request('GET', '/api/policy-rules');
    assert.equal(current.status, 200);
    assert.equal(current.body.version, 1);
    assert.equal(current.body.created_by, null);
    assert.deepEqual(current.body.rules.map((r) => r.code), RULES);
    assert.ok(current.body.rules.every((r) => r.notice_point === '三' && r.explanation.zh.includes('通知第三点')));
    assert.ok(current.body.negations.includes('不得'));

    const bad = structuredClone(current.body);
    bad.rules[2].patterns[0].match = '(认证机构';
    const refused = await admin.request('PUT', '/api/policy-rules', { json: bad });
    assertError(refused, 400, 'policy_rule_invalid', 'rules[2].patterns[0].match');
    assert.match(refused.body.error.message, /rules\[2\]\.patterns\[0\]\.match/);
    const dup = structuredClone(current.body);
    dup.rules[1].code = 'R1';
    assertError(await admin.request('PUT', '/api/policy-rules', { json: dup }), 400, 'policy_rule_invalid', 'rules[1].code');
    const noRules = { negations: ['不得'], rules: [] };
    assertError(await admin.request('PUT', '/api/policy-rules', { json: noRules }), 400, 'policy_rule_invalid', 'rules');
    let versions = await regulator.request('GET', '/api/policy-rules/versions');
    assert.deepEqual(versions.body.items.map((v) => v.version), [1], 'nothing saved');

    // a regional regulator reads the rules but may not change them
    assert.equal((await regional.request('GET', '/api/policy-rules')).status, 200);
    assertError(await regional.request('PUT', '/api/policy-rules', { json: current.body }), 403, 'policy_rules_national_only');

    const text = '各地不得限制外地认证机构进入本地市场。限制外地认证机构在本市开展业务。';
    assert.deepEqual((await check(text)).findings, []);
    const next = structuredClone(current.body);
    next.note = '增加 R5：限制外地认证机构';
    next.rules.push({
      code: 'R5', severity: 'low', notice_point: '三',
      title: { zh: '限制外地认证机构', en: 'Bodies from elsewhere kept out' },
      explanation: { zh: '通知第三点：支持认证机构通过升级高标准服务赢得市场。此处限制外地认证机构。',
        en: 'Point 三 of the notice: bodies win the market by their service. Here bodies from elsewhere are kept out.' },
      patterns: [{ match: '限制外地{body}' }],
    });
    const saved = await regulator.request('PUT', '/api/policy-rules', { json: next });   // the national regulator
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.equal(saved.body.version, 2);
    assert.equal(saved.body.note, '增加 R5：限制外地认证机构');
    assert.equal(saved.body.created_by, 'regulator');
    assert.deepEqual(saved.body.rules.map((r) => r.code), [...RULES, 'R5']);

    const found = (await check(text)).findings;
    assert.deepEqual(found.map((f) => [f.rule, f.severity, f.start, f.end, f.excerpt]),
      [['R5', 'low', 19, 35, '限制外地认证机构在本市开展业务。']]);
    assert.match(found[0].explanation, /限制外地认证机构/);

    const old = await regulator.request('GET', '/api/policy-rules?version=1');
    assert.deepEqual(old.body.rules.map((r) => r.code), RULES);
    assertError(await regulator.request('GET', '/api/policy-rules?version=99'), 404, 'policy_ruleset_not_found');
    versions = await regulator.request('GET', '/api/policy-rules/versions');
    assert.deepEqual(versions.body.items.map((v) => [v.version, v.rules, v.created_by]), [[2, 5, 'regulator'], [1, 4, null]]);

    const audit = await admin.request('GET', '/api/audit?action=policy_ruleset.&per_page=100');
    assert.equal(audit.status, 200);
    const entries = audit.body.items.filter((e) => e.entity === 'policy_ruleset');
    assert.deepEqual(entries.map((e) => [e.entity_id, e.actor.login]), [['2', 'regulator'], ['1', '']]);
    assert.deepEqual(entries[0].after, { version: 2, rules: 5, note: '增加 R5：限制外地认证机构' });
  });

  test('saves at once get distinct versions, and the newest is current', async () => {
    const current = (await admin.request('GET', '/api/policy-rules')).body;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      admin.request('PUT', '/api/policy-rules', { json: { ...current, note: `并发 ${i}` } })));
    for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
    const saved = answers.map((a) => a.body.version).sort((a, b) => a - b);
    assert.deepEqual(saved, [3, 4, 5, 6, 7, 8]);
    const now = (await admin.request('GET', '/api/policy-rules')).body;
    assert.equal(now.version, 8);
    const versions = (await admin.request('GET', '/api/policy-rules/versions')).body.items;
    assert.deepEqual(versions.map((v) => v.version), [8, 7, 6, 5, 4, 3, 2, 1]);
  });

  test(`a rule saved on one node is used by the next check on ${testDbKind === 'postgres' ? 'another node' : 'the same node (SQLite: one node)'}`, async () => {
    const other = testDbKind === 'postgres' ? await startServer({ db: server.pg.url, seed: false }) : null;
    try {
      const onOther = other ? await signedIn(other.url, 'regulator') : regulator;
      const text = '本市贯标认证补贴只发放给本地纳税企业。';
      const before = await onOther.request('POST', '/api/policy-checks', { json: { text } });
      assert.deepEqual(before.body, { findings: [] });   // the current version compiled there
      const current = (await admin.request('GET', '/api/policy-rules')).body;
      current.rules.push({
        code: 'R6', severity: 'medium', notice_point: '三',
        title: { zh: '补贴限于本地纳税企业', en: 'Subsidies for local taxpayers only' },
        explanation: { zh: '通知第三点：营造公平竞争的政策环境。', en: 'Point 三 of the notice: a fair policy environment.' },
        patterns: [{ match: '只发放给本地' }],
      });
      const saved = await admin.request('PUT', '/api/policy-rules', { json: current });
      assert.equal(saved.status, 201);
      const after = await onOther.request('POST', '/api/policy-checks', { json: { text } });
      assert.deepEqual(after.body.findings.map((f) => [f.rule, f.start, f.end]), [['R6', 0, 19]]);
    } finally {
      if (other) assert.equal(await other.stop(), 0);
    }
  });
});
