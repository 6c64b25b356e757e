// The events API (docs/api.md, "Events") and the time-zone arithmetic of the event
// form: a wall-clock time in an IANA zone to and from UTC, with Intl only (no library).
import { api, token } from './api';

export type EventStatus = 'upcoming' | 'live' | 'ended' | 'cancelled';
export type Rsvp = 'going' | 'maybe' | 'not_going';
export const CATEGORIES = ['watch_party', 'premiere', 'meetup', 'discussion', 'screening', 'gaming', 'music', 'sports',
  'education', 'other'] as const;

export interface Attendee {
  user: { id: string; username: string };
  status: 'going' | 'pending' | 'waitlisted';
  position: number | null;
  preferences: { reminder_offsets: number[] };
}

export interface Counts { going: number; maybe: number; not_going: number; waitlisted: number; pending: number }

export interface WpEvent {
  id: string;
  organizer: { id: string; username: string };
  title: string;
  description: string;
  location: string;
  start_time: string;
  end_time: string;
  timezone: string;
  max_attendees: number | null;
  require_approval: boolean;
  is_public: boolean;
  status: EventStatus;
  category: string;
  settings: { attendees_can_invite: boolean; show_attendees: boolean };
  creates_party: boolean;
  party_id: string | null;
  series: { id: string; frequency: string; until: string } | null;
  ical_url: string;
  counts: Counts;
  me?: { attendance: Attendee | null; rsvp: { response: Rsvp; note: string } | null; invitation: string | null };
}

export interface EventInvitation {
  id: string;
  event: { id: string; title: string; start_time: string };
  inviter: { id: string; username: string } | null;
}

const E = '/api/events';
const post = (path: string, body?: unknown) => api<any>(path, { method: 'POST', body });

export const getEvent = (id: string) => api<WpEvent>(`${E}/${id}/`);
export const createEvent = (body: Record<string, unknown>) => post(`${E}/`, body) as Promise<WpEvent>;
export const patchEvent = (id: string, body: Record<string, unknown>, scope = 'this') =>
  api<WpEvent>(`${E}/${id}/`, { method: 'PATCH', body, query: { scope } });
export const deleteEvent = (id: string) => api<any>(`${E}/${id}/`, { method: 'DELETE' });
export const rsvp = (id: string, response: Rsvp) => post(`${E}/${id}/rsvp/`, { response }) as Promise<WpEvent>;
export const inviteToEvent = (id: string, user_id: string) => post(`${E}/${id}/invite/`, { user_id });
export const answerInvitation = (id: string, accept: boolean) => post(`${E}/${id}/invitation/${accept ? 'accept' : 'decline'}/`);
export const decideRequest = (id: string, user: string, approve: boolean) =>
  post(`${E}/${id}/attendees/${user}/${approve ? 'approve' : 'reject'}/`);
export const calendarFeed = () => api<{ token: string; url: string }>(`${E}/calendar/`);
export const rotateFeed = () => post(`${E}/calendar/rotate/`) as Promise<{ token: string; url: string }>;

/** Downloads the event's .ics (the route needs the bearer token, so not a plain link). */
export async function downloadIcal(e: WpEvent) {
  const t = await token();
  const res = await fetch(e.ical_url, { headers: t ? { Authorization: `Bearer ${t}` } : {} });
  if (!res.ok) throw new Error(`The calendar file could not be made (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${e.title.replace(/[^\w-]+/g, '_').slice(0, 40) || 'event'}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- time zones

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function zones(): string[] {
  const list = (Intl as any).supportedValuesOf?.('timeZone') as string[] | undefined;
  return list && list.length ? list : ['UTC', browserZone()];
}

/** Minutes east of UTC of `zone` at the instant `ms`. */
function offsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
}

/** A datetime-local value ("2027-01-31T19:00"), read as wall time in `zone`, as RFC 3339 UTC. */
export function zonedToIso(local: string, zone: string): string {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/);
  if (!m) return '';
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The offset at the guess, then at the answer: right on both sides of a DST change.
  let utc = wall - offsetMinutes(wall, zone) * 60000;
  utc = wall - offsetMinutes(utc, zone) * 60000;
  return new Date(utc).toISOString();
}

/** An RFC 3339 time as a datetime-local value in `zone`. */
export function isoToZoned(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + offsetMinutes(ms, zone) * 60000).toISOString().slice(0, 16);
}

/** A time as the reader's locale writes it, in `zone` (default: the reader's), with the zone's name. */
export function fmtIn(iso: string, zone?: string): string {
  // dateStyle cannot be combined with timeZoneName: the fields are named one by one.
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short',
  });
}

/** The reader's calendar day of a time, for grouping ("Saturday, 5 December 2026"). */
export function dayOf(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}
