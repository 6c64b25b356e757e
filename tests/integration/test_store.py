"""Coins, the store and inventory (docs/api.md, "Coins, store and
achievements"), on both databases: a double-entry ledger that balances after
every test, purchases that never overdraw or oversell under 200 concurrent
requests, a client key that makes a purchase once, staff refunds that
reverse the entries, equipped badges on the profile."""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import register
from store_helpers import (API, add_item, assert_ledger_balances, balance, buy, grant, ledger_check, ok,
                           staff_of)


@pytest.fixture
def staff(server):
    s = staff_of(server)
    yield s
    assert_ledger_balances(s)  # after every test


def test_a_purchase_debits_takes_stock_and_grants(server, staff):
    ana = register(server)
    assert balance(ana) == 0
    grant(staff, ana, 100)
    item = add_item(staff, price=30, stock=2)
    assert item["remaining"] == 2 and item["on_sale"] is True and item["sold"] == 0
    p = ok(buy(ana, item), 201)
    assert p["status"] == "completed" and p["price"] == 30 and p["item_id"] == item["id"] and p["user_id"] == ana.id
    assert balance(ana) == 70
    assert ok(ana.get(f"{API}items/{item['id']}/"))["remaining"] == 1
    inv = ok(ana.get(API + "inventory/"))["results"]
    assert [(v["item_id"], v["equipped"]) for v in inv] == [(item["id"], False)]
    moves = ok(ana.get(API + "wallet/transactions/"))
    assert moves["count"] == 2 and [m["kind"] for m in moves["results"]] == ["purchase", "grant"]
    assert [m["amount"] for m in moves["results"]] == [-30, 100]
    # A second copy is refused and moves nothing.
    r = buy(ana, item)
    assert r.status_code == 409 and r.json()["error_code"] == "CONFLICT"
    assert balance(ana) == 70


def test_never_overdraws_and_sold_out_is_a_conflict(server, staff):
    ana, bob = register(server), register(server)
    grant(staff, ana, 10)
    dear = add_item(staff, price=11)
    r = buy(ana, dear)
    assert r.status_code == 409 and "coins" in r.json()["message"]
    assert balance(ana) == 10 and ok(ana.get(API + "inventory/"))["results"] == []
    one = add_item(staff, price=1, stock=1)
    grant(staff, bob, 5)
    ok(buy(bob, one), 201)
    r = buy(ana, one)
    assert r.status_code == 409 and "Sold out" in r.json()["message"]
    assert balance(ana) == 10


def test_200_concurrent_purchases_on_stock_50_with_limited_coins(server, staff):
    """80 buyers, 60 of whom can afford one; each sends 2 or 3 requests at once: 200 in all."""
    item = add_item(staff, price=10, stock=50)
    buyers = [register(server) for _ in range(80)]
    for i, u in enumerate(buyers):
        grant(staff, u, 10 if i < 60 else 9)
    attempts = [buyers[i % 80] for i in range(200)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda u: buy(u, item), attempts))
    codes = [r.status_code for r in answers]
    assert all(c in (201, 409) for c in codes), [r.text for r in answers if r.status_code not in (201, 409)]
    assert codes.count(201) == 50
    winners = [r.json()["user_id"] for r in answers if r.status_code == 201]
    assert len(set(winners)) == 50  # one each
    assert not set(winners) & {u.id for u in buyers[60:]}  # nobody who could not pay
    assert ok(staff.get(f"{API}items/{item['id']}/"))["sold"] == 50
    balances = {u.id: balance(u) for u in buyers}
    assert all(b >= 0 for b in balances.values())
    assert sum(1 for uid, b in balances.items() if b == 0) == 50
    c = assert_ledger_balances(staff)
    assert c["negative_wallets"] == 0


def test_one_wallet_many_items_at_once_buys_only_what_it_covers(server, staff):
    ana = register(server)
    grant(staff, ana, 25)
    items = [add_item(staff, price=10) for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(lambda it: buy(ana, it).status_code, items))
    assert sorted(codes) == [201] * 2 + [409] * 8
    assert balance(ana) == 5


