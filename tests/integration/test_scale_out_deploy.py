"""Deployment and faults of several nodes (docs/operations.md, "Several nodes"):
the documented nginx config, environment file and systemd units in front of
two real nodes, two `watchparty worker` processes sharing the job queue on
PostgreSQL, and a PostgreSQL restart under a running node.

The nginx block is taken from docs/operations.md as written there; only its
placeholders are replaced: `server 127.0.0.1:8081` / `server 127.0.0.1:8082`
(the two nodes), `listen 80;` (a free loopback port; `listen [::]:80;` is
dropped) and `/var/log/nginx/` (the test's temporary directory)."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
import warnings

import pytest
import requests

from conftest import BIN, PG_URL, ROOT, Server, new_pg_database
from helpers import assert_envelope, register, strong_password, uniq
from party_helpers import connect, create_party, in_thread, party_path, run
from video_helpers import TUS, make_clip, read, tus_meta, upload, wait_processed

REDIS_URL = os.environ.get("WP_REDIS_URL", "")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG_BIN = "/usr/lib/postgresql/15/bin"
DOC = os.path.join(ROOT, "docs", "operations.md")

pytestmark = pytest.mark.skipif(not (PG_URL and REDIS_URL), reason="needs WP_PG_URL and WP_REDIS_URL")

needs_nginx = pytest.mark.skipif(not os.access(NGINX, os.X_OK), reason="needs nginx (scripts/install-deps.sh --test)")


# ---------------------------------------------------------------- the documented configuration

def doc_block(first_line):
    """The fenced block of docs/operations.md whose first line is `first_line`."""
    with open(DOC) as f:
        text = f.read()
    m = re.search(r"^```[a-z]*\n(" + re.escape(first_line) + r"\n.*?)^```", text, flags=re.M | re.S)
    assert m, f"docs/operations.md has no fenced block starting with {first_line!r}"
    return m.group(1)


def doc_env():
    """The documented environment file, as systemd reads it (KEY=VALUE lines, # comments)."""
    env = {}
    for line in doc_block("# /etc/watchparty/watchparty.env").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        env[key] = value
    return env


def substitute(text, old, new, count=1):
    assert text.count(old) == count, f"the documented nginx block should contain {old!r} {count} time(s)"
    return text.replace(old, new)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Nginx:
    """Debian's nginx running the documented block, on loopback, as a child of the test."""

    def __init__(self, upstream_ports):
        self.dir = tempfile.mkdtemp(prefix="wp_nginx_")
        os.chmod(self.dir, 0o755)  # nginx's workers (nobody) create their temp files inside
        self.port = free_port()
        block = doc_block("# nginx: watchparty")
        block = substitute(block, "server 127.0.0.1:8081", f"server 127.0.0.1:{upstream_ports[0]}")
        block = substitute(block, "server 127.0.0.1:8082", f"server 127.0.0.1:{upstream_ports[1]}")
        block = substitute(block, "listen 80;", f"listen 127.0.0.1:{self.port};")
        block = substitute(block, "listen [::]:80;", "")
        block = block.replace("/var/log/nginx/", self.dir + "/")
        d = self.dir
        mime = "include /etc/nginx/mime.types;" if os.path.exists("/etc/nginx/mime.types") else ""
        # What Debian's /etc/nginx/nginx.conf gives the conf.d files, with every path in our directory.
        self.conf = os.path.join(d, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(f"""worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    {mime}
    default_type application/octet-stream;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    access_log {d}/access.log;
{block}
}}
""")
        self.proc = None

    def command(self, *extra):
        return [NGINX, "-p", self.dir + "/", "-c", self.conf, "-e", os.path.join(self.dir, "error.log"), *extra]

    def start(self, timeout=10):
        t = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=20)
        assert t.returncode == 0, f"nginx -t refused the documented config:\n{t.stderr}\n{open(self.conf).read()}"
        self.proc = subprocess.Popen(self.command("-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}:\n{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start:\n" + self.error_log())

    def _read(self, name):
        try:
            with open(os.path.join(self.dir, name), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def error_log(self):
        return self._read("error.log")

    def access_log(self):
        return self._read("watchparty.access.log")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # fast shutdown: open WebSockets are cut
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Front:
    """nginx's port seen through the interface of conftest.Server, so that the
    helpers (register, User, connect) talk to the nodes through nginx."""

    def __init__(self, port):
        self.port = port

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, **kw):
        return requests.request(method, self.url + path, timeout=kw.pop("timeout", 10), **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)


class Cluster:
    def __init__(self, nodes, nginx):
        self.nodes = nodes
        self.nginx = nginx
        self.front = Front(nginx.port)


def start_cluster(node_args=()):
    """Two nodes on one new database, one Redis and one data_dir, configured by the
    documented environment file (flags for the test's own database, Redis and
    directories win over it), behind the documented nginx."""
    db = new_pg_database()
    data_dir = tempfile.mkdtemp(prefix="wp_cluster_")
    nodes = []
    try:
        for name in ("a", "b"):
            node = Server("postgresql", args=["--redis-url", REDIS_URL, *node_args], env=doc_env(),
                          data_dir=data_dir, database_url=db)
            node.log_path = os.path.join(data_dir, f"node-{name}.log")  # one data_dir, a log per node
            nodes.append(node.start())
        nginx = Nginx([n.port for n in nodes]).start()
    except Exception:
        for n in nodes:
            n.stop()
        raise
    return Cluster(nodes, nginx)


def stop_cluster(cluster):
    cluster.nginx.stop()
    for n in cluster.nodes:
        n.stop()


@pytest.fixture(scope="module")
def cluster():
    if not os.access(NGINX, os.X_OK):
        pytest.skip("needs nginx (scripts/install-deps.sh --test)")
    c = start_cluster()
    yield c
    stop_cluster(c)


def eventually(check, timeout=3.0, what="condition"):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# ---------------------------------------------------------------- the documents themselves

def help_flags(command):
    out = subprocess.run([BIN, command, "--help"], capture_output=True, text=True, timeout=10).stdout
    return set(re.findall(r"--([a-z][a-z0-9-]+)", out)), set(re.findall(r"\[env (WATCHPARTY_[A-Z0-9_]+)\]", out))


def test_documented_env_file_and_units_use_real_settings():
    serve_flags, serve_env = help_flags("serve")
    worker_flags, _ = help_flags("worker")
    env = doc_env()
    assert env, "the documented environment file sets nothing"
    unknown = sorted(set(env) - serve_env)
    assert not unknown, f"the environment file sets variables watchparty does not read: {unknown}"
    assert env["WATCHPARTY_DATABASE_URL"].startswith("postgresql://")
    assert env["WATCHPARTY_REDIS_URL"].startswith("redis://")
    assert env["WATCHPARTY_RUN_WORKERS_IN_SERVE"] == "false"
    assert "WATCHPARTY_JWT_SECRET" not in env, "nodes should share the generated secret kept in the database"

    with open(DOC) as f:
        section = f.read().split("## Several nodes", 1)[1]
    # Every flag given to `watchparty serve` / `watchparty worker` in the section exists.
    for cmd, flags in (("serve", serve_flags), ("worker", worker_flags)):
        for line in re.findall(rf"watchparty {cmd}\b[^\n`]*", section):
            used = set(re.findall(r"--([a-z][a-z0-9-]+)", line))
            assert used <= flags, f"{line!r} uses flags {cmd} does not have: {used - flags}"

    # TimeoutStopSec leaves room for the drain (shutdown_timeout_s) and the workers' stop.
    with open(DOC) as f:
        default = int(re.search(r"^\| shutdown_timeout_s \| (\d+) \|", f.read(), flags=re.M).group(1))
    for unit in ("watchparty@.service", "watchparty-worker@.service"):
        text = doc_block(f"# /etc/systemd/system/{unit}")
        assert "Restart=on-failure" in text and "KillSignal=SIGTERM" in text, unit
        assert re.search(r"^EnvironmentFile=/etc/watchparty/watchparty.env$", text, flags=re.M), unit
        assert re.search(r"^LimitNOFILE=\d+$", text, flags=re.M), unit
        stop = int(re.search(r"^TimeoutStopSec=(\d+)$", text, flags=re.M).group(1))
        assert stop > default, f"{unit}: TimeoutStopSec={stop} must exceed shutdown_timeout_s={default}"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_documented_systemd_units_parse(tmp_path):
    env_file = tmp_path / "watchparty.env"
    env_file.write_text(doc_block("# /etc/watchparty/watchparty.env"))
    units = []
    for template, instance in (("watchparty@.service", "8081"), ("watchparty-worker@.service", "1")):
        text = doc_block(f"# /etc/systemd/system/{template}")
        text = substitute(text, "/opt/watchparty/build/watchparty", BIN)
        text = substitute(text, "EnvironmentFile=/etc/watchparty/watchparty.env", f"EnvironmentFile={env_file}")
        path = tmp_path / template.replace("@.", f"@{instance}.")
        path.write_text(text)
        units.append(str(path))
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True, timeout=30)
    # verify exits 0 even for settings it ignores; anything it says is a mistake in the unit.
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr


# ---------------------------------------------------------------- nginx in front of two nodes

@needs_nginx
def test_rest_through_nginx(cluster):
    front = cluster.front
    user = register(front)
    r = front.post("/api/auth/login/", json={"username": user.username, "password": user.password})
    assert r.status_code == 200, r.text
    r = user.get("/api/auth/profile/", token=r.json()["access_token"])
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user.id

    # A client's X-Request-ID reaches the node (its log) and comes back.
    rid = "deploy-" + uuid.uuid4().hex
    r = user.get("/api/auth/profile/", headers={"X-Request-ID": rid})
    assert r.status_code == 200 and r.headers["X-Request-ID"] == rid
    eventually(lambda: any(rid in n.log() for n in cluster.nodes), what="the request id in a node's log")
    # Without one, nginx makes one ($request_id) that the node keeps and nginx logs.
    r = front.get("/api/health/")
    made = r.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made), made
    eventually(lambda: f"id={made}" in cluster.nginx.access_log(), what="the request id in nginx's access log")
    eventually(lambda: any(made in n.log() for n in cluster.nodes), what="nginx's request id in a node's log")


