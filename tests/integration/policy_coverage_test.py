"""Every AWS call each command makes is allowed by `cordon iam-policy --for THAT_COMMAND`.

iam_policy_test.py runs commands under their printed policy in IAM-enforcing moto, which misses an
action whose refusal cordon tolerates (triage reports the part refused, the fleet read falls back)
and one on a path its scenario does not take. Here each command runs with unrestricted credentials
on paths as wide as the range can serve (a fleet of two with --all-regions, memory capture and
--nacl; an evidence bucket; S3 log sources), the range's request log says what it called, and
iam_actions.py names the IAM action of each request. Every action needed must be in the command's
policy; the actions the policy grants and no request needed are printed as a list (not a failure),
so that an over-broad policy shows.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest -v tests/integration/policy_coverage_test.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iam_actions  # noqa: E402
from helpers import create_write_once_bucket  # noqa: E402
from scenario import AMI, REGION, ResponseCase, client, explain, run_cordon  # noqa: E402

EVIDENCE = "evidence"
LOGS = "logs"
TOOL, TOOL_SHA256 = "/opt/ir/avml", hashlib.sha256(b"the staged acquisition tool").hexdigest()
SSM_SERVICES = ("ssm", "ssmmessages", "ec2messages")


class PolicyCoverageTest(ResponseCase):
    unused: dict[str, list[str]] = {}

    @classmethod
    def tearDownClass(cls):
        # Granted but never needed here: over-broad, or a path the scenario does not take.
        for key, actions in sorted(cls.unused.items()):
            print(f"\n[policy coverage] {key}: granted, not seen ({len(actions)}): {', '.join(actions)}",
                  file=sys.stderr)
        super().tearDownClass()

    # -- the judge
    def policy(self, key: str) -> set[str]:
        proc = run_cordon(["iam-policy", "--for", *key.split()])
        self.assertExit(proc, 0, f"iam-policy --for {key}")
        return iam_actions.allowed(json.loads(proc.stdout))

    def judged(self, key: str, *args, codes=(0,)):
        """Runs `cordon ARGS` through the range and checks what it called against `iam-policy --for
        KEY` (KEY: the command, then iam-policy's flags for the run, e.g. "contain --all-regions")."""
        self.range.control("DELETE", "requests")
        proc = self.cordon(*args)
        self.assertExit(proc, codes, f"cordon {args[0]}")
        log = self.range.control("GET", "requests")["requests"]
        self.assertTrue(log, f"cordon {args[0]} made no AWS call")
        needed = iam_actions.needed(log)
        granted = self.policy(key)
        with self.subTest(policy=key):
            self.assertEqual(iam_actions.unnamed(log), [], "requests iam_actions.py cannot name an action for")
            missing = {a: sorted(ops) for a, ops in needed.items() if not iam_actions.covers(granted, a)}
            self.assertEqual(missing, {}, f"`cordon iam-policy --for {key}` lacks what `cordon {args[0]}` called")
        unused = sorted(a for a in granted if a not in needed and "*" not in a)
        PolicyCoverageTest.unused[key] = sorted(set(PolicyCoverageTest.unused.get(key, unused)) & set(unused))
        return proc

    # -- fixtures
    def log_sources(self):
        """A CloudTrail file and a flow log of the suspect in s3://logs/."""
        iid, ip = self.ids["suspect"], self.ids["private_ip"]
        record = {"eventVersion": "1.08", "eventTime": "2026-01-01T10:00:00Z", "eventSource": "ec2.amazonaws.com",
                  "eventName": "DescribeInstances", "awsRegion": REGION, "sourceIPAddress": self.ids["public_ip"],
                  "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::123456789012:assumed-role/web-role/{iid}"},
                  "requestParameters": {"instanceId": iid}, "eventID": "ev-1", "readOnly": True}
        flows = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
                 f"action log-status\n2 123456789012 eni-1 {ip} 198.51.100.7 40000 443 6 10 8000 1767261600 "
                 "1767261660 ACCEPT OK\n")
        s3 = client("s3", self.moto)
        s3.create_bucket(Bucket=LOGS)
        s3.put_object(Bucket=LOGS, Key="ct/trail.json.gz", Body=gzip.compress(json.dumps({"Records": [record]}).encode()))
        s3.put_object(Bucket=LOGS, Key="flows/flows.log", Body=flows.encode())
        return ["--cloudtrail", f"s3://{LOGS}/ct/", "--flow-logs", f"s3://{LOGS}/flows/", "--since", "2025-12-01"]

    def memory_capture(self, case: str) -> list[str]:
        """SSM endpoints in the VPC, and each suspect's agent answer: its uploads and hash lines."""
        ec2, s3 = client("ec2", self.moto), client("s3", self.moto)
        vpc = self.ids["vpc_id"]
        ep_sg = ec2.create_security_group(GroupName="endpoints", Description="endpoints", VpcId=vpc)["GroupId"]
        for svc in SSM_SERVICES:
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{svc}", VpcEndpointType="Interface",
                                    SubnetIds=[self.ids["subnets"][0]], SecurityGroupIds=[ep_sg])
        rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway",
                                RouteTableIds=[rt["RouteTableId"]])
        managed, commands = [], []
        for s in self.ids["suspects"]:
            iid = s["instance_id"]
            lines = []
            for name, key in (("volatile", "volatile.tar.gz"), ("memory", "memory.lime")):
                body, uri = os.urandom(4096), f"ir/{case}/{iid}/{key}"
                s3.put_object(Bucket=EVIDENCE, Key=uri, Body=body)
                lines.append(f"CORDON-EVIDENCE {name} sha256={hashlib.sha256(body).hexdigest()} size={len(body)} "
                             f"uri=s3://{EVIDENCE}/{uri}")
            managed.append({"InstanceId": iid, "PingStatus": "Online"})
            commands.append({"InstanceId": iid, "DocumentName": "AWS-RunShellScript", "CommandContains": "CORDON-EVIDENCE",
                             "Status": "Success", "StandardOutputContent": "\n".join(lines + ["CORDON-DONE"]) + "\n"})
        self.range.control("POST", "scenario", {"ssm_managed_instances": managed, "ssm_commands": commands})
        return ["--capture-memory", "--memory-tool", TOOL, "--memory-tool-sha256", TOOL_SHA256]

    def case_args(self, case: str) -> list[str]:
        return ["--case", case, "--cases-dir", self.cases_dir, "--responder", self.responder]

    # -- the commands
    def test_triage_with_log_sources_on_s3(self):
        self.fresh()
        self.range.control("POST", "scenario", {"ssm_managed_instances": [
            {"InstanceId": self.ids["suspect"], "PingStatus": "Online"}]})
        self.judged("triage", "triage", self.ids["suspect"], *self.log_sources(), "--output", "json")
        self.judged("triage --all-regions", "triage", self.ids["suspect"], "--all-regions", "--output", "json")

    def test_hunt_on_s3(self):
        self.fresh()
        sources = self.log_sources()
        self.judged("hunt", "hunt", *sources, "--instance", self.ids["suspect"], "--ip", self.ids["private_ip"],
                    "--quiet", "--output", "json")

    def test_contain_a_fleet_in_all_regions_then_release_and_export(self):
        self.fresh(suspects=2)
        create_write_once_bucket(client("s3", self.moto), EVIDENCE)
        case = "IR-COVER-1"
        capture = self.memory_capture(case)
        targets = [s["instance_id"] for s in self.ids["suspects"]]
        self.judged("contain --all-regions", "contain", *targets, *self.case_args(case), "--yes", "--all-regions",
                    "--nacl", "--evidence-bucket", f"s3://{EVIDENCE}/ir", *capture)
        self.judged("case", "case", "export", case, "--cases-dir", self.cases_dir)
        self.judged("case", "case", "verify", case, "--cases-dir", self.cases_dir)
        self.judged("release", "release", "--case", case, "--cases-dir", self.cases_dir, "--yes")

    def test_contain_one_then_lab_recover_and_cleanup(self):
        self.fresh()
        iam = client("iam", self.moto)
        iam.create_role(RoleName="quarantine", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"}))
        iam.create_instance_profile(InstanceProfileName="quarantine")
        iam.add_role_to_instance_profile(InstanceProfileName="quarantine", RoleName="quarantine")
        case = "IR-COVER-2"
        # the paths the fleet run does not take: a quarantine profile (ReplaceIamInstanceProfileAssociation,
        # and so iam:PassRole), locked snapshots
        self.judged("contain", "contain", self.ids["suspect"], *self.case_args(case), "--yes",
                    "--quarantine-profile", "quarantine", "--lock-snapshots", "1d")
        for sub, extra in (("up", ["--ami", AMI]), ("allow", []), ("attach", []), ("down", ["--yes"])):
            self.judged("lab", "lab", sub, "--case", case, "--cases-dir", self.cases_dir, *extra)
        self.judged("recover", "recover", "--case", case, "--cases-dir", self.cases_dir, "--wait", "0")
        self.judged("cleanup", "cleanup", "--case", case, "--cases-dir", self.cases_dir, "--terminate-suspect",
                    "--accept-missing-memory", "--yes")

    def test_preserve_then_image_to_s3(self):
        self.fresh()
        ec2 = client("ec2", self.moto)
        small = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                  BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 1}}],
                                  Placement={"AvailabilityZone": REGION + "a"})["Instances"][0]["InstanceId"]
        client("s3", self.moto).create_bucket(Bucket="images")
        case = "IR-COVER-3"
        self.judged("preserve", "preserve", small, *self.case_args(case), "--lock-snapshots", "1d")
        self.judged("image", "image", "--case", case, "--cases-dir", self.cases_dir, "--to", "s3://images/ir",
                    "--output", "json")

    def test_posture_and_evidence_bucket_create(self):
        self.fresh()
        self.judged("posture", "posture", "--output", "json", codes=(0, 6))
        # iam-policy takes no --all-regions for posture: its policy lists ec2:DescribeRegions itself.
        self.judged("posture", "posture", "--all-regions", "--output", "json", codes=(0, 6))
        self.judged("evidence-bucket", "evidence-bucket", "create", "s3://cover-evidence", "--output", "json")

    def test_watch_contains_a_finding(self):
        self.fresh()
        sqs, sns = client("sqs", self.moto), client("sns", self.moto)
        queue = sqs.create_queue(QueueName="cover-watch")["QueueUrl"]
        topic = sns.create_topic(Name="cover-handover")["TopicArn"]
        detail = {"id": "0123456789abcdef0123456789abcdef", "type": "Backdoor:EC2/C&CActivity.B", "severity": 8,
                  "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": self.ids["suspect"]}}}
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(
            {"source": "aws.guardduty", "detail-type": "GuardDuty Finding", "detail": detail}))
        proc = self.judged("watch", "watch", "--queue", queue, "--cases-dir", self.cases_dir, "--responder",
                           self.responder, "--wait-seconds", "1", "--exit-when-idle", "2", "--notify", f"sns:{topic}")
        outcomes = [json.loads(ln) for ln in proc.stderr.splitlines() if '"log":"outcome"' in ln]
        self.assertEqual([o["outcome"] for o in outcomes], ["contained"], explain(proc))


if __name__ == "__main__":
    unittest.main()
