"""Admin user management: the staff-only user list and (de)activation, with
the rules on who may change whom. The effect of a deactivation on sessions
and live sockets is in test_cross_cutting.py."""
import socketserver
import threading
import uuid

import pytest

from conftest import PG_URL, REDIS_URL, run_cli
from helpers import (assert_envelope, assert_field_errors, assert_page, assert_user, bearer, cli_db_args, login_req,
                     make_staff_member, make_superuser, path_of, register, uniq)
from party_helpers import connect, create_party, in_thread, run


def deactivate(actor, user_id):
    return actor.post(f"/api/admin/users/{user_id}/deactivate/")


def activate(actor, user_id):
    return actor.post(f"/api/admin/users/{user_id}/activate/")


def test_admin_routes_need_staff(server):
    user = register(server)
    other = register(server)
    for method, path in (("GET", "/api/admin/users/"),
                         ("POST", f"/api/admin/users/{other.id}/deactivate/"),
                         ("POST", f"/api/admin/users/{other.id}/activate/")):
        assert_envelope(server.request(method, path), 401, "AUTHENTICATION_REQUIRED")
        assert_envelope(user.request(method, path), 403, "ACCESS_FORBIDDEN")
    assert other.get("/api/auth/profile/").json()["is_active"] is True


def test_admin_list_search_filter_and_pages(server):
    root = make_superuser(server)
    tag = uuid.uuid4().hex[:8]
    users = [register(server, username=f"adm{tag}{i}") for i in range(3)]
    hidden = register(server, first_name=f"Secret{tag}")
    r = hidden.patch("/api/users/me/profile/", json={"privacy_settings": {"profile_visibility": "private"}})
    assert r.status_code == 200, r.text
    assert deactivate(root, users[0].id).status_code == 200

    page = assert_page(root.get(f"/api/admin/users/?search=adm{tag}").json())
    assert page["count"] == 3 and [u["username"] for u in page["results"]] == [u.username for u in users]
    for u in page["results"]:
        assert_user(u)
    inactive = root.get(f"/api/admin/users/?search=adm{tag}&is_active=false").json()
    assert [u["id"] for u in inactive["results"]] == [users[0].id] and inactive["results"][0]["is_active"] is False
    active = root.get(f"/api/admin/users/?search=adm{tag}&is_active=true").json()
    assert {u["id"] for u in active["results"]} == {users[1].id, users[2].id}
    # Staff see every user: by email, and by the names of a private profile.
    by_mail = root.get(f"/api/admin/users/?search={users[2].email}").json()
    assert [u["id"] for u in by_mail["results"]] == [users[2].id]
    by_name = root.get(f"/api/admin/users/?search=secret{tag}").json()
    assert [u["id"] for u in by_name["results"]] == [hidden.id]

    first = root.get(f"/api/admin/users/?search=adm{tag}&page_size=2&ordering=-username").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert first["results"][0]["username"] == users[2].username
    second = root.get(path_of(first["next"])).json()
    assert [u["id"] for u in second["results"]] == [users[0].id] and second["next"] is None

    assert_field_errors(root.get("/api/admin/users/?is_active=maybe"), "is_active")
    assert_field_errors(root.get("/api/admin/users/?ordering=password"), "ordering")
    assert_field_errors(root.get("/api/admin/users/?page=0"), "page")


