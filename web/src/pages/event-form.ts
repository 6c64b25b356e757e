// The event form (/events/new, /events/{id}/edit): times are picked as wall-clock times
// in a chosen IANA time zone (by default the browser's) and sent in UTC; the zone is kept
// with the event so that it is shown right. A new event may repeat weekly or monthly; an
// edit of a repeating one says whether it is for this one or all following.
import { ApiError } from '../api';
import { h } from '../ui';
import { link, navigate } from '../nav';
import { inputField, textField, errorBox, onSubmit, type Field } from '../forms';
import {
  CATEGORIES, browserZone, zones, zonedToIso, isoToZoned, createEvent, patchEvent, getEvent, type WpEvent,
} from '../events';

const select = (name: string, options: [string, string][], value: string) =>
  h('select', { name }, ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));

function checkbox(name: string, label: string, checked: boolean) {
  const input = h('input', { type: 'checkbox', name, id: `event-${name}`, checked });
  return { input, el: h('label', { class: 'check', for: input.id }, input, h('span', null, label)) };
}

function eventForm(e: WpEvent | null) {
  const zone = e?.timezone ?? browserZone();
  const soon = new Date(Date.now() + 3600_000).toISOString();
  const later = new Date(Date.now() + 7200_000).toISOString();
  const fields: Record<string, Field> = {
    title: textField('Title', { name: 'title', required: true, maxLength: 200, value: e?.title ?? '' }),
    description: inputField('Description', h('textarea', { name: 'description', rows: 3, maxLength: 5000 }, e?.description ?? '')),
    location: textField('Location', { name: 'location', maxLength: 500, value: e?.location ?? '', placeholder: 'An address, or a link for an online event' }),
    category: inputField('Category', select('category', CATEGORIES.map((c) => [c, c.replace('_', ' ')]), e?.category ?? 'watch_party')),
    timezone: inputField('Time zone', select('timezone', zones().map((z) => [z, z]), zone), 'The start and end below are in this zone.'),
    start_time: textField('Starts', { type: 'datetime-local', name: 'start_time', required: true, value: isoToZoned(e?.start_time ?? soon, zone) }),
    end_time: textField('Ends', { type: 'datetime-local', name: 'end_time', required: true, value: isoToZoned(e?.end_time ?? later, zone) }),
    max_attendees: textField('Places', { type: 'number', name: 'max_attendees', min: 1, max: 100000, value: e?.max_attendees ?? '' }, 'Empty: no limit. When full, people join a waitlist.'),
  };
  const pub = checkbox('is_public', 'Public: everyone may see it (a private one is for the people you invite)', e?.is_public ?? true);
  const approval = checkbox('require_approval', 'I approve who comes', e?.require_approval ?? false);
  const party = checkbox('creates_party', 'Open a watch party when it starts', e?.creates_party ?? false);
  const repeat = h('select', { name: 'recurrence', id: 'event-recurrence' },
    h('option', { value: '' }, 'Does not repeat'), h('option', { value: 'weekly' }, 'Every week'), h('option', { value: 'monthly' }, 'Every month'));
  const until = h('input', { type: 'date', name: 'until', id: 'event-until' });
  const scope = h('select', { name: 'scope', id: 'event-scope' }, h('option', { value: 'this' }, 'This event only'), h('option', { value: 'following' }, 'This and all following'));
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, e ? 'Save' : 'Create event');
  const form = h('form', { class: 'card', id: 'event-form', 'aria-labelledby': 'event-form-title' },
    h('h1', { id: 'event-form-title' }, e ? `Edit “${e.title}”` : 'New event'),
    fields.title.el, fields.description.el, fields.location.el, fields.category.el, fields.timezone.el,
    h('div', { class: 'grid2' }, fields.start_time.el, fields.end_time.el), fields.max_attendees.el,
    pub.el, approval.el, party.el,
    e ? (e.series ? h('div', { class: 'field' }, h('label', { for: scope.id }, 'Apply to'), scope) : null)
      : h('div', { class: 'grid2' },
        h('div', { class: 'field' }, h('label', { for: repeat.id }, 'Repeats'), repeat),
        h('div', { class: 'field' }, h('label', { for: until.id }, 'Until'), until)),
    box, submit, ' ', link(e ? `/events/${e.id}` : '/events', 'Back'));
  const value = (f: string) => fields[f].input.value.trim();
  onSubmit(form, {
    fields, box, submit,
    check: () => (repeat.value && !until.value ? [fields.end_time, 'Pick the date the series ends.'] : null),
    action: () => {
      // The wall-clock times are read in the zone picked last, whatever it was when they were typed.
      const tz = value('timezone');
      const body: Record<string, unknown> = {
        title: value('title'), description: value('description'), location: value('location'), category: value('category'),
        timezone: tz, start_time: zonedToIso(value('start_time'), tz), end_time: zonedToIso(value('end_time'), tz),
        max_attendees: value('max_attendees') ? Number(value('max_attendees')) : null,
        is_public: pub.input.checked, require_approval: approval.input.checked, creates_party: party.input.checked,
      };
      if (!e && repeat.value) body.recurrence = { frequency: repeat.value, until: zonedToIso(`${until.value}T23:59`, tz) };
      return e ? patchEvent(e.id, body, scope.value) : createEvent(body);
    },
    done: (saved) => navigate(`/events/${saved.id}`),
  });
  return form;
}

export function newEventPage(root: HTMLElement) {
  root.append(eventForm(null));
}

export async function editEventPage(root: HTMLElement, [id]: string[]) {
  try {
    root.append(eventForm(await getEvent(id)));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'No such event'), link('/events', 'All events')));
  }
}
