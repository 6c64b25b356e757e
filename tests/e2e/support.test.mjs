// The support desk in the browser (#19): a user finds an answer in the help center (its
// Markdown rendered as elements, the HTML in it shown as text), opens a ticket with a file
// from the form; staff find it in the queue at /admin/tickets, write an internal note and a
// public reply; the user's ticket page shows the reply (and a notification), never the note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, startServer, launchBrowser, apiLoggedIn, rest, registerUser, tmpDir, problems, screenshot } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('help center answer, a ticket from the form, staff reply and an internal note the user never sees', async () => {
  const user = await registerUser(server.url, 'uma');
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const login = await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff });
  const faq = await rest(server.url, '/api/support/faq/', { method: 'POST', token: login.data.access_token, body: {
    category: 'parties', is_published: true, question: 'How do I host a watch party?',
    answer: 'Press **Host** on the parties page.\n\n- pick a video\n- invite friends\n\n<img src=x onerror="window.__pwned=1">' } });
  assert.equal(faq.status, 201, JSON.stringify(faq.data));

  // The user searches the help center; the answer is rendered from Markdown, its HTML is text.
  const U = await apiLoggedIn(browser.browser, server.url, user);
  const u = U.page;
  await u.goto('/support');
  await u.fill('#faq-search', 'host');
  await u.press('#faq-search', 'Enter');
  await u.waitForURL(/\/support\?q=host/);
  const item = u.locator('#faq-list .faq-item').first();
  await item.locator('summary').click();
  assert.equal(await item.locator('.faq-answer strong').textContent(), 'Host');
  assert.equal(await item.locator('.faq-answer li').count(), 2);
  assert.equal(await item.locator('.faq-answer img').count(), 0, 'no element from the HTML in the answer');
  assert.match(await item.locator('.faq-answer').textContent(), /<img src=x/);
  assert.equal(await u.evaluate(() => window.__pwned), undefined);
  await item.getByRole('button', { name: /^Yes/ }).click();
  await item.getByRole('button', { name: 'Yes (1)' }).waitFor();

  // A new ticket from the form, with a text file.
  await u.click('a[href="/support/new"]');
  await u.fill('input[name=subject]', 'Party video freezes');
  await u.fill('textarea[name=description]', 'After a minute the video freezes for everyone.');
  await u.selectOption('select[name=category]', 'playback');
  const file = join(tmpDir(), 'console.txt');
  writeFileSync(file, 'console log: buffering stalled\n');
  await u.setInputFiles('input[name=files]', file);
  await u.click('form[aria-label="New ticket"] button[type=submit]');
  await u.waitForURL(/\/support\/[0-9a-f-]{36}$/);
  const ticketId = u.url().split('/').pop();
  await u.locator('.ticket-files a', { hasText: 'console.txt' }).waitFor();
  assert.equal(await u.locator('#ticket-status-badge').textContent(), 'Open');

  // Staff see it in the queue (unassigned), open it, write a note and a reply.
  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const s = S.page;
  await s.goto('/');
  await s.click('#user-menu-button');
  await s.click('#user-menu a[href="/admin"]');
  await s.click('nav[aria-label=Admin] a[href="/admin/tickets"]');
  await s.selectOption('#q-who', 'unassigned');
  await s.waitForURL(/who=unassigned/);
  await s.locator('#ticket-queue a', { hasText: 'Party video freezes' }).click();
  await s.waitForURL(new RegExp(`/support/${ticketId}$`));
  await s.getByRole('button', { name: 'Assign to me' }).click();
  await s.getByRole('button', { name: 'Unassign' }).waitFor();
  await s.fill('#reply-content', 'Internal: this user also reported it by mail');
  await s.check('#reply-internal');
  await s.click('form[aria-label="Reply"] button[type=submit]');
  await s.locator('#ticket-thread .ticket-reply.internal').waitFor();
  await s.fill('#reply-content', 'Thanks! Which browser are you using?');
  await s.click('form[aria-label="Reply"] button[type=submit]');
  await s.locator('#ticket-thread .ticket-reply', { hasText: 'Which browser' }).waitFor();
  await s.locator('#ticket-status-badge', { hasText: 'Pending' }).waitFor();
  await screenshot(s, 'support-staff-ticket');

  // The user sees the reply, is notified, and never sees the note.
  await u.reload();
  await u.locator('#ticket-thread .ticket-reply', { hasText: 'Which browser' }).waitFor();
  assert.equal(await u.locator('#ticket-thread .ticket-reply').count(), 1);
  assert.doesNotMatch(await u.locator('main').textContent(), /Internal: this user/);
  assert.equal(await u.locator('#reply-internal').count(), 0);
  const notes = await rest(server.url, '/api/notifications/', { token: user.token });
  assert.deepEqual(notes.data.results.map((n) => n.notification_type), ['ticket_reply']);
  assert.doesNotMatch(JSON.stringify(notes.data), /Internal: this user/);
  // The user answers; the ticket is open again.
  await u.fill('#reply-content', 'Firefox 128.');
  await u.click('form[aria-label="Reply"] button[type=submit]');
  await u.locator('#ticket-status-badge', { hasText: 'Open' }).waitFor();
  await u.goto('/support/tickets');
  await u.locator('#my-tickets a', { hasText: 'Party video freezes' }).waitFor();
  await screenshot(u, 'support-my-tickets');
  assert.deepEqual(problems(u), []);
  assert.deepEqual(problems(s), []);
});
