// A video's page through the UI: like it (still pressed after a reload), then the comment
// thread: post, reply, edit, like, load more, delete (a parent with a reply stays as a
// placeholder until its reply goes too), and a failed post keeps the typed text. The
// viewer logs in through the API; only the page is under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, sleep, screenshot as shot } from './lib.mjs';

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

const commentLi = (page, text) => page.locator('li.comment', { has: page.locator(':scope > .comment-body', { hasText: text }) });

test('video page: like, and a comment thread (post, reply, edit, like, load more, delete)', async () => {
  const owner = await registerUser(server.url, 'uma');
  const viewer = await registerUser(server.url, 'vic');
  const made = await rest(server.url, '/api/videos/', { method: 'POST', token: owner.token, body: { title: 'Test pattern', description: 'Colour bars and a tone.', external_url: files.url } });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const vid = made.data.id;
  const api = (path, opts = {}) => rest(server.url, `/api/videos/${vid}/${path}`, { token: viewer.token, ...opts });

  const { page } = await apiLoggedIn(browser.browser, server.url, viewer);
  page.on('dialog', (d) => d.accept());
  await page.goto(`/videos/${vid}`);
  await page.waitForSelector('#comment-form');
  assert.equal(await page.textContent('#video-title'), 'Test pattern');
  assert.match(await page.textContent('#view-count'), /^0 views$/);
  await page.waitForFunction(() => document.querySelector('#comments')?.parentElement?.querySelector('[role=status]')?.textContent === 'No comments yet.');

  // like: pressed, counted, and still pressed after a reload (my-reactions/)
  await page.click('#like-video');
  await page.waitForSelector('#like-video[aria-pressed=true]');
  assert.equal((await api('')).data.like_count, 1);
  await page.click('#dislike-video');
  await page.waitForSelector('#dislike-video[aria-pressed=true]');
  assert.equal(await page.getAttribute('#like-video', 'aria-pressed'), 'false');
  await page.click('#like-video');
  await page.waitForSelector('#like-video[aria-pressed=true]');
  await page.reload();
  await page.waitForSelector('#like-video[aria-pressed=true]');
  assert.equal(await page.textContent('#like-video'), '👍 Like 1');
  assert.equal(await page.textContent('#dislike-video'), '👎 Dislike 0');

  // post
  await page.fill('#comment-form textarea', 'First!');
  await page.click('#comment-form button[type=submit]');
  const first = commentLi(page, 'First!');
  await first.waitFor();
  assert.equal(await page.inputValue('#comment-form textarea'), '', 'the box is emptied after a post');
  assert.equal(await page.textContent('#comment-count'), '(1)');

  // reply (from the keyboard: the reply box takes the focus)
  await first.locator(':scope > .comment-actions .reply-comment').click();
  await page.keyboard.type('A reply');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const reply = commentLi(page, 'A reply');
  await reply.waitFor();
  assert.equal(await first.locator(':scope > .replies-box ul.replies > li.comment').count(), 1, 'the reply is nested under its parent');

  // edit the reply
  await reply.locator(':scope > .comment-actions .edit-comment').click();
  await reply.locator('textarea').fill('A better reply');
  await reply.locator('form button[type=submit]').click();
  const edited = commentLi(page, 'A better reply');
  await edited.waitFor();
  assert.match(await edited.locator(':scope > .comment-head').textContent(), /edited/);

  // like the first comment: pressed, counted, still pressed after a reload
  await first.locator(':scope > .comment-actions .like-comment').click();
  await page.waitForFunction(() => [...document.querySelectorAll('#comments > li.comment .like-comment')].some((b) => b.getAttribute('aria-pressed') === 'true' && b.textContent === '♥ Like 1'));
  const listed = (await api('comments/')).data.results;
  assert.deepEqual(listed.map((c) => [c.content, c.likes_count, c.reply_count]), [['First!', 1, 1]]);
  assert.equal((await api(`comments/${listed[0].id}/replies/`)).data.results[0].content, 'A better reply');
  await page.reload();
  await commentLi(page, 'First!').waitFor();
  assert.equal(await commentLi(page, 'First!').locator(':scope > .comment-actions .like-comment').getAttribute('aria-pressed'), 'true');
  // the reply is one click away after a reload
  await commentLi(page, 'First!').locator('.show-replies').click();
  await commentLi(page, 'A better reply').waitFor();
  await shot(page, 'video-page');

  // a failed post shows why and keeps what was typed
  await page.route(`**/api/videos/${vid}/comments/`, (route) => route.request().method() === 'POST'
    ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ success: false, error_code: 'SERVICE_UNAVAILABLE', message: 'Try again in a moment.', errors: {} }) })
    : route.continue());
  await page.fill('#comment-form textarea', 'Keep me');
  await page.click('#comment-form button[type=submit]');
  await page.waitForSelector('#comment-form .error:not([hidden])');
  assert.match(await page.textContent('#comment-form .error'), /Try again in a moment/);
  assert.equal(await page.inputValue('#comment-form textarea'), 'Keep me');
  await page.unroute(`**/api/videos/${vid}/comments/`);
  await page.fill('#comment-form textarea', '');

  // delete the parent: it stays as a placeholder while its reply lives; deleting the reply removes both
  await commentLi(page, 'First!').locator(':scope > .comment-actions .delete-comment').click();
  await commentLi(page, 'This comment was deleted.').waitFor();
  assert.equal(await commentLi(page, 'A better reply').count(), 1);
  await commentLi(page, 'A better reply').locator(':scope > .comment-actions .delete-comment').click();
  await page.waitForFunction(() => document.querySelectorAll('#comments li.comment').length === 0);
  assert.equal((await api('comments/')).data.count, 0);

  // load more: 13 comments, 10 at first, the rest on demand, newest first
  for (let i = 1; i <= 13; i++) await api('comments/', { method: 'POST', body: { content: `Comment ${i}` } });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('#comments > li.comment').length === 10);
  assert.equal(await page.textContent('#comments > li.comment:first-child > .comment-body'), 'Comment 13');
  await page.click('#comments ~ .plist-more');
  await page.waitForFunction(() => document.querySelectorAll('#comments > li.comment').length === 13);
  assert.equal(await page.isHidden('#comments ~ .plist-more'), true);
  assert.equal(await page.textContent('#comments > li.comment:last-child > .comment-body'), 'Comment 1');

  assert.deepEqual(problems(page, [/^503 \/api\/videos\/[0-9a-f-]+\/comments\/$/]), []);
});
