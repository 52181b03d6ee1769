"""What starts an event-driven response, built with boto3 against moto: GuardDuty findings from the
shared samples rewritten to a scenario's instance, and the EventBridge rules that feed `cordon watch`'s
SQS queue. Shared by watch_test.py, contain_finding_test.py and bench/watch/bench.py.

- guardduty_finding(instance_id, finding_id, ...) -> dict
      tests/data/guardduty/derived/eventbridge-guardduty_ec2_event.json's finding (the event's
      `detail`, camelCase as EventBridge and the GuardDuty API carry it) with its id, type,
      severity, instance, region and (optionally) detector replaced.
- as_get_findings(finding) -> dict
      the same finding as GetFindings returns it: `launchTime` an ISO 8601 string (the API's
      InstanceDetails.LaunchTime is a string; the EventBridge sample has epoch milliseconds).
- put_finding(events, finding) -> dict
      `PutEvents` of the finding as GuardDuty emits it (source aws.guardduty, "GuardDuty Finding").
- watch_queues(moto, visibility=30) -> WatchQueues
      the queue cordon watch reads, its dead-letter queue (maxReceiveCount 2) and the four rules
      (GuardDuty, aws.tag, CloudTrail CreateTags, Security Hub) targeting it.

moto 5.2.1 delivers a matching event to an SQS target synchronously, with the event JSON as the body,
as EventBridge does (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
Real EventBridge refuses `PutEvents` with an `aws.*` source from a customer; moto accepts it, which is
what lets a test stand in for GuardDuty.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass

from helpers import REGION, TEST_DATA
from scenario import client

SAMPLE = TEST_DATA / "guardduty" / "derived" / "eventbridge-guardduty_ec2_event.json"
ACCOUNT = "123456789012"  # moto's default account

RULES = {  # rule name -> event pattern, as `cordon automation template` writes them
    "cordon-guardduty": {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]},
    "cordon-tag": {"source": ["aws.tag"], "detail-type": ["Tag Change on Resource"]},
    "cordon-createtags": {"source": ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"],
                          "detail": {"eventName": ["CreateTags"]}},
    "cordon-securityhub": {"source": ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported"]},
}


def guardduty_finding(instance_id: str, finding_id: str, finding_type: str = "UnauthorizedAccess:EC2/SSHBruteForce",
                      severity: float = 8, detector_id: str | None = None, region: str = REGION) -> dict:
    finding = json.loads(SAMPLE.read_text())["detail"]
    finding.update(id=finding_id, type=finding_type, title=finding_type, severity=severity, region=region,
                   accountId=ACCOUNT)
    finding["resource"]["instanceDetails"]["instanceId"] = instance_id
    if detector_id is not None:
        finding["service"]["detectorId"] = detector_id
    finding["arn"] = (f"arn:aws:guardduty:{region}:{ACCOUNT}:detector/{finding['service']['detectorId']}"
                      f"/finding/{finding_id}")
    return finding


def as_get_findings(finding: dict) -> dict:
    out = copy.deepcopy(finding)
    details = out["resource"]["instanceDetails"]
    if isinstance(details.get("launchTime"), (int, float)):
        t = datetime.datetime.fromtimestamp(details["launchTime"] / 1000, datetime.timezone.utc)
        details["launchTime"] = t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return out


def put_finding(events, finding: dict) -> dict:
    out = events.put_events(Entries=[{"Source": "aws.guardduty", "DetailType": "GuardDuty Finding",
                                      "Detail": json.dumps(finding), "Resources": []}])
    if out["FailedEntryCount"]:
        raise AssertionError(f"PutEvents failed: {out}")
    return out


@dataclass
class WatchQueues:
    sqs: object      # boto3 SQS client (moto)
    events: object   # boto3 EventBridge client (moto)
    url: str         # the queue the rules target
    dlq: str         # its dead-letter queue


def watch_queues(moto: str, visibility: int = 30, max_receive: int = 2) -> WatchQueues:
    sqs = client("sqs", moto)
    dlq = sqs.create_queue(QueueName="cordon-watch-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive)})
    url = sqs.create_queue(QueueName="cordon-watch", Attributes={
        "RedrivePolicy": redrive, "VisibilityTimeout": str(visibility)})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = client("events", moto)
    for name, pattern in RULES.items():
        events.put_rule(Name=name, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=name, Targets=[{"Id": "watch-queue", "Arn": arn}])
    return WatchQueues(sqs, events, url, dlq)
