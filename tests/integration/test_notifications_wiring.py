"""The modules merged after the notifications service reach users through it
(docs/api.md, "Notifications"): messaging's new_message (grouped per
conversation), the events module's invitation, change of time and
cancellation, and the push channel: a notice for a user with a browser
subscription arrives at the push service encrypted for that browser."""
import json
import time

import pytest

from event_helpers import create_event, event_path, iso, join
from helpers import make_superuser, register
from message_helpers import direct, send
from notification_helpers import results, wait_notification
from push_helpers import PUSH_ARGS, FakePushService, subscribe


def test_a_message_notifies_the_other_member_and_repeats_fold_into_one(server):
    ana, bob = register(server), register(server)
    conv = direct(ana, bob)
    send(ana, conv, "first words")
    n = wait_notification(bob, "new_message")
    assert n["title"] == f"New message from {ana.username}", n
    assert n["message"] == "first words" and n["url"] == f"/messages/{conv['id']}", n
    send(ana, conv, "second words")
    n = wait_notification(bob, "new_message", lambda x: x["group_count"] == 2)
    assert n["message"] == "second words" and n["title"].startswith("2 new messages"), n
    assert len(results(bob, type="new_message")) == 1
    assert results(ana, type="new_message") == []  # nobody hears of their own message


def test_event_invitation_new_time_and_cancellation_are_notices_with_the_events_words(server):
    org, guest, invitee = register(server), register(server), register(server)
    event = create_event(org, title="Dune night")
    assert join(guest, event).status_code in (200, 201)
    assert org.post(event_path(event, "invite/"), json={"user_id": invitee.id}).status_code == 201
    n = wait_notification(invitee, "event_invitation")
    assert n["title"] == f"{org.username} invited you to Dune night", n
    assert n["url"] == f"/events/{event['id']}"

    later = time.time() + 7200
    r = org.patch(event_path(event), json={"start_time": iso(later), "end_time": iso(later + 3600)})
    assert r.status_code == 200, r.text
    n = wait_notification(guest, "event_updated")
    assert n["title"] == "Dune night has a new time" and "Dune night now starts at" in n["message"], n

    r = org.patch(event_path(event), json={"status": "cancelled"})
    assert r.status_code == 200, r.text
    n = wait_notification(guest, "event_cancelled")
    assert n["title"] == "Dune night is cancelled", n
    assert n["url"] == f"/events/{event['id']}"


@pytest.fixture
def fake():
    service = FakePushService()
    yield service
    service.close()


def test_a_notice_goes_out_as_a_web_push_to_the_users_browser(make_server, fake):
    server = make_server(args=PUSH_ARGS)
    ana, bob = register(server), register(server)
    keys, endpoint, _ = subscribe(bob, fake)
    conv = direct(ana, bob)
    send(ana, conv, "are you there?")
    got = fake.wait_for(endpoint)
    payload = json.loads(keys.decrypt(got[0].body))
    assert payload["title"] == f"New message from {ana.username}", payload
    assert payload["body"] == "are you there?" and payload["url"] == f"/messages/{conv['id']}", payload


def test_staff_deactivating_and_reactivating_an_account_tells_its_owner(server):
    staff, bob = make_superuser(server), register(server)
    assert staff.post(f"/api/admin/users/{bob.id}/deactivate/").status_code == 200
    assert staff.post(f"/api/admin/users/{bob.id}/activate/").status_code == 200
    bob.set_tokens(bob.login())  # deactivating revoked every session
    got = results(bob, type="moderation_action")
    assert [n["message"] for n in got] == ["Account reactivated: you can log in again",
                                           "Account deactivated: contact support if you think this is a mistake"], got
    assert all(n["title"] == "A moderator acted on your account" and n["url"] == "/settings" for n in got)
