// Staff: the store catalog (#18). Every item, on sale or not; add one; change an item's
// price, stock, dates and what it carries (a theme's colours, a pack's emoji); take it
// off sale or put it back. Deactivating never deletes: owners keep what they bought.
import { api } from '../../api';
import { h, clear, fmtDateTime, toast } from '../../ui';
import { errorBox, inputField, onSubmit, type Field } from '../../forms';
import { pagedList, apiPages } from '../../list';
import { toastError } from '../../toast';

interface Item {
  id: string; kind: string; name: string; description: string; image: string; price: number;
  stock: number | null; sold: number; remaining: number | null; is_active: boolean; on_sale: boolean;
  available_from: string | null; available_until: string | null; properties: Record<string, unknown>;
}

const KINDS: [string, string][] = [['badge', 'Badge'], ['emoji_pack', 'Emoji pack'], ['profile_theme', 'Profile theme'], ['party_theme', 'Party theme']];
const PROPERTIES_HINT = 'JSON. Themes: {"background":"#102030","surface":"#203040","text":"#f0f0f0","accent":"#ff8800"}; ' +
  'emoji packs: {"emoji":["🦄","🐉"]}; badges: none.';

// <input type=datetime-local> speaks local time without a zone; the API speaks RFC 3339.
const pad = (n: number) => String(n).padStart(2, '0');
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

// The fields staff change on an item (create adds kind, name, description and image).
function itemFields(prefix: string, item?: Item) {
  const input = (name: string, attrs: Record<string, any>) => h('input', { name, id: `${prefix}-${name}`, ...attrs });
  const price = input('price', { type: 'number', min: '0', step: '1', required: true, value: item ? String(item.price) : '' });
  const stock = input('stock', { type: 'number', min: '0', step: '1', value: item?.stock != null ? String(item.stock) : '' });
  const from = input('available_from', { type: 'datetime-local', value: toLocalInput(item?.available_from ?? null) });
  const until = input('available_until', { type: 'datetime-local', value: toLocalInput(item?.available_until ?? null) });
  const props = h('textarea', { name: 'properties', id: `${prefix}-properties`, rows: 2 });
  props.value = item && Object.keys(item.properties || {}).length ? JSON.stringify(item.properties) : '';
  const fields: Record<string, Field> = {
    price: inputField('Price (coins)', price),
    stock: inputField('Stock', stock, 'Empty: unlimited.'),
    available_from: inputField('On sale from', from, 'Empty: now.'),
    available_until: inputField('On sale until', until, 'Empty: no end.'),
    properties: inputField('Properties', props, PROPERTIES_HINT),
  };
  const body = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      price: Number(price.value), stock: stock.value === '' ? null : Number(stock.value),
      available_from: fromLocalInput(from.value), available_until: fromLocalInput(until.value),
    };
    if (props.value.trim()) out.properties = JSON.parse(props.value);
    else if (item) out.properties = {};
    return out;
  };
  const check = (): [Field, string] | null => {
    if (!props.value.trim()) return null;
    try { JSON.parse(props.value); return null; } catch { return [fields.properties, 'Must be JSON.']; }
  };
  return { fields, body, check };
}

function facts(item: Item): string {
  const stock = item.stock == null ? 'unlimited' : `${item.remaining} of ${item.stock} left`;
  const dates = [item.available_from && `from ${fmtDateTime(item.available_from)}`, item.available_until && `until ${fmtDateTime(item.available_until)}`]
    .filter(Boolean).join(' ');
  const state = !item.is_active ? 'inactive' : item.on_sale ? 'on sale' : 'not on sale now';
  return `${item.kind} · ${item.price} coins · ${stock} · ${item.sold} sold · ${state}${dates ? ` · ${dates}` : ''}`;
}

