#!/usr/bin/env python3
"""The mobile delta-sync protocol end to end, as a small "app" (documentation, not a mobile app).

    python3 examples/mobile_sync.py --server http://127.0.0.1:8000 --username alice --password '...'

It logs in, reads the app config, registers this install as a device, pushes offline changes
in a batch with an id (a setting; the position reached in --video, if given; a read mark for each
notification it holds unread, as if read offline), then syncs every data type page by page until
has_more is false, keeping its cursors and records in a file, so that a second run only receives
what changed since (docs/api.md, "Mobile"). The push's answer shows the conflict rules: settings,
last writer; watch progress, the furthest position (a lower one is "kept"); read marks, the union
("already_read"); an item the server's modules refuse is "refused". Only the standard library is used.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

TYPES = ["profile", "friends", "conversations", "notifications", "watch_history", "downloads", "settings",
         "read_marks"]


class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.token = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                text = r.read().decode()
                return r.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read().decode() or "null")


def load_state(path):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"install_id": str(uuid.uuid4()), "cursors": {t: None for t in TYPES}, "data": {t: {} for t in TYPES}}


def sync_all(api, state, page_size, push=None):
    """One sync: pages until has_more is false. A cut page is simply asked for again with the same
    cursors (and the sync id): the server answers it again, and counts the retry."""
    sync_id, pages = None, 0
    while True:
        body = {"device_id": state["install_id"], "cursors": state["cursors"], "page_size": page_size}
        if sync_id:
            body["sync_id"] = sync_id
        if push and pages == 0:
            body["push"] = push
        status, answer = api.call("POST", "/api/mobile/sync/", body)
        if status != 200:
            sys.exit(f"sync failed: {status} {answer}")
        if "push" in answer:
            print("offline batch:", json.dumps(answer["push"]))
        for t, page in answer["changes"].items():
            for u in page["upserts"]:
                state["data"][t][u["id"]] = u["data"]
            for d in page["deletes"]:
                state["data"][t].pop(d["id"], None)
            state["cursors"][t] = page["cursor"]  # acknowledged: this page was received whole
        pages += 1
        sync_id = answer["sync"]["id"]
        if not answer["has_more"]:
            return answer["sync"], pages


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", default="http://127.0.0.1:8000")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--state", default="mobile_sync_state.json", help="where the app keeps its cursors and data")
    p.add_argument("--page-size", type=int, default=50)
    p.add_argument("--video", help="a video id: push watch progress in it (--position seconds)")
    p.add_argument("--position", type=float, default=60)
    args = p.parse_args()

    api = Api(args.server)
    state = load_state(args.state)
    status, cfg = api.call("GET", "/api/mobile/config/?platform=android&app_version=1.0.0")
    print("config:", status, "force_update =", cfg.get("force_update"), "flags =", cfg.get("flags"))
    status, tokens = api.call("POST", "/api/auth/login/", {"username": args.username, "password": args.password})
    if status != 200:
        sys.exit(f"login failed: {status} {tokens}")
    api.token = tokens["access_token"]
    status, device = api.call("POST", "/api/mobile/devices/", {
        "device_id": state["install_id"], "platform": "android", "model": "example", "app_version": "1.0.0"})
    print("device:", status, device["id"])
    # Changes made offline, sent once: the batch id makes a resend harmless.
    unread = [nid for nid, n in state["data"]["notifications"].items() if not n.get("is_read")]
    push = {"batch_id": str(uuid.uuid4()),
            "settings": [{"key": "theme", "value": "dark"}],
            "watch_progress": [{"video_id": args.video, "position_s": args.position}] if args.video else [],
            "read_marks": [{"kind": "notification", "id": nid} for nid in unread]}
    sync, pages = sync_all(api, state, args.page_size, push=push)
    print(f"sync {sync['id']}: {sync['status']}, {sync['records_count']} records in {pages} pages")
    for t in TYPES:
        print(f"  {t}: {len(state['data'][t])} records")
    with open(args.state, "w") as f:
        json.dump(state, f)


if __name__ == "__main__":
    main()
