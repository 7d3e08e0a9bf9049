// The review report of a local policy (issue 12, docs/policies.md "Registry and review",
// docs/reports.md), from outside: GET /api/policies/{id}/pdf is an A4 PDF whose text holds the
// policy's title, the excerpt of a finding and the regulator's reason; GET …/xlsx is a workbook
// whose findings sheet (read with openpyxl) lists the finding with its decision and reason. Both
// are made from the detail document; a province regulator gets 404 for another province's.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { pdfText, pdfInfo } from '../lib/pdf.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { readXlsx } from './lib/xlsx.mjs';

checkEveryAnswer();

const TITLE = '中山市知识产权贯标资助试行办法';
const R1_SENTENCE = '申报单位须通过知识产权管理体系认证方可申报本专项资金。';
const TEXT = [
  '一、支持对象', '本市注册的高新技术企业。',
  '二、申报条件', R1_SENTENCE,
  '三、支持标准', '对当年专利转化实际收益超过100万元的企业，给予一次性奖励10万元。',
].join('\n');
const REASON = '以认证为申报前提，违反通知第三条';

describe('policy review report', () => {
  let server, regulatorGd, regulatorJs, policy;

  before(async () => {
    server = await startPlatform();
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    regulatorJs = await signedIn(server.url, 'regulator');
    const r = await regulatorGd.request('POST', '/api/policies', {
      json: { title: TITLE, office: '中山市市场监督管理局', region: '442000', text: TEXT },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    policy = r.body;
    const f = policy.findings.find((x) => x.rule === 'R1');
    assert.equal(f?.excerpt, R1_SENTENCE, 'the checker finds the R1 sentence');
    const d = await regulatorGd.request('PUT', `/api/policies/${policy.id}/findings/${f.id}`, { json: { decision: 'confirmed', reason: REASON } });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    policy.finding = d.body;
  });
  after(async () => { await server?.stop(); });

  test('PDF: A4, the title, the excerpt, the reason', async () => {
    const r = await regulatorGd.download(`/api/policies/${policy.id}/pdf`);
    assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
    assert.match(r.headers.get('content-type'), /application\/pdf/);
    assert.equal(r.bytes.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdfInfo(r.bytes), /Page size:\s+595\.27\d? x 841\.89 pts \(A4\)/);
    const text = pdfText(r.bytes).replace(/\s+/g, '');
    assert.ok(text.includes(TITLE), 'the title');
    assert.ok(text.includes(policy.finding.excerpt.replace(/\s+/g, '')), 'the excerpt');
    assert.ok(text.includes(REASON), 'the reason');
  });

  test('XLSX: the findings sheet lists the finding, its decision and reason', async () => {
    const r = await regulatorGd.download(`/api/policies/${policy.id}/xlsx`);
    assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    const book = readXlsx(r.bytes);
    const cells = Object.values(book).flat(2).map((v) => String(v ?? ''));
    assert.ok(cells.some((v) => v.includes(TITLE)), 'the title somewhere');
    const withReason = Object.entries(book).find(([, table]) => table.some((row) => row.some((v) => String(v ?? '') === REASON)));
    assert.ok(withReason, `no sheet holds the reason: ${JSON.stringify(Object.keys(book))}`);
    const [, table] = withReason;
    const row = table.find((x) => x.some((v) => String(v ?? '') === REASON));
    assert.ok(row.some((v) => String(v ?? '') === 'R1'), `the rule: ${JSON.stringify(row)}`);
    assert.ok(row.some((v) => String(v ?? '').includes(policy.finding.excerpt)), `the excerpt: ${JSON.stringify(row)}`);
  });

  test('another province: 404', async () => {
    const js = await regulatorJs.request('POST', '/api/policies', {
      json: { title: '无锡市办法', office: '无锡市市场监督管理局', region: '320200', text: TEXT },
    });
    assert.equal(js.status, 201);
    assertError(await regulatorGd.request('GET', `/api/policies/${js.body.id}/pdf`), 404, 'policy_not_found');
    assertError(await regulatorGd.request('GET', `/api/policies/${js.body.id}/xlsx`), 404, 'policy_not_found');
  });
});
