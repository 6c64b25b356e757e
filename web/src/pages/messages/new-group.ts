// "New group": a title and the people (found by name, 2 to 99 besides me), then Create,
// which opens the new conversation. The server checks the rest (blocks, inactive users).
import { h, clear } from '../../ui';
import { navigate } from '../../nav';
import { textField, errorBox, onSubmit, type Field } from '../../forms';
import { userSearch } from '../people';
import { createGroup } from '../../messaging/api';

export function newGroupForm() {
  const title = textField('Title', { name: 'title', maxLength: 100, required: true, id: 'group-title' });
  const chosen = new Map<string, string>();
  const picked = h('ul', { class: 'inline picked', id: 'group-picked', 'aria-label': 'Members' });
  const drawPicked = () => clear(picked, [...chosen].map(([id, name]) => h('li', null,
    h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${name}`, onclick: () => { chosen.delete(id); drawPicked(); } }, `${name} ×`))));
  const search = userSearch({
    label: 'Add people', id: 'group-people',
    action: (u) => h('button', { type: 'button', class: 'small', 'aria-label': `Add ${u.username}`, onclick: () => { chosen.set(u.id, u.username); drawPicked(); } }, 'Add'),
  });
  const membersError = h('small', { class: 'field-error', id: 'group-members-error', hidden: true });
  const members: Field = { el: picked, input: search.input, error: membersError };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create group');
  const form = h('form', { id: 'new-group-form' }, title.el, search.el, picked, membersError, box, submit);
  onSubmit(form, {
    fields: { title, member_ids: members }, box, submit,
    check: () => (chosen.size < 2 ? [members, 'Add at least two people.'] : null),
    action: () => createGroup(title.input.value.trim(), [...chosen.keys()]),
    done: (c) => navigate(`/messages/${c.id}`),
  });
  return h('details', { class: 'new-conversation' }, h('summary', null, 'New group'), form);
}
