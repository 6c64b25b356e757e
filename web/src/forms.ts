// Form fields that show the error envelope's `errors` (docs/api.md) under the input
// each one names. Showing an error never clears what the person typed.
import { ApiError } from './api';
import { h, errorText } from './ui';

export interface Field {
  el: HTMLElement;
  input: HTMLInputElement;
  error: HTMLElement;
}

let lastId = 0;

/** A labelled input with a hint and an error line, both tied to it for screen readers. */
export function inputField(label: string, input: HTMLInputElement, hint?: string): Field {
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
