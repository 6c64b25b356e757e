// The social graph in the browser (#13), two users in two browser contexts, one server.
// Friends: a request sent from the Friends page appears live on the other's page, is
// accepted there and moves to both friends lists; both see the other's online dot, which
// follows a tab closing and coming back. Then one blocks the other from the profile: the
// blocked one no longer finds them in people search nor in the party room's invite search.
// Groups: a private group made from the Groups page, a request to join, the admin approves
// it live on the group's page, and the new member sees the members and the party the
// admin starts from the group's page.
// Both log in through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, sleep, watchPage, screenshot } from './lib.mjs';

const PHONE = { width: 375, height: 740 };
let server, browser, files;
const shot = (page, name) => screenshot(page, name, { fullPage: true });

before(async () => {
  // A short presence debounce: a closed tab shows offline to friends within the test.
  server = await startServer({ args: ['--user-presence-debounce-ms', '300'] });
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 4));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

const userSocketOpen = (page) => page.waitForFunction(() => window.__wpUser?.connected());
const listStatus = (page, list, text) => page.waitForFunction(([l, t]) => document.querySelector(`#${l}`)?.parentElement.querySelector('[role=status]')?.textContent === t, [list, text]);
const dot = (page, list, userId, state) => page.locator(`#${list} li[data-user-id="${userId}"] .presence[aria-label=${state}]`).waitFor();
const fitsWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('friends: a request appears live and is accepted, both see each other online; a block hides them from search and invitations', async () => {
  const ann = await registerUser(server.url, 'ann');
  const bob = await registerUser(server.url, 'bob');
  const A = await apiLoggedIn(browser.browser, server.url, ann);
  const B = await apiLoggedIn(browser.browser, server.url, bob, PHONE);
  const a = A.page;
  let b = B.page;
  await a.goto('/friends');
  await b.goto('/friends');
  await Promise.all([userSocketOpen(a), userSocketOpen(b)]);
  await listStatus(b, 'incoming-requests', 'No requests right now.');

  // ann finds bob and asks; bob's page shows the request without a reload, and the count
  await a.fill('#friend-search', bob.username);
  await a.click(`button[aria-label="Add friend ${bob.username}"]`);
  await a.locator(`#outgoing-requests li[data-user-id="${bob.id}"]`).waitFor();
  const request = b.locator(`#incoming-requests li[data-user-id="${ann.id}"]`);
  await request.waitFor();
  await b.waitForFunction(() => document.querySelector('#friends-count')?.textContent.startsWith('1'));
  assert.ok(await fitsWidth(b), 'the Friends page fits 375 px');

  // bob accepts: the request moves to the friends list on both sides, each online
  await b.click(`button[aria-label="Accept ${ann.username}'s friend request"]`);
  await dot(b, 'friends-list', ann.id, 'online');
  await dot(a, 'friends-list', bob.id, 'online');
  await listStatus(a, 'outgoing-requests', 'No request waiting for an answer.');
  await b.waitForFunction(() => document.querySelector('#friends-count')?.hidden === true);

  // the dot follows presence: bob's tab closes (offline after the debounce) and comes back
  await b.close();
  await dot(a, 'friends-list', bob.id, 'offline');
  b = await B.context.newPage();
  watchPage(b);
  await b.goto('/friends');
  await dot(a, 'friends-list', bob.id, 'online');
  await dot(b, 'friends-list', ann.id, 'online');
  assert.equal(await a.textContent(".user-search button.add-friend"), 'Requested');
  await a.fill('#friend-search', '');
  await shot(a, 'friends');

  // ann blocks bob from his profile (asked once more, in place)
  await a.goto(`/users/${bob.id}`);
  await a.locator('#social-actions button.unfriend').waitFor();
  await a.click('#social-actions button.block');
  await a.click('#social-actions button.confirm-block');
  await a.locator('#profile-blocked').waitFor();
  // bob's friends list loses ann live (friend_removed)
  await listStatus(b, 'friends-list', 'No friends yet: find people above.');

  // bob cannot find ann in people search ...
  await b.goto(`/people?search=${ann.username}`);
  await listStatus(b, 'people-list', `Nobody matches “${ann.username}”.`);
  // ... nor invite her from his party's room
  const party = await rest(server.url, '/api/parties/', { method: 'POST', token: bob.token, body: { title: 'Bob night', visibility: 'private', media_url: files.url } });
  assert.equal(party.status, 201, JSON.stringify(party.data));
  await b.goto(`/parties/${party.data.id}`);
  await b.click('#invite-panel summary');
  await b.fill('#invite-search', ann.username);
  await b.waitForFunction(() => document.querySelector('#invite-panel .user-list')?.textContent === 'Nobody found.');
  const invite = await rest(server.url, `/api/parties/${party.data.id}/invite/`, { method: 'POST', token: bob.token, body: { user_ids: [ann.id] } });
  assert.equal(invite.status, 400, 'the API refuses the invitation too');

  // ann's Friends page lists the block, with Unblock
  await a.goto('/friends');
  await a.locator(`#blocks li[data-user-id="${bob.id}"] button.unblock`).waitFor();

  assert.deepEqual(problems(a), []);
  assert.deepEqual(problems(b), []);
  await A.context.close();
  await B.context.close();
});

