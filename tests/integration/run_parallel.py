#!/usr/bin/env python3
"""Runs integration test modules in parallel, each in its own `python3 -m unittest -v` process.

    tests/integration/run_parallel.py [--jobs N] [--log-dir DIR] [--timeout S] MODULE...

The modules are independent (each test class starts its own moto/range on a free loopback port), so
N of them run at once. Each module's output goes to DIR/MODULE.log; a failed module's log is printed
whole. The last line sums every module's tests: `N passed, N failed` (plus skipped, if any). Exits 1
when any test failed or any module did not finish (a crash, a timeout, no unittest summary).

Modules start longest first, by the times of the previous run (DIR/times.json), so that a long
module does not start last. A module that runs longer than --timeout seconds is stopped: SIGTERM to
its process group, SIGKILL 20 s later (helpers.py stops the module's ranges and motos on SIGTERM, and
every child it starts dies with it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAN = re.compile(r"^Ran (\d+) tests? in ", re.M)
RESULT = re.compile(r"^(OK|FAILED)(?: \((.*)\))?\s*$", re.M)


def counts(log: str) -> tuple[int, int, int] | None:
    """(passed, failed, skipped) from unittest's closing lines, or None when there are none."""
    ran, result = RAN.findall(log), RESULT.findall(log)
    if not ran or not result:
        return None
    total = int(ran[-1])
    status, detail = result[-1]
    fields = {}
    for part in filter(None, (p.strip() for p in detail.split(","))):
        key, _, value = part.partition("=")
        fields[key] = int(value or 0)
    failed = fields.get("failures", 0) + fields.get("errors", 0) + fields.get("unexpected successes", 0)
    skipped = fields.get("skipped", 0)
    if status == "FAILED" and failed == 0:
        failed = 1  # FAILED with nothing counted: count the module as one failure
    return total - failed - skipped, failed, skipped


class Job:
    def __init__(self, module: str, log_dir: Path):
        self.module = module
        self.log_path = log_dir / f"{module}.log"
        self.start = time.monotonic()
        self.log = open(self.log_path, "w")
        # Its own session: a timeout stops the module and everything it started, and only that.
        self.proc = subprocess.Popen([sys.executable, "-m", "unittest", "-v", module], cwd=HERE,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.term_sent = None

    def seconds(self) -> float:
        return time.monotonic() - self.start

    def stop(self, sig: int):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass


def main(argv) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", "-j", type=int, default=3)
    ap.add_argument("--log-dir", default=str(HERE.parents[1] / "build" / "integration-logs"))
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per module")
    ap.add_argument("modules", nargs="+")
    args = ap.parse_args(argv)

    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    times_path = log_dir / "times.json"
    try:
        previous = json.loads(times_path.read_text())
    except (OSError, ValueError):
        previous = {}
    pending = sorted(args.modules, key=lambda m: -previous.get(m, 0.0))  # stable: unknown ones keep order
    running: list[Job] = []
    totals = [0, 0, 0]
    broken: list[str] = []
    times: dict[str, float] = {}
    t0 = time.monotonic()

    def handle_signal(signum, frame):
        for job in running:
            job.stop(signal.SIGTERM)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, handle_signal)
    signal.signal(signal.SIGINT, handle_signal)

    while pending or running:
        while pending and len(running) < args.jobs:
            running.append(Job(pending.pop(0), log_dir))
        time.sleep(0.2)
        for job in list(running):
            if job.proc.poll() is None:
                if job.term_sent is None and job.seconds() > args.timeout:
                    job.stop(signal.SIGTERM)
                    job.term_sent = time.monotonic()
                elif job.term_sent is not None and time.monotonic() - job.term_sent > 20:
                    job.stop(signal.SIGKILL)
                continue
            running.remove(job)
            job.log.close()
            job.stop(signal.SIGKILL)  # anything of its session still alive
            times[job.module] = round(job.seconds(), 1)
            text = job.log_path.read_text(errors="replace")
            c = counts(text)
            ok = c is not None and c[1] == 0 and job.proc.returncode == 0 and job.term_sent is None
            if c is not None:
                totals = [a + b for a, b in zip(totals, c)]
            if c is None or (not ok and c[1] == 0):
                totals[1] += 1  # it died, timed out or printed no summary: one failure for the module
            summary = f"{c[0]} passed, {c[1]} failed" if c else "no unittest summary"
            why = " (timed out)" if job.term_sent is not None else ""
            print(f"{'ok  ' if ok else 'FAIL'} {job.module}: {summary}, {times[job.module]:.0f} s{why}", flush=True)
            if not ok:
                broken.append(job.module)
                print(f"----- {job.log_path}\n{text}\n----- end of {job.module}", flush=True)

    previous.update(times)
    times_path.write_text(json.dumps(previous, indent=1, sort_keys=True) + "\n")
    print(f"integration: {len(args.modules)} modules in {time.monotonic() - t0:.0f} s with {args.jobs} workers; "
          f"logs in {log_dir}")
    if broken:
        print("failed modules: " + " ".join(broken))
    skipped = f", {totals[2]} skipped" if totals[2] else ""
    print(f"{totals[0]} passed, {totals[1]} failed{skipped}")
    return 1 if broken or totals[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
