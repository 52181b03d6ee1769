"""`cordon hunt --sigma ... --engine athena` and `--emit athena --sigma` (issue 14, "Beyond one machine").

The rules become one Athena query over the standard CloudTrail table whose WHERE is a superset of what
they match; cordon re-checks every returned row with the rules themselves, so the Sigma section must be
the local hunt's over the same records. moto's Athena runs no SQL: its GetQueryResults hands out results
queued through its moto-api. So the query cordon sends is evaluated here by range/athena_sql.py (the
CloudTrail table as AWS documents it, Trino's semantics: `=` and LIKE case-sensitive, NULL three-valued)
over the same records the local hunt reads, and that answer is queued for the execution. Athena's
documentation of the table: "Creating the table for CloudTrail logs in Athena using manual partitioning"
(requestparameters, responseelements... are STRING columns holding JSON); of the comparison: Trino's
"Comparison functions and operators" and "String functions" (lower, LIKE).

Run from the repository root:  python3 -m unittest tests/integration/hunt_sigma_athena_test.py -v
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import TEST_DATA, MotoFixture, load_range_module, run_cordon  # noqa: E402
from hunt_athena_test import FLOW_COLUMNS, OUTPUT, AthenaShaper, result  # noqa: E402
from hunt_sigma_test import records  # noqa: E402

athena_sql = load_range_module("athena_sql")
SIGMA = TEST_DATA / "sigma"
RULES = SIGMA / "rules"
CORRELATIONS = SIGMA / "correlations"
TRUFFLEHOG = "aws_cloudtrail_pua_trufflehog.yml"
TRUFFLEHOG_ID = "a840e606-7c8c-4684-9bc1-eb6b6155127f"
# Records Athena's case-sensitive `=` would miss: the rules say 'TruffleHog' and 'userData', these say
# otherwise; Sigma values are case-insensitive, so the local hunt matches both.
CASE_RECORDS = [
    {"eventVersion": "1.08", "eventTime": "2024-03-01T10:00:00Z", "eventSource": "sts.amazonaws.com",
     "eventName": "GetCallerIdentity", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23",
     "userAgent": "trufflehog", "eventID": "a0000000-0000-4000-8000-00000000c001",
     "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ci", "accountId": "111122223333",
                      "accessKeyId": "AKIAEXAMPLECASE01"},
     "requestParameters": None, "responseElements": None, "readOnly": True, "eventType": "AwsApiCall",
     "recipientAccountId": "111122223333"},
    {"eventVersion": "1.08", "eventTime": "2024-03-01T10:05:00Z", "eventSource": "ec2.amazonaws.com",
     "eventName": "ModifyInstanceAttribute", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23",
     "userAgent": "aws-cli/2.15.0", "eventID": "a0000000-0000-4000-8000-00000000c002",
     "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ci", "accountId": "111122223333"},
     "requestParameters": {"instanceId": "i-0abc1234567890def", "attribute": "USERDATA",
                           "userData": "<sensitiveDataRemoved>"},
     "responseElements": {"_return": True}, "readOnly": False, "eventType": "AwsApiCall",
     "recipientAccountId": "111122223333"},
]


def sigma_view(doc: dict) -> dict:
    """The sigma section without the event's file (a path locally, athena:<query id> from Athena)."""
    out = copy.deepcopy(doc["sigma"])
    for m in out["matches"]:
        m["event"].pop("file", None)
    return out


