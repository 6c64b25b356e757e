// The other pages of #25 through the UI, each user logged in through the API: the public
// videos (search, category, ordering in the address; the back button) and "start a party
// with this video"; people search and profiles (a private one says so); a scheduled party
// (countdown, settings from the room, a report, the host starts it, the reactions summary);
// the staff users list (only staff see it; deactivate and activate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, newPage, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, sleep, BIN, screenshot as shot } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = await serveFile(makeClip(tmpDir(), 6));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

const titles = (page, sel) => page.$$eval(`${sel} .video-title`, (els) => els.map((e) => e.textContent));

test('public videos: search, filter and order in the address, back button, start a party with a video', async () => {
  const owner = await registerUser(server.url, 'olga');
  const viewer = await registerUser(server.url, 'walt');
  for (const [title, category, pub] of [['Alpha sunrise', 'nature', true], ['Beta concert', 'music', true], ['Gamma storm', 'nature', true], ['Delta secret', 'nature', false]]) {
    const r = await rest(server.url, '/api/videos/', { method: 'POST', token: owner.token, body: { title, category, is_public: pub, external_url: files.url } });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  const { page } = await apiLoggedIn(browser.browser, server.url, viewer);
  await page.goto('/videos/browse');
  await page.waitForFunction(() => document.querySelectorAll('#browse-list li').length === 3);
  assert.deepEqual(await titles(page, '#browse-list'), ['Gamma storm', 'Beta concert', 'Alpha sunrise'], 'newest first, the private one hidden');
  await shot(page, 'videos-browse');

  await page.fill('#video-category', 'nature');
  await page.selectOption('#video-ordering', 'title');
  await page.waitForURL((u) => u.search === '?category=nature&ordering=title');
  await page.waitForFunction(() => document.querySelectorAll('#browse-list li').length === 2);
  assert.deepEqual(await titles(page, '#browse-list'), ['Alpha sunrise', 'Gamma storm']);
  await page.fill('#video-search', 'storm');
  await page.press('#video-search', 'Enter');
  await page.waitForURL((u) => u.searchParams.get('search') === 'storm');
  await page.waitForFunction(() => document.querySelectorAll('#browse-list li').length === 1);
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('#browse-list li').length === 2);
  assert.equal(await page.inputValue('#video-search'), '', 'the back button restores the earlier search');
  await page.fill('#video-search', 'nothing like this');
  await page.press('#video-search', 'Enter');
  await page.waitForFunction(() => document.querySelector('main [role=status]')?.textContent === 'No video matches.');

  // a video's page, then a party with it
  await page.goto('/videos/browse?search=Beta');
  await page.click('#browse-list .video-title');
  await page.waitForSelector('#start-party');
  assert.equal(await page.isVisible('#edit-video'), false, 'only the uploader edits');
  await page.click('#start-party');
  await page.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
  await waitRoomReady(page);
  assert.equal(await page.textContent('.room-title'), 'Beta concert');
  assert.deepEqual(problems(page), []);
});

test('video page: the uploader edits title, description, visibility, download permission and tags, then deletes it', async () => {
  const owner = await registerUser(server.url, 'ed');
  const made = await rest(server.url, '/api/videos/', { method: 'POST', token: owner.token, body: { title: 'Draft', external_url: files.url } });
  const { page } = await apiLoggedIn(browser.browser, server.url, owner, { width: 375, height: 740 });
  page.on('dialog', (d) => d.accept());
  await page.goto(`/videos/${made.data.id}`);
  await page.click('#edit-video');
  await page.fill('#edit-video-form input[name=title]', 'x'.repeat(5));
  await page.fill('#edit-video-form textarea[name=description]', 'Now with words.');
  await page.uncheck('#edit-is-public');
  await page.check('#edit-allow-download');
  await page.click('#edit-video-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#video-title')?.textContent === 'xxxxx');
  const v = (await rest(server.url, `/api/videos/${made.data.id}/`, { token: owner.token })).data;
  assert.deepEqual([v.title, v.description, v.is_public, v.allow_download], ['xxxxx', 'Now with words.', false, true]);
  assert.equal(await page.textContent('#video-description'), 'Now with words.');
  const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `the video page is ${sw} px wide on a ${iw} px screen`);
  // Tags (#22): typed with commas, shown as links to the videos with that tag.
  await page.click('#edit-video');
  await page.fill('#edit-tags', 'Jazz, #late-night');
  await page.click('#edit-video-form button[type=submit]');
  await page.locator('#video-tags a', { hasText: '#late-night' }).waitFor();
  assert.deepEqual((await rest(server.url, `/api/videos/${made.data.id}/`, { token: owner.token })).data.tags, ['jazz', 'late-night']);
  await page.locator('#video-tags a', { hasText: '#jazz' }).click();
  await page.waitForURL((u) => u.pathname === '/videos/browse' && u.searchParams.get('tag') === 'jazz');
  await page.locator('#browse-list a.video-title', { hasText: 'xxxxx' }).waitFor();
  assert.equal(await page.inputValue('#video-tag'), 'jazz');
  await page.goto(`/videos/${made.data.id}`);
  await page.click('#delete-video');
  await page.waitForURL((u) => u.pathname === '/videos');
  assert.equal((await rest(server.url, `/api/videos/${made.data.id}/`, { token: owner.token })).status, 404);
  assert.deepEqual(problems(page), []);
});

