// Messaging in the browser (#14): ann on node A and bob on node B (two servers on one
// PostgreSQL database and Redis; without WP_PG_URL and WP_REDIS_URL that half is skipped,
// and the same story runs on one SQLite node). ann starts the conversation from bob's
// profile; messages, typing, a reaction, an edit, a deletion and an attachment reach the
// other side live. bob drops off the network twice: once in the thread (what arrived
// meanwhile appears on reconnect, in order, exactly once) and once on the list (the
// unread count and the badge are right, the thread opens on a "New messages" line).
// The unread counts are checked on both sides throughout. Also: a long thread loaded by
// scrolling up, and a group whose title changes and which removes a member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  startServer, startTwoNodes, twoNodesSkip, launchBrowser, apiLoggedIn, rest, registerUser, tmpDir, problems, cutNetwork, screenshot, sleep,
} from './lib.mjs';

let browser;
const servers = [];
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

/** A small PNG made by ffmpeg (libmagic must see an image; the server thumbnails it). */
function makePng() {
  const out = join(tmpDir(), 'dot.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x48', '-frames:v', '1', out]);
  return out;
}

const userSocketOpen = (page) => page.waitForFunction(() => window.__wpUser?.connected());
const bodies = (page) => page.$$eval('#thread-log li.chat-msg:not(.system):not(.deleted) .msg-body', (els) => els.map((e) => e.textContent));
const badge = (page) => page.evaluate(() => { const b = document.querySelector('#messages-count'); return b && !b.hidden ? parseInt(b.textContent, 10) : 0; });
const waitBadge = (page, n) => page.waitForFunction((want) => {
  const b = document.querySelector('#messages-count');
  return want === 0 ? !!b && b.hidden : !!b && !b.hidden && parseInt(b.textContent, 10) === want;
}, n);
const listUnread = (page, cid, n) => page.waitForFunction(([id, want]) => {
  const li = document.querySelector(`#conversations li[data-conversation-id="${id}"]`);
  if (!li) return false;
  const c = li.querySelector('.conv-unread');
  return want === 0 ? !c : !!c && parseInt(c.textContent, 10) === want;
}, [cid, n]);
const waitBodies = (page, want) => page.waitForFunction((w) => {
  const got = [...document.querySelectorAll('#thread-log li.chat-msg:not(.system):not(.deleted) .msg-body')].map((e) => e.textContent);
  return JSON.stringify(got) === JSON.stringify(w);
}, want, { timeout: 15000 }).catch(async (e) => { throw new Error(`thread shows ${JSON.stringify(await bodies(page))}, expected ${JSON.stringify(want)}`, { cause: e }); });

async function send(page, text) {
  await page.fill('#composer-body', text);
  await page.press('#composer-body', 'Enter');
  await page.waitForFunction((t) => [...document.querySelectorAll('#thread-log .msg-body')].some((e) => e.textContent === t), text)
    .catch(async (e) => {
      // What the page shows then: the composer's text and error, the thread's status and its last lines.
      const seen = await page.evaluate(() => ({
        composer: document.querySelector('#composer-body')?.value,
        busy: document.querySelector('#composer')?.getAttribute('aria-busy'),
        error: [...document.querySelectorAll('#composer [role=alert]:not([hidden])')].map((x) => x.textContent),
        status: document.querySelector('.thread [role=status]')?.textContent,
        last: [...document.querySelectorAll('#thread-log .msg-body')].slice(-3).map((x) => x.textContent),
      }));
      throw new Error(`"${text}" never showed in the thread: ${JSON.stringify(seen)}`, { cause: e });
    });
}

async function offline(ctx, page, whileAway) {
  await cutNetwork(page, async () => {
    await ctx.setOffline(true);
    await page.evaluate(() => window.__wpUser.drop()); // an offline emulation may leave an open socket be
    await page.waitForFunction(() => !window.__wpUser.connected());
    await whileAway();
    await ctx.setOffline(false);
    await page.waitForFunction(() => window.__wpUser.connected(), null, { timeout: 20000 });
  });
}

