"""`cordon hunt` attribution on trails an attacker shaped (issue 16, "Attribution"): the three forged-log
cases, through the CLI and its json and text output. No AWS is involved; the records are written here in
the shape of CloudTrail's record contents and userIdentity element references (the fields the Stratus
Red Team ec2-steal-instance-credentials detonation in tests/data has), so the expected answer is known
by construction:
  1. the instance's credentials from its own private IP, through another account's VPC endpoint
     (vpcEndpointAccountId), are a use from elsewhere;
  2. a role the instance's session assumed (sts AssumeRole, responseElements.credentials.accessKeyId) is
     followed, two hops deep, though its records name neither the instance nor its role;
  3. a session merely named after a sibling instance (no sessionContext.ec2RoleDelivery, which CloudTrail
     sets only on credentials EC2 delivered to an instance) does not frame the sibling.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/hunt_attribution_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from helpers import run_cordon  # noqa: E402

ACCOUNT = "111122223333"
INSTANCE = "i-0a1b2c3d4e5f60718"
SIBLING = "i-0fedcba987654321f"
OWN_IP = "10.0.1.25"


def session_arn(role: str, name: str) -> str:
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{name}"


def record(event_id, time, arn, key, ip, name="ListBuckets", source="s3.amazonaws.com", ec2=False,
           response=None, **extra) -> dict:
    role = arn.split("/")[1]
    context = {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID",
                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                 "userName": role},
               "attributes": {"creationDate": "2026-11-30T09:00:00Z", "mfaAuthenticated": "false"}}
    if ec2:
        context["ec2RoleDelivery"] = "2.0"
    rec = {"eventVersion": "1.09",
           "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLEROLEID:" + arn.split("/")[-1],
                            "arn": arn, "accountId": ACCOUNT, "accessKeyId": key, "sessionContext": context},
           "eventTime": time, "eventSource": source, "eventName": name, "awsRegion": "eu-west-1",
           "sourceIPAddress": ip, "userAgent": "aws-cli/2.15.0", "requestParameters": None,
           "responseElements": response, "eventID": event_id, "readOnly": True, "eventType": "AwsApiCall",
           "recipientAccountId": ACCOUNT}
    rec.update(extra)
    return rec


class HuntAttributionTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cordon-attribution-"))
        self.addCleanup(lambda: __import__("shutil").rmtree(self.dir, ignore_errors=True))

    def trail(self, name: str, records: list[dict]) -> None:
        (self.dir / name).write_text(json.dumps({"Records": records}))

    def hunt(self, instance: str, *extra) -> dict:
        proc = run_cordon(["hunt", "--cloudtrail", self.dir, "--instance", instance, "--ip", OWN_IP,
                           "--output", "json", *extra])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["cloudtrail"]

    def hunt_text(self, instance: str) -> str:
        proc = run_cordon(["hunt", "--cloudtrail", self.dir, "--instance", instance, "--ip", OWN_IP])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_own_ip_through_another_accounts_endpoint_is_exfiltration(self):
        me = session_arn("app-role", INSTANCE)
        self.trail("t.json", [
            record("e-own", "2026-11-30T10:00:00Z", me, "ASIAINSTANCEKEY00001", OWN_IP, ec2=True,
                   vpcEndpointId="vpce-0own", vpcEndpointAccountId=ACCOUNT),
            record("e-foreign", "2026-11-30T10:05:00Z", me, "ASIAINSTANCEKEY00001", OWN_IP, ec2=True,
                   vpcEndpointId="vpce-0attacker", vpcEndpointAccountId="444455556666")])
        ct = self.hunt(INSTANCE)
        self.assertEqual([(s["own_ip"], s["vpcEndpointAccountId"]) for s in ct["sessions"]],
                         [(True, ACCOUNT), (False, "444455556666")])
        self.assertEqual([(x["sourceIPAddress"], x["vpcEndpointAccountId"], x["first"]) for x in ct["exfiltration"]],
                         [(OWN_IP, "444455556666", "2026-11-30T10:05:00Z")])
        self.assertIn("through a VPC endpoint of account 444455556666", self.hunt_text(INSTANCE))

    def test_roles_assumed_from_the_instance_session_are_followed(self):
        me = session_arn("app-role", INSTANCE)
        pivot, deeper = session_arn("admin-role", "pivot"), session_arn("data-role", "deeper")
        self.trail("a.json", [record(
            "e-assume", "2026-11-30T10:00:00Z", me, "ASIAINSTANCEKEY00001", OWN_IP, "AssumeRole",
            "sts.amazonaws.com", ec2=True,
            response={"credentials": {"accessKeyId": "ASIAPIVOTKEY00000002"},
                      "assumedRoleUser": {"assumedRoleId": "AROAADMIN:pivot", "arn": pivot}})])
        self.trail("b.json", [
            record("e-pivot", "2026-11-30T10:10:00Z", pivot, "ASIAPIVOTKEY00000002", "203.0.113.9"),
            record("e-pivot-assume", "2026-11-30T10:11:00Z", pivot, "ASIAPIVOTKEY00000002", "203.0.113.9",
                   "AssumeRole", "sts.amazonaws.com",
                   response={"credentials": {"accessKeyId": "ASIADEEPERKEY0000003"},
                             "assumedRoleUser": {"arn": deeper}}),
            record("e-deeper", "2026-11-30T10:12:00Z", deeper, "ASIADEEPERKEY0000003", "203.0.113.9",
                   "GetObject"),
            record("e-other", "2026-11-30T10:13:00Z", session_arn("admin-role", "someone"),
                   "ASIAOTHERKEY00000004", "203.0.113.9")])
        ct = self.hunt(INSTANCE)
        self.assertEqual({e["eventID"]: e.get("assumed_from") for e in ct["by"]},
                         {"e-assume": None, "e-pivot": me, "e-pivot-assume": me, "e-deeper": pivot})
        self.assertEqual([(x["session"], x["instance"], x["events"], x["assumed_from"]) for x in ct["exfiltration"]],
                         [(pivot, INSTANCE, 2, me), (deeper, INSTANCE, 1, pivot)])
        self.assertIn(f"(a role assumed by {pivot})", self.hunt_text(INSTANCE))

    def test_a_session_named_after_a_sibling_does_not_frame_it(self):
        framed = session_arn("app-role", SIBLING)
        self.trail("t.json", [record("e-framed", "2026-11-30T10:00:00Z", framed, "ASIAFORGEDKEY0000001",
                                     "198.51.100.7")])
        ct = self.hunt(SIBLING)
        self.assertEqual(ct["exfiltration"], [])
        self.assertEqual([(s["session"], s["issued_by_ec2"]) for s in ct["unproven_sessions"]], [(framed, False)])
        text = self.hunt_text(SIBLING)
        self.assertNotIn("CREDENTIAL EXFILTRATION", text)
        self.assertIn("no record shows EC2 issued it", text)
        # The same record with the field EC2 sets is the sibling's credentials, used from outside.
        self.trail("t.json", [record("e-framed", "2026-11-30T10:00:00Z", framed, "ASIAFORGEDKEY0000001",
                                     "198.51.100.7", ec2=True)])
        self.assertEqual([x["sourceIPAddress"] for x in self.hunt(SIBLING)["exfiltration"]], ["198.51.100.7"])


if __name__ == "__main__":
    unittest.main()