test('groups: a private group, a request to join approved live by the admin, the member sees the group', async () => {
  const cat = await registerUser(server.url, 'cat');
  const dan = await registerUser(server.url, 'dan');
  const C = await apiLoggedIn(browser.browser, server.url, cat);
  const D = await apiLoggedIn(browser.browser, server.url, dan, PHONE);
  const c = C.page;
  const d = D.page;

  // cat creates a private group from the Groups page and lands on its page, as its admin
  const name = `Night owls ${Math.random().toString(36).slice(2, 6)}`;
  await c.goto('/groups');
  await c.fill('#group-form input[name=name]', name);
  await c.fill('#group-form textarea[name=description]', 'Late films, every Friday.');
  await c.fill('#group-form input[name=category]', 'Films');
  await c.check('#group-private');
  await c.click('#group-form button[type=submit]');
  await c.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
  const groupId = new URL(c.url()).pathname.split('/')[2];
  await c.waitForFunction(() => /an admin/.test(document.querySelector('#group-place')?.textContent || ''));
  await userSocketOpen(c);
  await listStatus(c, 'group-requests', 'No request waiting.');

  // dan asks to join; the members are not his to see yet
  await d.goto(`/groups/${groupId}`);
  await d.click('#group-place button.join');
  await d.waitForFunction(() => /awaits approval/.test(document.querySelector('#group-place')?.textContent || ''));
  assert.equal(await d.locator('#group-members').count(), 0);
  assert.ok(await fitsWidth(d), 'the group page fits 375 px');

  // cat sees the request arrive (group_request) and approves it
  await c.click(`#group-requests button[aria-label="Approve ${dan.username}"]`);
  await c.locator(`#group-members li[data-user-id="${dan.id}"]`).waitFor();
  await listStatus(c, 'group-requests', 'No request waiting.');
  await c.waitForFunction(() => document.querySelector('#member-count')?.textContent === '2 members');
  await shot(c, 'group');

  // dan is a member now: the members (cat the admin) and the parties are his to see
  await d.reload();
  await d.waitForFunction(() => /a member/.test(document.querySelector('#group-place')?.textContent || ''));
  await d.locator(`#group-members li[data-user-id="${cat.id}"] .badge.role-admin`).waitFor();
  await listStatus(d, 'group-parties', 'No party in this group yet.');

  // cat starts a party in the group from its page; dan finds it under the group
  await c.click('.group-new-party summary');
  await c.fill('#create-form input[name=title]', 'Owls night');
  await c.selectOption('#create-form select[name=source]', 'url');
  await c.fill('#create-form input[name=media_url]', files.url);
  await c.click('#create-form button[type=submit]');
  await c.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
  const partyId = new URL(c.url()).pathname.split('/')[2];
  assert.equal((await rest(server.url, `/api/parties/${partyId}/`, { token: cat.token })).data.group_id, groupId);
  await d.reload();
  await d.locator(`#group-parties a[href="/parties/${partyId}"]`).waitFor();
  await d.goto('/groups');
  await d.locator(`#my-groups li[data-group-id="${groupId}"]`).waitFor();
  assert.ok(await fitsWidth(d), 'the Groups page fits 375 px');
  await c.goto('/groups');
  await c.locator(`#my-groups li[data-group-id="${groupId}"]`).waitFor();
  await shot(c, 'groups');

  assert.deepEqual(problems(c), []);
  assert.deepEqual(problems(d), []);
  await C.context.close();
  await D.context.close();
});

