"""The support desk (docs/api.md, "Support"): tickets and their status
machine, the staff queue and its filters, replies and internal notes (never
seen by the ticket's owner: not in lists, counts, notifications or files),
the SLA summary, attachments, the FAQ with one vote per user, feedback with
a screenshot, and appeals. Both databases."""
import json
import threading

from helpers import register, uniq
from notification_helpers import results, wait_notification
from support_helpers import (API, ok, open_ticket, png_bytes, publish_faq, replies, reply, staff_of,
                             upload)


def test_a_ticket_from_open_to_closed_with_the_other_side_told(server):
    ana, sam = register(server), staff_of(server)
    t = open_ticket(ana, priority="high")
    assert t["status"] == "open" and t["priority"] == "high" and t["user"]["id"] == ana.id
    assert "admin_notes" not in t and "assigned_to" not in t and "internal_count" not in t
    assert ok(sam.post(f"{API}tickets/{t['id']}/assign/", json={"assignee_id": sam.id}))["assigned_to"]["id"] == sam.id
    reply(sam, t["id"], "Which browser do you use?")
    n = wait_notification(ana, "ticket_reply")
    assert n["data"]["ticket_id"] == t["id"] and "browser" in n["message"] and n["url"] == f"/support/{t['id']}"
    assert ok(ana.get(f"{API}tickets/{t['id']}/"))["status"] == "pending"
    reply(ana, t["id"], "Firefox.")
    assert wait_notification(sam, "ticket_reply")["data"]["ticket_id"] == t["id"]
    assert ok(ana.get(f"{API}tickets/{t['id']}/"))["status"] == "open"
    done = ok(sam.patch(f"{API}tickets/{t['id']}/", json={"status": "resolved"}))
    assert done["status"] == "resolved" and done["resolved_at"] and done["reopen_until"]
    assert wait_notification(ana, "ticket_status")["data"]["status"] == "resolved"
    # The owner cannot reply to a resolved ticket, but reopens it within the window.
    r = ana.post(f"{API}tickets/{t['id']}/replies/", json={"content": "again"})
    assert r.status_code == 409 and r.json()["error_code"] == "CONFLICT"
    again = ok(ana.post(f"{API}tickets/{t['id']}/reopen/"))
    assert again["status"] == "open" and again["resolved_at"] is None
    assert ok(ana.post(f"{API}tickets/{t['id']}/close/"))["status"] == "closed"
    assert sam.patch(f"{API}tickets/{t['id']}/", json={"status": "pending"}).status_code == 409
    # Only staff resolve, set priorities or write notes.
    assert ana.patch(f"{API}tickets/{t['id']}/", json={"status": "resolved"}).status_code == 403
    assert ana.patch(f"{API}tickets/{t['id']}/", json={"admin_notes": "x"}).status_code == 403


def test_internal_notes_never_reach_the_owner(server):
    ana, sam = register(server), staff_of(server)
    t = open_ticket(ana)
    reply(sam, t["id"], "Looking into it.")
    wait_notification(ana, "ticket_reply")
    before = ok(ana.get(f"{API}tickets/{t['id']}/"))
    listed_before = ok(ana.get(API + "tickets/"))["results"]
    secret = "SECRET-" + uniq()
    note_file = ok(upload(sam, "note.txt", (secret + "\n").encode(), "text/plain"), 201)
    note = reply(sam, t["id"], secret, is_internal=True, attachment_ids=[note_file["id"]])
    assert note["is_internal"] is True
    ok(sam.patch(f"{API}tickets/{t['id']}/", json={"admin_notes": secret}))
    # The owner's ticket, list, replies and counts are exactly what they were.
    assert ok(ana.get(f"{API}tickets/{t['id']}/")) == before
    assert ok(ana.get(API + "tickets/"))["results"] == listed_before
    mine = replies(ana, t["id"])
    assert mine["count"] == 1 and [r["is_internal"] for r in mine["results"]] == [False]
    assert secret not in json.dumps(mine) and secret not in json.dumps(before)
    assert ana.get(note_file["url"]).status_code == 404
    assert ana.post(f"{API}tickets/{t['id']}/replies/", json={"content": "x", "is_internal": True}).status_code == 403
    # No notice of it, for anyone's eyes but staff's.
    assert all(secret not in json.dumps(n) for n in results(ana, page_size=100))
    assert [n["notification_type"] for n in results(ana)] == ["ticket_reply"]
    # Staff see it all.
    full = replies(sam, t["id"])
    assert full["count"] == 2 and full["results"][1]["content"] == secret
    staff_view = ok(sam.get(f"{API}tickets/{t['id']}/"))
    assert staff_view["internal_count"] == 1 and staff_view["admin_notes"] == secret
    assert sam.get(note_file["url"]).content == (secret + "\n").encode()


