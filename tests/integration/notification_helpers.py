"""Shared steps of the notifications tests (docs/api.md, "Notifications")."""
import json
import sqlite3
import subprocess
import time

from social_helpers import send_request


def notifications(user, **query):
    r = user.get("/api/notifications/", params=query)
    assert r.status_code == 200, r.text
    return r.json()


def results(user, **query):
    return notifications(user, **query)["results"]


def unread(user):
    r = user.get("/api/notifications/unread-count/")
    assert r.status_code == 200, r.text
    return r.json()["count"]


def wait_notification(user, type_, pred=None, timeout=10, count=1):
    """The newest notification of this type (once `count` of them exist), waiting for the worker or a hook."""
    deadline = time.time() + timeout
    while True:
        found = [n for n in results(user, type=type_, page_size=100) if pred is None or pred(n)]
        if len(found) >= count:
            return found[0]
        if time.time() > deadline:
            raise AssertionError(f"no {type_} notification for {user.username}; have {results(user)}")
        time.sleep(0.1)


def friend_request_from(sender, receiver):
    r = send_request(sender, receiver)
    assert r.status_code == 201, r.text
    return wait_notification(receiver, "friend_request", lambda n: n["actor_id"] == sender.id)


def set_preferences(user, **body):
    r = user.patch("/api/notifications/preferences/", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def query_sql(server, sql, *params):
    """Rows of one query on the server's database (SQLite file or PostgreSQL), for what no route shows."""
    if server.database_url:
        text = sql
        for p in params:
            text = text.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        out = subprocess.run(["psql", "-q", "-t", "-A", "-F", "\t", server.database_url, "-c", text], check=True,
                             capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
    db = sqlite3.connect(f"{server.data_dir}/watchparty.db")
    try:
        return [tuple(str(v) for v in row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.close()
