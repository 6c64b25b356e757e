"""Transport, routing, envelopes and request ids against the real binary."""
import asyncio
import glob
import json
import os
import re
import socket
import sqlite3
import threading
import time
import uuid

import pytest
import requests

from conftest import ROOT
from helpers import register
from party_helpers import closeall, connect, create_party, in_thread


def raw_until_close(server, data, read_timeout=5):
    """Sends raw bytes; returns (everything answered, whether the server closed
    the connection before read_timeout)."""
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(read_timeout)
    s.sendall(data)
    out = b""
    closed = False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out, closed


def raw(server, data, read_timeout=5):
    """Sends raw bytes, returns everything the server answers until it closes."""
    return raw_until_close(server, data, read_timeout)[0]


def assert_envelope(resp, status, code):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["success"] is False
    assert body["error_code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    assert body["request_id"] == resp.headers["X-Request-ID"]
    return body


def test_health(server):
    r = server.get("/api/health/")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.headers["Content-Type"].startswith("application/json")


def test_ready_reports_database_and_schema(server):
    r = server.get("/api/ready/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["database"] == "ok"
    assert body["schema_version"] == body["latest_version"] >= 1


def test_unknown_path_is_404_envelope(server):
    assert_envelope(server.get("/api/nothing-here/"), 404, "RESOURCE_NOT_FOUND")


def test_bad_uuid_in_path_is_404(server):
    # Not GET: the web client's catch-all (GET and HEAD only) cannot answer
    # these, so a 404 is the router refusing the malformed id.
    assert_envelope(server.request("DELETE", "/api/videos/not-a-uuid/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(server.post("/api/videos/not-a-uuid/comments/", json={}), 404, "RESOURCE_NOT_FOUND")
    # The same routes with a well-formed id are matched: they ask for a login first.
    well_formed = uuid.uuid4()
    assert_envelope(server.request("DELETE", f"/api/videos/{well_formed}/"), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(server.post(f"/api/videos/{well_formed}/comments/", json={}), 401, "AUTHENTICATION_REQUIRED")
    # And a GET with a well-formed id answers for the missing video.
    assert_envelope(server.get(f"/api/videos/{well_formed}/"), 404, "RESOURCE_NOT_FOUND")


def test_wrong_method_is_405_with_allow(server):
    r = server.post("/api/health/", json={})
    assert_envelope(r, 405, "METHOD_NOT_ALLOWED")
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS"} <= allow


def test_missing_trailing_slash_redirects(server):
    r = server.get("/api/health", allow_redirects=False)
    assert r.status_code == 308
    assert r.headers["Location"] == "/api/health/"
    assert server.get("/api/health").json()["status"] == "ok"


def test_head_has_length_and_no_body(server):
    r = server.request("HEAD", "/api/health/")
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) > 0
    assert r.content == b""


def test_options_lists_methods(server):
    r = server.request("OPTIONS", "/api/health/")
    assert r.status_code == 204
    assert "GET" in r.headers["Allow"]


def test_request_id_kept_or_generated_and_logged(server):
    mine = "test-" + uuid.uuid4().hex
    r = server.get("/api/health/", headers={"X-Request-ID": mine})
    assert r.headers["X-Request-ID"] == mine
    generated = server.get("/api/health/").headers["X-Request-ID"]
    uuid.UUID(generated)
    # A hostile id is replaced, not echoed.
    evil = server.get("/api/health/", headers={"X-Request-ID": "a b<script>"}).headers["X-Request-ID"]
    assert evil != "a b<script>"
    deadline = time.time() + 3
    while mine not in server.log() and time.time() < deadline:
        time.sleep(0.05)
    line = next(l for l in server.log().splitlines() if mine in l)
    assert "/api/health/" in line and " 200 " in line


def test_malformed_http_gets_400_and_close_then_server_still_serves(server):
    out, closed = raw_until_close(server, b"THIS IS NOT HTTP\r\n\r\n", read_timeout=3)
    assert closed, "the server left the connection open after a malformed request"
    assert out.startswith(b"HTTP/1.1 400"), out
    assert b"Connection: close" in out.split(b"\r\n\r\n", 1)[0]
    body = json.loads(out.split(b"\r\n\r\n", 1)[1])
    assert body["error_code"] == "VALIDATION_ERROR"
    assert server.get("/api/health/").status_code == 200


def test_oversized_body_is_413(server):
    r = server.post("/api/health/", data=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert_envelope(r, 413, "PAYLOAD_TOO_LARGE")
    assert server.get("/api/health/").status_code == 200


def test_oversized_chunked_body_is_413(server):
    def chunks():
        for _ in range(40):
            yield b"y" * 65536

    try:
        r = server.post("/api/health/", data=chunks(), headers={"Content-Type": "application/json"})
        assert_envelope(r, 413, "PAYLOAD_TOO_LARGE")
    except requests.exceptions.ConnectionError:
        # The server may close before the client finished sending; it must not have crashed.
        pass
    assert server.get("/api/health/").status_code == 200


def test_an_upload_cut_off_midway_leaves_no_spool_file(server):
    """Uploads are spooled to data_dir/tmp while they arrive; a client that
    goes away halfway must not leave its partial file behind."""
    spool = os.path.join(server.data_dir, "tmp")
    before = set(glob.glob(os.path.join(spool, "upload-*")))
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"POST /api/videos/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
              b"Content-Length: 1000000\r\n\r\n" + b"z" * 50000)
    deadline = time.time() + 5
    while time.time() < deadline and not set(glob.glob(os.path.join(spool, "upload-*"))) - before:
        time.sleep(0.02)
    assert set(glob.glob(os.path.join(spool, "upload-*"))) - before, "the upload was never spooled"
    s.close()
    deadline = time.time() + 5
    while time.time() < deadline and set(glob.glob(os.path.join(spool, "upload-*"))) - before:
        time.sleep(0.05)
    assert not set(glob.glob(os.path.join(spool, "upload-*"))) - before
    assert server.get("/api/health/").status_code == 200


def test_oversized_headers_are_431_with_the_envelope_and_close(server):
    out, closed = raw_until_close(
        server, b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n", read_timeout=3)
    assert closed, "the server left the connection open after refusing the header"
    assert out.startswith(b"HTTP/1.1 431"), out[:100]
    head, body = out.split(b"\r\n\r\n", 1)
    assert b"Connection: close" in head
    assert b"Content-Type: application/json" in head
    envelope = json.loads(body)
    assert envelope["success"] is False
    assert envelope["error_code"] == "REQUEST_HEADER_FIELDS_TOO_LARGE"
    assert envelope["message"] and isinstance(envelope["errors"], dict)
    request_id = re.search(rb"X-Request-ID: (\S+)", head).group(1).decode()
    assert envelope["request_id"] == request_id
    assert server.get("/api/health/").status_code == 200


def test_keep_alive_serves_several_requests_on_one_connection(server):
    with requests.Session() as s:
        for _ in range(5):
            assert s.get(server.url + "/api/health/").status_code == 200
    out = raw(server, b"GET /api/health/ HTTP/1.1\r\nHost: x\r\n\r\nGET /api/health/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert out.count(b"HTTP/1.1 200") == 2


def test_slow_clients_do_not_block_others_on_one_io_thread(make_server):
    s = make_server(args=["--io-threads", "1"])
    stop = threading.Event()
    request = b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 200 + b"\r\n\r\n"

    def trickle(sock):
        # One byte every 50 ms: well inside read_timeout_s, never a whole header.
        for i in range(len(request) - 1):
            if stop.wait(0.05):
                return
            try:
                sock.send(request[i:i + 1])
            except OSError:
                return

    trickling = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(5)]
    threads = [threading.Thread(target=trickle, args=(t,), daemon=True) for t in trickling]
    for t in threads:
        t.start()
    # Clients that ask for a large answer again and again and never read.
    deaf = []
    for _ in range(5):
        d = socket.socket()
        d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        d.connect(("127.0.0.1", s.port))
        d.setblocking(False)
        try:
            for _ in range(400):
                d.send(b"GET /api/schema/ HTTP/1.1\r\nHost: x\r\n\r\n")
        except BlockingIOError:
            pass  # the server stopped reading: its writes to us are stuck
        deaf.append(d)
    try:
        time.sleep(0.5)
        metrics = s.get("/metrics", timeout=2).text
        held = int(re.search(r"^watchparty_open_connections (\d+)$", metrics, re.M).group(1))
        assert held >= 10, metrics  # the slow clients are really connected
        for _ in range(20):
            with requests.Session() as fresh:
                for path in ("/api/ready/", "/api/schema/"):
                    started = time.time()
                    assert fresh.get(s.url + path, timeout=3).status_code == 200
                    assert time.time() - started < 2, path
    finally:
        stop.set()
        for c in trickling + deaf:
            c.close()


def test_slow_client_does_not_block_others(server):
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"GET /api/health/ HTTP/1.1\r\nHost: x\r\n")  # never finishes its header
    started = time.time()
    for _ in range(20):
        assert server.get("/api/health/", timeout=2).status_code == 200
    assert time.time() - started < 5
    slow.close()


def test_metrics_count_requests_by_route_and_status(server):
    server.get("/api/health/")
    server.get("/api/nowhere/")
    # A method no route has: counted as "(unmatched)" (this test may be the first on its server).
    assert server.post("/api/health/").status_code == 405
    text = server.get("/metrics").text
    assert 'watchparty_http_requests_total{route="/api/health/",method="GET",status="200"}' in text
    assert 'status="404"' in text
    assert "watchparty_http_request_duration_seconds_bucket" in text
    assert "watchparty_open_connections" in text
    assert "watchparty_blocking_queue_depth" in text
    bucket = re.search(r'^watchparty_http_request_duration_seconds_bucket\{route="/api/health/",le="\+Inf"\} (\d+)$',
                       text, re.M)
    assert bucket and int(bucket.group(1)) >= 1, text
    assert re.search(r'^watchparty_http_request_duration_seconds_bucket\{route="\(unmatched\)",le="0\.005"\} \d+$',
                     text, re.M), text


def open_websockets(server):
    text = server.get("/metrics").text
    return int(re.search(r"^watchparty_open_websockets (\d+)$", text, re.M).group(1))


def test_metrics_gauge_open_websockets(server):
    host = register(server)
    party = create_party(host)
    before = open_websockets(server)

    async def scenario():
        ws = await connect(server, party, host)
        try:
            assert await in_thread(open_websockets, server) == before + 1
        finally:
            await closeall(ws)

    asyncio.run(scenario())
    deadline = time.time() + 3
    while open_websockets(server) != before and time.time() < deadline:
        time.sleep(0.05)
    assert open_websockets(server) == before


def registered_routes():
    """(method, path) of every route registered with a literal pattern in the
    modules' sources: a list that does not come from the running router."""
    found = set()
    for path in glob.glob(os.path.join(ROOT, "src", "modules", "*", "*routes*.cpp")):
        text = open(path).read()
        for m in re.finditer(r'\badd\(\s*"([A-Z]+)",\s*"([^"]+)",', text):
            found.add((m.group(1), m.group(2)))
        for m in re.finditer(r'\.method\s*=\s*"([A-Z]+)",\s*\.pattern\s*=\s*"([^"]+)"', text):
            found.add((m.group(1), m.group(2)))
    return {(method, re.sub(r"\{(\w+):path\}", r"{\1}", p)) for method, p in found}


def test_openapi_document_is_generated_from_routes(server):
    doc = server.get("/api/schema/").json()
    assert doc["openapi"].startswith("3.1")
    assert "get" in doc["paths"]["/api/health/"]
    op = doc["paths"]["/api/ready/"]["get"]
    assert op["summary"] and op["x-access"] == "anonymous"
    assert op["security"] == []
    assert "Error" in doc["components"]["schemas"]
    known = registered_routes()
    # Several modules, and the shapes that matter: parameters, WebSocket, path tails, loops.
    for must in [("GET", "/api/health/"), ("GET", "/metrics"), ("POST", "/api/auth/register/"),
                 ("GET", "/api/videos/{id}/"), ("GET", "/api/videos/{id}/hls/{file}"),
                 ("GET", "/ws/party/{id}/"), ("POST", "/api/parties/{id}/join/")]:
        assert must in known, must
    known |= {("POST", f"/api/parties/{{id}}/participants/{{user_id}}/{a}/")
              for a in ("promote", "demote", "kick", "ban", "mute", "unmute")}
    assert len(known) > 60
    missing = [(m, p) for m, p in sorted(known) if m.lower() not in doc["paths"].get(p, {})]
    assert not missing, missing
    for p, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"], (method, p)
            assert op["x-access"] in ("anonymous", "user", "staff"), (method, p)
    profile = doc["paths"]["/api/auth/profile/"]["get"]
    assert profile["x-access"] == "user"
    schemes = {name for req in profile["security"] for name in req}
    assert schemes and schemes <= set(doc["components"]["securitySchemes"])
    video = doc["paths"]["/api/videos/{id}/"]["get"]
    assert [p["name"] for p in video["parameters"] if p["in"] == "path"] == ["id"]


def test_sqlite_file_is_in_wal_mode(server):
    if server.backend != "sqlite":
        pytest.skip("SQLite only")
    path = os.path.join(server.data_dir, "watchparty.db")
    assert os.path.exists(path)
    db = sqlite3.connect(path, timeout=5)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    finally:
        db.close()
    assert os.path.exists(path + "-wal")


def test_concurrent_requests_all_answered(server):
    results = []

    def worker():
        with requests.Session() as s:
            for _ in range(20):
                results.append(s.get(server.url + "/api/ready/", timeout=10).status_code)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(200) == 160


@pytest.fixture
def big_file_server(make_server, tmp_path):
    """A server whose web directory holds a file far larger than socket buffers."""
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>t</title>")
    data = os.urandom(16 * 1024 * 1024 + 12345)
    (web / "big.bin").write_bytes(data)
    return make_server(args=["--web-dir", str(web), "--io-threads", "1", "--read-timeout-s", "2"]), data


def open_connections(server):
    text = server.get("/metrics", timeout=2).text
    return int(re.search(r"^watchparty_open_connections (\d+)$", text, re.M).group(1))


def wait_for_open_connections(server, count, timeout=3):
    """Whether the server counts `count` open connections (this request's included) before the deadline."""
    deadline = time.time() + timeout
    while True:
        if open_connections(server) == count:
            return True
        if time.time() >= deadline:
            return False
        time.sleep(0.05)


def test_file_bodies_are_byte_exact_for_fast_and_slow_readers(big_file_server):
    s, data = big_file_server
    r = s.get("/big.bin")
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(data)
    assert r.content == data
    # A reader slower than the server: the sender waits for room in the socket many times.
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    slow.connect(("127.0.0.1", s.port))
    slow.settimeout(5)
    slow.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    received = bytearray()
    reads = 0
    header_end = -1
    try:
        while True:
            chunk = slow.recv(256 * 1024)
            if not chunk:
                break
            received += chunk
            reads += 1
            if header_end < 0 and b"\r\n\r\n" in received:
                header_end = received.index(b"\r\n\r\n") + 4
            if header_end >= 0 and len(received) - header_end >= len(data):
                break
            if reads % 100 == 0:
                # Meanwhile the only I/O thread answers everyone else.
                started = time.time()
                assert s.get("/api/health/", timeout=3).status_code == 200
                assert time.time() - started < 2
            time.sleep(0.001)
    finally:
        slow.close()
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert body == data


def test_a_reader_that_stops_is_cut_after_the_read_timeout(big_file_server):
    s, data = big_file_server
    # Connections of earlier tests may take a moment to be counted out: poll, never snapshot.
    assert wait_for_open_connections(s, 1), "connections of earlier requests still open"  # this request only
    deaf = socket.socket()
    deaf.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    deaf.connect(("127.0.0.1", s.port))
    deaf.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        assert wait_for_open_connections(s, 2, timeout=3)  # stuck sending to the deaf client
        for _ in range(10):
            started = time.time()
            assert s.get("/api/health/", timeout=3).status_code == 200
            assert time.time() - started < 2
        assert wait_for_open_connections(s, 1, timeout=8), \
            "a client that stopped reading kept its connection past read_timeout_s"
    finally:
        deaf.close()