def test_the_staff_queue_filters_and_the_first_reply_summary(server):
    ana, bob, sam, sue = register(server), register(server), staff_of(server), staff_of(server)
    tag = uniq("queue")
    a = open_ticket(ana, category="billing", subject=f"{tag} a")
    b = open_ticket(bob, priority="urgent", subject=f"{tag} b")
    ok(sam.post(f"{API}tickets/{a['id']}/assign/", json={"assignee_id": sue.id}))

    def queue(**q):
        return [t["id"] for t in ok(sam.get(API + "staff/tickets/", params={"search": tag, **q}))["results"]]
    mine = {a["id"], b["id"]}
    assert [i for i in queue() if i in mine] == [b["id"], a["id"]]  # urgent first
    assert queue(assignee=sue.id) == [a["id"]]
    assert b["id"] in queue(unassigned="true") and a["id"] not in queue(unassigned="true")
    assert a["id"] in queue(category="billing") and b["id"] not in queue(category="billing")
    assert b["id"] in queue(priority="urgent") and a["id"] not in queue(priority="urgent")
    assert [i for i in queue(status="pending") if i in mine] == []
    r = sam.get(API + "staff/tickets/", params={"status": "waiting"})
    assert r.status_code == 400 and "open" in r.json()["errors"]["status"][0]
    assert sam.post(f"{API}tickets/{a['id']}/assign/", json={"assignee_id": ana.id}).status_code == 400
    s = ok(sam.get(API + "staff/summary/"))
    assert s["awaiting_first_reply"] >= 2 and s["by_status"]["open"] >= 2
    reply(sam, a["id"], "note", is_internal=True)
    assert ok(sam.get(f"{API}tickets/{a['id']}/"))["first_staff_reply_at"] is None
    reply(sue, a["id"], "Hi!")
    first = ok(sam.get(f"{API}tickets/{a['id']}/"))
    assert first["first_staff_reply_at"] and first["first_reply_ms"] >= 0
    after = ok(sam.get(API + "staff/summary/", params={"days": 7}))
    assert after["first_reply"]["answered"] >= 1 and after["first_reply"]["avg_ms"] is not None
    assert after["awaiting_first_reply"] == s["awaiting_first_reply"] - 1


