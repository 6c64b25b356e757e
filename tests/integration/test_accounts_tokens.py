"""Accounts: access tokens (JWT), refresh rotation and reuse detection,
sessions, and secrets kept out of answers and logs."""
import time
import uuid

import pytest
import requests

from conftest import BACKENDS, Server, run_cli
from helpers import (SEEN_SECRETS, SESSION_KEYS, access_claims, assert_envelope, assert_field_errors,
                     assert_no_secret_keys, assert_page, assert_success, assert_time, assert_tokens, assert_uuid,
                     b64u, bearer, cookie_line, forge_jwt, token_hash_forms, jwt_parts, jwt_payload, login_req, path_of, refresh_req,
                     register)

JWT_SECRET = "it-secret-" + uuid.uuid4().hex


def unauthorized(resp):
    assert_envelope(resp, 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- refresh

def test_refresh_rotates_the_pair(server):
    user = register(server)
    r = refresh_req(server, user.refresh)
    assert r.status_code == 200, r.text
    body = r.json()
    assert_tokens(body)
    assert body["user"]["id"] == user.id
    assert body["refresh_token"] != user.refresh
    assert body["access_token"] != user.access
    # Same session: the sid stays, the jti changes.
    assert jwt_payload(body["access_token"])["sid"] == jwt_payload(user.access)["sid"]
    assert jwt_payload(body["access_token"])["jti"] != jwt_payload(user.access)["jti"]
    assert server.get("/api/auth/profile/", headers=bearer(body["access_token"])).status_code == 200
    # The new refresh token works once more.
    again = refresh_req(server, body["refresh_token"])
    assert again.status_code == 200, again.text
    assert_no_secret_keys(again)


def conflict(resp):
    assert_envelope(resp, 409, "CONFLICT")


def test_refresh_replayed_at_once_is_refused_but_the_session_lives(server):
    """Two tabs refreshing with the same token: the second gets 409, nothing is revoked."""
    user = register(server)
    first = refresh_req(server, user.refresh)
    assert first.status_code == 200
    conflict(refresh_req(server, user.refresh))
    conflict(refresh_req(server, user.refresh))
    newest = first.json()
    assert server.get("/api/auth/profile/", headers=bearer(newest["access_token"])).status_code == 200
    assert refresh_req(server, newest["refresh_token"]).status_code == 200


def test_used_refresh_token_is_refused_after_the_grace(make_server):
    srv = make_server(args=["--refresh-reuse-grace-s", "1"])
    user = register(srv)
    assert refresh_req(srv, user.refresh).status_code == 200
    conflict(refresh_req(srv, user.refresh))
    time.sleep(1.2)
    unauthorized(refresh_req(srv, user.refresh))


def test_refresh_reuse_revokes_the_whole_session(make_server):
    server = make_server(args=["--refresh-reuse-grace-s", "0"])
    user = register(server)
    other = user.login()  # a second, unrelated session of the same user
    first = refresh_req(server, user.refresh).json()
    second = refresh_req(server, first["refresh_token"]).json()
    # Someone replays the very first refresh token: the session is burnt.
    unauthorized(refresh_req(server, user.refresh))
    unauthorized(refresh_req(server, second["refresh_token"]))
    unauthorized(server.get("/api/auth/profile/", headers=bearer(second["access_token"])))
    unauthorized(server.get("/api/auth/profile/", headers=bearer(first["access_token"])))
    unauthorized(server.get("/api/auth/profile/", headers=bearer(user.access)))
    # The other session is untouched.
    assert server.get("/api/auth/profile/", headers=bearer(other["access_token"])).status_code == 200
    assert refresh_req(server, other["refresh_token"]).status_code == 200


def test_refresh_rejects_unknown_tokens(server):
    user = register(server)
    unauthorized(refresh_req(server, "x" * 43))
    unauthorized(refresh_req(server, user.refresh + "x"))
    unauthorized(refresh_req(server, user.refresh[:-1]))
    # None of that burnt the real session.
    assert refresh_req(server, user.refresh).status_code == 200


def test_refresh_rejects_an_access_token(server):
    """An access token is no refresh token: api.md says 401 for an unknown one."""
    user = register(server)
    unauthorized(refresh_req(server, user.access))
    assert refresh_req(server, user.refresh).status_code == 200


def test_refresh_without_token(server):
    r = server.post("/api/auth/refresh/", json={})
    assert r.status_code in (400, 401), r.text
    assert_envelope(r, r.status_code, "VALIDATION_ERROR" if r.status_code == 400 else "AUTHENTICATION_REQUIRED")
    r = server.post("/api/auth/refresh/", json={"refresh_token": 12345})
    assert r.status_code in (400, 401), r.text


def test_refresh_with_cookie(server):
    user = register(server)
    r = login_req(server, user.username, user.password)
    refresh_cookie = r.cookies.get("wp_refresh")
    assert refresh_cookie, f"login sets no wp_refresh cookie: {r.headers.get('Set-Cookie')}"
    line = cookie_line(r, "wp_refresh")
    assert "httponly" in line.lower()
    with requests.Session() as s:
        s.cookies.set("wp_refresh", refresh_cookie)
        out = s.post(server.url + "/api/auth/refresh/", json={}, headers={"Origin": server.url}, timeout=10)
        assert out.status_code == 200, out.text
        assert_tokens(out.json())
        assert out.json()["user"]["id"] == user.id
        assert out.json()["refresh_token"] != refresh_cookie
        SEEN_SECRETS.setdefault(server.url, set()).add(out.json()["refresh_token"])
    # The cookie's token was used up like any other (refused, within the grace with 409).
    conflict(refresh_req(server, refresh_cookie))


def test_refresh_answer_shows_no_token_hash(server):
    user = register(server)
    r = refresh_req(server, user.refresh)
    assert r.status_code == 200
    new = r.json()["refresh_token"]
    assert_no_secret_keys(r, *token_hash_forms(user.refresh), *token_hash_forms(new))


def test_refresh_user_reflects_current_state(server):
    user = register(server)
    assert user.patch("/api/auth/profile/", json={"first_name": "Renamed"}).status_code == 200
    body = refresh_req(server, user.refresh).json()
    assert body["user"]["first_name"] == "Renamed"


# ---------------------------------------------------------------- access token shape and TTL

def test_access_token_is_hs256_jwt_with_claims(server):
    user = register(server)
    header, claims, _ = jwt_parts(user.access)
    assert header["alg"] == "HS256"
    assert claims["sub"] == user.id
    assert_uuid(claims["sid"])
    assert isinstance(claims["jti"], str) and claims["jti"]
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 60
    assert user.tokens["expires_in"] == 900
    # No secret material in the readable payload.
    assert not {"password", "password_hash", "email"} & set(claims)


def test_access_token_ttl_setting(make_server):
    s = make_server(args=["--access-token-ttl-s", "60"])
    user = register(s)
    assert user.tokens["expires_in"] == 60
    claims = jwt_payload(user.access)
    assert claims["exp"] - claims["iat"] == 60
    refreshed = refresh_req(s, user.refresh).json()
    assert refreshed["expires_in"] == 60


def test_access_token_ttl_below_minimum_refuses_to_start(tmp_path):
    try:
        r = run_cli("serve", "--port", "0", "--data-dir", str(tmp_path), "--access-token-ttl-s", "10", timeout=15)
    except Exception as e:  # a server that starts anyway never returns
        pytest.fail(f"server started with --access-token-ttl-s 10: {e}")
    assert r.returncode != 0
    assert "access_token_ttl_s" in r.stderr or "access-token-ttl-s" in r.stderr, r.stderr


# ---------------------------------------------------------------- forged tokens

@pytest.fixture(scope="module", params=BACKENDS)
def jwt_server(request):
    s = Server(request.param, args=["--jwt-secret", JWT_SECRET]).start()
    yield s
    s.stop()


def profile_with(s, token):
    return s.get("/api/auth/profile/", headers=bearer(token))


def test_real_tokens_are_signed_with_the_configured_secret(jwt_server):
    user = register(jwt_server)
    header, claims, sig = jwt_parts(user.access)
    assert claims.get("typ") == "access"
    # Re-signing the very same header and payload gives the same signature.
    h64, p64, _ = user.access.split(".")
    import hashlib
    import hmac
    expected = b64u(hmac.new(JWT_SECRET.encode(), f"{h64}.{p64}".encode(), hashlib.sha256).digest())
    assert sig == expected


def test_forged_valid_token_is_accepted(jwt_server):
    """Proves the test forges like the server does, so the refusals below mean something."""
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    token = forge_jwt(JWT_SECRET, access_claims(user.id, sid))
    r = profile_with(jwt_server, token)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user.id


def test_expired_token_is_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    now = time.time()
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, sid, now=now - 1000, ttl=900))))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, sid, now=now - 300, ttl=60))))


