"""kill -9 in the middle of a write load loses no acknowledged write (issue
#24): writers post chat and create parties on one node, which is killed with
SIGKILL while requests are in flight. Every write that was answered 201 is
then read back: on SQLite from the same data dir after a restart, on
PostgreSQL from a restarted node, and on two nodes (PostgreSQL + Redis) from
the node that was not killed."""
import signal
import threading
import time

import pytest
import requests

from conftest import BACKENDS_AND_TWO_NODES, Server, TwoNodes
from helpers import bearer, register
from party_helpers import create_party


@pytest.fixture(params=BACKENDS_AND_TWO_NODES)
def target(request):
    """(node written to and killed, how to reach the data afterwards)."""
    if request.param == "two-nodes":
        both = TwoNodes().start()
        yield both.nodes[1], lambda: both.nodes[0]
        both.stop()
        return
    node = Server(request.param).start()
    started = [node]

    def restarted():
        again = Server(request.param, data_dir=node.data_dir, database_url=node.database_url).start()
        started.append(again)
        return again

    yield node, restarted
    for s in started:
        s.stop()


def test_kill_9_under_write_load_loses_no_acknowledged_write(target):
    node, afterwards = target
    users = [register(node) for _ in range(4)]
    party = create_party(users[0])
    for u in users[1:]:
        assert node.post(f"/api/parties/{party['id']}/join/", headers=bearer(u.access)).status_code == 200
    chat_ids, party_ids, lock, stop = [], [], threading.Lock(), threading.Event()

    def writer(user, n):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if i % 5:
                    r = requests.post(f"{node.url}/api/parties/{party['id']}/chat/", json={"content": f"w{n} {i}"},
                                      headers=bearer(user.access), timeout=5)
                    kind = chat_ids
                else:
                    r = requests.post(f"{node.url}/api/parties/", json={"title": f"load {n} {i}",
                                                                        "media_url": party["media_url"]},
                                      headers=bearer(user.access), timeout=5)
                    kind = party_ids
            except requests.RequestException:
                return  # the node is gone: nothing more is acknowledged
            if r.status_code == 201:
                with lock:
                    kind.append((user, r.json()["id"]))

    threads = [threading.Thread(target=writer, args=(u, n)) for n, u in enumerate(users)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    node.stop(sig=signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join(10)
    assert len(chat_ids) > 20 and party_ids, (len(chat_ids), len(party_ids))

    reader = afterwards()
    owner = users[0]
    stored, cursor = set(), ""
    while True:
        r = reader.get(f"/api/parties/{party['id']}/chat/?page_size=100{cursor}", headers=bearer(owner.access))
        assert r.status_code == 200, r.text
        stored |= {m["id"] for m in r.json()["results"]}
        if not r.json()["next_before"]:
            break
        cursor = "&before=" + r.json()["next_before"]
    lost = {i for _, i in chat_ids} - stored
    assert not lost, f"{len(lost)} of {len(chat_ids)} acknowledged chat messages are gone"
    for user, pid in party_ids:
        got = reader.get(f"/api/parties/{pid}/", headers=bearer(user.access))
        assert got.status_code == 200, f"acknowledged party {pid} is gone: {got.text}"
