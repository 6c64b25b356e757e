"""Voice chat and screen share in a party (issue #17), on both databases: the
server relays WebRTC signaling and decides who is in the call. Joining needs
the party socket; voice_state and screen_share_state reach the party; an
rtc_offer reaches only the member it is addressed to (also across two nodes
with Redis); a non-member's offer is refused; signaling is limited in size and
rate; TURN credentials are coturn's use-auth-secret HMAC (checked here with
Python's hmac); the mesh limit refuses a join with CALL_FULL; a kick, a
departure and the last socket closing take the member out of the call."""
import asyncio
import base64
import hashlib
import hmac
import shutil
import time

import pytest

from conftest import PG_URL
from test_scale_out import cluster, redis  # noqa: F401 - fixtures
from helpers import assert_envelope
from social_helpers import block
from party_helpers import (closeall, connect, create_party, in_thread, joined, member_action, party_path, patch_party,
                           run, users)

TURN_SECRET = "coturn-shared-secret"


def call_path(party, suffix=""):
    return party_path(party, "call/" + suffix)


def join_call(user, party, status=200):
    r = user.post(call_path(party, "join/"))
    assert r.status_code == status, r.text
    return r.json()


def call_state(user, party):
    r = user.get(call_path(party))
    assert r.status_code == 200, r.text
    return r.json()


def member_ids(state):
    return {m["user"]["id"] for m in state["members"]}


def offer(to, sdp="v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"):
    return {"type": "rtc_offer", "to": to.id, "sdp": sdp}


def test_joining_needs_the_socket_and_every_member_hears_voice_state(server):
    host, guest = users(server, 2)
    party = create_party(host)
    joined(guest, party)
    assert_envelope(host.post(call_path(party, "join/")), 409, "CONFLICT")

    async def scenario():
        wh = await connect(server, party, host, name="host")
        wg = await connect(server, party, guest, name="guest")
        body = await in_thread(join_call, host, party)
        assert body["open"] and body["mode"] == "mesh" and body["me"]["user"]["id"] == host.id
        assert isinstance(body["ice_servers"], list) and body["sfu"] is None
        state = await wg.wait_for("voice_state", lambda m: len(m["members"]) == 1)
        assert state["members"][0]["user"]["id"] == host.id and state["open"] is True
        await in_thread(join_call, guest, party)
        await wh.wait_for("voice_state", lambda m: len(m["members"]) == 2)
        r = await in_thread(guest.patch, call_path(party, "me/"), json={"muted": True, "deafened": True})
        assert r.status_code == 200 and r.json()["muted"] and r.json()["deafened"], r.text
        await wh.wait_for("voice_state", lambda m: any(x["muted"] and x["deafened"] for x in m["members"]))
        r = await in_thread(guest.post, call_path(party, "leave/"))
        assert r.status_code == 200, r.text
        last = await wh.wait_for("voice_state", lambda m: len(m["members"]) == 1)
        assert member_ids(last) == {host.id}
        await closeall(wh, wg)

    run(scenario())


def test_an_offer_reaches_only_its_addressee_and_a_non_member_is_refused(server):
    host, a, b, outsider = users(server, 4)
    party = create_party(host)
    for u in (a, b, outsider):
        joined(u, party)

    async def scenario():
        wh, wa, wb, wo = [await connect(server, party, u) for u in (host, a, b, outsider)]
        for u in (host, a, b):
            await in_thread(join_call, u, party)
        await wh.send(offer(a))
        await wh.send({"type": "rtc_ice", "to": a.id, "candidate": {"candidate": "candidate:1 1 udp 2113937151 "
                                                                     "127.0.0.1 5000 typ host", "sdpMid": "0"}})
        got = await wa.wait_for("rtc_offer")
        assert got["from"]["id"] == host.id and got["sdp"].startswith("v=0")
        ice = await wa.wait_for("rtc_ice")
        assert ice["candidate"]["sdpMid"] == "0" and ice["from"]["id"] == host.id
        await wa.send({"type": "rtc_answer", "to": host.id, "sdp": "v=0 answer"})
        await wh.wait_for("rtc_answer", lambda m: m["from"]["id"] == a.id)
        for ws in (wb, wo, wh):
            await ws.expect_none("rtc_offer", within=0.3)
        # a party member outside the call: refused, and nobody hears it
        start = wo.mark()
        await wo.send(offer(a))
        err = await wo.wait_for("error", start=start)
        assert err["code"] == "not_in_call", err
        # addressed to someone outside the call
        start = wa.mark()
        await wa.send(offer(outsider))
        assert (await wa.wait_for("error", start=start))["code"] == "peer_not_in_call"
        await wa.send({"type": "rtc_offer", "to": host.id})
        await wa.wait_for("error", lambda m: m["code"] == "invalid_message", start=start)
        await wa.send(offer(host, "x" * 20000))
        await wa.wait_for("error", lambda m: m["code"] == "message_too_large", start=start)
        await wa.expect_none("rtc_offer", within=0.2, start=start)
        await wo.expect_none("rtc_offer", within=0.1)
        assert len(wa.of_type("rtc_offer")) == 1
        await closeall(wh, wa, wb, wo)

    run(scenario())


