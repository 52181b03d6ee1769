"""Bad input to `cordon contain` / `cordon triage`: clear errors, the documented exit codes
(0 ok, 1 failed, 2 usage, 3 not found, 4 ambiguous, 5 access denied, 6 partial), nothing changed in
AWS, and a consistent case.

Run from the repository root:  python3 -m unittest tests/integration/bad_input_test.py -v
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import AMI, ResponseCase, add_instance_store_only, case_snapshots, client, mutating_calls  # noqa: E402

NOT_FOUND, AMBIGUOUS, USAGE = 3, 4, 2


class BadInputTests(ResponseCase):

    def setUp(self):
        if not hasattr(BadInputTests, "ids_built"):
            BadInputTests.ids_built = self.fresh()
        self.ids = BadInputTests.ids_built
        self.range.control("POST", "stats/reset")
        self.cases_dir = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases_dir, True)

    def assertNothingChanged(self, case: str):
        self.assertEqual(mutating_calls(self.range.stats()), {}, "bad input changed something in AWS")
        self.assertEqual(case_snapshots(self.moto, case), [])
        # either no case was opened, or it is consistent
        if Path(self.cases_dir, case).exists():
            self.assertCaseConsistent(case)

    def test_unknown_instance_id(self):
        missing = "i-0123456789abcdef0"
        proc = self.contain("IR-B1", targets=[missing])
        self.assertExit(proc, NOT_FOUND)
        self.assertIn(missing, proc.stderr + proc.stdout)
        self.assertNothingChanged("IR-B1")
        tri = self.cordon("triage", missing)
        self.assertExit(tri, NOT_FOUND)
        self.assertIn(missing, tri.stderr + tri.stdout)

    def test_ip_matching_nothing(self):
        proc = self.contain("IR-B2", targets=["10.99.99.99"])
        self.assertExit(proc, NOT_FOUND)
        self.assertIn("10.99.99.99", proc.stderr + proc.stdout)
        self.assertNothingChanged("IR-B2")
        self.assertExit(self.cordon("triage", "10.99.99.99"), NOT_FOUND)

    def test_ip_in_two_vpcs_is_ambiguous_and_lists_the_candidates(self):
        ec2 = client("ec2", self.moto)
        vpc2 = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        sub2 = ec2.create_subnet(VpcId=vpc2, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        twin = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sub2,
                                 PrivateIpAddress=self.ids["private_ip"])["Instances"][0]["InstanceId"]
        self.addCleanup(ec2.terminate_instances, InstanceIds=[twin])
        self.range.control("POST", "stats/reset")
        ip = self.ids["private_ip"]
        proc = self.contain("IR-B3", targets=[ip])
        self.assertExit(proc, AMBIGUOUS)
        out = proc.stdout + proc.stderr
        self.assertIn(self.ids["suspect"], out)
        self.assertIn(twin, out)
        self.assertNothingChanged("IR-B3")
        tri = self.cordon("triage", ip)
        self.assertExit(tri, AMBIGUOUS)
        self.assertIn(twin, tri.stdout + tri.stderr)
        self.assertIn(self.ids["suspect"], tri.stdout + tri.stderr)
        narrowed = self.cordon("triage", ip, "--vpc", self.ids["vpc_id"], "--output", "json")
        self.assertExit(narrowed, 0)
        self.assertIn(self.ids["suspect"], narrowed.stdout)
        self.assertNotIn(twin, narrowed.stdout)

    def test_terminated_instance(self):
        ec2 = client("ec2", self.moto)
        gone = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1,
                                 SubnetId=self.ids["subnets"][0])["Instances"][0]["InstanceId"]
        ec2.terminate_instances(InstanceIds=[gone])
        self.range.control("POST", "stats/reset")
        proc = self.contain("IR-B4", targets=[gone])
        self.assertExit(proc, (1, NOT_FOUND))
        self.assertRegex(proc.stdout + proc.stderr, re.compile(r"terminated", re.I))
        self.assertIn(gone, proc.stdout + proc.stderr)
        self.assertNothingChanged("IR-B4")

    def test_instance_with_only_instance_store_volumes(self):
        iid = add_instance_store_only(self.moto, self.ids)
        self.range.control("POST", "stats/reset")
        proc = self.contain("IR-B5", targets=[iid])
        self.assertExit(proc, (0, 6))
        self.assertEqual(case_snapshots(self.moto, "IR-B5"), [])
        self.assertCaseConsistent("IR-B5")
        shown = self.case_show("IR-B5")
        self.assertExit(shown, 0)
        self.assertRegex(proc.stdout + proc.stderr + shown.stdout, re.compile(r"instance.store|no EBS", re.I),
                         "the case does not say the volumes cannot be snapshotted")
        # the rest of the containment still happened
        ec2 = client("ec2", self.moto)
        inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        iso = self.isolation_groups(self.ids["vpc_id"])[f"cordon-isolation-{self.ids['vpc_id']}"]["GroupId"]
        for eni in inst["NetworkInterfaces"]:
            self.assertEqual([g["GroupId"] for g in eni["Groups"]], [iso])
        self.assertEqual(inst["State"]["Name"], "running")

    def test_region_that_cannot_be_searched(self):
        # contain and preserve search one region; when it refuses the lookup there is no match to act
        # on: the refusal is the error (5, access denied), naming the region, and nothing changes.
        # (A region refused while another answered: triage_test.py; contain/preserve refuse a match
        # by IP then, see cloud::RequireDefinitive.)
        self.range.set_faults({"rules": [
            {"kind": "http500", "service": "ec2", "action": "DescribeNetworkInterfaces", "status": 403,
             "code": "UnauthorizedOperation", "message": "You are not authorized to perform this operation.",
             "body": "aws"}]})
        self.addCleanup(self.range.set_faults, None)
        ip = self.ids["private_ip"]
        proc = self.contain("IR-B7", "--max-attempts", "1", targets=[ip])
        self.assertExit(proc, 5)
        self.assertIn("UnauthorizedOperation", proc.stderr)
        self.assertIn(f"looking up {ip} in us-east-1", proc.stderr)
        self.assertIn("nothing was changed", proc.stderr)
        self.assertNothingChanged("IR-B7")
        proc = self.cordon("preserve", ip, "--case", "IR-B8", "--cases-dir", self.cases_dir, "--max-attempts", "1")
        self.assertExit(proc, 5)
        self.assertIn(f"looking up {ip} in us-east-1", proc.stderr)
        self.assertNothingChanged("IR-B8")
        tags = client("ec2", self.moto).describe_tags(
            Filters=[{"Name": "resource-id", "Values": [self.ids["suspect"]]}])["Tags"]
        self.assertEqual([t["Key"] for t in tags if t["Key"].startswith("cordon:")], [])

    def test_usage_errors(self):
        p = self.cordon("contain", self.ids["suspect"], "--yes", "--cases-dir", self.cases_dir)
        self.assertExit(p, USAGE, "contain without --case")
        self.assertIn("--case", p.stderr)
        p = self.cordon("contain", "--case", "IR-B6", "--yes", "--cases-dir", self.cases_dir)
        self.assertExit(p, USAGE, "contain without a target")
        self.assertNotIn("unknown command", p.stderr)
        p = self.cordon("contain", self.ids["suspect"], "--case", "IR-B6", "--yes",
                        "--cases-dir", self.cases_dir, "--asg", "sideways")
        self.assertExit(p, USAGE)
        self.assertIn("sideways", p.stderr)
        self.assertNothingChanged("IR-B6")


    def test_json_bombs_are_usage_errors_not_crashes(self):
        """Deep nesting and numbers no double holds, in an @file and in the configuration file: exit 2
        with the place named; never a stack overflow (SIGSEGV) or an uncaught exception (exit 134)."""
        tmp = Path(tempfile.mkdtemp(prefix="cordon-bombs-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        bombs = {
            "deep.json": '{"Filters": ' + "[" * 100000 + "]" * 100000 + "}",
            "deep_objects.json": '{"a":' * 100000 + "1" + "}" * 100000,
            "huge.json": '{"MaxResults":1e999999}',
        }
        for name, text in bombs.items():
            path = tmp / name
            path.write_text(text)
            proc = self.cordon("api", "ec2", "DescribeInstances", f"@{path}", timeout=60)
            self.assertExit(proc, USAGE, f"api with {name}")
            self.assertIn(str(path), proc.stderr)
            self.assertIn("line 1, column", proc.stderr)
            proc = self.cordon("hunt", "--instance", self.ids["suspect"], endpoint=False, timeout=60,
                               env={"CORDON_CONFIG": str(path)})
            self.assertExit(proc, USAGE, f"configuration file {name}")
            self.assertIn("configuration file", proc.stderr)
            self.assertIn(str(path), proc.stderr)
        self.assertIn("nested deeper than", self.cordon(
            "api", "ec2", "DescribeInstances", f"@{tmp / 'deep.json'}").stderr)
        self.assertIn("1e999999", self.cordon(
            "api", "ec2", "DescribeInstances", f"@{tmp / 'huge.json'}").stderr)
        self.assertEqual(mutating_calls(self.range.stats()), {})


if __name__ == "__main__":
    unittest.main()
