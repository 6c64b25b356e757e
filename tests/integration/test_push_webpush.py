"""Web Push end to end, on both databases: the test is the push service. It
receives the server's POST, decrypts it with the subscription's private key
(RFC 8291), verifies the VAPID JWT (RFC 8292) and the RFC 8030 headers; 404
and 410 remove the subscription; 429 and 5xx are retried (Retry-After
honoured); the outbox never sends a push twice, across a kill -9 or with two
workers at once."""
import json
import os
import signal
import stat
import subprocess
import time

import pytest

from conftest import Server
from helpers import assert_field_errors, register
from push_helpers import (PUSH_ARGS, BrowserKeys, FakePushService, b64u_decode, subscribe, verify_vapid,
                          wait_push)


@pytest.fixture
def fake():
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def push_server(make_server):
    return make_server(args=PUSH_ARGS)


@pytest.fixture
def same_data(make_server):
    """Another server on a server's database and data dir (a restart, or a second worker), logging
    to a file of its own so that its start is read from its own lines."""
    started = []

    def start(server, args=()):
        s = Server(make_server.backend, args=args, data_dir=server.data_dir, database_url=server.database_url)
        s.log_path = os.path.join(server.data_dir, f"server-{len(started) + 2}.log")
        started.append(s.start())
        return s
    yield start
    for s in started:
        s.stop()


def vapid_key(server):
    r = server.get("/api/push/vapid-public-key/")
    assert r.status_code == 200, r.text
    return r.json()["public_key"]


def test_the_vapid_key_is_made_once_kept_private_and_served(make_server, same_data):
    s = make_server()
    key = vapid_key(s)
    raw = b64u_decode(key)
    assert len(raw) == 65 and raw[0] == 4
    path = os.path.join(s.data_dir, "vapid_private_key")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    s.stop()
    again = same_data(s)
    assert vapid_key(again) == key


def test_a_configured_vapid_key_wins(make_server):
    # RFC 8291 Appendix A's application server key pair.
    s = make_server(args=["--vapid-private-key", "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"])
    assert vapid_key(s) == "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
    assert not os.path.exists(os.path.join(s.data_dir, "vapid_private_key"))


def test_subscriptions_are_registered_listed_taken_over_and_removed(push_server, fake):
    alice, bob = register(push_server), register(push_server)
    keys, endpoint, sub = subscribe(alice, fake)
    assert sub["endpoint"] == endpoint and sub["user_agent"] == "pytest-browser/1.0"
    assert "p256dh" not in json.dumps(sub) and "auth" not in sub
    # The same browser again (new keys): the same row, 200.
    again = alice.post("/api/push/subscriptions/", json=BrowserKeys().subscription(endpoint))
    assert again.status_code == 200 and again.json()["id"] == sub["id"]
    listed = alice.get("/api/push/subscriptions/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == sub["id"]
    assert bob.get("/api/push/subscriptions/").json()["count"] == 0
    assert bob.delete(f"/api/push/subscriptions/{sub['id']}/").status_code == 404
    # Bob signs in on that browser: the endpoint is his now.
    assert bob.post("/api/push/subscriptions/", json=keys.subscription(endpoint)).status_code == 200
    assert alice.get("/api/push/subscriptions/").json()["count"] == 0
    assert bob.delete(f"/api/push/subscriptions/{sub['id']}/").status_code == 204
    assert bob.delete(f"/api/push/subscriptions/{sub['id']}/").status_code == 404


def test_bad_subscriptions_are_refused_field_by_field(push_server, make_server, fake):
    user = register(push_server)
    good = BrowserKeys().subscription(fake.endpoint())
    r = user.post("/api/push/subscriptions/", json={**good, "keys": {"p256dh": "bm9wZQ", "auth": "c2hvcnQ"}})
    assert_field_errors(r, "keys.p256dh", "keys.auth")
    assert_field_errors(user.post("/api/push/subscriptions/", json={"endpoint": good["endpoint"]}), "keys")
    assert_field_errors(user.post("/api/push/subscriptions/", json={**good, "endpoint": "ftp://x/y"}), "endpoint")
    # Without push_allow_http only https endpoints are taken, and (by default) only on the browsers' push
    # services: a subscription cannot make the server post to any host it names.
    strict = make_server(args=["--push-endpoint-hosts", "push.services.mozilla.com,fcm.googleapis.com"])
    other = register(strict)
    assert_field_errors(other.post("/api/push/subscriptions/", json=good), "endpoint")
    for elsewhere in ("https://push.example.net/wpush/abc", "https://169.254.169.254/latest/meta-data",
                      "https://fcm.googleapis.com.evil.example/x"):
        assert_field_errors(other.post("/api/push/subscriptions/", json={**good, "endpoint": elsewhere}), "endpoint")
    assert other.post("/api/push/subscriptions/",
                      json={**good, "endpoint": "https://updates.push.services.mozilla.com/wpush/v2/abc"}).status_code == 201


def test_a_push_is_encrypted_for_the_subscription_and_signed_with_vapid(push_server, fake):
    user = register(push_server)
    keys, endpoint, sub = subscribe(user, fake)
    r = user.post("/api/push/test/", json={"title": "Party starts", "body": "Movie night ☕", "url": "/parties/x",
                                           "urgency": "high", "ttl": 120})
    assert r.status_code == 202 and r.json() == {"queued": 1}, r.text
    req = fake.wait_for(endpoint)[0]
    h = {k.lower(): v for k, v in req.headers.items()}
    assert h["content-encoding"] == "aes128gcm"
    assert h["urgency"] == "high"
    assert 100 <= int(h["ttl"]) <= 120
    assert len(h["topic"]) <= 32
    claims = verify_vapid(h["authorization"], fake.url, vapid_key(push_server))
    assert claims["sub"] == "mailto:noreply@watchparty.local"
    payload = json.loads(keys.decrypt(req.body))
    assert payload["title"] == "Party starts" and payload["body"] == "Movie night ☕"
    assert payload["url"] == "/parties/x" and payload["type"] == "test"
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "sent")
    assert rows[0]["id"] == payload["id"] and rows[0]["http_status"] == 201 and rows[0]["attempts"] == 1
    assert user.get("/api/push/subscriptions/").json()["results"][0]["last_used_at"] is not None
    detail = user.get(f"/api/push/notifications/{rows[0]['id']}/").json()
    assert [a["http_status"] for a in detail["attempt_log"]] == [201]


