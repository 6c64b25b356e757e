// Every page of the client, checked the same way: axe-core finds no serious or critical
// violation, the page does not scroll sideways at 375 px, and every
// control the Tab key reaches shows a visible focus. A new page is one line in PAGES.
// The users log in through the API (not under test here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, newPage, apiLoggedIn, registerUser, rest, problems, makeClip, serveFile, tmpDir, axeSerious, BIN } from './lib.mjs';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

// [path or (fixtures) => path, who is logged in: 'guest' | 'user' | 'staff', selector that shows the page is ready]
const PAGES = [
  ['/login', 'guest', 'form input[name=username]'],
  ['/register', 'guest', 'form input[name=email]'],
  ['/forgot-password', 'guest', 'form input[name=email]'],
  ['/reset-password', 'guest', 'form input[name=new_password]'],
  ['/verify-email', 'guest', 'main h1'],
  ['/no-such-page', 'guest', 'main h1'],
  ['/', 'user', '#my-parties li'],
  [(f) => `/parties/${f.party.id}`, 'user', '#room-code'],
  ['/videos', 'user', '#upload-form'],
  [(f) => `/videos/${f.video.id}`, 'user', '#comments'],
  ['/settings/profile', 'user', '#profile-form'],
  ['/settings/account', 'user', '#change-email-form'],
  ['/settings/privacy', 'user', '#privacy-form'],
  ['/settings/security', 'user', '#twofa-status'],
  ['/settings/sessions', 'user', '#sessions li'],
  ['/settings/devices', 'user', '#mobile-devices li'],
  ['/settings/login-history', 'user', '#login-history li'],
  ['/settings/push', 'user', '#push-targets li'],
  // -- videos, people, party extras, staff (#25)
  ['/videos/browse', 'user', '#browse-list li'],
  ['/videos/browse', 'guest', '#browse-list li'],
  [(f) => `/videos/${f.video.id}`, 'guest', '#comments'],
  ['/people', 'user', '#people-list li'],
  [(f) => `/users/${f.staffId}`, 'user', '#profile-name'],
  ['/invitations', 'user', '#invitations li'],
  [(f) => `/parties/${f.scheduled.id}`, 'user', '#scheduled-banner:not([hidden])'],
  ['/admin/users', 'staff', '#admin-users li'],
  // -- search (#22)
  [(f) => `/search?q=${encodeURIComponent(f.video.title)}`, 'user', '#search-results li'],
  ['/search?q=nothingmatcheshere', 'guest', '#search-results p'],
  ['/search/saved', 'user', '#saved-searches li'],
  ['/admin/search', 'staff', '#search-stats dl'],
  // -- admin area (#19)
  ['/admin', 'staff', '#health-stats'],
  ['/admin/export', 'staff', '#export-submit'],
  ['/admin/broadcast', 'staff', '#broadcast-submit'],
  ['/admin/logs', 'staff', 'main h1'],
  ['/admin/crashes', 'staff', '#crash-groups'],
  // -- social graph and groups (#13): a request from staff, a group of the user's
  ['/friends', 'user', '#incoming-requests li'],
  ['/groups', 'user', '#my-groups li'],
  [(f) => `/groups/${f.group.id}`, 'user', '#group-members li'],
  [(f) => `/users/${f.staffId}`, 'user', '#social-actions button'],
  // -- messaging (#14): a conversation with staff, one message from each side
  ['/messages', 'user', '#conversations li'],
  [(f) => `/messages/${f.conversation.id}`, 'user', '#thread-log li.chat-msg'],
  // -- events (#16): an event of the user's
  ['/events', 'user', '#events-upcoming li'],
  ['/events/new', 'user', '#event-form select[name=timezone]'],
  [(f) => `/events/${f.event.id}`, 'user', '#event-counts'],
  // -- notifications (#15): the friend request from staff is one
  ['/notifications', 'user', '#notifications-list li'],
  ['/settings/notifications', 'user', '#notification-preferences'],
  ['/settings/plans', 'user', '#current-plan'],
  ['/settings/billing', 'user', '#invoices-section'],
  // -- support (#19)
  ['/support', 'user', '#faq-list'],
  ['/support/new', 'user', 'form[aria-label="New ticket"] select[name=category]'],
  ['/admin/tickets', 'staff', '#ticket-summary'],
  // -- moderation (#19): the user's own standing; the staff queue (empty is fine: its status line shows)
  ['/standing', 'user', '#standing-summary'],
  ['/appeal', 'guest', '#appeal-none'],
  ['/admin/moderation', 'staff', '#moderation-queue ~ .plist-status, #moderation-queue li'],
  // -- store (#18): the staff catalog (empty is fine: its status line shows)
  ['/admin/catalog', 'staff', '#catalog-items ~ .plist-status, #catalog-items li'],
  // -- analytics (#20): the uploader's video page, my activity, the staff dashboard (charts drawn, cohorts listed)
  [(f) => `/videos/${f.video.id}/analytics`, 'user', '[data-stat=views] .stat-value'],
  ['/activity', 'user', '[data-stat=active_days]'],
  ['/admin/analytics', 'staff', '#cohorts table, #cohorts p'],
];

