"""Request framing on a raw socket (RFC 9112 §6): what decides where a body
ends must never be read two ways, so that no body is taken for a request."""
import re
import socket
import time

import pytest

from conftest import server_or_two_nodes as server  # noqa: F401  (each backend, and two nodes)

SMUGGLED = b"GET /api/health/?smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n"


def exchange(server, data, read_timeout=3):
    """Sends raw bytes; returns (answer bytes, closed by the server, seconds until the first byte)."""
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(read_timeout)
    started = time.time()
    s.sendall(data)
    out, closed, first = b"", False, None
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            if first is None:
                first = time.time() - started
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out, closed, first


def statuses(out):
    return [int(m) for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", out)]


def assert_refused_and_closed(server, data, allowed):
    out, closed, _ = exchange(server, data)
    assert statuses(out) and statuses(out)[0] in allowed, out[:200]
    assert len(statuses(out)) == 1, f"answered more than once: {out!r}"
    assert b"Connection: close" in out.split(b"\r\n\r\n", 1)[0]
    assert closed, "the connection stayed open"
    time.sleep(0.2)
    assert "smuggled" not in server.log()
    assert server.get("/api/health/").status_code == 200


def post_with(headers, body):
    head = b"POST /api/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers
    return head + b"\r\n" + body


@pytest.mark.parametrize("coding", [b"gzip", b"identity", b"xchunked", b"chunked, gzip", b"gzip, chunked",
                                    b"chunked, chunked", b""])
def test_a_transfer_coding_other_than_a_final_chunked_is_refused_with_a_close(server, coding):
    data = post_with(b"Transfer-Encoding: " + coding + b"\r\n", SMUGGLED)
    assert_refused_and_closed(server, data, (400, 501))


def test_an_unknown_coding_in_a_second_transfer_encoding_line_is_refused(server):
    data = post_with(b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + SMUGGLED)
    assert_refused_and_closed(server, data, (400, 501))


@pytest.mark.parametrize("coding", [b"gzip", b"chunked"])
def test_content_length_with_transfer_encoding_is_400_and_close(server, coding):
    body = b"0\r\n\r\n" + SMUGGLED
    data = post_with(b"Content-Length: " + str(len(body)).encode() + b"\r\nTransfer-Encoding: " + coding + b"\r\n",
                     body)
    assert_refused_and_closed(server, data, (400,))


def test_a_chunked_body_with_bare_lf_is_answered_400_at_once(server):
    data = post_with(b"Transfer-Encoding: chunked\r\n", b"2\n{}\n0\n\n")
    out, closed, first = exchange(server, data, read_timeout=5)
    assert statuses(out) == [400], out[:200]
    assert closed and first is not None and first < 2, f"answered after {first} s"


def test_a_well_framed_chunked_body_still_works(server):
    body = b'{"username": "nobody", "password": "x"}'
    data = post_with(b"Transfer-Encoding: chunked\r\n",
                     hex(len(body))[2:].encode() + b"\r\n" + body + b"\r\n0\r\n\r\n")
    out, _, _ = exchange(server, data + b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert statuses(out) == [401, 200], out[:300]


# ---------------------------------------------------------------- JSON bodies (issue #24, defect 5)

def tiny_elements(n):
    return b"[" + b",".join([b"0"] * n) + b"]"


def test_a_login_body_over_its_own_limit_is_413(server):
    r = server.post("/api/auth/login/", data=b'{"username": "' + b"a" * 4000 + b'"}',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text


def test_json_bodies_over_the_value_depth_or_string_limits_are_400(server):
    from helpers import register
    user = register(server)
    for body in (tiny_elements(20_000), b"[" * 40 + b"]" * 40, b'{"title": "' + b"t" * 70_000 + b'"}'):
        r = user.post("/api/parties/", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code in (400, 413), r.text
    r = user.post("/api/parties/", data=tiny_elements(20_000), headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "too many values" in r.json()["message"], r.text


# ---------------------------------------------------------------- RFC 9112 conformance table

HEALTH = b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
LOGIN = b"POST /api/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
BODY = b'{"username": "nobody", "password": "x"}'
CHUNKED_BODY = hex(len(BODY))[2:].encode()

# (name, request bytes, the statuses answered on the connection, in order). A
# refused request closes the connection, so the HEALTH sent after it is never
# read as a request; an accepted one is followed by HEALTH's 200.
CONFORMANCE = [
    # §5.2 allows either a 400 or replacing the fold with spaces; Beast replaces it (one request, no desync).
    ("obsolete line folding (§5.2)", b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" + HEALTH,
     [200, 200]),
    ("space before the colon (§5.1)", b"GET /api/health/ HTTP/1.1\r\nHost : x\r\n\r\n" + HEALTH, [400]),
    # §6.3/§8.6 allow identical values to be read as one: the login is answered (401), then HEALTH.
    ("duplicate Content-Length, same value (§6.3)",
     LOGIN + b"Content-Length: %d\r\nContent-Length: %d\r\n\r\n" % (len(BODY), len(BODY)) + BODY + HEALTH, [401, 200]),
    ("duplicate Content-Length, other value (§6.3)",
     LOGIN + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" + HEALTH, [400]),
    ("Content-Length: +5 (§6.3)", LOGIN + b"Content-Length: +2\r\n\r\n{}" + HEALTH, [400]),
    ("Content-Length: 1,1 (§6.3)", LOGIN + b"Content-Length: %d,%d\r\n\r\n" % (len(BODY), len(BODY)) + BODY + HEALTH,
     [401, 200]),
    ("Content-Length: 1,2 (§6.3)", LOGIN + b"Content-Length: %d,1\r\n\r\n" % len(BODY) + BODY + HEALTH, [400]),
    ("chunk extension (§7.1.1) is ignored",
     LOGIN + b"Transfer-Encoding: chunked\r\n\r\n" + CHUNKED_BODY + b";ext=1\r\n" + BODY + b"\r\n0\r\n\r\n" + HEALTH,
     [401, 200]),
    ("chunk size with leading spaces (§7.1)",
     LOGIN + b"Transfer-Encoding: chunked\r\n\r\n  " + CHUNKED_BODY + b"\r\n" + BODY + b"\r\n0\r\n\r\n" + HEALTH, [400]),
    ("trailer fields (§7.1.2) are read and dropped",
     LOGIN + b"Transfer-Encoding: chunked\r\n\r\n" + CHUNKED_BODY + b"\r\n" + BODY + b"\r\n0\r\nX-T: 1\r\n\r\n" + HEALTH,
     [401, 200]),
    ("a tab in the request line (§3)", b"GET\t/api/health/ HTTP/1.1\r\nHost: x\r\n\r\n" + HEALTH, [400]),
    # RFC 9110 §15.6.6 would rather say 505 for another major version; 400 closes just the same.
    ("HTTP/2.0 in a 1.1 request line", b"GET /api/health/ HTTP/2.0\r\nHost: x\r\n\r\n" + HEALTH, [400]),
    ("a malformed version (§2.3)", b"GET /api/health/ HTTP/1.x\r\nHost: x\r\n\r\n" + HEALTH, [400]),
]


@pytest.mark.parametrize("name,data,expected", CONFORMANCE, ids=[c[0] for c in CONFORMANCE])
def test_rfc9112_framing(server, name, data, expected):
    out, closed, _ = exchange(server, data)
    assert statuses(out) == expected, out[:400]
    assert closed, "the connection stayed open"
    assert "smuggled" not in server.log()


def test_http_1_2_is_answered_as_1_1(server):
    """RFC 9110 §2.5: a later minor version of a major version we implement is
    processed as the highest minor version we conform to. Beast 1.81 knows
    1.0 and 1.1 only; the session reads 1.2 as 1.1 before Beast parses it."""
    out, _, _ = exchange(server, b"GET /api/health/ HTTP/1.2\r\nHost: x\r\n\r\n" + HEALTH)
    assert statuses(out) == [200, 200], out[:300]
    # Split over reads too: the request line is fitted once its CRLF arrived.
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(3)
    for part in (b"GET /api/health/ HTT", b"P/1.9", b"\r\nHost: x\r\n\r\n"):
        s.sendall(part)
        time.sleep(0.05)
    assert statuses(s.recv(65536)) == [200]
    s.close()
