// Resumable upload through the UI (tus): pause mid-upload, press Upload again with the
// same file, and the upload continues from the server's offset instead of byte 0; the
// video is then processed and plays (HLS through hls.js). WP_E2E_BASE_URL points the test at a running server instead of starting one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, registerUser, uiLogin, sleep, tmpDir, problems } from './lib.mjs';

let server, browser, base;
before(async () => {
  if (process.env.WP_E2E_BASE_URL) base = process.env.WP_E2E_BASE_URL;
  else { server = await startServer(); base = server.url; }
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('upload: pause and resume (tus), then processing and playback', async () => {
  const u = await registerUser(base, 'up');
  // ~20 MB, so that the 8 MiB chunks leave a point to pause at
  const file = join(tmpDir(), 'upload.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=20:size=640x360:rate=25,noise=alls=60:allf=t',
    '-f', 'lavfi', '-i', 'sine=duration=20', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '8M', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-shortest', file]);
  const { context, page } = await newPage(browser.browser, base);
  const patches = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH' && r.url().includes('/api/videos/uploads/')) patches.push(Number(r.headers()['upload-offset']));
  });
  // slow the chunks down enough to press Pause between two of them
  await context.route('**/api/videos/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH') await sleep(1500);
    await route.continue().catch(() => {});
  });
  await uiLogin(page, u);
  await page.goto('/videos');
  await page.setInputFiles('input[type=file]', file);
  await page.fill('#upload-form input[name=title]', 'resumable');
  await page.click('#upload-form button[type=submit]');
  await page.waitForFunction(() => Number(document.querySelector('#upload-progress')?.value) > 5, null, { timeout: 30000 });
  await page.waitForFunction(() => Number(document.querySelector('#upload-progress')?.value) > 38, null, { timeout: 30000 });
  await page.click('#upload-form button:has-text("Pause")');
  await page.waitForSelector('text=Paused: press Upload');
  const before = [...patches];
  await page.click('#upload-form button[type=submit]');
  await page.waitForSelector('#video-list .video-item:has-text("resumable") .badge.ready', { timeout: 180000 });
  const resumedFrom = patches.slice(before.length).filter((o) => o > 0);
  console.log(`PATCH offsets before pause: ${before.join(', ')}; after: ${patches.slice(before.length).join(', ')}`);
  assert.ok(resumedFrom.length > 0 && patches.slice(before.length)[0] > 0, 'the second Upload resumed at a non-zero offset');
  await page.click('#video-list a:has-text("resumable")');
  await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, null, { timeout: 30000 });
  assert.match(await page.evaluate(() => document.querySelector('video').currentSrc), /^blob:/, 'HLS through hls.js (MSE)');
  assert.deepEqual(problems(page), []);
  await context.close();
});
