"""`cordon image` (issue 15): a case's snapshots as disk images through the EBS direct APIs, judged with
boto3 reading the same blocks through the same endpoint.

Run from the repository root:  python3 -m unittest tests/integration/image_test.py -v

moto serves ListSnapshotBlocks/GetSnapshotBlock only for StartSnapshot snapshots; the range serves them
for the snapshots made through it (range/ebs_direct.py: a few non-zero 512 KiB blocks per volume, the
rest never written), with knobs to corrupt a block's checksum and to throttle a fraction of requests.
The suspect has two 1 GiB volumes (2,048 blocks each); `cordon preserve` snapshots them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import Range, boto3_client, cordon_bin, cordon_env, load_range_module  # noqa: E402
from scenario import AMI, EXIT_PARTIAL, REGION, run_cordon  # noqa: E402

CASE = "IR-IMG"
BLOCK = 512 * 1024


def boto3_image_sha256(endpoint: str, snapshot_id: str) -> str:
    """The image's SHA-256 as an independent client computes it: every listed block through boto3's EBS
    client, each checked against its x-amz-Checksum, the unlisted ones as zeros, in block order."""
    ebs = boto3_client("ebs", endpoint)
    blocks, size, token = {}, None, None
    while True:
        page = ebs.list_snapshot_blocks(SnapshotId=snapshot_id, **({"NextToken": token} if token else {}))
        size, block_size = page["VolumeSize"] << 30, page["BlockSize"]
        blocks.update({b["BlockIndex"]: b["BlockToken"] for b in page["Blocks"]})
        token = page.get("NextToken")
        if not token:
            break
    assert block_size == BLOCK, block_size
    h, zeros = hashlib.sha256(), bytes(BLOCK)
    for i in range(size // BLOCK):
        if i not in blocks:
            h.update(zeros)
            continue
        got = ebs.get_snapshot_block(SnapshotId=snapshot_id, BlockIndex=i, BlockToken=blocks[i])
        data = got["BlockData"].read()
        assert got["Checksum"] == base64.b64encode(hashlib.sha256(data).digest()).decode(), i
        h.update(data)
    return h.hexdigest()


class ImageTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.range = Range().start()
        cls.endpoint, cls.moto = cls.range.endpoint, cls.range.moto

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        super().tearDownClass()

    def setUp(self):
        self.range.set_faults(None)
        self.range.reset()
        ec2 = boto3_client("ec2", self.moto)
        self.iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                     BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 1}}],
                                     Placement={"AvailabilityZone": REGION + "a"})["Instances"][0]["InstanceId"]
        vol = ec2.create_volume(AvailabilityZone=REGION + "a", Size=1)["VolumeId"]
        ec2.attach_volume(VolumeId=vol, InstanceId=self.iid, Device="/dev/sdf")
        self.cases_dir = tempfile.mkdtemp(prefix="cordon-cases-")
        self.out = tempfile.mkdtemp(prefix="cordon-images-")
        self.addCleanup(shutil.rmtree, self.cases_dir, True)
        self.addCleanup(shutil.rmtree, self.out, True)
        proc = self.cordon("preserve", self.iid, "--case", CASE)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        snaps = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:cordon:case", "Values": [CASE]}])
        self.snapshots = sorted(s["SnapshotId"] for s in snaps["Snapshots"])
        self.assertEqual(len(self.snapshots), 2)

    def cordon(self, *args, env=None):
        return run_cordon([*args, "--cases-dir", self.cases_dir], self.endpoint, env=env)

    def image(self, *extra, to=None):
        return self.cordon("image", "--case", CASE, "--to", to or self.out, "--output", "json", *extra)

    def images(self, proc) -> dict:
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return {i["snapshot_id"]: i for i in json.loads(proc.stdout)["images"]}

    def evidence_rows(self) -> list:
        db = sqlite3.connect(Path(self.cases_dir, CASE, "case.db"))
        try:
            cols = [r[1] for r in db.execute("PRAGMA table_info(evidence)")]
            return [dict(zip(cols, r)) for r in db.execute("SELECT * FROM evidence")]
        finally:
            db.close()

    def journal_payloads(self, kind: str) -> list:
        db = sqlite3.connect(Path(self.cases_dir, CASE, "case.db"))
        try:
            return [json.loads(r[0]) for r in db.execute("SELECT payload FROM journal WHERE kind = ?", (kind,))]
        finally:
            db.close()

    def test_image_sha256_equals_boto3s_and_is_in_the_chain_of_custody(self):
        images = self.images(self.image())
        self.assertEqual(sorted(images), self.snapshots)
        for snap in self.snapshots:
            expected = boto3_image_sha256(self.endpoint, snap)
            self.assertEqual(images[snap]["sha256"], expected, snap)
            path = Path(self.out, snap + ".img")
            self.assertEqual(path.stat().st_size, 1 << 30)
            with open(path, "rb") as f:
                self.assertEqual(hashlib.file_digest(f, "sha256").hexdigest(), expected)
            # Sparse: only the blocks with data take space (48 x 512 KiB here, far below 1 GiB).
            self.assertLess(path.stat().st_blocks * 512, 64 * BLOCK, "absent blocks must stay holes")
        rows = [r for r in self.evidence_rows() if r["kind"] == "file"]
        self.assertEqual(sorted(json.loads(r["details"])["snapshot_id"] for r in rows), self.snapshots)
        added = [p for p in self.journal_payloads("evidence.added") if p.get("step") == "image"]
        self.assertEqual(sorted(p["sha256"] for p in added), sorted(i["sha256"] for i in images.values()))
        verify = self.cordon("case", "verify", CASE)
        # The case has no evidence bucket: the chain holds, with no anchor to compare it with (exit 6).
        self.assertEqual(verify.returncode, EXIT_PARTIAL, verify.stdout + verify.stderr)
        self.assertIn("journal intact", verify.stdout)

    def test_image_to_s3_is_a_checksummed_multipart_upload(self):
        s3 = boto3_client("s3", self.endpoint)
        s3.create_bucket(Bucket="evidence")
        images = self.images(self.image("--snapshot", self.snapshots[0], to="s3://evidence/IR-IMG/disks"))
        snap = self.snapshots[0]
        key = f"IR-IMG/disks/{snap}.img"
        head = s3.head_object(Bucket="evidence", Key=key, ChecksumMode="ENABLED")
        self.assertEqual(head["ContentLength"], 1 << 30)
        self.assertEqual(head["Metadata"]["cordon-sha256"], images[snap]["sha256"])
        self.assertIn("ChecksumSHA256", head, "the parts must carry SHA-256 checksums")
        self.assertEqual(images[snap]["s3"]["parts"], (1 << 30) // (8 << 20))
        body = s3.get_object(Bucket="evidence", Key=key)["Body"]
        h = hashlib.sha256()
        for chunk in iter(lambda: body.read(8 << 20), b""):
            h.update(chunk)
        self.assertEqual(h.hexdigest(), boto3_image_sha256(self.endpoint, snap))
        rows = [r for r in self.evidence_rows() if r["kind"] == "file"]
        self.assertEqual([r["location"] for r in rows], [f"s3://evidence/{key}"])
        # A rerun of the finished image reads no block and uploads no part again, and records nothing new.
        reads = self.range.control("GET", "ebs")["reads"]
        again = self.images(self.image("--snapshot", snap, to="s3://evidence/IR-IMG/disks"))
        self.assertEqual(again[snap]["sha256"], images[snap]["sha256"])
        self.assertEqual(again[snap]["blocks_read"], 0)
        self.assertEqual(again[snap]["s3"]["parts_resumed"], again[snap]["s3"]["parts"])
        self.assertEqual(self.range.control("GET", "ebs")["reads"], reads)
        self.assertEqual(len([r for r in self.evidence_rows() if r["kind"] == "file"]), 1)

    def test_a_block_with_a_wrong_checksum_stops_the_image_naming_it(self):
        snap = self.snapshots[0]
        ebs = boto3_client("ebs", self.endpoint)
        bad = ebs.list_snapshot_blocks(SnapshotId=snap)["Blocks"][5]["BlockIndex"]
        self.range.control("POST", "ebs", {"corrupt": [{"snapshot": snap, "block": bad}]})
        proc = self.image("--snapshot", snap)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(f"{snap} block {bad}", proc.stderr)
        self.assertIn("checksum mismatch", proc.stderr)
        self.assertFalse([r for r in self.evidence_rows() if r["kind"] == "file"], "no image may be recorded")

    def test_sigkill_mid_image_then_rerun_reads_no_done_block_again(self):
        snap = self.snapshots[0]
        self.range.set_faults({"rules": [{"kind": "latency", "service": "ebs", "action": "GetSnapshotBlock",
                                          "ms": 150}]})
        progress = Path(self.out, snap + ".img.progress")
        args = [cordon_bin(), "image", "--case", CASE, "--snapshot", snap, "--to", self.out, "--threads", "2",
                "--cases-dir", self.cases_dir, "--endpoint-url", self.endpoint, "--region", REGION]
        child = subprocess.Popen(args, env=cordon_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, preexec_fn=load_range_module("moto").child_preexec())
        try:
            deadline = time.time() + 60
            while time.time() < deadline and (not progress.exists() or len(progress.read_text().splitlines()) < 11):
                time.sleep(0.05)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
        done = {int(line.split()[0]) for line in progress.read_text().splitlines()[1:] if line.endswith("=")}
        self.assertGreaterEqual(len(done), 10, "the first run was killed before it recorded 10 blocks")
        first = self.range.control("GET", "ebs")["reads"][snap]
        self.range.set_faults(None)
        images = self.images(self.image("--snapshot", snap))
        reads = self.range.control("GET", "ebs")["reads"][snap]
        again = {int(i): n - first.get(i, 0) for i, n in reads.items() if n - first.get(i, 0) > 0}
        self.assertFalse(set(again) & done, "the rerun read blocks the first run had finished")
        self.assertEqual(images[snap]["blocks_resumed"], len(done))
        self.assertEqual(images[snap]["blocks_read"], len(again))
        self.assertEqual(len(again) + len(done), images[snap]["blocks_with_data"])
        self.assertEqual(images[snap]["sha256"], boto3_image_sha256(self.endpoint, snap))

    def test_five_percent_throttling_still_finishes(self):
        self.range.control("POST", "ebs", {"throttle": 0.05, "seed": 15})
        images = self.images(self.image())
        state = self.range.control("GET", "ebs")
        self.assertGreater(state["throttled"], 0, "the range throttled nothing: the test proves nothing")
        self.range.control("POST", "ebs", {})
        for snap in self.snapshots:
            self.assertEqual(images[snap]["sha256"], boto3_image_sha256(self.endpoint, snap))


if __name__ == "__main__":
    unittest.main()
