"""Party polls (issue #17), on both databases: creation by the host and
moderators, exact counts under 100 concurrent votes, a change of vote,
closed and expired polls refusing votes, expiry by the server's timer after a
restart, anonymity, and live poll_created / poll_results / poll_closed
(debounced to 5 a second, ending with the final counts)."""
import asyncio
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import PG_URL, SLOWDOWN
from test_scale_out import cluster, redis  # noqa: F401 - fixtures
from helpers import assert_field_errors, register
from party_helpers import connect, create_party, in_thread, joined, member_action, party_path, run, users


def polls_path(party, suffix=""):
    return party_path(party, "polls/" + suffix)


def create_poll_req(user, party, **body):
    body.setdefault("question", "Which film next?")
    body.setdefault("options", ["Alien", "Heat", "Up"])
    return user.post(polls_path(party), json=body)


def create_poll(user, party, **body):
    r = create_poll_req(user, party, **body)
    assert r.status_code == 201, r.text
    return r.json()


def vote_req(user, party, poll, *option_ids):
    return user.post(polls_path(party, f"{poll['id']}/vote/"), json={"option_ids": list(option_ids)})


def vote(user, party, poll, *option_ids):
    r = vote_req(user, party, poll, *option_ids)
    assert r.status_code == 200, r.text
    return r.json()


def poll_now(user, party, poll):
    r = user.get(polls_path(party))
    assert r.status_code == 200, r.text
    return next(p for p in r.json()["results"] if p["id"] == poll["id"])


def counts(poll):
    return [o["votes_count"] for o in poll["options"]]


def test_the_host_and_moderators_create_polls_members_do_not(server):
    host, mod, guest = users(server, 3)
    party = create_party(host)
    joined(mod, party)
    joined(guest, party)
    assert member_action(host, party, mod, "promote").status_code == 200
    poll = create_poll(host, party, options=["a", "b"], multiple_choice=True, duration_seconds=60)
    assert [o["text"] for o in poll["options"]] == ["a", "b"]
    assert [o["position"] for o in poll["options"]] == [0, 1]
    assert poll["status"] == "open" and poll["multiple_choice"] and not poll["anonymous"]
    assert poll["expires_at"] and poll["closed_at"] is None
    assert poll["created_by"]["id"] == host.id
    create_poll(mod, party)
    assert create_poll_req(guest, party).status_code == 403
    assert create_poll_req(register(server), party).status_code == 403
    assert_field_errors(create_poll_req(host, party, options=["only one"]), "options")
    assert_field_errors(create_poll_req(host, party, options=[str(i) for i in range(11)]), "options")
    assert_field_errors(create_poll_req(host, party, options=["same", "same"]), "options")
    assert_field_errors(create_poll_req(host, party, question=""), "question")
    r = guest.get(polls_path(party))
    assert r.status_code == 200 and r.json()["count"] == 2


def test_a_hundred_concurrent_votes_are_counted_exactly(server):
    host = register(server)
    party = create_party(host, max_participants=200)
    voters = users(server, 100, "v")
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda u: joined(u, party), voters))
    poll = create_poll(host, party, options=["a", "b", "c"])
    ids = [o["id"] for o in poll["options"]]
    # 100 voters at once; the first 30 also change their vote at the same time.
    with ThreadPoolExecutor(32) as ex:
        results = list(ex.map(lambda iu: vote_req(iu[1], party, poll, ids[iu[0] % 3]), enumerate(voters)))
    assert [r.status_code for r in results] == [200] * 100
    with ThreadPoolExecutor(32) as ex:
        changed = list(ex.map(lambda u: vote_req(u, party, poll, ids[2]), voters[:30]))
    assert [r.status_code for r in changed] == [200] * 30
    first = [sum(1 for i in range(30, 100) if i % 3 == k) for k in range(3)]
    assert counts(poll_now(host, party, poll)) == [first[0], first[1], first[2] + 30]
    assert poll_now(host, party, poll)["total_votes"] == 100


