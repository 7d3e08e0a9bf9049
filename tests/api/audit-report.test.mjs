// The audit report PDF (issue 9; docs/compliance.md "Audit report", docs/reports.md), from
// outside: audits, findings and a nonconformity made with SQL (the audits' own routes come from
// another part of the issue), then GET /api/audits/{id}/pdf read back with poppler (pdfinfo,
// pdftotext, pdftoppm) and the QR code with zbarimg. Who may read it: the enterprise its own, the
// body the audits it runs, a regulator its region, admins; anyone else 404 audit_not_found.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rows as sql } from './lib/sql.mjs';
import { startPlatform, Client } from '../lib/platform.mjs';
import { pdfText, pdfInfo, qrCodes } from '../lib/pdf.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

checkEveryAnswer();

const PUBLIC_URL = 'https://zhengshu.example.cn/gb';
const NOW = 1767225600;   // 2026-01-01T00:00:00Z: when the audits below were made
const SIGNED = 1767830400; // 2026-01-08T00:00:00Z: when the external audit was signed off

const one = (server, text) => sql(server, text)[0][0];

describe('the audit report PDF', () => {
  let server, admin, enterprise, body, regulator, regulatorGd, otherEnterprise, otherRegulator, otherBody;
  let adminName, enterpriseId, enterpriseName, bodyId, bodyName, certNumber, catalogue;
  let external, internal, correction, internalOfOther;

  /** A new audit row; its id. */
  function insertAudit(f) {
    const cols = {
      enterprise_id: f.enterprise, body_id: f.body ?? 'NULL', certificate_id: f.certificate ?? 'NULL',
      kind: `'${f.kind}'`, catalogue_id: catalogue, title: `'${f.title ?? ''}'`, scope: `'${f.scope ?? ''}'`,
      start_date: `'${f.start ?? '2026-01-05'}'`, end_date: `'${f.end ?? '2026-01-06'}'`,
      auditors: `'${f.auditors ?? ''}'`, lead_auditor: `'${f.lead ?? ''}'`, status: `'${f.status ?? 'planned'}'`,
      revision: f.revision ?? 1, previous_id: f.previous ?? 'NULL',
      effectiveness_examined: `'${f.examined ?? ''}'`, effectiveness_findings: `'${f.showed ?? ''}'`,
      conclusion: `'${f.conclusion ?? ''}'`, signed_off_by: f.signedBy ?? 'NULL', signed_off_at: f.signedAt ?? 'NULL',
      created_at: NOW, updated_at: NOW,
    };
    return Number(one(server, `INSERT INTO audits (${Object.keys(cols).join(', ')}) VALUES (${Object.values(cols).join(', ')}) RETURNING id`));
  }

  before(async () => {
    server = await startPlatform({ extraArgs: ['--public-url', PUBLIC_URL] });
    admin = await signedIn(server.url, 'admin');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    regulator = await signedIn(server.url, 'regulator');   // national
    enterprise = new Client(server.url);
    enterpriseId = (await enterprise.signIn('enterprise')).body.user.enterprise_id;
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    assert.ok(enterpriseId > 0 && bodyId > 0);
    enterpriseName = one(server, `SELECT name FROM enterprises WHERE id = ${enterpriseId}`);
    bodyName = one(server, `SELECT name FROM bodies WHERE id = ${bodyId}`);
    catalogue = Number(one(server, `SELECT id FROM clause_catalogues WHERE edition = '2013' ORDER BY version DESC LIMIT 1`));
    const [[certId, number]] = sql(server, `SELECT id, number FROM certificates WHERE enterprise_id = ${enterpriseId} ORDER BY id LIMIT 1`);
    certNumber = number;
    const adminId = Number(one(server, `SELECT id FROM users WHERE login = 'admin'`));
    adminName = one(server, `SELECT name FROM users WHERE login = 'admin'`);

    // another enterprise (Beijing), its account, a Beijing regulator, another body's account
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: '审核报告对照企业有限公司', credit_code: makeCode('110105', 8801), region: '110105', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    const accounts = [
      { login: 'ar-other-ent', name: '对照企业用户', role: 'enterprise', enterprise_id: e.body.id },
      { login: 'ar-regulator-bj', name: '北京监管员', role: 'regulator', region: '110000' },
      { login: 'ar-other-body', name: '另一机构用户', role: 'body',
        body_id: Number(one(server, `SELECT id FROM bodies WHERE id <> ${bodyId} ORDER BY id LIMIT 1`)) },
    ];
    for (const a of accounts) {
      const u = await admin.request('POST', '/api/users', { json: { ...a, password: 'audit-report-pass-1' } });
      assert.equal(u.status, 201, JSON.stringify(u.body));
    }
    otherEnterprise = await signedIn(server.url, 'ar-other-ent', 'audit-report-pass-1');
    otherRegulator = await signedIn(server.url, 'ar-regulator-bj', 'audit-report-pass-1');
    otherBody = await signedIn(server.url, 'ar-other-body', 'audit-report-pass-1');

    // an external, signed-off audit of the demo enterprise by the demo body, with a finding for
    // every clause of the 2013 catalogue (a long table) and a nonconformity on 7.3
    external = insertAudit({
      enterprise: enterpriseId, body: bodyId, certificate: certId, kind: 'surveillance', title: '2026 年度第一次监督审核',
      scope: '专利申请与维护的知识产权管理', auditors: '张审核\n李审核', lead: '王组长', status: 'signed_off',
      examined: '抽查了 2025 年专利许可合同台账与运用记录', showed: '许可收益按季度核算，运用环节控制有效',
      conclusion: '推荐保持认证注册', signedBy: adminId, signedAt: SIGNED,
    });
    sql(server, `INSERT INTO audit_findings (audit_id, clause_number, finding, notes) SELECT ${external}, number, ` +
      `CASE WHEN number = '7.3' THEN 'minor' WHEN number = '9.2' THEN 'observation' ELSE 'conforming' END, ` +
      `CASE WHEN number = '7.3' THEN '专利许可合同缺少备案记录' ELSE '抽查记录齐全，满足要求，未见异常情况' END ` +
      `FROM clauses WHERE catalogue_id = ${catalogue}`);
    sql(server, `INSERT INTO nonconformities (enterprise_id, raised_by_audit_id, catalogue_id, clause_number, grade, ` +
      `description, corrective_action, status, created_at, updated_at) VALUES (${enterpriseId}, ${external}, ${catalogue}, ` +
      `'7.3', 'minor', '两份专利许可合同未办理备案', '补办备案并修订合同管理', 'action_planned', ${NOW}, ${NOW})`);
    // and one the enterprise raised itself, which this audit verified effective
    sql(server, `INSERT INTO nonconformities (enterprise_id, closed_by_audit_id, catalogue_id, clause_number, grade, ` +
      `description, corrective_action, status, created_at, updated_at) VALUES (${enterpriseId}, ${external}, ${catalogue}, ` +
      `'9.2', 'major', '内审员未经培训', '内审员参加内审员培训并考核', 'effective', ${NOW}, ${NOW})`);
    // its correction: revision 2, not yet signed off
    correction = insertAudit({ enterprise: enterpriseId, body: bodyId, certificate: certId, kind: 'surveillance',
      revision: 2, previous: external, status: 'in_progress', lead: '王组长' });
    // an internal audit of the demo enterprise, planned, three clauses
    internal = insertAudit({ enterprise: enterpriseId, kind: 'internal', scope: '全公司', lead: '赵内审',
      start: '2026-02-03', end: '2026-02-03' });
    sql(server, `INSERT INTO audit_findings (audit_id, clause_number) SELECT ${internal}, number FROM clauses ` +
      `WHERE catalogue_id = ${catalogue} AND number IN ('4.1', '7.3', '9.2')`);
    internalOfOther = insertAudit({ enterprise: e.body.id, kind: 'internal', lead: '对照内审员' });
  });

  after(async () => {
    await server?.stop();
  });

  test('the enterprise, its body, its regional and the national regulator, and admins get the report as an A4 PDF', async () => {
    for (const who of [enterprise, body, regulatorGd, regulator, admin]) {
      const r = await who.download(`/api/audits/${external}/pdf`);
      assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      assert.equal(r.headers.get('content-disposition'),
        `inline; filename*=UTF-8''${encodeURIComponent(`审核报告-${external}.pdf`)}`);
      assert.equal(r.bytes.subarray(0, 5).toString(), '%PDF-');
    }
    // through the checked client too (the documented response)
    assert.equal((await body.request('GET', `/api/audits/${external}/pdf`)).status, 200);
  });

  test('anyone else is told there is no such audit', async () => {
    for (const [who, id] of [[otherEnterprise, external], [otherRegulator, external], [otherBody, external],
      [enterprise, internalOfOther], [body, internal], [regulatorGd, internalOfOther], [admin, 999999]]) {
      assertError(await who.request('GET', `/api/audits/${id}/pdf`), 404, 'audit_not_found');
    }
    assert.equal((await new Client(server.url).request('GET', `/api/audits/${external}/pdf`)).status, 401);
    assert.equal((await admin.request('GET', '/api/audits/abc/pdf')).status, 404);
    // the other enterprise and the Beijing regulator read the other enterprise's internal audit
    assert.equal((await otherEnterprise.download(`/api/audits/${internalOfOther}/pdf`)).status, 200);
    assert.equal((await otherRegulator.download(`/api/audits/${internalOfOther}/pdf`)).status, 200);
  });

  test('the report says who, what, the findings by clause, the nonconformities raised and verified, the effectiveness check and the sign-off', async () => {
    const text = pdfText((await enterprise.download(`/api/audits/${external}/pdf`)).bytes);
    const flat = text.replace(/\s+/g, '');
    const expected = ['审核报告', '监督审核', '2026年度第一次监督审核', enterpriseName, bodyName,
      '专利申请与维护的知识产权管理', '2026-01-05至2026-01-06', '张审核、李审核', '王组长', 'GB/T29490-2013',
      // clause titles of the 2013 catalogue, with the finding in words
      '7.3运用', '9.2内部审核', '4.1总体要求', '一般不符合', '观察项', '专利许可合同缺少备案记录',
      // the nonconformity raised, and the one verified
      '两份专利许可合同未办理备案', '补办备案并修订合同管理', '已制定措施',
      '内审员未经培训', '本次审核验证有效',
      // effectiveness check, conclusion, sign-off
      '有效性检查', '抽查了2025年专利许可合同台账与运用记录', '许可收益按季度核算，运用环节控制有效',
      '推荐保持认证注册', '签发人', adminName.replace(/\s+/g, ''), '2026-01-08', `相关证书${certNumber}`];
    for (const s of expected) assert.ok(flat.includes(s.replace(/\s+/g, '')), `the report lacks ${s}:\n${text.slice(0, 3000)}`);
    assert.ok(!flat.includes('未签发'), 'a signed-off report is not a draft');
    assert.match(flat, /第1页\/共\d+页/);
  });

  test('pdfinfo: A4, more than one page for the long findings table', async () => {
    const info = pdfInfo((await admin.download(`/api/audits/${external}/pdf`)).bytes);
    assert.match(info, /Page size:\s+595\.\d* x 841\.\d* pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
    assert.ok(pages > 1, info);
  });

  test('the QR code decodes to the certificate\'s verification page', async () => {
    const codes = qrCodes((await body.download(`/api/audits/${external}/pdf`)).bytes);
    assert.deepEqual(codes, [`${PUBLIC_URL}/verify?q=${certNumber}`]);
  });

  test('an internal draft says 内部审核 and 未签发; a correction names the revision it corrects', async () => {
    const flat = pdfText((await enterprise.download(`/api/audits/${internal}/pdf`)).bytes).replace(/\s+/g, '');
    for (const s of ['内部审核', '未签发', '本报告尚未签发', '赵内审', '全公司', '2026-02-03', '4.1总体要求', '未审核',
      '本次审核未开具、也未验证不符合项', '共抽取3个条款']) assert.ok(flat.includes(s), `the internal report lacks ${s}`);
    assert.ok(!flat.includes('相关证书'), 'no certificate, no QR code');
    const again = pdfText((await body.download(`/api/audits/${correction}/pdf`)).bytes).replace(/\s+/g, '');
    assert.ok(again.includes(`第2版，更正并取代此前的第1版（报告编号AR-${external}）`), again.slice(0, 1500));
    assert.ok(again.includes('本次审核未抽取条款'));
  });
});

// issue 10: the enterprise's effectiveness index, as of printing, in 三、有效性检查 (planted with SQL)
describe('the audit report with the effectiveness index', () => {
  let server, enterprise, enterpriseId, audit;
  before(async () => {
    server = await startPlatform();
    enterprise = new Client(server.url);
    enterpriseId = (await enterprise.signIn('enterprise')).body.user.enterprise_id;
    const catalogue = Number(one(server, `SELECT id FROM clause_catalogues WHERE edition = '2023' ORDER BY version DESC LIMIT 1`));
    audit = Number(one(server, 'INSERT INTO audits (enterprise_id, kind, catalogue_id, title, start_date, end_date, status, '
      + `revision, created_at, updated_at) VALUES (${enterpriseId}, 'internal', ${catalogue}, '有效性内审', '2026-03-02', `
      + `'2026-03-02', 'planned', 1, ${NOW}, ${NOW}) RETURNING id`));
    sql(server, `DELETE FROM effectiveness_results WHERE enterprise_id = ${enterpriseId}`);
  });
  after(async () => {
    await server?.stop();
  });

  test('no result: no index line; a result: index, verdict, grade and method as of printing', async () => {
    const before = pdfText((await enterprise.download(`/api/audits/${audit}/pdf`)).bytes).replace(/\s+/g, '');
    assert.ok(before.includes('三、有效性检查'));
    assert.ok(!before.includes('有效性指数'), 'no result, no index');
    sql(server, 'INSERT INTO effectiveness_results (enterprise_id, method, certified_year, index_value, verdict, grade, '
      + `form_only, detail, computed_at) VALUES (${enterpriseId}, 'v1', 2022, 66.4, 'significant_improvement', 'A', 0, `
      + `'[]', 1767225600)`);
    const text = pdfText((await enterprise.download(`/api/audits/${audit}/pdf`)).bytes).replace(/\s+/g, '');
    assert.ok(text.includes('有效性指数66.4，显著提升，等级A（方法v1，计算于2026-01-01；打印时的结果）'), text.slice(0, 3000));
  });
});
