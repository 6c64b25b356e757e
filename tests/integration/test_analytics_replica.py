"""Analytics (#20): the read views on a real PostgreSQL streaming replica
(`analytics_database_url`): a primary and its hot standby started on
loopback by the test (scripts/pg-start.sh, scripts/pg-replica.sh:
pg_basebackup -R), the reads served by the standby, the writes by the
primary, and what a client sees while the standby lags and when it is down.
Not the shared test cluster: it is far too big to copy for one test."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import Server
from helpers import assert_envelope, register
from test_analytics import event
from test_analytics_views import FAST, eventually, new_video

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_BIN = "/usr/lib/postgresql/15/bin"
APP = "wp-analytics-reads"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    return subprocess.run(["psql", "-At", url, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def rollup_scans(url):
    """Scans of the video rollups made on this server (its statistics; a standby keeps its own)."""
    return int(psql(url, "SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables "
                         "WHERE relname = 'analytics_video_rollups'") or 0)


def started(script, *args):
    return subprocess.run([os.path.join(ROOT, "scripts", script), *map(str, args)], check=True, capture_output=True,
                          text=True).stdout.strip()


def pg_ctl(data, *args):
    subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data, *args], capture_output=True)


@pytest.fixture
def primary_and_replica():
    if not os.path.exists(PG_BIN):
        pytest.skip(f"PostgreSQL 15 is not installed ({PG_BIN})")
    if os.geteuid() != 0:
        pytest.skip("starting PostgreSQL clusters runs them as the postgres user (runuser): needs root")
    base = tempfile.mkdtemp(prefix="wp_replica_")
    os.chmod(base, 0o755)  # the clusters run as postgres, below it
    try:
        primary = started("pg-start.sh", f"{base}/primary", free_port())
        replica_port = free_port()
        replica = started("pg-replica.sh", f"{base}/replica", replica_port, primary.rsplit(":", 1)[1].split("/")[0])
        yield primary, replica, f"{base}/replica/data"
    finally:
        for d in ("replica", "primary"):
            pg_ctl(f"{base}/{d}/data", "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_reads_are_served_by_the_replica_and_lag_with_it(primary_and_replica):
    primary, replica, replica_data = primary_and_replica
    assert psql(replica, "SELECT pg_is_in_recovery()") == "t"
    s = Server("postgresql", args=FAST + ["--analytics-database-url", f"{replica}?application_name={APP}"],
               database_url=primary).start()
    try:
        owner, a, b = register(s), register(s), register(s)
        vid = new_video(owner)["id"]
        path = f"/api/analytics/video/{vid}/analytics/"
        assert a.post(f"/api/videos/{vid}/view/").status_code == 200

        def views(n):
            def check():
                r = owner.get(path)
                assert r.status_code == 200, r.text
                return r.json() if r.json()["totals"]["views"] == n else None
            return check

        assert eventually(views(1)), owner.get(path).text
        # Served by the standby: the server holds sessions there, and the standby's own table
        # statistics (not replicated: they count the scans made on it) grow with each read.
        assert int(psql(replica, f"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '{APP}'")) >= 1
        before = rollup_scans(replica)
        for _ in range(5):
            assert owner.get(path).status_code == 200
        assert eventually(lambda: rollup_scans(replica) >= before + 5), (before, rollup_scans(replica))

        # The standby stops replaying: the primary's rollups move on, the reads do not.
        psql(replica, "SELECT pg_wal_replay_pause()")
        assert b.post(f"/api/videos/{vid}/view/").status_code == 200
        on_primary = (f"SELECT COALESCE(SUM(views), 0) FROM analytics_video_rollups WHERE video_id = '{vid}' "
                      "AND granularity = 'day'")
        assert eventually(lambda: psql(primary, on_primary) == "2")
        time.sleep(1.5)
        assert owner.get(path).json()["totals"]["views"] == 1  # as of the standby's replay point, no error
        # Writes go to the primary whatever the standby does.
        r = a.post("/api/analytics/events/", json={"events": [event(0)]})
        assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
        client_events = "SELECT COUNT(*) FROM analytics_events WHERE source = 'client'"
        assert (psql(primary, client_events), psql(replica, client_events)) == ("1", "0")

        # Replay resumes: the reads catch up.
        psql(replica, "SELECT pg_wal_replay_resume()")
        assert eventually(views(2)), owner.get(path).text
        assert eventually(lambda: psql(replica, client_events) == "1" or None)

        # The standby down: the read views answer 503 (no fallback to the primary); the rest works.
        pg_ctl(replica_data, "-m", "fast", "stop")
        assert_envelope(owner.get(path), 503, "SERVICE_UNAVAILABLE")
        assert a.post("/api/analytics/events/", json={"events": [event(1)]}).json()["accepted"] == 1
        assert owner.get(f"/api/videos/{vid}/").status_code == 200
    finally:
        s.stop()


@pytest.mark.parametrize("url, says", [
    ("sqlite:///tmp/reads.db", "must start with postgresql://"),
    ("postgresql://wp@127.0.0.1:1/wp", "database_url is SQLite"),
])
def test_a_replica_is_refused_at_start_unless_it_can_be_one(url, says):
    # On SQLite there is no streaming replica to read from; the server says so instead of starting.
    with pytest.raises(RuntimeError) as e:
        Server("sqlite", args=["--analytics-database-url", url]).start()
    assert says in str(e.value)
