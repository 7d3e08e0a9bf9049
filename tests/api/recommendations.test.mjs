// Recommendations that say why (docs/statistics.md "Recommendations"), from outside: the facts
// are made through the API — a new enterprise with one member of staff, two nonconformities on
// clause 4.5 (no demo course covers it), a course on 4.5 authored and published — and the
// recommendation names the clause, the counts and the course, in the request's language; the
// staff completing the course removes it. Likewise a failed quiz, a self-assessment's gap (the
// latest one counts), an effectiveness decline with indicators missing, and for a body: a weak
// review dimension against the national mean, late decisions, an overdue verification, an open
// complaint (an action linking to it, gone once dismissed). Engagements, reviews, an audit and an
// effectiveness result are planted with SQL where the API makes them only through long flows, as
// rankings, nonconformities and effectiveness-views tests do. Who may ask about whom, the
// refusals, and the demo data's recommendations.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { assertError, checkEveryAnswer, demoClients } from './helpers.mjs';
import { accountFor, reviewableEngagements } from './lib/market.mjs';
import { makeCode } from './lib/uscc.mjs';
import { rows } from './lib/sql.mjs';

checkEveryAnswer();

describe('recommendations', () => {
  let server, pub, admin, regulator, regulatorGd, enterprise, body, bodyId;

  before(async () => {
    server = await startPlatform();
    ({ pub, admin, regulator, regulatorGd, enterprise, body, bodyId } = await demoClients(server));
  });
  after(async () => { await server?.stop(); });

  const recs = (client, query = '', headers = {}) => client.request('GET', `/api/recommendations${query}`, { headers });

  /** A new enterprise in region (admin), with one member of staff signed in. */
  async function newEnterprise(region, serial) {
    const r = await admin.request('POST', '/api/enterprises', {
      json: { name: `推荐测试企业${serial}有限公司`, credit_code: makeCode(region, 700 + serial), region, industry: '39', size: 'small' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const staff = await accountFor(server, admin, { role: 'enterprise', enterprise_id: r.body.id });
    return { id: r.body.id, name: r.body.name, staff };
  }

  /** A published course of one lesson on `clause` with a one-question quiz; its id and question. */
  async function publishedCourse(title, clause) {
    let r = await regulator.request('POST', '/api/courses', { json: { category: 'clauses', title, quiz_size: 1, pass_mark: 60 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const course = r.body.id;
    r = await regulator.request('POST', `/api/courses/${course}/lessons`, { json: { title: `${title} 第一课`, markdown: '正文', clauses: [clause] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lesson = r.body.id;
    assert.equal((await regulator.request('POST', `/api/lessons/${lesson}/submit`)).status, 200);
    assert.equal((await admin.request('POST', `/api/lessons/${lesson}/approve`)).status, 200);
    r = await regulator.request('POST', `/api/courses/${course}/questions`,
      { json: { kind: 'truefalse', text: '纠正措施应消除不符合的原因。', correct: [0], explanation: '是的。' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await regulator.request('POST', `/api/courses/${course}/status`, { json: { status: 'review' } })).status, 200);
    r = await admin.request('POST', `/api/courses/${course}/status`, { json: { status: 'published' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { course, lesson, question: r.body.id };
  }

  test('who may ask about whom; the refusals', async () => {
    assertError(await recs(pub), 401, 'unauthenticated');
    assertError(await recs(admin), 400, 'invalid_query', 'enterprise_id');
    assertError(await recs(regulator, '?enterprise_id=1&body_id=1'), 400, 'invalid_query', 'body_id');
    assertError(await recs(regulator, '?enterprise_id=abc'), 400, 'invalid_query', 'enterprise_id');
    assertError(await recs(admin, '?enterprise_id=999999'), 404, 'enterprise_not_found');
    assertError(await recs(admin, '?body_id=999999'), 404, 'body_not_found');
    const beijing = await newEnterprise('110108', 1);
    assertError(await recs(regulatorGd, `?enterprise_id=${beijing.id}`), 404, 'enterprise_not_found');
    assertError(await recs(enterprise, `?enterprise_id=${beijing.id}`), 404, 'enterprise_not_found');
    assertError(await recs(body, `?enterprise_id=${beijing.id}`), 404, 'enterprise_not_found');
    assertError(await recs(enterprise, `?body_id=${bodyId}`), 404, 'body_not_found');
    let r = await recs(regulator, `?enterprise_id=${beijing.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { for: { type: 'enterprise', id: beijing.id, name: beijing.name }, items: [] });
    r = await recs(beijing.staff);
    assert.deepEqual(r.body.for, { type: 'enterprise', id: beijing.id, name: beijing.name });
    r = await recs(body);
    assert.equal(r.status, 200);
    assert.equal(r.body.for.type, 'body');
    assert.equal(r.body.for.id, bodyId);
  });

  test('a nonconformity on clause 4.5 and a course on it: recommended with the reason; completing it removes it', async () => {
    const e = await newEnterprise('440305', 2);
    const { course, lesson } = await publishedCourse('持续改进实务', '4.5');
    // nothing yet: no nonconformity
    assert.deepEqual((await recs(e.staff)).body.items, []);
    const nc = { clause_number: '4.5', grade: 'minor', description: '改进机会未登记', owner: '李四', due_date: '2099-06-30' };
    let r = await e.staff.request('POST', '/api/nonconformities', { json: nc });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await e.staff.request('POST', '/api/nonconformities', { json: { ...nc, grade: 'major', description: '未分析改进需求' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));

    r = await recs(e.staff);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      for: { type: 'enterprise', id: e.id, name: e.name },
      items: [{
        kind: 'course', title: '持续改进实务', url: `/courses/${course}`, target: { type: 'course', id: course },
        reason: { code: 'clause_nonconformities', text: '条款 4.5 近三年有 2 项不符合（2 项未关闭），推荐课程《持续改进实务》',
          clause: '4.5', count: 2 },
      }],
    });
    // in English; and the same for the regulator of the region, the national one and an admin
    r = await recs(e.staff, '', { 'accept-language': 'en' });
    assert.equal(r.body.items[0].reason.text,
      'Clause 4.5 had 2 nonconformities in the last three years (2 still open), so the course "持续改进实务"');
    for (const who of [regulatorGd, regulator, admin]) {
      r = await recs(who, `?enterprise_id=${e.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.items[0].reason.text, '条款 4.5 近三年有 2 项不符合（2 项未关闭），推荐课程《持续改进实务》');
    }

    // the staff take the course: the lesson completed and the quiz passed → no longer recommended
    r = await e.staff.request('POST', `/api/lessons/${lesson}/progress`, { json: { event: 'completed' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await e.staff.request('POST', `/api/courses/${course}/quiz-attempts`, { json: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const attempt = r.body;
    r = await e.staff.request('POST', `/api/quiz-attempts/${attempt.id}/submit`,
      { json: { answers: { [String(attempt.questions[0].id)]: [0] } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.passed, true);
    assert.deepEqual((await recs(e.staff)).body.items, []);
  });

  test('a failed quiz: the course to review, with the count of staff', async () => {
    const e = await newEnterprise('440305', 3);
    const { course } = await publishedCourse('内部审核要点', '4.5');
    let r = await e.staff.request('POST', `/api/courses/${course}/quiz-attempts`, { json: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await e.staff.request('POST', `/api/quiz-attempts/${r.body.id}/submit`,
      { json: { answers: { [String(r.body.questions[0].id)]: [1] } } });
    assert.equal(r.body.passed, false);
    r = await recs(e.staff);
    assert.deepEqual(r.body.items.map((i) => [i.kind, i.target, i.reason.code, i.reason.count, i.reason.text]), [
      ['course', { type: 'course', id: course }, 'quiz_failed', 1, '1 名员工未通过课程《内部审核要点》的测验，建议复习课时后重考'],
    ]);
  });

  test('the latest self-assessment: a clause not met recommends the course on it; a newer one without the gap does not', async () => {
    const e = await newEnterprise('440305', 4);
    const { course } = await publishedCourse('知识产权方针与目标', '4.4');
    let r = await e.staff.request('POST', '/api/self-assessments', { json: { edition: '2023', title: '年度自评' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const first = r.body.id;
    r = await e.staff.request('PUT', `/api/self-assessments/${first}/items/4.4`, { json: { status: 'not_conforming', notes: '未形成文件' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await e.staff.request('PUT', `/api/self-assessments/${first}/items/4.2`, { json: { status: 'conforming' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await recs(e.staff);
    assert.deepEqual(r.body.items.map((i) => [i.kind, i.target, i.reason.code, i.reason.clause, i.reason.text]), [
      ['course', { type: 'course', id: course }, 'self_assessment_gap', '4.4', '最近一次自评中条款 4.4 为“不符合”，推荐课程《知识产权方针与目标》'],
    ]);
    r = await recs(e.staff, '', { 'accept-language': 'en' });
    assert.equal(r.body.items[0].reason.text, 'Your latest self-assessment marks clause 4.4 as not met, so the course "知识产权方针与目标"');
    // a newer self-assessment is the one that counts
    r = await e.staff.request('POST', '/api/self-assessments', { json: { edition: '2023', title: '复评' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await e.staff.request('PUT', `/api/self-assessments/${r.body.id}/items/4.4`, { json: { status: 'conforming' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual((await recs(e.staff)).body.items, []);
  });

  test('an effectiveness verdict of decline: the briefing course; indicators missing: the action to enter them', async () => {
    const e = await newEnterprise('440305', 5);
    // the stored result of the effectiveness job, planted as tests/api/effectiveness-views.test.mjs does
    rows(server, 'INSERT INTO effectiveness_results (enterprise_id, method, certified_year, index_value, verdict, grade, form_only, '
      + `detail, computed_at) VALUES (${e.id}, 'v1', 2022, 40.5, 'decline', 'D', 0, '[]', ${Math.floor(Date.now() / 1000)})`);
    const briefing = (await pub.request('GET', '/api/courses?category=briefing')).body.items[0];
    const indicators = (await pub.request('GET', '/api/indicators')).body.items.length;
    assert.ok(indicators > 0);
    const r = await recs(e.staff);
    assert.deepEqual(r.body.items, [
      { kind: 'action', title: '补录指标数据', url: '/indicators', target: null, reason: { code: 'indicators_missing', clause: null,
        count: indicators, text: `认证有效性评价的 ${indicators} 项指标中有 ${indicators} 项没有数据，请补录` } },
      { kind: 'course', title: briefing.title, url: `/courses/${briefing.id}`, target: { type: 'course', id: briefing.id },
        reason: { code: 'effectiveness_decline', clause: null, count: null, text: `认证有效性评价结论为“下降”，推荐简报课程《${briefing.title}》` } },
    ]);
  });

  test('a complaint filed against a body: an action linking to it, for the body, a regulator and an admin', async () => {
    const [{ enterprise: holder, engagement, body: target }] = reviewableEngagements(server, 1);
    const staff = await accountFor(server, admin, { role: 'enterprise', enterprise_id: holder });
    const open = await admin.request('GET', `/api/complaints?body_id=${target}&per_page=100`);
    const before = open.body.items.filter((k) => ['received', 'under_review'].includes(k.status)).length;
    assert.ok(before < 8, 'room for one more complaint among the eight items');
    let r = await staff.request('POST', '/api/complaints', { json: { engagement_id: engagement, text: '决定迟迟未出。' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const complaint = r.body.id;
    const bodyStaff = await accountFor(server, admin, { role: 'body', body_id: target });
    for (const [who, query] of [[bodyStaff, ''], [admin, `?body_id=${target}`], [regulator, `?body_id=${target}`]]) {
      r = await recs(who, query);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.for.id, target);
      const item = r.body.items.find((i) => i.target?.type === 'complaint' && i.target.id === complaint);
      assert.deepEqual(item, {
        kind: 'action', title: `处理投诉 #${complaint}`, url: `/complaints/${complaint}`, target: { type: 'complaint', id: complaint },
        reason: { code: 'complaint_open', text: `针对贵机构的投诉 #${complaint} 尚未办结（已受理）`, clause: null, count: null },
      });
    }
    r = await recs(bodyStaff, '', { 'accept-language': 'en' });
    assert.equal(r.body.items.find((i) => i.target?.id === complaint && i.target.type === 'complaint').reason.text,
      `Complaint #${complaint} about your body is open (received)`);
    // dismissed: no longer recommended
    r = await admin.request('POST', `/api/complaints/${complaint}/status`, { json: { status: 'under_review' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await admin.request('POST', `/api/complaints/${complaint}/status`, { json: { status: 'dismissed', note: '已核实' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await recs(bodyStaff);
    assert.equal(r.body.items.filter((i) => i.target?.type === 'complaint' && i.target.id === complaint).length, 0);
  });

  test('a body: a review dimension 0.3 or more below the national mean, late decisions; reach by the provinces it serves', async () => {
    /** A new body through the API (as an admin) serving `regions` (none: nationwide). */
    const newBody = async (code, regions) => {
      const r = await admin.request('POST', '/api/bodies', { json: { name: `推荐测试认证机构${code}`, credit_code: makeCode('110108', 7500 + code),
        code: String(950 + code), approval_number: `CNCA-R-2026-${950 + code}`, ...(regions ? { regions } : {}) } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id;
    };
    const target = await newBody(1);
    const beijingOnly = await newBody(2, ['110000']);
    assert.equal((await recs(regulatorGd, `?body_id=${target}`)).status, 200);
    assertError(await recs(regulatorGd, `?body_id=${beijingOnly}`), 404, 'body_not_found');
    assert.equal((await recs(regulator, `?body_id=${beijingOnly}`)).status, 200);
    assert.deepEqual((await recs(admin, `?body_id=${target}`)).body.items, []);

    // three decided engagements with reviews (timeliness 1 of 5), one decided after the committed
    // lead time; the engagements and reviews are planted as tests/api/rankings.test.mjs does
    const now = Math.floor(Date.now() / 1000);
    const decided = new Date((now - 10 * 86400) * 1000).toISOString().slice(0, 10);
    const lines = [`INSERT INTO commitments (body_id, version, status, created_at, updated_at) VALUES (${target}, 1, 'published', ${now}, ${now});`];
    [[5, 4, 1, 5, 1], [5, 4, 1, 5, 1], [4, 4, 1, 5, 0]].forEach(([p, e, t, c, within], i) => {
      const tag = `recommend-test-${i}`;
      lines.push('INSERT INTO engagements (enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days, status, '
        + 'stage, request_note, requested_at, application_date, decision, decision_date, lead_days, within_commitment, created_at, '
        + `updated_at) VALUES (${i + 2}, ${target}, (SELECT MAX(id) FROM commitments WHERE body_id = ${target}), 1, 60, 'decided', `
        + `'decision', '${tag}', ${now}, '2026-01-05', 'certified', '${decided}', 90, ${within}, ${now}, ${now});`);
      lines.push('INSERT INTO feedback (engagement_id, body_id, enterprise_id, professionalism, effectiveness, timeliness, commitment, '
        + `created_at, updated_at, editable_until) VALUES ((SELECT id FROM engagements WHERE request_note = '${tag}'), ${target}, ${i + 2}, `
        + `${p}, ${e}, ${t}, ${c}, ${now}, ${now}, ${now + 86400});`);
    });
    rows(server, lines.join('\n'));
    // the national mean of timeliness over every visible review, counted here
    const [[national]] = rows(server, 'SELECT AVG(timeliness * 1.0) FROM feedback WHERE hidden = 0');
    const nat = Number(national);
    assert.ok(nat - 1 >= 0.3, `the national mean ${nat} is well above 1`);

    const r = await recs(admin, `?body_id=${target}`);
    const timeliness = r.body.items.find((i) => i.kind === 'action' && i.reason.code === 'feedback_below_national' && i.title === '提升及时性');
    assert.deepEqual(timeliness, { kind: 'action', title: '提升及时性', url: '/organisation', target: null, reason: {
      code: 'feedback_below_national', clause: null, count: 3,
      text: `3 条评价中“及时性”均分 1.00，低于全国均值 ${nat.toFixed(2)}（差 ${(nat - 1).toFixed(2)} 分）` } });
    const late = r.body.items.find((i) => i.reason.code === 'engagements_late');
    assert.deepEqual(late, { kind: 'action', title: '按承诺周期作出认证决定', url: '/engagements', target: null, reason: {
      code: 'engagements_late', clause: null, count: 1, text: '近一年有 1 个认证项目超出承诺周期才作出决定' } });
    // professionalism 4.67 and commitment 5 are not below the national means by 0.3
    assert.equal(r.body.items.filter((i) => i.title === '提升专业性' || i.title === '提升履约').length, 0);

    // two nonconformities its audit raised, one past its due date: one to verify, overdue
    const [[catalogue]] = rows(server, "SELECT MAX(id) FROM clause_catalogues WHERE edition = '2023'");
    const [[audit]] = rows(server, 'INSERT INTO audits (enterprise_id, body_id, kind, catalogue_id, title, start_date, end_date, status, '
      + `created_at, updated_at) VALUES (2, ${target}, 'stage2', ${catalogue}, '推荐测试审核', '2026-03-01', '2026-03-02', 'signed_off', 1, 1) RETURNING id`);
    const auditor = await accountFor(server, admin, { role: 'body', body_id: target });
    const nc = { clause_number: '8.1', grade: 'minor', description: '运行控制记录缺失', owner: '王五', raised_by_audit_id: Number(audit) };
    for (const due of ['2025-01-31', '2099-01-31']) {
      const made = await auditor.request('POST', '/api/nonconformities', { json: { ...nc, due_date: due } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    const overdue = (await recs(auditor)).body.items.find((i) => i.reason.code === 'verification_overdue');
    assert.deepEqual(overdue, { kind: 'action', title: '验证逾期的整改', url: '/nonconformities', target: null, reason: {
      code: 'verification_overdue', clause: null, count: 1, text: '贵机构审核提出的 1 项不符合已过整改期限仍未验证' } });
  });

  test('the demo enterprise and the demo body have at least three recommendations, each with a reason', async () => {
    for (const who of [enterprise, body]) {
      const r = await recs(who);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length >= 3, JSON.stringify(r.body.items));
      assert.ok(r.body.items.length <= 8);
      for (const item of r.body.items) assert.ok(item.reason.text.length > 10, JSON.stringify(item));
      // deterministic: asked again, the same answer
      assert.deepEqual((await recs(who)).body, r.body);
    }
  });
});
