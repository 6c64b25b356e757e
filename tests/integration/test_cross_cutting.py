"""Behaviour that spans modules: shutdown with live sockets, revocation
reaching open sockets, deactivated users."""
import signal
import sqlite3
import time

from helpers import bearer, jwt_payload, register
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
    if s.backend != "sqlite":
        return  # the test flips the flag in the SQLite file directly; the rule is dialect-free
    user = register(s)
    assert user.get("/api/auth/profile/").status_code == 200
    db = sqlite3.connect(f"{s.data_dir}/watchparty.db")
    db.execute("UPDATE users SET is_active = 0 WHERE id = ?", (user.id,))
    db.commit()
    db.close()
    r = user.get("/api/auth/profile/")
    assert r.status_code == 401 and r.json()["error_code"] == "AUTHENTICATION_REQUIRED"
    r = s.post("/api/auth/login/", json={"username": user.username, "password": user.password})
    assert r.status_code == 401
