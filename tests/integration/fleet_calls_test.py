"""Issue 13, "A fleet at the speed AWS allows": the AWS calls `cordon contain` makes per instance,
counted by the range's proxy (every request it forwarded), and the time until each instance's network
was isolated, in the summary (text and --output json) and the case journal. Judged with boto3 and the
range, never with cordon.

The bound is the hand-typed runbook's (bench/contain/manual_runbook.sh, bench/README.md): 46 calls for
one instance, the VPC's two isolation groups included. At ten instances cordon stays below it (39.5 per
instance), with its idempotency probes, recorded pre-state and verification; one instance alone pays
for what a fleet shares.

Run from the repository root:  python3 -m unittest tests/integration/fleet_calls_test.py -v
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client  # noqa: E402

RUNBOOK_CALLS_PER_INSTANCE = 46  # issue 13's target: met at ten instances (below) and at fifty
# What cordon takes (2026-12-08: 68 for one instance, 38.3 per instance for ten, two calls fewer a run since
# the fleet read takes the role-quota preflight's instance profile; 2026-12-07: 71 for one instance, 39.5
# per instance for ten, 36.7 for fifty; before
# the shared reads 75, 51.6 and 49.5; before the fleet read 111 and 99.9), kept from growing. One
# instance pays alone for what a fleet shares (the VPC's isolation groups, the fleet-wide reads, the
# role's quota check). What the inventory read per instance (instance type, AMI, Auto Scaling group,
# security groups, SSM, the instance profile and its role's policy lists) is read once for the fleet
# (assertSharedReadsOnce); the snapshot and deny probes are made only once a run of their step began on
# the case (test_rerun_reads_live_state_and_changes_nothing, crash_rerun_test); the role's deny is read
# once per run, each entry merged into what the run put last (role_deny.h).
ONE_INSTANCE_CALLS = 68
TEN_INSTANCES_CALLS_PER_INSTANCE = 39


def recorded_inventory(cases_dir: str, case: str, iid: str) -> dict:
    """The inventory of `iid`'s recorded pre-state, read from case.db with sqlite3 (not through cordon)."""
    db = sqlite3.connect(f"file:{os.path.join(cases_dir, case, 'case.db')}?mode=ro", uri=True)
    try:
        (state,) = db.execute("SELECT state FROM pre_state WHERE target = ?", (iid,)).fetchone()
    finally:
        db.close()
    return json.loads(state)["inventory"]


