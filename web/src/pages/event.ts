// One event (/events/{id}): its details in my time zone (and its own), going / maybe /
// not going buttons with the counts, my place (pending, waitlisted), the attendees,
// inviting people, the .ics download, and the party once it is live. The organizer
// edits, cancels, and decides requests. The server decides everything anyway.
import { ApiError, me } from '../api';
import { h, toast, errorText } from '../ui';
import { link, navigate } from '../nav';
import { pagedList, apiPages } from '../list';
import {
  getEvent, rsvp, answerInvitation, inviteToEvent, decideRequest, patchEvent, downloadIcal, fmtIn, browserZone,
  type Attendee, type Rsvp, type WpEvent,
} from '../events';
import { actionButton } from './friends';
import { userSearch } from './people';

const again = () => navigate(location.pathname, true);
const ANSWERS: [Rsvp, string][] = [['going', 'Going'], ['maybe', 'Maybe'], ['not_going', 'Not going']];

function section(title: string, id: string, ...body: (Node | null)[]) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

function countsLine(e: WpEvent) {
  const c = e.counts;
  const parts = [`${c.going} going`, `${c.maybe} maybe`, `${c.not_going} not going`];
  if (c.waitlisted) parts.push(`${c.waitlisted} on the waitlist`);
  if (e.max_attendees) parts.push(`${e.max_attendees} places`);
  return h('p', { id: 'event-counts', 'aria-live': 'polite' }, parts.join(' · '));
}

function myPlace(e: WpEvent) {
  const a = e.me?.attendance;
  if (e.organizer.id === me()?.id) return h('p', { id: 'my-attendance' }, 'You organize this event.');
  if (e.me?.invitation === 'pending')
    return h('div', { class: 'inline', id: 'my-attendance' }, h('span', { class: 'grow' }, 'You are invited.'),
      actionButton('Accept', `Accept the invitation to ${e.title}`, async () => { await answerInvitation(e.id, true); again(); }, 'small primary'),
      actionButton('Decline', `Decline the invitation to ${e.title}`, async () => { await answerInvitation(e.id, false); again(); }, 'small'));
  const text = !a ? '' : a.status === 'going' ? 'You are going.'
    : a.status === 'pending' ? 'Your request awaits the organizer.' : `You are number ${a.position} on the waitlist.`;
  return h('p', { id: 'my-attendance' }, text);
}

function rsvpButtons(e: WpEvent) {
  if (e.organizer.id === me()?.id || (e.status !== 'upcoming' && e.status !== 'live')) return null;
  if (!e.is_public && !e.me?.attendance && e.me?.invitation !== 'pending') return null;
  const current = e.me?.rsvp?.response;
  return h('div', { class: 'inline', role: 'group', 'aria-label': 'Will you come?', id: 'rsvp' },
    ...ANSWERS.map(([value, text]) => actionButton(text, `RSVP ${text.toLowerCase()}`, async () => {
      await rsvp(e.id, value);
      toast(`RSVP: ${text.toLowerCase()}`);
      again();
    }, `small rsvp-${value}${current === value ? ' primary' : ''}`)));
}

function organizerTools(e: WpEvent) {
  if (e.organizer.id !== me()?.id && !me()?.is_staff) return null;
  const open = e.status === 'upcoming' || e.status === 'live';
  return h('div', { class: 'inline', id: 'organizer-tools' },
    open ? link(`/events/${e.id}/edit`, 'Edit', { class: 'button small' }) : null,
    open ? actionButton('Cancel event', `Cancel event ${e.title}`, async () => {
      await patchEvent(e.id, { status: 'cancelled' });
      toast('The event is cancelled; those going are told');
      again();
    }, 'small leave') : null);
}

