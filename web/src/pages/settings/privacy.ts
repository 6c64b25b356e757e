// /settings/privacy: who sees the profile, and which of its details.
import { getProfile, patchProfile, type Privacy } from '../../account';
import { h, whileLoading } from '../../ui';
import { toast } from '../../toast';
import { inputField, errorBox, onSubmit, type Field } from '../../forms';
import { section } from './layout';

const SHOWN: [keyof Privacy, string][] = [
  ['show_email', 'Show my email address'],
  ['show_birth_date', 'Show my birth date'],
  ['show_phone', 'Show my phone number'],
  ['show_country', 'Show my country'],
];

export async function privacyPage(content: HTMLElement) {
  content.append(h('h1', null, 'Privacy'));
  const p = await whileLoading(content, getProfile());
  const ps = p.privacy_settings;
  const visibility = inputField('Who can see my profile', h('select', { name: 'profile_visibility' },
    h('option', { value: 'public', selected: ps.profile_visibility !== 'private' }, 'Everyone (public)'),
    h('option', { value: 'private', selected: ps.profile_visibility === 'private' }, 'Only me (private): others see my username and avatar')));
  const boxes = SHOWN.map(([name, label]) => {
    const input = h('input', { type: 'checkbox', name, id: `privacy-${name}`, checked: !!ps[name] });
    return { name, input, el: h('div', { class: 'check' }, input, h('label', { for: input.id }, label)) };
  });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = h('form', { id: 'privacy-form' },
    visibility.el,
    h('fieldset', null, h('legend', null, 'On a public profile'), boxes.map((b) => b.el)),
    box, submit);
  const fields: Record<string, Field> = { profile_visibility: visibility, privacy_settings: visibility };
  onSubmit(form, {
    fields,
    box,
    submit,
    action: () => patchProfile({
      privacy_settings: {
        profile_visibility: visibility.input.value as Privacy['profile_visibility'],
        ...Object.fromEntries(boxes.map((b) => [b.name, b.input.checked])),
      },
    }),
    done: () => { toast('Privacy settings saved'); },
  });
  content.append(section('Your profile', 'privacy', form));
}
