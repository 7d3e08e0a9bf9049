// The question-bank editor of issue 11 (slice qbank) in the browser: a regulator opens a
// course's bank from the authoring page, sees the quiz settings and the note that the bank is
// shorter than a quiz, adds a multiple-choice question (a bad input first: its errors beside the
// fields), a learner's quiz draws it, the regulator edits it and removes it (after confirming).
// Run from the repository root after building the server and the UI:
//   node --test tests/e2e/learning-questions.test.mjs
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { rows as sql } from '../api/lib/sql.mjs';
import { plantQuizCourse } from './lib/learning-quiz-fixture.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|404|422)\b/ });
const { withPage, client } = env;

const TITLE = '题库编辑测试课程';
const QUESTION = '知识产权管理体系内部审核应关注哪些方面？';
const EDITED = '内部审核应关注哪些方面（已修改）？';

describe('learning: the question-bank editor', () => {
  let planted;
  before(async () => {
    const regulator = client();
    assert.equal((await regulator.signIn('regulator')).status, 200);
    planted = await plantQuizCourse(env.server, regulator, TITLE); // 3 questions
    sql(env.server, `UPDATE courses SET quiz_size = 4 WHERE id = ${planted.course}`);
    const learner = client();
    assert.equal((await learner.signIn('enterprise')).status, 200);
    for (const id of planted.lessons) {
      const r = await learner.request('POST', `/api/lessons/${id}/progress`, { json: { event: 'completed' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  });

  test('add a multiple-choice question (a bad input first), a quiz draws it, edit it, remove it', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto('/learning/authoring');
      const row = page.locator('li', { has: page.getByText(TITLE, { exact: true }) });
      await row.locator('[data-testid="authoring-questions"]').click();
      await page.waitForURL(new RegExp(`/learning/courses/${planted.course}/questions$`));
      await byTestId(page, 'qbank-question').first().waitFor();
      assert.equal(await byTestId(page, 'qbank-question').count(), 3);
      assert.match(await byTestId(page, 'qbank-settings').innerText(), /4 题.*60 分.*3 次/);
      assert.match(await byTestId(page, 'qbank-short').innerText(), /只有 3 题，少于每次测验抽取的 4 题/);
      // the planted true/false question: its fixed options, the first marked correct
      const tf = byTestId(page, 'qbank-question').filter({ hasText: '审核员应保持客观和公正。' });
      assert.deepEqual(await tf.locator('[data-testid="qbank-option"]').allInnerTexts(), ['正确 ✓ 正确答案', '错误']);

      // a bad input: a one-character text and no correct option → both errors beside their fields
      await byTestId(page, 'qbank-kind').nth(1).check();
      await byTestId(page, 'qbank-text').fill('x');
      await byTestId(page, 'qbank-option-text').nth(0).fill('审核范围和准则');
      await byTestId(page, 'qbank-option-text').nth(1).fill('审核证据');
      await byTestId(page, 'qbank-save').click();
      await byTestId(page, 'field-error-text').waitFor();
      await byTestId(page, 'field-error-correct').waitFor();
      assert.match(await byTestId(page, 'field-error-correct').innerText(), /多选题至少一个/);
      assert.equal(await byTestId(page, 'qbank-question').count(), 3, 'nothing added');

      // the good one: three options, the first and third correct, an explanation, clauses
      await byTestId(page, 'qbank-text').fill(QUESTION);
      await byTestId(page, 'qbank-add-option').click();
      await byTestId(page, 'qbank-option-text').nth(2).fill('纠正措施的有效性');
      await byTestId(page, 'qbank-option-correct-input').nth(0).check();
      await byTestId(page, 'qbank-option-correct-input').nth(2).check();
      await byTestId(page, 'qbank-explanation').fill('见 9.2 和 10.2。');
      await byTestId(page, 'qbank-clauses').fill('9.2 10.2');
      await byTestId(page, 'qbank-save').click();
      await byTestId(page, 'qbank-message').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="qbank-question"]').length === 4);
      assert.equal(await byTestId(page, 'qbank-short').count(), 0, 'the bank is no longer short');
      const added = byTestId(page, 'qbank-question').filter({ hasText: QUESTION });
      assert.match(await added.innerText(), /多选题/);
      assert.deepEqual(await added.locator('[data-testid="qbank-option-correct"]').count(), 2);
      assert.match(await added.innerText(), /9\.2.*10\.2/s);
    });

    // a learner's quiz of four questions draws the new one
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/learning/courses/${planted.course}/quiz`);
      await byTestId(page, 'quiz-question').first().waitFor();
      assert.equal(await byTestId(page, 'quiz-question').count(), 4);
      assert.ok((await page.content()).includes(QUESTION), 'the quiz drew the new question');
    });

    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto(`/learning/courses/${planted.course}/questions`);
      const added = byTestId(page, 'qbank-question').filter({ hasText: QUESTION });
      await added.waitFor();
      await added.locator('[data-testid="qbank-edit"]').click();
      assert.equal(await byTestId(page, 'qbank-text').inputValue(), QUESTION);
      await byTestId(page, 'qbank-text').fill(EDITED);
      await byTestId(page, 'qbank-option-correct-input').nth(0).uncheck();
      await byTestId(page, 'qbank-save').click();
      const edited = byTestId(page, 'qbank-question').filter({ hasText: EDITED });
      await edited.waitFor();
      assert.equal(await edited.locator('[data-testid="qbank-option-correct"]').count(), 1);
      assert.equal(await byTestId(page, 'qbank-question').filter({ hasText: QUESTION }).count(), 0);

      await edited.locator('[data-testid="qbank-remove"]').click();
      await edited.locator('[data-testid="qbank-remove-confirm"]').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="qbank-question"]').length === 3);
      assert.equal(await byTestId(page, 'qbank-question').filter({ hasText: EDITED }).count(), 0);
      await byTestId(page, 'qbank-short').waitFor();
    });
  });

  test('a learner is sent to the forbidden page', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/learning/courses/${planted.course}/questions`);
      await page.waitForURL(/\/forbidden$/);
      assert.equal(await byTestId(page, 'qbank-page').count(), 0);
    });
  });
});
