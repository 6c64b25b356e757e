// /settings/push: push notifications in this browser (on, off, a test), and every
// browser and device of mine that receives them, each removable.
import { h, clear, fmtDateTime } from '../../ui';
import { toast, toastError } from '../../toast';
import { section } from './layout';
import { device } from './device';
import {
  pushState, enablePush, disablePush, sendTestPush, listSubscriptions, listDevices, removeSubscription,
  removeDevice, currentSubscription, type PushState,
} from '../../push';

const STATE_TEXT: Record<PushState, string> = {
  unsupported: 'This browser cannot receive push notifications.',
  denied: 'Notifications are blocked for this site. Allow them in the browser’s site settings, then come back.',
  off: 'Push notifications are off in this browser.',
  on: 'Push notifications are on in this browser.',
};

export async function pushPage(content: HTMLElement) {
  content.append(h('h1', null, 'Push notifications'));
  const status = h('p', { id: 'push-status', role: 'status' });
  const toggle = h('button', { type: 'button', id: 'push-toggle' });
  const test = h('button', { type: 'button', id: 'push-test' }, 'Send me a test notification');
  const where = h('ul', { class: 'plist', id: 'push-targets', 'aria-label': 'Browsers and devices' });

  async function refresh() {
    const state = await pushState();
    status.textContent = STATE_TEXT[state];
    toggle.textContent = state === 'on' ? 'Turn off in this browser' : 'Turn on in this browser';
    toggle.hidden = state === 'unsupported' || state === 'denied';
    toggle.dataset.state = state;
    await listTargets();
  }

  async function listTargets() {
    const [subs, devices, mine] = await Promise.all([listSubscriptions(), listDevices(), currentSubscription()]);
    const items = [
      ...subs.map((s) => target(`${device(s.user_agent)}${mine?.endpoint === s.endpoint ? ' (this browser)' : ''}`,
        s.created_at, s.last_used_at, () => removeSubscription(s.id))),
      ...devices.map((d) => target(`${d.platform} device`, d.created_at, d.last_used_at, () => removeDevice(d.id))),
    ];
    clear(where, ...(items.length ? items : [h('li', { class: 'muted' }, 'Nothing receives push notifications yet.')]));
    test.disabled = items.length === 0;
  }

  function target(label: string, created: string, used: string | null, remove: () => Promise<unknown>) {
    const button = h('button', { type: 'button', class: 'small danger', 'aria-label': `Remove ${label}` }, 'Remove');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await remove();
        toast('Removed');
        await refresh();
      } catch (e) {
        toastError(e, 'Removing it failed');
        button.disabled = false;
      }
    });
    return h('li', { class: 'row-item push-target' },
      h('div', { class: 'row-main' }, h('strong', null, label),
        h('div', { class: 'muted small' }, `added ${fmtDateTime(created)} · last push ${used ? fmtDateTime(used) : 'never'}`)),
      button);
  }

  toggle.addEventListener('click', async () => {
    toggle.disabled = true;
    try {
      if (toggle.dataset.state === 'on') {
        await disablePush();
        toast('Push notifications are off in this browser');
      } else {
        await enablePush();
        toast('Push notifications are on in this browser');
      }
      await refresh();
    } catch (e) {
      toastError(e, 'That did not work');
    } finally {
      toggle.disabled = false;
    }
  });
  test.addEventListener('click', async () => {
    test.disabled = true;
    try {
      const r = await sendTestPush();
      toast(`Test notification sent to ${r.queued} browser${r.queued === 1 ? '' : 's'} or device${r.queued === 1 ? '' : 's'}`);
    } catch (e) {
      toastError(e, 'The test notification could not be sent');
    } finally {
      test.disabled = false;
    }
  });

  content.append(
    section('This browser', 'push-browser', status, h('p', { class: 'push-actions' }, toggle, ' ', test)),
    section('Where you get them', 'push-where', where));
  await refresh();
}
