// The statistics dashboards (PRODUCT.md capability 6; docs/statistics.md "Pages"): what each
// tab shows of GET /api/statistics/{dashboard}, the filter kept in the address, the download
// links, and how a number is written. The page (views/statistics/StatisticsView.vue) is generic:
// everything particular to one dashboard is in DASHBOARDS.
import { api } from './api.js';
import { queryString } from './registry.js';

/**
 * The tabs, in order. Per dashboard: `totals` the KPI cards (keys of the answer's totals, in
 * order), `month` the by-month table and its series drawn as lines, `regions` the table grouped
 * one level below the filter's region (drawn as bars, a click drills into the region) with the
 * member drawn and the members naming the group, `histogram` a table of bins {from, to, count}
 * drawn as bars, and `tables` the other tables shown as sortable tables, each with its columns.
 */
export const DASHBOARDS = {
  learning: {
    totals: ['learners', 'lessons_opened', 'lessons_completed', 'quiz_attempts', 'quiz_passed', 'pass_rate', 'courses_completed'],
    month: { table: 'by_month', series: ['learners', 'opened', 'completed', 'submitted', 'passed'] },
    regions: { table: 'by_region', code: 'region', name: 'region_name', metric: 'learners',
      columns: ['learners', 'completed', 'submitted', 'passed', 'pass_rate'] },
    tables: [
      { key: 'by_category', columns: ['category', 'opened', 'completed', 'submitted', 'passed'] },
      { key: 'by_clause', columns: ['clause', 'title', 'answered', 'correct', 'correct_rate'] },
      { key: 'unmet_needs', columns: ['query', 'searches', 'last_day'] },
    ],
  },
  certification: {
    totals: ['certificates_issued', 'certificates_valid', 'certificates_suspended', 'certificates_withdrawn',
      'engagements_requested', 'engagements_certified', 'median_days_to_certify', 'within_commitment_rate',
      'nonconformities', 'nonconformities_major', 'nonconformities_minor'],
    month: { table: 'by_month', series: ['issued', 'requested', 'certified'] },
    regions: { table: 'by_region', code: 'region', name: 'region_name', metric: 'issued', columns: ['issued', 'valid', 'engagements'] },
    tables: [
      { key: 'by_body', columns: ['body_name', 'issued', 'engagements', 'median_days_to_certify', 'within_commitment_rate',
        'nonconformities_major', 'nonconformities_minor'] },
      { key: 'nonconformities_by_clause', columns: ['edition', 'clause', 'title', 'major', 'minor'] },
    ],
  },
  effectiveness: {
    totals: ['evaluated', 'mean_index', 'median_index', 'form_only', 'significant_improvement', 'improvement', 'no_change', 'decline'],
    histogram: { table: 'histogram' },
    regions: { table: 'by_region', code: 'group', name: 'name', metric: 'evaluated',
      columns: ['evaluated', 'mean_index', 'median_index', 'form_only'] },
    tables: [
      { key: 'by_industry', columns: ['name', 'evaluated', 'mean_index', 'median_index', 'form_only'] },
      { key: 'by_body', columns: ['name', 'evaluated', 'mean_index', 'median_index', 'form_only'] },
    ],
  },
  feedback: {
    totals: ['reviews', 'mean_rating', 'professionalism', 'effectiveness', 'timeliness', 'commitment', 'replied_rate',
      'complaints', 'complaints_open', 'median_days_to_close'],
    month: { table: 'by_month', series: ['reviews', 'complaints'] },
    tables: [
      { key: 'by_body', columns: ['body_name', 'reviews', 'mean_rating', 'complaints'] },
      { key: 'ratings', columns: ['stars', 'count'] },
      { key: 'complaints_by_status', columns: ['status', 'count'] },
    ],
  },
};
export const TABS = Object.keys(DASHBOARDS);

/** One dashboard's answer for a filter {region, industry, from, to} (empty members left out). */
export const dashboard = (tab, filter) => api('GET', `/api/statistics/${tab}${queryString(filter)}`);

/** The filter and tab read from the address (?region=&industry=&from=&to=&tab=). */
export function filterFromQuery(query) {
  const one = (v) => (Array.isArray(v) ? v[0] : v) || '';
  const tab = TABS.includes(one(query.tab)) ? one(query.tab) : TABS[0];
  return { tab, region: one(query.region), industry: one(query.industry), from: one(query.from), to: one(query.to) };
}

/** The address's query for a filter and tab (empty members left out; the first tab is the default). */
export function queryFromFilter({ tab, region, industry, from, to }) {
  const q = {};
  for (const [k, v] of Object.entries({ region, industry, from, to })) if (v) q[k] = v;
  if (tab && tab !== TABS[0]) q.tab = tab;
  return q;
}

/** Where the whole dashboard downloads as XLSX, or one table as CSV, in `lang` (zh-CN|en). */
export function exportHref(tab, filter, format, lang, table) {
  const { region, industry, from, to } = filter;
  return `/api/statistics/${tab}${queryString({ region, industry, from, to, format, table, lang: lang === 'en' ? 'en' : 'zh' })}`;
}

/**
 * How a member is written: 'rate' (0–1, as a percentage), 'decimal' (means, medians, ratings:
 * one or two decimals), 'int' (counts), or 'text'.
 */
export function kindOf(key, value) {
  if (typeof value === 'string') return 'text';
  if (/(_|^)rate$/.test(key)) return 'rate';
  if (/^(mean|median)_/.test(key) || ['professionalism', 'effectiveness', 'timeliness', 'commitment', 'from', 'to'].includes(key)) return 'decimal';
  return 'int';
}

/** A member as shown: null or missing as "—", rates as percentages, means with decimals. */
export function formatValue(key, value, lang = 'zh-CN') {
  if (value === null || value === undefined || value === '') return '—';
  const kind = kindOf(key, value);
  if (kind === 'text') return value;
  const locale = lang === 'en' ? 'en-US' : 'zh-CN';
  if (kind === 'rate') return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`;
  if (kind === 'decimal') {
    const digits = key === 'mean_rating' || ['professionalism', 'effectiveness', 'timeliness', 'commitment'].includes(key) ? 2 : 1;
    return value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: key === 'from' || key === 'to' ? 0 : digits });
  }
  return value.toLocaleString(locale);
}
