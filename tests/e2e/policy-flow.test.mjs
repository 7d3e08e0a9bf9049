// Browser test of the fair-policy checker's pages (docs/policies.md "Pages") against the real
// binary with the seeded demo, as people would use them: the Guangdong regulator registers a
// policy by pasting a text with one R1 violation in its middle, sees exactly that sentence
// highlighted with its explanation, confirms it with a reason, sets the policy to be amended,
// adds a revision without the violation, sets it amended and downloads the review report; a
// file upload is checked too, and a PDF without text is refused beside the file field; the
// national regulator finds it in the view by province and in the list, and judges another of
// the province's policies compliant, which its registrant is told; an enterprise has no
// menu entry and gets the forbidden page; the quick check highlights a pasted violation; the
// rules page shows R1–R4, and the national regulator's new rule is refused for a bad pattern,
// then saved as a new version.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { pdfText } from '../lib/pdf.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409|422)\b/ });

const TITLE = '广东省支持企业知识产权管理体系建设若干措施（浏览器测试）';
const VIOLATION = '申报省级知识产权示范企业的，须通过知识产权管理体系认证方可申报。';
const FAIR = '申报省级知识产权示范企业的，不得将通过知识产权管理体系认证作为申报条件。';
const text = (middle) => [
  '为深入实施知识产权强省战略，引导企业建立规范的知识产权管理制度，提升企业创新能力，制定本措施。',
  '一、总体要求。坚持企业主体、政府引导，推动企业将知识产权工作融入研发、生产和经营的全过程。',
  `二、申报条件。${middle}企业应在申报截止日前提交材料。`,
  '三、奖励办法。对专利质量和运用效益显著提升的企业，按提升幅度给予奖励，每家最高不超过二十万元。',
].join('\n\n');

/** A PDF with one empty page, as a scan without its text layer reads: no text to extract. */
function pdfWithoutText() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The texts of the highlighted spans on the page. */
const marks = (page) => byTestId(page, 'policy-mark').allTextContents();

