"""Helpers of the moderation tests (issue #19): content to report, reports, actions."""
from helpers import uniq


def ok(resp, status=(200, 201)):
    status = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in status, f"{resp.status_code}: {resp.text}"
    return resp.json() if resp.content else None


def video_of(user, **extra):
    return ok(user.post("/api/videos/", json={"title": "Clip " + uniq(), "external_url": "https://media.example.com/a.mp4",
                                              "is_public": True, **extra}), 201)


def comment_on(user, video, content="a comment"):
    return ok(user.post(f"/api/videos/{video['id']}/comments/", json={"content": content}), 201)


def report_req(user, content_type, object_id, report_type="spam", description=""):
    return user.post("/api/moderation/reports/", json={"content_type": content_type, "object_id": object_id,
                                                       "report_type": report_type, "description": description})


def report(user, content_type, object_id, **kw):
    return ok(report_req(user, content_type, object_id, **kw), 201)


def act_req(staff, action, **body):
    return staff.post("/api/moderation/actions/", json={"action": action, "reason": "rule 1", **body})


def act(staff, action, **body):
    return ok(act_req(staff, action, **body), 201)


def queue(staff, **query):
    return ok(staff.get("/api/moderation/queue/", params=query), 200)
