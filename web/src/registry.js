// Reference data of the registry (enterprises, certification bodies, certificates) shared by
// its pages: the colour of each status, and the regions and industries from the server, each
// fetched once per visit. The code lists and their labels are in vocabularies.js.
import { ref, onMounted } from 'vue';
import { useI18n } from 'vue-i18n';
import { api } from './api.js';

/** Element Plus tag type per status: green, orange, red, grey. */
export const certificateStatusType = { valid: 'success', suspended: 'warning', withdrawn: 'danger', expired: 'info' };
export const enterpriseStatusType = { pending: 'warning', approved: 'success', rejected: 'danger' };

/** An 18-character string of the credit-code alphabet (GB 32100): looks like a credit code. */
export function looksLikeCreditCode(s) {
  return /^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(s);
}

/** A query string from an object, leaving out empty values: `?a=1&b=x` or ''. */
export function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** An ISO 8601 time as a local date and time in the UI language. */
export function formatTime(iso, lang) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
}

// Reference data: one request per list per visit; a failed request is asked again next time.
const cache = new Map();
function cached(path, pick = (b) => b.items || []) {
  if (!cache.has(path)) {
    const p = api('GET', path).then(pick);
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return cache.get(path);
}

/** Sections and divisions of GB/T 4754: [{code, name, section}] (section '' for a section). */
export const industries = () => cached('/api/industries');

/** The divisions under a region code (provinces for ''): [{code, name, level}]. */
export const regionChildren = (parent = '') => cached(`/api/regions${queryString({ parent })}`);

/** One region: {code, name, level, parent, path}. */
export const region = (code) => cached(`/api/regions/${encodeURIComponent(code)}`, (b) => b);

/** The codes from the province down to a region, e.g. ['440000', '440300', '440305']. */
export async function regionPath(code) {
  const path = [];
  let current = code;
  for (let i = 0; current && i < 4; i += 1) {
    path.unshift(current);
    current = (await region(current)).parent || '';
  }
  return path;
}

/** Industries grouped by section: [{code, name, divisions: [{code, name}]}]. */
export async function industryGroups() {
  const items = await industries();
  const groups = [];
  const bySection = new Map();
  for (const it of items) {
    if (!it.section) {
      const g = { code: it.code, name: it.name, divisions: [] };
      groups.push(g);
      bySection.set(it.code, g);
    }
  }
  for (const it of items) if (it.section) bySection.get(it.section)?.divisions.push({ code: it.code, name: it.name });
  return groups;
}

/**
 * The province codes of a body's `regions`, which the server may give as codes or as
 * {code, name} objects.
 */
export function regionCodes(regions) {
  return (regions || []).map((r) => (r && typeof r === 'object' ? r.code : r));
}

/** A body's regions as names ('nationwide' text when empty); `names` maps code → name;
 * `separator` is the locale's list separator ('、' or ', '). */
export function regionsText(regions, names, nationwide, separator) {
  if (!regions || regions.length === 0) return nationwide;
  return regions.map((r) => (r && typeof r === 'object' ? r.name || names[r.code] || r.code : names[r] || r)).join(separator);
}

/**
 * For a component showing bodies' regions: a function giving their text (regionsText) with the
 * province names, which it fetches when mounted (codes are shown until then, or on failure).
 */
export function useRegionsText() {
  const { t } = useI18n();
  const names = ref({});
  onMounted(async () => {
    try {
      names.value = Object.fromEntries((await regionChildren('')).map((p) => [p.code, p.name]));
    } catch { /* codes are shown instead */ }
  });
  return (regions) => regionsText(regions, names.value, t('common.nationwide'), t('common.listSeparator'));
}
