// Sync measured across two nodes: two servers on one PostgreSQL database and one Redis
// (scale-out), the host's page on node A, the guest's on node B. Needs WP_PG_URL and
// WP_REDIS_URL (scripts/test.sh starts both); skipped otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, makeClip, serveFile, rest, registerUser, uiLogin, settledSpread, stats, tmpDir, ROOT, problems, VIDEOS_MISSING } from './lib.mjs';

const PG = process.env.WP_PG_URL || '';
const REDIS = process.env.WP_REDIS_URL || '';
const skip = PG && REDIS ? false : 'needs WP_PG_URL and WP_REDIS_URL (scripts/test.sh provides them)';
let nodeA, nodeB, browser, files;

function newDatabase() {
  const m = /^postgresql:\/\/([^@]+)@([^:/]+):(\d+)\/(\w+)/.exec(PG);
  const [, user, host, port] = m;
  const name = `wp_e2e_${Math.random().toString(36).slice(2, 10)}`;
  execFileSync('psql', ['-q', '-h', host, '-p', port, '-U', user, '-d', 'postgres', '-c', `CREATE DATABASE ${name}`]);
  return `postgresql://${user}@${host}:${port}/${name}`;
}

before(async () => {
  if (skip) return;
  const db = newDatabase();
  nodeA = await startServer({ args: ['--database-url', db, '--redis-url', REDIS] });
  nodeB = await startServer({ args: ['--database-url', db, '--redis-url', REDIS] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await files?.close();
  await nodeA?.stop();
  await nodeB?.stop();
});

test('two pages on two nodes stay within 100 ms', { skip }, async () => {
  const host = await registerUser(nodeA.url, 'nhost');
  const guest = await registerUser(nodeB.url, 'nguest');
  files = await serveFile(makeClip(tmpDir(), 40));
  const party = await rest(nodeA.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Two nodes', media_url: files.url } });
  assert.equal(party.status, 201, JSON.stringify(party.data));
  const pid = party.data.id;
  const A = await newPage(browser.browser, nodeA.url);
  const B = await newPage(browser.browser, nodeB.url);
  const a = A.page, b = B.page;
  await uiLogin(a, host);
  await uiLogin(b, guest);
  await Promise.all([a.goto(`/parties/${pid}`), b.goto(`/parties/${pid}`)]);
  const ready = () => window.__wp && window.__wp.connected && window.__wp.video.readyState >= 2 && window.__wp.rttMs >= 0;
  await a.waitForFunction(ready, null, { timeout: 30000 });
  await b.waitForFunction(ready, null, { timeout: 30000 });
  // presence and chat cross the nodes
  await a.waitForSelector(`#participants li:has-text("${guest.username}")`);
  await b.fill('#chat-input', 'hello from node B');
  await b.press('#chat-input', 'Enter');
  await a.waitForSelector('#chat-log li:has-text("hello from node B")');

  const results = [];
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: play', results);
  await a.evaluate(() => { const s = document.querySelector('#seek'); s.value = '20'; s.dispatchEvent(new Event('change')); });
  await settledSpread(a, b, '2 nodes: seek to 20 s', results);
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: pause', results, { settleMs: 1500 });
  await a.click('#btn-play');
  await settledSpread(a, b, '2 nodes: play again', results);
  await b.evaluate(() => window.__wp.ws.close());
  await b.waitForFunction(() => window.__wp.connects > 1 && window.__wp.connected, null, { timeout: 15000 });
  await settledSpread(a, b, '2 nodes: guest reconnect', results);
  const s = stats(results.map((r) => r.spread_ms));
  console.log(`two nodes: spread over ${s.n} actions: min ${s.min.toFixed(1)} ms, median ${s.median.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
  const outDir = join(ROOT, 'tests', 'e2e', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'sync-two-nodes.json'), JSON.stringify({ date: new Date().toISOString(), summary: s, results }, null, 2));
  for (const r of results) assert.ok(r.spread_ms <= 100, `${r.action}: ${r.spread_ms} ms`);
  assert.deepEqual(problems(a, [VIDEOS_MISSING]), []);
  assert.deepEqual(problems(b, [VIDEOS_MISSING]), []);
  await A.context.close();
  await B.context.close();
});