SMUGGLED = b"GET /api/health/?smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n"


@needs_nginx
@pytest.mark.parametrize("framing", [
    b"Transfer-Encoding: gzip\r\n",
    b"Transfer-Encoding: chunked, gzip\r\n",
    b"Transfer-Encoding: xchunked\r\n",
    b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
], ids=["gzip", "chunked-gzip", "xchunked", "cl-then-te", "te-then-cl"])
def test_no_request_is_smuggled_through_nginx(cluster, framing):
    """Issue #24: behind nginx a body read as a request would reach a node on a
    shared upstream connection. Whoever refuses it (nginx or the node), it is
    answered once and neither nginx nor a node ever sees the smuggled GET."""
    s = socket.create_connection(("127.0.0.1", cluster.front.port))
    s.settimeout(3)
    s.sendall(b"POST /api/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing +
              b"\r\n0\r\n\r\n" + SMUGGLED)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    answers = re.findall(rb"HTTP/1\.1 (\d{3}) ", out)
    assert answers and answers[0] in (b"400", b"501"), out[:300]
    assert len(answers) == 1, out
    for _ in range(4):  # the upstream connections are still in step
        assert cluster.front.get("/api/health/").status_code == 200
    time.sleep(0.3)
    assert "smuggled" not in cluster.nginx.access_log()
    assert not any("smuggled" in n.log() for n in cluster.nodes)


