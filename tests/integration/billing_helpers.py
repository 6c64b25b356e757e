"""A fake payment provider speaking the subset of Stripe's HTTP API the
server uses (customers, Checkout Sessions, billing portal sessions, cancel at
period end) and sending signed webhooks, plus the billing file the tests use."""
import hashlib
import hmac
import itertools
import json
import os
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

SECRET_KEY = "sk_test_fake_" + "x" * 8
WEBHOOK_SECRET = "whsec_test_fake"

BILLING_TOML = """
[seller]
name = "Watchparty Test GmbH"
address = "Teststrasse 1, 10115 Berlin"
vat_id = "DE999999999"
country = "DE"
email = "billing@watchparty.test"

[tax_rates]
DE = 1900
FR = 2000

[plans.free]
name = "Free"
price = 0
currency = "EUR"
max_party_size = 3
max_upload_bytes = 200000
storage_quota_bytes = 300000
hd_renditions = false
downloads = false
voice_above_mesh = false

[plans.premium]
name = "Premium"
price = 499
currency = "EUR"
interval = "month"
max_party_size = 50
max_upload_bytes = 0
storage_quota_bytes = 0

[[coin_packs]]
id = "coins_500"
coins = 500
price = 499
currency = "EUR"
"""


def billing_file(text=BILLING_TOML):
    fd, path = tempfile.mkstemp(prefix="wp_billing_", suffix=".toml")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def sign(payload: bytes, secret=WEBHOOK_SECRET, t=None):
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return t, mac


def signature_header(payload: bytes, secret=WEBHOOK_SECRET, t=None, extra_v1=()):
    t, mac = sign(payload, secret, t)
    return ",".join([f"t={t}", *[f"v1={v}" for v in extra_v1], f"v1={mac}", "v0=ignored"])


