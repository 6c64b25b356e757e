"""The social graph in the parties module, on SQLite and PostgreSQL: `friends`
parties (list, detail, join, socket connect), and blocks (participant lists,
invitations, the live party socket on one node and on two)."""
import asyncio

from helpers import assert_envelope, register
from party_helpers import MEDIA_URL, WS, close_code_of, closeall, connect, create_party, run, ws_url
from social_helpers import befriend, block, ok, unblock
from test_scale_out import node_user
from test_user_channel import two_nodes  # noqa: F401 - the fixture


def listed(user, party):
    r = ok(user.get("/api/parties/?page_size=100"), 200)
    return party["id"] in [p["id"] for p in r["results"]]


def test_a_friends_party_is_for_the_hosts_friends(server):
    host, friend, stranger, staff_friend_of_friend = (register(server) for _ in range(4))
    befriend(host, friend)
    befriend(friend, staff_friend_of_friend)  # a friend of a friend is not the host's friend
    party = create_party(host, visibility="friends", media_url=MEDIA_URL)
    assert party["visibility"] == "friends"
    # list and detail
    assert listed(friend, party) and listed(host, party)
    assert not listed(stranger, party) and not listed(staff_friend_of_friend, party)
    assert ok(friend.get(f"/api/parties/{party['id']}/"), 200)["id"] == party["id"]
    assert_envelope(stranger.get(f"/api/parties/{party['id']}/"), 404, "RESOURCE_NOT_FOUND")
    assert not any(p["id"] == party["id"] for p in ok(stranger.get("/api/parties/public/"), 200)["results"])
    # socket connect: a friend comes in, a stranger is refused
    async def sockets():
        assert await close_code_of(ws_url(server, party, stranger.access)) == 4003
        ws = await WS.open(ws_url(server, party, friend.access))
        try:
            await ws.wait_for("party_state")
        finally:
            await ws.close()
    run(sockets())
    # join
    assert_envelope(stranger.post(f"/api/parties/{party['id']}/join/"), 404, "RESOURCE_NOT_FOUND")
    ok(friend.post(f"/api/parties/{party['id']}/join/"), 200)
    # An invitation still lets a non-friend in.
    ok(host.post(f"/api/parties/{party['id']}/invite/", json={"user_ids": [stranger.id]}), 200)
    assert ok(stranger.get(f"/api/parties/{party['id']}/"), 200)["id"] == party["id"]


def test_an_unknown_visibility_lists_friends(server):
    host = register(server)
    r = host.post("/api/parties/", json={"title": "x", "media_url": MEDIA_URL, "visibility": "secret"})
    body = assert_envelope(r, 400, "VALIDATION_ERROR")
    assert "friends" in body["errors"]["visibility"][0]


def test_a_block_hides_participants_and_stops_invitations(server):
    host, a, b = register(server), register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL)
    for u in (a, b):
        ok(u.post(f"/api/parties/{party['id']}/join/"), 200)

    def participant_ids(viewer):
        r = ok(viewer.get(f"/api/parties/{party['id']}/participants/"), 200)
        return {p["user"]["id"] for p in r["results"]}

    assert participant_ids(a) == {host.id, a.id, b.id}
    ok(block(b, a), 201)
    # both ways
    assert participant_ids(a) == {host.id, a.id}
    assert participant_ids(b) == {host.id, b.id}
    assert participant_ids(host) == {host.id, a.id, b.id}
    # invitations between the pair, either way, as if the user did not exist
    other = create_party(a, media_url=MEDIA_URL)
    r = a.post(f"/api/parties/{other['id']}/invite/", json={"user_ids": [b.id]})
    assert "user_ids" in assert_envelope(r, 400, "VALIDATION_ERROR")["errors"]
    mine = create_party(b, media_url=MEDIA_URL)
    r = b.post(f"/api/parties/{mine['id']}/invite/", json={"user_ids": [a.id]})
    assert "user_ids" in assert_envelope(r, 400, "VALIDATION_ERROR")["errors"]
    ok(host.post(f"/api/parties/{other['id']}/join/"), 200)
    ok(unblock(b, a), 200)
    assert ok(a.post(f"/api/parties/{other['id']}/invite/", json={"user_ids": [b.id]}), 200)
    assert participant_ids(a) == {host.id, a.id, b.id}


def ids_in(ws, type_, key=None, start=0):
    """The user ids of the messages of this type a socket got."""
    return [(m[key] if key else m)["user"]["id"] for m in ws.of_type(type_, start)]


def snapshot(ws, list_name):
    return {(p["user"]["id"]) for p in ws.of_type("party_state")[0][list_name]}


