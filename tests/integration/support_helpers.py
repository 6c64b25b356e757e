"""Shared steps of the support desk tests (docs/api.md, "Support")."""
import struct
import zlib

from helpers import make_staff_member, uniq

API = "/api/support/"


def ok(resp, status=(200, 201)):
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, resp.text
    return resp.json()


def open_ticket(user, **extra):
    body = {"subject": "Playback " + uniq(), "description": "It stutters.", "category": "playback", **extra}
    return ok(user.post(API + "tickets/", json=body), 201)


def reply(user, ticket_id, content="hello", **extra):
    return ok(user.post(f"{API}tickets/{ticket_id}/replies/", json={"content": content, **extra}), 201)


def replies(user, ticket_id):
    return ok(user.get(f"{API}tickets/{ticket_id}/replies/"), 200)


def upload(user, name, content, mime="application/octet-stream"):
    return user.post(API + "attachments/", files={"file": (name, content, mime)})


def png_bytes(width=64, height=48):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def publish_faq(staff, question="How do I host a party?", answer="Press **Host**.", category="parties", **extra):
    body = {"category": category, "question": question, "answer": answer, "is_published": True, **extra}
    return ok(staff.post(API + "faq/", json=body), 201)


def staff_of(server):
    return make_staff_member(server)
