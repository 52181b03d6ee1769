"""`cordon hunt --engine athena` against moto's Athena, whose query results are injected through moto's
API (POST /moto-api/static/athena/query-results: a queue of results handed to executions in order).

The injected rows are what Athena would return for the --emit athena SQL over the samples: they are made
from the local engine's own results on the same files, so the Athena engine must print the same events,
sessions, exfiltration and flow aggregates as the local engine.

moto 5.2.1 cannot make a query end FAILED (its executions only go QUEUED -> RUNNING -> SUCCEEDED, with no
StateChangeReason) and returns every row in one GetQueryResults page (no NextToken). CANCELLED is real
moto: its state manager holds the query QUEUED and boto3 stops it. FAILED and paging go through
AthenaShaper, a proxy in this file that rewrites only those two answers of moto's the way Athena words
them; everything else (StartQueryExecution, the rows, the executions boto3 checks) is moto's.

Run from the repository root:  python3 -m unittest tests/integration/hunt_athena_test.py -v
"""

from __future__ import annotations

import datetime
import http.client
import http.server
import json
import sys
import threading
import time
import unittest
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import TEST_DATA, MotoFixture, run_cordon  # noqa: E402

DATA = TEST_DATA
INVICTUS = DATA / "cloudtrail" / "invictus-aws-dataset" / "CloudTrail"
FLOWS = DATA / "vpcflow" / "aws-vpc-user-guide" / "derived" / "default-v2-examples.log"
INSTANCE = "i-0dbc91f429e48eeed"
SELECTORS = ["--instance", INSTANCE, "--ip", "3.225.16.109", "--ip", "172.31.16.139"]
OUTPUT = "s3://cordon-athena-results/hunt/"

CT_COLUMNS = ["eventtime", "eventid", "eventsource", "eventname", "awsregion", "sourceipaddress",
              "useragent", "errorcode", "identity_type", "identity_arn", "access_key_id", "identity_account",
              "ec2_role_delivery", "vpc_endpoint_account", "relation"]


def attribution_columns() -> dict:
    """eventID -> (userIdentity.accountId, sessionContext.ec2RoleDelivery, vpcEndpointAccountId) of the
    Invictus records: what the SELECT's attribution columns return for them."""
    out = {}
    for path in INVICTUS.glob("*.json"):
        for r in json.loads(path.read_text()).get("Records", []):
            ident = r.get("userIdentity") or {}
            out[r.get("eventID")] = (ident.get("accountId"), (ident.get("sessionContext") or {}).get("ec2RoleDelivery"),
                                     r.get("vpcEndpointAccountId"))
    return out
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


