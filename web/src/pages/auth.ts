// Log in (with the second step for 2FA accounts) and register, on the forms pattern:
// each field's error under it, the rest above the button, what was typed kept.
import { ApiError, login, login2fa, register } from '../api';
import { h } from '../ui';
import { afterLogin, link } from '../nav';
import { textField, errorBox, onSubmit } from '../forms';
import { keepAppealToken } from './appeal';

export function loginPage(root: HTMLElement) {
  const username = textField('Username or email', { name: 'username', autocomplete: 'username', required: true });
  const password = textField('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  // A suspended or banned account: the refusal carries a token to appeal with.
  const appeal = h('p', { id: 'login-appeal', hidden: true }, link('/appeal', 'See why, and appeal'));
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in'),
    username.el,
    password.el,
    box,
    appeal,
    submit,
    h('p', { class: 'muted' }, link('/forgot-password', 'Forgot password?')),
    h('p', { class: 'muted' }, 'No account yet? ', link('/register', 'Register')),
  );
  onSubmit(form, {
    fields: { username, password },
    box,
    submit,
    action: () => {
      appeal.hidden = true;
      return login(username.input.value.trim(), password.input.value);
    },
    failed: (e) => {
      if (!(e instanceof ApiError) || !e.details.appeal_token) return;
      keepAppealToken(e.details.appeal_token);
      appeal.hidden = false;
    },
    done: (r) => {
      if (r.challenge) root.replaceChildren(twoFactorForm(r.challenge));
      else afterLogin();
    },
  });
  root.append(form);
  username.input.focus();
}

function twoFactorForm(challenge: string) {
  const code = textField('Code', { name: 'code', autocomplete: 'one-time-code', required: true, spellcheck: 'false' },
    'The 6-digit code from your authenticator app, or one of your recovery codes');
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Verify');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'twofa-title' },
    h('h1', { id: 'twofa-title' }, 'Two-factor authentication'),
    code.el,
    box,
    submit,
    h('p', { class: 'muted' }, link('/login', 'Start again')),
  );
  // The server answers a bad code with one message and no field: it belongs under the code.
  onSubmit(form, {
    fields: { code, recovery_code: code },
    box,
    submit,
    action: () => login2fa(challenge, code.input.value),
    done: afterLogin,
  });
  setTimeout(() => code.input.focus());
  return form;
}

export function registerPage(root: HTMLElement) {
  const username = textField('Username', { name: 'username', autocomplete: 'username', required: true, minLength: 3, maxLength: 30, pattern: '[A-Za-z0-9_.\\-]+' },
    '3–30 letters, digits, _ . -');
  const email = textField('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = textField('Password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8 },
    'At least 8 characters, not only digits');
  const first_name = textField('First name', { name: 'first_name', autocomplete: 'given-name', maxLength: 150 });
  const last_name = textField('Last name', { name: 'last_name', autocomplete: 'family-name', maxLength: 150 });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Register');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'register-title' },
    h('h1', { id: 'register-title' }, 'Create an account'),
    username.el,
    email.el,
    password.el,
    h('div', { class: 'row2' }, first_name.el, last_name.el),
    box,
    submit,
    h('p', { class: 'muted' }, 'Already registered? ', link('/login', 'Log in')),
  );
  onSubmit(form, {
    fields: { username, email, password, first_name, last_name },
    box,
    submit,
    action: () => register({
      username: username.input.value.trim(), email: email.input.value.trim(), password: password.input.value,
      first_name: first_name.input.value, last_name: last_name.input.value,
    }),
    done: afterLogin,
  });
  root.append(form);
  username.input.focus();
}
