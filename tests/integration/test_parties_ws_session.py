"""The party WebSocket (docs/realtime.md): connecting and its close codes, the
first party_state, ping/pong clock sync, presence with several tabs, errors
that keep the socket open, resume after a reconnect, and the sockets closed
by kick, ban, end and delete."""
import asyncio
import time
import uuid

from helpers import assert_success, forge_jwt, jwt_payload, register
from party_helpers import (WS, assert_message, assert_party, assert_playback, close_code_of, closeall,
                           connect, create_party, get_party, in_thread, join, joined, member_action, now_ms,
                           participant_of, participants, party_path, post_chat, run, users, ws_url)


def test_refusals_close_with_the_documented_codes(server):
    host, stranger, banned, quitter = users(server, 4)
    pub = create_party(host)
    prv = create_party(host, visibility="private")
    joined(banned, pub)
    assert_success(member_action(host, pub, banned, "ban"))
    revoked_token = quitter.access
    assert_success(quitter.post("/api/auth/logout/"))

    async def go():
        assert await close_code_of(ws_url(server, pub)) == 4001
        assert await close_code_of(ws_url(server, pub, "not-a-token")) == 4001
        assert await close_code_of(ws_url(server, pub, host.access[:-4] + "AAAA")) == 4001
        assert await close_code_of(ws_url(server, pub, revoked_token)) == 4001
        assert await close_code_of(ws_url(server, str(uuid.uuid4()), host.access)) == 4004
        assert await close_code_of(ws_url(server, pub, banned.access)) == 4003
        assert await close_code_of(ws_url(server, prv, stranger.access)) == 4003

    run(go())
    assert participant_of(host, prv, stranger.id) is None
    assert participant_of(host, pub, banned.id) is None


def test_party_state_is_the_first_message(server):
    host, guest = users(server, 2)
    p = create_party(host)
    for i in range(52):
        post_chat(host, p, f"early {i:02d}")

    async def go():
        ws = await connect(server, p, guest)
        t, first = ws.log[0]
        assert first["type"] == "party_state"
        party = assert_party(first["party"])
        assert party["id"] == p["id"]
        assert party["participant_count"] == 2  # connecting joined us
        assert isinstance(first["participants"], list)
        ids = [x["user"]["id"] for x in first["participants"]]
        assert sorted(ids) == sorted([host.id, guest.id])
        for x in first["participants"]:
            assert {"user", "role"} <= set(x), x
        assert_playback(first["playback"])
        recent = first["recent_messages"]
        assert len(recent) == 50
        for m in recent:
            assert_message(m)
        assert [m["content"] for m in recent] == [f"early {i:02d}" for i in range(2, 52)]  # oldest first
        assert first["you"]["user_id"] == guest.id and first["you"]["role"] == "participant"
        assert abs(first["server_time"] - t) < 1000
        assert not first.get("missed_messages")
        await ws.close()

        h = await connect(server, p, host)
        you = h.messages[0]["you"]
        assert you["user_id"] == host.id and you["role"] == "host"
        await h.close()

    run(go())
    me = participant_of(host, p, guest.id)
    assert me is not None and me["role"] == "participant"


def test_ping_pong_and_clock_offset_with_a_skewed_client(server):
    host = register(server)
    p = create_party(host)
    skew = 5000.0

    async def go():
        ws = await connect(server, p, host)
        t2, pong = await ws.ping()
        assert set(pong) >= {"type", "client_time", "server_time"}
        assert abs(pong["server_time"] - t2) < 300, (pong, t2)

        samples = []
        for _ in range(8):
            t0 = now_ms() + skew  # the client's clock is 5 s ahead
            t2, pong = await ws.ping(client_time=t0)
            t2 += skew
            assert abs(pong["client_time"] - t0) < 0.01
            t1 = pong["server_time"]
            samples.append((t2 - t0, t1 - (t0 + t2) / 2))
        rtt, offset = min(samples)
        assert 0 <= rtt < 200, samples
        assert abs(offset + skew) <= 50, samples
        await ws.close()

    run(go())


