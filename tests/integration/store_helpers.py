"""Shared steps of the coins, store and achievements tests (docs/api.md, "Coins, store and achievements")."""
from helpers import make_staff_member, uniq

API = "/api/store/"


def ok(resp, status=(200, 201)):
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, resp.text
    return resp.json()


def add_item(staff, price=10, stock=None, kind="badge", **extra):
    body = {"kind": kind, "name": "Item " + uniq(), "image": "⭐", "price": price, "stock": stock, **extra}
    return ok(staff.post(API + "items/", json=body), 201)


def grant(staff, user, coins):
    return ok(staff.post(API + "staff/grants/", json={"user_id": user.id, "coins": coins, "reason": "test"}), 201)


def balance(user):
    return ok(user.get(API + "wallet/"), 200)["balance"]


def buy(user, item, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return user.post(f"{API}items/{item['id']}/purchase/", headers=headers)


def ledger_check(staff):
    return ok(staff.get(API + "staff/ledger/check/"), 200)


def assert_ledger_balances(staff):
    c = ledger_check(staff)
    assert c["ok"] is True, c
    assert c["unbalanced_transactions"] == 0 and c["mismatched_accounts"] == 0 and c["negative_wallets"] == 0, c
    return c


def staff_of(server):
    return make_staff_member(server)
