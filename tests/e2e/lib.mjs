// Shared helpers for the browser tests: the real server on an ephemeral port, Debian's
// Chromium through playwright-core, an ffmpeg clip, a tiny Range-capable file server,
// and REST shortcuts.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, statSync, createReadStream, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.WP_BIN || join(ROOT, 'build', 'watchparty');
export const CHROMIUM = process.env.WP_CHROMIUM || '/usr/bin/chromium';
export const WEB_DIST = join(ROOT, 'web', 'dist');

const tmpDirs = [];
process.on('exit', () => { for (const d of tmpDirs) rmSync(d, { recursive: true, force: true }); });
/** A temporary directory, removed when the test process exits. */
export function tmpDir(prefix = 'wp-e2e-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

/**
 * Starts `watchparty serve` on a free port (or on `port`); resolves once it logs its address. Nodes of
 * one deployment pass the same `dataDir` (docs/operations.md, "Several nodes"); a given
 * directory is left in place by stop() (tmpDir removes it at exit).
 */
export async function startServer({ args = [], env = {}, dataDir: sharedDir = null, port = 0 } = {}) {
  const dataDir = sharedDir || tmpDir('wp-e2e-data-');
  const proc = spawn(BIN, ['serve', '--port', String(port), '--data-dir', dataDir, '--password-hash-cost', 'min', '--web-dir', WEB_DIST, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start:\n' + log)), 20000);
    const onData = (d) => {
      log += d.toString();
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited ${code}:\n${log}`)); });
  });
  proc.removeAllListeners('exit');
  let stopping = false;
  // A server that dies under a test would otherwise leave only "fetch failed" behind.
  proc.on('exit', (code, signal) => {
    if (!stopping) console.error(`server ${url} exited unexpectedly (code ${code}, signal ${signal}); its last output:\n${log.slice(-6000)}`);
  });
  return {
    url,
    dataDir,
    log: () => log,
    async stop() {
      stopping = true;
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 15000); proc.on('exit', () => { clearTimeout(t); r(); }); });
      }
      if (!sharedDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Why two-node tests cannot run here (no WP_PG_URL or WP_REDIS_URL), or false. */
export const twoNodesSkip = process.env.WP_PG_URL && process.env.WP_REDIS_URL
  ? false : 'needs WP_PG_URL and WP_REDIS_URL (scripts/test.sh provides them)';

/** A new, empty database on the PostgreSQL server of WP_PG_URL; its URL. */
export function newPgDatabase(pgUrl = process.env.WP_PG_URL) {
  const [, user, host, port] = /^postgresql:\/\/([^@]+)@([^:/]+):(\d+)\/(\w+)/.exec(pgUrl);
  const name = `wp_e2e_${Math.random().toString(36).slice(2, 10)}`;
  execFileSync('psql', ['-q', '-h', host, '-p', port, '-U', user, '-d', 'postgres', '-c', `CREATE DATABASE ${name}`]);
  return `postgresql://${user}@${host}:${port}/${name}`;
}

/**
 * Two nodes of one deployment (docs/operations.md, "Several nodes"): a new PostgreSQL
 * database, the Redis of WP_REDIS_URL under a prefix of their own, one data dir.
 */
export async function startTwoNodes({ args = [] } = {}) {
  const dataDir = tmpDir('wp-e2e-shared-');
  const prefix = `wp-e2e-${Math.random().toString(36).slice(2, 8)}:`;
  const shared = ['--database-url', newPgDatabase(), '--redis-url', process.env.WP_REDIS_URL, '--redis-prefix', prefix, ...args];
  const a = await startServer({ args: shared, dataDir });
  const b = await startServer({ args: shared, dataDir });
  return [a, b];
}

/** A TCP port free a moment ago, for a server whose address must be known before it starts. */
export async function freePort() {
  const srv = createNetServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// extraArgs: more Chromium switches (the voice chat test's fake media devices).
export async function launchBrowser({ extraArgs = [] } = {}) {
  // chromium.launch() gives every run a fresh temporary user-data-dir of its own (and
  // refuses a --user-data-dir argument), so no profile leaks between runs.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
      ...extraArgs,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

// What a page logs when the test itself cuts its network: failed socket and request
// errors. Accepted only while page.networkCut is set (see cutNetwork).
const NETWORK_ERROR = /net::ERR_|WebSocket connection to .* failed/;

/**
 * A page that records what must not happen: console errors, uncaught exceptions,
 * 4xx/5xx responses (into badResponses) and failed requests. Requests the page itself
 * aborts (a media element or hls.js dropping a range it no longer needs after a seek)
 * are not failures.
 */
export async function newPage(browser, baseURL, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  watchPage(page);
  return { context, page };
}

export function watchPage(page) {
  page.errors = [];
  page.badResponses = [];
  page.networkCut = false;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx/5xx fetch as "Failed to load resource"; those are checked
    // precisely through badResponses instead.
    if (/^Failed to load resource: the server responded with a status of/.test(m.text())) return;
    if (page.networkCut && NETWORK_ERROR.test(m.text())) return;
    page.errors.push(m.text());
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    if (why === 'net::ERR_ABORTED' || (page.networkCut && NETWORK_ERROR.test(why))) return;
    page.errors.push(`request failed: ${r.method()} ${new URL(r.url()).pathname} ${why}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) page.badResponses.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
}

/** Runs `fn` with the page's network errors expected (the test cuts its network). */
export async function cutNetwork(page, fn) {
  page.networkCut = true;
  try { return await fn(); } finally { page.networkCut = false; }
}

/** An H.264/AAC clip of `seconds` made by ffmpeg (the command of the issue). */
export function makeClip(dir, seconds = 10, size = '640x360') {
  const out = join(dir, `clip${seconds}-${size}.mp4`);
  if (existsSync(out)) return out;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=${size}:rate=25`, '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', out]);
  return out;
}

/** Serves one file with Range support (for parties that play a direct media_url). */
export async function serveFile(path, type = 'video/mp4') {
  const size = statSync(path).size;
  const srv = createServer((req, res) => {
    const range = req.headers.range && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range);
    const headers = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' };
    if (range) {
      let start = range[1] === '' ? size - Number(range[2]) : Number(range[1]);
      let end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size) { res.writeHead(416, { 'Content-Range': `bytes */${size}` }); res.end(); return; }
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
      if (req.method === 'HEAD') return res.end();
      createReadStream(path, { start, end }).pipe(res);
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': size });
      if (req.method === 'HEAD') return res.end();
      createReadStream(path).pipe(res);
    }
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}/clip.mp4`, close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }) };
}

export async function rest(base, path, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: r.status, data, headers: r.headers };
}

export async function registerUser(base, name) {
  const u = `${name}${Math.random().toString(36).slice(2, 7)}`;
  const password = 'Corr3ct-horse-battery';
  const r = await rest(base, '/api/auth/register/', { method: 'POST', body: { username: u, email: `${u}@example.com`, password } });
  if (r.status !== 201) throw new Error(`register ${r.status} ${JSON.stringify(r.data)}`);
  return { username: u, password, token: r.data.access_token, id: r.data.user.id };
}

/**
 * A browser context logged in as `user` through the API (no login form): its refresh
 * token is stored where the client keeps it, and the first page load restores the session.
 */
export async function apiLoggedIn(browser, baseURL, user, viewport = { width: 1280, height: 800 }) {
  const r = await rest(baseURL, '/api/auth/login/', { method: 'POST', body: { username: user.username, password: user.password } });
  if (r.status !== 200 || !r.data.refresh_token) throw new Error(`login ${r.status} ${JSON.stringify(r.data)}`);
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  watchPage(page);
  await page.goto('/api/health/');
  await page.evaluate((rt) => localStorage.setItem('wp_refresh_token', rt), r.data.refresh_token);
  return { context, page };
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret at time t (ms). */
export function totp(secretB32, t = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA and best practice). */
export async function axeSerious(page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Logs a page in through the UI. */
export async function uiLogin(page, user) {
  await page.goto('/login');
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password);
  await page.click('form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Logs out through the user menu of the top bar. */
export async function uiLogout(page) {
  await page.click('#user-menu-button');
  await page.click('#logout');
}

/**
 * Waits until the party room is connected, has a clock offset and a playable video; on a
 * timeout, says which of these is missing and what the page shows.
 */
export async function waitRoomReady(page, timeout = 30000) {
  const ready = () => window.__wp && window.__wp.connected && window.__wp.video.readyState >= 2 && window.__wp.rttMs >= 0;
  try {
    await page.waitForFunction(ready, null, { timeout });
  } catch (e) {
    const state = await page.evaluate(() => {
      const w = window.__wp;
      const v = w?.video;
      return {
        url: location.pathname, hook: !!w, connected: w?.connected, rttMs: w?.rttMs, src: v?.currentSrc,
        readyState: v?.readyState, mediaError: v?.error?.message || v?.error?.code, overlay: document.querySelector('.overlay:not([hidden])')?.textContent,
      };
    }).catch((x) => String(x));
    throw new Error(`party room not ready: ${JSON.stringify(state)}; problems so far: ${JSON.stringify(problems(page))}`, { cause: e });
  }
}

/** Console errors, failed requests, and failed responses other than `allowed` (regexps). */
export function problems(page, allowed = []) {
  return [...page.errors, ...page.badResponses.filter((r) => !allowed.some((re) => re.test(r)))];
}

/** Both pages at one instant; positions projected to a common local-clock instant. */
export async function sampleSpread(a, b) {
  const fn = () => window.__wp.sample();
  const [sa, sb] = await Promise.all([a.evaluate(fn), b.evaluate(fn)]);
  const T = Math.max(sa.clientMs, sb.clientMs);
  const at = (s) => s.currentTime + (s.paused ? 0 : ((T - s.clientMs) / 1000) * s.playbackRate);
  return { spreadMs: Math.abs(at(sa) - at(sb)) * 1000, a: sa, b: sb };
}

/**
 * After `settleMs`, samples both pages `samples` times, 120 ms apart. The action's
 * spread is the worst of its samples (spread_ms), so one bad sample fails the check.
 */
export async function settledSpread(a, b, label, results, { settleMs = 2000, samples = 5 } = {}) {
  await sleep(settleMs);
  const xs = [];
  let last;
  for (let i = 0; i < samples; i++) {
    last = await sampleSpread(a, b);
    xs.push(last.spreadMs);
    await sleep(120);
  }
  const s = stats(xs);
  const drift = [last.a, last.b].map((x) => Math.round((x.currentTime - x.expected) * 1000));
  console.log(`${label}: spread max ${s.max.toFixed(1)} ms (min ${s.min.toFixed(1)}, median ${s.median.toFixed(1)}) · drift vs party a=${drift[0]} ms b=${drift[1]} ms · modes ${last.a.mode}/${last.b.mode} · t=${last.a.currentTime.toFixed(2)}`);
  results.push({ action: label, spread_ms: s.max, median_ms: s.median, samples_ms: xs.map((x) => +x.toFixed(2)), drift_ms: drift });
  return s.max;
}

/** The sync indicator's text, which must show the offset in ms once settled. */
export async function syncIndicator(page) {
  return (await page.textContent('#sync-indicator')).trim();
}
export const INDICATOR_PLAYING = /^(in sync|adjusting) [+-]\d+ ms$/;
export const INDICATOR_PAUSED = /^paused [+-]\d+ ms$/;

/** Starts recording every text of the connection label (read with connLabels). */
export async function recordConnLabels(page) {
  await page.evaluate(() => {
    const el = document.querySelector('#conn-state');
    window.__connLabels = [el.textContent];
    new MutationObserver(() => window.__connLabels.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
}
export const connLabels = (page) => page.evaluate(() => window.__connLabels);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { min: s[0], median: med, max: s[s.length - 1], n: s.length };
}

export function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** With WP_E2E_SCREENSHOTS=<dir>, saves the page (focus and scroll reset first) as <dir>/<name>.png. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  const dir = process.env.WP_E2E_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => { document.activeElement?.blur?.(); window.scrollTo(0, 0); });
  await sleep(300);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}
