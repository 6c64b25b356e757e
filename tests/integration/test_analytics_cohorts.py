"""Analytics (#20): users by signup week (Monday, UTC) and each cohort's
share active in each week since, on both databases."""
import time

from helpers import assert_envelope, make_staff_member, register, run_sql
from test_analytics_views import FAST, eventually

DAY = 86_400_000
WEEK = 7 * DAY
FIRST_MONDAY = 4 * DAY  # 1970-01-05


def iso_date(ms):
    return time.strftime("%Y-%m-%d", time.gmtime(ms / 1000))


def test_cohorts_by_signup_week_and_their_retention(make_server):
    s = make_server(args=FAST)
    users = [register(s) for _ in range(3)]
    staff = make_staff_member(s)
    now = int(time.time() * 1000)
    this_week = (now - FIRST_MONDAY) // WEEK * WEEK + FIRST_MONDAY
    # Three weeks ago, four signups: all active that week, two the next, one the week after, none
    # this week. Not "two weeks ago, one active this week": the rollup rewrites today's day buckets
    # from the raw events, and on a Monday the row put there for this week would be today's.
    old = this_week - 3 * WEEK
    run_sql(s, "INSERT INTO analytics_user_signups (user_id, signup_at) VALUES "
               + ",".join(f"('c{i}', {old + DAY + i})" for i in range(4)))
    days = [("c0", 0), ("c1", 1), ("c2", 2), ("c3", 6), ("c0", 8), ("c1", 9), ("c1", 10), ("c0", 14)]
    run_sql(s, "INSERT INTO analytics_user_rollups (user_id, granularity, bucket_start, events) VALUES "
               + ",".join(f"('{u}', 'day', {old + d * DAY}, 1)" for u, d in days))

    def settled():
        r = staff.get("/api/analytics/cohorts/?weeks=4")
        assert r.status_code == 200, r.text
        body = r.json()
        mine = [c for c in body["cohorts"] if c["week_start"] == iso_date(this_week)]
        # Everyone who registered (and the staff member) signed up this week and was active in it.
        return body if mine and mine[0]["size"] >= 4 and mine[0]["retention"][0]["active"] >= 4 else None

    body = eventually(settled)
    assert body, staff.get("/api/analytics/cohorts/?weeks=4").text
    assert (body["weeks"], body["week_starts"]) == (4, "monday")
    first = body["cohorts"][0]
    assert (first["week_start"], first["size"]) == (iso_date(old), 4)
    assert [(w["week"], w["active"], w["share"]) for w in first["retention"]] == [(0, 4, 1.0), (1, 2, 0.5),
                                                                                   (2, 1, 0.25), (3, 0, 0.0)]
    current = body["cohorts"][-1]
    assert current["size"] == 4 and current["retention"] == [{"week": 0, "active": 4, "share": 1.0}]
    # The weeks between had nobody: no cohort. With weeks=1 only this week's.
    assert [c["week_start"] for c in body["cohorts"]] == [iso_date(old), iso_date(this_week)]
    assert [c["week_start"] for c in staff.get("/api/analytics/cohorts/?weeks=1").json()["cohorts"]] == [
        iso_date(this_week)]
    assert_envelope(staff.get("/api/analytics/cohorts/?weeks=0"), 400, "VALIDATION_ERROR")
    assert_envelope(staff.get("/api/analytics/cohorts/?weeks=2x"), 400, "VALIDATION_ERROR")
    assert_envelope(users[0].get("/api/analytics/cohorts/"), 403, "ACCESS_FORBIDDEN")
