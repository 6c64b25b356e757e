"""Parties and videos together: which videos a party may play, who may then
watch a private one, and the watch time a party session records."""
import asyncio
import os
import sqlite3
import subprocess
import time

from helpers import register
from party_helpers import connect, create_party_req, in_thread, join, party_path, run
from video_helpers import make_clip, upload_ready, vserver  # noqa: F401 - fixture


def test_party_members_may_watch_the_private_video_it_plays(vserver):
    owner, member, outsider = register(vserver), register(vserver), register(vserver)
    video = upload_ready(vserver, owner, make_clip(duration=2), is_public=False)
    stream = f"/api/videos/{video['id']}/stream/"
    assert member.get(stream).status_code == 404

    r = create_party_req(owner, video_id=video["id"], media_url=None)
    assert r.status_code == 201, r.text
    party = r.json()
    assert party["video"]["id"] == video["id"]
    assert join(member, party).status_code == 200

    assert member.get(stream).status_code == 200
    assert member.get(f"/api/videos/{video['id']}/hls/master.m3u8").status_code == 200
    assert outsider.get(stream).status_code == 404
    # Leaving the party ends the permission.
    assert member.post(party_path(party, "leave/")).status_code == 200
    assert member.get(stream).status_code == 404


def test_a_party_cannot_play_someone_elses_private_video(vserver):
    owner, other = register(vserver), register(vserver)
    video = upload_ready(vserver, owner, make_clip(duration=2), is_public=False)
    r = create_party_req(other, video_id=video["id"], media_url=None)
    assert r.status_code == 400, r.text
    assert "video_id" in r.json()["errors"]
    public = upload_ready(vserver, owner, make_clip(duration=2))
    assert create_party_req(other, video_id=public["id"], media_url=None).status_code == 201


def test_only_members_tag_watch_time_with_the_party(vserver):
    owner, pending, rejected, withdrawn = (register(vserver) for _ in range(4))
    video = upload_ready(vserver, owner, make_clip(duration=2))
    r = create_party_req(owner, video_id=video["id"], media_url=None, settings={"require_approval": True})
    assert r.status_code == 201, r.text
    party = r.json()
    for u in (pending, rejected, withdrawn):
        assert join(u, party).status_code == 202
    assert owner.post(party_path(party, f"participants/{rejected.id}/reject/")).status_code == 200
    assert withdrawn.post(party_path(party, "leave/")).status_code == 200

    def progress(user):
        return user.post(f"/api/videos/{video['id']}/progress/", json={"position": 1.0, "party_id": party["id"]})

    assert progress(owner).status_code == 200
    for u in (pending, rejected, withdrawn):
        r = progress(u)
        assert r.status_code == 400 and "party_id" in r.json()["errors"], r.text


def watch_row(server, user_id, video_id):
    """(buffering_events, last_position, party_id) of the user's watch_times row, read from the database
    (the videos API has no read-only route for it: POST progress/ would change it)."""
    sql = ("SELECT buffering_events, last_position, party_id FROM watch_times "
           f"WHERE user_id = '{user_id}' AND video_id = '{video_id}'")
    if server.backend == "sqlite":
        with sqlite3.connect(os.path.join(server.data_dir, "watchparty.db")) as db:
            return db.execute(sql).fetchone()
    out = subprocess.run(["psql", "-At", "-F", "|", server.database_url, "-c", sql], check=True, capture_output=True,
                         text=True).stdout.strip()
    if not out:
        return None
    b, pos, party = out.split("|")
    return int(b), float(pos), party


def test_party_sessions_feed_watch_time(vserver):
    owner, member = register(vserver), register(vserver)
    video = upload_ready(vserver, owner, make_clip(duration=6))
    r = create_party_req(owner, video_id=video["id"], media_url=None)
    assert r.status_code == 201, r.text
    party = r.json()
    assert watch_row(vserver, member.id, video["id"]) is None

    async def go():
        h = await connect(vserver, party, owner, name="host")
        m = await connect(vserver, party, member, name="member")
        mk = m.mark()
        await h.control("play", position=1.0)
        await m.wait_for("playback_state", lambda x: x["playback"]["status"] == "playing", start=mk)
        await m.send({"type": "buffering", "position": 1.0})
        await m.wait_for("playback_state", lambda x: x["playback"]["status"] == "waiting", start=mk)
        await h.control("pause", position=2.5)
        await m.wait_for("playback_state", lambda x: x["playback"]["status"] == "paused", start=mk)
        # The pause records the member's watch on a blocking thread: poll, as for the position below.
        deadline = time.monotonic() + 5
        while True:
            row = await in_thread(watch_row, vserver, member.id, video["id"])
            if row is not None and row[0] >= 1:
                break
            assert time.monotonic() < deadline, f"the buffering event was never recorded: {row}"
            await asyncio.sleep(0.1)
        assert row[0] == 1, row
        await m.close()
        deadline = time.monotonic() + 5
        while True:
            row = await in_thread(watch_row, vserver, member.id, video["id"])
            if row and abs(row[1] - 2.5) < 1e-6:
                break
            assert time.monotonic() < deadline, f"the member's party position was never recorded: {row}"
            await asyncio.sleep(0.1)
        assert row[0] == 1 and row[2] == party["id"], row
        await h.close()

    run(go())
    # Leaving over REST records the position too (the party is paused at 2.5).
    assert join(member, party).status_code == 200
    assert member.post(party_path(party, "leave/")).status_code == 200
    row = watch_row(vserver, member.id, video["id"])
    assert row[0] == 1 and abs(row[1] - 2.5) < 1e-6, row
