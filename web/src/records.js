// Records of the registry on their pages: one loaded and edited in place (useRecord), or a new
// one created (useCreate). Both are forms of forms.js (useForm): the form's rules first, the
// server's errors beside the fields, a message once saved.
import { ref, reactive, watch } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { api } from './api.js';
import { useForm } from './forms.js';
import { changedFields } from './registry-forms.js';

/**
 * One record, GET path() whenever the path changes: `record` (null until loaded or after an
 * error), `loading`, `loadError` (with `notFound`, a 404 says "not found" in the UI's words
 * rather than the server's), load(), and `loaded` awaited after each load.
 * Editing it: startEdit() fills `form` with toForm(record); save() checks the form's rules and
 * PATCHes path() with the `keys` that changed (not those skip() names; a credit code in upper
 * case), takes the answer as the record when it has `idKey` (else loads again), says so and
 * stops editing; cancel() stops editing. `formRef`, `busy`, `error` are useForm's.
 */
export function useRecord(path, { keys = [], toForm = (r) => r, skip = () => [], idKey = 'id', notFound = true, loaded } = {}) {
  const { t } = useI18n();
  const record = ref(null);
  const loading = ref(false);
  const loadError = ref('');
  const editing = ref(false);
  const form = reactive({});
  const { formRef, busy, error, clear, submit } = useForm(form);

  async function load() {
    loading.value = true;
    loadError.value = '';
    try {
      record.value = await api('GET', path());
      if (loaded) await loaded(record.value);
    } catch (e) {
      record.value = null;
      loadError.value = notFound && e.status === 404 ? t('common.notFound') : e.message;
    } finally {
      loading.value = false;
    }
  }
  watch(path, load, { immediate: true });

  function startEdit() {
    clear();
    for (const k of Object.keys(form)) delete form[k];
    Object.assign(form, toForm(record.value));
    editing.value = true;
  }

  const cancel = () => { editing.value = false; };

  const save = () => submit(async () => {
    const patch = changedFields(form, toForm(record.value), keys, skip());
    if (patch.credit_code) patch.credit_code = patch.credit_code.toUpperCase();
    if (Object.keys(patch).length === 0) { cancel(); return; }
    const r = await api('PATCH', path(), patch);
    if (r && r[idKey]) record.value = r; else await load();
    cancel();
    ElMessage.success(t('common.saved'));
  });

  return { record, loading, loadError, load, editing, form, formRef, busy, error, startEdit, save, cancel };
}

/**
 * A page that creates a record: submit() checks the form's rules, POSTs body() to `path`, says
 * t(created) and goes to to(answer, body); cancel() goes back. With useForm's `formRef`,
 * `busy`, `error` (and `show`, for errors found before sending).
 */
export function useCreate(model, { path, body, created, to }) {
  const { t } = useI18n();
  const router = useRouter();
  const f = useForm(model);
  const submit = () => f.submit(async () => {
    const sent = body();
    const answer = await api('POST', path, sent);
    ElMessage.success(t(created));
    await router.push(to(answer, sent));
  });
  return { ...f, submit, cancel: () => router.back() };
}
