// Sync measured across two nodes: two servers on one PostgreSQL database, one Redis and
// one data dir (scale-out, as docs/operations.md "Several nodes" sets them up), the host's
// page on node A, the guest's on node B, both playing the HLS renditions of a clip
// uploaded to node A. Needs WP_PG_URL and WP_REDIS_URL (scripts/test.sh starts both);
// skipped otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startTwoNodes, twoNodesSkip as skip, launchBrowser, newPage, makeClip, rest, registerUser, uiLogin, settledSpread, stats, tmpDir, ROOT, problems, waitRoomReady,
  syncIndicator, INDICATOR_PLAYING, INDICATOR_PAUSED, recordConnLabels, connLabels,
} from './lib.mjs';
import { uploadAndWait } from './videos.mjs';

let nodeA, nodeB, browser;

before(async () => {
  if (skip) return;
  [nodeA, nodeB] = await startTwoNodes();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await nodeA?.stop();
  await nodeB?.stop();
});

test('two pages on two nodes playing HLS: every sample within 100 ms', { skip }, async () => {
  const host = await registerUser(nodeA.url, 'nhost');
  const guest = await registerUser(nodeB.url, 'nguest');
  const video = await uploadAndWait(nodeA.url, host.token, makeClip(tmpDir(), 40, '320x180'), 'two-node clip');
  assert.ok(video.hls_url, `processed video without hls_url: ${JSON.stringify(video)}`);
  const party = await rest(nodeA.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Two nodes', video_id: video.id } });
  assert.equal(party.status, 201, JSON.stringify(party.data));
  const pid = party.data.id;
  const A = await newPage(browser.browser, nodeA.url);
  const B = await newPage(browser.browser, nodeB.url);
  const a = A.page, b = B.page;
  await uiLogin(a, host);
  await uiLogin(b, guest);
  await Promise.all([a.goto(`/parties/${pid}`), b.goto(`/parties/${pid}`)]);
  await waitRoomReady(a);
  await waitRoomReady(b);
  // both pages play the renditions through hls.js (node B reads them from the shared data dir)
  for (const p of [a, b]) assert.match(await p.evaluate(() => window.__wp.video.currentSrc), /^blob:/, 'HLS through hls.js (MSE)');
  // presence and chat cross the nodes
  await a.waitForSelector(`#participants li:has-text("${guest.username}")`);
  await b.fill('#chat-input', 'hello from node B');
  await b.press('#chat-input', 'Enter');
  await a.waitForSelector('#chat-log li:has-text("hello from node B")');

  const results = [];
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: play', results);
  assert.match(await syncIndicator(b), INDICATOR_PLAYING);
  await a.evaluate(() => { const s = document.querySelector('#seek'); s.value = '20'; s.dispatchEvent(new Event('change')); });
  await settledSpread(a, b, '2 nodes: seek to 20 s', results);
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: pause', results, { settleMs: 1500 });
  assert.match(await syncIndicator(b), INDICATOR_PAUSED);
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: play again', results);
  await recordConnLabels(b);
  await b.evaluate(() => window.__wp.ws.close());
  await b.waitForFunction(() => window.__wp.connects > 1 && window.__wp.connected, null, { timeout: 15000 });
  const labels = await connLabels(b);
  assert.ok(labels.some((l) => l.startsWith('Reconnecting')), `connection labels: ${labels.join(' | ')}`);
  assert.equal(labels.at(-1), 'Connected');
  await settledSpread(a, b, '2 nodes: guest reconnect', results);
  assert.match(await syncIndicator(b), INDICATOR_PLAYING);
  const s = stats(results.map((r) => r.spread_ms));
  console.log(`two nodes: worst sample per action over ${s.n} actions: min ${s.min.toFixed(1)} ms, median ${s.median.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
  const outDir = join(ROOT, 'tests', 'e2e', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'sync-two-nodes.json'), JSON.stringify({ source: 'processed video (HLS), uploaded to node A', date: new Date().toISOString(), summary: s, results }, null, 2));
  for (const r of results) assert.ok(r.spread_ms <= 100, `${r.action}: worst sample ${r.spread_ms} ms`);
  assert.deepEqual(problems(a), []);
  assert.deepEqual(problems(b), []);
  await A.context.close();
  await B.context.close();
});
