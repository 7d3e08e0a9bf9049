// Helpers of the marketplace API tests (feedback, complaints, audits): accounts made through the
// API for seeded enterprises and regions, and seeded engagements found with SQL (lib/sql.mjs)
// where the API does not list them.
import assert from 'node:assert/strict';
import { signedIn } from '../helpers.mjs';
import { rows } from './sql.mjs';

let serial = 0;
/** A new account (password guanbiao-demo-2) made by the admin, signed in. */
export async function accountFor(server, admin, fields) {
  const login = `${fields.role}-t${process.pid % 1000}-${++serial}`;
  const r = await admin.request('POST', '/api/users', {
    json: { login, name: `测试账号 ${serial}`, password: 'guanbiao-demo-2', ...fields },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return signedIn(server.url, login, 'guanbiao-demo-2');
}

/**
 * Seeded enterprises other than the demo one with a decided engagement that has no review and
 * no consulting tie: [{enterprise, engagement, body}], count of them, in id order.
 */
export function reviewableEngagements(server, count, { excludeEnterprises = [1] } = {}) {
  const found = rows(server,
    'SELECT e.enterprise_id, MIN(e.id) FROM engagements e WHERE e.status = \'decided\' AND NOT EXISTS '
    + '(SELECT 1 FROM feedback f WHERE f.engagement_id = e.id) AND NOT EXISTS (SELECT 1 FROM consulting_ties t '
    + 'WHERE t.enterprise_id = e.enterprise_id AND t.body_id = e.body_id) AND e.enterprise_id NOT IN ('
    + excludeEnterprises.join(',') + ') GROUP BY e.enterprise_id ORDER BY e.enterprise_id LIMIT ' + count);
  return found.map(([enterprise, engagement]) => {
    const [[body]] = rows(server, `SELECT body_id FROM engagements WHERE id = ${engagement}`);
    return { enterprise: Number(enterprise), engagement: Number(engagement), body: Number(body) };
  });
}
