"""The sync's feeds of what other modules own (docs/api.md, "Delta sync"), on SQLite and PostgreSQL:
changes made through those modules' own routes reach the app's next delta sync, deletions as
tombstones, and a first sync brings what was there before the device."""
from helpers import register
from message_helpers import direct, group, send
from mobile_helpers import App, device, make_video, wait_until
from notification_helpers import friend_request_from


def test_changes_made_elsewhere_reach_the_next_delta_sync_with_tombstones(server):
    alice, bob, carol = register(server), register(server), register(server)
    video = make_video(bob)
    chat = direct(bob, alice)["id"]  # before the device: a first sync brings it
    device(alice)
    app = App(alice)
    app.sync()
    assert chat in app.state["conversations"] and alice.id in app.state["profile"]
    assert app.state["watch_history"] == {} and app.state["notifications"] == {}

    r = alice.post(f"/api/videos/{video}/progress/", json={"position": 42, "duration_watched": 10})
    assert r.status_code == 200, r.text
    note = friend_request_from(bob, alice)
    send(bob, chat, "hi")
    room = group(bob, [alice, carol])["id"]
    assert alice.patch("/api/users/me/profile/", json={"bio": "on the train"}).status_code == 200

    # Watch progress is recorded from the videos module's event, after the answer: wait for it.
    def heard():
        app.sync()
        return video in app.state["watch_history"]

    assert wait_until(heard, every=0.5)
    assert app.state["watch_history"][video]["position_s"] == 42
    assert app.state["notifications"][note["id"]]["is_read"] is False
    assert app.state["conversations"][chat]["unread_count"] == 1
    assert room in app.state["conversations"]
    assert app.state["profile"][alice.id]["profile"]["bio"] == "on the train"

    # Read and deleted elsewhere: an upsert and tombstones.
    assert alice.post(f"/api/notifications/{note['id']}/read/").status_code == 200
    assert alice.post(f"/api/conversations/{room}/leave/").status_code in (200, 204)
    assert bob.delete(f"/api/videos/{video}/").status_code in (200, 204)
    answer = App(alice)
    answer.cursors = dict(app.cursors)
    answer.sync()
    assert answer.state["notifications"][note["id"]]["is_read"] is True
    app.sync()
    assert app.state["notifications"][note["id"]]["is_read"] is True
    assert room not in app.state["conversations"] and chat in app.state["conversations"]
    assert alice.delete(f"/api/notifications/{note['id']}/").status_code == 200
    app.sync()
    assert note["id"] not in app.state["notifications"]
    # A deleted video takes its watch time with it; a sync from the beginning leaves it out.
    fresh = App(alice)
    fresh.sync()
    assert video not in fresh.state["watch_history"]


def test_each_user_syncs_only_their_own_records(server):
    alice, bob = register(server), register(server)
    video = make_video(bob)
    device(alice)
    device(bob)
    r = bob.post(f"/api/videos/{video}/progress/", json={"position": 77, "duration_watched": 10})
    assert r.status_code == 200, r.text
    theirs = App(bob)
    assert wait_until(lambda: (theirs.sync(), video in theirs.state["watch_history"])[1], every=0.5)
    mine = App(alice)
    mine.sync()
    assert mine.state["watch_history"] == {}
    assert list(mine.state["profile"]) == [alice.id]
