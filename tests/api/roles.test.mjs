// Role enforcement against a matrix written here by hand, from the product's intent (PRODUCT.md,
// docs/api.md, docs/registry.md), not from the route table it checks: for every route (method +
// path) the roles that may call it. For every route and every caller (the public and each demo
// login: admin, regulator, regulator-gd, enterprise, body), a caller whose role is not in the
// route's row gets 401 unauthenticated (the public) or 403 forbidden (signed in), and a caller
// whose role is in it gets neither 401 nor 403 (nor a 5xx). The routes of /api/openapi.json
// must be exactly the matrix's routes, and each one's documented x-roles its row: a route added
// without a row here fails this test, as does a route whose roles drift from its row.
//
// Unsafe methods carry `{}` so that validation answers instead of anything changing; path
// parameters get an id that does not exist; DELETE routes use a fresh sign-in per caller
// because they may end the session (DELETE /api/session does). (A handler that refuses an
// allowed role with 403 for a made-up id would fail this too: such a handler should answer 404.)
//
// To add a route: add one line to MATRIX with the roles the product gives it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client, demoLogins } from '../lib/platform.mjs';
import { assertError, signedIn, userTotal, checkEveryAnswer } from './helpers.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

const ROLES = ['public', 'enterprise', 'body', 'regulator', 'admin'];
const ANYONE = ROLES;                                           // "public" in the docs: anyone may
const SIGNED_IN = ['enterprise', 'body', 'regulator', 'admin'];

