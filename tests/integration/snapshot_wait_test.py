"""The snapshot step waits until its set is `completed` (issue 13: "Snapshots are evidence only when
completed"); an `error` snapshot is reported, kept and retried once; a timeout names what is pending,
and a rerun waits on the recorded set. Judged with boto3 and `cordon case show`.

Run from the repository root:  python3 -m unittest tests/integration/snapshot_wait_test.py -v

AWS behaviour the range stands for (moto completes a snapshot at once): EBS creates snapshots
asynchronously; "snapshots occur asynchronously ... the snapshot status is pending until the snapshot
is complete" ("Create Amazon EBS snapshots", EBS user guide,
https://docs.aws.amazon.com/ebs/latest/userguide/ebs-creating-snapshot.html), and a snapshot's State is
`pending | completed | error | recoverable | recovering`, with StateMessage saying why it failed
(EC2 API reference, Snapshot, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html;
DescribeSnapshots, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html).
The range's `pending` fault rule holds each snapshot cordon creates `pending` for `describes`
DescribeSnapshots answers, and makes the first snapshot of each volume in `error_volumes` end in
`error` (range/README.md).

CORDON_TEST_SNAPSHOT_POLL_MS (read only by src/response/snapshot_wait.cc) makes cordon poll every few
milliseconds instead of from 5 s, so these tests stay fast.
"""

from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import boto3_client  # noqa: E402
from scenario import ResponseCase, case_snapshots  # noqa: E402

EXIT_FAILED, EXIT_PARTIAL = 1, 6
FAST_POLLS = {"CORDON_TEST_SNAPSHOT_POLL_MS": "20"}


