"""Issue 17: a responder's cases live in one place by default, whatever folder cordon runs in: the
configuration file's "cases_dir", else $XDG_DATA_HOME/cordon/cases, else ~/.local/share/cordon/cases
(the XDG Base Directory specification's default data folder); "no case" names the folder searched and
how to point elsewhere. Judged from the file system and boto3.

Run from the repository root:  python3 -m unittest tests/integration/cases_dir_test.py -v
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # noqa: E402
from scenario import ResponseCase, case_snapshots  # noqa: E402


def temp_dir(test: unittest.TestCase, prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    test.addCleanup(shutil.rmtree, path, True)
    return path


class CasesDirTests(ResponseCase):

    def run_in(self, cwd: Path, env: dict, *args, endpoint: bool = True):
        return helpers.run_cordon(list(args), env=env, cwd=str(cwd), timeout=300,
                                  endpoint=self.endpoint if endpoint else None)

    def test_cases_go_to_the_xdg_data_folder_not_the_current_one(self):
        self.fresh()
        data, here, elsewhere = temp_dir(self, "xdg-"), temp_dir(self, "cwd-"), temp_dir(self, "cwd2-")
        env = {"XDG_DATA_HOME": str(data), "CORDON_CONFIG": ""}
        proc = self.run_in(here, env, "preserve", self.ids["suspect"], "--case", "IR-XDG",
                           "--responder", self.responder)
        self.assertExit(proc, 0)
        self.assertTrue(Path(data, "cordon", "cases", "IR-XDG", "case.db").is_file())
        self.assertEqual(list(here.iterdir()), [], "the case landed in the current folder")
        self.assertEqual(len(case_snapshots(self.moto, "IR-XDG")), 3)
        # found again from any other folder
        show = self.run_in(elsewhere, env, "case", "show", "IR-XDG", "--output", "json", endpoint=False)
        self.assertExit(show, 0)
        self.assertEqual(json.loads(show.stdout)["id"], "IR-XDG")

    def test_home_default_when_no_xdg_variable(self):
        home, here = temp_dir(self, "home-"), temp_dir(self, "cwd-")
        env = {"HOME": str(home), "XDG_DATA_HOME": "", "CORDON_CONFIG": ""}
        proc = self.run_in(here, env, "case", "list", endpoint=False)
        self.assertExit(proc, 0)
        self.assertIn(str(home / ".local" / "share" / "cordon" / "cases"), proc.stdout)

    def test_the_config_file_names_the_folder(self):
        home, here = temp_dir(self, "home-"), temp_dir(self, "cwd-")
        config = home / "cordon.json"
        config.write_text(json.dumps({"cases_dir": "team-cases"}))  # relative to the file's folder
        env = {"HOME": str(home), "CORDON_CONFIG": str(config)}
        proc = self.run_in(here, env, "case", "list", endpoint=False)
        self.assertExit(proc, 0)
        self.assertIn(str(home / "team-cases"), proc.stdout)
        # the variable and the flag win over the file
        flag = self.run_in(here, env, "case", "list", "--cases-dir", str(here / "x"), endpoint=False)
        self.assertIn(str(here / "x"), flag.stdout)
        var = self.run_in(here, {**env, "CORDON_CASES_DIR": str(here / "y")}, "case", "list", endpoint=False)
        self.assertIn(str(here / "y"), var.stdout)

    def test_every_command_finds_its_case_where_the_config_file_says(self):
        """case verify, case export and hunt --case resolve the folder as contain and preserve do
        (cli/cases_root.h): with only the configuration file's "cases_dir" set, each finds the case there,
        from another folder, and nothing is read from or written to the XDG default."""
        self.fresh()
        home, here = temp_dir(self, "home-"), temp_dir(self, "cwd-")
        config = home / "cordon.json"
        config.write_text(json.dumps({"cases_dir": "team-cases"}))  # relative to the file's folder
        env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "xdg"), "CORDON_CONFIG": str(config)}
        case_dir = home / "team-cases" / "IR-CFG"
        suspect = self.ids["suspect"]
        proc = self.run_in(here, env, "preserve", suspect, "--case", "IR-CFG", "--responder", self.responder)
        self.assertExit(proc, 0)
        self.assertTrue((case_dir / "case.db").is_file())
        # `case verify` (its own command) and `case [options] verify` (case's sub-command, no AWS flags)
        for verify, endpoint in ((("case", "verify", "IR-CFG"), True), (("case", "--output", "json", "verify", "IR-CFG"), False)):
            with self.subTest(command=verify):
                proc = self.run_in(here, env, *verify, "--output", "json", endpoint=endpoint)
                # found the case where the config says: its chain intact, with no anchor yet (exit 6)
                self.assertExit(proc, 6)
                got = json.loads(proc.stdout)
                self.assertEqual((got["chain_intact"], got["anchored"]), (True, False))
        # case export copies that case to S3 (boto3 lists its objects)
        helpers.create_write_once_bucket(helpers.boto3_client("s3", self.moto), "cfg-evidence")
        proc = self.run_in(here, env, "case", "export", "IR-CFG", "--to", "s3://cfg-evidence/ir",
                           "--responder", self.responder)
        self.assertExit(proc, 0)
        s3 = helpers.boto3_client("s3", self.moto)
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket="cfg-evidence", Prefix="ir/IR-CFG/")["Contents"]}
        self.assertIn("ir/IR-CFG/case.db", keys)
        # hunt --case stores its results in that case
        trail = here / "trail"
        trail.mkdir()
        (trail / "events.json").write_text(json.dumps({"Records": [{
            "eventVersion": "1.08", "eventTime": "2026-01-01T00:00:00Z", "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeInstanceAttribute", "awsRegion": helpers.REGION, "sourceIPAddress": "198.51.100.7",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/mallory"},
            "requestParameters": {"instanceId": suspect, "attribute": "userData"},
            "eventID": "00000000-0000-0000-0000-00000000cf01"}]}))
        proc = self.run_in(here, env, "hunt", "--instance", suspect, "--cloudtrail", str(trail), "--case", "IR-CFG",
                           "--responder", self.responder, "--quiet", endpoint=False)
        self.assertExit(proc, 0)
        stored = list((case_dir / "evidence").glob("hunt-*.json"))
        self.assertEqual(len(stored), 1, proc.stderr)
        self.assertIn("00000000-0000-0000-0000-00000000cf01", stored[0].read_text())
        self.assertFalse((home / "xdg").exists(), "a command fell back to the XDG data folder")
        self.assertEqual(sorted(p.name for p in here.iterdir()), ["trail"])

    def test_no_case_names_the_folder_searched_and_how_to_point_elsewhere(self):
        self.fresh()
        data = temp_dir(self, "xdg-")
        env = {"XDG_DATA_HOME": str(data), "CORDON_CONFIG": ""}
        where = str(data / "cordon" / "cases")
        for args in (("case", "show", "IR-MISSING"), ("release", "--case", "IR-MISSING", "--yes")):
            with self.subTest(args=args):
                proc = self.run_in(data, env, *args, endpoint=args[0] == "release")
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(where, proc.stderr)
                self.assertIn("--cases-dir", proc.stderr)
                self.assertIn("cases_dir", proc.stderr)


if __name__ == "__main__":
    unittest.main()
