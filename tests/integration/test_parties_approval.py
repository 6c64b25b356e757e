"""Join requests (settings.require_approval, docs/api.md "Watch parties"):
a join waits as a pending participant until the host or a moderator
approves it (within max_participants, atomically) or rejects it; pending
users cannot connect or chat; invited users come in at once; moderators
online hear about requests (`join_request`, docs/realtime.md)."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import websockets

from helpers import assert_envelope, assert_field_errors, assert_success, assert_time
from party_helpers import (closeall, connect, create_party, get_party, in_thread, join, member_action, participant_of,
                           participants, party_path, run, users, ws_url)

APPROVAL = {"require_approval": True}


def pending_of(user, party):
    r = user.get(party_path(party, "participants/?status=pending"))
    assert r.status_code == 200, r.text
    return r.json()["results"]


async def close_of(url):
    """(code, reason) of a connection the server refuses."""
    conn = await websockets.connect(url, ping_interval=None, open_timeout=5, close_timeout=2)
    try:
        await asyncio.wait_for(conn.recv(), 5)
        raise AssertionError("the server sent a message instead of closing")
    except websockets.exceptions.ConnectionClosed:
        pass
    return conn.close_code, conn.close_reason


def test_join_waits_for_approval_and_is_not_counted(server):
    host, guest, member = users(server, 3)
    p = create_party(host, settings=APPROVAL)
    r = join(guest, p)
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "pending" and body["user"]["id"] == guest.id, body
    assert body["party"] == {"id": p["id"], "title": p["title"]}, body
    assert_time(body["joined_at"])
    # By code the answer names the party, so the client knows where it waits.
    by_code = member.post("/api/parties/join-by-code/", json={"code": p["room_code"]})
    assert by_code.status_code == 202 and by_code.json()["party"]["id"] == p["id"], by_code.text
    assert member.post(party_path(p, "leave/")).status_code == 200
    # Asking again changes nothing.
    assert join(guest, p).status_code == 202
    assert get_party(host, p)["participant_count"] == 1
    assert participant_of(host, p, guest.id) is None
    pend = pending_of(host, p)
    assert [x["user"]["id"] for x in pend] == [guest.id] and pend[0]["status"] == "pending"
    # A pending user is not a member: no chat, no participant list.
    assert_envelope(guest.post(party_path(p, "chat/"), json={"content": "let me in"}), 403, "ACCESS_FORBIDDEN")
    assert_envelope(guest.get(party_path(p, "participants/")), 403, "ACCESS_FORBIDDEN")
    assert_field_errors(host.get(party_path(p, "participants/?status=banned")), "status")

    # Only the host and moderators see requests and decide them.
    r = join(member, p)
    assert r.status_code == 202, r.text
    r = host.post(party_path(p, f"participants/{member.id}/approve/"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active" and r.json()["role"] == "participant"
    assert_envelope(member.get(party_path(p, "participants/?status=pending")), 403, "ACCESS_FORBIDDEN")
    assert_envelope(member.post(party_path(p, f"participants/{guest.id}/approve/")), 403, "ACCESS_FORBIDDEN")
    assert_envelope(member.post(party_path(p, f"participants/{guest.id}/reject/")), 403, "ACCESS_FORBIDDEN")
    assert member_action(host, p, member, "promote").status_code == 200
    r = member.post(party_path(p, f"participants/{guest.id}/approve/"))
    assert r.status_code == 200, r.text
    assert participant_of(host, p, guest.id)["role"] == "participant"
    assert pending_of(host, p) == []
    assert get_party(host, p)["participant_count"] == 3
    # Nothing left to decide.
    assert_envelope(host.post(party_path(p, f"participants/{guest.id}/approve/")), 404, "RESOURCE_NOT_FOUND")
    # Once in, joining again is just the party.
    assert join(guest, p).status_code == 200


def request_status(user, party):
    r = user.get(party_path(party, "join-request/"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["party"] == {"id": party["id"], "title": party["title"]}, body
    if body["status"] in ("pending", "rejected"):
        assert_time(body["requested_at"])
    else:
        assert body["requested_at"] is None, body
    return body["status"]


def test_rejected_requests_are_remembered(server):
    host, guest = users(server, 2)
    p = create_party(host, settings=APPROVAL)
    assert request_status(guest, p) == "none"
    assert join(guest, p).status_code == 202
    assert request_status(guest, p) == "pending"
    assert_success(host.post(party_path(p, f"participants/{guest.id}/reject/")))
    assert request_status(guest, p) == "rejected"
    assert pending_of(host, p) == []
    assert participant_of(host, p, guest.id) is None
    assert_envelope(host.post(party_path(p, f"participants/{guest.id}/reject/")), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(host.post(party_path(p, f"participants/{guest.id}/approve/")), 404, "RESOURCE_NOT_FOUND")

    async def go():
        h = await connect(server, p, host, name="host")
        # Asking again (the waiting page used to poll join/) files nothing and pings nobody.
        r = await in_thread(join, guest, p)
        assert_envelope(r, 403, "ACCESS_FORBIDDEN")
        assert r.json()["message"] == "The host declined your request.", r.text
        code, reason = await close_of(ws_url(server, p, guest.access))
        assert (code, reason) == (4003, "The host declined your request."), (code, reason)
        await h.expect_none("join_request", within=0.5)
        await h.close()

    run(go())
    assert pending_of(host, p) == [] and request_status(guest, p) == "rejected"
    # Leaving does not reset the answer either.
    assert guest.post(party_path(p, "leave/")).status_code == 403
    assert request_status(guest, p) == "rejected"
    # An invitation from the host lets them in after all.
    assert_success(host.post(party_path(p, "invite/"), json={"user_ids": [guest.id]}))
    assert join(guest, p).status_code == 200
    assert request_status(guest, p) == "active"


def test_withdrawn_requests_leave_nothing_behind(server):
    host, guest, other = users(server, 3)
    p = create_party(host, settings=APPROVAL)
    assert join(guest, p).status_code == 202
    assert_success(guest.post(party_path(p, "leave/")))
    assert pending_of(host, p) == [] and request_status(guest, p) == "none"
    # A withdrawn request may be filed again, and decided.
    assert join(guest, p).status_code == 202
    assert member_action(host, p, guest, "approve").status_code == 200
    # A former member asking again and withdrawing is a former member again.
    assert_success(guest.post(party_path(p, "leave/")))
    assert join(guest, p).status_code == 202
    assert_success(guest.post(party_path(p, "leave/")))
    assert request_status(guest, p) == "none" and pending_of(host, p) == []
    # A banned user cannot ask.
    assert join(other, p).status_code == 202
    assert_success(member_action(host, p, other, "ban"))
    assert pending_of(host, p) == [] and request_status(other, p) == "none"
    assert_envelope(join(other, p), 403, "ACCESS_FORBIDDEN")


def test_pending_users_cannot_connect(server):
    host, guest = users(server, 2)
    p = create_party(host, settings=APPROVAL)
    assert join(guest, p).status_code == 202

    async def go():
        code, reason = await close_of(ws_url(server, p, guest.access))
        assert code == 4003 and "approval" in reason, (code, reason)
        # Still pending, not let in by the attempt.
        assert [x["user"]["id"] for x in await in_thread(pending_of, host, p)] == [guest.id]
        r = await in_thread(host.post, party_path(p, f"participants/{guest.id}/approve/"))
        assert r.status_code == 200, r.text
        g = await connect(server, p, guest, name="guest")
        assert g.messages[0]["you"]["user_id"] == guest.id
        await g.close()

    run(go())


def test_connecting_without_joining_asks_too(server):
    host, guest = users(server, 2)
    p = create_party(host, settings=APPROVAL)

    async def go():
        code, _ = await close_of(ws_url(server, p, guest.access))
        assert code == 4003
        assert [x["user"]["id"] for x in await in_thread(pending_of, host, p)] == [guest.id]

    run(go())


def test_approval_respects_max_participants_atomically(server):
    host = users(server, 1)[0]
    asking = users(server, 6)
    p = create_party(host, max_participants=3, settings=APPROVAL)
    for u in asking:
        assert join(u, p).status_code == 202
    with ThreadPoolExecutor(len(asking)) as pool:
        answers = list(pool.map(lambda u: host.post(party_path(p, f"participants/{u.id}/approve/")), asking))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 200, 409, 409, 409, 409], [r.text for r in answers]
    for r in answers:
        if r.status_code == 409:
            assert_envelope(r, 409, "CONFLICT")
    assert get_party(host, p)["participant_count"] == 3
    assert len(pending_of(host, p)) == 4, "refused for lack of room, the requests stay pending"


def test_only_invitations_from_the_host_or_moderators_skip_approval(server):
    host, mod, plain, by_plain, by_mod = users(server, 5)
    p = create_party(host, settings=APPROVAL)
    for u in (mod, plain):
        assert join(u, p).status_code == 202
        assert member_action(host, p, u, "approve").status_code == 200
    assert member_action(host, p, mod, "promote").status_code == 200
    # Any member may still invite.
    r = plain.post(party_path(p, "invite/"), json={"user_ids": [by_plain.id, by_mod.id]})
    assert r.status_code == 200 and r.json()["invited"] == 2, r.text
    inv = next(i for i in by_plain.get("/api/parties/invitations/").json()["results"] if i["party"]["id"] == p["id"])
    r = by_plain.post(f"/api/parties/invitations/{inv['id']}/accept/")
    assert r.status_code == 200, r.text
    assert participant_of(host, p, by_plain.id) is None
    assert [x["user"]["id"] for x in pending_of(host, p)] == [by_plain.id]
    assert join(by_plain, p).status_code == 202
    # A moderator's invitation admits, even over a plain member's earlier one.
    assert_success(mod.post(party_path(p, "invite/"), json={"user_ids": [by_mod.id]}))
    assert_success(plain.post(party_path(p, "invite/"), json={"user_ids": [by_mod.id]}))
    assert join(by_mod, p).status_code == 200
    assert participant_of(host, p, by_mod.id)["role"] == "participant"


def test_invited_users_skip_approval(server):
    host, friend = users(server, 2)
    p = create_party(host, settings=APPROVAL)
    assert_success(host.post(party_path(p, "invite/"), json={"user_ids": [friend.id]}))
    inv = next(i for i in friend.get("/api/parties/invitations/").json()["results"] if i["party"]["id"] == p["id"])
    r = friend.post(f"/api/parties/invitations/{inv['id']}/accept/")
    assert r.status_code == 200, r.text
    assert participant_of(host, p, friend.id)["role"] == "participant"
    assert pending_of(host, p) == []


def test_moderators_online_hear_about_requests(server):
    host, mod, plain, guest = users(server, 4)
    p = create_party(host)
    for u in (mod, plain):
        assert join(u, p).status_code == 200
    assert member_action(host, p, mod, "promote").status_code == 200
    r = host.patch(party_path(p), json={"settings": APPROVAL})
    assert r.status_code == 200, r.text

    async def go():
        h = await connect(server, p, host, name="host")
        m = await connect(server, p, mod, name="mod")
        pl = await connect(server, p, plain, name="plain")
        r = await in_thread(join, guest, p)
        assert r.status_code == 202, r.text
        for c in (h, m):
            msg = await c.wait_for("join_request")
            assert msg["user"] == {"id": guest.id, "username": guest.username}, msg
            assert_time(msg["requested_at"])
        await pl.expect_none("join_request", within=0.5)
        await closeall(h, m, pl)

    run(go())
    assert [x["user"]["id"] for x in participants(host, p)] == [host.id, mod.id, plain.id]
