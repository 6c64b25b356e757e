// The staff admin area (#19): the dashboard shows system health and draws the charts of
// the kept metrics; a broadcast sent from the broadcast page reaches another user's open
// page (a banner, live) and a party room (once, though two sockets bring it); the users
// export downloads a CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, apiLoggedIn, registerUser, rest, makeClip, serveFile, tmpDir, waitRoomReady, screenshot, BIN, sleep } from './lib.mjs';

let server, browser, files, staff;

before(async () => {
  server = await startServer({ args: ['--admin-metrics-interval-s', '1'] });
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 4));
  staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

test('the dashboard shows health and charts the metrics', async () => {
  // some traffic, and time for two snapshots
  for (let i = 0; i < 10; i++) await rest(server.url, '/api/health/');
  await sleep(2500);
  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const s = S.page;
  await s.goto('/admin');
  await s.locator('#health-stats').waitFor();
  assert.match(await s.locator('#health-stats').textContent(), /[\d.]+ ms\s*Database/);
  assert.equal(await s.locator('tr[data-node]').count(), 1);  // one node
  const canvas = s.locator('figure[data-series="http_requests_per_s"] canvas');
  await canvas.first().waitFor();
  assert.match(await s.locator('figure[data-series="http_requests_per_s"]').getAttribute('aria-label'), /latest [\d.]+ req\/s/);
  // the side navigation reaches the other admin pages
  await s.click('nav[aria-label="Admin"] >> text=Broadcast');
  await s.locator('#broadcast-submit').waitFor();
  await s.locator('#broadcast-audience option[value="plan:free"]').waitFor({ state: 'attached' });
  await screenshot(s, 'admin-broadcast-page');
  await S.context.close();
});

test("a broadcast reaches another user's open page and their party room", async () => {
  const ann = await registerUser(server.url, 'ann');
  const party = await rest(server.url, '/api/parties/', { method: 'POST', token: ann.token, body: { title: 'Ann watches', media_url: files.url } });
  assert.equal(party.status, 201);
  const A = await apiLoggedIn(browser.browser, server.url, ann);
  const a = A.page;
  await a.goto('/videos/browse');
  await a.waitForFunction(() => window.__wpUser?.connected());
  const R = await apiLoggedIn(browser.browser, server.url, ann);
  const room = R.page;
  await room.goto(`/parties/${party.data.id}`);
  await waitRoomReady(room);

  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const s = S.page;
  await s.goto('/admin/broadcast');
  await s.fill('#broadcast-message', 'Maintenance in ten minutes');
  await s.selectOption('#broadcast-severity', 'warning');
  await s.click('#broadcast-submit');
  await s.locator('#broadcast-status').waitFor();

  for (const p of [a, room]) {
    const banner = p.locator('.broadcasts .broadcast.warning');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Important: Maintenance in ten minutes/);
  }
  await sleep(500);
  assert.equal(await room.locator('.broadcasts .broadcast').count(), 1);  // two sockets, one banner
  await screenshot(room, 'admin-broadcast-banner');
  // the staff page shows how far it went
  await s.waitForFunction(() => /Delivered to [1-9]\d* open socket/.test(document.querySelector('#broadcast-status')?.textContent || ''));
  // dismissed, it stays gone after a reload even though it has no expiry: it is not active
  await a.click('.broadcasts button[aria-label="Dismiss this announcement"]');
  assert.equal(await a.locator('.broadcasts .broadcast').count(), 0);
  for (const c of [A, R, S]) await c.context.close();
});

test('the export page downloads a CSV of users', async () => {
  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const s = S.page;
  await s.goto('/admin/export');
  await s.check('#export-email');
  const [download] = await Promise.all([s.waitForEvent('download'), s.click('#export-submit')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text.split('\r\n')[0], /^id,username,email,is_active,date_joined$/);
  assert.ok(text.includes(`${staff.username}@example.com`));
  await s.locator('#export-status', { hasText: 'Downloaded' }).waitFor();
  await S.context.close();
});
