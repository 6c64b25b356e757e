"""The delta sync (POST /api/mobile/sync/), on SQLite and PostgreSQL: an app that syncs, goes offline
while 500 changes of every type happen (deletions and changes in one millisecond among them) and syncs
again in pages to exactly the server's state; offline pushes with conflicts, applied to the modules that
own the data; a resume after a cut; limits."""
import random
import uuid

from helpers import assert_envelope, assert_field_errors, register, uniq
from message_helpers import direct, group, send
from mobile_helpers import (TYPES, App, batch, conversation_ids, device, make_video, notification_ids, sync,
                            wait_until, watch_positions)
from notification_helpers import friend_request_from
from social_helpers import befriend, unfriend

FAKE_VIDEO_IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(4)]


def server_state(user, install):
    """The server's state as a new install sees it: a full sync from nothing."""
    device(user, install)
    app = App(user, install)
    app.sync(page_size=500)
    return app.state


def friend_ids(user):
    r = user.get("/api/social/friends/?page_size=100")
    assert r.status_code == 200, r.text
    return {u["id"] for u in r.json()["results"]}


class World:
    """Alice's world while her phone is offline: what the other modules hold for her, changed at random."""

    def __init__(self, server, alice, rnd):
        self.alice, self.rnd = alice, rnd
        self.others = [register(server) for _ in range(8)]
        self.videos = [make_video(self.others[0]) for _ in range(10)]
        self.chats = [direct(o, alice)["id"] for o in self.others[:3]]
        self.sent = {c: [] for c in self.chats}  # messages the others sent, per conversation
        self.groups = []
        self.friends = set()
        self.bio = ""

    def offline_batch(self):
        """The tablet's offline changes: settings (some deleted), progress (some on videos that do not
        exist), read marks of real notifications and messages (and one that does not exist)."""
        rnd = self.rnd
        settings = [{"key": f"k{rnd.randrange(30)}", "value": None if rnd.random() < 0.2 else rnd.randrange(1000)}
                    for _ in range(10)]
        progress = [{"video_id": rnd.choice(self.videos + FAKE_VIDEO_IDS), "position_s": rnd.randrange(3600)}
                    for _ in range(6)]
        notes = sorted(notification_ids(self.alice))
        marks = [{"kind": "notification", "id": rnd.choice(notes)} for _ in range(min(3, len(notes)))]
        marks.append({"kind": "notification", "id": str(uuid.uuid4())})
        for chat in rnd.sample(self.chats, 2):
            if self.sent[chat]:
                marks.append({"kind": "conversation", "id": chat, "message_id": rnd.choice(self.sent[chat])})
        return batch(settings=settings, watch_progress=progress, read_marks=marks)

    def toggle_download(self):
        video = self.rnd.choice(self.videos)
        listed = {d["video_id"] for d in self.alice.get("/api/mobile/downloads/").json()["results"]}
        if video in listed:
            assert self.alice.delete(f"/api/mobile/downloads/{video}/").status_code == 204
        else:
            assert self.alice.request("PUT", f"/api/mobile/downloads/{video}/", json={"quality": "720p"}).status_code == 200

    def toggle_friend(self):
        other = self.rnd.choice(self.others)
        if other.id in self.friends:
            assert unfriend(self.alice, other).status_code == 200
            self.friends.discard(other.id)
        else:
            befriend(other, self.alice)  # alice receives the request: a notification
            self.friends.add(other.id)

    def talk(self):
        """A message to alice, and now and then a group made or left (a conversation gone: a tombstone)."""
        rnd = self.rnd
        chat = rnd.choice(self.chats)
        sender = self.others[self.chats.index(chat)]
        self.sent[chat].append(send(sender, chat, uniq("msg"))["id"])
        if self.groups and rnd.random() < 0.3:
            gone = self.groups.pop(rnd.randrange(len(self.groups)))
            assert self.alice.post(f"/api/conversations/{gone}/leave/").status_code in (200, 204)
        elif rnd.random() < 0.4:
            self.groups.append(group(rnd.choice(self.others[:3]), [self.alice, rnd.choice(self.others[3:])])["id"])

    def watch_elsewhere(self):
        video = self.rnd.choice(self.videos)
        r = self.alice.post(f"/api/videos/{video}/progress/",
                            json={"position": self.rnd.randrange(3600), "duration_watched": 5})
        assert r.status_code == 200, r.text

    def edit_profile(self):
        self.bio = uniq("bio")
        assert self.alice.patch("/api/users/me/profile/", json={"bio": self.bio}).status_code == 200

    def tidy_notifications(self):
        notes = sorted(notification_ids(self.alice))
        if len(notes) > 2:
            assert self.alice.delete(f"/api/notifications/{self.rnd.choice(notes)}/").status_code == 200
            assert self.alice.post(f"/api/notifications/{self.rnd.choice(notes[1:])}/read/").status_code in (200, 404)


