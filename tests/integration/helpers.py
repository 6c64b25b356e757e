"""Shared helpers for the accounts integration tests: envelopes, users, an SMTP
sink, TOTP (RFC 6238), JWT forging and tiny images. Only the stdlib and requests."""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import os
import re
import socketserver
import struct
import threading
import time
import urllib.parse
import uuid
import zlib

import pytest

from conftest import BACKENDS, Server

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

USER_KEYS = {"id", "username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser",
             "email_verified", "two_factor_enabled", "date_joined", "last_login", "settings"}
TOKEN_KEYS = {"access_token", "refresh_token", "token_type", "expires_in", "user"}
PROFILE_KEYS = {"user_id", "avatar", "bio", "country", "timezone", "birth_date", "phone", "is_verified",
                "privacy_settings"}
SESSION_KEYS = {"id", "user_agent", "ip_address", "created_at", "last_seen_at", "expires_at", "current"}
HISTORY_KEYS = {"id", "success", "reason", "username", "ip_address", "user_agent", "created_at"}
PAGE_KEYS = {"count", "next", "previous", "results"}

# Keys that must never show up in any successful JSON answer.
FORBIDDEN_KEYS = {"password", "password_hash", "totp_secret", "two_factor_secret", "otp_secret",
                  "refresh_token_hash", "token_hash", "recovery_code_hashes"}

# Every password and refresh token a test handed to a server, per server url, so
# a test can check the server's log never shows any of them.
SEEN_SECRETS = {}


def remember_secret(server, value):
    if value:
        SEEN_SECRETS.setdefault(server.url, set()).add(value)


# ---------------------------------------------------------------- envelopes

