// /settings/account: the email address (its verification, a resend button, a change
// that takes effect once the new address is confirmed) and the password.
import { me } from '../../api';
import { changeEmail, changePassword, resendVerification, reloadUser } from '../../account';
import { h, clear } from '../../ui';
import { toast, toastError } from '../../toast';
import { textField, errorBox, onSubmit } from '../../forms';
import { section } from './layout';

function emailStatus() {
  const box = h('div', { id: 'email-status' });
  const draw = () => {
    const u = me()!;
    const resend = h('button', { type: 'button', id: 'resend-verification' }, 'Send the verification mail again');
    resend.addEventListener('click', async () => {
      resend.disabled = true;
      try {
        await resendVerification();
        toast(`A verification mail is on its way to ${u.email}.`);
      } catch (e) {
        toastError(e, 'The mail was not sent');
      } finally {
        resend.disabled = false;
      }
    });
    clear(box,
      h('p', null, 'Your address: ', h('strong', { id: 'current-email' }, u.email || '—'), ' ',
        u.email_verified
          ? h('span', { class: 'badge ready', id: 'email-verified' }, 'verified')
          : h('span', { class: 'badge processing', id: 'email-verified' }, 'not verified')),
      u.email_verified ? null : h('p', { class: 'muted' }, 'Open the link in the mail we sent to confirm that the address is yours.'),
      u.email_verified ? null : resend);
  };
  draw();
  return box;
}

function changeEmailForm() {
  const new_email = textField('New email address', { name: 'new_email', type: 'email', autocomplete: 'email', required: true, maxLength: 254 });
  const password = textField('Your password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const box = errorBox();
  const sent = h('p', { class: 'notice', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Change the address');
  const form = h('form', { id: 'change-email-form' },
    h('p', { class: 'muted' }, 'We mail a link to the new address. Your address changes when you open it; until then the old one stays.'),
    new_email.el, password.el, box, sent, submit);
  onSubmit(form, {
    fields: { new_email, password },
    box,
    submit,
    check: () => (new_email.input.value.trim().toLowerCase() === (me()!.email || '').toLowerCase()
      ? [new_email, 'That is your address already.'] : null),
    action: () => { sent.hidden = true; return changeEmail(new_email.input.value.trim(), password.input.value); },
    done: () => {
      sent.textContent = `A link is on its way to ${new_email.input.value.trim()}. Open it to confirm the new address.`;
      sent.hidden = false;
      password.input.value = '';
    },
  });
  return form;
}

function changePasswordForm() {
  const current_password = textField('Current password', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true });
  const new_password = textField('New password', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8, maxLength: 128 },
    'At least 8 characters, not only digits');
  const again = textField('New password again', { name: 'new_password_again', type: 'password', autocomplete: 'new-password', required: true });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Change the password');
  const form = h('form', { id: 'change-password-form' }, current_password.el, new_password.el, again.el, box, submit);
  onSubmit(form, {
    fields: { current_password, new_password, new_password_again: again },
    box,
    submit,
    check: () => (new_password.input.value !== again.input.value ? [again, 'The two passwords differ.'] : null),
    action: () => changePassword(current_password.input.value, new_password.input.value),
    done: () => {
      form.reset();
      toast('Your password is changed. Your other sessions were logged out.');
    },
  });
  return form;
}

export async function accountPage(content: HTMLElement) {
  content.append(h('h1', null, 'Email and password'));
  // The verification may have happened in another tab since the login.
  await reloadUser().catch(() => undefined);
  content.append(
    section('Email', 'email', emailStatus(), h('h3', null, 'Change the address'), changeEmailForm()),
    section('Password', 'password', changePasswordForm()),
  );
}
