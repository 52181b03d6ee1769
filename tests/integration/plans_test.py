"""Issue 17: `release --plan` and `preserve --plan` name what they will do from the case and live state,
as boto3 sees it, and change nothing; `contain --plan --skip snapshot` says no disk evidence is taken.

Run from the repository root:  python3 -m unittest tests/integration/plans_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client, mutating_calls  # noqa: E402


class PlanTests(ResponseCase):

    def suspect_enis(self) -> list:
        return client("ec2", self.moto).describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-id", "Values": [self.ids["suspect"]]}])["NetworkInterfaces"]

    def test_release_plan_names_what_release_restores_and_changes_nothing(self):
        self.fresh()
        suspect = self.ids["suspect"]
        before = {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in self.suspect_enis()}
        self.assertExit(self.contain("IR-RP"), 0)
        contained = self.state()
        self.range.control("POST", "stats/reset")
        proc = self.cordon("release", "--case", "IR-RP", "--plan", "--output", "json", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        plan = json.loads(proc.stdout)
        self.assertEqual(plan["case"], "IR-RP")
        (only,) = plan["plans"]
        self.assertEqual(only["instance"], suspect)
        self.assertFalse(only["refused"], only)
        steps = {s["step"]: s for s in only["steps"]}
        isolate = "\n".join(steps["isolate-network"]["restores"])
        for eni, groups in before.items():  # every ENI back to the groups boto3 saw before containment
            self.assertIn(eni, isolate)
            for group in groups:
                self.assertIn(group, isolate)
        self.assertIn(self.ids["asg_name"], "\n".join(steps["asg"]["restores"]))
        # The asg step's detach already took the instance out of the group's classic ELB (AWS: "If there is
        # a Classic Load Balancer attached to your Auto Scaling group, the instances are deregistered from
        # the load balancer", DetachInstances, Auto Scaling API reference), so the re-attach is what
        # registers it again: the plan names the CLB there. moto leaves the target group registration.
        lb = "\n".join(steps["deregister-lb"]["restores"] + steps["asg"]["restores"])
        self.assertIn(self.ids["clb_name"], lb)
        self.assertIn(self.ids["tg_arn"], lb)
        cred = "\n".join(steps["credentials"]["restores"])
        self.assertIn(self.ids["role_name"], cred)
        self.assertIn(f"*/{suspect} out of inline policy cordon-deny-IR-RP", cred)
        self.assertIn(self.ids["profile_name"], cred)
        self.assertIn(self.ids["eip_allocation"], "\n".join(steps["disassociate-eip"]["restores"]))
        # release order: credentials first, tags last (the reverse of contain's)
        names = [s["step"] for s in only["steps"]]
        self.assertLess(names.index("credentials"), names.index("isolate-network"))
        self.assertEqual(names[-1], "tag")
        text = self.cordon("release", "--case", "IR-RP", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(text, 0)
        for eni in before:
            self.assertIn(eni, text.stdout)
        self.assertIn("release:credentials", text.stdout)
        self.assertEqual(mutating_calls(self.range.stats()), {})
        self.assertEqual(self.state(), contained)

    def test_release_plan_shows_drift_that_would_refuse(self):
        self.fresh()
        self.assertExit(self.contain("IR-RPD"), 0)
        # someone else moves the primary ENI into another group: release would refuse without --force
        ec2 = client("ec2", self.moto)
        eni = self.suspect_enis()[0]["NetworkInterfaceId"]
        other = ec2.create_security_group(GroupName="someone-else", Description="x",
                                          VpcId=self.ids["vpc_id"])["GroupId"]
        ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[other])
        proc = self.cordon("release", "--case", "IR-RPD", "--plan", "--output", "json", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        (only,) = json.loads(proc.stdout)["plans"]
        self.assertTrue(only["refused"])
        self.assertTrue(any(eni in d for d in only["drift"]), only["drift"])
        forced = self.cordon("release", "--case", "IR-RPD", "--plan", "--force", "--output", "json",
                             "--cases-dir", self.cases_dir)
        self.assertExit(forced, 0)
        self.assertFalse(json.loads(forced.stdout)["plans"][0]["refused"])

    def test_release_plan_of_a_case_that_contained_nothing_says_so(self):
        self.fresh()
        proc = self.cordon("preserve", self.ids["suspect"], "--case", "IR-RPN", "--cases-dir", self.cases_dir,
                           "--plan")
        self.assertExit(proc, 0)
        self.assertFalse(Path(self.cases_dir, "IR-RPN").exists(), "preserve --plan made a case")
        proc = self.cordon("release", "--case", "IR-NEVER", "--plan", "--cases-dir", self.cases_dir)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("IR-NEVER", proc.stderr)

    def test_preserve_plan_names_every_volume_and_the_series(self):
        self.fresh()
        suspect = self.ids["suspect"]
        volumes = client("ec2", self.moto).describe_volumes(Filters=[
            {"Name": "attachment.instance-id", "Values": [suspect]}])["Volumes"]
        proc = self.cordon("preserve", suspect, "--case", "IR-PP", "--plan", "--count", "3", "--every", "10m",
                           "--output", "json", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        plan = json.loads(proc.stdout)
        self.assertEqual(plan["instance"], suspect)
        self.assertFalse(plan["case_exists"])
        self.assertEqual([s["set"] for s in plan["sets"]], [1, 2, 3])
        self.assertEqual([s["after_seconds"] for s in plan["sets"]], [0, 600, 1200])
        self.assertEqual(sorted(v["id"] for v in plan["volumes"]), sorted(v["VolumeId"] for v in volumes))
        for v in plan["volumes"]:
            (real,) = [x for x in volumes if x["VolumeId"] == v["id"]]
            self.assertEqual(v["size_gib"], real["Size"])
        self.assertEqual(case_snapshots(self.moto, "IR-PP"), [])
        self.assertEqual(mutating_calls(self.range.stats()), {})
        self.assertFalse(Path(self.cases_dir, "IR-PP").exists())
        # one set taken: the plan of the next run continues the series at 2
        self.assertExit(self.cordon("preserve", suspect, "--case", "IR-PP", "--cases-dir", self.cases_dir,
                                    "--responder", self.responder), 0)
        again = self.cordon("preserve", suspect, "--case", "IR-PP", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(again, 0)
        self.assertIn("continues at set 2", again.stdout)
        for v in volumes:
            self.assertIn(v["VolumeId"], again.stdout)

    def test_contain_plan_without_snapshot_says_no_disk_evidence(self):
        self.fresh()
        suspect = self.ids["suspect"]
        proc = self.cordon("contain", suspect, "--case", "IR-NS", "--plan", "--skip", "snapshot",
                           "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        self.assertIn(f"disk evidence of {suspect} will NOT be taken", proc.stdout)
        as_json = self.cordon("contain", suspect, "--case", "IR-NS", "--plan", "--skip", "snapshot",
                              "--output", "json", "--cases-dir", self.cases_dir)
        self.assertExit(as_json, 0)
        (only,) = json.loads(as_json.stdout)["plans"]
        self.assertFalse(only["disk_evidence"])
        self.assertNotIn("snapshot", [s["step"] for s in only["steps"]])
        full = self.cordon("contain", suspect, "--case", "IR-NS", "--plan", "--output", "json",
                           "--cases-dir", self.cases_dir)
        self.assertTrue(json.loads(full.stdout)["plans"][0]["disk_evidence"])
        self.assertEqual(mutating_calls(self.range.stats()), {})


if __name__ == "__main__":
    unittest.main()