def test_the_same_key_gets_the_same_purchase(server, staff):
    ana = register(server)
    grant(staff, ana, 100)
    item = add_item(staff, price=30)
    first = buy(ana, item, key="k-1")
    again = buy(ana, item, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert balance(ana) == 70
    # At the same instant too: one purchase, one debit.
    other = add_item(staff, price=30)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: buy(ana, other, key="k-2"), range(8)))
    assert {r.status_code for r in answers} == {201} and len({r.json()["id"] for r in answers}) == 1
    assert balance(ana) == 40
    # The key in the body works the same; a key reused for another item is a conflict.
    third = add_item(staff, price=1)
    r = ana.post(f"{API}items/{third['id']}/purchase/", json={"idempotency_key": "k-1"})
    assert r.status_code == 409
    assert ok(ana.get(API + "purchases/"))["count"] == 2


def test_staff_refund_reverses_the_entries_and_keeps_history(server, staff):
    ana = register(server)
    grant(staff, ana, 50)
    item = add_item(staff, price=30, stock=1)
    p = ok(buy(ana, item), 201)
    ok(ana.post(f"{API}inventory/{item['id']}/equip/"))
    assert ana.post(f"{API}staff/purchases/{p['id']}/refund/", json={"reason": "x"}).status_code == 403
    r = ok(staff.post(f"{API}staff/purchases/{p['id']}/refund/", json={"reason": "by mistake"}))
    assert r["status"] == "refunded" and r["refund_reason"] == "by mistake" and r["refund_transaction_id"]
    assert balance(ana) == 50
    assert ok(ana.get(API + "inventory/"))["results"] == []
    assert ok(ana.get(f"/api/users/{ana.id}/"))["badges"] == []
    assert ok(staff.get(f"{API}items/{item['id']}/"))["remaining"] == 1
    again = staff.post(f"{API}staff/purchases/{p['id']}/refund/")
    assert again.status_code == 409
    moves = ok(ana.get(API + "wallet/transactions/"))["results"]
    assert [(m["kind"], m["amount"]) for m in moves] == [("refund", 30), ("purchase", -30), ("grant", 50)]
    assert moves[0]["reverses_id"] == p["transaction_id"]
    assert ok(ana.get(f"{API}purchases/{p['id']}/"))["status"] == "refunded"
    assert ok(staff.get(API + "staff/purchases/", params={"user_id": ana.id}))["count"] == 1


def test_equipped_badges_show_on_the_profile(server, staff):
    ana, bob = register(server), register(server)
    grant(staff, ana, 100)
    badge = add_item(staff, price=5, image="🏆", name="Champion")
    theme = add_item(staff, price=5, kind="profile_theme", image="#222")
    ok(buy(ana, badge), 201)
    ok(buy(ana, theme), 201)
    assert ok(bob.get(f"/api/users/{ana.id}/"))["badges"] == []
    on = ok(ana.post(f"{API}inventory/{badge['id']}/equip/"))
    assert on["equipped"] is True
    ok(ana.post(f"{API}inventory/{theme['id']}/equip/"))
    shown = ok(bob.get(f"/api/users/{ana.id}/"))["badges"]
    assert shown == [{"item_id": badge["id"], "name": "Champion", "image": "🏆"}]  # themes are not badges
    ok(ana.post(f"{API}inventory/{badge['id']}/unequip/"))
    assert ok(bob.get(f"/api/users/{ana.id}/"))["badges"] == []
    assert bob.post(f"{API}inventory/{badge['id']}/equip/").status_code == 404


def test_the_catalog_staff_manage(server, staff):
    ana = register(server)
    item = add_item(staff, price=10, stock=5, description="shiny")
    changed = ok(staff.patch(f"{API}items/{item['id']}/", json={"price": 12, "stock": None}))
    assert changed["price"] == 12 and changed["stock"] is None and changed["remaining"] is None
    hidden = ok(staff.patch(f"{API}items/{item['id']}/", json={"is_active": False}))
    assert hidden["is_active"] is False and hidden["on_sale"] is False
    assert ana.get(f"{API}items/{item['id']}/").status_code == 404
    assert item["id"] not in [i["id"] for i in ok(ana.get(API + "items/", params={"page_size": 100}))["results"]]
    assert item["id"] in [i["id"] for i in ok(staff.get(API + "items/", params={"all": "true", "page_size": 100}))["results"]]
    later = ok(staff.patch(f"{API}items/{item['id']}/", json={"is_active": True, "available_from": "2999-01-01T00:00:00Z"}))
    assert later["on_sale"] is False
    assert buy(ana, later).status_code in (404, 409)
    bad = staff.post(API + "items/", json={"kind": "hat", "name": "x", "price": 1})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    bad = staff.post(API + "items/", json={"kind": "badge", "name": "x"})
    assert bad.status_code == 400 and "price" in bad.json()["errors"]
    bad = staff.patch(f"{API}items/{item['id']}/", json={"available_from": "2030-01-01T00:00:00Z",
                                                          "available_until": "2029-01-01T00:00:00Z"})
    assert bad.status_code == 400 and "available_until" in bad.json()["errors"]
    kinds = ok(staff.get(API + "items/", params={"kind": "badge", "all": "true", "page_size": 100}))["results"]
    assert kinds and {i["kind"] for i in kinds} == {"badge"}


