"""Parties hosted by a group (docs/api.md "Groups", "Watch parties"): only
the group's active members may create them; its members see them (even a
private party); a private group's parties are hidden from everyone else."""
from group_helpers import create_group, group_path, invite, join_group
from helpers import assert_envelope, assert_field_errors, make_staff_member, register
from party_helpers import MEDIA_URL, create_party, create_party_req, party_path


def party_ids(user, path, **query):
    r = user.get(path, params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return {p["id"] for p in r.json()["results"]}


def test_only_members_may_host_a_group_party(server):
    ann, joe, out = register(server), register(server), register(server)
    g = create_group(ann)
    assert_envelope(create_party_req(out, group_id=g["id"]), 403, "ACCESS_FORBIDDEN")
    assert_field_errors(create_party_req(ann, group_id="00000000-0000-4000-8000-000000000000"), "group_id")
    assert_field_errors(create_party_req(ann, group_id="nope"), "group_id")
    assert join_group(joe, g).status_code == 200
    p = create_party(joe, group_id=g["id"], media_url=MEDIA_URL)
    assert p["group_id"] == g["id"]
    # The host_parties permission can be taken away.
    assert ann.patch(group_path(g), json={"settings": {"members_can_host_parties": False}}).status_code == 200
    assert_envelope(create_party_req(joe, group_id=g["id"]), 403, "ACCESS_FORBIDDEN")
    assert create_party_req(ann, group_id=g["id"]).status_code == 201
    assert create_party(out)["group_id"] is None


def test_members_see_a_private_party_of_their_public_group(server):
    ann, joe, out = register(server), register(server), register(server)
    g = create_group(ann)
    assert join_group(joe, g).status_code == 200
    secret = create_party(ann, group_id=g["id"], visibility="private")
    public = create_party(ann, group_id=g["id"])
    assert party_ids(joe, group_path(g, "parties/")) == {secret["id"], public["id"]}
    assert party_ids(out, group_path(g, "parties/")) == {public["id"]}
    assert joe.get(party_path(secret)).status_code == 200
    assert joe.post(party_path(secret, "join/")).status_code == 200  # members come in like invitees
    assert_envelope(out.get(party_path(secret)), 404, "RESOURCE_NOT_FOUND")
    assert secret["id"] in party_ids(joe, "/api/parties/")
    assert secret["id"] not in party_ids(out, "/api/parties/")


def test_a_private_groups_parties_are_for_members_only(server):
    ann, joe, out, guest = (register(server) for _ in range(4))
    staff = make_staff_member(server)
    g = create_group(ann, is_private=True)
    assert invite(ann, g, joe).status_code == 201
    p = create_party(ann, group_id=g["id"])  # public, but in a private group
    # Invited is not yet a member.
    assert_envelope(joe.get(group_path(g, "parties/")), 403, "ACCESS_FORBIDDEN")
    assert_envelope(joe.get(party_path(p)), 404, "RESOURCE_NOT_FOUND")
    assert joe.post(group_path(g, "invitation/accept/")).status_code == 200
    assert party_ids(joe, group_path(g, "parties/")) == {p["id"]}
    assert joe.get(party_path(p)).status_code == 200
    # Outsiders: not in any list, not by id, not by code.
    assert_envelope(out.get(group_path(g, "parties/")), 403, "ACCESS_FORBIDDEN")
    assert_envelope(out.get(party_path(p)), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(out.post(party_path(p, "join/")), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(out.post("/api/parties/join-by-code/", json={"code": p["room_code"]}), 403, "ACCESS_FORBIDDEN")
    assert p["id"] not in party_ids(out, "/api/parties/")
    assert p["id"] not in party_ids(server, "/api/parties/public/")
    # A party invitation still lets someone in.
    assert ann.post(party_path(p, "invite/"), json={"user_ids": [guest.id]}).status_code == 200
    assert guest.get(party_path(p)).status_code == 200
    assert staff.get(group_path(g, "parties/")).status_code == 200
    assert_envelope(ann.get(group_path("00000000-0000-4000-8000-000000000000", "parties/")), 404,
                    "RESOURCE_NOT_FOUND")


def test_deleting_the_group_keeps_its_parties(server):
    ann = register(server)
    g = create_group(ann)
    p = create_party(ann, group_id=g["id"])
    assert ann.delete(group_path(g)).status_code == 200
    assert ann.get(party_path(p)).json()["group_id"] is None
