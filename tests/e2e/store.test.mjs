// The store in the browser (#18): staff add a badge through the API and give a
// user coins; the user opens the Store, sees the balance, buys the badge,
// equips it, and the badge shows on their profile (to another user too);
// the Achievements page lists every achievement with progress. Cosmetics: a bought and
// equipped profile theme recolours the profile (for everyone), the host's party theme
// the party room, and an owned emoji pack adds its emoji to the reaction picker. Staff
// manage the catalog from /admin/catalog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, startServer, launchBrowser, apiLoggedIn, rest, registerUser, problems, makeClip, serveFile, tmpDir, waitRoomReady } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 10));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

async function staffToken() {
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  return { staff, token: (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data.access_token };
}

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

test('cosmetics: buy a profile theme, equip it, the profile wears it; party theme and emoji pack in the room', async () => {
  const { token } = await staffToken();
  const user = await registerUser(server.url, 'tia');
  const viewer = await registerUser(server.url, 'vera');
  const add = async (body) => {
    const r = await rest(server.url, '/api/store/items/', { method: 'POST', token, body });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    return r.data;
  };
  const sunset = await add({ kind: 'profile_theme', name: 'Sunset', image: '🌅', price: 30,
    properties: { background: '#3a1c2c', surface: '#4a2a3a', accent: '#ff8800' } });
  const neon = await add({ kind: 'party_theme', name: 'Neon', image: '💡', price: 20, properties: { accent: '#00ff88' } });
  const pack = await add({ kind: 'emoji_pack', name: 'Myths', image: '🦄', price: 10, properties: { emoji: ['🦄', '🐉'] } });
  await rest(server.url, '/api/store/staff/grants/', { method: 'POST', token, body: { user_id: user.id, coins: 100 } });

  // The main flow in the browser: buy the theme, equip it, see it.
  const U = await apiLoggedIn(browser.browser, server.url, user);
  const u = U.page;
  await u.goto('/store');
  await u.locator('#coin-balance', { hasText: '100 coins' }).waitFor();
  await u.locator(`#store-items li[data-id="${sunset.id}"]`).getByRole('button', { name: 'Buy Sunset for 30 coins' }).click();
  const owned = u.locator(`#inventory li[data-item="${sunset.id}"]`);
  await owned.getByRole('button', { name: 'Equip Sunset' }).click();
  await owned.getByRole('button', { name: 'Unequip Sunset' }).waitFor();
  const themedBg = (page) => page.$eval('.view.themed[data-theme="Sunset"]', (el) => el.style.getPropertyValue('--bg'));
  await u.goto(`/users/${user.id}`);
  await u.locator('.view.themed[data-theme="Sunset"]').waitFor();
  assert.equal(await themedBg(u), '#3a1c2c');
  const V = await apiLoggedIn(browser.browser, server.url, viewer);
  const v = V.page;
  await v.goto(`/users/${user.id}`);
  await v.locator('.view.themed[data-theme="Sunset"]').waitFor();
  assert.equal(await v.$eval('.view.themed', (el) => getComputedStyle(el).backgroundColor), 'rgb(58, 28, 44)');
  // Someone without a theme: their profile looks as always.
  await v.goto(`/users/${viewer.id}`);
  await v.locator('#profile-name').waitFor();
  assert.equal(await v.locator('.view.themed').count(), 0);

  // The party theme (the host's, for everyone) and the emoji pack (the owner's picker only).
  for (const item of [neon, pack]) {
    assert.equal((await rest(server.url, `/api/store/items/${item.id}/purchase/`, { method: 'POST', token: user.token })).status, 201);
  }
  assert.equal((await rest(server.url, `/api/store/inventory/${neon.id}/equip/`, { method: 'POST', token: user.token })).status, 200);
  const party = (await rest(server.url, '/api/parties/', { method: 'POST', token: user.token, body: { title: 'Themed', media_url: files.url } })).data;
  assert.equal((await rest(server.url, `/api/parties/${party.id}/join/`, { method: 'POST', token: viewer.token })).status, 200);
  await u.goto(`/parties/${party.id}`);
  await v.goto(`/parties/${party.id}`);
  await waitRoomReady(u);
  await waitRoomReady(v);
  for (const page of [u, v]) {
    await page.locator('.room.themed[data-theme="Neon"]').waitFor();
    assert.equal(await page.$eval('.room.themed', (el) => el.style.getPropertyValue('--accent')), '#00ff88');
  }
  await u.getByRole('button', { name: 'React 🐉' }).click();
  await v.locator('.float-layer .floater', { hasText: '🐉' }).first().waitFor();
  assert.equal(await v.getByRole('button', { name: 'React 🐉' }).count(), 0, 'a pack the viewer does not own');
  assert.deepEqual(problems(u), []);
  assert.deepEqual(problems(v), []);
  await U.context.close();
  await V.context.close();
});

test('staff manage the catalog from /admin/catalog: add, edit price and stock, deactivate', async () => {
  const { staff } = await staffToken();
  const S = await apiLoggedIn(browser.browser, server.url, staff);
  const s = S.page;
  await s.goto('/admin');
  await s.click('nav[aria-label="Admin"] a[href="/admin/catalog"]');
  await s.waitForURL(/\/admin\/catalog$/);
  const name = `Comet ${Math.random().toString(36).slice(2, 6)}`;
  await s.selectOption('#new-item-kind', 'badge');
  await s.fill('#new-item-name', name);
  await s.fill('#new-item-image', '☄️');
  await s.fill('#new-item-price', '25');
  await s.fill('#new-item-stock', '3');
  await s.click('#new-item-submit');
  await s.locator('#catalog-items li.catalog-item', { hasText: name }).waitFor();
  const id = await s.locator('#catalog-items li.catalog-item', { hasText: name }).getAttribute('data-id');
  const row = s.locator(`#catalog-items li[data-id="${id}"]`);
  assert.match(await row.locator('.item-facts').textContent(), /badge · 25 coins · 3 of 3 left · 0 sold · on sale/);
  // A refused value shows under its field, and what was typed stays.
  await s.fill('#new-item-name', 'Bad theme');
  await s.selectOption('#new-item-kind', 'profile_theme');
  await s.fill('#new-item-price', '5');
  await s.fill('#new-item-properties', '{"accent":"orange"}');
  await s.click('#new-item-submit');
  await s.locator('#new-item-properties-error:not([hidden])').waitFor();
  assert.equal(await s.inputValue('#new-item-name'), 'Bad theme');

  await row.getByRole('button', { name: `Edit ${name}` }).click();
  await s.fill(`#edit-${id}-price`, '40');
  await s.fill(`#edit-${id}-stock`, '');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.locator('.item-facts', { hasText: '40 coins · unlimited' }).waitFor();
  await row.getByRole('button', { name: `Deactivate ${name}` }).click();
  await row.locator('.item-facts', { hasText: 'inactive' }).waitFor();
  const item = (await rest(server.url, `/api/store/items/${id}/`, { token: (await rest(server.url, '/api/auth/login/', { method: 'POST', body: staff })).data.access_token })).data;
  assert.equal(item.price, 40);
  assert.equal(item.stock, null);
  assert.equal(item.is_active, false);
  // Users no longer see it on sale.
  const buyer = await registerUser(server.url, 'bo');
  const onSale = (await rest(server.url, '/api/store/items/', { token: buyer.token })).data.results.map((i) => i.id);
  assert.ok(!onSale.includes(id));
  await row.getByRole('button', { name: `Activate ${name}` }).click();
  await row.locator('.item-facts', { hasText: /· on sale/ }).waitFor();
  assert.deepEqual(problems(s, [/^400 \/api\/store\/items\/$/]), []);  // the refused theme was expected
  await S.context.close();
});
