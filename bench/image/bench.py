#!/usr/bin/env python3
"""Times `cordon image` of one snapshot against the range's EBS direct APIs (range/ebs_direct.py), and the
same download by boto3 with 64 threads (list, GetSnapshotBlock, checksum check, pwrite into a sparse file,
SHA-256 of the image in block order: the work cordon does), and SHA-256 alone over the finished image
(`openssl dgst -sha256`, the floor: cordon hashes every byte of the image once, with OpenSSL's SHA-256,
so OpenSSL alone over the same bytes is the limit; coreutils' sha256sum, which does not use the CPU's SHA
instructions, is not). Prints the seconds and throughputs and the ratios, from one run. See
bench/README.md ("image")."""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import hashlib
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
import helpers  # noqa: E402
import scenario  # noqa: E402

CASE = "IR-BENCH-IMAGE"
BLOCK = 512 * 1024


def boto3_image(endpoint: str, snapshot_id: str, path: Path, threads: int) -> str:
    """The image through boto3, `threads` GetSnapshotBlock calls at once; returns its SHA-256."""
    ebs = helpers.boto3_client("ebs", endpoint, max_pool_connections=threads)
    blocks, token = [], None
    while True:
        page = ebs.list_snapshot_blocks(SnapshotId=snapshot_id, **({"NextToken": token} if token else {}))
        size = page["VolumeSize"] << 30
        blocks += page["Blocks"]
        token = page.get("NextToken")
        if not token:
            break
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.ftruncate(fd, size)

        def one(b):
            got = ebs.get_snapshot_block(SnapshotId=snapshot_id, BlockIndex=b["BlockIndex"], BlockToken=b["BlockToken"])
            data = got["BlockData"].read()
            if got["Checksum"] != base64.b64encode(hashlib.sha256(data).digest()).decode():
                raise RuntimeError(f"block {b['BlockIndex']}: checksum mismatch")
            os.pwrite(fd, data, b["BlockIndex"] * BLOCK)

        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, blocks))
        have, h, zeros = {b["BlockIndex"] for b in blocks}, hashlib.sha256(), bytes(BLOCK)
        for i in range(size // BLOCK):
            h.update(os.pread(fd, BLOCK, i * BLOCK) if i in have else zeros)
        return h.hexdigest()
    finally:
        os.close(fd)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gib", type=int, default=2, help="volume size (default 2 GiB)")
    ap.add_argument("--data-blocks", type=int, default=1024, help="non-zero 512 KiB blocks (default 1024: 512 MiB)")
    ap.add_argument("--threads", type=int, default=16, help="cordon image --threads (default 16)")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cordon-bench-image-"))
    rng = helpers.Range().start()
    try:
        rng.control("POST", "ebs", {"data_blocks": args.data_blocks})
        ec2 = helpers.boto3_client("ec2", rng.moto)
        iid = ec2.run_instances(ImageId=scenario.AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": args.gib}}],
                                )["Instances"][0]["InstanceId"]
        cases = work / "cases"
        pre = scenario.run_cordon(["preserve", iid, "--case", CASE, "--cases-dir", str(cases)], rng.endpoint)
        if pre.returncode != 0:
            sys.exit(f"preserve failed: {pre.stderr}")
        snap = scenario.case_snapshots(rng.moto, CASE)[0]["SnapshotId"]

        t0 = time.monotonic()
        proc = scenario.run_cordon(["image", "--case", CASE, "--cases-dir", str(cases), "--to", str(work / "cordon"),
                                    "--threads", str(args.threads), "--output", "json"], rng.endpoint)
        cordon_s = time.monotonic() - t0
        if proc.returncode != 0:
            sys.exit(f"cordon image failed: {proc.stderr}")
        image = json.loads(proc.stdout)["images"][0]

        t0 = time.monotonic()
        boto3_sha = boto3_image(rng.endpoint, snap, work / "boto3.img", 64)
        boto3_s = time.monotonic() - t0

        t0 = time.monotonic()
        out = subprocess.run(["openssl", "dgst", "-sha256", "-r", str(work / "cordon" / f"{snap}.img")],
                             capture_output=True, text=True, check=True)
        sha_s = time.monotonic() - t0
        if not (image["sha256"] == boto3_sha == out.stdout.split()[0]):
            sys.exit("the three hashes differ: " + json.dumps([image["sha256"], boto3_sha, out.stdout]))
        size, data = image["size"], image["blocks_with_data"] * BLOCK
        results = {
            "image_bytes": size, "data_bytes": data, "cordon_threads": args.threads, "boto3_threads": 64,
            "cordon_s": round(cordon_s, 3), "boto3_s": round(boto3_s, 3), "openssl_sha256_s": round(sha_s, 3),
            "cordon_data_mib_s": round(data / cordon_s / 2**20, 1), "boto3_data_mib_s": round(data / boto3_s / 2**20, 1),
            "cordon_image_mib_s": round(size / cordon_s / 2**20, 1),
            "openssl_sha256_image_mib_s": round(size / sha_s / 2**20, 1),
            "cordon_vs_boto3": round(boto3_s / cordon_s, 2), "cordon_vs_sha256": round(sha_s / cordon_s, 3),
            "load_average": os.getloadavg()[0],
        }
        print(json.dumps(results, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
        return 0
    finally:
        rng.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
