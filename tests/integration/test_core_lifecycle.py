"""Start-up, configuration, limits, timeouts and graceful shutdown."""
import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import uuid

import pytest
import requests

from conftest import BIN, Server, run_cli
from helpers import register
from party_helpers import closeall, connect, create_party, in_thread


def test_bad_setting_stops_startup_naming_it(tmp_path):
    r = run_cli("serve", "--data-dir", str(tmp_path), "--port", "notaport")
    assert r.returncode != 0
    assert "port" in r.stderr
    r = run_cli("serve", "--data-dir", str(tmp_path), env={"WATCHPARTY_LOG_FORMAT": "xml"})
    assert r.returncode != 0
    assert "log_format" in r.stderr and "WATCHPARTY_LOG_FORMAT" in r.stderr


def test_config_file_env_and_flag_precedence(tmp_path):
    cfg = tmp_path / "wp.toml"
    cfg.write_text('log_format = "json"\naccess_log = true\nport = 1\n')
    # The file says port 1 and JSON logs; the flag wins for the port, the file for the format.
    s = Server("sqlite", args=["--config", str(cfg)], data_dir=str(tmp_path))
    s.start()
    try:
        assert s.get("/api/health/").status_code == 200
        time.sleep(0.2)
        assert any(l.startswith("{") and '"request_id"' in l for l in s.log().splitlines())
    finally:
        s.stop()


def test_version_and_help():
    r = run_cli("version")
    assert r.returncode == 0 and r.stdout.startswith("watchparty ")
    for cmd in ("serve", "migrate", "createsuperuser"):
        h = run_cli(cmd, "--help")
        assert h.returncode == 0 and "--data-dir" in h.stdout


def test_migrations_apply_once(make_server, tmp_path):
    s = make_server(empty_database=True)
    assert "applied migration" in s.log()
    s.stop()
    again = Server(s.backend, data_dir=s.data_dir, database_url=s.database_url)
    open(again.log_path, "w").close()
    again.start()
    try:
        assert "applied migration" not in again.log()
        assert again.get("/api/ready/").status_code == 200
    finally:
        again.stop()
    args = ["migrate", "--data-dir", s.data_dir] + (["--database-url", s.database_url] if s.database_url else [])
    r = run_cli(*args)
    assert r.returncode == 0 and "No migrations to apply" in r.stdout


def test_ready_is_503_while_migrations_are_pending(make_server):
    s = make_server(args=["--migrate-on-start", "false"], empty_database=True)
    r = s.get("/api/ready/")
    assert r.status_code == 503
    body = r.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert body["details"]["schema_version"] == 0
    args = ["migrate", "--data-dir", s.data_dir] + (["--database-url", s.database_url] if s.database_url else [])
    assert run_cli(*args).returncode == 0
    assert s.get("/api/ready/").status_code == 200


def test_sigterm_drains_in_flight_request_and_exits_zero(make_server):
    s = make_server(args=["--shutdown-timeout-s", "10"])
    idle = socket.create_connection(("127.0.0.1", s.port))
    busy = socket.create_connection(("127.0.0.1", s.port))
    busy.sendall(b"POST /api/health/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n12345")
    time.sleep(0.2)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    # Still draining: the in-flight request is waited for, new connections are refused.
    assert s.proc.poll() is None
    try:
        requests.get(s.url + "/api/health/", timeout=1)
        refused = False
    except requests.exceptions.ConnectionError:
        refused = True
    assert refused
    busy.sendall(b"67890")
    busy.settimeout(5)
    answer = busy.recv(65536)
    assert answer.startswith(b"HTTP/1.1 405")
    assert b"Connection: close" in answer
    assert s.proc.wait(timeout=10) == 0
    idle.settimeout(2)
    assert idle.recv(10) == b""  # the idle connection was closed, not left hanging


def test_sigterm_gives_up_on_stuck_clients_after_timeout(make_server):
    s = make_server(args=["--shutdown-timeout-s", "1", "--read-timeout-s", "60"])
    stuck = socket.create_connection(("127.0.0.1", s.port))
    stuck.sendall(b"POST /api/health/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
    time.sleep(0.2)
    started = time.time()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=10) == 0
    assert time.time() - started < 5
    stuck.close()


