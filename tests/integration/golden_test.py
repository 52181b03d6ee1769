"""Issue 17 (STYLE.md §7, "CLI output is compared to golden files"): the help of every command, the
plans (contain, release, preserve) and the next-step lines, diffed against tests/golden/.

Run from the repository root:  python3 -m unittest tests/integration/golden_test.py -v
Regenerate after an intended change:  scripts/update-golden.sh  (CORDON_UPDATE_GOLDEN=1 here), then
review `git diff tests/golden/`. Generated ids (instances, ENIs, groups, volumes, ARNs) are replaced by
their role in the scenario (ResponseCase.normalised) and dates by DATE, so the files hold only what
cordon itself decides.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import run_cordon  # noqa: E402
from scenario import ResponseCase  # noqa: E402

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("CORDON_UPDATE_GOLDEN", "") not in ("", "0")


class Golden:
    """Compares text with GOLDEN/name, or writes it there when CORDON_UPDATE_GOLDEN is set."""

    def assertGolden(self, name: str, text: str):
        path = GOLDEN / name
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            return
        self.assertTrue(path.is_file(), f"no golden file {path}: run scripts/update-golden.sh and review it")
        want = path.read_text()
        if text != want:
            diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                f"{path} (golden)", "cordon's output"))
            self.fail(f"output differs from {path} (scripts/update-golden.sh if intended):\n{diff}")


def commands() -> list[str]:
    """The command names `cordon help` lists (two words for a sub-command: "lab up"): the lines under
    "commands:", each the name padded to 22 columns, a space and the summary."""
    proc = run_cordon(["help"])
    lines = proc.stdout.split("commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line[2:24].strip() for line in lines if line.startswith("  ")]


# Two or more security groups in a row ("SG_web (web-sg), SG_app (app-sg)" or "SG_web, SG_app").
GROUP_LIST = r"SG_\w+(?: \([^)]*\))?(?:, SG_\w+(?: \([^)]*\))?)+"


class HelpGoldenTests(Golden, unittest.TestCase):

    def test_the_command_list(self):
        proc = run_cordon(["help"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertGolden("help/cordon.txt", proc.stdout)

    def test_the_help_of_every_command(self):
        names = commands()
        self.assertIn("contain", names)
        self.assertIn("lab up", names)
        for name in names:
            with self.subTest(command=name):
                proc = run_cordon(["help", *name.split()])
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertGolden(f"help/{name.replace(' ', '-')}.txt", proc.stdout)
        if not UPDATE:  # a golden file of a command that is gone is stale
            known = {f"{n.replace(' ', '-')}.txt" for n in names} | {"cordon.txt"}
            stale = sorted(p.name for p in (GOLDEN / "help").iterdir() if p.name not in known)
            self.assertEqual(stale, [], "golden help of commands cordon no longer has")


class PlanGoldenTests(Golden, ResponseCase):

    def text(self, value: str) -> str:
        """`value` with generated ids by role, the date as DATE (and the hash a case id derived from the
        date and instance carries as HASH) and moto's random addresses as IP."""
        value = re.sub(r"\b20\d{6}\b", "DATE", self.normalised(value))
        value = re.sub(r"\bIR-DATE-[0-9a-f]+\b", "IR-DATE-HASH", value)
        # An ENI's groups in name order: moto returns a second ENI's groups in an order that varies.
        value = re.sub(GROUP_LIST, lambda m: ", ".join(sorted(m.group(0).split(", "))), value)
        return re.sub(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", "IP", value)

    def next_lines(self, stderr: str) -> str:
        return "".join(line + "\n" for line in stderr.splitlines() if line.startswith("cordon: next: "))

    def test_plans_and_next_steps(self):
        self.fresh()
        suspect = self.ids["suspect"]
        triage = self.cordon("triage", suspect)
        self.assertExit(triage, 0)
        self.assertGolden("next/triage.txt", self.text(self.next_lines(triage.stderr)))
        for name, extra in (("contain.txt", ()), ("contain-skip-snapshot.txt", ("--skip", "snapshot")),
                            ("contain-revoke.txt", ("--revoke-role-sessions",))):
            with self.subTest(plan=name):
                proc = self.cordon("contain", suspect, "--case", "IR-G", "--plan", "--responder", "alice",
                                   "--cases-dir", self.cases_dir, *extra)
                self.assertExit(proc, 0)
                self.assertGolden(f"plans/{name}", self.text(proc.stdout))
        preserve = self.cordon("preserve", suspect, "--case", "IR-G", "--plan", "--count", "2", "--every", "1h",
                               "--cases-dir", self.cases_dir)
        self.assertExit(preserve, 0)
        self.assertGolden("plans/preserve.txt", self.text(preserve.stdout))
        contain = self.contain("IR-G")
        self.assertExit(contain, 0)
        self.assertGolden("next/contain.txt", self.text(self.next_lines(contain.stderr)))
        release = self.cordon("release", "--case", "IR-G", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(release, 0)
        self.assertGolden("plans/release.txt", self.text(release.stdout))
        held = self.cordon("triage", suspect)
        self.assertExit(held, 0)
        self.assertGolden("next/triage-held.txt", self.text(self.next_lines(held.stderr)))


if __name__ == "__main__":
    unittest.main()