test('follows: a follow of a private profile waits on its owner’s Friends page, who approves one and rejects another', async () => {
  const eve = await registerUser(server.url, 'eve');
  const fan = await registerUser(server.url, 'fan');
  const pest = await registerUser(server.url, 'pest');
  const r = await rest(server.url, '/api/users/me/profile/', { method: 'PATCH', token: eve.token, body: { privacy_settings: { profile_visibility: 'private' } } });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  for (const u of [fan, pest]) {
    const f = await rest(server.url, '/api/social/follows/', { method: 'POST', token: u.token, body: { user_id: eve.id } });
    assert.equal(f.data.status, 'pending');
  }
  const E = await apiLoggedIn(browser.browser, server.url, eve, PHONE);
  const e = E.page;
  await e.goto('/friends');
  await e.locator(`#follow-requests li[data-user-id="${fan.id}"]`).waitFor();
  await e.click(`button[aria-label="Approve ${fan.username}'s follow request"]`);
  await e.click(`button[aria-label="Reject ${pest.username}'s follow request"]`);
  await listStatus(e, 'follow-requests', 'Nobody is waiting to follow you.');
  assert.ok(await fitsWidth(e), 'the Friends page with follow requests fits 375 px');
  const standing = async (u) => (await rest(server.url, `/api/social/users/${eve.id}/`, { token: u.token })).data.following;
  assert.equal(await standing(fan), 'active');
  assert.equal(await standing(pest), null);
  await shot(e, 'follow-requests-phone');
  assert.deepEqual(problems(e), []);
  await E.context.close();
});

test('groups: the admin edits the group from its page; a member sees no edit form', async () => {
  const ada = await registerUser(server.url, 'ada');
  const max = await registerUser(server.url, 'max');
  const g = (await rest(server.url, '/api/groups/', { method: 'POST', token: ada.token, body: { name: 'Film club', description: 'Old films', category: 'films', is_private: false } })).data;
  assert.equal((await rest(server.url, `/api/groups/${g.id}/join/`, { method: 'POST', token: max.token })).status, 200);
  const A = await apiLoggedIn(browser.browser, server.url, ada, PHONE);
  const a = A.page;
  await a.goto(`/groups/${g.id}`);
  await a.click('summary:has-text("Edit group")');
  await a.fill('#group-form input[name=name]', '');
  await a.click('#group-form button[type=submit]');
  await a.locator('#group-form input[name=name]:invalid').waitFor();  // a name is required: the browser holds the form back
  assert.equal((await rest(server.url, `/api/groups/${g.id}/`, { token: ada.token })).data.name, 'Film club');
  await a.fill('#group-form input[name=name]', 'Silent film club');
  await a.check('#group-private');
  await a.click('#group-form button[type=submit]');
  await a.waitForFunction(() => document.querySelector('#group-name')?.textContent === 'Silent film club');
  assert.ok(await fitsWidth(a), 'the group page with its edit form fits 375 px');
  const after = (await rest(server.url, `/api/groups/${g.id}/`, { token: ada.token })).data;
  assert.equal(after.name, 'Silent film club');
  assert.equal(after.is_private, true);
  assert.equal(after.description, 'Old films');
  const M = await apiLoggedIn(browser.browser, server.url, max);
  await M.page.goto(`/groups/${g.id}`);
  await M.page.locator('#group-name').waitFor();
  assert.equal(await M.page.locator('summary:has-text("Edit group")').count(), 0);
  assert.deepEqual(problems(a), []);
  await A.context.close();
  await M.context.close();
});