def test_deactivate_answers_the_user_and_is_idempotent(server):
    root = make_superuser(server)
    user = register(server)
    r = deactivate(root, user.id)
    assert r.status_code == 200, r.text
    body = r.json()
    assert_user(body)
    assert body["id"] == user.id and body["is_active"] is False
    assert deactivate(root, user.id).json()["is_active"] is False
    r = activate(root, user.id)
    assert r.status_code == 200 and r.json()["is_active"] is True
    assert activate(root, user.id).json()["is_active"] is True
    assert_envelope(deactivate(root, str(uuid.uuid4())), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(activate(root, "not-a-user"), 404, "RESOURCE_NOT_FOUND")


def test_who_may_deactivate_whom(server):
    root = make_superuser(server)
    other_root = make_superuser(server)
    staff = make_staff_member(server)
    other_staff = make_staff_member(server)
    user = register(server)

    # Nobody locks themselves out, superusers included.
    assert_envelope(deactivate(staff, staff.id), 403, "ACCESS_FORBIDDEN")
    assert_envelope(deactivate(root, root.id), 403, "ACCESS_FORBIDDEN")
    # Plain staff manage ordinary users only.
    assert_envelope(deactivate(staff, other_root.id), 403, "ACCESS_FORBIDDEN")
    assert_envelope(deactivate(staff, other_staff.id), 403, "ACCESS_FORBIDDEN")
    for target in (root, other_root, staff, other_staff):
        assert target.get("/api/auth/profile/").status_code == 200, target.username
    r = deactivate(staff, user.id)
    assert r.status_code == 200, r.text
    assert activate(staff, user.id).status_code == 200
    # A superuser may manage other staff and superusers.
    assert deactivate(root, other_staff.id).status_code == 200
    assert_envelope(other_staff.get("/api/auth/profile/"), 401, "AUTHENTICATION_REQUIRED")
    assert_envelope(activate(staff, other_staff.id), 403, "ACCESS_FORBIDDEN")
    assert activate(root, other_staff.id).status_code == 200
    assert deactivate(root, other_root.id).status_code == 200
    assert_envelope(other_root.get("/api/auth/profile/"), 401, "AUTHENTICATION_REQUIRED")


# ---------------------------------------------------------------- the command line

def cli_args(s):
    args = cli_db_args(s)
    if s.database_url and REDIS_URL:
        args += ["--redis-url", REDIS_URL, "--redis-prefix", s.redis_prefix]
    return args


def test_cli_deactivate_and_activate_user(make_server):
    s = make_server()
    user = register(s)
    second = user.login()
    r = run_cli("deactivate-user", *cli_args(s), "--username", user.username.upper())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "inactive" in r.stdout
    for token in (user.access, second["access_token"]):
        assert_envelope(s.get("/api/auth/profile/", headers=bearer(token)), 401, "AUTHENTICATION_REQUIRED")
    assert login_req(s, user.username, user.password).status_code == 401
    r = run_cli("activate-user", *cli_args(s), "--username", user.email)
    assert r.returncode == 0, r.stdout + r.stderr
    assert login_req(s, user.username, user.password).status_code == 200
    r = run_cli("deactivate-user", *cli_args(s), "--username", uniq("nobody"))
    assert r.returncode != 0 and "No user named" in r.stdout + r.stderr
    r = run_cli("deactivate-user", *cli_args(s))
    assert r.returncode != 0 and "--username" in r.stdout + r.stderr


@pytest.mark.skipif(not (PG_URL and REDIS_URL), reason="with Redis the command reaches the servers' sockets")
def test_cli_deactivation_closes_sockets_through_redis(make_server):
    s = make_server()
    if not s.database_url:
        pytest.skip("the SQLite servers of this suite run without Redis")
    user = register(s)
    party = create_party(user)

    async def scenario():
        ws = await connect(s, party, user)
        r = await in_thread(run_cli, "deactivate-user", *cli_args(s), "--username", user.username)
        assert r.returncode == 0, r.stdout + r.stderr
        assert await ws.wait_closed(timeout=5) == 4001

    run(scenario())


class _RefusesPing(socketserver.StreamRequestHandler):
    """Just enough Redis (RESP) for the CLI: PUBLISH and PSUBSCRIBE work, PING gets an error."""

    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line.startswith(b"*"):
                return
            args = []
            for _ in range(int(line[1:])):
                size = int(self.rfile.readline()[1:])
                args.append(self.rfile.read(size + 2)[:-2])
            name = args[0].upper()
            if name == b"PING":
                self.wfile.write(b"-ERR this fake refuses PING\r\n")
            elif name == b"PSUBSCRIBE":
                self.wfile.write(b"*3\r\n$10\r\npsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(args[1]), args[1]))
            elif name == b"PUBLISH":
                self.wfile.write(b":0\r\n")
            else:
                self.wfile.write(b"+OK\r\n")


def test_cli_deactivation_done_but_unconfirmed_is_a_warning_not_a_failure(make_server):
    s = make_server()
    user = register(s)
    fake = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RefusesPing)
    fake.daemon_threads = True
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    try:
        r = run_cli("deactivate-user", *cli_db_args(s), "--redis-url", f"redis://127.0.0.1:{fake.server_address[1]}",
                    "--redis-prefix", s.redis_prefix, "--username", user.username)
    finally:
        fake.shutdown()
        fake.server_close()
    # The change is made before the PING: the command says so, and warns that it could not confirm the close.
    assert r.returncode == 0, r.stdout + r.stderr
    assert "is now inactive" in r.stdout
    assert "could not confirm" in r.stderr and "failed" not in (r.stdout + r.stderr).lower()
    assert login_req(s, user.username, user.password).status_code == 401