let server, browser, clip;
const fixtures = {};
const contexts = {};

/** One browser context per kind of visitor, logged in through the API (the login form is not under test here). */
async function contextFor(who) {
  contexts[who] ??= who === 'guest'
    ? await newPage(browser.browser, server.url, DESKTOP)
    : await apiLoggedIn(browser.browser, server.url, fixtures[who], DESKTOP);
  return contexts[who];
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  fixtures.user = await registerUser(server.url, 'ally');
  const staff = { username: `staff${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  fixtures.staff = staff;
  const token = fixtures.user.token;
  clip = await serveFile(makeClip(tmpDir(), 4));
  const video = await rest(server.url, '/api/videos/', { method: 'POST', token,
    body: { external_url: clip.url, title: 'An external clip', is_public: true } });
  assert.equal(video.status, 201, JSON.stringify(video.data));
  fixtures.video = video.data;
  const party = await rest(server.url, '/api/parties/', { method: 'POST', token,
    body: { title: 'Accessible party', video_id: video.data.id } });
  assert.equal(party.status, 201, JSON.stringify(party.data));
  fixtures.party = party.data;
  // -- videos, people, party extras, staff (#25): a comment, an invitation, a scheduled party
  await rest(server.url, `/api/videos/${video.data.id}/comments/`, { method: 'POST', token, body: { content: 'A comment' } });
  const staffLogin = (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data;
  fixtures.staffId = staffLogin.user.id;
  const invited = await rest(server.url, '/api/parties/', { method: 'POST', token: staffLogin.access_token,
    body: { title: 'Staff screening', visibility: 'private', media_url: clip.url } });
  await rest(server.url, `/api/parties/${invited.data.id}/invite/`, { method: 'POST', token: staffLogin.access_token, body: { user_ids: [fixtures.user.id] } });
  const scheduled = await rest(server.url, '/api/parties/', { method: 'POST', token,
    body: { title: 'Later', media_url: clip.url, scheduled_start: new Date(Date.now() + 3 * 3600_000).toISOString() } });
  assert.equal(scheduled.status, 201, JSON.stringify(scheduled.data));
  fixtures.scheduled = scheduled.data;
  // -- social graph and groups (#13)
  await rest(server.url, '/api/social/friend-requests/', { method: 'POST', token: staffLogin.access_token, body: { user_id: fixtures.user.id } });
  const group = await rest(server.url, '/api/groups/', { method: 'POST', token,
    body: { name: 'Accessible group', description: 'A group to check', category: 'Films', is_private: false } });
  assert.equal(group.status, 201, JSON.stringify(group.data));
  fixtures.group = group.data;
  // -- messaging (#14)
  const conversation = await rest(server.url, '/api/conversations/direct/', { method: 'POST', token, body: { user_id: fixtures.staffId } });
  assert.equal(conversation.status, 201, JSON.stringify(conversation.data));
  fixtures.conversation = conversation.data;
  for (const [t, body] of [[token, 'Hello staff'], [staffLogin.access_token, 'Hello back']]) {
    const m = await rest(server.url, `/api/conversations/${conversation.data.id}/messages/`, { method: 'POST', token: t, body: { client_id: body, body } });
    assert.equal(m.status, 201, JSON.stringify(m.data));
  }
  // -- events (#16)
  const event = await rest(server.url, '/api/events/', { method: 'POST', token, body: { title: 'Accessible event',
    start_time: new Date(Date.now() + 3600_000).toISOString(), end_time: new Date(Date.now() + 7200_000).toISOString() } });
  assert.equal(event.status, 201, JSON.stringify(event.data));
  fixtures.event = event.data;
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await clip?.close();
});

/** Tabs through the page; returns the controls that got the focus without a visible outline or ring. */
async function focusWithoutRing(page, steps = 20) {
  const bad = [];
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
      return { ring, what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.textContent || '').trim().slice(0, 20)}"` };
    });
    if (!r) break;
    if (!r.ring) bad.push(r.what);
  }
  return [...new Set(bad)];
}

