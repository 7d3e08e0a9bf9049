// Learning and exchange activities (issue 11, docs/learning.md "Activities"), from outside:
// regulators and admins create, publish, edit and cancel them (audited), the public reads the
// published ones without drafts and without the check-in code; 30 users registering at once for
// 10 seats give exactly 10 seats and a waiting list of 20 in order; cancels at once each promote
// exactly the next waitlisted (who is notified); check-in needs the code, a seat, and happens
// once; the organiser lists attendance (also as CSV); the .ics file parses back (CRLF, folded at
// 75 octets, UTC times, escaped text); a change of place and a cancellation notify registrants.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const DAY = 86400 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Unfolds an iCalendar text (RFC 5545 §3.1) into its content lines. */
function icsLines(text) {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) {
    assert.ok(!l.includes('\n'), `bare LF in ${JSON.stringify(l)}`);
    assert.ok(Buffer.byteLength(l, 'utf8') <= 75, `line of ${Buffer.byteLength(l)} octets: ${l}`);
  }
  const out = [];
  for (const l of physical) {
    if (l.startsWith(' ')) out[out.length - 1] += l.slice(1);
    else out.push(l);
  }
  return out;
}
const icsValue = (lines, name) => {
  const l = lines.find((x) => x.startsWith(name + ':'));
  return l === undefined ? undefined : l.slice(name.length + 1);
};
const unescapeText = (v) => v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));

