"""Issue 13, "IAM size limits": a fleet sharing one role is contained within IAM's quotas.

AWS's documented numbers (IAM User Guide, "IAM and AWS STS quotas",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
- "Role policy size": a role's inline policies together hold at most 10,240 characters; IAM does not
  count whitespace. PutRolePolicy past it fails with LimitExceeded (HTTP 409) and changes nothing.
- "Managed policies attached to an IAM role": 10 by default.
- "Managed policy size": 6,144 characters.
moto enforces none of these; the range enforces the inline one on PutRolePolicy (range/iam_quotas.py),
and the sizes and counts are checked here against the numbers above.

Run from the repository root (with CORDON_BIN pointing at a built cordon):
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/iam_quota_test.py -v
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import unittest

import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
from helpers import REGION, Range, boto3_client, run_cordon  # noqa: E402
from scenario import AMI, mutating_calls  # noqa: E402

ROLE_POLICY_QUOTA = 10240  # characters, whitespace not counted
ATTACHED_POLICIES_QUOTA = 10
MANAGED_POLICY_QUOTA = 6144
FLEET = 200
ROLE, PROFILE = "fleet-role", "fleet-profile"
KEY = "ec2:SourceInstanceARN"


def iam_size(doc) -> int:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return sum(1 for c in text if not c.isspace())


def statements(doc) -> list:
    st = doc["Statement"]
    return st if isinstance(st, list) else [st]


class IamQuotaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint, cls.moto = cls.range.endpoint, cls.range.moto

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()

    def setUp(self):
        self.range.set_faults(None)
        self.range.reset()
        self.cases = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases, True)
        # Scenarios are built and judged at moto itself, behind the range's back.
        self.ec2, self.iam = boto3_client("ec2", self.moto), boto3_client("iam", self.moto)

    # -- the fleet
    def build_fleet(self, n: int, seed_inline_chars: int = 0) -> list:
        """n instances in one VPC sharing instance profile PROFILE (role ROLE), which carries one
        customer managed policy and one small inline policy, plus an inline policy of about
        `seed_inline_chars` characters when asked. Returns the instance ids."""
        ec2, iam = self.ec2, self.iam
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        self.subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/22",
                                        AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
        self.sg = ec2.create_security_group(GroupName="fleet", Description="fleet", VpcId=vpc)["GroupId"]
        iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))
        managed = iam.create_policy(PolicyName="fleet-read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
        iam.attach_role_policy(RoleName=ROLE, PolicyArn=managed["Policy"]["Arn"])
        iam.put_role_policy(RoleName=ROLE, PolicyName="app-access", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}))
        if seed_inline_chars:
            buckets = [f"arn:aws:s3:::fleet-data-bucket-{i:05d}/*" for i in range(seed_inline_chars // 40)]
            iam.put_role_policy(RoleName=ROLE, PolicyName="big-app-access", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                                                        "Resource": buckets}]}))
        iam.create_instance_profile(InstanceProfileName=PROFILE)
        iam.add_role_to_instance_profile(InstanceProfileName=PROFILE, RoleName=ROLE)
        ids = []
        while len(ids) < n:
            count = min(100, n - len(ids))
            run = ec2.run_instances(ImageId=AMI, MinCount=count, MaxCount=count, InstanceType="t3.micro",
                                    SubnetId=self.subnet, SecurityGroupIds=[self.sg],
                                    IamInstanceProfile={"Name": PROFILE})
            ids += [i["InstanceId"] for i in run["Instances"]]
        associated = {a["InstanceId"] for a in self.associations() if a["State"] == "associated"}
        for iid in ids:
            if iid not in associated:  # moto does not always associate at launch
                ec2.associate_iam_instance_profile(IamInstanceProfile={"Name": PROFILE}, InstanceId=iid)
        self.range.control("POST", "stats/reset")
        return ids

    def associations(self) -> list:
        out, token = [], None
        while True:
            kw = {"NextToken": token} if token else {}
            page = self.ec2.describe_iam_instance_profile_associations(**kw)
            out += page["IamInstanceProfileAssociations"]
            token = page.get("NextToken")
            if not token:
                return out

    @staticmethod
    def volumes(instances: list) -> list:
        return [m["Ebs"]["VolumeId"] for i in instances for m in i.get("BlockDeviceMappings", []) if "Ebs" in m]

    def inline(self) -> dict:
        names = self.iam.list_role_policies(RoleName=ROLE)["PolicyNames"]
        return {n: self.iam.get_role_policy(RoleName=ROLE, PolicyName=n)["PolicyDocument"] for n in names}

    def cordon(self, *args, timeout: float = 600.0):
        return run_cordon(list(args), endpoint=self.endpoint, timeout=timeout)

    def contain(self, case: str, ids: list, *extra):
        path = os.path.join(self.cases, "targets.txt")
        with open(path, "w") as f:
            f.write("# the fleet\n" + "\n".join(ids) + "\n")
        return self.cordon("contain", "--targets-file", path, "--case", case, "--yes", "--cases-dir", self.cases,
                           "--responder", "alice", *extra)

    def assertExit(self, proc, code: int):
        self.assertEqual(proc.returncode, code, f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\n"
                                                f"stderr:\n{proc.stderr[-6000:]}")

    # -- the tests
    def test_range_refuses_the_old_per_instance_policies_past_the_quota(self):
        """The old design (one policy per instance on the shared role) fails in the range at about 40
        instances, as in IAM; a document that fits is accepted."""
        ids = self.build_fleet(1)
        iam = boto3_client("iam", self.endpoint)  # through the range
        existing = self.inline()
        base = sum(iam_size(d) for d in existing.values())
        put, used = 0, base
        with self.assertRaises(botocore.exceptions.ClientError) as refused:
            for n in range(FLEET):
                iid = f"i-{n:017x}"
                doc = json.dumps({"Version": "2012-10-17", "Statement": [{
                    "Sid": "CordonDenyThisInstance", "Effect": "Deny", "Action": "*", "Resource": "*",
                    "Condition": {"StringEquals": {KEY: f"arn:aws:ec2:{REGION}:123456789012:instance/{iid}"}}}]})
                iam.put_role_policy(RoleName=ROLE, PolicyName=f"cordon-deny-IR-OLD-{iid}", PolicyDocument=doc)
                put, used = put + 1, used + iam_size(doc)
        err = refused.exception.response
        self.assertEqual(err["Error"]["Code"], "LimitExceeded")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.assertIn(f"Maximum policy size of {ROLE_POLICY_QUOTA} bytes exceeded for role {ROLE}",
                      err["Error"]["Message"])
        self.assertLess(put, 50, "the range let the old design go past ~40 instances")
        self.assertLessEqual(used, ROLE_POLICY_QUOTA)
        self.assertEqual(len(self.inline()), len(existing) + put, "the refused put changed the role")
        del ids

    def test_two_hundred_instances_share_one_role_within_the_quotas(self):
        ids = self.build_fleet(FLEET)
        attached_before = self.iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
        case = "IR-Q200"
        started = time.monotonic()
        # Only the step under test (record-pre-state always runs): the other steps' calls on 200
        # instances would take moto minutes, and their fleet behaviour is other tests' subject.
        proc = self.contain(case, ids, "--only", "credentials")
        took = time.monotonic() - started
        self.assertExit(proc, 0)
        sys.stderr.write(f"\n[iam_quota_test] contain of {FLEET} instances: {took:.1f} s\n")

        inline = self.inline()
        deny_name = f"cordon-deny-{case}"
        self.assertEqual(sorted(inline), sorted(["app-access", deny_name]), "one deny policy per role and case")
        deny = inline[deny_name]
        self.assertLess(iam_size(deny), ROLE_POLICY_QUOTA)
        self.assertLessEqual(sum(iam_size(d) for d in inline.values()), ROLE_POLICY_QUOTA)
        sts = statements(deny)
        self.assertEqual(len(sts), 1)
        self.assertEqual((sts[0]["Effect"], sts[0]["Action"], sts[0]["Resource"]), ("Deny", "*", "*"))
        listed = sts[0]["Condition"]["StringLike"][KEY]
        self.assertEqual(sorted(listed), sorted(f"*/{iid}" for iid in ids), "not every instance is denied")
        attached = self.iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
        self.assertEqual(attached, attached_before, "attached managed policies changed")
        self.assertLessEqual(len(attached), ATTACHED_POLICIES_QUOTA)
        for p in attached:  # cordon writes no managed policy; the one there stays within its quota
            v = self.iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]["DefaultVersionId"]
            doc = self.iam.get_policy_version(PolicyArn=p["PolicyArn"], VersionId=v)["PolicyVersion"]["Document"]
            self.assertLessEqual(iam_size(doc), MANAGED_POLICY_QUOTA)
        self.assertFalse([a for a in self.associations() if a["InstanceId"] in set(ids)
                          and a["State"] == "associated"], "instance profiles left on contained instances")

        # a rerun (of a few: each is checked on its own) changes nothing on the role
        proc = self.contain(case, ids[:5], "--only", "credentials")
        self.assertExit(proc, 0)
        self.assertEqual(self.inline(), inline)

        # release of one instance takes out just that id
        one = ids[57]
        proc = self.cordon("release", one, "--case", case, "--yes", "--cases-dir", self.cases)
        self.assertExit(proc, 0)
        after = statements(self.inline()[deny_name])[0]["Condition"]["StringLike"][KEY]
        self.assertEqual(sorted(after), sorted(f"*/{iid}" for iid in ids if iid != one))
        self.assertIn(one, {a["InstanceId"] for a in self.associations() if a["State"] == "associated"})

    def test_a_run_over_the_quota_stops_before_any_change(self):
        ids = self.build_fleet(30, seed_inline_chars=9800)
        before_inline = self.inline()
        self.assertLess(sum(iam_size(d) for d in before_inline.values()), ROLE_POLICY_QUOTA)
        proc = self.contain("IR-QOVER", ids)
        self.assertEqual(proc.returncode, 1, proc.stderr[-4000:])
        for part in (f"role {ROLE} would hold", str(ROLE_POLICY_QUOTA), "reference_iam-quotas.html",
                     "nothing was changed", "Contain at most", "--quarantine-profile"):
            self.assertIn(part, proc.stderr)
        self.assertEqual(mutating_calls(self.range.stats()), {}, "cordon changed something")
        # and, judged by boto3: no tag, no group change, no snapshot, no profile change, role as it was
        inst = [i for r in self.ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]]
        for i in inst:
            self.assertFalse([t for t in i.get("Tags", []) if t["Key"].startswith(("cordon", "incident"))],
                             i["InstanceId"])
            self.assertEqual([g["GroupId"] for g in i["SecurityGroups"]], [self.sg], i["InstanceId"])
        self.assertEqual(self.ec2.describe_snapshots(
            OwnerIds=["self"], Filters=[{"Name": "tag-key", "Values": ["cordon:case"]}])["Snapshots"], [])
        self.assertEqual(self.ec2.describe_snapshots(
            OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": self.volumes(inst)}])["Snapshots"], [])
        self.assertEqual(len([a for a in self.associations() if a["State"] == "associated"]), len(ids))
        self.assertEqual(self.inline(), before_inline)

    def test_plan_warns_of_the_quota_and_changes_nothing(self):
        ids = self.build_fleet(30, seed_inline_chars=9800)
        proc = self.cordon("contain", *ids[:30], "--case", "IR-QPLAN", "--plan", "--cases-dir", self.cases)
        self.assertExit(proc, 0)
        self.assertIn("contain would stop before any change: role fleet-role would hold", proc.stderr)
        self.assertEqual(mutating_calls(self.range.stats()), {})


if __name__ == "__main__":
    unittest.main()
