"""Watch parties over REST (docs/api.md, "Watch parties"): create and its
validation, per-role permissions, lists and filters, joining, invitations,
the lifecycle, moderation, host transfer, chat history, reactions, reports
and the sync state."""
import time
import uuid

from helpers import (assert_envelope, assert_field_errors, assert_page, assert_success, assert_time, assert_uuid,
                     path_of, register)
from party_helpers import (MEDIA_URL, PARTICIPANT_KEYS, PLAYBACK_KEYS, REACTION_KEYS, SETTINGS_DEFAULTS,
                           assert_message, assert_party, create_party, create_party_req, get_party, in_future, join,
                           joined, member_action, now_ms, participant_of, participants, party_path, patch_party,
                           post_chat, sync_state, users)


def forbidden(resp):
    assert_envelope(resp, 403, "ACCESS_FORBIDDEN")


def not_found(resp):
    assert_envelope(resp, 404, "RESOURCE_NOT_FOUND")


def ids_of(resp):
    assert resp.status_code == 200, resp.text
    body = assert_page(resp.json())
    for p in body["results"]:
        assert_party(p)
    return {p["id"] for p in body["results"]}


# ---------------------------------------------------------------- create

def test_create_returns_party_with_defaults(server):
    host = register(server)
    r = create_party_req(host, title="Movie night", description="bring snacks")
    assert r.status_code == 201, r.text
    p = assert_party(r.json())
    assert p["title"] == "Movie night"
    assert p["description"] == "bring snacks"
    assert p["host"]["id"] == host.id and p["host"]["username"] == host.username
    assert p["status"] == "live"
    assert p["max_participants"] == 50
    assert p["participant_count"] == 1
    assert p["media_url"] == MEDIA_URL
    assert p["video"] is None
    assert p["scheduled_start"] is None
    assert p["ended_at"] is None
    for k, v in SETTINGS_DEFAULTS.items():
        assert p["settings"].get(k) == v, (k, p["settings"])
    # The creator is the host and the first participant.
    parts = participants(host, p)
    assert len(parts) == 1
    assert PARTICIPANT_KEYS <= set(parts[0]), parts[0]
    assert parts[0]["user"]["id"] == host.id and parts[0]["role"] == "host"
    assert parts[0]["is_muted"] is False
    assert_time(parts[0]["joined_at"])
    # GET answers the same object.
    again = get_party(host, p)
    assert again["id"] == p["id"] and again["room_code"] == p["room_code"]


def test_create_with_settings_and_room_codes_are_unique(server):
    host = register(server)
    a = create_party(host, visibility="unlisted", max_participants=7,
                     settings={"control": "everyone", "slow_mode_seconds": 10, "chat_enabled": False})
    assert a["visibility"] == "unlisted" and a["max_participants"] == 7
    assert a["settings"]["control"] == "everyone"
    assert a["settings"]["slow_mode_seconds"] == 10
    assert a["settings"]["chat_enabled"] is False
    # Unnamed settings keep their defaults.
    assert a["settings"]["reactions_enabled"] is True and a["settings"]["wait_for_buffering"] is True
    codes = {a["room_code"]} | {create_party(host)["room_code"] for _ in range(4)}
    assert len(codes) == 5


def test_create_validation_lists_every_bad_field(server):
    host = register(server)
    r = create_party_req(host, title="", media_url="ftp://example.com/x.mp4", visibility="secret",
                         max_participants=1, scheduled_start="tomorrow-ish",
                         settings={"control": "anyone", "slow_mode_seconds": 5000})
    body = assert_field_errors(r, "title", "media_url", "visibility", "max_participants", "scheduled_start")
    assert any(k == "settings" or k.startswith("settings") for k in body["errors"]), body["errors"]
    # The other bounds, one at a time.
    assert_field_errors(create_party_req(host, title="x" * 201), "title")
    assert_field_errors(create_party_req(host, max_participants=10001), "max_participants")
    assert_field_errors(host.post("/api/parties/", json={"media_url": MEDIA_URL}), "title")
    r = create_party_req(host, settings={"slow_mode_seconds": -1})
    body = assert_envelope(r, 400, "VALIDATION_ERROR")
    assert any(k == "settings" or k.startswith("settings") for k in body["errors"]), body["errors"]
    # Bounds themselves are fine.
    assert create_party_req(host, title="x" * 200, max_participants=2).status_code == 201
    assert create_party_req(host, max_participants=10000,
                            settings={"slow_mode_seconds": 3600}).status_code == 201


