"""Messaging over REST (docs/api.md, "Messaging"): direct conversations unique
per pair, groups (members, owner, add policy, leave), messages (send, edit,
tombstones, replies, metadata, paging both ways, search), reactions, read
state and unread counts (also under concurrent sends and reads), the
idempotent retry (also at the same instant), the send limit, blocks and
read-receipt settings. Every test runs on SQLite and PostgreSQL."""
import concurrent.futures
import uuid

from helpers import assert_field_errors, register
from message_helpers import (API, all_messages, conversation, direct, group, mark_read, messages, ok, send,
                             send_req)
from social_helpers import block, unblock


def users(server, n):
    return [register(server) for _ in range(n)]


# ---------------------------------------------------------------- conversations

def test_direct_conversation_is_one_per_pair_also_when_both_ask_at_once(server):
    a, b, c = users(server, 3)
    first = direct(a, b, 201)
    assert first["kind"] == "direct" and first["title"] is None and first["owner_id"] is None
    assert sorted(m["id"] for m in first["members"]) == sorted([a.id, b.id])
    assert direct(b, a, 200)["id"] == first["id"]
    assert direct(a, b, 200)["id"] == first["id"]
    assert_field_errors(a.post(API + "direct/", json={"user_id": a.id}), "user_id")
    assert a.post(API + "direct/", json={"user_id": str(uuid.uuid4())}).status_code == 404
    # Both ask at the same instant: one conversation.
    x, y = users(server, 2)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: (x, y) if i % 2 else (y, x), range(8)))
        got = list(pool.map(lambda p: p[0].post(API + "direct/", json={"user_id": p[1].id}), answers))
    assert sorted(r.status_code for r in got).count(201) == 1, [r.status_code for r in got]
    assert len({r.json()["id"] for r in got}) == 1
    # Nobody else sees it, staff neither.
    assert c.get(f"{API}{first['id']}/").status_code == 404


def test_group_creation_rules_and_member_management(server):
    owner, b, c, d, e = users(server, 5)
    assert_field_errors(owner.post(API + "groups/", json={"title": "x", "member_ids": [b.id]}), "member_ids")
    assert_field_errors(owner.post(API + "groups/", json={"title": "x", "member_ids": [b.id, b.id]}), "member_ids")
    assert_field_errors(owner.post(API + "groups/", json={"title": "x", "member_ids": [b.id, str(uuid.uuid4())]}),
                        "member_ids")
    assert_field_errors(owner.post(API + "groups/", json={"title": "", "member_ids": [b.id, c.id]}), "title")
    assert_field_errors(owner.post(API + "groups/", json={"title": "x", "member_ids": [b.id, c.id],
                                                         "settings": {"add_members": "anyone"}}), "settings")
    g = group(owner, [b, c])
    assert g["kind"] == "group" and g["owner_id"] == owner.id and g["settings"] == {"add_members": "owner"}
    assert [m["role"] for m in g["members"]].count("owner") == 1
    # Only the owner adds (add_members: owner); a member cannot.
    assert b.post(f"{API}{g['id']}/members/", json={"user_id": d.id}).status_code == 403
    added = ok(owner.post(f"{API}{g['id']}/members/", json={"user_id": d.id}), 201)
    assert d.id in [m["id"] for m in added["members"]]
    assert owner.post(f"{API}{g['id']}/members/", json={"user_id": d.id}).status_code == 409
    # The newcomer starts with nothing unread; a system message records the addition.
    assert conversation(d, g)["unread_count"] == 0
    last = messages(owner, g)["results"][-1]
    assert last["message_type"] == "system" and last["metadata"] == {"event": "member_added", "user_id": d.id}
    # Settings: members may add.
    assert b.patch(f"{API}{g['id']}/", json={"settings": {"add_members": "members"}}).status_code == 403
    ok(owner.patch(f"{API}{g['id']}/", json={"title": "Renamed", "settings": {"add_members": "members"}}), 200)
    ok(b.post(f"{API}{g['id']}/members/", json={"user_id": e.id}), 201)
    events = [m["metadata"]["event"] for m in messages(owner, g)["results"] if m["message_type"] == "system"]
    assert events == ["member_added", "title_changed", "member_added"], events
    # Removal: owner only; the removed member loses the whole conversation.
    assert b.delete(f"{API}{g['id']}/members/{e.id}/").status_code == 403
    assert ok(owner.delete(f"{API}{g['id']}/members/{e.id}/"), 200)["success"]
    assert e.get(f"{API}{g['id']}/").status_code == 404
    assert e.get(f"{API}{g['id']}/messages/").status_code == 404
    # The owner leaves: the member who joined first owns it now.
    assert ok(owner.post(f"{API}{g['id']}/leave/"), 200)["success"]
    after = conversation(b, g)
    assert after["owner_id"] in (b.id, c.id) and owner.id not in [m["id"] for m in after["members"]]
    # A direct conversation has no members to manage and cannot be left.
    dm = direct(b, c)
    assert b.post(f"{API}{dm['id']}/leave/").status_code == 400
    assert b.post(f"{API}{dm['id']}/members/", json={"user_id": d.id}).status_code == 400


