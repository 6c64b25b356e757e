// /settings/billing: payments (charges and refunds), invoices and credit notes (refunds) with their PDFs.
import { api } from '../../api';
import { h, fmtDateTime } from '../../ui';
import { pagedList, apiPages } from '../../list';
import { toastError } from '../../toast';
import { section } from './layout';

interface Invoice { id: string; number: string; total_display: string; issued_at: string; pdf_url: string }
interface CreditNote { id: string; number: string; invoice_number: string; total_display: string; reason: string; issued_at: string; pdf_url: string }
interface Payment { id: string; kind: string; status: string; amount_display: string; description: string; created_at: string }

// The PDF needs the bearer token, so it is fetched and opened as a blob.
async function openPdf(doc: { pdf_url: string; number: string }, name = 'invoice') {
  try {
    const res = await api<Response>(doc.pdf_url, { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `${name}-${doc.number}.pdf` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    toastError(e, name === 'invoice' ? 'Invoice PDF' : 'Credit note PDF');
  }
}

function invoiceItem(inv: Invoice) {
  const pdf = h('button', { type: 'button', class: 'secondary', 'aria-label': `PDF of invoice ${inv.number}` }, 'PDF');
  pdf.addEventListener('click', () => openPdf(inv));
  return h('li', { class: 'row-item invoice' },
    h('div', { class: 'row-main' },
      h('strong', null, `Invoice ${inv.number}`),
      h('div', { class: 'muted small' }, `${fmtDateTime(inv.issued_at)} · ${inv.total_display}`)),
    pdf);
}

function creditNoteItem(cn: CreditNote) {
  const pdf = h('button', { type: 'button', class: 'secondary', 'aria-label': `PDF of credit note ${cn.number}` }, 'PDF');
  pdf.addEventListener('click', () => openPdf(cn, 'credit-note'));
  return h('li', { class: 'row-item credit-note' },
    h('div', { class: 'row-main' },
      h('strong', null, `Credit note ${cn.number}`),
      h('div', { class: 'muted small' },
        `${fmtDateTime(cn.issued_at)} · ${cn.total_display} · credits invoice ${cn.invoice_number} · ${cn.reason}`)),
    pdf);
}

function paymentItem(p: Payment) {
  const label = p.kind === 'refund' ? 'Refund' : p.status === 'failed' ? 'Failed payment' : 'Payment';
  return h('li', { class: `row-item payment ${p.status}` },
    h('div', { class: 'row-main' },
      h('strong', null, `${label}: ${p.amount_display}`),
      h('div', { class: 'muted small' }, `${fmtDateTime(p.created_at)} · ${p.description}`)));
}

export function billingPage(content: HTMLElement) {
  content.append(h('h1', null, 'Billing history'));
  const invoices = pagedList<Invoice>({
    fetch: apiPages('/api/billing/invoices/'),
    render: invoiceItem,
    empty: 'No invoices yet.',
    label: 'Invoices',
    id: 'invoices',
  });
  const credits = pagedList<CreditNote>({
    fetch: apiPages('/api/billing/credit-notes/'),
    render: creditNoteItem,
    empty: 'No credit notes.',
    label: 'Credit notes',
    id: 'credit-notes',
  });
  const payments = pagedList<Payment>({
    fetch: apiPages('/api/billing/payments/'),
    render: paymentItem,
    empty: 'No payments yet.',
    label: 'Payments',
    id: 'payments',
  });
  content.append(section('Invoices', 'invoices-section', invoices.el),
    section('Credit notes', 'credit-notes-section', credits.el),
    section('Payments', 'payments-section', payments.el));
}
