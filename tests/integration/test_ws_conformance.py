"""WebSocket conformance on a raw socket (RFC 6455 §5, §7.4, §8.1): each row
sends frames after a valid handshake and names the close code the server
must answer with. A refused handshake is an HTTP answer."""
import base64
import os
import socket
import struct

import pytest

from conftest import server_or_two_nodes as server  # noqa: F401  (each backend, and two nodes)
from helpers import register
from party_helpers import create_party


def handshake(server, path, key=None, read_timeout=5, version="13", then=b""):
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(read_timeout)
    key = key if key is not None else base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n\r\n").encode() + then)
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            break
        head += chunk
    return s, head


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True):
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
    else:
        head = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


def read_frames(s):
    """Server frames until the close frame (or the TCP close): [(opcode, payload)]."""
    buf, frames = b"", []
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 2:
                n = buf[1] & 0x7F
                off = 2
                if n == 126:
                    if len(buf) < 4:
                        break
                    n, off = struct.unpack("!H", buf[2:4])[0], 4
                elif n == 127:
                    if len(buf) < 10:
                        break
                    n, off = struct.unpack("!Q", buf[2:10])[0], 10
                if len(buf) < off + n:
                    break
                frames.append((buf[0] & 0x0F, buf[off:off + n]))
                buf = buf[off + n:]
                if frames[-1][0] == 8:
                    return frames
    except socket.timeout:
        pass
    return frames


def close_code_after(server, path, data):
    s, head = handshake(server, path)
    assert head.startswith(b"HTTP/1.1 101"), head
    s.sendall(data)
    frames = read_frames(s)
    s.close()
    closes = [p for op, p in frames if op == 8]
    assert closes, f"no close frame; got {frames}"
    return struct.unpack("!H", closes[0][:2])[0] if len(closes[0]) >= 2 else 1005


@pytest.fixture
def party_path(server):
    host = register(server)
    p = create_party(host)
    return f"/ws/party/{p['id']}/?token={host.access}"


PING = b'{"type": "ping"}'

# (name, frames the client sends, the close code the server must answer with)
CASES = [
    ("normal close is echoed", frame(8, close_payload(1000)), 1000),
    ("close code 999", frame(8, close_payload(999)), 1002),
    ("close code 1004 (reserved)", frame(8, close_payload(1004)), 1002),
    ("close code 1005 (never sent)", frame(8, close_payload(1005)), 1002),
    ("close code 1006 (never sent)", frame(8, close_payload(1006)), 1002),
    ("close code 1016 (unassigned)", frame(8, close_payload(1016)), 1002),
    ("close payload of one byte", frame(8, b"\x03"), 1002),
    ("invalid UTF-8 in a text frame", frame(1, b'{"type": "\xff\xfe"}'), 1007),
    ("invalid UTF-8 split over fragments", frame(1, b"\xce", fin=False) + frame(0, b"\xff"), 1007),
    ("reserved opcode 3", frame(3, b"x"), 1002),
    ("reserved control opcode 11", frame(11, b"x"), 1002),
    ("RSV1 without an extension", frame(1, PING, rsv=4), 1002),
    ("RSV3 without an extension", frame(1, PING, rsv=1), 1002),
    ("unmasked client frame", frame(1, PING, mask=False), 1002),
    ("control frame over 125 bytes", frame(9, b"p" * 126), 1002),
    ("fragmented control frame", frame(9, b"p", fin=False), 1002),
    ("continuation without a start", frame(0, PING), 1002),
    ("new text frame inside a fragmented message", frame(1, b"{", fin=False) + frame(1, b"}"), 1002),
    ("16-bit length for a 5-byte frame", bytes([0x81, 0xFE, 0, 5]) + b"kkkk" + b"hello", 1002),
    ("64-bit length with its top bit set", bytes([0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 5]) + b"kkkk", 1002),
    ("message over 64 KiB in fragments", frame(1, b"x" * 40000, fin=False) + frame(0, b"x" * 40000), 1009),
    ("close code 5000", frame(8, close_payload(5000)), 1002),
    ("close code 65535", frame(8, close_payload(65535)), 1002),
    ("valid close code 4999 is echoed", frame(8, close_payload(4999)), 4999),
    ("invalid UTF-8 in a close reason", frame(8, close_payload(1000, b"\xff")), 1007),
    ("invalid UTF-8 in a close reason after a surrogate", frame(8, close_payload(4000, b"\xed\xa0\x80")), 1007),
    ("invalid close code and reason", frame(8, close_payload(1005, b"\xff")), 1002),
    ("invalid close reason after other frames", frame(1, PING) + frame(9, b"hi") + frame(1, b"{", fin=False) +
     frame(0, b'"type": "ping"}') + frame(8, close_payload(1000, b"\xff")), 1007),
]


@pytest.mark.parametrize("name,data,expected", CASES, ids=[c[0] for c in CASES])
def test_the_server_answers_with_the_rfc_close_code(server, party_path, name, data, expected):
    assert close_code_after(server, party_path, data) == expected


def test_fragments_with_an_interleaved_ping_make_one_message(server, party_path):
    s, head = handshake(server, party_path)
    assert head.startswith(b"HTTP/1.1 101"), head
    s.sendall(frame(1, b'{"type": ', fin=False) + frame(9, b"hi") + frame(0, b'"ping"}'))
    s.sendall(frame(8, close_payload(1000)))
    frames = read_frames(s)
    s.close()
    assert (10, b"hi") in frames, frames  # the ping is answered in the middle of the message
    texts = [p for op, p in frames if op == 1]
    assert any(b'"pong"' in t for t in texts), frames
    assert frames[-1][0] == 8 and struct.unpack("!H", frames[-1][1][:2])[0] == 1000


@pytest.mark.parametrize("key", ["", "short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZXM=",
                                 "!!!!!!!!!!!!!!!!!!!!!!==", base64.b64encode(bytes(range(20))).decode()])  # 20 bytes, not 16
def test_a_handshake_with_a_bad_key_is_400(server, party_path, key):
    s, head = handshake(server, party_path, key=key)
    s.close()
    assert head.startswith(b"HTTP/1.1 400"), head


@pytest.mark.parametrize("version", ["8", "14", ""])
def test_another_protocol_version_is_400_naming_13(server, party_path, version):
    s, head = handshake(server, party_path, version=version)
    s.close()
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"\r\nsec-websocket-version: 13\r\n" in head.lower(), head


def test_frames_sent_with_the_handshake_are_read(server, party_path):
    """Bytes that arrive in the same segment as the upgrade request reach the frame reader."""
    s, head = handshake(server, party_path, then=frame(1, PING) + frame(8, close_payload(1000)))
    assert head.startswith(b"HTTP/1.1 101"), head
    frames = read_frames(s)
    s.close()
    assert any(op == 1 and b'"pong"' in p for op, p in frames), frames
    assert frames[-1] == (8, close_payload(1000)), frames


def test_the_handshake_answer_carries_the_accept_key(server, party_path):
    s, head = handshake(server, party_path, key="dGhlIHNhbXBsZSBub25jZQ==")
    s.close()
    assert b"\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in head, head