def test_group_is_full_at_100_members(make_server):
    s = make_server()
    owner = register(s)
    others = users(s, 99)
    g = group(owner, others[:98])
    assert len(g["members"]) == 99
    ok(owner.post(f"{API}{g['id']}/members/", json={"user_id": others[98].id}), 201)
    extra = register(s)
    assert owner.post(f"{API}{g['id']}/members/", json={"user_id": extra.id}).status_code == 409
    assert_field_errors(owner.post(API + "groups/", json={"title": "x", "member_ids": [u.id for u in others] + [extra.id]}),
                        "member_ids")


def test_conversation_list_orders_by_activity_with_a_cursor_and_shows_last_message_and_unread(server):
    me, *others = users(server, 5)
    convs = [direct(me, o) for o in others]
    for i, c in enumerate(convs):
        send(others[i], c, f"m{i}")
    send(others[1], convs[1], "latest")
    seen, cursor = [], None
    while True:
        page = ok(me.get(API, params={"limit": 2, **({"cursor": cursor} if cursor else {})}), 200)
        seen += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [c["id"] for c in seen] == [convs[1]["id"], convs[3]["id"], convs[2]["id"], convs[0]["id"]]
    assert seen[0]["last_message"]["body"] == "latest" and seen[0]["unread_count"] == 2
    assert all(m["online"] is False for c in seen for m in c["members"])
    assert me.get(API, params={"cursor": "nonsense"}).status_code == 400


# ---------------------------------------------------------------- messages

def test_send_edit_delete_reply_and_metadata(server):
    a, b, c = users(server, 3)
    dm = direct(a, b)
    m1 = send(a, dm, "hello", metadata={"link_previews": [{"url": "https://example.com/x", "title": "X",
                                                           "image_url": "https://example.com/x.png"}]})
    assert m1["seq"] == 1 and m1["sender"]["id"] == a.id and m1["message_type"] == "text"
    assert m1["metadata"]["link_previews"][0]["title"] == "X"
    for md in ({"link_previews": [{"url": "http://example.com"}]}, {"other": 1},
               {"link_previews": [{"url": "https://e.com", "title": "t" * 201}]},
               {"link_previews": [{"url": "https://e.com", "image_url": "javascript:alert(1)"}]},
               {"link_previews": [{"url": "https://e.com"}] * 4}):
        assert_field_errors(send_req(a, dm, "x", metadata=md), "metadata")
    assert_field_errors(send_req(a, dm, "x" * 4001), "body")
    assert send_req(a, dm, "é" * 4000).status_code == 201
    assert_field_errors(send_req(a, dm, ""), "body")
    assert_field_errors(send_req(a, dm, "x", message_type="system"), "message_type")
    reply = send(b, dm, "hi back", reply_to_id=m1["id"])
    assert reply["reply_to_id"] == m1["id"]
    other = direct(a, c)
    foreign = send(a, other, "elsewhere")
    assert_field_errors(send_req(a, dm, "x", reply_to_id=foreign["id"]), "reply_to_id")
    # Edit: the sender only; no history.
    path = f"{API}{dm['id']}/messages/{m1['id']}/"
    assert b.patch(path, json={"body": "hacked"}).status_code == 403
    edited = ok(a.patch(path, json={"body": "hello, edited"}), 200)
    assert edited["is_edited"] and edited["edited_at"] and edited["body"] == "hello, edited"
    # Delete: a tombstone keeps its seq.
    assert b.delete(path).status_code == 403
    gone = ok(a.delete(path), 200)
    assert gone["is_deleted"] and gone["body"] is None and gone["metadata"] is None and gone["seq"] == 1
    assert ok(a.delete(path), 200)["is_deleted"]
    assert a.patch(path, json={"body": "again"}).status_code == 409
    assert [m["seq"] for m in messages(b, dm)["results"]][:1] == [1]
    # Not a member: 404 for everything.
    assert send_req(c, dm, "x").status_code == 404
    assert c.get(f"{API}{dm['id']}/messages/").status_code == 404


