"""Accounts: change, forgot and reset password, and e-mail verification
(mail read from an SMTP sink)."""
import time

import pytest

from helpers import (MAIL_FROM, RESET_SUBJECT, SEEN_SECRETS, VERIFY_SUBJECT, SlowSMTPSink, SMTPSink,
                     assert_envelope, assert_field_errors, assert_success, login_req, mail_server,  # noqa: F401
                     mail_server_args, refresh_req, register, remember_secret, strong_password, uniq)


def unauthorized(resp):
    assert_envelope(resp, 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- change password

def test_change_password_keeps_current_session_only(server):
    user = register(server)
    other = user.login()
    new = strong_password()
    remember_secret(server, new)
    assert_success(user.post("/api/auth/change-password/", json={"current_password": user.password,
                                                                  "new_password": new}))
    # This session goes on, including its refresh token.
    assert user.get("/api/auth/profile/").status_code == 200
    refreshed = refresh_req(server, user.refresh)
    assert refreshed.status_code == 200, refreshed.text
    # Every other session is gone.
    unauthorized(user.get("/api/auth/profile/", token=other["access_token"]))
    unauthorized(refresh_req(server, other["refresh_token"]))
    unauthorized(login_req(server, user.username, user.password))
    assert login_req(server, user.username, new).status_code == 200


def test_change_password_wrong_current(server):
    user = register(server)
    r = user.post("/api/auth/change-password/", json={"current_password": "Wrong-" + user.password,
                                                       "new_password": strong_password()})
    body = assert_field_errors(r, "current_password")
    assert "new_password" not in body["errors"]
    # Nothing changed, nothing revoked.
    assert user.get("/api/auth/profile/").status_code == 200
    assert user.login()


@pytest.mark.parametrize("kind", ["short", "all_digits", "contains_username", "common", "too_long"])
def test_change_password_weak_new(server, kind):
    user = register(server)
    weak = {"short": "Ab1!xyz", "all_digits": "98765432109876", "contains_username": f"Q!{user.username}7",
            "common": "password123", "too_long": "Aa1!" + "y" * 125}[kind]
    r = user.post("/api/auth/change-password/", json={"current_password": user.password, "new_password": weak})
    body = assert_field_errors(r, "new_password")
    assert "current_password" not in body["errors"]
    assert user.login()


def test_change_password_lists_all_bad_fields(server):
    user = register(server)
    assert_field_errors(user.post("/api/auth/change-password/", json={}), "current_password", "new_password")
    r = user.post("/api/auth/change-password/", json={"current_password": "Wrong-" + user.password,
                                                       "new_password": "short"})
    assert_field_errors(r, "current_password", "new_password")


# ---------------------------------------------------------------- forgot / reset

def test_forgot_password_same_answer_for_unknown_email(mail_server):
    user = register(mail_server)
    ghost = f"{uniq('ghost')}@example.com"
    known = mail_server.post("/api/auth/forgot-password/", json={"email": user.email})
    unknown = mail_server.post("/api/auth/forgot-password/", json={"email": ghost})
    assert known.status_code == unknown.status_code == 200
    kb, ub = known.json(), unknown.json()
    assert kb["success"] is True and isinstance(kb["message"], str) and kb["message"]
    assert set(kb) == set(ub) and kb["message"] == ub["message"] and ub["success"] is True
    mail = mail_server.sink.wait_for(to=user.email, subject=RESET_SUBJECT)
    assert mail.mail_from == MAIL_FROM
    assert MAIL_FROM in str(mail.msg.get("From", ""))
    assert user.email.lower() in str(mail.msg.get("To", "")).lower()
    assert mail.token
    time.sleep(1)
    assert mail_server.sink.find(to=ghost) == []


def test_forgot_password_needs_an_email_field(mail_server):
    assert_field_errors(mail_server.post("/api/auth/forgot-password/", json={}), "email")


def test_reset_password_flow(mail_server):
    user = register(mail_server)
    second = user.login()
    assert_success(mail_server.post("/api/auth/forgot-password/", json={"email": user.email}))
    token = mail_server.sink.wait_for(to=user.email, subject=RESET_SUBJECT).token
    new = strong_password()
    remember_secret(mail_server, new)
    assert_success(mail_server.post("/api/auth/reset-password/", json={"token": token, "new_password": new}))
    # Every session is revoked.
    for tokens in (user.tokens, second):
        unauthorized(mail_server.get("/api/auth/profile/", headers={"Authorization": f"Bearer {tokens['access_token']}"}))
        unauthorized(refresh_req(mail_server, tokens["refresh_token"]))
    unauthorized(login_req(mail_server, user.username, user.password))
    assert login_req(mail_server, user.username, new).status_code == 200
    # The token worked once.
    again = mail_server.post("/api/auth/reset-password/", json={"token": token, "new_password": strong_password()})
    assert_envelope(again, 400, "VALIDATION_ERROR")
    assert login_req(mail_server, user.username, new).status_code == 200


def test_reset_password_bad_token_and_missing_fields(mail_server):
    r = mail_server.post("/api/auth/reset-password/", json={"token": "not-a-real-token", "new_password": strong_password()})
    assert_envelope(r, 400, "VALIDATION_ERROR")
    assert_field_errors(mail_server.post("/api/auth/reset-password/", json={}), "token", "new_password")


def test_reset_password_weak_password_keeps_token(mail_server):
    user = register(mail_server)
    assert_success(mail_server.post("/api/auth/forgot-password/", json={"email": user.email}))
    token = mail_server.sink.wait_for(to=user.email, subject=RESET_SUBJECT).token
    weak = mail_server.post("/api/auth/reset-password/", json={"token": token, "new_password": "password123"})
    assert_field_errors(weak, "new_password")
    digits = mail_server.post("/api/auth/reset-password/", json={"token": token, "new_password": "12345678901234"})
    assert_field_errors(digits, "new_password")
    # A refused attempt does not use the token up.
    new = strong_password()
    remember_secret(mail_server, new)
    assert_success(mail_server.post("/api/auth/reset-password/", json={"token": token, "new_password": new}))
    assert login_req(mail_server, user.email, new).status_code == 200


def test_verification_token_is_not_a_reset_token(mail_server):
    user = register(mail_server)
    verify_token = mail_server.sink.wait_for(to=user.email, subject=VERIFY_SUBJECT).token
    r = mail_server.post("/api/auth/reset-password/", json={"token": verify_token, "new_password": strong_password()})
    assert_envelope(r, 400, "VALIDATION_ERROR")
    assert user.login()
    assert_success(mail_server.post("/api/auth/forgot-password/", json={"email": user.email}))
    reset_token = mail_server.sink.wait_for(to=user.email, subject=RESET_SUBJECT).token
    assert_envelope(mail_server.post("/api/auth/verify-email/", json={"token": reset_token}), 400, "VALIDATION_ERROR")
    assert user.get("/api/auth/profile/").json()["email_verified"] is False


# ---------------------------------------------------------------- e-mail verification

def test_register_mails_a_verification_token(mail_server):
    user = register(mail_server)
    mail = mail_server.sink.wait_for(to=user.email, subject=VERIFY_SUBJECT)
    assert mail.mail_from == MAIL_FROM
    assert user.get("/api/auth/profile/").json()["email_verified"] is False
    assert_success(mail_server.post("/api/auth/verify-email/", json={"token": mail.token}))
    profile = user.get("/api/auth/profile/").json()
    assert profile["email_verified"] is True
    # And the next token pair says so too.
    assert refresh_req(mail_server, user.refresh).json()["user"]["email_verified"] is True


def test_verify_email_bad_and_missing_token(mail_server):
    assert_envelope(mail_server.post("/api/auth/verify-email/", json={"token": "bogus-token"}), 400, "VALIDATION_ERROR")
    assert_field_errors(mail_server.post("/api/auth/verify-email/", json={}), "token")


def test_resend_verification_then_conflict_once_verified(mail_server):
    user = register(mail_server)
    first = mail_server.sink.wait_for(to=user.email, subject=VERIFY_SUBJECT)
    assert_success(user.post("/api/auth/resend-verification/", json={}))
    second = mail_server.sink.wait_for(to=user.email, subject=VERIFY_SUBJECT, count=2)
    assert second.token
    assert_success(mail_server.post("/api/auth/verify-email/", json={"token": second.token}))
    assert user.get("/api/auth/profile/").json()["email_verified"] is True
    assert_envelope(user.post("/api/auth/resend-verification/", json={}), 409, "CONFLICT")
    assert first.token  # the first token existed; whether it still works is not specified


def test_mail_server_log_has_no_passwords_or_refresh_tokens(mail_server):
    user = register(mail_server)
    refresh_req(mail_server, user.refresh)
    time.sleep(0.3)
    log = mail_server.log()
    leaked = sorted(s for s in SEEN_SECRETS.get(mail_server.url, set()) if s in log)
    assert not leaked, f"{len(leaked)} secrets in the server log, e.g. {leaked[:3]}"


# ---------------------------------------------------------------- reset token lifetime, mail off the request

def test_reset_token_is_refused_after_its_lifetime(make_server):
    sink = SMTPSink().start()
    try:
        s = make_server(args=mail_server_args(sink) + ["--password-reset-ttl-s", "1"])
        user = register(s)
        assert_success(s.post("/api/auth/forgot-password/", json={"email": user.email}))
        mail = sink.wait_for(to=user.email, subject=RESET_SUBJECT)
        assert "expires in 1 second(s)" in mail.text, mail.text
        time.sleep(1.2)
        r = s.post("/api/auth/reset-password/", json={"token": mail.token, "new_password": strong_password()})
        body = assert_field_errors(r, "token")
        assert "expired" in body["errors"]["token"][0]
        assert login_req(s, user.username, user.password).status_code == 200
    finally:
        sink.stop()


def test_forgot_password_answers_before_the_mail_goes_out(make_server):
    sink = SlowSMTPSink(delay=3.0).start()
    try:
        s = make_server(args=mail_server_args(sink))
        user = register(s)
        sink.wait_for(to=user.email, subject=VERIFY_SUBJECT)  # registration's mail is out of the way
        ghost = f"{uniq('ghost')}@example.com"
        for email in (user.email, ghost):
            started = time.monotonic()
            assert_success(s.post("/api/auth/forgot-password/", json={"email": email}))
            # A slow mail server (3 s here) must not show in the answer's timing.
            assert time.monotonic() - started < 1.5, email
        sink.wait_for(to=user.email, subject=RESET_SUBJECT)
        time.sleep(0.5)
        assert sink.find(to=ghost) == []
    finally:
        sink.stop()
