// The policy registry and its review (issue 12, docs/policies.md "Registry and review"), from
// outside: regulators register local policies of their region (pasted or uploaded), see only
// their region's (the national office all), decide on each finding with a reason, and set the
// review's outcome when the findings allow it; each guard holds under ten racing requests;
// lists filter and export; the by-region view counts statuses per province; every write is
// audited; the registrant hears of a review by another office.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

// An R1 violation (certification made a condition for applying to another IP programme) in the
// middle of otherwise fair text.
const R1_SENTENCE = '申报单位须通过知识产权管理体系认证方可申报本专项资金。';
const VIOLATING = [
  '一、支持对象',
  '本市注册的高新技术企业和知识产权优势企业。',
  '二、申报条件',
  R1_SENTENCE,
  '三、支持标准',
  '对当年专利授权量较上年增长30%以上的企业，给予一次性奖励10万元。',
].join('\n');
const FAIR = [
  '一、总体要求',
  '不得将通过贯标认证作为申报知识产权项目的条件。',
  '二、奖励方式',
  '对专利转化实施取得实际收益的企业，按实际收益的5%给予奖励，最高50万元。',
].join('\n');

/** Character (code point) offset of the UTF-16 index i of text. */

/** A one-page PDF whose page holds only an image (a scan): no text to extract. Written by hand
 *  (objects, then the cross-reference table with their byte offsets). */