def test_a_blocked_pair_gets_no_media_path_either_way(server):
    host, a, b = users(server, 3)
    party = create_party(host)
    for u in (a, b):
        joined(u, party)

    async def scenario():
        wh, wa, wb = [await connect(server, party, u) for u in (host, a, b)]
        for u in (host, a, b):
            await in_thread(join_call, u, party)
        r = await in_thread(block, b, a)
        assert r.status_code in (200, 201), r.text
        for sender, ws, to in ((a, wa, b), (b, wb, a)):
            start = ws.mark()
            await ws.send(offer(to))
            assert (await ws.wait_for("error", start=start))["code"] == "peer_not_in_call"
        # with everyone else the call goes on
        await wa.send(offer(host))
        assert (await wh.wait_for("rtc_offer"))["from"]["id"] == a.id
        await wb.send(offer(host))
        await wh.wait_for("rtc_offer", lambda m: m["from"]["id"] == b.id)
        await wa.expect_none("rtc_offer", within=0.3)
        await wb.expect_none("rtc_offer", within=0.1)
        await closeall(wh, wa, wb)

    run(scenario())


def test_signaling_rate_turn_credentials_and_the_mesh_limit(make_server):
    s = make_server(args=["--rtc-mesh-max", "2", "--rtc-signal-limit", "5", "--rtc-signal-window-s", "60",
                          "--rtc-turn-secret", TURN_SECRET, "--rtc-turn-urls", "turn:127.0.0.1:3478?transport=udp",
                          "--rtc-stun-urls", "stun:127.0.0.1:3478", "--rtc-turn-ttl-s", "600"])
    host, a, b = users(s, 3)
    party = create_party(host)
    joined(a, party)
    joined(b, party)

    async def scenario():
        wh, wa, wb = [await connect(s, party, u) for u in (host, a, b)]
        await in_thread(join_call, host, party)
        # ICE servers for call members only
        r = await in_thread(a.get, call_path(party, "ice-servers/"))
        assert r.status_code == 403, r.text
        body = await in_thread(join_call, a, party)
        stun, turn = body["ice_servers"]
        assert stun == {"urls": ["stun:127.0.0.1:3478"]}
        expiry, uid = turn["username"].split(":")
        assert uid == a.id and abs(int(expiry) - (time.time() + 600)) < 30
        want = base64.b64encode(hmac.new(TURN_SECRET.encode(), turn["username"].encode(), hashlib.sha1).digest())
        assert turn["credential"] == want.decode() and turn["urls"] == ["turn:127.0.0.1:3478?transport=udp"]
        r = await in_thread(a.get, call_path(party, "ice-servers/"))
        assert r.status_code == 200 and r.json()["ice_servers"][1]["username"].endswith(":" + a.id), r.text
        # the mesh is full at 2 and no SFU is configured
        r = await in_thread(b.post, call_path(party, "join/"))
        assert_envelope(r, 409, "CALL_FULL")
        # 5 signaling messages per minute, then rate_limited with a wait
        for _ in range(5):
            await wh.send(offer(a))
        await wa.wait_count("rtc_offer", 5)
        start, seen = wh.mark(), wa.mark()
        await wh.send(offer(a))
        err = await wh.wait_for("error", start=start)
        assert err["code"] == "rate_limited" and err.get("retry_after", 0) >= 1, err
        await wa.expect_none("rtc_offer", within=0.3, start=seen)
        await closeall(wh, wa, wb)

    run(scenario())


def test_kick_leave_and_disconnect_take_a_member_out_of_the_call(server):
    host, a, b, c = users(server, 4)
    party = create_party(host)
    for u in (a, b, c):
        joined(u, party)

    async def scenario():
        wh, wa, wb, wc = [await connect(server, party, u) for u in (host, a, b, c)]
        for u in (host, a, b, c):
            await in_thread(join_call, u, party)
        await wh.wait_for("voice_state", lambda m: len(m["members"]) == 4)
        r = await in_thread(member_action, host, party, a, "kick")
        assert r.status_code == 200, r.text
        await wh.wait_for("voice_state", lambda m: member_ids(m) == {host.id, b.id, c.id})
        await wb.close()
        await wh.wait_for("voice_state", lambda m: member_ids(m) == {host.id, c.id})
        r = await in_thread(c.post, party_path(party, "leave/"))
        assert r.status_code in (200, 204), r.text
        await wh.wait_for("voice_state", lambda m: member_ids(m) == {host.id})
        assert member_ids(await in_thread(call_state, host, party)) == {host.id}
        await closeall(wh, wa, wc)

    run(scenario())


