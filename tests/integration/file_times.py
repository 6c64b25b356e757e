"""Each test file's time, for running the suite in several processes (scripts/test.sh: pytest-xdist,
`-n 3 --dist loadfile`). A process takes a whole file at a time (so that its module-scoped servers
start once) and the next when it is done; the files come longest first, by the times in
durations.json (a file not in it counts as the median), so that no long file is left to run alone
at the end. The times only order the files: a stale one costs a little balance, never a test.

WP_IT_RECORD_DURATIONS=1 writes each file's time of this run (setup, call and teardown of its
tests) into durations.json."""
import json
from collections import defaultdict
from pathlib import Path

DURATIONS = Path(__file__).with_name("durations.json")


def file_of(nodeid):
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1]


def recorded():
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def longest_first(items, durations):
    """The items with their files in order of time, longest first; within a file as collected."""
    times = sorted(durations.values())
    default = times[len(times) // 2] if times else 1.0
    first_seen = {}
    for i, item in enumerate(items):
        first_seen.setdefault(file_of(item.nodeid), i)
    return sorted(items, key=lambda item: (-durations.get(file_of(item.nodeid), default),
                                           first_seen[file_of(item.nodeid)]))


class Recorder:
    """The pytest plugin behind WP_IT_RECORD_DURATIONS (registered in the controlling process, which
    sees every worker's reports)."""

    def __init__(self):
        self.seconds = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self):
        if not self.seconds:
            return
        merged = recorded()
        merged.update({name: round(s, 1) for name, s in self.seconds.items()})
        DURATIONS.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
