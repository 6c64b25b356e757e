"""max_participants is exact under concurrency: N simultaneous joins to a party
with M free seats admit exactly M (docs/api.md, POST /api/parties/{id}/join/)."""
import asyncio
import threading

from helpers import assert_envelope, register
from party_helpers import WS, create_party, get_party, in_thread, join, participants, run, users, ws_url


def test_concurrent_joins_admit_exactly_the_free_seats(server):
    host = register(server)
    p = create_party(host, max_participants=5, visibility="public")
    guests = users(server, 12, prefix="race")
    barrier = threading.Barrier(len(guests))
    results = [None] * len(guests)

    def go(i):
        barrier.wait()
        try:
            results[i] = join(guests[i], p)
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = e

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(guests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    codes = [getattr(r, "status_code", repr(r)) for r in results]
    assert sorted(codes, key=str) == sorted([200] * 4 + [409] * 8, key=str), codes
    for r in results:
        if r.status_code == 409:
            assert_envelope(r, 409, "CONFLICT")
    admitted = {guests[i].id for i, r in enumerate(results) if r.status_code == 200}

    party = get_party(host, p)
    assert party["participant_count"] == 5
    parts = participants(host, p)
    assert len(parts) == 5
    assert {x["user"]["id"] for x in parts} == admitted | {host.id}

    # Still full for anyone else; a seat freed is a seat taken.
    loser = next(g for i, g in enumerate(guests) if results[i].status_code == 409)
    assert_envelope(join(loser, p), 409, "CONFLICT")
    winner = next(g for i, g in enumerate(guests) if results[i].status_code == 200)
    assert winner.post(f"/api/parties/{p['id']}/leave/").status_code == 200
    assert join(loser, p).status_code == 200
    assert get_party(host, p)["participant_count"] == 5


def test_concurrent_websocket_connects_respect_capacity(server):
    """Connecting joins "as POST /join/ would, with the same rules": a full
    party refuses the socket with 4003, and the seats are exact."""
    host = register(server)
    p = create_party(host, max_participants=3, visibility="public")
    guests = users(server, 8, prefix="wsrace")

    async def one(u):
        ws = await WS.open(ws_url(server, p, u.access), name=u.username)
        try:
            first = await ws.wait_for("party_state", timeout=5)
            return ("in", ws, first)
        except AssertionError:
            return ("out", ws, await ws.wait_closed(5))

    async def go():
        results = await asyncio.gather(*(one(u) for u in guests))
        ins = [r for r in results if r[0] == "in"]
        outs = [r for r in results if r[0] == "out"]
        assert len(ins) == 2, [(r[0], r[2] if r[0] == "out" else "") for r in results]
        assert all(r[2] == 4003 for r in outs), [r[2] for r in outs]
        party = await in_thread(get_party, host, p)
        assert party["participant_count"] == 3
        parts = await in_thread(participants, host, p)
        assert len(parts) == 3
        for _, ws, _ in ins:
            await ws.close()

    run(go())
