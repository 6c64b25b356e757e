"""Analytics (#20): a party's presence (peak and average concurrent members,
drop-off, the members curve) from its connection events, in the party
rollup, its endpoint and the CSV, on both databases."""
import asyncio
import time

from helpers import assert_envelope, make_staff_member, register, run_sql
from party_helpers import connect, create_party, join, run
from test_analytics_views import FAST, eventually

MIN, HOUR = 60_000, 3_600_000
# Rollups recount a day back: the scripted events below are hours old.
ARGS = FAST + ["--analytics-rollup-late-window-s", "86400"]


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + ".000Z"


def script(server, party_id, start):
    """a: 0 to 2h30 (and on a second node from 5 to 15 min); b: 10 to 30 min; c: 20 to 40 min."""
    steps = [(0, "a", "connected"), (5, "a", "connected"), (10, "b", "connected"), (15, "a", "disconnected"),
             (20, "c", "connected"), (30, "b", "disconnected"), (40, "c", "disconnected"),
             (150, "a", "disconnected")]
    rows = ",".join(f"('{party_id}-{i}', 'party.{kind}', 'party.{kind}', 'server', 'user-{who}', '{party_id}', "
                    f"{start + minute * MIN})" for i, (minute, who, kind) in enumerate(steps))
    run_sql(server, "INSERT INTO analytics_events (id, event_type, event_name, source, user_id, party_id, timestamp) "
                    "VALUES " + rows)


def test_a_scripted_partys_peak_average_and_drop_off(make_server):
    s = make_server(args=ARGS)
    host, other = register(s), register(s)
    staff = make_staff_member(s)
    party = create_party(host)
    start = int(time.time() * 1000) // HOUR * HOUR - 3 * HOUR
    script(s, party["id"], start)
    path = f"/api/analytics/party/{party['id']}/analytics/?granularity=hour&from={iso(start - HOUR)}"

    def settled():
        body = host.get(path).json()
        return body if body["presence"] and body["presence"]["members"] == 3 else None

    body = eventually(settled)
    assert body, host.get(path).text
    p = body["presence"]
    assert (p["started_at"], p["ended_at"], p["live"]) == (iso(start), iso(start + 150 * MIN), False)
    # a on two nodes at once is one member: at most a, b and c together.
    assert (p["peak_concurrent"], p["present_now"], p["left_early"]) == (3, 0, 2)
    # 1×10 + 2×10 + 3×10 + 2×10 + 1×110 member-minutes over 150 minutes.
    assert abs(p["average_concurrent"] - 190 / 150) < 1e-9
    assert abs(p["drop_off"] - 2 / 3) < 1e-9
    assert p["curve"]["slot_seconds"] == 60 and len(p["curve"]["members"]) == 150
    assert [p["curve"]["members"][m] for m in (0, 12, 25, 35, 45, 149)] == [1, 2, 3, 2, 1, 1]
    # The curve by hour: a quiet hour (nobody did anything) is there too. The party's
    # creation (now) is a bucket of its own, with nobody connected.
    series, now = body["series"][:3], body["series"][3:]
    assert [x["peak_concurrent"] for x in now] == [0] * len(now)
    assert [x["bucket_start"] for x in series] == [iso(start), iso(start + HOUR), iso(start + 2 * HOUR)]
    assert [x["peak_concurrent"] for x in series] == [3, 1, 1]
    assert [x["present_at_end"] for x in series] == [1, 1, 0]
    assert abs(series[0]["average_concurrent"] - 100 / 60) < 1e-9
    assert [x["average_concurrent"] for x in series[1:]] == [1.0, 1.0]
    assert body["totals"]["peak_concurrent"] == 3
    # Re-runs (every second here) change nothing.
    time.sleep(2.5)
    again = host.get(path).json()
    assert again["presence"] == p and again["series"][:3] == series
    assert staff.get(path).json()["presence"] == p
    # The CSV has the same buckets.
    csv = staff.get(f"/api/analytics/export/?rollup=party&granularity=hour&from={iso(start - HOUR)}").text
    lines = csv.strip().split("\r\n")
    head = lines[0].split(",")
    mine = [dict(zip(head, line.split(","))) for line in lines[1:] if line.startswith(party["id"] + ",")][:3]
    assert [(r["peak_concurrent"], r["member_ms"], r["live_ms"], r["present_at_end"]) for r in mine] == [
        ("3", str(100 * MIN), str(HOUR), "1"), ("1", str(HOUR), str(HOUR), "1"), ("1", str(30 * MIN), str(30 * MIN), "0")]
    # Only the host and staff.
    assert_envelope(other.get(path), 403, "ACCESS_FORBIDDEN")
    assert_envelope(host.get("/api/analytics/party/00000000-0000-4000-8000-000000000000/analytics/"), 404, "RESOURCE_NOT_FOUND")


def test_members_on_the_party_socket_are_counted_while_there(make_server):
    s = make_server(args=FAST)
    host, guest = register(s), register(s)
    party = create_party(host)
    join(guest, party)
    path = f"/api/analytics/party/{party['id']}/analytics/?granularity=hour"

    def presence(pred):
        def check():
            p = host.get(path).json()["presence"]
            return p if p and pred(p) else None
        return eventually(check)

    async def go():
        h = await connect(s, party, host, name="host")
        g = await connect(s, party, guest, name="guest")
        live = await asyncio.get_running_loop().run_in_executor(
            None, presence, lambda p: p["present_now"] == 2)
        await g.close()
        await h.close()
        return live

    live = run(go())
    assert live and (live["live"], live["members"], live["peak_concurrent"], live["ended_at"]) == (True, 2, 2, None)
    done = presence(lambda p: not p["live"])
    assert done and (done["members"], done["peak_concurrent"], done["present_now"]) == (2, 2, 0), done
