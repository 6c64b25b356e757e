"""Who may do what, one row per route and resource, on both databases.

Each row names a route, how to make the resource it acts on (owned by
"owner"), and the status each caller gets: anonymous, another user, the
owner, and staff (is_staff, not superuser). Every caller acts on a fresh
resource, so a DELETE by the owner does not change what staff gets. A new
module adds its rows here (docs/architecture.md, "Adding a module"); once
blocks exist, a `blocked` column joins the four.
"""
import re

import pytest

from helpers import make_staff_member, register, uniq
from party_helpers import MEDIA_URL, create_party


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


# ---------------------------------------------------------------- the matrix
# (method, path, make resource, JSON body or a function of the server giving it, {caller: status})

def row(method, path, make, body, anonymous, other, owner, staff):
    return pytest.param(method, path, make, body, {"anonymous": anonymous, "other": other, "owner": owner,
                                                   "staff": staff}, id=f"{method} {path}")


ROWS = [
    # accounts: a user's own things have no "other"; staff routes refuse everyone else
    row("GET", "/api/auth/profile/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/auth/sessions/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/auth/login-history/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/users/me/profile/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/users/{user}/", owner_self, None, 401, 200, 200, 200),
    row("GET", "/api/users/", nothing, None, 401, 200, 200, 200),
    row("GET", "/api/admin/users/", nothing, None, 401, 403, 403, 200),
    row("POST", "/api/admin/users/{user}/deactivate/", someone_else, None, 401, 403, 403, 200),
    row("POST", "/api/admin/users/{user}/activate/", someone_else, None, 401, 403, 403, 200),
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
    # user channel: a plain GET of the WebSocket route (the upgrade itself: test_user_channel.py)
    row("GET", "/ws/user/", nothing, None, 401, 400, 400, 400),
]


@pytest.fixture
def staff(server):
    return make_staff_member(server)


@pytest.mark.parametrize("method,path,make,body,expected", ROWS)
def test_who_may(server, staff, method, path, make, body, expected):
    callers = {"anonymous": None, "other": register(server), "staff": staff}
    got = {}
    for caller in expected:
        owner = register(server)
        ids = make(owner)
        who = owner if caller == "owner" else callers[caller]
        r = (who or server).request(method, path.format(**ids), json=body(server) if callable(body) else body)
        got[caller] = r.status_code
        if r.status_code >= 400:
            assert r.json()["success"] is False and r.json()["error_code"], r.text  # every refusal is the envelope
    assert got == expected


def test_every_row_names_a_real_route(server):
    """A row whose route was renamed would test 404s: each pattern must be in the OpenAPI document."""
    def shape(p):
        return re.sub(r"\{[^}]+\}", "{}", p)
    routes = {(m, shape(p)) for p, ops in server.get("/api/schema/").json()["paths"].items() for m in ops}
    for param in ROWS:
        method, path = param.values[0], param.values[1].split("?")[0]
        assert (method.lower(), shape(path)) in routes, (method, path)
