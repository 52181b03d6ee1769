"""`cordon iam-policy` is enough, and not more than enough: moto enforcing IAM (auth on) runs each
command as a user whose only permissions are the policy cordon printed for it.

Run from the repository root:  python3 -m unittest tests/integration/iam_policy_test.py -v
The scenario is built, and the results judged, with boto3 as moto's root user (a window of
unauthenticated requests, /moto-api/reset-auth); cordon runs with the restricted user's keys only.
"""

from __future__ import annotations

import json
import os
import sys
import unittest

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import IamEnforcing, ResponseCase, client, explain, run_cordon  # noqa: E402

EXIT_ACCESS_DENIED = 5


class IamPolicyTests(IamEnforcing, ResponseCase):
    def setUp(self):
        with self.as_root():
            self.fresh()
            self.pre = self.state()

    def policy_for(self, commands: str) -> dict:
        proc = run_cordon(["iam-policy", "--for", commands])
        self.assertExit(proc, 0, "cordon iam-policy")
        return json.loads(proc.stdout)

    def user_with(self, name: str, policy: dict) -> tuple[str, str]:
        """An IAM user whose only permission is `policy`; returns its access key pair."""
        with self.as_root():
            iam = client("iam", self.moto)
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName="cordon", PolicyDocument=json.dumps(policy))
            key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def as_user(self, keys: tuple[str, str], *args):
        return run_cordon(list(args), self.endpoint, key=keys[0], secret=keys[1])

    def test_triage_reads_every_part_with_exactly_its_policy(self):
        keys = self.user_with("triager", self.policy_for("triage"))
        proc = self.as_user(keys, "triage", self.ids["suspect"], "--output", "json")
        self.assertExit(proc, 0, "triage as the triage-policy user")
        inventory = json.loads(proc.stdout)["inventory"]
        # No part of the inventory was refused: a missing action would show as {"error": "...AccessDenied..."}.
        refused = [k for k, v in inventory.items() if isinstance(v, dict) and "error" in v]
        self.assertEqual(refused, [], proc.stdout[:2000])
        self.assertEqual(inventory["instance"]["id"], self.ids["suspect"])
        self.assertEqual(len(inventory["volumes"]), 3)

    def test_contain_then_release_with_exactly_their_policies(self):
        case = "IR-IAM-1"
        keys = self.user_with("containment", self.policy_for("contain"))
        proc = self.as_user(keys, "contain", self.ids["suspect"], "--case", case, "--yes", "--cases-dir",
                            self.cases_dir, "--responder", self.responder)
        self.assertExit(proc, 0, "contain as the contain-policy user")
        with self.as_root():
            self.assertContained(case, self.pre)

        keys = self.user_with("releaser", self.policy_for("release"))
        proc = self.as_user(keys, "release", "--case", case, "--yes", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0, "release as the release-policy user")
        with self.as_root():
            released = self.state()
        me, before = released["instances"][self.ids["suspect"]], self.pre["instances"][self.ids["suspect"]]
        for field in ("enis", "eips", "profile", "disable_api_termination", "shutdown_behavior"):
            self.assertEqual(me[field], before[field], field)
        self.assertIn(self.ids["suspect"], released["asg"]["members"])

    def test_watch_with_exactly_its_policy(self):
        """`cordon watch --notify` contains a GuardDuty finding off the queue with only `--for watch`."""
        with self.as_root():
            sqs, events, sns = client("sqs", self.moto), client("events", self.moto), client("sns", self.moto)
            queue = sqs.create_queue(QueueName="iam-watch")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            events.put_rule(Name="gd", EventPattern=json.dumps({"source": ["aws.guardduty"]}))
            events.put_targets(Rule="gd", Targets=[{"Id": "q", "Arn": arn}])
            topic = sns.create_topic(Name="iam-handover")["TopicArn"]
            detail = {"id": "0123456789abcdef0123456789abcdef", "type": "Backdoor:EC2/C&CActivity.B", "severity": 8,
                      "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": self.ids["suspect"]}}}
            events.put_events(Entries=[{"Source": "aws.guardduty", "DetailType": "GuardDuty Finding",
                                        "Detail": json.dumps(detail)}])
        # contain's policy alone lacks the queue's actions: refused at the first receive, exit 5
        narrow = self.user_with("narrow-watcher", self.policy_for("contain"))
        proc = self.as_user(narrow, "watch", "--queue", queue, "--cases-dir", self.cases_dir, "--once")
        self.assertExit(proc, EXIT_ACCESS_DENIED, "watch with contain's policy only")
        keys = self.user_with("watcher", self.policy_for("watch"))
        proc = self.as_user(keys, "watch", "--queue", queue, "--cases-dir", self.cases_dir, "--responder",
                            self.responder, "--wait-seconds", "1", "--exit-when-idle", "3", "--notify", f"sns:{topic}")
        self.assertExit(proc, 0, "watch as the watch-policy user")
        outcomes = [json.loads(ln) for ln in proc.stderr.splitlines() if '"log":"outcome"' in ln]
        self.assertEqual([(o["outcome"], o["deleted"]) for o in outcomes], [("contained", True)], explain(proc))
        with self.as_root():
            self.assertContained("AUTO-GD-0123456789abcdef0123456789abcdef", self.pre)

    def test_preserve_with_exactly_its_policy(self):
        keys = self.user_with("preserver", self.policy_for("preserve"))
        proc = self.as_user(keys, "preserve", self.ids["suspect"], "--case", "IR-IAM-3", "--cases-dir",
                            self.cases_dir, "--responder", self.responder)
        self.assertExit(proc, 0, "preserve as the preserve-policy user")
        with self.as_root():
            snaps = client("ec2", self.moto).describe_snapshots(
                Filters=[{"Name": "tag:cordon:case", "Values": ["IR-IAM-3"]}])["Snapshots"]
        self.assertEqual(len(snaps), 3)

    def test_a_policy_missing_one_action_is_refused_and_the_action_named(self):
        policy = self.policy_for("contain")
        for statement in policy["Statement"]:
            actions = statement["Action"]
            statement["Action"] = [a for a in actions if a != "autoscaling:DetachInstances"]
        keys = self.user_with("almost", policy)
        proc = self.as_user(keys, "contain", self.ids["suspect"], "--case", "IR-IAM-2", "--yes", "--cases-dir",
                            self.cases_dir, "--responder", self.responder)
        self.assertExit(proc, EXIT_ACCESS_DENIED, "contain without autoscaling:DetachInstances")
        self.assertIn("autoscaling:DetachInstances", proc.stderr + proc.stdout, explain(proc))
        with self.as_root():
            after = self.state()
        # Network isolation comes after Auto Scaling: the suspect still has its own groups.
        iid = self.ids["suspect"]
        self.assertEqual(after["instances"][iid]["enis"], self.pre["instances"][iid]["enis"])
        self.assertIn(iid, after["asg"]["members"])


    # -- posture and evidence-bucket create. Their REST calls without a body (GuardDuty ListDetectors,
    # Macie GetMacieSession, Security Hub DescribeHub) and S3's HeadBucket pass moto's IAM checks only
    # as range/moto_auth.py corrects them; boto3's calls failed there the same way.
    def without(self, policy: dict, action: str) -> dict:
        for statement in policy["Statement"]:
            actions = statement["Action"]
            self.assertIsInstance(actions, list)
            statement["Action"] = [a for a in actions if a != action]
        return policy

    def posture_as(self, keys=None):
        args = ["posture", "--output", "json"]
        proc = self.as_user(keys, *args) if keys else run_cordon(args, self.endpoint)
        self.assertIn(proc.returncode, (0, 6), explain(proc))
        return proc, json.loads(proc.stdout)

    def test_posture_with_exactly_its_policy_sees_what_an_unrestricted_caller_sees(self):
        with self.as_root():  # no authorization at all: the answer a policy must not narrow
            _, unrestricted = self.posture_as()
        keys = self.user_with("assessor", self.policy_for("posture"))
        proc, doc = self.posture_as(keys)
        refused = [n for n in doc["not_assessed"] if "AccessDenied" in n["reason"] or "Signature" in n["reason"]]
        self.assertEqual(refused, [], explain(proc))
        self.assertEqual(doc["not_assessed"], unrestricted["not_assessed"])
        self.assertEqual(doc["findings"], unrestricted["findings"])
        self.assertEqual(proc.returncode, 0 if not doc["not_assessed"] else 6, explain(proc))
        # The calls that SignatureDoesNotMatch used to refuse were made and answered.
        checks = {f["check"] for f in doc["findings"]}
        self.assertIn("guardduty.off", checks, doc["findings"])

    def test_posture_without_one_action_names_it(self):
        keys = self.user_with("half-assessor", self.without(self.policy_for("posture"), "guardduty:ListDetectors"))
        proc, doc = self.posture_as(keys)
        self.assertEqual(proc.returncode, 6, explain(proc))
        [n] = [n for n in doc["not_assessed"] if n["check"] == "guardduty"]
        self.assertIn("AccessDenied", n["reason"])
        self.assertIn("guardduty:ListDetectors", n["reason"])
        self.assertNotIn("guardduty.off", {f["check"] for f in doc["findings"]}, "a refused check reported as a finding")

    def test_evidence_bucket_create_with_exactly_its_policy(self):
        keys = self.user_with("custodian", self.policy_for("evidence-bucket"))
        proc = self.as_user(keys, "evidence-bucket", "create", "s3://iam-evidence", "--output", "json")
        self.assertExit(proc, 0, "evidence-bucket create as the evidence-bucket-policy user")
        with self.as_root():
            s3 = client("s3", self.moto)
            lock = s3.get_object_lock_configuration(Bucket="iam-evidence")["ObjectLockConfiguration"]
            self.assertEqual(lock["ObjectLockEnabled"], "Enabled")
            self.assertEqual(lock["Rule"]["DefaultRetention"]["Mode"], "COMPLIANCE")
            self.assertEqual(s3.get_bucket_versioning(Bucket="iam-evidence")["Status"], "Enabled")
            policy = json.loads(s3.get_bucket_policy(Bucket="iam-evidence")["Policy"])
            self.assertTrue(any(st["Effect"] == "Deny" for st in policy["Statement"]), policy)
            self.assertEqual(s3.get_bucket_logging(Bucket="iam-evidence")["LoggingEnabled"]["TargetBucket"],
                             "iam-evidence-logs")

    def test_evidence_bucket_create_without_one_action_is_refused_and_the_action_named(self):
        policy = self.without(self.policy_for("evidence-bucket"), "s3:PutBucketPolicy")
        keys = self.user_with("half-custodian", policy)
        proc = self.as_user(keys, "evidence-bucket", "create", "s3://iam-evidence-2")
        self.assertExit(proc, EXIT_ACCESS_DENIED, "evidence-bucket create without s3:PutBucketPolicy")
        # S3's AccessDenied names no action; cordon names the operation and where to find the policy.
        self.assertIn("AccessDenied", proc.stderr, explain(proc))
        self.assertIn("PutBucketPolicy", proc.stderr, explain(proc))
        self.assertIn("cordon iam-policy", proc.stderr, explain(proc))
        with self.as_root():
            s3 = client("s3", self.moto)
            with self.assertRaises(botocore.exceptions.ClientError):
                s3.get_bucket_policy(Bucket="iam-evidence-2")

if __name__ == "__main__":
    unittest.main()