def test_the_vapid_subject_comes_from_the_config(make_server, fake):
    s = make_server(args=PUSH_ARGS + ["--vapid-subject", "mailto:push-ops@example.org"])
    user = register(s)
    _, endpoint, _ = subscribe(user, fake)
    assert user.post("/api/push/test/").status_code == 202
    req = fake.wait_for(endpoint)[0]
    claims = verify_vapid(req.headers["Authorization"], fake.url, vapid_key(s))
    assert claims["sub"] == "mailto:push-ops@example.org"


def test_every_subscription_of_the_user_gets_its_own_encryption(push_server, fake):
    user = register(push_server)
    a_keys, a_end, _ = subscribe(user, fake)
    b_keys, b_end, _ = subscribe(user, fake)
    assert user.post("/api/push/test/", json={"body": "both"}).json() == {"queued": 2}
    a, b = fake.wait_for(a_end)[0], fake.wait_for(b_end)[0]
    assert json.loads(a_keys.decrypt(a.body))["body"] == "both"
    assert json.loads(b_keys.decrypt(b.body))["body"] == "both"
    with pytest.raises(Exception):
        a_keys.decrypt(b.body)


@pytest.mark.parametrize("status", [410, 404])
def test_gone_removes_the_subscription(push_server, fake, status):
    user = register(push_server)
    _, endpoint, sub = subscribe(user, fake)
    fake.plan(endpoint, status)
    assert user.post("/api/push/test/").status_code == 202
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "failed")
    assert rows[0]["http_status"] == status and rows[0]["attempts"] == 1
    assert user.get("/api/push/subscriptions/").json()["count"] == 0
    assert len(fake.requests_to(endpoint)) == 1
    # Nothing left to send to.
    assert user.post("/api/push/test/").status_code == 409


def test_429_and_5xx_are_retried_with_retry_after_honoured(push_server, fake):
    user = register(push_server)
    keys, endpoint, _ = subscribe(user, fake)
    fake.plan(endpoint, (429, {"Retry-After": "2"}, "slow down"), 503, 500)
    assert user.post("/api/push/test/", json={"body": "eventually"}).status_code == 202
    got = fake.wait_for(endpoint, 4, timeout=15)
    assert got[1].at - got[0].at >= 1.9, "Retry-After: 2 was not honoured"
    assert got[2].at - got[1].at < 1.5, "a 5xx without Retry-After backs off from push_retry_base_ms"
    assert json.loads(keys.decrypt(got[3].body))["body"] == "eventually"
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "sent")
    assert rows[0]["attempts"] == 4
    log = user.get(f"/api/push/notifications/{rows[0]['id']}/").json()["attempt_log"]
    assert [a["http_status"] for a in log] == [429, 503, 500, 201]
    assert "slow down" in log[0]["error"]
    assert user.get("/api/push/subscriptions/").json()["count"] == 1


def test_retries_end(make_server, fake):
    s = make_server(args=PUSH_ARGS + ["--push-max-attempts", "2"])
    user = register(s)
    _, endpoint, _ = subscribe(user, fake)
    fake.plan(endpoint, 503, 503, 503)
    assert user.post("/api/push/test/").status_code == 202
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "failed")
    assert rows[0]["attempts"] == 2 and "no attempts left" in rows[0]["error"]
    time.sleep(0.5)
    assert len(fake.requests_to(endpoint)) == 2


