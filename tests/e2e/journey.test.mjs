// The full journey through the UI: register, upload a clip, create a party, a second
// user joins by room code on a phone-sized page, chat both ways with the typing indicator
// (sent from the keyboard), react, play with the keyboard shortcut, moderate (one action
// from the keyboard), chat history after a rejoin and older messages on demand, log in
// with the 2FA step, log out. With WP_E2E_SCREENSHOTS=<dir>, saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, makeClip, rest, registerUser, uiLogin, uiLogout, tmpDir, problems, sleep, totp, screenshot } from './lib.mjs';

let server, browser, work;
const shot = (page, name, fullPage = false) => screenshot(page, name, { fullPage });

before(async () => {
  work = tmpDir();
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Presses Tab (from the start of the page) until `isTarget` holds for the focused element. */
async function tabTo(page, isTarget, arg, max = 80) {
  await page.evaluate(() => document.activeElement?.blur?.());
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(isTarget, arg)) return;
  }
  throw new Error(`not reachable with Tab: ${isTarget}`);
}

/** Nothing wider than the screen: no sideways scrolling on a phone. */
async function assertNoHorizontalOverflow(page) {
  const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `page is ${sw} px wide on a ${iw} px screen`);
}

test('journey: register, upload, create a party, join by code on a phone, chat and react from the keyboard, moderate, chat history', async (t) => {
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
  const videoTitle = `Clip ${name}`;
  await t.test('upload a clip with progress and wait for processing', async () => {
    await a.click('text=My videos');
    await a.setInputFiles('input[type=file]', clip);
    await a.fill('#upload-form input[name=title]', videoTitle);
    await a.click('#upload-form button[type=submit]');
    await a.waitForFunction(() => Number(document.querySelector('#upload-progress')?.value) >= 100, null, { timeout: 60000 });
    await a.waitForSelector(`#video-list .video-item:has-text("${videoTitle}") .badge.ready`, { timeout: 120000 });
    await shot(a, 'videos');
  });

  // create a party from the home page form
  await a.goto('/');
  await a.waitForSelector('#create-form');
  await a.fill('#create-form input[name=title]', 'Friday movie');
  await a.selectOption('#create-form select[name=source]', 'video');
  await a.selectOption('#create-form select[name=video_id]', { label: videoTitle });
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
  // the phone-sized page: no sideways scrolling, the player's button and the chat at hand
  await assertNoHorizontalOverflow(b);
  assert.ok(await b.isVisible('#btn-play'), 'play button visible on the phone');
  assert.ok(await b.isVisible('#chat-input'), 'chat input visible on the phone');

  // chat both ways, with the typing indicator
  await a.fill('#chat-input', 'hello bob');
  await a.press('#chat-input', 'Enter');
  await b.waitForSelector('#chat-log li:has-text("hello bob")');
  // from the keyboard alone: Tab to the chat input, type, Enter sends
  await tabTo(b, () => document.activeElement?.id === 'chat-input');
  await b.keyboard.type('hi ann', { delay: 30 });
  await a.waitForFunction((u) => document.querySelector('#typing').textContent.includes(u), bob.username);
  await b.keyboard.press('Enter');
  await a.waitForSelector('#chat-log li:has-text("hi ann")');
  assert.equal(await b.inputValue('#chat-input'), '', 'the input is cleared once sent');
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
  // the host uses the documented shortcut (k, shown in the keys hint): play, pause, play
  assert.match(await a.textContent('#keys-hint'), /k.*play/);
  await a.evaluate(() => document.activeElement?.blur?.());
  for (const want of ['playing', 'paused', 'playing']) {
    await a.keyboard.press('k');
    // the host's page must hold the new state too before its next k toggles it
    for (const p of [b, a]) await p.waitForFunction((s) => window.__wp.playback.status === s, want);
  }
  await sleep(1500);
  await a.click('button[aria-label="React 👍"]');
  await b.click('button[aria-label="React ❤️"]');
  await shot(a, 'party-room-desktop');

  // moderation: promote, mute (chat refused), unmute, kick
  const row = `#participants li:has-text("${bob.username}")`;
  await a.click(`${row} button:has-text("Promote")`);
  await b.waitForSelector(`#participants li:has-text("${bob.username}") .badge.role-moderator`);
  await a.click(`${row} button:has-text("Demote")`);
  // mute from the keyboard: Tab to the button in bob's row, Enter
  await tabTo(a, (u) => document.activeElement?.closest(`li[data-user-id="${u}"]`) && document.activeElement.textContent === 'Mute', bob.id);
  await a.keyboard.press('Enter');
  await b.waitForSelector(`#participants li:has-text("${bob.username}") .muted-badge`);
  // the list is redrawn, and the keyboard focus stays on that button (now Unmute)
  await a.waitForFunction((u) => document.activeElement?.closest(`li[data-user-id="${u}"]`) && document.activeElement.textContent === 'Unmute', bob.id);
  await b.fill('#chat-input', 'can I talk?');
  await b.press('#chat-input', 'Enter');
  await b.waitForSelector('.toast.error');
  await a.keyboard.press('Enter');
  await b.waitForFunction((u) => !document.querySelector(`#participants li[data-user-id="${u}"] .muted-badge`), bob.id);
  // error toasts stay a while (10 s): dismissed with their button, for a clean screenshot
  for (const x of await b.$$('.toast-close')) await x.click().catch(() => {});
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
  // back in the room, the chat from before is there
  for (const m of ['hello bob', 'hi ann', 'slowly now']) await b.waitForSelector(`#chat-log li:has-text("${m}")`);

  // more than the 50 recent messages: a fresh page shows the last 50, and "Load older
  // messages" brings back the earlier ones, above them
  for (let i = 1; i <= 55; i++) {
    const r = await rest(server.url, `/api/parties/${partyId}/chat/`, { method: 'POST', token, body: { content: `history ${String(i).padStart(2, '0')}` } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  await b.reload();
  await b.waitForFunction(() => window.__wp && window.__wp.connected);
  await b.waitForSelector('#chat-log li:has-text("history 55")');
  assert.equal(await b.locator('#chat-log li').count(), 50);
  assert.equal(await b.locator('#chat-log li:has-text("hello bob")').count(), 0);
  assert.ok(await b.isVisible('#chat-older'), 'the load-older button is shown');
  await b.click('#chat-older');
  await b.waitForSelector('#chat-log li:has-text("hello bob")');
  const order = await b.evaluate(() => [...document.querySelectorAll('#chat-log li .content')].map((e) => e.textContent));
  assert.ok(order.indexOf('hello bob') < order.indexOf('history 01') && order.indexOf('history 01') < order.indexOf('history 55'), order.join(' | '));
  const ids = await b.evaluate(() => [...document.querySelectorAll('#chat-log li')].map((li) => li.dataset.id));
  assert.equal(new Set(ids).size, ids.length, 'no message shown twice');

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
  await uiLogout(a);
  await a.waitForURL('**/login');
  assert.equal(await a.evaluate(() => localStorage.getItem('wp_refresh_token')), null);

  assert.deepEqual(problems(a), [], 'host page errors');
  assert.deepEqual(problems(b, [/^403 \/api\/parties\/[0-9a-f-]+\/$/]), [], 'guest page errors');
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
  // The verify's step is spent (replay protection); the next step's code is within the
  // server's one-step window and later than the spent one.
  await page.fill('input[name=code]', totp(setup.data.secret, Date.now() + 30000));
  await page.click('form button[type=submit]');
  await page.waitForURL((x) => x.pathname === '/');
  assert.equal(await page.textContent('.who'), u.username);
  assert.deepEqual(problems(page), []);
  await context.close();
});
