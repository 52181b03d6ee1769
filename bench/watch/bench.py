#!/usr/bin/env python3
"""Times event-driven containment: from EventBridge `PutEvents` of a GuardDuty finding to the suspect's
network isolated, with `cordon watch --queue ... --policy ...` running, against moto + the range; and the
same containment done by the runbook's hand-typed AWS CLI commands (bench/contain/manual_runbook.sh),
from "finding seen" to isolated. Prints the median and p90 of each, and the ratio, from one run.

"Isolated" is judged by boto3 straight against moto, polled: every ENI of the suspect has exactly one
security group, `cordon-isolation-<vpc>` (both sides name it so). See bench/README.md ("watch")."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import event_sources  # noqa: E402
import helpers  # noqa: E402
import scenario  # noqa: E402

POLICY = HERE / "policy.json"
RUNBOOK = ROOT / "bench" / "contain" / "manual_runbook.sh"


# ------------------------------------------------------------------------------------------ judging

def isolated(ec2, suspect: dict, vpc: str) -> bool:
    """Every ENI of `suspect` (as built) on the VPC's isolation group only, as boto3 sees it."""
    enis = ec2.describe_network_interfaces(NetworkInterfaceIds=sorted(suspect["enis"]))["NetworkInterfaces"]
    want = [f"cordon-isolation-{vpc}"]
    return len(enis) == len(suspect["enis"]) and all([g["GroupName"] for g in e["Groups"]] == want for e in enis)


def wait_isolated(ec2, suspect: dict, vpc: str, t0: float, timeout: float, poll: float, alive) -> float | None:
    """Seconds from t0 until isolated() first answers yes (measured when that answer arrives), or None
    when `timeout` passes or `alive()` turns false first."""
    while time.monotonic() - t0 < timeout:
        if isolated(ec2, suspect, vpc):
            return time.monotonic() - t0
        if not alive():
            return time.monotonic() - t0 if isolated(ec2, suspect, vpc) else None
        time.sleep(poll)
    return None


def summary(values: list) -> dict:
    """Median and p90 (nearest rank) of the values that are not None."""
    got = sorted(v for v in values if v is not None)
    if not got:
        return {"n": 0, "median": None, "p90": None}
    return {"n": len(got), "median": round(statistics.median(got), 3),
            "p90": round(got[math.ceil(0.9 * len(got)) - 1], 3)}


# ------------------------------------------------------------------------------------------ cordon watch

