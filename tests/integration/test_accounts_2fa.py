"""Accounts: TOTP two-factor authentication (RFC 6238), recovery codes."""
import base64
import time
import urllib.parse

from helpers import (assert_envelope, assert_field_errors, assert_no_secret_keys, assert_success, assert_tokens,
                     b32key, bearer, cookie_line, fresh_step, hotp, login_req, register, totp)


def unauthorized(resp):
    assert_envelope(resp, 401, "AUTHENTICATION_REQUIRED")


def setup_2fa(user):
    r = user.post("/api/auth/2fa/setup/", json={})
    assert r.status_code == 200, r.text
    return r.json()


def enable_2fa(user):
    """Setup and verify; returns (secret, recovery codes, the TOTP step used)."""
    secret = setup_2fa(user)["secret"]
    step = fresh_step()
    r = user.post("/api/auth/2fa/verify/", json={"code": totp(secret, step * 30)})
    body = assert_success(r)
    return secret, body["recovery_codes"], step


def challenge(user):
    r = login_req(user.server, user.username, user.password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body.get("two_factor_required") is True, body
    return body["challenge_token"]


def login_2fa(user, **body):
    return user.server.post("/api/auth/2fa/login/", json={"challenge_token": challenge(user), **body})


def wrong_code(secret, step):
    """A six-digit code that is valid for none of the steps around `step`."""
    valid = {hotp(b32key(secret), step + d) for d in range(-3, 4)}
    for n in range(1000000):
        c = str(n).zfill(6)
        if c not in valid:
            return c


# ---------------------------------------------------------------- the TOTP helper itself

def test_totp_matches_rfc6238_sha1_vectors():
    key = b"12345678901234567890"
    b32 = base64.b32encode(key).decode()
    assert hotp(key, 59 // 30, digits=8) == "94287082"
    assert totp(b32, t=59, digits=8) == "94287082"
    assert totp(b32, t=1111111109, digits=8) == "07081804"
    assert totp(b32, t=1234567890, digits=8) == "89005924"
    assert totp(b32, t=59) == "287082"


# ---------------------------------------------------------------- setup and verify

def test_setup_returns_secret_uri_and_svg(server):
    user = register(server)
    body = setup_2fa(user)
    assert set(body) == {"secret", "otpauth_uri", "qr_code_svg"}, body.keys()
    secret = body["secret"]
    assert len(b32key(secret)) >= 10  # at least 80 bits
    uri = urllib.parse.urlsplit(body["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    query = urllib.parse.parse_qs(uri.query)
    assert query["secret"] == [secret]
    label = urllib.parse.unquote(uri.path)
    assert user.username in label or user.email in label, label
    assert "<svg" in body["qr_code_svg"]
    # Not enabled yet: login still hands out tokens directly.
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is False
    r = login_req(server, user.username, user.password)
    assert_tokens(r.json())


def test_verify_wrong_code_then_right_code_enables(server):
    user = register(server)
    secret = setup_2fa(user)["secret"]
    step = fresh_step()
    assert_field_errors(user.post("/api/auth/2fa/verify/", json={"code": wrong_code(secret, step)}), "code")
    assert_field_errors(user.post("/api/auth/2fa/verify/", json={"code": "abcdef"}), "code")
    assert_field_errors(user.post("/api/auth/2fa/verify/", json={}), "code")
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is False
    r = user.post("/api/auth/2fa/verify/", json={"code": totp(secret, step * 30)})
    body = assert_success(r)
    codes = body["recovery_codes"]
    assert isinstance(codes, list) and len(codes) == 10 and len(set(codes)) == 10
    assert all(isinstance(c, str) and len(c) >= 8 for c in codes)
    assert_no_secret_keys(r, secret)
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is True
    # Set up again while enabled: conflict.
    assert_envelope(user.post("/api/auth/2fa/setup/", json={}), 409, "CONFLICT")


def test_verify_before_setup_is_refused(server):
    user = register(server)
    r = user.post("/api/auth/2fa/verify/", json={"code": "123456"})
    assert r.status_code in (400, 409), r.text
    assert_envelope(r, r.status_code, "VALIDATION_ERROR" if r.status_code == 400 else "CONFLICT")
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is False


def test_setup_twice_before_verify_uses_the_latest_secret(server):
    user = register(server)
    setup_2fa(user)
    second = setup_2fa(user)["secret"]
    step = fresh_step()
    assert_success(user.post("/api/auth/2fa/verify/", json={"code": totp(second, step * 30)}))


# ---------------------------------------------------------------- login with a second factor

def test_login_asks_for_second_factor(server):
    user = register(server)
    secret, _, _ = enable_2fa(user)
    r = login_req(server, user.username, user.password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"two_factor_required", "challenge_token", "expires_in"}, body
    assert body["two_factor_required"] is True
    assert isinstance(body["challenge_token"], str) and body["challenge_token"]
    assert isinstance(body["expires_in"], int) and 0 < body["expires_in"] <= 900
    assert cookie_line(r, "wp_access") is None or not r.cookies.get("wp_access")
    assert_no_secret_keys(r, secret)
    # The challenge is no access token.
    unauthorized(server.get("/api/auth/profile/", headers=bearer(body["challenge_token"])))
    # Wrong password is still a plain 401, with no challenge.
    unauthorized(login_req(server, user.username, "Wrong-" + user.password))


def test_2fa_login_refuses_bad_code_and_bad_challenge(server):
    user = register(server)
    secret, _, step = enable_2fa(user)
    unauthorized(login_2fa(user, code=wrong_code(secret, step)))
    unauthorized(server.post("/api/auth/2fa/login/", json={"challenge_token": "garbage", "code": totp(secret)}))
    unauthorized(login_2fa(user, recovery_code="not-a-recovery-code"))
    r = server.post("/api/auth/2fa/login/", json={"challenge_token": challenge(user)})
    assert r.status_code in (400, 401), r.text


def test_access_token_is_no_challenge(server):
    """api.md: 401 on a bad challenge; an access token is one."""
    user = register(server)
    secret, _, _ = enable_2fa(user)
    other = register(server)
    unauthorized(server.post("/api/auth/2fa/login/", json={"challenge_token": other.access, "code": totp(secret)}))
    unauthorized(server.post("/api/auth/2fa/login/", json={"challenge_token": user.access, "code": totp(secret)}))


def test_challenge_of_one_user_does_not_log_in_another(server):
    alice = register(server)
    bob = register(server)
    _, _, _ = enable_2fa(alice)
    _, bob_codes, _ = enable_2fa(bob)
    # Alice's challenge with Bob's recovery code.
    unauthorized(server.post("/api/auth/2fa/login/", json={"challenge_token": challenge(alice),
                                                           "recovery_code": bob_codes[0]}))
    # Bob's code is still unused.
    r = login_2fa(bob, recovery_code=bob_codes[0])
    assert r.status_code == 200, r.text
    assert r.json()["user"]["id"] == bob.id


def test_recovery_codes_work_once_each(server):
    user = register(server)
    secret, codes, _ = enable_2fa(user)
    r = login_2fa(user, recovery_code=codes[0])
    assert r.status_code == 200, r.text
    assert_tokens(r.json())
    assert r.json()["user"]["id"] == user.id
    assert_no_secret_keys(r, secret)
    assert server.get("/api/auth/profile/", headers=bearer(r.json()["access_token"])).status_code == 200
    unauthorized(login_2fa(user, recovery_code=codes[0]))
    r = login_2fa(user, recovery_code=codes[1])
    assert r.status_code == 200, r.text


def test_totp_login_and_code_replay(server):
    """One wait for a fresh step serves both users: Alice logs in and replays,
    Bob disables 2FA with a TOTP code."""
    alice = register(server)
    bob = register(server)
    a_secret, _, a_step = enable_2fa(alice)
    b_secret, _, b_step = enable_2fa(bob)
    step = fresh_step(after=max(a_step, b_step))
    code = totp(a_secret, step * 30)
    r = login_2fa(alice, code=code)
    assert r.status_code == 200, r.text
    assert_tokens(r.json())
    assert r.json()["user"]["id"] == alice.id
    assert r.json()["user"]["two_factor_enabled"] is True
    # The same code a second time, same 30 s step: refused.
    unauthorized(login_2fa(alice, code=code))
    # Bob: disable with a TOTP code and the password.
    assert_success(bob.post("/api/auth/2fa/disable/", json={"code": totp(b_secret, step * 30),
                                                             "password": bob.password}))
    assert bob.get("/api/auth/profile/").json()["two_factor_enabled"] is False
    assert_tokens(login_req(server, bob.username, bob.password).json())


# ---------------------------------------------------------------- disable

def test_disable_errors_then_with_recovery_code(server):
    user = register(server)
    secret, codes, step = enable_2fa(user)
    r = user.post("/api/auth/2fa/disable/", json={"code": codes[5], "password": "Wrong-" + user.password})
    body = assert_field_errors(r, "password")
    assert "code" not in body["errors"]
    r = user.post("/api/auth/2fa/disable/", json={"code": wrong_code(secret, step), "password": user.password})
    body = assert_field_errors(r, "code")
    assert "password" not in body["errors"]
    assert_field_errors(user.post("/api/auth/2fa/disable/", json={}), "code", "password")
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is True
    assert_success(user.post("/api/auth/2fa/disable/", json={"code": codes[0], "password": user.password}))
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is False
    assert_tokens(login_req(server, user.username, user.password).json())
    # Enable again: a new secret and new recovery codes; the old ones are dead.
    new_secret, new_codes, _ = enable_2fa(user)
    assert new_secret != secret and not set(new_codes) & set(codes)
    unauthorized(login_2fa(user, recovery_code=codes[1]))
    assert login_2fa(user, recovery_code=new_codes[0]).status_code == 200


def test_the_profile_read_shows_2fa_on_at_once_after_repeated_reads(server):
    user = register(server)
    for _ in range(3):
        assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is False
    enable_2fa(user)
    assert user.get("/api/auth/profile/").json()["two_factor_enabled"] is True


def test_disable_when_not_enabled(server):
    user = register(server)
    r = user.post("/api/auth/2fa/disable/", json={"code": "123456", "password": user.password})
    assert r.status_code in (400, 409), r.text
    assert_envelope(r, r.status_code, "VALIDATION_ERROR" if r.status_code == 400 else "CONFLICT")


def test_totp_secret_never_in_other_answers(server):
    user = register(server)
    viewer = register(server)
    secret, codes, _ = enable_2fa(user)
    for r in (user.get("/api/auth/profile/"), user.get("/api/users/me/profile/"),
              viewer.get(f"/api/users/{user.id}/"), viewer.get(f"/api/users/?search={user.username}"),
              login_req(server, user.username, user.password), login_2fa(user, recovery_code=codes[0]),
              user.get("/api/auth/sessions/"), user.get("/api/auth/login-history/")):
        assert r.status_code == 200, r.text
        assert_no_secret_keys(r, secret)
        for c in codes:
            assert c not in r.text


# ---------------------------------------------------------------- guessing codes, challenge lifetime

def test_bad_codes_count_against_the_account_throttle(make_server):
    s = make_server(args=["--login-fail-limit-account", "3"])
    user = register(s)
    secret, _, step = enable_2fa(user)
    challenges = [challenge(user) for _ in range(4)]  # right passwords count for nothing
    for c in challenges[:3]:
        unauthorized(s.post("/api/auth/2fa/login/", json={"challenge_token": c, "code": wrong_code(secret, step)}))
    # Checked before the code: even a right code is refused now, so guessing learns nothing.
    r = s.post("/api/auth/2fa/login/", json={"challenge_token": challenges[3], "code": totp(secret)})
    assert_envelope(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0
    # Nor does a right password wipe the count.
    r = login_req(s, user.username, user.password)
    assert_envelope(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0


def test_bad_codes_count_against_the_ip_throttle(make_server):
    s = make_server(args=["--login-fail-limit-ip", "2"])
    users = [register(s) for _ in range(3)]
    secrets = [enable_2fa(u) for u in users]
    challenges = [challenge(u) for u in users]
    for c, (secret, _, step) in zip(challenges[:2], secrets):
        unauthorized(s.post("/api/auth/2fa/login/", json={"challenge_token": c, "code": wrong_code(secret, step)}))
    # Another account from the same address is refused before its code is looked at.
    r = s.post("/api/auth/2fa/login/", json={"challenge_token": challenges[2], "code": totp(secrets[2][0])})
    assert_envelope(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0


def test_challenge_expires_after_its_lifetime(make_server):
    # 3 s: long enough that a loaded machine answers a fresh challenge in time.
    s = make_server(args=["--two-factor-challenge-ttl-s", "3"])
    user = register(s)
    _, codes, _ = enable_2fa(user)
    r = login_req(s, user.username, user.password)
    assert r.status_code == 200 and r.json()["expires_in"] == 3, r.text
    time.sleep(3.3)
    r = s.post("/api/auth/2fa/login/", json={"challenge_token": r.json()["challenge_token"], "recovery_code": codes[0]})
    body = assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")
    assert "challenge" in body["message"].lower(), body
    # Answered within its lifetime, a challenge works (a recovery code: no wait for a TOTP step),
    # and the expired one did not use the code up.
    assert_tokens(login_2fa(user, recovery_code=codes[0]).json())
