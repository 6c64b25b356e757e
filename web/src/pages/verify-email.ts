// /verify-email?token=…, the link of the verification mail sent at registration, and of
// the mail that confirms a new address (settings, change email).
// The address is confirmed by a button press, not on load: a mail scanner that opens
// the link must not use up the token.
import { verifyEmail, me } from '../api';
import { reloadUser } from '../account';
import { h } from '../ui';
import { link, queryParam } from '../nav';
import { inputField, errorBox, clearErrors, showErrors, type Field } from '../forms';

export function verifyEmailPage(root: HTMLElement) {
  const fromLink = queryParam('token');
  const token = inputField('Token from the mail', h('input', { name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' }));
  const fields: Record<string, Field> = fromLink ? {} : { token };
  const err = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Confirm my email address');
  const form = h('form', {
    class: 'card narrow',
    'aria-labelledby': 'verify-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      clearErrors(fields, err);
      submit.disabled = true;
      try {
        await verifyEmail(fromLink || token.input.value.trim());
        // A changed address (or its confirmation) shows in the settings of this session at once.
        if (me()) await reloadUser().catch(() => undefined);
        root.replaceChildren(done());
      } catch (ex) {
        showErrors(ex, fields, err);
      } finally {
        submit.disabled = false;
      }
    },
  },
    h('h1', { id: 'verify-title' }, 'Confirm your email address'),
    h('p', null, fromLink ? 'Press the button to confirm the address the mail was sent to.' : 'Paste the token from the verification mail.'),
    fromLink ? null : token.el,
    err,
    submit,
  );
  root.append(form);
  (fromLink ? submit : token.input).focus();
}

function done() {
  const title = h('h1', { id: 'verified-title', tabindex: '-1' }, 'Email address confirmed');
  const card = h('section', { class: 'card narrow', 'aria-labelledby': 'verified-title' },
    title,
    h('p', { role: 'status' }, 'Thank you: your email address is confirmed.'),
    h('p', null, me() ? link('/', 'Go to your parties') : link('/login', 'Log in')),
  );
  setTimeout(() => title.focus());
  return card;
}
