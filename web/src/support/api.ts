// The support desk's API (docs/api.md, "Support"): shapes and calls.
import { api, type Page } from '../api';

export interface Attachment {
  id: string; filename: string; mime_type: string; kind: 'image' | 'video' | 'file'; size: number;
  has_thumbnail: boolean; url: string; thumbnail_url: string | null; created_at: string;
}

export interface Ticket {
  id: string; user: { id: string; username: string }; subject: string; description: string;
  category: string; priority: string; status: string; moderation_action_id: string | null;
  reply_count: number; last_reply_at: string | null; resolved_at: string | null; closed_at: string | null;
  reopen_until: string | null; attachments: Attachment[]; created_at: string; updated_at: string;
  // staff only
  assigned_to?: { id: string; username: string } | null; admin_notes?: string; internal_count?: number;
  first_staff_reply_at?: string | null; first_reply_ms?: number | null;
}

export interface Reply {
  id: string; ticket_id: string; author: { id: string; username: string } | null; from_staff: boolean;
  is_internal: boolean; content: string; attachments: Attachment[]; created_at: string;
}

export interface Faq {
  id: string; category: string; question: string; answer: string; position: number;
  helpful_count: number; not_helpful_count: number; my_vote: boolean | null; is_published?: boolean;
}

export const CATEGORIES = ['account', 'billing', 'technical', 'playback', 'parties', 'content', 'abuse',
  'feature_request', 'appeal', 'other'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const STATUSES = ['open', 'pending', 'resolved', 'closed'];

export const label = (s: string) => (s.charAt(0).toUpperCase() + s.slice(1)).replace(/_/g, ' ');

const S = '/api/support/';

export async function uploadFile(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return api<Attachment>(S + 'attachments/', { method: 'POST', form });
}

/** Uploads every picked file in turn; the ids to attach. */
export async function uploadAll(input: HTMLInputElement): Promise<string[]> {
  const ids: string[] = [];
  for (const f of Array.from(input.files || [])) ids.push((await uploadFile(f)).id);
  return ids;
}

export const getTicket = (id: string) => api<Ticket>(`${S}tickets/${id}/`);
export const listReplies = (id: string) => api<Page<Reply>>(`${S}tickets/${id}/replies/`, { query: { page_size: 100 } });
export const addReply = (id: string, body: { content: string; is_internal?: boolean; attachment_ids?: string[] }) =>
  api<Reply>(`${S}tickets/${id}/replies/`, { method: 'POST', body });
export const changeTicket = (id: string, body: Record<string, unknown>) =>
  api<Ticket>(`${S}tickets/${id}/`, { method: 'PATCH', body });
export const assignTicket = (id: string, assignee_id: string | null) =>
  api<Ticket>(`${S}tickets/${id}/assign/`, { method: 'POST', body: { assignee_id } });
export const vote = (id: string, helpful: boolean) => api<Faq>(`${S}faq/${id}/vote/`, { method: 'POST', body: { helpful } });