async function story(nodeA, nodeB) {
  const ann = await registerUser(nodeA.url, 'ann');
  const bob = await registerUser(nodeB.url, 'bob');
  const A = await apiLoggedIn(browser.browser, nodeA.url, ann);
  const B = await apiLoggedIn(browser.browser, nodeB.url, bob);
  const a = A.page;
  const b = B.page;
  const sendRest = async (body) => {
    const r = await rest(nodeA.url, `/api/conversations/${cid}/messages/`, { method: 'POST', token: ann.token, body: { client_id: `r-${body}`, body } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  };

  // bob waits on his (empty) Messages page; ann starts from his profile
  await b.goto('/messages');
  await userSocketOpen(b);
  await b.waitForFunction(() => /No conversations yet/.test(document.querySelector('.conv-list-wrap [role=status]')?.textContent || ''));
  await a.goto(`/users/${bob.id}`);
  await a.click(`#social-actions button[aria-label="Message ${bob.username}"]`);
  await a.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  const cid = new URL(a.url()).pathname.split('/')[2];
  await userSocketOpen(a);
  await a.locator('#composer-body').waitFor();

  // a message, live: bob's list gets the conversation with 1 unread, and the badge
  await send(a, 'hello bob');
  await listUnread(b, cid, 1);
  await waitBadge(b, 1);
  assert.equal(await badge(a), 0, 'my own message is not unread');

  // bob opens it: the line before the unread message, the counts go to 0
  await b.click(`#conversations li[data-conversation-id="${cid}"] a`);
  await waitBodies(b, ['hello bob']);
  assert.equal(await b.$eval('#new-messages', (s) => s.nextElementSibling.querySelector('.msg-body').textContent), 'hello bob');
  await waitBadge(b, 0);
  await listUnread(b, cid, 0);
  await a.waitForFunction(() => document.querySelector('#thread-log .receipts:not([hidden])')?.textContent.startsWith('Seen by'));

  // typing, ended by the message; a reply; ann is looking, so nothing is unread for her
  // (one typing event per 3 s: ann types on until bob sees it; her first message sent one)
  const seesTyping = () => b.evaluate((n) => document.querySelector('#typing')?.textContent === `${n} is typing…`, ann.username);
  for (let i = 0; i < 25 && !(await seesTyping()); i++) {
    await a.type('#composer-body', 'w');
    await sleep(250);
  }
  assert.ok(await seesTyping(), 'bob sees ann typing');
  await send(a, 'how are you');
  await waitBodies(b, ['hello bob', 'how are you']);
  assert.equal(await b.textContent('#typing'), '', 'the typing line ends with the message');
  await send(b, 'hi ann');
  await waitBodies(a, ['hello bob', 'how are you', 'hi ann']);
  await listUnread(a, cid, 0);
  assert.equal(await badge(a), 0);

  // a reaction, an edit and a deletion reach bob
  const msg = (page, text) => page.locator('#thread-log li.chat-msg', { has: page.locator('.msg-body', { hasText: new RegExp(`^${text}$`) }) });
  await msg(a, 'hi ann').locator('.react-pick summary').click();
  await msg(a, 'hi ann').locator('button[aria-label="React 👍"]').click();
  await b.waitForFunction(() => [...document.querySelectorAll('#thread-log .msg-reactions button')].some((x) => x.textContent === '👍 1'));
  await send(a, 'a typo');
  await msg(a, 'a typo').locator('button.edit').click();
  await a.fill('#thread-log .msg-edit textarea', 'no typo');
  await a.click('#thread-log .msg-edit button[type=submit]');
  await b.waitForFunction(() => [...document.querySelectorAll('#thread-log li.chat-msg')].some((li) => li.querySelector('.msg-body')?.textContent === 'no typo' && li.querySelector('.edited')));
  await send(a, 'to be deleted');
  await msg(a, 'to be deleted').locator('button.delete').click();
  await a.click('#thread-log button.confirm-delete');
  await b.waitForFunction(() => [...document.querySelectorAll('#thread-log li.deleted .msg-body')].some((e) => e.textContent === 'This message was deleted.'));
  await waitBodies(b, ['hello bob', 'how are you', 'hi ann', 'no typo']);

  // an attachment with its progress, then sent: bob sees it
  await a.setInputFiles('#composer-files', makePng());
  await a.locator('#composer-uploads li.uploaded').waitFor();
  assert.equal(await a.getAttribute('#composer-uploads progress', 'value'), '100');
  await a.fill('#composer-body', 'a picture');
  await a.press('#composer-body', 'Enter');
  await b.locator('#thread-log button[aria-label="Download dot.png"]').waitFor();
  await b.waitForFunction(() => document.querySelector('#thread-log img.msg-thumb')?.naturalWidth > 0);
  await screenshot(b, 'messages-thread');

  // bob drops off in the thread; five arrive meanwhile; on reconnect they show in order, once
  const shown = ['hello bob', 'how are you', 'hi ann', 'no typo', 'a picture'];
  await waitBodies(b, shown);
  const away = ['one', 'two', 'three', 'four', 'five'];
  await offline(B.context, b, async () => { for (const t of away) await sendRest(t); });
  await waitBodies(b, [...shown, ...away]);
  await waitBadge(b, 0);
  await a.waitForFunction(() => [...document.querySelectorAll('#thread-log li.chat-msg')].at(-1)?.querySelector('.receipts')?.textContent.startsWith('Seen by'));

  // bob drops off on the list; three arrive: his count and badge say 3, ann's say 0
  await b.goto('/messages');
  await userSocketOpen(b);
  await listUnread(b, cid, 0);
  const later = ['six', 'seven', 'eight'];
  await offline(B.context, b, async () => { for (const t of later) await sendRest(t); });
  await listUnread(b, cid, 3);
  await waitBadge(b, 3);
  await screenshot(b, 'messages-unread');
  assert.equal(await badge(a), 0);
  await b.click(`#conversations li[data-conversation-id="${cid}"] a`);
  await waitBodies(b, [...shown, ...away, ...later]);
  assert.equal(await b.$eval('#new-messages', (s) => s.nextElementSibling.querySelector('.msg-body').textContent), 'six');
  await screenshot(b, 'messages-new-line');
  await waitBadge(b, 0);

  // ann on her list while bob writes twice: her count and badge say 2, then 0 once she opens it
  await a.goto('/messages');
  await userSocketOpen(a);
  await send(b, 'nine');
  await send(b, 'ten');
  await listUnread(a, cid, 2);
  await waitBadge(a, 2);
  await a.click(`#conversations li[data-conversation-id="${cid}"] a`);
  await waitBodies(a, [...shown, ...away, ...later, 'nine', 'ten']);
  await waitBadge(a, 0);
  await listUnread(a, cid, 0);
  const state = await rest(nodeB.url, `/api/conversations/${cid}/`, { token: bob.token });
  assert.equal(state.data.unread_count, 0, 'bob has read everything');
  assert.equal((await rest(nodeA.url, '/api/conversations/unread/', { token: ann.token })).data.total, 0);

  assert.deepEqual(problems(a), []);
  assert.deepEqual(problems(b), []);
  await A.context.close();
  await B.context.close();
}

test('a long thread: the newest 50 first, older ones as the reader scrolls up, in order', async () => {
  const node = await startServer({ args: ['--message-send-limit', '1000'] });
  servers.push(node);
  const ann = await registerUser(node.url, 'ann');
  const bob = await registerUser(node.url, 'bob');
  const c = await rest(node.url, '/api/conversations/direct/', { method: 'POST', token: ann.token, body: { user_id: bob.id } });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  const texts = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`);
  for (const t of texts) {
    const r = await rest(node.url, `/api/conversations/${c.data.id}/messages/`, { method: 'POST', token: ann.token, body: { client_id: t, body: t } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  const B = await apiLoggedIn(browser.browser, node.url, bob, { width: 375, height: 740 });
  const b = B.page;
  await b.goto(`/messages/${c.data.id}`);
  await waitBodies(b, texts.slice(70));
  // 120 unread: the line sits before the first one loaded only once it is loaded
  assert.equal(await b.locator('#new-messages').count(), 0);
  for (const loaded of [20, 0]) {
    await b.$eval('.thread-scroll', (el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await waitBodies(b, texts.slice(loaded));
  }
  assert.equal(await b.isVisible('#load-older'), false, 'nothing older is left');
  assert.equal(await b.$eval('#new-messages', (s) => s.nextElementSibling.querySelector('.msg-body').textContent), 'line 1');
  assert.ok(await b.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the thread fits 375 px');
  await waitBadge(b, 0);
  // bob hides his read receipts: ann's copy of the conversation no longer says how far he read
  await b.goto('/messages');
  await b.locator('#show-read-receipts:not([disabled])').waitFor();
  assert.equal(await b.isChecked('#show-read-receipts'), true);
  await b.click('#show-read-receipts');
  await b.locator('.toast', { hasText: 'Your read receipts are hidden' }).waitFor();
  const seen = await rest(node.url, `/api/conversations/${c.data.id}/`, { token: ann.token });
  assert.equal(seen.data.members.find((m) => m.id === bob.id).last_read_seq, null);
  assert.deepEqual(problems(b), []);
  await B.context.close();
});

test('a group made on the Messages page: a new title reaches the open thread, a removed member is told and loses it', async () => {
  const node = await startServer();
  servers.push(node);
  const [ann, bob, cat] = [await registerUser(node.url, 'ann'), await registerUser(node.url, 'bob'), await registerUser(node.url, 'cat')];
  // ann makes the group on her Messages page
  const A = await apiLoggedIn(browser.browser, node.url, ann);
  const a = A.page;
  await a.goto('/messages');
  await a.click('.new-conversation summary:text-is("New group")');
  await a.fill('#group-title', 'Film club');
  for (const u of [bob, cat]) {
    await a.fill('#group-people', u.username);
    await a.click(`#new-group-form button[aria-label="Add ${u.username}"]`);
  }
  await a.click('#new-group-form button[type=submit]');
  await a.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  const g = { data: { id: new URL(a.url()).pathname.split('/')[2] } };
  await a.waitForFunction(() => document.querySelector('#thread-title')?.textContent === 'Film club');
  assert.deepEqual(problems(a), []);
  await A.context.close();
  const C = await apiLoggedIn(browser.browser, node.url, cat);
  const c = C.page;
  await c.goto(`/messages/${g.data.id}`);
  await userSocketOpen(c);
  assert.equal(await c.textContent('#thread-title'), 'Film club');
  const rename = await rest(node.url, `/api/conversations/${g.data.id}/`, { method: 'PATCH', token: ann.token, body: { title: 'Film club 2' } });
  assert.equal(rename.status, 200, JSON.stringify(rename.data));
  await c.waitForFunction(() => document.querySelector('#thread-title')?.textContent === 'Film club 2');
  await c.waitForFunction(() => /named the conversation “Film club 2”/.test(document.querySelector('#thread-log li.system')?.textContent || ''));
  await c.locator(`#conversations li[data-conversation-id="${g.data.id}"]`).waitFor();
  const removed = await rest(node.url, `/api/conversations/${g.data.id}/members/${cat.id}/`, { method: 'DELETE', token: ann.token });
  assert.equal(removed.status, 200, JSON.stringify(removed.data));
  await c.locator('.thread .notice', { hasText: 'You are no longer in this conversation.' }).waitFor();
  await c.locator(`#conversations li[data-conversation-id="${g.data.id}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(problems(c, [/^404 \/api\/conversations\//]), []);
  await C.context.close();
});

test('messages on one SQLite node: live, offline and back in order, unread counts', async () => {
  const node = await startServer();
  servers.push(node);
  await story(node, node);
});

test('messages across two nodes (PostgreSQL, Redis): live, offline and back in order, unread counts', { skip: twoNodesSkip }, async () => {
  const nodes = await startTwoNodes();
  servers.push(...nodes);
  await story(...nodes);
});
