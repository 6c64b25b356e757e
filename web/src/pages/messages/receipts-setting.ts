// "Show others how far I have read": my read receipts (docs/api.md, "Messaging"). Off,
// the other members see no receipt of mine and get no `read` event about me.
import { h } from '../../ui';
import { toast, toastError } from '../../toast';
import { getMessagingSettings, setMessagingSettings } from '../../messaging/api';

export function receiptsSetting() {
  const box = h('input', { type: 'checkbox', id: 'show-read-receipts', disabled: true });
  const el = h('label', { class: 'check receipts-setting', for: box.id }, box, 'Show others when I have read their messages');
  getMessagingSettings().then((s) => { box.checked = s.show_read_receipts; box.disabled = false; }).catch(() => el.remove());
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      const s = await setMessagingSettings({ show_read_receipts: box.checked });
      box.checked = s.show_read_receipts;
      toast(s.show_read_receipts ? 'Others see when you have read their messages' : 'Your read receipts are hidden');
    } catch (e) {
      box.checked = !box.checked;
      toastError(e, 'Read receipts');
    } finally {
      box.disabled = false;
    }
  });
  return el;
}
