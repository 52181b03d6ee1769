"""Issue 17: --query (JMESPath) and --output json|text|table on the commands that print results, as the
AWS CLI has them. Judged by the AWS CLI's own text formatter (awscli.text.format_text) and the Python
jmespath library that the AWS CLI uses, over the same JSON cordon prints with --output json.

Run from the repository root:  python3 -m unittest tests/integration/query_output_test.py -v
"""

from __future__ import annotations

import io
import json
import os
import sys
import unittest

import jmespath
from awscli import text as awscli_text

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, mutating_calls  # noqa: E402

# The parts of triage's result that do not change between two runs (no read times).
STABLE = "{target: target, findings: findings, owner: owner, volumes: inventory.volumes}"


def aws_text(data) -> str:
    out = io.StringIO()
    awscli_text.format_text(data, out)
    return out.getvalue()


class QueryOutputTests(ResponseCase):

    def test_triage_query_and_text_match_the_aws_cli(self):
        self.fresh()
        suspect = self.ids["suspect"]
        full = self.cordon("triage", suspect, "--output", "json", "--no-hunt")
        self.assertExit(full, 0)
        data = json.loads(full.stdout)
        for query in ("target.instance_id", "findings", STABLE, "inventory.network_interfaces[].id"):
            with self.subTest(query=query):
                proc = self.cordon("triage", suspect, "--no-hunt", "--query", query, "--output", "json")
                self.assertExit(proc, 0)
                self.assertEqual(json.loads(proc.stdout), jmespath.search(query, data))
        text = self.cordon("triage", suspect, "--no-hunt", "--query", STABLE, "--output", "text")
        self.assertExit(text, 0)
        self.assertEqual(text.stdout, aws_text(jmespath.search(STABLE, data)))
        table = self.cordon("triage", suspect, "--no-hunt", "--query", STABLE, "--output", "table")
        self.assertExit(table, 0)
        for volume in data["inventory"]["volumes"]:
            self.assertIn(volume["id"], table.stdout)
        self.assertTrue(table.stdout.startswith("-"), table.stdout[:200])
        self.assertIn("+", table.stdout)

    def test_plans_and_summaries_take_query_and_output(self):
        self.fresh()
        suspect = self.ids["suspect"]
        proc = self.cordon("contain", suspect, "--case", "IR-Q", "--plan", "--cases-dir", self.cases_dir,
                           "--query", "plans[0].steps[].step", "--output", "text")
        self.assertExit(proc, 0)
        steps = proc.stdout.split()
        self.assertEqual(steps[0], "record-pre-state")
        self.assertIn("isolate-network", steps)
        self.assertEqual(mutating_calls(self.range.stats()), {})
        contain = self.contain("IR-Q", "--query", "[0].result", "--output", "json")
        self.assertExit(contain, 0)
        self.assertEqual(json.loads(contain.stdout), "contained")
        plan = self.cordon("release", "--case", "IR-Q", "--plan", "--cases-dir", self.cases_dir,
                           "--query", "plans[0].steps[].step", "--output", "json")
        self.assertExit(plan, 0)
        self.assertEqual(json.loads(plan.stdout)[-1], "tag")
        release = self.release("IR-Q", "--query", "[].{id: instance_id, result: result}", "--output", "text")
        self.assertExit(release, 0)
        self.assertEqual(release.stdout, aws_text([{"id": suspect, "result": "released"}]))

    def test_a_bad_query_is_refused_before_anything_changes(self):
        self.fresh()
        proc = self.contain("IR-BADQ", "--query", "plans[")
        self.assertExit(proc, 2)
        self.assertIn("--query", proc.stderr)
        self.assertEqual(mutating_calls(self.range.stats()), {})


if __name__ == "__main__":
    unittest.main()
