// /settings/profile: names, bio, country, time zone, birth date, phone, and the avatar.
import { me } from '../../api';
import { getProfile, patchProfile, patchNames, uploadAvatar, type Profile } from '../../account';
import { h, whileLoading } from '../../ui';
import { toast } from '../../toast';
import { inputField, textField, errorBox, onSubmit, showErrors, clearErrors } from '../../forms';
import { section } from './layout';

function timeZones(): string[] {
  try {
    return (Intl as any).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

function timeZoneSelect(current: string): HTMLSelectElement {
  const zones = timeZones();
  if (current && !zones.includes(current)) zones.unshift(current);
  return h('select', { name: 'timezone' },
    h('option', { value: '' }, '—'),
    zones.map((z) => h('option', { value: z, selected: z === current }, z)));
}

function detailsForm(p: Profile) {
  const u = me()!;
  const first_name = textField('First name', { name: 'first_name', autocomplete: 'given-name', maxLength: 150, value: u.first_name || '' });
  const last_name = textField('Last name', { name: 'last_name', autocomplete: 'family-name', maxLength: 150, value: u.last_name || '' });
  const bioText = h('textarea', { name: 'bio', maxLength: 500, rows: 3 });
  bioText.value = p.bio || '';
  const bio = inputField('Bio', bioText, 'Up to 500 characters');
  const country = textField('Country', { name: 'country', autocomplete: 'country', maxLength: 2, value: p.country || '', spellcheck: 'false' },
    'Two-letter code, e.g. DE, US, JP');
  const timezone = inputField('Time zone', timeZoneSelect(p.timezone || ''));
  const birth_date = textField('Birth date', { name: 'birth_date', type: 'date', autocomplete: 'bday', value: p.birth_date || '' });
  const phone = textField('Phone', { name: 'phone', type: 'tel', autocomplete: 'tel', value: p.phone || '' },
    'International form, e.g. +4915112345678');
  const fields = { first_name, last_name, bio, country, timezone, birth_date, phone };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = h('form', { id: 'profile-form' },
    h('div', { class: 'row2' }, first_name.el, last_name.el),
    bio.el,
    h('div', { class: 'row2' }, country.el, timezone.el),
    h('div', { class: 'row2' }, birth_date.el, phone.el),
    box,
    submit);
  onSubmit(form, {
    fields,
    box,
    submit,
    action: async () => {
      // Two resources: the names live on the user, the rest on the profile. Both are sent,
      // and the errors of both are shown together.
      const names = patchNames(first_name.input.value.trim(), last_name.input.value.trim());
      const rest = patchProfile({
        bio: bio.input.value,
        country: country.input.value.trim().toUpperCase(),
        timezone: timezone.input.value,
        birth_date: birth_date.input.value || null,
        phone: phone.input.value.trim(),
      });
      const [a, b] = await Promise.allSettled([names, rest]);
      const failed = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length === 2) {
        const [x, y] = failed.map((f) => f.reason);
        if (x?.errors && y?.errors) x.errors = { ...x.errors, ...y.errors };
      }
      if (failed.length) throw failed[0].reason;
    },
    done: () => { toast('Profile saved'); },
  });
  return form;
}

function avatarForm(p: Profile) {
  const preview = h('img', { class: 'avatar-preview', alt: 'Your avatar', src: p.avatar || '', hidden: !p.avatar });
  const none = h('div', { class: 'avatar-preview avatar-none', 'aria-hidden': 'true', hidden: !!p.avatar }, (me()!.username[0] || '?').toUpperCase());
  const file = inputField('Image', h('input', { name: 'file', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', required: true }),
    'PNG, JPEG, GIF or WebP, up to 2 MiB');
  const fileInput = file.input as HTMLInputElement;
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');
  let objectUrl = '';
  // The chosen file is shown before it is sent.
  fileInput.addEventListener('change', () => {
    clearErrors({ file }, box);
    const f = fileInput.files?.[0];
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = f ? URL.createObjectURL(f) : '';
    preview.src = objectUrl || p.avatar || '';
    preview.alt = f ? 'Preview of the chosen image' : 'Your avatar';
    preview.hidden = !preview.src;
    none.hidden = !preview.hidden;
  });
  const form = h('form', { id: 'avatar-form', class: 'avatar-form' },
    h('div', { class: 'avatar-box' }, preview, none),
    h('div', { class: 'avatar-fields' }, file.el, box, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = fileInput.files?.[0];
    if (!f) return;
    submit.disabled = true;
    try {
      p = await uploadAvatar(f);
      // Cache-busting: the avatar URL stays the same when the image changes.
      preview.src = p.avatar ? `${p.avatar}${p.avatar.includes('?') ? '&' : '?'}t=${Date.now()}` : '';
      preview.alt = 'Your avatar';
      fileInput.value = '';
      toast('Avatar changed');
    } catch (ex) {
      showErrors(ex, { file }, box);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function profilePage(content: HTMLElement) {
  content.append(h('h1', null, 'Profile'));
  const p = await whileLoading(content, getProfile());
  content.append(
    section('Avatar', 'avatar', avatarForm(p)),
    section('About you', 'details', detailsForm(p)),
  );
}
