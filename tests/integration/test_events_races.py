"""Events under concurrency and across processes, on both databases: 40
joins on 10 seats, reminders sent exactly once by two servers with one
killed and restarted, and an event that opens its watch party."""
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import Server
from event_helpers import attendees, create_event, event_path, get_event, iso, join, wait_for
from helpers import register


def test_forty_joins_on_ten_seats(server):
    org = register(server)
    e = create_event(org, max_attendees=10)
    users = [register(server) for _ in range(40)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda u: join(u, e), users))
    assert sorted(r.status_code for r in answers) == [200] * 10 + [202] * 30
    going = [a["user"]["id"] for a in attendees(org, e, status="going")]
    waitlist = attendees(org, e, status="waitlisted")
    assert len(going) == 10 and len(waitlist) == 30
    # The waitlist is in the order the joins got their turn, and each join was told its place.
    assert [a["position"] for a in waitlist] == list(range(1, 31))
    told = {r.json()["user"]["id"]: r.json()["position"] for r in answers if r.status_code == 202}
    assert {a["user"]["id"]: a["position"] for a in waitlist} == told
    assert get_event(org, e)["counts"]["going"] == 10
    # A leave promotes exactly one: the first on the waitlist.
    leaver = next(u for u in users if u.id == going[0])
    assert leaver.post(event_path(e, "leave/")).status_code == 200
    now_going = {a["user"]["id"] for a in attendees(org, e, status="going")}
    assert now_going == (set(going) - {leaver.id}) | {waitlist[0]["user"]["id"]}
    after = attendees(org, e, status="waitlisted")
    assert [a["user"]["id"] for a in after] == [a["user"]["id"] for a in waitlist[1:]]
    assert [a["position"] for a in after] == list(range(1, 30))
    counts = get_event(org, e)["counts"]
    assert counts["going"] == 10 and counts["waitlisted"] == 29


def reminders_of(user):
    r = user.get("/api/notifications/", params={"type": "event_reminder", "page_size": 50})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_reminders_exactly_once_across_two_workers_and_a_kill(make_server):
    a = make_server()
    b = make_server(data_dir=a.data_dir if a.backend == "sqlite" else None, database_url=a.database_url)
    org = register(a)
    users = [register(a) for _ in range(30)]
    e = create_event(org)
    for u in users:
        assert join(u, e).status_code == 200
        r = u.patch(event_path(e, "preferences/"), json={"preferences": {"reminder_offsets": [1]}})
        assert r.status_code == 200, r.text
    # Moved to start 68 s from now, all reminders (a minute before) are planned again, due in 8 s.
    now = time.time()
    r = org.patch(event_path(e), json={"start_time": iso(now + 68), "end_time": iso(now + 3600)})
    assert r.status_code == 200, r.text
    due = now + (68 - 60) + 0.3
    while time.time() < due - 0.05:
        time.sleep(0.05)
    # Kill one worker just after the reminders fall due: what it had claimed and not marked sent goes out from
    # the other once the claim's lease (10 s) ends, and a notice it had sent already is not sent twice.
    a.stop(sig=signal.SIGKILL)
    for u in users:
        u.server = b
    wait_for(lambda: all(reminders_of(u) for u in users), timeout=30)
    a.start()
    time.sleep(2.5)  # the restarted worker and the other have passes to send anything twice
    for u in users:
        got = reminders_of(u)
        assert len(got) == 1, got
        assert got[0]["data"]["event_id"] == e["id"] and got[0]["data"]["minutes_before"] == 1


def test_an_event_opens_its_party_and_ends_with_it(server):
    org, ann, bob = register(server), register(server), register(server)
    e = create_event(org, creates_party=True, title="Party time")
    assert join(ann, e).status_code == 200
    assert join(bob, e).status_code == 200
    assert bob.post(event_path(e, "leave/")).status_code == 200
    now = time.time()
    assert org.patch(event_path(e), json={"start_time": iso(now + 1), "end_time": iso(now + 3600)}).status_code == 200
    live = wait_for(lambda: (lambda x: x if x["party_id"] else None)(get_event(ann, e)))
    assert live["status"] == "live"
    party = org.get(f"/api/parties/{live['party_id']}/").json()
    assert party["title"] == "Party time" and party["host"]["id"] == org.id
    # Those going are invited to the party; one who left is not.
    invitations = ann.get("/api/parties/invitations/").json()["results"]
    assert live["party_id"] in [i["party"]["id"] for i in invitations]
    assert bob.get("/api/parties/invitations/").json()["count"] == 0
    # The party ends: so does the event.
    assert org.post(f"/api/parties/{live['party_id']}/end/").status_code == 200
    assert get_event(ann, e)["status"] == "ended"