def test_tampered_signature_is_refused(jwt_server):
    user = register(jwt_server)
    h64, p64, sig = user.access.split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    unauthorized(profile_with(jwt_server, f"{h64}.{p64}.{flipped}"))
    unauthorized(profile_with(jwt_server, f"{h64}.{p64}."))
    unauthorized(profile_with(jwt_server, f"{h64}.{p64}"))


def test_tampered_payload_is_refused(jwt_server):
    victim = register(jwt_server)
    attacker = register(jwt_server)
    h64, p64, sig = attacker.access.split(".")
    claims = jwt_payload(attacker.access)
    claims["sub"] = victim.id
    import json
    p2 = b64u(json.dumps(claims, separators=(",", ":")).encode())
    unauthorized(profile_with(jwt_server, f"{h64}.{p2}.{sig}"))


def test_alg_none_is_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    claims = access_claims(user.id, sid)
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, claims, alg="none")))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, claims, alg="none",
                                                    header={"alg": "None", "typ": "JWT"})))


def test_other_algorithms_and_secrets_are_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    claims = access_claims(user.id, sid)
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, claims, alg="HS512")))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, claims, alg="HS384")))
    # HS256 in the header but the signature of HS512 does not pass either.
    hs512 = forge_jwt(JWT_SECRET, claims, alg="HS512").split(".")[2]
    hs256 = forge_jwt(JWT_SECRET, claims).split(".")
    unauthorized(profile_with(jwt_server, f"{hs256[0]}.{hs256[1]}.{hs512}"))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET + "x", claims)))


