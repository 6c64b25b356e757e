// Voice chat beyond the mesh (issue #17) in Chromium with fake media devices, through a real
// Janus (Debian's janus, started here on loopback by scripts/janus-start.sh) and our server
// with rtc_mesh_max 2: three pages join the voice chat; the third join moves the call to Janus
// (the first two get call_sfu); every page drops its mesh connections, talks to Janus with its
// own token, and hears the others in the AudioBridge mix (inbound audio grows and the mix's level
// shows the fake microphones' beeps). A share published to the VideoRoom reaches the others'
// tiles. Skipped when janus is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, freePort, ROOT } from './lib.mjs';

const JANUS = existsSync('/usr/bin/janus');
const ADMIN_SECRET = 'wp-e2e-admin-secret', API_SECRET = 'wp-e2e-api-secret';
let server, browser, files, janusDir;

before(async () => {
  if (!JANUS) return;
  janusDir = tmpDir('wp-e2e-janus-');
  const out = execFileSync(join(ROOT, 'scripts/janus-start.sh'),
    [janusDir, String(await freePort()), String(await freePort()), API_SECRET, ADMIN_SECRET], { encoding: 'utf8' });
  const [url, adminUrl] = out.trim().split(/\s+/);
  server = await startServer({ args: ['--rtc-mesh-max', '2', '--janus-url', url, '--janus-admin-url', adminUrl,
    '--janus-admin-secret', ADMIN_SECRET, '--janus-api-secret', API_SECRET] });
  browser = await launchBrowser({ extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
  files = await serveFile(makeClip(tmpDir(), 10));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
  if (janusDir) execFileSync(join(ROOT, 'scripts/janus-stop.sh'), [janusDir]);
});

function fakeScreen() {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const g = canvas.getContext('2d');
    let n = 0;
    setInterval(() => { g.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`; g.fillRect(0, 0, 320, 180); }, 50);
    return canvas.captureStream(20);
  };
}

const bytesIn = (page, kind) => page.evaluate(async (k) => {
  let total = 0;
  for (const p of window.__wpCall.peers()) {
    const stats = await p.pc.getStats();
    stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === k) total += s.bytesReceived || 0; });
  }
  return total;
}, kind);

async function grows(page, kind, label) {
  const first = await bytesIn(page, kind);
  await page.waitForTimeout(1500);
  const second = await bytesIn(page, kind);
  assert.ok(second > first && second > 0, `${label}: inbound ${kind} bytes ${first} -> ${second}`);
}

const state = (p) => p.evaluate(() => ({ mode: window.__wpCall?.mode, trace: window.__wpCall?.trace,
  peers: window.__wpCall?.peers().map((x) => ({ id: x.id, state: x.state, ice: x.pc.iceConnectionState })) }));

test('beyond the mesh three pages hear each other through Janus, and a share reaches the others', { skip: !JANUS && 'janus is not installed' }, async () => {
  const people = [];
  for (const name of ['ilse', 'jon', 'kim']) people.push(await registerUser(server.url, name));
  const created = await rest(server.url, '/api/parties/', { method: 'POST', token: people[0].token, body: { title: 'Big voice night', media_url: files.url } });
  const partyId = created.data.id;
  for (const u of people.slice(1))
    assert.equal((await rest(server.url, `/api/parties/${partyId}/join/`, { method: 'POST', token: u.token })).status, 200);
  const ctxs = [];
  for (const u of people) {
    const X = await apiLoggedIn(browser.browser, server.url, u);
    await X.context.grantPermissions(['microphone', 'camera']);
    await X.page.addInitScript(fakeScreen);
    await X.page.goto(`/parties/${partyId}`);
    await waitRoomReady(X.page);
    ctxs.push(X);
  }
  const pages = ctxs.map((X) => X.page);
  for (const p of pages) {
    await p.click('#voice-join');
    await p.waitForSelector('#voice-join:has-text("Leave voice")');
  }
  // every page ends up with one connection, to Janus, connected
  for (const [i, p] of pages.entries()) {
    await p.waitForFunction(() => {
      const peers = window.__wpCall?.peers() ?? [];
      return window.__wpCall.mode === 'sfu' && peers.length === 1 && peers[0].id === 'sfu' && peers[0].state === 'connected';
    }, null, { timeout: 30000 }).catch(async (e) => {
      throw new Error(`page ${i}: not connected to Janus: ${JSON.stringify(await Promise.all(pages.map(state)))}`, { cause: e });
    });
  }
  const call = await rest(server.url, `/api/parties/${partyId}/call/`, { token: people[0].token });
  assert.equal(call.data.mode, 'sfu');
  assert.equal(call.data.members.length, 3);
  // each hears the others: the mix arrives and carries the fake microphones' beeps
  for (const [i, p] of pages.entries()) {
    await grows(p, 'audio', `page ${i} receives the mix`);
    await p.waitForFunction(() => window.__wpCall.speaking.includes(''), null, { timeout: 40000, polling: 20 });
  }

  // a share goes to the VideoRoom and reaches the others' tiles
  await pages[0].click('#share-screen');
  await pages[0].waitForSelector('#share-screen:has-text("Stop sharing")');
  for (const p of pages.slice(1)) {
    await p.waitForSelector('#share-tile:not([hidden])', { timeout: 30000 });
    await p.waitForFunction(() => {
      const v = document.querySelector('#share-video');
      return v && v.videoWidth > 0 && v.readyState >= 2;
    }, null, { timeout: 30000 });
  }
  await pages[0].click('#share-screen');
  await pages[1].waitForSelector('#share-tile', { state: 'hidden', timeout: 20000 });

  // leaving: the page closes its Janus connection, the others stay in the room
  await pages[2].click('#voice-join');
  await pages[2].waitForFunction(() => window.__wpCall.peers().length === 0);
  await grows(pages[0], 'audio', 'the host still receives the mix');
  for (const [i, p] of pages.entries()) {
    assert.equal(await p.evaluate(() => window.__wp.connected), true, `page ${i}: the party socket stays up`);
    assert.deepEqual(problems(p), [], `page ${i} problems`);
  }
  for (const X of ctxs) await X.context.close();
});
