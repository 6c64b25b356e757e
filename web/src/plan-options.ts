// The billing file's plans as <option>s of a staff select (user filter, broadcast segment).
// valueOf maps a plan id to the option's value; `selected` is pre-selected when it appears.
import { api } from './api';
import { h } from './ui';

export async function addPlanOptions(select: HTMLSelectElement, label: (name: string) => string,
  valueOf: (id: string) => string, selected = ''): Promise<void> {
  const { plans } = await api<{ plans: { id: string; name: string }[] }>('/api/billing/plans/');
  select.append(...plans.map((p) => h('option', { value: valueOf(p.id), selected: valueOf(p.id) === selected }, label(p.name))));
}