def assert_envelope(resp, status, code):
    assert resp.status_code == status, f"expected {status} {code}, got {resp.status_code}: {resp.text}"
    body = resp.json()
    assert body["success"] is False
    assert body["error_code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    assert body["request_id"] == resp.headers["X-Request-ID"]
    return body


def assert_field_errors(resp, *fields, status=400, code="VALIDATION_ERROR"):
    """The envelope, and every named field listed with at least one message."""
    body = assert_envelope(resp, status, code)
    for f in fields:
        assert f in body["errors"], f"{f!r} missing from errors {body['errors']}"
        msgs = body["errors"][f]
        assert isinstance(msgs, list) and msgs and all(isinstance(m, str) and m for m in msgs), body["errors"]
    return body


def assert_success(resp, status=200):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["success"] is True, body
    return body


def walk_keys(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk_keys(v)


def assert_no_secret_keys(resp, *values):
    """No secret-looking key anywhere in the JSON, and none of the given values in the raw text."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    bad = FORBIDDEN_KEYS & set(walk_keys(body))
    assert not bad, f"secret keys {bad} in {resp.text}"
    for v in values:
        if v:
            assert v not in resp.text, f"secret value leaked in {resp.request.method} {resp.url}"


def token_hash_forms(token):
    """The ways a server might store a token's hash, to check none is ever shown."""
    out = []
    for algo in (hashlib.sha256, hashlib.sha512):
        d = algo(token.encode()).digest()
        out += [d.hex(), d.hex().upper(), b64u(d), base64.b64encode(d).decode()]
    return out


def assert_time(value, nullable=False):
    if nullable and value is None:
        return
    assert isinstance(value, str) and TIME_RE.match(value), value


def assert_uuid(value):
    assert isinstance(value, str) and UUID_RE.match(value), value


def assert_user(user):
    assert set(user) == USER_KEYS, set(user) ^ USER_KEYS
    assert_uuid(user["id"])
    assert_time(user["date_joined"])
    assert_time(user["last_login"], nullable=True)
    assert isinstance(user["settings"], dict)
    for k in ("is_active", "is_staff", "is_superuser", "email_verified", "two_factor_enabled"):
        assert isinstance(user[k], bool), (k, user[k])


def assert_tokens(body):
    assert set(body) == TOKEN_KEYS, set(body) ^ TOKEN_KEYS
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2
    assert isinstance(body["refresh_token"], str) and len(body["refresh_token"]) >= 20
    assert body["refresh_token"] != body["access_token"]
    assert_user(body["user"])


def assert_page(body):
    assert set(body) >= PAGE_KEYS, body
    assert isinstance(body["count"], int)
    assert isinstance(body["results"], list)
    return body


def path_of(url):
    """`next`/`previous` links may be absolute or relative; keep path and query."""
    p = urllib.parse.urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


# ---------------------------------------------------------------- users

def uniq(prefix="u"):
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def strong_password():
    return "Qz7!" + uuid.uuid4().hex[:14]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class User:
    def __init__(self, server, username, email, password, tokens):
        self.server = server
        self.username = username
        self.email = email
        self.password = password
        self.set_tokens(tokens)

    def set_tokens(self, tokens):
        self.tokens = tokens
        self.id = tokens["user"]["id"]
        self.access = tokens["access_token"]
        self.refresh = tokens["refresh_token"]
        remember_secret(self.server, self.refresh)

    @property
    def auth(self):
        return bearer(self.access)

    def get(self, path, token=None, **kw):
        return self.server.get(path, headers={**bearer(token or self.access), **kw.pop("headers", {})}, **kw)

    def request(self, method, path, token=None, **kw):
        return self.server.request(method, path, headers={**bearer(token or self.access), **kw.pop("headers", {})},
                                   **kw)

    def post(self, path, token=None, **kw):
        return self.request("POST", path, token=token, **kw)

    def patch(self, path, token=None, **kw):
        return self.request("PATCH", path, token=token, **kw)

    def delete(self, path, token=None, **kw):
        return self.request("DELETE", path, token=token, **kw)

    def login(self, password=None, user_agent=None, login=None):
        """A new session; returns its token pair (asserts success)."""
        r = login_req(self.server, login or self.username, password or self.password, user_agent=user_agent)
        assert r.status_code == 200, r.text
        body = r.json()
        assert_tokens(body)
        remember_secret(self.server, body["refresh_token"])
        return body


def register_req(server, **body):
    remember_secret(server, body.get("password"))
    return server.post("/api/auth/register/", json=body)


def register(server, username=None, email=None, password=None, **extra):
    username = username or uniq()
    email = email or f"{username.lower()}@example.com"
    password = password or strong_password()
    r = register_req(server, username=username, email=email, password=password, **extra)
    assert r.status_code == 201, r.text
    body = r.json()
    assert_tokens(body)
    return User(server, username, email, password, body)


def login_req(server, login, password, user_agent=None, headers=None):
    remember_secret(server, password)
    h = dict(headers or {})
    if user_agent:
        h["User-Agent"] = user_agent
    r = server.post("/api/auth/login/", json={"username": login, "password": password}, headers=h)
    if r.status_code == 200 and "refresh_token" in r.text:
        remember_secret(server, r.json().get("refresh_token"))
    return r


def refresh_req(server, refresh_token):
    r = server.post("/api/auth/refresh/", json={"refresh_token": refresh_token})
    if r.status_code == 200:
        remember_secret(server, r.json().get("refresh_token"))
    return r


def set_cookie_headers(resp):
    """Every Set-Cookie line of a response (requests folds them into one header)."""
    try:
        return resp.raw.headers.getlist("Set-Cookie")
    except AttributeError:
        v = resp.headers.get("Set-Cookie")
        return [v] if v else []


def cookie_line(resp, name):
    for line in set_cookie_headers(resp):
        if line.split("=", 1)[0].strip() == name:
            return line
    return None


# ---------------------------------------------------------------- SMTP sink

class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sink = self.server.sink
        self.reply("220 sink.local ESMTP test sink")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink.local")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 sink.local")
            elif verb == "MAIL":
                m = re.search(r"<([^>]*)>", cmd)
                mail_from, rcpts = (m.group(1) if m else cmd[10:].strip()), []
                self.reply("250 OK")
            elif verb == "RCPT":
                m = re.search(r"<([^>]*)>", cmd)
                rcpts.append(m.group(1) if m else cmd[8:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    lines.append(l)
                sink.add(mail_from, rcpts, b"".join(lines))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                if verb == "RSET":
                    mail_from, rcpts = None, []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            elif verb == "STARTTLS":
                self.reply("454 TLS not available")
            else:
                self.reply("502 Command not implemented")


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Mail:
    def __init__(self, mail_from, rcpts, raw):
        self.mail_from = mail_from
        self.rcpts = [r.lower() for r in rcpts]
        self.raw = raw
        self.msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.subject = str(self.msg.get("Subject", ""))
        texts = []
        for part in self.msg.walk():
            if part.get_content_maintype() == "text":
                try:
                    texts.append(part.get_content())
                except Exception:  # noqa: BLE001 - fall back to the raw text
                    pass
        self.text = "\n".join(texts) or raw.decode("utf-8", "replace")

    @property
    def token(self):
        m = re.search(r"^Token:\s*(\S+)\s*$", self.text, re.M) or re.search(r"Token:\s*(\S+)", self.text)
        assert m, f"no 'Token:' line in mail:\n{self.text}"
        return m.group(1)


class SMTPSink:
    """A tiny SMTP server on 127.0.0.1 that records every message."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.srv = _TCPServer(("127.0.0.1", 0), _SMTPHandler)
        self.srv.sink = self
        self.port = self.srv.server_address[1]
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()

    def add(self, mail_from, rcpts, raw):
        with self.lock:
            self.messages.append(Mail(mail_from, rcpts, raw))

    def find(self, to=None, subject=None):
        with self.lock:
            return [m for m in self.messages
                    if (to is None or to.lower() in m.rcpts) and (subject is None or subject in m.subject)]

    def wait_for(self, to=None, subject=None, count=1, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.find(to, subject)
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no mail #{count} to {to!r} with subject {subject!r}; have "
                             f"{[(m.rcpts, m.subject) for m in self.find()]}")


RESET_SUBJECT = "Reset your watchparty password"
VERIFY_SUBJECT = "Verify your watchparty email"
MAIL_FROM = "noreply@watchparty.local"


def mail_server_args(sink):
    return ["--mail-mode", "smtp", "--smtp-url", f"smtp://127.0.0.1:{sink.port}", "--mail-from", MAIL_FROM,
            "--public-url", "http://127.0.0.1:8000"]


@pytest.fixture(scope="module", params=BACKENDS)
def mail_server(request):
    """A server that sends its mail to an SMTP sink (`server.sink`)."""
    sink = SMTPSink().start()
    s = Server(request.param, args=mail_server_args(sink)).start()
    s.sink = sink
    yield s
    s.stop()
    sink.stop()


# ---------------------------------------------------------------- TOTP

def hotp(key, counter, digits=6):
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def b32key(secret):
    s = secret.replace(" ", "").upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def totp_step(t=None, step=30):
    return int((time.time() if t is None else t) // step)


def totp(secret_b32, t=None, digits=6, step=30):
    return hotp(b32key(secret_b32), totp_step(t, step), digits)


def fresh_step(after=None, margin=3.0):
    """Waits, if needed, until the current 30 s step is later than `after` and
    has at least `margin` seconds left; returns that step."""
    while True:
        now = time.time()
        step = int(now // 30)
        left = (step + 1) * 30 - now
        if (after is None or step > after) and left >= margin:
            return step
        time.sleep(left + 0.05)


# ---------------------------------------------------------------- JWT

def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_parts(token):
    h, p, s = token.split(".")
    return json.loads(b64u_decode(h)), json.loads(b64u_decode(p)), s


def jwt_payload(token):
    return jwt_parts(token)[1]


def forge_jwt(secret, claims, alg="HS256", header=None):
    hdr = header or {"alg": alg, "typ": "JWT"}
    signing_input = b64u(json.dumps(hdr, separators=(",", ":")).encode()) + "." + \
        b64u(json.dumps(claims, separators=(",", ":")).encode())
    if alg == "none":
        return signing_input + "."
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    sig = hmac.new(secret.encode() if isinstance(secret, str) else secret, signing_input.encode(), digest).digest()
    return signing_input + "." + b64u(sig)


def access_claims(sub, sid, ttl=300, now=None, **extra):
    now = int(time.time() if now is None else now)
    claims = {"sub": sub, "sid": sid, "iat": now, "exp": now + ttl, "jti": str(uuid.uuid4()), "typ": "access"}
    claims.update(extra)
    return claims


# ---------------------------------------------------------------- images

def png_bytes(width=1, height=1, random_pixels=False):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    if random_pixels:
        rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    else:
        rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 1))
            + chunk(b"IEND", b""))


# The classic 1x1 transparent GIF.
GIF_1X1 = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


# ---------------------------------------------------------------- staff and admin (accounts gaps)

def cli_db_args(server):
    return ["--data-dir", server.data_dir] + (["--database-url", server.database_url] if server.database_url else [])


def make_superuser(server):
    """A superuser made by `watchparty createsuperuser`, logged in."""
    from conftest import run_cli
    username = uniq("root")
    password = strong_password()
    r = run_cli("createsuperuser", *cli_db_args(server), "--username", username, "--email",
                f"{username}@example.com", "--password", password)
    assert r.returncode == 0, r.stdout + r.stderr
    r = login_req(server, username, password)
    assert r.status_code == 200, r.text
    return User(server, username, f"{username}@example.com", password, r.json())


def run_sql(server, sql, *params):
    """Runs one statement on the server's database, for what no route may do (make a plain staff member)."""
    import sqlite3
    import subprocess
    if server.database_url:
        text = sql
        for p in params:
            text = text.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        subprocess.run(["psql", "-q", server.database_url, "-c", text], check=True, capture_output=True)
        return
    db = sqlite3.connect(f"{server.data_dir}/watchparty.db")
    db.execute(sql, params)
    db.commit()
    db.close()


def make_staff_member(server):
    """A user with is_staff but not is_superuser (only createsuperuser exists, so the flag is set in SQL)."""
    user = register(server)
    run_sql(server, "UPDATE users SET is_staff = TRUE WHERE id = ?", user.id)
    user.set_tokens(user.login())  # is_staff is read per request; a fresh login only to show it in the user
    assert user.tokens["user"]["is_staff"] is True
    return user


class _SlowSMTPHandler(_SMTPHandler):
    def handle(self):
        time.sleep(self.server.sink.delay)
        super().handle()


class SlowSMTPSink(SMTPSink):
    """An SMTP sink that waits `delay` seconds before its greeting: a slow mail server."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.srv.RequestHandlerClass = _SlowSMTPHandler
