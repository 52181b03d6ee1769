"""Issue 12: `cordon watch --queue URL` contains the instance of each event an SQS queue receives from
EventBridge. Against moto + the range, set up and judged with boto3 (never with cordon).

The events reach the queue as in AWS: an EventBridge rule (boto3 `put_rule` + `put_targets`) targets
the queue, and the event is put with `PutEvents`; moto 5.2.1 delivers matching events to an SQS
target synchronously, with the event JSON itself as the message body, as EventBridge does
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). Real
EventBridge refuses `PutEvents` with an `aws.*` source from a customer (only GuardDuty itself emits
`aws.guardduty`); moto accepts it, which is what lets a test stand in for GuardDuty. A malformed
message cannot come through EventBridge, so that one is sent with `SendMessage`.

The queue has a dead-letter queue with maxReceiveCount 2: a message cordon leaves undeleted comes
back after the visibility timeout, and moto moves it to the DLQ on the receive after the second.

Expects:
  - a GuardDuty finding (tests/data/guardduty/derived, rewritten to the suspect): the suspect contained
    as contain_test judges it (ENIs in cordon's isolation group, tags, one snapshot per volume, ...),
    the siblings untouched, the case AUTO-GD-<finding id>, the message deleted;
  - the same finding twice, and twice at once (two watchers): one case, one snapshot per volume;
  - a malformed message and a finding for an unknown instance: logged (message id, no body), left
    undeleted, in the DLQ after the redrive; a good finding among them is still contained;
  - an instance tagged cordon:exempt=true: triaged (pre-state in its case), nothing changed on it;
  - the runbook's tag: an `aws.tag` "Tag Change on Resource" event setting incident-response=contain,
    and the same as CloudTrail records it (CreateTags, "AWS API Call via CloudTrail"); with the
    issue's owner-tag rule (`contain+capture-memory`) the memory is captured too, the range playing
    the SSM agent;
  - a Security Hub (ASFF) finding on the suspect, contained by a policy rule for securityhub;
  - SIGKILL mid-containment (and a crash right after the snapshot call): the message comes back after
    the visibility timeout, the restarted watcher converges the case, nothing done twice;
  - a policy file (docs/watch-policy.md): a finding below the rule's severity is ignored, a triage rule
    triages, the matching rule contains; a bad policy file exits 2 naming its line and field;
  - 20 findings for 20 instances, EC2 throttling 5% of calls: all contained, at most --jobs (4)
    handled at once, and more than one (WatchFleetTest);
  - a queue that does not exist: exit 3 at once (not retried forever);
  - --evidence-bucket (issue 15): each case the watcher changes ends exported (every file in the bucket
    with the local file's SHA-256 checksum) and its journal head anchored there, as after an interactive
    contain, and `case verify` holds it to that anchor; the redelivered event's run is anchored anew;
    a bucket that is not write-once is refused before any message is taken;
  - the hand-over (--notify sns:TOPIC): the topic's SQS subscriber gets the case id (also as a message
    attribute), the owner, the actions and the snapshots;
  - `cordon automation deploy`: the stack in moto's CloudFormation holds the queue, its DLQ (redrive),
    four rules targeting the queue and the topic; a rerun changes nothing; watch reads the queue;
  - SIGTERM mid-containment: exit 0, the plan stopped before its next step, the message redelivered,
    and the next watcher converges the same case with one snapshot per volume.

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/watch_test.py -v
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from event_sources import guardduty_finding, put_finding, watch_queues  # noqa: E402
from helpers import create_write_once_bucket, load_range_module  # noqa: E402
import evidence_bucket_test as eb  # noqa: E402
import memory_capture_test as mc  # noqa: E402
from scenario import ResponseCase, case_snapshots, client, cordon_bin, cordon_env  # noqa: E402

UNKNOWN_INSTANCE = "i-0123456789abcdef0"
SECRET_MARKER = "AKIASECRETMARKER0000"  # in the malformed body; must never reach the log

# Slows contain's protect step so a SIGTERM lands while the plan runs.
SLOW_PROTECT = {"seed": 1, "rules": [
    {"kind": "latency", "service": "ec2", "action": "ModifyInstanceAttribute", "ms": 5000, "max": 1},
]}


def log_lines(stderr: str) -> list:
    """The JSON lines of a watcher's stderr."""
    out = []
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


