// Indicators in the browser (docs/effectiveness.md "Indicators"), on the seeded demo: the demo
// enterprise picks a year, enters values, is told beside the field that a share lies in 0–100,
// corrects it, saves and reads a value's history; the demo body goes from its engagement with
// that enterprise to its indicators and marks a ticked value, then the whole year, verified with
// its audit; an admin adds an indicator to the catalogue. Run after building the UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404)\b/ });

// a year before the demo seed's values (2016–2025), so that the page starts it empty
const YEAR = '2013';

describe('indicator pages', () => {
  test('the enterprise enters a year; a bound error shows beside the field; it saves and reads the history', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.getByRole('link', { name: '我的指标' }).first().click();
      await byTestId(page, 'ind-row').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/indicators');
      await page.getByRole('heading', { level: 1, name: '我的指标' }).waitFor();
      await byTestId(page, 'ind-year').selectOption(YEAR);
      // grouped by category, with unit and bounds
      await page.getByRole('heading', { level: 2, name: '质量指标' }).waitFor();
      const share = page.locator('[data-testid="ind-row"][data-code="rnd_share"]');
      assert.match(await share.textContent(), /研发投入占营业收入比例/);
      assert.match(await share.textContent(), /0–100/);
      await byTestId(page, 'ind-input-invention_grants').fill('12');
      await byTestId(page, 'ind-input-rnd_share').fill('150');
      await byTestId(page, 'ind-save').click();
      const error = byTestId(page, 'ind-error-rnd_share');
      await error.waitFor();
      assert.match(await error.textContent(), /0–100/);
      // nothing was written: the refused save kept every value out
      const ent = client();
      const me = (await ent.signIn('enterprise')).body.user;
      let values = (await ent.request('GET', `/api/enterprises/${me.enterprise_id}/indicators`)).body;
      assert.equal(values.years.find((y) => y.year === Number(YEAR))?.values.find((v) => v.code === 'invention_grants'), undefined);
      await byTestId(page, 'ind-input-rnd_share').fill('12.5');
      await byTestId(page, 'ind-save').click();
      await byTestId(page, 'ind-saved').waitFor();
      values = (await ent.request('GET', `/api/enterprises/${me.enterprise_id}/indicators`)).body;
      const year = values.years.find((y) => y.year === Number(YEAR));
      assert.equal(year.values.find((v) => v.code === 'invention_grants').value, 12);
      assert.equal(year.values.find((v) => v.code === 'rnd_share').value, 12.5);
      // a second change, then the history shows both with the previous value
      await byTestId(page, 'ind-input-invention_grants').fill('14');
      await byTestId(page, 'ind-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="ind-saved"]')?.textContent.includes('1'));
      await page.locator('[data-testid="ind-row"][data-code="invention_grants"] [data-testid="ind-history-button"]').click();
      const history = byTestId(page, 'ind-history');
      await history.waitFor();
      const text = await history.textContent();
      assert.match(text, /12 → 14/);
      assert.match(text, /— → 12/);
    });
  });

  test('the body reaches the client\'s indicators from its engagement and marks the year verified with its audit', async () => {
    const ent = client();
    const enterpriseId = (await ent.signIn('enterprise')).body.user.enterprise_id;
    // the year has values (the previous test may not have run alone)
    const saved = await ent.request('PUT', `/api/enterprises/${enterpriseId}/indicators/${YEAR}`,
      { json: { values: { invention_applications: 30, ip_staff: 2 } } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const engagements = (await body.request('GET', '/api/engagements?per_page=100')).body.items;
    const engagement = engagements.find((g) => g.enterprise.id === enterpriseId && ['active', 'decided'].includes(g.status));
    assert.ok(engagement, 'the demo body has an engagement with the demo enterprise');
    let audits = (await body.request('GET', `/api/audits?enterprise_id=${enterpriseId}&per_page=100`)).body.items;
    if (audits.length === 0) {
      const made = await body.request('POST', '/api/audits', { json: {
        kind: 'surveillance', engagement_id: engagement.id, edition: '2023', title: '指标核验审核', scope: '全部门',
        start_date: '2026-03-02', end_date: '2026-03-04', auditors: '张三', lead_auditor: '张三', clauses: ['9.1'] } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      audits = [made.body];
    }
    await withPage(async ({ page }) => {
      await signInTo(page, 'body', 'home-body');
      await page.goto(`/engagements/${engagement.id}`);
      await byTestId(page, 'eng-indicators').click();
      await byTestId(page, 'ind-row').first().waitFor();
      assert.equal(new URL(page.url()).pathname, `/enterprises/${enterpriseId}/indicators`);
      await byTestId(page, 'ind-year').selectOption(YEAR);
      // read-only for the body: no inputs, no save
      assert.equal(await page.locator('input[data-testid^="ind-input-"]').count(), 0);
      assert.equal(await byTestId(page, 'ind-save').count(), 0);
      await byTestId(page, 'ind-verify').click();
      await page.getByText('请先选择本机构对该企业的审核').waitFor();
      await byTestId(page, 'ind-verify-audit').click();
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
      // one ticked value first: only it is marked
      await byTestId(page, 'ind-pick-ip_staff').check();
      await byTestId(page, 'ind-verify').click();
      await byTestId(page, 'ind-verify-done').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="ind-verified"]').length === 1);
      assert.match(await page.locator('[data-testid="ind-row"][data-code="ip_staff"]').textContent(), /已核验/);
      // none ticked: the whole year
      await byTestId(page, 'ind-verify').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="ind-verified"]').length >= 2);
      const row = page.locator('[data-testid="ind-row"][data-code="invention_applications"]');
      assert.match(await row.textContent(), /已核验/);
    });
    const after = (await ent.request('GET', `/api/enterprises/${enterpriseId}/indicators`)).body;
    const v = after.years.find((y) => y.year === Number(YEAR)).values.find((x) => x.code === 'invention_applications');
    assert.ok(v.verified && audits.some((a) => a.id === v.verified.audit_id), JSON.stringify(v));
  });

  test('an admin adds an indicator to the catalogue', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'admin', 'home-admin');
      await page.goto('/admin/indicators');
      await byTestId(page, 'ind-admin-row').first().waitFor();
      const before = await byTestId(page, 'ind-admin-row').count();
      await byTestId(page, 'ind-admin-code').fill('Bad Code');
      await byTestId(page, 'ind-admin-submit').click();
      await byTestId(page, 'ind-admin-error').waitFor();
      await byTestId(page, 'ind-admin-code').fill('standards_led');
      await byTestId(page, 'ind-admin-name').fill('主导制定标准数');
      await byTestId(page, 'ind-admin-name-en').fill('Standards led');
      await byTestId(page, 'ind-admin-unit').fill('项');
      await byTestId(page, 'ind-admin-submit').click();
      await byTestId(page, 'ind-admin-done').waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="ind-admin-row"]').length === n, before + 1);
      assert.match(await page.locator('[data-testid="ind-admin-row"][data-code="standards_led"]').textContent(), /主导制定标准数/);
    });
  });
});
