"""Helpers for the watch party tests: REST shortcuts, an asyncio WebSocket client
that records every message with its receive time, and a raw never-reading
WebSocket client for the slow-consumer test. Stdlib, requests and websockets (10.x)."""
import asyncio
import base64
import json
import os
import re
import socket
import struct
import time
import uuid
from datetime import datetime, timedelta, timezone

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode

from helpers import assert_time, assert_uuid, register, uniq

PARTY_KEYS = {"id", "room_code", "title", "description", "host", "video", "media_url", "status", "visibility",
              "max_participants", "scheduled_start", "actual_start", "ended_at", "settings", "participant_count",
              "created_at", "updated_at", "group_id"}
SETTINGS_DEFAULTS = {"control": "host_only", "chat_enabled": True, "slow_mode_seconds": 0, "reactions_enabled": True,
                     "wait_for_buffering": True, "require_approval": False}
PARTICIPANT_KEYS = {"user", "role", "joined_at", "is_muted", "online"}
PLAYBACK_KEYS = {"status", "position", "rate", "anchor_server_time", "version", "video_id", "set_by"}
MESSAGE_KEYS = {"id", "user", "content", "sent_at"}
REACTION_KEYS = {"id", "user", "emoji", "video_timestamp", "created_at"}
ROOM_CODE_RE = re.compile(r"^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$")

MEDIA_URL = "https://media.example.com/movie.mp4"


def now_ms():
    return time.time() * 1000.0


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def in_future(seconds):
    return iso(datetime.now(timezone.utc) + timedelta(seconds=seconds))


# ---------------------------------------------------------------- REST

def create_party_req(user, **body):
    body.setdefault("title", "Party " + uuid.uuid4().hex[:8])
    body.setdefault("media_url", MEDIA_URL)
    return user.post("/api/parties/", json=body)


def create_party(user, **body):
    r = create_party_req(user, **body)
    assert r.status_code == 201, r.text
    p = r.json()
    assert_party(p)
    return p


def assert_party(p):
    missing = PARTY_KEYS - set(p)
    assert not missing, f"party lacks {missing}: {p}"
    assert_uuid(p["id"])
    assert ROOM_CODE_RE.match(p["room_code"]), p["room_code"]
    assert set(p["host"]) >= {"id", "username"}, p["host"]
    assert p["status"] in ("scheduled", "live", "ended"), p["status"]
    assert p["visibility"] in ("public", "unlisted", "private", "friends"), p["visibility"]
    assert isinstance(p["max_participants"], int)
    assert isinstance(p["participant_count"], int)
    assert isinstance(p["settings"], dict)
    assert_time(p["created_at"])
    assert_time(p["updated_at"])
    for k in ("scheduled_start", "actual_start", "ended_at"):
        assert_time(p[k], nullable=True)
    return p


def party_path(party, suffix=""):
    pid = party["id"] if isinstance(party, dict) else party
    return f"/api/parties/{pid}/{suffix}"


def join(user, party):
    return user.post(party_path(party, "join/"))


def joined(user, party):
    r = join(user, party)
    assert r.status_code == 200, r.text
    return r.json()


def get_party(user, party):
    r = user.get(party_path(party))
    assert r.status_code == 200, r.text
    return r.json()


def participants(user, party):
    r = user.get(party_path(party, "participants/"))
    assert r.status_code == 200, r.text
    body = r.json()
    # Either a bare list or a page.
    return body["results"] if isinstance(body, dict) and "results" in body else body


def participant_of(user, party, user_id):
    for p in participants(user, party):
        if p["user"]["id"] == user_id:
            return p
    return None


def member_action(actor, party, target, action):
    tid = target.id if hasattr(target, "id") else target
    return actor.post(party_path(party, f"participants/{tid}/{action}/"))


def patch_party(user, party, **body):
    return user.patch(party_path(party), json=body)


def sync_state(user, party):
    r = user.get(party_path(party, "sync_state/"))
    assert r.status_code == 200, r.text
    return r.json()


def post_chat(user, party, content):
    r = user.post(party_path(party, "chat/"), json={"content": content})
    assert r.status_code == 201, r.text
    return r.json()


def users(server, n, prefix="p"):
    return [register(server, username=uniq(prefix)) for _ in range(n)]


# ---------------------------------------------------------------- WebSocket

def ws_url(server, party, token=None, last_message_id=None, extra=None):
    pid = party["id"] if isinstance(party, dict) else party
    url = f"ws://127.0.0.1:{server.port}/ws/party/{pid}/"
    q = []
    if token is not None:
        q.append(f"token={token}")
    if last_message_id is not None:
        q.append(f"last_message_id={last_message_id}")
    if extra:
        q.append(extra)
    return url + ("?" + "&".join(q) if q else "")