def test_forged_token_for_unknown_or_revoked_session_is_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, str(uuid.uuid4())))))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(str(uuid.uuid4()), sid))))
    other = register(jwt_server)
    # Someone else's session id with my user id.
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, jwt_payload(other.access)["sid"]))))
    assert_success(user.post("/api/auth/logout/", json={}))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, sid))))


def test_token_of_another_type_is_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    for typ in ("refresh", "challenge", "2fa"):
        unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, access_claims(user.id, sid, typ=typ))))


def test_malformed_claims_are_refused(jwt_server):
    user = register(jwt_server)
    sid = jwt_payload(user.access)["sid"]
    claims = access_claims(user.id, sid)
    no_exp = {k: v for k, v in claims.items() if k != "exp"}
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, no_exp)))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, dict(claims, exp="tomorrow"))))
    unauthorized(profile_with(jwt_server, forge_jwt(JWT_SECRET, dict(claims, sub="not-a-uuid"))))
    unauthorized(profile_with(jwt_server, "a.b.c"))
    unauthorized(profile_with(jwt_server, "%%%.%%%.%%%"))


# ---------------------------------------------------------------- sessions

def sessions(user, token=None, query=""):
    r = user.get("/api/auth/sessions/" + query, token=token)
    assert r.status_code == 200, r.text
    return assert_page(r.json())


def test_sessions_list_marks_current(server):
    user = register(server)
    a = user.login(user_agent="agent-A")
    b = user.login(user_agent="agent-B")
    page = sessions(user, token=a["access_token"])
    assert page["count"] == 3  # register, A, B
    rows = page["results"]
    for row in rows:
        assert set(row) == SESSION_KEYS, row
        assert_uuid(row["id"])
        for k in ("created_at", "last_seen_at", "expires_at"):
            assert_time(row[k], nullable=(k == "last_seen_at"))
        assert row["ip_address"] == "127.0.0.1"
    current = [row for row in rows if row["current"]]
    assert len(current) == 1
    assert current[0]["id"] == jwt_payload(a["access_token"])["sid"]
    assert current[0]["user_agent"] == "agent-A"
    assert {row["user_agent"] for row in rows} >= {"agent-A", "agent-B"}
    # Seen from B, B is current.
    current_b = [row for row in sessions(user, token=b["access_token"])["results"] if row["current"]]
    assert [row["id"] for row in current_b] == [jwt_payload(b["access_token"])["sid"]]
    r = user.get("/api/auth/sessions/", token=a["access_token"])
    refresh_tokens = (user.refresh, a["refresh_token"], b["refresh_token"])
    assert_no_secret_keys(r, *refresh_tokens, *[h for t in refresh_tokens for h in token_hash_forms(t)])


