// Read receipts in a thread: each other member's name under the latest loaded message
// they have read that is not their own (nor a system message or a tombstone). Members
// who hide their receipts have no `last_read_seq` and appear nowhere.
import type { Member } from '../../messaging/api';
import type { MessageView } from './message-item';

export function placeReceipts(views: Map<number, MessageView>, members: Map<string, Member>, self: string | undefined, have: number) {
  const at = new Map<number, string[]>();
  for (const m of members.values()) {
    if (m.id === self || m.last_read_seq === null || m.last_read_seq === undefined) continue;
    for (let s = Math.min(m.last_read_seq, have); s > 0; s--) {
      const v = views.get(s);
      if (!v) break;
      if (v.msg.sender?.id === m.id || v.msg.message_type === 'system' || v.msg.is_deleted) continue;
      at.set(s, [...(at.get(s) ?? []), m.username]);
      break;
    }
  }
  for (const [s, v] of views) v.setReceipts(at.get(s) ?? []);
}
