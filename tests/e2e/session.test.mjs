// Sessions in the browser: the access token lives in memory, the single-use refresh token
// in localStorage. A reload stays logged in, two tabs reloading at once do not burn each
// other's refresh token (Web Locks), and short-lived access tokens are refreshed on the fly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, registerUser, uiLogin, uiLogout, problems, watchPage, sleep } from './lib.mjs';

let server, browser;
before(async () => {
  server = await startServer({ args: ['--access-token-ttl-s', '40'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('reloads and parallel tabs keep the session; expired access tokens are refreshed', async () => {
  const u = await registerUser(server.url, 'tab');
  const context = await browser.browser.newContext({ baseURL: server.url });
  const p1 = await context.newPage();
  watchPage(p1);
  await uiLogin(p1, u);
  assert.ok(await p1.evaluate(() => localStorage.getItem('wp_refresh_token')));
  assert.equal(await p1.evaluate(() => document.cookie.includes('wp_access')), false, 'no readable access cookie');

  // a reload restores the session from the refresh token
  await p1.reload();
  await p1.waitForSelector('.who');
  assert.equal(await p1.textContent('.who'), u.username);

  // two more tabs and a reload of all three at once: every tab stays logged in
  const p2 = await context.newPage();
  const p3 = await context.newPage();
  watchPage(p2); watchPage(p3);
  await Promise.all([p1.reload(), p2.goto('/'), p3.goto('/')]);
  for (const p of [p1, p2, p3]) {
    await p.waitForSelector('.who', { timeout: 10000 });
    assert.equal(await p.textContent('.who'), u.username);
  }

  // access tokens live 40 s here and are refreshed 30 s before expiry: after 12 s a call
  // must refresh first, and still work
  await sleep(12000);
  await p2.click('text=My videos');
  await p2.click('text=Parties');
  await p2.waitForSelector('#my-parties');
  await p2.waitForFunction(() => !document.querySelector('#my-parties li.error'));
  await p1.reload();
  await p1.waitForSelector('.who');

  // logging out in one tab ends the session; a reloaded tab goes to the login page
  await uiLogout(p1);
  await p1.waitForURL('**/login');
  await p3.reload();
  await p3.waitForURL('**/login');
  await p2.waitForURL('**/login'); // told through the storage event, without a reload
  for (const p of [p1, p2, p3]) assert.deepEqual(problems(p, [/^40[19] \/api\/auth\/refresh\/$/]), []);
  await context.close();
});