/** Route → the roles that may call it. */
const MATRIX = {
  // operations (docs/operations.md): the network decides who reaches /metrics, not the role
  'GET /healthz': ANYONE,
  'GET /metrics': ANYONE,
  'GET /api/openapi.json': ANYONE,

  // sessions (docs/api.md): anyone may sign in; the rest is the signed-in user's own
  'POST /api/session': ANYONE,
  'GET /api/session': SIGNED_IN,
  'DELETE /api/session': SIGNED_IN,
  'PUT /api/session/password': SIGNED_IN,

  // accounts (PRODUCT.md: admins keep the accounts)
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],

  // reference data (docs/registry.md: public)
  'GET /api/regions': ANYONE,
  'GET /api/regions/{code}': ANYONE,
  'GET /api/industries': ANYONE,
  'GET /api/vocabularies': ANYONE,

  // the standard as data (docs/compliance.md): anyone reads the clauses; admins import and export
  'GET /api/clauses': ANYONE,
  'GET /api/clause-catalogues': ANYONE,
  'POST /api/clause-catalogues': ['admin'],
  'GET /api/clause-catalogues/{id}/export': ['admin'],

  // enterprises (docs/registry.md)
  'GET /api/enterprises': ['admin', 'regulator'],
  'POST /api/enterprises': ['admin', 'regulator'],
  'POST /api/enterprises/registrations': ANYONE,
  'GET /api/enterprises/{id}': ['admin', 'regulator', 'enterprise'],
  'PATCH /api/enterprises/{id}': ['admin', 'regulator', 'enterprise'],
  'POST /api/enterprises/{id}/review': ['admin', 'regulator'],

  // engagements (docs/marketplace.md): scoped to the enterprise, the body, the regulator's
  // region; the enterprise requests and cancels, the body answers, records stages and decides;
  // consulting ties are the regulators' and admins'
  'GET /api/engagements': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/engagements': ['enterprise'],
  'GET /api/engagements/{id}': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/engagements/{id}/accept': ['body'],
  'POST /api/engagements/{id}/decline': ['body'],
  'POST /api/engagements/{id}/cancel': ['enterprise'],
  'POST /api/engagements/{id}/stages': ['body'],
  'POST /api/engagements/{id}/decision': ['body'],
  'GET /api/consulting-ties': ['admin', 'regulator'],
  'POST /api/consulting-ties': ['admin', 'regulator'],

  // self-assessment (docs/compliance.md): the enterprise writes its own; its regulator, admins and
  // a body with a standing evidence grant read (others get 404, not 403)
  'GET /api/self-assessments': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/self-assessments': ['enterprise'],
  'GET /api/self-assessments/{id}': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/self-assessments/{id}/complete': ['enterprise'],
  'PUT /api/self-assessments/{id}/items/{clause}': ['enterprise'],
  'GET /api/self-assessments/{id}/items/{clause}/history': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/self-assessments/{id}/items/{clause}/evidence': ['enterprise'],
  'GET /api/evidence-grants': ['admin', 'regulator', 'enterprise', 'body'],
  'POST /api/evidence-grants': ['enterprise'],
  'DELETE /api/evidence-grants/{id}': ['enterprise'],

  // files (docs/files.md): an enterprise's documents go with the enterprise; a download checks
  // the owning record's scope (404 otherwise), so every signed-in role may ask
  'GET /api/enterprises/{id}/files': ['admin', 'regulator', 'enterprise'],
  'POST /api/enterprises/{id}/files': ['admin', 'regulator', 'enterprise'],
  'GET /api/files/{id}': ['admin', 'regulator', 'enterprise', 'body'],

  // certification bodies (docs/registry.md)
  'GET /api/bodies': ANYONE,
  'POST /api/bodies': ['admin'],
  'GET /api/bodies/{id}': ANYONE,
  'PATCH /api/bodies/{id}': ['admin', 'body'],
  'POST /api/bodies/{id}/standing': ['admin'],
  // API tokens (docs/api.md): the body's staff create them; its staff and admins list and revoke
  'GET /api/bodies/{id}/tokens': ['admin', 'body'],
  'POST /api/bodies/{id}/tokens': ['body'],
  'DELETE /api/bodies/{id}/tokens/{token_id}': ['admin', 'body'],

  // search (issue 11, docs/learning.md "Search"): public; its anonymised log for admins
  'GET /api/search': ANYONE,
  'GET /api/search/log': ['admin'],

  // service commitments (docs/marketplace.md): the catalogue and a commitment's page are public;
  // a body publishes and withdraws its own, admins any; a body's own list (withdrawn too) is its own
  'GET /api/commitments': ANYONE,
  'POST /api/commitments': ['admin', 'body'],
  'GET /api/commitments/{id}': ANYONE,
  'POST /api/commitments/{id}/versions': ['admin', 'body'],
  'GET /api/commitments/{id}/versions/{n}': ANYONE,
  'GET /api/commitments/{id}/diff': ANYONE,
  'POST /api/commitments/{id}/withdraw': ['admin', 'body'],
  'POST /api/commitments/{id}/republish': ['admin', 'body'],
  'GET /api/bodies/{id}/commitments': ['admin', 'body'],

  // the ranking (docs/marketplace.md): public, and administrators may run it now
  'GET /api/rankings': ANYONE,
  'GET /api/bodies/{id}/ranking': ANYONE,
  'POST /api/rankings/refresh': ['admin'],

  // certificates (docs/registry.md; PRODUCT.md: verification is public)
  'GET /api/certificates/{number}': ANYONE,
  'GET /api/certificates': ANYONE,     // ?credit_code= for the public, the caller's own otherwise
  'POST /api/certificates': ['admin', 'body'],
  'POST /api/certificates/imports': ['admin'],   // as `guanbiao import certificates`
  'POST /api/certificates/uploads': ['admin', 'body'],   // CertSearch-style CSV/XLSX; API tokens too
  'POST /api/certificates/verify': ANYONE,       // bulk verification is public, as the single lookup
  'POST /api/certificates/verify/file': ANYONE,
  'PATCH /api/certificates/{number}': ['admin', 'body'],
  'POST /api/certificates/{number}/status': ['admin', 'body'],
  // the lifecycle after the decision (docs/registry.md "Lifecycle"): the issuing body and admins
  // record surveillance and renew; bodies, regulators and admins list what falls due in reach
  'POST /api/certificates/{number}/surveillances': ['admin', 'body'],
  'POST /api/certificates/{number}/renewal': ['admin', 'body'],
  'GET /api/certificates/surveillance': ['admin', 'regulator', 'body'],
  'GET /api/certificates/{number}/history': ['admin', 'regulator', 'enterprise', 'body'],
  // the certificate as a PDF (docs/reports.md): public, as verification is
  'GET /api/certificates/{number}/pdf': ANYONE,

  // the audit report (issue 9, docs/compliance.md): whoever may read the audit; the rest 404
  'GET /api/audits/{id}/pdf': SIGNED_IN,

  // notifications (docs/notifications.md): every signed-in user's own inbox and preferences
  'GET /api/notifications': SIGNED_IN,
  'GET /api/notifications/unread': SIGNED_IN,
  'POST /api/notifications/{id}/read': SIGNED_IN,
  'POST /api/notifications/read-all': SIGNED_IN,
  'GET /api/notifications/preferences': SIGNED_IN,
  'PUT /api/notifications/preferences': SIGNED_IN,

  // background jobs (docs/jobs.md): the platform's administrators watch and retry them
  'GET /api/jobs': ['admin'],
  'POST /api/jobs/{id}/retry': ['admin'],

  // the audit log (docs/audit.md): admins, and regulators for their region
  'GET /api/audit': ['admin', 'regulator'],
  'GET /api/audit/{seq}': ['admin', 'regulator'],

  // feedback (docs/marketplace.md): an enterprise reviews its engagements, the reviewed body
  // replies, regulators and admins moderate; reading a review is scoped (404 outside), and the
  // public reads a body's reviews
  'POST /api/feedback': ['enterprise'],
  'GET /api/feedback': SIGNED_IN,
  'GET /api/feedback/engagements': ['enterprise'],
  'GET /api/feedback/{id}': SIGNED_IN,
  'PATCH /api/feedback/{id}': ['enterprise'],
  'GET /api/feedback/{id}/versions': SIGNED_IN,
  'POST /api/feedback/{id}/reply': ['body'],
  'POST /api/feedback/{id}/hide': ['admin', 'regulator'],
  'POST /api/feedback/{id}/unhide': ['admin', 'regulator'],
  'GET /api/bodies/{id}/feedback': ANYONE,

  // complaints (docs/marketplace.md): an enterprise files them; each side reads its own (scoped,
  // 404 outside); regulators of the region and admins take them through their steps
  'POST /api/complaints': ['enterprise'],
  'GET /api/complaints': SIGNED_IN,
  'GET /api/complaints/{id}': SIGNED_IN,
  'POST /api/complaints/{id}/status': ['admin', 'regulator'],

  // audits and management reviews (docs/compliance.md "Audits"): an enterprise plans internal
  // audits, a body external ones; every side reads in its scope; only the owner changes one
  'POST /api/audits': ['enterprise', 'body'],
  'GET /api/audits': SIGNED_IN,
  'GET /api/audits/{id}': SIGNED_IN,
  'PATCH /api/audits/{id}': ['enterprise', 'body'],
  'PUT /api/audits/{id}/findings/{clause}': ['enterprise', 'body'],
  'POST /api/audits/{id}/sign-off': ['enterprise', 'body'],
  'POST /api/audits/{id}/revisions': ['enterprise', 'body'],
  'POST /api/management-reviews': ['enterprise'],
  'GET /api/management-reviews': ['enterprise', 'regulator', 'admin'],
  'GET /api/management-reviews/{id}': ['enterprise', 'regulator', 'admin'],
  'PATCH /api/management-reviews/{id}': ['enterprise'],

  // nonconformities (docs/compliance.md): the enterprise records and works its own, a body raises
  // and verifies them from its audits; everyone signed in reads within reach (404 outside);
  // regulators and admins count them by clause
  'GET /api/nonconformities/by-clause': ['admin', 'regulator'],
  'POST /api/nonconformities': ['admin', 'enterprise', 'body'],
  'GET /api/nonconformities': SIGNED_IN,
  'GET /api/nonconformities/{id}': SIGNED_IN,
  'PATCH /api/nonconformities/{id}': ['admin', 'enterprise'],
  'POST /api/nonconformities/{id}/status': ['admin', 'enterprise', 'body'],

  // indicators (docs/effectiveness.md "Indicators"): the catalogue is public, an admin's to change;
  // an enterprise's values are read by it, a body engaged with it, its regulators and admins,
  // written by the enterprise (or an admin), verified by a body
  'GET /api/indicators': ANYONE,
  'POST /api/indicators': ['admin'],
  'PATCH /api/indicators/{id}': ['admin'],
  'GET /api/enterprises/{id}/indicators': ['admin', 'regulator', 'enterprise', 'body'],
  'GET /api/enterprises/{id}/indicators/history': ['admin', 'regulator', 'enterprise', 'body'],
  'PUT /api/enterprises/{id}/indicators/{year}': ['admin', 'enterprise'],
  'POST /api/enterprises/{id}/indicators/{year}/verification': ['body'],

  // the effectiveness index as read (issue 10, docs/effectiveness.md "Pages and report"): an
  // enterprise's result and report by those who reach it (the rest 404); the regulators' views
  'GET /api/enterprises/{id}/effectiveness': SIGNED_IN,
  'GET /api/enterprises/{id}/effectiveness/pdf': SIGNED_IN,
  'GET /api/effectiveness/form-only': ['admin', 'regulator'],
  'GET /api/effectiveness/distribution': ['admin', 'regulator'],
  // indicator imports (docs/effectiveness.md "Imports"): an enterprise its own values, a regulator
  // its region's, an admin any; a body imports none
  'POST /api/indicator-imports': ['admin', 'enterprise', 'regulator'],
  'GET /api/indicator-imports': ['admin', 'enterprise', 'regulator'],
  'GET /api/indicator-imports/{id}': ['admin', 'enterprise', 'regulator'],

  // learning content (issue 11, docs/learning.md "Content"): the public reads the catalogue and
  // the announcements; regulators and admins author
  'GET /api/courses': ANYONE,
  'GET /api/authoring/courses': ['admin', 'regulator'],
  'POST /api/courses': ['admin', 'regulator'],
  'GET /api/courses/{id}': ANYONE,
  'PUT /api/courses/{id}': ['admin', 'regulator'],
  'POST /api/courses/{id}/status': ['admin', 'regulator'],
  'PUT /api/courses/{id}/order': ['admin', 'regulator'],
  'POST /api/courses/{id}/lessons': ['admin', 'regulator'],
  'GET /api/lessons/{id}': ANYONE,
  'PUT /api/lessons/{id}': ['admin', 'regulator'],
  'GET /api/lessons/{id}/draft': ['admin', 'regulator'],
  'POST /api/lessons/{id}/submit': ['admin', 'regulator'],
  'POST /api/lessons/{id}/approve': ['admin', 'regulator'],
  'GET /api/lessons/{id}/revisions': ['admin', 'regulator'],
  'GET /api/lessons/{id}/revisions/{revision}': ['admin', 'regulator'],
  'POST /api/markdown/preview': ['admin', 'regulator'],
  'GET /api/announcements': ANYONE,
  'POST /api/announcements': ['admin', 'regulator'],
  'GET /api/announcements/{id}': ANYONE,
  'PUT /api/announcements/{id}': ['admin', 'regulator'],
  'POST /api/announcements/{id}/status': ['admin', 'regulator'],

  // quizzes, progress, certificates of completion (issue 11, docs/learning.md): regulators and admins keep
  // the question banks; everyone signed in learns; an enterprise's staff progress for its own users, its
  // region's regulators and admins; a certificate of completion is verified by anyone
  'GET /api/courses/{id}/questions': ['admin', 'regulator'],
  'POST /api/courses/{id}/questions': ['admin', 'regulator'],
  'PUT /api/questions/{id}': ['admin', 'regulator'],
  'DELETE /api/questions/{id}': ['admin', 'regulator'],
  'POST /api/courses/{id}/quiz-attempts': SIGNED_IN,
  'GET /api/quiz-attempts/{id}': SIGNED_IN,
  'POST /api/quiz-attempts/{id}/submit': SIGNED_IN,
  'POST /api/lessons/{id}/progress': SIGNED_IN,
  'GET /api/me/learning': SIGNED_IN,
  'GET /api/enterprises/{id}/learning': ['admin', 'enterprise', 'regulator'],
  'GET /api/completion-certificates/{number}': ANYONE,
  'GET /api/completion-certificates/{number}/pdf': ANYONE,
  // the exchange forum (docs/learning.md "Exchange"): the public reads, anyone signed in posts,
  // moderators (admins, regulators) hide and work the reports queue
  'GET /api/forum/categories': ANYONE,
  'POST /api/forum/categories': ['admin'],
  'GET /api/forum/categories/{id}': ANYONE,
  'GET /api/forum/topics': ANYONE,
  'POST /api/forum/topics': SIGNED_IN,
  'GET /api/forum/topics/{id}': ANYONE,
  'PATCH /api/forum/topics/{id}': SIGNED_IN,
  'POST /api/forum/topics/{id}/replies': SIGNED_IN,
  'POST /api/forum/topics/{id}/accept': SIGNED_IN,
  'POST /api/forum/topics/{id}/follow': SIGNED_IN,
  'DELETE /api/forum/topics/{id}/follow': SIGNED_IN,
  'POST /api/forum/topics/{id}/hide': ['admin', 'regulator'],
  'POST /api/forum/topics/{id}/unhide': ['admin', 'regulator'],
  'POST /api/forum/replies/{id}/hide': ['admin', 'regulator'],
  'POST /api/forum/replies/{id}/unhide': ['admin', 'regulator'],
  'POST /api/forum/reports': SIGNED_IN,
  'GET /api/forum/reports': ['admin', 'regulator'],
  'POST /api/forum/reports/{id}/dismiss': ['admin', 'regulator'],
  // issue 11, activities (docs/learning.md "Activities"): regulators and admins organise; the
  // public reads; everyone signed in registers and checks in
  'GET /api/activities': ANYONE,
  'POST /api/activities': ['admin', 'regulator'],
  'GET /api/activities/{id}': ANYONE,
  'PATCH /api/activities/{id}': ['admin', 'regulator'],
  'POST /api/activities/{id}/publish': ['admin', 'regulator'],
  'POST /api/activities/{id}/cancel': ['admin', 'regulator'],
  'POST /api/activities/{id}/registrations': SIGNED_IN,
  'DELETE /api/activities/{id}/registrations/mine': SIGNED_IN,
  'POST /api/activities/{id}/check-in': SIGNED_IN,
  'GET /api/activities/{id}/registrations': ['admin', 'regulator'],
  'GET /api/activities/{id}/ics': ANYONE,

  // issue 12, registry and review (docs/policies.md "Registry and review"): regulators (their
  // region) and admins; enterprises, bodies and the public have no access
  'GET /api/policies': ['admin', 'regulator'],
  'GET /api/policies/by-region': ['admin', 'regulator'],
  'POST /api/policy-files': ['admin', 'regulator'],
  'POST /api/policies': ['admin', 'regulator'],
  'GET /api/policies/{id}': ['admin', 'regulator'],
  'PATCH /api/policies/{id}': ['admin', 'regulator'],
  'POST /api/policies/{id}/revisions': ['admin', 'regulator'],
  'PUT /api/policies/{id}/findings/{finding_id}': ['admin', 'regulator'],
  'PUT /api/policies/{id}/status': ['admin', 'regulator'],
  'GET /api/policies/{id}/pdf': ['admin', 'regulator'],
  'GET /api/policies/{id}/xlsx': ['admin', 'regulator'],

  // issue 12, the fair-policy checker (docs/policies.md "Rules and the checker"): regulators and
  // admins check texts and read the rules; a national regulator or an admin saves a new version
  // (a regional regulator's valid document gets 403 policy_rules_national_only, after validation)
  'POST /api/policy-checks': ['admin', 'regulator'],
  'GET /api/policy-rules': ['admin', 'regulator'],
  'GET /api/policy-rules/versions': ['admin', 'regulator'],
  'PUT /api/policy-rules': ['admin', 'regulator'],

  // statistics: the regulators' dashboards (docs/statistics.md)
  'GET /api/statistics/feedback': ['admin', 'regulator'],

  // statistics slice "recommendations that say why": an enterprise or a body its own, a
  // regulator or an admin one it names (docs/statistics.md "Recommendations")
  'GET /api/recommendations': SIGNED_IN,

  // statistics slice "learning" (docs/statistics.md "Learning"): regulators (their region) and admins
  'GET /api/statistics/learning': ['admin', 'regulator'],

  // statistics, slice "certification and effectiveness" (docs/statistics.md): regulators and admins
  'GET /api/statistics/certification': ['admin', 'regulator'],
  'GET /api/statistics/effectiveness': ['admin', 'regulator'],
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

