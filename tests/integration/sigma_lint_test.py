"""`cordon sigma lint` over the repository's copy of SigmaHQ's CloudTrail rules (issue 14): it names the
rules that can never match a real CloudTrail record, with the field at fault, and Python checks each
claim against the real records in tests/data/cloudtrail; a clean rule gives exit 0, bad input exit 2.
No AWS is involved.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/sigma_lint_test.py -v
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from helpers import run_cordon  # noqa: E402
from hunt_sigma_test import records  # noqa: E402  (the samples in their three shapes)

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
TRAIL = DATA / "cloudtrail"
RULES = DATA / "sigma" / "rules"
USER_DATA_DETONATION = TRAIL / "stratus-red-team" / "docs" / "detonation-logs" / "aws.execution.ec2-user-data.json"


class SigmaLint(unittest.TestCase):
    def lint(self, *args):
        return run_cordon(["sigma", "lint", *map(str, args)])

    def test_names_the_rules_that_can_never_match_and_the_records_agree(self):
        proc = self.lint(RULES, "--output", "json")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        report = json.loads(proc.stdout)
        self.assertEqual(report["rules"], 57)
        never = {(Path(f["file"]).stem, f["kind"], f["field"]) for f in report["findings"] if f["never_matches"]}
        self.assertEqual(never, {
            ("aws_delete_saml_provider", "unknown-field", "status"),
            ("aws_ec2_startup_script_change", "known-mismatch", "requestParameters.attribute"),
        })
        # The claims, on the real records: no CloudTrail record has a top-level `status` ...
        recs = records()
        self.assertGreater(len(recs), 1000)
        self.assertFalse([r for r in recs if "status" in r])
        # ... and the user-data detonation's ModifyInstanceAttribute carries userData, not attribute.
        modify = [r for r in json.loads(USER_DATA_DETONATION.read_text()) if r["eventName"] == "ModifyInstanceAttribute"]
        self.assertTrue(modify)
        for r in modify:
            self.assertIn("userData", r["requestParameters"])
            self.assertNotIn("attribute", r["requestParameters"])
        # So the hunt, given that detonation, fires no startup-script rule on it.
        hunt = run_cordon(["hunt", "--cloudtrail", str(USER_DATA_DETONATION.parent), "--sigma",
                           str(RULES / "cloud" / "aws" / "cloudtrail" / "aws_ec2_startup_script_change.yml"),
                           "--output", "json"])
        self.assertEqual(hunt.returncode, 0, hunt.stderr[-2000:])
        self.assertEqual(json.loads(hunt.stdout)["sigma"]["matches"], [])
        # Every finding names its rule for attribution and says what is wrong.
        for f in report["findings"]:
            self.assertTrue(f["file"] and f["title"] and f["message"], f)

    def test_text_output_lists_each_rule_and_sums_up(self):
        proc = self.lint(RULES)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("aws_delete_saml_provider.yml", proc.stdout)
        self.assertIn("never matches, unknown-field: selection: status: CloudTrail records have no field 'status'",
                      proc.stdout)
        self.assertIn("57 rules in 57 files:", proc.stdout)
        self.assertIn("2 of which can never match", proc.stdout)

    def test_a_clean_rule_exits_0_and_a_rule_cordon_cannot_run_is_a_finding(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        shutil.copy(RULES / "cloud" / "aws" / "cloudtrail" / "aws_cloudtrail_disable_logging.yml", folder)
        proc = self.lint(folder, "--output", "json")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["findings"], [])
        (folder / "bogus.yml").write_text(
            "title: Unknown modifier\nid: 00000000-0000-0000-0000-000000000001\n"
            "logsource: {product: aws, service: cloudtrail}\n"
            "detection:\n  sel:\n    eventName|frobnicate: StopLogging\n  condition: sel\n")
        proc = self.lint(folder, "--output", "json")
        self.assertEqual(proc.returncode, 1)
        [finding] = json.loads(proc.stdout)["findings"]
        self.assertEqual(finding["kind"], "cannot-run")
        self.assertIn("frobnicate", finding["message"])

    def test_bad_input_exits_2_and_says_what_was_wrong(self):
        proc = self.lint("/nonexistent/rules")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("/nonexistent/rules", proc.stderr)
        proc = self.lint(RULES, "--output", "yaml")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--output: yaml not in {text,json,table}", proc.stderr)  # as every --output says
        self.assertEqual(self.lint().returncode, 2)
        self.assertIn("sigma lint", run_cordon(["help"]).stdout)


if __name__ == "__main__":
    unittest.main()