def test_a_vote_changes_until_the_poll_closes_and_a_closed_poll_refuses(server):
    host, guest = users(server, 2)
    party = create_party(host)
    joined(guest, party)
    poll = create_poll(host, party)
    a, b, c = [o["id"] for o in poll["options"]]
    assert counts(vote(guest, party, poll, a)) == [1, 0, 0]
    after = vote(guest, party, poll, b)
    assert counts(after) == [0, 1, 0] and after["my_votes"] == [b]
    assert_field_errors(vote_req(guest, party, poll, a, b), "option_ids")  # one option only
    assert_field_errors(vote_req(guest, party, poll, "nope"), "option_ids")
    multi = create_poll(host, party, multiple_choice=True)
    ma, mb, mc = [o["id"] for o in multi["options"]]
    assert counts(vote(guest, party, multi, ma, mb)) == [1, 1, 0]
    assert counts(vote(guest, party, multi, mb, mc)) == [0, 1, 1]
    assert guest.post(polls_path(party, f"{poll['id']}/close/")).status_code == 403
    r = host.post(polls_path(party, f"{poll['id']}/close/"))
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["closed_at"]
    refused = vote_req(guest, party, poll, a)
    assert refused.status_code == 409, refused.text
    assert counts(poll_now(host, party, poll)) == [0, 1, 0]  # results are kept
    # closing again changes nothing
    assert host.post(polls_path(party, f"{poll['id']}/close/")).json()["closed_at"] == r.json()["closed_at"]


def test_an_expired_poll_refuses_votes_and_is_closed_at_its_expiry(server):
    host, guest = users(server, 2)
    party = create_party(host)
    joined(guest, party)
    poll = create_poll(host, party, duration_seconds=1)
    vote(guest, party, poll, poll["options"][0]["id"])
    time.sleep(1.2)
    assert vote_req(guest, party, poll, poll["options"][1]["id"]).status_code == 409
    deadline = time.time() + 5
    while poll_now(host, party, poll)["closed_at"] is None and time.time() < deadline:
        time.sleep(0.1)
    closed = poll_now(host, party, poll)
    assert closed["status"] == "closed" and closed["closed_at"] == closed["expires_at"]
    assert counts(closed) == [1, 0, 0]


def test_polls_expiring_while_the_server_is_down_or_after_its_restart_are_closed_by_its_timer(make_server):
    first = make_server()
    host, guest = users(first, 2)
    party = create_party(host)
    joined(guest, party)
    down = create_poll(host, party, duration_seconds=2)  # expires while no server runs
    # Expires after the restart, and after the socket below has joined: a slower (sanitizer) server
    # takes longer to start, so it gets longer.
    later = create_poll(host, party, duration_seconds=int(6 * SLOWDOWN))
    vote(guest, party, later, later["options"][1]["id"])
    first.stop()
    os.rename(first.log_path, first.log_path + ".1")  # the next server appends to server.log
    time.sleep(2.5)
    second = make_server(data_dir=first.data_dir, database_url=first.database_url)
    host.server = guest.server = second

    async def scenario():
        ws = await connect(second, party, host)
        closed = await ws.wait_for("poll_closed", lambda m: m["poll"]["id"] == later["id"], timeout=10 * SLOWDOWN)
        assert closed["poll"]["status"] == "closed"
        assert closed["poll"]["closed_at"] == closed["poll"]["expires_at"]
        assert [o["votes_count"] for o in closed["poll"]["options"]] == [0, 1, 0]
        await ws.close()

    run(scenario())
    # closed_at is only ever set by a close: the timer closed the poll that expired while the server was down
    assert poll_now(host, party, down)["closed_at"] == poll_now(host, party, down)["expires_at"]
    assert vote_req(guest, party, later, later["options"][0]["id"]).status_code == 409