def test_presence_with_two_tabs_of_one_user(server):
    host, guest = users(server, 2)
    p = create_party(host)

    def is_guest(m):
        return m["user"]["id"] == guest.id

    async def go():
        h = await connect(server, p, host, name="host")
        g1 = await connect(server, p, guest, name="tab1")
        j = await h.wait_for("user_joined", is_guest)
        assert j["user"]["username"] == guest.username and j["user"]["role"] == "participant"
        assert j["participant_count"] == 2
        me = await in_thread(participant_of, host, p, guest.id)
        assert me["online"] is True

        g2 = await connect(server, p, guest, name="tab2")
        assert [x["user"]["id"] for x in g2.messages[0]["participants"]].count(guest.id) == 1
        await asyncio.sleep(0.5)
        assert len([x for x in h.of_type("user_joined") if is_guest(x)]) == 1, h.of_type("user_joined")
        parts = await in_thread(participants, host, p)
        assert [x["user"]["id"] for x in parts].count(guest.id) == 1
        assert (await in_thread(get_party, host, p))["participant_count"] == 2

        await g1.close()
        await h.expect_none("user_left", is_guest, within=0.6)
        await g2.close()
        left = await h.wait_for("user_left", is_guest)
        assert left["user"]["username"] == guest.username
        assert isinstance(left["participant_count"], int)
        assert left["participant_count"] == (await in_thread(get_party, host, p))["participant_count"]
        me = await in_thread(participant_of, host, p, guest.id)
        assert me is None or me["online"] is False
        assert len([x for x in h.of_type("user_left") if is_guest(x)]) == 1
        await h.close()

    run(go())


