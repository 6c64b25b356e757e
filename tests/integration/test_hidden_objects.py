"""An object the caller may not see answers 404 on every route, never 403:
a 403 would tell a stranger that it exists (docs/api.md, RESOURCE_NOT_FOUND).
The routes come from the OpenAPI document, so a new route is covered at once."""
import re
import uuid

import pytest

from conftest import server_or_two_nodes as server  # noqa: F401  (each backend, and two nodes)
from helpers import register
from party_helpers import MEDIA_URL, create_party


def routes_under(server, prefix):
    doc = server.get("/api/schema/").json()["paths"]
    for path, ops in sorted(doc.items()):
        if path.startswith(prefix):
            for method in ops:
                yield method.upper(), path


# One body that every route of these modules accepts, so that no route refuses it with 400 before its access check.
BODY = {"content": "hello", "emoji": "\U0001F44D", "video_timestamp": 1.0, "reason": "spam", "is_like": True,
        "position_seconds": 1.0, "position": 1.0, "progress": 1.0, "user_id": str(uuid.uuid4()), "user_ids": [str(uuid.uuid4())], "title": "T",
        "question": "Q", "options": ["a", "b"], "option_ids": [str(uuid.uuid4())]}


def fill(path, first, value):
    path = path.replace(first, value, 1)
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


def statuses_for_stranger(server, prefix, first, object_id):
    stranger = register(server)
    got = {}
    for method, path in routes_under(server, prefix):
        r = stranger.request(method, fill(path, first, object_id), json=BODY, allow_redirects=False)
        got[(method, path)] = r.status_code
    return got


@pytest.mark.parametrize("visibility", ["private", "friends"])
def test_a_hidden_party_is_404_on_every_route_for_a_stranger(server, visibility):
    host = register(server)
    party = create_party(host, visibility=visibility, media_url=MEDIA_URL)
    got = statuses_for_stranger(server, "/api/parties/{id}/", "{id}", party["id"])
    assert got, "no party routes found in the schema"
    assert {k: v for k, v in got.items() if v != 404} == {}


def test_a_private_video_is_404_on_every_route_for_a_stranger(server):
    owner = register(server)
    r = owner.post("/api/videos/", json={"title": "Mine", "external_url": "https://media.example.com/a.mp4",
                                         "is_public": False})
    assert r.status_code == 201, r.text
    got = statuses_for_stranger(server, "/api/videos/{id}/", "{id}", r.json()["id"])
    assert got, "no video routes found in the schema"
    assert {k: v for k, v in got.items() if v != 404} == {}
