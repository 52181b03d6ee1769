"""A snapshot request whose answer is lost is looked for before it is sent again, and a snapshot made
twice anyway is recorded, never orphaned (issue 13). Judged with boto3 and `cordon case show`.

Run from the repository root:  python3 -m unittest tests/integration/snapshot_resend_test.py -v

CreateSnapshot and CreateSnapshots take no client token ("Ensuring idempotency in Amazon EC2 API
requests", EC2 developer guide: operations "might also time out or encounter other server issues
before they complete, even though the request has already returned a result ... if the original
request and the subsequent retries are successful, the operation is completed multiple times"). So
cordon's client, before it resends one after a 5xx or a lost connection, looks for the snapshots
tagged with the request's cordon:request tag (aws::CallOptions::find_effect). On AWS that look can miss
a snapshot just made ("Eventual consistency in the Amazon EC2 API"), and the resend makes a second one:
both must be recorded as evidence.

The range pieces: `pending` with `error_volumes` makes the data volume's first snapshot end in `error`,
so the step retries it once as set `contain-retry` (CreateSnapshot); an `after: true` fault loses the
answer to that CreateSnapshot once it took effect; `POST /__range/snapshot-lag` leaves a new snapshot
out of the first tag lookup (range/snapshot_lag.py). The crash tests kill contain at the snapshot step
(CORDON_TEST_CRASH_BEFORE_OUTCOME) and make, as a crashed run whose request was made twice would have,
two snapshots of one volume with the step's tags: in the set, or in the retry of a failed snapshot.
"""

from __future__ import annotations

import json
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import boto3_client  # noqa: E402
from scenario import CONTAIN_STEPS, ResponseCase, case_snapshots  # noqa: E402

FAST_POLLS = {"CORDON_TEST_SNAPSHOT_POLL_MS": "20"}
KILLED = (137, -9)


