"""A throwaway Janus on loopback (scripts/janus-start.sh: Debian's janus,
token auth, AudioBridge and VideoRoom) and a member's side of Janus's HTTP
API, spoken as a browser does: a session and a handle under the member's
token, "join" with the room and participant id, the answer by long poll."""
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
API_SECRET = "wp-test-api-secret"
ADMIN_SECRET = "wp-test-admin-secret"
PLUGIN = {"audio": "janus.plugin.audiobridge", "video": "janus.plugin.videoroom"}
UNAUTHORIZED = 403


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Janus:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wp-janus-")
        self.port, self.admin_port = free_port(), free_port()
        self.url = self.admin_url = None

    def start(self):
        out = subprocess.run([os.path.join(ROOT, "scripts/janus-start.sh"), self.dir, str(self.port),
                              str(self.admin_port), API_SECRET, ADMIN_SECRET],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        self.url, self.admin_url = out.stdout.split()
        return self

    def stop(self):
        subprocess.run([os.path.join(ROOT, "scripts/janus-stop.sh"), self.dir], timeout=30)

    def restart(self):
        self.stop()
        return self.start()

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def server_args(self, public_url=None):
        args = ["--janus-url", self.url, "--janus-admin-url", self.admin_url, "--janus-admin-secret", ADMIN_SECRET,
                "--janus-api-secret", API_SECRET]
        if public_url:
            args += ["--janus-public-url", public_url]
        return args

    def tokens(self):
        r = requests.post(self.admin_url, json={"janus": "list_tokens", "transaction": secrets.token_hex(6),
                                                "admin_secret": ADMIN_SECRET}, timeout=10)
        return {t["token"] for t in r.json()["data"]["tokens"]}


class JanusRefused(Exception):
    def __init__(self, code, reason):
        super().__init__(f"janus error {code}: {reason}")
        self.code = code


class Member:
    """One member's browser as Janus sees it, for one room of their pass."""

    def __init__(self, url, kind, pass_):
        self.url, self.kind, self.pass_ = url, kind, pass_
        self.session = self.handle = None

    def post(self, path, request):
        request = dict(request, token=self.pass_["token"], transaction=secrets.token_hex(6))
        body = requests.post(self.url + path, json=request, timeout=10).json()
        if body.get("janus") == "error":
            raise JanusRefused(body["error"]["code"], body["error"].get("reason"))
        return body

    def connect(self):
        self.session = self.post("", {"janus": "create"})["data"]["id"]
        self.handle = self.post(f"/{self.session}", {"janus": "attach", "plugin": PLUGIN[self.kind]})["data"]["id"]
        return self

    def request(self, body):
        """A plugin request; an asynchronous one's answer comes by long poll."""
        answer = self.post(f"/{self.session}/{self.handle}", {"janus": "message", "body": body})
        if answer["janus"] == "success":
            return answer["plugindata"]["data"]
        assert answer["janus"] == "ack", answer
        deadline = time.time() + 15
        while time.time() < deadline:
            r = requests.get(f"{self.url}/{self.session}", params={"maxev": 1, "token": self.pass_["token"]},
                             timeout=35)
            event = r.json()
            if event.get("transaction") == answer["transaction"]:
                return event["plugindata"]["data"]
        raise AssertionError("no answer from janus")

    def join(self, participant_id=None):
        body = {"request": "join", "room": self.pass_["room"], "token": self.pass_["token"], "display": "member",
                "id": participant_id or self.pass_["participant_id"]}
        if self.kind == "video":
            body["ptype"] = "publisher"
        return self.request(body)

    def participants(self):
        return {p["id"] for p in self.request({"request": "listparticipants", "room": self.pass_["room"]})
                .get("participants", [])}

    def muted(self):
        """Participant id -> whether Janus has them muted (AudioBridge)."""
        return {p["id"]: p["muted"] for p in self.request({"request": "listparticipants", "room": self.pass_["room"]})
                .get("participants", [])}

    def configure(self, muted):
        """The member mutes or unmutes themselves, as Janus allows any participant to."""
        answer = self.request({"request": "configure", "muted": muted})
        assert answer.get("result") == "ok", answer
        return answer

    def keepalive(self):
        return self.post(f"/{self.session}", {"janus": "keepalive"})


def joins(url, sfu, kind="audio"):
    """The member's pass of that kind opens a session and joins its room."""
    m = Member(url, kind, sfu[kind]).connect()
    answer = m.join()
    assert answer.get(PLUGIN[kind].split(".")[-1]) == "joined", answer
    return m


def refused(url, sfu, kind="audio"):
    """Janus refuses the pass: no session under its token (403)."""
    try:
        Member(url, kind, sfu[kind]).connect()
    except JanusRefused as e:
        return e.code == UNAUTHORIZED
    return False


def wait_until(fn, timeout=10, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
