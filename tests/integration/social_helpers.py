"""Shared steps of the social graph tests: one call per action, as `me` on `them`."""


def send_request(me, them):
    return me.post("/api/social/friend-requests/", json={"user_id": them.id})


def accept(me, them):
    return me.post(f"/api/social/friend-requests/{them.id}/accept/")


def decline(me, them):
    return me.post(f"/api/social/friend-requests/{them.id}/decline/")


def cancel(me, them):
    return me.delete(f"/api/social/friend-requests/{them.id}/")


def unfriend(me, them):
    return me.delete(f"/api/social/friends/{them.id}/")


def follow(me, them):
    return me.post("/api/social/follows/", json={"user_id": them.id})


def unfollow(me, them):
    return me.delete(f"/api/social/follows/{them.id}/")


def block(me, them):
    return me.post("/api/social/blocks/", json={"user_id": them.id})


def unblock(me, them):
    return me.delete(f"/api/social/blocks/{them.id}/")


def ok(resp, status=(200, 201)):
    assert resp.status_code in ((status,) if isinstance(status, int) else status), resp.text
    return resp.json()


def befriend(a, b):
    ok(send_request(a, b), 201)
    ok(accept(b, a), 200)


def ids(page):
    return [u["id"] for u in page["results"]]


def friends(user):
    return ok(user.get("/api/social/friends/?page_size=100"), 200)
