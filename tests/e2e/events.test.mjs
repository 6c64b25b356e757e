// Events in the browser (#16), two users in two browser contexts, one server. ann makes
// an event from the form with a time zone of its own (Paris), so the wall-clock time she
// picked is what is stored; bob (on a phone) RSVPs going and is counted on both pages;
// the .ics downloads and parses (Debian's python3-icalendar, hence /usr/bin/python3), with no line over 75 octets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, apiLoggedIn, rest, registerUser, problems, screenshot } from './lib.mjs';

const PHONE = { width: 375, height: 740 };
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const PARSE = `
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
e = cal.walk('VEVENT')[0]
print(str(e['SUMMARY']))
print(e.decoded('DTSTART').strftime('%Y-%m-%dT%H:%M:%SZ'))
`;

test('an event made in Paris time, an RSVP counted on both pages, the .ics downloaded and parsed', async () => {
  const ann = await registerUser(server.url, 'ann');
  const bob = await registerUser(server.url, 'bob');
  const A = await apiLoggedIn(browser.browser, server.url, ann);
  const B = await apiLoggedIn(browser.browser, server.url, bob, PHONE);
  const a = A.page;
  const b = B.page;

  // ann: Events → New event; 19:00 on 15 January next year in Paris is 18:00 UTC (winter time)
  await a.goto('/events');
  await a.click('#new-event');
  await a.locator('#event-form').waitFor();
  const year = new Date().getUTCFullYear() + 1;
  const title = 'Film night, with snacks; and a long title that makes the calendar fold its lines somewhere';
  await a.fill('#event-form input[name=title]', title);
  await a.fill('#event-form textarea[name=description]', 'Bring a blanket. Ünïcödé ok. '.repeat(6));
  await a.selectOption('#event-form select[name=timezone]', 'Europe/Paris');
  await a.fill('#event-form input[name=start_time]', `${year}-01-15T19:00`);
  await a.fill('#event-form input[name=end_time]', `${year}-01-15T21:30`);
  await a.fill('#event-form input[name=max_attendees]', '8');
  await a.click('#event-form button[type=submit]');
  await a.locator('#event-title').waitFor();
  const id = a.url().match(/\/events\/([0-9a-f-]{36})/)[1];
  const stored = await rest(server.url, `/api/events/${id}/`, { token: ann.token });
  assert.equal(stored.data.start_time, `${year}-01-15T18:00:00.000Z`);
  assert.equal(stored.data.end_time, `${year}-01-15T20:30:00.000Z`);
  assert.equal(stored.data.timezone, 'Europe/Paris');
  assert.match(await a.textContent('#event-counts'), /^0 going/);

  // bob finds it on the Events page (grouped under its day) and RSVPs going
  await b.goto('/events');
  await b.locator(`#events-upcoming li[data-event-id="${id}"]`).waitFor();
  assert.ok(await b.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the Events page fits 375 px');
  await b.click(`#events-upcoming li[data-event-id="${id}"] a`);
  await b.locator('#rsvp').waitFor();
  await b.click('button[aria-label="RSVP going"]');
  await b.waitForFunction(() => /^1 going/.test(document.querySelector('#event-counts')?.textContent || ''));
  assert.equal(await b.textContent('#my-attendance'), 'You are going.');
  await a.reload();
  await a.waitForFunction(() => /^1 going/.test(document.querySelector('#event-counts')?.textContent || ''));
  await a.locator(`#event-attendees li[data-user-id="${bob.id}"]`).waitFor();

  // the .ics downloads and parses; no line is over 75 octets
  const [download] = await Promise.all([b.waitForEvent('download'), b.click('button.ics')]);
  const path = await download.path();
  const raw = readFileSync(path);
  const lines = raw.toString('latin1').split('\r\n');
  assert.equal(lines.pop(), '', 'the file ends with CRLF');
  for (const l of lines) assert.ok(Buffer.byteLength(l, 'latin1') <= 75, `line over 75 octets: ${l}`);
  assert.ok(lines.some((l) => l.startsWith(' ')), 'long lines are folded');
  const [summary, start] = execFileSync('/usr/bin/python3', ['-c', PARSE, path]).toString().trim().split('\n');
  assert.equal(summary, title);
  assert.equal(start, `${year}-01-15T18:00:00Z`);
  await screenshot(b, 'event');
  assert.deepEqual(problems(a), []);
  assert.deepEqual(problems(b), []);
});