def test_paging_both_ways_and_search(server):
    a, b = users(server, 2)
    dm = direct(a, b)
    sent = [send(a if i % 2 else b, dm, f"message {i}" + (" needle" if i % 10 == 0 else "")) for i in range(35)]
    newest = messages(a, dm, limit=10)
    assert [m["seq"] for m in newest["results"]] == list(range(26, 36)) and newest["has_more"]
    before = messages(a, dm, limit=10, before=newest["results"][0]["id"])
    assert [m["seq"] for m in before["results"]] == list(range(16, 26)) and before["has_more"]
    first = messages(a, dm, limit=20, before=sent[10]["id"])
    assert [m["seq"] for m in first["results"]] == list(range(1, 11)) and not first["has_more"]
    after = messages(a, dm, limit=10, after=sent[29]["id"])
    assert [m["seq"] for m in after["results"]] == list(range(31, 36)) and not after["has_more"]
    assert [m["seq"] for m in messages(a, dm, limit=3, after_seq=0)["results"]] == [1, 2, 3]
    assert [m["seq"] for m in all_messages(b, dm)] == list(range(1, 36))
    found = messages(a, dm, q="NEEDLE")
    assert [m["body"] for m in found["results"]] == [f"message {i} needle" for i in (0, 10, 20, 30)]
    assert messages(a, dm, q="100%")["results"] == []
    assert a.get(f"{API}{dm['id']}/messages/", params={"before": sent[0]["id"], "after": sent[1]["id"]}).status_code == 400
    other = direct(a, register(server))
    elsewhere = send(a, other, "x")
    assert_field_errors(a.get(f"{API}{dm['id']}/messages/", params={"before": elsewhere["id"]}), "before")


def test_reactions_toggle_from_the_fixed_set(server):
    a, b = users(server, 2)
    dm = direct(a, b)
    m = send(a, dm, "react to me")
    path = f"{API}{dm['id']}/messages/{m['id']}/reactions/"
    r = ok(a.post(path, json={"emoji": "👍"}), 200)
    assert r["reacted"] and r["reactions"] == [{"emoji": "👍", "count": 1, "me": True}]
    r = ok(b.post(path, json={"emoji": "👍"}), 200)
    assert r["reactions"] == [{"emoji": "👍", "count": 2, "me": True}]
    ok(b.post(path, json={"emoji": "❤️"}), 200)
    r = ok(a.post(path, json={"emoji": "👍"}), 200)
    assert not r["reacted"]
    assert {x["emoji"]: (x["count"], x["me"]) for x in r["reactions"]} == {"👍": (1, False), "❤️": (1, False)}
    assert_field_errors(a.post(path, json={"emoji": "🦄"}), "emoji")
    listed = messages(b, dm)["results"][0]["reactions"]
    assert {x["emoji"]: x["me"] for x in listed} == {"👍": True, "❤️": True}
    ok(a.delete(f"{API}{dm['id']}/messages/{m['id']}/"), 200)
    assert a.post(path, json={"emoji": "👍"}).status_code == 409


# ---------------------------------------------------------------- idempotency and limits