export function catalogPage(root: HTMLElement) {
  const list = pagedList<Item>({
    fetch: apiPages('/api/store/items/', { all: 'true' }),
    render: (item) => itemRow(item),
    empty: 'The catalog is empty.',
    label: 'Store items',
    id: 'catalog-items',
  });

  function itemRow(item: Item): HTMLLIElement {
    const li = h('li', { class: 'row-item catalog-item', dataset: { id: item.id } });
    const show = (it: Item) => {
      const toggle = h('button', { type: 'button', class: it.is_active ? 'small danger' : 'small', 'aria-label': `${it.is_active ? 'Deactivate' : 'Activate'} ${it.name}` },
        it.is_active ? 'Deactivate' : 'Activate');
      toggle.addEventListener('click', async () => {
        try {
          const changed = await api<Item>(`/api/store/items/${it.id}/`, { method: 'PATCH', body: { is_active: !it.is_active } });
          toast(`${changed.name} ${changed.is_active ? 'is active again' : 'is deactivated'}`);
          show(changed);
        } catch (e) { toastError(e, 'Item'); }
      });
      const edit = h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${it.name}` }, 'Edit');
      edit.addEventListener('click', () => editForm(it));
      clear(li, h('div', { class: 'row-main' }, h('strong', null, `${it.image} ${it.name}`.trim()),
        h('div', { class: 'muted small item-facts' }, facts(it))), edit, toggle);
    };
    const editForm = (it: Item) => {
      const f = itemFields(`edit-${it.id}`, it);
      const box = errorBox();
      const save = h('button', { type: 'submit', class: 'primary small' }, 'Save');
      const cancel = h('button', { type: 'button', class: 'small', onclick: () => show(it) }, 'Cancel');
      const form = h('form', { class: 'catalog-edit catalog-form', 'aria-label': `Edit ${it.name}` },
        h('div', { class: 'filter-row' }, ...Object.values(f.fields).map((x) => x.el)), box, save, cancel);
      clear(li, form);
      onSubmit(form, {
        fields: f.fields, box, submit: save, check: f.check,
        action: () => api<Item>(`/api/store/items/${it.id}/`, { method: 'PATCH', body: f.body() }),
        done: (changed) => { toast(`${changed.name} saved`); show(changed); },
      });
      f.fields.price.input.focus();
    };
    show(item);
    return li;
  }

  // ---- a new item
  const kind = h('select', { name: 'kind', id: 'new-item-kind' }, KINDS.map(([v, label]) => h('option', { value: v }, label)));
  const name = h('input', { name: 'name', id: 'new-item-name', maxLength: 100, required: true });
  const image = h('input', { name: 'image', id: 'new-item-image', maxLength: 200 });
  const description = h('textarea', { name: 'description', id: 'new-item-description', rows: 2, maxLength: 2000 });
  const f = itemFields('new-item');
  const fields: Record<string, Field> = {
    kind: inputField('Kind', kind), name: inputField('Name', name), image: inputField('Image', image, 'An emoji or a short text.'),
    description: inputField('Description', description), ...f.fields,
  };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'new-item-submit' }, 'Add item');
  const form = h('form', { class: 'card catalog-form', id: 'new-item', 'aria-labelledby': 'new-item-title' },
    h('h2', { id: 'new-item-title' }, 'Add an item'),
    h('div', { class: 'filter-row' }, fields.kind.el, fields.name.el, fields.image.el), fields.description.el,
    h('div', { class: 'filter-row' }, ...Object.values(f.fields).map((x) => x.el)), box, submit);
  onSubmit(form, {
    fields, box, submit, check: f.check,
    action: () => api<Item>('/api/store/items/', {
      method: 'POST',
      body: { kind: kind.value, name: name.value, image: image.value, description: description.value, ...f.body() },
    }),
    done: async (item) => {
      toast(`${item.name} added`);
      form.reset();
      await list.reload();
    },
  });
  root.append(h('h1', null, 'Store catalog'), form, h('section', { class: 'card' }, h('h2', null, 'Items'), list.el));
}
