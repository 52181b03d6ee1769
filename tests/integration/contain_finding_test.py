"""Issue 12: `cordon contain --finding FINDING_ID [--detector ID]` takes its target from GuardDuty's
GetFindings. moto 5.2.1 keeps detectors but has no findings; the range serves GetFindings from the
findings a test seeds (range/guardduty.py), here the shared GuardDuty sample rewritten to the suspect
(event_sources.py). Set up and judged with boto3 against moto (never with cordon).

Expects:
  - `contain --finding ID --detector D` with no TARGET: the suspect contained (every property of the
    contain tests, siblings untouched), the finding stored in the case as evidence of the suspect, equal
    to what boto3's get_findings returns for it, its SHA-256 the journal's; the case verifies;
  - without --detector: the region's only detector (ListDetectors) is used;
  - an id the detector has no finding for: exit 3 naming the id and the detector, nothing changed
    (no mutating AWS call, no isolation group, no snapshot, no case);
  - a detector that is not the account's: exit 1 with GuardDuty's reason, nothing changed.

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/contain_finding_test.py -v
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from event_sources import as_get_findings, guardduty_finding  # noqa: E402
from helpers import normalise  # noqa: E402
from scenario import ResponseCase, case_snapshots, client, mutating_calls  # noqa: E402

FINDING_ID = "5ab1e0f1a2b3c4d5e6f708192a3b4c5d"
CASE = "IR-FINDING-1"


class ContainFindingTests(ResponseCase):

    def seed_finding(self) -> tuple:
        """A detector (moto's) with the sample finding on the suspect (served by the range)."""
        gd = client("guardduty", self.moto)
        detector = gd.create_detector(Enable=True)["DetectorId"]
        finding = as_get_findings(guardduty_finding(self.ids["suspect"], FINDING_ID, detector_id=detector))
        self.range.post_scenario({"guardduty_findings": [finding]})
        self.addCleanup(self.range.control, "DELETE", "scenario")
        return gd, detector

    def contain_finding(self, finding_id: str, *extra):
        return self.cordon("contain", "--finding", finding_id, *extra, "--case", CASE, "--yes",
                           "--cases-dir", self.cases_dir, "--responder", self.responder)

    def assertNothingChanged(self, pre: dict):
        self.assertEqual(self.state(), pre, "live state changed")
        self.assertEqual(mutating_calls(self.range.stats()), {})
        self.assertEqual(self.isolation_groups(self.ids["vpc_id"]), {})
        self.assertEqual(case_snapshots(self.moto, CASE), [])
        self.assertFalse(Path(self.cases_dir, CASE).exists(), "a case was opened")

    def test_contain_by_finding_id_stores_the_finding(self):
        self.fresh()
        _, detector = self.seed_finding()
        pre = self.state()
        proc = self.contain_finding(FINDING_ID, "--detector", detector)
        self.assertExit(proc, 0, "contain --finding ID --detector D")
        self.assertIn(f"names instance {self.ids['suspect']}", proc.stderr)
        self.assertContained(CASE, pre)
        self.assertCaseConsistent(CASE)
        self.assertEqual(self.range.stats()["operations"]["guardduty"]["GetFindings"]["served_by_range"], 1)
        [item] = [r for r in self.journal(CASE) if r["kind"] == "evidence.added"
                  and r["payload"].get("details", {}).get("finding_id") == FINDING_ID]
        self.assertEqual(item["payload"]["target"], self.ids["suspect"])
        self.assertIn(detector, item["payload"]["source"])
        stored = Path(self.cases_dir, CASE, item["payload"]["location"])
        self.assertEqual(hashlib.sha256(stored.read_bytes()).hexdigest(), item["payload"]["sha256"])
        # boto3's own reading of the finding GetFindings serves (through the range: moto has none)
        served = client("guardduty", self.endpoint).get_findings(DetectorId=detector, FindingIds=[FINDING_ID])
        [expected] = normalise(served)["Findings"]
        self.assertEqual(json.loads(stored.read_text()), expected)

    def test_the_regions_only_detector_by_default(self):
        self.fresh()
        self.seed_finding()
        pre = self.state()
        proc = self.contain_finding(FINDING_ID)
        self.assertExit(proc, 0, "contain --finding ID")
        self.assertContained(CASE, pre)
        self.assertEqual(self.range.stats()["operations"]["guardduty"]["ListDetectors"]["requests"], 1)

    def test_an_unknown_finding_id_changes_nothing(self):
        self.fresh()
        _, detector = self.seed_finding()
        pre = self.state()
        unknown = "0" * 32
        proc = self.contain_finding(unknown, "--detector", detector)
        self.assertExit(proc, 3, "contain --finding UNKNOWN")
        self.assertIn(f"GuardDuty detector {detector} has no finding {unknown}", proc.stderr)
        self.assertNothingChanged(pre)

    def test_a_detector_not_the_accounts_changes_nothing(self):
        self.fresh()
        self.seed_finding()
        pre = self.state()
        proc = self.contain_finding(FINDING_ID, "--detector", "f" * 32)
        self.assertExit(proc, 1, "contain --finding ID --detector UNKNOWN")
        self.assertIn("detectorId is not owned by the current account", proc.stderr)
        self.assertIn(f"GuardDuty GetFindings {FINDING_ID}", proc.stderr)
        self.assertNothingChanged(pre)


if __name__ == "__main__":
    unittest.main()
