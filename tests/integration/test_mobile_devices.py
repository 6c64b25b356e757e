"""Mobile devices through /api/mobile/devices/, on SQLite and PostgreSQL: registration by install id,
the list and its changes, and the push token's life (handover between accounts, removal, password change)."""
from helpers import assert_envelope, assert_field_errors, register, strong_password, remember_secret
from mobile_helpers import device, wait_until


def push_tokens(user):
    r = user.get("/api/push/devices/")
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body["results"] if isinstance(body, dict) else body
    return sorted(d["token"] for d in rows)


def test_register_update_list_rename_disable_remove(server):
    alice, bob = register(server), register(server)
    first = device(alice, status=201, name="Alice's phone")
    assert first["platform"] == "android" and first["name"] == "Alice's phone" and not first["disabled"]
    again = device(alice, status=200, app_version="1.1.0")
    assert again["id"] == first["id"] and again["app_version"] == "1.1.0" and again["name"] == "Alice's phone"
    device(alice, "tablet", status=201)
    mine = alice.get("/api/mobile/devices/").json()["results"]
    assert [d["device_id"] for d in mine] == ["phone", "tablet"]
    assert bob.get("/api/mobile/devices/").json()["results"] == []
    r = alice.patch(f"/api/mobile/devices/{first['id']}/", json={"name": "Old phone", "disabled": True})
    assert r.status_code == 200 and r.json()["name"] == "Old phone" and r.json()["disabled"]
    # A disabled device may not sync.
    r = alice.post("/api/mobile/sync/", json={"device_id": "phone", "cursors": {"settings": None}})
    assert_envelope(r, 403, "ACCESS_FORBIDDEN")
    assert_envelope(bob.patch(f"/api/mobile/devices/{first['id']}/", json={"name": "x"}), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(bob.delete(f"/api/mobile/devices/{first['id']}/"), 404, "RESOURCE_NOT_FOUND")
    assert alice.delete(f"/api/mobile/devices/{first['id']}/").status_code == 204
    assert [d["device_id"] for d in alice.get("/api/mobile/devices/").json()["results"]] == ["tablet"]


def test_bad_registrations_list_every_field(server):
    alice = register(server)
    r = alice.post("/api/mobile/devices/", json={"platform": "pager", "settings": [1]})
    assert_field_errors(r, "device_id", "settings")
    assert_field_errors(alice.post("/api/mobile/devices/", json={"device_id": "p", "platform": "pager"}), "platform")


def test_a_token_registered_on_another_account_leaves_the_first(server):
    alice, bob = register(server), register(server)
    device(alice, push_token="shared-phone-token")
    assert push_tokens(alice) == ["shared-phone-token"]
    # The phone changes hands: bob signs in on it and registers the same token.
    device(bob, push_token="shared-phone-token")
    assert push_tokens(bob) == ["shared-phone-token"]
    assert push_tokens(alice) == []
    assert alice.get("/api/mobile/devices/").json()["results"][0]["has_push_token"] is False
    # Muting the device gives the token up; removing it too.
    mine = device(bob, push_token="shared-phone-token", push_enabled=False)
    assert push_tokens(bob) == []
    device(bob, push_token="shared-phone-token")
    assert bob.delete(f"/api/mobile/devices/{mine['id']}/").status_code == 204
    assert push_tokens(bob) == []


def test_a_password_change_revokes_the_tokens_of_the_other_sessions(server):
    alice = register(server)
    other = alice.login()
    # The tablet registered under the other session, the phone under this one.
    r = alice.post("/api/mobile/devices/", token=other["access_token"],
                   json={"device_id": "tablet", "platform": "ios", "push_token": "tablet-token"})
    assert r.status_code == 201, r.text
    device(alice, push_token="phone-token")
    assert push_tokens(alice) == ["phone-token", "tablet-token"]
    new = strong_password()
    remember_secret(server, new)
    r = alice.post("/api/auth/change-password/", json={"current_password": alice.password, "new_password": new})
    assert r.status_code == 200, r.text
    assert wait_until(lambda: push_tokens(alice) == ["phone-token"]), push_tokens(alice)
    tablet = [d for d in alice.get("/api/mobile/devices/").json()["results"] if d["device_id"] == "tablet"][0]
    assert tablet["has_push_token"] is False
