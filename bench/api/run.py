"""Benchmarks cordon's AWS client against boto3 on the same moto, in one run, and prints ratios.

1. In-process: bench/api/client_bench.cc (one aws::Client) vs boto3_bench.py (one boto3 client):
   N sequential calls (per-call overhead) and N calls over 8 threads (throughput), per operation.
2. Per process: `cordon api` is one process per call, so also time M sequential `cordon api` runs
   against M sequential in-process boto3 calls and M `python3 -c boto3...` processes.

    bench/api/run.sh [--calls N] [--process-calls M] [--build DIR] [--json OUT]
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPS = ["sts.GetCallerIdentity", "ec2.DescribeInstances"]


def load_moto():
    spec = importlib.util.spec_from_file_location("cordon_range_moto", ROOT / "range" / "moto.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=400)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--process-calls", type=int, default=40)
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    bench_bin = Path(args.build) / "bench" / "api" / "api_client_bench"
    cordon_bin = Path(args.build) / "src" / "cli" / "cordon"
    for b in (bench_bin, cordon_bin):
        if not os.access(b, os.X_OK):
            sys.exit(f"run.sh: {b} not found; build it: cmake --build {args.build} --target cordon api_client_bench")

    moto = load_moto().MotoServer(env={"MOTO_EC2_LOAD_DEFAULT_AMIS": "true"})
    url = moto.start()
    results = {"calls": args.calls, "threads": args.threads, "ops": {}, "nproc": os.cpu_count()}
    try:
        import boto3
        ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        ec2.run_instances(ImageId="ami-12c6146b", MinCount=5, MaxCount=5)  # something to describe
        for op in OPS:
            common = ["--endpoint", url, "--calls", str(args.calls), "--threads", str(args.threads), "--op", op]
            cordon = run_json([str(bench_bin), *common])
            boto = run_json([sys.executable, str(Path(__file__).with_name("boto3_bench.py")), *common])
            results["ops"][op] = {
                "cordon": cordon, "boto3": boto,
                "sequential_speedup": round(boto["sequential"]["seconds"] / cordon["sequential"]["seconds"], 2),
                "concurrent_speedup": round(cordon["concurrent"]["calls_per_second"]
                                            / boto["concurrent"]["calls_per_second"], 2),
            }

        # One process per call: `cordon api` vs a python3+boto3 process doing the same call.
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        m = args.process_calls
        start = time.perf_counter()
        for _ in range(m):
            subprocess.run([str(cordon_bin), "api", "sts", "GetCallerIdentity", "--endpoint-url", url],
                           check=True, capture_output=True, env=env)
        cordon_proc = (time.perf_counter() - start) / m
        snippet = ("import boto3,json;c=boto3.client('sts',endpoint_url='%s',region_name='us-east-1');"
                   "r=c.get_caller_identity();r.pop('ResponseMetadata');print(json.dumps(r))" % url)
        start = time.perf_counter()
        for _ in range(m):
            subprocess.run([sys.executable, "-c", snippet], check=True, capture_output=True, env=env)
        boto_proc = (time.perf_counter() - start) / m
        results["per_process"] = {"calls": m, "cordon_api_ms": round(cordon_proc * 1000, 1),
                                  "python_boto3_process_ms": round(boto_proc * 1000, 1),
                                  "speedup": round(boto_proc / cordon_proc, 2)}
    finally:
        moto.stop()

    print(f"moto on {url}; {args.calls} calls per measurement, {args.threads} threads, {os.cpu_count()} CPUs\n")
    print(f"{'operation':26} {'client':7} {'seq ms/call':>11} {'p50':>7} {'p99':>7} {'conc calls/s':>13}")
    for op, r in results["ops"].items():
        for name in ("cordon", "boto3"):
            s, c = r[name]["sequential"], r[name]["concurrent"]
            print(f"{op:26} {name:7} {s['per_call_ms']:11.2f} {s['p50_ms']:7.2f} {s['p99_ms']:7.2f} "
                  f"{c['calls_per_second']:13.1f}")
        print(f"{'':26} ratio   sequential boto3/cordon = {r['sequential_speedup']}x, "
              f"concurrent cordon/boto3 = {r['concurrent_speedup']}x")
    p = results["per_process"]
    print(f"\none process per call ({p['calls']} runs): cordon api {p['cordon_api_ms']} ms, "
          f"python3+boto3 {p['python_boto3_process_ms']} ms -> {p['speedup']}x")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