function scannedPdf() {
  const pixels = Buffer.alloc(16 * 16, 0x80);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>',
    null,   // the image: a stream with binary data
    null,
  ];
  const parts = [Buffer.from('%PDF-1.4\n')];
  const offsets = [];
  let length = parts[0].length;
  const push = (b) => { parts.push(b); length += b.length; };
  objects.forEach((o, i) => {
    offsets.push(length);
    if (i === 3) {
      push(Buffer.from(`4 0 obj\n<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`));
      push(pixels);
      push(Buffer.from('\nendstream\nendobj\n'));
    } else if (i === 4) {
      const content = 'q 500 0 0 700 40 70 cm /Im1 Do Q';
      push(Buffer.from(`5 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`));
    } else {
      push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`));
    }
  });
  const xref = length;
  push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(parts);
}

describe('policies', () => {
  let server, admin, regulator, regulatorGd, enterprise, body;

  const base = (extra = {}) => ({
    title: '深圳市知识产权专项资金管理办法', office: '深圳市市场监督管理局', region: '440300',
    document_number: '深市监规〔2026〕3号', issued_on: '2026-03-01', text: FAIR, ...extra,
  });

  async function register(client, extra = {}) {
    const r = await client.request('POST', '/api/policies', { json: base(extra) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  /** The checker's finding of `rule` over the sentence holding `excerpt` in policy p's current
   *  revision (the test fails when the checker did not make it). */
  async function findingOf(client, p, rule, excerpt) {
    const d = (await client.request('GET', `/api/policies/${p.id}`)).body;
    const f = d.findings.find((x) => x.rule === rule && (excerpt.includes(x.excerpt) || x.excerpt.includes(excerpt)));
    assert.ok(f, `the checker found no ${rule} over ${excerpt}: ${JSON.stringify(d.findings)}`);
    return f;
  }

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
  });
  after(async () => { await server?.stop(); });

  test('register a pasted policy: the detail, the audit entry', async () => {
    const p = await register(regulatorGd, { title: '登记测试办法' });
    assert.equal(p.title, '登记测试办法');
    assert.equal(p.office, '深圳市市场监督管理局');
    assert.equal(p.region, '440300');
    assert.match(p.region_name, /深圳/);
    assert.equal(p.document_number, '深市监规〔2026〕3号');
    assert.equal(p.issued_on, '2026-03-01');
    assert.equal(p.effective_from, null);
    assert.equal(p.status, 'unreviewed');
    assert.equal(p.current_revision, 1);
    assert.equal(p.revision.revision, 1);
    assert.equal(p.revision.text, FAIR);
    assert.equal(p.revision.source_format, 'text');
    assert.equal(p.revision.file_id, null);
    assert.deepEqual(p.revisions.map((r) => r.revision), [1]);
    assert.equal(p.status_by, null);
    // each finding's excerpt is its span of the text, in characters
    const text = Array.from(p.revision.text);
    for (const f of p.findings) assert.equal(text.slice(f.start, f.end).join(''), f.excerpt);
    const audit = await admin.request('GET', `/api/audit?entity=policy&entity_id=${p.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action), ['policy.register']);
    assert.equal(audit.body.items[0].actor.login, 'regulator-gd');
    assert.equal(audit.body.items[0].region, '440300');
  });

  test('a text with many findings keeps every one the checker made, in order', async () => {
    // 70 articles, every other one breaking R1: more findings than one statement writes at once
    const articles = Array.from({ length: 70 }, (_, i) => (i % 2
      ? `第${i + 1}条 申报第${i + 1}批专项资金的企业，须通过知识产权管理体系认证方可申报。`
      : `第${i + 1}条 对专利运用效益显著提升的企业给予奖励。`));
    const text = articles.join('\n');
    const checked = (await regulatorGd.request('POST', '/api/policy-checks', { json: { text } })).body.findings;
    assert.equal(checked.length, 35);
    const p = await register(regulatorGd, { title: '多条问题的政策', text });
    assert.equal(p.findings.length, 35);
    assert.deepEqual(p.findings.map((f) => [f.rule, f.start, f.end, f.excerpt]),
      checked.map((f) => [f.rule, f.start, f.end, f.excerpt]));
  });

  test('reach: a province regulator its province only; enterprises and bodies none', async () => {
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ region: '320100' }) }), 403, 'out_of_region', 'region');
    const js = await register(regulator, { title: '南京市贯标资助办法', office: '南京市市场监督管理局', region: '320100' });
    assertError(await regulatorGd.request('GET', `/api/policies/${js.id}`), 404, 'policy_not_found');
    assertError(await regulatorGd.request('PUT', `/api/policies/${js.id}/status`, { json: { status: 'compliant' } }), 404, 'policy_not_found');
    assertError(await regulatorGd.request('POST', `/api/policies/${js.id}/revisions`, { json: { text: FAIR } }), 404, 'policy_not_found');
    assertError(await regulatorGd.request('GET', `/api/policies/${js.id}/pdf`), 404, 'policy_not_found');
    const gdList = await regulatorGd.request('GET', '/api/policies?per_page=100');
    assert.equal(gdList.status, 200);
    assert.ok(gdList.body.items.length > 0);
    assert.ok(gdList.body.items.every((x) => x.region.startsWith('44')), 'a policy outside Guangdong listed');
    assert.equal((await regulator.request('GET', `/api/policies/${js.id}`)).status, 200);
    assert.equal((await admin.request('GET', `/api/policies/${js.id}`)).status, 200);
    // a province regulator may not move a policy out of its province either
    const gd = await register(regulatorGd, { title: '移出测试' });
    assertError(await regulatorGd.request('PATCH', `/api/policies/${gd.id}`, { json: { region: '320100' } }), 403, 'out_of_region', 'region');
    for (const c of [enterprise, body]) {
      assertError(await c.request('GET', '/api/policies'), 403, 'forbidden');
      assertError(await c.request('GET', `/api/policies/${gd.id}`), 403, 'forbidden');
      assertError(await c.request('POST', '/api/policies', { json: base() }), 403, 'forbidden');
    }
    assertError(await new Client(server.url).request('GET', '/api/policies'), 401, 'unauthenticated');
  });

  test('validation: every bad field named, nothing saved', async () => {
    const count = () => Number(rows(server, 'SELECT COUNT(*) FROM policies')[0][0]);
    const before = count();
    let r = await regulatorGd.request('POST', '/api/policies', { json: { text: FAIR } });
    assertError(r, 400, 'missing_field', 'title');
    assert.deepEqual(r.body.error.fields.map((f) => f.field).sort(), ['office', 'region', 'title']);
    r = await regulatorGd.request('POST', '/api/policies', { json: { region: '440300', text: ' ' } });
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.code]).sort(),
      [['office', 'missing_field'], ['text', 'blank_field'], ['title', 'missing_field']]);
    r = await regulatorGd.request('POST', '/api/policies', {
      json: base({ region: '999999', issued_on: '2026-13-01', effective_from: '2026-05-01', effective_until: '2026-04-01', colour: 'red' }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.error.fields.map((f) => f.field).sort(), ['colour', 'issued_on', 'region']);
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ effective_from: '2026-05-01', effective_until: '2026-04-01' }) }),
      400, 'invalid_value', 'effective_until');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ text: undefined }) }), 400, 'missing_field', 'text');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ text: ' \n\t ' }) }), 400, 'blank_field', 'text');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ file_id: 1 }) }), 400, 'invalid_value', 'file_id');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ text: undefined, file_id: 999999 }) }), 400, 'invalid_value', 'file_id');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ text: '政'.repeat(349526) }) }), 400, 'policy_text_too_long', 'text');
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ title: 'x'.repeat(201) }) }), 400, 'too_long', 'title');
    assert.equal(count(), before);
    // a text of exactly 1 MB is accepted
    const p = await register(regulatorGd, { title: '长文本', text: 'a'.repeat(1 << 20) });
    assert.equal(Array.from(p.revision.text).length, 1 << 20);
  });

  test('metadata change: only the fields sent; audited with before and after', async () => {
    const p = await register(regulatorGd, { title: '修改前', effective_from: '2026-04-01' });
    const r = await regulatorGd.request('PATCH', `/api/policies/${p.id}`, { json: { title: '修改后', effective_from: null, region: '440100' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.title, '修改后');
    assert.equal(r.body.effective_from, null);
    assert.equal(r.body.region, '440100');
    assert.equal(r.body.office, '深圳市市场监督管理局');
    assert.equal(r.body.revision.text, FAIR);
    const audit = await admin.request('GET', `/api/audit?entity=policy&entity_id=${p.id}`);
    assert.equal(audit.body.items[0].action, 'policy.update');
    assert.deepEqual(audit.body.items[0].before, { title: '修改前', region: '440300', effective_from: '2026-04-01' });
    assert.deepEqual(audit.body.items[0].after, { title: '修改后', region: '440100', effective_from: '' });
  });

  test('review: decide findings with a reason, to_amend, a revision, amended; the registrant is told', async () => {
    const p = await register(regulatorGd, { title: '东莞市贯标奖励办法', region: '441900', text: VIOLATING });
    const f = await findingOf(regulatorGd, p, 'R1', R1_SENTENCE);
    assert.equal(f.decision, 'pending');
    assert.equal(Array.from(VIOLATING).slice(f.start, f.end).join(''), f.excerpt);

    // compliant and to_amend refused while a finding is pending
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'compliant' } }), 409, 'policy_status_conflict', 'status');
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'to_amend' } }), 409, 'policy_status_conflict', 'status');
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'amended' } }), 409, 'policy_status_conflict', 'status');
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'unreviewed' } }), 400, 'invalid_value', 'status');

    // a decision needs a reason and one of the two decisions
    const url = `/api/policies/${p.id}/findings/${f.id}`;
    assertError(await regulator.request('PUT', url, { json: { decision: 'confirmed' } }), 400, 'missing_field', 'reason');
    assertError(await regulator.request('PUT', url, { json: { decision: 'confirmed', reason: '   ' } }), 400, 'blank_field', 'reason');
    assertError(await regulator.request('PUT', url, { json: { decision: 'maybe', reason: 'x' } }), 400, 'invalid_value', 'decision');
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/findings/999999`, { json: { decision: 'confirmed', reason: 'x' } }), 404, 'policy_finding_not_found');
    assert.equal((await regulator.request('GET', `/api/policies/${p.id}`)).body.findings.find((x) => x.id === f.id).decision, 'pending');

    // ten racing decisions: one wins
    const racing = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      regulator.request('PUT', url, { json: { decision: 'confirmed', reason: `理由${i}：以认证为申报前提` } })));
    assert.equal(racing.filter((x) => x.status === 200).length, 1, JSON.stringify(racing.map((x) => x.status)));
    for (const x of racing) if (x.status !== 200) assertError(x, 409, 'policy_finding_decided');
    const won = racing.find((x) => x.status === 200).body;
    assert.equal(won.id, f.id);
    assert.equal(won.decision, 'confirmed');
    assert.ok(won.decided_by);
    assert.ok(won.decided_at);
    assert.match(won.reason, /^理由\d：以认证为申报前提$/);

    // to_amend: ten racing, one wins; the registrant (regulator-gd) is told, once
    const setTo = await Promise.all(Array.from({ length: 10 }, () =>
      regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'to_amend', note: '第二条须删除' } })));
    assert.equal(setTo.filter((x) => x.status === 200).length, 1, JSON.stringify(setTo.map((x) => x.status)));
    for (const x of setTo) if (x.status !== 200) assertError(x, 409, 'policy_status_conflict');
    let d = setTo.find((x) => x.status === 200).body;
    assert.equal(d.status, 'to_amend');
    assert.equal(d.status_note, '第二条须删除');
    assert.ok(d.status_by);
    assert.ok(d.status_at);
    const inbox = (await regulatorGd.request('GET', '/api/notifications?per_page=100')).body.items
      .filter((n) => n.type === 'policy_reviewed' && n.link === `/policies/${p.id}`);
    assert.equal(inbox.length, 1);
    assert.match(inbox[0].title, /东莞市贯标奖励办法/);
    assert.match(inbox[0].title, /需修改/);
    // amended needs a later revision
    assertError(await regulator.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'amended' } }), 409, 'policy_status_conflict');

    // a revision without the violation: checked again, to_amend stays, the old finding is stale
    let r = await regulatorGd.request('POST', `/api/policies/${p.id}/revisions`, { json: { text: FAIR } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    d = r.body;
    assert.equal(d.current_revision, 2);
    assert.equal(d.status, 'to_amend');
    assert.equal(d.revision.text, FAIR);
    assert.deepEqual(d.revisions.map((x) => [x.revision, x.findings.confirmed]), [[1, 1], [2, 0]]);
    assertError(await regulator.request('PUT', url, { json: { decision: 'dismissed', reason: '改判' } }), 409, 'policy_finding_stale');
    for (const x of d.findings)   // whatever the real checker finds in the fair text, dismiss it
      assert.equal((await regulatorGd.request('PUT', `/api/policies/${p.id}/findings/${x.id}`, { json: { decision: 'dismissed', reason: '系重申禁止性规定' } })).status, 200);

    // amended by the registrant itself: nobody is told
    r = await regulatorGd.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'amended', note: '已删除第二条' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'amended');
    assert.equal((await regulatorGd.request('GET', '/api/notifications?per_page=100')).body.items
      .filter((n) => n.type === 'policy_reviewed' && n.link === `/policies/${p.id}`).length, 1);

    const audit = await admin.request('GET', `/api/audit?entity=policy&entity_id=${p.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action).filter((a) => a !== 'policy.finding_decide'),
      ['policy.status', 'policy.revise', 'policy.status', 'policy.register']);
    const decided = audit.body.items.find((e) => e.action === 'policy.finding_decide' && e.after.finding === String(f.id));
    assert.equal(decided.before.decision, 'pending');
  });

  test('compliant: no pending or confirmed finding; ten racing, one wins; a new text makes it unreviewed', async () => {
    const p = await register(regulatorGd, { title: '佛山市知识产权奖励办法', region: '440600' });
    for (const x of p.findings)
      await regulatorGd.request('PUT', `/api/policies/${p.id}/findings/${x.id}`, { json: { decision: 'dismissed', reason: '重申' } });
    const racing = await Promise.all(Array.from({ length: 10 }, () =>
      admin.request('PUT', `/api/policies/${p.id}/status`, { json: { status: 'compliant' } })));
    assert.equal(racing.filter((x) => x.status === 200).length, 1, JSON.stringify(racing.map((x) => x.status)));
    for (const x of racing) if (x.status !== 200) assertError(x, 409, 'policy_status_conflict');
    assert.equal(racing.find((x) => x.status === 200).body.status, 'compliant');
    const r = await regulatorGd.request('POST', `/api/policies/${p.id}/revisions`, { json: { text: FAIR + '\n四、附则\n本办法自发布之日起施行。' } });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, 'unreviewed');
    assert.equal(r.body.current_revision, 2);
  });

  test('ten racing revisions get ten distinct numbers', async () => {
    const p = await register(regulatorGd, { title: '并发修订测试', region: '440500' });
    const racing = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      regulatorGd.request('POST', `/api/policies/${p.id}/revisions`, { json: { text: `${FAIR}\n（修订${i}）` } })));
    assert.deepEqual(racing.map((x) => x.status), Array(10).fill(201), JSON.stringify(racing.map((x) => x.body)));
    const d = (await regulatorGd.request('GET', `/api/policies/${p.id}`)).body;
    assert.equal(d.current_revision, 11);
    assert.deepEqual(d.revisions.map((x) => x.revision), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(rows(server, `SELECT COUNT(DISTINCT revision), COUNT(*) FROM policy_revisions WHERE policy_id = ${p.id}`), [['11', '11']]);
  });

  test('uploads: a text file registers with its file_id; other types refused', async () => {
    const upload = (client, bytes, name, type = 'application/octet-stream') =>
      client.request('POST', '/api/policy-files', { body: bytes, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } });
    let r = await upload(regulatorGd, Buffer.from(VIOLATING, 'utf8'), '珠海办法.txt');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.name, '珠海办法.txt');
    assert.equal(r.body.source_format, 'text');
    assert.equal(r.body.size, Buffer.byteLength(VIOLATING));
    const file = r.body;
    // another regulator may not use it
    assertError(await regulator.request('POST', '/api/policies', { json: base({ text: undefined, file_id: file.id }) }), 400, 'invalid_value', 'file_id');
    r = await regulatorGd.request('POST', '/api/policies', { json: base({ title: '珠海市办法', region: '440400', text: undefined, file_id: file.id }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.revision.file_id, file.id);
    assert.equal(r.body.revision.source_format, 'text');
    assert.equal(r.body.revision.text.trim(), VIOLATING);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d00000000049454e44ae426082', 'hex');
    assertError(await upload(regulatorGd, png, 'scan.txt'), 415, 'file_type_not_allowed');
    assertError(await upload(regulatorGd, Buffer.alloc(0), 'empty.txt'), 400, 'empty_file');
    assertError(await upload(enterprise, Buffer.from('x'), 'a.txt'), 403, 'forbidden');
    const audit = await admin.request('GET', `/api/audit?entity=policy_file&entity_id=${file.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action), ['policy_file.upload']);
  });

  test('list: filters, counts of findings, exports', async () => {
    const a = await register(regulatorGd, { title: '惠州市贯标资助细则', office: '惠州市知识产权局', region: '441300', document_number: '惠知〔2026〕7号', text: VIOLATING });
    await findingOf(regulatorGd, a, 'R1', R1_SENTENCE);
    let r = await regulatorGd.request('GET', '/api/policies?q=' + encodeURIComponent('惠州市知识产权局'));
    assert.deepEqual(r.body.items.map((x) => x.id), [a.id]);
    const row = r.body.items[0];
    assert.equal(row.total, undefined);
    assert.ok(row.findings.pending >= 1);
    assert.equal(row.findings.confirmed, 0);
    r = await regulatorGd.request('GET', '/api/policies?q=' + encodeURIComponent('惠知〔2026〕7号'));
    assert.deepEqual(r.body.items.map((x) => x.id), [a.id]);
    r = await regulatorGd.request('GET', '/api/policies?region=4413&per_page=100');
    assert.deepEqual(r.body.items.map((x) => x.id), [a.id]);
    r = await regulatorGd.request('GET', '/api/policies?region=441300&status=unreviewed');
    assert.deepEqual(r.body.items.map((x) => x.id), [a.id]);
    r = await regulatorGd.request('GET', '/api/policies?region=441300&status=compliant');
    assert.deepEqual(r.body.items, []);
    assertError(await regulatorGd.request('GET', '/api/policies?status=open'), 400, 'invalid_query');
    assertError(await regulatorGd.request('GET', '/api/policies?region=44x'), 400, 'invalid_query');
    // a regulator-gd filter outside its region finds nothing (never another province's)
    r = await regulatorGd.request('GET', '/api/policies?region=32');
    assert.equal(r.body.total, 0);

    const csv = await regulatorGd.download('/api/policies?region=441300&format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.match(lines[0], /政策名称/);
    assert.match(lines[0], /待处理问题/);
    assert.equal(lines.length, 2);
    assert.match(lines[1], /惠州市贯标资助细则/);
    const xlsx = await regulatorGd.download('/api/policies?region=441300&format=xlsx');
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
  });

  test('by region: counts per province within reach', async () => {
    // Shaanxi (61) has no seeded policies: three of ours, one compliant
    const one = await register(regulator, { title: '西安市办法一', office: '西安市市场监督管理局', region: '610100' });
    await register(regulator, { title: '陕西省办法二', office: '陕西省知识产权局', region: '610000' });
    await register(admin, { title: '宝鸡市办法三', office: '宝鸡市市场监督管理局', region: '610300' });
    for (const x of one.findings)
      await regulator.request('PUT', `/api/policies/${one.id}/findings/${x.id}`, { json: { decision: 'dismissed', reason: '重申' } });
    assert.equal((await regulator.request('PUT', `/api/policies/${one.id}/status`, { json: { status: 'compliant' } })).status, 200);
    let r = await regulator.request('GET', '/api/policies/by-region');
    assert.equal(r.status, 200);
    const shaanxi = r.body.regions.find((x) => x.region === '610000');
    assert.deepEqual(shaanxi, { region: '610000', region_name: '陕西省', total: 3, unreviewed: 2, compliant: 1, to_amend: 0, amended: 0 });
    assert.ok(r.body.regions.length >= 2);
    const codes = r.body.regions.map((x) => x.region);
    assert.deepEqual(codes, [...codes].sort());
    // a province regulator sees its province only
    r = await regulatorGd.request('GET', '/api/policies/by-region');
    assert.deepEqual(r.body.regions.map((x) => x.region), ['440000']);
    const gdTotal = Number(rows(server, "SELECT COUNT(*) FROM policies WHERE region LIKE '44%'")[0][0]);
    assert.equal(r.body.regions[0].total, gdTotal);
    assert.equal((await admin.request('GET', '/api/policies/by-region')).body.regions.find((x) => x.region === '610000').total, 3);
  });

  test('the policy_recheck job checks unreviewed policies again with the current rules, keeping decisions', async () => {
    const current = (await register(regulatorGd, { title: '现行规则版本' })).revision.ruleset_version;
    const p = await register(regulatorGd, { title: '江门市贯标办法', region: '440700', text: VIOLATING });
    for (const x of p.findings)   // whatever the checker found: confirmed, with a reason
      assert.equal((await regulatorGd.request('PUT', `/api/policies/${p.id}/findings/${x.id}`, { json: { decision: 'confirmed', reason: `确认${x.rule}` } })).status, 200);
    const reviewed = await register(regulatorGd, { title: '已审查的不重查', region: '440700' });
    for (const x of reviewed.findings)
      await regulatorGd.request('PUT', `/api/policies/${reviewed.id}/findings/${x.id}`, { json: { decision: 'dismissed', reason: '重申' } });
    assert.equal((await regulatorGd.request('PUT', `/api/policies/${reviewed.id}/status`, { json: { status: 'compliant' } })).status, 200);
    // both as if checked by older rules; p also holds a finding no rule set makes
    rows(server, `UPDATE policy_revisions SET ruleset_version = 0 WHERE policy_id IN (${p.id}, ${reviewed.id})`);
    rows(server, `INSERT INTO policy_findings (policy_id, revision_id, rule, severity, start_char, end_char, excerpt, decision, reason)
      SELECT ${p.id}, id, 'R9', 'low', 0, 2, '一、', 'confirmed', '旧规则' FROM policy_revisions WHERE policy_id = ${p.id}`);
    rows(server, `UPDATE schedules SET next_run = ${Math.floor(Date.now() / 1000) - 60} WHERE name = 'policy_recheck'`);
    let d;
    for (let i = 0; i < 100; i++) {
      d = (await regulatorGd.request('GET', `/api/policies/${p.id}`)).body;
      if (d.revision.ruleset_version === current) break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.equal(d.revision.ruleset_version, current, 'not checked again');
    assert.ok(!d.findings.some((x) => x.rule === 'R9'), 'the old rules\' finding stays');
    assert.deepEqual(d.findings.map((x) => [x.rule, x.start, x.end, x.decision, x.reason]),
      p.findings.map((x) => [x.rule, x.start, x.end, 'confirmed', `确认${x.rule}`]));
    assert.equal(d.status, 'unreviewed');
    assert.equal((await regulatorGd.request('GET', `/api/policies/${reviewed.id}`)).body.revision.ruleset_version, 0);
    const audit = await admin.request('GET', `/api/audit?entity=policy&entity_id=${p.id}`);
    assert.equal(audit.body.items[0].action, 'policy.recheck');
    assert.equal(audit.body.items[0].actor.kind, 'platform');
  });
  test('a scanned PDF: 422 document_no_text on file_id, nothing saved', async () => {
    const r = await regulatorGd.request('POST', '/api/policy-files', {
      body: scannedPdf(), headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('扫描件.pdf') },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.source_format, 'pdf');
    const count = () => Number(rows(server, 'SELECT COUNT(*) FROM policies')[0][0]);
    const before = count();
    assertError(await regulatorGd.request('POST', '/api/policies', { json: base({ text: undefined, file_id: r.body.id }) }),
      422, 'document_no_text', 'file_id');
    assert.equal(count(), before);
  });
});
