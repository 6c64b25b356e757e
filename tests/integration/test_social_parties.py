"""The social graph in the parties module, on SQLite and PostgreSQL: `friends`
parties (list, detail, join, socket connect), and blocks (participant lists,
invitations)."""
from helpers import assert_envelope, register
from party_helpers import MEDIA_URL, WS, close_code_of, create_party, run, ws_url
from social_helpers import befriend, block, ok, unblock


def listed(user, party):
    r = ok(user.get("/api/parties/?page_size=100"), 200)
    return party["id"] in [p["id"] for p in r["results"]]


def test_a_friends_party_is_for_the_hosts_friends(server):
    host, friend, stranger, staff_friend_of_friend = (register(server) for _ in range(4))
    befriend(host, friend)
    befriend(friend, staff_friend_of_friend)  # a friend of a friend is not the host's friend
    party = create_party(host, visibility="friends", media_url=MEDIA_URL)
    assert party["visibility"] == "friends"
    # list and detail
    assert listed(friend, party) and listed(host, party)
    assert not listed(stranger, party) and not listed(staff_friend_of_friend, party)
    assert ok(friend.get(f"/api/parties/{party['id']}/"), 200)["id"] == party["id"]
    assert_envelope(stranger.get(f"/api/parties/{party['id']}/"), 404, "RESOURCE_NOT_FOUND")
    assert not any(p["id"] == party["id"] for p in ok(stranger.get("/api/parties/public/"), 200)["results"])
    # socket connect: a friend comes in, a stranger is refused
    async def sockets():
        assert await close_code_of(ws_url(server, party, stranger.access)) == 4003
        ws = await WS.open(ws_url(server, party, friend.access))
        try:
            await ws.wait_for("party_state")
        finally:
            await ws.close()
    run(sockets())
    # join
    assert_envelope(stranger.post(f"/api/parties/{party['id']}/join/"), 404, "RESOURCE_NOT_FOUND")
    ok(friend.post(f"/api/parties/{party['id']}/join/"), 200)
    # An invitation still lets a non-friend in.
    ok(host.post(f"/api/parties/{party['id']}/invite/", json={"user_ids": [stranger.id]}), 200)
    assert ok(stranger.get(f"/api/parties/{party['id']}/"), 200)["id"] == party["id"]


def test_an_unknown_visibility_lists_friends(server):
    host = register(server)
    r = host.post("/api/parties/", json={"title": "x", "media_url": MEDIA_URL, "visibility": "secret"})
    body = assert_envelope(r, 400, "VALIDATION_ERROR")
    assert "friends" in body["errors"]["visibility"][0]


def test_a_block_hides_participants_and_stops_invitations(server):
    host, a, b = register(server), register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL)
    for u in (a, b):
        ok(u.post(f"/api/parties/{party['id']}/join/"), 200)

    def participant_ids(viewer):
        r = ok(viewer.get(f"/api/parties/{party['id']}/participants/"), 200)
        return {p["user"]["id"] for p in r["results"]}

    assert participant_ids(a) == {host.id, a.id, b.id}
    ok(block(b, a), 201)
    # both ways
    assert participant_ids(a) == {host.id, a.id}
    assert participant_ids(b) == {host.id, b.id}
    assert participant_ids(host) == {host.id, a.id, b.id}
    # invitations between the pair, either way, as if the user did not exist
    other = create_party(a, media_url=MEDIA_URL)
    r = a.post(f"/api/parties/{other['id']}/invite/", json={"user_ids": [b.id]})
    assert "user_ids" in assert_envelope(r, 400, "VALIDATION_ERROR")["errors"]
    mine = create_party(b, media_url=MEDIA_URL)
    r = b.post(f"/api/parties/{mine['id']}/invite/", json={"user_ids": [a.id]})
    assert "user_ids" in assert_envelope(r, 400, "VALIDATION_ERROR")["errors"]
    ok(host.post(f"/api/parties/{other['id']}/join/"), 200)
    ok(unblock(b, a), 200)
    assert ok(a.post(f"/api/parties/{other['id']}/invite/", json={"user_ids": [b.id]}), 200)
    assert participant_ids(a) == {host.id, a.id, b.id}