@needs_nginx
def test_websockets_through_nginx_land_on_both_nodes_and_talk(cluster):
    front = cluster.front
    host = register(front)
    guest = register(front)
    party = create_party(host, settings={"control": "everyone"})
    path = f"/ws/party/{party['id']}/"

    async def scenario():
        first = await connect(front, party, host, name="host")
        second = await connect(front, party, guest, name="guest")
        try:
            await first.wait_for("user_joined", lambda m: m["user"]["id"] == guest.id)
            await second.send({"type": "chat_message", "content": "hello from the second"})
            got = await first.wait_for("chat_message", lambda m: m["message"]["content"] == "hello from the second")
            assert got["message"]["user"]["id"] == guest.id
            await first.send({"type": "chat_message", "content": "hello from the first"})
            got = await second.wait_for("chat_message", lambda m: m["message"]["content"] == "hello from the first")
            assert got["message"]["user"]["id"] == host.id

            await first.control("seek", position=42)
            pb = await second.wait_for("playback_state", lambda m: m["playback"]["position"] == 42)
            assert pb["playback"]["set_by"] == host.id
            await second.control("seek", position=7)
            pb = await first.wait_for("playback_state", lambda m: m["playback"]["position"] == 7)
            assert pb["playback"]["set_by"] == guest.id
        finally:
            await first.close()
            await second.close()

    run(scenario())

    # least_conn (with the shared zone) sends the second socket to the node without one.
    # The access line shows the query with the token masked.
    opened = [len(re.findall(rf"GET {re.escape(path)}\?token=\*\*\* websocket open", n.log())) for n in cluster.nodes]
    assert opened == [1, 1], f"WebSocket upgrades per node: {opened}"
    # nginx logs each socket when it closes, with the node it went to.
    lines = eventually(lambda: (lambda ls: ls if len(ls) == 2 else None)(
        [line for line in cluster.nginx.access_log().splitlines() if f"GET {path}" in line]),
        what="both sockets in nginx's access log")
    ports = {re.search(r"upstream=127\.0\.0\.1:(\d+)", line).group(1) for line in lines}
    assert ports == {str(n.port) for n in cluster.nodes}, lines
    assert all('" 101 ' in line for line in lines), lines
    log = cluster.nginx.access_log()
    assert host.access not in log and guest.access not in log, "access tokens in nginx's access log"


