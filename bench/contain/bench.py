#!/usr/bin/env python3
"""Times `cordon contain` of 1 and 50 instances against moto + the range, and the same runbook done
by hand as sequential AWS CLI commands (manual_runbook.sh); prints wall time, AWS calls and the
ratios, from one run. See README.md.

AWS calls are counted twice per side, by independent means that must agree: the range's proxy
(`/__range/stats`, every request it forwarded) and the side's own record (cordon: the `aws.call`
records of its case journal, read with sqlite3; the runbook: a shim `aws` first on PATH that logs
each CLI invocation). A run where they disagree is reported, not hidden."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import scenario  # noqa: E402
from ec2_floor import floor  # noqa: E402


def timed(cmd, env) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return time.monotonic() - t0, p


def journal_calls(cases: str, case: str) -> int:
    """aws.call records in the case journal: every AWS call cordon made, retries counted once."""
    db = sqlite3.connect(f"file:{os.path.join(cases, case, 'case.db')}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM journal WHERE kind = 'aws.call'").fetchone()[0]
    finally:
        db.close()


def operations(stats: dict) -> dict:
    """{"service:Operation": requests} of every operation the proxy forwarded, most frequent first."""
    ops = {f"{svc}:{op}": st["requests"] for svc, by_op in stats.get("operations", {}).items()
           for op, st in by_op.items() if st.get("requests")}
    return dict(sorted(ops.items(), key=lambda kv: (-kv[1], kv[0])))


def print_floors(results: list) -> None:
    """Per size and side, the least time EC2's documented token buckets allow for that side's EC2
    calls (ec2_floor.py), and how far the side is from it; and the largest time ratio any client
    making cordon's calls could reach against the runbook's measured time."""
    print("\nEC2 token-bucket floor (the least time EC2's documented buckets allow for the side's EC2 calls):")
    for r in results:
        for how in ("cordon", "manual"):
            side = r.get(how)
            if not side or "operations" not in side:
                continue
            seconds, action = floor(side["operations"])
            side["ec2_floor_s"], side["ec2_floor_action"] = round(seconds, 1), action
            over = f", {side['seconds'] / seconds:.2f}x the floor" if seconds else ""
            print(f"  {how} x{r['instances']}: {seconds:.1f} s (set by {action or 'no bucket'}){over}")
        c, m = r.get("cordon", {}), r.get("manual", {})
        if c.get("ec2_floor_s") and m.get("seconds"):
            print(f"  x{r['instances']}: no client making cordon's EC2 calls can be more than "
                  f"{m['seconds'] / c['ec2_floor_s']:.1f}x faster than this runbook run on real AWS")


def print_breakdown(results: list) -> None:
    """Per operation, the calls of each size and per instance: where cordon's calls go."""
    sizes = [r for r in results if r.get("cordon")]
    names = sorted({op for r in sizes for op in r["cordon"].get("operations", {})},
                   key=lambda op: -max(r["cordon"]["operations"].get(op, 0) / r["instances"] for r in sizes))
    print("\ncordon's AWS calls per operation (total / per instance):")
    print(f"{'operation':<52}" + "".join(f"{'x' + str(r['instances']):>16}" for r in sizes))
    for op in names:
        cells = "".join(f"{r['cordon']['operations'].get(op, 0):>8} {r['cordon']['operations'].get(op, 0) / r['instances']:>7.1f}"
                        for r in sizes)
        print(f"{op:<52}{cells}")


