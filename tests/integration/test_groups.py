"""Groups (docs/api.md "Groups"): CRUD, visibility of private groups, join
requests and their approval, invitations, the last-admin rule, bans,
moderation ranks, permissions and avatars, on both databases."""
from group_helpers import (SETTINGS_DEFAULTS, act, assert_group, assert_membership, create_group, decide,
                           get_group, group_path, invite, join_group, listed_ids, member_count, member_ids, members)
from helpers import GIF_1X1, assert_envelope, assert_field_errors, assert_page, make_staff_member, png_bytes, register, uniq


def test_create_get_patch_delete(server):
    ann, bob = register(server), register(server)
    name = "Film Club " + uniq()
    r = ann.post("/api/groups/", json={"name": name, "description": "Films", "category": "Movies",
                                       "settings": {"members_can_invite": False}})
    assert r.status_code == 201, r.text
    g = assert_group(r.json())
    assert (g["name"], g["category"], g["is_private"], g["member_count"], g["creator_id"]) == (
        name, "Movies", False, 1, ann.id)
    assert g["settings"] == {**SETTINGS_DEFAULTS, "members_can_invite": False}
    mine = get_group(ann, g)["membership"]
    assert (mine["role"], mine["status"]) == ("admin", "active")
    assert all(mine["permissions"].values())
    assert get_group(bob, g)["membership"] is None
    # Unique ignoring case, on create and rename.
    assert_envelope(bob.post("/api/groups/", json={"name": name.upper()}), 409, "CONFLICT")
    other = create_group(bob)
    assert_envelope(bob.patch(group_path(other), json={"name": name.lower()}), 409, "CONFLICT")
    # Only an admin changes or deletes it.
    assert_envelope(bob.patch(group_path(g), json={"description": "mine"}), 403, "ACCESS_FORBIDDEN")
    r = ann.patch(group_path(g), json={"description": "Old films", "settings": {"welcome_message": "Hi"}})
    assert r.status_code == 200, r.text
    assert r.json()["settings"] == {**SETTINGS_DEFAULTS, "members_can_invite": False, "welcome_message": "Hi"}
    assert_envelope(bob.delete(group_path(g)), 403, "ACCESS_FORBIDDEN")
    assert ann.delete(group_path(g)).status_code == 200
    assert_envelope(ann.get(group_path(g)), 404, "RESOURCE_NOT_FOUND")


def test_fields_and_settings_are_checked(server):
    ann = register(server)
    r = ann.post("/api/groups/", json={"name": "", "is_private": "yes", "settings": {"colour": "red",
                                                                                   "members_can_invite": 1}})
    body = assert_field_errors(r, "name", "is_private", "settings")
    assert len(body["errors"]["settings"]) == 2, body
    g = create_group(ann)
    joe = register(server)
    assert join_group(joe, g).status_code == 200
    r = ann.patch(group_path(g, f"members/{joe.id}/"), json={"permissions": {"fly": True}})
    body = assert_field_errors(r, "permissions")
    assert "invite, approve, kick or host_parties" in body["errors"]["permissions"][0]


def test_private_groups_are_listed_to_members_and_invitees_only(server):
    ann, joe, out = register(server), register(server), register(server)
    tag = uniq("tag")
    pub = create_group(ann, name=f"Open {tag}", category="Anime")
    priv = create_group(ann, name=f"Closed {tag}", is_private=True, category="anime")
    assert listed_ids(out, search=tag) == {pub["id"]}
    assert listed_ids(ann, search=tag) == {pub["id"], priv["id"]}
    assert listed_ids(ann, search=tag.upper(), category="ANIME") == {pub["id"], priv["id"]}
    assert invite(ann, priv, joe).status_code == 201
    assert listed_ids(joe, search=tag) == {pub["id"], priv["id"]}
    assert listed_ids(joe, "/api/groups/mine/") == set()
    # The row itself is visible (that is how one asks to join); its members are not.
    assert get_group(out, priv)["member_count"] == 1
    assert_envelope(out.get(group_path(priv, "members/")), 403, "ACCESS_FORBIDDEN")
    assert members(out, pub)["count"] == 1
    r = joe.get("/api/groups/invitations/")
    assert_page(r.json())
    inv = r.json()["results"]
    assert [(i["group"]["id"], i["inviter"]["id"]) for i in inv] == [(priv["id"], ann.id)]
    assert joe.post(group_path(priv, "invitation/accept/")).status_code == 200
    assert listed_ids(joe, "/api/groups/mine/") == {priv["id"]}
    assert listed_ids(joe, search=tag, mine="true") == {priv["id"]}
    assert member_ids(joe, priv) == [ann.id, joe.id]  # the admin first