def test_create_needs_authentication(server):
    r = server.post("/api/parties/", json={"title": "anon", "media_url": MEDIA_URL})
    assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(server.get("/api/parties/"), 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- get / patch / delete

def test_get_follows_visibility(server):
    host, outsider, invited = users(server, 3)
    pub = create_party(host, visibility="public")
    unl = create_party(host, visibility="unlisted")
    prv = create_party(host, visibility="private")
    assert outsider.get(party_path(pub)).status_code == 200
    assert outsider.get(party_path(unl)).status_code == 200
    not_found(outsider.get(party_path(prv)))
    assert host.get(party_path(prv)).status_code == 200
    assert_success(host.post(party_path(prv, "invite/"), json={"user_ids": [invited.id]}))
    r = invited.get(party_path(prv))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == prv["id"]
    assert_envelope(server.get(party_path(pub)), 401, "AUTHENTICATION_REQUIRED")
    not_found(host.get(f"/api/parties/{uuid.uuid4()}/"))
    not_found(host.get("/api/parties/not-a-uuid/"))


def test_patch_permissions_and_settings_merge(server):
    host, mod, part, outsider = users(server, 4)
    p = create_party(host, visibility="public")
    joined(mod, p)
    joined(part, p)
    r = member_action(host, p, mod, "promote")
    assert r.status_code == 200, r.text

    r = patch_party(host, p, title="Renamed")
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Renamed"

    r = patch_party(mod, p, description="by the moderator", settings={"slow_mode_seconds": 5})
    assert r.status_code == 200, r.text
    body = assert_party(r.json())
    assert body["description"] == "by the moderator"
    assert body["title"] == "Renamed"
    # Settings are merged, not replaced.
    assert body["settings"]["slow_mode_seconds"] == 5
    assert body["settings"]["control"] == "host_only"
    assert body["settings"]["chat_enabled"] is True
    assert body["settings"]["reactions_enabled"] is True

    forbidden(patch_party(part, p, title="nope"))
    forbidden(patch_party(outsider, p, title="nope"))
    assert get_party(host, p)["title"] == "Renamed"

    assert_field_errors(patch_party(host, p, title=""), "title")
    assert_field_errors(patch_party(host, p, max_participants=1), "max_participants")
    assert_field_errors(patch_party(host, p, visibility="everyone"), "visibility")
    body = assert_envelope(patch_party(host, p, settings={"control": "bogus"}), 400, "VALIDATION_ERROR")
    assert any(k == "settings" or k.startswith("settings") for k in body["errors"]), body["errors"]
    assert get_party(host, p)["settings"]["control"] == "host_only"

    r = patch_party(host, p, visibility="unlisted", max_participants=10, settings={"control": "everyone"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["visibility"] == "unlisted" and body["max_participants"] == 10
    assert body["settings"]["control"] == "everyone" and body["settings"]["slow_mode_seconds"] == 5


def test_delete_only_by_host(server):
    host, mod, part = users(server, 3)
    p = create_party(host)
    joined(mod, p)
    joined(part, p)
    assert member_action(host, p, mod, "promote").status_code == 200
    forbidden(mod.delete(party_path(p)))
    forbidden(part.delete(party_path(p)))
    assert get_party(host, p)["id"] == p["id"]
    assert_success(host.delete(party_path(p)))
    not_found(host.get(party_path(p)))
    not_found(part.get(party_path(p)))


# ---------------------------------------------------------------- lists

def test_list_filters_and_search(server):
    tag = "lf" + uuid.uuid4().hex[:10]
    host, other = users(server, 2)
    live_pub = create_party(host, title=f"{tag} live public", visibility="public")
    sched = create_party(host, title=f"{tag} scheduled", visibility="public", scheduled_start=in_future(3600))
    assert sched["status"] == "scheduled"
    unl = create_party(host, title=f"{tag} unlisted", visibility="unlisted")
    prv = create_party(host, title=f"{tag} private", visibility="private")
    ended = create_party(host, title=f"{tag} ended", visibility="public")
    assert host.post(party_path(ended, "end/")).status_code == 200
    others = create_party(other, title=f"{tag} other's", visibility="public")
    create_party(host, title="unrelated " + uuid.uuid4().hex, visibility="public")

    def ids(user, **q):
        return ids_of(user.get("/api/parties/", params={"search": tag, "page_size": 100, **q}))

    all_host = {live_pub["id"], sched["id"], unl["id"], prv["id"], ended["id"], others["id"]}
    assert ids(host) == all_host
    # Someone else sees public parties only, not unlisted or private ones they are not in.
    assert ids(other) == {live_pub["id"], sched["id"], ended["id"], others["id"]}

    assert ids(host, status="scheduled") == {sched["id"]}
    assert ids(host, status="ended") == {ended["id"]}
    assert ids(host, status="live") == {live_pub["id"], unl["id"], prv["id"], others["id"]}
    assert ids(host, visibility="private") == {prv["id"]}
    assert ids(host, visibility="unlisted") == {unl["id"]}
    assert ids(other, visibility="private") == set()

    assert ids(other, hosting="true") == {others["id"]}
    assert ids(host, hosting="true") == all_host - {others["id"]}
    assert ids(other, mine="true") == {others["id"]}
    mine_host = ids(host, mine="true")
    assert {live_pub["id"], sched["id"], unl["id"], prv["id"]} <= mine_host
    assert others["id"] not in mine_host

    # Joining an unlisted party makes it "mine" and visible in the list.
    joined(other, unl)
    assert ids(other, mine="true") == {others["id"], unl["id"]}
    assert unl["id"] in ids(other)
    assert ids(other, hosting="true") == {others["id"]}
    # hosting= names the active host: leaving hands the party over, or leaves it hosted by nobody.
    assert host.post(party_path(unl, "leave/")).status_code == 200
    assert ids(other, hosting="true") == {others["id"], unl["id"]}
    assert host.post(party_path(sched, "leave/")).status_code == 200
    assert ids(host, hosting="true") == all_host - {others["id"], unl["id"], sched["id"]}

    # Search is by title.
    assert ids(host, search=f"{tag} private") == {prv["id"]}
    assert ids(host, search="no-such-title-" + uuid.uuid4().hex) == set()


def test_list_pagination(server):
    tag = "pg" + uuid.uuid4().hex[:10]
    host = register(server)
    made = {create_party(host, title=f"{tag} #{i}")["id"] for i in range(5)}
    r = host.get("/api/parties/", params={"search": tag, "page_size": 2})
    assert r.status_code == 200, r.text
    body = assert_page(r.json())
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is None and body["next"]
    seen = [p["id"] for p in body["results"]]
    pages = 1
    while body["next"]:
        r = host.get(path_of(body["next"]))
        assert r.status_code == 200, r.text
        body = assert_page(r.json())
        assert body["count"] == 5
        assert body["previous"]
        seen += [p["id"] for p in body["results"]]
        pages += 1
    assert pages == 3
    assert len(seen) == 5 and set(seen) == made
    r = host.get("/api/parties/", params={"search": tag, "page_size": 2, "page": 3})
    assert r.status_code == 200
    assert len(r.json()["results"]) == 1 and r.json()["next"] is None


def test_public_list_is_anonymous_and_shows_live_and_scheduled_public_parties(server):
    host = register(server)
    live_pub = create_party(host, visibility="public")
    sched = create_party(host, visibility="public", scheduled_start=in_future(7200))
    unl = create_party(host, visibility="unlisted")
    prv = create_party(host, visibility="private")
    ended = create_party(host, visibility="public")
    assert host.post(party_path(ended, "end/")).status_code == 200

    seen = set()
    r = server.get("/api/parties/public/", params={"page_size": 100})
    assert r.status_code == 200, r.text
    body = assert_page(r.json())
    statuses = set()
    while True:
        for p in body["results"]:
            assert_party(p)
            assert p["visibility"] == "public", p
            statuses.add(p["status"])
            seen.add(p["id"])
        if not body["next"]:
            break
        r = server.get(path_of(body["next"]))
        assert r.status_code == 200, r.text
        body = r.json()
    assert statuses <= {"live", "scheduled"}
    assert live_pub["id"] in seen and sched["id"] in seen
    assert not ({unl["id"], prv["id"], ended["id"]} & seen)


# ---------------------------------------------------------------- join / leave / code

def test_join_and_leave(server):
    host, guest, outsider = users(server, 3)
    p = create_party(host)
    r = join(guest, p)
    assert r.status_code == 200, r.text
    body = assert_party(r.json())
    assert body["id"] == p["id"] and body["participant_count"] == 2
    parts = participants(guest, p)
    assert {x["user"]["id"] for x in parts} == {host.id, guest.id}
    me = next(x for x in parts if x["user"]["id"] == guest.id)
    assert PARTICIPANT_KEYS <= set(me)
    assert me["role"] == "participant" and me["is_muted"] is False
    assert me["user"]["username"] == guest.username
    assert isinstance(me["online"], bool)
    assert_time(me["joined_at"])
    # Outsiders do not see the participant list.
    forbidden(outsider.get(party_path(p, "participants/")))

    assert_success(guest.post(party_path(p, "leave/")))
    assert {x["user"]["id"] for x in participants(host, p)} == {host.id}
    assert get_party(host, p)["participant_count"] == 1
    # They may come back.
    assert join(guest, p).status_code == 200
    assert get_party(host, p)["participant_count"] == 2


def test_join_by_code(server):
    host, guest, stranger = users(server, 3)
    p = create_party(host, visibility="unlisted")
    r = guest.post("/api/parties/join-by-code/", json={"code": p["room_code"]})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == p["id"]
    assert participant_of(host, p, guest.id) is not None
    not_found(guest.post("/api/parties/join-by-code/", json={"code": "ZZZZ2222"}))
    prv = create_party(host, visibility="private")
    r = stranger.post("/api/parties/join-by-code/", json={"code": prv["room_code"]})
    assert r.status_code in (403, 404), r.text
    assert participant_of(host, prv, stranger.id) is None


def test_private_party_invitations(server):
    host, friend, decliner, stranger = users(server, 4)
    p = create_party(host, visibility="private")
    not_found(join(friend, p))  # not yet invited: the party stays invisible

    r = host.post(party_path(p, "invite/"), json={"user_ids": [friend.id, decliner.id]})
    body = assert_success(r)
    assert body["invited"] == 2

    r = friend.get("/api/parties/invitations/")
    assert r.status_code == 200, r.text
    page = assert_page(r.json())
    mine = [i for i in page["results"] if i["party"]["id"] == p["id"]]
    assert len(mine) == 1, page
    inv = mine[0]
    assert {"id", "party", "inviter", "status", "created_at"} <= set(inv)
    assert_uuid(inv["id"])
    assert inv["status"] == "pending"
    inviter = inv["inviter"]
    assert (inviter["id"] if isinstance(inviter, dict) else inviter) == host.id
    assert_time(inv["created_at"])
    # Invited users may see the party before joining; strangers may not.
    assert friend.get(party_path(p)).status_code == 200
    not_found(stranger.get(party_path(p)))
    # Not someone else's invitation.
    r = stranger.post(f"/api/parties/invitations/{inv['id']}/accept/")
    assert r.status_code in (403, 404), r.text
    assert participant_of(host, p, stranger.id) is None

    r = friend.post(f"/api/parties/invitations/{inv['id']}/accept/")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == p["id"]
    assert participant_of(host, p, friend.id)["role"] == "participant"
    r = friend.get("/api/parties/invitations/")
    assert inv["id"] not in {i["id"] for i in r.json()["results"]}

    r = decliner.get("/api/parties/invitations/")
    dinv = next(i for i in r.json()["results"] if i["party"]["id"] == p["id"])
    assert_success(decliner.post(f"/api/parties/invitations/{dinv['id']}/decline/"))
    r = decliner.get("/api/parties/invitations/")
    assert dinv["id"] not in {i["id"] for i in r.json()["results"]}
    r = join(decliner, p)
    assert r.status_code in (403, 404), r.text
    assert participant_of(host, p, decliner.id) is None

    # Any member may invite; outsiders may not.
    r = stranger.post(party_path(p, "invite/"), json={"user_ids": [decliner.id]})
    assert r.status_code in (403, 404), r.text
    r = friend.post(party_path(p, "invite/"), json={"user_ids": [stranger.id]})
    assert assert_success(r)["invited"] == 1
    inv = next(i for i in stranger.get("/api/parties/invitations/").json()["results"] if i["party"]["id"] == p["id"])
    assert stranger.post(f"/api/parties/invitations/{inv['id']}/accept/").status_code == 200
    assert participant_of(host, p, stranger.id) is not None

    assert_envelope(host.post(party_path(p, "invite/"), json={"user_ids": "nope"}), 400, "VALIDATION_ERROR")

    # api.md: join/ answers 404 for a private party without an invitation.
    outsider = register(server)
    not_found(join(outsider, p))


def test_invite_names_unknown_user_ids(server):
    host, friend = users(server, 2)
    p = create_party(host, visibility="private")
    ghost, ghost2 = str(uuid.uuid4()), str(uuid.uuid4())
    r = host.post(party_path(p, "invite/"), json={"user_ids": [friend.id, ghost, ghost2]})
    body = assert_field_errors(r, "user_ids")
    text = " ".join(body["errors"]["user_ids"])
    assert ghost in text and ghost2 in text and friend.id not in text, body
    # Nothing was invited: the known user has no invitation either.
    r = friend.get("/api/parties/invitations/")
    assert p["id"] not in {i["party"]["id"] for i in r.json()["results"]}
    assert assert_success(host.post(party_path(p, "invite/"), json={"user_ids": [friend.id]}))["invited"] == 1


# ---------------------------------------------------------------- lifecycle

def test_lifecycle_scheduled_live_ended(server):
    host, mod, guest, late = users(server, 4)
    p = create_party(host, scheduled_start=in_future(3600))
    assert p["status"] == "scheduled"
    assert p["actual_start"] is None and p["ended_at"] is None
    assert_time(p["scheduled_start"])
    joined(mod, p)
    joined(guest, p)
    assert member_action(host, p, mod, "promote").status_code == 200

    forbidden(mod.post(party_path(p, "start/")))
    forbidden(guest.post(party_path(p, "start/")))
    r = host.post(party_path(p, "start/"))
    assert r.status_code == 200, r.text
    body = assert_party(r.json())
    assert body["status"] == "live"
    assert_time(body["actual_start"])
    assert body["ended_at"] is None

    forbidden(mod.post(party_path(p, "end/")))
    forbidden(guest.post(party_path(p, "end/")))
    r = host.post(party_path(p, "end/"))
    assert r.status_code == 200, r.text
    body = assert_party(r.json())
    assert body["status"] == "ended"
    assert_time(body["ended_at"])
    assert get_party(guest, p)["status"] == "ended"

    # Afterwards: no joining, no chat, no restart.
    forbidden(join(late, p))
    r = guest.post(party_path(p, "chat/"), json={"content": "too late"})
    assert r.status_code in (403, 409), r.text
    r = host.post(party_path(p, "start/"))
    assert r.status_code in (403, 409), r.text
    assert get_party(host, p)["status"] == "ended"


# ---------------------------------------------------------------- moderation

def test_moderation_role_checks(server):
    host, mod, p1, p2, p3 = users(server, 5)
    p = create_party(host)
    for u in (mod, p1, p2, p3):
        joined(u, p)

    # A participant moderates nobody.
    for action in ("kick", "ban", "mute", "promote", "demote"):
        forbidden(member_action(p1, p, p2, action))

    r = member_action(host, p, mod, "promote")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["id"] == mod.id and body["role"] == "moderator"
    assert participant_of(host, p, mod.id)["role"] == "moderator"

    # Only the host promotes and demotes.
    forbidden(member_action(mod, p, p1, "promote"))
    forbidden(member_action(mod, p, p1, "demote"))
    # Nobody acts on the host, nor on themselves.
    for action in ("kick", "ban", "mute", "demote"):
        forbidden(member_action(mod, p, host, action))
    forbidden(member_action(host, p, host, "kick"))
    forbidden(member_action(host, p, host, "ban"))
    forbidden(member_action(mod, p, mod, "mute"))
    assert participant_of(host, p, host.id)["role"] == "host"

    # Kick: out, but may rejoin.
    assert_success(member_action(mod, p, p2, "kick"))
    assert participant_of(host, p, p2.id) is None
    assert join(p2, p).status_code == 200

    # Ban: out and cannot come back, by any door.
    assert_success(member_action(mod, p, p3, "ban"))
    assert participant_of(host, p, p3.id) is None
    forbidden(join(p3, p))
    forbidden(p3.post("/api/parties/join-by-code/", json={"code": p["room_code"]}))
    assert participant_of(host, p, p3.id) is None

    # Mute: no chat until unmuted.
    r = member_action(mod, p, p1, "mute")
    assert r.status_code == 200, r.text
    assert r.json()["is_muted"] is True and r.json()["user"]["id"] == p1.id
    assert participant_of(host, p, p1.id)["is_muted"] is True
    forbidden(p1.post(party_path(p, "chat/"), json={"content": "let me speak"}))
    r = member_action(host, p, p1, "unmute")
    assert r.status_code == 200, r.text
    assert r.json()["is_muted"] is False
    post_chat(p1, p, "thanks")

    # Demoted, the moderator is a participant again and moderates nobody.
    r = member_action(host, p, mod, "demote")
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "participant"
    forbidden(member_action(mod, p, p1, "kick"))


def test_host_transfer_when_host_leaves(server):
    host, early, mod, last = users(server, 4)
    p = create_party(host)
    joined(early, p)
    time.sleep(0.05)
    joined(mod, p)
    time.sleep(0.05)
    joined(last, p)
    assert member_action(host, p, mod, "promote").status_code == 200

    assert_success(host.post(party_path(p, "leave/")))
    # The longest-present moderator wins over longer-present participants.
    body = get_party(early, p)
    assert body["host"]["id"] == mod.id
    assert participant_of(early, p, mod.id)["role"] == "host"
    assert participant_of(early, p, host.id) is None
    # The new host has the host's powers.
    r = patch_party(mod, p, title="new host here")
    assert r.status_code == 200, r.text

    # Without moderators, the longest-present participant.
    assert_success(mod.post(party_path(p, "leave/")))
    body = get_party(early, p)
    assert body["host"]["id"] == early.id
    assert participant_of(early, p, early.id)["role"] == "host"
    assert participant_of(early, p, last.id)["role"] == "participant"


def test_a_party_left_empty_goes_to_whoever_joins_next(server):
    host, guest, third = users(server, 3)
    p = create_party(host)
    assert_success(host.post(party_path(p, "leave/")))
    assert get_party(guest, p)["participant_count"] == 0

    # The ex-host is no longer a member: the host-only actions are refused.
    for action in ("end/", "start/"):
        forbidden(host.post(party_path(p, action)))
    forbidden(host.delete(party_path(p)))

    body = joined(guest, p)
    assert body["host"]["id"] == guest.id
    assert participant_of(guest, p, guest.id)["role"] == "host"
    r = patch_party(guest, p, title="mine now")
    assert r.status_code == 200, r.text
    # The next one in is a plain participant, and the ex-host comes back as one.
    joined(third, p)
    assert participant_of(guest, p, third.id)["role"] == "participant"
    joined(host, p)
    assert participant_of(guest, p, host.id)["role"] == "participant"
    assert get_party(host, p)["host"]["id"] == guest.id
    forbidden(host.post(party_path(p, "end/")))
    forbidden(patch_party(host, p, title="not yours"))
    r = guest.post(party_path(p, "end/"))
    assert r.status_code == 200 and r.json()["status"] == "ended", r.text


# ---------------------------------------------------------------- chat, reactions, reports, sync

def test_chat_history_newest_first_with_cursor(server):
    host, guest, outsider = users(server, 3)
    p = create_party(host)
    joined(guest, p)
    posted = []
    for i in range(25):
        m = assert_message(post_chat(host if i % 2 == 0 else guest, p, f"msg {i:02d}"))
        assert m["content"] == f"msg {i:02d}"
        assert m["user"]["id"] == (host.id if i % 2 == 0 else guest.id)
        posted.append(m)

    r = guest.get(party_path(p, "chat/"), params={"page_size": 10})
    assert r.status_code == 200, r.text
    page = r.json()
    assert [m["content"] for m in page["results"]] == [f"msg {i:02d}" for i in range(24, 14, -1)]
    for m in page["results"]:
        assert_message(m)
    assert page["next_before"]
    r = guest.get(party_path(p, "chat/"), params={"page_size": 10, "before": page["next_before"]})
    assert r.status_code == 200, r.text
    page2 = r.json()
    assert [m["content"] for m in page2["results"]] == [f"msg {i:02d}" for i in range(14, 4, -1)]
    assert page2["next_before"]
    r = guest.get(party_path(p, "chat/"), params={"page_size": 10, "before": page2["next_before"]})
    page3 = r.json()
    assert [m["content"] for m in page3["results"]] == [f"msg {i:02d}" for i in range(4, -1, -1)]
    assert page3["next_before"] is None
    all_ids = [m["id"] for m in page["results"] + page2["results"] + page3["results"]]
    assert all_ids == [m["id"] for m in reversed(posted)]

    forbidden(outsider.get(party_path(p, "chat/")))
    forbidden(outsider.post(party_path(p, "chat/"), json={"content": "hi"}))
    assert_field_errors(host.post(party_path(p, "chat/"), json={"content": ""}), "content")
    assert_field_errors(host.post(party_path(p, "chat/"), json={"content": "x" * 1001}), "content")
    assert post_chat(host, p, "y" * 1000)["content"] == "y" * 1000


def test_reactions_and_counts(server):
    host, guest, outsider = users(server, 3)
    p = create_party(host)
    joined(guest, p)
    r = host.post(party_path(p, "react/"), json={"emoji": "🔥", "video_timestamp": 12.5})
    assert r.status_code == 201, r.text
    body = r.json()
    assert REACTION_KEYS <= set(body), body
    assert body["emoji"] == "🔥" and body["video_timestamp"] == 12.5
    assert body["user"]["id"] == host.id
    assert_time(body["created_at"])
    assert host.post(party_path(p, "react/"), json={"emoji": "😂", "video_timestamp": 13}).status_code == 201
    assert guest.post(party_path(p, "react/"), json={"emoji": "🔥", "video_timestamp": 14}).status_code == 201
    r = guest.get(party_path(p, "react/"))
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"🔥": 2, "😂": 1}

    assert_field_errors(guest.post(party_path(p, "react/"), json={"emoji": "x" * 17, "video_timestamp": 1}),
                        "emoji")
    forbidden(outsider.post(party_path(p, "react/"), json={"emoji": "🔥", "video_timestamp": 1}))
    forbidden(outsider.get(party_path(p, "react/")))


def test_report(server):
    host, guest, outsider = users(server, 3)
    p = create_party(host)
    joined(guest, p)
    r = guest.post(party_path(p, "report/"), json={"reason": "spam", "description": "ads in the chat"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert_uuid(body["id"])
    assert body["status"] == "open"
    assert_field_errors(guest.post(party_path(p, "report/"), json={"reason": "boring"}), "reason")
    forbidden(outsider.post(party_path(p, "report/"), json={"reason": "abuse"}))


def test_sync_state(server):
    host, guest, outsider = users(server, 3)
    p = create_party(host)
    joined(guest, p)
    s = sync_state(guest, p)
    assert PLAYBACK_KEYS <= set(s), s
    assert s["status"] in ("paused", "playing", "waiting")
    assert isinstance(s["version"], int)
    assert isinstance(s["server_time"], (int, float))
    assert abs(s["server_time"] - now_ms()) < 2000
    forbidden(outsider.get(party_path(p, "sync_state/")))
