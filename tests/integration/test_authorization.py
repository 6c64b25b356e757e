"""Who may do what, one row per route and resource, on both databases.

Each row names a route, how to make the resource it acts on (owned by
"owner"), and the status each caller gets: anonymous, another user, the
owner, staff (is_staff, not superuser), and a user the owner blocked (the
social graph: a block applies both ways; unless a row says otherwise the
blocked user gets what another user gets). Every caller acts on a fresh
resource, so a DELETE by the owner does not change what staff gets. A new
module adds its rows here (docs/architecture.md, "Adding a module").

A resource maker takes the owner, or the owner and the caller (None when
anonymous) for resources that link the two (a friend request from the owner
to the caller); the block, for the blocked caller, comes after it. A JSON
body's text values may name the resource's ids ("{user}").
"""
import inspect
import re

import pytest

from conftest import server_or_two_nodes as server  # noqa: F401  (each backend, and two nodes)
from event_helpers import create_event, event_path, iso
from group_helpers import create_group, group_path
from helpers import make_staff_member, register, uniq
from party_helpers import MEDIA_URL, create_party
from push_helpers import BrowserKeys


# ---------------------------------------------------------------- resources, all owned by `owner`

def video(owner, public=True):
    r = owner.post("/api/videos/", json={"title": "Clip " + uniq(), "external_url": "https://media.example.com/a.mp4",
                                         "is_public": public})
    assert r.status_code == 201, r.text
    return {"video": r.json()["id"]}


def private_video(owner):
    return video(owner, public=False)


def comment(owner):
    ids = video(owner)
    r = owner.post(f"/api/videos/{ids['video']}/comments/", json={"content": "mine"})
    assert r.status_code == 201, r.text
    return {**ids, "comment": r.json()["id"]}


def party(owner, visibility="public"):
    return {"party": create_party(owner, visibility=visibility, media_url=MEDIA_URL)["id"]}


def private_party(owner):
    return party(owner, visibility="private")


def someone_else(owner):
    return {"user": register(owner.server).id}


def owner_self(owner):
    return {"user": owner.id}


def nothing(owner):
    return {}


def no_credit_note(owner):
    """An id no credit note has (billing #18: real ones need the fake provider, see test_billing_credit_notes.py)."""
    return {"credit_note": "00000000-0000-4000-8000-000000000000"}


# ---------------------------------------------------------------- social resources: the owner and the caller

def _linked(step):
    """A maker that links owner and caller with step(owner, caller); nothing for anonymous or the owner."""
    def make(owner, caller):
        if caller is not None and caller.id != owner.id:
            step(owner, caller)
        return {"user": owner.id}
    make.__name__ = step.__name__
    return make


def _ok(r):
    assert r.status_code in (200, 201), r.text


@_linked
def owner_asked_caller(owner, caller):
    _ok(owner.post("/api/social/friend-requests/", json={"user_id": caller.id}))


@_linked
def caller_asked_owner(owner, caller):
    _ok(caller.post("/api/social/friend-requests/", json={"user_id": owner.id}))


@_linked
def friends_with_caller(owner, caller):
    _ok(owner.post("/api/social/friend-requests/", json={"user_id": caller.id}))
    _ok(caller.post(f"/api/social/friend-requests/{owner.id}/accept/"))


@_linked
def caller_follows_owner(owner, caller):
    _ok(caller.post("/api/social/follows/", json={"user_id": owner.id}))


@_linked
def owner_asked_to_follow_caller(owner, caller):
    _ok(caller.patch("/api/users/me/profile/", json={"privacy_settings": {"profile_visibility": "private"}}))
    _ok(owner.post("/api/social/follows/", json={"user_id": caller.id}))


@_linked
def caller_blocked_owner(owner, caller):
    _ok(caller.post("/api/social/blocks/", json={"user_id": owner.id}))


def party_caller_joined(owner, caller):
    """A public party of the owner's that the caller (if any) joined."""
    ids = party(owner)
    if caller is not None and caller.id != owner.id:
        _ok(caller.post(f"/api/parties/{ids['party']}/join/"))
    return {**ids, "user": owner.id}


# ---- party polls (issue #17)
def party_poll(owner):
    """A public party of the owner's with an open poll."""
    ids = party(owner)
    r = owner.post(f"/api/parties/{ids['party']}/polls/", json={"question": "Which?", "options": ["a", "b"]})
    assert r.status_code == 201, r.text
    return {**ids, "poll": r.json()["id"], "option": r.json()["options"][0]["id"]}


def party_poll_caller_joined(owner, caller):
    """party_poll, which the caller (if any) joined."""
    ids = party_poll(owner)
    if caller is not None and caller.id != owner.id:
        _ok(caller.post(f"/api/parties/{ids['party']}/join/"))
    return ids


def private_party_poll(owner):
    ids = private_party(owner)
    r = owner.post(f"/api/parties/{ids['party']}/polls/", json={"question": "Which?", "options": ["a", "b"]})
    assert r.status_code == 201, r.text
    return {**ids, "poll": r.json()["id"]}
# ---- end party polls


def friends_party(owner):
    return party(owner, visibility="friends")


def friends_video(owner):
    r = owner.post("/api/videos/", json={"title": "Clip " + uniq(), "external_url": "https://media.example.com/a.mp4",
                                         "visibility": "friends"})
    assert r.status_code == 201, r.text
    return {"video": r.json()["id"]}
# groups: the owner is the group's admin (its creator)
def group(owner, is_private=False):
    return {"group": create_group(owner, is_private=is_private)["id"]}


def private_group(owner):
    return group(owner, is_private=True)


def group_with(status_setup):
    def make(owner):
        ids = group(owner, is_private=True)
        other = register(owner.server)
        status_setup(owner, ids["group"], other)
        return {**ids, "user": other.id}
    return make


def _member(owner, gid, user):
    assert owner.post(group_path(gid, "invite/"), json={"user_id": user.id}).status_code == 201
    assert user.post(group_path(gid, "invitation/accept/")).status_code == 200


def _moderator(owner, gid, user):
    _member(owner, gid, user)
    assert owner.post(group_path(gid, f"members/{user.id}/promote/")).status_code == 200


def _requester(owner, gid, user):
    assert user.post(group_path(gid, "join/")).status_code == 202


def _banned(owner, gid, user):
    assert owner.post(group_path(gid, f"members/{user.id}/ban/")).status_code == 200


group_with_member = group_with(_member)
group_with_moderator = group_with(_moderator)
group_with_request = group_with(_requester)
group_with_banned = group_with(_banned)


# messaging (#14): the owner is a member (a group's owner); nobody else, staff included, sees a conversation
def _conv_ok(r):
    assert r.status_code in (200, 201), r.text
    return r.json()


