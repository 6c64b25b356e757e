"""Black-box fixtures: the real binary on an ephemeral port, on SQLite and,
when WP_PG_URL names a running PostgreSQL, on PostgreSQL too. With
WP_REDIS_URL as well, the PostgreSQL servers are multi-node servers (shared
state in Redis, under a prefix of their own), so the whole suite runs on
both paths."""
import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
import zlib

import pytest
import requests

import file_times

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("WP_BIN", os.path.join(ROOT, "build", "watchparty"))
PG_URL = os.environ.get("WP_PG_URL", "")
REDIS_URL = os.environ.get("WP_REDIS_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
# How much slower than a normal build the server under test is (scripts/asan.sh
# sets it): tests whose load must outpace the server scale their pacing by it.
SLOWDOWN = float(os.environ.get("WP_TEST_SLOWDOWN", "1"))
# The server under test is an AddressSanitizer build (scripts/asan.sh sets it).
ASAN = bool(os.environ.get("WP_ASAN"))

# Every temporary directory of this run (servers' data dirs, janus, nginx, ...)
# goes under one, removed when the run passes and kept (its path printed) when
# it fails, so that the servers' logs can be read. Removed at exit: pytest's
# own temporary directories live there too and are cleaned up just before.
# Under pytest-xdist each worker's is inside the controlling process's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
RUN_TMP = tempfile.mkdtemp(prefix=f"wp_it_run_{_WORKER or ''}",
                           dir=os.environ.get("WP_IT_RUN_TMP") if _WORKER else None)
os.chmod(RUN_TMP, 0o755)  # the clusters some tests start run as the postgres user, which must reach in
if not _WORKER:
    os.environ["WP_IT_RUN_TMP"] = RUN_TMP
tempfile.tempdir = RUN_TMP
_run_passed = []
atexit.register(lambda: _run_passed and shutil.rmtree(RUN_TMP, ignore_errors=True))


_BACKEND_IN_ID = re.compile(r"\b(sqlite|postgresql)\b")


def _on_its_backend(item):
    """WP_IT_ONE_BACKEND=1 (the ThreadSanitizer subset, scripts/tsan.sh) runs each test on one of
    the backends it is written for, chosen by a hash of its id, so the subset still goes through
    both stores' code in half the time. Tests with no single backend in their id (two-nodes, for
    one) always run."""
    test, _, params = item.nodeid.partition("[")
    found = _BACKEND_IN_ID.search(params)
    if not found:
        return True
    others = test + _BACKEND_IN_ID.sub("", params)
    return found.group(1) == BACKENDS[zlib.crc32(others.encode()) % len(BACKENDS)]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("WP_IT_ONE_BACKEND"):
        keep, dropped = [], []
        for item in items:
            (keep if _on_its_backend(item) else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
    items[:] = file_times.longest_first(items, file_times.recorded())


def pytest_configure(config):
    if os.environ.get("WP_IT_RECORD_DURATIONS") and not _WORKER:
        config.pluginmanager.register(file_times.Recorder())


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == 0 and not os.environ.get("WP_KEEP_TEST_DIRS"):
        _run_passed.append(True)
    else:
        print(f"\nThe servers' data dirs and logs of this run: {RUN_TMP}")


def _pg_admin(sql, check=True):
    user, host, port, _ = re.match(r"postgresql://([^@]+)@([^:/]+):(\d+)/(\w+)", PG_URL).groups()
    subprocess.run(["psql", "-q", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-c", sql],
                   check=check, capture_output=True)
    return f"postgresql://{user}@{host}:{port}/"


# A database this run migrated once (`watchparty migrate`); each new database is a copy of it,
# which saves every PostgreSQL server's start the migrations (about 0.7 s each).
_migrated_template = []


def _template_database():
    if not _migrated_template:
        name = "wp_tmpl_" + uuid.uuid4().hex[:12]
        url = _pg_admin(f"CREATE DATABASE {name}") + name
        r = subprocess.run([BIN, "migrate", "--data-dir", tempfile.mkdtemp(prefix="wp_tmpl_"), "--database-url", url],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"migrating the template database failed:\n{r.stdout}{r.stderr}")
        _migrated_template.append(name)
        atexit.register(lambda: _pg_admin(f"DROP DATABASE IF EXISTS {name}", check=False))
    return _migrated_template[0]


def new_pg_database(empty=False):
    """A new database on the test cluster, so every server starts with no rows: a copy of the migrated
    template, or (empty=True) one with no schema, for the tests of migrating itself."""
    name = "wp_" + uuid.uuid4().hex[:12]
    template = "" if empty else f" TEMPLATE {_template_database()}"
    return _pg_admin(f"CREATE DATABASE {name}{template}") + name


class Server:
    def __init__(self, backend, args=(), env=None, data_dir=None, database_url=None, empty_database=False):
        self.backend = backend
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="wp_it_")
        self.database_url = database_url
        if backend == "postgresql" and not self.database_url:
            self.database_url = new_pg_database(empty=empty_database)
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.data_dir, "server.log")
        self.redis_prefix = f"wp-{uuid.uuid4().hex[:8]}:"

    def command(self, *extra):
        cmd = [BIN, "serve", "--port", "0", "--data-dir", self.data_dir, "--password-hash-cost", "min"]
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        # The tests' push services listen on loopback.
        if "--push-endpoint-hosts" not in self.args:
            cmd += ["--push-endpoint-hosts", "127.0.0.1"]
        # On a machine this loaded the lag probe would shed analytics batches
        # at random; the tests of shedding set it themselves.
        if "--bulk-shed-lag-ms" not in self.args:
            cmd += ["--bulk-shed-lag-ms", "0"]
        # Nor may the bulk threads sit at nice 19 behind every other test's server and
        # client at once (one autogroup): the 100k-event test took minutes so.
        if "--bulk-nice" not in self.args and "--bulk-policy" not in self.args:
            cmd += ["--bulk-policy", "other", "--bulk-nice", "0"]
        if self.backend == "postgresql" and REDIS_URL and "--redis-url" not in self.args:
            cmd += ["--redis-url", REDIS_URL, "--redis-prefix", self.redis_prefix]
        return cmd + self.args + list(extra)

    def start(self, timeout=15):
        self.log_file = open(self.log_path, "ab")
        # Two servers may share a data dir, and so its log: this one's lines start here.
        since = os.path.getsize(self.log_path)
        self.proc = subprocess.Popen(self.command(), stdout=self.log_file, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(r"listening on http://[^:]+:(\d+)", self.log(since))
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.05)
        raise RuntimeError("server did not start:\n" + self.log())

    def log(self, since=0):
        with open(self.log_path, "rb") as f:
            f.seek(since)
            return f.read().decode(errors="replace")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, **kw):
        return requests.get(self.url + path, timeout=kw.pop("timeout", 10), **kw)

    def post(self, path, **kw):
        return requests.post(self.url + path, timeout=kw.pop("timeout", 10), **kw)

    def request(self, method, path, **kw):
        return requests.request(method, self.url + path, timeout=kw.pop("timeout", 10), **kw)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log_file.close()
        return self.proc.returncode if self.proc else None