class WatcherLog:
    """The watcher's stderr, read on a thread: its JSON log lines, waited on by case."""

    def __init__(self, proc: subprocess.Popen):
        self.records, self.tail = [], []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(proc.stderr,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            line = line.strip()
            try:
                rec = json.loads(line) if line.startswith("{") else None
            except ValueError:
                rec = None
            with self.cond:
                self.tail = (self.tail + [line])[-20:]
                if rec is not None:
                    self.records.append(rec)
                self.cond.notify_all()

    def outcome(self, case: str, timeout: float) -> dict | None:
        def find():
            return next((r for r in self.records if r.get("log") == "outcome" and r.get("case") == case), None)
        with self.cond:
            self.cond.wait_for(find, timeout)
            return find()


def wait_receiving(rng, proc: subprocess.Popen, timeout: float = 60.0):
    """Until the watcher made its first ReceiveMessage through the proxy (it is polling the queue)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: cordon watch exited {proc.returncode} before polling the queue")
        if rng.stats()["operations"].get("sqs", {}).get("ReceiveMessage", {}).get("requests"):
            return
        time.sleep(0.1)
    raise SystemExit("bench: cordon watch did not poll the queue within 60 s")


def run_watch(rng, n: int, env: dict, cordon: str, poll: float, timeout: float) -> dict:
    rng.reset()
    print(f"[watch] building {n} suspects...", file=sys.stderr, flush=True)
    ids = scenario.build(rng.moto, suspects=n)  # straight to moto: not counted
    queues = event_sources.watch_queues(rng.moto, visibility=600)
    rng.control("POST", "stats/reset")
    cases = tempfile.mkdtemp(prefix="bench-watch-cases-")
    cmd = [cordon, "watch", "--queue", queues.url, "--policy", str(POLICY), "--cases-dir", cases,
           "--responder", "bench", "--endpoint-url", rng.endpoint, "--region", scenario.REGION]
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=helpers.load_range_module("moto").child_preexec())
    log = WatcherLog(proc)
    ec2 = scenario.client("ec2", rng.moto)
    events = []
    try:
        wait_receiving(rng, proc)
        for i, suspect in enumerate(ids["suspects"]):
            finding_id = f"{i + 1:032x}"
            finding = event_sources.guardduty_finding(suspect["instance_id"], finding_id)
            t0 = time.monotonic()
            event_sources.put_finding(queues.events, finding)
            iso = wait_isolated(ec2, suspect, ids["vpc_id"], t0, timeout, poll, lambda: proc.poll() is None)
            out = log.outcome(f"AUTO-GD-{finding_id}", timeout)  # the whole plan, before the next event
            row = {"instance": suspect["instance_id"], "isolated_s": None if iso is None else round(iso, 3),
                   "contained_s": round(time.monotonic() - t0, 3),
                   "outcome": out.get("outcome") if out else None}
            events.append(row)
            print(f"[watch] event {i + 1}/{n}: {json.dumps(row)}", file=sys.stderr, flush=True)
            if iso is None or out is None:
                print("[watch] watcher's last lines:\n  " + "\n  ".join(log.tail), file=sys.stderr)
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(cases, ignore_errors=True)
    calls = rng.stats()["requests"]
    ok = len(events) == n and all(e["isolated_s"] is not None and e["outcome"] == "contained" for e in events)
    return {"events": events, "exit": proc.returncode, "ok": ok and proc.returncode == 0,
            "calls_per_event": round(calls / max(1, len(events)), 1),
            "isolated": summary([e["isolated_s"] for e in events]),
            "contained": summary([e["contained_s"] for e in events if e["outcome"] == "contained"])}


# ------------------------------------------------------------------------------------------ the runbook

def run_manual(rng, k: int, env: dict, poll: float, timeout: float) -> dict:
    """manual_runbook.sh on each of k suspects, one after the other, each timed from its start."""
    rng.reset()
    print(f"[manual] building {k} suspects...", file=sys.stderr, flush=True)
    ids = scenario.build(rng.moto, suspects=k)
    ec2 = scenario.client("ec2", rng.moto)
    events = []
    for i, suspect in enumerate(ids["suspects"]):
        work = tempfile.mkdtemp(prefix="bench-watch-runbook-")
        err = open(os.path.join(work, "stderr"), "w+")
        rng.control("POST", "stats/reset")
        cmd = ["bash", str(RUNBOOK), "--endpoint-url", rng.endpoint, "--case", f"BENCH-WATCH-{i + 1}",
               "--responder", "bench", suspect["instance_id"]]
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=dict(env, RUNBOOK_OUT=os.path.join(work, "out")), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=helpers.load_range_module("moto").child_preexec())
        iso = wait_isolated(ec2, suspect, ids["vpc_id"], t0, timeout, poll, lambda: proc.poll() is None)
        try:
            proc.wait(max(1.0, timeout - (time.monotonic() - t0)))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        row = {"instance": suspect["instance_id"], "isolated_s": None if iso is None else round(iso, 3),
               "contained_s": round(time.monotonic() - t0, 3), "exit": proc.returncode,
               "calls": rng.stats()["requests"]}
        events.append(row)
        print(f"[manual] run {i + 1}/{k}: {json.dumps(row)}", file=sys.stderr, flush=True)
        if proc.returncode != 0 or iso is None:
            err.seek(0)
            print(f"[manual] runbook stderr:\n{err.read()[-1500:]}", file=sys.stderr)
        err.close()
        shutil.rmtree(work, ignore_errors=True)
    ok = all(e["exit"] == 0 and e["isolated_s"] is not None for e in events)
    return {"events": events, "ok": ok,
            "calls_per_event": round(statistics.mean(e["calls"] for e in events), 1) if events else None,
            "isolated": summary([e["isolated_s"] for e in events]),
            "contained": summary([e["contained_s"] for e in events if e["exit"] == 0])}


# ------------------------------------------------------------------------------------------ report

def ratio(manual: dict, watch: dict, what: str) -> str:
    m, w = manual.get(what, {}).get("median"), watch.get(what, {}).get("median")
    return f"{m / w:.1f}x" if m and w and manual.get("ok") and watch.get("ok") else "-"


def report(started: str, watch: dict, manual: dict | None, loads: dict):
    print(f"\nstarted {started}, {os.cpu_count()} CPUs, load average {loads['before']:.1f} before, "
          f"{loads['after']:.1f} after")
    print(f"{'side':<28} {'events':>6}  {'isolated median':>15} {'p90':>7}  {'contained median':>16} {'p90':>7}"
          f"  {'calls/event':>11}")
    rows = [("cordon watch (PutEvents ->)", watch)] + ([("runbook by hand (start ->)", manual)] if manual else [])
    for name, side in rows:
        i, c = side["isolated"], side["contained"]
        print(f"{name:<28} {len(side['events']):>6}  {i['median'] or '-':>15} {i['p90'] or '-':>7}  "
              f"{c['median'] or '-':>16} {c['p90'] or '-':>7}  {side['calls_per_event'] or '-':>11}"
              f"{'' if side['ok'] else '  FAILED'}")
    if manual:
        print(f"ratio runbook / watch, medians: isolated {ratio(manual, watch, 'isolated')}, "
              f"contained {ratio(manual, watch, 'contained')}  (> 1: cordon watch is faster)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=10, help="findings put, one per suspect (default 10)")
    ap.add_argument("--manual-events", type=int, default=None,
                    help="runbook runs, one per suspect (default: as many as --events)")
    ap.add_argument("--skip-manual", action="store_true", help="time cordon watch only")
    ap.add_argument("--poll", type=float, default=0.1, help="seconds between isolation checks (default 0.1)")
    ap.add_argument("--timeout", type=float, default=900.0, help="per event (default 900 s)")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    if a.events < 1 or (a.manual_events is not None and a.manual_events < 1):
        ap.error("--events and --manual-events must be at least 1")
    if not RUNBOOK.is_file():
        raise SystemExit(f"bench: {RUNBOOK} is missing")
    if not a.skip_manual and shutil.which("aws") is None:
        raise SystemExit("bench: the AWS CLI (aws) is not installed; install it or give --skip-manual")
    try:
        cordon = scenario.cordon_bin()
    except RuntimeError as e:
        raise SystemExit(f"bench: {e} (cmake --build build --target cordon)")
    env = scenario.cordon_env()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    loads = {"before": os.getloadavg()[0]}
    rng = scenario.Range().start()
    try:
        watch = run_watch(rng, a.events, env, cordon, a.poll, a.timeout)
        manual = None if a.skip_manual else run_manual(rng, a.manual_events or a.events, env, a.poll, a.timeout)
    finally:
        rng.stop()
    loads["after"] = os.getloadavg()[0]
    report(started, watch, manual, loads)
    if a.json:
        Path(a.json).write_text(json.dumps({"started": started, "cpus": os.cpu_count(), "load": loads,
                                            "watch": watch, "manual": manual}, indent=2) + "\n")
    return 0 if watch["ok"] and (manual is None or manual["ok"]) else 1


if __name__ == "__main__":
    sys.exit(main())
