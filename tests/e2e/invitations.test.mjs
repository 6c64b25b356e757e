// Invitations through the UI: the host of a private party finds a guest with the room's
// user search and invites them; the guest, in another browser context, sees the invitation
// in the inbox, accepts and lands in the room, where the host sees them. A second
// invitation is declined and leaves the inbox. Both log in through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, sleep, screenshot as shot } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 6));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

test('invitations: the host invites from the room, the guest accepts from the inbox and lands in the room', async () => {
  const host = await registerUser(server.url, 'hal');
  const guest = await registerUser(server.url, 'gus');
  const created = await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Private screening', visibility: 'private', media_url: files.url } });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const partyId = created.data.id;

  const H = await apiLoggedIn(browser.browser, server.url, host);
  const h = H.page;
  await h.goto(`/parties/${partyId}`);
  await waitRoomReady(h);

  // the guest cannot see the private party yet, and the inbox is empty
  const G = await apiLoggedIn(browser.browser, server.url, guest, { width: 375, height: 740 });
  const g = G.page;
  await g.goto('/invitations');
  await g.waitForFunction(() => document.querySelector('main [role=status]')?.textContent === 'No invitations right now.');

  // invite from the room: open the panel, search by name, press Invite
  await h.click('#invite-panel summary');
  await h.fill('#invite-search', guest.username.slice(0, 6));
  const inviteBtn = h.locator(`button.invite-user[aria-label="Invite ${guest.username}"]`);
  await inviteBtn.waitFor();
  assert.equal(await h.locator('#invite-panel .user-item', { hasText: host.username }).count(), 0, 'the host is not offered to themselves');
  await inviteBtn.click();
  await h.waitForFunction((u) => document.querySelector(`button.invite-user[aria-label="Invite ${u}"]`)?.textContent === 'Invited', guest.username);
  await shot(h, 'party-room-invite');

  // the guest's inbox shows it (a reload: the inbox reads on arrival)
  await g.reload();
  const item = g.locator('li.invitation', { hasText: 'Private screening' });
  await item.waitFor();
  assert.match(await item.textContent(), new RegExp(`from ${host.username}`));
  await shot(g, 'invitations-phone');
  const { sw, iw } = await g.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `the inbox is ${sw} px wide on a ${iw} px screen`);

  // accept: the guest lands in the room and the host sees them
  await item.locator('button.accept').click();
  await g.waitForURL(new RegExp(`/parties/${partyId}$`));
  await waitRoomReady(g);
  await h.waitForFunction((u) => [...document.querySelectorAll('#participants .participant')].some((li) => li.textContent.includes(u)), guest.username);
  const members = await rest(server.url, `/api/parties/${partyId}/participants/`, { token: host.token });
  assert.ok(members.data.results.some((p) => p.user.id === guest.id && p.status === 'active'));
  assert.equal((await rest(server.url, '/api/parties/invitations/', { token: guest.token })).data.count, 0, 'an accepted invitation leaves the inbox');

  // decline: a second party's invitation goes away and nobody joins
  const other = await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Another night', visibility: 'private', media_url: files.url } });
  await rest(server.url, `/api/parties/${other.data.id}/invite/`, { method: 'POST', token: host.token, body: { user_ids: [guest.id] } });
  await g.goto('/invitations');
  const second = g.locator('li.invitation', { hasText: 'Another night' });
  await second.waitFor();
  await second.locator('button.decline').click();
  await g.waitForFunction(() => document.querySelector('main [role=status]')?.textContent === 'No invitations right now.');
  assert.equal((await rest(server.url, `/api/parties/${other.data.id}/`, { token: guest.token })).status, 404, 'declined: the private party stays invisible');

  assert.deepEqual(problems(h), []);
  assert.deepEqual(problems(g, [/^404 \/api\/parties\/[0-9a-f-]+\/$/]), []);
});