async function settle(page, ready) {
  await page.waitForSelector(ready, { state: 'attached', timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector('main[aria-busy], [aria-busy=true]'), null, { timeout: 15000 });
}

for (const [where, who, ready] of PAGES) {
  const label = typeof where === 'string' ? where : where.toString().replace(/^\(f\) => /, '');
  test(`${label} as ${who}: no serious axe violations, fits 375 px, visible focus`, async () => {
    const { page } = await contextFor(who);
    const path = typeof where === 'function' ? where(fixtures) : where;
    page.errors.length = 0;
    await page.setViewportSize(DESKTOP);
    await page.goto(path);
    await settle(page, ready);
    assert.deepEqual(await axeSerious(page), [], `axe on ${path} (desktop)`);
    assert.deepEqual(await focusWithoutRing(page), [], `controls without a visible focus on ${path}`);

    // The layout follows the window: a resize is enough, no second load.
    await page.setViewportSize(PHONE);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${path} is ${width} px wide at 375 px`);
    assert.deepEqual(page.errors, [], `console errors on ${path}`);
  });
}

test('the phone menu: opens from the keyboard, fits 375 px, no serious axe violations while open', async () => {
  const { page } = await contextFor('user');
  await page.setViewportSize(PHONE);
  await page.goto('/settings/profile');
  await settle(page, '#profile-form');
  assert.equal(await page.isVisible('#nav-sections a'), false, 'folded');
  await page.focus('#menu-toggle');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#menu-toggle', 'aria-expanded'), 'true');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'the open menu fits');
  assert.deepEqual(await axeSerious(page), [], 'axe with the menu open');
  // (axe moves the focus while it checks: start from the button again)
  await page.focus('#menu-toggle');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#nav-sections') !== null), true, 'Tab goes into the links');
  await page.keyboard.press('Escape');
  assert.equal(await page.getAttribute('#menu-toggle', 'aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'menu-toggle', 'Escape returns to the button');
  await page.setViewportSize(DESKTOP);
});

test('staff see the staff entries of the user menu, others do not', async () => {
  const { page } = await contextFor('staff');
  await page.setViewportSize(DESKTOP);
  await page.goto('/settings/profile');
  await page.waitForSelector('#profile-form');
  await page.click('#user-menu-button');
  assert.equal(await page.getAttribute('#user-menu-button', 'aria-expanded'), 'true');
  assert.equal(await page.locator('#user-menu a[href="/admin"]').count(), 1);
  await page.keyboard.press('Escape');
  assert.equal(await page.getAttribute('#user-menu-button', 'aria-expanded'), 'false');
  const user = (await contextFor('user')).page;
  await user.goto('/settings/profile');
  await user.waitForSelector('#profile-form');
  assert.equal(await user.locator('#user-menu a[href="/admin"]').count(), 0);
  assert.deepEqual(problems(page), []);
});
