"""Issue 13, "Least privilege that cannot escalate" for "Many regions and accounts": contain with
--organization and with --accounts, under moto enforcing IAM, as a user whose only permissions are the
caller's policy `cordon iam-policy` printed for that command line, into member accounts whose role
holds exactly the member policy it said that role needs.

moto 5.2.1 enforcing IAM (INITIAL_NO_AUTH_ACTION_COUNT=0, through range/moto_auth.py) judges sts:AssumeRole
against the Resource of the caller's statements (the role ARN the request names, moto/sts/responses.py
_determine_resource), so a role outside the printed ARNs is refused as AWS refuses it; moto ignores
the caller's conditions, so range/moto_auth.py (its fourth correction) evaluates sts:RoleSessionName
on AssumeRole as AWS does: the printed statement allows only sessions named "cordon-*", and every
contain here passes only if cordon names its sessions so (src/response/iam_policy_test.cc checks the
key itself against the Service Authorization Reference by a hand-written table). The range serves ListAccounts (range/organizations.py)
after moto has judged the caller's own request (its signature, organizations:ListAccounts).

The organization: the profile's account 123456789012 (management) and two members, web and payments,
made by moto's CreateAccount (each with OrganizationAccountAccessRole, trusting the management
account). The suspects run in payments. Set up and judged as moto's root (a window of unauthenticated
requests, /moto-api/reset-auth), as tests/integration/iam_policy_test.py does.

Run from the repository root:  python3 -m unittest tests/integration/organization_iam_test.py -v
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.request

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import Range, boto3_client, run_cordon  # noqa: E402
from organization_test import build_suspect, client_in, credentials_in  # noqa: E402

ROLE = "OrganizationAccountAccessRole"
EXIT_ACCESS_DENIED = 5


def free_requests(moto: str, n: int):
    """moto's /moto-api/reset-auth: the next `n` requests skip authentication and authorization."""
    req = urllib.request.Request(moto + "/moto-api/reset-auth", data=str(n).encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200


def iam_policy(*args) -> tuple[dict, str]:
    """`cordon iam-policy ARGS`: the policy document and what it said on stderr."""
    proc = run_cordon(["iam-policy", *args])
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def without_statement(policy: dict, sid: str) -> dict:
    kept = [st for st in policy["Statement"] if st["Sid"] != sid]
    assert len(kept) == len(policy["Statement"]) - 1, (sid, policy)
    return {**policy, "Statement": kept}


class OrganizationIamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.range = Range("--moto-env", "INITIAL_NO_AUTH_ACTION_COUNT=0").start(timeout=180)  # a loaded machine
        cls.endpoint, cls.moto = cls.range.endpoint, cls.range.moto
        with cls.root():
            org = boto3_client("organizations", cls.moto)
            org.create_organization(FeatureSet="ALL")
            cls.accounts = {name: org.create_account(Email=f"{name}@example.com", AccountName=name)
                            ["CreateAccountStatus"]["AccountId"] for name in ("web", "payments")}
            cls.payments = credentials_in(cls.moto, cls.accounts["payments"])
            cls.ec2 = client_in("ec2", cls.moto, cls.payments)
            cls.suspects = {name: build_suspect(cls.ec2) for name in ("org", "accounts", "denied", "scoped")}
        # The member role's policy, as the caller's policy said: the command's own.
        cls.caller_policy, cls.note = iam_policy("--for", "contain", "--organization", "--role-name", ROLE)
        member_policy, _ = iam_policy("--for", "contain")
        with cls.root():
            for name in cls.accounts:
                iam = client_in("iam", cls.moto, credentials_in(cls.moto, cls.accounts[name]))
                iam.put_role_policy(RoleName=ROLE, PolicyName="cordon", PolicyDocument=json.dumps(member_policy))

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()

    @classmethod
    @contextlib.contextmanager
    def root(cls):
        free_requests(cls.moto, 1_000_000)
        try:
            yield
        finally:
            free_requests(cls.moto, 0)

    def setUp(self):
        self.cases = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases, True)

    def user_with(self, name: str, policy: dict) -> tuple[str, str]:
        """An IAM user of the management account whose only permission is `policy`: its key pair."""
        with self.root():
            iam = boto3_client("iam", self.moto)
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName="cordon", PolicyDocument=json.dumps(policy))
            key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def contain_as(self, keys, suspect: str, case: str, *flags):
        return run_cordon(["contain", self.suspects[suspect]["iid"], *flags, "--role-name", ROLE, "--case", case,
                           "--yes", "--cases-dir", self.cases], endpoint=self.endpoint,
                          access_key=keys[0], secret_key=keys[1])

    def tags(self, suspect: str) -> dict:
        with self.root():
            inst = self.ec2.describe_instances(InstanceIds=[self.suspects[suspect]["iid"]])
        return {t["Key"]: t["Value"] for t in inst["Reservations"][0]["Instances"][0].get("Tags", [])}

    def groups(self, suspect: str) -> list:
        with self.root():
            enis = self.ec2.describe_network_interfaces(Filters=[
                {"Name": "attachment.instance-id", "Values": [self.suspects[suspect]["iid"]]}])["NetworkInterfaces"]
            iso = self.ec2.describe_security_groups(Filters=[
                {"Name": "group-name", "Values": [f"cordon-isolation-{self.suspects[suspect]['vpc']}"]}])
        return [sorted(g["GroupId"] for g in e["Groups"]) for e in enis], [g["GroupId"] for g in iso["SecurityGroups"]]

    def explain(self, proc) -> str:
        return f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"

    def assertContained(self, suspect: str, case: str):
        enis, iso = self.groups(suspect)
        self.assertEqual(len(iso), 1, iso)
        self.assertEqual(enis, [iso])
        self.assertEqual(self.tags(suspect)["incident-response"], f"quarantine:{case}")

    def test_iam_policy_says_what_the_member_role_needs(self):
        sids = [st["Sid"] for st in self.caller_policy["Statement"]]
        self.assertIn("CordonAssumeRole", sids)
        self.assertIn("CordonListAccounts", sids)
        [assume] = [st for st in self.caller_policy["Statement"] if st["Sid"] == "CordonAssumeRole"]
        self.assertEqual(assume["Resource"], [f"arn:aws:iam::*:role/{ROLE}"])
        self.assertIn(f"the role {ROLE}", self.note)
        self.assertIn("`cordon iam-policy --for contain`", self.note)

    def test_contain_organization_with_exactly_the_printed_policies(self):
        keys = self.user_with("org-responder", self.caller_policy)
        proc = self.contain_as(keys, "org", "IR-OIAM-1", "--organization")
        self.assertEqual(proc.returncode, 0, self.explain(proc))
        self.assertContained("org", "IR-OIAM-1")

    def test_contain_accounts_with_exactly_the_printed_policy(self):
        members = ",".join(self.accounts.values())
        policy, _ = iam_policy("--for", "contain", "--accounts", members, "--role-name", ROLE)
        [assume] = [st for st in policy["Statement"] if st["Sid"] == "CordonAssumeRole"]
        self.assertEqual(sorted(assume["Resource"]), sorted(f"arn:aws:iam::{a}:role/{ROLE}" for a in self.accounts.values()))
        self.assertNotIn("CordonListAccounts", [st["Sid"] for st in policy["Statement"]])
        keys = self.user_with("accounts-responder", policy)
        proc = self.contain_as(keys, "accounts", "IR-OIAM-2", "--accounts", members)
        self.assertEqual(proc.returncode, 0, self.explain(proc))
        self.assertContained("accounts", "IR-OIAM-2")

    def test_the_printed_policy_opens_only_sessions_named_as_cordon_names_them(self):
        """A stolen responder key cannot open a session CloudTrail would not show as cordon's: the
        printed CordonAssumeRole statement holds sts:RoleSessionName to "cordon-*" (IAM User Guide,
        "AWS global and IAM condition context keys", sts:RoleSessionName). Without the range's
        evaluation of the key (moto ignores it), the second AssumeRole would be granted."""
        keys = self.user_with("session-names", self.caller_policy)
        sts = boto3_client("sts", self.endpoint, access_key=keys[0], secret_key=keys[1])
        role = f"arn:aws:iam::{self.accounts['payments']}:role/{ROLE}"
        granted = sts.assume_role(RoleArn=role, RoleSessionName="cordon-IR-OIAM-6")
        self.assertTrue(granted["AssumedRoleUser"]["Arn"].endswith("/cordon-IR-OIAM-6"))
        with self.assertRaises(ClientError) as refused:
            sts.assume_role(RoleArn=role, RoleSessionName="someone-else")
        self.assertEqual(refused.exception.response["Error"]["Code"], "AccessDenied")

    def test_without_the_assume_role_statement_contain_is_refused_naming_it(self):
        keys = self.user_with("no-assume", without_statement(self.caller_policy, "CordonAssumeRole"))
        proc = self.contain_as(keys, "denied", "IR-OIAM-3", "--organization")
        self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, self.explain(proc))
        self.assertIn("sts:AssumeRole", proc.stderr, self.explain(proc))
        self.assertIn(f"account {self.accounts['payments']}", proc.stderr, self.explain(proc))
        self.assertNotIn("incident-response", self.tags("denied"))

    def test_a_role_outside_the_printed_accounts_is_refused(self):
        """--accounts scopes AssumeRole to the accounts named: a policy printed for web does not reach
        payments (moto judges the role ARN against the statement's Resource)."""
        policy, _ = iam_policy("--for", "contain", "--accounts", self.accounts["web"], "--role-name", ROLE)
        keys = self.user_with("web-only", policy)
        proc = self.contain_as(keys, "scoped", "IR-OIAM-4", "--accounts", self.accounts["payments"])
        self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, self.explain(proc))
        self.assertIn("sts:AssumeRole", proc.stderr, self.explain(proc))
        self.assertNotIn("incident-response", self.tags("scoped"))

    def test_without_list_accounts_organization_is_refused_naming_it(self):
        keys = self.user_with("no-list", without_statement(self.caller_policy, "CordonListAccounts"))
        proc = self.contain_as(keys, "denied", "IR-OIAM-5", "--organization")
        self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, self.explain(proc))
        self.assertIn("organizations:ListAccounts", proc.stderr, self.explain(proc))
        self.assertNotIn("incident-response", self.tags("denied"))


if __name__ == "__main__":
    unittest.main()
