// Staff: the mobile app's crash groups (by signature), last seen first, filtered by
// status; a group can be marked fixed in a version (a later crash of it reopens it).
import { h, fmtDateTime } from '../../ui';
import { api } from '../../api';
import { pagedList, apiPages, type PagedList } from '../../list';
import { navigate, queryParam } from '../../nav';
import { toast, toastError } from '../../toast';

interface CrashGroup {
  id: string; platform: string; title: string; status: 'open' | 'fixed' | 'regressed';
  fixed_in_version: string | null; count: number; first_seen: string; last_seen: string;
}

function groupItem(g: CrashGroup, list: () => PagedList) {
  const version = h('input', { type: 'text', placeholder: '1.4.2', maxlength: 64, 'aria-label': `Fixed in version (${g.title})` });
  const fix = h('button', { type: 'button', class: 'small' }, 'Mark fixed');
  fix.addEventListener('click', async () => {
    fix.disabled = true;
    try {
      await api(`/api/mobile/crash-groups/${g.id}/fixed/`, { method: 'POST', body: { version: version.value.trim() } });
      toast('Marked fixed');
      await list().reload();
    } catch (e) {
      toastError(e, 'Marking it fixed failed');
      fix.disabled = false;
    }
  });
  return h('li', { class: 'row-item crash-group', dataset: { id: g.id } },
    h('span', { class: `badge ${g.status === 'fixed' ? 'ready' : 'failed'}` }, g.status),
    h('div', { class: 'row-main' }, h('strong', null, g.title),
      h('div', { class: 'muted small' },
        `${g.platform} · ${g.count} crash${g.count === 1 ? '' : 'es'} · last ${fmtDateTime(g.last_seen)}` +
        (g.fixed_in_version ? ` · fixed in ${g.fixed_in_version}` : ''))),
    h('div', { class: 'row-actions' }, version, fix));
}

export function crashesPage(root: HTMLElement) {
  const status = queryParam('status') ?? '';
  const select = h('select', { id: 'crash-status', name: 'status' },
    h('option', { value: '' }, 'All'),
    ['open', 'regressed', 'fixed'].map((s) => h('option', { value: s, selected: s === status }, s)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Filter the crash groups',
    onsubmit: (e: Event) => {
      e.preventDefault();
      navigate(`/admin/crashes${select.value ? `?status=${select.value}` : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Status'), select),
    h('button', { type: 'submit', class: 'primary' }, 'Filter')));
  const list: PagedList = pagedList<CrashGroup>({
    fetch: apiPages('/api/mobile/crash-groups/', status ? { status } : {}, 50),
    render: (g) => groupItem(g, () => list),
    empty: 'No crashes reported.',
    label: 'Crash groups',
    id: 'crash-groups',
  });
  root.append(h('h1', null, 'App crashes'), form, list.el);
}
