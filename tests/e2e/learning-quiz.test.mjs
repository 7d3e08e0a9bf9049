// The quiz slice of issue 11 in the browser: a learner who has completed a course's lessons takes
// its quiz (the questions shown without answers), submits it, sees the score with the correct
// answers and explanations, follows the certificate of completion to its public verification
// page and downloads its PDF (the course title inside); "我的学习" lists the course with its
// certificate; the manager sees the staff's progress.
// Run from the repository root after building the server and the UI:  node --test tests/e2e/
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { pdfText } from '../lib/pdf.mjs';
import { plantQuizCourse, QUIZ_COURSE_TITLE } from './lib/learning-quiz-fixture.mjs';

const env = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404)\b/ });
const { withPage, client } = env;

describe('learning: quiz, certificate of completion, progress', () => {
  let planted;
  before(async () => {
    const regulator = client();
    assert.equal((await regulator.signIn('regulator')).status, 200);
    planted = await plantQuizCourse(env.server, regulator);
    // the lessons are completed through the API (the lesson pages are the content slice's)
    const learner = client();
    assert.equal((await learner.signIn('enterprise')).status, 200);
    for (const id of planted.lessons) {
      const r = await learner.request('POST', `/api/lessons/${id}/progress`, { json: { event: 'completed' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  });

  test('pass the quiz, verify and download the certificate, see it in my learning', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.goto(`/learning/courses/${planted.course}/quiz`);
      await byTestId(page, 'quiz-question').first().waitFor();
      assert.equal(await byTestId(page, 'quiz-question').count(), 3);
      assert.equal(await byTestId(page, 'quiz-verdict').count(), 0, 'no answer before submission');
      assert.ok(!(await page.content()).includes('审核原则之一'), 'no explanation before submission');
      for (let i = 0; i < 3; i++) await byTestId(page, 'quiz-question').nth(i).locator('[data-testid="quiz-option"]').first().click();
      await byTestId(page, 'quiz-submit').click();
      await byTestId(page, 'quiz-result').waitFor();
      assert.match(await byTestId(page, 'quiz-score').innerText(), /100/);
      assert.equal(await byTestId(page, 'quiz-verdict').count(), 3);
      assert.match(await page.locator('.explanation').first().innerText(), /GB\/T 29490|审核/);

      await byTestId(page, 'quiz-certificate').locator('a').click();
      await byTestId(page, 'completion-valid').waitFor();
      assert.equal(await byTestId(page, 'completion-course').innerText(), QUIZ_COURSE_TITLE);
      const number = await byTestId(page, 'completion-number').innerText();
      const href = await byTestId(page, 'completion-pdf').getAttribute('href');
      const pdf = await page.request.get(href);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.match(pdfText(await pdf.body()), new RegExp(QUIZ_COURSE_TITLE));

      await page.goto('/me/learning');
      await byTestId(page, 'my-learning-course').first().waitFor();
      assert.match(await byTestId(page, 'my-learning-certificate').first().innerText(), new RegExp(number));

      await page.goto('/learning/staff');
      await byTestId(page, 'staff-learning-table').waitFor();
      assert.match(await byTestId(page, 'staff-learning-table').innerText(), new RegExp(QUIZ_COURSE_TITLE));
    });
  });

  test('a number that does not exist: not found, publicly', async () => {
    await withPage(async ({ page }) => {
      await page.goto('/learning/certificates/XC000000FFFFFFFFFF');
      await byTestId(page, 'completion-not-found').waitFor();
    });
  });
});
