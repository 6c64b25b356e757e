// Store (#18) at /store: my coin balance, the items on sale with Buy, and my
// inventory with Equip / Unequip. A purchase carries a fresh idempotency key, so a
// retried click never buys twice.
import { api, ApiError, type Page } from '../api';
import { h, clear, toast, errorText, fmtDateTime } from '../ui';
import { cosmeticPreview } from '../cosmetics';

interface Item {
  id: string; kind: string; name: string; description: string; image: string; price: number;
  stock: number | null; remaining: number | null; on_sale: boolean; properties?: Record<string, unknown>;
}
interface Owned { item_id: string; kind: string; name: string; image: string; equipped: boolean; acquired_at: string; properties?: Record<string, unknown> }
interface Move { id: string; kind: string; amount: number; memo: string; created_at: string }

const KIND: Record<string, string> = {
  badge: 'Badge', emoji_pack: 'Emoji pack', profile_theme: 'Profile theme', party_theme: 'Party theme',
};

export async function storePage(root: HTMLElement) {
  const balanceEl = h('strong', { id: 'coin-balance' }, '…');
  const itemsEl = h('ul', { class: 'plist store-items', id: 'store-items', 'aria-label': 'Items on sale' });
  const invEl = h('ul', { class: 'plist inventory', id: 'inventory', 'aria-label': 'My items' });
  const movesEl = h('ul', { class: 'plist coin-moves', id: 'coin-moves', 'aria-label': 'Coin history' });
  let owned = new Set<string>();

  async function loadBalance() {
    const w = await api<{ balance: number }>('/api/store/wallet/');
    balanceEl.textContent = `${w.balance} coins`;
  }

  async function buy(item: Item, button: HTMLButtonElement) {
    button.disabled = true;
    try {
      await api(`/api/store/items/${item.id}/purchase/`, { method: 'POST', body: { idempotency_key: crypto.randomUUID() } });
      toast(`You bought ${item.name}`);
      await reload();
    } catch (e) {
      toast(e instanceof ApiError && e.status === 409 ? e.message : errorText(e), 'error');
      button.disabled = false;
    }
  }

  function itemRow(item: Item) {
    const have = owned.has(item.id);
    const button = h('button', { type: 'button', class: 'small primary buy', 'aria-label': `Buy ${item.name} for ${item.price} coins` },
      have ? 'Owned' : `Buy · ${item.price}`) as HTMLButtonElement;
    button.disabled = have || item.remaining === 0;
    button.addEventListener('click', () => buy(item, button));
    return h('li', { dataset: { id: item.id } },
      h('span', { class: 'item-image', 'aria-hidden': 'true' }, item.image || '★'), ' ',
      h('strong', null, item.name), h('span', { class: 'muted small' }, ` · ${KIND[item.kind] ?? item.kind}`),
      item.remaining !== null ? h('span', { class: 'muted small' }, ` · ${item.remaining} left`) : null,
      cosmeticPreview(item.kind, item.properties),
      item.description ? h('p', { class: 'small' }, item.description) : null, button);
  }

  function ownedRow(v: Owned) {
    const label = v.equipped ? 'Unequip' : 'Equip';
    const button = h('button', { type: 'button', class: `small ${v.equipped ? 'unequip' : 'equip'}`, 'aria-label': `${label} ${v.name}` }, label) as HTMLButtonElement;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api(`/api/store/inventory/${v.item_id}/${v.equipped ? 'unequip' : 'equip'}/`, { method: 'POST' });
        await loadInventory();
      } catch (e) {
        toast(errorText(e), 'error');
        button.disabled = false;
      }
    });
    return h('li', { dataset: { item: v.item_id }, class: v.equipped ? 'equipped' : '' },
      h('span', { class: 'item-image', 'aria-hidden': 'true' }, v.image || '★'), ' ', h('strong', null, v.name),
      h('span', { class: 'muted small' }, ` · ${KIND[v.kind] ?? v.kind}${v.equipped ? ' · equipped' : ''}`),
      cosmeticPreview(v.kind, v.properties), ' ', button);
  }

  async function loadInventory() {
    const inv = await api<{ results: Owned[] }>('/api/store/inventory/');
    owned = new Set(inv.results.map((v) => v.item_id));
    clear(invEl, ...(inv.results.length ? inv.results.map(ownedRow) : [h('li', { class: 'muted' }, 'Nothing yet.')]));
  }

  async function reload() {
    await Promise.all([loadBalance(), loadInventory()]);
    const [items, moves] = await Promise.all([
      api<Page<Item>>('/api/store/items/', { query: { page_size: 100 } }),
      api<Page<Move>>('/api/store/wallet/transactions/', { query: { page_size: 20 } }),
    ]);
    clear(itemsEl, ...(items.results.length ? items.results.map(itemRow) : [h('li', { class: 'muted' }, 'Nothing on sale.')]));
    clear(movesEl, ...moves.results.map((m) => h('li', null, h('strong', null, `${m.amount > 0 ? '+' : ''}${m.amount}`),
      ` ${m.memo || m.kind}`, h('span', { class: 'muted small' }, ` · ${fmtDateTime(m.created_at)}`))));
  }

  root.append(h('h1', null, 'Store'),
    h('section', { class: 'card', id: 'wallet' }, h('p', null, 'Balance: ', balanceEl)),
    h('section', { class: 'card' }, h('h2', null, 'On sale'), itemsEl),
    h('section', { class: 'card' }, h('h2', null, 'My items'), invEl),
    h('section', { class: 'card' }, h('h2', null, 'Coin history'), movesEl));
  await reload();
}