def test_idle_connection_is_closed_after_idle_timeout(make_server):
    s = make_server(args=["--idle-timeout-s", "1"])
    c = socket.create_connection(("127.0.0.1", s.port))
    c.settimeout(5)
    started = time.time()
    assert c.recv(10) == b""
    assert 0.5 < time.time() - started < 4


def test_slow_request_is_cut_after_read_timeout(make_server):
    s = make_server(args=["--read-timeout-s", "1"])
    c = socket.create_connection(("127.0.0.1", s.port))
    c.settimeout(5)
    c.sendall(b"GET /api/health/ HTTP/1.1\r\n")
    started = time.time()
    assert c.recv(100) == b""
    assert time.time() - started < 4
    assert s.get("/api/health/").status_code == 200


def test_between_requests_the_idle_timeout_applies_not_the_read_timeout(make_server):
    # The read deadline ends with the request it bounded: a keep-alive connection that waits
    # longer than read_timeout_s (but less than idle_timeout_s) before its next request is
    # served, and one that starts a request and then stalls is still cut at the read timeout.
    s = make_server(args=["--read-timeout-s", "1", "--idle-timeout-s", "6"])
    c = socket.create_connection(("127.0.0.1", s.port))
    c.settimeout(8)
    request = b"GET /api/health/ HTTP/1.1\r\nHost: x\r\n\r\n"
    for _ in range(2):
        c.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += c.recv(4096)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(body) < length:
            body += c.recv(4096)
        time.sleep(2.5)
    c.sendall(b"GET /api/health/ HTTP/1.1\r\n")
    started = time.time()
    assert c.recv(100) == b""
    assert time.time() - started < 4


def test_max_connections_answers_503(make_server):
    s = make_server(args=["--max-connections", "2"])
    held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(2)]
    time.sleep(0.2)
    r = requests.get(s.url + "/api/health/", timeout=5)
    assert r.status_code == 503
    assert r.json()["error_code"] == "SERVICE_UNAVAILABLE"
    for h in held:
        h.close()
    time.sleep(0.3)
    assert requests.get(s.url + "/api/health/", timeout=5).status_code == 200


def test_refusals_beyond_max_connections_are_short_and_bounded(make_server):
    s = make_server(args=["--max-connections", "1"])
    held = socket.create_connection(("127.0.0.1", s.port))
    time.sleep(0.2)
    # A client beyond the limit that sends nothing is not waited on for long.
    silent = socket.create_connection(("127.0.0.1", s.port))
    silent.settimeout(5)
    started = time.monotonic()
    silent.recv(100)  # closed (the read timed out) rather than answered
    assert time.monotonic() - started < 1.5
    silent.close()
    # Many at once: silent clients fill the refusals in progress (64 at most); a
    # client that comes meanwhile is closed without an answer, even with its request sent.
    silent_crowd = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(70)]
    time.sleep(0.05)
    late = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(10)]
    answers = []
    for c in late:
        c.settimeout(5)
        try:
            c.sendall(b"GET /api/health/ HTTP/1.1\r\nHost: x\r\n\r\n")
            answers.append(c.recv(20))
        except (ConnectionResetError, BrokenPipeError):
            answers.append(b"")
    assert answers.count(b"") > 0, f"every refusal was answered: no cap ({answers})"
    assert all(a == b"" or a.startswith(b"HTTP/1.1 503") for a in answers)
    for c in silent_crowd + late:
        c.close()
    held.close()
    time.sleep(0.3)
    assert requests.get(s.url + "/api/health/", timeout=5).status_code == 200


def test_max_connections_counts_websockets_and_names_the_request(make_server):
    s = make_server(args=["--max-connections", "2"])
    host = register(s)
    party = create_party(host)

    async def scenario():
        sockets = [await connect(s, party, host, name="a"), await connect(s, party, host, name="b")]
        try:
            await asyncio.sleep(0.3)  # the REST calls' connections are gone by now
            mine = "busy-" + uuid.uuid4().hex
            r = await in_thread(requests.get, s.url + "/api/health/", headers={"X-Request-ID": mine}, timeout=5)
            assert r.status_code == 503, r.text
            body = r.json()
            assert body["error_code"] == "SERVICE_UNAVAILABLE"
            assert r.headers["X-Request-ID"] == mine == body["request_id"]
            assert r.headers["Retry-After"] == "1"
            r = await in_thread(requests.get, s.url + "/api/health/", timeout=5)
            assert r.status_code == 503
            assert r.headers["X-Request-ID"] == r.json()["request_id"] != "-"
            uuid.UUID(r.headers["X-Request-ID"])
        finally:
            await closeall(*sockets)

    asyncio.run(scenario())
    time.sleep(0.3)
    assert requests.get(s.url + "/api/health/", timeout=5).status_code == 200