def test_an_app_offline_during_500_changes_syncs_back_to_the_servers_state(server):
    alice = register(server)
    world = World(server, alice, random.Random(21))
    device(alice, "phone")
    device(alice, "tablet")
    app = App(alice, "phone")
    app.sync()
    changes = 0
    while changes < 500:
        pushed = world.offline_batch()
        sync(alice, "tablet", push=pushed)  # its items are written in one transaction: one millisecond
        changes += len(pushed["settings"]) + len(pushed["watch_progress"]) + len(pushed["read_marks"])
        for step in (world.toggle_download, world.toggle_download, world.toggle_friend, world.talk,
                     world.watch_elsewhere, world.edit_profile, world.tidy_notifications):
            step()
            changes += 1
    assert friend_ids(alice) == world.friends
    positions = watch_positions(alice)
    expected = None

    # Friends and REST watch progress are recorded after the fact (in order, on the pool): wait for them.
    def caught_up():
        nonlocal expected
        probe = App(alice, "phone")
        probe.cursors, probe.state = dict(app.cursors), {t: dict(s) for t, s in app.state.items()}
        probe.sync(page_size=100)
        expected = probe
        return (set(probe.state["friends"]) == world.friends
                and {v: w["position_s"] for v, w in probe.state["watch_history"].items()} == positions)

    assert wait_until(caught_up, every=1.0), (expected.state["friends"], expected.state["watch_history"], positions)
    pages = app.pages
    app.sync(page_size=20)
    assert app.pages - pages > 4  # the catch-up came in several pages
    # Notices of messages are made after the send: the state may still move; sync until it holds still.
    for attempt in range(5):
        truth = server_state(alice, f"fresh-install-{attempt}")
        if all(app.state[t] == truth[t] for t in TYPES):
            break
        app.sync(page_size=20)
    for t in TYPES:
        assert app.state[t] == truth[t], t
    assert all(app.state[t] for t in TYPES), {t: len(app.state[t]) for t in TYPES}  # every type has records
    # ... and that state is the modules' own.
    assert set(app.state["friends"]) == world.friends
    assert {v: w["position_s"] for v, w in app.state["watch_history"].items()} == watch_positions(alice)
    assert set(app.state["notifications"]) == notification_ids(alice)
    assert set(app.state["conversations"]) == conversation_ids(alice) and len(app.state["conversations"]) >= 3
    assert app.state["profile"][alice.id]["profile"]["bio"] == world.bio
    downloads = {d["video_id"] for d in alice.get("/api/mobile/downloads/").json()["results"]}
    assert set(app.state["downloads"]) == downloads
    settings = {s["key"]: s["value"] for s in alice.get("/api/mobile/settings/").json()["results"]}
    assert {k: v["value"] for k, v in app.state["settings"].items()} == settings
    syncs = alice.get("/api/mobile/syncs/").json()["results"]
    phone = [d for d in alice.get("/api/mobile/devices/").json()["results"] if d["device_id"] == "phone"][0]
    last = [s for s in syncs if s["device"] == phone["id"]][0]
    assert last["status"] == "completed" and last["sync_type"] == "delta"


