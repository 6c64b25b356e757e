import { login, login2fa, register } from '../api';
import { h, field, errorText } from '../ui';
import { afterLogin, link } from '../nav';

function errorBox() {
  return h('p', { class: 'error', role: 'alert', hidden: true });
}
function showError(box: HTMLElement, e: unknown) {
  box.textContent = errorText(e);
  box.hidden = false;
}

export function loginPage(root: HTMLElement) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h('form', {
    class: 'card narrow',
    'aria-labelledby': 'login-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      err.hidden = true;
      submit.disabled = true;
      try {
        const r = await login(user.value.trim(), pass.value);
        if (r.challenge) root.replaceChildren(twoFactorForm(r.challenge));
        else afterLogin();
      } catch (ex) {
        showError(err, ex);
      } finally {
        submit.disabled = false;
      }
    },
  },
    h('h1', { id: 'login-title' }, 'Log in'),
    field('Username or email', user),
    field('Password', pass),
    err,
    submit,
    h('p', { class: 'muted' }, link('/forgot-password', 'Forgot password?')),
    h('p', { class: 'muted' }, 'No account yet? ', link('/register', 'Register')),
  );
  root.append(form);
  user.focus();
}

function twoFactorForm(challenge: string) {
  const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, autofocus: true });
  const err = errorBox();
  const form = h('form', {
    class: 'card narrow',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      err.hidden = true;
      try {
        await login2fa(challenge, code.value);
        afterLogin();
      } catch (ex) {
        showError(err, ex);
      }
    },
  },
    h('h1', null, 'Two-factor authentication'),
    h('p', null, 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.'),
    field('Code', code),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Verify'),
  );
  setTimeout(() => code.focus());
  return form;
}

export function registerPage(root: HTMLElement) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, minLength: 3, maxLength: 30, pattern: '[A-Za-z0-9_.\\-]+' });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8 });
  const first = h('input', { name: 'first_name', autocomplete: 'given-name' });
  const last = h('input', { name: 'last_name', autocomplete: 'family-name' });
  const err = errorBox();
  const form = h('form', {
    class: 'card narrow',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      err.hidden = true;
      try {
        await register({ username: username.value.trim(), email: email.value.trim(), password: pass.value, first_name: first.value, last_name: last.value });
        afterLogin();
      } catch (ex) {
        showError(err, ex);
      }
    },
  },
    h('h1', null, 'Create an account'),
    field('Username', username, '3–30 letters, digits, _ . -'),
    field('Email', email),
    field('Password', pass, 'At least 8 characters, not only digits'),
    h('div', { class: 'row2' }, field('First name', first), field('Last name', last)),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Register'),
    h('p', { class: 'muted' }, 'Already registered? ', link('/login', 'Log in')),
  );
  root.append(form);
  username.focus();
}
