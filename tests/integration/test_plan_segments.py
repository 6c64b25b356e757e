"""Plan segments (#19 with billing #18): the staff users list filtered by
plan, and broadcasts to the users of one plan, both through the staff
broadcast (notice and banner) and the notifications module's own broadcast."""
import time

import pytest

from billing_helpers import billed, fake, subscribe  # noqa: F401 (fixtures)
from helpers import assert_field_errors, make_staff_member, register, uniq


@pytest.fixture
def people(billed, fake):
    staff = make_staff_member(billed)
    paying, free = register(billed), register(billed)
    subscribe(fake, paying)
    assert paying.get("/api/billing/subscription/").json()["plan"]["id"] == "premium"
    return staff, paying, free


def usernames(staff, **query):
    r = staff.get("/api/admin/users/", params={"page_size": 100, **query})
    assert r.status_code == 200, r.text
    return {u["username"] for u in r.json()["results"]}


def notices(user, message):
    return [n for n in user.get("/api/notifications/?type=admin_broadcast").json()["results"] if n["message"] == message]


def eventually(check, timeout=10):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_staff_users_list_filters_by_plan(people):
    staff, paying, free = people
    assert usernames(staff, plan="premium") == {paying.username}
    on_free = usernames(staff, plan="free")
    assert {free.username, staff.username} <= on_free and paying.username not in on_free
    # With another filter: the plan narrows it further.
    assert usernames(staff, plan="premium", status="active") == {paying.username}
    assert usernames(staff, plan="premium", search=free.username) == set()
    assert_field_errors(staff.get("/api/admin/users/", params={"plan": "gold"}), "plan")


def test_a_broadcast_to_a_plan_reaches_only_its_users(people):
    staff, paying, free = people
    until = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 600))
    message = "Premium: HD is back " + uniq()
    r = staff.post("/api/admin/broadcast/", json={"message": message, "audience": "plan", "plan": "premium",
                                                  "expires_at": until})
    assert r.status_code == 202, r.text
    b = r.json()
    assert (b["audience"], b["plan"]) == ("plan", "premium")
    assert eventually(lambda: notices(paying, message))
    assert eventually(lambda: staff.get(f"/api/admin/broadcast/{b['id']}/").json()["notification"]["status"] == "done")
    status = staff.get(f"/api/admin/broadcast/{b['id']}/").json()
    assert status["notification"]["recipients"] == 1
    assert not notices(free, message) and not notices(staff, message)
    # The banner of a page opened later: the plan's users only.
    assert b["id"] in {x["id"] for x in paying.get("/api/broadcasts/active/").json()["results"]}
    for other in (free, staff):
        assert b["id"] not in {x["id"] for x in other.get("/api/broadcasts/active/").json()["results"]}


def test_a_broadcast_to_the_free_plan_leaves_out_the_paying_users(people):
    staff, paying, free = people
    r = staff.post("/api/admin/notifications/broadcasts/", json={"title": "Try premium", "message": "Half price " + uniq(),
                                                          "audience": "plan", "plan": "free"})
    assert r.status_code == 202, r.text
    b = r.json()
    assert (b["audience"], b["plan"]) == ("plan", "free")
    assert eventually(lambda: staff.get(f"/api/admin/notifications/broadcasts/{b['id']}/").json()["status"] == "done")
    assert notices(free, b["message"]) and notices(staff, b["message"])
    assert not notices(paying, b["message"])
    on_free = len(usernames(staff, plan="free", is_active="true"))
    assert staff.get(f"/api/admin/notifications/broadcasts/{b['id']}/").json()["recipients"] == on_free
    assert_field_errors(staff.post("/api/admin/notifications/broadcasts/", json={"title": "t", "message": "m",
                                                                         "audience": "plan"}), "plan")
    assert_field_errors(staff.post("/api/admin/notifications/broadcasts/", json={"title": "t", "message": "m",
                                                                         "audience": "plan", "plan": "gold"}), "plan")