def noise_clip():
    """An H.264 MP4 of random pixels: about 4 MB in under a second, above the 3 MiB that
    the documented config allows outside the upload locations."""
    path = os.path.join(tempfile.mkdtemp(prefix="wp_clip_"), "noise.mp4")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "nullsrc=s=320x240:d=4:r=25,geq=random(1)*255:128:128", "-c:v", "libx264",
                    "-pix_fmt", "yuv420p", "-preset", "ultrafast", path], check=True, capture_output=True, timeout=60)
    return path


@needs_nginx
def test_uploads_through_nginx_arrive_whole(cluster):
    front = cluster.front
    user = register(front)
    clip = noise_clip()
    data = read(clip)
    shutil.rmtree(os.path.dirname(clip), ignore_errors=True)
    assert len(data) > 3 * 1024 * 1024, len(data)
    digest = hashlib.sha256(data).hexdigest()

    # Multipart, in one request.
    r = user.post("/api/videos/", files={"file": ("noise.mp4", data, "video/mp4")}, data={"title": "Through nginx"},
                  timeout=60)
    assert r.status_code == 201, r.text
    video = r.json()
    assert video["file_size"] == len(data)
    stream = user.get(f"/api/videos/{video['id']}/stream/", timeout=30)
    assert stream.status_code == 200 and hashlib.sha256(stream.content).hexdigest() == digest

    # tus, in two chunks (which may reach different nodes: they share data_dir).
    r = user.post("/api/videos/uploads/", headers={**TUS, "Upload-Length": str(len(data)),
                                                   "Upload-Metadata": tus_meta(filename="noise.mp4", title="tus")})
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    half = len(data) // 2
    patch = {**TUS, "Content-Type": "application/offset+octet-stream"}
    r = user.patch(location, headers={**patch, "Upload-Offset": "0"}, data=data[:half], timeout=30)
    assert r.status_code == 204, r.text
    r = user.patch(location, headers={**patch, "Upload-Offset": str(half)}, data=data[half:], timeout=30)
    assert r.status_code == 204, r.text
    stream = user.get(f"/api/videos/{r.headers['X-Video-ID']}/stream/", timeout=30)
    assert stream.status_code == 200 and hashlib.sha256(stream.content).hexdigest() == digest

    # The same body elsewhere is refused by nginx itself (client_max_body_size 3m).
    r = user.post("/api/users/me/avatar/", files={"file": ("a.png", data, "image/png")})
    assert r.status_code == 413, r.status_code
    assert "X-Request-ID" not in r.headers, "nginx, not a node, answers"

    # Uploads were streamed to the nodes, not spooled by nginx (proxy_request_buffering off),
    # and nothing was spooled on the way back (proxy_max_temp_file_size 0).
    assert "buffered to a temporary file" not in cluster.nginx.error_log(), cluster.nginx.error_log()