def run_cli(*args, env=None, input=None, timeout=30):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=dict(os.environ, **(env or {})),
                          input=input, timeout=timeout)


@pytest.fixture(scope="session", params=BACKENDS)
def server(request):
    """One shared server per backend for tests that do not care about its settings."""
    s = Server(request.param).start()
    yield s
    s.stop()


@pytest.fixture(params=BACKENDS)
def make_server(request):
    """A factory for servers with their own settings, stopped after the test."""
    started = []

    def factory(args=(), env=None, **kw):
        s = Server(request.param, args=args, env=env, **kw).start()
        started.append(s)
        return s

    factory.backend = request.param
    yield factory
    for s in started:
        s.stop()


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


class TwoNodes:
    """Two nodes on one PostgreSQL database, one Redis prefix and one data dir,
    used as one server: each request, and each raw socket (by `port`), goes
    to the next node in turn. An object made through one node is then probed
    through the other, and a refusal must not depend on which node answers."""

    backend = "postgresql"

    def __init__(self):
        db = new_pg_database()
        data_dir = tempfile.mkdtemp(prefix="wp_it2_")
        args = ["--redis-url", REDIS_URL, "--redis-prefix", f"wp-{uuid.uuid4().hex[:8]}:"]
        self.nodes = [Server("postgresql", args=args, data_dir=data_dir, database_url=db) for _ in range(2)]
        self.data_dir, self.database_url = data_dir, db
        self._turn = 0

    def start(self):
        for node in self.nodes:
            node.start()
        return self

    def stop(self, sig=signal.SIGTERM, timeout=20):
        return [node.stop(sig, timeout) for node in self.nodes]

    def _next(self):
        self._turn += 1
        return self.nodes[self._turn % 2]

    @property
    def port(self):
        return self._next().port

    @property
    def url(self):
        return self._next().url

    def log(self, since=0):
        return self.nodes[0].log(since)  # one data dir: both nodes write the same log

    def get(self, path, **kw):
        return self._next().get(path, **kw)

    def post(self, path, **kw):
        return self._next().post(path, **kw)

    def request(self, method, path, **kw):
        return self._next().request(method, path, **kw)


# With PostgreSQL and Redis, a third run on two nodes (id "two-nodes").
BACKENDS_AND_TWO_NODES = BACKENDS + (["two-nodes"] if PG_URL and REDIS_URL else [])


@pytest.fixture(scope="module", params=BACKENDS_AND_TWO_NODES)
def server_or_two_nodes(request):
    """For a test module that assigns it to `server`: its tests run on each
    backend and, with PostgreSQL and Redis, on two nodes (TwoNodes)."""
    s = TwoNodes() if request.param == "two-nodes" else Server(request.param)
    s.start()
    yield s
    s.stop()
