// The account pages in a real browser: two-factor authentication set up from the
// security page, then a login with a code and one with a recovery code; a session
// ended from the sessions page logs that other browser out; the email address changed
// through the real mail (SMTP sink). Users log in through the API where the login form
// is not what is tested. With WP_E2E_SCREENSHOTS=<dir>, saves screenshots of the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, registerUser, rest, problems, freePort, apiLoggedIn, totp, axeSerious, screenshot as shot } from './lib.mjs';
import { startSmtpSink, mailLink } from './smtp-sink.mjs';

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

async function uiPassword(page, u) {
  await page.goto('/login');
  await page.fill('input[name=username]', u.username);
  await page.fill('input[name=password]', u.password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('h1:text("Two-factor authentication")');
}

test('2FA: set up on the security page, then log in with a code, then with a recovery code', async () => {
  const u = await registerUser(server.url, 'tfa');
  const { context, page } = await apiLoggedIn(browser.browser, server.url, u);
  await page.goto('/settings/security');
  await page.click('#twofa-start');
  await page.waitForSelector('img.qr');
  assert.match(await page.getAttribute('img.qr', 'src'), /^data:image\/svg\+xml/);
  const secret = (await page.textContent('#twofa-secret')).trim();
  assert.match(secret, /^[A-Z2-7]+=*$/);
  assert.match(await page.getAttribute('a[href^="otpauth://"]', 'href'), new RegExp(`secret=${secret}`));
  await shot(page, 'settings-2fa-setup');
  assert.deepEqual(await axeSerious(page), [], 'axe on the setup step');

  // a wrong code: said under the field, the setup stays
  await page.fill('#twofa-confirm-form input[name=code]', '000000' === totp(secret) ? '111111' : '000000');
  await page.click('#twofa-confirm-form button[type=submit]');
  await page.waitForSelector('#twofa-confirm-form input[name=code][aria-invalid=true]');

  // The server accepts the codes of one step either side and each step once: the page
  // confirms with this step's code, the login below uses the next step's.
  const now = Date.now();
  await page.fill('#twofa-confirm-form input[name=code]', totp(secret, now));
  await page.click('#twofa-confirm-form button[type=submit]');
  await page.waitForSelector('#recovery-codes');
  const codes = (await page.$$eval('ol.codes code', (xs) => xs.map((x) => x.textContent.trim())));
  assert.equal(codes.length, 10);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-codes')]);
  assert.equal(readFileSync(await download.path(), 'utf8'), codes.join('\n') + '\n');
  await shot(page, 'settings-2fa-recovery-codes');
  assert.deepEqual(await axeSerious(page), [], 'axe on the recovery codes');
  await page.click('#codes-done');
  assert.equal((await page.textContent('#twofa-status')).trim(), 'on');
  assert.deepEqual(await axeSerious(page), [], 'axe on the disable form');
  // shown once: a reload shows the status, not the codes
  await page.reload();
  await page.waitForSelector('#twofa-status');
  assert.equal(await page.locator('#recovery-codes').count(), 0);
  assert.deepEqual(problems(page, [/^400 \/api\/auth\/2fa\/verify\/$/]), []);
  await context.close();

  // log in with the next step's code
  const A = await newPage(browser.browser, server.url);
  await uiPassword(A.page, u);
  await A.page.fill('input[name=code]', totp(secret, now + 30000));
  await A.page.click('form button[type=submit]');
  await A.page.waitForURL((x) => x.pathname === '/');
  assert.equal(await A.page.textContent('.who'), u.username);
  assert.deepEqual(problems(A.page), []);
  await A.context.close();

  // log in with a recovery code, on a phone
  const B = await newPage(browser.browser, server.url, PHONE);
  await uiPassword(B.page, u);
  await B.page.fill('input[name=code]', codes[3]);
  await B.page.click('form button[type=submit]');
  await B.page.waitForURL((x) => x.pathname === '/');
  assert.equal(await B.page.textContent('.who'), u.username);
  await B.page.goto('/settings/login-history');
  await B.page.waitForSelector('#login-history li');
  assert.match(await B.page.textContent('#login-history'), /Logged in with a recovery code/);
  await shot(B.page, 'settings-login-history-phone');
  // a used recovery code does not work twice
  const again = await rest(server.url, '/api/auth/login/', { method: 'POST', body: { username: u.username, password: u.password } });
  const reuse = await rest(server.url, '/api/auth/2fa/login/', { method: 'POST', body: { challenge_token: again.data.challenge_token, recovery_code: codes[3] } });
  assert.equal(reuse.status, 401);
  assert.deepEqual(problems(B.page), []);
  await B.context.close();
});

test('ending another session from the sessions page logs that browser out', async () => {
  const u = await registerUser(server.url, 'sess');
  const other = await apiLoggedIn(browser.browser, server.url, u, PHONE);
  await other.page.goto('/settings/profile');
  await other.page.waitForSelector('#profile-form');
  const me = await apiLoggedIn(browser.browser, server.url, u);
  await me.page.goto('/settings/sessions');
  // the registration's session, the other browser's and this one
  await me.page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 3);
  assert.equal(await me.page.locator('#sessions li:has(.badge:text("this device")) button').count(), 0, 'this session has no button');
  await shot(me.page, 'settings-sessions');
  const otherSession = await other.page.evaluate(async () => {
    const rt = localStorage.getItem('wp_refresh_token');
    return rt ? 'present' : 'missing';
  });
  assert.equal(otherSession, 'present');

  // End every session but this one, one at a time, from the keyboard.
  for (let left = 2; left > 0; left--) {
    const button = me.page.locator('#sessions li button').first();
    await button.focus();
    await me.page.keyboard.press('Enter');
    await me.page.waitForFunction((n) => document.querySelectorAll('#sessions li').length === n, left);
  }
  // The other browser finds out at its next request, and lands on the login page.
  await other.page.click('#menu-toggle');
  await shot(other.page, 'menu-phone');
  await other.page.click('#nav-sections a:text("My videos")');
  await other.page.waitForURL('**/login');
  assert.equal(await other.page.evaluate(() => localStorage.getItem('wp_refresh_token')), null);
  assert.deepEqual(problems(me.page), []);
  assert.deepEqual(problems(other.page, [/^401 /]), []);
  await other.context.close();
  await me.context.close();
});

