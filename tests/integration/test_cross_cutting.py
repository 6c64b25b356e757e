"""Behaviour that spans modules: shutdown with live sockets, revocation
reaching open sockets, deactivated users."""
import signal
import uuid

import pytest

from conftest import PG_URL, REDIS_URL, Server, new_pg_database
from helpers import bearer, jwt_payload, login_req, make_superuser, refresh_req, register
from party_helpers import connect, create_party, run


def test_sigterm_closes_websockets_with_1001_and_exits_zero(make_server):
    s = make_server(args=["--shutdown-timeout-s", "5"])
    host = register(s)
    party = create_party(host)

    async def scenario():
        ws = await connect(s, party, host)
        s.proc.send_signal(signal.SIGTERM)
        assert await ws.wait_closed(timeout=5) == 1001

    run(scenario())
    assert s.proc.wait(timeout=10) == 0


def test_revoking_sessions_closes_open_sockets(server):
    host = register(server)
    party = create_party(host)

    async def scenario():
        ws = await connect(server, party, host)
        r = host.post("/api/auth/sessions/revoke-all/", json={"keep_current": False})
        assert r.status_code == 200, r.text
        assert await ws.wait_closed(timeout=5) == 4001

    run(scenario())


def test_revoking_one_session_closes_only_its_sockets(server):
    host = register(server)
    party = create_party(host)
    laptop = host.login()  # a second session of the same user
    phone_sid = jwt_payload(host.access)["sid"]

    async def scenario():
        phone = await connect(server, party, host, name="phone")
        on_laptop = await connect(server, party, laptop["access_token"], name="laptop")
        r = server.request("DELETE", f"/api/auth/sessions/{phone_sid}/", headers=bearer(laptop["access_token"]))
        assert r.status_code in (200, 204), r.text
        assert await phone.wait_closed(timeout=5) == 4001
        await on_laptop.expect_none("error", within=0.3)
        assert not on_laptop.closed, "the other session's socket stays open"
        # Logging out ends the laptop's own socket.
        r = server.post("/api/auth/logout/", headers=bearer(laptop["access_token"]))
        assert r.status_code in (200, 204), r.text
        assert await on_laptop.wait_closed(timeout=5) == 4001

    run(scenario())


def test_a_deactivated_user_is_refused_at_once(make_server):
    s = make_server()
    root = make_superuser(s)
    user = register(s)
    other = register(s)
    party = create_party(other)
    second = user.login()  # a second session: every session ends
    for token in (user.access, second["access_token"]) * 2:  # read again and again: kept in the node's memory
        assert s.get("/api/auth/profile/", headers=bearer(token)).status_code == 200

    async def scenario():
        ws = await connect(s, party, user)
        ws2 = await connect(s, party, second["access_token"], name="second")
        bystander = await connect(s, party, other)
        r = root.post(f"/api/admin/users/{user.id}/deactivate/")
        assert r.status_code == 200, r.text
        assert await ws.wait_closed(timeout=5) == 4001
        assert await ws2.wait_closed(timeout=5) == 4001
        await bystander.expect_none("error", within=0.3)
        assert not bystander.closed, "other users' sockets stay open"

    run(scenario())
    for token in (user.access, second["access_token"]):
        r = s.get("/api/auth/profile/", headers=bearer(token))
        assert r.status_code == 401 and r.json()["error_code"] == "AUTHENTICATION_REQUIRED", r.text
    assert refresh_req(s, user.refresh).status_code == 401
    assert login_req(s, user.username, user.password).status_code == 401
    # A new socket is refused too.
    async def reconnect():
        ws = await connect(s, party, user, wait_state=False)
        assert await ws.wait_closed(timeout=5) == 4001

    run(reconnect())

    r = root.post(f"/api/admin/users/{user.id}/activate/")
    assert r.status_code == 200, r.text
    tokens = user.login()
    assert s.get("/api/auth/profile/", headers=bearer(tokens["access_token"])).status_code == 200
    # The sessions that ended stay ended.
    assert s.get("/api/auth/profile/", headers=bearer(user.access)).status_code == 401


@pytest.mark.skipif(not (PG_URL and REDIS_URL), reason="needs WP_PG_URL and WP_REDIS_URL")
def test_deactivation_closes_sockets_on_every_node():
    database_url = new_pg_database()
    prefix = f"wp-{uuid.uuid4().hex[:8]}:"
    nodes = [Server("postgresql", database_url=database_url,
                    args=["--redis-url", REDIS_URL, "--redis-prefix", prefix]).start() for _ in range(2)]
    try:
        a, b = nodes
        root = make_superuser(a)
        user = register(a)
        party = create_party(user)

        async def scenario():
            ws = await connect(b, party, user)
            r = root.post(f"/api/admin/users/{user.id}/deactivate/")
            assert r.status_code == 200, r.text
            assert await ws.wait_closed(timeout=5) == 4001

        run(scenario())
        assert b.get("/api/auth/profile/", headers=bearer(user.access)).status_code == 401
    finally:
        for n in nodes:
            n.stop()
