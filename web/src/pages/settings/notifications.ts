// /settings/notifications: each type by channel (in the app, email, push), a global
// mute, the email digest and quiet hours (in the profile's timezone).
import { h, whileLoading } from '../../ui';
import { toast } from '../../toast';
import { errorBox, onSubmit, inputField, type Field } from '../../forms';
import { section } from './layout';
import { CHANNELS, getPreferences, patchPreferences, type Channel } from '../../notifications';

export async function notificationSettingsPage(content: HTMLElement) {
  content.append(h('h1', null, 'Notifications'));
  const p = await whileLoading(content, getPreferences());
  const boxes: { type: string; channel: Channel; input: HTMLInputElement }[] = [];
  const rows = p.types.map((t) => h('tr', null,
    h('th', { scope: 'row' }, t.label),
    CHANNELS.map(([channel, label]) => {
      const input = h('input', { type: 'checkbox', checked: t.channels[channel], 'aria-label': `${t.label}: ${label}`,
        id: `pref-${t.notification_type}-${channel}` });
      boxes.push({ type: t.notification_type, channel, input });
      return h('td', null, input);
    })));
  const table = h('table', { class: 'prefs', id: 'notification-preferences' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Type'), CHANNELS.map(([, l]) => h('th', { scope: 'col' }, l)))),
    h('tbody', null, rows));
  const muted = h('input', { type: 'checkbox', id: 'notifications-muted', checked: p.muted });
  const digest = inputField('Email', h('select', { name: 'digest_mode', id: 'notifications-digest' },
    h('option', { value: 'immediate', selected: p.digest_mode === 'immediate' }, 'One mail per notification'),
    h('option', { value: 'daily', selected: p.digest_mode === 'daily' }, 'A daily digest'),
    h('option', { value: 'off', selected: p.digest_mode === 'off' }, 'No mail')));
  const quietOn = h('input', { type: 'checkbox', id: 'quiet-on', checked: !!p.quiet_hours });
  const start = inputField('From', h('input', { type: 'time', name: 'quiet_start', value: p.quiet_hours?.start ?? '22:00' }));
  const end = inputField('Until', h('input', { type: 'time', name: 'quiet_end', value: p.quiet_hours?.end ?? '07:00' }));
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = h('form', { id: 'notification-settings-form' },
    table,
    h('div', { class: 'check' }, muted, h('label', { for: muted.id }, 'Mute everything (no mail, no push; the list still fills)')),
    digest.el,
    h('fieldset', null, h('legend', null, `Quiet hours (${p.timezone || 'UTC'}: set your timezone in your profile)`),
      h('div', { class: 'check' }, quietOn, h('label', { for: quietOn.id }, 'Hold push and fold mail into a digest during')),
      start.el, end.el),
    box, submit);
  const fields: Record<string, Field> = { digest_mode: digest, quiet_hours: start };
  onSubmit(form, {
    fields, box, submit,
    action: () => patchPreferences({
      preferences: boxes.map((b) => ({ notification_type: b.type, channel: b.channel, enabled: b.input.checked })),
      muted: muted.checked,
      digest_mode: digest.input.value,
      quiet_hours: quietOn.checked ? { start: start.input.value, end: end.input.value } : null,
    }),
    done: () => { toast('Notification settings saved'); },
  });
  content.append(section('What reaches me, and how', 'notification-settings', form));
}
