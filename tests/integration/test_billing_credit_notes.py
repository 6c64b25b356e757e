"""Credit notes (#18): a refund the provider reports (charge.refunded) credits
the charge's invoice with a document of its own series (CN-YYYY-NNNNNN,
gapless per year), as JSON and as a PDF, seen by its owner and staff only."""
import re
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from helpers import assert_envelope, make_staff_member, register
from test_billing import billed, fake, subscribe  # noqa: F401 - the fixtures

YEAR = time.gmtime().tm_year


def refund_of(transaction, amount, refund_id, reason="requested_by_customer", by="invoice"):
    """A charge.refunded object: the charge is known by its invoice (plans) or payment intent (coin packs)."""
    return {"id": "ch_" + refund_id, "object": "charge", by: transaction, "amount_refunded": amount, "currency": "eur",
            "refunds": {"data": [{"id": refund_id, "amount": amount, "reason": reason}]}}


def paid_charge(user):
    return next(p for p in user.get("/api/billing/payments/").json()["results"] if p["kind"] == "charge")


def credit_notes(user, **params):
    r = user.get("/api/billing/credit-notes/", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_refund_credits_the_invoice_once_with_the_invoices_tax(billed, fake):  # noqa: F811
    user = register(billed)
    subscribe(fake, user)
    invoice = user.get("/api/billing/invoices/").json()["results"][0]
    charge = paid_charge(user)
    body = refund_of(charge["transaction_id"], 499, "re_full")
    assert fake.event("charge.refunded", body, event_id="evt_refund_once").status_code == 200
    assert fake.event("charge.refunded", body, event_id="evt_refund_once").json()["outcome"] == "duplicate"
    assert fake.event("charge.refunded", body).status_code == 200  # the same refund in another event
    listed = credit_notes(user)
    assert listed["count"] == 1, listed
    cn = listed["results"][0]
    assert cn["number"] == f"CN-{YEAR}-000001"
    assert cn["invoice_id"] == invoice["id"] and cn["invoice_number"] == invoice["number"]
    assert (cn["total"], cn["tax"], cn["subtotal"], cn["tax_rate_bp"]) == (499, 80, 419, 1900)
    assert cn["currency"] == "EUR" and cn["total_display"] == "4.99 EUR"
    assert cn["seller"] == invoice["seller"] and cn["buyer"] == invoice["buyer"]
    assert cn["reason"] == "Requested by the customer"
    assert cn["lines"] == [{"description": f"Refund of invoice {invoice['number']}: Subscription: premium",
                            "quantity": 1, "amount": 499}]
    assert cn["pdf_url"] == f"/api/billing/credit-notes/{cn['id']}/pdf/"
    refund = next(p for p in user.get("/api/billing/payments/").json()["results"] if p["kind"] == "refund")
    assert refund["credit_note_id"] == cn["id"] and refund["id"] == cn["payment_id"]
    assert user.get(f"/api/billing/credit-notes/{cn['id']}/").json() == cn


def test_partial_refunds_and_a_coin_pack_refund_each_get_the_next_number(billed, fake):  # noqa: F811
    ana, bob = register(billed), register(billed)
    subscribe(fake, ana)
    r = bob.post("/api/billing/coins/checkout/", json={"pack": "coins_500"})
    assert r.status_code == 201, r.text
    assert requests.post(r.json()["url"] + "/pay", allow_redirects=False, timeout=10).status_code == 303
    ana_charge, bob_charge = paid_charge(ana), paid_charge(bob)
    assert fake.event("charge.refunded", refund_of(ana_charge["transaction_id"], 100, "re_p1")).status_code == 200
    assert fake.event("charge.refunded", refund_of(bob_charge["transaction_id"], bob_charge["amount"], "re_c1",
                                                   reason="duplicate", by="payment_intent")).status_code == 200
    assert fake.event("charge.refunded", refund_of(ana_charge["transaction_id"], 399, "re_p2")).status_code == 200
    # Past what the invoice holds: the refund is recorded, no document credits more than was invoiced.
    assert fake.event("charge.refunded", refund_of(ana_charge["transaction_id"], 1, "re_p3")).status_code == 200
    mine = credit_notes(ana)["results"]
    assert [(c["number"], c["total"]) for c in mine] == [(f"CN-{YEAR}-000003", 399), (f"CN-{YEAR}-000001", 100)]
    coins = credit_notes(bob)["results"]
    assert [(c["number"], c["reason"]) for c in coins] == [(f"CN-{YEAR}-000002", "Duplicate charge")]
    assert coins[0]["invoice_id"] == bob_charge["invoice_id"]
    # The credit notes' series does not move the invoices' numbers.
    staff = make_staff_member(billed)
    numbers = [i["number"] for i in staff.get("/api/billing/invoices/?all=true").json()["results"]]
    assert sorted(numbers) == [f"{YEAR}-000001", f"{YEAR}-000002"]


def test_concurrent_refunds_get_gapless_credit_note_numbers(billed, fake):  # noqa: F811
    users = [register(billed) for _ in range(3)]
    subs = [subscribe(fake, u)[0] for u in users]
    invoices = []
    for k in range(9):  # more paid invoices to refund
        inv = fake.invoice(subs[k % 3])
        assert fake.event("invoice.paid", inv).status_code == 200
        invoices.append(inv["id"])
    responses = [None] * len(invoices)
    barrier = threading.Barrier(len(invoices))

    def send(i):
        barrier.wait()
        responses[i] = fake.event("charge.refunded", refund_of(invoices[i], 499, f"re_conc_{i}"),
                                  event_id=f"evt_conc_refund_{i}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(invoices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, r in enumerate(responses):  # a refusal under contention is retried, as the provider does
        for _ in range(20):
            if r.status_code == 200:
                break
            time.sleep(0.2)
            r = fake.event("charge.refunded", refund_of(invoices[i], 499, f"re_conc_{i}"),
                           event_id=f"evt_conc_refund_{i}")
        assert r.status_code == 200, r.text
    staff = make_staff_member(billed)
    notes = credit_notes(staff, all="true", page_size=100)["results"]
    seqs = sorted(int(c["number"].split("-")[2]) for c in notes)
    assert seqs == list(range(1, len(invoices) + 1)), seqs
    assert all(re.fullmatch(rf"CN-{YEAR}-\d{{6}}", c["number"]) for c in notes)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_credit_note_pdf_shows_the_invoice_it_credits_and_the_totals(billed, fake):  # noqa: F811
    user = register(billed)
    subscribe(fake, user)
    charge = paid_charge(user)
    fake.event("charge.refunded", refund_of(charge["transaction_id"], 499, "re_pdf"))
    cn = credit_notes(user)["results"][0]
    r = user.get(cn["pdf_url"])
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf", r.text
    assert r.content.startswith(b"%PDF-")
    assert f"credit-note-{cn['number']}.pdf" in r.headers["Content-Disposition"]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    for expected in (f"Credit note {cn['number']}", f"Credits invoice {cn['invoice_number']}",
                     "Requested by the customer", "Watchparty Test GmbH", "DE999999999", user.username,
                     "4.19 EUR", "Tax (19 %)", "0.80 EUR", "Total credited", "4.99 EUR"):
        assert expected in text, (expected, text)


def test_only_the_owner_and_staff_see_a_credit_note(billed, fake):  # noqa: F811
    owner, other = register(billed), register(billed)
    subscribe(fake, owner)
    charge = paid_charge(owner)
    fake.event("charge.refunded", refund_of(charge["transaction_id"], 499, "re_auth"))
    cn = credit_notes(owner)["results"][0]
    detail, pdf = f"/api/billing/credit-notes/{cn['id']}/", cn["pdf_url"]
    for path in (detail, pdf):
        assert_envelope(billed.get(path), 401, "AUTHENTICATION_REQUIRED")
        assert_envelope(other.get(path), 404, "RESOURCE_NOT_FOUND")
        assert owner.get(path).status_code == 200
    assert credit_notes(other)["count"] == 0
    assert_envelope(other.get("/api/billing/credit-notes/?all=true"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(billed.get("/api/billing/credit-notes/"), 401, "AUTHENTICATION_REQUIRED")
    staff = make_staff_member(billed)
    assert staff.get(detail).status_code == 200 and staff.get(pdf).status_code == 200
    assert [c["id"] for c in credit_notes(staff, all="true")["results"]] == [cn["id"]]
    assert credit_notes(staff)["count"] == 0  # staff's own list is still their own
