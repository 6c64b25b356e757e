// The full journey through the UI: register, (upload a clip), create a party, a second
// user joins by room code, chat both ways with the typing indicator, react, moderate,
// log in with the 2FA step, log out. With WP_E2E_SCREENSHOTS=<dir>, saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, makeClip, serveFile, rest, registerUser, uiLogin,
  videosAvailable, tmpDir, problems, VIDEOS_MISSING, sleep,
} from './lib.mjs';

let server, browser, files, work;
const shotsDir = process.env.WP_E2E_SCREENSHOTS || '';
async function shot(page, name, fullPage = false) {
  if (!shotsDir) return;
  mkdirSync(shotsDir, { recursive: true });
  await page.evaluate(() => { document.activeElement?.blur?.(); window.scrollTo(0, 0); });
  await sleep(300);
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage });
}

before(async () => {
  work = tmpDir();
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await files?.close();
  await server?.stop();
});

function totp(secretB32, t = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

test('journey: register, upload, create a party, join by code, chat, react, moderate', async (t) => {
  const clip = makeClip(work, 10);
  const A = await newPage(browser.browser, server.url);
  const a = A.page;
  const name = `ann${Math.random().toString(36).slice(2, 7)}`;

  // register through the UI
  await a.goto('/login');
  await shot(a, 'login');
  await a.click('text=Register');
  await a.fill('input[name=username]', name);
  await a.fill('input[name=email]', `${name}@example.com`);
  await a.fill('input[name=password]', 'Corr3ct-horse-battery');
  await a.click('form button[type=submit]');
  await a.waitForURL((u) => u.pathname === '/');
  assert.equal(await a.textContent('.who'), name);

  const token = await a.evaluate(async () => {
    const r = await fetch('/api/auth/refresh/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: localStorage.getItem('wp_refresh_token') }) });
    const j = await r.json();
    localStorage.setItem('wp_refresh_token', j.refresh_token);
    return j.access_token;
  });
  const haveVideos = await videosAvailable(server.url, token);
  let videoTitle = null;
  await t.test('upload a clip with progress and wait for processing', { skip: haveVideos ? false : 'the videos API (issue 5) is not on this server yet: GET /api/videos/ is 404' }, async () => {
    await a.click('text=My videos');
    await a.setInputFiles('input[type=file]', clip);
    videoTitle = `Clip ${name}`;
    await a.fill('#upload-form input[name=title]', videoTitle);
    await a.click('#upload-form button[type=submit]');
    await a.waitForFunction(() => Number(document.querySelector('#upload-progress').value) >= 100, null, { timeout: 60000 });
    await a.waitForSelector(`#video-list .video-item:has-text("${videoTitle}") .badge.ready`, { timeout: 120000 });
    await shot(a, 'videos');
  });

  // create a party from the home page form
  await a.goto('/');
  await a.waitForSelector('#create-form');
  await a.fill('#create-form input[name=title]', 'Friday movie');
  if (videoTitle) {
    await a.selectOption('#create-form select[name=source]', 'video');
    await a.selectOption('#create-form select[name=video_id]', { label: videoTitle });
  } else {
    files = await serveFile(clip);
    await a.selectOption('#create-form select[name=source]', 'url');
    await a.fill('#create-form input[name=media_url]', files.url);
  }
  await a.click('#create-form button[type=submit]');
  await a.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
  const partyId = a.url().split('/').pop();
  await a.waitForFunction(() => window.__wp && window.__wp.connected);
  const code = (await a.textContent('#room-code')).trim();
  assert.match(code, /^[A-Z2-9]{8}$/);

  // a second user joins by room code
  const bob = await registerUser(server.url, 'bob');
  const B = await newPage(browser.browser, server.url, { width: 390, height: 844 });
  const b = B.page;
  await uiLogin(b, bob);
  await b.fill('#join-form input[name=code]', code.toLowerCase());
  await b.click('#join-form button[type=submit]');
  await b.waitForURL(`**/parties/${partyId}`);
  await b.waitForFunction(() => window.__wp && window.__wp.connected);
  await a.waitForSelector(`#participants li:has-text("${bob.username}") .presence`);
  await b.waitForSelector(`#participants li:has-text("${name}") .badge.role-host`);

  // chat both ways, with the typing indicator
  await a.fill('#chat-input', 'hello bob');
  await a.press('#chat-input', 'Enter');
  await b.waitForSelector('#chat-log li:has-text("hello bob")');
  await b.type('#chat-input', 'hi ann', { delay: 30 });
  await a.waitForFunction((u) => document.querySelector('#typing').textContent.includes(u), bob.username);
  await b.click('#chat-send');
  await a.waitForSelector('#chat-log li:has-text("hi ann")');
  await a.waitForFunction(() => document.querySelector('#typing').textContent === '', null, { timeout: 8000 });

  // slow mode: the guest is told, and told how long to wait after a message
  const slow = await rest(server.url, `/api/parties/${partyId}/`, { method: 'PATCH', token, body: { settings: { slow_mode_seconds: 4 } } });
  assert.equal(slow.status, 200, JSON.stringify(slow.data));
  await b.waitForFunction(() => document.querySelector('#slow-note').textContent.includes('Slow mode is on'));
  // "hi ann" was sent less than 4 s ago: the server refuses this one (error slow_mode)
  await b.fill('#chat-input', 'too soon?');
  await b.press('#chat-input', 'Enter');
  await b.waitForSelector('.toast.error:has-text("Slow mode")');
  await b.waitForFunction(() => /send again in \d+ s/.test(document.querySelector('#slow-note').textContent));
  assert.equal(await b.isDisabled('#chat-send'), true);
  await b.waitForFunction(() => !document.querySelector('#chat-send').disabled, null, { timeout: 8000 });
  await b.fill('#chat-input', 'slowly now');
  await b.press('#chat-input', 'Enter');
  await a.waitForSelector('#chat-log li:has-text("slowly now")');
  await b.waitForFunction(() => /send again in \d+ s/.test(document.querySelector('#slow-note').textContent));
  await rest(server.url, `/api/parties/${partyId}/`, { method: 'PATCH', token, body: { settings: { slow_mode_seconds: 0 } } });
  await b.waitForFunction(() => !document.querySelector('#chat-send').disabled, null, { timeout: 8000 });

  // reactions float over the video on the other page
  await b.click('button[aria-label="React 🎉"]');
  await a.waitForSelector('.float-layer .floater:has-text("🎉")');

  // the host plays; the guest cannot and is told why
  assert.match(await b.textContent('#control-note'), /Only the host/);
  await a.click('#btn-play');
  await b.waitForFunction(() => window.__wp.playback.status === 'playing');
  await sleep(1500);
  await a.click('button[aria-label="React 👍"]');
  await b.click('button[aria-label="React ❤️"]');
  await shot(a, 'party-room-desktop');

  // moderation: promote, mute (chat refused), unmute, kick
  const row = `#participants li:has-text("${bob.username}")`;
  await a.click(`${row} button:has-text("Promote")`);
  await b.waitForSelector(`#participants li:has-text("${bob.username}") .badge.role-moderator`);
  await a.click(`${row} button:has-text("Demote")`);
  await a.click(`${row} button:has-text("Mute")`);
  await b.waitForSelector(`#participants li:has-text("${bob.username}") .muted-badge`);
  await b.fill('#chat-input', 'can I talk?');
  await b.press('#chat-input', 'Enter');
  await b.waitForSelector('.toast.error');
  await a.click(`${row} button:has-text("Unmute")`);
  await b.waitForFunction((u) => !document.querySelector(`#participants li[data-user-id="${u}"] .muted-badge`), bob.id);
  await b.waitForFunction(() => !document.querySelector('.toast'), null, { timeout: 8000 });
  await b.click('button[aria-label="React 😂"]');
  await shot(b, 'party-room-phone', true);
  await a.click(`${row} button:has-text("Kick")`);
  await b.waitForFunction(() => document.querySelector('#conn-state').textContent === 'Disconnected');
  // a kicked user may come back, here through the invite link
  await b.goto(`/join/${code}`);
  await b.waitForURL(`**/parties/${partyId}`);
  await b.waitForFunction(() => window.__wp && window.__wp.connected);
  await a.waitForSelector(`#participants li:has-text("${bob.username}").online`);

  // the party list shows the party
  await a.goto('/');
  await a.waitForSelector('#my-parties li:has-text("Friday movie")');
  await a.waitForSelector('#public-parties li:has-text("Friday movie")');
  await shot(a, 'parties');

  // the host ends the party: the guest's page says so and controls and chat are off
  await a.goto(`/parties/${partyId}`);
  await a.waitForFunction(() => window.__wp && window.__wp.connected);
  a.once('dialog', (d) => d.accept());
  await a.click('#end-party');
  await b.waitForFunction(() => document.querySelector('#control-note').textContent.includes('ended'), null, { timeout: 10000 });
  assert.equal(await b.isDisabled('#chat-input'), true);
  await a.goto('/');
  await a.waitForSelector('#my-parties li');
  assert.equal(await a.locator('#my-parties li:has-text("Friday movie")').count(), 0, 'ended parties are not listed');

  // log out
  await a.click('#logout');
  await a.waitForURL('**/login');
  assert.equal(await a.evaluate(() => localStorage.getItem('wp_refresh_token')), null);

  assert.deepEqual(problems(a, [VIDEOS_MISSING]), [], 'host page errors');
  assert.deepEqual(problems(b, [VIDEOS_MISSING, /^403 \/api\/parties\/[0-9a-f-]+\/$/]), [], 'guest page errors');
  await A.context.close();
  await B.context.close();
});

test('login with the two-factor step', async () => {
  const u = await registerUser(server.url, 'tfa');
  const setup = await rest(server.url, '/api/auth/2fa/setup/', { method: 'POST', token: u.token });
  assert.equal(setup.status, 200, JSON.stringify(setup.data));
  const ok = await rest(server.url, '/api/auth/2fa/verify/', { method: 'POST', token: u.token, body: { code: totp(setup.data.secret) } });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
  const { context, page } = await newPage(browser.browser, server.url);
  await page.goto('/login');
  await page.fill('input[name=username]', u.username);
  await page.fill('input[name=password]', u.password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('text=Two-factor authentication');
  await shot(page, 'login-2fa');
  // the code used for verify is spent (replay protection); wait for the next step
  const now = Date.now();
  await sleep(30000 - (now % 30000) + 200);
  await page.fill('input[name=code]', totp(setup.data.secret));
  await page.click('form button[type=submit]');
  await page.waitForURL((x) => x.pathname === '/');
  assert.equal(await page.textContent('.who'), u.username);
  assert.deepEqual(problems(page, [VIDEOS_MISSING]), []);
  await context.close();
});
