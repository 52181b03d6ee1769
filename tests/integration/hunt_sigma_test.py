"""`cordon hunt --sigma` over the repository's real CloudTrail samples (issue 14): every output format
carries the same matches, a rule cordon cannot run is reported rather than dropped, selectors
narrow the matches to the instance's records, and a correlation (the legacy "EC2 Download Userdata"
rule rewritten, tests/data/sigma/correlations) shows in json and text with its group, window and events. No AWS is involved: the judge is Python reading the
same records and applying two rules' detections as the Sigma specification defines them
(tests/data/sigma/specification: values case-insensitive, a list is OR, `null` is a missing or null
field, `1 of selection_*`).

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/hunt_sigma_test.py -v
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from helpers import run_cordon  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
TRAIL = DATA / "cloudtrail"
RULES = DATA / "sigma" / "rules" / "cloud" / "aws" / "cloudtrail"
DISABLE_LOGGING = "4db60cc0-36fb-42b7-9b58-a5b53019fb74"  # aws_cloudtrail_disable_logging.yml
BUCKET_DELETED = "39c9f26d-6e3b-4dbb-9c7a-4154b0281112"   # aws_cloudtrail_bucket_deleted.yml
CORRELATIONS = DATA / "sigma" / "correlations"
DOWNLOAD_USERDATA = "26ff4080-194e-47e7-9889-ef7602efed0c"       # correlations/aws_ec2_download_userdata.yml
DOWNLOAD_USERDATA_BASE = "eac5a8c7-e4fc-4169-b5b9-d421e764a186"  # its base rule, not reported alone


def records() -> list[dict]:
    """Every CloudTrail record of the samples, in the three shapes they come in: a trail file
    ({"Records": [...]}), a JSON array, and JSON Lines."""
    out = []
    for path in sorted(TRAIL.rglob("*.json")):
        text = path.read_text()
        try:
            doc = json.loads(text)
            out += doc["Records"] if isinstance(doc, dict) and "Records" in doc else doc if isinstance(doc, list) else [doc]
        except json.JSONDecodeError:
            out += [json.loads(line) for line in text.splitlines() if line.strip()]
    return out


def same(a, b) -> bool:
    return isinstance(a, str) and a.lower() == b.lower()


def expected_ids(rule_id: str) -> list[str]:
    ids = []
    for r in records():
        if rule_id == DISABLE_LOGGING:
            hit = same(r.get("eventSource"), "cloudtrail.amazonaws.com") and any(
                same(r.get("eventName"), n) for n in ("StopLogging", "UpdateTrail", "DeleteTrail"))
        else:
            hit = same(r.get("eventName"), "DeleteBucket") and (
                r.get("errorCode") is None or same(r.get("errorCode"), "Success"))
        if hit:
            ids.append(r["eventID"])
    return sorted(ids)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def expected_userdata_downloads() -> list[tuple[str, list[str]]]:
    """The windows the rewritten "EC2 Download Userdata" correlation must report, worked out here from
    the records: the base rule's detection (ec2 DescribeInstanceAttribute of attribute userData), counted
    per userIdentity.arn, more than 10 within 30 minutes. The windows are those the correlation
    specification's event_count describes, made exact the way cordon documents it (docs/hunt.md): a
    window opens at an event, holds what follows within the timespan, and the next one opens after a
    window that fired."""
    by_arn: dict[str, list[tuple[datetime, str]]] = {}
    for r in records():
        params = r.get("requestParameters") or {}
        arn = (r.get("userIdentity") or {}).get("arn")
        if (same(r.get("eventSource"), "ec2.amazonaws.com") and same(r.get("eventName"), "DescribeInstanceAttribute")
                and same(params.get("attribute"), "userData") and arn):
            by_arn.setdefault(arn, []).append((parse_time(r["eventTime"]), r["eventID"]))
    out = []
    for arn, events in sorted(by_arn.items()):
        events.sort()
        j = 0
        while j < len(events):
            window = [e for e in events[j:] if e[0] - events[j][0] <= timedelta(minutes=30)]
            if len(window) > 10:
                out.append((arn, [e[1] for e in window]))
                j += len(window)
            else:
                j += 1
    return out


class HuntSigma(unittest.TestCase):
    def hunt(self, *args, rules=RULES):
        proc = run_cordon(["hunt", "--cloudtrail", str(TRAIL), "--sigma", str(rules), *args])
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        return proc

    def test_json_matches_what_the_rules_say_and_names_each_rule(self):
        sigma = json.loads(self.hunt("--output", "json").stdout)["sigma"]
        self.assertEqual(sigma["coverage"]["rules_loaded"], 57)
        self.assertEqual(sigma["coverage"]["skipped"], [])
        for rule_id in (DISABLE_LOGGING, BUCKET_DELETED):
            got = sorted(m["event"]["eventID"] for m in sigma["matches"] if m["rule"]["id"] == rule_id)
            want = expected_ids(rule_id)
            self.assertTrue(want, f"the samples hold no record for {rule_id}: the test proves nothing")
            self.assertEqual(got, want, rule_id)
        known = {r["eventID"] for r in records()}
        for m in sigma["matches"]:
            self.assertTrue(all(m["rule"][k] for k in ("id", "title", "level", "author")), m["rule"])
            self.assertIn(m["event"]["eventID"], known)

    def test_every_format_carries_the_same_matches(self):
        count = len(json.loads(self.hunt("--output", "json").stdout)["sigma"]["matches"])
        self.assertGreater(count, 0)
        lines = [json.loads(line) for line in self.hunt("--output", "jsonl").stdout.splitlines()]
        self.assertEqual(sum(1 for line in lines if line.get("type") == "sigma"), count)
        rows = list(csv.DictReader(io.StringIO(self.hunt("--output", "csv").stdout)))
        self.assertEqual(sum(1 for row in rows if row["kind"] == "sigma"), count)
        self.assertIn(f"Sigma matches: {count} ", self.hunt("--output", "text").stdout)

    def test_a_rule_that_cannot_run_is_listed_with_its_reason(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        shutil.copy(RULES / "aws_cloudtrail_disable_logging.yml", folder)
        (folder / "bogus.yml").write_text(
            "title: Unknown modifier\nid: 00000000-0000-0000-0000-000000000001\n"
            "logsource: {product: aws, service: cloudtrail}\n"
            "detection:\n  sel:\n    eventName|frobnicate: StopLogging\n  condition: sel\n")
        proc = self.hunt("--output", "json", rules=folder)
        coverage = json.loads(proc.stdout)["sigma"]["coverage"]
        self.assertEqual(coverage["rules_loaded"], 1)
        self.assertEqual(len(coverage["skipped"]), 1)
        self.assertTrue(coverage["skipped"][0]["file"].endswith("bogus.yml"))
        self.assertIn("frobnicate", coverage["skipped"][0]["reason"])
        self.assertIn("bogus.yml", proc.stderr)

    def test_selectors_keep_only_the_instances_records(self):
        whole = json.loads(self.hunt("--output", "json").stdout)["sigma"]["matches"]
        ip = next(m["event"]["sourceIPAddress"] for m in whole if m["rule"]["id"] == BUCKET_DELETED)
        narrowed = json.loads(self.hunt("--ip", ip, "--output", "json").stdout)["sigma"]["matches"]
        self.assertTrue(narrowed)
        self.assertLess(len(narrowed), len(whole))
        # The IP selector keeps a record that names the IP in any field (docs/hunt.md), not only the source.
        by_ip = {r["eventID"] for r in records() if ip in json.dumps(r)}
        for m in narrowed:
            self.assertIn(m["event"]["eventID"], by_ip)

    def test_a_correlation_shows_in_json_and_text(self):
        want = expected_userdata_downloads()
        self.assertTrue(want, "the samples hold no bulk userData download: the test proves nothing")
        sigma = json.loads(self.hunt("--sigma", str(CORRELATIONS), "--output", "json").stdout)["sigma"]
        self.assertEqual(sigma["coverage"]["correlations_loaded"], 8)
        self.assertEqual(sigma["coverage"]["skipped"], [])
        got = [c for c in sigma["correlations"] if c["rule"]["id"] == DOWNLOAD_USERDATA]
        self.assertEqual([(c["group"]["userIdentity.arn"], c["events"]) for c in got],
                         [(arn, ids) for arn, ids in want])
        times = {r["eventID"]: r.get("eventTime", r.get("@timestamp")) for r in records()}
        for c in got:
            self.assertEqual(c["type"], "event_count")
            self.assertEqual(c["rule"]["author"], "faloker")
            self.assertEqual(c["window"], {"first": times[c["events"][0]], "last": times[c["events"][-1]]})
        # The base rule's matches are the correlation's; they are not reported on their own.
        self.assertFalse([m for m in sigma["matches"] if m["rule"]["id"] == DOWNLOAD_USERDATA_BASE])

        text = self.hunt("--sigma", str(CORRELATIONS), "--output", "text").stdout
        self.assertIn(f"Sigma correlations: {len(sigma['correlations'])} (8 correlation rule(s) loaded)", text)
        for arn, ids in want:
            self.assertIn(f"userIdentity.arn={arn}  {times[ids[0]]} .. {times[ids[-1]]}  {len(ids)} event(s)", text)
        self.assertIn("AWS EC2 Download Userdata  (" + DOWNLOAD_USERDATA + ", event_count, by faloker)", text)
        lines = [json.loads(line) for line in self.hunt("--sigma", str(CORRELATIONS), "--output", "jsonl").stdout.splitlines()]
        jsonl = [line for line in lines if line.get("type") == "sigma_correlation"]
        self.assertEqual([(c["rule"]["id"], c["correlation_type"], c["events"]) for c in jsonl],
                         [(c["rule"]["id"], c["type"], c["events"]) for c in sigma["correlations"]])
        rows = list(csv.DictReader(io.StringIO(self.hunt("--sigma", str(CORRELATIONS), "--output", "csv").stdout)))
        self.assertEqual(sum(1 for row in rows if row["kind"] == "sigma-correlation"), len(sigma["correlations"]))


if __name__ == "__main__":
    unittest.main()
