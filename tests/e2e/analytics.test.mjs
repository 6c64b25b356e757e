// analytics (#20): the uploader opens their video's analytics page after some views, and
// the numbers on the page are the API's (GET /api/analytics/video/{id}/analytics/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, apiLoggedIn, rest, registerUser, sleep } from './lib.mjs';

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