describe('the fair-policy checker in the web UI', () => {
  test('a regulator registers a policy, reviews its finding, amends it and downloads the report', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'policy-new-page', `/login?redirect=${encodeURIComponent('/policies/new')}`);
      await byTestId(page, 'policy-title').fill(TITLE);
      await byTestId(page, 'policy-office').fill('广东省知识产权局');
      await byTestId(page, 'policy-number').fill('粤知测〔2026〕1号');
      await byTestId(page, 'policy-issued').fill('2026-03-01');
      // the region is the regulator's own province already
      await byTestId(page, 'policy-region').locator('[data-level="province"]').getByText('广东省').waitFor();
      await byTestId(page, 'policy-text-text').fill(text(VIOLATION));
      await byTestId(page, 'policy-submit').click();
      await page.waitForURL(/\/policies\/\d+$/);
      await byTestId(page, 'policy-status').filter({ hasText: '待审查' }).waitFor();

      // exactly the violating sentence is highlighted, with its explanation in its card
      await byTestId(page, 'policy-mark').first().waitFor();
      const found = await marks(page);
      assert.equal(found.length, 1, `one highlight: ${JSON.stringify(found)}`);
      assert.equal(found[0].replace(/[。\s]+$/u, ''), VIOLATION.replace(/。$/u, ''));
      const card = byTestId(page, 'policy-finding');
      assert.equal(await card.count(), 1);
      assert.equal(await card.getAttribute('data-rule'), 'R1');
      assert.match(await card.innerText(), /说明\s*\S+/u);
      // the number after the mark links to the card
      assert.equal(await byTestId(page, 'policy-mark-ref').getAttribute('href'), '#pf-finding-1');

      // its details edited: the document number changed
      await byTestId(page, 'policy-edit').click();
      await byTestId(page, 'policy-edit-number').fill('粤知测〔2026〕2号');
      await byTestId(page, 'policy-edit-save').click();
      await byTestId(page, 'policy-facts').filter({ hasText: '粤知测〔2026〕2号' }).waitFor();
      assert.equal(await byTestId(page, 'policy-meta-form').count(), 0);

      // confirm it: a reason is required
      await byTestId(page, 'policy-confirm').click();
      await byTestId(page, 'policy-decide-submit').click();
      await byTestId(page, 'policy-decide-error').filter({ hasText: '请填写理由' }).waitFor();
      await byTestId(page, 'policy-reason').fill('把通过贯标认证作为申报示范企业的前提条件，违反通知第三点');
      await byTestId(page, 'policy-decide-submit').click();
      await page.locator('[data-testid="policy-finding"][data-decision="confirmed"]').waitFor();
      assert.match(await byTestId(page, 'policy-finding-reason').innerText(), /违反通知第三点/u);

      // a confirmed finding: to be amended (compliant is not offered)
      assert.equal(await byTestId(page, 'policy-set-compliant').count(), 0);
      await byTestId(page, 'policy-set-to_amend').click();
      await byTestId(page, 'policy-status').filter({ hasText: '待修改' }).waitFor();

      // the amended text has no finding; the policy is then amended
      await byTestId(page, 'policy-rev-text').fill(text(FAIR));
      await byTestId(page, 'policy-revision-submit').click();
      await byTestId(page, 'policy-no-findings').waitFor();
      assert.equal(await byTestId(page, 'policy-mark').count(), 0);
      assert.equal(await byTestId(page, 'policy-revision').count(), 2);
      await byTestId(page, 'policy-status-note-input').fill('已删除以认证为申报前提的条款');
      await byTestId(page, 'policy-set-amended').click();
      await byTestId(page, 'policy-status').filter({ hasText: '已修改' }).waitFor();

      // the review report
      const pdf = await page.request.get(await byTestId(page, 'policy-pdf').getAttribute('href'));
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'], /^application\/pdf/);
      assert.ok(pdfText(await pdf.body()).replace(/\s+/g, '').includes(TITLE), 'the report has the title');
      const xlsx = await page.request.get(await byTestId(page, 'policy-xlsx').getAttribute('href'));
      assert.equal(xlsx.status(), 200);
    });
  });

  test('a policy uploaded as a file is checked; a PDF without text is refused beside the field', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'policy-new-page', `/login?redirect=${encodeURIComponent('/policies/new')}`);
      await byTestId(page, 'policy-title').fill('扫描件测试政策');
      await byTestId(page, 'policy-office').fill('深圳市市场监督管理局');
      await byTestId(page, 'policy-text-upload').click();
      const input = page.locator('[data-testid="policy-text-file-input"]');
      await input.setInputFiles({ name: '扫描件.pdf', mimeType: 'application/pdf', buffer: pdfWithoutText() });
      await byTestId(page, 'policy-text-file-name').filter({ hasText: '扫描件.pdf' }).waitFor();
      await byTestId(page, 'policy-submit').click();
      await byTestId(page, 'field-error-file_id').filter({ hasText: '没有可提取的文字' }).waitFor();
      assert.match(page.url(), /\/policies\/new$/);

      // the same form with a text file: registered and checked
      await input.setInputFiles({ name: '措施.txt', mimeType: 'text/plain', buffer: Buffer.from(text(VIOLATION), 'utf8') });
      await byTestId(page, 'policy-text-file-name').filter({ hasText: '措施.txt' }).waitFor();
      await byTestId(page, 'policy-submit').click();
      await page.waitForURL(/\/policies\/\d+$/);
      await byTestId(page, 'policy-mark').first().waitFor();
      const found = await marks(page);
      assert.equal(found.length, 1);
      assert.equal(found[0].replace(/[。\s]+$/u, ''), VIOLATION.replace(/。$/u, ''));
    });
  });

  test('the national regulator sees the policy by province and in the list', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'policies-page', `/login?redirect=${encodeURIComponent('/policies')}`);
      const guangdong = page.locator('[data-testid="policy-region-row"][data-region="440000"]');
      await guangdong.waitFor();
      assert.match(await guangdong.innerText(), /广东/u);
      assert.ok(Number(await guangdong.locator('[data-status="amended"]').innerText()) >= 1, 'an amended policy in Guangdong');
      await byTestId(page, 'policy-region-chart').locator('canvas').waitFor();

      await byTestId(page, 'policy-filter-q').fill('浏览器测试');
      await byTestId(page, 'policy-search').click();
      await page.waitForURL(/q=/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="policy-row"]').length === 1);
      const row = byTestId(page, 'policy-row');
      assert.match(await row.innerText(), new RegExp(TITLE.replace(/[（）]/g, '.')));
      assert.equal(await row.getAttribute('data-status'), 'amended');
      assert.match(await row.innerText(), /已修改/u);
      // the filtered list as a file
      const csv = await page.request.get(await byTestId(page, 'policy-export-csv').getAttribute('href'));
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'], /^text\/csv/);
      const rows = (await csv.text()).trim().split('\n');
      assert.equal(rows.length, 2, 'a header and the one policy');
      assert.ok(rows[1].includes(TITLE));
    });
  });

  test('the national regulator judges a province\'s policy compliant; its registrant is told', async () => {
    const gd = client();
    assert.equal((await gd.signIn('regulator-gd')).status, 200);
    const fair = await gd.request('POST', '/api/policies', {
      json: { title: '广东省专利质量提升奖励办法（浏览器测试）', office: '广东省知识产权局', region: '440000', text: text(FAIR) },
    });
    assert.equal(fair.status, 201);
    assert.equal(fair.body.findings.length, 0);
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'policy-detail', `/login?redirect=${encodeURIComponent(`/policies/${fair.body.id}`)}`);
      await byTestId(page, 'policy-no-findings').waitFor();
      assert.equal(await byTestId(page, 'policy-set-to_amend').count(), 0);   // nothing confirmed
      await byTestId(page, 'policy-status-note-input').fill('以实际成效为奖励依据，符合要求');
      await byTestId(page, 'policy-set-compliant').click();
      await byTestId(page, 'policy-status').filter({ hasText: '符合' }).waitFor();
      assert.match(await byTestId(page, 'policy-status-note').innerText(), /以实际成效为奖励依据/u);
    });
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'inbox-page', `/login?redirect=${encodeURIComponent('/notifications')}`);
      const item = byTestId(page, 'inbox-item-unread').filter({ hasText: '广东省专利质量提升奖励办法' });
      await item.waitFor();
      assert.match(await item.innerText(), /所登记政策的审查结论/u);
      await item.click();
      await page.waitForURL(new RegExp(`/policies/${fair.body.id}$`));
      await byTestId(page, 'policy-status').filter({ hasText: '符合' }).waitFor();
    });
  });

  test('an enterprise has no policy menu and is refused the pages', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      assert.equal(await page.locator('a[href="/policies"]').count(), 0);
      assert.equal(await page.locator('a[href="/policy-check"]').count(), 0);
      await page.goto('/policies');
      await byTestId(page, 'forbidden').waitFor();
    });
  });

  test('the quick check highlights a pasted violation and stores nothing', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'policy-check-page', `/login?redirect=${encodeURIComponent('/policy-check')}`);
      await byTestId(page, 'policy-check-submit').click();
      await byTestId(page, 'policy-check-error').waitFor();
      await byTestId(page, 'policy-check-text').fill(text(VIOLATION));
      await byTestId(page, 'policy-check-submit').click();
      await byTestId(page, 'policy-check-result').waitFor();
      const found = await marks(page);
      assert.equal(found.length, 1);
      assert.equal(found[0].replace(/[。\s]+$/u, ''), VIOLATION.replace(/。$/u, ''));
      assert.equal(await byTestId(page, 'policy-finding').getAttribute('data-rule'), 'R1');
      assert.match(await byTestId(page, 'policy-finding').innerText(), /通知第三点/);
      // the explanation follows the page's language
      await byTestId(page, 'lang-switch').click();
      await page.waitForFunction(() => /Point 三 of the notice/.test(document.querySelector('[data-testid="policy-finding"]')?.innerText ?? ''));
      await byTestId(page, 'lang-switch').click();
      await page.waitForFunction(() => /通知第三点/.test(document.querySelector('[data-testid="policy-finding"]')?.innerText ?? ''));
      await byTestId(page, 'policy-check-text').fill(text(FAIR));
      await byTestId(page, 'policy-check-submit').click();
      await byTestId(page, 'policy-check-none').waitFor();
      assert.equal(await byTestId(page, 'policy-mark').count(), 0);
    });
  });

  test('the rules page shows R1 to R4 and their versions', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator-gd', 'policy-rules-page', `/login?redirect=${encodeURIComponent('/policy-rules')}`);
      await byTestId(page, 'policy-rule').first().waitFor();
      const codes = await page.locator('[data-testid="policy-rule"]').evaluateAll((els) => els.map((e) => e.dataset.code));
      for (const code of ['R1', 'R2', 'R3', 'R4']) assert.ok(codes.includes(code), `rule ${code} shown (${codes})`);
      assert.ok(await byTestId(page, 'policy-rule-pattern').count() >= 4);
      assert.equal(await byTestId(page, 'policy-rules-edit').count(), 0);   // a province does not edit the rules
      assert.ok(await byTestId(page, 'policy-rules-versions').locator('li').count() >= 1);
    });
  });

  test('the national regulator\'s bad pattern is refused at its field; corrected, a new version is saved', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'policy-rules-page', `/login?redirect=${encodeURIComponent('/policy-rules')}`);
      const before = await byTestId(page, 'policy-rules-version').getAttribute('data-version');
      await byTestId(page, 'policy-rules-edit').click();
      await byTestId(page, 'policy-rules-form').waitFor();
      await byTestId(page, 'policy-rules-add').click();
      const added = byTestId(page, 'policy-rule-form').last();
      const index = await added.getAttribute('data-index');
      await added.locator('[data-testid="policy-rule-code"]').fill('R9');
      await added.locator('[data-testid="policy-rule-title-zh"]').fill('测试规则');
      await added.locator('[data-testid="policy-rule-title-en"]').fill('A test rule');
      await added.locator('[data-testid="policy-rule-explanation-zh"]').fill('测试说明');
      await added.locator('[data-testid="policy-rule-explanation-en"]').fill('A test explanation');
      await added.locator('[data-testid="policy-rule-match"]').fill('认证(未闭合');
      await byTestId(page, 'policy-rules-note').fill('浏览器测试');
      await byTestId(page, 'policy-rules-save').click();
      const error = page.locator(`[data-testid="policy-field-error"][data-field="rules[${index}].patterns[0].match"]`);
      await error.waitFor();
      assert.ok((await error.innerText()).length > 0);
      // corrected, it is saved as the next version (the refused one was not saved)
      await added.locator('[data-testid="policy-rule-match"]').fill('浏览器测试专用词语');
      await byTestId(page, 'policy-rules-save').click();
      await page.locator(`[data-testid="policy-rules-version"][data-version="${Number(before) + 1}"]`).waitFor();
      await page.locator('[data-testid="policy-rule"][data-code="R9"]').waitFor();
      assert.match(await byTestId(page, 'policy-rules-versions').locator('li').first().innerText(), /浏览器测试/u);
      // the version before, for reading only: without R9 and without the edit button
      await page.locator(`[data-testid="policy-rules-versions"] li[data-version="${before}"] [data-testid="policy-rules-view"]`).click();
      await page.locator(`[data-testid="policy-rules-version"][data-version="${before}"]`).waitFor();
      assert.equal(await page.locator('[data-testid="policy-rule"][data-code="R9"]').count(), 0);
      assert.equal(await byTestId(page, 'policy-rules-edit').count(), 0);
      await byTestId(page, 'policy-rules-current').click();
      await page.locator('[data-testid="policy-rule"][data-code="R9"]').waitFor();
      assert.equal(await byTestId(page, 'policy-rules-edit').count(), 1);
    });
  });
});