def test_sessions_pagination(server):
    user = register(server)
    user.login()
    user.login()
    page = sessions(user, query="?page_size=2")
    assert page["count"] == 3 and len(page["results"]) == 2
    assert page["next"] and page["previous"] is None
    nxt = user.get(path_of(page["next"])).json()
    assert len(nxt["results"]) == 1 and nxt["next"] is None and nxt["previous"]
    ids = {r["id"] for r in page["results"]} | {r["id"] for r in nxt["results"]}
    assert len(ids) == 3


def test_sessions_are_per_user(server):
    a = register(server)
    b = register(server)
    ids_a = {r["id"] for r in sessions(a)["results"]}
    ids_b = {r["id"] for r in sessions(b)["results"]}
    assert ids_a and ids_b and not ids_a & ids_b


def test_delete_session(server):
    user = register(server)
    other = user.login()
    other_sid = jwt_payload(other["access_token"])["sid"]
    assert_success(user.delete(f"/api/auth/sessions/{other_sid}/"))
    unauthorized(user.get("/api/auth/profile/", token=other["access_token"]))
    unauthorized(refresh_req(server, other["refresh_token"]))
    assert user.get("/api/auth/profile/").status_code == 200
    assert other_sid not in {r["id"] for r in sessions(user)["results"]}
    # Deleting it again: it is gone.
    assert_envelope(user.delete(f"/api/auth/sessions/{other_sid}/"), 404, "RESOURCE_NOT_FOUND")


def test_delete_session_errors(server):
    user = register(server)
    stranger = register(server)
    stranger_sid = jwt_payload(stranger.access)["sid"]
    assert_envelope(user.delete(f"/api/auth/sessions/{stranger_sid}/"), 404, "RESOURCE_NOT_FOUND")
    assert stranger.get("/api/auth/profile/").status_code == 200
    assert_envelope(user.delete(f"/api/auth/sessions/{uuid.uuid4()}/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(user.delete("/api/auth/sessions/not-a-uuid/"), 404, "RESOURCE_NOT_FOUND")


def test_revoke_all_keeps_current_by_default(server):
    user = register(server)
    s1 = user.login()
    s2 = user.login()
    assert_success(user.delete(f"/api/auth/sessions/{jwt_payload(s2['access_token'])['sid']}/"))
    body = assert_success(user.post("/api/auth/sessions/revoke-all/", json={}))
    assert body["revoked"] == 1  # only s1 was still active besides the current one
    unauthorized(user.get("/api/auth/profile/", token=s1["access_token"]))
    unauthorized(refresh_req(server, s1["refresh_token"]))
    assert user.get("/api/auth/profile/").status_code == 200
    assert sessions(user)["count"] == 1
    assert refresh_req(server, user.refresh).status_code == 200


def test_revoke_all_including_current(server):
    user = register(server)
    s1 = user.login()
    body = assert_success(user.post("/api/auth/sessions/revoke-all/", json={"keep_current": False}))
    assert body["revoked"] == 2
    unauthorized(user.get("/api/auth/profile/"))
    unauthorized(user.get("/api/auth/profile/", token=s1["access_token"]))
    unauthorized(refresh_req(server, user.refresh))
    # Logging in again still works.
    assert user.login()


def test_revoke_all_explicit_keep_current_true_and_bad_value(server):
    user = register(server)
    user.login()
    assert_field_errors(user.post("/api/auth/sessions/revoke-all/", json={"keep_current": "nope"}), "keep_current")
    assert user.get("/api/auth/profile/").status_code == 200
    body = assert_success(user.post("/api/auth/sessions/revoke-all/", json={"keep_current": True}))
    assert body["revoked"] == 1
    assert user.get("/api/auth/profile/").status_code == 200


# ---------------------------------------------------------------- secrets in logs

def test_server_log_never_contains_passwords_or_refresh_tokens(server):
    user = register(server)
    user.login()
    refresh_req(server, user.refresh)
    login_req(server, user.username, "Wrong-" + user.password)
    user.post("/api/auth/change-password/", json={"current_password": user.password,
                                                   "new_password": user.password + "-new"})
    SEEN_SECRETS.setdefault(server.url, set()).add(user.password + "-new")
    time.sleep(0.3)
    log = server.log()
    seen = SEEN_SECRETS.get(server.url, set())
    assert len(seen) >= 5
    leaked = sorted(s for s in seen if s in log)
    assert not leaked, f"{len(leaked)} secrets in the server log, e.g. {leaked[:3]}"
    assert "password_hash" not in log
