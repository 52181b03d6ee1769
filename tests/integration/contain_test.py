"""`cordon contain` against moto + the range, judged with boto3 (never with cordon).

Run from the repository root:  python3 -m unittest tests/integration/contain_test.py -v
Needs the cordon binary (CORDON_BIN, else build-scn/ or build/).
"""

from __future__ import annotations

import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client, mutating_calls  # noqa: E402


class ContainTests(ResponseCase):

    def test_contain_holds_every_property_and_leaves_siblings_alone(self):
        self.fresh()
        pre = self.state()
        proc = self.contain("IR-1")
        self.assertExit(proc, 0)
        self.assertContained("IR-1", pre)
        self.assertCaseConsistent("IR-1")
        # the ASG launched a replacement that is not one of the originals
        group = client("autoscaling", self.moto).describe_auto_scaling_groups(
            AutoScalingGroupNames=[self.ids["asg_name"]])["AutoScalingGroups"][0]
        new = {i["InstanceId"] for i in group["Instances"]} - set(self.ids["siblings"])
        self.assertEqual(len(new), 1, group["Instances"])
        self.assertNotIn(self.ids["suspect"], new)
        # the case report names every snapshot boto3 sees for the case, and every step as done
        proc = self.cordon("case", "report", "IR-1", "--cases-dir", self.cases_dir, endpoint=False)
        self.assertExit(proc, 0, "cordon case report")
        report = Path(self.cases_dir, "IR-1", "report.md").read_text()
        self.assertEqual(proc.stdout.strip(), str(Path(self.cases_dir, "IR-1", "report.md")))
        snaps = case_snapshots(self.moto, "IR-1")
        self.assertEqual(len(snaps), 3)
        for snap in snaps:
            self.assertIn(snap["SnapshotId"], report)
        for step in ("tag", "protect", "asg", "deregister-lb", "isolate-network", "credentials", "snapshot"):
            self.assertIn(f"| {step} | done |", report)
        self.assertIn("hash chain intact", report)

    def test_plan_changes_nothing(self):
        self.fresh()
        pre = self.state()
        proc = self.cordon("contain", self.ids["suspect"], "--case", "IR-PLAN", "--plan",
                           "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        out = proc.stdout + proc.stderr
        for step in ("tag", "asg", "isolate-network", "credentials", "snapshot"):
            self.assertIn(step, out, f"plan does not mention {step}")
        self.assertEqual(self.state(), pre)
        self.assertEqual(case_snapshots(self.moto, "IR-PLAN"), [])
        self.assertEqual(mutating_calls(self.range.stats()), {})
        self.assertEqual(self.isolation_groups(self.ids["vpc_id"]), {})

    def test_rerun_on_a_contained_instance_changes_nothing(self):
        self.fresh()
        pre = self.state()
        self.assertExit(self.contain("IR-2"), 0)
        first = self.assertContained("IR-2", pre)
        snaps = case_snapshots(self.moto, "IR-2")
        self.range.control("POST", "stats/reset")
        proc = self.contain("IR-2")
        self.assertExit(proc, 0)
        self.assertRegex(proc.stdout + proc.stderr, re.compile(r"already|nothing to do|no change", re.I))
        self.assertEqual(mutating_calls(self.range.stats()), {}, "the rerun changed something")
        self.assertEqual(self.state(), first)
        self.assertEqual([s["SnapshotId"] for s in case_snapshots(self.moto, "IR-2")],
                         [s["SnapshotId"] for s in snaps])
        self.assertCaseConsistent("IR-2")

    def test_asg_standby_keeps_the_suspect_in_the_group_protected(self):
        self.fresh()
        pre = self.state()
        proc = self.contain("IR-4", "--asg", "standby")
        self.assertExit(proc, 0)
        post = self.assertContained("IR-4", pre, in_asg=False)
        iid = self.ids["suspect"]
        self.assertEqual(post["asg"]["members"].get(iid), {"lifecycle": "Standby", "protected": True}, post["asg"])
        self.assertNotIn(iid, post["clb_instances"])
        self.assertNotIn(iid, post["tg_targets"])
        # (no replacement check: moto does not launch one for an instance entering standby, AWS does)
        for sib in self.ids["siblings"]:
            self.assertIn(sib, post["clb_instances"])
            self.assertIn(sib, post["tg_targets"])
        self.assertCaseConsistent("IR-4")

    def test_two_targets_each_contained(self):
        self.fresh(suspects=2)
        pre = self.state()
        targets = [s["instance_id"] for s in self.ids["suspects"]]
        proc = self.contain("IR-3", targets=targets)
        self.assertExit(proc, 0)
        post = self.state()
        for s in self.ids["suspects"]:
            self.assertContained("IR-3", pre, post=post, suspect=s)
        self.assertEqual(len(case_snapshots(self.moto, "IR-3")), 6)
        self.assertCaseConsistent("IR-3")


if __name__ == "__main__":
    unittest.main()
