"""`watchparty routes` prints the table the server registers, in order; the
copy in bench/micro/routes.txt (read by wp_micro and by the router's C++
test against a reference matcher) must be that table."""
import os
import tempfile

from conftest import PG_URL, ROOT, new_pg_database, run_cli

ROUTES_FILE = os.path.join(ROOT, "bench", "micro", "routes.txt")
REGENERATE = "build/watchparty routes --data-dir \"$(mktemp -d)\" > bench/micro/routes.txt"


def routes_of(backend):
    args = ["routes", "--data-dir", tempfile.mkdtemp(prefix="wp_it_")]
    if backend == "postgresql":
        args += ["--database-url", new_pg_database()]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_routes_prints_every_route_once_in_order(backend):
    lines = routes_of(backend).splitlines()
    assert len(lines) > 250
    assert len(set(lines)) == len(lines)
    assert all(line.split(" ")[0] in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") for line in lines)
    assert "GET /api/health/" in lines and "GET /ws/party/{id}/" in lines


def test_the_benchmarks_copy_is_the_servers_table():
    with open(ROUTES_FILE) as f:
        assert routes_of("sqlite") == f.read(), f"the route table changed: {REGENERATE}"