test('"log out all other sessions" keeps only this one', async () => {
  const u = await registerUser(server.url, 'all');
  const other = await apiLoggedIn(browser.browser, server.url, u);
  const me = await apiLoggedIn(browser.browser, server.url, u);
  await me.page.goto('/settings/sessions');
  await me.page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 3);
  await me.page.click('#revoke-others');
  await me.page.waitForSelector('.toast:text("2 other sessions logged out")');
  await me.page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
  await other.page.goto('/settings/profile');
  await other.page.waitForURL('**/login');
  await other.context.close();
  await me.context.close();
});

test('change the email address through the mailed link; a taken address is said under the field', async () => {
  const u = await registerUser(server.url, 'mail');
  const taken = await registerUser(server.url, 'taken');
  const { context, page } = await apiLoggedIn(browser.browser, server.url, u, PHONE);
  await page.goto('/settings/account');
  await page.waitForSelector('#change-email-form');
  assert.equal((await page.textContent('#current-email')).trim(), `${u.username}@example.com`);
  assert.equal((await page.textContent('#email-verified')).trim(), 'not verified');

  // taken: 409 with the field error under the input, what was typed kept
  await page.fill('#change-email-form input[name=new_email]', `${taken.username}@example.com`);
  await page.fill('#change-email-form input[name=password]', u.password);
  await page.click('#change-email-form button[type=submit]');
  await page.waitForSelector('#change-email-form input[name=new_email][aria-invalid=true]');
  assert.match(await page.textContent('#change-email-form .field-error:not([hidden])'), /already exists/);
  assert.equal(await page.inputValue('#change-email-form input[name=new_email]'), `${taken.username}@example.com`);

  const fresh = `${u.username}.new@example.com`;
  await page.fill('#change-email-form input[name=new_email]', fresh);
  await page.click('#change-email-form button[type=submit]');
  await page.waitForSelector('#change-email-form .notice:not([hidden])');
  assert.match(await page.textContent('#change-email-form .notice'), new RegExp(fresh.replace(/\./g, '\\.')));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375));
  await shot(page, 'settings-account-phone');

  const notice = await sink.waitFor({ to: `${u.username}@example.com`, subject: 'Your watchparty email is about to change' });
  assert.match(notice.text, new RegExp(fresh.replace(/\./g, '\\.')));
  const mail = await sink.waitFor({ to: fresh, subject: 'Confirm your new watchparty email' });
  await page.goto(mailLink(mail));
  await page.click('form button[type=submit]');
  await page.waitForSelector('h1:text("Email address confirmed")');

  await page.goto('/settings/account');
  await page.waitForSelector('#change-email-form');
  assert.equal((await page.textContent('#current-email')).trim(), fresh);
  assert.equal((await page.textContent('#email-verified')).trim(), 'verified');
  assert.deepEqual(problems(page, [/^409 \/api\/auth\/change-email\/$/]), []);
  await context.close();
});

