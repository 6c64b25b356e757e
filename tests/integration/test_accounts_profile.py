"""Accounts: the account profile, the user profile, avatars, privacy and user search."""
import datetime
import uuid

import pytest

from helpers import (GIF_1X1, PROFILE_KEYS, assert_envelope, assert_field_errors, assert_no_secret_keys, assert_page,
                     assert_user, make_superuser, path_of, png_bytes, register)

# api.md: a public profile is these plus the fields its privacy settings show;
# a private one is exactly PRIVATE_KEYS with "is_private": true.
PUBLIC_BASE_KEYS = {"id", "username", "avatar", "is_private", "first_name", "last_name", "date_joined", "bio",
                    "timezone"}
PRIVATE_KEYS = {"id", "username", "avatar", "is_private"}
ALL_SHOWN = {"profile_visibility": "public", "show_email": True, "show_birth_date": True, "show_phone": True,
             "show_country": True}
NONE_SHOWN = {"profile_visibility": "public", "show_email": False, "show_birth_date": False, "show_phone": False,
              "show_country": False}


def future_date():
    return (datetime.date.today() + datetime.timedelta(days=400)).isoformat()


# ---------------------------------------------------------------- /api/auth/profile/

def test_account_profile_get(server):
    user = register(server, first_name="Grace", last_name="Hopper")
    r = user.get("/api/auth/profile/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert_user(body)
    assert body["id"] == user.id and body["username"] == user.username
    assert (body["first_name"], body["last_name"]) == ("Grace", "Hopper")
    assert_no_secret_keys(r, user.password, user.refresh)


def test_account_profile_patch(server):
    user = register(server)
    settings = {"theme": "dark", "volume": 0.5, "nested": {"a": [1, 2]}}
    r = user.patch("/api/auth/profile/", json={"first_name": "Alan", "last_name": "Turing", "settings": settings})
    assert r.status_code == 200, r.text
    body = r.json()
    assert_user(body)
    assert (body["first_name"], body["last_name"], body["settings"]) == ("Alan", "Turing", settings)
    # A partial update leaves the rest alone.
    r = user.patch("/api/auth/profile/", json={"last_name": "M. Turing"})
    assert r.status_code == 200, r.text
    again = user.get("/api/auth/profile/").json()
    assert (again["first_name"], again["last_name"], again["settings"]) == ("Alan", "M. Turing", settings)


def test_account_profile_patch_lists_every_bad_field(server):
    user = register(server, first_name="Keep")
    r = user.patch("/api/auth/profile/", json={"first_name": "f" * 151, "last_name": "l" * 151, "settings": "dark"})
    assert_field_errors(r, "first_name", "last_name", "settings")
    for bad in ({"settings": [1, 2]}, {"settings": 3}, {"first_name": 12}):
        assert_field_errors(user.patch("/api/auth/profile/", json=bad), next(iter(bad)))
    assert user.get("/api/auth/profile/").json()["first_name"] == "Keep"


def test_account_profile_patch_cannot_change_protected_fields(server):
    user = register(server)
    r = user.patch("/api/auth/profile/", json={"is_staff": True, "is_superuser": True, "email_verified": True,
                                               "two_factor_enabled": True, "is_active": False,
                                               "username": "hijack_" + uuid.uuid4().hex[:6],
                                               "id": str(uuid.uuid4())})
    assert r.status_code in (200, 400), r.text
    me = user.get("/api/auth/profile/").json()
    assert me["is_staff"] is False and me["is_superuser"] is False
    assert me["email_verified"] is False and me["two_factor_enabled"] is False
    assert me["is_active"] is True and me["username"] == user.username and me["id"] == user.id


def test_account_profile_patch_needs_json(server):
    user = register(server)
    r = user.patch("/api/auth/profile/", data="first_name=x", headers={"Content-Type": "text/plain"})
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    r = user.patch("/api/auth/profile/", data="{", headers={"Content-Type": "application/json"})
    assert_envelope(r, 400, "VALIDATION_ERROR")


# ---------------------------------------------------------------- /api/users/me/profile/

def test_user_profile_get_defaults(server):
    user = register(server)
    r = user.get("/api/users/me/profile/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == PROFILE_KEYS, set(body) ^ PROFILE_KEYS
    assert body["user_id"] == user.id
    assert body["avatar"] in (None, "")  # api.md does not say which "no avatar" is
    assert isinstance(body["privacy_settings"], dict)
    assert body["privacy_settings"].get("profile_visibility") in ("public", "private")
    assert_no_secret_keys(r, user.password)


def test_user_profile_patch_all_fields(server):
    user = register(server)
    patch = {"bio": "b" * 500, "country": "DE", "timezone": "America/Argentina/Buenos_Aires",
             "birth_date": "1990-05-17", "phone": "+4915112345678", "privacy_settings": dict(ALL_SHOWN)}
    r = user.patch("/api/users/me/profile/", json=patch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == PROFILE_KEYS
    for k, v in patch.items():
        if k == "privacy_settings":
            for pk, pv in v.items():
                assert body[k][pk] == pv, (pk, body[k])
        else:
            assert body[k] == v, (k, body[k])
    got = user.get("/api/users/me/profile/").json()
    assert {k: got[k] for k in patch if k != "privacy_settings"} == {k: v for k, v in patch.items()
                                                                     if k != "privacy_settings"}
    # Partial: only the timezone changes.
    r = user.patch("/api/users/me/profile/", json={"timezone": "Europe/Berlin"})
    assert r.status_code == 200, r.text
    got = user.get("/api/users/me/profile/").json()
    assert got["timezone"] == "Europe/Berlin" and got["country"] == "DE" and got["phone"] == "+4915112345678"


def test_user_profile_patch_lists_every_bad_field(server):
    user = register(server)
    assert user.patch("/api/users/me/profile/", json={"bio": "kept", "country": "FR"}).status_code == 200
    r = user.patch("/api/users/me/profile/", json={"bio": "x" * 501, "country": "XX1", "timezone": "Mars/Olympus",
                                                   "birth_date": future_date(), "phone": "abc"})
    assert_field_errors(r, "bio", "country", "timezone", "birth_date", "phone")
    got = user.get("/api/users/me/profile/").json()
    assert got["bio"] == "kept" and got["country"] == "FR" and got["timezone"] != "Mars/Olympus"


def test_user_profile_patch_needs_json(server):
    user = register(server)
    r = user.patch("/api/users/me/profile/", data="bio=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert_envelope(user.patch("/api/users/me/profile/", data="[", headers={"Content-Type": "application/json"}), 400,
                    "VALIDATION_ERROR")


BAD_PROFILE_VALUES = [
    ("timezone", "Mars/Olympus"),
    ("timezone", "Not a zone"),
    ("country", "XX1"),
    ("country", "D"),
    ("country", 49),
    ("birth_date", "FUTURE"),
    ("birth_date", "1990-02-30"),
    ("birth_date", "17.05.1990"),
    ("phone", "abc"),
    ("phone", "+1234567890123456"),
    ("phone", "+49 151 abc"),
    ("bio", "x" * 501),
    ("bio", 5),
]


@pytest.mark.parametrize("field,value", BAD_PROFILE_VALUES, ids=[f"{f}={str(v)[:20]}" for f, v in BAD_PROFILE_VALUES])
def test_user_profile_patch_rejects(server, field, value):
    user = register(server)
    if value == "FUTURE":
        value = future_date()
    body = assert_field_errors(user.patch("/api/users/me/profile/", json={field: value}), field)
    assert set(body["errors"]) == {field}, body["errors"]


@pytest.mark.parametrize("privacy", [{"profile_visibility": "everyone"}, {"show_email": "yes"}, {"show_phone": 1},
                                     "public", ["show_email"]])
def test_user_profile_patch_rejects_bad_privacy(server, privacy):
    user = register(server)
    body = assert_envelope(user.patch("/api/users/me/profile/", json={"privacy_settings": privacy}), 400,
                           "VALIDATION_ERROR")
    assert any(k.startswith("privacy_settings") for k in body["errors"]), body["errors"]


# ---------------------------------------------------------------- avatar

def upload(user, content, name="avatar.png", ctype="image/png"):
    return user.post("/api/users/me/avatar/", files={"file": (name, content, ctype)})


def test_avatar_upload_and_fetch(server):
    user = register(server)
    png = png_bytes(4, 3)
    r = upload(user, png)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == PROFILE_KEYS
    assert isinstance(body["avatar"], str) and body["avatar"]
    assert user.get("/api/users/me/profile/").json()["avatar"] == body["avatar"]
    img = server.get(path_of(body["avatar"]))
    assert img.status_code == 200
    assert img.headers["Content-Type"].startswith("image/png")
    assert img.content.startswith(b"\x89PNG\r\n\x1a\n")
    anon = server.get(f"/api/users/{user.id}/avatar/")  # anonymous
    assert anon.status_code == 200
    assert anon.headers["Content-Type"].startswith("image/png")
    assert anon.content == img.content
    # Replaced by a GIF, detected by content even under a misleading name and type.
    r = upload(user, GIF_1X1, name="blob.bin", ctype="application/octet-stream")
    assert r.status_code == 200, r.text
    gif = server.get(f"/api/users/{user.id}/avatar/")
    assert gif.headers["Content-Type"].startswith("image/gif")
    assert gif.content.startswith(b"GIF8")


def test_avatar_rejects_non_images(server):
    user = register(server)
    assert_envelope(upload(user, b"just some text, not an image\n" * 10), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert_envelope(upload(user, b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", name="a.svg",
                           ctype="image/svg+xml"), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert user.get("/api/users/me/profile/").json()["avatar"] in (None, "")


def test_avatar_size_limit(server):
    user = register(server)
    ok = png_bytes(700, 700, random_pixels=True)  # about 1.4 MiB
    assert 1.3 * 2 ** 20 < len(ok) < 2 * 2 ** 20
    r = upload(user, ok)
    assert r.status_code == 200, r.text[:300]
    big = png_bytes(900, 900, random_pixels=True)  # about 2.3 MiB
    assert len(big) > 2 * 2 ** 20
    assert_envelope(upload(user, big), 413, "PAYLOAD_TOO_LARGE")
    # The earlier avatar stays.
    assert server.get(f"/api/users/{user.id}/avatar/").content == ok


def test_avatar_needs_a_file_field(server):
    user = register(server)
    r = user.post("/api/users/me/avatar/", files={"other": ("a.png", png_bytes(), "image/png")})
    assert_field_errors(r, "file")
    r = user.post("/api/users/me/avatar/", json={"file": "aGVsbG8="})
    assert r.status_code in (400, 415), r.text


def test_avatar_of_user_without_one_or_unknown(server):
    user = register(server)
    assert_envelope(server.get(f"/api/users/{user.id}/avatar/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(server.get(f"/api/users/{uuid.uuid4()}/avatar/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(server.get("/api/users/nope/avatar/"), 404, "RESOURCE_NOT_FOUND")


# ---------------------------------------------------------------- public profile and privacy

def owner_with_details(server, privacy):
    owner = register(server, first_name="Olive", last_name="Owner")
    r = owner.patch("/api/users/me/profile/", json={"bio": "hello", "country": "NL", "birth_date": "1985-01-02",
                                                    "phone": "+31612345678", "timezone": "Europe/Amsterdam",
                                                    "privacy_settings": privacy})
    assert r.status_code == 200, r.text
    return owner


def test_public_profile_shows_allowed_fields(server):
    owner = owner_with_details(server, ALL_SHOWN)
    viewer = register(server)
    r = viewer.get(f"/api/users/{owner.id}/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert PUBLIC_BASE_KEYS <= set(body), set(body)
    assert body["id"] == owner.id and body["username"] == owner.username
    assert body["is_private"] is False
    assert (body["first_name"], body["last_name"], body["bio"]) == ("Olive", "Owner", "hello")
    assert body["timezone"] == "Europe/Amsterdam"
    assert body["email"] == owner.email
    assert body["country"] == "NL" and body["birth_date"] == "1985-01-02" and body["phone"] == "+31612345678"
    assert_no_secret_keys(r, owner.password)


def test_public_profile_hides_what_privacy_hides(server):
    owner = owner_with_details(server, NONE_SHOWN)
    viewer = register(server)
    r = viewer.get(f"/api/users/{owner.id}/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert PUBLIC_BASE_KEYS <= set(body)
    assert body["is_private"] is False
    for hidden in ("email", "country", "birth_date", "phone"):
        assert hidden not in body, (hidden, body)
    assert owner.email not in r.text and "+31612345678" not in r.text and "1985-01-02" not in r.text


@pytest.mark.parametrize("flag,field,value", [("show_email", "email", None), ("show_country", "country", "NL"),
                                              ("show_birth_date", "birth_date", "1985-01-02"),
                                              ("show_phone", "phone", "+31612345678")])
def test_each_privacy_flag_alone(server, flag, field, value):
    owner = owner_with_details(server, dict(NONE_SHOWN, **{flag: True}))
    body = register(server).get(f"/api/users/{owner.id}/").json()
    assert body[field] == (value or owner.email)
    assert not {"email", "country", "birth_date", "phone"} - {field} & set(body), body


def test_private_profile_shows_only_id_username_avatar(server):
    owner = owner_with_details(server, dict(ALL_SHOWN, profile_visibility="private"))
    r = register(server).get(f"/api/users/{owner.id}/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert "Olive" not in r.text and owner.email not in r.text and "+31612345678" not in r.text
    assert body["id"] == owner.id and body["username"] == owner.username
    assert body["is_private"] is True
    assert set(body) == PRIVATE_KEYS, body


def test_public_profile_unknown_user(server):
    viewer = register(server)
    assert_envelope(viewer.get(f"/api/users/{uuid.uuid4()}/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(viewer.get("/api/users/not-a-uuid/"), 404, "RESOURCE_NOT_FOUND")


# ---------------------------------------------------------------- search

def make_public(user):
    r = user.patch("/api/users/me/profile/", json={"privacy_settings": dict(NONE_SHOWN)})
    assert r.status_code == 200, r.text
    return user


def test_user_search_paginated(server):
    tag = uuid.uuid4().hex[:10]
    viewer = register(server)
    found = [make_public(register(server, username=f"s{tag}{c}")) for c in "abc"]
    found.append(make_public(register(server, first_name=f"First{tag}")))
    found.append(make_public(register(server, last_name=f"Last{tag}")))
    register(server)  # not matching
    r = viewer.get(f"/api/users/?search={tag}&page_size=2")
    assert r.status_code == 200, r.text
    page = assert_page(r.json())
    assert page["count"] == 5
    assert len(page["results"]) == 2 and page["previous"] is None and page["next"]
    ids = [u["id"] for u in page["results"]]
    p2 = viewer.get(path_of(page["next"])).json()
    assert len(p2["results"]) == 2 and p2["previous"] and p2["next"]
    ids += [u["id"] for u in p2["results"]]
    p3 = viewer.get(path_of(p2["next"])).json()
    assert len(p3["results"]) == 1 and p3["next"] is None and p3["previous"]
    ids += [u["id"] for u in p3["results"]]
    assert sorted(ids) == sorted(u.id for u in found)
    back = viewer.get(path_of(p3["previous"])).json()
    assert [u["id"] for u in back["results"]] == [u["id"] for u in p2["results"]]
    for u in page["results"] + p2["results"] + p3["results"]:
        assert PUBLIC_BASE_KEYS <= set(u), u
        assert u["is_private"] is False
        assert "email" not in u
    assert_no_secret_keys(r)
    only_usernames = viewer.get(f"/api/users/?search=s{tag}").json()
    assert only_usernames["count"] == 3


def test_user_search_ordering(server):
    tag = uuid.uuid4().hex[:10]
    viewer = register(server)
    for c in "bca":
        make_public(register(server, username=f"o{tag}{c}"))
    asc = viewer.get(f"/api/users/?search=o{tag}&ordering=username").json()["results"]
    desc = viewer.get(f"/api/users/?search=o{tag}&ordering=-username").json()["results"]
    assert [u["username"] for u in asc] == [f"o{tag}{c}" for c in "abc"]
    assert [u["username"] for u in desc] == [f"o{tag}{c}" for c in "cba"]
    newest = viewer.get(f"/api/users/?search=o{tag}&ordering=-date_joined").json()["results"]
    assert [u["username"] for u in newest] == [f"o{tag}{c}" for c in "acb"]
    body = assert_field_errors(viewer.get(f"/api/users/?search=o{tag}&ordering=password"), "ordering")
    assert "username, -username, date_joined or -date_joined" in body["errors"]["ordering"][0]


def test_user_search_honours_privacy(server):
    tag = uuid.uuid4().hex[:10]
    viewer = register(server)
    hidden = owner_with_details(server, dict(ALL_SHOWN, profile_visibility="private"))
    shown = owner_with_details(server, ALL_SHOWN)
    for u, first, last in ((hidden, f"Hid{tag}", f"Den{tag}"), (shown, f"Sho{tag}", f"Wn{tag}")):
        r = u.patch("/api/auth/profile/", json={"first_name": first, "last_name": last})
        assert r.status_code == 200, r.text
    # The names a private profile hides do not find it: no one learns them by searching.
    for needle in (tag, f"hid{tag}", f"Den{tag}"):
        r = viewer.get(f"/api/users/?search={needle}")
        assert r.status_code == 200, r.text
        ids = [u["id"] for u in r.json()["results"]]
        assert hidden.id not in ids, needle
        assert r.json()["count"] == len(ids)
    assert [u["id"] for u in viewer.get(f"/api/users/?search=sho{tag}").json()["results"]] == [shown.id]
    assert [u["id"] for u in viewer.get(f"/api/users/?search=wn{tag}").json()["results"]] == [shown.id]
    # Its username still finds it, in its private shape.
    r = viewer.get(f"/api/users/?search={hidden.username}")
    results = r.json()["results"]
    assert [u["id"] for u in results] == [hidden.id]
    assert hidden.email not in r.text and "+31612345678" not in r.text and "1985-01-02" not in r.text
    assert f"Hid{tag}" not in r.text
    for u in results:
        assert set(u) == PRIVATE_KEYS, u
        assert u["is_private"] is True
    # Staff see private profiles whole, names included.
    root = make_superuser(server)
    assert [u["id"] for u in root.get(f"/api/users/?search=hid{tag}").json()["results"]] == [hidden.id]


def test_user_search_no_match_and_no_query(server):
    viewer = register(server)
    empty = viewer.get(f"/api/users/?search=zz{uuid.uuid4().hex}").json()
    assert empty["count"] == 0 and empty["results"] == [] and empty["next"] is None and empty["previous"] is None
    everyone = viewer.get("/api/users/?page_size=1")
    assert everyone.status_code == 200, everyone.text
    page = assert_page(everyone.json())
    assert page["count"] >= 1 and len(page["results"]) == 1
    assert_no_secret_keys(everyone)
