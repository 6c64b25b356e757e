// Notifications in the browser (#15): user B invites user A to a party from the room, A's
// bell counts it live (no reload) and its dropdown lists it; clicking the notification
// opens the party and the count goes down. Then the notifications page and the
// preferences page: a type's email turned off is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, waitRoomReady, screenshot } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 4));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

const bellCount = (page) => page.evaluate(() => {
  const c = document.querySelector('#notifications-count');
  return c && !c.hidden ? parseInt(c.textContent, 10) : 0;
});

test("B invites A to a party, A's bell updates live; clicking the notification opens the party", async () => {
  const ann = await registerUser(server.url, 'ann');
  const bob = await registerUser(server.url, 'bob');
  const created = await rest(server.url, '/api/parties/', { method: 'POST', token: bob.token, body: { title: 'Bob premiere', visibility: 'private', media_url: files.url } });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const partyId = created.data.id;

  const A = await apiLoggedIn(browser.browser, server.url, ann);
  const a = A.page;
  await a.goto('/parties');
  await a.waitForFunction(() => window.__wpUser?.connected());
  assert.equal(await bellCount(a), 0);

  // B invites A from the room's invite panel
  const B = await apiLoggedIn(browser.browser, server.url, bob);
  const b = B.page;
  await b.goto(`/parties/${partyId}`);
  await waitRoomReady(b);
  await b.click('#invite-panel summary');
  await b.fill('#invite-search', ann.username.slice(0, 6));
  const inviteBtn = b.locator(`button.invite-user[aria-label="Invite ${ann.username}"]`);
  await inviteBtn.waitFor();
  await inviteBtn.click();

  // A's bell counts it without a reload, and the dropdown lists it
  await a.waitForFunction(() => document.querySelector('#notifications-count')?.textContent.startsWith('1'));
  await a.click('#notifications-button');
  const item = a.locator('#notifications-dropdown a', { hasText: `${bob.username} invited you to a party` });
  await item.waitFor();
  assert.match(await item.textContent(), /Bob premiere/);
  await screenshot(a, 'notifications-bell');

  // clicking it opens the party and marks it read
  await item.click();
  await a.waitForURL(`**/parties/${partyId}`);
  await a.waitForFunction(() => document.querySelector('#notifications-count')?.hidden === true);
  const list = await rest(server.url, '/api/notifications/', { token: ann.token });
  assert.equal(list.data.results[0].is_read, true);
  await A.context.close();
  await B.context.close();
});

test('the notifications page lists and deletes; the preferences page saves a channel', async () => {
  const ann = await registerUser(server.url, 'ann');
  const cat = await registerUser(server.url, 'cat');
  const r = await rest(server.url, '/api/social/friend-requests/', { method: 'POST', token: cat.token, body: { user_id: ann.id } });
  assert.equal(r.status, 201);
  const A = await apiLoggedIn(browser.browser, server.url, ann, { width: 375, height: 740 });
  const a = A.page;
  await a.goto('/notifications');
  const row = a.locator('#notifications-list li', { hasText: `${cat.username} sent you a friend request` });
  await row.waitFor();
  const { sw, iw } = await a.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `the page is ${sw} px wide on a ${iw} px screen`);
  await row.locator('button', { hasText: 'Mark read' }).click();
  await a.waitForFunction(() => document.querySelector('#notifications-count')?.hidden === true);
  await row.locator('button', { hasText: 'Delete' }).click();
  await a.waitForFunction(() => document.querySelector('#notifications-list')?.children.length === 0);

  await a.goto('/settings/notifications');
  const box = a.locator('#pref-friend_request-email');
  await box.waitFor();
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  await a.selectOption('#notifications-digest', 'daily');
  await a.click('#notification-settings-form button[type=submit]');
  // Read only once the save is done: a read racing the PATCH could see the old state.
  await a.waitForSelector('.toast:text("Notification settings saved")');
  const prefs = (await rest(server.url, '/api/notifications/preferences/', { token: ann.token })).data;
  assert.equal(prefs.digest_mode, 'daily');
  const fr = prefs.types.find((t) => t.notification_type === 'friend_request');
  assert.equal(fr.channels.email, false);
  assert.equal(fr.channels.in_app, true);
  await A.context.close();
});