test('people: search, a public profile with what its owner shares, a private one says so', async () => {
  const open = await registerUser(server.url, 'pia');
  const shy = await registerUser(server.url, 'pia');
  const me = await registerUser(server.url, 'max');
  let r = await rest(server.url, '/api/users/me/profile/', { method: 'PATCH', token: open.token, body: { bio: 'Films at midnight.', country: 'NO' } });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  r = await rest(server.url, '/api/users/me/profile/', { method: 'PATCH', token: shy.token, body: { bio: 'secret', privacy_settings: { profile_visibility: 'private' } } });
  assert.equal(r.status, 200, JSON.stringify(r.data));

  const { page } = await apiLoggedIn(browser.browser, server.url, me);
  await page.goto('/people');
  await page.fill('#people-search', 'pia');
  await page.press('#people-search', 'Enter');
  await page.waitForURL((u) => u.search === '?search=pia');
  await page.waitForFunction(() => document.querySelectorAll('#people-list li').length === 2);
  await shot(page, 'people');
  await page.click(`#people-list a:text-is("${open.username}")`);
  await page.waitForSelector('#profile-name');
  assert.equal(await page.textContent('#profile-name'), open.username);
  assert.match(await page.textContent('.facts'), /Films at midnight\./);
  await shot(page, 'profile');
  await page.goBack();
  await page.click(`#people-list a:text-is("${shy.username}")`);
  await page.waitForSelector('#profile-private');
  assert.equal(await page.locator('text=secret').count(), 0, 'nothing private is shown');
  assert.deepEqual(problems(page), []);
});

