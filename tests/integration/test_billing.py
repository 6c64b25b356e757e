"""Billing (#18): plans, checkout through a fake provider, signed webhooks,
subscriptions and the grace period, gapless invoices, the PDF, who sees what,
and the plan limits the other modules enforce."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from billing_helpers import (BILLING_TOML, billing_args, billing_file, billed, deliver, fake,  # noqa: F401
                             signature_header, subscribe)
from helpers import assert_envelope, make_staff_member, register
from party_helpers import create_party_req, join, party_path
from video_helpers import make_clip, tus_meta, upload_ready


def plan_of(user):
    r = user.get("/api/billing/subscription/")
    assert r.status_code == 200, r.text
    return r.json()


def customer_of(fake, user):
    return next(cid for cid, form in fake.customers.items() if form["metadata[user_id]"] == user.id)


def assert_plan_limit(resp, limit):
    body = assert_envelope(resp, 403, "PLAN_LIMIT")
    assert body["errors"]["limit"] == [limit], body
    return body


# ---------------------------------------------------------------- plans and checkout

def test_plans_are_public_with_prices_in_minor_units(billed):
    body = billed.get("/api/billing/plans/").json()
    plans = {p["id"]: p for p in body["plans"]}
    assert plans["premium"]["price"] == 499 and plans["premium"]["currency"] == "EUR"
    assert plans["premium"]["price_display"] == "4.99 EUR" and plans["premium"]["interval"] == "month"
    assert plans["free"]["limits"]["max_party_size"] == 3 and plans["free"]["limits"]["downloads"] is False
    # Coin packs are on sale: the store's wallets take what is bought.
    assert [(c["id"], c["coins"]) for c in body["coin_packs"]] == [("coins_500", 500)]


def test_a_paid_coin_pack_credits_the_wallet_once(billed, fake):
    user = register(billed)
    balance = lambda: user.get("/api/store/wallet/").json()["balance"]  # noqa: E731
    before = balance()
    r = user.post("/api/billing/coins/checkout/", json={"pack": "coins_500"})
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    form = fake.sessions[sid]["form"]
    assert form["mode"] == "payment"
    back = requests.post(r.json()["url"] + "/pay", allow_redirects=False, timeout=10)
    assert back.status_code == 303
    assert balance() == before + 500
    # The provider sends the completed session again: credited once.
    s = fake.sessions[sid]
    again = {"id": sid, "object": "checkout.session", "mode": "payment", "customer": s["customer"],
             "payment_status": "paid", "amount_total": s["amount"], "currency": s["currency"],
             "metadata": s["metadata"], "payment_intent": "pi_test_again"}
    assert fake.event("checkout.session.completed", again).status_code == 200
    assert balance() == before + 500
    moves = user.get("/api/store/wallet/transactions/").json()["results"]
    assert sum(m["amount"] for m in moves if m["amount"] == 500) == 500


def test_checkout_upgrades_to_premium_and_issues_an_invoice(billed, fake):
    user = register(billed)
    assert plan_of(user)["plan"]["id"] == "free"
    sub, sid = subscribe(fake, user)
    form = next(f for (m, p, f, h) in fake.requests if p == "/v1/checkout/sessions")
    assert form["mode"] == "subscription" and form["line_items[0][price_data][unit_amount]"] == "499"
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["subscription_data[metadata][user_id]"] == user.id
    mine = plan_of(user)
    assert mine["plan"]["id"] == "premium"
    assert mine["subscription"]["status"] == "active" and mine["subscription"]["auto_renew"] is True
    assert mine["subscription"]["features"]["max_party_size"] == 50
    invoices = user.get("/api/billing/invoices/").json()
    assert invoices["count"] == 1
    inv = invoices["results"][0]
    year = time.gmtime().tm_year
    assert inv["number"] == f"{year}-000001"
    # 4.99 EUR with 19 % German VAT inside: 0.80 tax, 4.19 net.
    assert (inv["total"], inv["tax"], inv["subtotal"], inv["tax_rate_bp"]) == (499, 80, 419, 1900)
    assert inv["seller"]["name"] == "Watchparty Test GmbH" and inv["buyer"]["username"] == user.username
    assert inv["buyer"]["country"] == "DE" and inv["currency"] == "EUR"
    payments = user.get("/api/billing/payments/").json()["results"]
    assert [(p["kind"], p["status"], p["amount"], p["invoice_id"]) for p in payments] == [
        ("charge", "succeeded", 499, inv["id"])]
    # A second checkout while subscribed is refused: the portal manages it.
    assert_envelope(user.post("/api/billing/checkout/", json={"plan": "premium"}), 409, "CONFLICT")
    portal = user.post("/api/billing/portal/")
    assert portal.status_code == 200 and portal.json()["url"].startswith(fake.url + "/portal/cus_test_")


def test_cancel_at_period_end_keeps_the_plan_until_the_provider_ends_it(billed, fake):
    user = register(billed)
    sub, _ = subscribe(fake, user)
    r = user.post("/api/billing/subscription/cancel/")
    assert r.status_code == 200, r.text
    assert r.json()["auto_renew"] is False
    assert fake.subscriptions[sub["id"]]["cancel_at_period_end"] is True
    mine = plan_of(user)
    assert mine["plan"]["id"] == "premium" and mine["subscription"]["auto_renew"] is False
    fake.event("customer.subscription.deleted", {**sub, "status": "canceled", "ended_at": int(time.time())},
               created=time.time() + 5)
    mine = plan_of(user)
    assert mine["plan"]["id"] == "free" and mine["subscription"]["status"] == "canceled"


def test_unknown_plan_and_free_plan_are_not_sold(billed):
    user = register(billed)
    assert_envelope(user.post("/api/billing/checkout/", json={"plan": "gold"}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post("/api/billing/checkout/", json={"plan": "free"}), 400, "VALIDATION_ERROR")
    assert_envelope(user.post("/api/billing/portal/"), 409, "CONFLICT")


# ---------------------------------------------------------------- webhooks

def event_body(type_="customer.subscription.updated", obj=None, event_id=None):
    return json.dumps({"id": event_id or f"evt_{time.time_ns()}", "type": type_, "created": int(time.time()),
                       "data": {"object": obj or {"id": "sub_nobody", "status": "active"}}}).encode()


def test_webhook_signatures(billed):
    body = event_body()
    assert deliver(billed.url, body).status_code == 200
    # several v1 values (a secret being rolled): one matching is enough
    rolled = event_body()
    assert deliver(billed.url, rolled, signature_header(rolled, extra_v1=["00" * 32])).status_code == 200
    wrong = deliver(billed.url, body, signature_header(body, secret="whsec_other"))
    assert assert_envelope(wrong, 400, "VALIDATION_ERROR")["errors"]["Stripe-Signature"]
    stale = deliver(billed.url, body, signature_header(body, t=int(time.time()) - 301))
    assert_envelope(stale, 400, "VALIDATION_ERROR")
    tampered = body.replace(b"active", b"past_due")
    assert_envelope(deliver(billed.url, tampered, signature_header(body)), 400, "VALIDATION_ERROR")
    assert_envelope(deliver(billed.url, body, ""), 400, "VALIDATION_ERROR")
    assert_envelope(deliver(billed.url, body, "t=abc,v1=00"), 400, "VALIDATION_ERROR")


def test_webhook_without_a_secret_refuses_everything(make_server):
    server = make_server()
    body = event_body()
    assert_envelope(deliver(server.url, body), 400, "VALIDATION_ERROR")


def test_replayed_event_is_handled_once(billed, fake):
    user = register(billed)
    sub, _ = subscribe(fake, user)
    invoice = fake.invoice(sub)
    payload = json.dumps({"id": "evt_replayed_1", "type": "invoice.paid", "created": int(time.time()),
                          "data": {"object": invoice}}).encode()
    first = deliver(billed.url, payload)
    again = deliver(billed.url, payload)
    assert first.json()["outcome"] == "handled" and again.json()["outcome"] == "duplicate"
    assert user.get("/api/billing/invoices/").json()["count"] == 2  # the checkout's and this one, once


def test_out_of_order_update_after_delete_is_ignored(billed, fake):
    user = register(billed)
    sub, _ = subscribe(fake, user)
    t = int(time.time())
    fake.event("customer.subscription.deleted", {**sub, "status": "canceled", "ended_at": t + 10}, created=t + 10)
    # An update the provider sent before the delete arrives after it.
    r = fake.event("customer.subscription.updated", {**sub, "status": "active"}, created=t + 5)
    assert r.status_code == 200
    mine = plan_of(user)
    assert mine["subscription"]["status"] == "canceled" and mine["plan"]["id"] == "free"
    # Even a later-stamped update never brings a canceled subscription back.
    fake.event("customer.subscription.updated", {**sub, "status": "active"}, created=t + 60)
    assert plan_of(user)["subscription"]["status"] == "canceled"


def test_older_update_does_not_overwrite_a_newer_one(billed, fake):
    user = register(billed)
    sub, _ = subscribe(fake, user)
    t = int(time.time())
    fake.event("customer.subscription.updated", {**sub, "cancel_at_period_end": True}, created=t + 20)
    fake.event("customer.subscription.updated", {**sub, "cancel_at_period_end": False}, created=t + 10)
    assert plan_of(user)["subscription"]["auto_renew"] is False


def test_failed_payment_keeps_the_plan_for_the_grace_period_then_free(make_server, fake):
    server = make_server(args=billing_args(fake, billing_file(), grace_s=3))
    fake.server_url = server.url
    user = register(server)
    sub, _ = subscribe(fake, user)
    r = fake.event("invoice.payment_failed", fake.invoice(sub))
    assert r.status_code == 200, r.text
    mine = plan_of(user)
    assert mine["subscription"]["status"] == "past_due" and mine["plan"]["id"] == "premium"
    assert mine["grace_until"]
    notices = user.get("/api/notifications/").json()["results"]
    assert any(n["notification_type"] == "payment_failed" for n in notices), notices
    failed = [p for p in user.get("/api/billing/payments/").json()["results"] if p["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["invoice_id"] is None
    time.sleep(3.5)
    mine = plan_of(user)
    assert mine["plan"]["id"] == "free" and mine["subscription"]["status"] == "past_due"
    # A later successful payment ends the grace: premium again.
    fake.event("invoice.paid", fake.invoice(sub))
    mine = plan_of(user)
    assert mine["plan"]["id"] == "premium" and mine["subscription"]["status"] == "active"


def test_refund_is_recorded_against_the_charge(billed, fake):
    user = register(billed)
    sub, _ = subscribe(fake, user)
    charge_invoice = user.get("/api/billing/payments/").json()["results"][0]["transaction_id"]
    refund = {"id": "ch_test_1", "object": "charge", "invoice": charge_invoice, "amount_refunded": 499,
              "currency": "eur", "refunds": {"data": [{"id": "re_test_1", "amount": 499}]}}
    assert fake.event("charge.refunded", refund).status_code == 200
    payments = user.get("/api/billing/payments/").json()["results"]
    kinds = sorted((p["kind"], p["amount"]) for p in payments)
    assert kinds == [("charge", 499), ("refund", 499)]


def test_concurrent_payments_get_gapless_invoice_numbers(billed, fake):
    users = [register(billed) for _ in range(4)]
    subs = []
    for u in users:
        sub, _ = subscribe(fake, u)
        subs.append(sub)
    before = {i["number"] for u in users for i in u.get("/api/billing/invoices/").json()["results"]}
    payloads = []
    for k in range(24):
        sub = subs[k % len(subs)]
        payloads.append(json.dumps({"id": f"evt_conc_{k}_{time.time_ns()}", "type": "invoice.paid",
                                    "created": int(time.time()), "data": {"object": fake.invoice(sub)}}).encode())
    results = [None] * len(payloads)
    barrier = threading.Barrier(len(payloads))

    def send(i):
        barrier.wait()
        results[i] = deliver(billed.url, payloads[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(payloads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A refusal under contention (503/409) is retried by the provider; do the same here.
    for i, r in enumerate(results):
        for _ in range(20):
            if r.status_code == 200:
                break
            time.sleep(0.2)
            r = deliver(billed.url, payloads[i])
        assert r.status_code == 200, r.text
    staff = make_staff_member(billed)
    numbers = [i["number"] for i in staff.get("/api/billing/invoices/?all=true&page_size=100").json()["results"]]
    assert len(numbers) == len(before) + len(payloads)
    year = time.gmtime().tm_year
    seqs = sorted(int(n.split("-")[1]) for n in numbers)
    assert seqs == list(range(1, len(numbers) + 1)), seqs
    assert all(n.startswith(f"{year}-") and len(n) == 11 for n in numbers)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_invoice_pdf_renders_with_its_totals(billed, fake):
    user = register(billed)
    subscribe(fake, user)
    inv = user.get("/api/billing/invoices/").json()["results"][0]
    r = user.get(inv["pdf_url"])
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.content)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    assert f"Invoice {inv['number']}" in text
    for expected in ("Watchparty Test GmbH", user.username, "4.19 EUR", "Tax (19 %)", "0.80 EUR", "Total",
                     "4.99 EUR", "DE999999999"):
        assert expected in text, (expected, text)


def test_users_see_only_their_own_payments_and_invoices(billed, fake):
    owner, other = register(billed), register(billed)
    subscribe(fake, owner)
    subscribe(fake, other)
    inv = owner.get("/api/billing/invoices/").json()["results"][0]
    assert_envelope(other.get(f"/api/billing/invoices/{inv['id']}/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(other.get(f"/api/billing/invoices/{inv['id']}/pdf/"), 404, "RESOURCE_NOT_FOUND")
    assert all(i["user_id"] == other.id for i in other.get("/api/billing/invoices/").json()["results"])
    assert all(p["user_id"] == other.id for p in other.get("/api/billing/payments/").json()["results"])
    assert_envelope(other.get("/api/billing/invoices/?all=true"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(other.get("/api/billing/payments/?all=true"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(billed.get(f"/api/billing/invoices/{inv['id']}/"), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(billed.get("/api/billing/payments/"), 401, "AUTHENTICATION_REQUIRED")
    assert owner.get(f"/api/billing/invoices/{inv['id']}/").status_code == 200
    staff = make_staff_member(billed)
    assert staff.get(f"/api/billing/invoices/{inv['id']}/").status_code == 200
    assert staff.get(f"/api/billing/invoices/{inv['id']}/pdf/").status_code == 200
    everyone = staff.get("/api/billing/payments/?all=true").json()["results"]
    assert {owner.id, other.id} <= {p["user_id"] for p in everyone}
    # Staff's own list is still their own.
    assert staff.get("/api/billing/invoices/").json()["count"] == 0


# ---------------------------------------------------------------- limits in the other modules

def test_party_size_follows_the_hosts_plan(billed, fake):
    host = register(billed)
    assert_plan_limit(create_party_req(host, max_participants=10), "max_party_size")
    r = create_party_req(host)
    assert r.status_code == 201, r.text
    party = r.json()
    assert party["max_participants"] == 3
    guests = [register(billed) for _ in range(3)]
    assert join(guests[0], party).status_code == 200
    assert join(guests[1], party).status_code == 200
    assert join(guests[2], party).status_code == 409  # the party's own maximum (3)
    assert_plan_limit(host.patch(party_path(party), json={"max_participants": 10}), "max_party_size")
    subscribe(fake, host)
    assert host.patch(party_path(party), json={"max_participants": 10}).status_code == 200
    assert join(guests[2], party).status_code == 200
    # A downgrade deletes nothing: the four stay, but nobody more comes in.
    sub = next(s for s in fake.subscriptions.values() if s["metadata"]["user_id"] == host.id)
    fake.event("customer.subscription.deleted", {**sub, "status": "canceled"}, created=time.time() + 5)
    members = host.get(party_path(party, "participants/")).json()
    assert len(members["results"] if isinstance(members, dict) else members) == 4
    late = register(billed)
    assert_plan_limit(join(late, party), "max_party_size")


def test_upload_size_and_downloads_follow_the_plan(billed, fake):
    user = register(billed)
    tus = {"Tus-Resumable": "1.0.0", "Upload-Length": "250000", "Upload-Metadata": "title dGVzdA=="}
    assert_plan_limit(user.post("/api/videos/uploads/", headers=tus), "max_upload_bytes")
    small = {**tus, "Upload-Length": "1000"}
    assert user.post("/api/videos/uploads/", headers=small).status_code == 201
    subscribe(fake, user)
    assert user.post("/api/videos/uploads/", headers=tus).status_code == 201


def test_storage_quota_downloads_and_hd_follow_the_plan(make_server, fake):
    clip = make_clip(duration=2, size="1280x720")
    size = os.path.getsize(clip)
    text = BILLING_TOML.replace("max_upload_bytes = 200000", "max_upload_bytes = 0").replace(
        "storage_quota_bytes = 300000", f"storage_quota_bytes = {size + 1000}")
    server = make_server(args=billing_args(fake, billing_file(text)))
    fake.server_url = server.url
    owner = register(server)
    video = upload_ready(server, owner, path=clip, allow_download=True)
    # The free plan has no HD: the 720p source is processed to 360p only.
    assert [r["name"] for r in video["renditions"]] == ["360p"], video["renditions"]
    # The quota is reached: a new upload is refused, the first one stays.
    tus = {"Tus-Resumable": "1.0.0", "Upload-Length": "2000", "Upload-Metadata": tus_meta(title="more")}
    assert_plan_limit(owner.post("/api/videos/uploads/", headers=tus), "storage_quota_bytes")
    url = f"/api/videos/{video['id']}/download/"
    viewer = register(server)
    assert_plan_limit(viewer.get(url), "downloads")
    assert_plan_limit(server.get(url), "downloads")  # anonymous: the free plan
    assert owner.get(url).status_code == 200  # their own video
    subscribe(fake, viewer)
    assert viewer.get(url).status_code == 200
    subscribe(fake, owner)
    assert owner.post("/api/videos/uploads/", headers=tus).status_code == 201
