"""Shared steps of the messaging tests (docs/api.md, "Messaging"), and a
client that keeps each conversation in seq order the way docs/realtime.md
tells clients to: apply in order, ignore duplicates, fill gaps from REST."""
import uuid

API = "/api/conversations/"


def ok(resp, status=(200, 201)):
    assert resp.status_code in ((status,) if isinstance(status, int) else status), (resp.status_code, resp.text)
    return resp.json()


def direct(me, them, status=(200, 201)):
    return ok(me.post(API + "direct/", json={"user_id": them.id}), status)


def group(owner, members, title="Movie night", **extra):
    return ok(owner.post(API + "groups/", json={"title": title, "member_ids": [m.id for m in members], **extra}), 201)


def send_req(user, conv, body="hello", client_id=None, **extra):
    cid = conv["id"] if isinstance(conv, dict) else conv
    return user.post(f"{API}{cid}/messages/", json={"client_id": client_id or uuid.uuid4().hex, "body": body, **extra})


def send(user, conv, body="hello", client_id=None, **extra):
    return ok(send_req(user, conv, body, client_id, **extra), 201)


def messages(user, conv, status=200, **query):
    cid = conv["id"] if isinstance(conv, dict) else conv
    return ok(user.get(f"{API}{cid}/messages/", params=query), status)


def conversation(user, conv, status=200):
    cid = conv["id"] if isinstance(conv, dict) else conv
    return ok(user.get(f"{API}{cid}/"), status)


def mark_read(user, conv, message_id):
    cid = conv["id"] if isinstance(conv, dict) else conv
    return ok(user.post(f"{API}{cid}/read/", json={"message_id": message_id}), 200)


def all_messages(user, conv, after_seq=0):
    """Every message after after_seq, by REST pages (after_seq cursor)."""
    out = []
    while True:
        page = messages(user, conv, after_seq=after_seq, limit=100)
        out += page["results"]
        if not page["results"] or not page["has_more"]:
            return out
        after_seq = page["results"][-1]["seq"]


class OrderedThread:
    """One client's copy of one conversation, kept by the rules of docs/realtime.md."""

    def __init__(self, user, conversation_id):
        self.user = user
        self.id = conversation_id
        self.have = 0
        self.held = {}
        self.ids = []  # message ids in seq order, as applied
        self.rest_fills = 0
        self.duplicates = 0

    def apply(self, message):
        seq = message["seq"]
        if seq <= self.have or seq in self.held:
            self.duplicates += 1
            return
        self.held[seq] = message
        while self.have + 1 in self.held:
            self.have += 1
            self.ids.append(self.held.pop(self.have)["id"])

    def fill_gap(self):
        """REST after_seq=have, as a client does when it holds messages past a gap or was told to refetch."""
        self.rest_fills += 1
        for m in all_messages(self.user, self.id, after_seq=self.have):
            self.apply(m)
