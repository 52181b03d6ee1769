"""Issue 13, "Many regions and accounts": contain, preserve and release with --organization, against moto
behind the range, judged by boto3 in the member account that holds the suspect.

The organization (moto 5.2.1: CreateOrganization by the profile's account 123456789012, which becomes
its management account; CreateAccount makes a member with the role OrganizationAccountAccessRole,
trusted by the management account; CloseAccount suspends one) has three members that cordon can reach
(web, payments, data), one whose role has another name (norole), and one closed (SUSPENDED). The
suspect runs in payments.

What the range serves that moto lacks (range/organizations.py, range/sts_roles.py), each as AWS
documents it:
- ListAccounts only from the management account or a delegated administrator: another member gets
  AccessDeniedException and an account outside any organization AWSOrganizationsNotInUseException
  (Organizations API Reference, ListAccounts, "Errors"); moto answers both with an empty list.
- ListAccounts pages, and "can occasionally return an empty set of results even when more results are
  available" (ListAccounts, NextToken): the range pages two accounts at a time after an empty first page,
  so the suspect's account is on a later page.
- Account.Status is retired since 2026-09-09 ("Account", Status); the range answers State alone.
- sts:AssumeRole of a role that does not exist is refused, AccessDenied (HTTP 403) (STS API Reference,
  AssumeRole; IAM User Guide, "Troubleshoot IAM roles"); moto grants any role ARN.

Run from the repository root:  python3 -m unittest tests/integration/organization_test.py -v
(CORDON_BIN selects the binary; default build/src/cli/cordon.)
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest

import boto3
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
from helpers import REGION, Range, boto3_client, run_cordon  # noqa: E402

MANAGEMENT = "123456789012"
ROLE = "OrganizationAccountAccessRole"
EXIT_USAGE, EXIT_AMBIGUOUS, EXIT_ACCESS_DENIED = 2, 4, 5


def credentials_in(endpoint: str, account: str, role: str = ROLE) -> dict:
    """Temporary credentials of `role` in `account`, from STS at `endpoint`."""
    sts = boto3_client("sts", endpoint)
    return sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="test")["Credentials"]


def client_in(service: str, endpoint: str, creds: dict):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def env_of(creds: dict) -> dict:
    """cordon's environment as the holder of `creds` (another account's profile)."""
    return {"AWS_ACCESS_KEY_ID": creds["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"]}


def build_suspect(ec2) -> dict:
    """A VPC, a subnet, a group and a running instance with an extra volume; their ids and IP."""
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.41.1.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
                             SecurityGroupIds=[sg],
                             BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 8}}])
    i = inst["Instances"][0]
    return {"vpc": vpc, "sg": sg, "iid": i["InstanceId"], "ip": i["PrivateIpAddress"]}


class OrganizationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint, cls.moto = cls.range.endpoint, cls.range.moto
        cls.range.control("POST", "sts", {"roles_must_exist": True})
        org = boto3_client("organizations", cls.moto)
        org.create_organization(FeatureSet="ALL")

        def member(name, **kw):
            made = org.create_account(Email=f"{name}@example.com", AccountName=name, **kw)
            return made["CreateAccountStatus"]["AccountId"]

        cls.accounts = {name: member(name) for name in ("web", "payments", "data")}
        cls.accounts["norole"] = member("norole", RoleName="AdminRole")
        cls.accounts["closed"] = member("closed")
        org.close_account(AccountId=cls.accounts["closed"])
        cls.payments = credentials_in(cls.moto, cls.accounts["payments"])
        cls.ec2 = client_in("ec2", cls.moto, cls.payments)
        cls.suspect = build_suspect(cls.ec2)

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()

    def setUp(self):
        self.cases = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases, True)
        self.range.control("DELETE", "requests")

    def cordon(self, *args, env=None):
        return run_cordon([*args, "--cases-dir", self.cases], endpoint=self.endpoint, env=env)

    def groups(self):
        enis = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [self.suspect["iid"]]}])["NetworkInterfaces"]
        return {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in enis}

    def tags(self):
        inst = self.ec2.describe_instances(InstanceIds=[self.suspect["iid"]])["Reservations"][0]["Instances"][0]
        return {t["Key"]: t["Value"] for t in inst.get("Tags", [])}

    def assumed(self) -> set:
        """The role ARNs cordon asked STS for, from the range's request log."""
        log = self.range.control("GET", "requests?service=sts&action=AssumeRole")["requests"]
        return {r["params"]["RoleArn"] for r in log}

    def location(self, case):
        show = run_cordon(["case", "show", case, "--cases-dir", self.cases, "--output", "json"])
        self.assertEqual(show.returncode, 0, show.stdout + show.stderr)
        return json.loads(show.stdout)["locations"][self.suspect["iid"]]

    def test_contain_finds_the_suspect_in_a_member_account_and_release_undoes_it(self):
        s, case = self.suspect, "IR-ORG-1"
        before = self.groups()
        proc = self.cordon("contain", s["iid"], "--organization", "--role-name", ROLE, "--case", case, "--yes")
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        iso = self.ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": [f"cordon-isolation-{s['vpc']}"]}])["SecurityGroups"]
        self.assertEqual(len(iso), 1, iso)
        self.assertEqual(list(self.groups().values()), [[iso[0]["GroupId"]]])
        self.assertEqual(self.tags()["incident-response"], f"quarantine:{case}")
        where = self.location(case)
        self.assertEqual(where["account"], self.accounts["payments"])
        self.assertEqual(where["region"], REGION)
        self.assertEqual(where["role_arn"], f"arn:aws:iam::{self.accounts['payments']}:role/{ROLE}")
        # Every active member was searched through the role, the closed one and the caller's own not.
        arns = self.assumed()
        for name in ("web", "payments", "data", "norole"):
            self.assertIn(f"arn:aws:iam::{self.accounts[name]}:role/{ROLE}", arns)
        self.assertFalse([a for a in arns if self.accounts["closed"] in a or MANAGEMENT in a], arns)
        # The member whose role could not be assumed is named, and did not stop the others.
        self.assertIn(f"could not search account {self.accounts['norole']}", proc.stderr)
        self.assertIn("AccessDenied", proc.stderr)
        pages = self.range.control("GET", "requests?service=organizations&action=ListAccounts")["requests"]
        self.assertGreater(len(pages), 2, pages)  # every page, the empty first one included

        rel = self.cordon("release", "--case", case, "--yes")  # the case knows the account and role
        self.assertEqual(rel.returncode, 0, rel.stdout + rel.stderr)
        self.assertEqual(self.groups(), before)
        self.assertNotEqual(self.tags().get("incident-response"), f"quarantine:{case}")

    def test_preserve_snapshots_in_the_member_account(self):
        s, case = self.suspect, "IR-ORG-P"
        proc = self.cordon("preserve", s["iid"], "--organization", "--role-name", ROLE, "--case", case)
        self.assertIn(proc.returncode, (0, 6), proc.stdout + proc.stderr)
        snaps = self.ec2.describe_snapshots(Filters=[{"Name": "tag:cordon:case", "Values": [case]}])["Snapshots"]
        inst = self.ec2.describe_instances(InstanceIds=[s["iid"]])["Reservations"][0]["Instances"][0]
        self.assertEqual(sorted(x["VolumeId"] for x in snaps),
                         sorted(m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"]))
        self.assertEqual(self.location(case)["account"], self.accounts["payments"])

    def test_an_ip_while_a_member_cannot_be_searched_is_ambiguous(self):
        """As with --accounts: another instance in the unsearched account may hold the same IP."""
        proc = self.cordon("contain", self.suspect["ip"], "--organization", "--role-name", ROLE,
                           "--case", "IR-ORG-IP", "--yes")
        self.assertEqual(proc.returncode, EXIT_AMBIGUOUS, proc.stdout + proc.stderr)
        self.assertIn(f"account {self.accounts['norole']}", proc.stderr)
        self.assertIn("nothing was changed", proc.stderr)
        self.assertNotIn("incident-response", self.tags())

    def test_a_delegated_administrator_lists_the_organization(self):
        data = self.accounts["data"]
        boto3_client("organizations", self.moto).register_delegated_administrator(
            AccountId=data, ServicePrincipal="guardduty.amazonaws.com")
        self.addCleanup(boto3_client("organizations", self.moto).deregister_delegated_administrator,
                        AccountId=data, ServicePrincipal="guardduty.amazonaws.com")
        env = env_of(credentials_in(self.moto, data))
        proc = self.cordon("contain", self.suspect["iid"], "--organization", "--role-name", ROLE,
                           "--case", "IR-ORG-DA", "--plan", env=env)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn(f"{self.suspect['iid']} ({REGION}, ", proc.stdout)
        # The management account is a member like the others here: its role is assumed (and is absent).
        self.assertIn(f"arn:aws:iam::{MANAGEMENT}:role/{ROLE}", self.assumed())
        self.assertFalse([a for a in self.assumed() if f"::{data}:" in a])

    def test_a_member_account_is_refused_naming_who_may_list(self):
        env = env_of(credentials_in(self.moto, self.accounts["web"]))
        proc = self.cordon("contain", self.suspect["iid"], "--organization", "--role-name", ROLE,
                           "--case", "IR-ORG-M", "--yes", env=env)
        self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, proc.stdout + proc.stderr)
        self.assertIn("AccessDeniedException", proc.stderr)
        self.assertIn("management account or a delegated administrator", proc.stderr)
        self.assertIn("nothing was changed", proc.stderr)
        self.assertFalse(self.assumed())

    def test_an_account_outside_any_organization_is_told_so(self):
        env = env_of(credentials_in(self.moto, "999999999999"))  # moto grants any role: no organization
        proc = self.cordon("contain", self.suspect["iid"], "--organization", "--role-name", ROLE,
                           "--case", "IR-ORG-N", "--yes", env=env)
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stdout + proc.stderr)
        self.assertIn("not in an organization", proc.stderr)
        self.assertIn("AWSOrganizationsNotInUseException", proc.stderr)
        self.assertIn("--accounts", proc.stderr)

    def test_flags_that_do_not_go_together_are_refused_before_any_call(self):
        both = self.cordon("contain", self.suspect["iid"], "--organization", "--accounts", self.accounts["web"],
                           "--role-name", ROLE, "--case", "IR-ORG-F", "--yes")
        self.assertEqual(both.returncode, EXIT_USAGE, both.stderr)
        self.assertIn("mutually exclusive", both.stderr)
        alone = self.cordon("contain", self.suspect["iid"], "--organization", "--case", "IR-ORG-F", "--yes")
        self.assertEqual(alone.returncode, EXIT_USAGE, alone.stderr)
        self.assertIn("--organization needs --role-name", alone.stderr)
        self.assertFalse(self.range.control("GET", "requests")["requests"])

    def test_the_range_lists_accounts_as_aws_does(self):
        """The range's ListAccounts itself, judged by boto3: an empty first page with a NextToken, every
        account over the pages with State and without the retired Status, and a member refused."""
        org = boto3_client("organizations", self.endpoint)
        first = org.list_accounts()
        self.assertEqual(first["Accounts"], [])
        self.assertTrue(first.get("NextToken"))
        listed = [a for page in org.get_paginator("list_accounts").paginate() for a in page["Accounts"]]
        self.assertEqual(sorted(a["Id"] for a in listed), sorted([MANAGEMENT, *self.accounts.values()]))
        states = {a["Id"]: a["State"] for a in listed}
        self.assertEqual(states[self.accounts["closed"]], "SUSPENDED")
        self.assertFalse([a for a in listed if "Status" in a])
        member = client_in("organizations", self.endpoint, credentials_in(self.moto, self.accounts["web"]))
        with self.assertRaises(botocore.exceptions.ClientError) as refused:
            member.list_accounts()
        self.assertEqual(refused.exception.response["Error"]["Code"], "AccessDeniedException")

    def test_iam_policy_for_organization(self):
        """The caller's policy for `contain --organization --role-name ROLE` (run under that policy in
        organization_iam_test.py); the pseudo-command `--for organization` is gone, saying what to give."""
        proc = run_cordon(["iam-policy", "--for", "contain", "--organization", "--role-name", ROLE])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reach = {st["Sid"]: st for st in json.loads(proc.stdout)["Statement"]}
        self.assertEqual(reach["CordonAssumeRole"]["Resource"], [f"arn:aws:iam::*:role/{ROLE}"])
        self.assertEqual(sorted(reach["CordonListAccounts"]["Action"]),
                         ["organizations:ListAccounts", "sts:GetCallerIdentity"])
        old = run_cordon(["iam-policy", "--for", "organization"])
        self.assertEqual(old.returncode, EXIT_USAGE, old.stderr)
        self.assertIn("--for contain --organization --role-name ROLE", old.stderr)


if __name__ == "__main__":
    unittest.main()
