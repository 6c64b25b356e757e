// Voice chat beyond the mesh (issue #17) in Chromium with fake media devices, through a real
// Janus (Debian's janus, started here on loopback by scripts/janus-start.sh) and our server
// with rtc_mesh_max 2: three pages join the voice chat; the third join moves the call to Janus
// (the first two get call_sfu); every page drops its mesh connections, talks to Janus with its
// own token, and hears the others in the AudioBridge mix (inbound audio grows and the mix's level
// shows the fake microphones' beeps). One page speaks with a steady tone (its microphone is an
// oscillator): the others mark that member speaking from Janus's talking events; the host
// server-mutes it: every page shows it muted, its mark goes, Janus reports the participant muted;
// lifted, it is heard and marked again, also on a page whose voice_state comes after Janus's news. A share published to the VideoRoom reaches the others'
// tiles. Skipped when janus is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, freePort, ROOT } from './lib.mjs';

const JANUS = existsSync('/usr/bin/janus');
const ADMIN_SECRET = 'wp-e2e-admin-secret', API_SECRET = 'wp-e2e-api-secret';
let server, browser, files, janusDir, janusUrl;

before(async () => {
  if (!JANUS) return;
  janusDir = tmpDir('wp-e2e-janus-');
  const out = execFileSync(join(ROOT, 'scripts/janus-start.sh'),
    [janusDir, String(await freePort()), String(await freePort()), API_SECRET, ADMIN_SECRET], { encoding: 'utf8' });
  const [url, adminUrl] = out.trim().split(/\s+/);
  janusUrl = url;
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

// A microphone that speaks all the time: a 440 Hz tone, well above the room's talking level.
function toneMicrophone() {
  navigator.mediaDevices.getUserMedia = async () => {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.4;
    const out = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(out);
    osc.start();
    await ctx.resume();
    return out.stream;
  };
}

// Holds the party socket's voice_state for `gate.ms` on one page (and what follows it, so the order
// stays), to make our server's news arrive after Janus's.
async function holdVoiceState(page) {
  const gate = { ms: 0 };
  await page.routeWebSocket(/\/ws\/party\//, (ws) => {
    const server = ws.connectToServer();
    let queue = Promise.resolve();
    server.onMessage((m) => {
      const wait = gate.ms > 0 && String(m).includes('"voice_state"') ? gate.ms : 0;
      queue = queue.then(() => wait && new Promise((r) => setTimeout(r, wait))).then(() => ws.send(m));
    });
  });
  return gate;
}

// The server's view of a participant, asked of Janus directly (as the server does, with the API secret).
async function janusMuted(room) {
  const post = async (path, body) => (await fetch(janusUrl + path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, transaction: Math.random().toString(36).slice(2), apisecret: API_SECRET }) })).json();
  const session = (await post('', { janus: 'create' })).data.id;
  const handle = (await post(`/${session}`, { janus: 'attach', plugin: 'janus.plugin.audiobridge' })).data.id;
  const answer = await post(`/${session}/${handle}`, { janus: 'message', body: { request: 'listparticipants', room } });
  await post(`/${session}`, { janus: 'destroy' });
  return new Map(answer.plugindata.data.participants.map((p) => [p.id, p.muted]));
}

async function eventually(fn, what, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const speaks = (page, id) => page.evaluate((u) => window.__wpCall.speaking.includes(u), id);

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
  let jonsVoiceState;
  for (const [i, u] of people.entries()) {
    const X = await apiLoggedIn(browser.browser, server.url, u);
    await X.context.grantPermissions(['microphone', 'camera']);
    await X.page.addInitScript(fakeScreen);
    if (i === 1) jonsVoiceState = await holdVoiceState(X.page);
    if (i === 2) await X.page.addInitScript(toneMicrophone);
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

  // who speaks: Janus's talking events mark the member with the tone on the others' pages
  const kim = people[2];
  for (const p of pages.slice(0, 2))
    await p.waitForFunction((u) => window.__wpCall.speaking.includes(u), kim.id, { timeout: 20000, polling: 100 });
  // through Janus there is no volume per person (one mix): no sliders
  assert.equal(await pages[0].locator('#voice-members input.volume').count(), 0);
  const pid = (await rest(server.url, `/api/parties/${partyId}/call/`, { token: people[0].token }))
    .data.members.find((m) => m.user.id === kim.id).participant_id;
  assert.ok(pid > 0, 'the call names the participant id');
  const room = await pages[0].evaluate(() => window.__wpCall.sfuRoom);
  assert.equal((await janusMuted(room)).get(pid), false);

  // the host server-mutes kim: shown muted everywhere, the mark goes, Janus has the participant muted
  await pages[0].click(`li[data-user-id="${kim.id}"] button[data-slot="server-mute"]`);
  await pages[1].waitForSelector(`li[data-user-id="${kim.id}"]:has-text("muted by a moderator")`, { timeout: 15000 });
  await pages[2].waitForSelector('#voice-mute:has-text("Muted by a moderator")', { timeout: 15000 });
  assert.equal((await janusMuted(room)).get(pid), true);
  for (const p of pages.slice(0, 2)) await eventually(async () => !(await speaks(p, kim.id)), 'the muted member unmarked');
  await pages[1].waitForTimeout(2500);  // two of Janus's level windows: still silent
  assert.equal(await speaks(pages[1], kim.id), false, 'a server-muted member is not marked speaking');
  assert.equal((await janusMuted(room)).get(pid), true);

  // lifted: heard and marked again, also where Janus's unmute comes before our voice_state (Janus
  // kept its verdict through the mute and says it once)
  jonsVoiceState.ms = 2000;
  await pages[0].click(`li[data-user-id="${kim.id}"] button[data-slot="server-mute"]`);
  await pages[1].waitForFunction((u) => window.__wpCall.speaking.includes(u), kim.id, { timeout: 20000, polling: 100 });
  jonsVoiceState.ms = 0;
  assert.equal((await janusMuted(room)).get(pid), false);

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
