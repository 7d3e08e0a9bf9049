// Verified feedback (issue 8, docs/marketplace.md "Feedback and complaints"), from outside: an
// enterprise reviews the body of its own decided engagement once (ten racing posts: one 201,
// nine 409), never another's engagement, an undecided one, nor a body it has a consulting tie
// with; it edits within 90 days (the earlier version kept), not after; the body replies once
// (ten racing replies: one); a regulator of the enterprise's region hides a review with a
// reason, and the public then sees only a placeholder, never the hidden text; every write is
// audited and notified.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer, rawFetch } from './helpers.mjs';
import { accountFor, reviewableEngagements } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

const good = { professionalism: 5, effectiveness: 4, timeliness: 3, commitment: 4 };

describe('feedback', () => {
  let server, pub, admin, enterprise, body, regulator, regulatorGd, others;
  let mine;            // the demo enterprise's engagements from GET /api/feedback/engagements
  let bodyId;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    const r = await enterprise.request('GET', '/api/feedback/engagements');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    mine = r.body.items;
    others = reviewableEngagements(server, 4);
    assert.equal(others.length, 4, 'the seed has other enterprises with decided engagements without a review');
  });
  after(async () => { await server?.stop(); });

  const post = (client, json) => client.request('POST', '/api/feedback', { json });

  test('the demo enterprise may review its decided engagements without a review, and no other', () => {
    // seed_market.c: two decided (certified) engagements with the demo body without a review,
    // one decided not_certified with the 8th body; one certified already reviewed; two active
    const reviewable = mine.filter((e) => e.reviewable);
    assert.equal(reviewable.length, 3, JSON.stringify(mine));
    assert.equal(reviewable.filter((e) => e.body.id === bodyId).length, 2);
    assert.equal(reviewable.filter((e) => e.decision === 'not_certified').length, 1);
    for (const e of mine) {
      if (e.status === 'active') assert.equal(e.reviewable, false);
      if (e.feedback_id !== null) assert.equal(e.reviewable, false);
    }
  });

  test('bad input is refused field by field and changes nothing', async () => {
    const target = mine.find((e) => e.reviewable);
    let r = await post(enterprise, {});
    assertError(r, 400, 'missing_field', 'engagement_id');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['engagement_id', 'ratings']);
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: { ...good, timeliness: 0 } });
    assertError(r, 400, 'invalid_value', 'ratings.timeliness');
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: { ...good, commitment: 6 } });
    assertError(r, 400, 'invalid_value', 'ratings.commitment');
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: { ...good, effectiveness: 3.5 } });
    assertError(r, 400, 'wrong_type', 'ratings.effectiveness');
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: 5 });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'ratings');
    const { commitment, ...three } = good;
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: three });
    assertError(r, 400, 'missing_field', 'ratings.commitment');
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: good, comment: '好'.repeat(2001) });
    assertError(r, 400, 'too_long', 'comment');
    r = await post(enterprise, { engagement_id: target.engagement_id, ratings: good, stars: 5 });
    assertError(r, 400, 'unknown_field', 'stars');
    const again = await enterprise.request('GET', '/api/feedback/engagements');
    assert.deepEqual(again.body.items, mine);
  });

  test('only the enterprise of a decided engagement: others get engagement_required; roles 401/403', async () => {
    const active = mine.find((e) => e.status === 'active');
    assertError(await post(enterprise, { engagement_id: active.engagement_id, ratings: good }), 403,
      'engagement_required', 'engagement_id');
    assertError(await post(enterprise, { engagement_id: others[0].engagement, ratings: good }), 403,
      'engagement_required', 'engagement_id', "another enterprise's engagement");
    assertError(await post(enterprise, { engagement_id: 99999999, ratings: good }), 403, 'engagement_required');
    const [[requested]] = rows(server, "SELECT id FROM engagements WHERE enterprise_id = 1 AND status = 'requested'");
    assertError(await post(enterprise, { engagement_id: Number(requested), ratings: good }), 403, 'engagement_required');
    const target = mine.find((e) => e.reviewable);
    assertError(await post(body, { engagement_id: target.engagement_id, ratings: good }), 403, 'forbidden');
    assertError(await post(regulator, { engagement_id: target.engagement_id, ratings: good }), 403, 'forbidden');
    assertError(await post(admin, { engagement_id: target.engagement_id, ratings: good }), 403, 'forbidden');
    assertError(await post(pub, { engagement_id: target.engagement_id, ratings: good }), 401, 'unauthenticated');
  });

  test('a consulting tie between the two: 403 reviewer_tied_to_body, and the engagement is not reviewable', async () => {
    const { enterprise: eid, engagement, body: tied } = others[3];
    rows(server, `INSERT INTO consulting_ties (enterprise_id, body_id, source, note, at) VALUES (${eid}, ${tied}, 'regulator', '测试关联', 1700000000)`);
    const client = await accountFor(server, admin, { role: 'enterprise', enterprise_id: eid });
    assertError(await post(client, { engagement_id: engagement, ratings: good }), 403, 'reviewer_tied_to_body', 'engagement_id');
    const list = await client.request('GET', '/api/feedback/engagements');
    const row = list.body.items.find((e) => e.engagement_id === engagement);
    assert.equal(row.consulting_tie, true);
    assert.equal(row.reviewable, false);
  });

  test('a review: 201 with what was sent; the body is notified; the audit log has it', async () => {
    const target = mine.find((e) => e.reviewable && e.decision === 'not_certified');
    const staff = await accountFor(server, admin, { role: 'body', body_id: target.body.id });
    const r = await post(enterprise, { engagement_id: target.engagement_id, ratings: good, comment: '  审核细致，但决定周期偏长。 ' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const f = r.body;
    assert.equal(f.engagement_id, target.engagement_id);
    assert.deepEqual(f.body, target.body);
    assert.equal(f.enterprise.id, 1);
    assert.deepEqual(f.ratings, good);
    assert.equal(f.comment, '审核细致，但决定周期偏长。');
    assert.equal(f.version, 1);
    assert.equal(f.editable, true);
    assert.equal(f.hidden, false);
    assert.equal(f.reply, null);
    const days = (Date.parse(f.editable_until) - Date.parse(f.created_at)) / 86400000;
    assert.equal(days, 90);
    // the 8th body's accounts are told
    const inbox = await staff.request('GET', '/api/notifications');
    assert.ok(inbox.body.items.some((n) => n.type === 'feedback' && n.entity === 'feedback' && n.entity_id === f.id),
      JSON.stringify(inbox.body.items));
    const audit = await admin.request('GET', `/api/audit?entity=feedback&entity_id=${f.id}`);
    assert.equal(audit.status, 200);
    assert.equal(audit.body.items.length, 1);
    assert.equal(audit.body.items[0].action, 'feedback.create');
    assert.deepEqual(audit.body.items[0].after, { engagement_id: target.engagement_id, ...good, comment: '审核细致，但决定周期偏长。' });
    assert.equal(audit.body.items[0].actor.login, 'enterprise');
    // a second one for the same engagement
    assertError(await post(enterprise, { engagement_id: target.engagement_id, ratings: good }), 409, 'feedback_exists', 'engagement_id');
  });

  test('ten racing reviews of one engagement: exactly one 201, nine 409 feedback_exists', async () => {
    const target = mine.filter((e) => e.reviewable && e.body.id === bodyId)[0];
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      post(enterprise, { engagement_id: target.engagement_id, ratings: { ...good, professionalism: 1 + (i % 5) }, comment: `第 ${i} 条` })));
    assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of all.filter((x) => x.status === 409)) assertError(r, 409, 'feedback_exists');
    assert.deepEqual(rows(server, `SELECT COUNT(*) FROM feedback WHERE engagement_id = ${target.engagement_id}`), [['1']]);
  });

  test('edit within 90 days keeps the earlier version; after 90 days 409 feedback_locked; not another\'s', async () => {
    const list = await enterprise.request('GET', '/api/feedback?per_page=100');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.every((f) => f.enterprise.id === 1), 'an enterprise lists its own reviews only');
    const fresh = list.body.items.find((f) => f.editable && f.body.id === bodyId);
    const r = await enterprise.request('PATCH', `/api/feedback/${fresh.id}`, {
      json: { ratings: { professionalism: 2, effectiveness: 2, timeliness: 2, commitment: 2 }, comment: '复核后调整评价。' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.version, 2);
    assert.deepEqual(r.body.ratings, { professionalism: 2, effectiveness: 2, timeliness: 2, commitment: 2 });
    assert.equal(r.body.comment, '复核后调整评价。');
    const only = await enterprise.request('PATCH', `/api/feedback/${fresh.id}`, { json: { comment: '第三版' } });
    assert.equal(only.status, 200);
    assert.equal(only.body.version, 3);
    assert.deepEqual(only.body.ratings, { professionalism: 2, effectiveness: 2, timeliness: 2, commitment: 2 });
    const same = await enterprise.request('PATCH', `/api/feedback/${fresh.id}`, { json: { comment: '第三版' } });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 3, 'an edit that changes nothing makes no version');
    const v = await enterprise.request('GET', `/api/feedback/${fresh.id}/versions`);
    assert.equal(v.status, 200);
    assert.deepEqual(v.body.items.map((x) => [x.version, x.comment, x.current]),
      [[1, fresh.comment, false], [2, '复核后调整评价。', false], [3, '第三版', true]]);
    assert.deepEqual(v.body.items[0].ratings, fresh.ratings);
    for (const who of [body, regulatorGd, admin]) {
      assert.equal((await who.request('GET', `/api/feedback/${fresh.id}/versions`)).status, 200);
    }
    assertError(await enterprise.request('PATCH', `/api/feedback/${fresh.id}`, { json: { ratings: { ...good, timeliness: 9 } } }),
      400, 'invalid_value', 'ratings.timeliness');
    // the seeded review of the demo enterprise was posted months ago
    const old = list.body.items.find((f) => !f.editable);
    assert.ok(old, 'a review older than 90 days');
    assertError(await enterprise.request('PATCH', `/api/feedback/${old.id}`, { json: { comment: '太晚了' } }), 409, 'feedback_locked');
    // another enterprise's review is out of reach
    const [[otherId]] = rows(server, 'SELECT MIN(id) FROM feedback WHERE enterprise_id <> 1');
    assertError(await enterprise.request('PATCH', `/api/feedback/${otherId}`, { json: { comment: 'x' } }), 404, 'feedback_not_found');
    assertError(await enterprise.request('GET', `/api/feedback/${otherId}/versions`), 404, 'feedback_not_found');
    assertError(await body.request('PATCH', `/api/feedback/${fresh.id}`, { json: { comment: 'x' } }), 403, 'forbidden');
    const audit = await admin.request('GET', `/api/audit?entity=feedback&entity_id=${fresh.id}&action=feedback.edit`);
    assert.equal(audit.body.items.length, 2);
    assert.deepEqual(audit.body.items[0].after, { comment: '第三版', version: 3 });
  });

  test('ten racing edits of one version: one goes through', async () => {
    const { enterprise: eid, engagement } = others[0];
    const client = await accountFor(server, admin, { role: 'enterprise', enterprise_id: eid });
    const made = await post(client, { engagement_id: engagement, ratings: good, comment: '初版' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      client.request('PATCH', `/api/feedback/${made.body.id}`, { json: { comment: `修改 ${i}` } })));
    const statuses = all.map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 200).length >= 1, JSON.stringify(statuses));
    for (const r of all.filter((x) => x.status !== 200)) assertError(r, 409, 'changed_concurrently');
    const v = await client.request('GET', `/api/feedback/${made.body.id}/versions`);
    const versions = v.body.items.map((x) => x.version);
    assert.deepEqual(versions, Array.from({ length: versions.length }, (_, i) => i + 1), 'no version twice, none missing');
    assert.equal(versions.length, 1 + statuses.filter((s) => s === 200).length);
  });

  test('the body replies once, publicly; ten racing replies: one; the enterprise is notified', async () => {
    const { enterprise: eid, engagement } = others[1];
    const client = await accountFor(server, admin, { role: 'enterprise', enterprise_id: eid });
    const made = await post(client, { engagement_id: engagement, ratings: good, comment: '整体满意。' });
    assert.equal(made.status, 201);
    const staff = await accountFor(server, admin, { role: 'body', body_id: others[1].body });
    assertError(await staff.request('POST', `/api/feedback/${made.body.id}/reply`, { json: { text: '  ' } }), 400, 'blank_field', 'text');
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      staff.request('POST', `/api/feedback/${made.body.id}/reply`, { json: { text: `感谢评价 ${i}` } })));
    assert.deepEqual(all.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of all.filter((x) => x.status === 409)) assertError(r, 409, 'reply_exists');
    const replied = all.find((r) => r.status === 200).body;
    assert.match(replied.reply, /^感谢评价 \d$/);
    const pubList = await pub.request('GET', `/api/bodies/${others[1].body}/feedback?per_page=100`);
    const shown = pubList.body.items.find((x) => x.id === made.body.id);
    assert.equal(shown.reply, replied.reply);
    assert.equal(shown.comment, '整体满意。');
    const inbox = await client.request('GET', '/api/notifications');
    assert.ok(inbox.body.items.some((n) => n.type === 'feedback' && n.entity_id === made.body.id && n.link === '/my/reviews'));
    // another body's staff cannot reach it; the demo body is another body here (unless it is the same)
    if (others[1].body !== bodyId) {
      assertError(await body.request('POST', `/api/feedback/${made.body.id}/reply`, { json: { text: '不是我们' } }), 404, 'feedback_not_found');
    }
    assertError(await client.request('POST', `/api/feedback/${made.body.id}/reply`, { json: { text: 'x' } }), 403, 'forbidden');
  });

  test('hide with a reason: the public sees a placeholder and never the text; unhide; out-of-region 404', async () => {
    const { enterprise: eid, engagement, body: bid } = others[2];
    const client = await accountFor(server, admin, { role: 'enterprise', enterprise_id: eid });
    const secret = '这段评论包含不当言论-' + Date.now();
    const made = await post(client, { engagement_id: engagement, ratings: { professionalism: 1, effectiveness: 1, timeliness: 1, commitment: 1 }, comment: secret });
    assert.equal(made.status, 201);
    const before = (await pub.request('GET', `/api/bodies/${bid}/feedback?per_page=1`)).body;
    assert.equal(before.items[0].id, made.body.id, 'newest first');
    assertError(await regulator.request('POST', `/api/feedback/${made.body.id}/hide`, { json: {} }), 400, 'missing_field', 'reason');
    const [[region]] = rows(server, `SELECT region FROM enterprises WHERE id = ${eid}`);
    const faraway = region.startsWith('11') ? '310000' : '110000';
    const outsider = await accountFor(server, admin, { role: 'regulator', region: faraway });
    assertError(await outsider.request('POST', `/api/feedback/${made.body.id}/hide`, { json: { reason: 'x' } }), 404, 'feedback_not_found');
    assertError(await client.request('POST', `/api/feedback/${made.body.id}/hide`, { json: { reason: 'x' } }), 403, 'forbidden');
    const reason = '含有与认证服务无关的人身攻击内容';
    const h = await regulator.request('POST', `/api/feedback/${made.body.id}/hide`, { json: { reason } });
    assert.equal(h.status, 200, JSON.stringify(h.body));
    assert.equal(h.body.hidden, true);
    assert.equal(h.body.hidden_reason, reason);
    assertError(await regulator.request('POST', `/api/feedback/${made.body.id}/hide`, { json: { reason } }), 409, 'feedback_already_hidden');
    const after = await pub.request('GET', `/api/bodies/${bid}/feedback?per_page=100`);
    const placeholder = after.body.items.find((x) => x.id === made.body.id);
    assert.deepEqual(placeholder, {
      id: made.body.id, created_at: made.body.created_at, edited: false, hidden: true, hidden_reason: reason,
      ratings: null, comment: null, reply: null, reply_at: null,
    });
    assert.ok(!JSON.stringify(after.body).includes(secret), 'the hidden text never reaches the public');
    assert.equal(after.body.count, before.count - 1);
    assert.equal(after.body.hidden_count, before.hidden_count + 1);
    assert.equal(after.body.total, before.total);
    // the moderation queue
    const queue = await regulator.request('GET', '/api/feedback?hidden=1&per_page=100');
    assert.ok(queue.body.items.some((f) => f.id === made.body.id && f.comment === secret));
    assert.ok(queue.body.items.every((f) => f.hidden));
    const byBody = await regulator.request('GET', `/api/feedback?body_id=${bid}&per_page=100`);
    assert.ok(byBody.body.items.every((f) => f.body.id === bid));
    // both sides notified
    const inbox = await client.request('GET', '/api/notifications');
    assert.ok(inbox.body.items.some((n) => n.type === 'feedback' && n.entity_id === made.body.id && n.title.includes(reason)));
    const shown = await regulator.request('POST', `/api/feedback/${made.body.id}/unhide`, { json: {} });
    assert.equal(shown.status, 200);
    assert.equal(shown.body.hidden, false);
    assertError(await regulator.request('POST', `/api/feedback/${made.body.id}/unhide`, { json: {} }), 409, 'feedback_not_hidden');
    const back = await pub.request('GET', `/api/bodies/${bid}/feedback?per_page=100`);
    assert.equal(back.body.items.find((x) => x.id === made.body.id).comment, secret);
    assert.equal(back.body.count, before.count);
    const audit = await admin.request('GET', `/api/audit?entity=feedback&entity_id=${made.body.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action), ['feedback.unhide', 'feedback.hide', 'feedback.create']);
    assert.deepEqual(audit.body.items[1].after, { hidden: true, hidden_reason: reason });
  });

  test('public reviews: newest first, averages of the visible ones, seeded placeholder, 404 for no body', async () => {
    const [[hiddenBody, hiddenCount]] = rows(server, 'SELECT body_id, COUNT(*) FROM feedback WHERE hidden = 1 GROUP BY body_id ORDER BY body_id LIMIT 1');
    const r = await pub.request('GET', `/api/bodies/${hiddenBody}/feedback?per_page=100`);
    assert.equal(r.status, 200);
    assert.equal(r.body.hidden_count, Number(hiddenCount));
    const times = r.body.items.map((x) => Date.parse(x.created_at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const [[n, p, e, t, c]] = rows(server, `SELECT COUNT(*), SUM(professionalism), SUM(effectiveness), SUM(timeliness), SUM(commitment) FROM feedback WHERE body_id = ${hiddenBody} AND hidden = 0`);
    assert.equal(r.body.count, Number(n));
    const round = (x) => Math.round(x * 100) / 100;
    assert.equal(r.body.averages.professionalism, round(Number(p) / Number(n)));
    assert.equal(r.body.averages.effectiveness, round(Number(e) / Number(n)));
    assert.equal(r.body.averages.timeliness, round(Number(t) / Number(n)));
    assert.equal(r.body.averages.commitment, round(Number(c) / Number(n)));
    for (const x of r.body.items.filter((y) => y.hidden)) {
      assert.equal(x.ratings, null);
      assert.equal(x.comment, null);
      assert.ok(x.hidden_reason.length > 0);
    }
    assertError(await pub.request('GET', '/api/bodies/999999/feedback'), 404, 'body_not_found');
    const empty = await admin.request('POST', '/api/bodies', { json: { name: '无评价认证有限公司', credit_code: '91110000MA01ABCD1X', code: '899', approval_number: 'CNCA-R-2099-999' } });
    if (empty.status === 201) {
      const z = await pub.request('GET', `/api/bodies/${empty.body.id}/feedback`);
      assert.deepEqual(z.body.averages, { professionalism: null, effectiveness: null, timeliness: null, commitment: null, overall: null });
      assert.equal(z.body.count, 0);
    }
  });

  test('scope of the lists: a body its own, an enterprise its own, a regional regulator its region', async () => {
    const b = await body.request('GET', '/api/feedback?per_page=100');
    assert.ok(b.body.total > 0);
    assert.ok(b.body.items.every((f) => f.body.id === bodyId));
    const gd = await regulatorGd.request('GET', '/api/feedback?per_page=100');
    const ids = gd.body.items.map((f) => f.enterprise.id);
    const regions = rows(server, `SELECT DISTINCT region FROM enterprises WHERE id IN (${ids.join(',')})`).map(([x]) => x);
    assert.ok(regions.every((x) => x.startsWith('44')), JSON.stringify(regions));
    const all = await regulator.request('GET', '/api/feedback?per_page=1');
    assert.equal(all.body.total, Number(rows(server, 'SELECT COUNT(*) FROM feedback')[0][0]));
    assertError(await regulator.request('GET', '/api/feedback?from=2026-13-01'), 400, 'invalid_query');
    const csv = await rawFetch(server.url, '/api/feedback?format=csv&hidden=1', { client: regulator });
    assert.equal(csv.status, 200);
    assert.match(csv.text.split('\n')[0], /评价编号.*认证机构.*企业.*专业能力/);
  });
});