class HuntSigmaAthenaTest(MotoFixture, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        # The OTRF exports among the samples carry @timestamp instead of eventTime: a field no CloudTrail
        # delivery has, so no Athena table over a trail holds such records.
        cls.records = [r for r in records() if "eventTime" in r] + CASE_RECORDS
        trail = Path(cls.tmp.name) / "trail"
        trail.mkdir()
        (trail / "records.json").write_text(json.dumps({"Records": cls.records}))
        cls.trail = trail
        cls.shaper = AthenaShaper(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.shaper.stop()
        cls.tmp.cleanup()
        super().tearDownClass()

    def setUp(self):
        self.moto.reset()
        self.client("s3").create_bucket(Bucket="cordon-athena-results")
        self.answers: list[tuple[list[str], list[list]]] = []
        self.shaper.on_start = self.answer
        self.addCleanup(setattr, self.shaper, "on_start", None)

    def answer(self, sql: str):
        """Evaluates the query as Athena would over the records and queues the answer in moto."""
        columns, rows = athena_sql.run_query(sql, self.records)
        self.answers.append((columns, rows))
        body = json.dumps({"results": [result(columns, rows)]}).encode()
        req = urllib.request.Request(self.endpoint + "/moto-api/static/athena/query-results", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)

    def hunt(self, *args):
        proc = run_cordon(["hunt", "--sigma", *args, "--output", "json", "--quiet"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def hunt_athena(self, *args):
        return self.hunt(*args, "--engine", "athena", "--athena-output", OUTPUT, "--endpoint-url",
                         self.shaper.url)

    def test_same_sigma_section_as_the_local_hunt(self):
        local = self.hunt(str(RULES), str(CORRELATIONS), "--cloudtrail", str(self.trail))
        athena = self.hunt_athena(str(RULES), str(CORRELATIONS))
        self.assertEqual(sigma_view(athena), sigma_view(local))
        self.assertGreater(len(local["sigma"]["matches"]), 20)
        self.assertTrue(local["sigma"]["correlations"], "the samples fire the userdata correlation")
        for m in athena["sigma"]["matches"]:
            self.assertTrue(m["event"]["file"].startswith("athena:"), m["event"]["file"])
        # One query for all the rules; its rows are a superset that the re-check narrowed.
        self.assertEqual(len(self.answers), 1)
        returned = {r[self.answers[0][0].index("eventid")] for r in self.answers[0][1]}
        matched = {m["event"]["eventID"] for m in local["sigma"]["matches"]}
        self.assertLessEqual(matched, returned)
        self.assertLess(len(returned), len(self.records), "the WHERE narrows the table")

    def test_case_athenas_equality_would_miss(self):
        local = self.hunt(str(RULES), "--cloudtrail", str(self.trail))
        athena = self.hunt_athena(str(RULES))
        self.assertEqual(sigma_view(athena), sigma_view(local))
        by_event = {}
        for m in athena["sigma"]["matches"]:
            by_event.setdefault(m["event"]["eventID"], set()).add(Path(m["rule"]["file"]).name)
        self.assertIn(TRUFFLEHOG, by_event[CASE_RECORDS[0]["eventID"]])
        self.assertIn("aws_ec2_startup_script_change.yml", by_event[CASE_RECORDS[1]["eventID"]])
        # The rules' values as Athena's own `=` compares them find neither record.
        naive = ("SELECT eventid FROM cloudtrail_logs WHERE useragent = 'TruffleHog' OR "
                 "(eventname = 'ModifyInstanceAttribute' AND requestparameters LIKE '%\"attribute\":\"userData\"%')")
        _, rows = athena_sql.run_query(naive, self.records)
        self.assertNotIn(CASE_RECORDS[0]["eventID"], {r[0] for r in rows})
        self.assertNotIn(CASE_RECORDS[1]["eventID"], {r[0] for r in rows})

    def test_rules_cordon_cannot_run_are_listed(self):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "other.yml").write_text(
                "title: Not CloudTrail\nid: 0b6a4b8e-0000-4000-8000-000000000001\n"
                "logsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n")
            (Path(tmp) / "trufflehog.yml").write_text((RULES / "cloud/aws/cloudtrail" / TRUFFLEHOG).read_text())
            local = self.hunt(tmp, "--cloudtrail", str(self.trail))
            athena = self.hunt_athena(tmp)
            emitted = run_cordon(["hunt", "--sigma", tmp, "--emit", "athena"])
        self.assertEqual(sigma_view(athena), sigma_view(local))
        self.assertEqual([s["file"] for s in athena["sigma"]["coverage"]["skipped"]], [str(Path(tmp) / "other.yml")])
        self.assertEqual(emitted.returncode, 0, emitted.stderr)
        self.assertIn("-- skipped: " + str(Path(tmp) / "other.yml"), emitted.stdout)
        self.assertIn(f"THEN '{TRUFFLEHOG_ID}' END", emitted.stdout)
        self.assertIn("sigma rule skipped", emitted.stderr)


INSTANCE = "i-0feedface0000a11"
OTHER_INSTANCE = "i-0feedface0000b22"


def trufflehog_record(event_id: str, minute: int, identity: dict, **fields) -> dict:
    """A GetCallerIdentity call with TruffleHog's user agent: the PUA rule fires on it wherever it is."""
    return {"eventVersion": "1.08", "eventTime": f"2024-03-02T09:{minute:02d}:00Z",
            "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.40", "userAgent": "TruffleHog", "eventID": event_id,
            "userIdentity": identity, "requestParameters": None, "responseElements": None, "readOnly": True,
            "eventType": "AwsApiCall", "recipientAccountId": "111122223333", **fields}


def role_session(instance: str) -> dict:
    """An instance profile's credentials as CloudTrail shows them: the session is named after the instance."""
    return {"type": "AssumedRole", "principalId": f"AROAEXAMPLEWEB0001:{instance}",
            "arn": f"arn:aws:sts::111122223333:assumed-role/web/{instance}", "accountId": "111122223333",
            "accessKeyId": "ASIAEXAMPLEWEB00001"}


# By the instance, by another instance's credentials (the same rule fires on it), on the instance by a user
# (its id in the resources), and by the instance with another user agent (no rule fires).
SELECTOR_RECORDS = [
    trufflehog_record("b0000000-0000-4000-8000-00000000a001", 1, role_session(INSTANCE)),
    trufflehog_record("b0000000-0000-4000-8000-00000000b002", 2, role_session(OTHER_INSTANCE)),
    trufflehog_record("b0000000-0000-4000-8000-00000000a003", 3,
                      {"type": "IAMUser", "principalId": "AIDAEXAMPLEOPS00001",
                       "arn": "arn:aws:iam::111122223333:user/ops", "accountId": "111122223333"},
                      resources=[{"ARN": f"arn:aws:ec2:us-east-1:111122223333:instance/{INSTANCE}",
                                  "accountId": "111122223333", "type": "AWS::EC2::Instance"}]),
    dict(trufflehog_record("b0000000-0000-4000-8000-00000000a004", 4, role_session(INSTANCE)),
         userAgent="aws-cli/2.15.0"),
]


class HuntSigmaAthenaSelectorsTest(MotoFixture, unittest.TestCase):
    """`--engine athena --sigma` with an instance selector: the Sigma query ANDs the rules' filter with the
    instance's (as --emit athena --sigma shows it), and the re-check reads the rows with the same
    selectors, so only the instance's events match; another instance's event that fires the same rule
    is absent. Every query cordon sends (the rules', the instance's CloudTrail query) is evaluated by
    range/athena_sql.py over the records below; the flow-log query (GROUP BY, not emulated) is answered
    with no rows, as Athena answers a table with no matching flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.trail = Path(cls.tmp.name) / "trail"
        cls.trail.mkdir()
        (cls.trail / "records.json").write_text(json.dumps({"Records": SELECTOR_RECORDS}))
        cls.rule = Path(cls.tmp.name) / "rules"
        cls.rule.mkdir()
        (cls.rule / TRUFFLEHOG).write_text((RULES / "cloud/aws/cloudtrail" / TRUFFLEHOG).read_text())
        cls.shaper = AthenaShaper(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.shaper.stop()
        cls.tmp.cleanup()
        super().tearDownClass()

    def setUp(self):
        self.moto.reset()
        self.client("s3").create_bucket(Bucket="cordon-athena-results")
        self.queries: list[tuple[str, list[str], list[list]]] = []
        self.shaper.on_start = self.answer
        self.addCleanup(setattr, self.shaper, "on_start", None)

    def answer(self, sql: str):
        if "FROM vpc_flow_logs" in sql:
            columns, rows = FLOW_COLUMNS, []
        else:
            columns, rows = athena_sql.run_query(sql, SELECTOR_RECORDS)
        self.queries.append((sql, columns, rows))
        body = json.dumps({"results": [result(columns, rows)]}).encode()
        req = urllib.request.Request(self.endpoint + "/moto-api/static/athena/query-results", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)

    def hunt(self, *args):
        proc = run_cordon(["hunt", "--sigma", str(self.rule), *args, "--output", "json", "--quiet"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_only_the_instances_events_match(self):
        athena = self.hunt("--instance", INSTANCE, "--engine", "athena", "--athena-output", OUTPUT,
                           "--endpoint-url", self.shaper.url)
        matched = sorted(m["event"]["eventID"] for m in athena["sigma"]["matches"])
        by_instance, by_other, on_instance, quiet = (r["eventID"] for r in SELECTOR_RECORDS)
        self.assertEqual(matched, sorted([by_instance, on_instance]))
        self.assertNotIn(by_other, matched)
        self.assertNotIn(quiet, matched)
        self.assertEqual({m["rule"]["id"] for m in athena["sigma"]["matches"]}, {TRUFFLEHOG_ID})
        for m in athena["sigma"]["matches"]:
            self.assertTrue(m["event"]["file"].startswith("athena:"), m["event"]["file"])
        # The Sigma query itself left the other instance's event out: the selectors are in its WHERE.
        sigma = [q for q in self.queries if "sigma_rules" in q[0]]
        self.assertEqual(len(sigma), 1)
        _, columns, rows = sigma[0]
        self.assertEqual(sorted(r[columns.index("eventid")] for r in rows), sorted([by_instance, on_instance]))
        # The same as the local hunt with the selector over the same records.
        local = self.hunt("--instance", INSTANCE, "--cloudtrail", str(self.trail))
        self.assertEqual(sigma_view(athena), sigma_view(local))

    def test_without_the_selector_the_other_instances_event_matches(self):
        # The near miss is a real one: over the whole trail the rule fires on all three TruffleHog calls.
        athena = self.hunt("--engine", "athena", "--athena-output", OUTPUT, "--endpoint-url", self.shaper.url)
        matched = sorted(m["event"]["eventID"] for m in athena["sigma"]["matches"])
        self.assertEqual(matched, sorted(r["eventID"] for r in SELECTOR_RECORDS[:3]))


class EmitSigmaAthenaTest(unittest.TestCase):
    """The emitted SQL evaluated over each SigmaHQ rule's own events (src/hunt/sigma/testdata/
    rule_cases.json), and over the same events with every string value's case flipped: wherever the
    local hunt matches an event, the query returns it with the rule among its sigma_rules."""

    def test_every_rule_keeps_what_it_matches(self):
        cases = json.loads((Path(__file__).resolve().parents[2] / "src/hunt/sigma/testdata/rule_cases.json")
                           .read_text())

        def flipped(value):
            if isinstance(value, str):
                return value.swapcase()
            if isinstance(value, dict):
                return {k: flipped(v) for k, v in value.items()}
            if isinstance(value, list):
                return [flipped(v) for v in value]
            return value
        events = []
        for i, (name, c) in enumerate(sorted(cases.items())):
            for variant, event in (("match", c["match"]), ("flipped", flipped(c["match"])),
                                   ("close", c["no_match"])):
                e = dict(event, eventID=f"{name}/{variant}", eventTime=f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z")
                events.append(e)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "cases.json").write_text(json.dumps({"Records": events}))
            proc = run_cordon(["hunt", "--sigma", str(RULES), "--cloudtrail", tmp, "--output", "json", "--quiet"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        local = {(m["event"]["eventID"], m["rule"]["id"]) for m in json.loads(proc.stdout)["sigma"]["matches"]}
        emitted = run_cordon(["hunt", "--sigma", str(RULES), "--emit", "athena"])
        self.assertEqual(emitted.returncode, 0, emitted.stderr)
        columns, rows = athena_sql.run_query(emitted.stdout, events)
        passed = set()
        for r in rows:
            for rule in (r[columns.index("sigma_rules")] or "").split(","):
                passed.add((r[columns.index("eventid")], rule))
        self.assertLessEqual(local, passed)
        # Every rule's own event, and most of the flipped ones (values are case-insensitive; `re` is not).
        self.assertEqual(len({e for e, _ in local if e.endswith("/match")}), 57)
        self.assertGreater(len({e for e, _ in local if e.endswith("/flipped")}), 40)

    def test_other_targets_are_a_usage_error(self):
        proc = run_cordon(["hunt", "--sigma", str(RULES), "--emit", "spl"])
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--emit athena", proc.stderr)
        self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
