"""Parties and videos together: which videos a party may play, and who may
then watch a private one."""
from helpers import register
from party_helpers import create_party_req, join, party_path
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
