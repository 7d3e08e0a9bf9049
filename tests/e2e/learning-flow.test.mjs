// The learning platform's whole flow in the browser (issue 11; docs/learning.md), on the seeded
// demo, as a learner walks it: the demo enterprise's user searches 内审 in the top bar, finds the
// internal-auditor course among the highlighted results, reads and completes each of its lessons,
// takes the quiz (answering what the course's question bank, read by a regulator, says is right),
// passes it, follows the certificate of completion to its public verification page and downloads
// its PDF; then registers for an upcoming activity and downloads its calendar file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';
import { pdfText } from '../lib/pdf.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (401|404|409)\b/ });

const COURSE = '内审员培训：知识产权管理体系内部审核';

describe('learning from search to a certificate of completion', () => {
  test('search 内审, complete the course, pass the quiz, verify the certificate, register for an activity', async () => {
    const learner = client();
    assert.equal((await learner.signIn('enterprise')).status, 200);
    const regulator = client();
    assert.equal((await regulator.signIn('regulator')).status, 200);

    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');

      // 1. search from the top bar; the course is among the results, the words highlighted
      await byTestId(page, 'header-search-input').fill('内审');
      await byTestId(page, 'header-search-input').press('Enter');
      await page.waitForURL(/\/search\?.*q=/);
      const hit = page.locator('[data-testid="search-result"][data-type="course"]', { hasText: COURSE }).first();
      await hit.waitFor();
      assert.ok(await hit.locator('mark').count() > 0, 'the matched words are highlighted');
      await hit.locator('a[href^="/courses/"]').first().click();
      await page.waitForURL(/\/courses\/\d+$/);
      const courseId = Number(/\/courses\/(\d+)$/.exec(page.url())[1]);
      await byTestId(page, 'course-lesson').first().waitFor();
      const lessons = await byTestId(page, 'course-lesson').count();
      assert.ok(lessons >= 2, 'the course has its lessons');

      // 2. read and complete every lesson, in order, then go to the quiz
      await byTestId(page, 'course-lesson').first().locator('a').first().click();
      for (let i = 0; i < lessons; i++) {
        await byTestId(page, 'lesson-body').waitFor();
        await byTestId(page, 'lesson-complete').click();
        await byTestId(page, 'lesson-completed').waitFor();
        if (i < lessons - 1) await byTestId(page, 'lesson-next').click();
      }
      await byTestId(page, 'lesson-quiz').click();
      await page.waitForURL(new RegExp(`/learning/courses/${courseId}/quiz$`));
      await byTestId(page, 'quiz-question').first().waitFor();

      // 3. the attempt the page started (the learner's open one) and the bank's right answers
      const attempt = (await learner.request('POST', `/api/courses/${courseId}/quiz-attempts`)).body;
      assert.ok(!JSON.stringify(attempt).includes('"correct"'), 'no answers before submission');
      const bank = (await regulator.request('GET', `/api/courses/${courseId}/questions`)).body.items;
      const right = new Map(bank.map((q) => [q.id, q.correct]));
      assert.equal(await byTestId(page, 'quiz-question').count(), attempt.questions.length);
      for (const [i, q] of attempt.questions.entries()) {
        const options = byTestId(page, 'quiz-question').nth(i).locator('[data-testid="quiz-option"]');
        for (const k of right.get(q.id)) await options.nth(k).click();
      }
      await byTestId(page, 'quiz-submit').click();
      await byTestId(page, 'quiz-result').waitFor();
      assert.match(await byTestId(page, 'quiz-score').innerText(), /100/);

      // 4. the certificate of completion: verified publicly, its PDF names the course
      await byTestId(page, 'quiz-certificate').locator('a').click();
      await byTestId(page, 'completion-valid').waitFor();
      assert.equal(await byTestId(page, 'completion-course').innerText(), COURSE);
      const pdf = await page.request.get(await byTestId(page, 'completion-pdf').getAttribute('href'));
      assert.equal(pdf.status(), 200);
      assert.match(pdfText(await pdf.body()).replace(/\s+/g, ''), new RegExp(COURSE.replace(/\s+/g, '')));

      // 5. an upcoming activity the learner has not registered for: a seat, or a place on the
      //    waiting list when it is full
      const activities = (await learner.request('GET', '/api/activities?per_page=100')).body.items;
      let open = null;
      for (const a of activities.filter((x) => x.status === 'published' && Date.parse(x.starts_at) > Date.now())) {
        if (!(await learner.request('GET', `/api/activities/${a.id}`)).body.mine) { open = a; break; }
      }
      assert.ok(open, 'the demo has an upcoming activity the learner has not registered for');
      await page.goto(`/activities/${open.id}`);
      await byTestId(page, 'activity-register').click();
      await byTestId(page, 'activity-mine').waitFor();
      const mine = (await learner.request('GET', `/api/activities/${open.id}`)).body.mine;
      assert.equal(mine.status, open.seats_left > 0 ? 'registered' : 'waitlisted');
      const ics = await page.request.get(await byTestId(page, 'activity-ics').getAttribute('href'));
      assert.equal(ics.status(), 200);
      assert.match(await ics.text(), /BEGIN:VCALENDAR[\s\S]*BEGIN:VEVENT/);
    });
  });
});