describe('activities', () => {
  let server, pub, admin, regulator, enterprise, body;
  let learners = [];           // 30 signed-in users made for the race
  let onsite;                  // a published on-site activity of 10 seats

  const create = (client, json) => client.request('POST', '/api/activities', { json });
  const base = () => ({
    title: '知识产权内审实务交流会; Q&A, 第二场',
    description: '**议程**\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(2)) <img src=x onerror=alert(3)>',
    mode: 'onsite',
    starts_at: iso(Date.now() + 10 * DAY),
    ends_at: iso(Date.now() + 10 * DAY + 2 * 3600 * 1000),
    place: '深圳市南山区科技园会议中心 3 楼',
    capacity: 10,
  });

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
    // 30 learners: enterprise accounts of the demo enterprise with the demo password's hash
    const inserts = Array.from({ length: 30 }, (_, i) =>
      `INSERT INTO users (login, name, role, enterprise_id, password_hash, created_at, password_changed_at) ` +
      `SELECT 'learner-${String(i + 1).padStart(2, '0')}', '学员 ${i + 1}', 'enterprise', enterprise_id, password_hash, ` +
      `created_at, password_changed_at FROM users WHERE login = 'enterprise';`).join('\n');
    rows(server, inserts);
    for (let i = 0; i < 30; i++) learners.push(await signedIn(server.url, `learner-${String(i + 1).padStart(2, '0')}`));
  });
  after(async () => { await server?.stop(); });

  test('the seed has upcoming published activities, one full, and a draft the public does not see', async () => {
    const r = await pub.request('GET', '/api/activities?upcoming=1');
    assert.equal(r.status, 200);
    assert.ok(r.body.items.length >= 2, JSON.stringify(r.body));
    assert.ok(r.body.items.every((a) => a.status !== 'draft'));
    assert.ok(r.body.items.some((a) => a.mode === 'online') && r.body.items.some((a) => a.mode === 'onsite'));
    assert.ok(r.body.items.some((a) => a.seats_left === 0));
    const all = await regulator.request('GET', '/api/activities?status=draft');
    assert.equal(all.body.total, 1);
    const hidden = await pub.request('GET', `/api/activities/${all.body.items[0].id}`);
    assertError(hidden, 404, 'activity_not_found');
    const mine = await enterprise.request('GET', `/api/activities/${r.body.items[0].id}`);
    assert.equal(mine.body.mine.status, 'registered');
  });

  test('bad input is refused field by field and changes nothing; only organisers create', async () => {
    const before = (await regulator.request('GET', '/api/activities')).body.total;
    let r = await create(regulator, {});
    assertError(r, 400, 'missing_field', 'title');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['title', 'mode', 'starts_at', 'ends_at', 'capacity']);
    r = await create(regulator, { ...base(), mode: 'hybrid', starts_at: 'tomorrow', capacity: 0 });
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.code]),
      [['mode', 'invalid_activity_mode'], ['starts_at', 'invalid_time'], ['capacity', 'invalid_value']]);
    r = await create(regulator, { ...base(), ends_at: base().starts_at });
    assertError(r, 400, 'activity_ends_before_start', 'ends_at');
    r = await create(regulator, { ...base(), mode: 'online' });
    assertError(r, 400, 'activity_link_required', 'link');
    r = await create(regulator, { ...base(), place: '' });
    assertError(r, 400, 'activity_place_required', 'place');
    r = await create(regulator, { ...base(), mode: 'online', link: 'javascript:alert(1)' });
    assertError(r, 400, 'invalid_link', 'link');
    assertError(await create(enterprise, base()), 403, 'forbidden');
    assertError(await create(pub, base()), 401, 'unauthenticated');
    assert.equal((await regulator.request('GET', '/api/activities')).body.total, before);
  });

  test('an organiser creates a draft, publishes it once; the public sees it without the code, Markdown inert', async () => {
    const r = await create(regulator, base());
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'draft');
    assert.match(r.body.checkin_code, /^\d{6}$/);
    assert.equal(r.body.seats_left, 10);
    assertError(await learners[0].request('POST', `/api/activities/${r.body.id}/registrations`), 404, 'activity_not_found');
    const publishes = await Promise.all(Array.from({ length: 5 }, () =>
      regulator.request('POST', `/api/activities/${r.body.id}/publish`)));
    assert.equal(publishes.filter((p) => p.status === 200).length, 1);
    for (const p of publishes.filter((x) => x.status !== 200)) assertError(p, 409, 'activity_not_draft');
    onsite = publishes.find((p) => p.status === 200).body;
    const seen = await pub.request('GET', `/api/activities/${onsite.id}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.checkin_code, null);
    assert.equal(seen.body.mine, null);
    assert.match(seen.body.html, /<strong>议程<\/strong>/);
    assert.doesNotMatch(seen.body.html, /<script|onerror|javascript:/i);
    assert.equal(seen.body.description, base().description);
  });

  test('30 registrations at once for 10 seats: 10 seats, 20 waitlisted in order, no duplicates', async () => {
    const path = `/api/activities/${onsite.id}/registrations`;
    const answers = await Promise.all(learners.map((l) => l.request('POST', path)));
    assert.ok(answers.every((a) => a.status === 201), JSON.stringify(answers.filter((a) => a.status !== 201).map((a) => a.body)));
    const seats = answers.filter((a) => a.body.status === 'registered');
    const waiting = answers.filter((a) => a.body.status === 'waitlisted');
    assert.equal(seats.length, 10);
    assert.equal(waiting.length, 20);
    assert.ok(seats.every((a) => a.body.position === null));
    // the positions each answer gave, at the time it was given, are 1..20 once each
    assert.deepEqual(waiting.map((a) => a.body.position).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));
    const again = await learners[0].request('POST', path);
    assertError(again, 409, 'already_registered');
    const a = await pub.request('GET', `/api/activities/${onsite.id}`);
    assert.equal(a.body.registered, 10);
    assert.equal(a.body.seats_left, 0);
    assert.equal(a.body.waitlist_length, 20);
    const list = await regulator.request('GET', `/api/activities/${onsite.id}/registrations?per_page=100`);
    assert.equal(list.body.total, 30);
    assert.deepEqual(list.body.items.filter((x) => x.status === 'waitlisted').map((x) => x.position),
      Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(new Set(list.body.items.map((x) => x.user.login)).size, 30);
    assertError(await enterprise.request('GET', `/api/activities/${onsite.id}/registrations`), 403, 'forbidden');
  });

  test('5 seat holders cancel at once: the first 5 waitlisted take the seats, each notified', async () => {
    const list = (await regulator.request('GET', `/api/activities/${onsite.id}/registrations?per_page=100`)).body.items;
    const holders = list.filter((x) => x.status === 'registered').slice(0, 5).map((x) => x.user.login);
    const next = list.filter((x) => x.status === 'waitlisted').slice(0, 5).map((x) => x.user.login);
    const client = (login) => learners[Number(login.slice(-2)) - 1];
    const answers = await Promise.all(holders.map((l) =>
      client(l).request('DELETE', `/api/activities/${onsite.id}/registrations/mine`)));
    assert.ok(answers.every((a) => a.status === 200 && a.body.status === 'cancelled'), JSON.stringify(answers.map((a) => a.body)));
    const after = (await regulator.request('GET', `/api/activities/${onsite.id}/registrations?per_page=100`)).body.items;
    const seated = after.filter((x) => x.status === 'registered').map((x) => x.user.login);
    assert.equal(seated.length, 10);
    for (const l of next) assert.ok(seated.includes(l), `${l} promoted`);
    assert.deepEqual(after.filter((x) => x.status === 'waitlisted').map((x) => x.position), Array.from({ length: 15 }, (_, i) => i + 1));
    const a = await pub.request('GET', `/api/activities/${onsite.id}`);
    assert.equal(a.body.registered, 10);
    assert.equal(a.body.waitlist_length, 15);
    for (const l of next) {
      const n = await client(l).request('GET', '/api/notifications');
      assert.ok(n.body.items.some((x) => x.type === 'activity' && x.link === `/activities/${onsite.id}`), l);
    }
    assertError(await client(holders[0]).request('DELETE', `/api/activities/${onsite.id}/registrations/mine`),
      404, 'registration_not_found');
    // a waitlisted one cancels: nobody moves up, the list closes ranks
    const last = after.filter((x) => x.status === 'waitlisted')[0].user.login;
    const w = await client(last).request('DELETE', `/api/activities/${onsite.id}/registrations/mine`);
    assert.equal(w.status, 200);
    const b = await pub.request('GET', `/api/activities/${onsite.id}`);
    assert.equal(b.body.registered, 10);
    assert.equal(b.body.waitlist_length, 14);
    // registering again after a cancel joins the end of the waiting list
    const back = await client(holders[0]).request('POST', `/api/activities/${onsite.id}/registrations`);
    assert.equal(back.status, 201);
    assert.deepEqual([back.body.status, back.body.position], ['waitlisted', 15]);
  });

  test('check-in: the right code, a seat, once; the organiser sees the attendance, also as CSV', async () => {
    const code = (await regulator.request('GET', `/api/activities/${onsite.id}`)).body.checkin_code;
    const list = (await regulator.request('GET', `/api/activities/${onsite.id}/registrations?per_page=100`)).body.items;
    const seated = learners[Number(list.find((x) => x.status === 'registered').user.login.slice(-2)) - 1];
    const waiting = learners[Number(list.find((x) => x.status === 'waitlisted').user.login.slice(-2)) - 1];
    const path = `/api/activities/${onsite.id}/check-in`;
    assertError(await seated.request('POST', path, { json: { code: code === '000000' ? '111111' : '000000' } }),
      400, 'invalid_checkin_code', 'code');
    assertError(await seated.request('POST', path, { json: {} }), 400, 'missing_field', 'code');
    assertError(await waiting.request('POST', path, { json: { code } }), 403, 'not_registered');
    assertError(await enterprise.request('POST', path, { json: { code } }), 403, 'not_registered');
    const tries = await Promise.all(Array.from({ length: 5 }, () => seated.request('POST', path, { json: { code } })));
    assert.equal(tries.filter((t) => t.status === 200).length, 1);
    for (const t of tries.filter((x) => x.status !== 200)) assertError(t, 409, 'already_checked_in');
    const ok = tries.find((t) => t.status === 200);
    assert.ok(ok.body.checked_in_at);
    const attendance = await regulator.request('GET', `/api/activities/${onsite.id}/registrations?checked_in=1`);
    assert.equal(attendance.body.total, 1);
    const csv = await rawFetch(server.url, `/api/activities/${onsite.id}/registrations?checked_in=1&format=csv`, { client: regulator });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.equal(csv.text.trim().split('\n').length, 2, csv.text);
    assert.match(csv.text, /learner-\d\d/);
    assert.match(csv.text.split('\n')[0], /签到时间|Checked in/);
    const xlsx = await regulator.download(`/api/activities/${onsite.id}/registrations?format=xlsx`);
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
  });

  test('the .ics file: public, CRLF, folded at 75 octets, UTC times, escaped text; parses back', async () => {
    const r = await rawFetch(server.url, `/api/activities/${onsite.id}/ics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/calendar/);
    assert.match(r.headers.get('content-disposition'), /attachment/);
    const lines = icsLines(r.text);
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines.at(-1), 'END:VCALENDAR');
    assert.equal(icsValue(lines, 'UID'), `activity-${onsite.id}@guanbiao`);
    assert.equal(icsValue(lines, 'DTSTART'), onsite.starts_at.replace(/[-:]/g, ''));
    assert.equal(icsValue(lines, 'DTEND'), onsite.ends_at.replace(/[-:]/g, ''));
    assert.equal(icsValue(lines, 'SUMMARY'), '知识产权内审实务交流会\\; Q&A\\, 第二场');
    assert.equal(unescapeText(icsValue(lines, 'SUMMARY')), base().title);
    assert.equal(unescapeText(icsValue(lines, 'LOCATION')), base().place);
    assert.equal(unescapeText(icsValue(lines, 'DESCRIPTION')), base().description);
    assert.ok(r.text.split('\r\n').some((l) => l.startsWith(' ')), 'the long description is folded');
    assert.equal(icsValue(lines, 'STATUS'), 'CONFIRMED');
  });

  test('a new place notifies the registrants; capacity never below the seats taken; new seats go to the waiting list', async () => {
    const seated = (await regulator.request('GET', `/api/activities/${onsite.id}/registrations?status=registered&per_page=100`)).body.items;
    assertError(await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { capacity: 9 } }),
      409, 'capacity_below_registered', 'capacity');
    const r = await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { place: '深圳会展中心 5 号馆', capacity: 12 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.place, '深圳会展中心 5 号馆');
    assert.equal(r.body.registered, 12);
    assert.equal(r.body.waitlist_length, 13);
    const one = learners[Number(seated[0].user.login.slice(-2)) - 1];
    const n = await one.request('GET', '/api/notifications');
    assert.ok(n.body.items.some((x) => x.type === 'activity' && /地点|place/.test(x.title)), JSON.stringify(n.body.items[0]));
    // a new time is notified too; a title alone is not
    const before = (await one.request('GET', '/api/notifications')).body.total;
    assert.equal((await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { title: `${base().title}（更新）` } })).status, 200);
    assert.equal((await one.request('GET', '/api/notifications')).body.total, before);
    const later = new Date(Date.parse(onsite.starts_at) + 3600 * 1000).toISOString();
    assert.equal((await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { starts_at: later } })).status, 200);
    assert.equal((await one.request('GET', '/api/notifications')).body.total, before + 1);
    const moved = await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { starts_at: onsite.starts_at, title: base().title } });
    assert.equal(moved.body.starts_at, onsite.starts_at);
    assertError(await enterprise.request('PATCH', `/api/activities/${onsite.id}`, { json: { capacity: 50 } }), 403, 'forbidden');
  });

  test('cancelling notifies everyone registered; then no registration, no edit, no second cancel', async () => {
    const r = await admin.request('POST', `/api/activities/${onsite.id}/cancel`);
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'cancelled');
    const n = await learners[29].request('GET', '/api/notifications');
    assert.ok(n.body.items.some((x) => x.type === 'activity' && /取消|cancelled/.test(x.title)));
    assertError(await enterprise.request('POST', `/api/activities/${onsite.id}/registrations`), 409, 'activity_not_open');
    assertError(await regulator.request('PATCH', `/api/activities/${onsite.id}`, { json: { capacity: 50 } }), 409, 'activity_cancelled');
    assertError(await regulator.request('POST', `/api/activities/${onsite.id}/cancel`), 409, 'activity_cancelled');
    const ics = await rawFetch(server.url, `/api/activities/${onsite.id}/ics`);
    assert.match(ics.text, /STATUS:CANCELLED\r\n/);
  });

  test('every write is in the audit log under entity activity', async () => {
    const r = await admin.request('GET', `/api/audit?entity=activity&entity_id=${onsite.id}&per_page=100`);
    assert.equal(r.status, 200);
    const actions = new Set(r.body.items.map((e) => e.action));
    for (const a of ['activity.create', 'activity.publish', 'activity.register', 'activity.unregister', 'activity.promote',
      'activity.check_in', 'activity.edit', 'activity.cancel'])
      assert.ok(actions.has(a), `${a} in ${[...actions]}`);
  });
});