test('profile and privacy: saved, shown again after a reload; a bad value is said under its field', async () => {
  const u = await registerUser(server.url, 'prof');
  const { context, page } = await apiLoggedIn(browser.browser, server.url, u);
  await page.goto('/settings/profile');
  await page.waitForSelector('#profile-form');
  await page.fill('#profile-form input[name=first_name]', 'Ada');
  await page.fill('#profile-form textarea[name=bio]', 'Films on Fridays.');
  await page.fill('#profile-form input[name=country]', 'de');
  await page.selectOption('#profile-form select[name=timezone]', 'Europe/Berlin');
  await page.fill('#profile-form input[name=phone]', 'call me');
  await page.click('#profile-form button[type=submit]');
  await page.waitForSelector('#profile-form input[name=phone][aria-invalid=true]');
  assert.equal(await page.inputValue('#profile-form textarea[name=bio]'), 'Films on Fridays.');
  await page.fill('#profile-form input[name=phone]', '+4915112345678');
  await page.click('#profile-form button[type=submit]');
  await page.waitForSelector('.toast:text("Profile saved")');

  await page.setInputFiles('#avatar-form input[type=file]', {
    name: 'a.png', mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
  });
  assert.match(await page.getAttribute('img.avatar-preview', 'src'), /^blob:/, 'the chosen image is previewed before upload');
  await page.click('#avatar-form button[type=submit]');
  await page.waitForSelector('.toast:text("Avatar changed")');
  await shot(page, 'settings-profile');

  await page.reload();
  await page.waitForSelector('#profile-form');
  assert.equal(await page.inputValue('#profile-form input[name=first_name]'), 'Ada');
  assert.equal(await page.inputValue('#profile-form input[name=country]'), 'DE');
  assert.equal(await page.inputValue('#profile-form select[name=timezone]'), 'Europe/Berlin');
  assert.match(await page.getAttribute('img.avatar-preview', 'src'), /\/api\/users\/.+\/avatar\//);

  await page.goto('/settings/privacy');
  await page.waitForSelector('#privacy-form');
  await page.selectOption('#privacy-form select[name=profile_visibility]', 'private');
  await page.check('#privacy-show_email');
  await page.click('#privacy-form button[type=submit]');
  await page.waitForSelector('.toast:text("Privacy settings saved")');
  const p = await rest(server.url, '/api/users/me/profile/', { token: u.token });
  assert.equal(p.data.privacy_settings.profile_visibility, 'private');
  assert.equal(p.data.privacy_settings.show_email, true);
  assert.deepEqual(problems(page, [/^400 \/api\/users\/me\/profile\/$/]), []);
  await context.close();
});
