// The party room's poll panel (issue #17): the host and moderators create polls;
// members vote (and change their vote) until a poll closes; bars follow the live
// poll_results; closed polls keep their results. room.ts owns the socket and hands
// poll_* messages to onMessage(), and the user's role to setRole().
import { api } from '../api';
import { toastError } from '../toast';
import { h, clear } from '../ui';

interface PollOption { id: string; position: number; text: string; votes_count: number; voters?: { id: string; username: string }[] }
interface Poll {
  id: string; question: string; options: PollOption[]; multiple_choice: boolean; anonymous: boolean;
  status: 'open' | 'closed'; total_votes: number; expires_at: string | null; closed_at: string | null; my_votes?: string[];
}

export function pollPanel(partyId: string) {
  let role = 'participant';
  const isMod = () => role === 'host' || role === 'moderator';
  const polls = new Map<string, Poll>();
  const order: string[] = [];  // newest first
  const picked = new Map<string, Set<string>>();  // choices not yet sent survive a re-render

  const list = h('div', { id: 'poll-list', 'aria-live': 'polite' });
  const question = h('input', { id: 'poll-question', maxLength: 300, placeholder: 'Question', 'aria-label': 'Poll question', required: true });
  const options = h('textarea', { id: 'poll-options', rows: 3, placeholder: 'One option per line (2 to 10)', 'aria-label': 'Poll options, one per line' });
  const multiple = h('input', { type: 'checkbox', id: 'poll-multiple' });
  const anonymous = h('input', { type: 'checkbox', id: 'poll-anonymous' });
  const minutes = h('input', { type: 'number', id: 'poll-minutes', min: '0', max: '10080', placeholder: 'no limit', 'aria-label': 'Duration in minutes' });
  const create = h('button', { type: 'submit', class: 'primary small', id: 'poll-create' }, 'Create poll');
  const form = h('form', { id: 'poll-form', hidden: true }, question, options,
    h('label', null, multiple, ' Multiple choice'), h('label', null, anonymous, ' Anonymous'),
    h('label', null, 'Minutes ', minutes), create);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const texts = options.value.split('\n').map((t) => t.trim()).filter(Boolean);
    const body: Record<string, unknown> = { question: question.value.trim(), options: texts, multiple_choice: multiple.checked, anonymous: anonymous.checked };
    if (Number(minutes.value) > 0) body.duration_seconds = Math.round(Number(minutes.value) * 60);
    create.disabled = true;
    try {
      put(await api<Poll>(`/api/parties/${partyId}/polls/`, { method: 'POST', body }));
      question.value = options.value = minutes.value = '';
    } catch (err) { toastError(err); }
    create.disabled = false;
  });
  const el = h('details', { class: 'card tight tool', id: 'poll-panel', open: true }, h('summary', null, 'Polls'), form, list);

  function put(p: Poll) {
    const old = polls.get(p.id);
    polls.set(p.id, { ...old, ...p, my_votes: p.my_votes ?? old?.my_votes ?? [] });
    if (!order.includes(p.id)) order.unshift(p.id);
    render();
  }

  function pollItem(p: Poll) {
    const closed = p.status === 'closed';
    const mine = new Set(p.my_votes ?? []);
    const chosen = picked.get(p.id) ?? mine;
    const rows = p.options.map((o) => {
      const pct = p.total_votes ? Math.round((o.votes_count / p.total_votes) * 100) : 0;
      const input = h('input', { type: p.multiple_choice ? 'checkbox' : 'radio', name: `poll-${p.id}`, value: o.id, checked: chosen.has(o.id), disabled: closed, 'aria-label': o.text });
      const who = o.voters?.length ? h('span', { class: 'muted small poll-voters' }, ` ${o.voters.map((v) => v.username).join(', ')}`) : null;
      return h('li', { class: 'poll-option', 'data-option': o.id },
        h('label', null, input, ` ${o.text} `, h('span', { class: 'poll-count' }, `${o.votes_count} (${pct}%)`), who),
        h('div', { class: 'poll-bar', role: 'progressbar', 'aria-valuenow': String(pct), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': o.text, style: `width:${pct}%` }));
    });
    const ul = h('ul', { class: 'poll-options' }, ...rows);
    const checkedIds = () => [...ul.querySelectorAll('input:checked')].map((i) => (i as HTMLInputElement).value);
    ul.addEventListener('change', () => picked.set(p.id, new Set(checkedIds())));
    const vote = h('button', { class: 'small poll-vote', hidden: closed }, mine.size ? 'Change vote' : 'Vote');
    vote.addEventListener('click', async () => {
      const ids = checkedIds();
      if (!ids.length) return;
      vote.disabled = true;
      try { picked.delete(p.id); put(await api<Poll>(`/api/parties/${partyId}/polls/${p.id}/vote/`, { method: 'POST', body: { option_ids: ids } })); } catch (err) { toastError(err); }
      vote.disabled = false;
    });
    const close = h('button', { class: 'small poll-close', hidden: closed || !isMod() }, 'Close');
    close.addEventListener('click', async () => {
      try { put(await api<Poll>(`/api/parties/${partyId}/polls/${p.id}/close/`, { method: 'POST' })); } catch (err) { toastError(err); }
    });
    const state = closed ? 'Closed' : p.expires_at ? `Open until ${new Date(p.expires_at).toLocaleTimeString()}` : 'Open';
    return h('section', { class: `poll ${closed ? 'closed' : 'open'}`, 'data-poll': p.id },
      h('h3', null, p.question),
      h('p', { class: 'muted small poll-state' }, `${state} · ${p.total_votes} vote${p.total_votes === 1 ? '' : 's'}${p.anonymous ? ' · anonymous' : ''}`),
      ul, vote, close);
  }

  function render() {
    form.hidden = !isMod();
    clear(list, ...order.map((id) => pollItem(polls.get(id)!)));
    if (!order.length) list.append(h('p', { class: 'muted small' }, 'No polls yet.'));
  }

  async function load() {
    try {
      const r = await api<{ results: Poll[] }>(`/api/parties/${partyId}/polls/`);
      order.length = 0;
      for (const p of r.results) { polls.set(p.id, p); order.push(p.id); }
      render();
    } catch (err) { toastError(err); }
  }

  return {
    el,
    load,
    setRole(r: string) { role = r; render(); },
    onMessage(m: any) {
      if (m.type === 'poll_created' || m.type === 'poll_closed') put(m.poll);
      if (m.type !== 'poll_results') return;
      const p = polls.get(m.poll_id);
      if (!p || p.status === 'closed') return;  // a late poll_results never reopens a closed poll
      for (const o of p.options) o.votes_count = m.options.find((x: any) => x.id === o.id)?.votes_count ?? o.votes_count;
      p.total_votes = m.total_votes;
      render();
    },
  };
}
