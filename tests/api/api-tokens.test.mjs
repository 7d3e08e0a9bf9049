// A body's API tokens (docs/api.md "API tokens"), from outside: created by the body's staff and
// shown once (the list never shows it again), stored only as a hash (the database is read here),
// acting as the body on the certificate routes and refused everywhere else, never reaching
// another body's certificates, dead once revoked, and every creation, revocation and write by a
// token in the audit log.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, signedIn, checkEveryAnswer } from './helpers.mjs';
import { makeCode } from './lib/uscc.mjs';

checkEveryAnswer();

const TOKEN = /^gb_[A-Za-z0-9_-]{43}$/;
const TOKEN_FIELDS = ['body_id', 'created_at', 'created_by', 'creator', 'id', 'last_used_at', 'name', 'prefix',
  'revoked', 'revoked_at'];
const today = () => new Date().toISOString().slice(0, 10);

/** A client that sends `Authorization: Bearer token` and no cookie. */
class TokenClient extends Client {
  constructor(url, token) { super(url); this.token = token; }
  request(method, path, options = {}) {
    return super.request(method, path, { ...options, headers: { authorization: `Bearer ${this.token}`, ...(options.headers || {}) } });
  }
}

describe('API tokens', () => {
  let server, admin, bodyUser, body2, enterprise, pub;
  let bodyId, body2Id, holder;
  let created;          // the answer of the first creation
  let serial = 0;
  const nextNumber = (prefix = '840') => `${prefix}26IP8${String(++serial).padStart(5, '0')}R0M`;
  const certificate = (over = {}) => ({
    number: nextNumber(), holder_credit_code: holder, standard: 'GB/T 29490-2023', scope: '知识产权管理体系',
    scope_areas: ['acquisition'], scope_stages: ['research'], issued: today(), ...over,
  });

  before(async () => {
    server = await startPlatform();
    pub = new Client(server.url);
    admin = await signedIn(server.url, 'admin');
    bodyUser = new Client(server.url);
    const s = await bodyUser.signIn('body');
    assert.equal(s.status, 200);
    bodyId = s.body.user.body_id;
    enterprise = await signedIn(server.url, 'enterprise');
    const bodies = await pub.request('GET', '/api/bodies?per_page=100');
    body2Id = bodies.body.items.find((b) => b.code === '841').id;
    const u = await admin.request('POST', '/api/users', {
      json: { login: 'token-body-841', name: '中规令牌', role: 'body', password: 'second-body-password', body_id: body2Id },
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    body2 = await signedIn(server.url, 'token-body-841', 'second-body-password');
    holder = makeCode('440305', 5151);
    const e = await admin.request('POST', '/api/enterprises', {
      json: { name: '令牌测试企业有限公司', credit_code: holder, region: '440305', industry: '39', size: 'small' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
  });
  after(async () => {
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exit code; the end of its output:\n' + server.logs().slice(-3000));
    }
  });

  test('the body staff create a token: shown once, never listed again', async () => {
    const r = await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'ERP 推送' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.token, TOKEN);
    assert.deepEqual(Object.keys(r.body).sort(), [...TOKEN_FIELDS, 'token'].sort());
    assert.equal(r.body.name, 'ERP 推送');
    assert.equal(r.body.body_id, bodyId);
    assert.equal(r.body.prefix, r.body.token.slice(0, 10));
    assert.equal(r.body.revoked, false);
    assert.equal(r.body.last_used_at, null);
    assert.equal(r.body.creator, 'body');
    created = r.body;

    const list = await bodyUser.request('GET', `/api/bodies/${bodyId}/tokens`);
    assert.equal(list.status, 200);
    const mine = list.body.items.find((t) => t.id === created.id);
    assert.deepEqual(Object.keys(mine).sort(), TOKEN_FIELDS);
    assert.ok(!JSON.stringify(list.body).includes(created.token), 'the list shows the token');
    // admins see the list too; another body's staff do not, nor may they create tokens for it
    const byAdmin = await admin.request('GET', `/api/bodies/${bodyId}/tokens`);
    assert.equal(byAdmin.status, 200);
    assert.ok(byAdmin.body.items.some((t) => t.id === created.id));
    assertError(await body2.request('GET', `/api/bodies/${bodyId}/tokens`), 403, 'forbidden');
    assertError(await body2.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'x' } }), 403, 'forbidden');
    assertError(await admin.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'x' } }), 403, 'forbidden');
    assertError(await enterprise.request('GET', `/api/bodies/${bodyId}/tokens`), 403, 'forbidden');
    assertError(await bodyUser.request('GET', '/api/bodies/999999/tokens'), 404, 'body_not_found');
    // a bad name changes nothing
    assertError(await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: '' } }), 400, 'blank_field', 'name');
    assertError(await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'x'.repeat(101) } }), 400, 'too_long', 'name');
    assertError(await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'a', scope: 'all' } }), 400, 'unknown_field', 'scope');
    const again = await bodyUser.request('GET', `/api/bodies/${bodyId}/tokens`);
    assert.equal(again.body.items.length, list.body.items.length);
  });

  test('the token is stored only as its SHA-256', async () => {
    const sha = createHash('sha256').update(created.token).digest('hex');
    let stored;
    if (server.pg) {
      stored = server.pg.psql('SELECT row_to_json(t) FROM api_tokens t');
    } else {
      const file = server.db.replace(/^sqlite:/, '');
      stored = [file, file + '-wal'].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    }
    assert.ok(stored.includes(sha), 'the hash is stored');
    assert.ok(!stored.includes(created.token), 'the token itself is stored');
    assert.ok(!stored.includes(created.token.slice(10)), 'the secret part of the token is stored');
  });

  test('a token acts as its body on the certificate routes, without CSRF, and is audited as itself', async () => {
    const t = new TokenClient(server.url, created.token);
    const issued = await t.request('POST', '/api/certificates', { json: certificate() });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal(issued.body.body.id, bodyId);
    const number = issued.body.number;
    const patched = await t.request('PATCH', `/api/certificates/${number}`, { json: { scope: '知识产权管理体系（令牌修改）' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const st = await t.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '令牌暂停' } });
    assert.equal(st.status, 200, JSON.stringify(st.body));
    assert.equal(st.body.status, 'suspended');
    assert.equal((await t.request('GET', `/api/certificates/${number}`)).status, 200);
    assert.equal((await t.request('GET', `/api/certificates/${number}/history`)).status, 200);
    const mine = await t.request('GET', '/api/certificates?per_page=100');
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.every((c) => c.body.id === bodyId), 'a token lists its body\'s certificates');
    // the audit log names the token, not a user
    const audit = await admin.request('GET', `/api/audit?entity=certificate&entity_id=${number}`);
    assert.equal(audit.status, 200);
    assert.equal(audit.body.items.length, 3, JSON.stringify(audit.body.items.map((e) => e.action)));
    for (const e of audit.body.items) {
      assert.deepEqual(e.actor, { kind: 'token', id: null, login: `token:${created.id}`, role: 'body', organisation: `body:${bodyId}` });
    }
    // its use is marked
    const list = await bodyUser.request('GET', `/api/bodies/${bodyId}/tokens`);
    assert.notEqual(list.body.items.find((x) => x.id === created.id).last_used_at, null);
  });

  test('a token is refused on every other route: 403 token_not_allowed', async () => {
    const t = new TokenClient(server.url, created.token);
    assertError(await t.request('GET', '/api/users'), 403, 'token_not_allowed');
    assertError(await t.request('PATCH', `/api/bodies/${bodyId}`, { json: { website: 'https://example.com' } }), 403, 'token_not_allowed');
    assertError(await t.request('GET', `/api/bodies/${bodyId}`), 403, 'token_not_allowed');
    assertError(await t.request('GET', '/api/session'), 403, 'token_not_allowed');
    assertError(await t.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: 'more' } }), 403, 'token_not_allowed');
    assertError(await t.request('GET', '/api/notifications'), 403, 'token_not_allowed');
    assertError(await t.request('GET', '/api/openapi.json'), 403, 'token_not_allowed');
  });

  test('a token never reaches another body\'s certificates', async () => {
    const t = new TokenClient(server.url, created.token);
    const other = await body2.request('POST', '/api/certificates', { json: certificate({ number: nextNumber('841') }) });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const number = other.body.number;
    assertError(await t.request('PATCH', `/api/certificates/${number}`, { json: { scope: '越权' } }), 403, 'forbidden');
    assertError(await t.request('POST', `/api/certificates/${number}/status`, { json: { status: 'suspended', reason: '越权' } }), 403, 'forbidden');
    assertError(await t.request('GET', `/api/certificates/${number}/history`), 404, 'certificate_not_found');
    // nor issues in another body's name (its number prefix or its body_id)
    assertError(await t.request('POST', '/api/certificates', { json: certificate({ number: nextNumber('841') }) }), 409, 'number_of_another_body', 'number');
    const after = await pub.request('GET', `/api/certificates/${number}`);
    assert.equal(after.body.status, 'valid');
  });

  test('malformed, unknown and revoked tokens: 401 invalid_token', async () => {
    for (const bad of ['nonsense', 'gb_' + 'A'.repeat(43), created.token.slice(0, -1)]) {
      const r = await new TokenClient(server.url, bad).request('GET', '/api/certificates');
      assertError(r, 401, 'invalid_token');
      assert.match(r.headers.get('www-authenticate') || '', /^Bearer/);
    }
    const second = await bodyUser.request('POST', `/api/bodies/${bodyId}/tokens`, { json: { name: '临时' } });
    assert.equal(second.status, 201);
    const t2 = new TokenClient(server.url, second.body.token);
    assert.equal((await t2.request('GET', '/api/certificates')).status, 200);
    // another body may not revoke it; an admin may; a second revocation is a conflict
    assertError(await body2.request('DELETE', `/api/bodies/${bodyId}/tokens/${second.body.id}`), 403, 'forbidden');
    assertError(await body2.request('DELETE', `/api/bodies/${body2Id}/tokens/${second.body.id}`), 404, 'token_not_found');
    // revoked once: five at once (admin and the body's staff) → one 204, four 409
    const dels = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      (i % 2 ? bodyUser : admin).request('DELETE', `/api/bodies/${bodyId}/tokens/${second.body.id}`)));
    assert.deepEqual(dels.map((x) => x.status).sort(), [204, 409, 409, 409, 409], JSON.stringify(dels.map((x) => x.body)));
    for (const d of dels.filter((x) => x.status === 409)) assert.equal(d.body.error.code, 'token_already_revoked');
    assertError(await bodyUser.request('DELETE', `/api/bodies/${bodyId}/tokens/${second.body.id}`), 409, 'token_already_revoked');
    assertError(await t2.request('GET', '/api/certificates'), 401, 'invalid_token');
    assertError(await t2.request('POST', '/api/certificates', { json: certificate() }), 401, 'invalid_token');
    const list = await bodyUser.request('GET', `/api/bodies/${bodyId}/tokens`);
    const revoked = list.body.items.find((x) => x.id === second.body.id);
    assert.equal(revoked.revoked, true);
    assert.notEqual(revoked.revoked_at, null);
    // the first token still works
    assert.equal((await new TokenClient(server.url, created.token).request('GET', '/api/certificates')).status, 200);
  });

  test('the demo body holds the documented demo token', async () => {
    const t = new TokenClient(server.url, 'gb_guanbiao-demo-token-for-trying-the-api-0000');
    const r = await t.request('GET', '/api/certificates?per_page=1');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.every((c) => c.body.id === bodyId));
    const list = await bodyUser.request('GET', `/api/bodies/${bodyId}/tokens`);
    const demo = list.body.items.find((x) => x.prefix === 'gb_guanbia');
    assert.equal(demo.name, '演示：ERP 证书推送');
    assert.equal(demo.created_by, null);
  });

  test('creation and revocation are in the audit log', async () => {
    const r = await admin.request('GET', '/api/audit?entity=api_token&per_page=100');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const actions = r.body.items.map((e) => `${e.action} ${e.entity_id}`);
    assert.ok(actions.includes(`api_token.create ${created.id}`), actions.join(', '));
    assert.ok(actions.some((a) => a.startsWith('api_token.revoke ')), actions.join(', '));
    const create = r.body.items.find((e) => e.action === 'api_token.create' && e.entity_id === String(created.id));
    assert.equal(create.actor.login, 'body');
    assert.deepEqual(create.after, { body_id: bodyId, name: 'ERP 推送', prefix: created.prefix });
    assert.ok(!JSON.stringify(r.body).includes(created.token), 'the audit log holds the token');
  });
});
