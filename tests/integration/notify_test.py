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
  - a malformed --notify: exit 2, nothing changed on the instance, nothing published.

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/notify_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
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


if __name__ == "__main__":
    unittest.main()
