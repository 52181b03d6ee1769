"""boto3 doing what api_client_bench does: N sequential calls, then N calls over a
ThreadPoolExecutor(T), through one client in one Python process. Prints one JSON object.

    python3 bench/api/boto3_bench.py --endpoint URL [--calls N] [--threads T] [--op sts.GetCallerIdentity]
"""

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--op", default="sts.GetCallerIdentity")
    args = ap.parse_args()
    service, operation = args.op.split(".", 1)
    client = boto3.session.Session().client(
        service, endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=args.threads + 2))
    method = getattr(client, {v: k for k, v in client.meta.method_to_api_mapping.items()}[operation])
    method()  # warm-up: model load, connection

    latencies, errors = [], 0
    start = time.perf_counter()
    for _ in range(args.calls):
        t0 = time.perf_counter()
        try:
            method()
        except Exception:  # counted, as the C++ side counts failed results
            errors += 1
        latencies.append((time.perf_counter() - t0) * 1000)
    seq_seconds = time.perf_counter() - start

    def one(_):
        try:
            method()
            return 0
        except Exception:
            return 1

    start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        conc_errors = sum(pool.map(one, range(args.calls)))
    conc_seconds = time.perf_counter() - start

    print(json.dumps({
        "client": "boto3", "op": args.op, "calls": args.calls, "threads": args.threads,
        "sequential": {"seconds": round(seq_seconds, 4), "per_call_ms": round(1000 * seq_seconds / args.calls, 3),
                       "p50_ms": round(percentile(latencies, 0.5), 3), "p90_ms": round(percentile(latencies, 0.9), 3),
                       "p99_ms": round(percentile(latencies, 0.99), 3), "errors": errors},
        "concurrent": {"seconds": round(conc_seconds, 4), "calls_per_second": round(args.calls / conc_seconds, 1),
                       "errors": conc_errors},
    }))


if __name__ == "__main__":
    main()
