// Moderation (#19), the browser test: a user reports a comment through its
// Report button; staff see it in the queue at /admin/moderation with the comment
// inline, remove the comment and suspend its author; the author's open tab is logged
// out at once (its /ws/user/ socket closes with 4001, the refresh fails). Then the
// author's standing says suspended (login is refused) and the comment reads as deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, startServer, launchBrowser, apiLoggedIn, rest, registerUser, problems, makeClip, serveFile, tmpDir } from './lib.mjs';

let server, browser, clip;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  clip = await serveFile(makeClip(tmpDir(), 4));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await clip?.close();
});

test('a reported comment is removed from the queue and its author suspended and logged out at once', async () => {
  const author = await registerUser(server.url, 'troll');
  const reporter = await registerUser(server.url, 'rita');
  const staff = { username: `mod${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const video = await rest(server.url, '/api/videos/', { method: 'POST', token: reporter.token,
    body: { title: 'Calm film', external_url: clip.url, is_public: true } });
  assert.equal(video.status, 201, JSON.stringify(video.data));
  const vid = video.data.id;
  const posted = await rest(server.url, `/api/videos/${vid}/comments/`, { method: 'POST', token: author.token,
    body: { content: 'You are all idiots' } });
  assert.equal(posted.status, 201);

  // The author has a tab open (its user socket connected).
  const authorTab = await apiLoggedIn(browser.browser, server.url, author);
  await authorTab.page.goto('/videos/browse');
  await authorTab.page.waitForSelector('nav >> text=Log out', { state: 'attached' }).catch(() => {});
  await authorTab.page.waitForFunction(() => !!localStorage.getItem('wp_refresh_token'));

  // The reporter reports the comment through its button and the dialog.
  const rep = await apiLoggedIn(browser.browser, server.url, reporter);
  await rep.page.goto(`/videos/${vid}`);
  const comment = rep.page.locator('li.comment', { hasText: 'You are all idiots' });
  await comment.locator('.report-button').click();
  await rep.page.selectOption('dialog.report-dialog select', 'harassment');
  await rep.page.fill('dialog.report-dialog textarea', 'insults everyone');
  await rep.page.click('dialog.report-dialog button[type=submit]');
  await rep.page.waitForSelector('.toast >> text=staff will review it');
  assert.equal(await rep.page.locator('dialog.report-dialog').count(), 0);

  // Staff see it in the queue, with the comment inline; they suspend the author and remove the comment.
  const mod = await apiLoggedIn(browser.browser, server.url, staff);
  mod.page.on('dialog', (d) => d.accept('rule 3: no insults'));
  await mod.page.goto('/admin/moderation');
  const item = mod.page.locator('li.queue-item', { hasText: 'You are all idiots' });
  await item.waitFor();
  assert.match(await item.textContent(), /1 report.*harassment ×1/);
  await mod.page.selectOption('#queue-period', '86400');
  const t0 = Date.now();
  await item.locator('button.suspend-author').click();
  await mod.page.waitForSelector('.toast >> text=Suspend: done');
  // The author's open tab is logged out at once: its user socket closes (4001) and the refresh is refused.
  await authorTab.page.waitForFunction(() => !localStorage.getItem('wp_refresh_token'), null, { timeout: 10000 });
  assert.ok(Date.now() - t0 < 10000, 'logged out within seconds');
  await item.locator('button.remove-content').click();
  await mod.page.waitForSelector('.toast >> text=Content removed');
  await mod.page.waitForSelector('.plist-status >> text=Nothing to review.');
  const again = await rest(server.url, `/api/videos/${vid}/comments/`, { token: reporter.token });
  assert.equal(again.data.results[0].is_deleted, true);
  const login = await rest(server.url, '/api/auth/login/', { method: 'POST', body: { username: author.username, password: author.password } });
  assert.equal(login.status, 403);
  assert.match(login.data.message, /suspended until/);
  assert.deepEqual(problems(rep.page), []);
});

test('the standing page shows a user their warnings and how to appeal', async () => {
  const user = await registerUser(server.url, 'wendy');
  const staff = { username: `mod${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const staffLogin = (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data;
  const tab = await apiLoggedIn(browser.browser, server.url, user);
  await tab.page.goto('/standing');
  await tab.page.waitForSelector('#standing-summary >> text=good standing');
  const warned = await rest(server.url, '/api/moderation/actions/', { method: 'POST', token: staffLogin.access_token,
    body: { action: 'warn', user_id: user.id, reason: 'be kind' } });
  assert.equal(warned.status, 201);
  await tab.page.reload();
  await tab.page.waitForSelector('#standing-summary >> text=1 warning');
  assert.match(await tab.page.textContent('.standing-actions'), /Warning.*be kind/s);
  assert.match(await tab.page.getAttribute('.standing-actions a', 'href'), /\/support\/new\?category=appeal&action=/);
});

test('a direct message and a party chat message each have a Report button, for others’ messages only', async () => {
  const ann = await registerUser(server.url, 'ann');
  const bob = await registerUser(server.url, 'bob');
  const c = await rest(server.url, '/api/conversations/direct/', { method: 'POST', token: ann.token, body: { user_id: bob.id } });
  const sent = await rest(server.url, `/api/conversations/${c.data.id}/messages/`, { method: 'POST', token: ann.token, body: { client_id: 'r1', body: 'buy my stuff' } });
  assert.equal(sent.status, 201, JSON.stringify(sent.data));
  const party = await rest(server.url, '/api/parties/', { method: 'POST', token: ann.token, body: { title: 'Chatty' } });
  assert.equal((await rest(server.url, `/api/parties/${party.data.id}/join/`, { method: 'POST', token: bob.token })).status, 200);
  const B = await apiLoggedIn(browser.browser, server.url, bob);
  const b = B.page;
  await b.goto(`/messages/${c.data.id}`);
  const dm = b.locator('.chat-msg', { hasText: 'buy my stuff' });
  await dm.locator('.report-button').click();
  await b.selectOption('dialog.report-dialog select', 'spam');
  await b.click('dialog.report-dialog button[type=submit]');
  await b.waitForFunction(() => !document.querySelector('dialog.report-dialog'));
  // In the party room: ann's chat line has the button, bob's own has none.
  const A = await apiLoggedIn(browser.browser, server.url, ann);
  await A.page.goto(`/parties/${party.data.id}`);
  await b.goto(`/parties/${party.data.id}`);
  // Both sockets joined before ann chats: a line sent earlier may reach bob's page before it listens.
  await A.page.waitForFunction(() => window.__wp && window.__wp.connected);
  await b.waitForFunction(() => window.__wp && window.__wp.connected);
  await A.page.waitForSelector(`#participants li:has-text("${bob.username}") .presence`);
  await A.page.fill('#chat-input', 'free coins here');
  await A.page.press('#chat-input', 'Enter');
  const line = b.locator('li.msg', { hasText: 'free coins here' });
  await line.locator('.report-button').click();
  await b.selectOption('dialog.report-dialog select', 'spam');
  await b.click('dialog.report-dialog button[type=submit]');
  await b.waitForFunction(() => !document.querySelector('dialog.report-dialog'));
  await b.fill('#chat-input', 'mine');
  await b.press('#chat-input', 'Enter');
  await b.locator('li.msg.mine', { hasText: 'mine' }).waitFor();
  assert.equal(await b.locator('li.msg.mine .report-button').count(), 0);
  const mine = (await rest(server.url, '/api/moderation/reports/mine/', { token: bob.token })).data.results;
  assert.deepEqual(mine.map((r) => r.content_type).sort(), ['direct_message', 'party_message']);
  assert.deepEqual(problems(b), []);
  await A.context.close();
  await B.context.close();
});

test('staff warn in bulk and suspend one user from the users page; the suspended user appeals from the login page', async () => {
  const tag = `ap${Math.random().toString(36).slice(2, 6)}`;
  const sam = await registerUser(server.url, `${tag}s`);
  const tom = await registerUser(server.url, `${tag}t`);
  const staff = { username: `mod${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const mod = await apiLoggedIn(browser.browser, server.url, staff);
  const m = mod.page;
  await m.goto(`/admin/users?search=${tag}`);
  const rowOf = (u) => m.locator('#admin-users li.user-item', { hasText: u.username });
  await rowOf(sam).waitFor();
  await rowOf(tom).waitFor();

  // Both ticked: one warning each, in one request.
  await rowOf(sam).locator('input.pick').check();
  await rowOf(tom).locator('input.pick').check();
  await m.waitForSelector('#bulk-count >> text=2 selected');
  await m.selectOption('#bulk-bar select.mod-action', 'warn');
  await m.fill('#bulk-bar input.mod-reason', 'mind the rules');
  await m.click('#bulk-bar button[type=submit]');
  await m.waitForSelector('.toast >> text=2 done');
  for (const u of [sam, tom]) {
    const standing = await rest(server.url, '/api/moderation/standing/', { token: u.token });
    assert.equal(standing.data.warnings, 1, `${u.username} warned once`);
  }

  // Sam alone: suspended for a day.
  await rowOf(sam).locator('button', { hasText: 'Moderate' }).click();
  const form = rowOf(sam).locator('form.mod-form');
  await form.locator('select.mod-action').selectOption('suspend');
  await form.locator('select.mod-duration').selectOption('86400');
  await form.locator('input.mod-reason').fill('spam links');
  await form.locator('button[type=submit]').click();
  await m.waitForSelector(`.toast >> text=${sam.username}: suspend`);
  await m.selectOption('#admin-status', 'suspended');
  await m.waitForURL((u) => u.searchParams.get('status') === 'suspended');
  await rowOf(sam).waitFor();
  assert.equal(await rowOf(tom).count(), 0, 'only the suspended user is listed');

  // Sam logs in: refused, and offered the appeal, which needs no login.
  const ctx = await browser.browser.newContext({ baseURL: server.url });
  const p = await ctx.newPage();
  await p.goto('/login');
  await p.fill('input[name=username]', sam.username);
  await p.fill('input[name=password]', sam.password);
  await p.click('form[aria-labelledby=login-title] button[type=submit]');
  await p.waitForSelector('text=suspended until');
  await p.click('#login-appeal a');
  await p.waitForSelector('#appeal-standing >> text=suspended until');
  assert.match(await p.textContent('#appeal-action'), /Suspended.*spam links/);
  await p.fill('#appeal-subject', 'Those were not spam');
  await p.fill('#appeal-description', 'I shared my own channel once.');
  await p.click('#appeal-form button[type=submit]');
  const appeal = p.locator('#my-appeals li.appeal', { hasText: 'Those were not spam' });
  await appeal.waitFor();

  // Staff find it in the ticket queue and answer; Sam reads the answer and replies.
  const staffToken = (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data.access_token;
  const queue = await rest(server.url, '/api/support/staff/tickets/?category=appeal&page_size=100', { token: staffToken });
  const ticket = queue.data.results.find((t) => t.subject === 'Those were not spam');
  assert.ok(ticket && ticket.moderation_action_id, 'the appeal names the suspension');
  assert.equal((await rest(server.url, `/api/support/tickets/${ticket.id}/replies/`, { method: 'POST', token: staffToken,
    body: { content: 'We lifted it early.' } })).status, 201);
  await p.reload();
  await appeal.locator('.appeal-replies >> text=We lifted it early.').waitFor();
  await appeal.locator('input.appeal-reply').fill('Thanks!');
  await appeal.locator('button', { hasText: 'Reply' }).click();
  await appeal.locator('.appeal-replies >> text=Thanks!').waitFor();
  assert.deepEqual(problems(m), []);
  await ctx.close();
  await mod.context.close();
});
