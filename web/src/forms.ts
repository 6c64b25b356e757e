// Form fields that show the error envelope's `errors` (docs/api.md) under the input
// each one names. Showing an error never clears what the person typed.
import { ApiError } from './api';
import { h, errorText } from './ui';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field {
  el: HTMLElement;
  input: Control;
  error: HTMLElement;
}

let lastId = 0;

/** A labelled input with a hint and an error line, both tied to it for screen readers. */
export function inputField(label: string, input: Control, hint?: string): Field {
  if (!input.id) input.id = `f-${input.name || 'field'}-${++lastId}`;
  const error = h('small', { class: 'field-error', id: `${input.id}-error`, hidden: true });
  const hintEl = hint ? h('small', { id: `${input.id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
  const el = h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl, error);
  return { el, input, error };
}

export function setFieldError(f: Field, messages: string[]) {
  f.error.textContent = messages.join(' ');
  f.error.hidden = messages.length === 0;
  if (messages.length) f.input.setAttribute('aria-invalid', 'true');
  else f.input.removeAttribute('aria-invalid');
}

/** The line above a form's button for what belongs to no single field. */
export function errorBox(): HTMLElement {
  return h('p', { class: 'error', role: 'alert', hidden: true });
}

export function clearErrors(fields: Record<string, Field>, box: HTMLElement) {
  for (const f of Object.values(fields)) setFieldError(f, []);
  box.hidden = true;
  box.textContent = '';
}

/**
 * Puts each of `e`'s field errors under its field and the rest in `box`; focuses the
 * first field in error. Returns the names of the fields in `e.errors` that have no field
 * here (for pages that explain those themselves).
 */
export function showErrors(e: unknown, fields: Record<string, Field>, box: HTMLElement): string[] {
  clearErrors(fields, box);
  if (!(e instanceof ApiError)) {
    box.textContent = errorText(e);
    box.hidden = false;
    return [];
  }
  const unplaced: string[] = [];
  let first: Field | null = null;
  for (const [name, messages] of Object.entries(e.errors)) {
    const f = fields[name];
    if (!f) {
      unplaced.push(name);
      continue;
    }
    setFieldError(f, messages || []);
    first ??= f;
  }
  const rest = unplaced.map((n) => (e.errors[n] || []).join(' ')).filter(Boolean);
  if (!first || rest.length) {
    box.textContent = rest.length ? rest.join(' ') : e.message;
    box.hidden = false;
  }
  first?.input.focus();
  return unplaced;
}

/** inputField for a plain <input> built from its attributes. */
export function textField(label: string, attrs: Record<string, any>, hint?: string): Field {
  return inputField(label, h('input', attrs), hint);
}

export interface SubmitOptions<T> {
  /** The fields by the names the API uses in `errors`. */
  fields: Record<string, Field>;
  box: HTMLElement;
  submit: HTMLButtonElement;
  /** Checks before sending: return a field and message to stop there. */
  check?: () => [Field, string] | null;
  action: () => Promise<T>;
  done?: (result: T) => void | Promise<void>;
  /** After the errors are shown (e.g. to offer a link). */
  failed?: (e: unknown, unplaced: string[]) => void;
}

/**
 * The one way a form sends: clears the old errors, disables the button while the request
 * runs, and on failure puts the envelope's field errors under their inputs and the rest
 * above the button. What the person typed stays.
 */
export function onSubmit<T>(form: HTMLFormElement, o: SubmitOptions<T>) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(o.fields, o.box);
    const bad = o.check?.();
    if (bad) {
      setFieldError(bad[0], [bad[1]]);
      bad[0].input.focus();
      return;
    }
    o.submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const r = await o.action();
      await o.done?.(r);
    } catch (ex) {
      const unplaced = showErrors(ex, o.fields, o.box);
      o.failed?.(ex, unplaced);
    } finally {
      o.submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}
