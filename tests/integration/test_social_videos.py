"""`friends` videos, on SQLite and PostgreSQL: the uploader's friends may list,
see and stream them; others (anonymous included) get 404."""
from helpers import assert_envelope, register
from social_helpers import befriend, block, ok


def external(owner, **fields):
    r = owner.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4", **fields})
    return ok(r, 201)


def listed(server, user, video):
    r = (user or server).get("/api/videos/?page_size=100", **({} if user else {}))
    assert r.status_code == 200, r.text
    return video["id"] in [v["id"] for v in r.json()["results"]]


def test_a_friends_video_is_for_the_uploaders_friends(server):
    owner, friend, stranger = register(server), register(server), register(server)
    befriend(owner, friend)
    video = external(owner, visibility="friends")
    assert video["visibility"] == "friends" and video["is_public"] is False
    path = f"/api/videos/{video['id']}/"
    # list
    assert listed(server, owner, video) and listed(server, friend, video)
    assert not listed(server, stranger, video) and not listed(server, None, video)
    # detail
    assert ok(friend.get(path), 200)["id"] == video["id"]
    assert_envelope(stranger.get(path), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(server.get(path), 404, "RESOURCE_NOT_FOUND")
    # stream (an external video redirects to its source)
    assert friend.get(path + "stream/", allow_redirects=False).status_code == 302
    assert_envelope(stranger.get(path + "stream/", allow_redirects=False), 404, "RESOURCE_NOT_FOUND")
    # a block ends the friendship, and with it the access
    ok(block(friend, owner), 201)
    assert_envelope(friend.get(path), 404, "RESOURCE_NOT_FOUND")
    assert not listed(server, friend, video)


def test_visibility_and_is_public_agree(server):
    owner = register(server)
    v = external(owner, is_public=False)
    assert v["visibility"] == "private"
    r = ok(owner.patch(f"/api/videos/{v['id']}/", json={"visibility": "public"}), 200)
    assert r["visibility"] == "public" and r["is_public"] is True
    r = ok(owner.patch(f"/api/videos/{v['id']}/", json={"is_public": False}), 200)
    assert r["visibility"] == "private"
    r = ok(owner.patch(f"/api/videos/{v['id']}/", json={"visibility": "friends"}), 200)
    assert r["visibility"] == "friends" and r["is_public"] is False
    body = assert_envelope(owner.patch(f"/api/videos/{v['id']}/", json={"visibility": "secret"}), 400,
                           "VALIDATION_ERROR")
    assert "friends" in body["errors"]["visibility"][0]