class WS:
    """One WebSocket connection; a background task records (receive time ms, message)."""

    def __init__(self, conn, name=""):
        self.conn = conn
        self.name = name
        self.log = []  # [(t_ms, msg)]
        self.sent = []  # [msg]
        self.close_code = None
        self.close_reason = None
        self._changed = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._reader())

    @classmethod
    async def open(cls, url, name="", **kw):
        kw.setdefault("ping_interval", None)
        kw.setdefault("open_timeout", 10)
        kw.setdefault("close_timeout", 2)
        kw.setdefault("max_size", 2 ** 23)
        kw.setdefault("max_queue", None)
        conn = await websockets.connect(url, **kw)
        return cls(conn, name)

    async def _reader(self):
        try:
            async for raw in self.conn:
                t = now_ms()
                try:
                    msg = json.loads(raw)
                except ValueError:
                    msg = {"type": "__not_json__", "raw": raw}
                self.log.append((t, msg))
                self._changed.set()
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001 - any transport failure ends the reader
            pass
        finally:
            self.close_reason = self.conn.close_reason
            self.close_code = self.conn.close_code if self.conn.close_code is not None else 1006
            self._changed.set()

    @property
    def closed(self):
        return self.close_code is not None

    @property
    def messages(self):
        return [m for _, m in self.log]

    def of_type(self, type_, start=0):
        return [m for _, m in self.log[start:] if m.get("type") == type_]

    def mark(self):
        return len(self.log)

    async def send(self, msg):
        if isinstance(msg, (dict, list)):
            self.sent.append(msg)
            await self.conn.send(json.dumps(msg))
        else:
            await self.conn.send(msg)

    async def _wait(self, check, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found is not None:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"[{self.name}] timed out waiting for {what}; got "
                                     f"{[m.get('type') for m in self.messages]} (last: {self.messages[-3:]}), "
                                     f"close={self.close_code}")
            self._changed.clear()
            found = check()
            if found is not None:
                return found
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def wait_for_entry(self, type_, pred=None, timeout=5, start=0):
        """The first (t_ms, msg) at index >= start with this type matching pred."""
        def check():
            for t, m in self.log[start:]:
                if m.get("type") == type_ and (pred is None or pred(m)):
                    return (t, m)
            if self.closed:
                raise AssertionError(f"[{self.name}] closed ({self.close_code}) before {type_}; got "
                                     f"{[m.get('type') for m in self.messages]}")
            return None
        return await self._wait(check, timeout, type_)

    async def wait_for(self, type_, pred=None, timeout=5, start=0):
        return (await self.wait_for_entry(type_, pred, timeout, start))[1]

    async def wait_count(self, type_, n, pred=None, timeout=5, start=0):
        def check():
            got = [m for _, m in self.log[start:] if m.get("type") == type_ and (pred is None or pred(m))]
            if len(got) >= n:
                return got
            if self.closed:
                raise AssertionError(f"[{self.name}] closed ({self.close_code}) with {len(got)}/{n} {type_}")
            return None
        return await self._wait(check, timeout, f"{n} x {type_}")

    async def expect_none(self, type_, pred=None, within=0.5, start=0):
        await asyncio.sleep(within)
        got = [m for _, m in self.log[start:] if m.get("type") == type_ and (pred is None or pred(m))]
        assert not got, f"[{self.name}] unexpected {type_}: {got}"

    async def wait_closed(self, timeout=5):
        def check():
            return self.close_code if self.closed else None
        return await self._wait(check, timeout, "close")

    async def state(self, timeout=5):
        return await self.wait_for("party_state", timeout=timeout)

    async def ping(self, client_time=None, timeout=5):
        ct = now_ms() if client_time is None else client_time
        start = self.mark()
        await self.send({"type": "ping", "client_time": ct})
        return await self.wait_for_entry("pong", lambda m: abs(m["client_time"] - ct) < 0.01, timeout, start)

    async def control(self, action, **fields):
        await self.send({"type": "video_control", "action": action, **fields})

    async def close(self):
        try:
            await self.conn.close()
        except Exception:  # noqa: BLE001
            pass
        try:
            await asyncio.wait_for(self._task, 3)
        except Exception:  # noqa: BLE001
            pass


async def connect(server, party, user, name=None, last_message_id=None, wait_state=True, **kw):
    """Connects `user` (a helpers.User, or a raw token string) and waits for party_state."""
    token = user if isinstance(user, str) else user.access
    ws = await WS.open(ws_url(server, party, token, last_message_id),
                       name=name or getattr(user, "username", "anon"), **kw)
    if wait_state:
        await ws.state()
    return ws