def _conversation_ids(owner, conv, caller=None):
    """Its ids; "user" is a member other than the owner and, where possible, the caller."""
    m = _conv_ok(owner.post(f"/api/conversations/{conv['id']}/messages/", json={"client_id": uniq(), "body": "hi"}))
    others = [x["id"] for x in conv["members"] if x["id"] != owner.id]
    member = next((x for x in others if caller is None or x != caller.id), others[0])
    return {"conversation": conv["id"], "message": m["id"], "user": member}


def group_conversation(owner):
    others = [register(owner.server).id for _ in range(2)]
    return _conversation_ids(owner, _conv_ok(owner.post("/api/conversations/groups/",
                                                        json={"title": "g", "member_ids": others})))


def group_conversation_with_caller(owner, caller):
    """The owner's group, with the caller (if any, and not the owner) as a plain member."""
    others = [register(owner.server).id for _ in range(2)]
    if caller is not None and caller.id != owner.id:
        others[0] = caller.id
    return _conversation_ids(owner, _conv_ok(owner.post("/api/conversations/groups/",
                                                        json={"title": "g", "member_ids": others})), caller)


def direct_with_caller(owner, caller):
    """The owner's direct conversation with the caller (someone else for anonymous and the owner)."""
    other = caller if caller is not None and caller.id != owner.id else register(owner.server)
    return _conversation_ids(owner, _conv_ok(owner.post("/api/conversations/direct/", json={"user_id": other.id})))


def conversation_attachment(owner):
    ids = group_conversation(owner)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
           b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00"
           b"\x00IEND\xaeB`\x82")
    att = _conv_ok(owner.post("/api/conversations/attachments/", files={"file": ("one.png", png, "image/png")}))
    _conv_ok(owner.post(f"/api/conversations/{ids['conversation']}/messages/",
                        json={"client_id": uniq(), "body": "", "attachment_ids": [att["id"]]}))
    return {**ids, "attachment": att["id"]}
# ---- events (#16): the owner organizes the event
def event(owner, is_public=True):
    return {"event": create_event(owner, is_public=is_public)["id"]}


def private_event(owner):
    return event(owner, is_public=False)


def event_with_request(owner):
    ids = {"event": create_event(owner, require_approval=True)["id"]}
    asker = register(owner.server)
    assert asker.post(event_path(ids["event"], "join/")).status_code == 202
    return {**ids, "user": asker.id}


def event_caller_joined(owner, caller):
    ids = event(owner)
    if caller is not None and caller.id != owner.id:
        _ok(caller.post(event_path(ids["event"], "join/")))
    return ids


def event_caller_invited(owner, caller):
    ids = event(owner)
    if caller is not None and caller.id != owner.id:
        assert owner.post(event_path(ids["event"], "invite/"), json={"user_id": caller.id}).status_code == 201
    return ids


def calendar_feed(owner):
    return {"feed": owner.get("/api/events/calendar/").json()["token"] + ".ics"}


def event_body(server):
    import time
    return {"title": "An event", "start_time": iso(time.time() + 3600), "end_time": iso(time.time() + 7200)}
# ---- end events
# push (#15): the owner's subscription, device token and push row. The
# endpoint refuses connections, so the push stays in its retries.
def _push_subscription_body(server=None):
    return BrowserKeys().subscription("https://127.0.0.1:9/wpush/" + uniq())


def push_subscription(owner):
    r = owner.post("/api/push/subscriptions/", json=_push_subscription_body())
    assert r.status_code == 201, r.text
    return {"subscription": r.json()["id"]}


def push_device(owner):
    r = owner.post("/api/push/devices/", json={"token": uniq("fcm"), "platform": "android"})
    assert r.status_code == 201, r.text
    return {"device": r.json()["id"]}


def push_row(owner):
    ids = push_subscription(owner)
    assert owner.post("/api/push/test/").status_code == 202
    return {**ids, "push": owner.get("/api/push/notifications/").json()["results"][0]["id"]}
# ---------------------------------------------------------------- notifications (#15)

def notification(owner):
    """A notification of the owner's: someone's friend request."""
    sender = register(owner.server)
    r = sender.post("/api/social/friend-requests/", json={"user_id": owner.id})
    assert r.status_code == 201, r.text
    found = owner.get("/api/notifications/").json()["results"]
    assert found, "the friend request made no notification"
    return {"notification": found[0]["id"]}


def broadcast(owner):
    """A broadcast made by a staff member to the owner's followers (none)."""
    staff = make_staff_member(owner.server)
    r = staff.post("/api/admin/notifications/broadcasts/", json={"title": "t", "message": "m",
                                                                 "audience": "followers", "user_id": owner.id})
    assert r.status_code == 202, r.text
    return {"broadcast": r.json()["id"]}


# ---- support (#19): the owner's ticket, files, feedback; FAQ entries by a staff member
def _support_ok(r, status=201):
    assert r.status_code == status, r.text
    return r.json()


def ticket(owner):
    return {"ticket": _support_ok(owner.post("/api/support/tickets/", json={
        "subject": "Help", "description": "Please", "category": "technical"}))["id"]}


def resolved_ticket(owner):
    ids = ticket(owner)
    staff = make_staff_member(owner.server)
    _support_ok(staff.patch(f"/api/support/tickets/{ids['ticket']}/", json={"status": "resolved"}), 200)
    return ids


def support_file(owner):
    r = owner.post("/api/support/attachments/", files={"file": ("a.txt", b"some words\n", "text/plain")})
    return {"file": _support_ok(r)["id"]}


def ticket_note_file(owner):
    """A file on a staff member's internal note on the owner's ticket."""
    ids = ticket(owner)
    staff = make_staff_member(owner.server)
    f = _support_ok(staff.post("/api/support/attachments/", files={"file": ("n.txt", b"note\n", "text/plain")}))
    _support_ok(staff.post(f"/api/support/tickets/{ids['ticket']}/replies/",
                           json={"content": "note", "is_internal": True, "attachment_ids": [f["id"]]}))
    return {**ids, "file": f["id"]}


def faq_entry(owner, published=True):
    staff = make_staff_member(owner.server)
    return {"faq": _support_ok(staff.post("/api/support/faq/", json={
        "category": "general", "question": "Q?", "answer": "A.", "is_published": published}))["id"]}


def draft_faq(owner):
    return faq_entry(owner, published=False)


def feedback(owner):
    return {"feedback": _support_ok(owner.post("/api/support/feedback/", json={"rating": 3}))["id"]}
# ---- end support
# ---------------------------------------------------------------- admin (#19)

def admin_broadcast(owner):
    """A staff broadcast (sockets only, no notification)."""
    staff = make_staff_member(owner.server)
    r = staff.post("/api/admin/broadcast/", json={"message": "m", "notify": False})
    assert r.status_code == 202, r.text
    return {"admin_broadcast": r.json()["id"]}


