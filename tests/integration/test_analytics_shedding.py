"""Analytics ingestion yields to realtime (#20): while the I/O threads lag
(here: the whole server stopped for a moment with SIGSTOP, so the lag probe
fires late), a batch is answered 503 SERVICE_UNAVAILABLE with Retry-After
and nothing of it is kept; other routes are served meanwhile, ingestion
comes back once the hold has passed, and a client that sends again on 503
loses nothing and duplicates nothing. Both databases."""
import concurrent.futures
import os
import signal
import threading
import time

import requests

from helpers import assert_envelope, register
from test_analytics import EVENTS, event, scalar


def stall(server, seconds):
    """Every thread of the server stops, then runs on: the next probe is `seconds` late."""
    os.kill(server.proc.pid, signal.SIGSTOP)
    time.sleep(seconds)
    os.kill(server.proc.pid, signal.SIGCONT)
    time.sleep(0.05)  # the probe runs first: its timer expired while stopped


def metric(server, name):
    for line in server.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def post_until(server, user, body, want, tries=50):
    """A batch sent until answered `want` (a loaded machine may lag on its own)."""
    for _ in range(tries):
        r = server.post(EVENTS, json=body, headers=user.auth, timeout=30)
        if r.status_code == want:
            return r
        time.sleep(0.2)
    raise AssertionError(f"never {want}: {r.status_code} {r.text}")


def test_a_lagging_server_sheds_batches_with_retry_after_and_keeps_nothing_of_them(make_server):
    s = make_server(["--bulk-shed-lag-ms", "100", "--bulk-shed-hold-ms", "2500"])
    user = register(s)
    post_until(s, user, {"events": [event(i) for i in range(10)]}, 200)
    shed_before = metric(s, "watchparty_bulk_shed_total")

    stall(s, 0.4)
    r = s.post(EVENTS, json={"events": [event(i, event_name="shed") for i in range(10)]}, headers=user.auth, timeout=30)
    body = assert_envelope(r, 503, "SERVICE_UNAVAILABLE")
    assert "Retry-After" in body["message"]
    assert 1 <= int(r.headers["Retry-After"]) <= 3
    assert s.get("/api/analytics/event-types/").status_code == 200  # only bulk routes are shed
    assert metric(s, "watchparty_bulk_shed_total") >= shed_before + 1
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE event_name = 'shed'") == "0"

    time.sleep(int(r.headers["Retry-After"]) + 0.1)
    r = post_until(s, user, {"events": [event(i, event_name="later") for i in range(10)]}, 200)
    assert r.json()["accepted"] == 10
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE event_name = 'later'") == "10"


def test_batches_sent_again_on_503_through_stalls_are_all_kept_once(make_server):
    s = make_server(["--bulk-shed-lag-ms", "100", "--bulk-shed-hold-ms", "300"])
    user = register(s)
    batches, size = 60, 100
    stats = {"shed": 0, "accepted": 0}
    lock = threading.Lock()
    local = threading.local()

    def send(b):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        body = {"events": [event(i, event_name=f"b{b}-{i}") for i in range(size)]}
        for _ in range(100):
            r = local.session.post(s.url + EVENTS, json=body, headers=user.auth, timeout=60)
            if r.status_code != 503:
                break
            with lock:
                stats["shed"] += 1
            time.sleep(min(float(r.headers.get("Retry-After", "1")), 0.3))
        assert r.status_code == 200, r.text
        with lock:
            stats["accepted"] += r.json()["accepted"]

    stop = threading.Event()
    first_stall_done = threading.Event()

    def stalls():  # each stall sheds for 0.3 s after it, then the server takes batches for 0.4 s
        while True:
            stall(s, 0.2)
            first_stall_done.set()
            if stop.wait(0.7):
                return

    staller = threading.Thread(target=stalls)
    staller.start()
    # The sends start inside the first stall's hold: a fast database must not finish them all
    # before any stall (CI's PostgreSQL run did, and nothing was shed).
    first_stall_done.wait()
    try:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(send, range(batches)))
    finally:
        stop.set()
        staller.join()
    assert stats["accepted"] == batches * size
    assert stats["shed"] > 0, "no batch was shed: the stalls did not reach the gate"
    assert scalar(s, "SELECT COUNT(*) FROM analytics_events WHERE source = 'client'") == str(batches * size)
    assert scalar(s, "SELECT COUNT(DISTINCT event_name) FROM analytics_events WHERE source = 'client'") == str(batches * size)
