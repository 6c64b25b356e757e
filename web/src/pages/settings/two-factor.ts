// /settings/security: two-factor authentication. Setting it up shows the server's QR
// code and the secret, asks for one code to confirm, then shows the recovery codes once
// (copy, download). Turning it off asks for a code and the password.
import { me } from '../../api';
import { setupTwoFactor, confirmTwoFactor, disableTwoFactor, reloadUser, type TwoFactorSetup } from '../../account';
import { h, clear } from '../../ui';
import { toast, toastError } from '../../toast';
import { textField, errorBox, onSubmit } from '../../forms';
import { section } from './layout';

const codeAttrs = { name: 'code', autocomplete: 'one-time-code', required: true, spellcheck: 'false', maxLength: 32 };

function qrImage(svg: string) {
  // As an image, the server's SVG cannot run anything in the page.
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return h('img', { class: 'qr', src, alt: 'QR code for your authenticator app', width: 200, height: 200 });
}

function copyText(text: string, done: string) {
  if (navigator.clipboard?.writeText) {
    navigator.clipboard.writeText(text).then(() => toast(done), (e) => toastError(e, 'Copying failed'));
  } else toast('Copying is not available here: select the codes instead.', 'error');
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function recoveryCodes(codes: string[], finish: () => void) {
  const text = codes.join('\n') + '\n';
  return h('div', { id: 'recovery-codes' },
    h('p', { class: 'notice', role: 'status' }, 'Two-factor authentication is on.'),
    h('p', null, 'Keep these recovery codes somewhere safe. Each one logs you in once when you cannot use your app. ',
      h('strong', null, 'They are shown only now.')),
    h('ol', { class: 'codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', null, h('code', null, c)))),
    h('div', { class: 'inline' },
      h('button', { type: 'button', id: 'copy-codes', onclick: () => copyText(text, 'Recovery codes copied') }, 'Copy'),
      h('button', { type: 'button', id: 'download-codes', onclick: () => download('watchparty-recovery-codes.txt', text) }, 'Download'),
      h('button', { type: 'button', class: 'primary', id: 'codes-done', onclick: finish }, 'I have saved them')));
}

function setupStep(s: TwoFactorSetup, area: HTMLElement, redraw: () => void) {
  const code = textField('Code from the app', codeAttrs, 'The 6 digits the app shows now');
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Turn on');
  const form = h('form', { id: 'twofa-confirm-form' }, code.el, box, submit);
  onSubmit(form, {
    fields: { code },
    box,
    submit,
    action: () => confirmTwoFactor(code.input.value.trim()),
    done: async (r) => {
      await reloadUser().catch(() => undefined);
      clear(area, recoveryCodes(r.recovery_codes, redraw));
      area.querySelector<HTMLElement>('#recovery-codes p')?.focus();
    },
  });
  clear(area,
    h('p', null, 'Scan this code with an authenticator app, or add the secret by hand:'),
    h('div', { class: 'qr-box' }, qrImage(s.qr_code_svg),
      h('div', null,
        h('p', null, 'Secret: ', h('code', { id: 'twofa-secret', class: 'secret' }, s.secret)),
        h('p', null, h('a', { href: s.otpauth_uri }, 'Open in an authenticator app on this device')))),
    h('p', null, 'Then enter the code it shows to confirm.'),
    form);
  code.input.focus();
}

function offView(area: HTMLElement, redraw: () => void) {
  const start = h('button', { type: 'button', class: 'primary', id: 'twofa-start' }, 'Set up two-factor authentication');
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      setupStep(await setupTwoFactor(), area, redraw);
    } catch (e) {
      toastError(e, 'Setup failed');
      start.disabled = false;
    }
  });
  clear(area,
    h('p', null, 'Status: ', h('span', { class: 'badge', id: 'twofa-status' }, 'off')),
    h('p', { class: 'muted' }, 'With two-factor authentication a login also asks for a code from an app on your phone.'),
    start);
}

function onView(area: HTMLElement, redraw: () => void) {
  const code = textField('Code from the app, or a recovery code', codeAttrs);
  const password = textField('Your password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'danger' }, 'Turn off');
  const form = h('form', { id: 'twofa-disable-form' }, code.el, password.el, box, submit);
  onSubmit(form, {
    fields: { code, password },
    box,
    submit,
    action: () => disableTwoFactor(code.input.value.trim(), password.input.value),
    done: async () => {
      await reloadUser().catch(() => undefined);
      toast('Two-factor authentication is off');
      redraw();
    },
  });
  clear(area,
    h('p', null, 'Status: ', h('span', { class: 'badge ready', id: 'twofa-status' }, 'on')),
    h('h3', null, 'Turn it off'),
    form);
}

export function twoFactorPage(content: HTMLElement) {
  content.append(h('h1', null, 'Two-factor authentication'));
  const area = h('div', { id: 'twofa' });
  const redraw = () => (me()?.two_factor_enabled ? onView : offView)(area, redraw);
  redraw();
  content.append(section('Authenticator app', 'twofa-section', area));
}