def test_join_request_approval_flow(server):
    ann, mod, sue, joe = (register(server) for _ in range(4))
    g = create_group(ann, is_private=True)
    r = join_group(mod, g)
    assert r.status_code == 202, r.text
    assert assert_membership(r.json())["status"] == "pending"
    assert member_count(ann, g) == 1
    assert_envelope(sue.get(group_path(g, "requests/")), 403, "ACCESS_FORBIDDEN")
    r = ann.get(group_path(g, "requests/"))
    assert [m["user"]["id"] for m in r.json()["results"]] == [mod.id]
    assert decide(ann, g, mod, "approve").status_code == 200
    assert act(ann, g, mod, "promote").json()["role"] == "moderator"
    assert join_group(sue, g).status_code == 202
    assert join_group(sue, g).status_code == 202  # asking again changes nothing
    assert join_group(joe, g).status_code == 202
    # A moderator approves one and rejects the other; each request is decided once.
    r = decide(mod, g, sue, "approve")
    assert r.status_code == 200 and r.json()["status"] == "active", r.text
    assert_envelope(decide(mod, g, sue, "approve"), 404, "RESOURCE_NOT_FOUND")
    assert decide(mod, g, joe, "reject").status_code == 200
    assert_envelope(decide(mod, g, joe, "reject"), 404, "RESOURCE_NOT_FOUND")
    assert member_count(ann, g) == 3
    assert sorted(member_ids(sue, g)) == sorted([ann.id, mod.id, sue.id])
    # A withdrawn request: leave/ takes it back.
    assert join_group(joe, g).status_code == 202
    assert joe.post(group_path(g, "leave/")).status_code == 200
    assert ann.get(group_path(g, "requests/")).json()["count"] == 0
    # An invitation lets an invitee in without asking; join/ accepts it too.
    other = register(server)
    assert invite(sue, g, other).status_code == 201
    assert join_group(other, g).status_code == 200
    assert member_count(ann, g) == 4


def test_the_last_admin_cannot_leave(server):
    ann, joe = register(server), register(server)
    g = create_group(ann)
    r = ann.post(group_path(g, "leave/"))
    body = assert_envelope(r, 409, "CONFLICT")
    assert "last admin" in body["message"], body
    assert join_group(joe, g).status_code == 200
    assert_envelope(ann.post(group_path(g, "leave/")), 409, "CONFLICT")
    assert_envelope(act(ann, g, ann, "demote"), 409, "CONFLICT")
    # Handing over: promote twice, then the former admin may go.
    assert act(ann, g, joe, "promote").status_code == 200
    assert act(ann, g, joe, "promote").json()["role"] == "admin"
    assert ann.post(group_path(g, "leave/")).status_code == 200
    assert member_ids(joe, g) == [joe.id]
    assert member_count(joe, g) == 1
    assert_envelope(ann.post(group_path(g, "leave/")), 404, "RESOURCE_NOT_FOUND")
    # Or the last admin deletes the group.
    assert joe.delete(group_path(g)).status_code == 200