function attendeeItem(e: WpEvent, a: Attendee, reload: () => void) {
  const decide = e.organizer.id === me()?.id && a.status === 'pending';
  return h('li', { class: 'user-item', dataset: { userId: a.user.id } },
    h('span', { class: 'grow' }, link(`/users/${a.user.id}`, a.user.username),
      a.status !== 'going' ? h('span', { class: 'badge' }, a.status === 'waitlisted' ? `waitlist ${a.position}` : 'asks to come') : null),
    decide ? h('span', { class: 'inline' },
      actionButton('Approve', `Approve ${a.user.username}`, async () => { await decideRequest(e.id, a.user.id, true); reload(); }, 'small primary'),
      actionButton('Reject', `Reject ${a.user.username}`, async () => { await decideRequest(e.id, a.user.id, false); reload(); }, 'small')) : null);
}

export async function eventPage(root: HTMLElement, [id]: string[]) {
  let e: WpEvent;
  try {
    e = await getEvent(id);
  } catch (err) {
    const gone = err instanceof ApiError && err.status === 404;
    root.append(h('section', { class: 'card narrow' }, h('h1', null, gone ? 'No such event' : 'Event unavailable'),
      h('p', { class: gone ? 'muted' : 'error' }, gone ? 'This event does not exist, or is not for you.' : errorText(err)), link('/events', 'All events')));
    return;
  }
  const ownZone = e.timezone !== browserZone();
  const isUrl = /^https?:\/\//.test(e.location);
  root.append(h('section', { class: 'card' },
    h('h1', { id: 'event-title' }, e.title),
    h('p', { class: 'inline' }, h('span', { class: `badge ${e.status}`, id: 'event-status' }, e.status),
      h('span', { class: 'badge' }, e.category.replace('_', ' ')), h('span', { class: 'badge' }, e.is_public ? 'public' : 'private'),
      e.series ? h('span', { class: 'badge' }, `repeats ${e.series.frequency}`) : null,
      h('span', { class: 'muted small' }, ` by ${e.organizer.username}`)),
    h('p', { id: 'event-when' }, `${fmtIn(e.start_time)} – ${fmtIn(e.end_time)}`,
      ownZone ? h('span', { class: 'muted small' }, ` (${fmtIn(e.start_time, e.timezone)} in ${e.timezone})`) : null),
    e.location ? h('p', null, 'Where: ', isUrl ? h('a', { href: e.location, rel: 'noopener noreferrer', target: '_blank' }, e.location) : e.location) : null,
    e.description ? h('p', { class: 'group-desc' }, e.description) : null,
    e.status === 'live' && e.party_id ? h('p', null, link(`/parties/${e.party_id}`, 'Join the party', { class: 'button primary', id: 'join-party' })) : null,
    countsLine(e), myPlace(e), rsvpButtons(e),
    h('div', { class: 'inline' },
      actionButton('Add to calendar (.ics)', `Add to calendar (.ics): ${e.title}`, async (b) => { await downloadIcal(e); b.disabled = false; }, 'small ics'),
      organizerTools(e))));

  const organizer = e.organizer.id === me()?.id || !!me()?.is_staff;
  if (e.settings.show_attendees || organizer) {
    const list = pagedList<Attendee>({
      fetch: apiPages(`/api/events/${id}/attendees/`, {}, 50), label: 'Attendees', id: 'event-attendees', class: 'user-list',
      empty: 'Nobody yet.', render: (a) => attendeeItem(e, a, () => { list.reload(); }),
    });
    root.append(section('Attendees', 'attendees', list.el));
  }
  const mayInvite = organizer || (e.settings.attendees_can_invite && e.me?.attendance?.status === 'going');
  if (mayInvite && (e.status === 'upcoming' || e.status === 'live')) {
    const search = userSearch({ label: 'Find people to invite', id: 'event-invite-search', action: (u) => actionButton('Invite', `Invite ${u.username}`, async () => {
      await inviteToEvent(id, u.id);
      toast(`${u.username} is invited`);
    }, 'small invite-user') });
    root.append(section('Invite people', 'invite', search.el));
  }
}
