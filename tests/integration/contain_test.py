"""`cordon contain` against moto + the range, judged with boto3 (never with cordon).

Run from the repository root:  python3 -m unittest tests/integration/contain_test.py -v
Needs the cordon binary (CORDON_BIN, else build-scn/ or build/).
"""

from __future__ import annotations

import json
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

    def test_plan_names_what_will_change_as_boto3_sees_it(self):
        """Issue 17: --plan is concrete from live state: every ENI with the groups it moves from and to,
        the Auto Scaling group, load balancers and target groups by name, the role and the deny policy,
        every volume; as text and as JSON (--output json) for a change ticket; and, with
        --revoke-role-sessions, the siblings that share the role by id."""
        self.fresh()
        suspect = self.ids["suspect"]
        ec2 = client("ec2", self.moto)
        enis = ec2.describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-id", "Values": [suspect]}])["NetworkInterfaces"]
        volumes = ec2.describe_volumes(Filters=[
            {"Name": "attachment.instance-id", "Values": [suspect]}])["Volumes"]
        self.assertGreaterEqual(len(enis), 1)
        proc = self.cordon("contain", suspect, "--case", "IR-PLAN2", "--plan", "--output", "json",
                           "--revoke-role-sessions", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        plan = json.loads(proc.stdout)
        self.assertEqual(plan["case"], "IR-PLAN2")
        (only,) = plan["plans"]
        self.assertEqual(only["instance"], suspect)
        steps = {s["step"]: s for s in only["steps"]}
        isolate = "\n".join(steps["isolate-network"]["changes"])
        for eni in enis:
            self.assertIn(eni["NetworkInterfaceId"], isolate)
            for group in eni["Groups"]:
                self.assertIn(group["GroupId"], isolate)
            self.assertIn(f"cordon-isolation-{eni['VpcId']}", isolate)
        self.assertEqual(len(steps["isolate-network"]["changes"]), len(enis))
        asg = "\n".join(steps["asg"]["changes"])
        self.assertIn(self.ids["asg_name"], asg)
        self.assertFalse(steps["asg"]["no_op"])
        lb = "\n".join(steps["deregister-lb"]["changes"])
        self.assertIn(self.ids["clb_name"], lb)
        self.assertIn(self.ids["tg_arn"], lb)
        cred = "\n".join(steps["credentials"]["changes"])
        self.assertIn(self.ids["role_name"], cred)
        self.assertIn(f"inline policy cordon-deny-IR-PLAN2 on role {self.ids['role_name']}: add */{suspect}", cred)
        for sibling in self.ids["siblings"]:
            self.assertIn(sibling, cred)  # --revoke-role-sessions cuts them too: named, not hidden
        self.assertNotIn(suspect, cred.split("ALSO CUTS", 1)[-1])
        snap = "\n".join(steps["snapshot"]["changes"])
        self.assertEqual(len(steps["snapshot"]["changes"]), len(volumes))
        for volume in volumes:
            self.assertIn(volume["VolumeId"], snap)
            self.assertIn(f"{volume['Size']} GiB", snap)
        # The suspect's Elastic IP, by allocation and address; the volumes' step is not a no-op.
        addresses = ec2.describe_addresses(AllocationIds=[self.ids["eip_allocation"]])["Addresses"]
        eip = "\n".join(steps["disassociate-eip"]["changes"])
        self.assertIn(self.ids["eip_allocation"], eip)
        self.assertIn(addresses[0]["PublicIp"], eip)
        self.assertFalse(steps["disassociate-eip"]["no_op"])

        text = self.cordon("contain", suspect, "--case", "IR-PLAN2", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(text, 0)
        for eni in enis:
            self.assertIn(eni["NetworkInterfaceId"], text.stdout)
        self.assertIn(self.ids["asg_name"], text.stdout)
        self.assertNotIn("<CASE>", text.stdout)
        self.assertEqual(mutating_calls(self.range.stats()), {})

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
