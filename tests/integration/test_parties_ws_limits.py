"""Per-connection limits of the party WebSocket (docs/realtime.md, "Limits"):
a slow consumer is cut off without slowing the others, a flooding client is
closed with 4008, oversized frames close with 1009, silent peers are dropped."""
import asyncio
import json
import time

from websockets.exceptions import ConnectionClosed

from conftest import SLOWDOWN
from helpers import register
from party_helpers import (RawWS, close_code_of_frames, closeall, connect, create_party, in_thread, now_ms, run,
                           users)


def test_slow_consumer_is_closed_while_others_keep_receiving(make_server):
    s = make_server(args=["--ws-send-queue", "16", "--ws-flood-burst", "100000", "--ws-flood-rate", "100000"])
    host, normal, slow = users(s, 3)
    p = create_party(host)

    def slow_left(ws):
        return any(m["user"]["id"] == slow.id for m in ws.of_type("user_left"))

    async def go():
        h = await connect(s, p, host, name="host")
        n = await connect(s, p, normal, name="normal")
        raw = await in_thread(RawWS, s.port, f"/ws/party/{p['id']}/?token={slow.access}")
        try:
            await n.wait_for("user_joined", lambda m: m["user"]["id"] == slow.id)
            # It reads, but far slower than the party talks (about 200 KB/s, less for a
            # slower sanitizer build): its queue fills up, and since it still reads, the
            # close frame reaches it.
            reader = asyncio.ensure_future(in_thread(raw.drain, 30 * SLOWDOWN, 1024, 0.005 * SLOWDOWN))
            filler = "x" * 980
            sent = 0
            started = time.monotonic()
            while sent < 2000 and not slow_left(n):
                for _ in range(10):  # small batches: a reader that keeps up is never behind by 16
                    await h.send({"type": "chat_message", "content": f"{sent:05d} {filler}"})
                    sent += 1
                # The normal member keeps up with everything sent so far.
                await n.wait_count("chat_message", sent, timeout=20)
            await n.wait_for("user_left", lambda m: m["user"]["id"] == slow.id, timeout=10 * SLOWDOWN)
            assert time.monotonic() - started < 15 * SLOWDOWN

            for c in (n, h):
                got = [m["message"]["content"][:5] for m in (await c.wait_count("chat_message", sent, timeout=20))]
                assert got == [f"{i:05d}" for i in range(sent)], f"{c.name} missed or reordered chat"
                assert not c.closed
            await n.ping()

            frames, how = await reader
            code = close_code_of_frames(frames)
            assert how in ("eof", "reset"), f"the slow client's socket is still open ({how}); close frame {code}"
            assert code == 4008, code
            assert sum(1 for op, _ in frames if op == 1) < sent, "it was cut off before it got everything"
        finally:
            raw.close()
        await closeall(h, n)

    run(go())


def test_flooding_client_is_closed_with_4008(make_server):
    s = make_server(args=["--ws-flood-burst", "50", "--ws-flood-rate", "20"])
    host, calm = users(s, 2)
    p = create_party(host)

    async def go():
        f = await connect(s, p, host, name="flooder")
        c = await connect(s, p, calm, name="calm")
        for _ in range(500):
            try:
                await f.conn.send(json.dumps({"type": "ping", "client_time": now_ms()}))
            except ConnectionClosed:
                break
        assert await f.wait_closed(5) == 4008
        assert len(f.of_type("pong")) < 500
        # A client at a calm pace is left alone.
        for _ in range(10):
            await c.ping()
            await asyncio.sleep(0.1)
        assert not c.closed
        await c.close()

    run(go())


def test_oversized_frame_closes_with_1009(server):
    host = register(server)
    p = create_party(host)

    async def go():
        ws = await connect(server, p, host)
        try:
            await ws.send({"type": "chat_message", "content": "x" * (70 * 1024)})
        except ConnectionClosed:
            pass
        assert await ws.wait_closed(5) == 1009

    run(go())


def test_silent_peer_is_dropped_and_a_live_one_is_not(make_server):
    s = make_server(args=["--ws-idle-timeout-s", "2"])
    host, ghost = users(s, 2)
    p = create_party(host)

    async def go():
        h = await connect(s, p, host, name="host")  # answers the server's pings (websockets does)
        raw = await in_thread(RawWS, s.port, f"/ws/party/{p['id']}/?token={ghost.access}")
        try:
            t0 = now_ms()
            await h.wait_for("user_joined", lambda m: m["user"]["id"] == ghost.id)
            t, _ = await h.wait_for_entry("user_left", lambda m: m["user"]["id"] == ghost.id, timeout=10)
            assert 1500 <= t - t0 <= 8000, t - t0
        finally:
            raw.close()
        await asyncio.sleep(1.5)
        assert not h.closed
        await h.ping()
        await h.close()

    run(go())
