// The exchange forum (issue 11, docs/learning.md "Exchange"), from outside: the public reads
// categories, topics and replies without signing in; any signed-in user posts (Markdown rendered
// by the server, inert when hostile), within 5 topics and 30 replies an hour (10 racing topics:
// exactly 5 through, then 429 rate_limited with Retry-After); the author or a moderator marks one
// accepted answer; followers are notified of replies; one open report per user and item;
// moderators (admins, regulators) hide with a reason (placeholder for others, the reason for the
// author) and show again; every write is audited; topics are in search_documents while visible.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { accountFor } from './lib/market.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('forum', () => {
  let server, pub, admin, regulator, enterprise, body, categoryId;

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    regulator = await signedIn(server.url, 'regulator');
    enterprise = await signedIn(server.url, 'enterprise');
    body = await signedIn(server.url, 'body');
    const r = await admin.request('POST', '/api/forum/categories',
      { json: { name: '测试版块', name_en: 'Test category', description: '测试用', position: 99 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    categoryId = r.body.id;
  });
  after(async () => { await server?.stop(); });

  const post = (client, json) => client.request('POST', '/api/forum/topics', { json });
  const reply = (client, id, text) => client.request('POST', `/api/forum/topics/${id}/replies`, { json: { body: text } });
  const auditActions = async (entity, id) =>
    (await admin.request('GET', `/api/audit?entity=${entity}&entity_id=${id}`)).body.items.map((e) => e.action);

  test('the demo seed: five categories, an accepted answer, a hidden reply with its reason, an open report', async () => {
    const list = (await pub.request('GET', '/api/forum/categories')).body.items;
    assert.deepEqual(list.slice(0, 5).map((c) => c.name), ['贯标认证', '内审与管理评审', '专利运用', '政策解读', '平台使用']);
    assert.ok(list.slice(0, 5).every((c) => c.topic_count >= 2));
    const topics = (await pub.request('GET', '/api/forum/topics?per_page=100')).body.items;
    assert.equal(topics.filter((t) => t.accepted_reply_id !== null).length, 1);
    const withAd = topics.find((t) => t.title === '证书查验二维码扫不出来怎么办？');
    const seen = (await pub.request('GET', `/api/forum/topics/${withAd.id}`)).body;
    const hidden = seen.replies.find((x) => x.hidden);
    assert.deepEqual([hidden.body, hidden.html, hidden.hidden_reason], ['', '', null]);
    const moderated = (await regulator.request('GET', `/api/forum/topics/${withAd.id}`)).body.replies.find((x) => x.hidden);
    assert.match(moderated.hidden_reason, /商业广告/);
    const queue = (await regulator.request('GET', '/api/forum/reports')).body.items;
    assert.ok(queue.some((x) => x.topic_title === '贯标企业如何做好专利布局？' && x.status === 'open'));
  });

  test('categories: public list; only admins add; a name once', async () => {
    const list = await pub.request('GET', '/api/forum/categories');
    assert.equal(list.status, 200);
    const mine = list.body.items.find((c) => c.id === categoryId);
    assert.deepEqual(mine, { id: categoryId, name: '测试版块', name_en: 'Test category', description: '测试用', position: 99, topic_count: 0 });
    assertError(await admin.request('POST', '/api/forum/categories', { json: { name: '测试版块' } }), 409, 'forum_category_exists', 'name');
    assertError(await regulator.request('POST', '/api/forum/categories', { json: { name: '另一个' } }), 403, 'forbidden');
    assertError(await pub.request('POST', '/api/forum/categories', { json: { name: '另一个' } }), 401, 'unauthenticated');
    assertError(await pub.request('GET', '/api/forum/categories/999999'), 404, 'forum_category_not_found');
    assert.deepEqual(await auditActions('forum_category', categoryId), ['forum.category.create']);
  });

  test('a topic: posted in Markdown, read by the public, audited, searchable; refusals', async () => {
    assertError(await pub.request('POST', '/api/forum/topics', { json: { category_id: categoryId, title: '标题', body: '正文' } }),
      401, 'unauthenticated');
    let r = await post(enterprise, {});
    assertError(r, 400, 'missing_field', 'category_id');
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['category_id', 'title', 'body']);
    assertError(await post(enterprise, { category_id: 999999, title: '没有的版块', body: '正文' }), 404, 'forum_category_not_found', 'category_id');
    r = await post(enterprise, { category_id: categoryId, title: '内审员需要什么资格？', body: '请问**内审员**需要哪些培训？' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const t = r.body;
    assert.equal(t.title, '内审员需要什么资格？');
    assert.equal(t.html, '<p>请问<strong>内审员</strong>需要哪些培训？</p>\n');
    assert.equal(t.following, true, 'the author follows the topic');
    assert.equal(t.can_accept, true);
    assert.equal(t.can_moderate, false);
    assert.deepEqual(t.replies, []);
    const read = await pub.request('GET', `/api/forum/topics/${t.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.html, t.html);
    assert.equal(read.body.following, false);
    assert.equal(read.body.can_accept, false);
    const list = await pub.request('GET', `/api/forum/topics?category_id=${categoryId}`);
    assert.equal(list.body.total, 1);
    assert.equal(list.body.items[0].id, t.id);
    assert.deepEqual(await auditActions('forum_topic', t.id), ['forum.topic.create']);
    assert.deepEqual(rows(server, `SELECT title, url FROM search_documents WHERE type = 'topic' AND ref_id = ${t.id}`),
      [['内审员需要什么资格？', `/forum/topics/${t.id}`]]);
    // its author edits it; others may not
    assertError(await body.request('PATCH', `/api/forum/topics/${t.id}`, { json: { title: '改别人的' } }), 403, 'forum_not_author');
    r = await enterprise.request('PATCH', `/api/forum/topics/${t.id}`, { json: { title: '内审员需要什么资格和培训？' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.title, '内审员需要什么资格和培训？');
    assert.deepEqual(rows(server, `SELECT title FROM search_documents WHERE type = 'topic' AND ref_id = ${t.id}`),
      [['内审员需要什么资格和培训？']]);
    assertError(await pub.request('GET', '/api/forum/topics/999999'), 404, 'forum_topic_not_found');
  });

  test('Markdown safety: script tags, event handlers and javascript: links come out inert', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '<a href="#" onclick="alert(3)">点我</a>',
      '[链接](javascript:alert(4))',
      '![图](javascript:alert(5))',
      '<iframe src="https://evil.example"></iframe>',
    ].join('\n\n');
    const r = await post(enterprise, { category_id: categoryId, title: '安全测试', body: hostile });
    assert.equal(r.status, 201);
    const answered = [r.body.html];
    const rr = await reply(body, r.body.id, hostile);
    assert.equal(rr.status, 201);
    answered.push(rr.body.replies[0].html);
    for (const html of answered) {
      assert.doesNotMatch(html, /<script/i, html);
      assert.doesNotMatch(html, /<iframe/i, html);
      assert.doesNotMatch(html, /<img[^>]*onerror/i, html);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, html);
      assert.doesNotMatch(html, /javascript:/i, html);
      assert.match(html, /<a href="">链接<\/a>/, html);
    }
    // the Markdown itself is kept as written (its author edits it)
    assert.equal(rr.body.replies[0].body, hostile);
  });

  test('replies, accepted answer (author or moderator, one at a time), followers notified', async () => {
    const t = (await post(enterprise, { category_id: categoryId, title: '管理评审多久一次？', body: '至少每年一次吗？' })).body;
    const follower = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    let f = await follower.request('POST', `/api/forum/topics/${t.id}/follow`);
    assert.equal(f.status, 200);
    assert.equal(f.body.following, true);
    const r1 = await reply(body, t.id, '标准要求**按策划的时间间隔**进行，通常每年至少一次。');
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    assert.equal(r1.body.reply_count, 1);
    const first = r1.body.replies[0];
    assert.equal(first.html, '<p>标准要求<strong>按策划的时间间隔</strong>进行，通常每年至少一次。</p>\n');
    assert.equal(first.accepted, false);
    const r2 = await reply(regulator, t.id, '也可以在重大变化时临时召开。');
    const second = r2.body.replies[1];
    // the author and the follower are told, the replier not about its own reply
    for (const client of [enterprise, follower]) {
      const inbox = await client.request('GET', '/api/notifications');
      assert.ok(inbox.body.items.some((n) => n.type === 'forum' && n.entity === 'forum_topic' && n.entity_id === t.id),
        JSON.stringify(inbox.body.items));
    }
    // a replier follows the topic: the body is told of the regulator's reply, not of its own
    const bodyInbox = await body.request('GET', '/api/notifications');
    assert.equal(bodyInbox.body.items.filter((n) => n.type === 'forum' && n.entity_id === t.id).length, 1);
    // unfollowing stops it
    f = await follower.request('DELETE', `/api/forum/topics/${t.id}/follow`);
    assert.equal(f.body.following, false);
    // accept: not by another user; by the author; a moderator changes it; one at a time
    assertError(await body.request('POST', `/api/forum/topics/${t.id}/accept`, { json: { reply_id: first.id } }), 403, 'forum_not_author');
    assertError(await enterprise.request('POST', `/api/forum/topics/${t.id}/accept`, { json: { reply_id: 999999 } }), 404, 'forum_reply_not_found', 'reply_id');
    let a = await enterprise.request('POST', `/api/forum/topics/${t.id}/accept`, { json: { reply_id: first.id } });
    assert.equal(a.status, 200);
    assert.equal(a.body.accepted_reply_id, first.id);
    a = await admin.request('POST', `/api/forum/topics/${t.id}/accept`, { json: { reply_id: second.id } });
    assert.equal(a.body.accepted_reply_id, second.id);
    assert.deepEqual(a.body.replies.map((x) => x.accepted), [false, true]);
    a = await enterprise.request('POST', `/api/forum/topics/${t.id}/accept`, { json: { reply_id: null } });
    assert.equal(a.body.accepted_reply_id, null);
    const actions = await auditActions('forum_topic', t.id);
    assert.equal(actions.filter((x) => x === 'forum.topic.accept').length, 3);
    assert.ok(actions.includes('forum.topic.create'));
    assert.deepEqual(await auditActions('forum_reply', first.id), ['forum.reply.create']);
  });

  test('reports: one open per user and item; the queue; dismiss; hiding closes them', async () => {
    const t = (await post(enterprise, { category_id: categoryId, title: '广告：代办贯标', body: '低价包过，加微信' })).body;
    const rp = await reply(enterprise, t.id, '联系我');
    const replyId = rp.body.replies[0].id;
    assertError(await pub.request('POST', '/api/forum/reports', { json: { item_type: 'topic', item_id: t.id, reason: '广告' } }), 401, 'unauthenticated');
    assertError(await body.request('POST', '/api/forum/reports', { json: { item_type: 'post', item_id: t.id, reason: '广告' } }), 400, 'invalid_value', 'item_type');
    assertError(await body.request('POST', '/api/forum/reports', { json: { item_type: 'reply', item_id: 999999, reason: '广告' } }), 404, 'forum_reply_not_found', 'item_id');
    let r = await body.request('POST', '/api/forum/reports', { json: { item_type: 'topic', item_id: t.id, reason: '广告推销' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const topicReport = r.body;
    assert.equal(topicReport.status, 'open');
    assert.equal(topicReport.topic_title, '广告：代办贯标');
    assertError(await body.request('POST', '/api/forum/reports', { json: { item_type: 'topic', item_id: t.id, reason: '再举报' } }), 409, 'forum_report_exists');
    r = await body.request('POST', '/api/forum/reports', { json: { item_type: 'reply', item_id: replyId, reason: '广告' } });
    assert.equal(r.status, 201);
    const replyReport = r.body;
    // the queue: moderators only
    assertError(await body.request('GET', '/api/forum/reports'), 403, 'forbidden');
    const queue = await regulator.request('GET', '/api/forum/reports');
    assert.equal(queue.status, 200);
    assert.ok(queue.body.items.some((x) => x.id === topicReport.id));
    // dismiss the reply's report: then a second dismiss is refused; the same user may report again
    r = await regulator.request('POST', `/api/forum/reports/${replyReport.id}/dismiss`);
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'dismissed');
    assertError(await regulator.request('POST', `/api/forum/reports/${replyReport.id}/dismiss`), 409, 'forum_report_closed');
    r = await body.request('POST', '/api/forum/reports', { json: { item_type: 'reply', item_id: replyId, reason: '仍是广告' } });
    assert.equal(r.status, 201);
    // hide the topic: the report is actioned, the topic out of search, a placeholder for others
    assertError(await enterprise.request('POST', `/api/forum/topics/${t.id}/hide`, { json: { reason: '广告' } }), 403, 'forbidden');
    assertError(await regulator.request('POST', `/api/forum/topics/${t.id}/hide`, { json: {} }), 400, 'missing_field', 'reason');
    r = await regulator.request('POST', `/api/forum/topics/${t.id}/hide`, { json: { reason: '商业广告，违反版规' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.hidden, true);
    assert.equal(r.body.hidden_reason, '商业广告，违反版规');
    assertError(await regulator.request('POST', `/api/forum/topics/${t.id}/hide`, { json: { reason: '再藏' } }), 409, 'forum_already_hidden');
    const seen = await pub.request('GET', `/api/forum/topics/${t.id}`);
    assert.equal(seen.body.hidden, true);
    assert.equal(seen.body.title, '');
    assert.equal(seen.body.html, '');
    assert.equal(seen.body.hidden_reason, null);
    const own = await enterprise.request('GET', `/api/forum/topics/${t.id}`);
    assert.equal(own.body.title, '广告：代办贯标');
    assert.equal(own.body.hidden_reason, '商业广告，违反版规');
    const publicList = await pub.request('GET', `/api/forum/topics?category_id=${categoryId}&per_page=100`);
    assert.ok(!publicList.body.items.some((x) => x.id === t.id), 'hidden topics are not listed for the public');
    assertError(await body.request('POST', `/api/forum/topics/${t.id}/replies`, { json: { body: '还能回复吗' } }), 409, 'forum_topic_hidden');
    assert.equal(Number(rows(server, `SELECT COUNT(*) FROM search_documents WHERE type = 'topic' AND ref_id = ${t.id}`)[0][0]), 0);
    const closed = await regulator.request('GET', '/api/forum/reports?status=actioned');
    assert.ok(closed.body.items.some((x) => x.id === topicReport.id));
    // hide the reply with a reason; show it again
    r = await admin.request('POST', `/api/forum/replies/${replyId}/hide`, { json: { reason: '联系方式广告' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.replies[0].hidden, true);
    assert.equal(r.body.replies[0].hidden_reason, '联系方式广告');
    r = await admin.request('POST', `/api/forum/replies/${replyId}/unhide`);
    assert.equal(r.body.replies[0].hidden, false);
    assertError(await admin.request('POST', `/api/forum/replies/${replyId}/unhide`), 409, 'forum_not_hidden');
    // show the topic again: back in search
    r = await regulator.request('POST', `/api/forum/topics/${t.id}/unhide`);
    assert.equal(r.body.hidden, false);
    assert.equal(rows(server, `SELECT title FROM search_documents WHERE type = 'topic' AND ref_id = ${t.id}`)[0][0], '广告：代办贯标');
    assert.deepEqual((await auditActions('forum_topic', t.id)).filter((x) => /hide/.test(x)).sort(), ['forum.topic.hide', 'forum.topic.unhide']);
    assert.deepEqual((await auditActions('forum_reply', replyId)).sort(), ['forum.reply.create', 'forum.reply.hide', 'forum.reply.unhide']);
    assert.equal((await auditActions('forum_report', topicReport.id))[0], 'forum.report.create');
  });

  test('at once: five reports of one topic by one user give one, five hides of it one, five unhides one', async () => {
    const t = (await post(enterprise, { category_id: categoryId, title: '并发举报测试', body: '同一话题被同时举报' })).body;
    const reports = await Promise.all(Array.from({ length: 5 }, () =>
      body.request('POST', '/api/forum/reports', { json: { item_type: 'topic', item_id: t.id, reason: '重复广告' } })));
    assert.deepEqual(reports.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
    for (const r of reports.filter((x) => x.status === 409)) assertError(r, 409, 'forum_report_exists');
    const hides = await Promise.all(Array.from({ length: 5 }, () =>
      regulator.request('POST', `/api/forum/topics/${t.id}/hide`, { json: { reason: '广告' } })));
    assert.deepEqual(hides.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
    const unhides = await Promise.all(Array.from({ length: 5 }, () =>
      regulator.request('POST', `/api/forum/topics/${t.id}/unhide`)));
    assert.deepEqual(unhides.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
    const actions = await auditActions('forum_topic', t.id);
    assert.equal(actions.filter((x) => x === 'forum.topic.hide').length, 1);
    assert.equal(actions.filter((x) => x === 'forum.topic.unhide').length, 1);
  });

  test('rate limit: 10 topics at once with a limit of 5 an hour: exactly 5 through, then 429 with Retry-After', async () => {
    const poster = await accountFor(server, admin, { role: 'enterprise', enterprise_id: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      post(poster, { category_id: categoryId, title: `并发话题 ${i}`, body: '并发测试' })));
    const statuses = answers.map((x) => x.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429, 429, 429, 429]);
    const refused = answers.find((x) => x.status === 429);
    assertError(refused, 429, 'rate_limited');
    const wait = Number(refused.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
    assert.match(refused.body.error.message, new RegExp(String(wait)));
    const [[count]] = rows(server, `SELECT COUNT(*) FROM forum_topics WHERE title LIKE '并发话题 %'`);
    assert.equal(Number(count), 5);
    // replies have their own allowance
    const t = answers.find((x) => x.status === 201).body;
    assert.equal((await reply(poster, t.id, '回复不受话题限额影响')).status, 201);
  });

  test('the topic list: latest activity first, paged, as CSV', async () => {
    const own = (await admin.request('POST', '/api/forum/categories', { json: { name: '排序版块' } })).body.id;
    const a = (await post(body, { category_id: own, title: '较早的话题', body: '一' })).body;
    const b = (await post(body, { category_id: own, title: '较新的话题', body: '二' })).body;
    // both an hour old (the clock has one-second steps); a reply makes the older one the latest
    rows(server, `UPDATE forum_topics SET last_post_at = last_post_at - 3600 WHERE id IN (${a.id}, ${b.id})`);
    await reply(enterprise, a.id, '顶一下');
    const list = await pub.request('GET', `/api/forum/topics?category_id=${own}&per_page=1`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x) => x.id), [a.id]);
    assert.equal(list.body.total, 2);
    const second = await pub.request('GET', `/api/forum/topics?category_id=${own}&per_page=1&page=2`);
    assert.deepEqual(second.body.items.map((x) => x.id), [b.id]);
    const csv = await fetch(`${server.url}/api/forum/topics?category_id=${own}&format=csv`);
    assert.equal(csv.status, 200);
    const text = await csv.text();
    assert.match(text, /^\uFEFF?话题编号,版块,标题,作者,回复数,已隐藏,发布时间,最后回复\r\n/);
    assert.match(text, /较新的话题/);
  });
});
