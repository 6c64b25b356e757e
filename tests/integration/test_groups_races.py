"""member_count under concurrency (docs/api.md "Groups"): every membership
change locks the group row and moves the count in its own transaction, so
the count is exact after many joins and leaves at once."""
import threading
from concurrent.futures import ThreadPoolExecutor

from group_helpers import create_group, group_path, join_group, members
from helpers import register

USERS = 50


def test_member_count_is_exact_after_concurrent_joins_and_leaves(server):
    admin = register(server)
    users = [register(server) for _ in range(USERS)]
    g = create_group(admin)
    gate = threading.Barrier(USERS)

    def churn(i, user):
        gate.wait()
        statuses = []
        for round_ in range(3):
            statuses.append(join_group(user, g).status_code)
            # The even-numbered users leave every time; the odd ones stay after the last join.
            if round_ < 2 or i % 2 == 0:
                statuses.append(user.post(group_path(g, "leave/")).status_code)
        return statuses

    with ThreadPoolExecutor(USERS) as pool:
        results = list(pool.map(churn, range(USERS), users))
    assert all(s == 200 for statuses in results for s in statuses), results
    listed = members(admin, g)
    assert listed["count"] == 1 + USERS // 2
    assert admin.get(group_path(g)).json()["member_count"] == listed["count"]


def test_concurrent_joins_of_one_user_count_once(server):
    admin, user = register(server), register(server)
    g = create_group(admin)
    gate = threading.Barrier(10)

    def go(_):
        gate.wait()
        return join_group(user, g).status_code

    with ThreadPoolExecutor(10) as pool:
        assert set(pool.map(go, range(10))) == {200}
    assert admin.get(group_path(g)).json()["member_count"] == 2