class WatchCase(ResponseCase):
    """The queue, the rule, the events and the watcher; no tests of its own."""

    # -- the queue, the rule, the events (boto3 against moto; event_sources.py)
    def queues(self, visibility: int = 30) -> tuple:
        q = watch_queues(self.moto, visibility)
        self.sqs, self.events, self.queue, self.dlq = q.sqs, q.events, q.url, q.dlq
        return q.url, q.dlq

    def put_finding(self, instance_id: str, finding_id: str, finding_type: str = "UnauthorizedAccess:EC2/SSHBruteForce",
                    severity: float = 8) -> dict:
        detail = guardduty_finding(instance_id, finding_id, finding_type, severity)
        put_finding(self.events, detail)
        return detail

    def queue_counts(self, url: str) -> tuple:
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])

    def dlq_ids(self) -> set:
        msgs = self.sqs.receive_message(QueueUrl=self.dlq, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        return {m["MessageId"] for m in msgs.get("Messages", [])}

    # -- cordon watch
    def watch_args(self, *extra) -> list:
        return ["watch", "--queue", self.queue, "--cases-dir", self.cases_dir, "--responder", self.responder,
                "--wait-seconds", "1", *extra]

    def watch(self, *extra, idle: float = 3.0):
        proc = self.cordon(*self.watch_args("--exit-when-idle", str(idle), *extra), timeout=300)
        self.assertExit(proc, 0, "cordon watch")
        return proc, log_lines(proc.stderr)

    def start_watch(self, *extra) -> subprocess.Popen:
        args = [cordon_bin(), *self.watch_args(*extra), "--endpoint-url", self.endpoint, "--region", "us-east-1"]
        return subprocess.Popen(args, env=cordon_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, preexec_fn=load_range_module("moto").child_preexec())

    def outcomes(self, lines: list) -> list:
        return [ln for ln in lines if ln.get("log") == "outcome"]

    def case_dirs(self) -> list:
        return sorted(p.name for p in Path(self.cases_dir).iterdir() if p.is_dir())

    def tag_suspect(self, key: str, value: str):
        client("ec2", self.moto).create_tags(Resources=[self.ids["suspect"]], Tags=[{"Key": key, "Value": value}])

    def put_tag_change(self, iid: str, changed: list, time: str | None = None):
        """The aws.tag "Tag Change on Resource" event of the instance's tags as they are now."""
        inst = client("ec2", self.moto).describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        entry = {"Source": "aws.tag", "DetailType": "Tag Change on Resource",
                 "Resources": [f"arn:aws:ec2:us-east-1:123456789012:instance/{iid}"],
                 "Detail": json.dumps({"changed-tag-keys": changed, "service": "ec2", "resource-type": "instance",
                                       "version": 3, "tags": {t["Key"]: t["Value"] for t in inst["Tags"]}})}
        if time:
            entry["Time"] = time
        out = self.events.put_events(Entries=[entry])
        self.assertEqual(out["FailedEntryCount"], 0, out)



class WatchTests(WatchCase):

    def test_finding_contains_the_suspect(self):
        self.fresh()
        self.queues()
        pre = self.state()
        self.put_finding(self.ids["suspect"], "f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6")
        case = "AUTO-GD-f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6"
        proc, lines = self.watch()
        [outcome] = self.outcomes(lines)
        self.assertEqual(outcome["outcome"], "contained", proc.stderr)
        self.assertEqual(outcome["case"], case)
        self.assertTrue(outcome["deleted"], outcome)
        self.assertContained(case, pre)
        self.assertCaseConsistent(case)
        self.assertEqual(self.case_dirs(), [case])
        self.assertEqual(self.queue_counts(self.queue), (0, 0), "the message was not deleted")
        self.assertEqual(self.dlq_ids(), set())
        notes = [r for r in self.journal(case) if r["kind"] == "note" and r["step"] == "watch"]
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["payload"]["event"]["finding_id"], "f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6")

    def test_same_event_twice_and_at_once_is_one_case(self):
        self.fresh()
        self.queues()
        pre = self.state()
        finding = "0a0a0a0a0b0b0b0b0c0c0c0c0d0d0d0d"
        for _ in range(2):
            self.put_finding(self.ids["suspect"], finding)
        # Two watchers at once, each able to take both messages: the case lock and the in-process
        # per-instance order must still give one case and one snapshot set.
        a, b = self.start_watch("--exit-when-idle", "3"), self.start_watch("--exit-when-idle", "3")
        outs = [p.communicate(timeout=300) for p in (a, b)]
        self.assertEqual((a.returncode, b.returncode), (0, 0), outs)
        case = "AUTO-GD-" + finding
        results = [o["outcome"] for _, err in outs for o in self.outcomes(log_lines(err))]
        self.assertEqual(sorted(results), ["contained", "contained"], outs)
        self.assertEqual(self.case_dirs(), [case])
        self.assertContained(case, pre)
        self.assertCaseConsistent(case)
        self.assertEqual(self.queue_counts(self.queue), (0, 0))
        # And the same event once more, later: the case is continued, nothing is done again.
        before = case_snapshots(self.moto, case)
        self.put_finding(self.ids["suspect"], finding)
        _, lines = self.watch()
        [again] = self.outcomes(lines)
        self.assertEqual((again["outcome"], again["case"], again["deleted"]), ("contained", case, True), again)
        self.assertEqual(case_snapshots(self.moto, case), before, "a second snapshot set")

    def test_malformed_and_unknown_instance_end_in_the_dlq(self):
        self.fresh()
        self.queues(visibility=2)
        pre = self.state()
        bad = self.sqs.send_message(QueueUrl=self.queue,
                                    MessageBody='{"detail-type": "GuardDuty Finding", "x": "' + SECRET_MARKER)
        self.put_finding(UNKNOWN_INSTANCE, "1111111111111111aaaaaaaaaaaaaaaa")
        self.put_finding(self.ids["suspect"], "2222222222222222bbbbbbbbbbbbbbbb")
        proc, lines = self.watch(idle=6)
        self.assertNotIn(SECRET_MARKER, proc.stderr, "the malformed body reached the log")
        malformed = [ln for ln in lines if ln.get("log") == "malformed"]
        self.assertGreaterEqual(len(malformed), 1, proc.stderr)
        self.assertEqual({m["message_id"] for m in malformed}, {bad["MessageId"]})
        self.assertFalse(any(m["deleted"] for m in malformed))
        by = {}
        for o in self.outcomes(lines):
            by.setdefault(o["outcome"], []).append(o)
        self.assertIn("unknown-instance", by, proc.stderr)
        self.assertFalse(any(o["deleted"] for o in by["unknown-instance"]))
        unknown_id = by["unknown-instance"][0]["message_id"]
        # the watcher kept working: the good finding among them was contained
        self.assertEqual([o["case"] for o in by["contained"]], ["AUTO-GD-2222222222222222bbbbbbbbbbbbbbbb"])
        self.assertContained("AUTO-GD-2222222222222222bbbbbbbbbbbbbbbb", pre)
        # redrive: both left undeleted, received twice, then moved to the DLQ by SQS
        self.assertEqual(self.dlq_ids(), {bad["MessageId"], unknown_id})
        self.assertEqual(self.queue_counts(self.queue), (0, 0))
        self.assertNotIn("AUTO-GD-1111111111111111aaaaaaaaaaaaaaaa", self.case_dirs())

    def test_output_json_is_one_object_per_event_and_query_applies_to_each(self):
        """Issue 17: --output json prints one JSON object per line per handled event (JSON Lines: a watch never
        ends, so a responder reads results as they come), --query applies to each, and the default text is one
        sentence per event. Each result is judged against the watcher's log line, boto3's view of the suspect
        and the queue."""
        self.fresh()
        self.queues()
        bad = self.sqs.send_message(QueueUrl=self.queue,
                                    MessageBody='{"detail-type": "GuardDuty Finding", "x": "' + SECRET_MARKER)
        self.put_finding(UNKNOWN_INSTANCE, "4444444444444444dddddddddddddddd")
        finding = "5555555555555555eeeeeeeeeeeeeeee"
        case = "AUTO-GD-" + finding
        self.put_finding(self.ids["suspect"], finding)
        # A bad --query is refused before a message is taken.
        refused = self.cordon(*self.watch_args("--once", "--query", "outcome["))
        self.assertExit(refused, 2)
        self.assertIn("outcome[", refused.stderr)
        self.assertEqual(self.queue_counts(self.queue), (3, 0), "a message was taken")
        proc, lines = self.watch("--output", "json")
        self.assertNotIn(SECRET_MARKER, proc.stdout)
        results = [json.loads(line) for line in proc.stdout.splitlines()]
        self.assertTrue(all(isinstance(r, dict) for r in results), proc.stdout)
        logged = [ln for ln in lines if ln.get("log") in ("outcome", "malformed")]
        self.assertEqual(len(results), len(logged), (proc.stdout, proc.stderr))
        by = {r["outcome"]: r for r in results}
        self.assertEqual(sorted(by), ["contained", "malformed", "unknown-instance"], proc.stdout)
        for r in results:
            self.assertRegex(r["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
            self.assertNotIn("log", r)
        contained = by["contained"]
        log = next(ln for ln in logged if ln.get("outcome") == "contained")
        self.assertEqual({k: v for k, v in contained.items() if k != "time"},
                         {k: v for k, v in log.items() if k not in ("time", "log")})
        self.assertEqual((contained["instance_id"], contained["case"], contained["kind"], contained["finding_id"],
                          contained["deleted"]), (self.ids["suspect"], case, "guardduty-finding", finding, True))
        inst = client("ec2", self.moto).describe_instances(InstanceIds=[self.ids["suspect"]])
        tags = {t["Key"]: t["Value"] for t in inst["Reservations"][0]["Instances"][0]["Tags"]}
        self.assertEqual(tags.get("cordon:case"), case, "the result names the case the suspect is tagged with")
        self.assertEqual((by["unknown-instance"]["instance_id"], by["unknown-instance"]["deleted"]),
                         (UNKNOWN_INSTANCE, False))
        self.assertEqual((by["malformed"]["message_id"], by["malformed"]["deleted"]), (bad["MessageId"], False))
        self.assertTrue(by["malformed"]["detail"])
        # Only the contained message left the queue; the other two are in flight (visibility 30 s), and go now,
        # so that they do not come back in the runs below.
        self.assertEqual(self.queue_counts(self.queue), (0, 2))
        self.sqs.purge_queue(QueueUrl=self.queue)

        # --query on each event: the same finding again continues the case.
        self.put_finding(self.ids["suspect"], finding)
        query = "{id: instance_id, outcome: outcome, case: case, deleted: deleted}"
        proc, _ = self.watch("--output", "json", "--query", query)
        self.assertEqual([json.loads(line) for line in proc.stdout.splitlines()],
                         [{"id": self.ids["suspect"], "outcome": "contained", "case": case, "deleted": True}])
        self.put_finding(self.ids["suspect"], finding)
        proc, _ = self.watch("--query", "[instance_id, outcome]", "--output", "text")
        self.assertEqual(proc.stdout, f"{self.ids['suspect']}\tcontained\n")
        # The default: one sentence per event.
        self.put_finding(self.ids["suspect"], finding)
        proc, _ = self.watch()
        self.assertRegex(proc.stdout, rf"^contained {self.ids['suspect']} case {case}(: [^\n]*)? \(message deleted\)\n$")

    def test_exempt_instance_is_triaged_not_contained(self):
        self.fresh()
        self.queues()
        self.tag_suspect("cordon:exempt", "true")
        pre = self.state()
        self.put_finding(self.ids["suspect"], "3333333333333333cccccccccccccccc")
        case = "AUTO-GD-3333333333333333cccccccccccccccc"
        proc, lines = self.watch()
        [outcome] = self.outcomes(lines)
        self.assertEqual((outcome["outcome"], outcome["deleted"]), ("triaged", True), proc.stderr)
        self.assertEqual(self.state(), pre, "an exempt instance was changed")
        self.assertEqual(self.isolation_groups(self.ids["vpc_id"]), {})
        self.assertEqual(case_snapshots(self.moto, case), [])
        kinds = [r["kind"] for r in self.journal(case)]
        self.assertIn("pre_state.recorded", kinds)
        steps = {r["step"] for r in self.journal(case) if r["kind"].startswith("step.")}
        self.assertEqual(steps, {"record-pre-state"})
        self.assertCaseConsistent(case)

    def test_tag_change_contains_the_suspect(self):
        self.fresh()
        self.queues()
        self.tag_suspect("incident-response", "contain")
        pre = self.state()
        iid = self.ids["suspect"]
        self.put_tag_change(iid, ["incident-response"], "2026-12-03T06:10:00Z")
        # A tag change that is not the trigger (cordon's own quarantine tag, say) is ignored and deleted.
        self.events.put_events(Entries=[{
            "Source": "aws.tag", "DetailType": "Tag Change on Resource",
            "Resources": [f"arn:aws:ec2:us-east-1:123456789012:instance/{iid}"],
            "Detail": json.dumps({"changed-tag-keys": ["Owner"], "service": "ec2", "resource-type": "instance",
                                  "tags": {"Owner": "x"}})}])
        proc, lines = self.watch()
        by = {o["outcome"]: o for o in self.outcomes(lines)}
        case = f"AUTO-TAG-{iid}-20261203T061000Z"
        self.assertEqual(by.get("contained", {}).get("case"), case, proc.stderr)
        self.assertTrue(by["ignored"]["deleted"], by)
        del pre["instances"][iid]["tags"]["incident-response"]  # the trigger becomes quarantine:<CASE>
        self.assertContained(case, pre)
        self.assertEqual(self.queue_counts(self.queue), (0, 0))

    def test_cloudtrail_create_tags_contains_the_suspect(self):
        self.fresh()
        self.queues()
        self.tag_suspect("incident-response", "contain")
        pre = self.state()
        iid = self.ids["suspect"]
        vol = sorted(pre["instances"][iid]["volumes"])[0]
        out = self.events.put_events(Entries=[{
            "Source": "aws.ec2", "DetailType": "AWS API Call via CloudTrail", "Resources": [],
            "Detail": json.dumps({
                "eventSource": "ec2.amazonaws.com", "eventName": "CreateTags", "eventTime": "2026-12-03T06:20:00Z",
                "eventID": "0f1e2d3c-0000-4000-8000-000000000001", "awsRegion": "us-east-1",
                "requestParameters": {"resourcesSet": {"items": [{"resourceId": iid}, {"resourceId": vol}]},
                                      "tagSet": {"items": [{"key": "incident-response", "value": "contain"}]}}})}])
        self.assertEqual(out["FailedEntryCount"], 0, out)
        proc, lines = self.watch()
        case = f"AUTO-TAG-{iid}-20261203T062000Z"
        self.assertEqual([(o["outcome"], o["case"], o["deleted"]) for o in self.outcomes(lines)],
                         [("contained", case, True)], proc.stderr)
        del pre["instances"][iid]["tags"]["incident-response"]
        self.assertContained(case, pre)

    def test_security_hub_finding_contains_by_policy(self):
        self.fresh()
        self.queues()
        pre = self.state()
        iid = self.ids["suspect"]
        policy = Path(self.cases_dir, "policy.json")
        policy.write_text(json.dumps({"rules": [
            {"name": "sh-high", "when": {"source": "securityhub", "min_severity": 7, "finding_types": ["TTPs/*"]},
             "do": "contain"}]}))
        finding_id = "arn:aws:securityhub:us-east-1:123456789012:subscription/guardduty/finding/77aa"
        out = self.events.put_events(Entries=[{
            "Source": "aws.securityhub", "DetailType": "Security Hub Findings - Imported", "Resources": [finding_id],
            "Detail": json.dumps({"findings": [{
                "SchemaVersion": "2018-10-08", "Id": finding_id, "AwsAccountId": "123456789012",
                "Types": ["TTPs/Command and Control/Backdoor:EC2-C&CActivity.B"],
                "Severity": {"Label": "HIGH", "Normalized": 80}, "RecordState": "ACTIVE", "Title": "C&C",
                "Resources": [{"Type": "AwsEc2Instance", "Region": "us-east-1",
                               "Id": f"arn:aws:ec2:us-east-1:123456789012:instance/{iid}"}]}]})}])
        self.assertEqual(out["FailedEntryCount"], 0, out)
        proc, lines = self.watch("--policy", str(policy))
        [outcome] = self.outcomes(lines)
        self.assertEqual((outcome["outcome"], outcome["deleted"]), ("contained", True), proc.stderr)
        self.assertTrue(outcome["case"].startswith("AUTO-SH-"), outcome)
        self.assertContained(outcome["case"], pre)

    def test_hand_over_reaches_the_topics_subscriber(self):
        self.fresh()
        self.queues()
        sns = client("sns", self.moto)
        topic = sns.create_topic(Name="cordon-handover")["TopicArn"]
        inbox = self.sqs.create_queue(QueueName="owner-inbox")["QueueUrl"]
        inbox_arn = self.sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn)
        pre = self.state()
        self.put_finding(self.ids["suspect"], "bbbbbbbbbbbbbbbb1111111111111111")
        case = "AUTO-GD-bbbbbbbbbbbbbbbb1111111111111111"
        proc, lines = self.watch("--notify", f"sns:{topic}")
        self.assertEqual([o["outcome"] for o in self.outcomes(lines)], ["contained"], proc.stderr)
        self.assertContained(case, pre)
        msgs = self.sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10, WaitTimeSeconds=2)["Messages"]
        self.assertEqual(len(msgs), 1)
        envelope = json.loads(msgs[0]["Body"])  # SNS's notification JSON around our message
        self.assertEqual(envelope["TopicArn"], topic)
        self.assertEqual(envelope["MessageAttributes"]["case_id"]["Value"], case)
        self.assertEqual(envelope["MessageAttributes"]["severity"]["Value"], "8")
        body = json.loads(envelope["Message"])
        self.assertEqual((body["case"], body["instance_id"], body["result"]), (case, self.ids["suspect"], "contained"))
        owner_tags = {k: v for k, v in pre["instances"][self.ids["suspect"]]["tags"].items() if k.lower() == "owner"}
        self.assertEqual(body["owner"], "=".join(next(iter(owner_tags.items()))), body)
        self.assertEqual([a["step"] for a in body["actions"]][:2], ["record-pre-state", "tag"])
        self.assertTrue(all(a["status"] in ("done", "already done") for a in body["actions"]), body["actions"])
        snaps = {s["SnapshotId"] for s in case_snapshots(self.moto, case)}
        self.assertEqual({e["location"] for e in body["evidence"] if e["kind"] == "snapshot"}, snaps)
        self.assertIn(f"cordon release --case {case}", body["release"])
        notes = [r for r in self.journal(case) if r["kind"] == "note" and "sns_message_id" in r["payload"]]
        self.assertEqual([n["payload"]["sns_message_id"] for n in notes], [envelope["MessageId"]])

    def test_automation_deploy_makes_the_plumbing_watch_reads(self):
        self.fresh()
        deploy = ["automation", "deploy", "--stack", "cordon-automation", "--parameter", "MaxReceiveCount=2"]
        proc = self.cordon(*deploy)
        self.assertExit(proc, 0, "cordon automation deploy")
        out = json.loads(proc.stdout)
        self.assertTrue(out["created"])
        outputs = out["outputs"]
        cfn, sqs, events = client("cloudformation", self.moto), client("sqs", self.moto), client("events", self.moto)
        self.sqs, self.events = sqs, events
        self.assertEqual(cfn.describe_stacks(StackName="cordon-automation")["Stacks"][0]["StackStatus"], "CREATE_COMPLETE")
        attrs = sqs.get_queue_attributes(QueueUrl=outputs["QueueUrl"], AttributeNames=["All"])["Attributes"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=outputs["DeadLetterQueueUrl"],
                                           AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        redrive = json.loads(attrs["RedrivePolicy"])
        self.assertEqual((redrive["deadLetterTargetArn"], int(redrive["maxReceiveCount"])), (dlq_arn, 2))
        self.assertEqual(attrs["QueueArn"], outputs["QueueArn"])
        rules = events.list_rules()["Rules"]
        self.assertEqual(len(rules), 4, [r["Name"] for r in rules])
        sources = set()
        for r in rules:
            self.assertEqual([t["Arn"] for t in events.list_targets_by_rule(Rule=r["Name"])["Targets"]],
                             [outputs["QueueArn"]], r["Name"])
            sources.update(json.loads(r["EventPattern"])["source"])
        self.assertEqual(sources, {"aws.guardduty", "aws.tag", "aws.ec2", "aws.securityhub"})
        self.assertIn(outputs["TopicArn"], [t["TopicArn"] for t in client("sns", self.moto).list_topics()["Topics"]])
        again = self.cordon(*deploy)
        self.assertExit(again, 0, "a second deploy")
        self.assertEqual((json.loads(again.stdout)["created"], json.loads(again.stdout)["outputs"]), (False, outputs))
        # and watch reads it: a finding put on the bus is contained through the stack's rule and queue
        pre = self.state()
        self.queue, self.dlq = outputs["QueueUrl"], outputs["DeadLetterQueueUrl"]
        self.put_finding(self.ids["suspect"], "cccccccccccccccc2222222222222222")
        proc, lines = self.watch()
        self.assertEqual([o["outcome"] for o in self.outcomes(lines)], ["contained"], proc.stderr)
        self.assertContained("AUTO-GD-cccccccccccccccc2222222222222222", pre)
        self.assertEqual(self.queue_counts(self.queue), (0, 0))

    def test_sigterm_exits_0_and_the_message_comes_back(self):
        self.fresh()
        self.queues()
        pre = self.state()
        self.put_finding(self.ids["suspect"], "4444444444444444dddddddddddddddd")
        case = "AUTO-GD-4444444444444444dddddddddddddddd"
        self.range.set_faults(SLOW_PROTECT)
        proc = self.start_watch()
        try:
            self.wait_for_intent(case, "protect", proc)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(proc.returncode, 0, err)
        lines = log_lines(err)
        [outcome] = self.outcomes(lines)
        self.assertEqual(outcome["outcome"], "stopped", err)
        self.assertFalse(outcome["deleted"])
        self.assertTrue(outcome["released"], outcome)
        skipped = [r for r in self.journal(case) if r["kind"] == "step.skipped"]
        self.assertTrue(skipped and all("watcher is stopping" in r["payload"]["reason"] for r in skipped), skipped)
        self.assertNotIn("snapshot", {r["step"] for r in self.journal(case) if r["kind"] == "step.done"})
        # given back: visible again at once, not waiting out the visibility timeout (30 s)
        self.assertEqual(self.queue_counts(self.queue), (1, 0), "the in-flight message is not back in the queue")
        # the next watcher receives the same message again and continues the same case to the end
        self.range.set_faults(None)
        _, again = self.watch()
        [event] = [ln for ln in again if ln.get("log") == "event"]
        self.assertEqual(event["message_id"], outcome["message_id"])
        self.assertEqual(event["receive_count"], 2)
        self.assertEqual([(o["outcome"], o["case"]) for o in self.outcomes(again)], [("contained", case)])
        self.assertContained(case, pre)
        self.assertCaseConsistent(case)
        self.assertEqual(self.queue_counts(self.queue), (0, 0))

    def rerun_after_kill(self, case: str, pre: dict, killed: subprocess.Popen | subprocess.CompletedProcess):
        """After a watcher died mid-containment: its message comes back after the visibility timeout,
        the next watcher converges the same case, and nothing was done twice."""
        self.assertIn(killed.returncode, (137, -9), "the watcher was not killed")
        self.range.set_faults(None)
        _, lines = self.watch(idle=8)
        [event] = [ln for ln in lines if ln.get("log") == "event"]
        self.assertEqual(event["receive_count"], 2)
        self.assertEqual([(o["outcome"], o["case"]) for o in self.outcomes(lines)], [("contained", case)])
        self.assertContained(case, pre)  # one snapshot per volume
        self.assertCaseConsistent(case)
        journal = self.journal(case)
        self.assertIn("run.interrupted", [r["kind"] for r in journal])
        done = {}
        for r in journal:
            if r["kind"] == "step.done" and not r["payload"].get("already"):
                done[r["step"]] = done.get(r["step"], 0) + 1
        self.assertEqual({k: v for k, v in done.items() if v > 1}, {}, "a step was applied twice")
        self.assertEqual(self.range.stats()["operations"].get("ec2", {}).get("CreateSnapshots", {}).get("requests"),
                         1, "CreateSnapshots called more than once")
        self.assertEqual(self.queue_counts(self.queue), (0, 0))
        self.assertEqual(self.dlq_ids(), set())

    def test_sigkill_mid_containment_then_restart_converges(self):
        self.fresh()
        self.queues(visibility=3)
        pre = self.state()
        self.put_finding(self.ids["suspect"], "5555555555555555eeeeeeeeeeeeeeee")
        case = "AUTO-GD-5555555555555555eeeeeeeeeeeeeeee"
        self.range.set_faults(SLOW_PROTECT)
        proc = self.start_watch()
        try:
            self.wait_for_intent(case, "protect", proc)
            proc.kill()
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.rerun_after_kill(case, pre, proc)

    def test_killed_after_the_snapshot_call_then_restart_takes_no_second_set(self):
        self.fresh()
        self.queues(visibility=3)
        pre = self.state()
        self.put_finding(self.ids["suspect"], "6666666666666666ffffffffffffffff")
        case = "AUTO-GD-6666666666666666ffffffffffffffff"
        # exits 137 once snapshot (step 9) made its AWS calls, before its outcome is journaled
        killed = self.cordon(*self.watch_args("--exit-when-idle", "3"), env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": "9"})
        self.assertEqual(len(case_snapshots(self.moto, case)), len(pre["instances"][self.ids["suspect"]]["volumes"]))
        self.rerun_after_kill(case, pre, killed)

    def test_policy_decides_per_rule(self):
        self.fresh()
        self.queues()
        pre = self.state()
        policy = Path(self.cases_dir, "policy.json")
        policy.write_text(json.dumps({"case_prefix": "IR", "rules": [
            {"name": "canary", "when": {"finding_types": ["Canary:*"]}, "do": "triage"},
            {"name": "high-ec2", "when": {"source": "guardduty", "min_severity": 7,
                                          "finding_types": ["UnauthorizedAccess:EC2/*", "Backdoor:EC2/*"]},
             "do": "contain"}]}, indent=1))
        self.put_finding(self.ids["suspect"], "7777777777777777aaaaaaaaaaaaaaaa", severity=5)  # too low
        self.put_finding(self.ids["suspect"], "8888888888888888aaaaaaaaaaaaaaaa", "Canary:EC2/Stateless.IntegTest")
        proc, lines = self.watch("--policy", str(policy), "--jobs", "1")
        by = {o["outcome"]: o for o in self.outcomes(lines)}
        self.assertEqual(sorted(by), ["ignored", "triaged"], proc.stderr)
        self.assertIn("severity 5", by["ignored"]["detail"])
        self.assertEqual(by["triaged"]["case"], "IR-GD-8888888888888888aaaaaaaaaaaaaaaa")
        self.assertTrue(by["ignored"]["deleted"] and by["triaged"]["deleted"])
        self.assertEqual(self.state(), pre, "a finding the policy does not contain changed something")
        self.assertEqual(self.case_dirs(), ["IR-GD-8888888888888888aaaaaaaaaaaaaaaa"])
        # the rule that matches contains
        self.put_finding(self.ids["suspect"], "9999999999999999aaaaaaaaaaaaaaaa", "Backdoor:EC2/C&CActivity.B", 8)
        _, lines = self.watch("--policy", str(policy))
        self.assertEqual([o["outcome"] for o in self.outcomes(lines)], ["contained"])
        self.assertContained("IR-GD-9999999999999999aaaaaaaaaaaaaaaa", pre)

    def test_tag_event_contains_and_captures_memory(self):
        """The issue's owner-tag rule (`do: contain+capture-memory`): tagging the suspect
        incident-response=contain and putting the matching event contains it and captures its memory
        through SSM into the evidence bucket. moto's SSM runs nothing, so the range plays the agent as in
        memory_capture_test: the objects are in the bucket and GetCommandInvocation prints their hashes."""
        self.fresh()
        self.queues()
        iid = self.ids["suspect"]
        case = f"AUTO-TAG-{iid}-20261203T061000Z"
        self.play_the_memory_agent(case)
        self.tag_suspect("incident-response", "contain")
        pre = self.state()
        policy = Path(self.cases_dir, "policy.json")
        policy.write_text(json.dumps({"case_prefix": "AUTO", "exempt_tag": "cordon:exempt", "rules": [
            {"name": "owner-tag", "when": {"tag": {"incident-response": "contain"}},
             "do": "contain+capture-memory"}]}))
        self.put_tag_change(iid, ["incident-response"], "2026-12-03T06:10:00Z")
        proc, lines = self.watch("--policy", str(policy), "--capture-memory",
                                 "--evidence-bucket", f"s3://{mc.BUCKET}/{mc.PREFIX}",
                                 "--memory-tool", mc.TOOL, "--memory-tool-sha256", mc.TOOL_SHA256)
        by = {o["outcome"]: o for o in self.outcomes(lines)}
        self.assertEqual(by.get("contained", {}).get("case"), case, proc.stderr)
        del pre["instances"][iid]["tags"]["incident-response"]  # the trigger becomes quarantine:<CASE>
        self.assertContained(case, pre)
        # The capture step ran (the range answered its SSM command) and the case records both objects
        # with the SHA-256 of what is in the bucket, read here with boto3.
        db = sqlite3.connect(f"file:{Path(self.cases_dir, case, 'case.db')}?mode=ro", uri=True)
        self.addCleanup(db.close)
        rows = db.execute("SELECT location, sha256 FROM evidence WHERE step = 'capture-memory'").fetchall()
        self.assertEqual(len(rows), 2, rows)
        s3 = client("s3", self.moto)
        for key in ("memory.lime", "volatile.tar.gz"):
            body = s3.get_object(Bucket=mc.BUCKET, Key=f"{mc.PREFIX}/{case}/{iid}/{key}")["Body"].read()
            want = hashlib.sha256(body).hexdigest()
            self.assertTrue(any(loc.endswith(key) and sha == want for loc, sha in rows), (key, rows))

    def test_cases_are_exported_and_anchored_in_the_evidence_bucket(self):
        self.fresh()
        self.queues()
        s3 = client("s3", self.moto)
        create_write_once_bucket(s3, eb.BUCKET)
        finding = "e0a1b2c3d4e5f60718293a4b5c6d7e8f"
        case = f"AUTO-GD-{finding}"
        prefix = f"{eb.PREFIX}/{case}"
        bucket_flags = ("--evidence-bucket", f"s3://{eb.BUCKET}/{eb.PREFIX}")
        pre = self.state()
        for run in (1, 2):  # the second: the same finding again, a run that only journals the event
            self.put_finding(self.ids["suspect"], finding)
            proc, lines = self.watch(*bucket_flags)
            [outcome] = self.outcomes(lines)
            self.assertEqual((outcome["outcome"], outcome["case"]), ("contained", case), proc.stderr)
            self.assertTrue(outcome["deleted"], outcome)
            case_dir = Path(self.cases_dir, case)
            files = eb.case_files(case_dir)
            self.assertIn("case.db", files)
            self.assertTrue(any(p.startswith("evidence/") for p in files), files.keys())
            for path, data in files.items():
                head = s3.head_object(Bucket=eb.BUCKET, Key=f"{prefix}/{path}", ChecksumMode="ENABLED")
                self.assertEqual(head["ChecksumSHA256"], eb.b64sha256(data), f"run {run}: {path}")
                self.assertEqual(head["ObjectLockMode"], "GOVERNANCE", path)
            seq, digest = eb.journal_head(case_dir / "case.db")
            key = f"{prefix}/anchors/{seq:012d}-{digest}.json"
            anchor = json.loads(s3.get_object(Bucket=eb.BUCKET, Key=key)["Body"].read())
            self.assertEqual((anchor["case_id"], anchor["seq"], anchor["hash"], anchor["responder"]),
                             (case, seq, digest, self.responder))
            self.assertEqual(anchor["database_sha256"], hashlib.sha256(files["case.db"]).hexdigest())
            [export] = [ln for ln in lines if ln.get("log") == "export"]
            self.assertEqual((export["anchor"]["seq"], export["anchor"]["hash"]), (seq, digest), export)
            verify = self.case_verify(case)
            self.assertExit(verify, 0, "case verify of the watcher's case")
            self.assertIn(f"compared with anchor s3://{eb.BUCKET}/{key}", verify.stdout)
        anchors = s3.list_objects_v2(Bucket=eb.BUCKET, Prefix=f"{prefix}/anchors/")["Contents"]
        self.assertEqual(len(anchors), 2, [a["Key"] for a in anchors])
        self.assertContained(case, pre)

    def test_a_bucket_that_is_not_write_once_is_refused_at_start(self):
        self.fresh()
        self.queues()
        client("s3", self.moto).create_bucket(Bucket="plain-evidence")
        self.put_finding(self.ids["suspect"], "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        proc = self.cordon(*self.watch_args("--once", "--evidence-bucket", "s3://plain-evidence/ir"), timeout=120)
        self.assertExit(proc, 2, "watch with a plain bucket")
        self.assertIn("is not write-once", proc.stderr)
        self.assertEqual(self.case_dirs(), [])
        self.assertEqual(self.queue_counts(self.queue), (1, 0), "a message was taken")

    def play_the_memory_agent(self, case: str) -> None:
        """The evidence bucket, the VPC's SSM and S3 endpoints, the objects the agent would upload, and
        the range's SSM answers for the suspect (as memory_capture_test.prepare, for a given case)."""
        ec2, s3 = client("ec2", self.moto), client("s3", self.moto)
        create_write_once_bucket(s3, mc.BUCKET)  # watch checks the bucket is write-once
        vpc, region = self.ids["vpc_id"], self.ids["region"]
        ep_sg = ec2.create_security_group(GroupName="endpoints", Description="endpoints", VpcId=vpc)["GroupId"]
        for svc in mc.SSM_SERVICES:
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{svc}",
                                    VpcEndpointType="Interface", SubnetIds=[self.ids["subnets"][0]],
                                    SecurityGroupIds=[ep_sg])
        rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                RouteTableIds=[rt["RouteTableId"]])
        iid = self.ids["suspect"]
        lines = []
        for name, key, body in (("volatile", "volatile.tar.gz", mc.volatile_bundle()),
                                ("memory", "memory.lime", os.urandom(1024 * 1024 + 3))):
            s3.put_object(Bucket=mc.BUCKET, Key=f"{mc.PREFIX}/{case}/{iid}/{key}", Body=body)
            lines.append(f"CORDON-EVIDENCE {name} sha256={hashlib.sha256(body).hexdigest()} size={len(body)} "
                         f"uri=s3://{mc.BUCKET}/{mc.PREFIX}/{case}/{iid}/{key}")
        lines.append("CORDON-DONE")
        self.range.control("POST", "scenario", {
            "ssm_managed_instances": [{"InstanceId": iid, "PingStatus": "Online"}],
            "ssm_commands": [{"InstanceId": iid, "DocumentName": "AWS-RunShellScript",
                              "CommandContains": "CORDON-EVIDENCE", "Status": "Success",
                              "StandardOutputContent": "\n".join(lines) + "\n"}]})

    def test_a_bad_policy_is_refused_at_start(self):
        self.fresh()
        self.queues()
        self.put_finding(self.ids["suspect"], "aaaaaaaaaaaaaaaa0000000000000000")
        policy = Path(self.cases_dir, "policy.json")
        policy.write_text('{"rules": [\n  {"name": "high", "when": {"min_severity": "high"}, "do": "contain"}]}\n')
        proc = self.cordon(*self.watch_args("--policy", str(policy), "--once"), timeout=60)
        self.assertExit(proc, 2, "cordon watch with a bad policy")
        self.assertIn(f"{policy} line 2: rules[0].when.min_severity must be a number", proc.stderr)
        self.assertEqual(self.queue_counts(self.queue), (1, 0), "a message was received with a bad policy")

    def test_a_queue_that_does_not_exist_exits_3(self):
        self.fresh()
        self.queue = self.moto + "/123456789012/no-such-queue"
        proc = self.cordon(*self.watch_args("--once"), timeout=60)
        self.assertExit(proc, 3, "cordon watch on a missing queue")
        self.assertIn("NonExistentQueue", proc.stderr)

    def wait_for_intent(self, case: str, step: str, proc: subprocess.Popen, timeout: float = 120.0):
        """Until the case journal holds step.intent for `step`, failing if the watcher ends first."""
        db_path = Path(self.cases_dir, case, "case.db")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.fail(f"watch ended before {step} started:\n{proc.stderr.read()}")
            if db_path.exists():
                try:
                    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
                    try:
                        rows = db.execute("SELECT 1 FROM journal WHERE kind='step.intent' AND step=?",
                                          (step,)).fetchall()
                    finally:
                        db.close()
                    if rows:
                        return
                except sqlite3.Error:
                    pass
            time.sleep(0.1)
        self.fail(f"no step.intent for {step} in {timeout}s")


def max_overlap(lines: list) -> int:
    """The most messages handled at once, from each message's event line to its outcome line."""
    start, marks = {}, []
    for ln in lines:
        t = datetime.datetime.fromisoformat(ln["time"]).timestamp()
        if ln.get("log") == "event":
            start[ln["message_id"]] = t
        elif ln.get("log") == "outcome" and ln["message_id"] in start:
            marks += [(start.pop(ln["message_id"]), 1), (t, -1)]
    now = peak = 0
    for _, d in sorted(marks, key=lambda m: (m[0], m[1])):  # an end before a start at the same instant
        now += d
        peak = max(peak, now)
    return peak


class WatchFleetTest(WatchCase):
    """20 findings for 20 instances, with EC2 throttling 5% of calls: all contained, at most --jobs at once."""

    def test_twenty_findings_twenty_instances_bounded_concurrency(self):
        self.fresh(suspects=20)
        self.queues(visibility=120)
        pre = self.state()
        suspects = [s["instance_id"] for s in self.ids["suspects"]]
        self.assertEqual(len(set(suspects)), 20)
        for n, iid in enumerate(suspects):
            self.put_finding(iid, f"{n:032x}")
        self.range.set_faults({"seed": 5, "rules": [{"kind": "throttle", "service": "ec2", "probability": 0.05}]})
        # At 5% a call fails three attempts in a row (the SDKs' standard mode) about once in 8,000 calls,
        # so a 1,200-call fleet would sometimes lose one (that message would come back and converge
        # after the visibility timeout); six attempts make it once in 64 million.
        proc, lines = self.watch("--jobs", "4", "--max-attempts", "6", idle=5)
        outcomes = self.outcomes(lines)
        self.assertEqual(sorted(o["case"] for o in outcomes), sorted(f"AUTO-GD-{n:032x}" for n in range(20)),
                         proc.stderr[-3000:])
        self.assertTrue(all(o["outcome"] == "contained" and o["deleted"] for o in outcomes),
                        [o for o in outcomes if o["outcome"] != "contained"])
        self.assertGreater(self.range.stats()["faults"].get("throttle", 0), 0, "no throttling was injected")
        peak = max_overlap(lines)
        self.assertLessEqual(peak, 4, "more than --jobs messages at once")
        self.assertGreater(peak, 1, "the findings were not handled in parallel")
        self.range.set_faults(None)
        post = self.state()
        for n, s in enumerate(self.ids["suspects"]):
            self.assertContained(f"AUTO-GD-{n:032x}", pre, post=post, suspect=s)
        self.assertEqual(self.queue_counts(self.queue), (0, 0))
        self.assertEqual(self.dlq_ids(), set())


if __name__ == "__main__":
    unittest.main()
