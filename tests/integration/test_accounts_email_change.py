"""Accounts: changing the email address (POST /api/auth/change-email/). The new address
gets a token (read from an SMTP sink); only verify-email with it changes the address.
The old address gets a notice."""
from helpers import (assert_envelope, assert_field_errors, assert_success, login_req, mail_server,  # noqa: F401
                     register, uniq)

CHANGE_SUBJECT = "Confirm your new watchparty email"
NOTICE_SUBJECT = "Your watchparty email is about to change"


def ask(user, new_email, password=None):
    return user.post("/api/auth/change-email/", json={"new_email": new_email,
                                                       "password": password or user.password})


def test_the_address_changes_when_the_new_one_confirms(mail_server):
    user = register(mail_server)
    new = f"{uniq('new')}@example.com"
    assert_success(ask(user, new))
    mail = mail_server.sink.wait_for(to=new, subject=CHANGE_SUBJECT)
    assert f"/verify-email?token={mail.token}" in mail.text
    notice = mail_server.sink.wait_for(to=user.email, subject=NOTICE_SUBJECT)
    assert new in notice.text
    assert "Token:" not in notice.text, "the notice carries nothing that changes the account"

    # Nothing changes before the confirmation.
    assert user.get("/api/auth/profile/").json()["email"] == user.email

    assert_success(mail_server.post("/api/auth/verify-email/", json={"token": mail.token}))
    me = user.get("/api/auth/profile/").json()
    assert me["email"] == new
    assert me["email_verified"] is True
    # The link works once; logging in by email follows the address.
    assert_field_errors(mail_server.post("/api/auth/verify-email/", json={"token": mail.token}), "token")
    assert login_req(mail_server, new, user.password).status_code == 200
    assert login_req(mail_server, user.email, user.password).status_code == 401


def test_a_taken_address_is_a_conflict(mail_server):
    user = register(mail_server)
    other = register(mail_server)
    r = ask(user, other.email.upper())
    assert_field_errors(r, "new_email", status=409, code="CONFLICT")
    assert mail_server.sink.find(to=other.email, subject=CHANGE_SUBJECT) == []


def test_the_password_and_a_valid_new_address_are_required(mail_server):
    user = register(mail_server)
    assert_field_errors(ask(user, f"{uniq()}@example.com", password="not my password"), "password")
    assert_field_errors(ask(user, "not an address"), "new_email")
    assert_field_errors(ask(user, user.email), "new_email")
    assert_field_errors(user.post("/api/auth/change-email/", json={}), "new_email", "password")
    assert_envelope(mail_server.post("/api/auth/change-email/", json={"new_email": "a@example.com", "password": "x"}),
                    401, "AUTHENTICATION_REQUIRED")


def test_only_the_newest_link_works_and_a_since_taken_address_is_a_conflict(mail_server):
    user = register(mail_server)
    first, second = f"{uniq('one')}@example.com", f"{uniq('two')}@example.com"
    assert_success(ask(user, first))
    older = mail_server.sink.wait_for(to=first, subject=CHANGE_SUBJECT).token
    assert_success(ask(user, second))
    newer = mail_server.sink.wait_for(to=second, subject=CHANGE_SUBJECT).token
    assert_field_errors(mail_server.post("/api/auth/verify-email/", json={"token": older}), "token")

    # Someone registers the address before the link is opened: 409, the old address stays.
    register(mail_server, email=second)
    assert_envelope(mail_server.post("/api/auth/verify-email/", json={"token": newer}), 409, "CONFLICT")
    assert user.get("/api/auth/profile/").json()["email"] == user.email
