// The help center (/support): FAQ search by text and category, answers rendered from
// Markdown on this side (support/markdown.ts), "was this helpful" votes, links to a new
// ticket and my tickets, and a feedback form.
import { api, me } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { onSubmit, errorBox, inputField } from '../forms';
import { renderMarkdown } from '../support/markdown';
import { type Faq, vote, uploadAll } from '../support/api';

function votes(f: Faq): HTMLElement {
  const box = h('div', { class: 'faq-votes', role: 'group', 'aria-label': 'Was this helpful?' });
  const draw = (q: Faq) => {
    if (!me()) { clear(box, h('span', { class: 'muted' }, `${q.helpful_count} found this helpful`)); return; }
    const button = (helpful: boolean, text: string) => h('button', {
      type: 'button', class: 'small', 'aria-pressed': String(q.my_vote === helpful),
      onclick: async () => {
        try { draw(await vote(q.id, helpful)); } catch (e) { toastError(e, 'The vote was not counted'); }
      },
    }, text);
    clear(box, h('span', null, 'Was this helpful? '), button(true, `Yes (${q.helpful_count})`), ' ',
      button(false, `No (${q.not_helpful_count})`));
  };
  draw(f);
  return box;
}

function faqItem(f: Faq): HTMLElement {
  const answer = h('div', { class: 'faq-answer' });
  answer.append(renderMarkdown(f.answer));
  return h('li', { class: 'faq-item', dataset: { id: f.id } },
    h('details', null, h('summary', null, f.question, ' ', h('span', { class: 'muted small' }, `· ${f.category}`)),
      answer, votes(f)));
}

function feedbackForm(): HTMLElement {
  const rating = h('select', { name: 'rating', id: 'fb-rating', required: true },
    ...[5, 4, 3, 2, 1].map((n) => h('option', { value: String(n) }, `${n} of 5`)));
  const text = h('textarea', { name: 'text', id: 'fb-text', rows: 3, maxlength: 5000 });
  const shot = h('input', { type: 'file', name: 'screenshot', id: 'fb-shot', accept: 'image/*' });
  const fields = { rating: inputField('Rating', rating), text: inputField('Your feedback', text),
    screenshot_id: inputField('Screenshot (optional)', shot) };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send feedback');
  const form = h('form', { class: 'card', 'aria-label': 'Feedback' }, h('h2', null, 'Tell us what you think'),
    fields.rating.el, fields.text.el, fields.screenshot_id.el, box, submit);
  onSubmit(form, {
    fields, box, submit,
    action: async () => {
      const [screenshot_id] = await uploadAll(shot);
      return api('/api/support/feedback/', { method: 'POST', body: {
        rating: Number(rating.value), text: text.value, page: location.pathname, screenshot_id,
        context: { viewport: `${innerWidth}x${innerHeight}` } } });
    },
    done: () => { form.reset(); toast('Thank you for your feedback'); },
  });
  return form;
}

export async function helpPage(root: HTMLElement) {
  const q = queryParam('q') ?? '';
  const cat = queryParam('category') ?? '';
  const cats = await api<{ category: string; count: number }[]>('/api/support/faq/categories/');
  const search = h('input', { type: 'search', id: 'faq-search', name: 'q', value: q, placeholder: 'Search the answers' });
  const category = h('select', { id: 'faq-category', name: 'category' }, h('option', { value: '' }, 'All topics'),
    ...cats.map((c) => h('option', { value: c.category, selected: c.category === cat }, `${c.category} (${c.count})`)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Search the help center',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (search.value.trim()) p.set('q', search.value.trim());
      if (category.value) p.set('category', category.value);
      const s = p.toString();
      navigate(`/support${s ? '?' + s : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search'), search),
    h('div', { class: 'field' }, h('label', { for: category.id }, 'Topic'), category),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
  category.addEventListener('change', () => form.requestSubmit());
  const list = pagedList<Faq>({
    fetch: apiPages('/api/support/faq/', { search: q, category: cat }, 50),
    render: faqItem, empty: q ? 'No answer matches; open a ticket and we will help.' : 'No answers yet.',
    label: 'Answers', id: 'faq-list',
  });
  root.append(
    h('header', { class: 'page-head' }, h('h1', null, 'Help center'),
      me() ? h('div', { class: 'actions' }, link('/support/new', 'New ticket', { class: 'button primary' }), ' ',
        link('/support/tickets', 'My tickets', { class: 'button' })) : null),
    form, h('section', { class: 'card' }, h('h2', null, 'Answers'), list.el));
  if (me()) root.append(feedbackForm());
}