def test_attachments_are_sniffed_and_only_for_the_tickets_parties(server):
    ana, bob, sam = register(server), register(server), staff_of(server)
    r = upload(ana, "shot.png", b"MZ\x90\x00 not an image at all" * 10, "image/png")
    assert r.status_code == 415 and r.json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"
    shot = ok(upload(ana, "../../shot.png", png_bytes(), "application/octet-stream"), 201)
    assert shot["kind"] == "image" and shot["mime_type"] == "image/png" and shot["filename"] == "shot.png"
    assert bob.get(shot["url"]).status_code == 404
    t = open_ticket(ana, attachment_ids=[shot["id"]])
    assert [f["id"] for f in t["attachments"]] == [shot["id"]]
    got = sam.get(shot["url"])
    assert got.status_code == 200 and got.content == png_bytes() and got.headers["X-Content-Type-Options"] == "nosniff"
    part = ana.get(shot["url"], headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == png_bytes()[:8]
    assert bob.get(shot["url"]).status_code == 404
    # Someone else's upload, or one already used, is not claimed.
    other = ok(upload(bob, "b.txt", b"bob's words\n", "text/plain"), 201)
    r = ana.post(f"{API}tickets/{t['id']}/replies/", json={"content": "x", "attachment_ids": [other["id"]]})
    assert r.status_code == 400 and "attachment_ids" in r.json()["errors"]
    r = ana.post(API + "tickets/", json={"subject": "s", "description": "d", "category": "other",
                                         "attachment_ids": [shot["id"]]})
    assert r.status_code == 400


def test_faq_search_markdown_as_text_and_one_vote_per_user(server):
    ana, sam = register(server), staff_of(server)
    word = uniq("zebra")
    q = publish_faq(sam, question=f"What is a {word}?", answer="<script>alert(1)</script> **bold**", category="misc")
    draft = ok(sam.post(API + "faq/", json={"category": "misc", "question": f"Draft {word}", "answer": "a"}), 201)
    assert draft["is_published"] is False
    found = ok(server.get(API + "faq/", params={"search": word.upper()}))
    assert [x["id"] for x in found["results"]] == [q["id"]]
    # The answer is the Markdown as written: the server never renders HTML.
    assert found["results"][0]["answer"] == "<script>alert(1)</script> **bold**"
    assert found["results"][0]["answer_format"] == "markdown"
    assert server.get(f"{API}faq/{draft['id']}/").status_code == 404
    assert ana.get(f"{API}faq/{draft['id']}/").status_code == 404
    assert ok(sam.get(API + "faq/", params={"search": word, "drafts": "true"}))["count"] == 2
    assert {"category": "misc", "count": 1} in ok(server.get(API + "faq/categories/"))
    # Eight votes at once by one user count once; a change moves it.
    threads = [threading.Thread(target=lambda: ana.post(f"{API}faq/{q['id']}/vote/", json={"helpful": True}))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    now = ok(ana.get(f"{API}faq/{q['id']}/"))
    assert now["helpful_count"] == 1 and now["not_helpful_count"] == 0 and now["my_vote"] is True
    changed = ok(ana.post(f"{API}faq/{q['id']}/vote/", json={"helpful": False}))
    assert changed["helpful_count"] == 0 and changed["not_helpful_count"] == 1 and changed["my_vote"] is False
    assert ok(server.get(f"{API}faq/{q['id']}/"))["my_vote"] is None
    assert ok(sam.patch(f"{API}faq/{q['id']}/", json={"is_published": False}))["is_published"] is False
    assert server.get(f"{API}faq/{q['id']}/").status_code == 404


def test_feedback_with_a_screenshot_is_triaged_by_staff(server):
    ana, sam = register(server), staff_of(server)
    text = ok(upload(ana, "t.txt", b"words\n", "text/plain"), 201)
    r = ana.post(API + "feedback/", json={"rating": 5, "screenshot_id": text["id"]})
    assert r.status_code == 400 and "screenshot_id" in r.json()["errors"]
    assert ana.post(API + "feedback/", json={"rating": 6}).status_code == 400
    shot = ok(upload(ana, "s.png", png_bytes(), "image/png"), 201)
    b = ok(ana.post(API + "feedback/", json={"rating": 4, "text": "Nice", "page": "/parties",
                                             "context": {"viewport": "375x812"}, "screenshot_id": shot["id"]}), 201)
    assert b["status"] == "new" and b["context"] == {"viewport": "375x812"} and b["screenshot_url"]
    assert sam.get(b["screenshot_url"]).status_code == 200
    assert ok(sam.patch(f"{API}staff/feedback/{b['id']}/", json={"status": "planned"}))["status"] == "planned"
    listed = ok(sam.get(API + "staff/feedback/", params={"status": "planned", "rating": 4}))["results"]
    assert b["id"] in [x["id"] for x in listed]
    r = sam.patch(f"{API}staff/feedback/{b['id']}/", json={"status": "later"})
    assert r.status_code == 400 and "triaged" in r.json()["errors"]["status"][0]


def test_an_appeal_names_a_moderation_action(server):
    ana = register(server)
    r = ana.post(API + "tickets/", json={"subject": "Ban", "description": "Unfair", "category": "appeal"})
    assert r.status_code == 400 and "moderation_action_id" in r.json()["errors"]
    # Only an action taken on the appellant: not a made-up id, not one on somebody else.
    staff, bob = staff_of(server), register(server)
    warn = lambda u: ok(staff.post("/api/moderation/actions/", json={"action": "warn", "reason": "Spam", "user_id": u.id}))["id"]
    action, others = warn(ana), warn(bob)
    for wrong in ("0191a1b2-0000-7000-8000-000000000001", others):
        r = ana.post(API + "tickets/", json={"subject": "Ban", "description": "Unfair", "category": "appeal",
                                            "moderation_action_id": wrong})
        assert r.status_code == 400 and "moderation_action_id" in r.json()["errors"], r.text
    t = open_ticket(ana, category="appeal", moderation_action_id=action)
    assert t["category"] == "appeal" and t["moderation_action_id"] == action
    r = ana.post(API + "tickets/", json={"subject": "s", "description": "d", "category": "nonsense"})
    assert r.status_code == 400 and "appeal" in r.json()["errors"]["category"][0]
