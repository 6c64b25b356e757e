"""Shared steps of the mobile tests: a device, a sync to the end, an app's local state, and the
records of the other modules the sync carries (videos, notifications, conversations)."""
import time
import uuid

from helpers import uniq

TYPES = ["profile", "friends", "conversations", "notifications", "watch_history", "downloads", "settings",
         "read_marks"]


def device(user, install="phone", status=(200, 201), **extra):
    body = {"device_id": install, "platform": "android", "model": "Pixel", "os_version": "14",
            "app_version": "1.0.0", **extra}
    r = user.post("/api/mobile/devices/", json=body)
    assert r.status_code in ((status,) if isinstance(status, int) else status), r.text
    return r.json()


def sync(user, install="phone", cursors=None, push=None, page_size=None, sync_id=None, status=200):
    body = {"device_id": install, "cursors": cursors or {}}
    if push is not None:
        body["push"] = push
    if page_size is not None:
        body["page_size"] = page_size
    if sync_id is not None:
        body["sync_id"] = sync_id
    r = user.post("/api/mobile/sync/", json=body)
    assert r.status_code == status, r.text
    return r.json()


class App:
    """What the app keeps: its cursors and its copy of each type, page after page."""

    def __init__(self, user, install="phone", types=TYPES):
        self.user, self.install = user, install
        self.cursors = {t: None for t in types}
        self.state = {t: {} for t in types}
        self.pages = 0

    def apply(self, answer):
        for t, page in answer["changes"].items():
            for u in page["upserts"]:
                self.state[t][u["id"]] = u["data"]
            for d in page["deletes"]:
                self.state[t].pop(d["id"], None)
            self.cursors[t] = page["cursor"]
        self.pages += 1

    def sync(self, page_size=None, push=None):
        """Syncs to the end; returns the sync row of the last page."""
        answer = sync(self.user, self.install, dict(self.cursors), push=push, page_size=page_size)
        self.apply(answer)
        sync_id = answer["sync"]["id"]
        for _ in range(10000):
            if not answer["has_more"]:
                return answer["sync"]
            answer = sync(self.user, self.install, dict(self.cursors), page_size=page_size, sync_id=sync_id)
            self.apply(answer)
        raise AssertionError("the sync never ended")


def batch(**lists):
    return {"batch_id": str(uuid.uuid4()), **lists}


def wait_until(check, timeout=15, every=0.1):
    end = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > end:
            return value
        time.sleep(every)


def make_video(owner, public=True):
    r = owner.post("/api/videos/", json={"title": "Clip " + uniq(), "external_url": "https://media.example.com/a.mp4",
                                         "is_public": public})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def watch_positions(user):
    """The videos module's watch time outside parties: video -> position."""
    r = user.get("/api/videos/watch-time/", params={"page_size": 100})
    assert r.status_code == 200, r.text
    return {w["video_id"]: w["last_position"] for w in r.json()["results"] if w["party_id"] is None}


def notification_ids(user):
    r = user.get("/api/notifications/", params={"page_size": 100})
    assert r.status_code == 200, r.text
    return {n["id"] for n in r.json()["results"]}


def conversation_ids(user):
    r = user.get("/api/conversations/", params={"limit": 50})
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["results"]}
