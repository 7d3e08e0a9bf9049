// Service commitments in the UI (docs/marketplace.md): the fields of a version in the API's
// order, an empty form and the body sent from one, and useCommitmentText(), which gives any
// field's value as text in the UI language (region and industry names fetched once).
import { ref, onMounted } from 'vue';
import { useI18n } from 'vue-i18n';
import { regionChildren, industries } from './registry.js';
import { label } from './vocabularies.js';

/** The content fields of a version, in the order of the form and of a comparison. */
export const commitmentFields = [
  'title', 'edition', 'areas', 'stages', 'regions', 'industries', 'effectiveness_coverage', 'effectiveness_method',
  'man_days_large', 'man_days_medium', 'man_days_small', 'man_days_micro', 'price_min', 'price_max',
  'lead_time_days', 'response_hours', 'surveillance_terms', 'complaint_channel',
];
const listFields = new Set(['areas', 'stages', 'regions', 'industries', 'effectiveness_coverage']);
const numberFields = new Set(['man_days_large', 'man_days_medium', 'man_days_small', 'man_days_micro', 'price_min',
  'price_max', 'lead_time_days', 'response_hours']);

export const coverageCategories = ['quality', 'benefit', 'management'];

/** A form's model: empty, or the content of a commitment (to publish its next version). */
export function commitmentForm(from = null) {
  const form = {};
  for (const f of commitmentFields) {
    if (listFields.has(f)) form[f] = from ? [...(from[f] || [])] : [];
    else if (numberFields.has(f)) form[f] = from ? from[f] : undefined;
    else form[f] = from ? from[f] || '' : '';
  }
  if (!from) form.edition = 'GB/T 29490-2023';
  form.change_note = '';
  return form;
}

/** The JSON sent for a form: every content field (absent numbers left out: the server names them). */
export function commitmentBody(form) {
  const body = {};
  for (const f of commitmentFields) {
    const v = form[f];
    if (numberFields.has(f)) { if (v !== undefined && v !== null && v !== '') body[f] = Number(v); } else body[f] = v;
  }
  return body;
}

/** Are two values of a field the same (lists in order)? */
export const sameValue = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * For a component showing commitments: text(field, value) gives a field's value in the UI
 * language: lists as names (regions, industries: "nationwide", "every industry" when empty),
 * prices in yuan, lead time in days.
 */
export function useCommitmentText() {
  const { t } = useI18n();
  const provinces = ref({});
  const sections = ref({});
  onMounted(async () => {
    try { provinces.value = Object.fromEntries((await regionChildren('')).map((p) => [p.code, p.name])); } catch { /* codes */ }
    try { sections.value = Object.fromEntries((await industries()).filter((i) => !i.section).map((i) => [i.code, i.name])); } catch { /* codes */ }
  });
  const sep = () => t('common.listSeparator');
  return function text(field, value) {
    if (value === undefined || value === null) return '';
    switch (field) {
      case 'areas': return value.map((c) => label('scope_areas', c)).join(sep());
      case 'stages': return value.map((c) => label('scope_stages', c)).join(sep());
      case 'regions': return value.length ? value.map((c) => provinces.value[c] || c).join(sep()) : t('common.nationwide');
      case 'industries':
        return value.length ? value.map((c) => (sections.value[c] ? `${c} ${sections.value[c]}` : c)).join(sep()) : t('commitments.allIndustries');
      case 'effectiveness_coverage':
        return value.length ? value.map((c) => t(`commitment.coverage.${c}`)).join(sep()) : t('commitments.noCoverage');
      case 'price_min': case 'price_max': return t('commitments.yuan', { n: Number(value).toLocaleString() });
      case 'lead_time_days': return t('commitments.days', { n: value });
      case 'response_hours': return t('commitments.hours', { n: value });
      default: return String(value);
    }
  };
}
