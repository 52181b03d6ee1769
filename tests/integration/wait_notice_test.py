"""Issue 17: while AWS keeps cordon waiting, a line on stderr says what it waits for after a few
seconds; on a terminal a spinner redrawn in place, in a pipe plain lines; and nothing when AWS answers
at once. The range delays EC2's answers (its latency fault), standing in for a slow API.

Run from the repository root:  python3 -m unittest tests/integration/wait_notice_test.py -v
"""

from __future__ import annotations

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # noqa: E402
from colour_test import run_on_pty  # noqa: E402
from scenario import ResponseCase  # noqa: E402

SLOW = {"rules": [{"kind": "latency", "service": "ec2", "action": "DescribeInstances", "ms": 6000, "max": 1}]}


class WaitNoticeTests(ResponseCase):

    def triage(self):
        return ["triage", self.ids["suspect"], "--endpoint-url", self.endpoint, "--region", helpers.REGION]

    def test_a_quick_answer_prints_no_notice(self):
        self.fresh()
        proc = self.cordon("triage", self.ids["suspect"])
        self.assertExit(proc, 0)
        self.assertNotIn("waiting for", proc.stderr)

    def test_a_slow_call_is_named_on_stderr_in_a_pipe(self):
        self.fresh()
        self.range.set_faults(SLOW)
        proc = self.cordon("triage", self.ids["suspect"])
        self.assertExit(proc, 0)
        lines = [line for line in proc.stderr.splitlines() if "waiting for" in line]
        self.assertTrue(lines, proc.stderr)
        self.assertTrue(lines[0].startswith("cordon: waiting for ec2 DescribeInstances - "), lines)
        self.assertNotIn("\r", proc.stderr)  # plain lines, no spinner, in a pipe
        self.assertNotIn("waiting for", proc.stdout)  # results only on stdout

    def test_a_slow_call_spins_on_a_terminal_and_the_line_is_cleared(self):
        self.fresh()
        self.range.set_faults(SLOW)
        code, out = run_on_pty(self.triage())
        self.assertEqual(code, 0, out.decode(errors="replace"))
        self.assertIn(b"cordon: waiting for ec2 DescribeInstances - ", out)
        spins = [f"\r{c} cordon: waiting for".encode() for c in "|/-\\"]
        self.assertGreaterEqual(sum(out.count(s) for s in spins), 2, out[:2000])
        self.assertIn(b"\r\x1b[K", out)  # cleared before the results are printed
        self.assertIn(self.ids["suspect"].encode(), out.rsplit(b"\r\x1b[K", 1)[1])


if __name__ == "__main__":
    unittest.main()
