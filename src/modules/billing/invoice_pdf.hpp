#pragma once
// An invoice or a credit note as a PDF (libharu): seller and buyer, number
// and date (a credit note: the invoice it credits and why), the lines, net,
// tax and total. Text is drawn in a standard font, so it can be
// extracted (pdftotext) and searched.
#include <string>

#include "modules/billing/model.hpp"

namespace wp::billing {

// The PDF's bytes. Throws wp::Error (internal) when libharu fails.
std::string render_invoice_pdf(const InvoiceRow& invoice);
std::string render_credit_note_pdf(const CreditNoteRow& note);

}  // namespace wp::billing
