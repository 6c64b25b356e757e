// Staff: download users as CSV or JSON Lines with chosen fields. Emails only for a
// superuser (the API refuses staff); the file is streamed by the server.
import { api, me } from '../../api';
import { h } from '../../ui';
import { errorBox, inputField, onSubmit, type Field } from '../../forms';

const FIELDS = ['id', 'username', 'email', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser',
  'email_verified', 'date_joined', 'last_login'];
const DEFAULT = new Set(['id', 'username', 'is_active', 'date_joined']);

export function exportPage(root: HTMLElement) {
  const superuser = !!me()?.is_superuser;
  const format = h('select', { id: 'export-format', name: 'format' },
    h('option', { value: 'csv' }, 'CSV'), h('option', { value: 'jsonl' }, 'JSON Lines'));
  const active = h('select', { id: 'export-active', name: 'is_active' },
    h('option', { value: '' }, 'Everyone'), h('option', { value: 'true' }, 'Active'), h('option', { value: 'false' }, 'Deactivated'));
  const boxes = FIELDS.map((f) => h('input', {
    type: 'checkbox', name: 'fields', value: f, id: `export-${f}`, checked: DEFAULT.has(f),
    disabled: f === 'email' && !superuser,
  }));
  const fieldset = h('fieldset', { class: 'checks' }, h('legend', null, 'Fields'),
    boxes.map((b) => h('label', { for: b.id }, b, ` ${b.value}${b.value === 'email' && !superuser ? ' (superuser only)' : ''}`)));
  const fieldsError = h('small', { class: 'field-error', id: 'export-fields-error', hidden: true });
  const fields: Record<string, Field> = {
    format: inputField('Format', format),
    fields: { el: fieldset, input: boxes[0], error: fieldsError },
  };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'export-submit' }, 'Download');
  const status = h('p', { class: 'muted', role: 'status', id: 'export-status' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, 'Users'),
    h('div', { class: 'filter-row' }, fields.format.el, h('div', { class: 'field' }, h('label', { for: active.id }, 'Users'), active)),
    fieldset, fieldsError, box, submit, status);
  root.append(h('h1', null, 'Export users'),
    h('p', { class: 'muted' }, 'Every export is recorded in the system log.'), form);
  onSubmit(form, {
    fields, box, submit,
    check: () => (boxes.some((b) => b.checked) ? null : [fields.fields, 'Choose at least one field.']),
    action: async () => {
      status.textContent = 'Preparing the file…';
      const body: Record<string, unknown> = { format: format.value, fields: boxes.filter((b) => b.checked).map((b) => b.value) };
      if (active.value) body.is_active = active.value === 'true';
      const res = await api<Response>('/api/admin/users/export/', { method: 'POST', body, raw: true });
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'users';
      const blob = await res.blob();
      const a = h('a', { href: URL.createObjectURL(blob), download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      return `${name}: ${blob.size} bytes`;
    },
    done: (what) => { status.textContent = `Downloaded ${what}.`; },
    failed: () => { status.textContent = ''; },
  });
}
