// Party polls in the room (issue #17): the host creates a poll from the poll panel, a guest
// (who sees no create form) votes and changes their vote, both pages' bars follow the live
// poll_results, and the host closes the poll: both pages show it closed, with its results
// kept and no vote button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, screenshot as shot } from './lib.mjs';

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

const counts = (page) => page.$$eval('#poll-list section.poll:first-child .poll-count', (els) => els.map((e) => e.textContent.trim()));

test('polls: create, vote, change, live bars, close', async () => {
  const host = await registerUser(server.url, 'hana');
  const guest = await registerUser(server.url, 'gus');
  const created = await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Poll night', media_url: files.url } });
  const partyId = created.data.id;
  assert.equal((await rest(server.url, `/api/parties/${partyId}/join/`, { method: 'POST', token: guest.token })).status, 200);
  const H = await apiLoggedIn(browser.browser, server.url, host);
  const G = await apiLoggedIn(browser.browser, server.url, guest);
  const [a, b] = [H.page, G.page];
  await a.goto(`/parties/${partyId}`);
  await b.goto(`/parties/${partyId}`);
  await waitRoomReady(a);
  await waitRoomReady(b);

  await a.waitForSelector('#poll-form', { state: 'visible' });
  assert.equal(await b.isHidden('#poll-form'), true, 'a participant has no create form');
  await a.fill('#poll-question', 'Snack?');
  await a.fill('#poll-options', 'Popcorn\nNachos\nNothing');
  await a.click('#poll-create');
  await b.waitForSelector('#poll-list section.poll h3:has-text("Snack?")');

  await b.check('#poll-list section.poll:first-child input[aria-label="Nachos"]');
  await b.click('#poll-list section.poll:first-child .poll-vote');
  await a.waitForFunction(() => document.querySelector('#poll-list section.poll .poll-state')?.textContent.includes('1 vote'));
  assert.deepEqual(await counts(a), ['0 (0%)', '1 (100%)', '0 (0%)']);
  await b.waitForSelector('#poll-list section.poll:first-child .poll-vote:has-text("Change vote")');
  await b.check('#poll-list section.poll:first-child input[aria-label="Popcorn"]');
  await b.click('#poll-list section.poll:first-child .poll-vote');
  await a.waitForFunction(() => document.querySelector('#poll-list section.poll .poll-count')?.textContent.startsWith('1 '));
  assert.deepEqual(await counts(a), ['1 (100%)', '0 (0%)', '0 (0%)'], 'the host\'s bars follow the change live');
  const width = await a.$eval('#poll-list section.poll .poll-bar', (e) => e.style.width);
  assert.equal(width, '100%');
  await shot(a, 'poll-open');

  assert.equal(await b.isHidden('#poll-list section.poll:first-child .poll-close'), true, 'a participant cannot close');
  await a.click('#poll-list section.poll:first-child .poll-close');
  for (const p of [a, b]) {
    await p.waitForSelector('#poll-list section.poll.closed');
    assert.equal(await p.isHidden('#poll-list section.poll.closed .poll-vote'), true);
    assert.deepEqual(await counts(p), ['1 (100%)', '0 (0%)', '0 (0%)'], 'closed results are kept');
  }
  await shot(b, 'poll-closed');
  assert.deepEqual(problems(a), [], 'host page problems');
  assert.deepEqual(problems(b), [], 'guest page problems');
  await H.context.close();
  await G.context.close();
});
