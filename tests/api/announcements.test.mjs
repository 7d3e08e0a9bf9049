// Announcements (issue 11, docs/learning.md "Content"), from outside: the public reads the
// published ones, pinned first, without signing in; regulators and admins write a draft, publish
// it (searchable, ten racing publications: one wins) and archive it (out of the list and the
// search); every step is audited; the Markdown comes out inert.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('announcements', () => {
  let server, pub, admin, regulator, enterprise;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
  });
  after(async () => { await server?.stop(); });

  test('the seeded ones are public, pinned first', async () => {
    const r = await pub.request('GET', '/api/announcements');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 2);
    assert.equal(r.body.items[0].title, '学习平台上线：贯标学习课程免费开放');
    assert.equal(r.body.items[0].pinned, true);
    assert.match(r.body.items[0].html, /<strong>全部免费<\/strong>/);
  });

  test('draft → published (searchable) → archived; audited; guarded', async () => {
    let r = await regulator.request('POST', '/api/announcements',
      { json: { title: '  专利检索公开课  ', markdown: '报名见 [活动页](/activities)。<script>alert(1)</script>', pinned: false } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const a = r.body;
    assert.equal(a.title, '专利检索公开课');
    assert.equal(a.status, 'draft');
    assert.equal(a.published_at, null);
    assert.doesNotMatch(a.html, /<script/);
    assert.match(a.html, /<a href="\/activities">活动页<\/a>/);
    assertError(await pub.request('GET', `/api/announcements/${a.id}`), 404, 'announcement_not_found');
    assert.ok(!(await pub.request('GET', '/api/announcements')).body.items.some((x) => x.id === a.id));
    assert.ok((await admin.request('GET', '/api/announcements?status=draft')).body.items.some((x) => x.id === a.id));

    const racing = await Promise.all(Array.from({ length: 10 }, () =>
      admin.request('POST', `/api/announcements/${a.id}/status`, { json: { status: 'published' } })));
    assert.equal(racing.filter((x) => x.status === 200).length, 1, JSON.stringify(racing.map((x) => x.status)));
    assert.ok(racing.every((x) => x.status === 200 || x.status === 409));
    r = await pub.request('GET', `/api/announcements/${a.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'published');
    assert.deepEqual(rows(server, `SELECT title, url FROM search_documents WHERE type = 'announcement' AND ref_id = ${a.id}`),
      [['专利检索公开课', `/announcements/${a.id}`]]);

    // a change of a published one follows into the search; pinned goes first
    r = await regulator.request('PUT', `/api/announcements/${a.id}`, { json: { title: '专利检索公开课（改期）', pinned: true } });
    assert.equal(r.status, 200);
    assert.equal(r.body.pinned, true);
    assert.deepEqual(rows(server, `SELECT title FROM search_documents WHERE type = 'announcement' AND ref_id = ${a.id}`),
      [['专利检索公开课（改期）']]);
    const list = (await pub.request('GET', '/api/announcements')).body.items;
    assert.equal(list[0].id, a.id);   // pinned, and newer than the seeded pinned one

    r = await admin.request('POST', `/api/announcements/${a.id}/status`, { json: { status: 'archived' } });
    assert.equal(r.body.status, 'archived');
    assertError(await admin.request('POST', `/api/announcements/${a.id}/status`, { json: { status: 'published' } }),
      409, 'announcement_transition');
    assertError(await admin.request('PUT', `/api/announcements/${a.id}`, { json: { title: '又改' } }), 409, 'announcement_transition');
    assertError(await pub.request('GET', `/api/announcements/${a.id}`), 404, 'announcement_not_found');
    assert.deepEqual(rows(server, `SELECT id FROM search_documents WHERE type = 'announcement' AND ref_id = ${a.id}`), []);

    const audit = await admin.request('GET', `/api/audit?entity=announcement&entity_id=${a.id}`);
    assert.deepEqual(audit.body.items.map((e) => e.action),
      ['announcement.status', 'announcement.update', 'announcement.status', 'announcement.create']);
  });

  test('refusals: roles, fields', async () => {
    assertError(await pub.request('POST', '/api/announcements', { json: { title: 'x' } }), 401, 'unauthenticated');
    assertError(await enterprise.request('POST', '/api/announcements', { json: { title: 'x' } }), 403, 'forbidden');
    assertError(await admin.request('POST', '/api/announcements', { json: { markdown: 'x' } }), 400, 'missing_field', 'title');
    assertError(await admin.request('POST', '/api/announcements', { json: { title: 'x', pinned: 'yes' } }), 400, 'wrong_type', 'pinned');
    assertError(await admin.request('POST', '/api/announcements/1/status', { json: { status: 'deleted' } }), 400, 'invalid_value', 'status');
    const r = await pub.request('GET', '/api/announcements?status=draft');   // the public sees published ones only
    assert.ok(r.body.items.every((x) => x.status === 'published'));
  });
});
