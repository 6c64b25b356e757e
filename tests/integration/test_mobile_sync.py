"""The delta sync (POST /api/mobile/sync/), on SQLite and PostgreSQL: an app that syncs, goes offline
while 500 changes of every type happen (deletions and changes in one millisecond among them) and syncs
again in pages to exactly the server's state; offline pushes with conflicts; a resume after a cut; limits."""
import random

from helpers import assert_envelope, assert_field_errors, register
from mobile_helpers import TYPES, App, batch, device, sync, wait_until
from social_helpers import befriend, unfriend

VIDEO_IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(40)]


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


def test_an_app_offline_during_500_changes_syncs_back_to_the_servers_state(server):
    rnd = random.Random(21)
    alice = register(server)
    others = [register(server) for _ in range(8)]
    device(alice, "phone")
    device(alice, "tablet")
    app = App(alice, "phone")
    app.sync()
    changes = 0
    friends = set()
    # 500 changes while the phone is offline: the tablet pushes settings (deleting some),
    # progress and read marks, the downloads list grows and shrinks, friendships come and go.
    while changes < 500:
        settings = [{"key": f"k{rnd.randrange(30)}", "value": None if rnd.random() < 0.2 else rnd.randrange(1000)}
                    for _ in range(12)]
        progress = [{"video_id": rnd.choice(VIDEO_IDS), "position_s": rnd.randrange(3600), "duration_s": 3600}
                    for _ in range(8)]
        marks = [{"kind": "notification", "id": f"n{rnd.randrange(200)}"} for _ in range(8)]
        sync(alice, "tablet", push=batch(settings=settings, watch_progress=progress, read_marks=marks))
        changes += len(settings) + len(progress) + len(marks)
        for _ in range(6):
            video = rnd.choice(VIDEO_IDS)
            listed = {d["video_id"] for d in alice.get("/api/mobile/downloads/").json()["results"]}
            if video in listed:
                assert alice.delete(f"/api/mobile/downloads/{video}/").status_code == 204
            else:
                assert alice.request("PUT", f"/api/mobile/downloads/{video}/", json={"quality": "720p"}).status_code == 200
            changes += 1
        other = rnd.choice(others)
        if other.id in friends:
            assert unfriend(alice, other).status_code == 200
            friends.discard(other.id)
        else:
            befriend(alice, other)
            friends.add(other.id)
        changes += 1
    # The friends feed is recorded after the fact (in order, on the pool): wait for it.
    assert friend_ids(alice) == friends
    expected = None

    def caught_up():
        nonlocal expected
        probe = App(alice, "phone")
        probe.cursors, probe.state = dict(app.cursors), {t: dict(s) for t, s in app.state.items()}
        probe.sync(page_size=37)
        expected = probe
        return set(probe.state["friends"]) == friends

    assert wait_until(caught_up, every=1.0), (set(expected.state["friends"]), friends)
    app.sync(page_size=37)
    assert app.pages > 4  # the catch-up came in several pages
    truth = server_state(alice, "fresh-install")
    for t in TYPES:
        assert app.state[t] == truth[t], t
    assert set(app.state["friends"]) == friends
    downloads = {d["video_id"] for d in alice.get("/api/mobile/downloads/").json()["results"]}
    assert set(app.state["downloads"]) == downloads
    settings = {s["key"]: s["value"] for s in alice.get("/api/mobile/settings/").json()["results"]}
    assert {k: v["value"] for k, v in app.state["settings"].items()} == settings
    syncs = alice.get("/api/mobile/syncs/").json()["results"]
    last = [s for s in syncs if s["device"] == alice.get("/api/mobile/devices/").json()["results"][0]["id"]][0]
    assert last["status"] == "completed" and last["sync_type"] == "delta" and last["records_count"] > 0


def test_offline_pushes_resolve_conflicts_by_the_documented_rules(server):
    alice = register(server)
    device(alice, "phone")
    device(alice, "web", platform="web")
    # The web changes a setting and watches further; then the phone, offline since, pushes older changes.
    sync(alice, "web", push=batch(settings=[{"key": "theme", "value": "light"}],
                                  watch_progress=[{"video_id": VIDEO_IDS[0], "position_s": 900, "duration_s": 3600}],
                                  read_marks=[{"kind": "message", "id": "m1"}]))
    answer = sync(alice, "phone", cursors={"settings": None, "watch_history": None, "read_marks": None},
                  push=batch(settings=[{"key": "theme", "value": "dark"}],
                             watch_progress=[{"video_id": VIDEO_IDS[0], "position_s": 300, "duration_s": 3600}],
                             read_marks=[{"kind": "message", "id": "m2"}, {"kind": "message", "id": "m1"}]))
    assert answer["push"]["settings"]["applied"] == 1
    assert answer["push"]["watch_progress"] == {"applied": 0, "kept": 1}
    assert answer["push"]["read_marks"] == {"applied": 1, "already_read": 1}
    ch = answer["changes"]
    # Settings: the last received wins. Progress: the furthest. Read marks: both.
    assert [u["data"]["value"] for u in ch["settings"]["upserts"]] == ["dark"]
    assert ch["watch_history"]["upserts"][0]["data"]["position_s"] == 900
    assert sorted(u["id"] for u in ch["read_marks"]["upserts"]) == ["message:m1", "message:m2"]


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
    alice = register(server)
    state = tmp_path / "state.json"
    cmd = [sys.executable, f"{ROOT}/examples/mobile_sync.py", "--server", server.url, "--username", alice.username,
           "--password", alice.password, "--state", str(state), "--page-size", "5"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "completed" in first.stdout and "settings: 1 records" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and '"duplicate": false' in second.stdout, second.stdout + second.stderr
