"""Issue 16: one live run per case, one case per instance. Against moto + the range, judged with boto3
and sqlite3 (never with cordon).

Written against the CLI wiring of the case lock (evidence/case_lock.h) and the instance claim
(response/instance_claim.h); see docs/concurrency.md. Expects:
  - `contain --case B` on an instance held by case A: exit 1, the message names case A, nothing done;
  - `contain --case B --take-over A`: exit 0, the instance moves to B, a note in both journals;
  - a second run of a case while one holds its lock: exit 1 naming the holder (`contain`, pid);
    `--wait-lock SECONDS` waits for the holder instead;
  - `release --case A` while `contain --case A` runs: exit 1, nothing undone, no run.interrupted;
  - `release --case A` after B took the instance over: exit 1 naming case B, nothing undone.

Run from the repository root:  python3 -m unittest tests/integration/concurrency_test.py -v
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client, cordon_bin, cordon_env  # noqa: E402

# Slows contain's protect step (after the lock is taken and the claim made) so another run meets it.
SLOW_CONTAIN = {"seed": 1, "rules": [
    {"kind": "latency", "service": "ec2", "action": "ModifyInstanceAttribute", "ms": 4000, "max": 1},
]}


def journal_rows(cases_dir: str, case: str) -> list:
    """(kind, target, payload dict) of every journal record, read straight from the case database."""
    db = sqlite3.connect(f"file:{Path(cases_dir, case, 'case.db')}?mode=ro", uri=True)
    try:
        return [(k, t, json.loads(p)) for k, t, p in db.execute("SELECT kind, target, payload FROM journal ORDER BY seq")]
    finally:
        db.close()


class ConcurrencyTests(ResponseCase):

    def tags(self) -> dict:
        ec2 = client("ec2", self.moto)
        inst = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]
        return {t["Key"]: t["Value"] for t in inst.get("Tags", [])}

    def start_contain(self, case: str, *extra) -> subprocess.Popen:
        args = [cordon_bin(), "contain", self.ids["suspect"], "--case", case, "--yes", "--cases-dir", self.cases_dir,
                "--responder", self.responder, *extra, "--endpoint-url", self.endpoint, "--region", "us-east-1"]
        return subprocess.Popen(args, env=cordon_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL)

    def wait_for_lock_holder(self, case: str, proc: subprocess.Popen, timeout: float = 60.0):
        """Until run.lock names a holder (the run took the lock), failing if `proc` ends first."""
        lock = Path(self.cases_dir, case, "run.lock")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if lock.exists() and lock.stat().st_size > 0:
                return json.loads(lock.read_text().splitlines()[0])
            if proc.poll() is not None:
                self.fail(f"contain ended before it was seen holding the lock:\n{proc.communicate()}")
            time.sleep(0.05)
        self.fail(f"no holder in {lock} after {timeout}s")

    @staticmethod
    def finish(proc: subprocess.Popen, timeout: float = 300.0) -> subprocess.CompletedProcess:
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    def assertNoInterruptedRun(self, case: str):
        kinds = [k for k, _, _ in journal_rows(self.cases_dir, case)]
        self.assertNotIn("run.interrupted", kinds)
        self.assertNotIn("interrupted", kinds)

    # -- one case per instance

    def test_second_case_is_refused_naming_the_holder_and_changes_nothing(self):
        self.fresh()
        pre = self.state()
        self.assertExit(self.contain("IR-A"), 0)
        held = self.assertContained("IR-A", pre)
        snaps = [s["SnapshotId"] for s in case_snapshots(self.moto, "IR-A")]
        tags = self.tags()
        proc = self.contain("IR-B")
        self.assertExit(proc, 1, "contain under a second case")
        self.assertIn("claimed by case IR-A", proc.stderr)
        self.assertIn("--take-over IR-A", proc.stderr)
        self.assertEqual(self.tags(), tags)
        self.assertEqual(self.state(), held)
        self.assertEqual(case_snapshots(self.moto, "IR-B"), [])
        self.assertEqual([s["SnapshotId"] for s in case_snapshots(self.moto, "IR-A")], snaps)
        # and release under the other case undoes nothing of what IR-A holds (exit 1 naming IR-A when
        # IR-B's journal names the instance; IR-B did nothing, so it may also have nothing to release)
        self.release("IR-B")
        self.assertEqual(self.state(), held)
        self.assertEqual(self.tags(), tags)

    def test_take_over_moves_the_instance_and_is_journaled_in_both_cases(self):
        self.fresh()
        pre = self.state()
        self.assertExit(self.contain("IR-A"), 0)
        self.assertContained("IR-A", pre)
        proc = self.contain("IR-B", "--take-over", "IR-A")
        self.assertExit(proc, 0, "contain --take-over")
        tags = self.tags()
        self.assertEqual(tags.get("cordon:case"), "IR-B")
        self.assertEqual(tags.get("incident-response"), "quarantine:IR-B")
        self.assertIn("cordon:claim:IR-B", tags)
        self.assertNotIn("cordon:claim:IR-A", tags)
        iid = self.ids["suspect"]
        for case, other in (("IR-B", "IR-A"), ("IR-A", "IR-B")):
            notes = [p for k, t, p in journal_rows(self.cases_dir, case) if k == "note" and "take_over" in p]
            self.assertEqual(len(notes), 1, f"take-over notes in {case}: {notes}")
            self.assertEqual(notes[0]["take_over"]["instance"], iid)
            self.assertEqual(notes[0]["take_over"]["from"], "IR-A")
            self.assertEqual(notes[0]["take_over"]["to"], "IR-B")
            self.assertIn(other, notes[0]["text"])
        self.assertCaseConsistent("IR-A")
        self.assertCaseConsistent("IR-B")
        # the old case no longer holds it: its release is refused and undoes nothing
        held = self.state()
        proc = self.release("IR-A")
        self.assertExit(proc, 1, "release of a case that was taken over")
        self.assertIn("IR-B", proc.stderr)
        self.assertEqual(self.state(), held)
        self.assertEqual(self.tags(), tags)

    def test_take_over_must_name_the_holder(self):
        self.fresh()
        self.assertExit(self.contain("IR-A"), 0)
        tags = self.tags()
        proc = self.contain("IR-B", "--take-over", "IR-C")
        self.assertExit(proc, (1, 2), "take-over naming a case that does not hold the instance")
        self.assertIn("IR-A", proc.stderr)
        self.assertEqual(self.tags(), tags)
        self.assertEqual(case_snapshots(self.moto, "IR-B"), [])

    # -- one live run per case

    def test_two_contains_of_one_case_at_once(self):
        self.fresh()
        pre = self.state()
        self.range.set_faults(SLOW_CONTAIN)
        first = self.start_contain("IR-1")
        holder = self.wait_for_lock_holder("IR-1", first)
        second = self.finish(self.start_contain("IR-1"))
        done = self.finish(first)
        self.range.set_faults(None)
        self.assertExit(done, 0, "the run holding the lock")
        self.assertExit(second, 1, "the run that met the lock")
        self.assertIn("case IR-1 is in use by `contain`", second.stderr)
        self.assertIn(f"pid {holder['pid']}", second.stderr)
        self.assertIn(f"responder {self.responder}", second.stderr)
        self.assertContained("IR-1", pre)  # exactly one snapshot per volume
        self.assertNoInterruptedRun("IR-1")
        self.assertEqual(len([k for k, _, _ in journal_rows(self.cases_dir, "IR-1") if k == "run.start"]), 1)
        self.assertCaseConsistent("IR-1")

    def test_wait_lock_waits_for_the_holder(self):
        self.fresh()
        pre = self.state()
        self.range.set_faults(SLOW_CONTAIN)
        first = self.start_contain("IR-2")
        self.wait_for_lock_holder("IR-2", first)
        second = self.finish(self.start_contain("IR-2", "--wait-lock", "120"))
        done = self.finish(first)
        self.range.set_faults(None)
        self.assertExit(done, 0)
        self.assertExit(second, 0, "contain --wait-lock")
        self.assertContained("IR-2", pre)
        self.assertNoInterruptedRun("IR-2")
        self.assertCaseConsistent("IR-2")

    def test_release_while_contain_holds_the_lock_is_refused(self):
        self.fresh()
        pre = self.state()
        self.range.set_faults(SLOW_CONTAIN)
        first = self.start_contain("IR-3")
        self.wait_for_lock_holder("IR-3", first)
        proc = self.release("IR-3")
        done = self.finish(first)
        self.range.set_faults(None)
        self.assertExit(proc, 1, "release during contain")
        self.assertIn("case IR-3 is in use by `contain`", proc.stderr)
        self.assertExit(done, 0, "contain")
        self.assertContained("IR-3", pre)
        self.assertNoInterruptedRun("IR-3")
        self.assertNotIn("release", json.dumps([p for k, _, p in journal_rows(self.cases_dir, "IR-3")
                                                if k == "run.start"]))
        self.assertCaseConsistent("IR-3")


if __name__ == "__main__":
    unittest.main()
