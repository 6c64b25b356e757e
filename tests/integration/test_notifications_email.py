"""Notification mail (docs/api.md, "Notifications"): the outbox sent by the
worker to a real SMTP sink, text and HTML parts (escaped), the RFC 8058
one-click unsubscribe with its signed no-login link, daily digest
batching, quiet hours folding mail into a digest, and the outbox surviving
a kill -9 of the worker mid-send (sent exactly once, or retried and failed)."""
import os
import signal
import subprocess
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from conftest import BIN
from helpers import SMTPSink, SlowSMTPSink, cli_db_args, mail_server_args, register, run_sql
from notification_helpers import query_sql, set_preferences
from party_helpers import MEDIA_URL, create_party, party_path
from social_helpers import send_request

FAST = ["--notification-worker-poll-ms", "100"]


@pytest.fixture
def sink():
    s = SMTPSink().start()
    yield s
    s.stop()


def local_path(url):
    """The path and query of a mail's link (mails name public_url; the test server listens elsewhere)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def one_click_url(mail):
    value = str(mail.msg["List-Unsubscribe"])
    assert value.startswith("<") and value.endswith(">"), value
    return value[1:-1]


def parts_of(mail):
    return {p.get_content_type(): p.get_content() for p in mail.msg.walk() if p.get_content_maintype() == "text"}


def no_notice_mail_for(sink, to, seconds=1.5):
    time.sleep(seconds)
    return [m for m in sink.find(to=to) if "Verify" not in m.subject] == []


def test_a_notice_mail_has_text_and_escaped_html_and_the_one_click_headers(make_server, sink):
    server = make_server(args=mail_server_args(sink) + FAST)
    host, guest = register(server), register(server)
    party = create_party(host, title="<b>Tom & Jerry</b>", media_url=MEDIA_URL)
    assert host.post(party_path(party, "invite/"), json={"user_ids": [guest.id]}).status_code in (200, 201)
    mail = sink.wait_for(to=guest.email, subject="invited you to a party")
    assert mail.msg.get_content_type() == "multipart/alternative"
    parts = parts_of(mail)
    assert "<b>Tom & Jerry</b>" in parts["text/plain"], parts["text/plain"]
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in parts["text/html"], parts["text/html"]
    assert "<b>Tom" not in parts["text/html"]
    assert f"/parties/{party['id']}" in parts["text/plain"]
    assert str(mail.msg["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    link = one_click_url(mail)
    assert "/api/notifications/unsubscribe/?token=" in link and link in parts["text/plain"]
    assert str(mail.msg["Message-ID"]).endswith("@watchparty>")
    # The outbox row says sent.
    rows = query_sql(server, "SELECT status, attempts FROM email_notifications WHERE to_address = ?", guest.email)
    assert rows == [("sent", "1")], rows


def test_one_click_unsubscribe_needs_no_login_and_stops_that_type(make_server, sink):
    server = make_server(args=mail_server_args(sink) + FAST)
    ana, bob = register(server), register(server)
    assert send_request(ana, bob).status_code == 201
    mail = sink.wait_for(to=bob.email, subject="sent you a friend request")
    path = local_path(one_click_url(mail))
    # GET shows a page and changes nothing (mail scanners follow links).
    page = server.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"], page.text
    assert "Friend requests" in page.text and "<form method=\"post\"" in page.text
    prefs = bob.get("/api/notifications/preferences/").json()
    assert next(t for t in prefs["types"] if t["notification_type"] == "friend_request")["channels"]["email"] is True
    # A tampered token is refused.
    bad = server.post(path[:-3] + "AAA", data="List-Unsubscribe=One-Click",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert bad.status_code == 400, bad.text
    # The mail client's POST (RFC 8058), without any login.
    r = server.post(path, data="List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and r.json()["unsubscribed"] == "friend_request", r.text
    prefs = bob.get("/api/notifications/preferences/").json()
    fr = next(t for t in prefs["types"] if t["notification_type"] == "friend_request")
    assert fr["channels"]["email"] is False and fr["channels"]["in_app"] is True
    assert send_request(register(server), bob).status_code == 201
    time.sleep(1.5)
    assert len(sink.find(to=bob.email, subject="friend request")) == 1
    # Other types still mail.
    host = register(server)
    party = create_party(host, media_url=MEDIA_URL)
    assert host.post(party_path(party, "invite/"), json={"user_ids": [bob.id]}).status_code in (200, 201)
    sink.wait_for(to=bob.email, subject="invited you to a party")


def test_daily_digest_batches_a_users_mail_into_one(make_server, sink):
    server = make_server(args=mail_server_args(sink) + FAST + ["--notification-digest-interval-s", "2"])
    bob = register(server)
    set_preferences(bob, digest_mode="daily")
    senders = [register(server) for _ in range(3)]
    for s in senders:
        assert send_request(s, bob).status_code == 201
    digest = sink.wait_for(to=bob.email, subject="Your watchparty digest", timeout=10)
    assert "3 notifications" in digest.subject, digest.subject
    parts = parts_of(digest)
    for s in senders:
        assert s.username in parts["text/plain"] and s.username in parts["text/html"]
    assert len(sink.find(to=bob.email, subject="digest")) == 1
    assert sink.find(to=bob.email, subject="friend request") == []
    # Its one-click link stops digests.
    r = server.post(local_path(one_click_url(digest)), data="List-Unsubscribe=One-Click")
    assert r.status_code == 200 and r.json()["unsubscribed"] == "digest", r.text
    assert bob.get("/api/notifications/preferences/").json()["digest_mode"] == "off"


def test_quiet_hours_in_the_profiles_timezone_fold_mail_into_the_next_digest(make_server, sink):
    server = make_server(args=mail_server_args(sink) + FAST)
    ana, bob = register(server), register(server)
    assert bob.patch("/api/users/me/profile/", json={"timezone": "Asia/Tokyo"}).status_code == 200
    tokyo = datetime.utcnow() + timedelta(hours=9)
    start, end = tokyo - timedelta(minutes=1), tokyo + timedelta(minutes=60)
    prefs = set_preferences(bob, quiet_hours={"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    assert prefs["timezone"] == "Asia/Tokyo"
    assert send_request(ana, bob).status_code == 201
    assert no_notice_mail_for(sink, bob.email)
    due = query_sql(server, "SELECT due_at FROM notification_digest_items WHERE user_id = ?", bob.id)
    assert len(due) == 1 and int(due[0][0]) > time.time() * 1000 + 55 * 60 * 1000, due
    # When the quiet hours end, the folded mail goes as a digest.
    run_sql(server, "UPDATE notification_digest_items SET due_at = 0 WHERE user_id = ?", bob.id)
    digest = sink.wait_for(to=bob.email, subject="Your watchparty digest")
    assert ana.username in parts_of(digest)["text/plain"]


def start_worker(server, sink, *extra):
    log = open(os.path.join(server.data_dir, f"worker-{time.time()}.log"), "ab")
    return subprocess.Popen([BIN, "worker", *cli_db_args(server), *mail_server_args(sink), *FAST,
                             "--notification-email-lease-s", "2", "--notification-email-retry-base-s", "0", *extra],
                            stdout=log, stderr=subprocess.STDOUT)


def wait_status(server, email, status, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        rows = query_sql(server, "SELECT status, attempts FROM email_notifications WHERE to_address = ?", email)
        if rows and rows[0][0] == status:
            return rows[0]
        time.sleep(0.1)
    raise AssertionError(f"mail to {email} never {status}: {rows}")


@pytest.mark.parametrize("max_attempts,outcome", [(3, "sent"), (1, "failed")])
def test_the_outbox_survives_kill_9_of_the_worker_mid_send(make_server, max_attempts, outcome):
    sink = SlowSMTPSink(delay=3).start()
    try:
        # The row takes its attempts from the node that queued it.
        server = make_server(args=mail_server_args(sink) + ["--run-workers-in-serve", "false",
                                                            "--notification-email-max-attempts", str(max_attempts)])
        ana, bob = register(server), register(server)
        first = start_worker(server, sink)
        assert send_request(ana, bob).status_code == 201
        wait_status(server, bob.email, "sending")
        time.sleep(0.5)  # the worker is waiting for the slow server's greeting
        first.send_signal(signal.SIGKILL)
        first.wait()
        second = start_worker(server, sink)
        try:
            row = wait_status(server, bob.email, outcome, timeout=20)
            if outcome == "sent":
                assert row == ("sent", "2"), row
                sink.wait_for(to=bob.email, subject="friend request")
                time.sleep(1)
                assert len(sink.find(to=bob.email, subject="friend request")) == 1, "sent exactly once"
            else:
                error = query_sql(server, "SELECT last_error FROM email_notifications WHERE to_address = ?", bob.email)
                assert "lease expired" in error[0][0], error
                time.sleep(1)
                assert sink.find(to=bob.email, subject="friend request") == []
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        sink.stop()


def test_a_failing_smtp_server_means_retries_then_failed(make_server):
    dead = SMTPSink()
    port = dead.port
    dead.srv.server_close()  # nothing listens there
    args = ["--mail-mode", "smtp", "--smtp-url", f"smtp://127.0.0.1:{port}", *FAST,
            "--notification-email-max-attempts", "3", "--notification-email-retry-base-s", "0"]
    server = make_server(args=args)
    ana, bob = register(server), register(server)
    assert send_request(ana, bob).status_code == 201
    row = wait_status(server, bob.email, "failed")
    assert row == ("failed", "3"), row
