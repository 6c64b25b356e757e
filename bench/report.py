#!/usr/bin/env python3
"""Turns the raw outputs of scripts/bench.sh into bench/RESULTS.md (stdout).

Usage: report.py RESULTS_DIR ELAPSED_S "FIGURES"
Each figure is reported as min / median / max over its repetitions; the
hand-written analysis in bench/NOTES.md, then every other bench/*.md, are
appended as they are.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

d, elapsed, only = sys.argv[1], sys.argv[2], sys.argv[3].split()
here = os.path.dirname(os.path.abspath(__file__))


def load(name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        txt = f.read().strip()
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in txt.splitlines() if line.strip()]
    if not txt:
        return None
    try:
        return json.loads(txt)
    except json.JSONDecodeError:
        return json.loads(txt.splitlines()[-1])


def mmm(values, fmt="{:.2f}"):
    v = [x for x in values if x is not None and x == x]
    if not v:
        return "n/a", "n/a", "n/a", 0
    return fmt.format(min(v)), fmt.format(statistics.median(v)), fmt.format(max(v)), len(v)


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            return "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    return "unknown"


def git(*args):
    try:
        return subprocess.check_output(["git", *args], cwd=here, text=True).strip()
    except Exception:
        return "unknown"


rows = []  # (figure, metric, goal, (min, med, max, n))
details = []


def row(fig, metric, goal, values, fmt="{:.2f}"):
    rows.append((fig, metric, goal, mmm(values, fmt)))


# Figure 1
for n in (10, 100, 1000):
    r = load(f"fig1_{n}.json")
    if not r:
        continue
    rounds = r["rounds"]
    goal_p99 = "≤ 5 ms" if n == 1000 else ""
    row(f"1 sync, {n} clients", "spread p50 (ms)", "", [x["spread_p50_ms"] for x in rounds], "{:.3f}")
    row(f"1 sync, {n} clients", "spread p99 (ms)", goal_p99, [x["spread_p99_ms"] for x in rounds], "{:.3f}")
    row(f"1 sync, {n} clients", "play control → last receipt (ms)", "", [x["control_to_last_ms"] for x in rounds])
    row(f"1 sync, {n} clients", "seek control → last receipt (ms)", "", [x["seek_to_last_ms"] for x in rounds])
    details.append(
        f"- fig 1, {n} clients: connected in {r['connect_ms'] / 1000:.1f} s; best ping RTT p50 "
        f"{r['best_rtt_ms'].get('p50', 0):.3f} ms, p99 {r['best_rtt_ms'].get('p99', 0):.3f} ms; offset estimates "
        f"p50 {r['offset_ms'].get('p50', 0):.3f} ms (true offset is 0: one machine); rounds complete: "
        f"{sum(1 for x in rounds if x['complete'])}/{len(rounds)}, clients with a stale version: "
        f"{sum(x['stale'] for x in rounds)}")

# Figure 2
r = load("fig2.jsonl")
if r:
    row("2 idle sockets", "server RSS per idle party socket (KiB)", "≤ 10 KiB", [x["kib_per_socket"] for x in r])
    row("2 idle sockets", "party socket connects per second", "", [x["connects_per_s"] for x in r], "{:.0f}")
    details.append(
        "- fig 2: " + "; ".join(
            f"{x['sockets']} sockets, RSS {x['rss_before_kib']} → {x['rss_after_kib']} KiB" for x in r))

# Figures 3 and 8
for m in (100, 1000, 5000):
    r = load(f"fig3_{m}.json")
    if not r:
        continue
    rounds = r["rounds"]
    label = f"3 fan-out, {m} members" if m == 1000 else f"8 scale, {m} members"
    goal = "≤ 20 ms" if m == 1000 else ""
    row(label, "send → receipt p50 (ms)", "", [x["p50_ms"] for x in rounds])
    row(label, "send → receipt p99 (ms)", goal, [x["p99_ms"] for x in rounds])
    row(label, "send → receipt max (ms)", "", [x["max_ms"] for x in rounds])
    row(label, "server CPU s per 100k deliveries", "", [x["server_cpu_s_per_100k"] for x in rounds])
    details.append(
        f"- fig 3/8, {m} members ({r['sockets_live']} sockets live, {r['rate_hz']:.0f} msg/s for "
        f"{r['duration_s']:.0f} s per round): delivered "
        + ", ".join(f"{x['delivered']}/{x['expected']}" for x in rounds)
        + f"; sockets closed by the server during the run: {r['closed_during_run']}")

# Figure 4
r = load("fig4.json")
if r:
    rounds = r["rounds"]
    row("4 throughput, 100×10", "deliveries per second", "", [x["deliveries_per_s"] for x in rounds], "{:.0f}")
    row("4 throughput, 100×10", "chat messages per second", "", [x["messages_per_s"] for x in rounds], "{:.0f}")
    row("4 throughput, 100×10", "server CPU s per 100k deliveries", "", [x["server_cpu_s_per_100k"] for x in rounds])
    row("4 throughput, 100×10", "own-echo latency p99 (ms)", "", [x["echo_p99_ms"] for x in rounds])
    details.append(
        "- fig 4: closed loop, every member keeps one chat message in flight; loadgen CPU s per round: "
        + ", ".join(f"{x['loadgen_cpu_s']:.1f}" for x in rounds)
        + "; server CPU s per round: " + ", ".join(f"{x['server_cpu_s']:.1f}" for x in rounds)
        + f"; errors: {sum(x['errors'] for x in rounds)}")

# Figure 5
r = load("fig5.jsonl")
if r:
    by = {}
    for x in r:
        by.setdefault(x["label"], {})[x["rep"]] = x["rps"]
    for label in ("nginx", "health", "profile"):
        if label in by:
            row("5 HTTP (wrk -t1 -c32)", f"{label} requests/s", "", list(by[label].values()), "{:.0f}")
    if "nginx" in by:
        reps = sorted(by["nginx"])
        for label, goal in (("health", "≥ 60 %"), ("profile", "")):
            if label in by:
                row("5 HTTP (wrk -t1 -c32)", f"{label} / nginx (%)", goal,
                    [100 * by[label][k] / by["nginx"][k] for k in reps if k in by[label]], "{:.1f}")

# Figure 6
r = load("fig6.json")
if r:
    rounds = r["rounds"]
    row("6 logins (Argon2id interactive)", "logins per second", "",
        [x["during_logins"]["logins_per_s"] for x in rounds])
    row("6 logins (Argon2id interactive)", "login latency p50 (ms)", "",
        [x["during_logins"]["login_ms"].get("p50") for x in rounds], "{:.0f}")
    for ep in ("health", "profile"):
        row("6 logins (Argon2id interactive)", f"/{ep} p99 without logins (ms)", "",
            [x["baseline"][f"{ep}_ms"].get("p99") for x in rounds])
        row("6 logins (Argon2id interactive)", f"/{ep} p99 during logins (ms)", "must not collapse",
            [x["during_logins"][f"{ep}_ms"].get("p99") for x in rounds])
    details.append(f"- fig 6: {r['concurrency']} concurrent login loops; probes: one keep-alive connection per "
                   "endpoint, a request every 10 ms")

out = []
out.append("# Benchmark results\n")
out.append("Written by `scripts/bench.sh` (see docs/operations.md, \"Benchmarks\"); the analysis below the "
           "tables is `bench/NOTES.md`. Goals come from issue #8; what is measured is recorded even when it "
           "falls short.\n")
dirty = git("status", "--porcelain", "--untracked-files=no")
out.append(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
out.append(f"- commit: {git('rev-parse', '--short', 'HEAD')}" + (" (with uncommitted changes)" if dirty else ""))
out.append(f"- machine: {os.cpu_count()} CPUs ({cpu_model()}), {mem_total()} RAM, Linux {platform.release()}")
out.append(f"- server: `watchparty serve --io-threads 2` on SQLite, load generator and server on the same 2 cores, "
           f"loopback only")
runs = open(os.path.join(d, "runs.log")).read().splitlines() if os.path.exists(os.path.join(d, "runs.log")) else []
out.append(f"- last run: figures {' '.join(only)} in {int(elapsed) // 60} min {int(elapsed) % 60} s"
           + (f"; the tables combine the latest result of each figure from {len(runs)} runs"
              if len(runs) > 1 and not {"1", "2", "3", "4", "5", "6", "8", "micro"} <= set(only) else "")
           + "\n")
out.append("## Figures (min / median / max over repetitions)\n")
out.append("| figure | metric | goal | min | median | max | runs |")
out.append("| --- | --- | --- | ---: | ---: | ---: | ---: |")
for fig, metric, goal, (a, b, c, n) in rows:
    out.append(f"| {fig} | {metric} | {goal} | {a} | {b} | {c} | {n} |")
out.append("\nFigure 7 (multi-node) is not measured: it needs issue #6 (see the analysis below).\n")
reg = load("register.json")
if reg:
    details.insert(0, f"- registration (Argon2id cost `min`): {reg['per_second']:.0f} users/s")
if details:
    out.append("### Run details\n")
    out.extend(details)
    out.append("")
micro = load("micro.json")
if micro:
    out.append("### Micro-benchmarks (Google Benchmark, `build/wp_micro`)\n")
    out.append("| benchmark | median time per call |")
    out.append("| --- | ---: |")
    for b in micro.get("benchmarks", []):
        if b.get("aggregate_name") == "median":
            out.append(f"| {b['run_name']} | {b['real_time']:.0f} {b['time_unit']} |")
    out.append("")
# Hand-written sections kept next to this script: the analysis (NOTES.md)
# first, then any other bench/*.md (e.g. browser-sync.md from the e2e tests).
extra = ["NOTES.md"] + sorted(f for f in os.listdir(here)
                              if f.endswith(".md") and f not in ("NOTES.md", "RESULTS.md", "README.md"))
for name in extra:
    p = os.path.join(here, name)
    if os.path.exists(p):
        out.append(open(p).read().rstrip() + "\n")
print("\n".join(out))