async def close_code_of(url, timeout=5):
    """Connects and returns the close code the server answers with
    (or ('http', status) if it refused the upgrade itself)."""
    try:
        conn = await websockets.connect(url, ping_interval=None, open_timeout=timeout, close_timeout=2)
    except InvalidStatusCode as e:
        return ("http", e.status_code)
    msgs = []
    try:
        async def drain():
            async for raw in conn:
                msgs.append(raw)
        await asyncio.wait_for(drain(), timeout)
    except asyncio.TimeoutError:
        await conn.close()
        raise AssertionError(f"connection not closed by the server within {timeout}s; got {msgs[:3]}")
    except ConnectionClosed:
        pass
    return conn.close_code


async def closeall(*clients):
    await asyncio.gather(*(c.close() for c in clients if c is not None), return_exceptions=True)


def run(coro):
    return asyncio.run(coro)


async def in_thread(fn, *a, **kw):
    return await asyncio.to_thread(fn, *a, **kw)


def playing_position(pb, at_ms):
    """The expected position (realtime.md) at server time at_ms."""
    if pb["status"] == "playing":
        return pb["position"] + max(0.0, at_ms - pb["anchor_server_time"]) / 1000.0 * pb["rate"]
    return pb["position"]


def assert_playback(pb):
    missing = PLAYBACK_KEYS - set(pb)
    assert not missing, f"playback lacks {missing}: {pb}"
    assert pb["status"] in ("playing", "paused", "waiting"), pb
    assert isinstance(pb["version"], int), pb
    assert isinstance(pb["position"], (int, float)) and isinstance(pb["rate"], (int, float)), pb
    return pb


def assert_message(m):
    missing = MESSAGE_KEYS - set(m)
    assert not missing, f"message lacks {missing}: {m}"
    assert_uuid(m["id"])
    assert set(m["user"]) >= {"id", "username"}, m
    assert_time(m["sent_at"])
    return m


# ---------------------------------------------------------------- raw, never-reading client

class RawWS:
    """A WebSocket client over a plain TCP socket with a tiny receive buffer that
    does the upgrade by hand and then reads nothing until told to."""

    def __init__(self, port, path, rcvbuf=4096, mss=536):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        try:
            # A small advertised MSS keeps the server's send buffer autotuning small too.
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
        except OSError:
            pass
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError(f"closed during handshake: {head!r}")
            head += chunk
        self.status_line = head.split(b"\r\n", 1)[0].decode()
        assert " 101 " in self.status_line + " ", head

    def send_text(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = bytes([0x81, 0x80 | n])
        elif n < 65536:
            head = bytes([0x81, 0x80 | 126]) + struct.pack(">H", n)
        else:
            head = bytes([0x81, 0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def server_queues(self):
        """(bytes the server has written that this client has not taken, bytes
        this client sent that the server has not read) of the server's end of
        this connection, from /proc/net/tcp (both ends are on this machine)."""
        here = "%08X:%04X" % (0x0100007F, self.sock.getsockname()[1])
        there = "%08X:%04X" % (0x0100007F, self.sock.getpeername()[1])
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[1] == there and fields[2] == here:
                    tx, rx = fields[4].split(":")
                    return int(tx, 16), int(rx, 16)
        return None

    def drain(self, timeout=10, step=262144, pause=0.0):
        """Reads everything until the server ends the connection, `step` bytes
        at a time with `pause` seconds between reads (a slow reader). Returns
        (frames [(opcode, payload)] with text payloads kept only for close frames,
        how) where how is 'eof', 'reset' or 'timeout'."""
        self.sock.settimeout(timeout)
        buf = b""
        frames = []
        how = "timeout"
        answered = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pause:
                time.sleep(pause)
            try:
                chunk = self.sock.recv(step)
            except socket.timeout:
                how = "timeout"
                break
            except (ConnectionResetError, BrokenPipeError):
                how = "reset"
                break
            if not chunk:
                how = "eof"
                break
            buf += chunk
            got, used = parse_frames(buf, with_used=True)
            buf = buf[used:]
            frames += [(op, payload if op == 8 else b"") for op, payload in got]
            if not answered and any(op == 8 for op, _ in got):
                answered = True
                # Answer the close so the server can finish its closing handshake.
                try:
                    self.sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))
                except OSError:
                    pass
        return frames, how

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def parse_frames(data, with_used=False):
    frames = []
    i = 0
    while i + 2 <= len(data):
        b0, b1 = data[i], data[i + 1]
        op = b0 & 0x0F
        n = b1 & 0x7F
        j = i + 2
        if n == 126:
            if j + 2 > len(data):
                break
            n = struct.unpack(">H", data[j:j + 2])[0]
            j += 2
        elif n == 127:
            if j + 8 > len(data):
                break
            n = struct.unpack(">Q", data[j:j + 8])[0]
            j += 8
        if b1 & 0x80:
            j += 4
        if j + n > len(data):
            break
        frames.append((op, data[j:j + n]))
        i = j + n
    return (frames, i) if with_used else frames


def close_code_of_frames(frames):
    for op, payload in frames:
        if op == 8:
            return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
    return None
