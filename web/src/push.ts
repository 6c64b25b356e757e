// Web Push in this browser (docs/api.md, "Push"): the service worker (/sw.js), the
// subscription made with the server's VAPID key and registered with the server, and
// the way back (unsubscribe). Pages call these, never PushManager or the paths.
import { api } from './api';
import { navigate } from './nav';

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  user_agent: string;
  created_at: string;
  last_used_at: string | null;
}

export interface DeviceRow {
  id: string;
  token: string;
  platform: string;
  created_at: string;
  last_used_at: string | null;
}

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
}

/** The service worker's registration, registering it when needed. */
export async function serviceWorker(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration('/');
  const reg = existing || (await navigator.serviceWorker.register('/sw.js', { scope: '/' }));
  await navigator.serviceWorker.ready;
  return reg;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** This browser's subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ? reg.pushManager.getSubscription() : null;
}

export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  return (await currentSubscription()) ? 'on' : 'off';
}

/** Asks for permission, subscribes with the server's key and registers the subscription. */
export async function enablePush(): Promise<PushSubscriptionRow> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for this site in the browser.');
  const reg = await serviceWorker();
  const { public_key } = await api<{ public_key: string }>('/api/push/vapid-public-key/');
  let sub = await reg.pushManager.getSubscription();
  // A subscription made with another key (the server's key changed) cannot be used.
  const key = sub?.options.applicationServerKey;
  if (sub && key && !sameBytes(new Uint8Array(key), keyBytes(public_key))) {
    await sub.unsubscribe();
    sub = null;
  }
  sub = sub || (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }));
  return api<PushSubscriptionRow>('/api/push/subscriptions/', { method: 'POST', body: sub.toJSON() });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Unsubscribes this browser and removes its row on the server. */
export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  const mine = await listSubscriptions();
  const row = mine.find((r) => r.endpoint === sub.endpoint);
  if (row) await removeSubscription(row.id);
  await sub.unsubscribe();
}

export async function listSubscriptions(): Promise<PushSubscriptionRow[]> {
  return (await api<{ results: PushSubscriptionRow[] }>('/api/push/subscriptions/')).results;
}

export async function listDevices(): Promise<DeviceRow[]> {
  return (await api<{ results: DeviceRow[] }>('/api/push/devices/')).results;
}

export const removeSubscription = (id: string) => api(`/api/push/subscriptions/${id}/`, { method: 'DELETE' });
export const removeDevice = (id: string) => api(`/api/push/devices/${id}/`, { method: 'DELETE' });
export const sendTestPush = () => api<{ queued: number }>('/api/push/test/', { method: 'POST', body: {} });

/** A notification clicked while a tab of the site was open: the service worker asks it to go there. */
export function listenForPushClicks() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const d = event.data;
    if (d && d.type === 'wp:open' && typeof d.url === 'string' && d.url.startsWith('/') && !d.url.startsWith('//'))
      navigate(d.url);
  });
}
