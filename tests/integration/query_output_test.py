"""Issue 17: --query (JMESPath) and --output json|text|table on the commands that print results, as the
AWS CLI has them. Judged by the AWS CLI's own text formatter (awscli.text.format_text) and the Python
jmespath library that the AWS CLI uses, over the same JSON cordon prints with --output json; and each
command's query answer against boto3's view, the case's files or the logs and rules it read.

Run from the repository root:  python3 -m unittest tests/integration/query_output_test.py -v
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest
from pathlib import Path

import jmespath
from awscli import text as awscli_text

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import run_cordon  # noqa: E402
from hunt_sigma_test import DISABLE_LOGGING, RULES, TRAIL, expected_ids, records  # noqa: E402
from image_test import boto3_image_sha256  # noqa: E402
from scenario import AMI, REGION, ResponseCase, case_snapshots, client, mutating_calls  # noqa: E402

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

    # -- the other commands that print results

    def preserved(self, case: str) -> str:
        self.fresh()
        proc = self.cordon("preserve", self.ids["suspect"], "--case", case, "--cases-dir", self.cases_dir,
                           "--responder", self.responder)
        self.assertExit(proc, 0)
        return Path(self.cases_dir, case)

    def local(self, *args):
        return self.cordon(*args, "--cases-dir", self.cases_dir, endpoint=False)

    def test_case_list_show_and_verify(self):
        case_dir = self.preserved("IR-CQ")
        proc = self.local("case", "list", "--query", "[].[id, status]", "--output", "text")
        self.assertExit(proc, 0)
        listed = json.loads(self.local("case", "list", "--output", "json").stdout)
        self.assertEqual(proc.stdout, aws_text([[c["id"], c["status"]] for c in listed]))
        self.assertEqual(proc.stdout.split("\t")[0], "IR-CQ")
        # show: the snapshots the case holds are those boto3 finds tagged with it
        query = "sort(evidence[?kind=='snapshot'].location)"
        proc = self.local("case", "show", "IR-CQ", "--query", query, "--output", "json")
        self.assertExit(proc, 0)
        self.assertEqual(json.loads(proc.stdout), [s["SnapshotId"] for s in case_snapshots(self.moto, "IR-CQ")])
        table = self.local("case", "show", "IR-CQ", "--query", "evidence[?kind=='snapshot']", "--output", "table")
        self.assertExit(table, 0)
        self.assertTrue(table.stdout.startswith("-"), table.stdout[:200])
        for snap in case_snapshots(self.moto, "IR-CQ"):
            self.assertIn(snap["SnapshotId"], table.stdout)
        # verify: the records and head are the journal's rows in case.db
        with sqlite3.connect(case_dir / "case.db") as db:
            seq, digest = db.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        # `case verify` (its own command) and `case [options] verify` (case's sub-command, no AWS flags)
        for args, endpoint in ((("case", "verify", "IR-CQ"), True),
                               (("case", "--output", "text", "verify", "IR-CQ"), False)):
            with self.subTest(args=args):
                proc = self.cordon(*args, "--query", "[ok, chain_intact, anchored, records, head.hash]",
                                   "--output", "text", "--cases-dir", self.cases_dir, endpoint=endpoint)
                # intact but with no evidence bucket to hold an anchor: not "ok", exit 6 (partial)
                self.assertExit(proc, 6)
                self.assertEqual(proc.stdout, f"False\tTrue\tFalse\t{seq}\t{digest}\n")

    def test_case_note(self):
        """`case note` prints the note as journaled: --output json its JSON, judged against the row in case.db;
        --query over it, in the AWS CLI's text; plain text stays cordon's sentence."""
        case_dir = self.preserved("IR-NOTE")
        suspect = self.ids["suspect"]
        note = ("case", "note", "--case", "IR-NOTE", "--cases-dir", self.cases_dir, "--responder", "bob",
                "--target", suspect)

        def notes() -> list:
            """(seq, target, payload) of the case's note rows, from case.db."""
            with sqlite3.connect(case_dir / "case.db") as db:
                rows = db.execute("SELECT seq, target, payload FROM journal WHERE kind = 'note' ORDER BY seq")
                return [(seq, target, json.loads(payload)) for seq, target, payload in rows]

        proc = self.cordon(*note, "saw a reverse shell on 4444", "--output", "json", endpoint=False)
        self.assertExit(proc, 0)
        got = json.loads(proc.stdout)
        seq, target, payload = notes()[-1]
        self.assertEqual(target, suspect)
        self.assertEqual(got, {"case": "IR-NOTE", "seq": seq, "target": suspect, **payload})
        self.assertEqual((got["text"], got["responder"]), ("saw a reverse shell on 4444", "bob"))
        proc = self.cordon(*note, "and a cron job", "--query", "[case, seq, text]", "--output", "text", endpoint=False)
        self.assertExit(proc, 0)
        self.assertEqual(proc.stdout, aws_text(["IR-NOTE", notes()[-1][0], "and a cron job"]))
        table = self.cordon(*note, "third", "--query", "{seq: seq, text: text}", "--output", "table", endpoint=False)
        self.assertExit(table, 0)
        self.assertTrue(table.stdout.startswith("-"), table.stdout[:200])
        self.assertIn("third", table.stdout)
        plain = self.cordon(*note, "fourth", endpoint=False)
        self.assertExit(plain, 0)
        self.assertEqual(plain.stdout, f"note {notes()[-1][0]} added to case IR-NOTE\n")
        bad = self.cordon(*note, "never written", "--query", "seq[", endpoint=False)
        self.assertExit(bad, 2)
        self.assertIn("seq[", bad.stderr)
        texts = [p["text"] for _, _, p in notes() if p.get("responder") == "bob"]
        self.assertEqual(texts, ["saw a reverse shell on 4444", "and a cron job", "third", "fourth"],
                         "a bad --query writes no note")

    def test_evidence_bucket_create(self):
        self.fresh()
        proc = self.cordon("evidence-bucket", "create", "s3://query-evidence", "--retention", "7d",
                           "--query", "{bucket: bucket, logs: log_bucket, settings: length(settings)}",
                           "--output", "json")
        self.assertExit(proc, 0)
        got = json.loads(proc.stdout)
        self.assertEqual({got["bucket"], got["logs"]}, {"query-evidence", "query-evidence-logs"})
        self.assertGreater(got["settings"], 0)
        s3 = client("s3", self.moto)
        lock = s3.get_object_lock_configuration(Bucket="query-evidence")["ObjectLockConfiguration"]
        self.assertEqual(lock["Rule"]["DefaultRetention"]["Days"], 7)
        table = self.cordon("evidence-bucket", "create", "s3://query-evidence", "--retention", "7d",
                            "--query", "settings[?bucket=='query-evidence']", "--output", "table")
        self.assertExit(table, 0)
        self.assertTrue(table.stdout.startswith("-"), table.stdout[:200])
        self.assertIn("query-evidence", table.stdout)

    def test_posture(self):
        self.fresh()
        query = "sort(findings[?check=='sg.world_open'].evidence[0])"
        proc = self.cordon("posture", "--query", query, "--output", "json")
        self.assertExit(proc, (0, 6))
        groups = client("ec2", self.moto).describe_security_groups()["SecurityGroups"]
        open_to_world = sorted({g["GroupId"] for g in groups for p in g["IpPermissions"]
                                if any(r.get("CidrIp") == "0.0.0.0/0" for r in p.get("IpRanges", []))})
        self.assertTrue(open_to_world, "the scenario has a group open to the internet")
        self.assertEqual(sorted(set(json.loads(proc.stdout))), open_to_world)
        text = self.cordon("posture", "--query", query, "--output", "text")
        self.assertExit(text, (0, 6))
        self.assertEqual(text.stdout, aws_text(json.loads(proc.stdout)))

    def test_image(self):
        self.fresh()
        ec2 = client("ec2", self.moto)
        iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 1}}],
                                Placement={"AvailabilityZone": REGION + "a"})["Instances"][0]["InstanceId"]
        self.assertExit(self.cordon("preserve", iid, "--case", "IR-QIMG", "--cases-dir", self.cases_dir), 0)
        (snap,) = [s["SnapshotId"] for s in case_snapshots(self.moto, "IR-QIMG")]
        out = tempfile.mkdtemp(prefix="cordon-images-")
        self.addCleanup(shutil.rmtree, out, True)
        proc = self.cordon("image", "--case", "IR-QIMG", "--to", out, "--cases-dir", self.cases_dir,
                           "--query", "images[].[snapshot_id, sha256]", "--output", "text")
        self.assertExit(proc, 0)
        self.assertEqual(proc.stdout, f"{snap}\t{boto3_image_sha256(self.endpoint, snap)}\n")

    def test_api(self):
        self.fresh()
        query = "sort(Reservations[].Instances[].InstanceId)"
        proc = self.cordon("api", "ec2", "DescribeInstances", "--query", query, "--output", "text")
        self.assertExit(proc, 0)
        reservations = client("ec2", self.moto).describe_instances()["Reservations"]
        ids = sorted(i["InstanceId"] for r in reservations for i in r["Instances"])
        self.assertIn(self.ids["suspect"], ids)
        self.assertEqual(proc.stdout, aws_text(ids))
        full = self.cordon("api", "ec2", "DescribeInstances", "--query", query)
        self.assertEqual(full.stdout, json.dumps(ids, indent=4) + "\n", "json, indented as the AWS CLI does")
        self.range.control("POST", "stats/reset")
        bad = self.cordon("api", "ec2", "DescribeInstances", "--query", "Reservations[")
        self.assertExit(bad, 2)
        self.assertIn("Reservations[", bad.stderr)
        self.assertNotIn("DescribeInstances", self.range.stats().get("operations", {}).get("ec2", {}),
                         "a bad query is refused before the call")

    def test_a_bad_query_names_the_expression_on_every_command(self):
        self.fresh()
        cases = ("--cases-dir", self.cases_dir)
        commands = [(("case", "list", *cases), False), (("case", "show", "IR-X", *cases), False),
                    (("case", "verify", "IR-X", *cases), True), (("posture",), True),
                    (("evidence-bucket", "create", "s3://never-made"), True),
                    (("image", "--case", "IR-X", "--to", self.cases_dir, *cases), True)]
        for args, endpoint in commands:
            with self.subTest(args=args):
                proc = self.cordon(*args, "--query", "findings[?", "--output", "json", endpoint=endpoint)
                self.assertExit(proc, 2)
                self.assertIn("findings[?", proc.stderr)
                self.assertEqual(proc.stdout, "")
        self.assertEqual(mutating_calls(self.range.stats()), {})
        self.assertEqual(client("s3", self.moto).list_buckets()["Buckets"], [])