test('a scheduled party: countdown, settings from the room, a report, the host starts it, reactions summary', async () => {
  const host = await registerUser(server.url, 'sal');
  const guest = await registerUser(server.url, 'tom');
  const H = await apiLoggedIn(browser.browser, server.url, host);
  const h = H.page;
  h.on('dialog', (d) => d.accept());
  await h.goto('/');
  await h.fill('#create-form input[name=title]', 'Later tonight');
  await h.selectOption('#create-form select[name=source]', 'url');
  await h.fill('#create-form input[name=media_url]', files.url);
  await h.selectOption('#create-form select[name=visibility]', 'unlisted');
  const local = new Date(Date.now() + 2 * 3600_000 + 5 * 60_000);
  const pad = (n) => String(n).padStart(2, '0');
  await h.fill('#scheduled-start', `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`);
  await h.click('#create-form button[type=submit]');
  await h.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
  const partyId = h.url().split('/').pop();
  await h.waitForSelector('#scheduled-banner:not([hidden])');
  assert.match(await h.textContent('#starts-in'), /^2 h 0[45] min$/);
  assert.equal((await rest(server.url, `/api/parties/${partyId}/`, { token: host.token })).data.status, 'scheduled');

  // settings from the room
  await h.click('#settings-panel summary');
  await h.fill('#party-settings-form input[name=title]', 'Later tonight (bring snacks)');
  await h.fill('#party-settings-form input[name=slow_mode_seconds]', '5');
  // a refused save puts the field's error under it and keeps what was typed
  const partyUrl = `**/api/parties/${partyId}/`;
  await h.route(partyUrl, (route) => route.request().method() === 'PATCH'
    ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ success: false, error_code: 'VALIDATION_ERROR', message: 'Invalid input.', errors: { title: ['Too similar to another party.'] } }) })
    : route.continue());
  await h.click('#party-settings-form button[type=submit]');
  await h.waitForSelector('#party-settings-form .field-error:not([hidden])');
  assert.match(await h.textContent('#party-settings-form .field-error:not([hidden])'), /Too similar/);
  assert.equal(await h.inputValue('#party-settings-form input[name=title]'), 'Later tonight (bring snacks)');
  await h.unroute(partyUrl);
  await h.click('#party-settings-form button[type=submit]');
  await h.waitForFunction(() => document.querySelector('.room-title')?.textContent === 'Later tonight (bring snacks)');
  const p = (await rest(server.url, `/api/parties/${partyId}/`, { token: host.token })).data;
  assert.equal(p.settings.slow_mode_seconds, 5);

  // the guest: the countdown without "Start now", no settings, a report
  const G = await apiLoggedIn(browser.browser, server.url, guest, { width: 375, height: 740 });
  const g = G.page;
  await g.goto(`/parties/${partyId}`);
  await g.waitForSelector('#scheduled-banner:not([hidden])');
  assert.equal(await g.isHidden('#start-now'), true);
  assert.equal(await g.isHidden('#settings-panel'), true);
  await g.waitForFunction(() => window.__wp?.connected);
  await shot(g, 'party-scheduled-phone');
  const { sw, iw } = await g.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `the room is ${sw} px wide on a ${iw} px screen`);
  await g.click('#report-panel summary');
  await g.selectOption('#report-reason', 'spam');
  await g.fill('#report-details', 'Advertising in the title');
  await g.click('#report-form button[type=submit]');
  await g.waitForFunction(() => /report was sent/.test(document.querySelector('#report-form [role=status]')?.textContent || ''));

  // the host starts it; both see it live
  await h.click('#start-now');
  await h.waitForSelector('#scheduled-banner', { state: 'hidden' });
  await g.waitForSelector('#scheduled-banner', { state: 'hidden' });
  await waitRoomReady(g);

  // reactions summary
  await g.click('.reactions button[aria-label="React 🎉"]');
  await h.click('#reactions-panel summary');
  await h.waitForFunction(() => document.querySelector('#reaction-summary')?.textContent === '🎉 1');
  await g.click('.reactions button[aria-label="React 🎉"]');
  await h.waitForFunction(() => document.querySelector('#reaction-summary')?.textContent === '🎉 2');

  // the public list says when a scheduled party starts
  await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Next week', media_url: files.url, scheduled_start: new Date(Date.now() + 7 * 86400_000).toISOString() } });
  await g.goto('/');
  await g.waitForFunction(() => [...document.querySelectorAll('#public-parties .party-item')].some((li) => /Next week.*starts in [67] d/.test(li.textContent)));

  assert.deepEqual(problems(h, [/^400 \/api\/parties\/[0-9a-f-]+\/$/]), []);
  assert.deepEqual(problems(g), []);
});

test('staff: the users list is shown and routed only for staff; deactivate and activate', async () => {
  const plain = await registerUser(server.url, 'pat');
  const target = await registerUser(server.url, 'tess');
  const admin = { username: `root${Math.random().toString(36).slice(2, 7)}`, password: 'Corr3ct-horse-battery' };
  execFileSync(BIN, ['createsuperuser', '--data-dir', server.dataDir, '--username', admin.username, '--email', `${admin.username}@example.com`, '--password', admin.password]);

  const P = await apiLoggedIn(browser.browser, server.url, plain);
  await P.page.goto('/admin/users');
  await P.page.waitForSelector('text=This page is for staff.');
  assert.equal(await P.page.locator('nav a[href="/admin/users"]').count(), 0, 'no staff link for others');
  assert.deepEqual(problems(P.page), []);

  const { page } = await apiLoggedIn(browser.browser, server.url, admin);
  page.on('dialog', (d) => d.accept());
  await page.goto('/');
  await page.click('#user-menu-button');
  await page.click('#user-menu a[href="/admin"]');
  await page.click('nav[aria-label=Admin] a[href="/admin/users"]');
  await page.waitForURL((u) => u.pathname === '/admin/users');
  await page.fill('#admin-search', target.username);
  await page.press('#admin-search', 'Enter');
  const row = page.locator('#admin-users li.user-item', { hasText: target.username });
  await row.waitFor();
  assert.equal(await page.locator('#admin-users li.user-item').count(), 1);
  await row.locator('button', { hasText: 'Deactivate' }).click();
  await row.locator('.badge', { hasText: 'deactivated' }).waitFor();
  assert.equal((await rest(server.url, '/api/auth/profile/', { token: target.token })).status, 401, 'the deactivated user is out at once');
  await page.selectOption('#admin-status', 'inactive');
  await page.waitForURL((u) => u.searchParams.get('status') === 'inactive');
  await row.waitFor();
  await shot(page, 'admin-users');
  await row.locator('button', { hasText: 'Activate' }).click();
  await row.locator('button', { hasText: 'Deactivate' }).waitFor();
  const back = await rest(server.url, '/api/auth/login/', { method: 'POST', body: { username: target.username, password: target.password } });
  assert.equal(back.status, 200, 'activated: may log in again');
  // The plan filter (billing's plans): the target has no subscription, so is on the free plan.
  await page.selectOption('#admin-status', '');
  await page.waitForURL((u) => !u.searchParams.has('status'));
  await page.selectOption('#admin-plan', 'free');
  await page.waitForURL((u) => u.searchParams.get('plan') === 'free');
  await row.waitFor();
  assert.deepEqual(problems(page), []);
});

