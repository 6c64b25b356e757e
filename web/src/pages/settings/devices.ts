// /settings/devices: the phones and tablets where the app is installed; each can be
// renamed, disabled (it stops syncing and receiving pushes) or removed.
import { h, clear, fmtDateTime } from '../../ui';
import { toast, toastError } from '../../toast';
import { section } from './layout';
import { listMobileDevices, updateMobileDevice, removeMobileDevice, type MobileDevice } from '../../mobile';

const PLATFORM: Record<MobileDevice['platform'], string> = { ios: 'iOS', android: 'Android', web: 'Web app' };

function label(d: MobileDevice): string {
  return d.name || `${PLATFORM[d.platform]} ${d.model}`.trim();
}

export async function devicesPage(content: HTMLElement) {
  content.append(h('h1', null, 'Devices'));
  const list = h('ul', { class: 'plist', id: 'mobile-devices', 'aria-label': 'Devices' });
  content.append(section('Where the app is installed', 'devices-section',
    h('p', { class: 'muted' }, 'A disabled device stops syncing and receiving push notifications; removing it also ends its push token.'),
    list));

  async function refresh() {
    try {
      const devices = await listMobileDevices();
      clear(list, ...(devices.length ? devices.map(item) : [h('li', { class: 'muted' }, 'The app is not installed anywhere yet.')]));
    } catch (e) {
      clear(list, h('li', { class: 'error' }, 'The devices could not be loaded.'));
      toastError(e, 'Loading the devices failed');
    }
  }

  function act(button: HTMLButtonElement, work: () => Promise<unknown>, done: string) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await work();
        toast(done);
        await refresh();
      } catch (e) {
        toastError(e, 'That did not work');
        button.disabled = false;
      }
    });
  }

  function item(d: MobileDevice) {
    const name = h('input', { type: 'text', value: d.name, maxlength: 100, 'aria-label': `Name of ${label(d)}` });
    const rename = h('button', { type: 'button', class: 'small' }, 'Rename');
    const toggle = h('button', { type: 'button', class: 'small' }, d.disabled ? 'Enable' : 'Disable');
    const remove = h('button', { type: 'button', class: 'small danger', 'aria-label': `Remove ${label(d)}` }, 'Remove');
    act(rename, () => updateMobileDevice(d.id, { name: name.value.trim() }), 'Renamed');
    act(toggle, () => updateMobileDevice(d.id, { disabled: !d.disabled }), d.disabled ? 'Enabled' : 'Disabled');
    act(remove, () => removeMobileDevice(d.id), 'Removed');
    return h('li', { class: 'row-item mobile-device', dataset: { id: d.id } },
      h('div', { class: 'row-main' },
        h('strong', null, label(d)), d.disabled ? h('span', { class: 'badge' }, 'disabled') : null,
        h('div', { class: 'muted small' },
          `${PLATFORM[d.platform]} ${d.os_version} · app ${d.app_version || '?'} · ` +
          `${d.has_push_token && d.push_enabled && !d.disabled ? 'push on' : 'push off'} · last active ${fmtDateTime(d.last_active)}`),
        name),
      h('div', { class: 'row-actions' }, rename, toggle, remove));
  }

  await refresh();
}
