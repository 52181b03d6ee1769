"""What a responder under stress sees when they mistype (issue 17): `cordon help COMMAND`, a misspelt
flag with the flags it may have meant, a sub-command that does not exist with those that do, and
`cordon case note`, the responder's own observation in the journal and the report; `--debug` for a
support case, which shows every HTTP exchange and journal append but no secret (issue 10).

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/cli_messages_test.py -v
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from scenario import ResponseCase, explain, run_cordon  # noqa: E402

EXIT_USAGE = 2
EXIT_NOT_FOUND = 3


class Mistypes(unittest.TestCase):
    """No AWS is needed: every one of these is refused before a client is made."""

    def run_cordon(self, *args):
        return run_cordon(list(args))

    def test_help_command_prints_that_commands_help(self):
        proc = self.run_cordon("help", "contain")
        self.assertEqual(proc.returncode, 0, explain(proc))
        self.assertIn("--allow-from", proc.stdout)
        proc = self.run_cordon("help", "lab", "down")
        self.assertEqual(proc.returncode, 0, explain(proc))
        self.assertIn("Tear the case's lab down", proc.stdout)
        proc = self.run_cordon("help", "contian")
        self.assertEqual(proc.returncode, EXIT_USAGE)
        self.assertIn("no command 'contian'", proc.stderr)

    def test_a_misspelt_flag_gets_did_you_mean_in_the_order_given(self):
        proc = self.run_cordon("contain", "i-0123456789abcdef0", "--case", "IR-1", "--al", "--skp", "tag")
        self.assertEqual(proc.returncode, EXIT_USAGE, explain(proc))
        lines = [line for line in proc.stderr.splitlines() if "unknown option" in line]
        self.assertEqual(len(lines), 2, proc.stderr)
        self.assertIn("'--al'", lines[0])
        self.assertIn("--all-regions", lines[0])
        self.assertIn("'--skp'", lines[1])
        self.assertIn("--skip", lines[1])
        self.assertNotIn("'tag'", proc.stderr)  # the misspelt flag's value is not a second mistake

    def test_a_responder_with_control_characters_is_refused_before_anything(self):
        # No endpoint is reachable: the refusal must come before the first AWS call, let alone a change.
        cases = tempfile.mkdtemp()
        proc = self.run_cordon("contain", "i-0123456789abcdef0", "--case", "IR-1", "--cases-dir", cases, "--yes",
                               "--responder", "eve\x1b[2J", "--region", "us-east-1",
                               "--endpoint-url", "http://127.0.0.1:9")
        self.assertEqual(proc.returncode, EXIT_USAGE, explain(proc))
        self.assertIn("--responder holds a control character", proc.stderr)
        self.assertIn("nothing was changed", proc.stderr)
        self.assertEqual(os.listdir(cases), [])

    def test_an_unknown_sub_command_lists_the_real_ones(self):
        proc = self.run_cordon("case", "foo")
        self.assertEqual(proc.returncode, EXIT_USAGE, explain(proc))
        self.assertIn("unknown sub-command 'foo'", proc.stderr)
        for sub in ("list", "show", "verify", "report"):
            self.assertIn(sub, proc.stderr)
        proc = self.run_cordon("lab", "upp")
        self.assertEqual(proc.returncode, EXIT_USAGE)
        self.assertIn("cordon lab up", proc.stderr)


class CaseNote(ResponseCase):
    def test_a_note_is_journaled_and_reported(self):
        self.fresh()
        self.assertExit(self.contain("IR-NOTE"), 0, "contain")
        note = "web-1 beaconed to 203.0.113.9 at 02:14 UTC; user confirms no deploy then"
        base = ["case", "note", "--case", "IR-NOTE", "--cases-dir", self.cases_dir, "--responder", "bob"]
        proc = self.cordon(*base, note, "--target", self.ids["suspect"], endpoint=False)
        self.assertExit(proc, 0, "case note")
        notes = [r for r in self.journal("IR-NOTE") if r["kind"] == "note" and "beaconed" in str(r["payload"])]
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes[0]["target"], self.ids["suspect"])
        out = Path(tempfile.mkdtemp()) / "report.md"
        self.assertExit(self.cordon("case", "report", "IR-NOTE", "--cases-dir", self.cases_dir, "--out", str(out),
                                    endpoint=False), 0, "case report")
        self.assertIn(note, out.read_text())
        self.assertChainIntact(self.case_verify("IR-NOTE"), "the note is part of the chain")

        # verify prints the head; a later verify against it catches a rewrite, even one that re-hashes
        # the chain and its internal anchor (the attacker cannot reach the copy kept outside).
        proc = self.case_verify("IR-NOTE")
        head = re.search(r"head: seq (\d+) sha256 ([0-9a-f]{64})", proc.stdout)
        self.assertIsNotNone(head, proc.stdout)
        anchor = f"{head.group(1)}:{head.group(2)}"
        verify = ["case", "verify", "IR-NOTE", "--cases-dir", self.cases_dir, "--anchor", anchor]
        self.assertExit(self.cordon(*verify, endpoint=False), 0, "verify against its own head")
        db = sqlite3.connect(Path(self.cases_dir, "IR-NOTE", "case.db"))
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.execute("UPDATE meta SET value = 'mallory' WHERE key = 'responder'")
        db.commit()
        db.close()
        proc = self.cordon(*verify, endpoint=False)
        self.assertExit(proc, 1, "verify after meta was edited")
        self.assertIn("responder is 'mallory'", proc.stdout + proc.stderr)

        proc = self.cordon(*base, "clear screen \x1b[2J", endpoint=False)
        self.assertExit(proc, EXIT_USAGE, "a note with an escape sequence")
        proc = self.cordon("case", "note", "--case", "IR-NONE", "--cases-dir", self.cases_dir, "text", endpoint=False)
        self.assertExit(proc, EXIT_NOT_FOUND, "a note for a case that does not exist")


class DebugOutput(ResponseCase):
    SECRET = "debugSecretKeyThatMustNeverAppear0123456789"
    TOKEN = "FwoGZXIvYXdzDebugSessionTokenThatMustNeverAppear"

    def test_debug_shows_http_and_journal_but_no_secret(self):
        self.fresh()
        env = {"AWS_SECRET_ACCESS_KEY": self.SECRET, "AWS_SESSION_TOKEN": self.TOKEN}
        proc = self.contain("IR-DEBUG", "--debug", env=env)
        self.assertExit(proc, 0, "contain --debug")
        http = [line for line in proc.stderr.splitlines() if line.startswith("cordon debug http ")]
        journal = [line for line in proc.stderr.splitlines() if line.startswith("cordon debug journal ")]
        self.assertTrue(any("ec2 DescribeInstances #1 POST http://127.0.0.1" in line and "-> 200" in line
                            for line in http), "\n".join(http[:5]))
        self.assertTrue(any("ec2 CreateSnapshot" in line for line in http))
        self.assertTrue(any(" step.done " in line and self.ids["suspect"] in line for line in journal),
                        "\n".join(journal[:5]))
        everything = proc.stdout + proc.stderr
        for secret in (self.SECRET, self.TOKEN, "Signature=", "Credential=", "Authorization"):
            self.assertNotIn(secret, everything)
        # The debug lines are on stderr only: stdout (the summary a script reads) is the same as without.
        self.assertNotIn("cordon debug", proc.stdout)

    def test_debug_topics_are_chosen_and_checked(self):
        self.fresh()
        proc = self.cordon("triage", self.ids["suspect"], "--debug=journal")
        self.assertExit(proc, 0, "triage --debug=journal")
        self.assertNotIn("cordon debug http", proc.stderr)  # only the topic asked for
        proc = self.cordon("triage", self.ids["suspect"], "--debug=http,secrets")
        self.assertExit(proc, EXIT_USAGE, "an unknown topic")
        self.assertIn("unknown topic 'secrets'", proc.stderr)


if __name__ == "__main__":
    unittest.main()
