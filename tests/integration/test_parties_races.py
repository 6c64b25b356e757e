"""Membership changes racing each other (docs/api.md "Watch parties"): every
one locks the party row first, so on PostgreSQL (where transactions run side
by side) a party with active members always has exactly one active host, and
a join request is decided once."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from party_helpers import create_party, join, member_action, participants, party_path, users

ROUNDS = int(os.environ.get("WP_RACE_ROUNDS", "25"))


def at_once(*calls):
    """Runs the calls in threads released together; their answers in order."""
    gate = threading.Barrier(len(calls))

    def go(call):
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(go, c) for c in calls]]


def test_host_leaving_while_someone_joins_leaves_exactly_one_host(server):
    # One joiner a round: a later joiner would take the vacant host role and hide the fault.
    host, guest = users(server, 2, prefix="race")
    for _ in range(ROUNDS * 8):
        p = create_party(host)
        left, joined = at_once(lambda: host.post(party_path(p, "leave/")), lambda: join(guest, p))
        assert (left.status_code, joined.status_code) == (200, 200), (left.text, joined.text)
        listed = participants(guest, p)
        assert [(x["user"]["id"], x["role"]) for x in listed] == [(guest.id, "host")], listed
        assert guest.get(party_path(p)).json()["host"]["id"] == guest.id


def test_approve_racing_reject_or_withdraw_decides_once(server):
    host, moderator, *guests = users(server, 4, prefix="race")
    for i in range(ROUNDS):
        p = create_party(host, settings={"require_approval": True})
        assert join(moderator, p).status_code == 202
        assert member_action(host, p, moderator, "approve").status_code == 200
        assert member_action(host, p, moderator, "promote").status_code == 200
        for g in guests:
            assert join(g, p).status_code == 202
        # One guest is rejected while approved, the other withdraws while approved.
        a, b = guests if i % 2 == 0 else guests[::-1]
        approve_a, reject_a, approve_b, withdraw_b = at_once(
            lambda: member_action(host, p, a, "approve"), lambda: member_action(moderator, p, a, "reject"),
            lambda: member_action(moderator, p, b, "approve"), lambda: b.post(party_path(p, "leave/")))
        active = {x["user"]["id"] for x in participants(host, p)}
        assert sorted([approve_a.status_code, reject_a.status_code]) == [200, 404], (approve_a.text, reject_a.text)
        assert (a.id in active) == (approve_a.status_code == 200), (approve_a.text, reject_a.text, active)
        # Withdrawn first (approve 404) or approved first (then leave/ leaves): never left in.
        assert withdraw_b.status_code == 200 and approve_b.status_code in (200, 404), (approve_b.text, withdraw_b.text)
        assert b.id not in active, (approve_b.text, withdraw_b.text, active)
        status_a = a.get(party_path(p, "join-request/")).json()["status"]
        assert status_a == ("active" if approve_a.status_code == 200 else "rejected")
        assert b.get(party_path(p, "join-request/")).json()["status"] == "none"
