// Staff: the system log (audit trail), newest first, filtered by level and category.
import { h, fmtDateTime } from '../../ui';
import { pagedList, apiPages } from '../../list';
import { navigate, queryParam } from '../../nav';

interface Entry {
  id: string; level: string; category: string; message: string; context: Record<string, unknown>;
  username: string | null; created_at: string;
}

export function logsPage(root: HTMLElement) {
  const level = queryParam('level') ?? '';
  const category = queryParam('category') ?? '';
  const select = (id: string, name: string, value: string, options: string[]) => h('select', { id, name },
    h('option', { value: '' }, 'All'), options.map((o) => h('option', { value: o, selected: o === value }, o)));
  const levelSel = select('logs-level', 'level', level, ['info', 'warning', 'error', 'critical']);
  const categorySel = select('logs-category', 'category', category, ['admin', 'security', 'config', 'system']);
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Filter the log',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (levelSel.value) p.set('level', levelSel.value);
      if (categorySel.value) p.set('category', categorySel.value);
      navigate(`/admin/logs${p.toString() ? '?' + p : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field' }, h('label', { for: levelSel.id }, 'Level'), levelSel),
    h('div', { class: 'field' }, h('label', { for: categorySel.id }, 'Category'), categorySel),
    h('button', { type: 'submit', class: 'primary' }, 'Filter')));
  const list = pagedList<Entry>({
    fetch: apiPages('/api/admin/logs/', { level, category }, 50),
    render: (e) => h('li', { class: 'row-item' },
      h('span', { class: `badge ${e.level === 'info' ? '' : 'failed'}` }, e.level),
      h('div', { class: 'row-main' }, h('div', null, e.message),
        h('div', { class: 'muted small' }, `${e.category} · ${e.username ?? 'system'} · ${fmtDateTime(e.created_at)}`),
        Object.keys(e.context).length ? h('code', { class: 'small' }, JSON.stringify(e.context)) : null)),
    empty: 'Nothing logged.',
    label: 'System log',
  });
  root.append(h('h1', null, 'System log'), form, list.el);
}