class SnapshotResendTests(ResponseCase):

    def setUp(self):
        self.fresh()
        self.volumes, self.data_volume = self.suspect_volumes()

    def recorded(self, case: str) -> dict:
        """The case's snapshot evidence, by snapshot id: its source ("ec2:CreateSnapshot ...")."""
        proc = self.cordon("case", "show", case, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "cordon case show --output json")
        return {e["location"]: e["source"] for e in json.loads(proc.stdout)["evidence"] if e["kind"] == "snapshot"}

    @staticmethod
    def duplicate(source: str) -> bool:
        """Whether the evidence is recorded as the second snapshot of a request made twice."""
        return "made the request twice" in source

    def snapshot_calls(self, case: str, operation: str) -> list:
        return [r["payload"] for r in self.journal(case) if r["kind"] == "aws.call" and r["step"] == "snapshot"
                and r["payload"].get("operation") == operation]

    def lose_the_retrys_answer(self, lag: int):
        self.range.set_faults({"rules": [
            {"kind": "pending", "describes": 1, "error_volumes": [self.data_volume]},
            {"kind": "http500", "service": "ec2", "action": "CreateSnapshot", "requests": [1], "after": True}]})
        self.range.control("POST", "snapshot-lag", {"tag_lookups": lag})

    def retry_snapshots(self, case: str) -> list:
        return [s for s in case_snapshots(self.moto, case)
                if {"Key": "cordon:set", "Value": "contain-retry"} in s.get("Tags", [])]

    def test_a_retry_whose_answer_is_lost_is_found_not_sent_again(self):
        self.lose_the_retrys_answer(lag=0)
        proc = self.contain("IR-RS-1", env=FAST_POLLS)
        self.assertExit(proc, 0, "contain with the retry's answer lost")
        fired = {r["action"]: r["fired"] for r in self.range.control("GET", "faults")["rules"] if r.get("action")}
        self.assertEqual(fired.get("CreateSnapshot"), 1, "the retry's answer was not lost: the test tests nothing")
        self.assertEqual(self.range.stats()["operations"]["ec2"]["CreateSnapshot"]["requests"], 1,
                         "the lost retry was sent again instead of found")
        retries = self.retry_snapshots("IR-RS-1")
        self.assertEqual([s["VolumeId"] for s in retries], [self.data_volume])
        taken = {s["SnapshotId"] for s in case_snapshots(self.moto, "IR-RS-1")}
        self.assertEqual(set(self.recorded("IR-RS-1")), taken, "a snapshot of the case is not recorded")
        # The client's retry path ended the call: one attempt, its effect found after the 500.
        calls = self.snapshot_calls("IR-RS-1", "CreateSnapshot")
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual((calls[0]["outcome"], calls[0]["attempts"], calls[0].get("effect_found_after")),
                         ("ok", 1, "InternalError"), calls[0])
        self.assertCaseConsistent("IR-RS-1")

    def test_a_retry_made_twice_when_the_look_missed_it_records_both(self):
        self.lose_the_retrys_answer(lag=1)
        proc = self.contain("IR-RS-2", env=FAST_POLLS)
        self.assertExit(proc, 0, "contain with the retry's answer lost and the look missing it")
        self.assertTrue(self.range.control("GET", "snapshot-lag")["hidden"], "the look missed nothing")
        self.assertEqual(self.range.stats()["operations"]["ec2"]["CreateSnapshot"]["requests"], 2,
                         "the look missed the lost retry, so it was sent again")
        retries = self.retry_snapshots("IR-RS-2")
        self.assertEqual([s["VolumeId"] for s in retries], [self.data_volume] * 2, "made twice")
        taken = {s["SnapshotId"] for s in case_snapshots(self.moto, "IR-RS-2")}
        recorded = self.recorded("IR-RS-2")
        self.assertEqual(set(recorded), taken, "a snapshot of the case is not recorded: orphaned evidence")
        self.assertEqual(sorted(self.duplicate(recorded[s["SnapshotId"]]) for s in retries), [False, True])
        # One call, resent by the client's retry path (one audit record with both attempts), not two
        # calls of one attempt each.
        calls = self.snapshot_calls("IR-RS-2", "CreateSnapshot")
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual((calls[0]["outcome"], calls[0]["attempts"], calls[0].get("retried")),
                         ("ok", 2, ["InternalError"]), calls[0])
        self.assertCaseConsistent("IR-RS-2")

    def test_a_crash_rerun_that_finds_a_volume_snapshotted_twice_records_both(self):
        case = "IR-RS-3"
        # The crashed run's CreateSnapshots fails (nothing made through cordon), then it dies at the
        # snapshot step with its intent journaled.
        self.range.set_faults({"rules": [{"kind": "http500", "service": "ec2", "action": "CreateSnapshots"}]})
        n = CONTAIN_STEPS.index("snapshot") + 1
        crashed = self.contain(case, env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": str(n)})
        self.assertExit(crashed, KILLED, "the crash hook did not fire")
        self.range.set_faults(None)
        self.assertEqual(case_snapshots(self.moto, case), [])
        # What its lost request could have made: the set, and the data volume twice (sent again after
        # a look that missed the first), tagged as the step tags them.
        ec2 = boto3_client("ec2", self.moto)
        tags = [{"Key": "cordon:case", "Value": case}, {"Key": "cordon:instance", "Value": self.ids["suspect"]},
                {"Key": "cordon:responder", "Value": self.responder}, {"Key": "cordon:set", "Value": "contain"},
                {"Key": "cordon:request", "Value": str(uuid.uuid4())}]
        made = [ec2.create_snapshot(VolumeId=v, Description="made before the crash",
                                    TagSpecifications=[{"ResourceType": "snapshot", "Tags": tags}])["SnapshotId"]
                for v in self.volumes + [self.data_volume]]
        rerun = self.contain(case)
        self.assertExit(rerun, 0, "rerun after the crash")
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, case)), sorted(made),
                         "the rerun took a set again")
        recorded = self.recorded(case)
        self.assertEqual(sorted(recorded), sorted(made), "a snapshot of the case is not recorded: orphaned evidence")
        twice = [made[self.volumes.index(self.data_volume)], made[-1]]
        for sid in twice:
            self.assertIn(self.data_volume, recorded[sid])
        self.assertEqual(sorted(self.duplicate(recorded[sid]) for sid in twice), [False, True])
        done = [r["payload"]["result"] for r in self.journal(case) if r["kind"] == "step.done"
                and r["step"] == "snapshot"]
        self.assertEqual(len(done), 1)
        self.assertEqual([d["snapshot_id"] for d in done[0].get("duplicates", [])],
                         [sid for sid in twice if self.duplicate(recorded[sid])])
        self.assertCaseConsistent(case)

    def test_a_crash_rerun_that_finds_a_retry_made_twice_records_both(self):
        case = "IR-RS-4"
        # The crashed run's set has the data volume's snapshot in error; its retry (CreateSnapshot)
        # fails, and the run dies at the snapshot step.
        pending = {"kind": "pending", "describes": 1, "error_volumes": [self.data_volume]}
        self.range.set_faults({"rules": [pending, {"kind": "http500", "service": "ec2", "action": "CreateSnapshot"}]})
        n = CONTAIN_STEPS.index("snapshot") + 1
        crashed = self.contain(case, env={**FAST_POLLS, "CORDON_TEST_CRASH_BEFORE_OUTCOME": str(n)})
        self.assertExit(crashed, KILLED, "the crash hook did not fire")
        self.range.set_faults({"rules": [pending]})  # the failed snapshot stays in error
        failed = [s for s in case_snapshots(self.moto, case) if s["VolumeId"] == self.data_volume]
        self.assertEqual(len(failed), 1, failed)
        self.assertEqual(self.retry_snapshots(case), [])
        # What its lost retry request could have made: the retry, twice, tagged as the step tags it.
        ec2 = boto3_client("ec2", self.moto)
        tags = [{"Key": "cordon:case", "Value": case}, {"Key": "cordon:instance", "Value": self.ids["suspect"]},
                {"Key": "cordon:responder", "Value": self.responder},
                {"Key": "cordon:set", "Value": "contain-retry"},
                {"Key": "cordon:retry-of", "Value": failed[0]["SnapshotId"]},
                {"Key": "cordon:request", "Value": str(uuid.uuid4())}]
        made = [ec2.create_snapshot(VolumeId=self.data_volume, Description="retry made before the crash",
                                    TagSpecifications=[{"ResourceType": "snapshot", "Tags": tags}])["SnapshotId"]
                for _ in range(2)]
        rerun = self.contain(case, env=FAST_POLLS)
        self.assertExit(rerun, 0, "rerun after the crash")
        self.assertEqual(sorted(s["SnapshotId"] for s in self.retry_snapshots(case)), sorted(made),
                         "the rerun took a retry again")
        taken = {s["SnapshotId"] for s in case_snapshots(self.moto, case)}
        recorded = self.recorded(case)
        self.assertEqual(set(recorded), taken, "a snapshot of the case is not recorded: orphaned evidence")
        self.assertEqual(sorted(self.duplicate(recorded[sid]) for sid in made), [False, True])
        self.assertCaseConsistent(case)


if __name__ == "__main__":
    unittest.main()
