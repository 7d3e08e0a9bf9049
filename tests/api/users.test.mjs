// Accounts: an admin creates users of every role through POST /api/users, with each
// validation error beside its field (login; password: at least 10 characters, not all blank,
// not the login; a regulator's region; an enterprise or body account's organisation; a taken
// login → 409), and the created users sign in with the right role and organisation; the route
// table states the same password rule; GET /api/users filters by role and q and paginates. The
// command line: `guanbiao user add` (password on standard input, the same rule and message)
// creates a user who can sign in, `guanbiao user passwd` changes the password and ends that
// user's sessions, and `guanbiao seed --demo` run twice is idempotent.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startPlatform, Client, binary, demoLogins, runCli } from '../lib/platform.mjs';
import { assertError, signedIn, userTotal, checkEveryAnswer } from './helpers.mjs';

// every answer in this file is checked against /api/openapi.json's schemas
checkEveryAnswer();

/** `guanbiao ARGS` with `input` on standard input. */
function cli(args, input = '', env = {}) {
  const r = spawnSync(binary, args, { input, encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('users', () => {
  let server;
  let admin;
  let enterpriseId;
  let bodyId;

  before(async () => {
    server = await startPlatform();
    admin = await signedIn(server.url, 'admin');
    enterpriseId = (await (await signedIn(server.url, 'enterprise')).request('GET', '/api/session')).body.user.enterprise_id;
    bodyId = (await (await signedIn(server.url, 'body')).request('GET', '/api/session')).body.user.body_id;
    assert.ok(Number.isInteger(enterpriseId) && enterpriseId > 0, 'the demo enterprise');
    assert.ok(Number.isInteger(bodyId) && bodyId > 0, 'the demo body');
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'server exit code');
  });

  const create = (json) => admin.request('POST', '/api/users', { json });

  test('validation errors are given beside their fields, and create nothing', async () => {
    const before = await userTotal(admin);
    const base = { login: 'new-user', name: 'New user', role: 'admin', password: 'a-long-password' };
    assertError(await create({ ...base, login: 'Bad Login!' }), 400, 'invalid_value', 'login');
    assertError(await create({ ...base, login: 'ab' }), 400, 'too_short', 'login');
    assertError(await create({ ...base, login: 'x'.repeat(33) }), 400, 'too_long', 'login');
    assertError(await create({ ...base, role: 'superuser' }), 400, 'invalid_value', 'role');
    assertError(await create({ ...base, role: 'public' }), 400, 'invalid_value', 'role');
    assertError(await create({ ...base, password: 'short' }), 400, 'weak_password', 'password');
    assertError(await create({ ...base, login: 'same-as-password', password: 'same-as-password' }), 400, 'weak_password', 'password');
    assertError(await create({ ...base, login: 'same-as-password', password: ' Same-As-Password ' }), 400, 'weak_password', 'password');
    // blanks are no password: ten spaces, full-width (U+3000) spaces, any mix of white space
    for (const blank of [' '.repeat(10), ' '.repeat(40), '\u3000'.repeat(10), '\t\n\r \u00a0\u2003\u2009\u3000\ufeff\u200b\u3000'])
      assertError(await create({ ...base, password: blank }), 400, 'weak_password', 'password', JSON.stringify(blank));
    assertError(await create({ ...base, password: '123456789' }), 400, 'weak_password', 'password', 'nine characters');
    const en = new Client(server.url, { lang: "en" });
    en.cookie = admin.cookie; en.csrf = admin.csrf;
    const weak = assertError(await en.request('POST', '/api/users', { json: { ...base, password: ' '.repeat(10) } }), 400, 'weak_password', 'password');
    assert.match(weak.message, /10 characters/);
    assert.match(weak.message, /blank/);
    // a regulator needs a valid GB/T 2260 region: absent, empty or unknown is refused
    assertError(await create({ ...base, role: 'regulator' }), 400, 'invalid_value', 'region');
    assertError(await create({ ...base, role: 'regulator', region: '' }), 400, 'invalid_value', 'region');
    assertError(await create({ ...base, role: 'regulator', region: null }), 400, 'invalid_value', 'region');
    assertError(await create({ ...base, role: 'regulator', region: '990000' }), 400, 'invalid_value', 'region');
    assertError(await create({ ...base, role: 'regulator', region: '44' }), 400, 'invalid_value', 'region');
    assertError(await create({ ...base, role: 'regulator', region: '4400000' }), 400, 'too_long', 'region');
    // an enterprise account needs an existing enterprise, a body account an existing body
    assertError(await create({ ...base, role: 'enterprise' }), 400, 'missing_field', 'enterprise_id');
    assertError(await create({ ...base, role: 'enterprise', enterprise_id: 999999 }), 400, 'invalid_value', 'enterprise_id');
    assertError(await create({ ...base, role: 'enterprise', enterprise_id: 0 }), 400, 'invalid_value', 'enterprise_id');
    assertError(await create({ ...base, role: 'enterprise', enterprise_id: '1' }), 400, 'wrong_type', 'enterprise_id');
    assertError(await create({ ...base, role: 'body' }), 400, 'missing_field', 'body_id');
    assertError(await create({ ...base, role: 'body', body_id: 999999 }), 400, 'invalid_value', 'body_id');
    // English messages name the field too
    const e = assertError(await en.request('POST', '/api/users', { json: { ...base, role: 'enterprise', enterprise_id: 999999 } }),
      400, 'invalid_value', 'enterprise_id');
    assert.match(e.message, /enterprise_id/);
    assert.equal(await userTotal(admin), before, 'a refused request created a user');
  });

  test('the password rule counts characters, not bytes, and one character of content among blanks is enough', async () => {
    for (const [login, password] of [['pw-han', '知识产权管理体系认证'], ['pw-spaced', '         x'], ['pw-wide', '\u3000\u3000\u3000密\u3000\u3000\u3000\u3000\u3000\u3000']]) {
      const r = await create({ login, name: login, role: 'admin', password });
      assert.equal(r.status, 201, `${login}: ${JSON.stringify(r.body)}`);
      assert.equal((await new Client(server.url).signIn(login, password)).status, 200, `${login} signs in`);
    }
    assertError(await create({ login: 'pw-han9', name: 'x', role: 'admin', password: '知识产权管理体系认' }), 400, 'weak_password', 'password');
  });

  test('the route table states the same password rule: minLength 10 wherever a password is chosen', async () => {
    const doc = (await admin.request('GET', '/api/openapi.json')).body;
    // a named schema is a $ref into components.schemas: followed
    const deref = (s) => (s && s.$ref ? deref(doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]) : s);
    const schema = (path, method) => {
      const s = deref(doc.paths[path][method].requestBody.content['application/json'].schema);
      return { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, deref(v)])) };
    };
    const chosen = [
      schema('/api/users', 'post').properties.password,
      schema('/api/session/password', 'put').properties.new_password,
      deref(schema('/api/enterprises/registrations', 'post').properties.account.properties.password),
    ];
    for (const p of chosen) {
      assert.equal(p.type, 'string');
      assert.equal(p.minLength, 10);
      assert.match(p.description, /blank/);
    }
    // signing in takes any password an account may already have
    assert.ok(!(schema('/api/session', 'post').properties.password.minLength > 1));
  });

  const made = {};
  test('the admin creates a user of each role; each signs in with that role', async () => {
    const specs = [
      { login: 'ops.admin', name: 'Operations', role: 'admin', password: 'ops-password-1' },
      { login: 'gd-shenzhen', name: '深圳市市场监督管理局', role: 'regulator', region: '440300', password: 'reg-password-1' },
      { login: 'national_2', name: '国家局 2', role: 'regulator', region: '000000', password: 'reg-password-2' },
      { login: 'ent-staff', name: '企业员工', role: 'enterprise', enterprise_id: enterpriseId, password: 'ent-password-1' },
      { login: 'body-staff', name: '审核员 2', role: 'body', body_id: bodyId, password: 'body-password-1' },
    ];
    for (const spec of specs) {
      const r = await create(spec);
      assert.equal(r.status, 201, `${spec.login}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.login, spec.login);
      assert.equal(r.body.name, spec.name);
      assert.equal(r.body.role, spec.role);
      assert.ok(Number.isInteger(r.body.id));
      assert.doesNotMatch(JSON.stringify(r.body), /password|argon2/i);
      made[spec.login] = { spec, user: r.body };

      const c = new Client(server.url);
      const s = await c.signIn(spec.login, spec.password);
      assert.equal(s.status, 200, `${spec.login} cannot sign in: ${JSON.stringify(s.body)}`);
      assert.equal(s.body.user.role, spec.role);
      assert.equal(s.body.user.id, r.body.id);
    }
    assert.equal(made['gd-shenzhen'].user.region, '440300');
    assert.equal(made['ent-staff'].user.enterprise_id, enterpriseId);
    assert.equal(made['ent-staff'].user.organisation?.id, enterpriseId);
    assert.equal(made['body-staff'].user.body_id, bodyId);
    assert.equal(typeof made['body-staff'].user.organisation?.name, 'string');
    // region and organisation ids only stick to the role they belong to
    assert.equal(made['ops.admin'].user.region, '');
    assert.equal(made['ops.admin'].user.enterprise_id, null);
  });

  test('a taken login → 409 login_taken on login (also for a demo login)', async () => {
    const e = assertError(await create({ login: 'ops.admin', name: 'Again', role: 'admin', password: 'another-password' }), 409, 'login_taken', 'login');
    assert.match(e.message, /ops\.admin/);
    assertError(await create({ login: 'admin', name: 'Again', role: 'admin', password: 'another-password' }), 409, 'login_taken', 'login');
    // the first account's password is unchanged
    assert.equal((await new Client(server.url).signIn('ops.admin', 'ops-password-1')).status, 200);
  });

  test('GET /api/users filters by role and q and paginates', async () => {
    // the whole list, page by page (the demo seed may hold more than one page of accounts)
    const all = [];
    let total = null;
    for (let p = 1; ; p++) {
      const r = await admin.request('GET', `/api/users?per_page=100&page=${p}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.page, p);
      assert.equal(r.body.per_page, 100);
      total ??= r.body.total;
      assert.equal(r.body.total, total);
      all.push(...r.body.items);
      if (r.body.items.length < 100) break;
    }
    assert.equal(all.length, total);
    const logins = all.map((u) => u.login);
    assert.equal(new Set(logins).size, logins.length, 'an account listed twice');
    for (const l of [...demoLogins, ...Object.keys(made)]) assert.ok(logins.includes(l), l);
    for (const u of all) assert.doesNotMatch(JSON.stringify(u), /password|argon2/i);

    /** Every page of a filtered listing, compared with filtering the whole list here. */
    const check = async (query, keep, what) => {
      const got = [];
      let t = null;
      for (let p = 1; ; p++) {
        const r = await admin.request('GET', `/api/users?${query}&per_page=100&page=${p}`);
        assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
        t ??= r.body.total;
        got.push(...r.body.items.map((u) => u.login));
        if (r.body.items.length < 100) break;
      }
      const expected = all.filter(keep).map((u) => u.login);
      assert.deepEqual(got, expected, what);
      assert.equal(t, expected.length, `${what}: total`);
      return got;
    };
    const has = (u, text) => u.login.toLowerCase().includes(text.toLowerCase()) || u.name.toLowerCase().includes(text.toLowerCase());
    for (const role of ['admin', 'regulator', 'enterprise', 'body']) {
      const got = await check(`role=${role}`, (u) => u.role === role, `role=${role}`);
      assert.ok(got.length > 0, `no ${role} account`);
    }
    assert.ok((await check('role=regulator', (u) => u.role === 'regulator', 'regulators'))
      .includes('gd-shenzhen'));
    // q matches login or name, case-insensitively; LIKE wildcards are literal
    assert.ok((await check('q=STAFF', (u) => has(u, 'staff'), 'q=STAFF')).includes('ent-staff'));
    assert.ok((await check('q=' + encodeURIComponent('市场监督'), (u) => has(u, '市场监督'), 'q=市场监督')).includes('gd-shenzhen'));
    assert.deepEqual(await check('q=staff&role=enterprise', (u) => u.role === 'enterprise' && has(u, 'staff'), 'q and role'), ['ent-staff']);
    await check('q=%25', (u) => has(u, '%'), 'q=% is literal');
    assert.ok((await check('q=_', (u) => has(u, '_'), 'q=_ is literal')).includes('national_2'));
    assert.ok((await check('q=_', (u) => has(u, '_'), 'q=_')).length < all.length, 'q=_ matched everything');
    await check('q=no-such-person', () => false, 'no match');

    // pages of 3 are disjoint, ordered, and together make the whole list
    const pages = [];
    const last = Math.ceil(total / 3) + 1;
    for (let p = 1; p <= last; p++) {
      const r = await admin.request('GET', `/api/users?per_page=3&page=${p}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.total, total);
      assert.equal(r.body.page, p);
      assert.equal(r.body.per_page, 3);
      assert.ok(r.body.items.length <= 3);
      pages.push(...r.body.items.map((u) => u.login));
      if (p === last) assert.equal(r.body.items.length, 0, 'a page past the end is empty');
    }
    assert.deepEqual(pages, logins);
    assert.equal((await admin.request('GET', '/api/users')).body.per_page, 20, 'the default page size');

    assertError(await admin.request('GET', '/api/users?role=wizard'), 400, 'invalid_query', 'role');
    assertError(await admin.request('GET', '/api/users?per_page=0'), 400, 'invalid_query', 'per_page');
    assertError(await admin.request('GET', '/api/users?per_page=101'), 400, 'invalid_query', 'per_page');
    assertError(await admin.request('GET', '/api/users?page=abc'), 400, 'invalid_query', 'page');
    assertError(await admin.request('GET', '/api/users?page=0'), 400, 'invalid_query', 'page');
  });

  test('`guanbiao user add` with the password on stdin creates a user who can sign in', async () => {
    const r = cli(['user', 'add', 'cli-admin', '--role', 'admin', '--name', 'CLI Admin', '--db', server.db], 'cli-password-1\n');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /cli-admin/);
    const s = await new Client(server.url).signIn('cli-admin', 'cli-password-1');
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.user.role, 'admin');
    assert.equal(s.body.user.name, 'CLI Admin');

    const reg = cli(['user', 'add', 'cli-reg', '--role', 'regulator', '--region', '440000', '--name', '广东 CLI', '--db', server.db], 'cli-password-2\n');
    assert.equal(reg.status, 0, reg.stderr);
    const rs = await new Client(server.url).signIn('cli-reg', 'cli-password-2');
    assert.equal(rs.status, 200);
    assert.equal(rs.body.user.region, '440000');

    const before = await userTotal(admin);
    const dup = cli(['user', 'add', 'cli-admin', '--role', 'admin', '--name', 'Again', '--db', server.db], 'cli-password-9\n');
    assert.equal(dup.status, 1, 'a taken login');
    assert.match(dup.stderr, /exists/);
    // the password rule of the API, with its message, in the language of GUANBIAO_LANG
    const weak = cli(['user', 'add', 'cli-weak', '--role', 'admin', '--name', 'Weak', '--db', server.db], 'short\n', { GUANBIAO_LANG: 'en' });
    assert.equal(weak.status, 2, 'a short password');
    assert.match(weak.stderr, /at least 10 characters, not all blank/);
    for (const blank of [' '.repeat(10), '\u3000'.repeat(10), ' \t\u3000 \u00a0  \u3000\t ']) {
      const r = cli(['user', 'add', 'cli-blank', '--role', 'admin', '--name', 'Blank', '--db', server.db], blank + '\n', { GUANBIAO_LANG: 'en' });
      assert.equal(r.status, 2, `a blank password ${JSON.stringify(blank)}: ${r.stdout}`);
      assert.match(r.stderr, /not all blank/);
    }
    const zh = cli(['user', 'add', 'cli-blank', '--role', 'admin', '--name', 'Blank', '--db', server.db], ' '.repeat(12) + '\n', { GUANBIAO_LANG: 'zh' });
    assert.equal(zh.status, 2);
    assert.match(zh.stderr, /至少 10 个字符/);
    assert.equal(cli(['user', 'add', 'cli-same', '--role', 'admin', '--name', 'Same', '--db', server.db], 'cli-same\n').status, 2, 'the login as password');
    assert.equal(cli(['user', 'add', 'cli-same', '--role', 'admin', '--name', 'Same', '--db', server.db], 'CLI-SAME\n').status, 2, 'the login as password');
    assert.equal(cli(['user', 'add', 'cli-none', '--role', 'admin', '--name', 'None', '--db', server.db], '').status, 2, 'no password');
    assert.equal(cli(['user', 'add', 'cli-reg2', '--role', 'regulator', '--name', 'No region', '--db', server.db], 'cli-password-3\n').status, 2,
      'a regulator without --region');
    assert.equal(cli(['user', 'add', 'cli-ent', '--role', 'enterprise', '--name', 'No org', '--db', server.db], 'cli-password-3\n').status, 2,
      'an enterprise account without --enterprise');
    assert.equal(cli(['user', 'add', 'Bad Login', '--role', 'admin', '--name', 'Bad', '--db', server.db], 'cli-password-3\n').status, 2, 'a bad login');
    assert.equal(await userTotal(admin), before, 'a refused `user add` created a user');
  });

  test('`guanbiao user passwd` changes the password and ends that user\'s sessions only', async () => {
    const mine = await signedIn(server.url, 'cli-admin', 'cli-password-1');
    const mine2 = await signedIn(server.url, 'cli-admin', 'cli-password-1');
    const r = cli(['user', 'passwd', 'cli-admin', '--db', server.db], 'cli-password-new\n');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assertError(await mine.request('GET', '/api/session'), 401, 'unauthenticated');
    assertError(await mine2.request('GET', '/api/session'), 401, 'unauthenticated');
    assertError(await new Client(server.url).signIn('cli-admin', 'cli-password-1'), 401, 'invalid_credentials');
    assert.equal((await new Client(server.url).signIn('cli-admin', 'cli-password-new')).status, 200);
    assert.equal((await admin.request('GET', '/api/session')).status, 200, "another user's session ended");

    assert.equal(cli(['user', 'passwd', 'no-such-login', '--db', server.db], 'cli-password-new\n').status, 1);
    assert.equal(cli(['user', 'passwd', 'cli-admin', '--db', server.db], 'short\n').status, 2);
    const blank = cli(['user', 'passwd', 'cli-admin', '--db', server.db], ' '.repeat(10) + '\n', { GUANBIAO_LANG: 'en' });
    assert.equal(blank.status, 2, 'ten spaces');
    assert.match(blank.stderr, /not all blank/);
    assert.equal(cli(['user', 'passwd', 'cli-admin', '--db', server.db], '\u3000'.repeat(10) + '\n').status, 2, 'ten full-width spaces');
    assert.equal((await new Client(server.url).signIn('cli-admin', 'cli-password-new')).status, 200, 'a refused passwd changed the password');
  });

  test('`guanbiao seed --demo` twice is idempotent', async () => {
    const before = await admin.request('GET', '/api/users?per_page=100');
    for (let i = 0; i < 2; i++) {
      const r = runCli(['seed', '--demo', '--db', server.db]);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      for (const login of demoLogins) assert.match(r.stdout, new RegExp(`^\\s*${login}\\s`, 'm'), `seed output lists ${login}`);
      assert.match(r.stdout, /guanbiao-demo/);
    }
    const after = await admin.request('GET', '/api/users?per_page=100');
    assert.deepEqual(after.body, before.body, 'seeding again changed the accounts');
    assert.equal((await admin.request('GET', '/api/session')).status, 200, 'seeding ended a session');
    assert.equal((await new Client(server.url).signIn('enterprise')).status, 200);
    assert.equal(runCli(['seed', '--db', server.db]).status, 2, 'seed without --demo');
  });
});
