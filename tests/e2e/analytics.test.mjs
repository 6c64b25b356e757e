// analytics (#20): the uploader opens their video's analytics page after some views, and
// the numbers on the page are the API's (GET /api/analytics/video/{id}/analytics/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, apiLoggedIn, rest, registerUser, sleep, BIN } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer({ args: ['--analytics-rollup-interval-s', '1', '--analytics-flush-ms', '50'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('video analytics: the owner sees the numbers the API gives', async () => {
  const owner = await registerUser(server.url, 'owen');
  const made = await rest(server.url, '/api/videos/', { method: 'POST', token: owner.token, body: { title: 'Clip', external_url: 'https://media.example.com/a.mp4' } });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const vid = made.data.id;
  for (const name of ['val', 'vera', 'vince']) {
    const viewer = await registerUser(server.url, name);
    assert.equal((await rest(server.url, `/api/videos/${vid}/view/`, { method: 'POST', token: viewer.token })).status, 200);
    await rest(server.url, `/api/videos/${vid}/progress/`, { method: 'POST', token: viewer.token, body: { position: 20, duration_watched: 20 } });
  }
  let report;
  for (let i = 0; i < 100; i++) {
    report = (await rest(server.url, `/api/analytics/video/${vid}/analytics/?granularity=day`, { token: owner.token })).data;
    if (report.totals.views === 3 && report.totals.watch_time === 60) break;
    await sleep(200);
  }
  assert.equal(report.totals.views, 3);

  const { page } = await apiLoggedIn(browser.browser, server.url, owner);
  await page.goto(`/videos/${vid}`);
  await page.click('#video-analytics');
  await page.waitForSelector('[data-stat=views] .stat-value');
  assert.equal(await page.textContent('[data-stat=views] .stat-value'), String(report.totals.views));
  assert.equal(await page.textContent('[data-stat=unique_viewers] .stat-value'), String(report.totals.unique_viewers));
  assert.equal(await page.textContent('[data-stat=likes] .stat-value'), String(report.totals.likes));
  assert.equal(await page.textContent('[data-stat=comments] .stat-value'), String(report.totals.comments));
  assert.equal(await page.locator('.uplot').count(), 2, 'views over time and the retention curve');
});

test('staff dashboard: the live counters change without a reload (pushed over /ws/user/)', async () => {
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const polls = [];
  S.page.on('request', (r) => { if (r.url().includes('/api/analytics/real-time/')) polls.push(r.url()); });
  await S.page.goto('/admin/analytics');
  const sockets = () => S.page.evaluate(() => Number(document.querySelector('[data-live=sockets] .stat-value')?.textContent));
  // The dashboard's own tab is counted once its socket is open.
  await S.page.waitForFunction(() => Number(document.querySelector('[data-live=sockets] .stat-value')?.textContent) >= 1,
    null, { timeout: 15000 });
  await sleep(3000);  // past a round of the live thread (2 s): the count includes this tab's socket
  const before = await sockets();
  const navigations = [];
  S.page.on('framenavigated', (f) => { if (f === S.page.mainFrame()) navigations.push(f.url()); });
  // Another user opens the app in their browser: one more socket, on the counter without a reload.
  const other = await registerUser(server.url, 'olga');
  const O = await apiLoggedIn(browser.browser, server.url, other);
  await O.page.goto('/');
  await S.page.waitForFunction((b) => Number(document.querySelector('[data-live=sockets] .stat-value')?.textContent) > b,
    before, { timeout: 15000 });
  await O.context.close();
  await S.page.waitForFunction((b) => Number(document.querySelector('[data-live=sockets] .stat-value')?.textContent) === b,
    before, { timeout: 15000 });
  assert.deepEqual(navigations, [], 'no reload');
  assert.ok(polls.length <= 1, `the counters came over the socket, not by polling (${polls.length} requests)`);
  await S.context.close();
});
