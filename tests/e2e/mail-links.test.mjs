// The links of the server's mails open pages of the client: the password reset mail's
// /reset-password?token=… and the verification mail's /verify-email?token=…. The server
// sends real mail (mail_mode = smtp) to a local sink; the tests read it and follow the link,
// on a phone-sized window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, registerUser, rest, uiLogin, problems, freePort } from './lib.mjs';
import { startSmtpSink, mailLink } from './smtp-sink.mjs';

const RESET_SUBJECT = 'Reset your watchparty password';
const VERIFY_SUBJECT = 'Verify your watchparty email';
const PHONE = { width: 375, height: 740 };

let server, browser, sink;
before(async () => {
  sink = await startSmtpSink();
  const port = await freePort();
  server = await startServer({
    port,
    args: ['--mail-mode', 'smtp', '--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--public-url', `http://127.0.0.1:${port}`],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

const email = (u) => `${u.username}@example.com`;
// The error line under a field (forms.ts: the input's id + "-error") and aria-invalid.
async function errorUnder(page, name) {
  return page.evaluate((n) => {
    const input = document.querySelector(`input[name=${n}]`);
    const err = document.getElementById(`${input.id}-error`);
    return { text: err.hidden ? '' : err.textContent, invalid: input.getAttribute('aria-invalid') === 'true' };
  }, name);
}

async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test('forgot password: the mailed link sets a new password, which then logs in', async () => {
  const u = await registerUser(server.url, 'forgot');
  const { context, page } = await newPage(browser.browser, server.url, PHONE);

  await page.goto('/login');
  await page.click('text=Forgot password?');
  await page.waitForURL('**/forgot-password');
  await page.getByLabel('Email').fill(email(u));
  await page.click('form button[type=submit]');
  await page.waitForSelector('.notice:not([hidden])');
  assert.match(await page.textContent('.notice'), new RegExp(`If an account uses ${email(u)}`));
  assert.equal(await page.inputValue('input[name=email]'), email(u), 'the address stays in the field');
  assert.ok(await fitsWidth(page), 'the forgot-password page fits 375 px');

  const mail = await sink.waitFor({ to: email(u), subject: RESET_SUBJECT });
  const href = mailLink(mail);
  assert.match(href, new RegExp(`^${server.url}/reset-password\\?token=[^&\\s]+$`));
  await page.goto(href);
  await page.waitForSelector('h1:text("Set a new password")');
  assert.equal(await page.isVisible('input[name=token]'), false, 'the token comes with the link');
  assert.ok(await fitsWidth(page), 'the reset page fits 375 px');

  // two different passwords: said under the second field, nothing sent
  await page.getByLabel('New password', { exact: true }).fill('Brand-new-pass-1');
  await page.getByLabel('New password again').fill('Brand-new-pass-2');
  await page.click('form button[type=submit]');
  assert.deepEqual(await errorUnder(page, 'new_password_again'), { text: 'The two passwords differ.', invalid: true });

  // a password the server refuses: its field error under the field, what was typed kept
  await page.getByLabel('New password', { exact: true }).fill('12345678');
  await page.getByLabel('New password again').fill('12345678');
  await page.click('form button[type=submit]');
  await page.waitForSelector('input[name=new_password][aria-invalid=true]');
  const refused = await errorUnder(page, 'new_password');
  assert.ok(refused.invalid && refused.text.length > 0, JSON.stringify(refused));
  assert.equal((await errorUnder(page, 'new_password_again')).text, '');
  assert.equal(await page.inputValue('input[name=new_password]'), '12345678');
  assert.equal(await page.inputValue('input[name=new_password_again]'), '12345678');

  // the refusal did not use up the token: a good password is taken, then the login page
  const next = 'Fresh-Correct-Horse-9';
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('New password again').fill(next);
  await page.click('form button[type=submit]');
  await page.waitForURL('**/login');
  await page.waitForSelector('.toast:text("Your password is changed")');

  const old = await rest(server.url, '/api/auth/login/', { method: 'POST', body: { username: u.username, password: u.password } });
  assert.equal(old.status, 401, 'the old password no longer works');
  await uiLogin(page, { username: u.username, password: next });
  await page.waitForSelector('.who');
  assert.equal(await page.textContent('.who'), u.username);

  // the link works once
  await page.goto(href);
  await page.getByLabel('New password', { exact: true }).fill('Another-good-pass-7');
  await page.getByLabel('New password again').fill('Another-good-pass-7');
  await page.click('form button[type=submit]');
  await page.waitForSelector('p.error:not([hidden])');
  assert.match(await page.textContent('p.error'), /invalid, used or expired/);
  assert.ok(await page.isVisible('a:text("Ask for a new link")'));

  assert.deepEqual(problems(page, [/^400 \/api\/auth\/reset-password\/$/]), []);
  await context.close();
});

test('verification mail: its link confirms the address', async () => {
  const u = await registerUser(server.url, 'verify');
  const profile = async () => (await rest(server.url, '/api/auth/profile/', { token: u.token })).data;
  assert.equal((await profile()).email_verified, false);

  const mail = await sink.waitFor({ to: email(u), subject: VERIFY_SUBJECT });
  const href = mailLink(mail);
  assert.match(href, new RegExp(`^${server.url}/verify-email\\?token=[^&\\s]+$`));

  const { context, page } = await newPage(browser.browser, server.url, PHONE);
  await page.goto(href);
  await page.waitForSelector('h1:text("Confirm your email address")');
  assert.equal((await profile()).email_verified, false, 'opening the link alone confirms nothing');
  assert.ok(await fitsWidth(page), 'the verify page fits 375 px');
  await page.click('button:text("Confirm my email address")');
  await page.waitForSelector('h1:text("Email address confirmed")');
  assert.equal((await profile()).email_verified, true);

  // a used token is refused with the server's words
  await page.goto(href);
  await page.click('button:text("Confirm my email address")');
  await page.waitForSelector('p.error:not([hidden])');
  assert.match(await page.textContent('p.error'), /invalid, used or expired/);

  // opened without a token (e.g. typed), the token from the mail can be pasted
  await page.goto('/verify-email');
  assert.ok(await page.getByLabel('Token from the mail').isVisible());
  await page.getByLabel('Token from the mail').fill('not-a-token');
  await page.click('button:text("Confirm my email address")');
  await page.waitForSelector('input[name=token][aria-invalid=true]');
  const bad = await errorUnder(page, 'token');
  assert.ok(bad.invalid && /invalid, used or expired/.test(bad.text), JSON.stringify(bad));
  assert.equal(await page.inputValue('input[name=token]'), 'not-a-token');

  assert.deepEqual(problems(page, [/^400 \/api\/auth\/verify-email\/$/]), []);
  await context.close();
});
