// Complaints (issue 8, docs/marketplace.md "Feedback and complaints"), from outside: an
// enterprise files one about the body of its own active or decided engagement (alone, or with
// its review); the regulators of its region take it received → under_review → upheld |
// dismissed (a note required to close it; a step out of order 409; ten racing steps: one);
// each step is kept with its note, audited, and told to both sides; the body reads the
// complaints about itself, nobody else's.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { accountFor, reviewableEngagements } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('complaints', () => {
  let server, pub, admin, enterprise, body, regulator, regulatorGd, mine, bodyId;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    enterprise = await signedIn(server.url, 'enterprise');
    body = new Client(server.url);
    bodyId = (await body.signIn('body')).body.user.body_id;
    regulator = await signedIn(server.url, 'regulator');
    regulatorGd = await signedIn(server.url, 'regulator-gd');
    mine = (await enterprise.request('GET', '/api/feedback/engagements')).body.items;
  });
  after(async () => { await server?.stop(); });

  const file = (client, json) => client.request('POST', '/api/complaints', { json });
  const step = (client, id, json) => client.request('POST', `/api/complaints/${id}/status`, { json });

  test('refusals: fields, another enterprise\'s or a requested engagement, roles', async () => {
    const decided = mine.find((e) => e.status === 'decided');
    let r = await file(enterprise, {});
    assertError(r, 400, 'missing_field', 'engagement_id');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['engagement_id', 'text']);
    assertError(await file(enterprise, { engagement_id: decided.engagement_id, text: '   ' }), 400, 'blank_field', 'text');
    assertError(await file(enterprise, { engagement_id: decided.engagement_id, text: '长'.repeat(2001) }), 400, 'too_long', 'text');
    const [[requested]] = rows(server, "SELECT id FROM engagements WHERE enterprise_id = 1 AND status = 'requested'");
    assertError(await file(enterprise, { engagement_id: Number(requested), text: '还没受理' }), 403, 'engagement_required', 'engagement_id');
    const [other] = reviewableEngagements(server, 1);
    assertError(await file(enterprise, { engagement_id: other.engagement, text: '别人的' }), 403, 'engagement_required');
    assertError(await file(body, { engagement_id: decided.engagement_id, text: 'x' }), 403, 'forbidden');
    assertError(await file(regulator, { engagement_id: decided.engagement_id, text: 'x' }), 403, 'forbidden');
    assertError(await file(pub, { engagement_id: decided.engagement_id, text: 'x' }), 401, 'unauthenticated');
  });

  test('the whole flow: filed, under review, upheld; every step kept, audited, told to both sides', async () => {
    const active = mine.find((e) => e.status === 'active');
    const staff = await accountFor(server, admin, { role: 'body', body_id: active.body.id });
    const r = await file(enterprise, { engagement_id: active.engagement_id, text: '  现场审核只用了半天，与承诺的人日数不符。 ' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const k = r.body;
    assert.equal(k.status, 'received');
    assert.equal(k.text, '现场审核只用了半天，与承诺的人日数不符。');
    assert.equal(k.engagement_id, active.engagement_id);
    assert.equal(k.feedback_id, null);
    assert.deepEqual(k.body, active.body);
    assert.equal(k.enterprise.id, 1);
    assert.equal(k.resolution, '');
    assert.equal(k.events.length, 1);
    assert.deepEqual([k.events[0].from_status, k.events[0].to_status], ['', 'received']);
    // received → upheld skips a step; a note is required to close; bad status
    assertError(await step(regulatorGd, k.id, { status: 'upheld', note: '属实' }), 409, 'complaint_transition', 'status');
    assertError(await step(regulatorGd, k.id, { status: 'closed' }), 400, 'invalid_value', 'status');
    assertError(await step(enterprise, k.id, { status: 'under_review' }), 403, 'forbidden');
    assertError(await step(staff, k.id, { status: 'under_review' }), 403, 'forbidden');
    const faraway = await accountFor(server, admin, { role: 'regulator', region: '110000' });
    assertError(await step(faraway, k.id, { status: 'under_review' }), 404, 'complaint_not_found');
    assertError(await faraway.request('GET', `/api/complaints/${k.id}`), 404, 'complaint_not_found');
    const u = await step(regulatorGd, k.id, { status: 'under_review', note: '已受理，调查核实中。' });
    assert.equal(u.status, 200, JSON.stringify(u.body));
    assert.equal(u.body.status, 'under_review');
    assertError(await step(regulatorGd, k.id, { status: 'dismissed' }), 400, 'missing_field', 'note');
    assertError(await step(regulatorGd, k.id, { status: 'under_review' }), 409, 'complaint_transition');
    const done = await step(regulatorGd, k.id, { status: 'upheld', note: '经核实投诉属实，责令机构整改。' });
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'upheld');
    assert.equal(done.body.resolution, '经核实投诉属实，责令机构整改。');
    assert.deepEqual(done.body.events.map((e) => [e.from_status, e.to_status, e.note]), [
      ['', 'received', ''], ['received', 'under_review', '已受理，调查核实中。'],
      ['under_review', 'upheld', '经核实投诉属实，责令机构整改。'],
    ]);
    assertError(await step(regulatorGd, k.id, { status: 'dismissed', note: 'x' }), 409, 'complaint_transition');
    // both sides were told of each step; the region's regulators of the new complaint
    for (const [who, n] of [[enterprise, 3], [staff, 3], [regulatorGd, 1], [regulator, 1]]) {
      const inbox = await who.request('GET', '/api/notifications?per_page=100');
      const about = inbox.body.items.filter((x) => x.type === 'complaint' && x.entity_id === k.id);
      assert.equal(about.length, n, JSON.stringify(inbox.body.items.slice(0, 5)));
      assert.ok(about.every((x) => x.link === `/complaints/${k.id}`));
    }
    const audit = await admin.request('GET', `/api/audit?entity=complaint&entity_id=${k.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action), ['complaint.status', 'complaint.status', 'complaint.create']);
    assert.deepEqual(audit.body.items[0].before, { status: 'under_review', resolution: '' });
    assert.deepEqual(audit.body.items[0].after, { status: 'upheld', resolution: '经核实投诉属实，责令机构整改。' });
    // the body reads it (no contact data in it), the enterprise too
    const seen = await staff.request('GET', `/api/complaints/${k.id}`);
    assert.equal(seen.status, 200);
    assert.deepEqual(Object.keys(seen.body.enterprise), ['id', 'name']);
    assert.equal((await enterprise.request('GET', `/api/complaints/${k.id}`)).status, 200);
    if (active.body.id !== bodyId) assertError(await body.request('GET', `/api/complaints/${k.id}`), 404, 'complaint_not_found');
  });

  test('ten racing steps of one complaint: exactly one goes through', async () => {
    const decided = mine.find((e) => e.status === 'decided');
    const r = await file(enterprise, { engagement_id: decided.engagement_id, text: '审核组长临时更换，未提前通知。' });
    assert.equal(r.status, 201);
    const all = await Promise.all(Array.from({ length: 10 }, () => step(regulatorGd, r.body.id, { status: 'under_review' })));
    assert.deepEqual(all.map((x) => x.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const detail = await admin.request('GET', `/api/complaints/${r.body.id}`);
    assert.equal(detail.body.events.length, 2);
  });

  test('a review filed with a complaint: both in one go, the complaint linked to the review', async () => {
    const [other] = reviewableEngagements(server, 1);
    const client = await accountFor(server, admin, { role: 'enterprise', enterprise_id: other.enterprise });
    const bad = await client.request('POST', '/api/feedback', {
      json: { engagement_id: other.engagement, ratings: { professionalism: 1, effectiveness: 1, timeliness: 1, commitment: 1 }, complaint: '' },
    });
    assertError(bad, 400, 'too_short', 'complaint');
    const r = await client.request('POST', '/api/feedback', {
      json: { engagement_id: other.engagement, ratings: { professionalism: 1, effectiveness: 2, timeliness: 1, commitment: 1 },
        comment: '严重超期。', complaint: '承诺 60 天作出决定，实际用了 120 天。' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const list = await client.request('GET', '/api/complaints');
    assert.equal(list.status, 200);
    const k = list.body.items.find((x) => x.engagement_id === other.engagement);
    assert.equal(k.feedback_id, r.body.id);
    assert.equal(k.text, '承诺 60 天作出决定，实际用了 120 天。');
    assert.equal(k.status, 'received');
    // a later complaint on the same engagement links the review too
    const again = await file(client, { engagement_id: other.engagement, text: '补充：决定书也未说明理由。' });
    assert.equal(again.status, 201);
    assert.equal(again.body.feedback_id, r.body.id);
  });

  test('lists are scoped: an enterprise its own, a body about itself, a regional regulator its region', async () => {
    const e = await enterprise.request('GET', '/api/complaints?per_page=100');
    assert.ok(e.body.total >= 3);
    assert.ok(e.body.items.every((k) => k.enterprise.id === 1));
    const b = await body.request('GET', '/api/complaints?per_page=100');
    assert.ok(b.body.total >= 2, 'seed_market.c: the demo body has complaints');
    assert.ok(b.body.items.every((k) => k.body.id === bodyId));
    const gd = await regulatorGd.request('GET', '/api/complaints?per_page=100');
    const ids = [...new Set(gd.body.items.map((k) => k.enterprise.id))];
    const regions = rows(server, `SELECT DISTINCT region FROM enterprises WHERE id IN (${ids.join(',')})`).map(([x]) => x);
    assert.ok(regions.every((x) => x.startsWith('44')));
    const open = await regulator.request('GET', '/api/complaints?status=received&per_page=100');
    assert.ok(open.body.items.length > 0);
    assert.ok(open.body.items.every((k) => k.status === 'received'));
    assertError(await regulator.request('GET', '/api/complaints?status=open'), 400, 'invalid_query');
    assertError(await enterprise.request('GET', '/api/complaints/99999999'), 404, 'complaint_not_found');
  });
});
