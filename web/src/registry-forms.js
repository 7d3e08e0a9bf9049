// Request bodies of the registry forms: what a form holds, turned into what the API takes.
import { api } from './api.js';

const enterpriseKeys = ['name', 'credit_code', 'region', 'industry', 'size', 'address', 'contact_name', 'contact_phone', 'contact_email'];

/** A blank enterprise form. */
export function emptyEnterprise() {
  return Object.fromEntries(enterpriseKeys.map((k) => [k, '']));
}

/** The `keys` of a form to send for a new record: trimmed, empty ones left out, credit code in upper case. */
function newRecordBody(model, keys) {
  const body = {};
  for (const k of keys) {
    const v = typeof model[k] === 'string' ? model[k].trim() : model[k];
    if (v !== '' && v !== undefined && v !== null) body[k] = v;
  }
  if (body.credit_code) body.credit_code = body.credit_code.toUpperCase();
  return body;
}

/** The enterprise fields to send for a new enterprise: trimmed, empty ones left out. */
export function enterpriseBody(model) {
  return newRecordBody(model, enterpriseKeys);
}

/**
 * The fields that differ between `model` and `original`, for a PATCH (a field emptied is sent
 * as '' so it can be cleared); `skip` names fields not to send.
 */
export function changedFields(model, original, keys, skip = []) {
  const body = {};
  for (const k of keys) {
    if (skip.includes(k)) continue;
    let v = model[k];
    if (typeof v === 'string') v = v.trim();
    const before = original[k] ?? (Array.isArray(v) ? [] : '');
    if (JSON.stringify(v ?? '') !== JSON.stringify(before)) body[k] = v ?? '';
  }
  return body;
}

export { enterpriseKeys };

export const bodyKeys = ['name', 'credit_code', 'code', 'approval_number', 'cnas_number', 'founded', 'address', 'contact_phone', 'website', 'regions'];

/** A blank body form. */
export function emptyBody() {
  return { ...Object.fromEntries(bodyKeys.map((k) => [k, ''])), regions: [] };
}

/** The body fields to send for a new body: trimmed, empty ones left out (regions always). */
export function bodyBody(model) {
  return { ...newRecordBody(model, bodyKeys), regions: model.regions || [] };
}

/** Bodies for a select (admin): [{id, name, code}], up to 100, by name. */
export async function bodyOptions() {
  const r = await api('GET', '/api/bodies?per_page=100&sort=name');
  return r?.items || [];
}
