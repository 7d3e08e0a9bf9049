// The API contract from outside: /api/openapi.json is an OpenAPI 3.0.3 document that an outside
// tool (@apidevtools/swagger-parser) accepts without a single error; every operation has an
// operationId, declares its path parameters, $refs its bodies into components.schemas and
// documents its error body; and real answers match their schemas (tests/api/helpers.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startPlatform, Client } from '../lib/platform.mjs';
import { assertError, assertMatchesSchema, rawFetch, signedIn } from './helpers.mjs';

const requireFromWeb = createRequire(new URL('../../web/package.json', import.meta.url));
const SwaggerParser = requireFromWeb('@apidevtools/swagger-parser');

describe('the OpenAPI document', () => {
  let server;
  let doc;
  before(async () => {
    server = await startPlatform();
    doc = (await rawFetch(server.url, '/api/openapi.json')).body;
  });
  after(async () => { await server?.stop(); });

  test('swagger-parser validates it without an error', async () => {
    const copy = structuredClone(doc);         // validate() dereferences in place
    await SwaggerParser.validate(copy);        // throws on any error
    assert.equal(doc.openapi, '3.0.3');
  });

  test('no 3.1 type arrays anywhere: nullable instead', () => {
    const arrays = [];
    (function walk(v, path) {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === 'type' && Array.isArray(x)) arrays.push(path);
          walk(x, `${path}.${k}`);
        }
    })(doc, '$');
    assert.deepEqual(arrays, []);
    assert.equal(doc.components.schemas.User.properties.enterprise_id.nullable, true);
    assert.equal(doc.components.schemas.User.properties.organisation.nullable, true);
  });

  test('every operation: a unique operationId, its path parameters, $refs that resolve, the error body', () => {
    const ids = new Set();
    for (const [path, item] of Object.entries(doc.paths)) {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.match(op.operationId || '', /^[a-z]+[A-Za-z]*$/, where);
        assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} twice`);
        ids.add(op.operationId);
        assert.deepEqual(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), params, where);
        for (const p of op.parameters) assert.equal(p.required, true, `${where}: ${p.name}`);
        const bodies = [op.requestBody, ...Object.values(op.responses)].filter((x) => x && x.content);
        for (const b of bodies)
          for (const media of Object.values(b.content)) {
            const m = /^#\/components\/schemas\/(\w+)$/.exec(media.schema.$ref || '');
            assert.ok(m, `${where}: inline schema ${JSON.stringify(media.schema).slice(0, 80)}`);
            assert.ok(doc.components.schemas[m[1]], `${where}: ${m[1]} is not in components.schemas`);
          }
        assert.equal(op.responses.default.content['application/json'].schema.$ref, '#/components/schemas/Error', where);
        const success = Object.keys(op.responses).filter((s) => s !== 'default');
        assert.equal(success.length, 1, where);
        if (success[0] !== '204') assert.ok(op.responses[success[0]].content, `${where}: ${success[0]} without a schema`);
      }
    }
    assert.ok(ids.has('getEnterprisesById'), [...ids].join(' '));
    assert.ok(ids.has('postCertificatesByNumberStatus'));
  });

  test('the named schemas: fixed answers refuse extra members; lists are pages', () => {
    const s = doc.components.schemas;
    for (const name of ['User', 'Session', 'Enterprise', 'Body', 'Certificate', 'CertificateHistory', 'Error', 'FieldError',
      'UserPage', 'EnterprisePage', 'BodyPage', 'CertificatePage', 'Vocabularies', 'RegionList'])
      assert.equal(s[name].additionalProperties, false, name);
    for (const name of ['UserPage', 'EnterprisePage', 'BodyPage', 'CertificatePage'])
      assert.deepEqual(s[name].required, ['items', 'total', 'page', 'per_page'], name);
    assert.deepEqual(Object.keys(s.Error.properties.error.properties), ['code', 'message', 'field', 'fields']);
    assert.deepEqual(s.FieldError.required, ['field', 'code', 'message']);
    assert.equal(doc.paths['/api/enterprises'].post.requestBody.content['application/json'].schema.$ref,
      '#/components/schemas/EnterpriseInput');
    assert.equal(doc.paths['/api/enterprises/{id}'].get.responses['200'].content['application/json'].schema.$ref,
      '#/components/schemas/Enterprise');
    assert.ok(doc.paths['/metrics'].get.responses['200'].content['text/plain']);
  });

  test('real answers match: public routes, a signed-in admin, errors', async () => {
    const pub = new Client(server.url);
    for (const path of ['/healthz', '/api/regions', '/api/regions/440300', '/api/industries', '/api/vocabularies',
      '/api/bodies', '/api/bodies?per_page=2', '/api/openapi.json'])
      assert.equal((await assertMatchesSchema(await pub.request('GET', path))) !== undefined, true, path);
    const admin = await signedIn(server.url, 'admin');
    for (const path of ['/api/session', '/api/users?per_page=5', '/api/enterprises?per_page=5', '/api/certificates?per_page=5']) {
      const r = await admin.request('GET', path);
      assert.equal(r.status, 200, path);
      await assertMatchesSchema(r);
    }
    const e = (await admin.request('GET', '/api/enterprises?per_page=1')).body.items[0];
    await assertMatchesSchema(await admin.request('GET', `/api/enterprises/${e.id}`));
    const list = await pub.request('GET', '/api/certificates?credit_code=' + e.credit_code);
    assert.equal(list.status, 200);
    await assertMatchesSchema(list);
    const missing = await pub.request('GET', '/api/certificates/NO-SUCH-1');
    assertError(missing, 404, 'certificate_not_found', null);
    await assertMatchesSchema(missing);
    const refused = await admin.request('POST', '/api/users', { json: { login: 'x' } });
    assertError(refused, 400, 'too_short', 'login');
    await assertMatchesSchema(refused);
    const signedOut = await admin.request('DELETE', '/api/session');
    assert.equal(signedOut.status, 204);
    await assertMatchesSchema(signedOut);
  });

  test('a body that breaks its schema is caught (the helper is not blind)', async () => {
    const r = await new Client(server.url).request('GET', '/healthz');
    await assert.rejects(assertMatchesSchema({ ...r, body: { ...r.body, extra: 1 } }), /does not match Health/);
    await assert.rejects(assertMatchesSchema({ ...r, status: 404, body: { error: { code: 'x' } } }), /does not match Error/);
  });
});