def unknown_error_group(owner):
    return {"signature": "0000000000000000"}


def metric_series(owner):
    return {"name": "http_requests_per_s"}


# ---------------------------------------------------------------- the matrix
# (method, path, make resource, JSON body or a function of the server giving it, {caller: status})

# ---- moderation (#19)
def report_by_owner(owner):
    r = owner.post("/api/moderation/reports/", json={"content_type": "user", "object_id": register(owner.server).id,
                                                     "report_type": "spam"})
    assert r.status_code == 201, r.text
    return {"report": r.json()["id"]}


def queued_comment(owner):
    return {**comment(owner), "ctype": "video_comment"}
# ---- end moderation


# ---- search (#22)
def search_shown_to_owner(owner):
    """A search of the owner's that showed the owner's video: only its asker may record a click on it."""
    ids = video(owner)
    title = owner.get(f"/api/videos/{ids['video']}/").json()["title"]
    r = owner.get("/api/search/", params={"q": title, "type": "video"})
    assert r.status_code == 200 and r.json()["results"], r.text
    return {**ids, "query": r.json()["query_id"]}


def saved_search(owner):
    r = owner.post("/api/search/saved/", json={"name": "Saved " + uniq(), "q": "cats", "alert": True})
    assert r.status_code == 201, r.text
    return {"saved": r.json()["id"]}
# ---- end search
# ---- store (#18): items are staff's; a purchase and what it granted are the buyer's
def store_item(owner):
    staff = make_staff_member(owner.server)
    r = staff.post("/api/store/items/", json={"kind": "badge", "name": "Free " + uniq(), "price": 0})
    assert r.status_code == 201, r.text
    return {"item": r.json()["id"]}


def store_purchase(owner):
    ids = store_item(owner)
    r = owner.post(f"/api/store/items/{ids['item']}/purchase/")
    assert r.status_code == 201, r.text
    return {**ids, "purchase": r.json()["id"]}
# ---- end store


# ---- mobile (#21): devices, downloads and syncs are their owner's (404 to others)
def mobile_device(owner):
    r = owner.post("/api/mobile/devices/", json={"device_id": uniq("install"), "platform": "android"})
    assert r.status_code == 201, r.text
    return {"mobile_device": r.json()["id"]}


def mobile_download(owner):
    ids = video(owner)
    r = owner.request("PUT", f"/api/mobile/downloads/{ids['video']}/", json={})
    assert r.status_code == 200, r.text
    return ids


CRASH = {"platform": "android", "app_version": "1.0.0", "stack_trace": "E\n at a.b(C.java:1)"}


def crash_group(owner):
    r = owner.post("/api/mobile/crashes/", json=CRASH)
    assert r.status_code == 201, r.text
    return {"crash_group": r.json()["group_id"]}
# ---- end mobile


def row(method, path, make, body, anonymous, other, owner, staff, blocked=None):
    return pytest.param(method, path, make, body, {"anonymous": anonymous, "other": other, "owner": owner,
                                                   "staff": staff, "blocked": other if blocked is None else blocked},
                        id=f"{method} {path} {make.__name__}")