def login_from(port, source_ip, username, password):
    """POST /api/auth/login/ to nginx from another loopback address (a distinct client)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source_ip, 0))
    try:
        conn.request("POST", "/api/auth/login/", body=json.dumps({"username": username, "password": password}),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        conn.close()


@needs_nginx
def test_login_throttle_tells_clients_apart_behind_nginx():
    c = start_cluster(node_args=["--login-fail-limit-ip", "3"])
    try:
        victim = register(c.front)
        # Unknown names, so that only the per-IP limit counts. 10 attempts pass the limit of 3
        # whether the nodes count apart (least_conn alternates two idle nodes) or together.
        statuses = [login_from(c.nginx.port, "127.0.0.2", uniq("nobody"), strong_password())[0] for _ in range(10)]
        assert set(statuses) <= {401, 429} and statuses[-1] == 429, statuses
        status, body = login_from(c.nginx.port, "127.0.0.3", victim.username, victim.password)
        assert status == 200, body
        # The node recorded the client's address, not nginx's.
        history = c.front.get("/api/auth/login-history/",
                              headers={"Authorization": f"Bearer {json.loads(body)['access_token']}"})
        assert history.status_code == 200, history.text
        entries = history.json()["results"]
        assert entries[0]["ip_address"] == "127.0.0.3", entries[0]
    finally:
        stop_cluster(c)


# ---------------------------------------------------------------- two workers, one queue

def psql(database_url, sql):
    r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-F", "|", database_url, "-c", sql],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return [line.split("|") for line in r.stdout.splitlines() if line]


def test_two_workers_claim_each_job_once():
    db = new_pg_database()
    node = Server("postgresql", args=["--run-workers-in-serve", "false"], database_url=db).start()
    workers = []
    try:
        user = register(node)
        clip = make_clip(duration=2, size="160x120")
        ids = []
        for i in range(6):
            r = upload(user, clip, title=f"queued {i}")
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        assert "video worker thread(s) started" not in node.log()

        for i in range(2):
            log_path = os.path.join(node.data_dir, f"worker-{i}.log")
            log = open(log_path, "ab")
            proc = subprocess.Popen([BIN, "worker", "--data-dir", node.data_dir, "--database-url", db,
                                     "--worker-poll-ms", "100", "--job-retry-base-s", "1"],
                                    stdout=log, stderr=subprocess.STDOUT)
            workers.append((proc, log, log_path))

        for vid in ids:
            status = wait_processed(node, vid, user, timeout=45)
            assert status["status"] == "ready", status
    finally:
        for proc, log, _ in workers:
            proc.send_signal(signal.SIGTERM)
        for proc, log, _ in workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        node.stop()

    # The database: one job per video, succeeded on its first and only claim.
    rows = psql(db, "SELECT video_id, status, attempts, locked_by IS NULL FROM video_processing_jobs")
    assert sorted(r[0] for r in rows) == sorted(ids), rows
    assert all(r[1:] == ["succeeded", "1", "t"] for r in rows), rows

    # The logs: every job started exactly once, by one worker, and no worker lost a job to the other.
    started = {}
    done_by = {}
    for n, (proc, _, log_path) in enumerate(workers):
        with open(log_path, errors="replace") as f:
            text = f.read()
        assert proc.returncode == 0, text[-2000:]
        for job, vid, attempt, worker_id in re.findall(r"job (\S+) \(video (\S+)\) attempt (\d+) started by (\S+)",
                                                       text):
            assert f":{proc.pid}:" in worker_id, (worker_id, proc.pid)
            started.setdefault(job, []).append((n, attempt))
        for job in re.findall(r"job (\S+) \(video \S+\) succeeded", text):
            done_by.setdefault(job, []).append(n)
        assert "no longer ours" not in text and "abandoned" not in text, text[-2000:]
    assert len(started) == len(ids), started
    twice = {job: s for job, s in started.items() if len(s) != 1}
    assert not twice, f"jobs started more than once: {twice}"
    assert all(len(d) == 1 for d in done_by.values()) and len(done_by) == len(ids), done_by
    per_worker = [sum(1 for s in started.values() if s[0][0] == n) for n in range(2)]
    if 0 in per_worker:  # likely but not certain with 6 short jobs: not asserted
        warnings.warn(f"one worker took every job: {per_worker}")


# ---------------------------------------------------------------- PostgreSQL restart

def can_run_own_cluster():
    return os.geteuid() == 0 and os.access(os.path.join(PG_BIN, "initdb"), os.X_OK) and shutil.which("runuser")


class OwnPostgres:
    """A PostgreSQL cluster of this test only (scripts/pg-start.sh), so that stopping it
    disturbs no other server of the session (their pooled connections would break)."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="wp_pgown_")
        os.chmod(self.root, 0o755)  # the postgres user reaches its cluster inside
        self.dir = os.path.join(self.root, "pg")
        self.port = str(free_port())
        self.url = None

    def start(self):
        r = subprocess.run([os.path.join(ROOT, "scripts", "pg-start.sh"), self.dir, self.port],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        self.url = r.stdout.strip().splitlines()[-1]
        return self

    def running(self):
        r = subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, "pg_ctl"), "-D",
                            os.path.join(self.dir, "data"), "status"], capture_output=True, timeout=20)
        return r.returncode == 0

    def stop(self):
        subprocess.run([os.path.join(ROOT, "scripts", "pg-stop.sh"), self.dir], capture_output=True, timeout=60)

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def own_pg():
    if not can_run_own_cluster():
        pytest.skip("needs root and PostgreSQL 15 binaries to run a cluster of its own")
    pg = OwnPostgres().start()
    yield pg
    pg.remove()


