// Events (/events): the upcoming events I may see, grouped by day like a calendar, the
// events I organize, my invitations, and my calendar feed's address to subscribe to.
import { api, type Page } from '../api';
import { h, clear, errorText, toast } from '../ui';
import { link, navigate } from '../nav';
import { pagedList, apiPages, type PagedList } from '../list';
import { answerInvitation, calendarFeed, rotateFeed, dayOf, fmtIn, type EventInvitation, type WpEvent } from '../events';
import { actionButton } from './friends';

export function eventItem(e: WpEvent) {
  return h('li', { class: 'party-item event-item', dataset: { eventId: e.id } },
    link(`/events/${e.id}`, e.title, { class: 'party-title event-title' }),
    h('span', { class: `badge ${e.status}` }, e.status),
    e.is_public ? null : h('span', { class: 'badge' }, 'private'),
    h('span', { class: 'muted small' }, ` ${fmtIn(e.start_time)} · ${e.counts?.going ?? 0} going`));
}

/** The upcoming events, one list per day (the reader's days). */
async function byDay(box: HTMLElement) {
  try {
    const r = await api<Page<WpEvent>>('/api/events/', { query: { when: 'upcoming', page_size: 100 } });
    if (!r.results.length) { clear(box, h('p', { class: 'muted' }, 'No upcoming event: create the first one.')); return; }
    const days = new Map<string, WpEvent[]>();
    for (const e of r.results) days.set(dayOf(e.start_time), [...(days.get(dayOf(e.start_time)) ?? []), e]);
    clear(box, ...[...days].map(([day, list]) => h('div', { class: 'event-day' },
      h('h3', null, day), h('ul', { class: 'plist party-list', 'aria-label': `Events on ${day}` }, ...list.map(eventItem)))));
  } catch (e) {
    clear(box, h('p', { class: 'error' }, errorText(e), ' ', h('button', { type: 'button', class: 'small', onclick: () => byDay(box) }, 'Retry')));
  }
}

function feedCard() {
  const url = h('input', { type: 'text', id: 'calendar-feed-url', readOnly: true, value: '' });
  const show = (f: { url: string }) => { url.value = location.origin + f.url; };
  calendarFeed().then(show, (e) => { url.value = errorText(e); });
  return h('section', { class: 'card', 'aria-labelledby': 'feed-title' },
    h('h2', { id: 'feed-title' }, 'My calendar'),
    h('p', { class: 'muted small' }, 'Subscribe to this address in a calendar app: it lists the events you go to and organize. Anyone with it can read them.'),
    h('div', { class: 'field' }, h('label', { for: url.id }, 'Calendar address'), url),
    actionButton('New address', 'New address (the old one stops working)', async (b) => {
      show(await rotateFeed());
      toast('The old calendar address no longer works');
      b.disabled = false;
    }, 'small'));
}

export function eventsPage(root: HTMLElement) {
  const upcoming = h('div', { id: 'events-upcoming', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  byDay(upcoming);
  const mine = pagedList<WpEvent>({
    fetch: apiPages('/api/events/', { mine: 'true', when: 'upcoming' }), render: eventItem,
    label: 'Events I organize', id: 'my-events', class: 'party-list', empty: 'You organize no upcoming event.',
  });
  let invitations: PagedList;
  invitations = pagedList<EventInvitation>({
    fetch: apiPages('/api/events/invitations/'), label: 'Invitations to events', id: 'event-invitations', class: 'user-list',
    empty: 'No invitation.',
    render: (i) => h('li', { class: 'user-item' },
      h('span', { class: 'grow' }, link(`/events/${i.event.id}`, i.event.title),
        h('span', { class: 'muted small' }, ` ${fmtIn(i.event.start_time)}${i.inviter ? ` · from ${i.inviter.username}` : ''}`)),
      h('span', { class: 'inline' },
        actionButton('Accept', `Accept the invitation to ${i.event.title}`, async () => {
          await answerInvitation(i.event.id, true);
          navigate(`/events/${i.event.id}`);
        }, 'small primary'),
        actionButton('Decline', `Decline the invitation to ${i.event.title}`, async () => {
          await answerInvitation(i.event.id, false);
          invitations.reload();
        }, 'small'))),
  });
  root.append(
    h('div', { class: 'inline' }, h('h1', { class: 'grow' }, 'Events'), link('/events/new', 'New event', { class: 'button primary', id: 'new-event' })),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'upcoming-title' }, h('h2', { id: 'upcoming-title' }, 'Upcoming'), upcoming),
      h('div', null,
        h('section', { class: 'card', 'aria-labelledby': 'mine-title' }, h('h2', { id: 'mine-title' }, 'I organize'), mine.el),
        h('section', { class: 'card', 'aria-labelledby': 'inv-title' }, h('h2', { id: 'inv-title' }, 'Invitations'), invitations.el),
        feedCard())));
}