def aws_shim(folder: str, log: str) -> str:
    """A folder holding an `aws` that logs "call EPOCH" to `log`, then runs the real AWS CLI."""
    real = shutil.which("aws")
    if real is None:
        raise SystemExit("bench: the AWS CLI (aws) is not installed")
    shim = Path(folder, "aws")
    shim.write_text(f'#!/bin/sh\necho "call $(date +%s.%N)" >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return folder


def runbook_blocks(log: str) -> list[dict]:
    """The shim log split per instance: [{"instance", "start", "calls"}], from the runbook's markers."""
    blocks = []
    for line in Path(log).read_text().splitlines():
        parts = line.split()
        if parts[0] == "==":
            blocks.append({"instance": parts[1], "start": float(parts[2]), "calls": 0})
        elif blocks:
            blocks[-1]["calls"] += 1
    return blocks


def run_cordon(rng, n: int, targets: list, env: dict, cordon: str) -> dict:
    cases = tempfile.mkdtemp(prefix="bench-cases-")
    case = f"BENCH-{n}"
    cmd = [cordon, "contain", *targets, "--case", case, "--yes", "--cases-dir", cases,
           "--responder", "bench", "--endpoint-url", rng.endpoint, "--region", scenario.REGION]
    secs, p = timed(cmd, env)
    stats = rng.stats()
    row = {"seconds": round(secs, 2), "calls": stats["requests"], "exit": p.returncode,
           "calls_per_instance": round(stats["requests"] / n, 1), "operations": operations(stats)}
    try:
        row["journal_calls"] = journal_calls(cases, case)
    except (sqlite3.Error, TypeError) as e:
        row["journal_calls"] = f"unreadable: {e}"
    if p.returncode != 0:
        print(f"[cordon x{n}] exit {p.returncode}: {p.stderr[-1500:]}", file=sys.stderr)
    shutil.rmtree(cases, ignore_errors=True)
    return row


def run_manual(rng, n: int, targets: list, env: dict, sample: int) -> dict:
    """The runbook on all `targets`, or on the first `sample` of them, extrapolated (and said so):
    the first instance also creates the VPC's two groups, so it is counted once and the others'
    mean per instance is multiplied by n - 1."""
    work = tempfile.mkdtemp(prefix="bench-runbook-")
    log = os.path.join(work, "calls.log")
    Path(log).write_text("")
    run = targets[:sample] if 0 < sample < len(targets) else targets
    env = dict(env, RUNBOOK_OUT=os.path.join(work, "out"), RUNBOOK_CALL_LOG=log,
               PATH=aws_shim(work, log) + os.pathsep + env.get("PATH", os.environ["PATH"]))
    cmd = ["bash", str(HERE / "manual_runbook.sh"), "--endpoint-url", rng.endpoint,
           "--case", f"BENCH-{n}", "--responder", "bench", *run]
    secs, p = timed(cmd, env)
    end = time.time()
    blocks = runbook_blocks(log)
    stats = rng.stats()
    row = {"seconds": round(secs, 2), "calls": stats["requests"], "exit": p.returncode,
           "cli_invocations": sum(b["calls"] for b in blocks), "instances_run": len(run),
           "operations": operations(stats)}
    if p.returncode != 0:
        print(f"[manual x{n}] exit {p.returncode}: {p.stderr[-1500:]}", file=sys.stderr)
    if len(run) < n and len(blocks) == len(run) >= 2:
        first = blocks[1]["start"] - blocks[0]["start"]
        rest = (end - blocks[1]["start"]) / (len(run) - 1)
        calls_rest = sum(b["calls"] for b in blocks[1:]) / (len(run) - 1)
        row["extrapolated_from"] = len(run)
        row["measured_seconds"], row["measured_calls"] = row["seconds"], row["calls"]
        row["seconds"] = round(first + rest * (n - 1), 2)
        row["calls"] = round(blocks[0]["calls"] + calls_rest * (n - 1))
        row["cli_invocations"] = row["calls"]
        # Per operation, scaled by n / sample: only for the EC2 floor, where the first instance's two
        # extra group calls do not matter.
        row["operations"] = {op: round(c * n / len(run)) for op, c in row["operations"].items()}
    shutil.rmtree(work, ignore_errors=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1,50"), help="instance counts (default 1,50)")
    ap.add_argument("--skip-manual", action="store_true", help="time cordon only")
    ap.add_argument("--manual-sample", type=int, default=0,
                    help="run the runbook on only this many instances of a larger size and extrapolate "
                         "(default 0: all of them)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--breakdown", action="store_true", help="also print cordon's calls per operation")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",") if x]
    env = scenario.cordon_env()
    cordon = scenario.cordon_bin()
    rng = scenario.Range().start()
    results = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        for n in sizes:
            row = {"instances": n, "load_before": os.getloadavg()[0]}
            for how in ("cordon", "manual"):
                if how == "manual" and a.skip_manual:
                    continue
                rng.reset()
                print(f"[{how} x{n}] building {n} suspect(s)...", file=sys.stderr, flush=True)
                ids = scenario.build(rng.moto, suspects=n)  # straight to moto: not counted
                targets = [s["instance_id"] for s in ids["suspects"]]
                rng.control("POST", "stats/reset")
                print(f"[{how} x{n}] running...", file=sys.stderr, flush=True)
                if how == "cordon":
                    row[how] = run_cordon(rng, n, targets, env, cordon)
                else:
                    row[how] = run_manual(rng, n, targets, env, a.manual_sample)
                row[how]["load_after"] = os.getloadavg()[0]
                print(f"[{how} x{n}] {json.dumps(row[how])}", file=sys.stderr, flush=True)
            results.append(row)
    finally:
        rng.stop()

    print(f"\nstarted {started}, {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'instances':>9}  {'cordon s':>9} {'calls':>6} {'/inst':>6} {'exit':>4}  {'manual s':>9} {'calls':>6} "
          f"{'/inst':>6} {'exit':>4}  {'time ratio':>10} {'call ratio':>10}")
    for r in results:
        c, m = r.get("cordon", {}), r.get("manual", {})
        ok = c and m and c["exit"] == 0 and m["exit"] == 0  # no ratio from a failed run
        tr = f"{m['seconds'] / c['seconds']:.1f}x" if ok and c["seconds"] else "-"
        cr = f"{m['calls'] / c['calls']:.2f}x" if ok and c["calls"] else "-"
        ms = f"{m.get('seconds', '-')}{'*' if 'extrapolated_from' in m else ''}"
        cpi = f"{c['calls'] / r['instances']:.1f}" if c else "-"
        mpi = f"{m['calls'] / r['instances']:.1f}" if m else "-"
        print(f"{r['instances']:>9}  {c.get('seconds', '-'):>9} {c.get('calls', '-'):>6} {cpi:>6} {c.get('exit', '-'):>4}  "
              f"{ms:>9} {m.get('calls', '-'):>6} {mpi:>6} {m.get('exit', '-'):>4}  {tr:>10} {cr:>10}")
        if c and c.get("journal_calls") != c.get("calls"):
            print(f"  note: cordon x{r['instances']}: the proxy saw {c.get('calls')} calls, the journal has "
                  f"{c.get('journal_calls')}")
        if m and "extrapolated_from" not in m and m.get("cli_invocations") != m.get("calls"):
            print(f"  note: manual x{r['instances']}: the proxy saw {m.get('calls')} calls, the shim logged "
                  f"{m.get('cli_invocations')} CLI invocations")
        if "extrapolated_from" in m:
            print(f"  * manual x{r['instances']}: run on {m['extrapolated_from']} instances "
                  f"({m['measured_seconds']} s, {m['measured_calls']} calls) and extrapolated per instance")
    print("(ratios: manual / cordon; > 1 means cordon is faster or makes fewer calls; /inst: calls per instance)")
    print_floors(results)
    if a.breakdown:
        print_breakdown(results)
    if a.json:
        Path(a.json).write_text(json.dumps({"started": started, "cpus": os.cpu_count(), "results": results},
                                           indent=2))
    return 0 if all(r.get(h, {}).get("exit", 0) == 0 for r in results for h in ("cordon", "manual")) else 1


if __name__ == "__main__":
    sys.exit(main())
