// A refused form names every invalid field at once (docs/api.md, "Errors"): error.fields lists
// {field, code, message} for each, in the order of the form, while error.code, error.field and
// error.message name the first; messages in Chinese, or English with Accept-Language: en.
// Every form route is tried with several wrong fields, and each answer matches the Error schema
// of /api/openapi.json. A refused form changes nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, assertMatchesSchema, signedIn, userTotal } from './helpers.mjs';

/** Asserts a 400 whose fields are exactly `expected` ([field, code] pairs, in order). */
async function assertFields(res, expected, note) {
  const where = `${note}: ${JSON.stringify(res.body)}`;
  const e = assertError(res, 400, expected[0][1], expected[0][0], note);
  assert.deepEqual(e.fields.map((f) => [f.field, f.code]), expected, where);
  for (const f of e.fields) assert.ok(f.message.length > 0, where);
  await assertMatchesSchema(res);
  return e;
}

describe('a refused form lists every invalid field', () => {
  let server, admin, adminEn, body, enterprise;
  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    adminEn = await signedIn(server.url, 'admin', undefined, { lang: 'en' });
    body = await signedIn(server.url, 'body');
    enterprise = await signedIn(server.url, 'enterprise');
  });
  after(async () => { await server?.stop(); });

  test('users: three wrong fields, all three in order, the first at the top (Chinese)', async () => {
    const before = await userTotal(admin);
    const r = await admin.request('POST', '/api/users', {
      json: { login: 'x', name: '', role: 'king', password: 'long-enough-password' },
    });
    const e = await assertFields(r, [['login', 'too_short'], ['name', 'blank_field'], ['role', 'invalid_value']], 'users');
    assert.equal(e.message, '字段 login 过短：至少 3 个字符');
    assert.deepEqual(e.fields.map((f) => f.message), [
      '字段 login 过短：至少 3 个字符',
      '字段 name 不能为空',
      '字段 role 的值无效：enterprise, body, regulator, admin',
    ]);
    assert.equal(await userTotal(admin), before, 'nothing created');
  });

  test('users: the English variant', async () => {
    const r = await adminEn.request('POST', '/api/users', {
      json: { login: 'x', name: '', role: 'king', password: 'long-enough-password' },
    });
    const e = await assertFields(r, [['login', 'too_short'], ['name', 'blank_field'], ['role', 'invalid_value']], 'users en');
    assert.deepEqual(e.fields.map((f) => f.message), [
      'Field login is too short: at least 3 characters',
      'Field name must not be blank',
      'Field role has an invalid value: enterprise, body, regulator, admin',
    ]);
    assert.equal(e.message, e.fields[0].message);
  });

  test('users: unknown members, type errors and rule checks together; one error per field', async () => {
    const r = await adminEn.request('POST', '/api/users', {
      json: { colour: 'red', login: 'Bad Login', name: 7, role: 'regulator', password: 'short', region: '12' },
    });
    // in the form's order (an unknown member first), whatever the order of the checks
    await assertFields(r, [['colour', 'unknown_field'], ['login', 'invalid_value'], ['name', 'wrong_type'],
      ['password', 'weak_password'], ['region', 'invalid_value']], 'users mixed');
  });

  test('one wrong field: fields holds just it', async () => {
    const r = await admin.request('POST', '/api/users', { json: { login: 'fine.login', name: 'N', role: 'admin' } });
    await assertFields(r, [['password', 'missing_field']], 'one');
  });

  test('enterprises: create, edit and self-registration', async () => {
    const created = await adminEn.request('POST', '/api/enterprises', {
      json: { name: 'X', credit_code: 'not-a-code', region: '440305', industry: '99', size: 'huge', contact_email: 'nope' },
    });
    await assertFields(created, [['name', 'too_short'], ['credit_code', 'invalid_credit_code'], ['industry', 'invalid_value'],
      ['size', 'invalid_value'], ['contact_email', 'invalid_value']], 'enterprise create');

    const id = (await admin.request('GET', '/api/enterprises?per_page=1')).body.items[0].id;
    const edited = await admin.request('PATCH', `/api/enterprises/${id}`, {
      json: { contact_phone: 'call me', contact_email: 'a@', size: 'tiny' },
    });
    await assertFields(edited, [['size', 'invalid_value'], ['contact_phone', 'invalid_value'], ['contact_email', 'invalid_value']],
      'enterprise edit');

    const registered = await new Client(server.url, { lang: 'en' }).request('POST', '/api/enterprises/registrations', {
      json: { name: '某某科技有限公司', credit_code: '', region: '440305', industry: '39', size: 'small',
        account: { login: 'ok.login', name: '', password: 'short' } },
    });
    await assertFields(registered, [['credit_code', 'blank_field'], ['account.name', 'blank_field'],
      ['account.password', 'weak_password']], 'registration');
  });

  test('bodies: create and edit', async () => {
    const created = await adminEn.request('POST', '/api/bodies', {
      json: { name: 'B', credit_code: 'x', code: '12', approval_number: '', founded: '2020-13-01', regions: ['999999'] },
    });
    await assertFields(created, [['name', 'too_short'], ['credit_code', 'invalid_credit_code'], ['code', 'too_short'],
      ['approval_number', 'blank_field'], ['founded', 'invalid_value'], ['regions', 'invalid_value']], 'body create');
    const id = (await admin.request('GET', '/api/bodies?per_page=1')).body.items[0].id;
    const edited = await admin.request('PATCH', `/api/bodies/${id}`, { json: { name: '', website: 5, founded: 'yesterday' } });
    await assertFields(edited, [['name', 'too_short'], ['founded', 'invalid_value'], ['website', 'wrong_type']], 'body edit');
  });

  test('certificates: create, edit and status', async () => {
    const created = await body.request('POST', '/api/certificates', {
      json: { number: 'x', holder_credit_code: '', standard: 'ISO 9001', scope_areas: [], scope_stages: ['nowhere'],
        issued: '2024-02-30' },
    });
    await assertFields(created, [['number', 'invalid_certificate_number'], ['holder_credit_code', 'blank_field'],
      ['standard', 'invalid_value'], ['scope_areas', 'invalid_value'], ['scope_stages', 'invalid_value'],
      ['issued', 'invalid_value']], 'certificate create');

    const mine = (await body.request('GET', '/api/certificates?status=valid&per_page=1')).body.items[0];
    assert.ok(mine, 'a valid certificate of the body');
    const edited = await body.request('PATCH', `/api/certificates/${mine.number}`, {
      json: { scope_areas: ['nothing'], scope_stages: 'research', expires: '1999-01-01' },
    });
    await assertFields(edited, [['scope_areas', 'invalid_value'], ['scope_stages', 'wrong_type'], ['expires', 'invalid_value']],
      'certificate edit');
    const status = await body.request('POST', `/api/certificates/${mine.number}/status`, {
      json: { status: 'lost', reason: 5, by: 'me' },
    });
    await assertFields(status, [['by', 'unknown_field'], ['status', 'invalid_value'], ['reason', 'wrong_type']], 'certificate status');
    const after = await body.request('GET', `/api/certificates/${mine.number}`);
    for (const k of ['status', 'expires', 'scope', 'scope_areas', 'scope_stages'])
      assert.deepEqual(after.body[k], mine[k], `${k} unchanged`);
  });

  test('password change: both fields', async () => {
    const r = await enterprise.request('PUT', '/api/session/password', { json: { current_password: 5, new_password: 'short' } });
    await assertFields(r, [['current_password', 'wrong_type'], ['new_password', 'weak_password']], 'password');
  });

  test('an error that names no field has no fields; a conflict names its one field', async () => {
    const r = await new Client(server.url).request('GET', '/api/certificates/NO-SUCH-CERT');
    assertError(r, 404, 'certificate_not_found', null);
    await assertMatchesSchema(r);
    const taken = await admin.request('POST', '/api/users', {
      json: { login: 'admin', name: 'Again', role: 'admin', password: 'long-enough-password' },
    });
    const e = assertError(taken, 409, 'login_taken', 'login');
    assert.equal(e.fields.length, 1);
    await assertMatchesSchema(taken);
  });
});
