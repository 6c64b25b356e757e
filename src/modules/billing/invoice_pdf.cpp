#include "modules/billing/invoice_pdf.hpp"

#include <hpdf.h>

#include <boost/json.hpp>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/billing/money.hpp"

namespace wp::billing {

namespace json = boost::json;

namespace {

// libharu reports through a callback; the first failure is kept and thrown
// after the call returns (never thrown through C code).
struct Failure {
  HPDF_STATUS error = HPDF_OK, detail = 0;
};

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* data) {
  auto* f = static_cast<Failure*>(data);
  if (f->error == HPDF_OK) *f = {error, detail};
}

// The standard fonts speak WinAnsi: Latin-1 code points pass, others become '?'.
std::string win_ansi(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (len > 1 && i + len <= utf8.size()) {
      cp = c & (0xFF >> (len + 1));
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    i += len;
    if (cp == '\n' || cp == '\t') cp = ' ';
    out.push_back((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF) ? static_cast<char>(cp) : '?');
  }
  return out;
}

std::string text_of(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

class Sheet {
 public:
  Sheet(HPDF_Doc doc, HPDF_Page page)
      : page_(page), regular_(HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding")),
        bold_(HPDF_GetFont(doc, "Helvetica-Bold", "WinAnsiEncoding")) {}

  void text(float x, float y, const std::string& s, float size = 10, bool bold = false) {
    auto t = win_ansi(s);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    HPDF_Page_TextOut(page_, x, y, t.c_str());
    HPDF_Page_EndText(page_);
  }
  // Right-aligned at x.
  void right(float x, float y, const std::string& s, float size = 10, bool bold = false) {
    auto t = win_ansi(s);
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    text(x - HPDF_Page_TextWidth(page_, t.c_str()), y, s, size, bold);
  }
  void rule(float x1, float x2, float y) {
    HPDF_Page_SetLineWidth(page_, 0.5);
    HPDF_Page_MoveTo(page_, x1, y);
    HPDF_Page_LineTo(page_, x2, y);
    HPDF_Page_Stroke(page_);
  }
  // Lines of an address block, top down; returns the y below it.
  float block(float x, float y, const std::string& heading, const std::vector<std::string>& lines) {
    text(x, y, heading, 9, true);
    for (auto& l : lines)
      if (!l.empty()) text(x, y -= 13, l);
    return y - 13;
  }

 private:
  HPDF_Page page_;
  HPDF_Font regular_, bold_;
};

// What an invoice and a credit note print: the same layout, their own words.
struct Document {
  std::string title;      // "Invoice 2026-000123"
  std::string reference;  // a credit note: the invoice it credits, and why
  std::int64_t issued_at = 0;
  std::string seller, buyer, lines;  // JSON snapshots
  std::string currency;
  std::int64_t subtotal = 0;
  int tax_rate_bp = 0;
  std::int64_t tax = 0, total = 0;
  std::string total_label, footer;
};

std::string rate_text(int bp) {
  return std::to_string(bp / 100) +
         (bp % 100 ? "." + std::to_string(bp % 100 / 10) + (bp % 10 ? std::to_string(bp % 10) : "") : "");
}

void draw(Sheet& s, const Document& doc) {
  auto seller = json::parse(doc.seller).as_object();
  auto buyer = json::parse(doc.buyer).as_object();
  const float left = 50, right = 545;
  s.text(left, 780, doc.title, 20, true);
  s.text(left, 760, "Date: " + to_rfc3339(doc.issued_at).substr(0, 10));
  float top = 725;
  if (!doc.reference.empty()) {
    s.text(left, 742, doc.reference);
    top = 710;
  }
  float y = s.block(left, top, "From",
                    {text_of(seller, "name"), text_of(seller, "address"), text_of(seller, "country"),
                     text_of(seller, "vat_id").empty() ? "" : "VAT ID " + text_of(seller, "vat_id"),
                     text_of(seller, "email")});
  float y2 = s.block(320, top, "Bill to",
                     {text_of(buyer, "name"), text_of(buyer, "username"), text_of(buyer, "email"),
                      text_of(buyer, "country")});
  y = std::min(y, y2) - 20;
  s.text(left, y, "Description", 10, true);
  s.right(400, y, "Qty", 10, true);
  s.right(right, y, "Amount", 10, true);
  s.rule(left, right, y -= 6);
  auto lines = json::parse(doc.lines);
  for (auto& v : lines.as_array()) {
    auto& line = v.as_object();
    y -= 16;
    s.text(left, y, text_of(line, "description").substr(0, 70));
    s.right(400, y, std::to_string(line.at("quantity").to_number<std::int64_t>()));
    s.right(right, y, format_amount(line.at("amount").to_number<std::int64_t>(), doc.currency));
  }
  s.rule(300, right, y -= 10);
  s.text(300, y -= 16, "Net");
  s.right(right, y, format_amount(doc.subtotal, doc.currency));
  s.text(300, y -= 16, doc.tax_rate_bp > 0 ? "Tax (" + rate_text(doc.tax_rate_bp) + " %)" : "Tax (none)");
  s.right(right, y, format_amount(doc.tax, doc.currency));
  s.text(300, y -= 18, doc.total_label, 11, true);
  s.right(right, y, format_amount(doc.total, doc.currency), 11, true);
  s.text(left, 60, doc.footer, 8);
}

std::string render(const Document& document) {
  Failure failure;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> doc(HPDF_New(on_error, &failure), HPDF_Free);
  if (!doc) throw Error(ErrorCode::internal, "The PDF library could not start.");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, win_ansi(document.title).c_str());
  HPDF_Page page = HPDF_AddPage(doc.get());
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  Sheet sheet(doc.get(), page);
  draw(sheet, document);
  HPDF_SaveToStream(doc.get());
  std::string out(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
  out.resize(size);
  if (failure.error != HPDF_OK)
    throw Error(ErrorCode::internal, "The PDF of " + document.title + " failed (libharu error " +
                                         std::to_string(failure.error) + ", " + std::to_string(failure.detail) + ").");
  return out;
}

}  // namespace

std::string render_invoice_pdf(const InvoiceRow& inv) {
  return render({.title = "Invoice " + inv.number,
                 .reference = "",
                 .issued_at = inv.issued_at,
                 .seller = inv.seller,
                 .buyer = inv.buyer,
                 .lines = inv.lines,
                 .currency = inv.currency,
                 .subtotal = inv.subtotal,
                 .tax_rate_bp = inv.tax_rate_bp,
                 .tax = inv.tax,
                 .total = inv.total,
                 .total_label = "Total",
                 .footer = "Prices include tax where a rate applies. Paid in full."});
}

std::string render_credit_note_pdf(const CreditNoteRow& cn) {
  return render({.title = "Credit note " + cn.number,
                 .reference = "Credits invoice " + cn.invoice_number + ". Reason: " + cn.reason,
                 .issued_at = cn.issued_at,
                 .seller = cn.seller,
                 .buyer = cn.buyer,
                 .lines = cn.lines,
                 .currency = cn.currency,
                 .subtotal = cn.subtotal,
                 .tax_rate_bp = cn.tax_rate_bp,
                 .tax = cn.tax,
                 .total = cn.total,
                 .total_label = "Total credited",
                 .footer = "The total credited is refunded to the original means of payment."});
}

}  // namespace wp::billing
