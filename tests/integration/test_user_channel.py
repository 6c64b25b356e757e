"""The per-user channel /ws/user/ (docs/realtime.md, "The per-user channel"):
auth and close codes, hello / ping / errors, the limits (flood, frame size, a
slow reader), revocation closing every tab on every node, events reaching every tab
of a user on one node and on two nodes, and friends' presence with its debounce
and expiry on node death."""
import asyncio
import json
import time
import uuid

import pytest
from websockets.exceptions import ConnectionClosed

from conftest import PG_URL, REDIS_URL, Server, new_pg_database
from helpers import bearer, jwt_payload, register
from party_helpers import WS, RawWS, close_code_of, close_code_of_frames, closeall, in_thread, now_ms, run


def user_url(server, token=None):
    url = f"ws://127.0.0.1:{server.port}/ws/user/"
    return url + (f"?token={token}" if token is not None else "")


async def open_tab(server, user, name=None, token=None, **kw):
    """A /ws/user/ socket of `user` (a helpers.User) that has said hello."""
    ws = await WS.open(user_url(server, token or user.access), name=name or user.username, **kw)
    hello = await ws.wait_for("hello")
    assert hello["user_id"] == user.id, hello
    return ws


@pytest.fixture
def two_nodes():
    """two_nodes(*args): two servers on one new PostgreSQL database and the shared Redis, under one prefix."""
    if not (PG_URL and REDIS_URL):
        pytest.skip("needs WP_PG_URL and WP_REDIS_URL")
    started = []

    def start(*args):
        db, prefix = new_pg_database(), f"wp-{uuid.uuid4().hex[:8]}:"
        for _ in range(2):
            started.append(Server("postgresql", args=["--redis-url", REDIS_URL, "--redis-prefix", prefix, *args],
                                  database_url=db).start())
        return started[-2:]

    yield start
    for i, node in enumerate(started):
        node.stop()
        print(f"---- node {i} log (shown when the test fails)\n{node.log()[-3000:]}")


# ---------------------------------------------------------------- the socket itself

def test_hello_comes_first_then_ping_pong_and_errors_keep_the_socket(server):
    ana = register(server)

    async def go():
        ws = await open_tab(server, ana)
        first = ws.messages[0]
        assert first["type"] == "hello" and set(first) == {"type", "user_id", "server_time"}, first
        assert abs(first["server_time"] - now_ms()) < 5000
        _, pong = await ws.ping(client_time=1234.5)
        assert pong["client_time"] == 1234.5 and isinstance(pong["server_time"], (int, float)), pong
        for frame, code in (("not json", "invalid_json"), ("[1]", "invalid_json"), ('{"no":"type"}', "invalid_message"),
                            ('{"type":"video_control"}', "unknown_type")):
            mark = ws.mark()
            await ws.send(frame)
            err = await ws.wait_for("error", start=mark)
            assert err["code"] == code and err["message"], (frame, err)
        await ws.ping()
        assert not ws.closed
        await ws.close()

    run(go())


def test_refusals_close_with_4001_and_a_plain_get_is_400(server):
    ana = register(server)
    revoked = register(server)
    token = revoked.access
    assert revoked.post("/api/auth/logout/").status_code in (200, 204)

    async def go():
        assert await close_code_of(user_url(server)) == 4001
        assert await close_code_of(user_url(server, "not-a-token")) == 4001
        assert await close_code_of(user_url(server, ana.access[:-4] + "AAAA")) == 4001
        assert await close_code_of(user_url(server, token)) == 4001

    run(go())
    assert server.get("/ws/user/", headers=bearer(ana.access)).status_code == 400


def test_the_access_cookie_works_like_the_token(server):
    ana = register(server)

    async def go():
        ws = await WS.open(user_url(server), name="cookie", extra_headers={"Cookie": f"wp_access={ana.access}"})
        assert (await ws.wait_for("hello"))["user_id"] == ana.id
        await ws.close()

    run(go())