def test_offline_pushes_apply_to_the_modules_by_the_documented_rules(server):
    alice, bob = register(server), register(server)
    device(alice, "phone")
    device(alice, "web", platform="web")
    video, hidden = make_video(bob), make_video(bob, public=False)
    note = friend_request_from(bob, alice)
    chat = direct(bob, alice)["id"]
    m1, m2, m3 = (send(bob, chat, f"m{i}") for i in range(3))
    # The web changes a setting, watches further and reads the conversation; then the phone,
    # offline since, pushes older changes.
    sync(alice, "web", push=batch(settings=[{"key": "theme", "value": "light"}],
                                  watch_progress=[{"video_id": video, "position_s": 900, "duration_s": 3600}],
                                  read_marks=[{"kind": "conversation", "id": chat, "message_id": m3["id"]}]))
    types = ["settings", "watch_history", "read_marks", "notifications", "conversations"]
    answer = sync(alice, "phone", cursors={t: None for t in types},
                  push=batch(settings=[{"key": "theme", "value": "dark"}],
                             watch_progress=[{"video_id": video, "position_s": 300},
                                             {"video_id": hidden, "position_s": 5}],
                             read_marks=[{"kind": "notification", "id": note["id"]},
                                         {"kind": "notification", "id": str(uuid.uuid4())},
                                         {"kind": "conversation", "id": chat, "message_id": m1["id"]}]))
    assert answer["push"]["settings"]["applied"] == 1
    assert answer["push"]["watch_progress"] == {"applied": 0, "kept": 1, "refused": 1}
    assert answer["push"]["read_marks"] == {"applied": 1, "already_read": 1, "refused": 1}
    ch = answer["changes"]
    # Settings: the last received wins.
    assert [u["data"]["value"] for u in ch["settings"]["upserts"]] == ["dark"]
    # Progress: the videos module's watch time keeps the furthest, and the feed carries it.
    assert watch_positions(alice) == {video: 900}
    assert [(u["id"], u["data"]["position_s"]) for u in ch["watch_history"]["upserts"]] == [(video, 900)]
    # Read marks: the notification is read in its module; the conversation stays read up to m3.
    assert alice.get(f"/api/notifications/{note['id']}/").json()["is_read"] is True
    assert [u["data"]["is_read"] for u in ch["notifications"]["upserts"] if u["id"] == note["id"]] == [True]
    [conv] = [u["data"] for u in ch["conversations"]["upserts"] if u["id"] == chat]
    assert conv["unread_count"] == 0
    assert [m["last_read_seq"] for m in conv["members"] if m["id"] == alice.id] == [m3["seq"]]
    assert sorted(u["id"] for u in ch["read_marks"]["upserts"]) == sorted(
        [f"conversation:{chat}:{m3['id']}", f"conversation:{chat}:{m1['id']}", f"notification:{note['id']}"])
    # Further on: applied, and the next sync of the phone hears it from the videos module.
    cursors = {t: ch[t]["cursor"] for t in types}
    later = sync(alice, "phone", cursors=cursors, push=batch(watch_progress=[{"video_id": video, "position_s": 1200}]))
    assert later["push"]["watch_progress"] == {"applied": 1, "kept": 0, "refused": 0}
    assert watch_positions(alice) == {video: 1200}
    assert [u["data"]["position_s"] for u in later["changes"]["watch_history"]["upserts"]] == [1200]


def test_a_batch_is_applied_once(server):
    alice = register(server)
    device(alice)
    pushed = batch(settings=[{"key": "volume", "value": 3}])
    first = sync(alice, push=pushed)
    assert first["push"]["duplicate"] is False
    sync(alice, push=batch(settings=[{"key": "volume", "value": 7}]))
    again = sync(alice, push=pushed)
    assert again["push"]["duplicate"] is True and again["push"]["settings"] == first["push"]["settings"]
    settings = alice.get("/api/mobile/settings/").json()["results"]
    assert [s["value"] for s in settings] == [7]


