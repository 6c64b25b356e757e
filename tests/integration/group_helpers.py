"""Helpers for the group tests: REST shortcuts over /api/groups/."""
import uuid

from helpers import assert_time, assert_uuid

GROUP_KEYS = {"id", "name", "description", "category", "is_private", "settings", "avatar", "creator_id",
              "member_count", "created_at", "updated_at"}
MEMBERSHIP_KEYS = {"user", "group_id", "role", "status", "permissions", "invited_by", "since", "updated_at"}
SETTINGS_DEFAULTS = {"members_can_invite": True, "members_can_host_parties": True, "welcome_message": ""}
PERMISSIONS = {"invite", "approve", "kick", "host_parties"}


def group_path(group, suffix=""):
    gid = group["id"] if isinstance(group, dict) else group
    return f"/api/groups/{gid}/{suffix}"


def assert_group(g):
    assert set(g) >= GROUP_KEYS, g
    assert_uuid(g["id"])
    assert isinstance(g["member_count"], int)
    assert set(g["settings"]) == set(SETTINGS_DEFAULTS), g["settings"]
    assert_time(g["created_at"])
    assert_time(g["updated_at"])
    return g


def assert_membership(m):
    assert set(m) == MEMBERSHIP_KEYS, m
    assert m["role"] in ("admin", "moderator", "member")
    assert m["status"] in ("active", "pending", "invited", "banned")
    assert set(m["permissions"]) == PERMISSIONS
    return m


def create_group(user, **body):
    body.setdefault("name", "Group " + uuid.uuid4().hex[:10])
    r = user.post("/api/groups/", json=body)
    assert r.status_code == 201, r.text
    return assert_group(r.json())


def get_group(user, group):
    r = user.get(group_path(group))
    assert r.status_code == 200, r.text
    return assert_group(r.json())


def member_count(user, group):
    return get_group(user, group)["member_count"]


def join_group(user, group):
    return user.post(group_path(group, "join/"))


def members(user, group, **query):
    r = user.get(group_path(group, "members/"), params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return r.json()


def member_ids(user, group):
    return [m["user"]["id"] for m in members(user, group)["results"]]


def act(actor, group, target, action):
    tid = target.id if hasattr(target, "id") else target
    return actor.post(group_path(group, f"members/{tid}/{action}/"))


def decide(actor, group, target, verdict):
    tid = target.id if hasattr(target, "id") else target
    return actor.post(group_path(group, f"requests/{tid}/{verdict}/"))


def invite(actor, group, target):
    tid = target.id if hasattr(target, "id") else target
    return actor.post(group_path(group, "invite/"), json={"user_id": tid})


def listed_ids(user, path="/api/groups/", **query):
    r = user.get(path, params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return {g["id"] for g in r.json()["results"]}