def test_a_retried_send_makes_one_message_also_at_the_same_instant(server):
    a, b = users(server, 2)
    dm = direct(a, b)
    first = send_req(a, dm, "once", client_id="c-1")
    assert first.status_code == 201
    again = send_req(a, dm, "once", client_id="c-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    # The same client_id from the other member is another message.
    assert send_req(b, dm, "once", client_id="c-1").status_code == 201
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        got = list(pool.map(lambda _: send_req(a, dm, "race", client_id="c-race"), range(10)))
    assert sorted(r.status_code for r in got) == [200] * 9 + [201], [r.text for r in got]
    assert len({r.json()["id"] for r in got}) == 1
    seqs = [m["seq"] for m in all_messages(a, dm)]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 3


def test_send_limit_answers_429_but_never_refuses_a_retry(make_server):
    s = make_server(args=["--message-send-limit", "3", "--message-send-window-s", "30"])
    a, b = register(s), register(s)
    dm = direct(a, b)
    for i in range(3):
        assert send_req(a, dm, f"m{i}", client_id=f"k{i}").status_code == 201
    over = send_req(a, dm, "too many", client_id="k3")
    assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1
    retry = send_req(a, dm, "m0", client_id="k0")
    assert retry.status_code == 200
    assert send_req(b, dm, "b is not limited").status_code == 201


# ---------------------------------------------------------------- read state

def test_unread_counts_and_mark_read_only_moves_forward(server):
    a, b, c = users(server, 3)
    g = group(a, [b, c])
    ms = [send(a, g, f"a{i}") for i in range(3)] + [send(c, g, "c0")]
    assert conversation(b, g)["unread_count"] == 4
    assert conversation(a, g)["unread_count"] == 1  # c's; mine never count
    receipts = {m["id"]: m["last_read_seq"] for m in conversation(a, g)["members"]}
    assert receipts[a.id] == 3 and receipts[c.id] == 0  # sending reads what came before only when all was read
    r = mark_read(b, g, ms[2]["id"])
    assert r == {"last_read_seq": 3, "unread_count": 1}
    assert mark_read(b, g, ms[0]["id"]) == {"last_read_seq": 3, "unread_count": 1}
    assert ok(b.get(API + "unread/"), 200) == {"total": 1, "conversations": 1}
    mark_read(b, g, ms[3]["id"])
    assert ok(b.get(API + "unread/"), 200) == {"total": 0, "conversations": 0}


def test_unread_counts_are_exact_under_concurrent_sends_and_reads(server):
    a, b, c = users(server, 3)
    g = group(a, [b, c])
    seed = send(a, g, "seed")

    def sender(user, n):
        return [send(user, g, f"{user.username}-{i}") for i in range(n)]

    def reader():
        last = seed
        for _ in range(15):
            page = messages(b, g, limit=1)["results"]
            if page:
                mark_read(b, g, page[-1]["id"])
        return last

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        fa, fc, fr = pool.submit(sender, a, 20), pool.submit(sender, c, 20), pool.submit(reader)
        fa.result(), fc.result(), fr.result()
    everything = all_messages(b, g)
    assert [m["seq"] for m in everything] == list(range(1, 42))
    read_to = conversation(b, g)["members"]
    mine = next(m for m in read_to if m["id"] == b.id)["last_read_seq"]
    expected = sum(1 for m in everything if m["seq"] > mine)
    assert conversation(b, g)["unread_count"] == expected
    assert ok(b.get(API + "unread/"), 200)["total"] == expected
    # a: c's 20 messages after a's last own message that followed everything read.
    a_read = next(m for m in read_to if m["id"] == a.id)["last_read_seq"]
    assert conversation(a, g)["unread_count"] == sum(
        1 for m in everything if m["seq"] > a_read and m["sender"]["id"] != a.id)


def test_read_receipts_hidden_when_turned_off(server):
    a, b, c = users(server, 3)
    g = group(a, [b, c])
    m = send(a, g, "x")
    mark_read(b, g, m["id"])
    assert ok(b.get(API + "settings/"), 200) == {"show_read_receipts": True}
    assert ok(b.patch(API + "settings/", json={"show_read_receipts": False}), 200) == {"show_read_receipts": False}
    seen_by_a = {x["id"]: x["last_read_seq"] for x in conversation(a, g)["members"]}
    assert seen_by_a[b.id] is None and seen_by_a[a.id] == 1
    assert {x["id"]: x["last_read_seq"] for x in conversation(b, g)["members"]}[b.id] == 1
    assert_field_errors(b.patch(API + "settings/", json={"show_read_receipts": "no"}), "show_read_receipts")


# ---------------------------------------------------------------- blocks

def test_blocks_stop_direct_conversations_but_not_groups(server):
    a, b, c = users(server, 3)
    dm = direct(a, b)
    m = send(a, dm, "before the block")
    ok(block(b, a), 201)
    for who, other in ((a, b), (b, a)):
        assert who.post(API + "direct/", json={"user_id": other.id}).status_code == 403
        assert send_req(who, dm, "x").status_code == 403
    assert a.patch(f"{API}{dm['id']}/messages/{m['id']}/", json={"body": "y"}).status_code == 403
    assert b.post(f"{API}{dm['id']}/messages/{m['id']}/reactions/", json={"emoji": "👍"}).status_code == 403
    assert [x["body"] for x in messages(a, dm)["results"]] == ["before the block"]  # history stays readable
    # Nobody creates a group with, or adds, a user blocked with them.
    assert_field_errors(a.post(API + "groups/", json={"title": "x", "member_ids": [b.id, c.id]}), "member_ids")
    d = register(server)
    other = group(c, [a, d], settings={"add_members": "members"})
    assert_field_errors(a.post(f"{API}{other['id']}/members/", json={"user_id": b.id}), "user_id")
    ok(d.post(f"{API}{other['id']}/members/", json={"user_id": b.id}), 201)
    g = group(c, [a, b])  # a third member may put both in one group
    send(a, g, "a speaks")
    send(b, g, "b speaks")
    assert [x["body"] for x in messages(a, g)["results"] if x["message_type"] == "text"] == ["a speaks", "b speaks"]
    ok(unblock(b, a), 200)
    assert send_req(a, dm, "after the unblock").status_code == 201
