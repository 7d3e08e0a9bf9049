// Browser test of the effectiveness pages (issue 10; docs/effectiveness.md "Pages and report")
// against the real binary with the seeded demo and results planted with SQL: the enterprise opens
// its page and sees the index, verdict, grade, what drove the result, the table and both charts,
// and downloads the PDF report; the audit page shows the index; the Guangdong regulator's supervision page lists the form-only
// enterprise and the distributions, each with a chart and a table.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { plantEffectiveness } from './lib/effectiveness-fixture.mjs';
import { rows as sql } from '../api/lib/sql.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });

describe('the effectiveness pages', () => {
  let ids;
  before(async () => {
    const ent = env.client();
    const demo = (await ent.signIn('enterprise')).body.user.enterprise_id;
    ids = await plantEffectiveness(env.server, demo);
  });

  test('the enterprise sees its index, verdict, table and charts, and downloads the PDF', async () => {
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/effectiveness"]').first().click();
      await byTestId(page, 'eff-row').first().waitFor();
      assert.match(await byTestId(page, 'eff-index').textContent(), /62\.5/);
      assert.equal((await byTestId(page, 'eff-verdict').textContent()).trim(), '有所提升');
      assert.match(await byTestId(page, 'eff-grade').textContent(), /B/);
      assert.equal(await byTestId(page, 'eff-form-only').count(), 0);
      assert.deepEqual(await page.locator('[data-testid="eff-row"]').evaluateAll((rs) => rs.map((r) => r.dataset.code)),
        ['invention_grants', 'grant_rate', 'rnd_share']);
      const row = await page.locator('[data-testid="eff-row"][data-code="invention_grants"]').textContent();
      for (const s of ['发明专利授权量', '10.00', '20.00', '0.6466', '0.2000', '7', '1.50']) assert.ok(row.includes(s), `${s} in ${row}`);
      const drivers = await byTestId(page, 'eff-drivers').textContent();
      assert.ok(drivers.includes('拉动最大的是「发明专利授权量」') && drivers.includes('拖累最大的是「发明专利授权率」'), drivers);
      await byTestId(page, 'eff-chart-before-after').locator('canvas').waitFor();
      await byTestId(page, 'eff-chart-scaled').locator('canvas').waitFor();
      const href = await byTestId(page, 'eff-pdf').getAttribute('href');
      assert.equal(href, `/api/enterprises/${ids.demo}/effectiveness/pdf`);
      const pdf = await page.request.get(href);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    });
  });

  test('the audit page shows the enterprise\'s current index with links to the page and the PDF', async () => {
    const ent = env.client();
    await ent.signIn('enterprise');
    const audit = (await ent.request('GET', '/api/audits?per_page=1')).body.items[0];
    assert.ok(audit, 'the demo enterprise has an audit');
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/audits/${audit.id}`);
      const line = byTestId(page, 'audit-effectiveness-index');
      await line.waitFor();
      const text = await line.textContent();
      assert.ok(text.includes('62.5') && text.includes('有所提升') && text.includes('等级 B'), text);
      assert.equal(await byTestId(page, 'audit-effectiveness-pdf').getAttribute('href'), `/api/enterprises/${ids.demo}/effectiveness/pdf`);
      await byTestId(page, 'audit-effectiveness-link').click();
      await page.waitForURL(new RegExp(`/enterprises/${ids.demo}/effectiveness$`));
      await byTestId(page, 'eff-row').first().waitFor();
    });
  });

  test('the regulator sees the form-only enterprise and the distributions', async () => {
    await env.withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'home-regulator');
      await page.locator('a[href="/effectiveness/supervision"]').first().click();
      await byTestId(page, 'effs-form-only-row').first().waitFor();
      const flagged = page.locator(`[data-testid="effs-form-only-row"][data-id="${ids.flagged}"]`);
      assert.equal(await flagged.count(), 1);
      assert.match(await flagged.textContent(), /41\.5/);
      for (const by of ['region', 'industry', 'body']) {
        await byTestId(page, `effs-chart-${by}`).locator('canvas').waitFor();
        assert.ok(await byTestId(page, `effs-row-${by}`).count() >= 1, by);
      }
      const csv = await page.request.get(await byTestId(page, 'effs-export-csv-form-only').getAttribute('href'));
      assert.equal(csv.status(), 200);
      assert.ok((await csv.text()).includes('41.5'));
      // the flagged enterprise's page, from the list
      await flagged.locator('a').click();
      await byTestId(page, 'eff-form-only').waitFor();
      // an enterprise not evaluated yet says so
      const [[unevaluated]] = sql(env.server, "SELECT id FROM enterprises WHERE region LIKE '44%' AND id NOT IN "
        + '(SELECT enterprise_id FROM effectiveness_results) ORDER BY id LIMIT 1');
      await page.goto(`/enterprises/${unevaluated}/effectiveness`);
      assert.match(await byTestId(page, 'eff-none').textContent(), /尚未评价/);
    });
  });
});
