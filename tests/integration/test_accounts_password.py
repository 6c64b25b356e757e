"""Accounts: change, forgot and reset password, and e-mail verification
(mail read from an SMTP sink)."""
import json
import re
import time

import pytest

from helpers import (MAIL_FROM, RESET_SUBJECT, SEEN_SECRETS, VERIFY_SUBJECT, SlowSMTPSink, SMTPSink,
                     assert_envelope, assert_field_errors, assert_success, login_req, mail_server,  # noqa: F401
                     mail_server_args, path_of, refresh_req, register, remember_secret, strong_password, uniq)


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
        started = time.monotonic()
        assert_success(s.post("/api/auth/forgot-password/", json={"email": user.email}))
        answered = time.monotonic() - started
        # The address exists and its mail goes through a mail server that takes 3 s: the answer does not wait.
        assert answered < 1.5, answered
        sink.wait_for(to=user.email, subject=RESET_SUBJECT)
        arrived = time.monotonic() - started
        assert arrived >= 2.5, arrived  # it really went through the slow server, after the answer
    finally:
        sink.stop()


def reset_mails(sink):
    return sink.find(subject=RESET_SUBJECT)


def test_forgot_password_mails_one_address_at_most_the_limit(make_server):
    sink = SMTPSink().start()
    try:
        s = make_server(args=mail_server_args(sink) + ["--reset-mail-limit-address", "2"])
        user = register(s)
        for _ in range(3):
            assert_success(s.post("/api/auth/forgot-password/", json={"email": user.email}))
        sink.wait_for(to=user.email, subject=RESET_SUBJECT, count=2)
        time.sleep(1.0)  # the third, had it been queued, would be out by now
        assert len(sink.find(to=user.email, subject=RESET_SUBJECT)) == 2
        assert "too many requests for one email address" in s.log()
        # The limit is per address: another one still gets its mail.
        other = register(s)
        assert_success(s.post("/api/auth/forgot-password/", json={"email": other.email.upper()}))
        sink.wait_for(to=other.email, subject=RESET_SUBJECT)
    finally:
        sink.stop()


def test_forgot_password_mails_from_one_client_at_most_the_limit(make_server):
    sink = SMTPSink().start()
    try:
        s = make_server(args=mail_server_args(sink) + ["--reset-mail-limit-ip", "2"])
        users = [register(s) for _ in range(3)]
        for u in users:
            assert_success(s.post("/api/auth/forgot-password/", json={"email": u.email}))
        sink.wait_for(subject=RESET_SUBJECT, count=2)
        time.sleep(1.0)
        assert len(reset_mails(sink)) == 2
        assert sink.find(to=users[2].email, subject=RESET_SUBJECT) == []
        assert "too many requests from this address" in s.log()
    finally:
        sink.stop()


def test_reset_mail_is_logged_with_the_request_id(make_server):
    sink = SMTPSink().start()
    try:
        s = make_server(args=mail_server_args(sink) + ["--log-format", "json"])
        user = register(s)
        rid = uniq("rid")
        assert_success(s.post("/api/auth/forgot-password/", json={"email": user.email},
                              headers={"X-Request-ID": rid}))
        sink.wait_for(to=user.email, subject=RESET_SUBJECT)
        deadline = time.monotonic() + 5
        sent = []
        while time.monotonic() < deadline and not sent:
            lines = [json.loads(x) for x in s.log().splitlines() if x.startswith("{")]
            sent = [x for x in lines if x.get("msg", "").startswith("mail sent to") and RESET_SUBJECT in x["msg"]]
            time.sleep(0.05)
        assert sent, s.log()[-2000:]
        assert sent[0]["request_id"] == rid, sent[0]
    finally:
        sink.stop()


def test_mailed_links_leave_no_token_in_the_access_log(mail_server):
    user = register(mail_server)
    assert_success(mail_server.post("/api/auth/forgot-password/", json={"email": user.email}))
    mails = [mail_server.sink.wait_for(to=user.email, subject=VERIFY_SUBJECT),
             mail_server.sink.wait_for(to=user.email, subject=RESET_SUBJECT)]
    for mail in mails:
        link = re.search(r"Or open (\S+)", mail.text).group(1)
        assert mail.token in link
        # The web client's page for the link, served by this server as a browser would open it.
        assert mail_server.get(path_of(link) + "&code=c0de5ecret").status_code in (200, 404)
    time.sleep(0.3)
    log = mail_server.log()
    for mail in mails:
        assert mail.token not in log
    assert "c0de5ecret" not in log
    assert "token=***&code=***" in log