def test_a_bad_request_answer_fails_at_once(push_server, fake):
    user = register(push_server)
    _, endpoint, _ = subscribe(user, fake)
    fake.plan(endpoint, (400, {}, "bad encryption"))
    assert user.post("/api/push/test/").status_code == 202
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "failed")
    assert rows[0]["attempts"] == 1 and rows[0]["http_status"] == 400 and "bad encryption" in rows[0]["error"]
    time.sleep(0.5)
    assert len(fake.requests_to(endpoint)) == 1
    assert user.get("/api/push/subscriptions/").json()["count"] == 1  # only 404/410 remove it


def test_not_before_holds_a_push_until_then(push_server, fake):
    user = register(push_server)
    _, endpoint, _ = subscribe(user, fake)
    asked = time.time()
    assert user.post("/api/push/test/", json={"delay": 2}).status_code == 202
    got = fake.wait_for(endpoint, timeout=10)[0]
    assert got.at - asked >= 1.9


def test_kill_9_mid_send_never_sends_twice(make_server, same_data, fake):
    """One request in flight when the worker dies: it is not sent again (its
    outcome is unknown); every other push is sent exactly once after a restart."""
    args = PUSH_ARGS + ["--push-concurrency", "1", "--push-lease-s", "3", "--push-timeout-s", "1"]
    first = make_server(args=args)
    user = register(first)
    _, endpoint, _ = subscribe(user, fake)
    hold = {"first": True}

    def slow_first(path, headers, body):
        if hold["first"]:
            hold["first"] = False
            time.sleep(30)  # the worker is killed while waiting here
        return None
    fake.on_request = slow_first
    for i in range(4):
        assert user.post("/api/push/test/", json={"body": f"n{i}"}).status_code == 202
    fake.wait_for(endpoint, 1)
    first.stop(sig=signal.SIGKILL)
    second = same_data(first, args)
    user.server = second
    rows = wait_push(user, lambda rows: len(rows) == 4 and all(r["status"] in ("sent", "failed") for r in rows),
                     timeout=20)
    got = fake.requests_to(endpoint)
    topics = [r.headers["Topic"] for r in got]
    assert len(topics) == len(set(topics)) == 4, "a push went out twice"
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == 1 and "worker stopped during the request" in failed[0]["error"]
    assert sum(r["status"] == "sent" for r in rows) == 3


def test_two_workers_never_send_one_push_twice(make_server, same_data, fake):
    args = PUSH_ARGS + ["--push-concurrency", "4"]
    a = make_server(args=args)
    b = same_data(a, args)
    user = register(a)
    _, endpoint, _ = subscribe(user, fake)
    fake.delay = 0.05
    for i in range(30):
        assert user.post("/api/push/test/", json={"body": f"n{i}"}).status_code == 202
    rows = wait_push(user, lambda rows: len(rows) == 30 and all(r["status"] == "sent" for r in rows), timeout=30)
    got = fake.requests_to(endpoint)
    assert len(got) == 30 and len({r.headers["Topic"] for r in got}) == 30
    workers = {user.get(f"/api/push/notifications/{r['id']}/").json()["attempt_log"][0]["worker"] for r in rows}
    assert len(workers) == 2, "both workers took part"
    assert b.proc.poll() is None


def test_the_worker_command_sends_pushes_when_serve_does_not(make_server, fake):
    from conftest import BIN
    from helpers import cli_db_args
    s = make_server(args=PUSH_ARGS + ["--run-workers-in-serve", "false"])
    user = register(s)
    keys, endpoint, _ = subscribe(user, fake)
    assert user.post("/api/push/test/", json={"body": "from the worker"}).status_code == 202
    time.sleep(0.5)
    assert fake.requests_to(endpoint) == [], "serve sent it without workers"
    log = open(os.path.join(s.data_dir, "worker.log"), "wb")
    worker = subprocess.Popen([BIN, "worker", *cli_db_args(s), *PUSH_ARGS], stdout=log, stderr=subprocess.STDOUT)
    try:
        got = fake.wait_for(endpoint, timeout=15)[0]
        assert json.loads(keys.decrypt(got.body))["body"] == "from the worker"
        # The worker signs with the same VAPID key: the one kept in the shared data dir.
        verify_vapid(got.headers["Authorization"], fake.url, vapid_key(s))
        wait_push(user, lambda rows: rows and rows[0]["status"] == "sent")
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
        log.close()


def test_test_pushes_are_limited_per_user(push_server, fake):
    user = register(push_server)
    subscribe(user, fake)
    statuses = [user.post("/api/push/test/", json={"ttl": 0}).status_code for _ in range(60)]
    assert statuses == [202] * 60
    r = user.post("/api/push/test/")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.json()["error_code"] == "RATE_LIMITED"
    other = register(push_server)
    subscribe(other, fake)
    assert other.post("/api/push/test/").status_code == 202


def test_a_ttl_of_zero_still_goes_out_once_with_ttl_zero(push_server, fake):
    user = register(push_server)
    keys, endpoint, _ = subscribe(user, fake)
    assert user.post("/api/push/test/", json={"ttl": 0, "body": "now or never"}).status_code == 202
    got = fake.wait_for(endpoint)[0]
    assert got.headers["TTL"] == "0"
    assert json.loads(keys.decrypt(got.body))["body"] == "now or never"
