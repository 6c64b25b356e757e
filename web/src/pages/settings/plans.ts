// /settings/plans: the current plan and its limits, upgrade (to the payment
// provider's checkout page and back), manage in the provider's portal, cancel.
import { api } from '../../api';
import { h, clear, fmtBytes, fmtDateTime } from '../../ui';
import { toast, toastError } from '../../toast';
import { section } from './layout';

interface Limits {
  max_party_size: number;
  max_upload_bytes: number;
  storage_quota_bytes: number;
  hd_renditions: boolean;
  downloads: boolean;
  voice_above_mesh: boolean;
}
interface Plan { id: string; name: string; price: number; currency: string; interval: string; price_display: string; limits: Limits }
interface Subscription { id: string; plan: string; status: string; auto_renew: boolean; current_period_end: string | null }
interface Current { plan: Plan; subscription: Subscription | null; grace_until: string | null }

function limitList(l: Limits) {
  const bytes = (n: number) => (n > 0 ? fmtBytes(n) : 'no limit');
  return h('ul', { class: 'plan-limits' },
    h('li', null, `Parties of up to ${l.max_party_size} members`),
    h('li', null, `Uploads: ${bytes(l.max_upload_bytes)} each, ${bytes(l.storage_quota_bytes)} in all`),
    h('li', null, l.downloads ? 'Downloads' : 'No downloads'),
    h('li', null, l.voice_above_mesh ? 'Large voice chats' : 'Small voice chats only'));
}

async function go(path: string, body?: unknown) {
  const r = await api<{ url: string }>(path, { method: 'POST', body });
  window.location.assign(r.url);
}

function currentCard(c: Current, reload: () => void) {
  const sub = c.subscription;
  const live = sub && ['active', 'trialing', 'past_due'].includes(sub.status);
  const status = !sub ? 'No subscription'
    : sub.status === 'past_due' ? `Payment failed: update your payment method${c.grace_until ? ` before ${fmtDateTime(c.grace_until)}` : ''}`
    : !sub.auto_renew && live ? `Ends ${fmtDateTime(sub.current_period_end)}`
    : live ? `Renews ${fmtDateTime(sub.current_period_end)}` : `Subscription ${sub.status}`;
  const manage = h('button', { type: 'button', class: 'secondary', id: 'manage-billing' }, 'Manage billing');
  manage.addEventListener('click', () => go('/api/billing/portal/').catch((e) => toastError(e, 'Billing portal')));
  const cancel = h('button', { type: 'button', class: 'danger', id: 'cancel-plan' }, 'Cancel at period end');
  cancel.addEventListener('click', async () => {
    if (!confirm('Cancel your subscription at the end of this period?')) return;
    try {
      await api('/api/billing/subscription/cancel/', { method: 'POST' });
      toast('Your plan ends at the end of this period.');
      reload();
    } catch (e) {
      toastError(e, 'Cancel');
    }
  });
  return section('Current plan', 'current-plan',
    h('p', null, h('strong', { id: 'current-plan-name' }, c.plan.name), ' · ', h('span', { class: 'muted', id: 'plan-status' }, status)),
    limitList(c.plan.limits),
    sub ? h('div', { class: 'actions' }, manage, live && sub.auto_renew ? cancel : null) : null);
}

function planCard(p: Plan, c: Current) {
  const mine = p.id === c.plan.id;
  const live = c.subscription && ['active', 'trialing', 'past_due'].includes(c.subscription.status);
  const upgrade = h('button', { type: 'button', class: 'primary', 'data-plan': p.id }, `Upgrade to ${p.name}`);
  upgrade.addEventListener('click', () => {
    upgrade.disabled = true;
    go('/api/billing/checkout/', { plan: p.id }).catch((e) => {
      upgrade.disabled = false;
      toastError(e, 'Checkout');
    });
  });
  return h('li', { class: `card plan${mine ? ' current' : ''}` },
    h('h3', null, p.name),
    h('p', { class: 'price' }, p.price ? `${p.price_display} / ${p.interval}` : 'Free'),
    limitList(p.limits),
    mine ? h('p', { class: 'muted' }, 'Your plan') : p.price > 0 && !live ? upgrade : null);
}

export async function plansPage(content: HTMLElement) {
  content.append(h('h1', null, 'Plans'));
  const body = h('div', { class: 'plans' });
  content.append(body);
  const params = new URLSearchParams(window.location.search);
  if (params.get('checkout') === 'success') toast('Thank you: your plan is active once the payment is confirmed.');
  const load = async () => {
    try {
      const [current, all] = await Promise.all([
        api<Current>('/api/billing/subscription/'),
        api<{ plans: Plan[] }>('/api/billing/plans/'),
      ]);
      clear(body, currentCard(current, load),
        section('All plans', 'all-plans', h('ul', { class: 'plan-list' }, all.plans.map((p) => planCard(p, current)))));
    } catch (e) {
      clear(body, h('p', { class: 'error', role: 'alert' }, 'Plans could not be loaded.'));
      toastError(e, 'Plans');
    }
  };
  await load();
}
