"""Every module wired to the notifications service (docs/api.md,
"Notifications"): social (friend request, accepted), parties (invitation,
scheduled start, join request to the host and moderators, @mention in
chat), videos (@mention in a comment, a reply to my comment, likes on my
video grouped into one row) and groups (invitation)."""
import time

import pytest

from group_helpers import create_group, group_path
from helpers import register
from notification_helpers import notifications, results, wait_notification
from party_helpers import MEDIA_URL, create_party, in_future, join, member_action, party_path, post_chat
from social_helpers import accept, send_request


def video_of(owner, public=True):
    r = owner.post("/api/videos/", json={"title": "Clip", "external_url": "https://media.example.com/a.mp4",
                                         "is_public": public})
    assert r.status_code == 201, r.text
    return r.json()


def test_friend_request_and_accepted(server):
    ana, bob = register(server), register(server)
    assert send_request(ana, bob).status_code == 201
    n = wait_notification(bob, "friend_request")
    assert n["data"]["actor_id"] == ana.id and n["url"] == "/friends"
    assert accept(bob, ana).status_code == 200
    n = wait_notification(ana, "friend_accepted")
    assert n["title"] == f"{bob.username} accepted your friend request"
    assert n["url"] == f"/users/{bob.id}"


def test_party_invitation(server):
    host, guest = register(server), register(server)
    party = create_party(host, title="Film night", media_url=MEDIA_URL)
    assert host.post(party_path(party, "invite/"), json={"user_ids": [guest.id]}).status_code in (200, 201)
    n = wait_notification(guest, "party_invitation")
    assert n["title"] == f"{host.username} invited you to a party" and n["message"] == "Film night"
    assert n["data"]["party_id"] == party["id"] and n["url"] == f"/parties/{party['id']}"


def test_party_join_request_reaches_the_host_and_moderators(server):
    host, mod, member, guest = (register(server) for _ in range(4))
    party = create_party(host, settings={"require_approval": True}, media_url=MEDIA_URL)
    assert host.post(party_path(party, "invite/"), json={"user_ids": [mod.id, member.id]}).status_code in (200, 201)
    for u in (mod, member):
        inv = wait_notification(u, "party_invitation")
        r = u.get("/api/parties/invitations/")
        inv_id = next(i["id"] for i in r.json()["results"] if i["party"]["id"] == party["id"])
        assert u.post(f"/api/parties/invitations/{inv_id}/accept/").status_code == 200, inv
    assert member_action(host, party, mod, "promote").status_code == 200
    assert join(guest, party).status_code == 202
    for u in (host, mod):
        n = wait_notification(u, "party_join_request")
        assert n["data"]["actor_id"] == guest.id and n["title"] == f"{guest.username} asks to join {party['title']}"
    assert results(member, type="party_join_request") == []


def test_mention_in_party_chat_reaches_members_only(server):
    host, friend, outsider = register(server), register(server), register(server)
    party = create_party(host, media_url=MEDIA_URL)
    assert join(friend, party).status_code == 200
    r = post_chat(host, party, f"hello @{friend.username.upper()} and @{outsider.username}!")
    n = wait_notification(friend, "mention")
    assert n["data"]["party_id"] == party["id"] and "hello" in n["message"] and n["url"] == f"/parties/{party['id']}"
    assert results(outsider, type="mention") == []
    assert results(host, type="mention") == []


def test_mention_in_a_video_comment_and_a_reply_to_my_comment(server):
    owner, ana, bob, cat = (register(server) for _ in range(4))
    v = video_of(owner)
    r = ana.post(f"/api/videos/{v['id']}/comments/", json={"content": "first!"})
    assert r.status_code == 201, r.text
    parent = r.json()["id"]
    r = bob.post(f"/api/videos/{v['id']}/comments/", json={"content": f"agreed, @{cat.username}", "parent_id": parent})
    assert r.status_code == 201, r.text
    reply = wait_notification(ana, "comment_reply")
    assert reply["title"] == f"{bob.username} replied to your comment" and reply["url"] == f"/videos/{v['id']}"
    mention = wait_notification(cat, "mention")
    assert mention["message"] == f"agreed, @{cat.username}" and mention["data"]["video_id"] == v["id"]
    # A private video's comment mentions nobody who may not see it.
    private = video_of(owner, public=False)
    r = owner.post(f"/api/videos/{private['id']}/comments/", json={"content": f"@{cat.username} look"})
    assert r.status_code == 201, r.text
    assert len(results(cat, type="mention")) == 1


def test_likes_on_my_video_group_into_one_notification(server):
    owner = register(server)
    v = video_of(owner)
    fans = [register(server) for _ in range(4)]
    for f in fans:
        r = f.post(f"/api/videos/{v['id']}/like/", json={"is_like": True})
        assert r.status_code == 200, r.text
    # Taking a like back tells nobody.
    assert fans[0].post(f"/api/videos/{v['id']}/like/", json={"is_like": True}).status_code == 200
    n = wait_notification(owner, "video_like", lambda n: n["group_count"] == 4)
    assert n["title"] == f"{fans[-1].username} and 3 others liked your video Clip", n
    # By type: the first video also unlocks an achievement.
    assert len(results(owner, type="video_like")) == 1
    assert notifications(owner, type="video_like", unread="true")["count"] == 1


def test_group_invitation(server):
    admin, guest = register(server), register(server)
    group = create_group(admin, name="Club " + admin.username)
    assert admin.post(group_path(group, "invite/"), json={"user_id": guest.id}).status_code == 201
    n = wait_notification(guest, "group_invitation")
    assert n["data"]["group_id"] == group["id"] and n["url"] == f"/groups/{group['id']}"
    assert group["name"] in n["title"]


@pytest.mark.parametrize("workers", ["true", "false"])
def test_party_starting_reaches_members_and_invitees_once(make_server, workers):
    # Every serve scans for party starts, also one that leaves the outbox to `watchparty worker`.
    server = make_server(args=["--notification-party-start-lead-s", "2", "--notification-worker-poll-ms", "100",
                               "--run-workers-in-serve", workers])
    host, member, invitee = register(server), register(server), register(server)
    party = create_party(host, title="Premiere", scheduled_start=in_future(4), media_url=MEDIA_URL)
    assert party["status"] == "scheduled", party
    assert join(member, party).status_code == 200
    assert host.post(party_path(party, "invite/"), json={"user_ids": [invitee.id]}).status_code in (200, 201)
    for u in (member, invitee):
        n = wait_notification(u, "party_starting", timeout=10)
        assert n["title"] == "A party is starting: Premiere" and n["url"] == f"/parties/{party['id']}"
    assert results(host, type="party_starting") == []
    time.sleep(1)
    assert len(results(member, type="party_starting")) == 1
