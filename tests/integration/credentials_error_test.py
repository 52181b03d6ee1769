"""Issue 17: with no credentials at all (empty shared config and credentials files, no AWS_* variables,
IMDS off), every command that calls AWS says so (what was tried, how to sign in), exits with the
credentials code (5), never "no instance ... " (3); nothing is changed, and release journals its run as
failed, not "ok". moto is never reached: the range counts no request.

Run from the repository root:  python3 -m unittest tests/integration/credentials_error_test.py -v
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # noqa: E402
from scenario import ResponseCase, case_snapshots  # noqa: E402

EXIT_CREDENTIALS = 5


def no_credentials_env() -> dict:
    env = helpers.cordon_env()
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        env.pop(key, None)
    return env  # AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE: empty files; AWS_EC2_METADATA_DISABLED


class CredentialsErrorTests(ResponseCase):

    def run_without_credentials(self, *args):
        full = [helpers.cordon_bin(), *args, "--endpoint-url", self.endpoint, "--region", helpers.REGION]
        return subprocess.run(full, env=no_credentials_env(), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    def assertCredentialsError(self, proc):
        self.assertEqual(proc.returncode, EXIT_CREDENTIALS, proc.stderr)
        self.assertIn("no AWS credentials found; tried:", proc.stderr)
        self.assertIn("aws sso login", proc.stderr)
        self.assertNotIn("no instance", proc.stderr)

    def test_triage_contain_preserve_say_no_credentials_and_change_nothing(self):
        self.fresh()
        suspect = self.ids["suspect"]
        before = self.state()
        for args in (("triage", suspect),
                     ("contain", suspect, "--case", "IR-NOCRED", "--yes", "--cases-dir", self.cases_dir),
                     ("preserve", suspect, "--case", "IR-NOCRED", "--cases-dir", self.cases_dir)):
            with self.subTest(command=args[0]):
                proc = self.run_without_credentials(*args)
                self.assertCredentialsError(proc)
                if args[0] != "triage":
                    self.assertIn("nothing was changed", proc.stderr)
        self.assertFalse(Path(self.cases_dir, "IR-NOCRED").exists(), "a case was made without credentials")
        self.assertEqual(self.state(), before)
        self.assertEqual(case_snapshots(self.moto, "IR-NOCRED"), [])

    def test_release_says_no_credentials_and_journals_a_failed_run(self):
        self.fresh()
        self.assertExit(self.contain("IR-NOCRED-R"), 0)
        contained = self.state()
        proc = self.run_without_credentials("release", "--case", "IR-NOCRED-R", "--yes", "--cases-dir",
                                            self.cases_dir)
        self.assertCredentialsError(proc)
        self.assertEqual(self.state(), contained)
        db = sqlite3.connect(f"file:{Path(self.cases_dir, 'IR-NOCRED-R', 'case.db')}?mode=ro", uri=True)
        try:
            ends = [row[0] for row in db.execute(
                "SELECT json_extract(payload, '$.result') FROM journal WHERE kind = 'run.end' ORDER BY seq")]
        finally:
            db.close()
        self.assertEqual(ends[-1], "failed", ends)
        self.assertChainIntact(self.case_verify("IR-NOCRED-R"))


if __name__ == "__main__":
    unittest.main()