ROWS = [
    # accounts: a user's own things have no "other"; staff routes refuse everyone else
    row("GET", "/api/auth/profile/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/auth/sessions/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/auth/login-history/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/users/me/profile/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/users/{user}/", owner_self, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/users/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/admin/users/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/admin/users/{user}/deactivate/", someone_else, None, 401, 403, 403, 200),
    row("POST", "/api/admin/users/{user}/activate/", someone_else, None, 401, 403, 403, 200),
    # change-email acts on the caller's own account: any user gets past access (then 400: not their password)
    row("POST", "/api/auth/change-email/", nothing, {"new_email": "fresh@example.com", "password": "not theirs"},
        401, 400, 400, 400),
    # videos: public ones are readable by anyone; private ones only by the uploader and staff
    row("GET", "/api/videos/{video}/", video, None, 200, 200, 200, 200),
    row("GET", "/api/videos/{video}/", private_video, None, 404, 404, 200, 200),
    row("GET", "/api/videos/{video}/processing-status/", private_video, None, 404, 404, 200, 200),
    row("GET", "/api/videos/{video}/comments/", private_video, None, 404, 404, 200, 200),
    row("PATCH", "/api/videos/{video}/", video, {"title": "New"}, 401, 403, 200, 200),
    row("PATCH", "/api/videos/{video}/", private_video, {"title": "New"}, 401, 404, 200, 200),
    row("DELETE", "/api/videos/{video}/", video, None, 401, 403, 204, 204),
    row("POST", "/api/videos/{video}/like/", video, {"is_like": True}, 401, 200, 200, 200),
    row("POST", "/api/videos/{video}/like/", private_video, {"is_like": True}, 401, 404, 200, 200),
    row("GET", "/api/videos/{video}/my-reactions/", video, None, 401, 200, 200, 200),
    row("GET", "/api/videos/{video}/my-reactions/", private_video, None, 401, 404, 200, 200),
    row("POST", "/api/videos/{video}/comments/", video, {"content": "hi"}, 401, 201, 201, 201),
    row("POST", "/api/videos/{video}/comments/", private_video, {"content": "hi"}, 401, 404, 201, 201),
    row("PATCH", "/api/videos/{video}/comments/{comment}/", comment, {"content": "edited"}, 401, 403, 200, 403),
    row("DELETE", "/api/videos/{video}/comments/{comment}/", comment, None, 401, 403, 204, 204),
    row("POST", "/api/videos/{video}/comments/{comment}/like/", comment, None, 401, 200, 200, 200),
    # parties: private ones are invisible to strangers; members-only reads; host-only lifecycle
    row("GET", "/api/parties/public/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/parties/{party}/", party, None, 401, 200, 200, 200),
    row("GET", "/api/parties/{party}/", private_party, None, 401, 404, 200, 200),
    row("PATCH", "/api/parties/{party}/", party, {"title": "Renamed"}, 401, 403, 200, 403),
    row("DELETE", "/api/parties/{party}/", party, None, 401, 403, 200, 200),
    row("POST", "/api/parties/{party}/end/", party, None, 401, 403, 200, 200),
    row("POST", "/api/parties/{party}/join/", party, None, 401, 200, 200, 200),
    # staff see a private party but join it only when invited, like anyone
    row("POST", "/api/parties/{party}/join/", private_party, None, 401, 404, 200, 403),
    row("GET", "/api/parties/{party}/participants/", party, None, 401, 403, 200, 200),
    row("GET", "/api/parties/{party}/participants/?status=pending", party, None, 401, 403, 200, 200),
    row("GET", "/api/parties/{party}/chat/", party, None, 401, 403, 200, 403),
    row("POST", "/api/parties/{party}/chat/", party, {"content": "hello"}, 401, 403, 201, 403),
    row("GET", "/api/parties/{party}/sync_state/", party, None, 401, 403, 200, 403),
    row("POST", "/api/parties/{party}/invite/", party, lambda server: {"user_ids": [register(server).id]},
        401, 403, 200, 403),
    row("POST", "/api/parties/{party}/report/", party, {"reason": "spam"}, 401, 403, 201, 403),
    # a member invites the host: nothing to do (200), unless the host blocked them (no such user: 400)
    row("POST", "/api/parties/{party}/invite/", party_caller_joined, {"user_ids": ["{user}"]}, 401, 200, 200, 200,
        blocked=400),
    # friends visibility: strangers, and a blocked user (no longer a friend), see nothing
    row("GET", "/api/parties/{party}/", friends_party, None, 401, 404, 200, 200),
    row("POST", "/api/parties/{party}/join/", friends_party, None, 401, 404, 200, 403),
    # ---- party polls (issue #17): members see and vote (a block changes neither), the host and moderators
    # create and close; staff are no members
    row("GET", "/api/parties/{party}/polls/", party_poll, None, 401, 403, 200, 403),
    row("GET", "/api/parties/{party}/polls/", party_poll_caller_joined, None, 401, 200, 200, 200),
    row("GET", "/api/parties/{party}/polls/", private_party_poll, None, 401, 404, 200, 403),
    row("POST", "/api/parties/{party}/polls/", party, {"question": "Which?", "options": ["a", "b"]},
        401, 403, 201, 403),
    row("POST", "/api/parties/{party}/polls/", party_caller_joined, {"question": "Which?", "options": ["a", "b"]},
        401, 403, 201, 403),
    row("POST", "/api/parties/{party}/polls/{poll}/vote/", party_poll, {"option_ids": ["{option}"]},
        401, 403, 200, 403),
    row("POST", "/api/parties/{party}/polls/{poll}/vote/", party_poll_caller_joined, {"option_ids": ["{option}"]},
        401, 200, 200, 200),
    row("POST", "/api/parties/{party}/polls/{poll}/close/", party_poll_caller_joined, None, 401, 403, 200, 403),
    # ---- end party polls
    # ---- voice chat and screen share (issue #17): members see the call and the share history; joining
    # needs the party socket (409 without one, for every member); the rest needs being in the call (403)
    row("GET", "/api/parties/{party}/call/", party, None, 401, 403, 200, 403),
    row("GET", "/api/parties/{party}/call/", party_caller_joined, None, 401, 200, 200, 200),
    row("GET", "/api/parties/{party}/call/", private_party, None, 401, 404, 200, 403),
    row("POST", "/api/parties/{party}/call/join/", party, None, 401, 403, 409, 403),
    row("POST", "/api/parties/{party}/call/join/", party_caller_joined, None, 401, 409, 409, 409),
    row("POST", "/api/parties/{party}/call/leave/", party, None, 401, 403, 200, 403),
    row("PATCH", "/api/parties/{party}/call/me/", party_caller_joined, {"muted": True}, 401, 403, 403, 403),
    row("POST", "/api/parties/{party}/call/members/{user}/server-mute/", party_caller_joined, {"muted": True},
        401, 403, 403, 403),
    row("GET", "/api/parties/{party}/call/ice-servers/", party_caller_joined, None, 401, 403, 403, 403),
    row("GET", "/api/parties/{party}/call/shares/", party, None, 401, 403, 200, 403),
    row("GET", "/api/parties/{party}/call/shares/", party_caller_joined, None, 401, 200, 200, 200),
    row("POST", "/api/parties/{party}/call/shares/", party_caller_joined, {"kind": "screen"}, 401, 403, 403, 403),
    # ---- end voice chat and screen share
    row("GET", "/api/videos/{video}/", friends_video, None, 404, 404, 200, 200),
    row("GET", "/api/videos/{video}/stream/", friends_video, None, 404, 404, 302, 302),
    # social graph: the owner is the other side of the pair
    row("GET", "/api/social/friends/", nothing, None, 401, 200, 200, 200),
    row("DELETE", "/api/social/friends/{user}/", friends_with_caller, None, 401, 200, 404, 200, blocked=404),
    row("GET", "/api/social/friend-requests/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/social/friend-requests/", owner_self, {"user_id": "{user}"}, 401, 201, 400, 201, blocked=404),
    row("POST", "/api/social/friend-requests/{user}/accept/", owner_asked_caller, None, 401, 200, 404, 200,
        blocked=404),
    row("POST", "/api/social/friend-requests/{user}/decline/", owner_asked_caller, None, 401, 200, 404, 200,
        blocked=404),
    row("DELETE", "/api/social/friend-requests/{user}/", caller_asked_owner, None, 401, 200, 404, 200, blocked=404),
    row("GET", "/api/social/suggestions/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/social/users/{user}/", owner_self, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/social/users/{user}/mutual-friends/", owner_self, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/social/users/{user}/followers/", owner_self, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/social/users/{user}/followers/?status=pending", owner_self, None, 401, 403, 200, 200,
        blocked=404),
    row("GET", "/api/social/users/{user}/following/", owner_self, None, 401, 200, 200, 200, blocked=404),
    row("POST", "/api/social/follows/", owner_self, {"user_id": "{user}"}, 401, 201, 400, 201, blocked=404),
    row("DELETE", "/api/social/follows/{user}/", caller_follows_owner, None, 401, 200, 404, 200, blocked=404),
    row("POST", "/api/social/followers/{user}/approve/", owner_asked_to_follow_caller, None, 401, 200, 404, 200,
        blocked=404),
    row("POST", "/api/social/followers/{user}/reject/", owner_asked_to_follow_caller, None, 401, 200, 404, 200,
        blocked=404),
    row("GET", "/api/social/blocks/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/social/blocks/", owner_self, {"user_id": "{user}"}, 401, 201, 400, 201),
    row("DELETE", "/api/social/blocks/{user}/", caller_blocked_owner, None, 401, 200, 404, 200),
    # groups: any user sees a group's row; a private group's members and parties are for members;
    # the admin (owner) and staff manage; "other" is a stranger to the group
    row("GET", "/api/groups/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/groups/", nothing, lambda server: {"name": uniq("group")}, 401, 201, 201, 201),
    row("GET", "/api/groups/mine/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/groups/invitations/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/groups/{group}/", group, None, 401, 200, 200, 200),
    row("GET", "/api/groups/{group}/", private_group, None, 401, 200, 200, 200),
    row("PATCH", "/api/groups/{group}/", group, {"description": "New"}, 401, 403, 200, 200),
    row("DELETE", "/api/groups/{group}/", group, None, 401, 403, 200, 200),
    # the access check comes before the upload is read: a JSON body is 415 once allowed
    row("POST", "/api/groups/{group}/avatar/", group, None, 401, 403, 415, 415),
    row("GET", "/api/groups/{group}/avatar/", group, None, 404, 404, 404, 404),
    row("POST", "/api/groups/{group}/join/", group, None, 401, 200, 200, 200),
    row("POST", "/api/groups/{group}/join/", private_group, None, 401, 202, 200, 202),
    row("POST", "/api/groups/{group}/leave/", group, None, 401, 404, 409, 404),
    row("POST", "/api/groups/{group}/invite/", group, lambda server: {"user_id": register(server).id},
        401, 403, 201, 201),
    row("POST", "/api/groups/{group}/invitation/accept/", group, None, 401, 404, 404, 404),
    row("POST", "/api/groups/{group}/invitation/decline/", group, None, 401, 404, 404, 404),
    row("GET", "/api/groups/{group}/members/", group, None, 401, 200, 200, 200),
    row("GET", "/api/groups/{group}/members/", private_group, None, 401, 403, 200, 200),
    row("GET", "/api/groups/{group}/requests/", group_with_request, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/requests/{user}/approve/", group_with_request, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/requests/{user}/reject/", group_with_request, None, 401, 403, 200, 200),
    row("PATCH", "/api/groups/{group}/members/{user}/", group_with_member, {"permissions": {"invite": False}},
        401, 403, 200, 200),
    row("POST", "/api/groups/{group}/members/{user}/kick/", group_with_member, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/members/{user}/ban/", group_with_member, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/members/{user}/unban/", group_with_banned, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/members/{user}/promote/", group_with_member, None, 401, 403, 200, 200),
    row("POST", "/api/groups/{group}/members/{user}/demote/", group_with_moderator, None, 401, 403, 200, 200),
    row("GET", "/api/groups/{group}/parties/", group, None, 401, 200, 200, 200),
    row("GET", "/api/groups/{group}/parties/", private_group, None, 401, 403, 200, 200),
    # messaging (#14): strangers and staff get 404 for a conversation; a block stops writing in a direct one
    row("GET", "/api/conversations/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/conversations/direct/", owner_self, {"user_id": "{user}"}, 401, 201, 400, 201, blocked=403),
    row("POST", "/api/conversations/groups/", nothing,
        lambda server: {"title": "g", "member_ids": [register(server).id, register(server).id]}, 401, 201, 201, 201),
    row("GET", "/api/conversations/unread/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/conversations/settings/", nothing, None, 401, 200, 200, 200),
    row("PATCH", "/api/conversations/settings/", nothing, {"show_read_receipts": False}, 401, 200, 200, 200),
    # the access check comes before the upload is read: a JSON body is 415 once allowed
    row("POST", "/api/conversations/attachments/", nothing, None, 401, 415, 415, 415),
    row("GET", "/api/conversations/attachments/{attachment}/", conversation_attachment, None, 401, 404, 200, 404),
    row("GET", "/api/conversations/attachments/{attachment}/thumbnail/", conversation_attachment, None,
        401, 404, 200, 404),
    row("GET", "/api/conversations/{conversation}/", group_conversation, None, 401, 404, 200, 404),
    row("GET", "/api/conversations/{conversation}/", direct_with_caller, None, 401, 200, 200, 200),
    row("PATCH", "/api/conversations/{conversation}/", group_conversation, {"title": "x"}, 401, 404, 200, 404),
    row("PATCH", "/api/conversations/{conversation}/", group_conversation_with_caller, {"title": "x"},
        401, 403, 200, 403),
    row("POST", "/api/conversations/{conversation}/members/", group_conversation,
        lambda server: {"user_id": register(server).id}, 401, 404, 201, 404),
    row("DELETE", "/api/conversations/{conversation}/members/{user}/", group_conversation, None, 401, 404, 200, 404),
    row("DELETE", "/api/conversations/{conversation}/members/{user}/", group_conversation_with_caller, None,
        401, 403, 200, 403),
    row("POST", "/api/conversations/{conversation}/leave/", group_conversation, None, 401, 404, 200, 404),
    row("GET", "/api/conversations/{conversation}/messages/", group_conversation, None, 401, 404, 200, 404),
    row("POST", "/api/conversations/{conversation}/messages/", group_conversation, {"client_id": "c", "body": "hi"},
        401, 404, 201, 404),
    row("POST", "/api/conversations/{conversation}/messages/", direct_with_caller, {"client_id": "c", "body": "hi"},
        401, 201, 201, 201, blocked=403),
    row("PATCH", "/api/conversations/{conversation}/messages/{message}/", group_conversation, {"body": "e"},
        401, 404, 200, 404),
    row("PATCH", "/api/conversations/{conversation}/messages/{message}/", direct_with_caller, {"body": "e"},
        401, 403, 200, 403),
    row("DELETE", "/api/conversations/{conversation}/messages/{message}/", group_conversation, None,
        401, 404, 200, 404),
    row("DELETE", "/api/conversations/{conversation}/messages/{message}/", direct_with_caller, None,
        401, 403, 200, 403),
    row("POST", "/api/conversations/{conversation}/messages/{message}/reactions/", group_conversation,
        {"emoji": "\U0001F44D"}, 401, 404, 200, 404),
    row("POST", "/api/conversations/{conversation}/messages/{message}/reactions/", direct_with_caller,
        {"emoji": "\U0001F44D"}, 401, 200, 200, 200, blocked=403),
    row("POST", "/api/conversations/{conversation}/read/", group_conversation, {"message_id": "{message}"},
        401, 404, 200, 404),
    row("POST", "/api/conversations/{conversation}/read/", direct_with_caller, {"message_id": "{message}"},
        401, 200, 200, 200),
    # events (#16): a block hides the organizer's events (404); a private event is for its invitees and attendees
    row("GET", "/api/events/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/events/", nothing, event_body, 401, 201, 201, 201),
    row("GET", "/api/events/invitations/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/events/calendar/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/events/calendar/rotate/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/events/calendar/{feed}", calendar_feed, None, 200, 200, 200, 200),
    row("GET", "/api/events/{event}/", event, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/events/{event}/", private_event, None, 401, 404, 200, 200, blocked=404),
    row("PUT", "/api/events/{event}/", event, event_body, 401, 403, 200, 200, blocked=404),
    row("PATCH", "/api/events/{event}/", event, {"description": "New"}, 401, 403, 200, 200, blocked=404),
    row("DELETE", "/api/events/{event}/", event, None, 401, 403, 200, 200, blocked=404),
    row("POST", "/api/events/{event}/join/", event, None, 401, 200, 409, 200, blocked=404),
    row("POST", "/api/events/{event}/join/", private_event, None, 401, 404, 409, 403, blocked=404),
    row("POST", "/api/events/{event}/leave/", event_caller_joined, None, 401, 200, 404, 200, blocked=404),
    row("GET", "/api/events/{event}/attendees/", event, None, 401, 200, 200, 200, blocked=404),
    row("POST", "/api/events/{event}/attendees/{user}/approve/", event_with_request, None, 401, 403, 200, 200,
        blocked=404),
    row("POST", "/api/events/{event}/attendees/{user}/reject/", event_with_request, None, 401, 403, 200, 200,
        blocked=404),
    row("PATCH", "/api/events/{event}/preferences/", event_caller_joined, {"preferences": {"reminder_offsets": [30]}},
        401, 200, 404, 200, blocked=404),
    row("POST", "/api/events/{event}/invite/", event, lambda server: {"user_id": register(server).id},
        401, 403, 201, 201, blocked=404),
    # an invitation from a user who blocked you since is no invitation; declining one is always allowed
    row("POST", "/api/events/{event}/invitation/accept/", event_caller_invited, None, 401, 200, 404, 200,
        blocked=404),
    row("POST", "/api/events/{event}/invitation/decline/", event_caller_invited, None, 401, 200, 404, 200,
        blocked=200),
    row("POST", "/api/events/{event}/rsvp/", event, {"response": "maybe"}, 401, 200, 409, 200, blocked=404),
    row("GET", "/api/events/{event}/ical/", event, None, 401, 200, 200, 200, blocked=404),
    row("GET", "/api/events/{event}/ical/", private_event, None, 401, 404, 200, 200, blocked=404),
    # notifications (#15): one's own only (staff too get 404 for another's); the unsubscribe link needs no
    # login (a bad token: 400 for anyone); broadcasts are staff's
    row("GET", "/api/notifications/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/notifications/unread-count/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/notifications/read-all/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/notifications/types/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/notifications/preferences/", nothing, None, 401, 200, 200, 200),
    row("PATCH", "/api/notifications/preferences/", nothing, {"muted": False}, 401, 200, 200, 200),
    row("GET", "/api/notifications/{notification}/", notification, None, 401, 404, 200, 404),
    row("POST", "/api/notifications/{notification}/read/", notification, None, 401, 404, 200, 404),
    row("DELETE", "/api/notifications/{notification}/", notification, None, 401, 404, 200, 404),
    row("GET", "/api/notifications/unsubscribe/?token=bad.token", nothing, None, 400, 400, 400, 400),
    row("POST", "/api/notifications/unsubscribe/?token=bad.token", nothing, None, 400, 400, 400, 400),
    row("POST", "/api/admin/notifications/broadcasts/", owner_self,
        {"title": "t", "message": "m", "audience": "followers", "user_id": "{user}"}, 401, 403, 403, 202),
    row("GET", "/api/admin/notifications/broadcasts/{broadcast}/", broadcast, None, 401, 403, 403, 200),
    # user channel: a plain GET of the WebSocket route (the upgrade itself: test_user_channel.py)
    row("GET", "/ws/user/", nothing, None, 401, 400, 400, 400),
    # push (#15): the key is public; each user sees and changes only their own rows
    row("GET", "/api/push/vapid-public-key/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/push/subscriptions/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/push/subscriptions/", nothing, _push_subscription_body, 401, 201, 201, 201),
    row("DELETE", "/api/push/subscriptions/{subscription}/", push_subscription, None, 401, 404, 204, 404),
    row("GET", "/api/push/devices/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/push/devices/", nothing, lambda server: {"token": uniq("fcm"), "platform": "ios"},
        401, 201, 201, 201),
    row("DELETE", "/api/push/devices/{device}/", push_device, None, 401, 404, 204, 404),
    # the test push goes to the caller's own subscriptions: none for anyone but the owner
    row("POST", "/api/push/test/", push_subscription, None, 401, 409, 202, 409),
    row("GET", "/api/push/notifications/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/push/notifications/{push}/", push_row, None, 401, 404, 200, 404),
    # ---- support (#19): a ticket is its owner's and staff's (404 to others); staff-only fields and routes 403
    row("GET", "/api/support/tickets/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/support/tickets/", nothing, {"subject": "s", "description": "d", "category": "other"},
        401, 201, 201, 201),
    row("GET", "/api/support/tickets/{ticket}/", ticket, None, 401, 404, 200, 200),
    row("PATCH", "/api/support/tickets/{ticket}/", ticket, {"priority": "high"}, 401, 404, 403, 200),
    row("PATCH", "/api/support/tickets/{ticket}/", ticket, {"status": "closed"}, 401, 404, 200, 200),
    row("POST", "/api/support/tickets/{ticket}/close/", ticket, None, 401, 404, 200, 200),
    row("POST", "/api/support/tickets/{ticket}/reopen/", resolved_ticket, None, 401, 404, 200, 200),
    row("POST", "/api/support/tickets/{ticket}/assign/", ticket, {"assignee_id": None}, 401, 403, 403, 200),
    row("GET", "/api/support/tickets/{ticket}/replies/", ticket, None, 401, 404, 200, 200),
    row("POST", "/api/support/tickets/{ticket}/replies/", ticket, {"content": "hi"}, 401, 404, 201, 201),
    row("POST", "/api/support/tickets/{ticket}/replies/", ticket, {"content": "n", "is_internal": True},
        401, 404, 403, 201),
    row("GET", "/api/support/attachments/{file}/", support_file, None, 401, 404, 200, 200),
    row("GET", "/api/support/attachments/{file}/", ticket_note_file, None, 401, 404, 404, 200),
    row("GET", "/api/support/attachments/{file}/thumbnail/", support_file, None, 401, 404, 404, 404),
    row("GET", "/api/support/staff/tickets/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/support/staff/summary/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/support/faq/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/support/faq/categories/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/support/faq/{faq}/", faq_entry, None, 200, 200, 200, 200),
    row("GET", "/api/support/faq/{faq}/", draft_faq, None, 404, 404, 404, 200),
    row("POST", "/api/support/faq/", nothing, {"category": "c", "question": "q", "answer": "a"}, 401, 403, 403, 201),
    row("PATCH", "/api/support/faq/{faq}/", faq_entry, {"position": 2}, 401, 403, 403, 200),
    row("DELETE", "/api/support/faq/{faq}/", faq_entry, None, 401, 403, 403, 200),
    row("POST", "/api/support/faq/{faq}/vote/", faq_entry, {"helpful": True}, 401, 200, 200, 200),
    row("POST", "/api/support/faq/{faq}/vote/", draft_faq, {"helpful": True}, 401, 404, 404, 200),
    row("POST", "/api/support/feedback/", nothing, {"rating": 5}, 401, 201, 201, 201),
    row("GET", "/api/support/staff/feedback/", nothing, None, 401, 403, 403, 200),
    row("PATCH", "/api/support/staff/feedback/{feedback}/", feedback, {"status": "triaged"}, 401, 403, 403, 200),
    # ---- end support
    # ---- moderation (#19): anyone signed in reports (not themselves) and sees their own standing; the
    # queue, reports, flags and actions are staff's, and so are the /api/admin/users/ additions
    row("POST", "/api/moderation/reports/", comment,
        {"content_type": "video_comment", "object_id": "{comment}", "report_type": "spam"}, 401, 201, 201, 201),
    row("POST", "/api/moderation/reports/", owner_self,
        {"content_type": "user", "object_id": "{user}", "report_type": "harassment"}, 401, 201, 400, 201),
    row("GET", "/api/moderation/reports/mine/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/moderation/standing/", nothing, None, 401, 200, 200, 200),
    # The appeal routes take only an appeal token (X-Appeal-Token): a session is none
    # (test_moderation_appeals.py has the token's own cases).
    row("GET", "/api/moderation/appeal/standing/", nothing, None, 401, 401, 401, 401),
    row("GET", "/api/support/appeals/", nothing, None, 401, 401, 401, 401),
    row("POST", "/api/support/appeals/", nothing, {"subject": "s", "description": "d", "category": "appeal"},
        401, 401, 401, 401),
    row("GET", "/api/support/appeals/{ticket}/replies/", ticket, None, 401, 401, 401, 401),
    row("GET", "/api/moderation/queue/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/moderation/queue/{ctype}/{comment}/resolve/", queued_comment, {"status": "dismissed"},
        401, 403, 403, 200),
    row("GET", "/api/moderation/reports/", nothing, None, 401, 403, 403, 200),
    row("PATCH", "/api/moderation/reports/{report}/", report_by_owner, {"status": "reviewing"}, 401, 403, 403, 200),
    row("GET", "/api/moderation/flags/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/moderation/actions/", owner_self, {"action": "warn", "user_id": "{user}", "reason": "r"},
        401, 403, 403, 201),
    row("GET", "/api/moderation/actions/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/admin/users/{user}/suspend/", someone_else, {"reason": "r", "duration_s": 60}, 401, 403, 403, 201),
    row("POST", "/api/admin/users/{user}/unsuspend/", someone_else, {"reason": "r"}, 401, 403, 403, 201),
    row("POST", "/api/admin/users/{user}/ban/", someone_else, {"reason": "r"}, 401, 403, 403, 201),
    row("POST", "/api/admin/users/bulk/", someone_else, {"ids": ["{user}"], "action": "warn", "reason": "r"},
        401, 403, 403, 200),
    # ---- end moderation
    # admin (#19): staff only; an export with emails is the superuser's (test_superuser_only below)
    row("POST", "/api/admin/users/export/", nothing, {"fields": ["id", "username"]}, 401, 403, 403, 200),
    row("POST", "/api/admin/users/export/", nothing, {"fields": ["id", "email"]}, 401, 403, 403, 403),
    row("GET", "/api/admin/system-health/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/admin/broadcast/", nothing, {"message": "m", "notify": False}, 401, 403, 403, 202),
    row("GET", "/api/admin/broadcast/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/admin/broadcast/{admin_broadcast}/", admin_broadcast, None, 401, 403, 403, 200),
    row("GET", "/api/broadcasts/active/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/admin/logs/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/admin/errors/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/admin/errors/{signature}/", unknown_error_group, None, 401, 403, 403, 404),
    row("GET", "/api/admin/metrics/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/admin/metrics/{name}/", metric_series, None, 401, 403, 403, 200),
    row("GET", "/api/admin/parties/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/admin/parties/{party}/end/", party, None, 401, 403, 403, 200),
    row("DELETE", "/api/admin/parties/{party}/", party, None, 401, 403, 403, 204),
    row("GET", "/api/admin/videos/", nothing, None, 401, 403, 403, 200),
    row("DELETE", "/api/admin/videos/{video}/", video, None, 401, 403, 403, 204),
    # ---- billing (#18), on a server without a provider: invoices and payments of users are in test_billing.py
    row("GET", "/api/billing/plans/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/billing/subscription/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/billing/payments/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/billing/payments/?all=true", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/billing/invoices/?all=true", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/billing/checkout/", nothing, {"plan": "premium"}, 401, 503, 503, 503),
    row("POST", "/api/billing/portal/", nothing, None, 401, 409, 409, 409),
    row("POST", "/api/billing/subscription/cancel/", nothing, None, 401, 409, 409, 409),
    row("POST", "/api/billing/webhook/", nothing, {}, 400, 400, 400, 400),
    # credit notes (#18); real ones of a user, each caller, are in test_billing_credit_notes.py
    row("GET", "/api/billing/credit-notes/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/billing/credit-notes/?all=true", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/billing/credit-notes/{credit_note}/", no_credit_note, None, 401, 404, 404, 404),
    row("GET", "/api/billing/credit-notes/{credit_note}/pdf/", no_credit_note, None, 401, 404, 404, 404),
    # ---- end billing
    # ---- search (#22): anyone searches (what they may see); a click only on a result of one's own search
    row("GET", "/api/search/?q=clip", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/search/suggest/?q=cl", nothing, None, 200, 200, 200, 200),
    row("POST", "/api/search/click/", search_shown_to_owner, {"query_id": "{query}", "type": "video", "id": "{video}"},
        404, 404, 200, 404),
    row("GET", "/api/search/recent/", nothing, None, 401, 200, 200, 200),
    row("DELETE", "/api/search/recent/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/search/stats/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/search/saved/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/search/saved/", nothing, {"name": "cats", "q": "cats"}, 401, 201, 201, 201),
    row("PATCH", "/api/search/saved/{saved}/", saved_search, {"alert": False}, 401, 404, 200, 404),
    row("DELETE", "/api/search/saved/{saved}/", saved_search, None, 401, 404, 204, 404),
    row("GET", "/api/recommendations/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/recommendations/{user}/click/", someone_else, None, 401, 404, 404, 404),
    # ---- end search
    # ---- analytics (#20): a video's numbers are its uploader's and staff's; the views of all users are staff's
    row("GET", "/api/analytics/video/{video}/analytics/", video, None, 401, 403, 200, 200),
    row("GET", "/api/analytics/video/{video}/analytics/", private_video, None, 401, 403, 200, 200),
    row("GET", "/api/analytics/predictive/?metric=video_views&video_id={video}", video, None, 401, 403, 200, 200),
    row("GET", "/api/analytics/predictive/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/analytics/user-behavior/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/analytics/user-behavior/?user_id={user}", someone_else, None, 401, 403, 403, 200),
    row("GET", "/api/analytics/real-time/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/analytics/export/?rollup=user", nothing, None, 401, 403, 403, 200),
    # ---- end analytics
    # ---- store (#18): my wallet, purchases and inventory are mine (404 to others); the catalog and ledger staff's
    row("GET", "/api/store/wallet/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/store/wallet/transactions/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/store/items/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/store/items/{item}/", store_item, None, 401, 200, 200, 200),
    row("POST", "/api/store/items/", nothing, {"kind": "badge", "name": "n", "price": 1}, 401, 403, 403, 201),
    row("PATCH", "/api/store/items/{item}/", store_item, {"price": 3}, 401, 403, 403, 200),
    row("POST", "/api/store/items/{item}/purchase/", store_item, None, 401, 201, 201, 201),
    row("GET", "/api/store/purchases/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/store/purchases/{purchase}/", store_purchase, None, 401, 404, 200, 200),
    row("GET", "/api/store/inventory/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/store/inventory/{item}/equip/", store_purchase, None, 401, 404, 200, 404),
    row("POST", "/api/store/inventory/{item}/unequip/", store_purchase, None, 401, 404, 200, 404),
    row("GET", "/api/store/staff/purchases/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/store/staff/purchases/{purchase}/refund/", store_purchase, None, 401, 403, 403, 200),
    row("POST", "/api/store/staff/grants/", owner_self, {"user_id": "{user}", "coins": 1}, 401, 403, 403, 201),
    row("GET", "/api/store/staff/ledger/check/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/store/users/{user}/cosmetics/", owner_self, None, 401, 200, 200, 200),
    row("GET", "/api/store/emoji/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/achievements/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/achievements/mine/", nothing, None, 401, 200, 200, 200),
    # ---- end store
    # ---- mobile (#21)
    row("GET", "/api/mobile/config/", nothing, None, 200, 200, 200, 200),
    row("GET", "/api/mobile/devices/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/mobile/devices/", nothing, lambda server: {"device_id": uniq("install"), "platform": "ios"},
        401, 201, 201, 201),
    row("PATCH", "/api/mobile/devices/{mobile_device}/", mobile_device, {"name": "n"}, 401, 404, 200, 404),
    row("DELETE", "/api/mobile/devices/{mobile_device}/", mobile_device, None, 401, 404, 204, 404),
    row("POST", "/api/mobile/sync/", nothing, {"device_id": "not-registered", "cursors": {"settings": None}},
        401, 404, 404, 404),
    row("GET", "/api/mobile/syncs/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/mobile/downloads/", nothing, None, 401, 200, 200, 200),
    row("PUT", "/api/mobile/downloads/{video}/", video, {"quality": "720p"}, 401, 200, 200, 200),
    row("DELETE", "/api/mobile/downloads/{video}/", mobile_download, None, 401, 404, 204, 404),
    row("GET", "/api/mobile/settings/", nothing, None, 401, 200, 200, 200),
    row("POST", "/api/mobile/crashes/", nothing, CRASH, 201, 201, 201, 201),
    row("POST", "/api/mobile/sessions/", nothing,
        lambda server: {"id": uniq("s"), "device_id": "d", "platform": "ios", "started_at": 1700000000000},
        200, 200, 200, 200),
    row("GET", "/api/mobile/crash-groups/", nothing, None, 401, 403, 403, 200),
    row("GET", "/api/mobile/crash-groups/{crash_group}/", crash_group, None, 401, 403, 403, 200),
    row("POST", "/api/mobile/crash-groups/{crash_group}/fixed/", crash_group, {"version": "1.0.1"}, 401, 403, 403, 200),
    row("GET", "/api/mobile/stats/", nothing, None, 401, 403, 403, 200),
    # ---- end mobile
    # ---- mobile home (#21): the caller's own screen; what a block hides is in test_mobile_home.py
    row("GET", "/api/mobile/home/", nothing, None, 401, 200, 200, 200),
    # ---- end mobile home
]

# admin (#19): what only a superuser may do: (method, path, body); staff and everyone else are refused.
SUPERUSER_ROWS = [
    ("POST", "/api/admin/users/export/", {"fields": ["id", "email"]}),
    ("POST", "/api/admin/users/export/", {"format": "jsonl", "fields": ["email"]}),
]


@pytest.fixture
def staff(server):
    return make_staff_member(server)


def make_for(make, owner, caller):
    required = [p for p in inspect.signature(make).parameters.values() if p.default is inspect.Parameter.empty]
    if len(required) == 2:
        return make(owner, caller)
    return make(owner)


def body_for(body, server, ids):
    if callable(body):
        return body(server)
    if isinstance(body, dict):
        def fill(v):
            if isinstance(v, str):
                return v.format(**ids)
            if isinstance(v, list):
                return [fill(x) for x in v]
            return v
        return {k: fill(v) for k, v in body.items()}
    return body


@pytest.mark.parametrize("method,path,make,body,expected", ROWS)
def test_who_may(server, staff, method, path, make, body, expected):
    callers = {"anonymous": None, "other": register(server), "staff": staff}
    got = {}
    for caller in expected:
        owner = register(server)
        who = owner if caller == "owner" else register(server) if caller == "blocked" else callers[caller]
        ids = make_for(make, owner, who)
        if caller == "blocked":
            r = owner.post("/api/social/blocks/", json={"user_id": who.id})
            assert r.status_code == 201, r.text
        r = (who or server).request(method, path.format(**ids), json=body_for(body, server, ids),
                                    allow_redirects=False)
        got[caller] = r.status_code
        if r.status_code >= 400:
            assert r.json()["success"] is False and r.json()["error_code"], r.text  # every refusal is the envelope
    assert got == expected


@pytest.mark.parametrize("method,path,body", SUPERUSER_ROWS)
def test_superuser_only(server, staff, method, path, body):
    from helpers import make_superuser
    got = {"anonymous": server.request(method, path, json=body).status_code,
           "other": register(server).request(method, path, json=body).status_code,
           "staff": staff.request(method, path, json=body).status_code,
           "superuser": make_superuser(server).request(method, path, json=body).status_code}
    assert got == {"anonymous": 401, "other": 403, "staff": 403, "superuser": 200}


def test_every_row_names_a_real_route(server):
    """A row whose route was renamed would test 404s: each pattern must be in the OpenAPI document."""
    def shape(p):
        return re.sub(r"\{[^}]+\}", "{}", p)
    routes = {(m, shape(p)) for p, ops in server.get("/api/schema/").json()["paths"].items() for m in ops}
    for param in ROWS:
        method, path = param.values[0], param.values[1].split("?")[0]
        assert (method.lower(), shape(path)) in routes, (method, path)
