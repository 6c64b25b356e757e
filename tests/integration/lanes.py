"""The suite's lanes: scripts/test.sh runs it as several pytest processes at once, one lane each
(WP_IT_LANE="k/n"), since most of a test's time is spent waiting on its servers.

A lane holds whole files, so that a file's module-scoped servers start once. The files go longest
first onto the lane with the least time so far, by the times in durations.json; a file not in it
counts as the median. Every lane computes the same split from the same collection.

WP_IT_RECORD_DURATIONS=1 writes each file's time (setup, call and teardown of its tests) of this
run into durations.json; the lanes of one run write their own files into it under a lock."""
import fcntl
import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).with_name("durations.json")


def parse(spec):
    """WP_IT_LANE="k/n": this process runs lane k of n (0 <= k < n)."""
    found = re.fullmatch(r"(\d+)/(\d+)", spec)
    if not found or not int(found.group(1)) < int(found.group(2)):
        raise pytest.UsageError(f"WP_IT_LANE must be k/n with 0 <= k < n, not {spec!r}")
    return int(found.group(1)), int(found.group(2))


def file_of(nodeid):
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1]


def recorded():
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def split(files, n, durations):
    """{file: lane}: longest first, each onto the lane with the least time so far."""
    times = sorted(durations.values())
    default = times[len(times) // 2] if times else 1.0
    loads = [0.0] * n
    lane_of = {}
    for name in sorted(set(files), key=lambda f: (-durations.get(f, default), f)):
        k = loads.index(min(loads))
        lane_of[name] = k
        loads[k] += durations.get(name, default)
    return lane_of


def keep_lane(spec):
    """A rule for the collected items: True for those of this process's lane."""
    k, n = parse(spec)
    memo = {}

    def rule(item, items):
        if "split" not in memo:
            memo["split"] = split([file_of(i.nodeid) for i in items], n, recorded())
        return memo["split"][file_of(item.nodeid)] == k
    return rule


class DurationRecorder:
    """The pytest plugin behind WP_IT_RECORD_DURATIONS."""

    def __init__(self):
        self.seconds = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self):
        if not self.seconds:
            return
        with open("/tmp/wp-it-durations.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            merged = recorded()
            merged.update({name: round(s, 1) for name, s in self.seconds.items()})
            tmp = DURATIONS.with_suffix(".tmp")
            tmp.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
            os.replace(tmp, DURATIONS)
