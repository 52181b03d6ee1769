"""`cordon hunt --engine athena` against moto's Athena, whose query results are injected through moto's
API (POST /moto-api/static/athena/query-results: a queue of results handed to executions in order).

The injected rows are what Athena would return for the --emit athena SQL over the samples: they are made
from the local engine's own results on the same files, so the Athena engine must print the same events,
sessions, exfiltration and flow aggregates as the local engine.

Run from the repository root:  python3 -m unittest tests/integration/hunt_athena_test.py -v
"""

from __future__ import annotations

import datetime
import json
import sys
import unittest
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import MotoFixture, run_cordon  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
INVICTUS = DATA / "cloudtrail" / "invictus-aws-dataset" / "CloudTrail"
FLOWS = DATA / "vpcflow" / "aws-vpc-user-guide" / "derived" / "default-v2-examples.log"
INSTANCE = "i-0dbc91f429e48eeed"
SELECTORS = ["--instance", INSTANCE, "--ip", "3.225.16.109", "--ip", "172.31.16.139"]
OUTPUT = "s3://cordon-athena-results/hunt/"

CT_COLUMNS = ["eventtime", "eventid", "eventsource", "eventname", "awsregion", "sourceipaddress",
              "useragent", "errorcode", "identity_type", "identity_arn", "access_key_id", "relation"]
FLOW_COLUMNS = ["peer", "port", "protocol", "direction", "action", "bytes", "packets", "flows", "first",
                "last"]


def athena_time(iso: str) -> str:
    """from_unixtime() as Athena prints it: 2014-12-14 04:06:50.000."""
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return t.strftime("%Y-%m-%d %H:%M:%S.000")


def result(columns: list[str], rows: list[list]) -> dict:
    """One injected result as Athena returns a SELECT: a header row, then the data rows."""
    def row(values):
        return {"Data": [{} if v is None else {"VarCharValue": str(v)} for v in values]}
    return {"rows": [row(columns)] + [row(r) for r in rows],
            "column_info": [{"Name": c, "Label": c, "Type": "varchar"} for c in columns]}


class HuntAthenaTest(MotoFixture, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        proc = run_cordon(["hunt", *SELECTORS, "--cloudtrail", INVICTUS, "--flow-logs", FLOWS,
                           "--output", "json", "--quiet"])
        assert proc.returncode == 0, proc.stderr
        cls.local = json.loads(proc.stdout)

    def setUp(self):
        self.moto.reset()
        self.client("s3").create_bucket(Bucket="cordon-athena-results")

    def inject(self, *results: dict):
        body = json.dumps({"results": list(results)}).encode()
        req = urllib.request.Request(self.endpoint + "/moto-api/static/athena/query-results", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)

    def local_results(self) -> tuple[dict, dict]:
        """The rows Athena would return for the samples, from the local engine's results."""
        events = []
        for relation in ("by", "on"):
            for e in self.local["cloudtrail"][relation]:
                ident = e["identity"]
                events.append([e["eventTime"], e["eventID"], e["eventSource"], e["eventName"], e["awsRegion"],
                               e["sourceIPAddress"], e["userAgent"], e["errorCode"], ident["type"],
                               ident["arn"], ident["accessKeyId"], relation])
        events.sort(key=lambda r: (r[0], r[1]))
        flows = [[a["peer"], a["port"], a["protocol"], a["direction"], a["action"], a["bytes"], a["packets"],
                  a["flows"], athena_time(a["first"]), athena_time(a["last"])]
                 for a in self.local["flows"]["aggregates"]]
        return result(CT_COLUMNS, events), result(FLOW_COLUMNS, flows)

    def hunt_athena(self, *extra, output="json"):
        return run_cordon(["hunt", *SELECTORS, "--engine", "athena", "--athena-output", OUTPUT,
                           "--athena-database", "security", "--output", output, "--quiet",
                           "--endpoint-url", self.endpoint, *extra])

    def test_same_results_as_local_engine(self):
        self.inject(*self.local_results())
        proc = self.hunt_athena()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = json.loads(proc.stdout)

        def view(e):
            return (e["eventID"], e["eventTime"], e["eventName"], e["eventSource"], e["sourceIPAddress"],
                    e["userAgent"], e["errorCode"], e["identity"]["type"], e["identity"]["arn"],
                    e["identity"]["accessKeyId"])
        for relation in ("by", "on"):
            self.assertEqual([view(e) for e in r["cloudtrail"][relation]],
                             [view(e) for e in self.local["cloudtrail"][relation]], relation)
            for e in r["cloudtrail"][relation]:
                self.assertTrue(e["file"].startswith("athena:"), e["file"])
        self.assertEqual(len(r["cloudtrail"]["by"]), 15)
        self.assertEqual(r["cloudtrail"]["sessions"], self.local["cloudtrail"]["sessions"])
        self.assertEqual(r["cloudtrail"]["exfiltration"], self.local["cloudtrail"]["exfiltration"])
        self.assertEqual(r["cloudtrail"]["exfiltration"][0]["sourceIPAddress"], "192.168.10.20")
        self.assertEqual(r["flows"]["aggregates"], self.local["flows"]["aggregates"])
        self.assertEqual(r["flows"]["matched_records"], self.local["flows"]["matched_records"])
        # The "by" hits come from the identity columns, as the local reader finds them.
        by_hits = {e["eventID"]: e["matched"] for e in self.local["cloudtrail"]["by"]}
        for e in r["cloudtrail"]["by"]:
            self.assertTrue(set(map(json.dumps, e["matched"])) <= set(map(json.dumps, by_hits[e["eventID"]])))
            self.assertTrue(e["matched"], e["eventID"])

    def test_queries_sent_to_athena(self):
        self.inject(*self.local_results())
        proc = self.hunt_athena("--athena-workgroup", "primary")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        athena = self.client("athena")
        ids = athena.list_query_executions()["QueryExecutionIds"]
        queries = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids]
        self.assertEqual(len(queries), 2)
        texts = sorted(q["Query"] for q in queries)
        emitted = run_cordon(["hunt", *SELECTORS, "--emit", "athena"]).stdout
        for text in texts:
            self.assertFalse(text.rstrip().endswith(";"), text)
            self.assertIn(text, emitted)
        self.assertTrue(any("FROM cloudtrail_logs" in t for t in texts))
        self.assertTrue(any("FROM vpc_flow_logs" in t for t in texts))
        for q in queries:
            self.assertTrue(q["ResultConfiguration"]["OutputLocation"].startswith(OUTPUT))
            self.assertEqual(q["QueryExecutionContext"]["Database"], "security")
            self.assertEqual(q["Status"]["State"], "SUCCEEDED")

    def test_text_output_flags_exfiltration(self):
        self.inject(*self.local_results())
        proc = self.hunt_athena(output="text")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("192.168.10.20", proc.stdout)
        self.assertIn(INSTANCE, proc.stdout)

    def test_no_rows(self):
        # Nothing injected: moto answers every query with no rows.
        proc = self.hunt_athena()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = json.loads(proc.stdout)
        self.assertEqual(r["cloudtrail"]["by"], [])
        self.assertEqual(r["flows"]["aggregates"], [])

    def test_output_location_is_required(self):
        proc = run_cordon(["hunt", *SELECTORS, "--engine", "athena", "--endpoint-url", self.endpoint])
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--athena-output", proc.stderr)


if __name__ == "__main__":
    unittest.main()
