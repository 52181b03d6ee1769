"""The shared setup of the command table (issue 10): every command that acts on an instance follows one
rule for a target that is shutting down, and every command maps an error kind to the same exit code.

Run from the repository root:  python3 -m unittest tests/integration/command_context_test.py -v
Scenarios are built and judged with boto3 against moto directly; cordon talks to the range.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import IamEnforcing, ResponseCase, client, run_cordon  # noqa: E402

EXIT_FAILED = 1
EXIT_ACCESS_DENIED = 5


class ShuttingDownTarget(ResponseCase):
    """AWS shows a terminated instance as `shutting-down` before `terminated`
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html); moto skips that
    state, so the range's scenario (`instance_states`) serves it in DescribeInstances."""

    def setUp(self):
        self.fresh()
        self.range.control("POST", "scenario?mode=append",
                           {"instance_states": {self.ids["suspect"]: "shutting-down"}})
        self.addCleanup(self.range.control, "DELETE", "scenario")

    def snapshot_ids(self) -> set:
        return {s["SnapshotId"] for s in client("ec2", self.moto).describe_snapshots(OwnerIds=["self"])["Snapshots"]}

    def test_the_range_serves_the_state(self):
        ec2 = client("ec2", self.endpoint)
        state = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]["State"]
        self.assertEqual(state, {"Code": 32, "Name": "shutting-down"})

    def test_contain_and_preserve_refuse_it_alike_and_change_nothing(self):
        iid = self.ids["suspect"]
        pre, snapshots_before = self.state(), self.snapshot_ids()
        contain = self.contain("IR-SD-1")
        preserve = self.cordon("preserve", iid, "--case", "IR-SD-2", "--cases-dir", self.cases_dir)
        for proc in (contain, preserve):
            self.assertExit(proc, EXIT_FAILED, "a shutting-down target")
            self.assertIn(f"instance {iid} is shutting-down", proc.stderr)
            self.assertIn("nothing was changed", proc.stderr)
        self.assertEqual(self.snapshot_ids(), snapshots_before)
        self.assertEqual(self.state(), pre)
        self.assertFalse(Path(self.cases_dir, "IR-SD-1").exists())
        self.assertFalse(Path(self.cases_dir, "IR-SD-2").exists())

    def test_triage_still_reads_it(self):
        proc = self.cordon("triage", self.ids["suspect"], "--output", "json", "--no-hunt")
        self.assertExit(proc, (0, 6), "triage of a shutting-down instance")
        out = json.loads(proc.stdout)
        self.assertEqual(out["target"]["state"], "shutting-down")
        self.assertTrue(out["target"]["terminated"])


class HuntAccessDenied(IamEnforcing, ResponseCase):
    """`hunt` on an S3 source the credentials may not list exits 5 (README, "Exit codes"), as every
    other command does on AccessDenied. moto enforces IAM here (INITIAL_NO_AUTH_ACTION_COUNT=0).

    The source is the bucket itself, not a prefix: with auth on, moto 5.2.1 refuses the signature of any
    S3 request whose query holds an encoded '/' (Prefix=AWSLogs/), from boto3 as from cordon, with
    SignatureDoesNotMatch; AWS signs and accepts it (SigV4: each query value URI-encoded, '/' as %2F)."""

    bucket = "trail-bucket"
    instance = "i-0dbc91f429e48eeed"

    def setUp(self):
        with self.as_root():
            self.range.reset()
            s3 = client("s3", self.moto)
            s3.create_bucket(Bucket=self.bucket)
            record = {"eventVersion": "1.08", "eventTime": "2026-11-30T10:00:00Z",
                      "eventSource": "ec2.amazonaws.com", "eventName": "StopInstances",
                      "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7", "eventID": "e-1",
                      "userIdentity": {"type": "IAMUser", "userName": "mallory"},
                      "requestParameters": {"instancesSet": {"items": [{"instanceId": self.instance}]}}}
            key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/30/trail.json.gz"
            s3.put_object(Bucket=self.bucket, Key=key, Body=gzip.compress(json.dumps({"Records": [record]}).encode()))

    def user_with(self, name: str, actions: list[str]) -> tuple[str, str]:
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        with self.as_root():
            iam = client("iam", self.moto)
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
            key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def hunt(self, keys):
        return run_cordon(["hunt", "--instance", self.instance, "--cloudtrail", f"s3://{self.bucket}",
                           "--output", "json", "--quiet"], self.endpoint, key=keys[0], secret=keys[1])

    def test_a_user_who_may_not_list_the_bucket_gets_exit_5(self):
        proc = self.hunt(self.user_with("no-s3", ["ec2:DescribeRegions"]))
        self.assertExit(proc, EXIT_ACCESS_DENIED, "hunt without s3:ListBucket")
        self.assertIn("AccessDenied", proc.stderr)

    def test_a_user_who_may_read_it_finds_the_event(self):
        # The control: the same hunt with the permissions it needs succeeds, so exit 5 above is the denial.
        proc = self.hunt(self.user_with("reader", ["s3:ListBucket", "s3:GetObject"]))
        self.assertExit(proc, 0, "hunt with s3:ListBucket and s3:GetObject")
        out = json.loads(proc.stdout)
        self.assertEqual([e["eventID"] for e in out["cloudtrail"]["on"]], ["e-1"])


class TerminalSafeMessages(unittest.TestCase):
    """Diagnostics quote what they were given (here a case id, elsewhere tags and log fields): an
    escape sequence in it reaches stderr made visible, never raw (issue 16, terminals)."""

    def test_an_osc8_link_and_a_screen_clear_are_shown_not_obeyed(self):
        hostile = "IR\x1b]8;;http://evil.example\x07x\x1b]8;;\x07\x1b[2J\x9b"
        proc = run_cordon(["case", "show", hostile])
        self.assertEqual(proc.returncode, 2, proc.stderr)
        raw = proc.stderr.encode("utf-8", "surrogateescape")
        for byte in (b"\x1b", b"\x07", b"\x9b", b"\xc2\x9b"):
            self.assertNotIn(byte, raw)
        self.assertIn("\\x1b]8;;http://evil.example\\x07", proc.stderr)
        self.assertIn("\\x1b[2J", proc.stderr)


if __name__ == "__main__":
    unittest.main()
