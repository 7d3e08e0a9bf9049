// The compliance records' whole flow in the browser (issue 9; docs/compliance.md), as the two
// parties would walk it on the seeded demo: the enterprise self-assesses chapter 9, runs an
// internal audit that finds a minor nonconformity on 9.2, raises it from the finding, plans and
// implements the corrective action; the body plans its stage 2 audit under its engagement,
// verifies the action effective with that audit, and signs it off; both download their audit's
// report, and each report lists the nonconformity (pdftotext).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { pdfText } from '../lib/pdf.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404|409)\b/ });

const NC_TEXT = '内部审核员未按计划覆盖研发部门';

/** Picks the option whose text matches `label` (a RegExp or exact text) in the select `select`. */
async function choose(page, select, label) {
  await select.click();
  const text = label instanceof RegExp ? label : new RegExp(`^${label}$`);
  const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).last();
  await option.waitFor();
  await page.evaluate(() => Promise.all(document.getAnimations().map((x) => x.finished.catch(() => {}))));
  await option.click();
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' });
}

/** The report of the audit shown on the page, downloaded through its link, as flat text. */
async function reportText(page) {
  const pdf = await page.request.get(await byTestId(page, 'audit-pdf').getAttribute('href'));
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /^application\/pdf/);
  return pdfText(await pdf.body()).replace(/\s+/g, '');
}