class AthenaShaper:
    """A proxy in front of moto that gives Athena answers moto 5.2.1 cannot: `fail` (a dict with
    StateChangeReason and ErrorType) makes every GetQueryExecution answer FAILED with that reason;
    `page_size` splits GetQueryResults into pages of that many rows chained by NextToken, as Athena
    pages (the header row only on the first page). Records (execution id, NextToken) of each
    GetQueryResults request in `result_requests`. `on_start`, when set, is called with each
    StartQueryExecution's QueryString before moto gets the request (to queue the query's result)."""

    def __init__(self, target: str):
        self.target = urllib.parse.urlsplit(target)
        self.fail: dict | None = None
        self.page_size = 0
        self.on_start = None
        self.result_requests: list[tuple[str, str | None]] = []
        shaper = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                request = json.loads(body) if body else {}
                if operation == "StartQueryExecution" and shaper.on_start:
                    shaper.on_start(request["QueryString"])
                conn = http.client.HTTPConnection(shaper.target.hostname, shaper.target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                conn.request("POST", self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data, status = resp.read(), resp.status
                conn.close()
                if status == 200 and operation == "GetQueryExecution" and shaper.fail:
                    doc = json.loads(data)
                    doc["QueryExecution"]["Status"].update(
                        State="FAILED", StateChangeReason=shaper.fail["StateChangeReason"],
                        AthenaError={"ErrorCategory": 2, "ErrorType": shaper.fail["ErrorType"],
                                     "Retryable": False, "ErrorMessage": shaper.fail["StateChangeReason"]})
                    data = json.dumps(doc).encode()
                if status == 200 and operation == "GetQueryResults":
                    shaper.result_requests.append((request["QueryExecutionId"], request.get("NextToken")))
                    if shaper.page_size:
                        data = json.dumps(shaper._page(json.loads(data), request.get("NextToken"))).encode()
                self.send_response(status)
                self.send_header("Content-Type", resp.getheader("Content-Type") or "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _page(self, doc: dict, token: str | None) -> dict:
        rows = doc["ResultSet"]["Rows"]
        start = int(token.removeprefix("page-")) if token else 0
        doc["ResultSet"]["Rows"] = rows[start:start + self.page_size]
        if start + self.page_size < len(rows):
            doc["NextToken"] = f"page-{start + self.page_size}"
        return doc

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class HuntAthenaTest(MotoFixture, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        proc = run_cordon(["hunt", *SELECTORS, "--cloudtrail", INVICTUS, "--flow-logs", FLOWS,
                           "--output", "json", "--quiet"])
        assert proc.returncode == 0, proc.stderr
        cls.local = json.loads(proc.stdout)
        cls.shaper = AthenaShaper(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.shaper.stop()
        super().tearDownClass()

    def setUp(self):
        self.moto.reset()
        self.client("s3").create_bucket(Bucket="cordon-athena-results")
        self.shaper.fail, self.shaper.page_size = None, 0
        self.shaper.result_requests.clear()

    def inject(self, *results: dict):
        body = json.dumps({"results": list(results)}).encode()
        req = urllib.request.Request(self.endpoint + "/moto-api/static/athena/query-results", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)

    def local_results(self) -> tuple[dict, dict]:
        """The rows Athena would return for the samples, from the local engine's results."""
        events = []
        attribution = attribution_columns()
        for relation in ("by", "on"):
            for e in self.local["cloudtrail"][relation]:
                ident = e["identity"]
                events.append([e["eventTime"], e["eventID"], e["eventSource"], e["eventName"], e["awsRegion"],
                               e["sourceIPAddress"], e["userAgent"], e["errorCode"], ident["type"],
                               ident["arn"], ident["accessKeyId"], *attribution[e["eventID"]], relation])
        events.sort(key=lambda r: (r[0], r[1]))
        flows = [[a["peer"], a["port"], a["protocol"], a["direction"], a["action"], a["bytes"], a["packets"],
                  a["flows"], athena_time(a["first"]), athena_time(a["last"])]
                 for a in self.local["flows"]["aggregates"]]
        return result(CT_COLUMNS, events), result(FLOW_COLUMNS, flows)

    def hunt_athena(self, *extra, output="json", endpoint=None):
        return run_cordon(["hunt", *SELECTORS, "--engine", "athena", "--athena-output", OUTPUT,
                           "--athena-database", "security", "--output", output, "--quiet",
                           "--endpoint-url", endpoint or self.endpoint, *extra])

    def state_transition(self, transition: dict | None):
        """Sets (or with None, unsets) moto's state-manager transition of Athena executions."""
        path, body = ("set-transition", {"model_name": "athena::execution", "transition": transition}) \
            if transition else ("unset-transition", {"model_name": "athena::execution"})
        req = urllib.request.Request(f"{self.endpoint}/moto-api/state-manager/{path}",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)

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

    def test_cancelled_query_ends_the_hunt_with_exit_1(self):
        # The query stays QUEUED in moto until boto3 stops it, as a colleague would in the console.
        self.state_transition({"progression": "manual", "times": 1_000_000})
        self.addCleanup(self.state_transition, None)
        athena = self.client("athena")
        stopped = []

        def stop_the_first_query():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not stopped:
                ids = athena.list_query_executions()["QueryExecutionIds"]
                if ids:
                    athena.stop_query_execution(QueryExecutionId=ids[0])
                    stopped.append(ids[0])
                time.sleep(0.05)
        stopper = threading.Thread(target=stop_the_first_query)
        stopper.start()
        proc = self.hunt_athena()
        stopper.join()
        self.assertEqual(len(stopped), 1)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertIn(f"cordon: error: athena query {stopped[0]} CANCELLED", proc.stderr)
        # The first failure ends the hunt: the second statement is never started.
        self.assertEqual(athena.list_query_executions()["QueryExecutionIds"], stopped)
        self.assertEqual(athena.get_query_execution(QueryExecutionId=stopped[0])["QueryExecution"]["Status"]
                         ["State"], "CANCELLED")

    def test_failed_query_reports_athenas_reason(self):
        reason = "TABLE_NOT_FOUND: line 4:6: Table 'awsdatacatalog.security.cloudtrail_logs' does not exist"
        self.shaper.fail = {"StateChangeReason": reason, "ErrorType": "1301"}
        self.inject(*self.local_results())
        proc = self.hunt_athena(endpoint=self.shaper.url)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stdout, "")
        ids = self.client("athena").list_query_executions()["QueryExecutionIds"]
        self.assertEqual(len(ids), 1, "the hunt must stop at the first failed statement")
        self.assertIn(f"cordon: error: athena query {ids[0]} FAILED: {reason} (1301)", proc.stderr)
        self.assertEqual(self.shaper.result_requests, [], "no results are read from a failed query")

    def test_results_over_several_pages(self):
        self.shaper.page_size = 4
        ct, flows = self.local_results()
        self.inject(ct, flows)
        proc = self.hunt_athena(endpoint=self.shaper.url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = json.loads(proc.stdout)
        # Every row of every page, the header row (first page only) dropped and no data row with it.
        for relation in ("by", "on"):
            self.assertEqual([e["eventID"] for e in r["cloudtrail"][relation]],
                             [e["eventID"] for e in self.local["cloudtrail"][relation]], relation)
        self.assertEqual(len(r["cloudtrail"]["by"]) + len(r["cloudtrail"]["on"]), len(ct["rows"]) - 1)
        self.assertEqual(r["cloudtrail"]["exfiltration"], self.local["cloudtrail"]["exfiltration"])
        self.assertEqual(r["flows"]["aggregates"], self.local["flows"]["aggregates"])
        # Each query was read page by page, following Athena's NextToken to the end.
        athena = self.client("athena")
        by_query: dict[str, list] = {}
        for qid, token in self.shaper.result_requests:
            by_query.setdefault(qid, []).append(token)
        self.assertEqual(sorted(by_query), sorted(athena.list_query_executions()["QueryExecutionIds"]))
        sizes = sorted([len(ct["rows"]), len(flows["rows"])])
        pages = sorted(len(tokens) for tokens in by_query.values())
        self.assertEqual(pages, [-(-n // 4) for n in sizes])
        self.assertGreater(pages[-1], 1)
        for tokens in by_query.values():
            self.assertEqual(tokens, [None] + [f"page-{4 * i}" for i in range(1, len(tokens))])

    def test_output_location_is_required(self):
        proc = run_cordon(["hunt", *SELECTORS, "--engine", "athena", "--endpoint-url", self.endpoint])
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--athena-output", proc.stderr)


if __name__ == "__main__":
    unittest.main()
