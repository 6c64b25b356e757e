// The party settings form of the room (host and moderators): PATCH /api/parties/{id}/
// with the settings merged. Field errors go under their inputs; what was typed stays.
import { api } from '../api';
import { h } from '../ui';
import { inputField, errorBox, onSubmit, type Field } from '../forms';
import type { Party } from './parties';

const opt = (cur: string) => ([v, t]: string[]) => h('option', { value: v, selected: v === cur }, t);

export function partySettingsForm(p: Party, onSaved: (p: Party) => void): HTMLFormElement {
  const s = p.settings || {};
  const title = h('input', { name: 'title', required: true, maxLength: 200, value: p.title });
  const description = h('textarea', { name: 'description', rows: 2, maxLength: 2000 }, p.description || '');
  const visibility = h('select', { name: 'visibility' },
    ...[['public', 'Public (listed)'], ['unlisted', 'Unlisted (link or code)'], ['private', 'Private (invited only)']].map(opt(p.visibility)));
  const maxP = h('input', { name: 'max_participants', type: 'number', min: '2', max: '10000', value: String(p.max_participants) });
  const control = h('select', { name: 'control' },
    ...[['host_only', 'Host only'], ['moderators', 'Host and moderators'], ['everyone', 'Everyone']].map(opt(s.control ?? 'host_only')));
  const slow = h('input', { name: 'slow_mode_seconds', type: 'number', min: '0', max: '3600', value: String(s.slow_mode_seconds ?? 0) });
  const checks: [string, string][] = [
    ['chat_enabled', 'Chat on'],
    ['reactions_enabled', 'Reactions on'],
    ['wait_for_buffering', 'Wait for everyone to buffer'],
    ['require_approval', 'Guests need approval to join'],
  ];
  const defaults: Record<string, boolean> = { chat_enabled: true, reactions_enabled: true, wait_for_buffering: true, require_approval: false };
  const boxes = checks.map(([k, label]) => {
    const input = h('input', { type: 'checkbox', name: k, id: `set-${k}`, checked: s[k] ?? defaults[k] });
    return { k, input, el: h('label', { class: 'check', for: input.id }, input, h('span', null, label)) };
  });
  const fields: Record<string, Field> = {
    title: inputField('Title', title),
    description: inputField('Description', description),
    visibility: inputField('Visibility', visibility),
    max_participants: inputField('Seats', maxP, '2 to 10,000'),
    control: inputField('Who controls playback', control),
    slow_mode_seconds: inputField('Slow mode (seconds between messages, 0 = off)', slow),
  };
  const box = errorBox();
  const save = h('button', { type: 'submit', class: 'primary small' }, 'Save settings');
  const form = h('form', { id: 'party-settings-form' },
    fields.title.el, fields.description.el,
    h('div', { class: 'row2' }, fields.visibility.el, fields.max_participants.el),
    h('div', { class: 'row2' }, fields.control.el, fields.slow_mode_seconds.el),
    ...boxes.map((b) => b.el),
    box, save);
  onSubmit(form, {
    fields, box, submit: save,
    action: () => {
      const settings: Record<string, unknown> = { control: control.value, slow_mode_seconds: Number(slow.value) || 0 };
      for (const b of boxes) settings[b.k] = b.input.checked;
      return api<Party>(`/api/parties/${p.id}/`, {
        method: 'PATCH',
        body: { title: title.value.trim(), description: description.value, visibility: visibility.value, max_participants: Number(maxP.value), settings },
      });
    },
    done: onSaved,
  });
  return form;
}
