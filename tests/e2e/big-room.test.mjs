// A big room in the browser: party_state lists the first 100 people (docs/realtime.md), the
// people count is the whole room's, and "Show everyone" loads the rest from the REST list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, makeClip, serveFile, rest, registerUser, apiLoggedIn, tmpDir, problems, waitRoomReady,
  screenshot as shot } from './lib.mjs';

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

test('big room: the first hundred people, the whole count, and everyone on request', async () => {
  const host = await registerUser(server.url, 'bighost');
  const created = await rest(server.url, '/api/parties/', {
    method: 'POST', token: host.token,
    body: { title: 'Big room', media_url: files.url, visibility: 'public', max_participants: 200 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const id = created.data.id;
  for (let i = 0; i < 101; i++) {
    const g = await registerUser(server.url, 'crowd');
    const r = await rest(server.url, `/api/parties/${id}/join/`, { method: 'POST', token: g.token });
    assert.equal(r.status, 200, JSON.stringify(r.data));
  }

  const { page } = await apiLoggedIn(browser.browser, server.url, host);
  await page.goto(`/parties/${id}`);
  await waitRoomReady(page);
  await page.waitForFunction(() => document.querySelectorAll('#participants li').length > 0);
  assert.equal(await page.locator('#participants li').count(), 100, 'the state lists the first hundred');
  assert.equal((await page.textContent('#people-count')).trim(), '(1 online / 102)', 'the counts are the room\'s');
  assert.equal(await page.locator(`#participants li[data-user-id="${host.id}"]`).count(), 1, 'the host is listed');
  await shot(page, 'big-room-first-hundred');

  await page.click('#people-all');
  await page.waitForFunction(() => document.querySelectorAll('#participants li').length === 102);
  assert.equal(await page.isHidden('#people-all'), true, 'nothing more to show');
  assert.equal((await page.textContent('#people-count')).trim(), '(1 online / 102)');
  assert.deepEqual(problems(page), []);
});
