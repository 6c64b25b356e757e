"""Appeals without a login (issue #19, docs/api.md "Moderation" and "Support"):
a suspended or banned user cannot log in, so a refused login with the right
password answers an appeal token (details.appeal_token). With it, and only
with it, they read their standing and open and follow appeal tickets."""
from helpers import assert_envelope, login_req, make_staff_member, register, remember_secret
from moderation_helpers import ok
from support_helpers import open_ticket


def appeal_token(server, user):
    r = login_req(server, user.username, user.password)
    assert_envelope(r, 403, "ACCESS_FORBIDDEN")
    token = r.json()["details"]["appeal_token"]
    remember_secret(server, token)
    return token


def as_appellant(token):
    return {"X-Appeal-Token": token}


def test_a_suspended_user_reads_their_standing_and_appeals_without_a_login(server):
    user, other = register(server), register(server)
    staff = make_staff_member(server)
    earlier = open_ticket(user)  # a plain ticket of theirs, from before
    action = ok(staff.post(f"/api/admin/users/{user.id}/suspend/", json={"reason": "spam", "duration_s": 3600}), 201)
    other_action = ok(staff.post(f"/api/admin/users/{other.id}/suspend/", json={"reason": "spam", "duration_s": 60}), 201)

    # A guesser gets no token: only the right password does.
    r = login_req(server, user.username, user.password + "x")
    assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")
    assert "details" not in r.json()
    token = appeal_token(server, user)

    # The standing, named by the token alone.
    standing = ok(server.get("/api/moderation/appeal/standing/", headers=as_appellant(token)), 200)
    assert standing["state"] == "suspended" and standing["suspended_until"]
    assert standing["actions"][0]["id"] == action["id"] and standing["actions"][0]["action"] == "suspend"
    for headers in ({}, as_appellant("not-a-token")):
        assert_envelope(server.get("/api/moderation/appeal/standing/", headers=headers), 401, "AUTHENTICATION_REQUIRED")
    # The token is no session.
    assert user.get("/api/auth/profile/", token=token).status_code == 401

    # An appeal names one of their own actions; only appeals open here.
    body = {"subject": "Please reconsider", "description": "It was not spam.", "category": "appeal"}
    r = server.post("/api/support/appeals/", headers=as_appellant(token), json={**body, "category": "technical"})
    assert_envelope(r, 400, "VALIDATION_ERROR")
    r = server.post("/api/support/appeals/", headers=as_appellant(token),
                    json={**body, "moderation_action_id": other_action["id"]})
    assert r.status_code == 400 and "moderation_action_id" in r.json()["errors"]
    ticket = ok(server.post("/api/support/appeals/", headers=as_appellant(token),
                            json={**body, "moderation_action_id": action["id"]}), 201)
    assert ticket["category"] == "appeal" and ticket["user"]["id"] == user.id
    mine = ok(server.get("/api/support/appeals/", headers=as_appellant(token)), 200)
    assert [t["id"] for t in mine["results"]] == [ticket["id"]]  # not the earlier plain ticket

    # Staff answer in the queue; the appellant reads the answer, never the internal note, and replies.
    queue = ok(staff.get("/api/support/staff/tickets/", params={"category": "appeal", "page_size": 100}), 200)
    assert ticket["id"] in [t["id"] for t in queue["results"]]
    ok(staff.post(f"/api/support/tickets/{ticket['id']}/replies/", json={"content": "We are looking at it."}), 201)
    ok(staff.post(f"/api/support/tickets/{ticket['id']}/replies/", json={"content": "looks legit", "is_internal": True}),
       201)
    seen = ok(server.get(f"/api/support/appeals/{ticket['id']}/replies/", headers=as_appellant(token)), 200)
    assert [x["content"] for x in seen["results"]] == ["We are looking at it."] and seen["count"] == 1
    ok(server.post(f"/api/support/appeals/{ticket['id']}/replies/", headers=as_appellant(token),
                   json={"content": "Thank you."}), 201)
    # Their other tickets and other users' appeals stay out of reach.
    r = server.get(f"/api/support/appeals/{earlier['id']}/replies/", headers=as_appellant(token))
    assert_envelope(r, 404, "RESOURCE_NOT_FOUND")
    other_token = appeal_token(server, other)
    r = server.get(f"/api/support/appeals/{ticket['id']}/replies/", headers=as_appellant(other_token))
    assert_envelope(r, 404, "RESOURCE_NOT_FOUND")

    # A newer refusal's token replaces the older one.
    newer = appeal_token(server, user)
    assert_envelope(server.get("/api/support/appeals/", headers=as_appellant(token)), 401, "AUTHENTICATION_REQUIRED")
    ok(server.get("/api/support/appeals/", headers=as_appellant(newer)), 200)

    # The appeal is granted: the user logs in again.
    ok(staff.post(f"/api/admin/users/{user.id}/unsuspend/", json={"reason": "appeal accepted"}), 201)
    user.set_tokens(user.login())
    assert ok(user.get("/api/moderation/standing/"), 200)["state"] == "good"


def test_a_banned_user_appeals_the_ban(server):
    user = register(server)
    staff = make_staff_member(server)
    ban = ok(staff.post(f"/api/admin/users/{user.id}/ban/", json={"reason": "fraud"}), 201)
    token = appeal_token(server, user)
    standing = ok(server.get("/api/moderation/appeal/standing/", headers=as_appellant(token)), 200)
    assert standing["state"] == "banned" and standing["banned"] is True
    ok(server.post("/api/support/appeals/", headers=as_appellant(token),
                   json={"subject": "Ban", "description": "Mistaken identity.", "category": "appeal",
                         "moderation_action_id": ban["id"]}), 201)
