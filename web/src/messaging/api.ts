// The messaging API (docs/api.md, "Messaging"): types and one function per route.
// Pages call these, never the paths.
import { api, token, ApiError } from '../api';

export interface Member {
  id: string;
  username: string;
  role?: string;
  online?: boolean;
  /** The member's read receipt; null when they hide receipts. */
  last_read_seq: number | null;
}

export interface Attachment {
  id: string;
  filename: string;
  mime_type: string;
  size: number;
  kind: 'image' | 'video' | 'file';
  has_thumbnail: boolean;
  url: string;
  thumbnail_url: string | null;
}

export interface Reaction {
  emoji: string;
  count: number;
  me?: boolean;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  sender: { id: string; username: string } | null;
  client_id?: string | null;
  message_type: 'text' | 'image' | 'video' | 'file' | 'system';
  body: string | null;
  reply_to_id: string | null;
  metadata: Record<string, any> | null;
  attachments: Attachment[];
  reactions: Reaction[];
  is_edited: boolean;
  edited_at: string | null;
  is_deleted: boolean;
  deleted_at: string | null;
  created_at: string;
}

export interface Conversation {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  owner_id: string | null;
  members: Member[];
  last_seq: number;
  last_message: Message | null;
  unread_count: number;
  last_activity_at: string;
  created_at: string;
}

export const EMOJIS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

const C = '/api/conversations';

export const listConversations = (cursor?: string | null, limit = 20) =>
  api<{ results: Conversation[]; next_cursor: string | null }>(`${C}/`, { query: { limit, cursor } });
export const getConversation = (id: string) => api<Conversation>(`${C}/${id}/`);
export const openDirect = (user_id: string) => api<Conversation>(`${C}/direct/`, { method: 'POST', body: { user_id } });
export const createGroup = (title: string, member_ids: string[]) =>
  api<Conversation>(`${C}/groups/`, { method: 'POST', body: { title, member_ids } });
export const unreadTotal = () => api<{ total: number; conversations: number }>(`${C}/unread/`);

export interface MessagingSettings { show_read_receipts: boolean }
export const getMessagingSettings = () => api<MessagingSettings>(`${C}/settings/`);
export const setMessagingSettings = (s: Partial<MessagingSettings>) => api<MessagingSettings>(`${C}/settings/`, { method: 'PATCH', body: s });

export interface MessagePage { results: Message[]; has_more: boolean }
export type Cursor = { before?: string; after_seq?: number };
export const listMessages = (id: string, cursor: Cursor = {}, limit = 50) =>
  api<MessagePage>(`${C}/${id}/messages/`, { query: { limit, ...cursor } });

export interface Draft {
  client_id: string;
  body?: string;
  attachment_ids?: string[];
  reply_to_id?: string;
}
export const sendMessage = (id: string, d: Draft) => api<Message>(`${C}/${id}/messages/`, { method: 'POST', body: d });
export const editMessage = (id: string, mid: string, body: string) =>
  api<Message>(`${C}/${id}/messages/${mid}/`, { method: 'PATCH', body: { body } });
export const deleteMessage = (id: string, mid: string) => api<Message>(`${C}/${id}/messages/${mid}/`, { method: 'DELETE' });
export const toggleReaction = (id: string, mid: string, emoji: string) =>
  api<{ reacted: boolean; reactions: Reaction[] }>(`${C}/${id}/messages/${mid}/reactions/`, { method: 'POST', body: { emoji } });

export interface ReadState { last_read_seq: number; unread_count: number }
const readListeners = new Set<(id: string, r: ReadState) => void>();
/** Called after each of my mark-read answers (the list and the badge follow them). */
export function onMyRead(fn: (id: string, r: ReadState) => void): () => void {
  readListeners.add(fn);
  return () => { readListeners.delete(fn); };
}
export async function markRead(id: string, message_id: string): Promise<ReadState> {
  const r = await api<ReadState>(`${C}/${id}/read/`, { method: 'POST', body: { message_id } });
  for (const fn of readListeners) fn(id, r);
  return r;
}

/** Uploads one file (multipart) with progress; resolves to the attachment. */
export async function uploadAttachment(file: File, onProgress: (sent: number, total: number) => void, setAbort: (f: () => void) => void): Promise<Attachment> {
  const t = await token();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${C}/attachments/`);
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: any = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body, null));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onabort = () => reject(new Error('cancelled'));
    setAbort(() => xhr.abort());
    const fd = new FormData();
    fd.append('file', file);
    xhr.send(fd);
  });
}

/** An attachment (or its thumbnail) as an object URL: the files need the bearer token, which <img src> cannot send. */
export async function attachmentBlobUrl(url: string): Promise<string> {
  const res = await api<Response>(url, { raw: true });
  return URL.createObjectURL(await res.blob());
}

/** A name for a conversation: its title, or the other members' names. */
export function conversationName(c: Conversation, meId: string | undefined): string {
  if (c.kind === 'group' && c.title) return c.title;
  const others = c.members.filter((m) => m.id !== meId).map((m) => m.username);
  return others.join(', ') || 'Only you';
}

/** A line for a message in lists and previews. */
export function preview(m: Message | null): string {
  if (!m) return 'No messages yet';
  if (m.is_deleted) return 'Message deleted';
  if (m.message_type === 'system') return systemText(m);
  if (m.body) return m.body;
  const a = m.attachments[0];
  return a ? `📎 ${a.filename}` : '';
}

const SYSTEM_TEXT: Record<string, string> = {
  member_added: 'added a member',
  member_removed: 'removed a member',
  member_left: 'left',
  title_changed: 'changed the title',
};
export function systemText(m: Message): string {
  const ev = m.metadata?.event as string | undefined;
  const who = m.sender?.username ?? 'Someone';
  if (ev === 'title_changed' && m.metadata?.title) return `${who} named the conversation “${m.metadata.title}”`;
  return `${who} ${SYSTEM_TEXT[ev ?? ''] ?? 'changed the conversation'}`;
}