def test_screen_shares_are_limited_stopped_by_the_host_and_kept(server):
    host, a, b = users(server, 3)
    party = create_party(host)
    joined(a, party)
    joined(b, party)

    async def scenario():
        wh, wa, wb = [await connect(server, party, u) for u in (host, a, b)]
        r = await in_thread(a.post, call_path(party, "shares/"), json={"kind": "tab"})
        assert r.status_code == 403, r.text
        for u in (host, a, b):
            await in_thread(join_call, u, party)
        r = await in_thread(a.post, call_path(party, "shares/"), json={"kind": "tab"})
        assert r.status_code == 201, r.text
        share = r.json()
        state = await wh.wait_for("screen_share_state", lambda m: len(m["shares"]) == 1)
        assert state["shares"][0]["kind"] == "tab" and state["max_sharers"] == 1
        assert_envelope(await in_thread(b.post, call_path(party, "shares/"), json={"kind": "screen"}), 409, "CONFLICT")
        assert (await in_thread(b.post, call_path(party, "shares/"), json={"kind": "desk"})).status_code == 400
        assert (await in_thread(b.post, call_path(party, f"shares/{share['id']}/stop/"))).status_code == 403
        r = await in_thread(host.post, call_path(party, f"shares/{share['id']}/stop/"))
        assert r.status_code == 200 and r.json()["ended_by"] == host.id, r.text
        await wb.wait_for("screen_share_state", lambda m: m["shares"] == [])
        r = await in_thread(b.get, call_path(party, "shares/"))
        assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["results"][0]["ended_at"], r.text
        await closeall(wh, wa, wb)

    run(scenario())


def test_host_only_voice_chat_and_server_mute(server):
    host, a = users(server, 2)
    party = create_party(host, settings={"voice_chat": "host"})
    joined(a, party)
    assert patch_party(host, party, settings={"voice_chat": "nobody"}).status_code == 400

    async def scenario():
        wh, wa = [await connect(server, party, u) for u in (host, a)]
        r = await in_thread(a.post, call_path(party, "join/"))
        assert_envelope(r, 409, "CONFLICT")
        await in_thread(join_call, host, party)
        await in_thread(join_call, a, party)
        r = await in_thread(a.post, call_path(party, f"members/{host.id}/server-mute/"), json={"muted": True})
        assert r.status_code == 403, r.text
        r = await in_thread(host.post, call_path(party, f"members/{a.id}/server-mute/"), json={"muted": True})
        assert r.status_code == 200 and r.json()["server_muted"] and r.json()["muted"], r.text
        await wa.wait_for("voice_state", lambda m: any(x["server_muted"] for x in m["members"]))
        r = await in_thread(a.patch, call_path(party, "me/"), json={"muted": False})
        assert r.status_code == 403, r.text
        await closeall(wh, wa)

    run(scenario())


@pytest.mark.skipif(not (PG_URL and shutil.which("redis-server")), reason="needs WP_PG_URL and redis-server")
def test_an_addressed_message_reaches_only_its_member_across_nodes(cluster):
    a, b = cluster(2)
    host, guest, third = users(a, 3)
    party = create_party(host)
    joined(guest, party)
    joined(third, party)

    async def scenario():
        wh = await connect(a, party, host, name="host@A")
        wg = await connect(b, party, guest, name="guest@B")
        wt = await connect(b, party, third, name="third@B")
        for u in (host, guest, third):
            await in_thread(join_call, u, party)
        for ws in (wh, wg, wt):
            await ws.wait_for("voice_state", lambda m: len(m["members"]) == 3)
        await wh.send(offer(guest))
        got = await wg.wait_for("rtc_offer")
        assert got["from"]["id"] == host.id
        await wg.send({"type": "rtc_answer", "to": host.id, "sdp": "v=0 answer"})
        await wh.wait_for("rtc_answer", lambda m: m["from"]["id"] == guest.id)
        await wt.expect_none("rtc_offer", within=0.5)
        await wt.expect_none("rtc_answer", within=0.1)
        # the guest's last socket (on node B) closes: node A's members hear it
        await wg.close()
        await wh.wait_for("voice_state", lambda m: member_ids(m) == {host.id, third.id}, timeout=8)
        await closeall(wh, wt)

    run(scenario())