def test_a_cut_mid_sync_resumes_from_the_last_acknowledged_page(server):
    alice = register(server)
    device(alice)
    sync(alice, push=batch(settings=[{"key": f"k{i:02d}", "value": i} for i in range(25)]))
    first = sync(alice, cursors={"settings": None}, page_size=10)
    acked = first["changes"]["settings"]["cursor"]
    sync_id = first["sync"]["id"]
    lost = sync(alice, cursors={"settings": acked}, page_size=10, sync_id=sync_id)  # never reaches the app
    resumed = sync(alice, cursors={"settings": acked}, page_size=10, sync_id=sync_id)
    assert resumed["changes"]["settings"]["upserts"] == lost["changes"]["settings"]["upserts"]
    assert resumed["sync"]["id"] == sync_id and resumed["sync"]["retry_count"] == 1
    last = sync(alice, cursors={"settings": resumed["changes"]["settings"]["cursor"]}, page_size=10, sync_id=sync_id)
    assert not last["has_more"] and len(last["changes"]["settings"]["upserts"]) == 5
    assert last["sync"]["status"] == "completed" and last["sync"]["records_count"] == 35
    assert last["sync"]["pages"] == 4 and last["sync"]["duration_ms"] is not None


def test_cursors_are_signed_and_requests_are_checked(server):
    alice, bob = register(server), register(server)
    device(alice)
    device(bob)
    cursor = sync(alice, cursors={"settings": None})["changes"]["settings"]["cursor"]
    assert_field_errors(bob.post("/api/mobile/sync/", json={"device_id": "phone", "cursors": {"settings": cursor}}),
                        "cursors.settings")
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert_field_errors(alice.post("/api/mobile/sync/", json={"device_id": "phone", "cursors": {"settings": tampered}}),
                        "cursors.settings")
    assert_field_errors(alice.post("/api/mobile/sync/", json={"device_id": "phone", "cursors": {"nope": None}}),
                        "cursors")
    assert_field_errors(alice.post("/api/mobile/sync/", json={"device_id": "phone", "cursors": {"settings": None},
                                                              "page_size": 100000}), "page_size")
    r = alice.post("/api/mobile/sync/", json={"device_id": "unknown", "cursors": {"settings": None}})
    assert_envelope(r, 404, "RESOURCE_NOT_FOUND")
    r = alice.post("/api/mobile/sync/", json={"device_id": "phone", "push": {
        "batch_id": "b", "read_marks": [{"kind": "poke", "id": "1"}], "watch_progress": [{"position_s": -1}]}})
    assert_field_errors(r, "push.read_marks[0].kind", "push.watch_progress[0].video_id",
                        "push.watch_progress[0].position_s")
    assert_envelope(server.post("/api/mobile/sync/", json={}), 401, "AUTHENTICATION_REQUIRED")


def test_the_example_client_runs_the_protocol_end_to_end(server, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT
    alice, bob = register(server), register(server)
    video = make_video(bob)
    note = friend_request_from(bob, alice)
    state = tmp_path / "state.json"
    cmd = [sys.executable, f"{ROOT}/examples/mobile_sync.py", "--server", server.url, "--username", alice.username,
           "--password", alice.password, "--state", str(state), "--page-size", "5", "--video", video,
           "--position", "120"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "completed" in first.stdout, first.stdout
    for line in ("settings: 1 records", "watch_history: 1 records", "notifications: 1 records", "profile: 1 records"):
        assert line in first.stdout, first.stdout
    # The second run reads offline what the first received, and is no further in the video.
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and '"duplicate": false' in second.stdout, second.stdout + second.stderr
    assert '"watch_progress": {"applied": 0, "kept": 1, "refused": 0}' in second.stdout, second.stdout
    assert '"read_marks": {"applied": 1, "already_read": 0, "refused": 0}' in second.stdout, second.stdout
    assert alice.get(f"/api/notifications/{note['id']}/").json()["is_read"] is True