def test_rest_leave_closes_every_tab_for_good(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g1 = await connect(server, p, guest, name="tab1")
        g2 = await connect(server, p, guest, name="tab2")
        assert_success(await in_thread(guest.post, party_path(p, "leave/")))
        for g in (g1, g2):
            # 4003 is final for clients (realtime.md): no reconnect that would join again.
            assert await g.wait_closed() == 4003, g.close_code
            assert g.close_reason == "You left the party.", g.close_reason
        await h.wait_for("user_left", lambda m: m["user"]["id"] == guest.id)
        await asyncio.sleep(0.3)
        assert await in_thread(participant_of, host, p, guest.id) is None
        assert (await in_thread(get_party, host, p))["participant_count"] == 1
        await h.close()

    run(go())


def test_bad_messages_get_errors_and_the_socket_stays_usable(server):
    host = register(server)
    p = create_party(host)

    async def go():
        ws = await connect(server, p, host)
        cases = [
            ("this is {not json", "invalid_json"),
            ({"type": "dance"}, "unknown_type"),
            ({"type": "video_control", "action": "fly"}, "invalid_message"),
            ({"type": "video_control", "action": "rate", "rate": 10}, "invalid_message"),
            ({"type": "chat_message", "content": ""}, "invalid_message"),
            ({"type": "chat_message", "content": "x" * 1001}, "invalid_message"),
        ]
        for msg, code in cases:
            start = ws.mark()
            await ws.send(msg)
            err = await ws.wait_for("error", start=start)
            assert err["code"] == code, (msg if isinstance(msg, str) else msg.get("type"), err)
            assert isinstance(err["message"], str) and err["message"]
            _, pong = await ws.ping()
            assert pong["type"] == "pong"
        assert not ws.closed
        assert ws.of_type("chat_message") == []
        await ws.close()

    run(go())


def test_reconnect_resumes_missed_chat(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        g = await connect(server, p, guest, name="guest")
        h = await connect(server, p, host, name="host")
        for i in range(2):
            await h.send({"type": "chat_message", "content": f"seen {i}"})
        seen = await g.wait_count("chat_message", 2)
        last_id = seen[-1]["message"]["id"]
        assert seen[-1]["message"]["content"] == "seen 1"
        await g.close()

        missed = []
        for i in range(3):
            missed.append(await in_thread(post_chat, host, p, f"missed {i}"))

        g2 = await connect(server, p, guest, last_message_id=last_id, name="guest again")
        st = g2.messages[0]
        assert st["type"] == "party_state"
        got = st["missed_messages"]
        for m in got:
            assert_message(m)
        assert [m["content"] for m in got] == ["missed 0", "missed 1", "missed 2"], [m["content"] for m in got]
        assert [m["id"] for m in got] == [m["id"] for m in missed]
        assert [m["content"] for m in got] == ["missed 0", "missed 1", "missed 2"]
        await g2.close()

        g3 = await connect(server, p, guest, last_message_id=missed[-1]["id"], name="up to date")
        assert g3.messages[0]["missed_messages"] == []
        await closeall(g3, h)

    run(go())


def test_kick_and_ban_close_the_socket_with_4003(server):
    host, kicked, banned = users(server, 3)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        k = await connect(server, p, kicked, name="kicked")
        b = await connect(server, p, banned, name="banned")
        r = await in_thread(member_action, host, p, kicked, "kick")
        assert r.status_code == 200, r.text
        assert await k.wait_closed(5) == 4003
        await h.wait_for("user_left", lambda m: m["user"]["id"] == kicked.id)
        # A kicked user may come back.
        k2 = await connect(server, p, kicked, name="kicked again")
        assert k2.messages[0]["you"]["user_id"] == kicked.id

        r = await in_thread(member_action, host, p, banned, "ban")
        assert r.status_code == 200, r.text
        assert await b.wait_closed(5) == 4003
        assert await close_code_of(ws_url(server, p, banned.access)) == 4003
        assert not h.closed and not k2.closed
        await closeall(h, k2)

    run(go())


def test_ended_party_refuses_control_and_chat(server):
    host, guest, late = users(server, 3)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        r = await in_thread(host.post, party_path(p, "end/"))
        assert r.status_code == 200, r.text
        for c in (h, g):
            upd = await c.wait_for("party_updated", lambda m: m["party"]["status"] == "ended")
            assert upd["party"]["id"] == p["id"]
        h_start = h.mark()
        await h.control("play", position=1)
        err = await h.wait_for("error", start=h_start)
        assert err["code"] == "party_ended"
        start = g.mark()
        await g.send({"type": "chat_message", "content": "anyone?"})
        err = await g.wait_for("error", start=start)
        assert err["code"] == "party_ended"
        await h.expect_none("chat_message", within=0.3)
        await h.expect_none("playback_state", start=h_start, within=0.1)
        # Still connected.
        await g.ping()
        assert await close_code_of(ws_url(server, p, late.access)) == 4003
        await closeall(h, g)

    run(go())


def test_a_member_cannot_reopen_the_socket_of_an_ended_party(server):
    """realtime.md lists "party ended" under 4003: a member too is refused,
    rather than given a party_state it could not act on; REST chat and
    reactions are refused as well."""
    host, guest = users(server, 2)
    p = create_party(host)
    assert join(guest, p).status_code == 200
    r = host.post(party_path(p, "end/"))
    assert r.status_code == 200, r.text

    async def go():
        for member in (host, guest):
            assert await close_code_of(ws_url(server, p, member.access)) == 4003

    run(go())
    r = guest.post(party_path(p, "chat/"), json={"content": "late"})
    assert r.status_code == 403 and r.json()["error_code"] == "ACCESS_FORBIDDEN", r.text
    r = guest.post(party_path(p, "react/"), json={"emoji": "x", "video_timestamp": 1})
    assert r.status_code == 403, r.text


def test_delete_closes_every_socket(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        r = await in_thread(host.delete, party_path(p))
        assert r.status_code == 200, r.text
        await g.wait_closed(5)
        await h.wait_closed(5)
        assert await close_code_of(ws_url(server, p, guest.access)) == 4004

    run(go())


def test_cookie_auth_and_invited_users_of_private_parties(server):
    host, friend = users(server, 2)
    p = create_party(host, visibility="private")
    assert_success(host.post(party_path(p, "invite/"), json={"user_ids": [friend.id]}))

    async def go():
        # The wp_access cookie works like ?token=.
        ws = await WS.open(ws_url(server, p), name="cookie", extra_headers={"Cookie": f"wp_access={host.access}"})
        st = await ws.state()
        assert st["you"]["user_id"] == host.id
        code = await close_code_of_headers(ws_url(server, p), {"Cookie": "wp_access=garbage"})
        assert code == 4001
        # An invited user may connect, which joins them.
        f = await connect(server, p, friend, name="friend")
        assert f.messages[0]["you"]["user_id"] == friend.id and f.messages[0]["you"]["role"] == "participant"
        await ws.wait_for("user_joined", lambda m: m["user"]["id"] == friend.id)
        await closeall(ws, f)

    run(go())
    assert participant_of(host, p, friend.id) is not None


async def close_code_of_headers(url, headers):
    ws = await WS.open(url, name="headers", extra_headers=headers)
    return await ws.wait_closed(5)


def test_expired_token_closes_with_4001(make_server):
    secret = "it-party-secret-" + uuid.uuid4().hex
    s = make_server(args=["--jwt-secret", secret])
    host = register(s)
    p = create_party(host)
    claims = dict(jwt_payload(host.access))
    # The same token, well-signed, but expired.
    good = forge_jwt(secret, claims)
    now = int(time.time())
    claims.update(iat=now - 600, exp=now - 60, jti=str(uuid.uuid4()))
    expired = forge_jwt(secret, claims)

    async def go():
        ws = await connect(s, p, good)
        assert ws.messages[0]["you"]["user_id"] == host.id
        await ws.close()
        assert await close_code_of(ws_url(s, p, expired)) == 4001

    run(go())