class SnapshotWaitTests(ResponseCase):

    def setUp(self):
        self.fresh()
        self.volumes, self.data_volume = self.suspect_volumes()

    def snapshot_result(self, case: str) -> dict:
        done = [r for r in self.journal(case) if r["step"] == "snapshot" and r["kind"] == "step.done"]
        self.assertTrue(done, "no step.done of the snapshot step")
        return done[-1]["payload"]["result"]

    def shown_states(self, case: str) -> dict:
        proc = self.cordon("case", "show", case, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "case show --output json")
        return {e["location"]: e.get("snapshot") for e in json.loads(proc.stdout)["evidence"]
                if e["kind"] == "snapshot"}

    def describes(self) -> int:
        ops = self.range.stats()["operations"].get("ec2", {})
        return ops.get("DescribeSnapshots", {}).get("requests", 0)

    def test_contain_waits_while_the_set_is_pending(self):
        self.range.set_faults({"rules": [{"kind": "pending", "describes": 3}]})
        proc = self.contain("IR-WAIT-1", env=FAST_POLLS)
        self.assertExit(proc, 0, "contain with snapshots pending for 3 polls")
        snaps = case_snapshots(self.moto, "IR-WAIT-1")
        self.assertEqual(sorted(s["VolumeId"] for s in snaps), self.volumes, "one set, no duplicates")
        self.assertGreaterEqual(self.describes(), 4, "cordon must poll until the range lets them complete")
        result = self.snapshot_result("IR-WAIT-1")
        self.assertEqual(result["pending"], [])
        for s in result["snapshots"]:
            self.assertEqual(s["state"], "completed", s)
            self.assertTrue(s.get("completed_at"), f"the range's CompletionTime is recorded: {s}")
        shown = self.shown_states("IR-WAIT-1")
        self.assertEqual({k: v["state"] for k, v in shown.items()}, {s["SnapshotId"]: "completed" for s in snaps})
        text = self.case_show("IR-WAIT-1").stdout
        for s in result["snapshots"]:
            self.assertIn("completed at " + s["completed_at"], text)
        self.assertCaseConsistent("IR-WAIT-1")

    def test_an_error_snapshot_is_kept_and_retried_once_for_its_volume(self):
        self.range.set_faults({"rules": [{"kind": "pending", "describes": 1, "error_volumes": [self.data_volume],
                                          "error_message": "range: the volume could not be read"}]})
        proc = self.contain("IR-WAIT-2", env=FAST_POLLS)
        self.assertExit(proc, 0, "contain with one snapshot in error, retried")
        ec2 = boto3_client("ec2", self.endpoint)
        snaps = ec2.describe_snapshots(OwnerIds=["self"], Filters=[
            {"Name": "tag:cordon:case", "Values": ["IR-WAIT-2"]}])["Snapshots"]
        by_state = {}
        for s in snaps:
            by_state.setdefault(s["State"], []).append(s)
        self.assertEqual(len(by_state.get("error", [])), 1, snaps)
        failed = by_state["error"][0]
        self.assertEqual(failed["VolumeId"], self.data_volume)
        self.assertEqual(failed["StateMessage"], "range: the volume could not be read")
        retries = [s for s in snaps if {"Key": "cordon:set", "Value": "contain-retry"} in s.get("Tags", [])]
        self.assertEqual(len(retries), 1, "one retry, of the failed volume only")
        retry = retries[0]
        self.assertEqual(retry["VolumeId"], self.data_volume)
        self.assertEqual(retry["State"], "completed")
        self.assertIn({"Key": "cordon:retry-of", "Value": failed["SnapshotId"]}, retry["Tags"])
        self.assertEqual(len(snaps), len(self.volumes) + 1, "the original set (one failed, kept) and one retry")

        result = self.snapshot_result("IR-WAIT-2")
        self.assertEqual([r["snapshot_id"] for r in result["retries"]], [retry["SnapshotId"]])
        noted = [r for r in self.journal("IR-WAIT-2") if r["kind"] == "note" and r["step"] == "snapshot"
                 and failed["SnapshotId"] in r["payload"].get("text", "")]
        self.assertTrue(noted, "the failure is journaled")
        shown = self.shown_states("IR-WAIT-2")
        self.assertEqual(shown[failed["SnapshotId"]]["state"], "error")
        self.assertEqual(shown[failed["SnapshotId"]]["message"], "range: the volume could not be read")
        self.assertEqual(shown[retry["SnapshotId"]]["retry_of"], failed["SnapshotId"])
        self.assertIn("error: range: the volume could not be read", self.case_show("IR-WAIT-2").stdout)

        # A rerun takes nothing more: not a second retry, not a new set.
        again = self.contain("IR-WAIT-2", env=FAST_POLLS)
        self.assertExit(again, 0, "rerun")
        self.assertEqual(len(case_snapshots(self.moto, "IR-WAIT-2")), len(self.volumes) + 1)

    def test_a_retry_that_fails_too_fails_the_step_naming_the_volume(self):
        self.range.set_faults({"rules": [{"kind": "pending", "describes": 1, "error_volumes": [self.data_volume],
                                          "error_count": 2}]})
        proc = self.contain("IR-WAIT-4", env=FAST_POLLS)
        self.assertExit(proc, EXIT_FAILED, "contain whose snapshot and its retry both fail")
        self.assertIn(self.data_volume + " failed twice", proc.stdout + proc.stderr)
        snaps = boto3_client("ec2", self.endpoint).describe_snapshots(OwnerIds=["self"], Filters=[
            {"Name": "tag:cordon:case", "Values": ["IR-WAIT-4"]}])["Snapshots"]
        states = sorted((s["VolumeId"] == self.data_volume, s["State"]) for s in snaps)
        self.assertEqual(states, [(False, "completed")] * (len(self.volumes) - 1) + [(True, "error")] * 2,
                         "both failed snapshots are kept, the other volume's is completed")
        # A rerun does not retry again: the step fails the same way, with no new snapshot.
        again = self.contain("IR-WAIT-4", env=FAST_POLLS)
        self.assertExit(again, EXIT_FAILED, "rerun")
        self.assertEqual(len(case_snapshots(self.moto, "IR-WAIT-4")), len(self.volumes) + 1)

    def test_a_timeout_names_the_pending_snapshots_and_a_rerun_records_their_completion(self):
        self.range.set_faults({"rules": [{"kind": "pending", "describes": 1000}]})
        proc = self.contain("IR-WAIT-3", "--snapshot-timeout", "1s", env=FAST_POLLS)
        self.assertExit(proc, EXIT_PARTIAL, "contain whose snapshots stay pending past --snapshot-timeout")
        snaps = case_snapshots(self.moto, "IR-WAIT-3")
        self.assertEqual(len(snaps), len(self.volumes))
        out = proc.stdout + proc.stderr
        for s in snaps:
            self.assertIn(s["SnapshotId"], out, "the pending snapshots are named")
        self.assertIn("pending", out)
        result = self.snapshot_result("IR-WAIT-3")
        self.assertEqual(sorted(result["pending"]), sorted(s["SnapshotId"] for s in snaps))
        shown = self.shown_states("IR-WAIT-3")
        self.assertEqual({v["state"] for v in shown.values()}, {"pending"})
        text = self.case_show("IR-WAIT-3").stdout
        self.assertIn("not yet evidence", text)
        report = os.path.join(self.cases_dir, "report.md")
        self.assertExit(self.cordon("case", "report", "IR-WAIT-3", "--format", "md", "--cases-dir", self.cases_dir,
                                    "--out", report, endpoint=False), 0, "case report")
        with open(report) as f:
            md = f.read()
        for s in snaps:
            self.assertRegex(md, s["SnapshotId"] + r".*pending", "the report says which snapshots are pending")

        # The snapshots complete in AWS; the rerun waits on the recorded set and records it.
        self.range.set_faults({"rules": [{"kind": "pending", "describes": 0}]})
        again = self.contain("IR-WAIT-3", env=FAST_POLLS)
        self.assertExit(again, 0, "rerun after the snapshots completed")
        after = case_snapshots(self.moto, "IR-WAIT-3")
        self.assertEqual([s["SnapshotId"] for s in after], [s["SnapshotId"] for s in snaps], "no new set")
        result = self.snapshot_result("IR-WAIT-3")
        self.assertEqual(result["pending"], [])
        self.assertEqual({s["state"] for s in result["snapshots"]}, {"completed"})
        shown = self.shown_states("IR-WAIT-3")
        self.assertEqual({v["state"] for v in shown.values()}, {"completed"})
        self.assertCaseConsistent("IR-WAIT-3")


if __name__ == "__main__":
    unittest.main()
