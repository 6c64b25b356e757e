// Join requests through the UI (parties with require_approval): the host ticks "Require
// approval" when creating the party; a guest joining by room code waits (no socket) until
// the host approves from the room's request list with the keyboard, then enters the room
// and is listed; a guest coming by link is turned down, is told so (the waiting page polls the
// read-only join-request/), and coming back files no new request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, makeClip, serveFile, rest, registerUser, uiLogin, tmpDir, problems, waitRoomReady, screenshot as shot } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 10));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

const WAITING = 'Waiting for the host to approve you';

test('approval: the host lets a guest in from the room, declines another', async (t) => {
  const host = await registerUser(server.url, 'hana');
  const A = await newPage(browser.browser, server.url);
  const a = A.page;
  await uiLogin(a, host);
  await a.waitForSelector('#create-form');
  await a.fill('#create-form input[name=title]', 'Members only');
  await a.selectOption('#create-form select[name=source]', 'url');
  await a.fill('#create-form input[name=media_url]', files.url);
  await a.check('#create-form input[name=require_approval]');
  await a.click('#create-form button[type=submit]');
  await a.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
  const partyId = a.url().split('/').pop();
  await waitRoomReady(a);
  const code = (await a.textContent('#room-code')).trim();
  const party = await rest(server.url, `/api/parties/${partyId}/`, { token: host.token });
  assert.equal(party.data.settings.require_approval, true, 'the form sends settings.require_approval');
  assert.equal(await a.isHidden('#join-requests'), true, 'no request box without requests');

  await t.test('a guest joining by code waits, the host approves from the keyboard, the guest enters', async () => {
    const bob = await registerUser(server.url, 'bob');
    const B = await newPage(browser.browser, server.url, { width: 390, height: 844 });
    const b = B.page;
    await uiLogin(b, bob);
    await b.fill('#join-form input[name=code]', code);
    await b.click('#join-form button[type=submit]');
    // The 202 answer names the party: the guest waits on its page and can withdraw there.
    await b.waitForURL(`**/parties/${partyId}`);
    await b.waitForSelector(`#approval-wait h1:has-text("${WAITING}")`);
    assert.equal(await b.isVisible('#approval-cancel'), true, 'a request made by code can be withdrawn');
    assert.equal(await b.evaluate(() => !!window.__wp), false, 'no room (and no socket) while waiting');
    await shot(b, 'approval-waiting');
    const pending = await rest(server.url, `/api/parties/${partyId}/participants/?status=pending`, { token: host.token });
    assert.deepEqual(pending.data.results.map((p) => p.user.id), [bob.id]);

    const approve = a.locator(`#join-requests li[data-user-id="${bob.id}"] button[data-slot="approve"]`);
    await approve.waitFor({ state: 'visible', timeout: 10000 });
    await shot(a, 'approval-request');
    await approve.focus();
    await a.keyboard.press('Enter');

    await b.waitForURL(`**/parties/${partyId}`, { timeout: 15000 });
    await waitRoomReady(b);
    await a.waitForSelector(`#participants li.online[data-user-id="${bob.id}"]`);
    await b.waitForSelector(`#participants li[data-user-id="${bob.id}"]:has-text("(you)")`);
    assert.equal(await a.isHidden('#join-requests'), true, 'the request is gone once approved');
    assert.deepEqual(problems(b), [], 'approved guest page problems');
    await B.context.close();
  });

  await t.test('a guest coming by link is declined and told so; no request is left behind', async () => {
    const cleo = await registerUser(server.url, 'cleo');
    const C = await newPage(browser.browser, server.url);
    const c = C.page;
    await uiLogin(c, cleo);
    await c.goto(`/parties/${partyId}`);
    await c.waitForSelector(`#approval-wait h1:has-text("${WAITING}")`);
    const reject = a.locator(`#join-requests li[data-user-id="${cleo.id}"] button[data-slot="reject"]`);
    await reject.waitFor({ state: 'visible', timeout: 10000 });
    await reject.click();
    await c.waitForSelector('#approval-rejected', { timeout: 15000 });
    assert.match(await c.textContent('#approval-wait h1'), /declined/);
    await shot(c, 'approval-declined');
    // Polling never asked again: the server keeps the answer and nothing is pending.
    const state = await rest(server.url, `/api/parties/${partyId}/join-request/`, { token: cleo.token });
    assert.equal(state.data.status, 'rejected');
    const left = await rest(server.url, `/api/parties/${partyId}/participants/?status=pending`, { token: host.token });
    assert.equal(left.data.count, 0, 'no pending request left');
    await a.waitForSelector('#join-requests', { state: 'hidden', timeout: 5000 });
    // Coming back is told at once, and files nothing the host would hear of.
    await c.reload();
    await c.waitForSelector('#approval-rejected', { timeout: 15000 });
    assert.equal(await a.isHidden('#join-requests'), true, 'no new request after the reload');
    const again = await rest(server.url, `/api/parties/${partyId}/participants/?status=pending`, { token: host.token });
    assert.equal(again.data.count, 0, 'the reload filed no request');
    const members = await rest(server.url, `/api/parties/${partyId}/participants/`, { token: host.token });
    assert.ok(!members.data.results.some((p) => p.user.id === cleo.id), 'the declined guest is not a participant');
    assert.equal(await c.evaluate(() => !!window.__wp), false);
    // The reload's join/ is answered 403 (declined): expected, and what tells the page.
    assert.deepEqual(problems(c, [new RegExp(`^403 /api/parties/${partyId}/join/$`)]), [], 'declined guest page problems');
    await C.context.close();
  });

  assert.deepEqual(problems(a), [], 'host page problems');
});