def test_a_blocked_pair_never_sees_each_other_on_the_party_socket(server):
    host, a, b = register(server), register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL)
    ok(block(a, b), 201)

    async def scenario():
        on_host = await connect(server, party, host, name="host")
        on_b = await connect(server, party, b, name="b")
        await on_b.send({"type": "chat_message", "content": "before a came"})
        await on_host.wait_for("chat_message")
        on_a = await connect(server, party, a, name="a")
        try:
            assert snapshot(on_a, "participants") == {host.id, a.id}
            assert b.id not in snapshot(on_a, "recent_messages")
            assert snapshot(on_host, "participants") == {host.id}
            await on_host.wait_for("user_joined", lambda m: m["user"]["id"] == a.id)
            for ws in (on_b, on_a):
                await ws.send({"type": "typing", "is_typing": True})
                await ws.send({"type": "chat_message", "content": "hi from " + ws.name})
                await ws.send({"type": "reaction", "emoji": "x", "video_timestamp": 1})
            for who in (a, b):
                await on_host.wait_for("reaction", lambda m, w=who: m["reaction"]["user"]["id"] == w.id)
                await on_host.wait_for("typing", lambda m, w=who: m["user"]["id"] == w.id)
            ok(host.post(f"/api/parties/{party['id']}/participants/{b.id}/mute/"), 200)
            await on_host.wait_for("participant_updated")
            await on_b.close()
            await on_host.wait_for("user_left", lambda m: m["user"]["id"] == b.id)
            await on_a.ping()  # everything sent before has reached a
            assert b.id not in ids_in(on_a, "typing") + ids_in(on_a, "chat_message", "message") + \
                ids_in(on_a, "reaction", "reaction") + ids_in(on_a, "participant_updated") + ids_in(on_a, "user_left")
            assert a.id not in ids_in(on_b, "user_joined") + ids_in(on_b, "typing") + \
                ids_in(on_b, "chat_message", "message") + ids_in(on_b, "reaction", "reaction")
            assert {a.id, b.id} <= set(ids_in(on_host, "chat_message", "message"))
        finally:
            await closeall(on_a, on_b, on_host)

    run(scenario())


def test_a_block_withdraws_the_pairs_invitations_both_ways(server):
    host, a, other = register(server), register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL, visibility="private")
    hers = create_party(a, media_url=MEDIA_URL, visibility="private")
    ok(host.post(f"/api/parties/{party['id']}/invite/", json={"user_ids": [a.id, other.id]}), 200)
    ok(a.post(f"/api/parties/{hers['id']}/invite/", json={"user_ids": [host.id]}), 200)
    invitation = ok(a.get("/api/parties/invitations/"), 200)["results"][0]
    assert ok(a.get(f"/api/parties/{party['id']}/"), 200)["id"] == party["id"]
    ok(block(a, host), 201)
    for user in (a, host):
        assert ok(user.get("/api/parties/invitations/"), 200)["results"] == []
    assert len(ok(other.get("/api/parties/invitations/"), 200)["results"]) == 1
    assert_envelope(a.post(f"/api/parties/invitations/{invitation['id']}/accept/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(a.get(f"/api/parties/{party['id']}/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(a.post(f"/api/parties/{party['id']}/join/"), 404, "RESOURCE_NOT_FOUND")
    assert run(close_code_of(ws_url(server, party, a.access))) == 4003
    ok(unblock(a, host), 200)
    assert ok(a.get("/api/parties/invitations/"), 200)["results"] == []  # withdrawn, not hidden


def test_blocks_on_the_party_socket_across_two_nodes(two_nodes):
    n1, n2 = two_nodes()
    host, a, b = register(n1), register(n1), register(n1)
    party = create_party(host, media_url=MEDIA_URL)

    async def scenario():
        on_host = await connect(n1, party, host, name="host@1")
        on_a = await connect(n1, party, a, name="a@1")
        on_b = await connect(n2, party, b, name="b@2")
        try:
            await on_a.wait_for("user_joined", lambda m: m["user"]["id"] == b.id)
            # A block made during the party applies at once, on both nodes, both ways.
            ok(block(node_user(n2, b), a), 201)
            await asyncio.sleep(0.2)  # the other node hears of it through Redis
            mark_a, mark_b = on_a.mark(), on_b.mark()
            await on_b.send({"type": "typing", "is_typing": True})
            await on_b.send({"type": "chat_message", "content": "from b"})
            await on_a.send({"type": "chat_message", "content": "from a"})
            # REST chat on the other node than the sender's socket
            ok(node_user(n2, a).post(f"/api/parties/{party['id']}/chat/", json={"content": "a over rest"}), 201)
            for who in (a, b):
                await on_host.wait_for("chat_message", lambda m, w=who: m["message"]["user"]["id"] == w.id)
            await on_host.wait_count("chat_message", 2, lambda m: m["message"]["user"]["id"] == a.id)
            await on_b.close()
            await on_host.wait_for("user_left", lambda m: m["user"]["id"] == b.id)
            await on_a.ping()
            assert b.id not in ids_in(on_a, "typing", start=mark_a) + ids_in(on_a, "chat_message", "message", mark_a) + \
                ids_in(on_a, "user_left", start=mark_a)
            assert a.id not in ids_in(on_b, "chat_message", "message", mark_b)
            # b comes back through the other node: a is left out of what b sees, and b of a's.
            mark_h = on_host.mark()
            on_b = await connect(n1, party, node_user(n1, b), name="b@1")
            assert a.id not in snapshot(on_b, "participants")
            assert a.id not in snapshot(on_b, "recent_messages")
            await on_host.wait_for("user_joined", lambda m: m["user"]["id"] == b.id, start=mark_h)
            await on_a.ping()
            assert b.id not in ids_in(on_a, "user_joined", start=mark_a)
            # Unblocked: they hear each other again.
            ok(unblock(b, a), 200)
            await asyncio.sleep(0.2)
            await on_b.send({"type": "chat_message", "content": "friends again"})
            await on_a.wait_for("chat_message", lambda m: m["message"]["user"]["id"] == b.id, start=mark_a)
        finally:
            await closeall(on_a, on_b, on_host)

    run(scenario())
