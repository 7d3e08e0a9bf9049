// Activities in the browser (issue 11, docs/learning.md "Activities"): a learner finds an
// activity in the list, registers for a full one and sees their place on the waiting list,
// downloads its .ics file, moves up when the seat holder cancels, and checks in with the
// organiser's code; the organiser sees the code and the attendance on the activity's page.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useBrowser, byTestId, signInTo } from './lib/browser.mjs';

const { withPage, client } = useBrowser({ expectedConsole: /^Failed to load resource: the server responded with a status of (400|401|403|404|409)\b/ });

describe('activities in the browser', () => {
  const title = `贯标内审员交流沙龙-${Date.now()}`;
  let activity, regulator, body;

  before(async () => {
    regulator = client();
    assert.equal((await regulator.signIn('regulator')).status, 200);
    body = client();
    assert.equal((await body.signIn('body')).status, 200);
    const start = Date.now() + 5 * 86400 * 1000;
    const r = await regulator.request('POST', '/api/activities', { json: {
      title, description: '交流**内审**经验。', mode: 'onsite', capacity: 1, place: '北京市海淀区西土城路 6 号',
      starts_at: new Date(start).toISOString(), ends_at: new Date(start + 7200 * 1000).toISOString() } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    activity = (await regulator.request('POST', `/api/activities/${r.body.id}/publish`)).body;
    // the one seat is taken by the demo body's user
    assert.equal((await body.request('POST', `/api/activities/${activity.id}/registrations`)).body.status, 'registered');
  });

  test('a learner joins the waiting list, downloads the .ics, moves up and checks in', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'enterprise', 'home-enterprise');
      await page.locator('a[href="/activities"]:visible').first().click();
      await byTestId(page, 'activity-filter-upcoming').waitFor();
      const card = byTestId(page, 'activity-card').filter({ hasText: title });
      await card.waitFor();
      assert.match(await card.innerText(), /0 \/ 1/);
      await card.locator('a').first().click();
      await byTestId(page, 'activity-description').waitFor();
      assert.equal(await byTestId(page, 'activity-description').locator('strong').innerText(), '内审');
      await byTestId(page, 'activity-register').click();
      await byTestId(page, 'activity-mine').waitFor();
      assert.match(await byTestId(page, 'activity-mine').innerText(), /候补名单第 1 位/);
      assert.equal(await byTestId(page, 'activity-waitlist').innerText(), '1');

      const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'activity-ics').click()]);
      assert.equal(download.suggestedFilename(), `activity-${activity.id}.ics`);
      const ics = readFileSync(await download.path(), 'utf8');
      assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
      assert.match(ics.replace(/\r\n /g, ''), new RegExp(`SUMMARY:${title}\\r\\n`));
      assert.match(ics, new RegExp(`DTSTART:${activity.starts_at.replace(/[-:]/g, '')}\\r\\n`));

      // the seat holder cancels: the learner has the seat now and checks in
      assert.equal((await body.request('DELETE', `/api/activities/${activity.id}/registrations/mine`)).status, 200);
      await page.reload();
      await byTestId(page, 'activity-mine').waitFor();
      assert.match(await byTestId(page, 'activity-mine').innerText(), /你已报名/);
      const code = (await regulator.request('GET', `/api/activities/${activity.id}`)).body.checkin_code;
      await byTestId(page, 'activity-code').fill(code === '000000' ? '111111' : '000000');
      await byTestId(page, 'activity-check-in').click();
      await page.locator('.el-form-item__error').first().waitFor();
      assert.match(await page.locator('.el-form-item__error').first().innerText(), /签到码不正确/);
      await byTestId(page, 'activity-code').fill(code);
      await byTestId(page, 'activity-check-in').click();
      await byTestId(page, 'activity-notice').waitFor();
      assert.match(await byTestId(page, 'activity-mine').innerText(), /已于 .* 签到/);
    });
  });

  test('the organiser sees the code and the attendance', async () => {
    await withPage(async ({ page }) => {
      await signInTo(page, 'regulator', 'home-regulator');
      await page.goto(`/activities/${activity.id}`);
      await byTestId(page, 'activity-checkin-code').waitFor();
      assert.match(await byTestId(page, 'activity-checkin-code').innerText(), /^\d{6}$/);
      await byTestId(page, 'activity-attended-only').click();
      const rows = byTestId(page, 'activity-registrations').locator('tbody tr');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="activity-registrations"] tbody tr').length === 1);
      assert.match(await rows.first().innerText(), /enterprise/);
    });
  });
});
