// The store in the browser (#18): staff add a badge through the API and give a
// user coins; the user opens the Store, sees the balance, buys the badge,
// equips it, and the badge shows on their profile (to another user too);
// the Achievements page lists every achievement with progress.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, startServer, launchBrowser, apiLoggedIn, rest, registerUser, problems } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('staff add a badge, a user with coins buys and equips it, the profile shows it', async () => {
  const user = await registerUser(server.url, 'sid');
  const viewer = await registerUser(server.url, 'vic');
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const token = (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data.access_token;
  const item = await rest(server.url, '/api/store/items/', { method: 'POST', token, body: {
    kind: 'badge', name: 'Night Owl', image: '🦉', price: 40, stock: 5, description: 'Watched past midnight.' } });
  assert.equal(item.status, 201, JSON.stringify(item.data));
  const grant = await rest(server.url, '/api/store/staff/grants/', { method: 'POST', token, body: { user_id: user.id, coins: 100 } });
  assert.equal(grant.status, 201, JSON.stringify(grant.data));

  const U = await apiLoggedIn(browser.browser, server.url, user);
  const u = U.page;
  await u.goto('/');
  await u.click('#user-menu-button');
  await u.click('#user-menu a[href="/store"]');
  await u.waitForURL(/\/store$/);
  await u.locator('#coin-balance', { hasText: '100 coins' }).waitFor();
  const row = u.locator(`#store-items li[data-id="${item.data.id}"]`);
  assert.match(await row.textContent(), /Night Owl.*5 left/);
  await row.getByRole('button', { name: 'Buy Night Owl for 40 coins' }).click();
  await u.locator('#coin-balance', { hasText: '60 coins' }).waitFor();
  const owned = u.locator(`#inventory li[data-item="${item.data.id}"]`);
  await owned.getByRole('button', { name: 'Equip Night Owl' }).click();
  await owned.getByRole('button', { name: 'Unequip Night Owl' }).waitFor();
  assert.match(await u.locator('#coin-moves').textContent(), /-40/);

  // The badge on the profile: mine, and as another user sees it.
  await u.goto(`/users/${user.id}`);
  await u.locator('.profile-badges [aria-label="Night Owl"]').waitFor();
  const V = await apiLoggedIn(browser.browser, server.url, viewer);
  await V.page.goto(`/users/${user.id}`);
  assert.equal(await V.page.locator('.profile-badges [aria-label="Night Owl"]').textContent(), '🦉');

  // The achievements page lists them all with progress.
  await u.goto('/achievements');
  await u.locator('#achievements li[data-key="first_party"]').waitFor();
  assert.match(await u.locator('#achievements li[data-key="ten_hours"]').textContent(), /0 \/ 36000/);
  const check = await rest(server.url, '/api/store/staff/ledger/check/', { token });
  assert.equal(check.data.ok, true, JSON.stringify(check.data));
  assert.deepEqual(problems(u), []);
  await U.context.close();
  await V.context.close();
});
