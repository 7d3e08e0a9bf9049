// Server errors beside the fields they are about. A form calls useServerErrors(model); the
// FormField components inside it register their field names. show(e) puts each of an
// ApiError's field errors (e.fields: every invalid field of a refused form, else e.field) beside
// its field (also when the server says `account.login` for a field the form calls `login`, or
// the other way round), and the messages no field on the page matches in the form's alert.
// A field's server error disappears as soon as its value changes.
// useForm(model) adds what every form that sends to the server does around it: its own rules
// first, a busy flag while the request runs, and the server's error shown where it belongs.
import { reactive, ref, provide, inject, watch } from 'vue';

const key = Symbol('serverErrors');

function valueAt(model, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), model);
}

export function useServerErrors(model) {
  const errors = reactive({});
  const error = ref(''); // the form-wide message (no matching field)
  const fields = new Set();
  const snapshot = {};

  function matchField(name) {
    if (!name) return null;
    if (fields.has(name)) return name;
    for (const f of fields) {
      if (f.endsWith(`.${name}`) || name.endsWith(`.${f}`)) return f;
    }
    return null;
  }

  function clear() {
    for (const f of Object.keys(errors)) delete errors[f];
    error.value = '';
  }

  /** Shows an error from the API helper (or any Error) beside its fields or in the alert. */
  function show(e) {
    const list = Array.isArray(e?.fields) && e.fields.length > 0 ? e.fields : [{ field: e?.field, message: e?.message }];
    const unplaced = [];
    for (const item of list) {
      const f = matchField(item.field);
      if (f && !errors[f]) {
        errors[f] = item.message;
        snapshot[f] = model ? JSON.stringify(valueAt(model, f)) : undefined;
      } else if (!f) {
        unplaced.push(item.message || String(e));
      }
    }
    if (unplaced.length > 0) error.value = unplaced.join(' ');
  }

  if (model) {
    watch(model, () => {
      for (const f of Object.keys(errors)) {
        if (JSON.stringify(valueAt(model, f)) !== snapshot[f]) delete errors[f];
      }
    }, { deep: true });
  }

  provide(key, {
    errors,
    register: (f) => fields.add(f),
    unregister: (f) => fields.delete(f),
  });
  return { errors, error, clear, show };
}

/**
 * A form that sends to the server: the server errors of useServerErrors(model), `formRef` for
 * the form (an el-form, RecordForm or AuthCard: `ref="formRef"`), `busy`, and submit(action), which clears
 * the errors, checks the form's rules, then awaits action() with `busy` set; an error it throws
 * is shown beside its field or in the alert (show) and returned, nothing otherwise.
 */
export function useForm(model) {
  const formRef = ref();
  const busy = ref(false);
  const server = useServerErrors(model);

  async function submit(action) {
    server.clear();
    if (formRef.value && !(await formRef.value.validate().catch(() => false))) return undefined;
    busy.value = true;
    try {
      await action();
      return undefined;
    } catch (e) {
      server.show(e);
      return e;
    } finally {
      busy.value = false;
    }
  }

  return { ...server, formRef, busy, submit };
}

/** What a component wrapping an el-form (ref `form`) exposes to be a `formRef` of useForm. */
export function formMethods(form) {
  return {
    validate: () => form.value.validate(),
    resetFields: () => form.value.resetFields(),
  };
}

/** For FormField: the errors of the enclosing form (or null outside one). */
export function useFormErrors() {
  return inject(key, null);
}

/** Element Plus rules: a required field with the translated message. */
export function required(t, trigger = 'blur') {
  return [{ required: true, whitespace: true, message: t('fieldRules.required'), trigger }];
}
