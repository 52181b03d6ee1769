"""Issue 12: the hand-over to the owner (`--notify sns:TOPIC_ARN`) from `cordon contain` and `cordon
cleanup`, as watch publishes it (watch_test covers watch's). An SNS topic with an SQS subscriber,
both made with boto3 in moto; the subscriber's message is read with boto3. moto 5.2.1 delivers an
SNS publish to an SQS subscription at once, wrapped in SNS's notification JSON (Type, MessageId,
TopicArn, Message, MessageAttributes), as SNS does without raw message delivery
(https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html).

Expects:
  - contain --notify: one message; case id and instance id as message attributes; the body names the
    case, the instance, its owner and criticality tags (as recorded before containment), every
    step's outcome, the snapshots as evidence and how to release; the case journals the SNS message id;
  - cleanup --terminate-suspect --notify: one more message, result "cleaned up", the terminate step done;
  - a malformed --notify: exit 2, nothing changed on the instance, nothing published;
  - contain --finding FILE (a GuardDuty finding from tests/data, rewritten to the suspect) with no
    TARGET: the suspect contained, the finding stored in the case as evidence (its SHA-256 checked),
    the hand-over's severity attribute and reason from the finding. (moto 5.2.1 does not serve
    GuardDuty GetFindings, so the FINDING_ID form is not tested here.)

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/notify_test.py -v
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import TEST_DATA  # noqa: E402
from scenario import ResponseCase, case_snapshots, client  # noqa: E402

CASE = "IR-NOTIFY-1"


class NotifyCase(ResponseCase):

    def inbox(self) -> str:
        """An SNS topic with an SQS subscriber; returns the topic ARN (the queue is self.inbox_url)."""
        sns, sqs = client("sns", self.moto), client("sqs", self.moto)
        topic = sns.create_topic(Name="owner-handover")["TopicArn"]
        self.inbox_url = sqs.create_queue(QueueName="owner-inbox")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self.inbox_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        return topic

    def messages(self) -> list:
        """The SNS notifications in the subscriber queue (deleted once read)."""
        sqs = client("sqs", self.moto)
        out = []
        while True:
            got = sqs.receive_message(QueueUrl=self.inbox_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            if not got.get("Messages"):
                return out
            for m in got["Messages"]:
                out.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=self.inbox_url, ReceiptHandle=m["ReceiptHandle"])

    def tag(self, pre: dict, key: str) -> str:
        tags = pre["instances"][self.ids["suspect"]]["tags"]
        [(k, v)] = [(k, v) for k, v in tags.items() if k.lower() == key]
        return f"{k}={v}"


class NotifyTests(NotifyCase):

    def test_contain_and_cleanup_hand_over_to_the_owner(self):
        self.fresh()
        topic = self.inbox()
        pre = self.state()
        proc = self.contain(CASE, "--notify", f"sns:{topic}")
        self.assertExit(proc, 0, "contain --notify")
        self.assertContained(CASE, pre)
        [envelope] = self.messages()
        self.assertEqual(envelope["TopicArn"], topic)
        attributes = envelope["MessageAttributes"]
        self.assertEqual(attributes["case_id"]["Value"], CASE)
        self.assertEqual(attributes["instance_id"]["Value"], self.ids["suspect"])
        body = json.loads(envelope["Message"])
        self.assertEqual((body["case"], body["instance_id"], body["result"]), (CASE, self.ids["suspect"], "contained"))
        self.assertEqual(body["owner"], self.tag(pre, "owner"))
        self.assertEqual(body["criticality"], self.tag(pre, "criticality"))
        steps = [a["step"] for a in body["actions"]]
        for step in ("record-pre-state", "tag", "isolate-network", "snapshot"):
            self.assertIn(step, steps)
        self.assertTrue(all(a["status"] in ("done", "already done") for a in body["actions"]), body["actions"])
        snaps = {s["SnapshotId"] for s in case_snapshots(self.moto, CASE)}
        self.assertEqual({e["location"] for e in body["evidence"] if e["kind"] == "snapshot"}, snaps)
        self.assertIn(f"cordon release --case {CASE}", body["release"])
        notes = [r for r in self.journal(CASE) if r["kind"] == "note" and "sns_message_id" in r["payload"]]
        self.assertEqual([(n["step"], n["payload"]["sns_message_id"]) for n in notes],
                         [("contain", envelope["MessageId"])])

        proc = self.cordon("cleanup", "--case", CASE, "--cases-dir", self.cases_dir, "--terminate-suspect", "--yes",
                           "--notify", f"sns:{topic}")
        self.assertExit(proc, 0, "cleanup --notify")
        [envelope] = self.messages()
        body = json.loads(envelope["Message"])
        self.assertEqual((body["case"], body["result"]), (CASE, "cleaned up"))
        self.assertEqual(body["owner"], self.tag(pre, "owner"))  # from the pre-state: the instance is gone
        done = {a["step"]: a["status"] for a in body["actions"]}
        self.assertEqual(done.get("cleanup-terminate"), "done", body["actions"])
        suspect = client("ec2", self.moto).describe_instances(InstanceIds=[self.ids["suspect"]])
        self.assertEqual(suspect["Reservations"][0]["Instances"][0]["State"]["Name"], "terminated")
        self.assertCaseConsistent(CASE)

    def test_a_malformed_notify_changes_nothing(self):
        self.fresh()
        self.inbox()
        pre = self.state()
        proc = self.contain(CASE, "--notify", "sns:owner-handover")
        self.assertExit(proc, 2, "contain --notify with no ARN")
        self.assertIn("--notify takes sns:TOPIC_ARN", proc.stderr)
        self.assertEqual(self.state()["instances"], pre["instances"])
        self.assertEqual(self.messages(), [])

    def test_contain_from_a_finding_file(self):
        self.fresh()
        topic = self.inbox()
        pre = self.state()
        event = json.loads((TEST_DATA / "guardduty" / "derived" / "eventbridge-guardduty_ec2_event.json").read_text())
        finding = event["detail"]
        finding["resource"]["instanceDetails"]["instanceId"] = self.ids["suspect"]
        finding["severity"] = 8
        path = os.path.join(self.cases_dir, "finding.json")
        with open(path, "w") as f:
            json.dump(finding, f)
        proc = self.cordon("contain", "--finding", path, "--case", CASE, "--yes", "--cases-dir", self.cases_dir,
                           "--responder", self.responder, "--notify", f"sns:{topic}")
        self.assertExit(proc, 0, "contain --finding FILE")
        self.assertContained(CASE, pre)
        self.assertCaseConsistent(CASE)
        [item] = [r for r in self.journal(CASE) if r["kind"] == "evidence.added"
                  and r["payload"].get("details", {}).get("finding_id") == finding["id"]]
        stored = Path(self.cases_dir, CASE, item["payload"]["location"])
        self.assertEqual(json.loads(stored.read_text()), finding)
        self.assertEqual(hashlib.sha256(stored.read_bytes()).hexdigest(), item["payload"]["sha256"])
        self.assertEqual(item["payload"]["target"], self.ids["suspect"])
        [envelope] = self.messages()
        self.assertEqual(envelope["MessageAttributes"]["severity"]["Value"], "8")
        self.assertIn(finding["id"], json.loads(envelope["Message"])["reason"])

    def test_a_finding_not_on_an_instance_is_refused(self):
        self.fresh()
        pre = self.state()
        event = json.loads((TEST_DATA / "guardduty" / "derived" / "eventbridge-guardduty_iam_event.json").read_text())
        path = os.path.join(self.cases_dir, "iam.json")
        with open(path, "w") as f:
            json.dump(event, f)
        proc = self.cordon("contain", "--finding", path, "--case", CASE, "--yes", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 2, "contain --finding on an access key finding")
        self.assertIn("not an EC2 instance", proc.stderr)
        self.assertEqual(self.state()["instances"], pre["instances"])


if __name__ == "__main__":
    unittest.main()