def test_sigterm_is_bounded_when_a_handler_is_stuck(make_server):
    if make_server.backend != "sqlite":
        pytest.skip("holds the SQLite write lock from the test")
    s = make_server(args=["--shutdown-timeout-s", "1"])
    # timeout: the server's own schedulers (events, party starts, polls, push) write now and then.
    lock = sqlite3.connect(os.path.join(s.data_dir, "watchparty.db"), timeout=5, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    client = socket.create_connection(("127.0.0.1", s.port))
    try:
        body = json.dumps({"username": "stuck" + uuid.uuid4().hex[:8], "email": f"{uuid.uuid4().hex[:8]}@example.com",
                           "password": "Correct-Horse-9-Battery"}).encode()
        client.sendall(b"POST /api/auth/register/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        time.sleep(0.5)  # the handler now waits for the lock
        assert s.proc.poll() is None
        started = time.time()
        s.proc.send_signal(signal.SIGTERM)
        code = s.proc.wait(timeout=15)
        elapsed = time.time() - started
        assert code == 0
        assert elapsed < 4, f"exit took {elapsed:.1f}s"
        assert "1 request(s) still running" in s.log() and "abandoned" in s.log()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        client.close()


def test_json_access_line_has_one_field_per_value(make_server):
    s = make_server(args=["--log-format", "json"])
    mine = "json-" + uuid.uuid4().hex
    r = s.get("/api/health/?x=1", headers={"X-Request-ID": mine})
    missing = str(uuid.uuid4())
    r404 = s.get(f"/api/videos/{missing}/", headers={"X-Request-ID": mine + "-404"})
    assert r404.status_code == 404

    def access_line(request_id):
        deadline = time.time() + 3
        while time.time() < deadline:
            for line in s.log().splitlines():
                if line.startswith("{"):
                    entry = json.loads(line)
                    if entry.get("request_id") == request_id and "route" in entry:
                        return entry
            time.sleep(0.05)
        raise AssertionError(f"no JSON access line for {request_id}:\n{s.log()[-2000:]}")

    entry = access_line(mine)
    assert entry["method"] == "GET"
    assert entry["route"] == "/api/health/"
    assert entry["target"] == "/api/health/?x=1"
    assert entry["status"] == 200
    assert entry["bytes"] == len(r.content)
    assert isinstance(entry["duration_ms"], (int, float)) and 0 <= entry["duration_ms"] < 5000
    assert entry["remote_ip"] == "127.0.0.1"
    assert entry["level"] == "info" and isinstance(entry["ts_ms"], int)
    other = access_line(mine + "-404")
    assert other["route"] == "/api/videos/{id}/"  # the pattern, not the path
    assert other["status"] == 404 and other["bytes"] == len(r404.content)


def test_cors_allow_list_with_credentials(make_server):
    s = make_server(args=["--cors-origins", "http://good.test"])
    ok = s.get("/api/health/", headers={"Origin": "http://good.test"})
    assert ok.headers["Access-Control-Allow-Origin"] == "http://good.test"
    assert ok.headers["Access-Control-Allow-Credentials"] == "true"
    bad = s.get("/api/health/", headers={"Origin": "http://evil.test"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    pre = s.request("OPTIONS", "/api/health/", headers={"Origin": "http://good.test",
                                                         "Access-Control-Request-Method": "GET",
                                                         "Access-Control-Request-Headers": "Authorization"})
    assert pre.status_code == 204
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Headers"] == "Authorization"
    denied = s.request("OPTIONS", "/api/health/", headers={"Origin": "http://evil.test",
                                                            "Access-Control-Request-Method": "GET"})
    assert denied.status_code == 403


def test_environment_sets_port():
    import tempfile
    d = tempfile.mkdtemp()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen([BIN, "serve", "--data-dir", d], env=dict(os.environ, WATCHPARTY_PORT=str(port)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/api/health/", timeout=1).status_code == 200:
                    break
            except requests.exceptions.ConnectionError:
                time.sleep(0.05)
        else:
            raise AssertionError("server did not come up on WATCHPARTY_PORT")
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
