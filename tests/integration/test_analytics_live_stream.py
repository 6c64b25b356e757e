"""Analytics (#20): the staff dashboard's live stream over /ws/user/: the
totals of every node (summed through Redis) pushed every few seconds to the
staff sockets that asked (`analytics_live`), and to nobody else."""
import asyncio
import uuid

import pytest

from conftest import PG_URL, REDIS_URL, Server, new_pg_database
from helpers import make_staff_member, register
from party_helpers import WS, run

KEYS = {"at", "nodes", "sockets", "watching_now", "active_parties", "events_per_minute"}


def user_socket(node, user, name):
    return WS.open(f"ws://127.0.0.1:{node.port}/ws/user/?token={user.access}", name=name)


async def opened(node, user, name):
    ws = await user_socket(node, user, name)
    await ws.wait_for("hello")
    return ws


def pushed(dash, pred, start):
    return dash.wait_for("analytics_live", lambda m: pred(m["data"]), timeout=15, start=start)


def test_a_staff_socket_gets_the_counts_pushed_as_they_change_and_nobody_else_does(make_server):
    s = make_server()
    staff, user = make_staff_member(s), register(s)

    async def scenario():
        dash = await opened(s, staff, "dashboard")
        await dash.send({"type": "analytics_live"})
        first = await dash.wait_for("analytics_live")  # at once, not at the next round
        assert set(first["data"]) == KEYS, first
        # The first answer may predate the live thread's first round (0 nodes); it counts this socket soon.
        await pushed(dash, lambda d: d["nodes"] == 1 and d["sockets"] == 1, 0)
        mark = dash.mark()
        tab = await opened(s, user, "tab")
        up = await pushed(dash, lambda d: d["sockets"] == 2, mark)
        mark = dash.mark()
        await tab.close()
        await pushed(dash, lambda d: d["sockets"] == 1, mark)

        # Another user's socket may not ask, and gets nothing.
        mine = await opened(s, user, "curious")
        await mine.send({"type": "analytics_live"})
        refused = await mine.wait_for("error")
        assert refused["code"] == "forbidden", refused
        await mine.expect_none("analytics_live", within=2.5)

        # A bad `subscribe` is refused; false stops the stream.
        mark = dash.mark()
        await dash.send({"type": "analytics_live", "subscribe": 1})
        bad = await dash.wait_for("error", start=mark)
        assert bad["code"] == "invalid_message", bad
        await dash.send({"type": "analytics_live", "subscribe": False})
        await asyncio.sleep(0.5)  # a push already queued may still arrive
        await dash.expect_none("analytics_live", within=2.5, start=dash.mark())
        await mine.close()
        await dash.close()
        return up

    up = run(scenario())
    assert up["data"]["nodes"] == 1


def test_staff_get_the_totals_of_both_nodes_pushed_by_their_own_node():
    if not (PG_URL and REDIS_URL):
        pytest.skip("needs WP_PG_URL and WP_REDIS_URL")
    db, prefix = new_pg_database(), f"wp-{uuid.uuid4().hex[:8]}:"
    nodes = [Server("postgresql", args=["--redis-url", REDIS_URL, "--redis-prefix", prefix], database_url=db).start()
             for _ in range(2)]
    try:
        staff = make_staff_member(nodes[0])
        user = register(nodes[0])

        async def scenario():
            dash = await opened(nodes[0], staff, "dashboard")
            await dash.send({"type": "analytics_live"})
            await dash.wait_for("analytics_live")
            # Two tabs of a user on the other node: the totals pushed by node 0 count them.
            mark = dash.mark()
            tabs = [await opened(nodes[1], user, f"tab{i}") for i in range(2)]
            up = await pushed(dash, lambda d: d["nodes"] == 2 and d["sockets"] == 3, mark)
            mark = dash.mark()
            for t in tabs:
                await t.close()
            down = await pushed(dash, lambda d: d["sockets"] == 1, mark)
            # One push per round of node 0 (every 2 s), not one per node: at most 3 in 4 s, at least 1.
            mark = dash.mark()
            await asyncio.sleep(4)
            n = len(dash.of_type("analytics_live", start=mark))
            await dash.close()
            return up, down, n

        up, down, n = run(scenario())
        assert up["data"]["nodes"] == 2 and down["data"]["nodes"] == 2
        assert 1 <= n <= 3, n
    finally:
        for n in nodes:
            n.stop()
