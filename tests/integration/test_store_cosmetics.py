"""Store cosmetics (#18), on both databases: what themes and emoji packs carry
(`properties`, checked by kind), a user's equipped themes as anyone sees them,
my packs' emoji, and a pack's emoji accepted in a party only from its owners
(REST and the party socket)."""
import asyncio

import pytest

from helpers import assert_envelope, assert_field_errors, register
from party_helpers import connect, create_party, join, party_path, run
from store_helpers import API, add_item, assert_ledger_balances, buy, grant, ok, staff_of

THEME = {"background": "#102030", "surface": "#203040", "text": "#f0f0f0", "accent": "#ff8800"}
PACK = ["🦄", "🐉", "🪐"]


@pytest.fixture
def staff(server):
    s = staff_of(server)
    yield s
    assert_ledger_balances(s)


def owned(staff, user, item, coins=None):
    """The user buys the item with coins staff give them."""
    grant(staff, user, coins or item["price"])
    assert buy(user, item).status_code == 201
    return item


def test_properties_are_checked_by_kind(server, staff):
    theme = add_item(staff, kind="profile_theme", properties={"accent": "#FF8800", "background": "#102030"})
    # Stored in a fixed order, whatever order staff gave.
    assert theme["properties"] == {"background": "#102030", "accent": "#FF8800"}
    pack = add_item(staff, kind="emoji_pack", properties={"emoji": PACK})
    assert pack["properties"] == {"emoji": PACK}
    assert add_item(staff, kind="badge")["properties"] == {}
    for kind, props in (("profile_theme", {"accent": "orange"}), ("party_theme", {"font": "#000000"}),
                        ("emoji_pack", {"emoji": ["a"]}), ("emoji_pack", {"emoji": []}),
                        ("emoji_pack", {"emoji": ["🦄", "🦄"]}), ("badge", {"accent": "#000000"}),
                        ("badge", "not an object")):
        body = {"kind": kind, "name": "Bad", "price": 1, "properties": props}
        assert_field_errors(staff.post(API + "items/", json=body), "properties")
    # A change of kind alone must fit what the item carries; with it, it does.
    assert_field_errors(staff.patch(f"{API}items/{theme['id']}/", json={"kind": "emoji_pack"}), "properties")
    changed = ok(staff.patch(f"{API}items/{theme['id']}/", json={"properties": {"text": "#000000"}}))
    assert changed["properties"] == {"text": "#000000"}


def test_equipped_themes_are_what_everyone_sees(server, staff):
    ana, bob = register(server), register(server)
    profile = owned(staff, ana, add_item(staff, price=30, kind="profile_theme", properties=THEME))
    party = owned(staff, ana, add_item(staff, price=20, kind="party_theme", properties={"accent": "#00ff00"}))
    path = f"{API}users/{ana.id}/cosmetics/"
    assert ok(bob.get(path)) == {"user_id": ana.id, "profile_theme": None, "party_theme": None}  # owned, not worn
    for item in (profile, party):
        assert ok(ana.post(f"{API}inventory/{item['id']}/equip/"))["equipped"] is True
    seen = ok(bob.get(path))
    assert seen["profile_theme"] == {"item_id": profile["id"], "name": profile["name"], "properties": THEME}
    assert seen["party_theme"]["properties"] == {"accent": "#00ff00"}
    inventory = ok(ana.get(API + "inventory/"))["results"]
    assert {v["item_id"]: v["properties"] for v in inventory}[profile["id"]] == THEME
    assert ok(ana.post(f"{API}inventory/{party['id']}/unequip/"))["equipped"] is False
    assert ok(bob.get(path))["party_theme"] is None
    # A second profile theme takes the first's place.
    other = owned(staff, ana, add_item(staff, price=5, kind="profile_theme", properties={"text": "#111111"}))
    ok(ana.post(f"{API}inventory/{other['id']}/equip/"))
    assert ok(bob.get(path))["profile_theme"]["item_id"] == other["id"]
    assert_envelope(server.get(path), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(bob.get(f"{API}users/not-a-user/cosmetics/"), 404, "RESOURCE_NOT_FOUND")


def test_a_packs_emoji_only_from_its_owners(server, staff):
    host, owner, guest = register(server), register(server), register(server)
    pack = add_item(staff, price=15, kind="emoji_pack", properties={"emoji": PACK})
    purchase = None
    grant(staff, owner, 15)
    r = buy(owner, pack)
    assert r.status_code == 201, r.text
    purchase = r.json()
    assert ok(owner.get(API + "emoji/")) == {"packs": [{"item_id": pack["id"], "name": pack["name"], "emoji": PACK}]}
    assert ok(guest.get(API + "emoji/")) == {"packs": []}
    party = create_party(host)
    for u in (owner, guest):
        assert join(u, party).status_code in (200, 201)
    react = lambda u, e: u.post(party_path(party, "react/"), json={"emoji": e})  # noqa: E731
    assert react(owner, "🦄").status_code == 201
    assert_envelope(react(guest, "🦄"), 403, "ACCESS_FORBIDDEN")
    assert react(guest, "👍").status_code == 201  # not a pack's: anyone's

    async def over_the_socket():
        ws = await connect(server, party, guest)
        await ws.send({"type": "reaction", "emoji": "🐉", "video_timestamp": 0})
        err = await ws.wait_for("error")
        assert err["code"] == "emoji_not_owned", err
        mine = await connect(server, party, owner)
        await mine.send({"type": "reaction", "emoji": "🐉", "video_timestamp": 0})
        got = await ws.wait_for("reaction", lambda m: m["reaction"]["emoji"] == "🐉")
        assert got["reaction"]["user"]["id"] == owner.id
        await ws.close()
        await mine.close()

    run(over_the_socket())
    # Refunded, the pack and its emoji are gone.
    ok(staff.post(f"{API}staff/purchases/{purchase['id']}/refund/", json={"reason": "test"}))
    assert_envelope(react(owner, "🪐"), 403, "ACCESS_FORBIDDEN")
    assert ok(owner.get(API + "emoji/")) == {"packs": []}