def test_an_anonymous_poll_never_names_its_voters(server):
    host, guest, other = users(server, 3)
    party = create_party(host)
    joined(guest, party)
    joined(other, party)
    anon = create_poll(host, party, anonymous=True)
    named = create_poll(host, party)

    async def scenario():
        ws = await connect(server, party, other)
        vote(guest, party, anon, anon["options"][0]["id"])
        await ws.wait_for("poll_results", lambda m: m["poll_id"] == anon["id"] and m["total_votes"] == 1)
        await ws.close()
        return ws

    ws = run(scenario())
    for m in ws.messages:
        if m.get("type", "").startswith("poll_"):
            assert guest.id not in json.dumps(m) and guest.username not in json.dumps(m)
    vote(guest, party, named, named["options"][0]["id"])
    listed = host.get(polls_path(party)).text
    seen = json.loads(listed)["results"]
    anon_seen = next(p for p in seen if p["id"] == anon["id"])
    assert guest.id not in json.dumps(anon_seen) and guest.username not in json.dumps(anon_seen)
    assert "voters" not in anon_seen["options"][0]
    named_seen = next(p for p in seen if p["id"] == named["id"])
    assert named_seen["options"][0]["voters"] == [{"id": guest.id, "username": guest.username}]
    # a voter sees their own choice in an anonymous poll, nobody else does
    assert poll_now(guest, party, anon)["my_votes"] == [anon["options"][0]["id"]]
    assert poll_now(host, party, anon)["my_votes"] == []


def test_live_results_are_debounced_and_end_with_the_final_counts(server):
    host = register(server)
    party = create_party(host, max_participants=100)
    voters = users(server, 40, "lv")
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda u: joined(u, party), voters))

    async def scenario():
        ws = await connect(server, party, host)
        poll = create_poll(host, party, options=["x", "y"])
        await ws.wait_for("poll_created", lambda m: m["poll"]["id"] == poll["id"])
        ids = [o["id"] for o in poll["options"]]
        def vote_all():
            with ThreadPoolExecutor(8) as ex:
                list(ex.map(lambda iu: vote(iu[1], party, poll, ids[iu[0] % 2]), enumerate(voters)))

        await in_thread(vote_all)
        final = await ws.wait_for("poll_results", lambda m: m["total_votes"] == 40, timeout=5)
        assert [o["votes_count"] for o in final["options"]] == [20, 20]
        # Nothing else follows but, at most, the same counts again: a vote's results_changed that comes
        # after another vote's claim marks the poll pending though its vote was already counted.
        await ws.expect_none("poll_results", lambda m: [o["votes_count"] for o in m["options"]] != [20, 20],
                             within=0.6, start=ws.mark())
        times = [t for t, m in ws.log if m.get("type") == "poll_results"]
        # at most 5 a second (one more for the jitter between the claim and the send)
        assert all(sum(1 for t in times if s <= t < s + 1000) <= 6 for s in times), times
        await ws.close()

    run(scenario())


@pytest.mark.skipif(not (PG_URL and shutil.which("redis-server")), reason="needs WP_PG_URL and redis-server")
def test_live_polls_on_two_nodes(cluster):
    a, b = cluster(2)
    host, guest_a, guest_b = users(a, 3)
    party = create_party(host)
    joined(guest_a, party)
    joined(guest_b, party)
    on_b = lambda u: type(u)(b, u.username, u.email, u.password, u.tokens)  # noqa: E731 - the same user through node B

    async def scenario():
        wa = await connect(a, party, guest_a, name="A")
        wb = await connect(b, party, guest_b, name="B")
        poll = await in_thread(create_poll, host, party, options=["x", "y"], duration_seconds=3)
        for ws in (wa, wb):
            await ws.wait_for("poll_created", lambda m: m["poll"]["id"] == poll["id"])
        ids = [o["id"] for o in poll["options"]]
        await in_thread(vote, guest_a, party, poll, ids[0])
        await in_thread(vote, on_b(guest_b), party, poll, ids[1])
        for ws in (wa, wb):
            last = await ws.wait_for("poll_results", lambda m: m["total_votes"] == 2)
            assert [o["votes_count"] for o in last["options"]] == [1, 1]
        # expiry: one node announces it, every node's members hear it once
        for ws in (wa, wb):
            closed = await ws.wait_for("poll_closed", lambda m: m["poll"]["id"] == poll["id"], timeout=8)
            assert [o["votes_count"] for o in closed["poll"]["options"]] == [1, 1]
        await asyncio.sleep(0.6)
        assert len(wa.of_type("poll_closed")) == 1 and len(wb.of_type("poll_closed")) == 1
        await wa.close()
        await wb.close()

    run(scenario())