def test_ban_keeps_a_user_out_until_unbanned(server):
    ann, mod, eve, joe = (register(server) for _ in range(4))
    g = create_group(ann)
    for u in (mod, eve, joe):
        assert join_group(u, g).status_code == 200
    assert act(ann, g, mod, "promote").status_code == 200
    # Members may not moderate; moderators may not touch admins; nobody kicks themselves.
    assert_envelope(act(joe, g, eve, "kick"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(act(mod, g, ann, "ban"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(act(mod, g, mod, "kick"), 403, "ACCESS_FORBIDDEN")
    assert_envelope(act(mod, g, joe, "promote"), 403, "ACCESS_FORBIDDEN")
    r = act(mod, g, eve, "ban")
    assert r.status_code == 200 and r.json()["status"] == "banned", r.text
    assert member_count(ann, g) == 3
    assert_envelope(join_group(eve, g), 403, "ACCESS_FORBIDDEN")
    assert_envelope(invite(ann, g, eve), 409, "CONFLICT")
    # A kicked member may come back; a banned one only after unban.
    assert act(mod, g, joe, "kick").json() == {"success": True}
    assert join_group(joe, g).status_code == 200
    assert act(mod, g, eve, "unban").status_code == 200
    assert_envelope(act(mod, g, eve, "unban"), 404, "RESOURCE_NOT_FOUND")
    assert join_group(eve, g).status_code == 200
    # Banned from a private group: cannot even ask.
    closed = create_group(ann, is_private=True)
    assert act(ann, closed, eve, "ban").status_code == 200
    assert_envelope(join_group(eve, closed), 403, "ACCESS_FORBIDDEN")
    assert ann.get(group_path(closed, "requests/")).json()["count"] == 0


def test_staff_do_what_an_admin_does(server):
    ann, joe = register(server), register(server)
    staff = make_staff_member(server)
    g = create_group(ann, is_private=True)
    assert invite(ann, g, joe).status_code == 201 and joe.post(group_path(g, "invitation/accept/")).status_code == 200
    assert members(staff, g)["count"] == 2
    assert staff.patch(group_path(g), json={"category": "Staff picks"}).status_code == 200
    assert act(staff, g, joe, "promote").status_code == 200
    assert_envelope(act(staff, g, ann, "kick"), 409, "CONFLICT")  # the last admin stays
    assert act(staff, g, joe, "kick").status_code == 200
    assert staff.delete(group_path(g)).status_code == 200


def test_permissions_follow_settings_and_overrides(server):
    ann, joe, sue = register(server), register(server), register(server)
    g = create_group(ann, settings={"members_can_invite": False})
    assert join_group(joe, g).status_code == 200
    assert_envelope(invite(joe, g, sue), 403, "ACCESS_FORBIDDEN")
    r = ann.patch(group_path(g, f"members/{joe.id}/"), json={"permissions": {"invite": True, "kick": True}})
    assert r.status_code == 200, r.text
    assert r.json()["permissions"] == {"invite": True, "approve": False, "kick": True, "host_parties": True}
    assert_envelope(joe.patch(group_path(g, f"members/{ann.id}/"), json={"permissions": {}}), 403,
                    "ACCESS_FORBIDDEN")
    assert invite(joe, g, sue).status_code == 201
    assert sue.post(group_path(g, "invitation/decline/")).status_code == 200
    assert_envelope(sue.post(group_path(g, "invitation/accept/")), 404, "RESOURCE_NOT_FOUND")
    assert_field_errors(joe.post(group_path(g, "invite/"), json={"user_id": joe.id}), "user_id")


def test_group_avatar(server):
    ann, joe = register(server), register(server)
    g = create_group(ann)
    assert_envelope(ann.get(group_path(g, "avatar/")), 404, "RESOURCE_NOT_FOUND")
    files = {"file": ("a.png", png_bytes(), "image/png")}
    assert_envelope(joe.post(group_path(g, "avatar/"), files=files), 403, "ACCESS_FORBIDDEN")
    r = ann.post(group_path(g, "avatar/"), files=files)
    assert r.status_code == 200, r.text
    url = r.json()["avatar"]
    assert url.startswith(group_path(g, "avatar/"))
    img = server.get(url)
    assert img.status_code == 200 and img.headers["Content-Type"] == "image/png"
    assert img.content == png_bytes()
    r = ann.post(group_path(g, "avatar/"), files={"file": ("a.gif", GIF_1X1, "image/gif")})
    assert server.get(r.json()["avatar"]).headers["Content-Type"] == "image/gif"
    assert_envelope(ann.post(group_path(g, "avatar/"), files={"file": ("x.png", b"not an image", "image/png")}),
                    415, "UNSUPPORTED_MEDIA_TYPE")