class LocalQueryOutputTests(unittest.TestCase):
    """The commands that read local files only: hunt (and its --sigma matches), sigma lint, iam-policy."""

    def run_json(self, *args, codes=(0,)):
        proc = run_cordon([*map(str, args), "--output", "json"])
        self.assertIn(proc.returncode, codes, proc.stderr[-2000:])
        return json.loads(proc.stdout)

    def check_query(self, args, query, codes=(0,)):
        """--query gives jmespath.search over --output json, and --output text its AWS CLI rendering."""
        full = self.run_json(*args, codes=codes)
        got = self.run_json(*args, "--query", query, codes=codes)
        self.assertEqual(got, jmespath.search(query, full))
        text = run_cordon([*map(str, args), "--query", query, "--output", "text"])
        self.assertIn(text.returncode, codes, text.stderr[-2000:])
        self.assertEqual(text.stdout, aws_text(got))
        table = run_cordon([*map(str, args), "--query", query, "--output", "table"])
        self.assertIn(table.returncode, codes, table.stderr[-2000:])
        self.assertTrue(table.stdout.startswith("-"), table.stdout[:200])
        return got

    def test_hunt_sigma_matches(self):
        query = f"sort(sigma.matches[?rule.id=='{DISABLE_LOGGING}'].event.eventID)"
        got = self.check_query(["hunt", "--cloudtrail", TRAIL, "--sigma", RULES, "--quiet"], query)
        self.assertEqual(got, expected_ids(DISABLE_LOGGING))

    def test_hunt_events(self):
        known = {r["eventID"]: r for r in records()}
        instance = "i-0dbc91f429e48eeed"  # the invictus dataset's stratus instance (hunt_s3_test)
        got = self.check_query(["hunt", "--cloudtrail", TRAIL, "--instance", instance, "--quiet"],
                               "cloudtrail.[by, on][][].[eventID, eventName]")
        self.assertTrue(got)
        for event_id, name in got:
            self.assertEqual(known[event_id]["eventName"], name)

    def test_sigma_lint(self):
        got = self.check_query(["sigma", "lint", RULES], "sort(findings[?never_matches].field)", codes=(1,))
        self.assertEqual(set(got), {"requestParameters.attribute", "status"})  # as sigma_lint_test proves
        self.assertFalse([r for r in records() if "status" in r], "a record has `status` after all")

    def test_iam_policy(self):
        got = self.check_query(["iam-policy", "--for", "triage"], "sort(Statement[].Action[])")
        self.assertIn("ec2:DescribeInstances", got)
        self.assertEqual(self.run_json("iam-policy", "--for", "triage"),
                         json.loads(run_cordon(["iam-policy", "--for", "triage"]).stdout), "json stays the default")

    def test_a_bad_query_names_the_expression(self):
        for args in (["hunt", "--cloudtrail", TRAIL, "--instance", "i-0dbc91f429e48eeed"], ["sigma", "lint", RULES],
                     ["iam-policy"]):
            with self.subTest(args=args[:2]):
                proc = run_cordon([*map(str, args), "--query", "a.[b"])
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("a.[b", proc.stderr)
                self.assertEqual(proc.stdout, "")
        proc = run_cordon(["hunt", "--cloudtrail", TRAIL, "--instance", "i-0dbc91f429e48eeed", "--query", "summary",
                           "--output", "csv"])
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--query", proc.stderr)


if __name__ == "__main__":
    unittest.main()