def test_grants_are_idempotent_with_a_key(server, staff):
    ana = register(server)
    body = {"user_id": ana.id, "coins": 7}
    assert staff.post(API + "staff/grants/", json=body, headers={"Idempotency-Key": "g1"}).status_code == 201
    assert staff.post(API + "staff/grants/", json=body, headers={"Idempotency-Key": "g1"}).status_code == 200
    assert balance(ana) == 7
    c = ledger_check(staff)
    assert c["transactions"] >= 1 and c["entries"] >= 2 * c["transactions"]


def test_achievements_list_every_rule_with_progress(server):
    ana = register(server)
    rows = ok(ana.get("/api/achievements/"))["results"]
    keys = {r["key"] for r in rows}
    assert {"first_party", "ten_hours", "fifty_friends", "first_poll"} <= keys
    ten = next(r for r in rows if r["key"] == "ten_hours")
    assert ten["event_type"] == "watch.progress" and ten["threshold"] == 36000 and ten["progress"] == 0
    assert ten["unlocked"] is False and ten["unlocked_at"] is None and ten["reward"] > 0
    assert ok(ana.get("/api/achievements/mine/"))["results"] == []


def test_equipped_badges_ride_on_party_chat(server, staff):
    from party_helpers import create_party, post_chat
    ana = register(server)
    grant(staff, ana, 10)
    badge = add_item(staff, price=5, image="🎬", name="Director")
    ok(buy(ana, badge), 201)
    party = create_party(ana)
    assert post_chat(ana, party, "before")["badges"] == []
    ok(ana.post(f"{API}inventory/{badge['id']}/equip/"))
    m = post_chat(ana, party, "after")
    assert m["badges"] == [{"item_id": badge["id"], "name": "Director", "image": "🎬"}]
    # History carries no badges (they are what the author wore when it was sent live).
    history = ok(ana.get(f"/api/parties/{party['id']}/chat/"))["results"]
    assert {h["content"] for h in history} >= {"before", "after"} and all(h["badges"] == [] for h in history)


def test_achievements_unlock_and_pay_once_from_real_events(server, staff):
    """Two parties hosted: party.created twice; first_party unlocks once, pays 50 once, tells once."""
    from notification_helpers import results, wait_notification
    from party_helpers import create_party
    from social_helpers import befriend
    ana, bob = register(server), register(server)
    create_party(ana)
    create_party(ana)
    n = wait_notification(ana, "achievement_unlocked")
    assert n["data"]["achievement"] == "first_party" and n["data"]["coins"] == 50 and n["url"] == "/achievements"
    deadline = time.time() + 10
    while balance(ana) != 60 and time.time() < deadline:  # the reward and the day's activity (hosting)
        time.sleep(0.1)
    assert balance(ana) == 60
    mine = ok(ana.get("/api/achievements/mine/"))["results"]
    assert [a["key"] for a in mine] == ["first_party"] and mine[0]["unlocked_at"]
    first = next(a for a in ok(ana.get("/api/achievements/"))["results"] if a["key"] == "first_party")
    assert first["unlocked"] and first["progress"] == 1
    kinds = sorted(m["kind"] for m in ok(ana.get(API + "wallet/transactions/"))["results"])
    assert kinds == ["achievement", "daily"]
    # friend.added reaches both sides.
    befriend(ana, bob)
    for u in (ana, bob):
        wait_notification(u, "achievement_unlocked", pred=lambda n: n["data"]["achievement"] == "first_friend")
    time.sleep(0.5)
    assert len(results(ana, type="achievement_unlocked", page_size=100)) == 2
