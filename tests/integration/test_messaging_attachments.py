"""Message attachments (docs/api.md, "Messaging", attachments): the type is
sniffed from the content against the allow-list (a spoofed extension does
not help), the size limit, image thumbnails, download with ranges for
members only (anyone else 404), one message per upload, deletion with the
message, and the workers' expiry of uploads no message took."""
import os
import struct
import time
import zlib

from helpers import register
from message_helpers import API, direct, group, ok, send_req


def png_bytes(width=400, height=300):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([(x * 7) % 256, (y * 5) % 256, 90] * 1)[:3] * 1 + b"\x10\x20\x30" * (width - 1)
                    for y in range(height) for x in (0,))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def upload(user, name, content, mime="application/octet-stream"):
    return user.post(API + "attachments/", files={"file": (name, content, mime)})


def test_upload_send_and_download_with_ranges_for_members_only(server):
    a, b, c = register(server), register(server), register(server)
    dm = direct(a, b)
    att = ok(upload(a, "holiday.png", png_bytes(), "image/png"), 201)
    assert att["kind"] == "image" and att["mime_type"] == "image/png" and att["filename"] == "holiday.png"
    assert att["has_thumbnail"] and att["thumbnail_url"].endswith("/thumbnail/")
    # Before it is sent: its uploader only.
    assert a.get(att["url"]).status_code == 200
    assert b.get(att["url"]).status_code == 404
    m = ok(send_req(a, dm, "", attachment_ids=[att["id"]]), 201)
    assert m["message_type"] == "image" and [x["id"] for x in m["attachments"]] == [att["id"]]
    full = b.get(att["url"])
    assert full.status_code == 200 and full.content == png_bytes() and full.headers["Content-Type"] == "image/png"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    part = b.get(att["url"], headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == png_bytes()[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{len(png_bytes())}"
    assert b.get(att["url"], headers={"Range": "bytes=999999-"}).status_code == 416
    thumb = b.get(att["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg" and thumb.content[:2] == b"\xff\xd8"
    # Anyone else: 404, as if it did not exist.
    assert c.get(att["url"]).status_code == 404 and c.get(att["thumbnail_url"]).status_code == 404
    # An upload is part of one message only, and only its uploader's.
    assert send_req(a, dm, "again", attachment_ids=[att["id"]]).status_code == 409
    mine = ok(upload(a, "notes.txt", b"plain words\n"), 201)
    assert send_req(b, dm, "stolen", attachment_ids=[mine["id"]]).status_code == 400
    doc = ok(send_req(a, dm, "a note", attachment_ids=[mine["id"]]), 201)
    assert doc["message_type"] == "file"
    dl = b.get(mine["url"])
    assert dl.headers["Content-Disposition"].startswith("attachment;") and dl.text == "plain words\n"
    # Deleting the message deletes its attachments.
    ok(a.delete(f"{API}{dm['id']}/messages/{m['id']}/"), 200)
    assert b.get(att["url"]).status_code == 404


def test_type_comes_from_the_content_not_the_name(server):
    a = register(server)
    for name, content in (("photo.png", b"<html><script>alert(1)</script></html>"),
                          ("clip.mp4", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
                          ("archive.pdf", zlib.compress(b"x" * 1000))):
        r = upload(a, name, content, "image/png")
        assert r.status_code == 415, (name, r.text)
    # A real PNG named .pdf is a PNG.
    att = ok(upload(a, "report.pdf", png_bytes(32, 32), "application/pdf"), 201)
    assert att["mime_type"] == "image/png" and att["kind"] == "image"
    assert upload(a, "x.png", b"").status_code in (400, 415)
    assert a.post(API + "attachments/", files={"other": ("x.png", png_bytes(8, 8))}).status_code == 400


def test_size_limit_is_a_setting(make_server):
    s = make_server(args=["--message-attachment-max-bytes", "2000"])
    a = register(s)
    assert upload(a, "small.txt", b"y" * 1999).status_code == 201
    big = upload(a, "big.txt", b"y" * 5000)
    assert big.status_code == 413, big.text
    assert os.listdir(os.path.join(s.data_dir, "tmp")) == [] or all(
        not f.startswith("attachment-") for f in os.listdir(os.path.join(s.data_dir, "tmp")))


def test_uploads_no_message_took_expire_after_the_ttl(make_server):
    s = make_server(args=["--message-attachment-ttl-s", "1", "--worker-poll-ms", "100"])
    a, b, c = register(s), register(s), register(s)
    g = group(a, [b, c])
    orphan = ok(upload(a, "left.txt", b"never sent\n"), 201)
    kept = ok(upload(a, "sent.txt", b"sent at once\n"), 201)
    ok(send_req(a, g, "here", attachment_ids=[kept["id"]]), 201)
    orphan_dir = os.path.join(s.data_dir, "attachments", orphan["id"])
    assert os.path.isdir(orphan_dir)
    deadline = time.time() + 10
    while time.time() < deadline and a.get(orphan["url"]).status_code == 200:
        time.sleep(0.2)
    assert a.get(orphan["url"]).status_code == 404
    assert not os.path.exists(orphan_dir)
    assert b.get(kept["url"]).status_code == 200
    assert "unsent attachment(s) expired" in s.log()