def test_revoking_a_session_closes_its_tabs_and_only_those(server):
    ana = register(server)
    laptop = ana.login()["access_token"]  # a second session
    phone_sid = jwt_payload(ana.access)["sid"]

    async def go():
        p1 = await open_tab(server, ana, "phone-1")
        p2 = await open_tab(server, ana, "phone-2")
        lap = await open_tab(server, ana, "laptop", token=laptop)
        r = server.request("DELETE", f"/api/auth/sessions/{phone_sid}/", headers=bearer(laptop))
        assert r.status_code in (200, 204), r.text
        assert await p1.wait_closed() == 4001
        assert await p2.wait_closed() == 4001
        await lap.ping()
        r = server.post("/api/auth/sessions/revoke-all/", json={"keep_current": False}, headers=bearer(laptop))
        assert r.status_code == 200, r.text
        assert await lap.wait_closed() == 4001

    run(go())


def test_flooding_client_is_closed_with_4008(make_server):
    s = make_server(args=["--ws-flood-burst", "50", "--ws-flood-rate", "20"])
    ana, ben = register(s), register(s)

    async def go():
        f = await open_tab(s, ana, "flooder")
        calm = await open_tab(s, ben, "calm")
        for _ in range(500):
            try:
                await f.conn.send(json.dumps({"type": "ping", "client_time": now_ms()}))
            except ConnectionClosed:
                break
        assert await f.wait_closed(5) == 4008
        assert len(f.of_type("pong")) < 500
        for _ in range(5):
            await calm.ping()
            await asyncio.sleep(0.1)
        assert not calm.closed
        await calm.close()

    run(go())


def test_oversized_frame_closes_with_1009(server):
    ana = register(server)

    async def go():
        ws = await open_tab(server, ana)
        try:
            await ws.send(json.dumps({"type": "ping", "pad": "x" * (70 * 1024)}))
        except ConnectionClosed:
            pass
        assert await ws.wait_closed(5) == 1009

    run(go())


def test_a_reader_that_does_not_keep_up_is_closed_with_4008(make_server):
    s = make_server(args=["--ws-send-queue", "16", "--ws-flood-burst", "100000", "--ws-flood-rate", "100000"])
    ana, ben = register(s), register(s)

    async def go():
        other = await open_tab(s, ben, "other")
        raw = await in_thread(RawWS, s.port, f"/ws/user/?token={ana.access}")
        try:
            def ask_until_the_server_is_stuck():
                # Every ping queues a pong this client does not read. Once the pongs fill the kernel's
                # buffers, the server's writes stop (its queued bytes no longer grow); past that, 16 waiting
                # pongs plus the batch in flight overflow its queue. A loaded server answers late, so the
                # pings go in rounds, each read by the server before its buffers are looked at.
                stuck_for = sent = 0
                last = None
                while sent < 100_000 and stuck_for < 200:
                    try:
                        for _ in range(100):
                            raw.send_text(json.dumps({"type": "ping", "client_time": sent}))
                            sent += 1
                    except OSError:
                        return sent
                    deadline = time.monotonic() + 10
                    while (q := raw.server_queues()) and q[1] > 0 and time.monotonic() < deadline:
                        time.sleep(0.005)
                    if q is None:
                        return sent
                    stuck_for = stuck_for + 100 if q[0] == last else 0
                    last = q[0]
                return sent
            sent = await in_thread(ask_until_the_server_is_stuck)
            frames, how = await in_thread(raw.drain, 15)
            assert close_code_of_frames(frames) == 4008, (how, [op for op, _ in frames][-5:])
            assert sum(1 for op, _ in frames if op == 1) < sent, "it was cut off before it got every pong"
        finally:
            raw.close()
        await other.ping()
        assert not other.closed
        await other.close()

    run(go())


def test_tabs_on_two_nodes_are_closed_by_one_revocation(two_nodes):
    a, b = two_nodes()
    ana = register(a)

    async def go():
        on_a = await open_tab(a, ana, "ana@A")
        on_b = await open_tab(b, ana, "ana@B")
        r = b.post("/api/auth/sessions/revoke-all/", json={"keep_current": False}, headers=bearer(ana.access))
        assert r.status_code == 200, r.text
        assert await on_a.wait_closed() == 4001
        assert await on_b.wait_closed() == 4001

    run(go())


