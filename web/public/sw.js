// The service worker of watchparty (issue #15): it shows Web Push messages and
// opens their page when one is clicked. The push body (decrypted by the browser)
// is JSON: {id, notification_id, type, title, body, url, data}; url is a path of
// this site. Plain JavaScript, served as /sw.js so that its scope is the whole site.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function sitePath(url) {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/';
}

self.addEventListener('push', (event) => {
  let msg;
  try {
    msg = event.data ? event.data.json() : {};
  } catch {
    msg = { body: event.data ? event.data.text() : '' };
  }
  const url = sitePath(msg.url);
  event.waitUntil(self.registration.showNotification(msg.title || 'watchparty', {
    body: msg.body || '',
    // One notification per push: a resend of the same push replaces it instead of adding one.
    tag: msg.id || undefined,
    data: { url, id: msg.id || null, notification_id: msg.notification_id || null, type: msg.type || null },
  }));
});

// A click opens the linked page: a tab already showing it is focused; else a
// tab of the site is focused and asked to go there (the app navigates without a
// reload); else a new window opens.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(sitePath(event.notification.data && event.notification.data.url), self.location.origin);
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const same = tabs.find((t) => new URL(t.url).pathname === target.pathname);
    if (same) return same.focus();
    const site = tabs.find((t) => new URL(t.url).origin === target.origin);
    if (site) {
      site.postMessage({ type: 'wp:open', url: target.pathname + target.search });
      return site.focus();
    }
    return self.clients.openWindow(target.href);
  })());
});
