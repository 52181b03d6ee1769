"""Quick end-to-end check of contain / release / preserve / iam-policy against moto, judged by boto3.

Run from the repository root (with CORDON_BIN pointing at a built cordon):
    CORDON_BIN=build-resp/src/cli/cordon python3 -m unittest tests/integration/contain_smoke_test.py -v

The full scenario (ASG of 3, classic ELB + ALB, 2 ENIs, ...) lives in the other integration tests;
this one builds a small instance with two ENIs, an EIP, two volumes and a shared instance profile.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from helpers import Range, boto3_client, run_cordon  # noqa: E402

CASE = "IR-SMOKE-1"


class ContainSmokeTest(unittest.TestCase):
    """Against the range, not bare moto: moto keeps no ENI connection-tracking settings, so the rerun
    would find isolate-network undone, where EC2 keeps them (ConnectionTrackingSpecification)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        super().tearDownClass()

    @classmethod
    def client(cls, service: str, **kw):
        return boto3_client(service, cls.endpoint, **kw)

    def setUp(self):
        self.range.reset()  # and moto's state with it
        self.cases = tempfile.mkdtemp(prefix="cordon-cases-")
        ec2 = self.ec2 = self.client("ec2")
        iam = self.client("iam")
        self.vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        self.subnet = ec2.create_subnet(VpcId=self.vpc, CidrBlock="10.9.1.0/24",
                                        AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        self.sg_a = ec2.create_security_group(GroupName="web", Description="web", VpcId=self.vpc)["GroupId"]
        self.sg_b = ec2.create_security_group(GroupName="admin", Description="admin", VpcId=self.vpc)["GroupId"]
        iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))
        iam.create_instance_profile(InstanceProfileName="app-profile")
        iam.add_role_to_instance_profile(InstanceProfileName="app-profile", RoleName="app")
        ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        run = ec2.run_instances(ImageId=ami, MinCount=2, MaxCount=2, InstanceType="t3.micro",
                                SubnetId=self.subnet, SecurityGroupIds=[self.sg_a],
                                IamInstanceProfile={"Name": "app-profile"},
                                BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 8}}])
        self.iid = run["Instances"][0]["InstanceId"]
        self.sibling = run["Instances"][1]["InstanceId"]
        eni2 = ec2.create_network_interface(SubnetId=self.subnet, Groups=[self.sg_b])["NetworkInterface"]
        self.eni2 = eni2["NetworkInterfaceId"]
        ec2.attach_network_interface(NetworkInterfaceId=self.eni2, InstanceId=self.iid, DeviceIndex=1)
        alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
        self.alloc = alloc
        self.eni1 = self.enis()[0]["NetworkInterfaceId"]
        ec2.associate_address(AllocationId=alloc, NetworkInterfaceId=self.eni1)

    def enis(self, iid=None):
        out = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [iid or self.iid]}])["NetworkInterfaces"]
        return sorted(out, key=lambda e: e["Attachment"]["DeviceIndex"])

    def cordon(self, *args, **kw):
        return run_cordon([*args, "--cases-dir", self.cases, "--endpoint-url", self.endpoint], **kw)

    def groups(self):
        return {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in self.enis()}

    def test_contain_then_release(self):
        before_groups = self.groups()
        plan = self.cordon("contain", self.iid, "--case", CASE, "--plan")
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertIn("isolate-network", plan.stdout)
        self.assertEqual(self.groups(), before_groups)  # --plan changes nothing

        refused = self.cordon("contain", self.iid, "--case", CASE, input="")
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertIn("--yes", refused.stderr)

        proc = self.cordon("contain", self.iid, "--case", CASE, "--yes", "--responder", "alice")
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        iso = self.ec2.describe_security_groups(Filters=[{"Name": "group-name",
                                                          "Values": [f"cordon-isolation-{self.vpc}"]}])
        iso_id = iso["SecurityGroups"][0]["GroupId"]
        self.assertEqual(iso["SecurityGroups"][0]["IpPermissionsEgress"], [])
        for groups in self.groups().values():
            self.assertEqual(groups, [iso_id])
        inst = self.ec2.describe_instances(InstanceIds=[self.iid])["Reservations"][0]["Instances"][0]
        tags = {t["Key"]: t["Value"] for t in inst.get("Tags", [])}
        self.assertEqual(tags["incident-response"], f"quarantine:{CASE}")
        attr = self.ec2.describe_instance_attribute(InstanceId=self.iid, Attribute="disableApiTermination")
        self.assertTrue(attr["DisableApiTermination"]["Value"])
        addr = self.ec2.describe_addresses(AllocationIds=[self.alloc])["Addresses"][0]
        self.assertNotIn("AssociationId", addr)
        assoc = self.ec2.describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": [self.iid]}])["IamInstanceProfileAssociations"]
        self.assertFalse([a for a in assoc if a["State"] == "associated"])
        pol = self.client("iam").get_role_policy(RoleName="app", PolicyName=f"cordon-deny-{CASE}")
        doc = pol["PolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        self.assertIn(f"*/{self.iid}", json.dumps(doc))
        snaps = self.ec2.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": [CASE]}])["Snapshots"]
        vols = [m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"]]
        self.assertEqual(sorted(s["VolumeId"] for s in snaps), sorted(vols))
        # The sibling is untouched.
        self.assertEqual([sorted(g["GroupId"] for g in e["Groups"]) for e in self.enis(self.sibling)], [[self.sg_a]])

        again = self.cordon("contain", self.iid, "--case", CASE, "--yes", "--responder", "alice")
        self.assertIn(again.returncode, (0, 6), again.stderr)
        self.assertIn("nothing changed", again.stdout)
        snaps2 = self.ec2.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": [CASE]}])["Snapshots"]
        self.assertEqual(len(snaps2), len(snaps))

        rel = self.cordon("release", "--case", CASE, "--yes")
        self.assertEqual(rel.returncode, 0, rel.stdout + rel.stderr)
        self.assertEqual(self.groups(), before_groups)
        addr = self.ec2.describe_addresses(AllocationIds=[self.alloc])["Addresses"][0]
        self.assertEqual(addr.get("NetworkInterfaceId"), self.eni1)
        attr = self.ec2.describe_instance_attribute(InstanceId=self.iid, Attribute="disableApiTermination")
        self.assertFalse(attr["DisableApiTermination"]["Value"])
        assoc = self.ec2.describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": [self.iid]}])["IamInstanceProfileAssociations"]
        self.assertTrue([a for a in assoc if a["State"] == "associated"])
        names = self.client("iam").list_role_policies(RoleName="app")["PolicyNames"]
        self.assertNotIn(f"cordon-deny-{CASE}", names)

    def test_crash_after_each_step_converges(self):
        for n in range(1, 30):
            proc = self.cordon("contain", self.iid, "--case", "IR-CRASH", "--yes",
                               env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": "1"} if n % 2 else
                               {"CORDON_TEST_CRASH_AFTER_STEP": "1"})
            if proc.returncode != 137:
                break
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        snaps = self.ec2.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": ["IR-CRASH"]}])["Snapshots"]
        inst = self.ec2.describe_instances(InstanceIds=[self.iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(len(snaps), len(inst["BlockDeviceMappings"]))

    def test_unknown_instance_and_iam_policy(self):
        proc = self.cordon("contain", "i-0123456789abcdef0", "--case", "IR-X", "--yes")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.cases, "IR-X")))
        pol = run_cordon(["iam-policy", "--for", "contain"])
        self.assertEqual(pol.returncode, 0, pol.stderr)
        actions = json.loads(pol.stdout)["Statement"][0]["Action"]
        self.assertIn("ec2:CreateSnapshots", actions)
        self.assertNotIn("ec2:TerminateInstances", actions)

    def test_preserve(self):
        proc = self.cordon("preserve", self.iid, "--case", "IR-P", "--count", "2", "--every", "1s")
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        snaps = self.ec2.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": ["IR-P"]}])["Snapshots"]
        inst = self.ec2.describe_instances(InstanceIds=[self.iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(len(snaps), 2 * len(inst["BlockDeviceMappings"]))
        self.assertEqual(inst["State"]["Name"], "running")


if __name__ == "__main__":
    unittest.main()