describe('compliance records from self-assessment to the body\'s verification', () => {
  test('self-assess, audit internally, correct, and have the body verify it in its stage 2 audit', async () => {
    const ent = client();
    assert.equal((await ent.signIn('enterprise')).status, 200);
    const assessment = (await ent.request('GET', '/api/self-assessments?per_page=100')).body.items
      .find((a) => a.status === 'in_progress' && a.edition === '2023');
    assert.ok(assessment, 'the demo enterprise has a 2023 self-assessment in progress');
    const engagement = (await ent.request('GET', '/api/engagements?status=decided&per_page=100')).body.items
      .find((g) => g.body.name === '中知认证有限公司');
    assert.ok(engagement, 'the demo enterprise has a decided engagement with the demo body');
    let ncId;
    let internalAudit;

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');

      // 1. self-assess chapter 9 (its three clauses), and see the chapter complete
      await page.goto(`/self-assessments/${assessment.id}`);
      const chapter9 = byTestId(page, 'sa-chapter').filter({ hasText: '绩效评价' });
      await chapter9.locator('.el-collapse-item__header').click();
      const clause = (n) => page.locator(`[data-testid="sa-clause"][data-clause="${n}"]`);
      await clause('9.1').waitFor();
      assert.ok((await clause('9.2').locator('[data-testid="sa-guidance"]').innerText()).length > 10, 'the clause shows our guidance');
      for (const [n, label] of [['9.1', '符合'], ['9.2', '部分符合'], ['9.3', '符合']]) {
        await choose(page, clause(n).locator('[data-testid="sa-item-status"]'), label);
        await clause(n).locator('[data-testid="sa-item-owner"]').fill('知识产权部');
        await clause(n).locator('[data-testid="sa-item-save"]').click();
        await clause(n).locator('[data-testid="sa-item-history"]').waitFor();
      }
      await chapter9.getByText('已评 3 / 3').waitFor();

      // 2. an internal audit of 9.2 finds a minor nonconformity
      await page.goto('/audits');
      await byTestId(page, 'audit-title').fill('2026 年度第二次内部审核');
      await byTestId(page, 'audit-start').fill('2026-10-12');
      await byTestId(page, 'audit-end').fill('2026-10-13');
      await byTestId(page, 'audit-lead').fill('王敏');
      await byTestId(page, 'audit-clauses').fill('9.2');
      await byTestId(page, 'audit-submit').click();
      await page.waitForURL(/\/audits\/\d+$/);
      internalAudit = Number(/\/audits\/(\d+)$/.exec(page.url())[1]);
      const row = page.locator('[data-testid="finding-row"][data-clause="9.2"]');
      await choose(page, row.locator('[data-testid="finding-select"]'), '一般不符合');
      await row.locator('textarea').fill('研发部门未纳入本年度内审');
      await row.locator('[data-testid="finding-save"]').click();
      await page.locator('.el-alert--success').waitFor();
      await byTestId(page, 'audit-ncs-none').waitFor();

      // 3. raise the nonconformity from the finding: the form opens filled from it
      await row.locator('[data-testid="finding-raise-nc"]').click();
      await byTestId(page, 'nc-form').waitFor();
      assert.equal(await byTestId(page, 'nc-clause').inputValue(), '9.2');
      assert.match(await byTestId(page, 'nc-audit').innerText(), new RegExp(`#${internalAudit} · 2026 年度第二次内部审核`));
      await byTestId(page, 'nc-description').fill(NC_TEXT);
      await byTestId(page, 'nc-owner').fill('李娜');
      await byTestId(page, 'nc-due').fill('2099-12-31');
      await byTestId(page, 'nc-submit').click();
      await page.waitForURL(/\/nonconformities\/\d+$/);
      ncId = Number(/\/nonconformities\/(\d+)$/.exec(page.url())[1]);
      await page.getByText(`#${internalAudit} 2026 年度第二次内部审核`).waitFor();   // raised by

      // 4. plan and implement the corrective action
      await byTestId(page, 'nc-root-cause').fill('内审方案未随组织架构调整更新');
      await byTestId(page, 'nc-action').fill('修订内审方案，补做研发部门内审');
      await byTestId(page, 'nc-save').click();
      await page.getByText('已保存').first().waitFor();
      await byTestId(page, 'nc-to-action_planned').click();
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '已制定措施' }).waitFor();
      await byTestId(page, 'nc-to-implemented').click();
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '已实施' }).waitFor();

      // 5. the internal audit lists it; its effectiveness check is written and it is signed off
      await page.goto(`/audits/${internalAudit}`);
      await page.locator(`[data-testid="audit-nc"][data-id="${ncId}"]`).waitFor();
      await byTestId(page, 'effectiveness-examined').fill('对照上年度的专利申请质量指标');
      await byTestId(page, 'effectiveness-findings').fill('发明专利授权率由 42% 升至 55%');
      await byTestId(page, 'effectiveness-save').click();
      await byTestId(page, 'audit-sign-off').click();
      await byTestId(page, 'audit-status').filter({ hasText: '已签署' }).waitFor();
      const report = await reportText(page);
      for (const s of ['内部审核', '9.2', NC_TEXT, '已实施', '发明专利授权率由42%升至55%'])
        assert.ok(report.includes(s), `the internal audit's report lacks ${s}`);
    });

    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');

      // 6. the body plans its stage 2 audit from the engagement's page
      await page.goto(`/engagements/${engagement.id}`);
      await byTestId(page, 'eng-new-audit').click();
      await byTestId(page, 'audit-form').waitFor();
      await byTestId(page, 'audit-title').fill('第二阶段审核（纠正措施验证）');
      await byTestId(page, 'audit-start').fill('2026-11-02');
      await byTestId(page, 'audit-end').fill('2026-11-03');
      await byTestId(page, 'audit-lead').fill('陈审核');
      await byTestId(page, 'audit-clauses').fill('9.2');
      await byTestId(page, 'audit-submit').click();
      await page.waitForURL(/\/audits\/\d+$/);
      const stage2 = Number(/\/audits\/(\d+)$/.exec(page.url())[1]);
      assert.match(await page.locator('h1').innerText(), /第二阶段审核（纠正措施验证）/);

      // 7. it verifies the corrective action effective, naming its audit
      await page.goto(`/nonconformities/${ncId}`);
      await byTestId(page, 'nc-status').filter({ hasText: '已实施' }).waitFor();
      assert.equal(await byTestId(page, 'nc-edit').count(), 0, 'the body does not edit the enterprise\'s action');
      await byTestId(page, 'nc-to-effective').click();
      await byTestId(page, 'nc-note').fill('抽查研发部门补做的内审记录，已覆盖');
      await choose(page, byTestId(page, 'nc-audit-id'), new RegExp(`^#${stage2} · `));
      await byTestId(page, 'nc-advance-submit').click();
      await byTestId(page, 'nc-status').filter({ hasText: '验证有效' }).waitFor();
      await page.getByText(`#${stage2} 第二阶段审核（纠正措施验证）`).waitFor();   // closed by

      // 8. the stage 2 audit: finding, effectiveness check, sign-off, report
      await page.goto(`/audits/${stage2}`);
      await page.locator(`[data-testid="audit-nc"][data-id="${ncId}"]`, { hasText: '验证有效' }).waitFor();
      const row = page.locator('[data-testid="finding-row"][data-clause="9.2"]');
      await choose(page, row.locator('[data-testid="finding-select"]'), '符合');
      await row.locator('[data-testid="finding-save"]').click();
      await page.locator('.el-alert--success').waitFor();
      await byTestId(page, 'effectiveness-examined').fill('内审覆盖率与专利质量指标的前后对比');
      await byTestId(page, 'effectiveness-findings').fill('内审覆盖全部部门，纠正措施有效');
      await byTestId(page, 'effectiveness-save').click();
      await byTestId(page, 'audit-sign-off').click();
      await byTestId(page, 'audit-status').filter({ hasText: '已签署' }).waitFor();
      const report = await reportText(page);
      for (const s of ['第二阶段审核', '中知认证有限公司', NC_TEXT, '本次审核验证有效', '内审覆盖全部部门，纠正措施有效'])
        assert.ok(report.includes(s), `the stage 2 report lacks ${s}`);
    });

    // the enterprise sees the nonconformity closed by the body's audit
    const nc = (await ent.request('GET', `/api/nonconformities/${ncId}`)).body;
    assert.equal(nc.status, 'effective');
    assert.equal(nc.raised_by_audit.id, internalAudit);
    assert.equal(nc.closed_by_audit.kind, 'stage2');
  });
});
