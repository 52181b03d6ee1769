"""Kill `cordon contain` after each step (test hook), rerun it: it converges to the state of an
uninterrupted run, with one snapshot per volume, the pre-state intact and the interruption journaled.

Run from the repository root:  python3 -m unittest tests/integration/crash_rerun_test.py -v

Hooks (cordon): CORDON_TEST_CRASH_AFTER_STEP=N exits 137 right after the Nth step outcome is journaled;
CORDON_TEST_CRASH_BEFORE_OUTCOME=N exits 137 after step N acted but before its outcome is journaled.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import CONTAIN_STEPS, ResponseCase, case_snapshots  # noqa: E402

CASE = "IR-CRASH"
KILLED = (137, -9)
INTERRUPTION = re.compile(r"interrupt|resum|crash|incomplete|unfinished", re.I)


class CrashRerunTests(ResponseCase):

    reference = None  # normalised final state of an uninterrupted run

    def final(self) -> dict:
        post = self.state()
        snaps = case_snapshots(self.moto, CASE)
        keys = ("cordon:case", "cordon:instance", "cordon:volume", "cordon:device")
        tags = [{t["Key"]: t["Value"] for t in s.get("Tags", []) if t["Key"] in keys} for s in snaps]
        for inst in post["instances"].values():  # times and the like in cordon's own extra tags may differ
            inst["tags"] = {k: (v if k in keys or not k.startswith("cordon:") else "*") for k, v in inst["tags"].items()}
        replacements = len([m for m in post["asg"]["members"] if m not in self.ids["siblings"]])
        return self.normalised({"state": post, "snapshot_tags": tags, "replacements": replacements})

    def uninterrupted(self) -> dict:
        if CrashRerunTests.reference is None:
            self.fresh()
            pre = self.state()
            self.assertExit(self.contain(CASE), 0, "uninterrupted run")
            self.assertContained(CASE, pre)
            CrashRerunTests.reference = self.final()
        return CrashRerunTests.reference

    def crash_then_rerun(self, hook: str, n: int):
        reference = self.uninterrupted()
        self.fresh()
        pre = self.state()
        crashed = self.contain(CASE, env={hook: str(n)})
        self.assertExit(crashed, KILLED, f"{hook}={n}: the hook did not fire")
        rerun = self.contain(CASE)
        self.assertExit(rerun, 0, f"rerun after {hook}={n}")
        self.assertContained(CASE, pre)
        self.assertEqual(self.final(), reference, f"{hook}={n}: not the uninterrupted run's final state")
        self.assertCaseConsistent(CASE)
        self.assertExit(self.case_show(CASE), 0, "cordon case show")
        marks = [r for r in self.journal(CASE) if INTERRUPTION.search(r.get("kind", "") + json.dumps(r.get("payload")))]
        self.assertTrue(marks, f"{hook}={n}: the interruption is not in the journal")
        return pre

    def test_crash_after_each_step_then_rerun_converges(self):
        for n in range(1, len(CONTAIN_STEPS) + 1):
            with self.subTest(step=n, name=CONTAIN_STEPS[n - 1]):
                self.crash_then_rerun("CORDON_TEST_CRASH_AFTER_STEP", n)

    def test_crash_before_outcome_is_journaled_then_rerun_converges(self):
        # asg (detached but not journaled), isolate-network, disassociate-eip (pre-state must survive),
        # snapshot (must not be taken twice)
        for name in ("asg", "isolate-network", "disassociate-eip", "snapshot"):
            n = CONTAIN_STEPS.index(name) + 1
            with self.subTest(step=n, name=name):
                self.crash_then_rerun("CORDON_TEST_CRASH_BEFORE_OUTCOME", n)

    def test_snapshots_found_again_after_a_crash_are_recorded_with_their_size(self):
        # Regression (issue 16): a rerun that found the crashed run's snapshots recorded them with size 0.
        n = CONTAIN_STEPS.index("snapshot") + 1
        self.crash_then_rerun("CORDON_TEST_CRASH_BEFORE_OUTCOME", n)
        proc = self.cordon("case", "show", CASE, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "case show")
        recorded = {e["location"]: e["size"] for e in json.loads(proc.stdout)["evidence"] if e["kind"] == "snapshot"}
        actual = {s["SnapshotId"]: s["VolumeSize"] * 2**30 for s in case_snapshots(self.moto, CASE)}
        self.assertEqual(recorded, actual)

    def test_pre_state_survives_a_crash_release_restores_it(self):
        n = CONTAIN_STEPS.index("disassociate-eip") + 1
        pre = self.crash_then_rerun("CORDON_TEST_CRASH_BEFORE_OUTCOME", n)
        self.assertExit(self.release(CASE), 0)
        post = self.state()
        me, before = post["instances"][self.ids["suspect"]], pre["instances"][self.ids["suspect"]]
        for field in ("enis", "eips", "profile", "disable_api_termination", "shutdown_behavior", "volumes"):
            self.assertEqual(me[field], before[field], f"{field} not restored after a crash and rerun")
        self.assertEqual(post["role_policies"], pre["role_policies"])
        self.assertIn(self.ids["suspect"], post["asg"]["members"])


if __name__ == "__main__":
    unittest.main()