test('an uploaded video: processing progress until ready, then it plays; download only when allowed', async () => {
  const owner = await registerUser(server.url, 'una');
  const viewer = await registerUser(server.url, 'val');
  const fd = new FormData();
  fd.append('title', 'Fresh upload');
  fd.append('file', new Blob([readFileSync(makeClip(tmpDir(), 8))], { type: 'video/mp4' }), 'fresh.mp4');
  const up = await fetch(`${server.url}/api/videos/`, { method: 'POST', headers: { Authorization: `Bearer ${owner.token}` }, body: fd });
  const v = await up.json();
  assert.equal(up.status, 201, JSON.stringify(v));

  const { page } = await apiLoggedIn(browser.browser, server.url, owner);
  await page.goto(`/videos/${v.id}`);
  // the page polls processing-status/ until the video is ready (seen processing, or already done)
  const sawProcessing = await page.waitForSelector('#processing-progress:not([hidden])', { timeout: 3000 }).then(() => true, () => false);
  await page.waitForFunction(() => document.querySelector('#video-facts .badge')?.textContent === 'ready', null, { timeout: 120000 });
  assert.equal(await page.isHidden('#processing-progress'), true);
  await page.waitForFunction(() => document.querySelector('#video-player')?.readyState >= 1, null, { timeout: 30000 });
  console.log(`processing progress shown while processing: ${sawProcessing}`);
  assert.equal(await page.isVisible('#download-video'), true, 'the uploader may always download');

  const V = await apiLoggedIn(browser.browser, server.url, viewer);
  await V.page.goto(`/videos/${v.id}`);
  await V.page.waitForSelector('#start-party');
  assert.equal(await V.page.locator('#download-video').count(), 0, 'no download unless allowed');
  await rest(server.url, `/api/videos/${v.id}/`, { method: 'PATCH', token: owner.token, body: { allow_download: true } });
  await V.page.reload();
  await V.page.waitForSelector('#download-video');
  const [dl] = await Promise.all([V.page.waitForEvent('download'), V.page.click('#download-video')]);
  assert.equal(dl.suggestedFilename(), 'Fresh upload.mp4');
  // playing counts a view
  await V.page.evaluate(() => { const el = document.querySelector('#video-player'); el.muted = true; return el.play(); });
  await V.page.waitForFunction(() => /^1 view$/.test(document.querySelector('#view-count')?.textContent || ''));
  assert.deepEqual(problems(page), []);
  assert.deepEqual(problems(V.page), []);
});

test('anonymous: the public videos and a video page are open, with a way to log in for the rest', async () => {
  const owner = await registerUser(server.url, 'ann');
  const made = await rest(server.url, '/api/videos/', { method: 'POST', token: owner.token, body: { title: 'Open to all', external_url: files.url } });
  await rest(server.url, `/api/videos/${made.data.id}/comments/`, { method: 'POST', token: owner.token, body: { content: 'Welcome' } });
  const { page } = await newPage(browser.browser, server.url, { width: 375, height: 740 });
  await page.goto('/videos/browse');
  await page.click('#browse-list .video-title:text-is("Open to all")');
  await page.waitForURL(new RegExp(`/videos/${made.data.id}$`));
  await page.locator('li.comment', { hasText: 'Welcome' }).waitFor();
  assert.equal(await page.isDisabled('#like-video'), true);
  assert.equal(await page.locator('#start-party').count(), 0);
  await page.click('#comment-form a[href="/login"]');
  await page.waitForURL((u) => u.pathname === '/login');
  await page.goBack();
  await page.locator('li.comment', { hasText: 'Welcome' }).waitFor();
  assert.deepEqual(problems(page), []);
});
