"""Events (#16) through the real binary, on both databases: the lifecycle,
PUT and PATCH, series edits (this one, all following), filters, the
visibility matrix, RSVPs and invitations, ical checked by a parser."""
import time

import icalendar
import pytest

from event_helpers import (attendees, create_event, event_path, get_event, iso, join, listed_ids, parse_iso,
                           wait_for)
from helpers import assert_field_errors, make_staff_member, register


def test_lifecycle_put_patch_and_the_clock(server):
    org, ann = register(server), register(server)
    e = create_event(org, title="Premiere", category="premiere", timezone="Europe/Paris", max_attendees=5,
                     location="https://example.com/room", settings={"attendees_can_invite": True})
    assert e["status"] == "upcoming" and e["category"] == "premiere" and e["timezone"] == "Europe/Paris"
    assert e["organizer"]["id"] == org.id and e["settings"]["attendees_can_invite"] is True
    assert e["counts"] == {"going": 0, "maybe": 0, "not_going": 0, "waitlisted": 0, "pending": 0}
    # Validation: end after start, a known category, a real time zone.
    now = time.time()
    r = org.post("/api/events/", json={"title": "x", "start_time": iso(now + 60), "end_time": iso(now + 30),
                                       "category": "knitting", "timezone": "Mars/Olympus"})
    assert_field_errors(r, "category", "timezone")
    r = org.post("/api/events/", json={"title": "x", "start_time": iso(now + 60), "end_time": iso(now + 30)})
    assert_field_errors(r, "end_time")
    # PATCH changes some fields; PUT replaces every editable one.
    r = org.patch(event_path(e), json={"description": "Bring snacks"})
    assert r.status_code == 200 and r.json()["description"] == "Bring snacks" and r.json()["title"] == "Premiere"
    assert ann.patch(event_path(e), json={"title": "mine"}).status_code == 403
    r = org.request("PUT", event_path(e), json={"title": "Replaced", "start_time": e["start_time"],
                                                 "end_time": e["end_time"]})
    assert r.status_code == 200, r.text
    put = r.json()
    assert put["title"] == "Replaced" and put["description"] == "" and put["category"] == "other"
    assert put["max_attendees"] is None and put["timezone"] == "UTC" and put["location"] == ""
    assert_field_errors(org.request("PUT", event_path(e), json={"title": "No times"}), "start_time", "end_time")
    # The clock moves it: live at the start, ended at the end.
    soon = create_event(org)
    assert join(ann, soon).status_code == 200
    now = time.time()
    assert org.patch(event_path(soon), json={"start_time": iso(now + 1), "end_time": iso(now + 3)}).status_code == 200
    wait_for(lambda: get_event(ann, soon)["status"] == "live")
    wait_for(lambda: get_event(ann, soon)["status"] == "ended")
    assert join(register(server), soon).status_code == 409
    assert soon["id"] in listed_ids(ann, when="past") and soon["id"] not in listed_ids(ann, when="upcoming")
    # Cancelling: status by the organizer; a cancelled event is not edited again.
    r = org.patch(event_path(e), json={"status": "cancelled"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert org.patch(event_path(e), json={"title": "again"}).status_code == 409
    assert org.patch(event_path(create_event(org)), json={"status": "live"}).status_code == 400
    assert org.delete(event_path(e)).status_code == 200
    assert org.get(event_path(e)).status_code == 404


def test_series_edits_this_one_and_all_following(server):
    org = register(server)
    now = time.time()
    first = create_event(org, recurrence={"frequency": "weekly", "until": iso(now + 3600 + 3 * 7 * 86400 + 600)},
                         timezone="America/New_York")
    sid = first["series"]["id"]
    assert first["series"]["frequency"] == "weekly"
    mine = org.get("/api/events/", params={"mine": "true", "page_size": 50}).json()["results"]
    series = sorted([e for e in mine if e["series"] and e["series"]["id"] == sid], key=lambda e: e["start_time"])
    assert len(series) == 4
    r = org.patch(event_path(series[1]), params={"scope": "this"}, json={"title": "Only the second"})
    assert r.status_code == 200
    moved = iso(parse_iso(series[2]["start_time"]) + 1800)
    r = org.patch(event_path(series[2]), params={"scope": "following"}, json={"start_time": moved, "title": "Later"})
    assert r.status_code == 200, r.text
    after = [get_event(org, e) for e in series]
    assert [e["title"] for e in after] == ["Film night", "Only the second", "Later", "Later"]
    for i in (0, 1):
        assert after[i]["start_time"] == series[i]["start_time"]
    for i in (2, 3):
        assert parse_iso(after[i]["start_time"]) == pytest.approx(parse_iso(series[i]["start_time"]) + 1800)
        assert parse_iso(after[i]["end_time"]) - parse_iso(after[i]["start_time"]) == pytest.approx(3600)
    assert org.patch(event_path(series[0]), params={"scope": "sometimes"}, json={}).status_code == 400
    assert org.delete(event_path(series[3]), params={"scope": "following"}).status_code == 200
    assert org.get(event_path(series[3])).status_code == 404 and org.get(event_path(series[2])).status_code == 200


def test_filters_search_category_and_time_range(server):
    org, ann = register(server), register(server)
    tag = "zq" + str(int(time.time() * 1000))
    a = create_event(org, title=f"Horror {tag}", category="screening", start_in=7200)
    b = create_event(org, title=f"Quiz {tag}", category="gaming", start_in=3 * 86400)
    assert set(listed_ids(ann, search=tag)) == {a["id"], b["id"]}
    assert listed_ids(ann, search=tag, category="gaming") == [b["id"]]
    assert listed_ids(ann, search=tag, to=iso(time.time() + 86400)) == [a["id"]]
    assert listed_ids(ann, search=tag, **{"from": iso(time.time() + 86400)}) == [b["id"]]
    assert set(listed_ids(org, mine="true", search=tag)) == {a["id"], b["id"]}
    assert join(ann, a).status_code == 200
    assert listed_ids(ann, attending="true", search=tag) == [a["id"]]
    assert someone_rsvps(server, b, "maybe")
    counts = {e["id"]: e["counts"] for e in ann.get("/api/events/", params={"search": tag}).json()["results"]}
    assert counts[a["id"]] == {"going": 1, "maybe": 0, "not_going": 0, "waitlisted": 0, "pending": 0}
    assert counts[b["id"]] == {"going": 0, "maybe": 1, "not_going": 0, "waitlisted": 0, "pending": 0}
    assert ann.get("/api/events/", params={"category": "knitting"}).status_code == 400
    assert ann.get("/api/events/", params={"when": "someday"}).status_code == 400


def someone_rsvps(server, event, response):
    r = register(server).post(event_path(event, "rsvp/"), json={"response": response})
    return r.status_code == 200


def visibility_case(server, public):
    org, staff = register(server), make_staff_member(server)
    invitee, attendee, stranger, blocked = (register(server) for _ in range(4))
    e = create_event(org, is_public=public)
    for u in (invitee, attendee, blocked):
        assert org.post(event_path(e, "invite/"), json={"user_id": u.id}).status_code == 201
    assert attendee.post(event_path(e, "invitation/accept/")).status_code == 200
    assert org.post("/api/social/blocks/", json={"user_id": blocked.id}).status_code == 201
    return e, {"organizer": org, "invitee": invitee, "attendee": attendee, "stranger": stranger,
               "blocked": blocked, "staff": staff}


@pytest.mark.parametrize("public,expected", [
    (True, {"organizer": 200, "invitee": 200, "attendee": 200, "stranger": 200, "blocked": 404, "staff": 200}),
    (False, {"organizer": 200, "invitee": 200, "attendee": 200, "stranger": 404, "blocked": 404, "staff": 200}),
])
def test_visibility_matrix(server, public, expected):
    e, who = visibility_case(server, public)
    got = {name: u.get(event_path(e)).status_code for name, u in who.items()}
    assert got == expected
    listed = {name: e["id"] in listed_ids(u) for name, u in who.items()}
    assert listed == {name: status == 200 for name, status in expected.items()}
    # The ical follows the event.
    assert {name: u.get(event_path(e, "ical/")).status_code for name, u in who.items()} == expected
    # Private: the invitation is the only way in.
    if not public:
        assert join(who["invitee"], e).status_code == 403
        assert join(who["stranger"], e).status_code == 404


def test_rsvps_are_counted_and_invitations_answered(server):
    org, ann, bob, cid = register(server), register(server), register(server), register(server)
    e = create_event(org, require_approval=True)
    r = ann.post(event_path(e, "rsvp/"), json={"response": "going", "note": "can't wait"})
    assert r.status_code == 200, r.text
    assert r.json()["me"]["attendance"]["status"] == "pending" and r.json()["counts"]["pending"] == 1
    assert org.post(event_path(e, f"attendees/{ann.id}/approve/")).status_code == 200
    assert bob.post(event_path(e, "rsvp/"), json={"response": "maybe"}).json()["counts"]["maybe"] == 1
    assert bob.post(event_path(e, "rsvp/"), json={"response": "sometimes"}).status_code == 400
    r = org.post(event_path(e, "invite/"), json={"user_id": cid.id})
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["responded_at"] is None
    inv = cid.get("/api/events/invitations/").json()["results"]
    assert [i["event"]["id"] for i in inv] == [e["id"]]
    assert cid.post(event_path(e, "invitation/decline/")).status_code == 200
    assert cid.get("/api/events/invitations/").json()["count"] == 0
    counts = get_event(org, e)["counts"]
    assert counts == {"going": 1, "maybe": 1, "not_going": 1, "waitlisted": 0, "pending": 0}
    statuses = {a["user"]["id"]: a["status"] for a in attendees(org, e)}
    assert statuses == {ann.id: "going"}
    # Preferences are validated.
    r = ann.patch(event_path(e, "preferences/"), json={"preferences": {"reminder_offsets": [60, 60]}})
    assert_field_errors(r, "preferences")
    r = ann.patch(event_path(e, "preferences/"), json={"preferences": {"reminder_offsets": [60, 5]}})
    assert r.status_code == 200 and r.json()["preferences"] == {"reminder_offsets": [60, 5]}
    assert bob.patch(event_path(e, "preferences/"), json={"preferences": {}}).status_code == 404


def assert_lines_folded(text):
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_ical_parses_with_escaping_and_folding(server):
    org, ann = register(server), register(server)
    description = "Line one, with commas; semicolons\\ and a backslash.\nLine two: " + "é€😀 long text " * 20
    e = create_event(org, title="Film, night; \"quoted\"", description=description,
                     location="https://example.com/watch?room=1&x=2", is_public=True)
    r = ann.get(event_path(e, "ical/"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert_lines_folded(r.text)
    cal = icalendar.Calendar.from_ical(r.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    v = events[0]
    assert str(v["SUMMARY"]) == e["title"]
    assert str(v["DESCRIPTION"]) == description
    assert str(v["LOCATION"]) == e["location"]
    assert str(v["UID"]).startswith(e["id"])
    assert v.decoded("DTSTART").timestamp() == pytest.approx(int(parse_iso(e["start_time"])))
    assert v.decoded("DTEND").timestamp() == pytest.approx(int(parse_iso(e["end_time"])))
    assert str(v["STATUS"]) == "CONFIRMED" and "DTSTAMP" in v and "ORGANIZER" in v
    assert str(v["URL"]).endswith("/events/" + e["id"])
    # A series carries its RRULE.
    s = create_event(org, recurrence={"frequency": "monthly", "until": iso(time.time() + 100 * 86400)})
    v = icalendar.Calendar.from_ical(org.get(event_path(s, "ical/")).content).walk("VEVENT")[0]
    assert v["RRULE"]["FREQ"] == ["MONTHLY"]


def test_personal_feed_needs_no_login_and_rotates(server):
    org, ann = register(server), register(server)
    going = create_event(org, title="Going to this")
    other = create_event(org, title="Not this")
    assert join(ann, going).status_code == 200
    info = ann.get("/api/events/calendar/").json()
    assert ann.get("/api/events/calendar/").json()["token"] == info["token"]
    r = server.get(info["url"])
    assert r.status_code == 200, r.text
    assert_lines_folded(r.text)
    uids = {str(v["UID"]).split("@")[0] for v in icalendar.Calendar.from_ical(r.content).walk("VEVENT")}
    assert going["id"] in uids and other["id"] not in uids
    new = ann.post("/api/events/calendar/rotate/").json()
    assert new["token"] != info["token"]
    assert server.get(info["url"]).status_code == 404
    assert server.get(new["url"]).status_code == 200
    assert server.get("/api/events/calendar/" + new["token"]).status_code == 404  # the name ends in .ics


def test_an_event_links_a_video_and_a_group_it_may(server):
    from group_helpers import create_group
    org, other = register(server), register(server)
    group = create_group(org)
    r = org.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4",
                                       "is_public": False})
    assert r.status_code == 201, r.text
    video = r.json()["id"]
    e = create_event(org, group_id=group["id"], video_id=video)
    assert e["group_id"] == group["id"] and e["video_id"] == video
    now = time.time()
    body = {"title": "x", "start_time": iso(now + 3600), "end_time": iso(now + 7200)}
    assert_field_errors(other.post("/api/events/", json={**body, "group_id": group["id"]}), "group_id")
    assert_field_errors(other.post("/api/events/", json={**body, "video_id": video}), "video_id")
    r = org.patch(event_path(e), json={"video_id": None, "group_id": None})
    assert r.status_code == 200 and r.json()["video_id"] is None and r.json()["group_id"] is None
