"""The test is the push service: a local HTTP server that receives Web Push
requests (and FCM's token and send calls), with what a browser and Google
would do to check them: decrypt the RFC 8291 body with the subscription's
private key, verify the VAPID JWT (ES256) and the service-account JWT (RS256)."""
import base64
import json
import os
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PUSH_ARGS = ["--push-allow-http", "true", "--push-retry-base-ms", "200", "--push-poll-ms", "100"]


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------- the browser's side of RFC 8291

class BrowserKeys:
    """A subscription's key pair and auth secret, as a browser makes them."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.public_raw = self.private.public_key().public_bytes(serialization.Encoding.X962,
                                                                 serialization.PublicFormat.UncompressedPoint)
        self.auth = os.urandom(16)

    def subscription(self, endpoint):
        return {"endpoint": endpoint, "expirationTime": None,
                "keys": {"p256dh": b64u(self.public_raw), "auth": b64u(self.auth)}}

    def decrypt(self, body):
        """RFC 8291 / RFC 8188 aes128gcm, one record: returns the plaintext bytes."""
        salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        as_public = body[21:21 + idlen]
        record = body[21 + idlen:]
        assert rs >= 18 and len(record) <= rs, (rs, len(record))
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
        ecdh_secret = self.private.exchange(ec.ECDH(), peer)
        key_info = b"WebPush: info\x00" + self.public_raw + as_public
        ikm = HKDF(hashes.SHA256(), 32, self.auth, key_info).derive(ecdh_secret)
        cek = HKDF(hashes.SHA256(), 16, salt, b"Content-Encoding: aes128gcm\x00").derive(ikm)
        nonce = HKDF(hashes.SHA256(), 12, salt, b"Content-Encoding: nonce\x00").derive(ikm)
        padded = AESGCM(cek).decrypt(nonce, record, None)
        stripped = padded.rstrip(b"\x00")
        assert stripped[-1:] == b"\x02", "the last record ends with the 0x02 delimiter"
        return stripped[:-1]


# ---------------------------------------------------------------- JWTs

def jwt_parts(token):
    h, c, s = token.split(".")
    return json.loads(b64u_decode(h)), json.loads(b64u_decode(c)), f"{h}.{c}".encode(), b64u_decode(s)


def verify_vapid(authorization, audience, server_key_b64):
    """Checks `vapid t=<jwt>, k=<key>` (RFC 8292): the key is the server's, the ES256 signature holds,
    the claims are right. Returns the claims."""
    assert authorization.startswith("vapid "), authorization
    params = dict(p.strip().split("=", 1) for p in authorization[len("vapid "):].split(","))
    assert params["k"] == server_key_b64
    header, claims, signed, sig = jwt_parts(params["t"])
    assert header["alg"] == "ES256" and header.get("typ", "JWT") == "JWT", header
    assert len(sig) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64u_decode(params["k"]))
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    key.verify(der, signed, ec.ECDSA(hashes.SHA256()))  # raises InvalidSignature
    now = time.time()
    assert claims["aud"] == audience, claims
    assert now < claims["exp"] <= now + 24 * 3600 + 5, claims
    assert claims["sub"].startswith("mailto:") or claims["sub"].startswith("https://"), claims
    return claims


def verify_rs256(token, public_key):
    header, claims, signed, sig = jwt_parts(token)
    assert header["alg"] == "RS256", header
    public_key.verify(sig, signed, padding.PKCS1v15(), hashes.SHA256())  # raises InvalidSignature
    return header, claims


# ---------------------------------------------------------------- the fake services

class Received:
    def __init__(self, path, headers, body, at):
        self.path, self.headers, self.body, self.at = path, headers, body, at


class FakePushService:
    """Answers POSTs with a programmed status per path (a list consumed in order, then `default`),
    optionally after a delay, and records every request."""

    def __init__(self, default=201, delay=0.0):
        self.default = default
        self.delay = delay
        self.plans = {}
        self.received = []
        self.lock = threading.Lock()
        self.on_request = None  # fn(path, headers, body) -> (status, headers, body) or None
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                answer = service._answer(self.path, dict(self.headers.items()), body)
                status, headers, text = answer
                payload = text.encode() if isinstance(text, str) else text
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _answer(self, path, headers, body):
        with self.lock:
            self.received.append(Received(path, headers, body, time.time()))
            plan = self.plans.get(path)
            step = plan.pop(0) if plan else None
        if self.on_request:
            custom = self.on_request(path, headers, body)
            if custom:
                return custom
        if self.delay:
            time.sleep(self.delay)
        if step is None:
            return self.default, {}, ""
        if isinstance(step, int):
            return step, {}, ""
        return step

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def endpoint(self):
        return f"{self.url}/wpush/{uuid.uuid4().hex}"

    def plan(self, endpoint, *steps):
        """Answers for the next requests to endpoint: a status, or (status, headers, body)."""
        self.plans[urllib.parse.urlsplit(endpoint).path] = list(steps)

    def requests_to(self, endpoint):
        path = urllib.parse.urlsplit(endpoint).path
        with self.lock:
            return [r for r in self.received if r.path == path]

    def wait_for(self, endpoint, count=1, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.requests_to(endpoint)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"{len(self.requests_to(endpoint))} requests to {endpoint}, wanted {count}")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def subscribe(user, push_service, keys=None):
    keys = keys or BrowserKeys()
    endpoint = push_service.endpoint()
    r = user.post("/api/push/subscriptions/", json=keys.subscription(endpoint),
                  headers={"User-Agent": "pytest-browser/1.0"})
    assert r.status_code == 201, r.text
    return keys, endpoint, r.json()


def wait_push(user, predicate, timeout=10):
    """The user's push rows once predicate(rows) holds."""
    deadline = time.time() + timeout
    rows = []
    while time.time() < deadline:
        rows = user.get("/api/push/notifications/?page_size=100").json()["results"]
        if predicate(rows):
            return rows
        time.sleep(0.05)
    raise AssertionError(f"push rows never matched: {rows}")


def rsa_service_account(token_uri, project_id="wp-test"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    account = {"type": "service_account", "project_id": project_id, "private_key_id": "kid-" + uuid.uuid4().hex[:8],
               "private_key": pem, "client_email": f"push@{project_id}.iam.gserviceaccount.com",
               "token_uri": token_uri}
    return account, key.public_key()