class FakeStripe:
    """Customers, Checkout Sessions, portal sessions and subscriptions, in memory."""

    def __init__(self):
        self.requests = []  # (method, path, form, headers)
        self.sessions = {}
        self.subscriptions = {}
        self.customers = {}
        self.server_url = None  # the watchparty server the webhooks go to
        self._ids = itertools.count(1)
        self._events = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _answer(self, status, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                fake.requests.append(("POST", self.path, form, dict(self.headers)))
                if self.path.startswith("/checkout/") and self.path.endswith("/pay"):
                    sid = self.path.split("/")[2]
                    url = fake.pay(sid)
                    return self._answer(303, b"", "text/plain", [("Location", url)])
                if self.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                    return self._answer(401, {"error": {"message": "Invalid API Key provided"}})
                status, body = fake.api(self.path, form)
                self._answer(status, body)

            def do_GET(self):
                if self.path.startswith("/checkout/"):
                    sid = self.path.split("/")[2]
                    s = fake.sessions.get(sid)
                    if not s:
                        return self._answer(404, b"no such session", "text/plain")
                    page = (f"<!doctype html><html lang=en><title>Fake checkout</title><h1>Pay {s['amount']} "
                            f"{s['currency']}</h1><form method=post action='/checkout/{sid}/pay'>"
                            f"<button id=pay type=submit>Pay</button></form></html>")
                    return self._answer(200, page.encode(), "text/html")
                self._answer(404, {"error": {"message": "not found"}})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def new_id(self, prefix):
        return f"{prefix}_test_{next(self._ids):06d}"

    # ---- the API

    def api(self, path, form):
        if path == "/v1/customers":
            cid = self.new_id("cus")
            self.customers[cid] = form
            return 200, {"id": cid, "object": "customer", "name": form.get("name")}
        if path == "/v1/checkout/sessions":
            for key in ("mode", "customer", "success_url", "cancel_url", "metadata[user_id]"):
                if not form.get(key):
                    return 400, {"error": {"message": f"Missing required param: {key}"}}
            sid = self.new_id("cs")
            self.sessions[sid] = {
                "id": sid, "form": form, "mode": form["mode"], "customer": form["customer"],
                "amount": int(form.get("line_items[0][price_data][unit_amount]", "0")),
                "currency": form.get("line_items[0][price_data][currency]", "EUR").lower(),
                "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            }
            return 200, {"id": sid, "object": "checkout.session", "url": f"{self.url}/checkout/{sid}"}
        if path == "/v1/billing_portal/sessions":
            return 200, {"id": self.new_id("bps"), "url": f"{self.url}/portal/{form['customer']}"}
        if path.startswith("/v1/subscriptions/"):
            sub_id = path.split("/")[3]
            sub = self.subscriptions.get(sub_id)
            if not sub:
                return 404, {"error": {"message": "No such subscription"}}
            sub["cancel_at_period_end"] = form.get("cancel_at_period_end") == "true"
            self.event("customer.subscription.updated", dict(sub))
            return 200, sub
        return 404, {"error": {"message": f"Unrecognized request URL (POST: {path})"}}

    # ---- webhooks

    def event(self, type_, obj, created=None, event_id=None):
        """Signs and delivers an event to the server; returns the response."""
        body = {"id": event_id or f"evt_test_{next(self._events):06d}_{time.time_ns()}", "object": "event",
                "type": type_, "created": int(created if created is not None else time.time()),
                "data": {"object": obj}}
        return deliver(self.server_url, json.dumps(body).encode())

    def subscription(self, user_id, customer, plan="premium", status="active", **extra):
        now = int(time.time())
        sub = {"id": self.new_id("sub"), "object": "subscription", "customer": customer, "status": status,
               "start_date": now, "current_period_start": now, "current_period_end": now + 30 * 86400,
               "cancel_at_period_end": False, "ended_at": None, "metadata": {"user_id": user_id, "plan": plan}}
        sub.update(extra)
        self.subscriptions[sub["id"]] = sub
        return sub

    def invoice(self, sub, amount=499, country="DE", currency="eur"):
        return {"id": self.new_id("in"), "object": "invoice", "customer": sub["customer"], "subscription": sub["id"],
                "amount_paid": amount, "amount_due": amount, "currency": currency, "attempt_count": 1,
                "customer_address": {"country": country},
                "lines": {"data": [{"description": "1 x Premium (per month)", "quantity": 1, "amount": amount}]}}

    def pay(self, sid):
        """What the provider does when the customer pays: the events, then back to the site."""
        s = self.sessions[sid]
        user_id = s["metadata"].get("user_id")
        done = {"id": sid, "object": "checkout.session", "mode": s["mode"], "customer": s["customer"],
                "payment_status": "paid", "amount_total": s["amount"], "currency": s["currency"],
                "metadata": s["metadata"], "customer_details": {"address": {"country": "DE"}}}
        if s["mode"] == "subscription":
            sub = self.subscription(user_id, s["customer"], plan=s["metadata"].get("item", "premium"))
            done["subscription"] = sub["id"]
            self.event("customer.subscription.created", sub)
            self.event("checkout.session.completed", done)
            self.event("invoice.paid", self.invoice(sub, amount=s["amount"]))
        else:
            done["payment_intent"] = self.new_id("pi")
            self.event("checkout.session.completed", done)
        return s["form"]["success_url"].replace("{CHECKOUT_SESSION_ID}", sid)


def deliver(server_url, payload: bytes, header=None):
    header = header if header is not None else signature_header(payload)
    return requests.post(server_url + "/api/billing/webhook/", data=payload, timeout=10,
                         headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def billing_args(fake, path, grace_s=7 * 86400):
    return ["--billing-file", path, "--stripe-api-url", fake.url, "--stripe-secret-key", SECRET_KEY,
            "--stripe-webhook-secret", WEBHOOK_SECRET, "--billing-grace-period-s", str(grace_s)]


def subscribe(fake, user):
    """The whole checkout: the server asks the provider, the user pays, the provider's events come back."""
    r = user.post("/api/billing/checkout/", json={"plan": "premium"})
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    assert url.startswith(fake.url + "/checkout/")
    back = requests.post(url + "/pay", allow_redirects=False, timeout=10)
    assert back.status_code == 303
    assert "/settings/plans?checkout=success&session_id=cs_test_" in back.headers["Location"]
    sid = url.rsplit("/", 1)[1]
    return next(s for s in fake.subscriptions.values() if s["metadata"]["user_id"] == user.id), sid


@pytest.fixture
def fake():
    f = FakeStripe()
    yield f
    f.stop()


@pytest.fixture
def billed(make_server, fake):
    """A server selling the test plans through the fake provider."""
    server = make_server(args=billing_args(fake, billing_file()))
    fake.server_url = server.url
    return server
