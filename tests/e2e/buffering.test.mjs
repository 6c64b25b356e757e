// Buffering: the guest's media requests are slowed down right when the host seeks far
// ahead; the guest reports `buffering`, the party goes `waiting` (shown on the host's
// page), and when the guest is `ready` everyone resumes together, in sync.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, serveFile, rest, registerUser, uiLogin, sleep, tmpDir, problems, waitRoomReady } from './lib.mjs';

let server, browser, files;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await files?.close();
  await server?.stop();
});

test('a buffering member puts the party in waiting, and ready resumes it in sync', async () => {
  // a 60 s clip at a high bitrate (noise), so the browser cannot have all of it buffered
  const clip = join(tmpDir(), 'big.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=60:size=640x360:rate=25,noise=alls=60:allf=t',
    '-f', 'lavfi', '-i', 'sine=duration=60', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '6M', '-g', '50', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-shortest', '-movflags', '+faststart', clip]);
  files = await serveFile(clip);
  const host = await registerUser(server.url, 'bhost');
  const guest = await registerUser(server.url, 'bguest');
  const party = await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Buffering', media_url: files.url } });
  assert.equal(party.status, 201);
  const pid = party.data.id;
  const A = await newPage(browser.browser, server.url);
  const B = await newPage(browser.browser, server.url);
  const a = A.page, b = B.page;
  let slow = false;
  let delayed = 0;
  await B.context.route('**/clip.mp4', async (route) => {
    if (slow) { delayed++; await sleep(2500); }
    await route.continue().catch(() => {});
  });
  await uiLogin(a, host);
  await uiLogin(b, guest);
  await Promise.all([a.goto(`/parties/${pid}`), b.goto(`/parties/${pid}`)]);
  await waitRoomReady(a);
  await waitRoomReady(b);
  await a.click('#btn-play');
  await sleep(2000);

  // record every playback status the host sees from now on
  await a.evaluate(() => {
    window.__statuses = [];
    setInterval(() => { const s = window.__wp.playback?.status; if (window.__statuses.at(-1) !== s) window.__statuses.push(s); }, 20);
  });
  slow = true;
  await a.evaluate(() => { const s = document.querySelector('#seek'); s.value = '50'; s.dispatchEvent(new Event('change')); });
  await a.waitForSelector('#waiting', { state: 'visible', timeout: 10000 });
  const shown = await a.textContent('#waiting');
  slow = false;
  await a.waitForFunction(() => window.__wp.playback.status === 'playing' && window.__wp.stats.mode === 'in-sync', null, { timeout: 30000 });
  const statuses = await a.evaluate(() => window.__statuses);
  console.log(`host saw: ${statuses.join(' -> ')}; guest requests delayed: ${delayed}; overlay: "${shown}"`);
  assert.ok(statuses.includes('waiting'), 'the party went waiting');
  assert.equal(statuses.at(-1), 'playing');
  await sleep(2000);
  const fn = () => window.__wp.sample();
  const [sa, sb] = await Promise.all([a.evaluate(fn), b.evaluate(fn)]);
  const T = Math.max(sa.clientMs, sb.clientMs);
  const at = (s) => s.currentTime + (s.paused ? 0 : ((T - s.clientMs) / 1000) * s.playbackRate);
  const spread = Math.abs(at(sa) - at(sb)) * 1000;
  console.log(`spread after the wait: ${spread.toFixed(1)} ms at t=${sa.currentTime.toFixed(2)}`);
  assert.ok(spread < 100, `spread ${spread} ms`);
  assert.deepEqual(problems(a), []);
  assert.deepEqual(problems(b), []);
  await A.context.close();
  await B.context.close();
});