class FleetCallsTests(ResponseCase):

    def read_before(self):
        """What boto3 says before the run of what the fleet reads once for all targets."""
        iam, asg = client("iam", self.moto), client("autoscaling", self.moto)
        role = self.ids["role_name"]
        group = asg.describe_auto_scaling_groups(
            AutoScalingGroupNames=[self.ids["asg_name"]])["AutoScalingGroups"][0]
        return {
            "role": iam.get_instance_profile(
                InstanceProfileName=self.ids["profile_name"])["InstanceProfile"]["Roles"][0]["RoleName"],
            "inline": sorted(iam.list_role_policies(RoleName=role)["PolicyNames"]),
            "attached": sorted(p["PolicyName"] for p in
                               iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]),
            "sizes": (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]),
        }

    def contained(self, n: int, case: str, *extra):
        self.fresh(suspects=n)
        self.before = self.read_before()
        pre = self.state()
        targets = [s["instance_id"] for s in self.ids["suspects"]]
        proc = self.contain(case, *extra, targets=targets)
        self.assertExit(proc, 0)
        calls = self.range.stats()["requests"]
        print(f"\n{case}: {calls} AWS calls for {n} instance(s), {calls / n:.1f} per instance", file=sys.stderr)
        post = self.state()
        for s in self.ids["suspects"]:
            self.assertContained(case, pre, post=post, suspect=s)
        self.assertEqual(len(case_snapshots(self.moto, case)), 3 * n)
        return proc, calls, targets

    def assertIsolationTimes(self, case: str, summary: list, targets: list):
        by_id = {t["instance_id"]: t for t in summary}
        self.assertEqual(set(by_id), set(targets))
        records = [r for r in self.journal(case) if r["kind"] == "network.isolated"]
        journaled = {r["target"]: r["payload"] for r in records}
        self.assertEqual(set(journaled), set(targets), records)
        for iid in targets:
            seconds = by_id[iid]["network_isolated_after_s"]
            self.assertIsInstance(seconds, (int, float))
            self.assertGreater(seconds, 0)
            self.assertEqual(journaled[iid]["elapsed_s"], seconds)
            self.assertEqual(journaled[iid]["status"], "done")
            # Isolated as boto3 sees it: every ENI in the VPC's isolation group alone.
            enis = client("ec2", self.moto).describe_network_interfaces(
                Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["NetworkInterfaces"]
            iso = self.isolation_groups(self.ids["vpc_id"])[f"cordon-isolation-{self.ids['vpc_id']}"]["GroupId"]
            for eni in enis:
                self.assertEqual([g["GroupId"] for g in eni["Groups"]], [iso], eni["NetworkInterfaceId"])

    def test_ten_instances_calls_per_instance_bounded(self):
        proc, calls, targets = self.contained(10, "IR-FLEET-10", "--output", "json")
        per_instance = calls / len(targets)
        self.assertLessEqual(TEN_INSTANCES_CALLS_PER_INSTANCE, RUNBOOK_CALLS_PER_INSTANCE)
        self.assertLessEqual(per_instance, TEN_INSTANCES_CALLS_PER_INSTANCE,
                             f"{calls} calls for {len(targets)} instances: {self.range.stats()['operations']}")
        self.assertIsolationTimes("IR-FLEET-10", json.loads(proc.stdout), targets)
        self.assertCaseConsistent("IR-FLEET-10")
        self.assertSharedReadsOnce("IR-FLEET-10", targets)

    def assertSharedReadsOnce(self, case: str, targets: list):
        # The ten share one instance type, AMI, Auto Scaling group and instance profile: what the
        # inventory read per instance is read once for the fleet (GetInstanceProfile and
        # ListRolePolicies once in all: the fleet read takes the role-quota preflight's). The case's deny
        # on the shared role is read once (GetRolePolicy, beside the preflight's read of the role's
        # one other inline policy), then merged into what the run put last (role_deny.h): every
        # instance's entry is in it all the same (assertContained).
        ops = self.range.stats()["operations"]
        for service, op, most in (("ec2", "DescribeInstanceTypes", 1), ("ec2", "DescribeImages", 1),
                                  ("ssm", "DescribeInstanceInformation", 1),
                                  ("iam", "ListAttachedRolePolicies", 1), ("iam", "GetInstanceProfile", 1),
                                  ("iam", "ListRolePolicies", 1), ("iam", "GetRolePolicy", 2)):
            made = ops.get(service, {}).get(op, {}).get("requests", 0)
            self.assertLessEqual(made, most, f"{service}:{op}: {ops}")
        # ... and recorded as it was before the run: the role's inline policies without the case's
        # deny that the siblings' credentials steps put on the shared role during the run, the
        # group's sizes before any detach, the instance type read.
        for iid in targets:
            inv = recorded_inventory(self.cases_dir, case, iid)
            role = inv["instance_profile"]["role"]
            self.assertEqual(role["name"], self.before["role"], inv["instance_profile"])
            self.assertEqual(sorted(role["inline_policies"]), self.before["inline"], iid)
            self.assertEqual(sorted(p["name"] for p in role["attached_policies"]), self.before["attached"])
            a = inv["auto_scaling"]
            self.assertEqual((a["min_size"], a["max_size"], a["desired_capacity"]), self.before["sizes"], iid)
            self.assertNotIn("error", inv["instance_store"], iid)
            self.assertNotIn("error", inv["ssm"], iid)

    def made(self, service: str, op: str) -> int:
        """How many requests of `op` the range forwarded since its stats were reset."""
        return self.range.stats()["operations"].get(service, {}).get(op, {}).get("requests", 0)

    def assertProfileRecorded(self, case: str, targets: list):
        for iid in targets:
            role = recorded_inventory(self.cases_dir, case, iid)["instance_profile"]["role"]
            self.assertEqual(role["name"], self.before["role"], iid)
            self.assertEqual(sorted(role["inline_policies"]), self.before["inline"], iid)

    def test_fleet_read_takes_the_instance_profile_the_quota_preflight_read(self):
        # The role-quota preflight reads the instance profile and its role's inline policy names before
        # the claims; the fleet read, after them, takes both (fleet_state.h): one GetInstanceProfile and
        # one ListRolePolicies in the range's request log (two of each before). The associations are
        # read by both: the credentials step takes the fleet read's as live state.
        _, calls, targets = self.contained(2, "IR-FLEET-PROFILE")
        ops = self.range.stats()["operations"]
        print(f"IR-FLEET-PROFILE: GetInstanceProfile {self.made('iam', 'GetInstanceProfile')}, ListRolePolicies "
              f"{self.made('iam', 'ListRolePolicies')}, of {calls} calls", file=sys.stderr)
        self.assertEqual(self.made("iam", "GetInstanceProfile"), 1, ops)
        self.assertEqual(self.made("iam", "ListRolePolicies"), 1, ops)
        self.assertEqual(self.made("ec2", "DescribeIamInstanceProfileAssociations"), 2, ops)
        # The preflight still measured the role: its other inline policy was read.
        self.assertGreaterEqual(self.made("iam", "GetRolePolicy"), len(self.before["inline"]), ops)
        self.assertProfileRecorded("IR-FLEET-PROFILE", targets)

    def test_without_the_credentials_step_the_fleet_read_reads_the_instance_profile(self):
        # No credentials step, no preflight: the fleet read reads the profile itself, once, and the
        # pre-state still records it.
        self.fresh(suspects=2)
        self.before = self.read_before()
        targets = [s["instance_id"] for s in self.ids["suspects"]]
        self.assertExit(self.contain("IR-FLEET-NOCRED", "--skip", "credentials", targets=targets), 0)
        ops = self.range.stats()["operations"]
        self.assertEqual(self.made("iam", "GetInstanceProfile"), 1, ops)
        self.assertEqual(self.made("iam", "ListRolePolicies"), 1, ops)
        self.assertEqual(self.made("ec2", "DescribeIamInstanceProfileAssociations"), 1, ops)
        self.assertProfileRecorded("IR-FLEET-NOCRED", targets)
        # ... and the instances keep their profile.
        assocs = client("ec2", self.moto).describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": targets}])["IamInstanceProfileAssociations"]
        self.assertEqual(sorted(a["InstanceId"] for a in assocs if a["State"] == "associated"), sorted(targets))

    def test_one_instance_calls_bounded_and_isolation_time_in_text_summary(self):
        proc, calls, targets = self.contained(1, "IR-FLEET-1")
        self.assertLessEqual(calls, ONE_INSTANCE_CALLS, self.range.stats()["operations"])
        self.assertRegex(proc.stdout, r"network isolated \d+\.\d s after the run started")
        records = [r for r in self.journal("IR-FLEET-1") if r["kind"] == "network.isolated"]
        self.assertEqual([r["target"] for r in records], targets)

    def test_rerun_reads_live_state_and_changes_nothing(self):
        # The fleet read must not make a rerun trust stale state: everything is found already done.
        _, _, targets = self.contained(2, "IR-FLEET-RERUN")
        before = self.state()
        self.range.control("POST", "stats/reset")
        proc = self.contain("IR-FLEET-RERUN", "--output", "json", targets=targets)
        self.assertExit(proc, 0)
        summary = json.loads(proc.stdout)
        self.assertEqual({t["result"] for t in summary}, {"unchanged"}, summary)
        self.assertEqual(self.state(), before)
        ops = self.range.stats()["operations"].get("ec2", {})
        self.assertNotIn("ModifyNetworkInterfaceAttribute", ops)
        self.assertNotIn("CreateSnapshots", ops)
        for t in summary:  # isolation found already done is still reported
            self.assertIn("network_isolated_after_s", t)


if __name__ == "__main__":
    unittest.main()
