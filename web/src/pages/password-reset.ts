// Forgotten passwords: /forgot-password asks for a mail, and the mail's link opens
// /reset-password?token=… where the new password is set.
import { forgotPassword, resetPassword, logout, me } from '../api';
import { h, toast } from '../ui';
import { link, navigate, queryParam } from '../nav';
import { inputField, errorBox, clearErrors, showErrors, setFieldError, type Field } from '../forms';

export function forgotPasswordPage(root: HTMLElement) {
  const email = inputField('Email', h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true, maxLength: 254 }),
    'The address of your account');
  const err = errorBox();
  const sent = h('p', { class: 'notice', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send the reset link');
  const form = h('form', {
    class: 'card narrow',
    'aria-labelledby': 'forgot-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      clearErrors({ email }, err);
      sent.hidden = true;
      submit.disabled = true;
      try {
        const address = email.input.value.trim();
        await forgotPassword(address);
        sent.textContent = `If an account uses ${address}, a mail with a link to set a new password is on its way. ` +
          'The link works once and only for a while.';
        sent.hidden = false;
        submit.textContent = 'Send it again';
      } catch (ex) {
        showErrors(ex, { email }, err);
      } finally {
        submit.disabled = false;
      }
    },
  },
    h('h1', { id: 'forgot-title' }, 'Forgot your password?'),
    h('p', null, 'Enter the email address of your account and we will mail you a link to set a new password.'),
    email.el,
    err,
    sent,
    submit,
    h('p', { class: 'muted' }, 'Remembered it? ', link('/login', 'Log in')),
  );
  root.append(form);
  email.input.focus();
}

export function resetPasswordPage(root: HTMLElement) {
  const fromLink = queryParam('token');
  // Without a link the token can be pasted from the mail, which also carries it as text.
  const token = inputField('Token from the mail', h('input', { name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' }));
  const pass = inputField('New password', h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8, maxLength: 128 }),
    'At least 8 characters, not only digits');
  const again = inputField('New password again', h('input', { name: 'new_password_again', type: 'password', autocomplete: 'new-password', required: true }));
  // A token that came with the link has no field of its own: its error goes above the button.
  const fields: Record<string, Field> = { new_password: pass, new_password_again: again };
  if (!fromLink) fields.token = token;
  const err = errorBox();
  const askAgain = h('p', { hidden: true }, link('/forgot-password', 'Ask for a new link'));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Set the new password');
  const form = h('form', {
    class: 'card narrow',
    'aria-labelledby': 'reset-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      clearErrors(fields, err);
      askAgain.hidden = true;
      if (pass.input.value !== again.input.value) {
        setFieldError(again, ['The two passwords differ.']);
        again.input.focus();
        return;
      }
      submit.disabled = true;
      try {
        await resetPassword(fromLink || token.input.value.trim(), pass.input.value);
        // The server has ended every session of the account, this browser's too if it had one.
        if (me()) await logout();
        toast('Your password is changed. Log in with the new one.');
        navigate('/login', true);
      } catch (ex) {
        const unplaced = showErrors(ex, fields, err);
        askAgain.hidden = !(unplaced.includes('token') || !token.error.hidden);
      } finally {
        submit.disabled = false;
      }
    },
  },
    h('h1', { id: 'reset-title' }, 'Set a new password'),
    fromLink ? null : token.el,
    pass.el,
    again.el,
    err,
    askAgain,
    submit,
  );
  root.append(form);
  (fromLink ? pass : token).input.focus();
}
