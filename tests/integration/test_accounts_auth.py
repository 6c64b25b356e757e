"""Accounts: registration, login, logout, cookies, history, throttling, the
createsuperuser command and the 401 answer of every user route."""
import time
import uuid

import pytest
import requests

from conftest import run_cli
from helpers import (HISTORY_KEYS, assert_envelope, assert_field_errors, assert_no_secret_keys, assert_page,
                     assert_success, assert_time, assert_tokens, assert_uuid, bearer, cookie_line, login_req,
                     access_claims, forge_jwt,
                     register, register_req, strong_password, uniq)


# ---------------------------------------------------------------- register

def test_register_returns_tokens_and_a_fresh_user(server):
    username = uniq("Reg")
    password = strong_password()
    r = register_req(server, username=username, email=f"{username}@example.com", password=password,
                     first_name="Ada", last_name="Lovelace")
    assert r.status_code == 201, r.text
    body = r.json()
    assert_tokens(body)
    user = body["user"]
    assert user["username"] == username
    assert user["email"].lower() == f"{username}@example.com".lower()
    assert (user["first_name"], user["last_name"]) == ("Ada", "Lovelace")
    assert user["is_active"] is True
    assert user["is_staff"] is False and user["is_superuser"] is False
    assert user["email_verified"] is False and user["two_factor_enabled"] is False
    assert_no_secret_keys(r, password)
    # The access token works at once.
    me = server.get("/api/auth/profile/", headers=bearer(body["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"]


def test_register_optional_names_default_to_empty(server):
    username = uniq()
    r = register_req(server, username=username, email=f"{username}@example.com", password=strong_password())
    assert r.status_code == 201, r.text
    user = r.json()["user"]
    assert user["first_name"] == "" and user["last_name"] == ""


def test_register_cannot_make_itself_staff(server):
    username = uniq()
    r = register_req(server, username=username, email=f"{username}@example.com", password=strong_password(),
                     is_staff=True, is_superuser=True, email_verified=True)
    if r.status_code == 201:
        user = r.json()["user"]
        assert user["is_staff"] is False and user["is_superuser"] is False and user["email_verified"] is False
    else:
        assert_envelope(r, 400, "VALIDATION_ERROR")


def test_register_missing_fields_lists_each(server):
    assert_field_errors(server.post("/api/auth/register/", json={}), "username", "email", "password")


def test_register_lists_every_bad_field_at_once(server):
    r = register_req(server, username="ab", email="not-an-email", password="short", first_name="x" * 151,
                     last_name="y" * 151)
    assert_field_errors(r, "username", "email", "password", "first_name", "last_name")


@pytest.mark.parametrize("username", ["ab", "a" * 31, "bad name", "bad/name", "bad@name", "semi;colon", "", 42, None])
def test_register_rejects_bad_username(server, username):
    r = register_req(server, username=username, email=f"{uniq()}@example.com", password=strong_password())
    body = assert_field_errors(r, "username")
    assert set(body["errors"]) == {"username"}, body["errors"]


@pytest.mark.parametrize("email", ["nope", "a@", "@example.com", "two@@example.com", "sp ace@example.com", "", 7])
def test_register_rejects_bad_email(server, email):
    r = register_req(server, username=uniq(), email=email, password=strong_password())
    body = assert_field_errors(r, "email")
    assert set(body["errors"]) == {"email"}, body["errors"]


def test_register_accepts_username_edges(server):
    tag = uuid.uuid4().hex
    for username in (tag[:3], ("A_b.c-" + tag)[:30]):
        # A password with no three hex characters in a row, so it cannot contain the username.
        r = register_req(server, username=username, email=f"{tag[:8]}{len(username)}@example.com",
                         password="Kx9#Lm4$Np2&")
        assert r.status_code == 201, (username, r.text)
        assert r.json()["user"]["username"] == username


def test_register_names_at_150_ok_151_refused(server):
    username = uniq()
    ok = register_req(server, username=username, email=f"{username}@example.com", password=strong_password(),
                      first_name="f" * 150, last_name="l" * 150)
    assert ok.status_code == 201, ok.text
    bad = register_req(server, username=uniq(), email=f"{uniq()}@example.com", password=strong_password(),
                       last_name="l" * 151)
    assert set(assert_field_errors(bad, "last_name")["errors"]) == {"last_name"}


def weak_passwords(username):
    return {
        "short": "Ab1!xyz",
        "all_digits": "12345678901234",
        "contains_username": f"Xy!{username}9",
        "common": "password123",
        "too_long": "Aa1!" + "x" * 125,
    }


@pytest.mark.parametrize("kind", ["short", "all_digits", "contains_username", "common", "too_long"])
def test_register_rejects_weak_password(server, kind):
    username = uniq()
    password = weak_passwords(username)[kind]
    r = register_req(server, username=username, email=f"{username}@example.com", password=password)
    body = assert_field_errors(r, "password")
    assert set(body["errors"]) == {"password"}, body["errors"]
    # Nothing was created: the username is still free.
    again = register_req(server, username=username, email=f"{username}@example.com", password=strong_password())
    assert again.status_code == 201, again.text


def test_register_password_length_edges(server):
    for password in ("Zq8!kw3p", "Zq8!" + "k" * 124):
        username = uniq()
        r = register_req(server, username=username, email=f"{username}@example.com", password=password)
        assert r.status_code == 201, (len(password), r.text)


def test_register_duplicate_username_case_insensitive(server):
    user = register(server, username=uniq("Dup"))
    r = register_req(server, username=user.username.upper(), email=f"{uniq()}@example.com",
                     password=strong_password())
    body = assert_field_errors(r, "username", status=409, code="CONFLICT")
    assert "email" not in body["errors"]


def test_register_duplicate_email_case_insensitive(server):
    user = register(server)
    local, domain = user.email.split("@")
    r = register_req(server, username=uniq(), email=f"{local.upper()}@{domain.upper()}", password=strong_password())
    body = assert_field_errors(r, "email", status=409, code="CONFLICT")
    assert "username" not in body["errors"]


def test_register_duplicate_username_and_email_both_listed(server):
    user = register(server)
    r = register_req(server, username=user.username, email=user.email, password=strong_password())
    assert_field_errors(r, "username", "email", status=409, code="CONFLICT")


def test_register_non_json_is_415_and_bad_json_400(server):
    r = server.post("/api/auth/register/", data="username=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    r = server.post("/api/auth/register/", data="{not json", headers={"Content-Type": "application/json"})
    assert_envelope(r, 400, "VALIDATION_ERROR")
    r = server.post("/api/auth/register/", json=["a", "list"])
    assert_envelope(r, 400, "VALIDATION_ERROR")


def test_auth_routes_405_and_slash_redirect(server):
    r = server.get("/api/auth/register/")
    assert_envelope(r, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in r.headers["Allow"]
    r = server.post("/api/auth/login", json={}, allow_redirects=False)
    assert r.status_code == 308
    assert r.headers["Location"] == "/api/auth/login/"


# ---------------------------------------------------------------- login

def test_login_by_username_and_by_email(server):
    user = register(server)
    for login in (user.username, user.email):
        r = login_req(server, login, user.password)
        assert r.status_code == 200, r.text
        body = r.json()
        assert_tokens(body)
        assert body["user"]["id"] == user.id
        assert_time(body["user"]["last_login"])
        assert_no_secret_keys(r, user.password)
        assert server.get("/api/auth/profile/", headers=bearer(body["access_token"])).status_code == 200


def test_login_wrong_password_and_unknown_user_same_401(server):
    user = register(server)
    wrong = login_req(server, user.username, user.password + "x")
    unknown = login_req(server, uniq("ghost"), user.password)
    a = assert_envelope(wrong, 401, "AUTHENTICATION_REQUIRED")
    b = assert_envelope(unknown, 401, "AUTHENTICATION_REQUIRED")
    assert a["message"] == b["message"]
    assert a["errors"] == b["errors"]
    unknown_email = login_req(server, f"{uniq()}@example.com", user.password)
    assert assert_envelope(unknown_email, 401, "AUTHENTICATION_REQUIRED")["message"] == a["message"]


def test_login_missing_fields_is_validation_error(server):
    assert_field_errors(server.post("/api/auth/login/", json={}), "username", "password")
    assert_field_errors(server.post("/api/auth/login/", json={"username": 5, "password": ["x"]}),
                        "username", "password")


def test_login_sets_httponly_access_cookie(server):
    user = register(server)
    r = login_req(server, user.username, user.password)
    assert r.status_code == 200
    line = cookie_line(r, "wp_access")
    assert line, r.headers
    assert "httponly" in line.lower()
    assert r.cookies.get("wp_access")


def test_cookie_auth_and_origin_check(server):
    user = register(server)
    r = login_req(server, user.username, user.password)
    access_cookie = r.cookies.get("wp_access")
    assert access_cookie
    with requests.Session() as s:
        s.cookies.set("wp_access", access_cookie)
        me = s.get(server.url + "/api/auth/profile/", timeout=10)
        assert me.status_code == 200, me.text
        assert me.json()["id"] == user.id
        # State-changing with the cookie: no Origin, or a foreign one, is refused.
        no_origin = s.patch(server.url + "/api/auth/profile/", json={"first_name": "Nope"}, timeout=10)
        assert_envelope(no_origin, 403, "ACCESS_FORBIDDEN")
        evil = s.patch(server.url + "/api/auth/profile/", json={"first_name": "Nope"},
                       headers={"Origin": "http://evil.example"}, timeout=10)
        assert_envelope(evil, 403, "ACCESS_FORBIDDEN")
        assert s.get(server.url + "/api/auth/profile/", timeout=10).json()["first_name"] != "Nope"
        same = s.patch(server.url + "/api/auth/profile/", json={"first_name": "Cookie"},
                       headers={"Origin": server.url}, timeout=10)
        assert same.status_code == 200, same.text
        assert same.json()["first_name"] == "Cookie"
        # Logout by cookie needs the Origin too.
        assert_envelope(s.post(server.url + "/api/auth/logout/", json={}, timeout=10), 403, "ACCESS_FORBIDDEN")
    # A bearer request needs no Origin.
    r = user.patch("/api/auth/profile/", json={"last_name": "Bearer"})
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- the profile read

def test_a_profile_read_again_and_again_follows_each_change_at_once(server):
    """The node answers repeated reads from memory; every change shows on the next read."""
    user = register(server)
    reads = [user.get("/api/auth/profile/") for _ in range(3)]
    assert all(r.status_code == 200 for r in reads), reads[-1].text
    assert reads[0].json() == reads[2].json()
    assert user.patch("/api/auth/profile/", json={"first_name": "Changed"}).status_code == 200
    assert user.get("/api/auth/profile/").json()["first_name"] == "Changed"
    before = user.get("/api/auth/profile/").json()["last_login"]
    time.sleep(0.01)  # last_login has milliseconds
    user.login()
    assert user.get("/api/auth/profile/").json()["last_login"] != before
    assert_success(user.post("/api/auth/logout/", json={}))
    assert_envelope(user.get("/api/auth/profile/"), 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- logout

def test_logout_revokes_session_and_clears_cookie(server):
    user = register(server)
    other = user.login()
    r = user.post("/api/auth/logout/", json={})
    assert_success(r)
    line = cookie_line(r, "wp_access")
    assert line is not None, "logout must clear the wp_access cookie"
    value = line.split("=", 1)[1].split(";", 1)[0].strip()
    assert value in ("", '""') or "max-age=0" in line.lower() or "1970" in line, line
    assert_envelope(user.get("/api/auth/profile/"), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(server.post("/api/auth/refresh/", json={"refresh_token": user.refresh}), 401,
                    "AUTHENTICATION_REQUIRED")
    # Only that session: the other one still works.
    assert user.get("/api/auth/profile/", token=other["access_token"]).status_code == 200
    # Logging out twice with the same token is refused.
    assert_envelope(user.post("/api/auth/logout/", json={}), 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- unauthenticated

# Ids that name nothing, the same in every process (pytest-xdist needs the same test ids everywhere).
NO_SUCH_SESSION = "5dda9d60-d7ec-4856-9b4f-6dbbf5394107"
NO_SUCH_USER = "d0156aa9-59fb-47a7-880d-e0d5ece993fa"
USER_ROUTES = [
    ("GET", "/api/auth/profile/", None),
    ("PATCH", "/api/auth/profile/", {"first_name": "x"}),
    ("POST", "/api/auth/logout/", {}),
    ("GET", "/api/auth/sessions/", None),
    ("DELETE", f"/api/auth/sessions/{NO_SUCH_SESSION}/", None),
    ("POST", "/api/auth/sessions/revoke-all/", {}),
    ("GET", "/api/auth/login-history/", None),
    ("POST", "/api/auth/change-password/", {"current_password": "a", "new_password": "b"}),
    ("POST", "/api/auth/resend-verification/", {}),
    ("POST", "/api/auth/2fa/setup/", {}),
    ("POST", "/api/auth/2fa/verify/", {"code": "123456"}),
    ("POST", "/api/auth/2fa/disable/", {"code": "123456", "password": "x"}),
    ("GET", "/api/users/me/profile/", None),
    ("PATCH", "/api/users/me/profile/", {"bio": "x"}),
    ("POST", "/api/users/me/avatar/", None),
    ("GET", f"/api/users/{NO_SUCH_USER}/", None),
    ("GET", "/api/users/?search=a", None),
]


@pytest.mark.parametrize("method,path,body", USER_ROUTES, ids=[f"{m} {p}" for m, p, _ in USER_ROUTES])
@pytest.mark.parametrize("auth", ["none", "garbage", "bad_scheme", "forged_jwt"])
def test_user_routes_need_authentication(server, method, path, body, auth):
    headers = {
        "none": {},
        "garbage": {"Authorization": "Bearer not-a-token"},
        "bad_scheme": {"Authorization": "Basic dXNlcjpwYXNz"},
        "forged_jwt": bearer(forge_jwt("not-the-server-secret", access_claims(str(uuid.uuid4()), str(uuid.uuid4())))),
    }[auth]
    kw = {"json": body} if body is not None else {}
    if path == "/api/users/me/avatar/":
        kw = {"files": {"file": ("a.png", b"\x89PNG\r\n\x1a\n", "image/png")}}
    r = server.request(method, path, headers=headers, **kw)
    assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- login history

def test_login_history_rows_newest_first(server):
    user = register(server)
    agent = "history-agent/" + uuid.uuid4().hex[:6]
    assert login_req(server, user.username, "Wrong-" + user.password, user_agent=agent).status_code == 401
    assert login_req(server, user.username, user.password, user_agent=agent).status_code == 200
    r = user.get("/api/auth/login-history/")
    assert r.status_code == 200, r.text
    body = assert_page(r.json())
    rows = body["results"]
    assert body["count"] >= 2 and len(rows) >= 2
    for row in rows:
        assert HISTORY_KEYS <= set(row), row
        assert_uuid(row["id"])
        assert_time(row["created_at"])
        assert isinstance(row["success"], bool)
    times = [row["created_at"] for row in rows]
    assert times == sorted(times, reverse=True)
    assert rows[0]["success"] is True and rows[0]["user_agent"] == agent
    assert rows[0]["ip_address"] == "127.0.0.1"
    failure = next(row for row in rows if row["success"] is False)
    assert failure["user_agent"] == agent
    assert failure["reason"] == "bad_password"
    assert rows[0]["reason"] == "ok"
    assert_no_secret_keys(r, user.password, "Wrong-" + user.password)


def test_a_user_agent_with_latin1_bytes_is_kept_as_valid_text(server):
    """A header may carry bytes that are not UTF-8 (PostgreSQL refused them in a text column, and
    the login answered 500): each becomes U+FFFD, on both databases."""
    user = register(server)
    agent = "Caf\xe9-agent/" + uuid.uuid4().hex[:6]  # requests sends a str header as Latin-1
    assert login_req(server, user.username, "Wrong-" + user.password, user_agent=agent).status_code == 401
    assert login_req(server, user.username, user.password, user_agent=agent).status_code == 200
    rows = user.get("/api/auth/login-history/").json()["results"]
    want = agent.replace("\xe9", "\ufffd")
    assert [row["user_agent"] for row in rows[:2]] == [want, want]
    assert want in [s["user_agent"] for s in user.get("/api/auth/sessions/").json()["results"]]


def test_text_with_a_nul_character_is_a_field_error(server):
    """PostgreSQL stores no NUL: it cut a party title there without a word (201 with the whole
    title echoed), so every text field refuses it, and both databases answer alike."""
    user = register(server)
    r = user.patch("/api/users/me/profile/", json={"bio": "x\u0000y"})
    assert_field_errors(r, "bio")
    assert "NUL" in r.json()["errors"]["bio"][0]
    r = user.post("/api/parties/", json={"title": "t\u0000x"})
    assert_field_errors(r, "title")
    assert user.patch("/api/users/me/profile/", json={"bio": "x y"}).status_code == 200


def test_login_history_row_has_exactly_the_documented_fields(server):
    user = register(server)
    user.login()
    rows = user.get("/api/auth/login-history/").json()["results"]
    assert rows
    for row in rows:
        assert set(row) == HISTORY_KEYS, set(row) ^ HISTORY_KEYS


def test_login_history_is_per_user_and_paginated(server):
    a = register(server)
    b = register(server)
    for _ in range(3):
        a.login()
    r = a.get("/api/auth/login-history/?page_size=2")
    body = assert_page(r.json())
    assert body["count"] >= 3 and len(body["results"]) == 2
    assert body["next"] and body["previous"] is None
    ids_a = {row["id"] for row in a.get("/api/auth/login-history/?page_size=100").json()["results"]}
    ids_b = {row["id"] for row in b.get("/api/auth/login-history/?page_size=100").json()["results"]}
    assert not ids_a & ids_b


# ---------------------------------------------------------------- throttling

def retry_after(resp):
    assert_envelope(resp, 429, "RATE_LIMITED")
    value = resp.headers.get("Retry-After")
    assert value is not None and value.isdigit(), resp.headers
    return int(value)


def test_account_throttle_defaults_5_failures(make_server):
    s = make_server()
    victim = register(s)
    bystander = register(s)
    for i in range(5):
        assert_envelope(login_req(s, victim.username, f"Wrong-{i}-pass"), 401, "AUTHENTICATION_REQUIRED")
    r = login_req(s, victim.username, "Wrong-6-pass")
    assert 1 <= retry_after(r) <= 900
    # Throttled means throttled: even the right password (also by email) waits.
    assert retry_after(login_req(s, victim.username, victim.password)) >= 1
    assert retry_after(login_req(s, victim.email, victim.password)) >= 1
    # Another account from the same address is not affected (5 < the IP limit of 30).
    assert login_req(s, bystander.username, bystander.password).status_code == 200


def test_account_throttle_counts_username_and_email_together(make_server):
    s = make_server()
    user = register(s)
    for i in range(5):
        login = user.username if i % 2 else user.email
        assert_envelope(login_req(s, login, f"Wrong-{i}-pass"), 401, "AUTHENTICATION_REQUIRED")
    assert retry_after(login_req(s, user.username, user.password)) >= 1


def test_account_throttle_window_expires(make_server):
    s = make_server(args=["--login-fail-limit-account", "2", "--login-fail-window-s", "3"])
    user = register(s)
    for _ in range(2):
        assert_envelope(login_req(s, user.username, "Not-the-password1"), 401, "AUTHENTICATION_REQUIRED")
    wait = retry_after(login_req(s, user.username, user.password))
    assert 1 <= wait <= 3
    time.sleep(wait + 0.5)
    assert login_req(s, user.username, user.password).status_code == 200


def test_ip_throttle_with_small_limit(make_server):
    s = make_server(args=["--login-fail-limit-ip", "3", "--login-fail-limit-account", "100"])
    user = register(s)
    for _ in range(3):
        assert_envelope(login_req(s, uniq("nobody"), "Whatever-123"), 401, "AUTHENTICATION_REQUIRED")
    assert 1 <= retry_after(login_req(s, uniq("nobody"), "Whatever-123")) <= 900
    # The whole address is throttled, whichever account it tries.
    assert retry_after(login_req(s, user.username, user.password)) >= 1


def test_ip_throttle_defaults_30_failures(make_server):
    s = make_server()
    user = register(s)
    for i in range(30):
        # A new name each time so the per-account limit (5) never applies.
        r = login_req(s, uniq("nobody"), "Whatever-123")
        assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")
    assert 1 <= retry_after(login_req(s, uniq("nobody"), "Whatever-123")) <= 900
    assert retry_after(login_req(s, user.username, user.password)) >= 1


# ---------------------------------------------------------------- createsuperuser

def cli_db_args(s):
    return ["--data-dir", s.data_dir] + (["--database-url", s.database_url] if s.database_url else [])


def test_createsuperuser_then_login_and_duplicate_fails(make_server):
    s = make_server()
    username = uniq("admin")
    password = strong_password()
    r = run_cli("createsuperuser", *cli_db_args(s), "--username", username, "--email", f"{username}@example.com",
                "--password", password)
    assert r.returncode == 0, r.stdout + r.stderr
    login = login_req(s, username, password)
    assert login.status_code == 200, login.text
    profile = s.get("/api/auth/profile/", headers=bearer(login.json()["access_token"])).json()
    assert profile["username"] == username
    assert profile["is_staff"] is True and profile["is_superuser"] is True
    assert profile["is_active"] is True
    again = run_cli("createsuperuser", *cli_db_args(s), "--username", username, "--email",
                    f"other-{username}@example.com", "--password", strong_password())
    assert again.returncode != 0
    assert (again.stdout + again.stderr).strip(), "a failing createsuperuser must say why"
    assert password not in again.stdout + again.stderr
    # The first password still works: the failed run changed nothing.
    assert login_req(s, username, password).status_code == 200
