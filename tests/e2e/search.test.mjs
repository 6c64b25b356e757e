// Search in the browser (#22): the top bar's box suggests titles as one types; a
// search with a typo shows "did you mean" and the corrected results; following a
// result records the click (the server answers 200 once, then 404 for the same click);
// the staff page of search statistics shows that search and its click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, apiLoggedIn, rest, registerUser, problems, makeClip, serveFile, tmpDir, BIN } from './lib.mjs';

let server, browser, clip;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // A clip served on loopback: the video page plays it (an unreachable host would be a page error).
  clip = await serveFile(makeClip(tmpDir(), 2));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await clip?.close();
});

test('a typo gets "did you mean", a result is clicked and the click is recorded', async () => {
  const ann = await registerUser(server.url, 'ann');
  const bob = await registerUser(server.url, 'bob');
  const v = await rest(server.url, '/api/videos/', {
    method: 'POST', token: ann.token,
    body: { title: 'Marmalade masterclass', description: 'Oranges, sugar and patience', external_url: clip.url, is_public: true },
  });
  assert.equal(v.status, 201, JSON.stringify(v.data));
  const { page } = await apiLoggedIn(browser.browser, server.url, bob);
  await page.goto('/');
  const box = page.locator('#search-q');
  await box.waitFor();
  await box.pressSequentially('marm', { delay: 30 });
  await page.locator('#search-suggestions option[value="Marmalade masterclass"]').waitFor({ state: 'attached' });
  await box.fill('marmalde');
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=marmalde/);
  const hint = page.locator('#did-you-mean');
  await hint.waitFor();
  assert.match(await hint.innerText(), /Did you mean marmalade\?/);
  const hit = page.locator(`a.search-hit[data-id="${v.data.id}"]`);
  assert.equal(await hit.locator('mark').first().innerText(), 'Marmalade');
  const [click] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/search/click/')),
    hit.click(),
  ]);
  assert.equal(click.status(), 200);
  await page.waitForURL(new RegExp(`/videos/${v.data.id}$`));
  const again = await rest(server.url, '/api/search/click/', { method: 'POST', token: bob.token, body: click.request().postDataJSON() });
  assert.equal(again.status, 404, 'the click was recorded already');
  assert.deepEqual(problems(page, [/favicon/, /media\.example\.com/]), []);
});

test('staff see the searches: top queries, no-result queries and the click-through', async () => {
  const carl = await registerUser(server.url, 'carl');
  for (const q of ['marmalade', 'marmalade', 'zzyzx nothing']) {
    const r = await rest(server.url, `/api/search/?q=${encodeURIComponent(q)}`, { token: carl.token });
    assert.equal(r.status, 200, JSON.stringify(r.data));
  }
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const { page } = await apiLoggedIn(browser.browser, server.url, staff);
  await page.goto('/admin');
  await page.click('nav[aria-label=Admin] a[href="/admin/search"]');
  const top = page.locator('#search-stats-top');
  await top.waitFor();
  const row = top.locator('tr', { hasText: 'marmalade' });
  assert.match(await row.innerText(), /marmalade\s+[2-9]/, 'searched at least twice');
  assert.ok(await page.locator('#search-stats-zero tr', { hasText: 'zzyzx nothing' }).count() === 1);
  assert.match(await page.locator('#search-stats-ctr').innerText(), /^\d+\.\d %$/);
  await page.selectOption('#search-stats-days', '30');
  await page.waitForURL((u) => u.searchParams.get('days') === '30');
  await page.locator('#search-stats-top').waitFor();
  assert.deepEqual(problems(page), []);
});