# ---------------------------------------------------------------- events and presence (friends from the social module)

def befriend(node, asker, answerer):
    r = node.post("/api/social/friend-requests/", json={"user_id": answerer.id}, headers=bearer(asker.access))
    assert r.status_code == 201, r.text
    r = node.post(f"/api/social/friend-requests/{asker.id}/accept/", headers=bearer(answerer.access))
    assert r.status_code == 200, r.text


def presence_of(ws, user, start=0):
    return [m["data"]["online"] for m in ws.of_type("presence", start) if m["data"]["user_id"] == user.id]


def test_events_reach_every_tab_of_the_user_on_one_node(server):
    ana, ben = register(server), register(server)

    async def go():
        t1 = await open_tab(server, ben, "ben-1")
        t2 = await open_tab(server, ben, "ben-2")
        mine = await open_tab(server, ana, "ana")
        r = ana.post("/api/social/friend-requests/", json={"user_id": ben.id})
        assert r.status_code == 201, r.text
        for t in (t1, t2):
            ev = await t.wait_for("friend_request")
            assert set(ev) == {"type", "data"} and ev["data"], ev
        await mine.expect_none("friend_request", within=0.3)
        await closeall(t1, t2, mine)

    run(go())


def test_friends_see_each_other_come_and_go_once_with_the_debounce(make_server):
    s = make_server(args=["--user-presence-debounce-ms", "1000"])
    ana, ben = register(s), register(s)
    befriend(s, ana, ben)

    async def go():
        b = await open_tab(s, ben, "ben")
        a1 = await open_tab(s, ana, "ana-1")
        await b.wait_for("presence", lambda m: m["data"] == {"user_id": ana.id, "online": True})
        a2 = await open_tab(s, ana, "ana-2")
        await a1.close()
        # A reload: the last tab closes and a new one opens within the debounce.
        await a2.close()
        a3 = await open_tab(s, ana, "ana-3")
        await asyncio.sleep(1.8)
        assert presence_of(b, ana) == [True], b.of_type("presence")
        await a3.close()
        t0 = now_ms()
        t, _ = await b.wait_for_entry("presence", lambda m: m["data"] == {"user_id": ana.id, "online": False}, timeout=5)
        assert 900 <= t - t0 <= 3000, t - t0
        assert presence_of(b, ana) == [True, False]
        await b.close()

    run(go())


def test_events_and_presence_reach_tabs_on_both_nodes(two_nodes):
    a, b = two_nodes("--user-presence-debounce-ms", "500")
    ana, ben = register(a), register(a)
    befriend(a, ana, ben)

    async def go():
        ben_a = await open_tab(a, ben, "ben@A")
        ben_b = await open_tab(b, ben, "ben@B")
        ana_b = await open_tab(b, ana, "ana@B")
        for t in (ben_a, ben_b):
            await t.wait_for("presence", lambda m: m["data"] == {"user_id": ana.id, "online": True})
        # An event published on node A reaches ben's tab on node B too.
        r = a.request("DELETE", f"/api/social/friends/{ben.id}/", headers=bearer(ana.access))
        assert r.status_code in (200, 204), r.text
        for t in (ben_a, ben_b):
            await t.wait_for("friend_removed")
        await closeall(ben_a, ben_b, ana_b)

    run(go())


def test_a_killed_nodes_users_go_offline_for_their_friends(two_nodes):
    a, b = two_nodes("--presence-ttl-s", "3", "--user-presence-debounce-ms", "500")
    ana, ben = register(a), register(a)
    befriend(a, ana, ben)

    async def go():
        watcher = await open_tab(a, ben, "ben@A")
        ana_b = await open_tab(b, ana, "ana@B")
        await watcher.wait_for("presence", lambda m: m["data"] == {"user_id": ana.id, "online": True})
        b.proc.kill()
        b.proc.wait()
        await watcher.wait_for("presence", lambda m: m["data"] == {"user_id": ana.id, "online": False}, timeout=10)
        assert presence_of(watcher, ana) == [True, False]
        await closeall(watcher, ana_b)

    run(go())