async def first_of(ws, types, start, timeout=5):
    """The first message at index >= start whose type is one of `types`."""
    deadline = time.monotonic() + timeout
    while True:
        for m in ws.messages[start:]:
            if m.get("type") in types:
                return m
        assert not ws.closed, f"[{ws.name}] closed ({ws.close_code}) waiting for {types}"
        assert time.monotonic() < deadline, f"[{ws.name}] no {types} within {timeout}s: {ws.messages[start:]}"
        await asyncio.sleep(0.02)


def test_postgresql_restart_under_a_running_node(own_pg):
    node = Server("postgresql", args=["--worker-poll-ms", "100", "--job-retry-base-s", "1"],
                  database_url=own_pg.url).start()
    try:
        user = register(node)
        party = create_party(user, settings={"control": "everyone"})

        # Requests that need the database, each with a short timeout: a hang fails the test.
        needs_db = {
            "profile": lambda: user.get("/api/auth/profile/", timeout=5),
            "parties": lambda: user.get("/api/parties/", timeout=5),
            "party": lambda: user.get(party_path(party), timeout=5),
            "create party": lambda: user.post("/api/parties/", json={"title": "during",
                                                                    "media_url": "https://x.example/a.mp4"}, timeout=5),
            "login": lambda: node.post("/api/auth/login/", json={"username": user.username,
                                                                 "password": user.password}, timeout=5),
            "register": lambda: node.post("/api/auth/register/", json={
                "username": uniq(), "email": f"{uniq()}@example.com", "password": strong_password()}, timeout=5),
        }

        async def scenario():
            ws = await connect(node, party, user, name="member")
            try:
                own_pg.stop()
                assert not own_pg.running()
                try:
                    started = time.monotonic()
                    answers = await in_thread(lambda: {name: call() for name, call in needs_db.items()})
                    assert time.monotonic() - started < 10, "requests during the outage were slow"
                    for name, r in answers.items():
                        assert_envelope(r, 503, "SERVICE_UNAVAILABLE")
                    health = await in_thread(node.get, "/api/health/", timeout=5)
                    assert health.status_code == 200, health.text
                    ready = await in_thread(node.get, "/api/ready/", timeout=5)
                    assert ready.status_code == 503, ready.text
                    # The open socket stays open; a chat message that cannot be stored gets an error.
                    mark = ws.mark()
                    await ws.send({"type": "chat_message", "content": "during the outage"})
                    err = await ws.wait_for("error", start=mark, timeout=5)
                    assert err["code"] == "unavailable" and err["message"], err
                    assert not ws.closed
                    assert node.proc.poll() is None, "the node died during the outage"
                finally:
                    if not own_pg.running():
                        own_pg.start()

                # Back without restarting the node: each request succeeds again within 15 s.
                deadline = time.monotonic() + 15

                def until_ok(name, attempt):
                    while True:
                        r = attempt()
                        if r.status_code < 300:
                            return r
                        assert time.monotonic() < deadline, f"{name} still fails after PostgreSQL returned: " \
                                                            f"{r.status_code} {r.text}"
                        time.sleep(0.1)

                for name, call in needs_db.items():
                    await in_thread(until_ok, name, call)
                await in_thread(until_ok, "ready", lambda: node.get("/api/ready/", timeout=5))

                # The open socket carries chat again, and new sockets are accepted.
                while True:
                    mark = ws.mark()
                    await ws.send({"type": "chat_message", "content": "after the outage"})
                    reply = await first_of(ws, ("chat_message", "error"), mark)
                    if reply["type"] == "chat_message":
                        assert reply["message"]["content"] == "after the outage", reply
                        break
                    assert time.monotonic() < deadline, f"chat still refused after PostgreSQL returned: {reply}"
                    await asyncio.sleep(0.1)
                while True:
                    try:
                        again = await connect(node, party, user, name="member again")
                        await again.close()
                        break
                    except AssertionError:  # closed 1011 before party_state
                        assert time.monotonic() < deadline, "new sockets still refused after PostgreSQL returned"
                        await asyncio.sleep(0.1)
                assert not ws.closed
            finally:
                await ws.close()

        run(scenario())

        # The in-process worker claims jobs again.
        deadline = time.monotonic() + 15
        clip = make_clip(duration=2, size="160x120")
        while True:
            r = upload(user, clip)
            if r.status_code == 201:
                break
            assert r.status_code == 503 and time.monotonic() < deadline, r.text
            time.sleep(0.1)
        deadline = time.monotonic() + 30
        while True:
            st = user.get(f"/api/videos/{r.json()['id']}/processing-status/", timeout=5)
            if st.status_code == 200 and st.json()["status"] in ("ready", "failed"):
                assert st.json()["status"] == "ready", st.json()
                break
            assert time.monotonic() < deadline, f"not processed after the outage: {st.status_code} {st.text}"
            time.sleep(0.1)
        assert node.proc.poll() is None
    finally:
        node.stop()


def test_first_request_after_postgresql_restart_succeeds(own_pg):
    """Pooled sessions that the restart broke while idle are replaced before use, not handed out."""
    node = Server("postgresql", args=["--run-workers-in-serve", "false"], database_url=own_pg.url).start()
    try:
        user = register(node)
        with ThreadPoolExecutor(32) as pool:
            # Every pooled session gets used once.
            assert {r.status_code for r in pool.map(lambda _: user.get("/api/parties/"), range(64))} == {200}
            own_pg.stop()
            own_pg.start()
            sequential = [user.get("/api/parties/", timeout=5).status_code for _ in range(20)]
            assert sequential == [200] * 20, sequential
            parallel = list(pool.map(lambda _: user.get("/api/parties/", timeout=5).status_code, range(64)))
            assert parallel == [200] * 64, parallel
    finally:
        node.stop()
