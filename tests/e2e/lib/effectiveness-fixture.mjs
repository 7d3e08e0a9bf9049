// Effectiveness results planted with SQL for the browser tests (the computation is another part of
// issue 10; its demo seed may plant its own: these replace them for the enterprises named). Not a
// test file.
import { rows as sql } from '../../api/lib/sql.mjs';
import { effectivenessJobsSettled } from '../../api/lib/effectiveness.mjs';

export const DEMO_DETAIL = [
  { code: 'invention_grants', name: '发明专利授权量', name_en: 'Invention patents granted', category: 'quality', unit: '件',
    kind: 'count', lower_is_better: false, before: 10, after: 20, change: 0.6466, peer_median: 0.2, peers: 7, scaled: 1.5 },
  { code: 'grant_rate', name: '发明专利授权率', name_en: 'Grant rate', category: 'quality', unit: '%',
    kind: 'share', lower_is_better: false, before: 40, after: 38, change: -2, peer_median: 1, peers: 7, scaled: -1.2 },
  { code: 'rnd_share', name: '研发投入占营业收入比例', name_en: 'R&D share of revenue', category: 'management', unit: '%',
    kind: 'share', lower_is_better: false, before: 3, after: 4, change: 1, peer_median: 0.5, peers: 7, scaled: 0.8 },
];

/**
 * Plants the demo enterprise's result (index 62.5, improvement, B) and a form-only result for
 * another Guangdong enterprise; returns { demo, flagged } (their ids).
 */
export async function plantEffectiveness(server, demo) {
  await effectivenessJobsSettled(server);
  const flagged = Number(sql(server, `SELECT id FROM enterprises WHERE id <> ${demo} AND region LIKE '44%' ORDER BY id LIMIT 1`)[0][0]);
  sql(server, `DELETE FROM effectiveness_results WHERE enterprise_id IN (${demo}, ${flagged})`);
  const insert = (id, index, verdict, grade, formOnly, detail) => sql(server, 'INSERT INTO effectiveness_results '
    + '(enterprise_id, method, certified_year, index_value, quality, benefit, management, verdict, grade, form_only, '
    + 'indicators_present, indicators_verified, peer_level, detail, computed_at) VALUES '
    + `(${id}, 'v1', 2021, ${index}, 0.1, NULL, 0.8, '${verdict}', '${grade}', ${formOnly}, 3, 1, 'industry', `
    + `'${JSON.stringify(detail)}', 1767225600)`);
  insert(demo, 62.5, 'improvement', 'B', 0, DEMO_DETAIL);
  insert(flagged, 41.5, 'decline', 'C', 1, []);
  return { demo, flagged };
}