describe('roles', () => {
  let server;
  let doc;
  const callers = {};     // name → { role, client (null for the public) }

  before(async () => {
    server = await startPlatform();
    callers.public = { role: 'public', client: null };
    for (const login of demoLogins) {
      const c = await signedIn(server.url, login);
      const me = await c.request('GET', '/api/session');
      callers[login] = { role: me.body.user.role, client: c };
    }
    const r = await new Client(server.url).request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  test('the matrix is well formed', () => {
    for (const [route, roles] of Object.entries(MATRIX)) {
      assert.match(route, /^(GET|POST|PUT|PATCH|DELETE) \/\S*$/, route);
      assert.ok(roles.length > 0, `${route} has no role`);
      for (const role of roles) assert.ok(ROLES.includes(role), `${route}: unknown role ${role}`);
      assert.equal(new Set(roles).size, roles.length, `${route}: a role twice`);
    }
  });

  test('the demo logins cover every signed-in role', () => {
    const roles = new Set(Object.values(callers).map((c) => c.role));
    assert.deepEqual([...roles].sort(), [...ROLES].sort());
  });

  test('/api/openapi.json lists exactly the routes of the matrix, each with its roles', () => {
    const documented = {};
    for (const [pattern, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item))
        if (HTTP_METHODS.has(method)) documented[`${method.toUpperCase()} ${pattern}`] = op['x-roles'];
    const extra = Object.keys(documented).filter((r) => !(r in MATRIX)).sort();
    const missing = Object.keys(MATRIX).filter((r) => !(r in documented)).sort();
    assert.deepEqual({ extra, missing }, { extra: [], missing: [] },
      'routes served without a row in the matrix (extra), or rows without a route (missing)');
    const drift = [];
    for (const [route, roles] of Object.entries(MATRIX)) {
      const got = Array.isArray(documented[route]) ? [...documented[route]].sort() : documented[route];
      if (JSON.stringify(got) !== JSON.stringify([...roles].sort()))
        drift.push(`${route}: x-roles ${JSON.stringify(documented[route])}, matrix ${JSON.stringify(roles)}`);
    }
    assert.deepEqual(drift, [], drift.join('\n'));
  });

  test('every route answers exactly the roles of its row', async () => {
    const usersBefore = await userTotal(callers.admin.client);
    // DELETE /api/session and friends run last, with their own sign-ins
    const routes = Object.entries(MATRIX).sort(([a], [b]) => a.startsWith('DELETE ') - b.startsWith('DELETE '));
    const failures = [];
    let checked = 0;
    for (const [route, roles] of routes) {
      const [method, pattern] = route.split(' ');
      const path = pattern.replace(/\{[^}]+\}/g, '999999999');
      for (const [name, caller] of Object.entries(callers)) {
        let client = caller.client ? caller.client : new Client(server.url);
        if (method === 'DELETE' && caller.client) client = await signedIn(server.url, name);
        const r = await client.request(method, path, UNSAFE.has(method) ? { json: {} } : {});
        checked++;
        const what = `${route} as ${name} (${caller.role}; allowed: ${roles.join(',')}): ${r.status} ${typeof r.body === 'string' ? r.body.slice(0, 80) : JSON.stringify(r.body)}`;
        try {
          if (roles.includes(caller.role)) {
            assert.ok(r.status !== 401 && r.status !== 403, `allowed role refused: ${what}`);
            assert.ok(r.status < 500, `server error: ${what}`);
          } else if (caller.role === 'public') {
            assertError(r, 401, 'unauthenticated', null, what);
          } else {
            assertError(r, 403, 'forbidden', null, what);
          }
        } catch (e) {
          failures.push(e.message);
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(checked, Object.keys(MATRIX).length * Object.keys(callers).length);
    // the shared sessions survived the walk, and nothing was created by the `{}` bodies
    for (const [name, caller] of Object.entries(callers))
      if (caller.client) assert.equal((await caller.client.request('GET', '/api/session')).status, 200, `${name} was signed out`);
    assert.equal(await userTotal(callers.admin.client), usersBefore);
  });

  test('a signed-in caller outside the row is refused before its body is read', async () => {
    // the enterprise may not create users: 403 forbidden even with a broken body; 403 without a token
    const ent = callers.enterprise.client;
    assertError(await ent.request('POST', '/api/users', { body: '{not json', headers: { 'content-type': 'application/json' } }), 403, 'forbidden');
    const noToken = await ent.request('POST', '/api/users', { json: {}, csrf: false });
    assert.equal(noToken.status, 403, JSON.stringify(noToken.body));
    // the public gets 401 whatever it sends
    assertError(await new Client(server.url).request('POST', '/api/users', { body: '[', headers: { 'content-type': 'application/json' } }), 401, 'unauthenticated');
  });
});
