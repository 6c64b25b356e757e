"""Helpers for the event tests: REST shortcuts over /api/events/."""
import datetime
import time

from helpers import assert_time, assert_uuid

EVENT_KEYS = {"id", "organizer", "title", "description", "location", "start_time", "end_time", "timezone",
              "max_attendees", "require_approval", "is_public", "status", "category", "settings", "creates_party",
              "video_id", "group_id", "party_id", "series", "going_count", "ical_url", "created_at", "updated_at"}


def iso(t):
    """RFC 3339 in UTC for a Unix time in seconds."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def event_path(event, suffix=""):
    eid = event["id"] if isinstance(event, dict) else event
    return f"/api/events/{eid}/{suffix}"


def assert_event(e):
    assert set(e) >= EVENT_KEYS, set(EVENT_KEYS) - set(e)
    assert_uuid(e["id"])
    assert_time(e["start_time"])
    assert_time(e["end_time"])
    assert e["status"] in ("upcoming", "live", "ended", "cancelled")
    return e


def create_event(user, start_in=3600, length=3600, **body):
    now = time.time()
    body.setdefault("title", "Film night")
    body.setdefault("start_time", iso(now + start_in))
    body.setdefault("end_time", iso(now + start_in + length))
    r = user.post("/api/events/", json=body)
    assert r.status_code == 201, r.text
    return assert_event(r.json())


def get_event(user, event):
    r = user.get(event_path(event))
    assert r.status_code == 200, r.text
    return assert_event(r.json())


def join(user, event):
    return user.post(event_path(event, "join/"))


def attendees(user, event, **query):
    r = user.get(event_path(event, "attendees/"), params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def listed_ids(user, **query):
    r = user.get("/api/events/", params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return [e["id"] for e in r.json()["results"]]


def wait_for(fn, timeout=15, step=0.2):
    """Polls fn until it returns something truthy; returns it (asserts it came)."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > deadline:
            assert v, "timed out"
            return v
        time.sleep(step)
