"""FCM HTTP v1 against local fakes, on both databases: a token endpoint that
verifies the service account's RS256 JWT with its public key, and a send
endpoint that checks the bearer token and records the message. The access
token is cached; UNREGISTERED removes the device token."""
import json
import os
import tempfile
import threading
import time
import urllib.parse

import pytest

from helpers import assert_field_errors, register
from push_helpers import PUSH_ARGS, FakePushService, rsa_service_account, verify_rs256, wait_push

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"


class FakeFcm:
    """Google's two endpoints on one local server."""

    def __init__(self):
        self.service = FakePushService(default=200)
        self.token_url = self.service.url + "/token"
        self.account, self.public_key = rsa_service_account(self.token_url)
        self.grants = []        # the verified JWT claims of every token request
        self.issued = set()
        self.messages = []      # every message sent with a valid token
        self.unregistered = set()
        self.lock = threading.Lock()
        self.service.on_request = self.answer
        fd, self.account_path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(self.account, f)

    def answer(self, path, headers, body):
        if path == "/token":
            form = urllib.parse.parse_qs(body.decode())
            assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"], form
            header, claims = verify_rs256(form["assertion"][0], self.public_key)
            with self.lock:
                self.grants.append((header, claims))
                token = f"ya29.test-{len(self.grants)}"
                self.issued.add(token)
            return 200, {"Content-Type": "application/json"}, json.dumps(
                {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
        if path == f"/v1/projects/{self.account['project_id']}/messages:send":
            auth = headers.get("Authorization", "")
            if auth.removeprefix("Bearer ") not in self.issued:
                return 401, {}, json.dumps({"error": {"code": 401, "status": "UNAUTHENTICATED"}})
            message = json.loads(body)["message"]
            with self.lock:
                self.messages.append(message)
            if message["token"] in self.unregistered:
                return 404, {}, json.dumps({"error": {"code": 404, "status": "NOT_FOUND", "details": [
                    {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}})
            return 200, {}, json.dumps({"name": f"projects/wp-test/messages/{len(self.messages)}"})
        return 404, {}, ""

    def args(self):
        return PUSH_ARGS + ["--fcm-service-account-file", self.account_path, "--fcm-base-url", self.service.url]

    def wait_messages(self, count, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} FCM messages, wanted {count}")

    def close(self):
        self.service.close()
        os.unlink(self.account_path)


@pytest.fixture
def fcm():
    fake = FakeFcm()
    yield fake
    fake.close()


def register_device(user, token, platform="android"):
    r = user.post("/api/push/devices/", json={"token": token, "platform": platform})
    assert r.status_code == 201, r.text
    return r.json()


def test_device_tokens_are_registered_listed_and_removed(make_server, fcm):
    s = make_server(args=fcm.args())
    assert s.get("/api/push/vapid-public-key/").json()["fcm"] is True
    alice, bob = register(s), register(s)
    dev = register_device(alice, "tok-a")
    assert dev["platform"] == "android" and dev["token"] == "tok-a"
    again = alice.post("/api/push/devices/", json={"token": "tok-a", "platform": "ios"})
    assert again.status_code == 200 and again.json()["id"] == dev["id"] and again.json()["platform"] == "ios"
    assert alice.get("/api/push/devices/").json()["count"] == 1
    assert bob.get("/api/push/devices/").json()["count"] == 0
    assert bob.delete(f"/api/push/devices/{dev['id']}/").status_code == 404
    r = alice.post("/api/push/devices/", json={"token": "tok-b", "platform": "windows-phone"})
    assert_field_errors(r, "platform")
    assert "android" in r.json()["errors"]["platform"][0]
    assert_field_errors(alice.post("/api/push/devices/", json={"platform": "ios"}), "token")
    assert alice.delete(f"/api/push/devices/{dev['id']}/").status_code == 204
    assert alice.get("/api/push/devices/").json()["count"] == 0


def test_a_push_goes_through_fcm_with_a_verified_grant_and_a_cached_token(make_server, fcm):
    s = make_server(args=fcm.args())
    user = register(s)
    register_device(user, "device-token-1")
    r = user.post("/api/push/test/", json={"title": "Hi", "body": "From FCM", "url": "/parties/p1",
                                           "urgency": "high", "ttl": 600})
    assert r.status_code == 202 and r.json() == {"queued": 1}
    message = fcm.wait_messages(1)[0]
    assert message["token"] == "device-token-1"
    assert message["notification"] == {"title": "Hi", "body": "From FCM"}
    assert message["data"]["url"] == "/parties/p1" and message["data"]["type"] == "test"
    assert message["android"]["priority"] == "HIGH" and 590 <= int(message["android"]["ttl"][:-1]) <= 600
    header, claims = fcm.grants[0]
    assert header["kid"] == fcm.account["private_key_id"]
    assert claims["iss"] == fcm.account["client_email"] and claims["scope"] == SCOPE
    assert claims["aud"] == fcm.token_url
    assert 0 < claims["exp"] - claims["iat"] <= 3600 and abs(claims["iat"] - time.time()) < 30
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "sent")
    assert rows[0]["channel"] == "fcm" and rows[0]["http_status"] == 200
    # A second push reuses the cached access token: no new grant.
    assert user.post("/api/push/test/").status_code == 202
    fcm.wait_messages(2)
    assert len(fcm.grants) == 1


def test_unregistered_removes_the_device_token(make_server, fcm):
    s = make_server(args=fcm.args())
    user = register(s)
    register_device(user, "stale-token")
    fcm.unregistered.add("stale-token")
    assert user.post("/api/push/test/").status_code == 202
    rows = wait_push(user, lambda rows: rows and rows[0]["status"] == "failed")
    assert rows[0]["http_status"] == 404 and "UNREGISTERED" in rows[0]["error"]
    assert user.get("/api/push/devices/").json()["count"] == 0


def test_a_refused_access_token_is_dropped_and_the_send_retried(make_server, fcm):
    s = make_server(args=fcm.args())
    user = register(s)
    register_device(user, "device-token-2")
    assert user.post("/api/push/test/").status_code == 202
    fcm.wait_messages(1)
    fcm.issued.clear()  # Google revoked every token issued so far
    assert user.post("/api/push/test/", json={"body": "second"}).status_code == 202
    rows = wait_push(user, lambda rows: len(rows) == 2 and all(r["status"] == "sent" for r in rows))
    second = user.get(f"/api/push/notifications/{rows[0]['id']}/").json()["attempt_log"]
    assert [a["http_status"] for a in second] == [401, 200]
    assert len(fcm.grants) == 2


def test_without_fcm_only_browsers_get_pushes(make_server):
    s = make_server(args=PUSH_ARGS)
    assert s.get("/api/push/vapid-public-key/").json()["fcm"] is False
    user = register(s)
    register_device(user, "kept-token")
    assert user.post("/api/push/test/").status_code == 409  # nothing it can send to
