#!/usr/bin/env python3
"""Times `cordon contain` of 1 and 50 instances against moto + the range, and the same runbook done
by hand as sequential AWS CLI commands (manual_runbook.sh); prints wall time, AWS calls (from the
range's /__range/stats) and the ratios, from one run. See README.md."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import scenario  # noqa: E402


def timed(cmd, env) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return time.monotonic() - t0, p


def calls(rng) -> int:
    return rng.stats()["requests"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1,50"), help="instance counts (default 1,50)")
    ap.add_argument("--skip-manual", action="store_true", help="time cordon only")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",") if x]
    env = scenario.cordon_env()
    cordon = scenario.cordon_bin()
    rng = scenario.Range().start()
    results = []
    try:
        for n in sizes:
            row = {"instances": n}
            for how in ("cordon", "manual"):
                if how == "manual" and a.skip_manual:
                    continue
                rng.reset()
                print(f"[{how} x{n}] building {n} suspect(s)...", file=sys.stderr, flush=True)
                ids = scenario.build(rng.moto, suspects=n)  # straight to moto: not counted
                targets = [s["instance_id"] for s in ids["suspects"]]
                cases = tempfile.mkdtemp(prefix="bench-cases-")
                rng.control("POST", "stats/reset")
                if how == "cordon":
                    cmd = [cordon, "contain", *targets, "--case", f"BENCH-{n}", "--yes", "--cases-dir", cases,
                           "--responder", "bench", "--endpoint-url", rng.endpoint, "--region", scenario.REGION]
                else:
                    cmd = ["bash", str(HERE / "manual_runbook.sh"), "--endpoint-url", rng.endpoint,
                           "--case", f"BENCH-{n}", "--responder", "bench", *targets]
                    env = dict(env, RUNBOOK_OUT=cases)
                print(f"[{how} x{n}] running...", file=sys.stderr, flush=True)
                secs, p = timed(cmd, env)
                shutil.rmtree(cases, ignore_errors=True)
                row[how] = {"seconds": round(secs, 2), "calls": calls(rng), "exit": p.returncode}
                if p.returncode != 0:
                    print(f"[{how} x{n}] exit {p.returncode}: {p.stderr[-1500:]}", file=sys.stderr)
            results.append(row)
    finally:
        rng.stop()

    print(f"\n{'instances':>9}  {'cordon s':>9} {'calls':>6} {'exit':>4}  {'manual s':>9} {'calls':>6} {'exit':>4}  "
          f"{'time ratio':>10} {'call ratio':>10}")
    for r in results:
        c, m = r.get("cordon", {}), r.get("manual", {})
        ok = c and m and c["exit"] == 0 and m["exit"] == 0  # no ratio from a failed run
        tr = f"{m['seconds'] / c['seconds']:.1f}x" if ok and c["seconds"] else "-"
        cr = f"{m['calls'] / c['calls']:.2f}x" if ok and c["calls"] else "-"
        print(f"{r['instances']:>9}  {c.get('seconds', '-'):>9} {c.get('calls', '-'):>6} {c.get('exit', '-'):>4}  "
              f"{m.get('seconds', '-'):>9} {m.get('calls', '-'):>6} {m.get('exit', '-'):>4}  {tr:>10} {cr:>10}")
    print("(ratios: manual / cordon; > 1 means cordon is faster or makes fewer calls)")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2))
    return 0 if all(r.get(h, {}).get("exit", 0) == 0 for r in results for h in ("cordon", "manual")) else 1


if __name__ == "__main__":
    sys.exit(main())
