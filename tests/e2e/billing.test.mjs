// Plans in the browser (#18): a free user upgrades through the payment provider's
// checkout page (a fake speaking Stripe's API subset, sending signed webhooks), comes
// back to the app and sees premium; the invoice is listed in the billing history. A refund
// from the provider lists a credit note against that invoice, whose PDF downloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, apiLoggedIn, registerUser, tmpDir, rest } from './lib.mjs';

const KEY = 'sk_test_e2e';
const WHSEC = 'whsec_e2e';
let server, browser, fake;

// The provider: customers, Checkout Sessions, a checkout page whose Pay button sends the events.
function startFake() {
  const sessions = new Map();
  let n = 0;
  const id = (p) => `${p}_e2e_${++n}`;
  const srv = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const form = Object.fromEntries(new URLSearchParams(raw));
    const json = (status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    const m = req.url.match(/^\/checkout\/([^/]+)(\/pay)?$/);
    if (m && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end(`<!doctype html><html lang=en><title>Pay</title><form method=post action="/checkout/${m[1]}/pay"><button id=pay>Pay 4.99 EUR</button></form></html>`);
    }
    if (m && m[2]) {
      const s = sessions.get(m[1]);
      const now = Math.floor(Date.now() / 1000);
      const sub = { id: id('sub'), customer: s.customer, status: 'active', start_date: now, current_period_start: now,
        current_period_end: now + 2592000, cancel_at_period_end: false, metadata: { user_id: s.user_id, plan: s.item } };
      await send('customer.subscription.created', sub);
      await send('checkout.session.completed', { id: m[1], mode: 'subscription', customer: s.customer, subscription: sub.id, payment_status: 'paid' });
      await send('invoice.paid', { id: id('in'), customer: s.customer, subscription: sub.id, amount_paid: 499, currency: 'eur',
        customer_address: { country: 'DE' }, lines: { data: [{ description: 'Premium', quantity: 1, amount: 499 }] } });
      res.writeHead(303, { Location: s.success_url.replace('{CHECKOUT_SESSION_ID}', m[1]) });
      return res.end();
    }
    if (req.headers.authorization !== `Bearer ${KEY}`) return json(401, { error: { message: 'bad key' } });
    if (req.url === '/v1/customers') return json(200, { id: id('cus') });
    if (req.url === '/v1/checkout/sessions') {
      const sid = id('cs');
      sessions.set(sid, { customer: form.customer, user_id: form['metadata[user_id]'], item: form['metadata[item]'], success_url: form.success_url });
      return json(200, { id: sid, url: `${fake.url}/checkout/${sid}` });
    }
    json(404, { error: { message: 'not here' } });
  });
  async function send(type, object) {
    const body = JSON.stringify({ id: id('evt'), type, created: Math.floor(Date.now() / 1000), data: { object } });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', WHSEC).update(`${t}.${body}`).digest('hex');
    const r = await fetch(`${server.url}/api/billing/webhook/`, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': `t=${t},v1=${v1}` } });
    assert.equal(r.status, 200, await r.text());
  }
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, send, url: `http://127.0.0.1:${srv.address().port}` })));
}

before(async () => {
  fake = await startFake();
  const file = join(tmpDir(), 'billing.toml');
  writeFileSync(file, '[plans.free]\nname = "Free"\nmax_party_size = 3\n[plans.premium]\nname = "Premium"\nprice = 499\nmax_party_size = 50\n');
  server = await startServer({ args: ['--billing-file', file, '--stripe-api-url', fake.url, '--stripe-secret-key', KEY,
    '--stripe-webhook-secret', WHSEC] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  fake?.srv.close();
});

test('upgrade through the provider checkout and back: the plan shows premium, the invoice is listed', async () => {
  const user = await registerUser(server.url, 'payer');
  const { page } = await apiLoggedIn(browser.browser, server.url, user);
  await page.goto('/settings/plans');
  assert.equal(await page.locator('#current-plan-name').textContent(), 'Free');
  await page.getByRole('button', { name: 'Upgrade to Premium' }).click();
  await page.waitForURL(new RegExp(`^${fake.url}/checkout/`));
  await page.click('#pay');
  await page.waitForURL(/\/settings\/plans\?checkout=success/);
  await page.locator('#current-plan-name', { hasText: 'Premium' }).waitFor();
  assert.match(await page.locator('#plan-status').textContent(), /Renews/);
  await page.click('a[href="/settings/billing"]');
  await page.locator('#invoices li.invoice').first().waitFor();
  assert.match(await page.locator('#invoices li.invoice').first().textContent(), /Invoice \d{4}-000001.*4\.99 EUR/);

  // The provider refunds the charge: a credit note against the invoice.
  const charge = (await rest(server.url, '/api/billing/payments/', { token: user.token })).data.results[0];
  await fake.send('charge.refunded', { id: 'ch_e2e_refund', invoice: charge.transaction_id, amount_refunded: 499, currency: 'eur',
    refunds: { data: [{ id: 're_e2e_1', amount: 499, reason: 'requested_by_customer' }] } });
  await page.reload();
  const note = page.locator('#credit-notes li.credit-note').first();
  await note.waitFor();
  assert.match(await note.textContent(), /Credit note CN-\d{4}-000001.*4\.99 EUR · credits invoice \d{4}-000001 · Requested by the customer/);
  const [download] = await Promise.all([page.waitForEvent('download'), note.getByRole('button', { name: /PDF of credit note CN-/ }).click()]);
  assert.match(download.suggestedFilename(), /^credit-note-CN-\d{4}-000001\.pdf$/);
});
