// Settings > Devices (#21): the app's installs as the web client lists them; renaming,
// disabling and removing one goes through /api/mobile/devices/ (and removing ends its push token).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, registerUser, apiLoggedIn, rest, problems, BIN } from './lib.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('devices can be renamed, disabled and removed', async () => {
  const u = await registerUser(server.url, 'dev');
  for (const [install, platform, model] of [['phone-1', 'android', 'Pixel 8'], ['tablet-1', 'ios', 'iPad']]) {
    const r = await rest(server.url, '/api/mobile/devices/', { method: 'POST', token: u.token,
      body: { device_id: install, platform, model, os_version: '14', app_version: '1.2.0', push_token: `tok-${install}` } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  const { context, page } = await apiLoggedIn(browser.browser, server.url, u);
  await page.goto('/settings/devices');
  await page.waitForSelector('#mobile-devices li.mobile-device');
  assert.equal(await page.locator('#mobile-devices li.mobile-device').count(), 2);
  const phone = page.locator('#mobile-devices li.mobile-device', { hasText: 'Android Pixel 8' });
  await phone.locator('input').fill('Work phone');
  await phone.getByRole('button', { name: 'Rename' }).click();
  await page.waitForSelector('#mobile-devices li.mobile-device:has-text("Work phone")');
  const renamed = page.locator('#mobile-devices li.mobile-device', { hasText: 'Work phone' });
  await renamed.getByRole('button', { name: 'Disable' }).click();
  await page.waitForSelector('#mobile-devices li.mobile-device:has-text("Work phone") .badge');
  let listed = (await rest(server.url, '/api/mobile/devices/', { token: u.token })).data.results;
  assert.equal(listed.find((d) => d.device_id === 'phone-1').disabled, true);
  await page.getByRole('button', { name: 'Remove iOS iPad' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#mobile-devices li.mobile-device').length === 1);
  listed = (await rest(server.url, '/api/mobile/devices/', { token: u.token })).data.results;
  assert.deepEqual(listed.map((d) => d.device_id), ['phone-1']);
  const tokens = (await rest(server.url, '/api/push/devices/', { token: u.token })).data.results.map((d) => d.token);
  assert.deepEqual(tokens, []);  // disabled and removed: neither keeps a push token
  assert.deepEqual(problems(page), []);
  await context.close();
});

test('staff see the crash groups and mark one fixed', async () => {
  const staff = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', staff.username,
    '--email', `${staff.username}@example.com`, '--password', staff.password]);
  const trace = 'java.lang.IllegalStateException: boom\n  at com.example.Player.play(Player.java:7)\n';
  for (const version of ['1.0.0', '1.0.1']) {
    const r = await rest(server.url, '/api/mobile/crashes/', { method: 'POST',
      body: { platform: 'android', app_version: version, stack_trace: trace } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  const { context, page } = await apiLoggedIn(browser.browser, server.url, staff);
  await page.goto('/admin/crashes');
  const group = page.locator('#crash-groups li.crash-group', { hasText: 'IllegalStateException' });
  await group.waitFor();
  assert.match(await group.textContent(), /2 crashes/);
  await group.locator('input').fill('1.0.2');
  await group.getByRole('button', { name: 'Mark fixed' }).click();
  await page.waitForSelector('#crash-groups li.crash-group:has-text("fixed in 1.0.2")');
  assert.deepEqual(problems(page), []);
  await context.close();
});
