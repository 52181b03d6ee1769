"""Issue 13, "Many regions and accounts": contain, preserve and release of a suspect that is not in the
profile's region or account, against moto through the range, judged by boto3 in the suspect's region
and account.

Run from the repository root:  python3 -m unittest tests/integration/regions_test.py -v
(CORDON_BIN selects the binary; default build/src/cli/cordon.)

The profile says us-east-1 and account 123456789012 (moto's default). moto serves every region from
one server, and another account through a role ARN naming it: the credentials sts:AssumeRole returns
for arn:aws:iam::222222222222:role/IR act in account 222222222222 (moto's multi-account support:
resources are kept per account, keyed by the access key's account). The scenario: a suspect in
eu-west-1 of the profile's account (two volumes, one group), and one in us-east-1 of account
222222222222, made there with the assumed role's credentials.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import unittest

import boto3

sys.path.insert(0, os.path.dirname(__file__))
from helpers import Range, boto3_client, run_cordon  # noqa: E402

OTHER_ACCOUNT = "222222222222"
ROLE = "IR"
EXIT_NOT_FOUND = 3


def build_suspect(ec2, cidr: str) -> dict:
    """A VPC, a subnet, a group and a running instance with an extra volume; their ids."""
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("/16", "/24"),
                               AvailabilityZone=az)["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
                             SecurityGroupIds=[sg],
                             BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 8}}])
    return {"vpc": vpc, "sg": sg, "iid": inst["Instances"][0]["InstanceId"]}


class RegionsAndAccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Through the range, which serves what moto gets wrong about an ENI's groups (range/eni_groups.py).
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint
        cls.eu = boto3_client("ec2", cls.endpoint, region="eu-west-1")
        creds = boto3_client("sts", cls.endpoint).assume_role(
            RoleArn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/{ROLE}", RoleSessionName="test-setup")["Credentials"]
        cls.other = boto3.client("ec2", endpoint_url=cls.endpoint, region_name="us-east-1",
                                 aws_access_key_id=creds["AccessKeyId"],
                                 aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"])
        cls.eu_suspect = build_suspect(cls.eu, "10.31.0.0/16")
        cls.other_suspect = build_suspect(cls.other, "10.32.0.0/16")

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        super().tearDownClass()

    def setUp(self):
        self.cases = tempfile.mkdtemp(prefix="cordon-cases-")

    def cordon(self, *args):
        return run_cordon([*args, "--cases-dir", self.cases, "--endpoint-url", self.endpoint,
                           "--region", "us-east-1"])

    @staticmethod
    def groups(ec2, iid):
        enis = ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["NetworkInterfaces"]
        return {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in enis}

    @staticmethod
    def tags(ec2, iid):
        inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        return {t["Key"]: t["Value"] for t in inst.get("Tags", [])}

    def assert_isolated(self, ec2, suspect, case):
        iso = ec2.describe_security_groups(Filters=[{"Name": "group-name",
                                                     "Values": [f"cordon-isolation-{suspect['vpc']}"]}])
        self.assertEqual(len(iso["SecurityGroups"]), 1, iso)
        iso_id = iso["SecurityGroups"][0]["GroupId"]
        for groups in self.groups(ec2, suspect["iid"]).values():
            self.assertEqual(groups, [iso_id])
        self.assertEqual(self.tags(ec2, suspect["iid"])["incident-response"], f"quarantine:{case}")

    def show(self, case, *args):
        """`cordon case show CASE`: reads the case only, so no AWS flags."""
        return run_cordon(["case", "show", case, "--cases-dir", self.cases, *args])

    def location(self, case, iid):
        show = self.show(case, "--output", "json")
        self.assertEqual(show.returncode, 0, show.stdout + show.stderr)
        return json.loads(show.stdout)["locations"][iid]

    def test_contain_all_regions_isolates_there_and_release_needs_no_flag(self):
        s, case = self.eu_suspect, "IR-REGIONS-1"
        before = self.groups(self.eu, s["iid"])
        # Without --all-regions the profile's region alone is searched, and the hint names a flag that works.
        missing = self.cordon("contain", s["iid"], "--case", case, "--yes")
        self.assertEqual(missing.returncode, EXIT_NOT_FOUND, missing.stdout + missing.stderr)
        self.assertIn("--all-regions", missing.stderr)

        proc = self.cordon("contain", s["iid"], "--all-regions", "--case", case, "--yes")
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        self.assert_isolated(self.eu, s, case)
        where = self.location(case, s["iid"])
        self.assertEqual(where["region"], "eu-west-1")
        self.assertEqual(where["account"], "123456789012")
        text = self.show(case)
        self.assertRegex(text.stdout, rf"{s['iid']}\s+region eu-west-1, account 123456789012")

        rel = self.cordon("release", "--case", case, "--yes")  # no --all-regions: the case knows where
        self.assertEqual(rel.returncode, 0, rel.stdout + rel.stderr)
        self.assertEqual(self.groups(self.eu, s["iid"]), before)
        self.assertNotEqual(self.tags(self.eu, s["iid"]).get("incident-response"), f"quarantine:{case}")

    def test_preserve_all_regions_snapshots_in_that_region(self):
        s, case = self.eu_suspect, "IR-REGIONS-P"
        proc = self.cordon("preserve", s["iid"], "--all-regions", "--case", case)
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        snaps = self.eu.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": [case]}])["Snapshots"]
        inst = self.eu.describe_instances(InstanceIds=[s["iid"]])["Reservations"][0]["Instances"][0]
        self.assertEqual(sorted(x["VolumeId"] for x in snaps),
                         sorted(m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"]))
        self.assertEqual(self.location(case, s["iid"])["region"], "eu-west-1")

    def test_contain_in_another_account_through_its_role_and_release_goes_back(self):
        s, case = self.other_suspect, "IR-ACCOUNTS-1"
        before = self.groups(self.other, s["iid"])
        refused = self.cordon("contain", s["iid"], "--accounts", OTHER_ACCOUNT, "--case", case, "--yes")
        self.assertEqual(refused.returncode, 2, refused.stderr)  # --accounts needs --role-name
        self.assertIn("--role-name", refused.stderr)

        proc = self.cordon("contain", s["iid"], "--accounts", f"{OTHER_ACCOUNT},333333333333", "--role-name", ROLE,
                           "--case", case, "--yes")
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        self.assert_isolated(self.other, s, case)
        where = self.location(case, s["iid"])
        self.assertEqual(where["account"], OTHER_ACCOUNT)
        self.assertEqual(where["role_arn"], f"arn:aws:iam::{OTHER_ACCOUNT}:role/{ROLE}")
        self.assertEqual(where["region"], "us-east-1")

        rel = self.cordon("release", "--case", case, "--yes")  # no --accounts: the case knows the role
        self.assertEqual(rel.returncode, 0, rel.stdout + rel.stderr)
        self.assertEqual(self.groups(self.other, s["iid"]), before)

    def test_targets_file_names_region_and_account(self):
        path = os.path.join(self.cases, "targets.txt")
        with open(path, "w") as f:
            f.write("# suspects of the incident\n"
                    f"{self.eu_suspect['iid']} region=eu-west-1\n"
                    f"{self.other_suspect['iid']} account={OTHER_ACCOUNT}  # the payments account\n")
        plan = self.cordon("contain", "--targets-file", path, "--role-name", ROLE, "--case", "IR-FILE", "--plan")
        self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)
        self.assertIn(f"{self.eu_suspect['iid']} (eu-west-1, ", plan.stdout)
        self.assertIn(f"{self.other_suspect['iid']} (us-east-1, ", plan.stdout)
        with open(path, "w") as f:
            f.write(f"{self.eu_suspect['iid']} regoin=eu-west-1\n")
        bad = self.cordon("contain", "--targets-file", path, "--case", "IR-FILE", "--plan")
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn("targets.txt:1", bad.stderr)


if __name__ == "__main__":
    unittest.main()
