"""`cordon hunt` over S3 (moto): the real samples uploaded with the AWS delivery key layout must give the
same results as a folder holding the same keys, and a --since/--until window must list only its days.

Run from the repository root:  python3 -m unittest tests/integration/hunt_s3_test.py -v
The binary is $CORDON_BIN (default build/src/cli/cordon).

A recording proxy sits between cordon and moto, so the test sees every ListObjectsV2 cordon sends.
"""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import re
import shutil
import sys
import tempfile
import threading
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import TEST_DATA, MotoFixture, run_cordon  # noqa: E402

DATA = TEST_DATA
INVICTUS = DATA / "cloudtrail" / "invictus-aws-dataset" / "CloudTrail"
FLOWS = DATA / "vpcflow" / "aws-vpc-user-guide" / "derived"
BUCKET = "cordon-hunt-logs"
ACCOUNT = "218007301253"
INSTANCE = "i-0dbc91f429e48eeed"
OWN_IP = "3.225.16.109"  # the instance's public address (its SSM agent calls come from it)
CT_ROOT = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/"
FLOW_ROOT = "AWSLogs/123456789010/vpcflowlogs/us-east-1/"

# A "by" event of the instance's role session a month before the samples, in its own day folder: found
# without a window, and never listed with a July window.
DECOY_EVENT = {
    "eventVersion": "1.08",
    "eventTime": "2023-06-01T08:00:00Z",
    "eventSource": "s3.amazonaws.com",
    "eventName": "ListBuckets",
    "awsRegion": "us-east-1",
    "sourceIPAddress": OWN_IP,
    "userAgent": "decoy",
    "eventID": "decoy-0000-0000-0000-000000000001",
    "userIdentity": {
        "type": "AssumedRole",
        "principalId": f"AROADECOY:{INSTANCE}",
        "arn": f"arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2-steal-credentials-role/{INSTANCE}",
        "accessKeyId": "ASIADECOY0000000001",
    },
}


def cloudtrail_key(path: Path) -> str:
    """AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<name>.json.gz from the delivery file name
    <acct>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<id>.json."""
    m = re.match(r"(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T", path.name)
    assert m, path.name
    acct, region, y, mo, d = m.groups()
    return f"AWSLogs/{acct}/CloudTrail/{region}/{y}/{mo}/{d}/{path.name}.gz"


def flow_key(path: Path) -> str:
    """A vpcflowlogs key dated by the file's first start time (a fixed day for files without one)."""
    import datetime
    day = "2019/08/26"
    lines = path.read_text().splitlines()
    fields = lines[0].split()
    if "start" in fields and len(lines) > 1:
        start = int(lines[1].split()[fields.index("start")])
        day = datetime.datetime.fromtimestamp(start, datetime.timezone.utc).strftime("%Y/%m/%d")
    stamp = day.replace("/", "") + "T0000Z"
    name = f"123456789010_vpcflowlogs_us-east-1_fl-0123456789abcdef0_{stamp}_{path.stem}.log.gz"
    return FLOW_ROOT + day + "/" + name


class RecordingProxy:
    """Forwards HTTP to moto and records (method, path, query) of every request."""

    def __init__(self, target: str):
        self.target = urllib.parse.urlsplit(target)
        self.requests: list[tuple[str, str, dict]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                url = urllib.parse.urlsplit(self.path)
                proxy.requests.append((self.command, url.path, urllib.parse.parse_qs(url.query)))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def list_prefixes(self) -> list[str]:
        """The Prefix of every ListObjectsV2 request seen so far."""
        return [q.get("prefix", [""])[0] for method, _, q in self.requests
                if method == "GET" and q.get("list-type") == ["2"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class HuntS3Test(MotoFixture, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-hunt-s3-"))
        cls.folder = cls.tmp / "bucket"
        objects: dict[str, bytes] = {}
        for path in sorted(INVICTUS.glob("*.json")):
            objects[cloudtrail_key(path)] = gzip.compress(path.read_bytes(), mtime=0)
        objects[CT_ROOT + "2023/06/01/" + f"{ACCOUNT}_CloudTrail_us-east-1_20230601T0800Z_decoy.json.gz"] = \
            gzip.compress(json.dumps({"Records": [DECOY_EVENT]}).encode(), mtime=0)
        for path in sorted(FLOWS.glob("*.log")):
            objects[flow_key(path)] = gzip.compress(path.read_bytes(), mtime=0)
        s3 = cls.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for key, body in objects.items():
            s3.put_object(Bucket=BUCKET, Key=key, Body=body)
            local = cls.folder / key
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(body)
        cls.objects = objects
        cls.proxy = RecordingProxy(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def hunt(self, *args, endpoint=None) -> tuple[dict, str]:
        proc = run_cordon(["hunt", *args, "--output", "json", "--quiet",
                           "--endpoint-url", endpoint or self.proxy.url])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout), proc.stdout

    def same_as_folder(self, kind: str, prefix: str, *args) -> dict:
        """Runs the hunt on s3://BUCKET/prefix and on the folder; asserts equal JSON once the source
        names are made relative; returns the S3 result."""
        from_s3, s3_text = self.hunt(kind, f"s3://{BUCKET}/{prefix}", *args)
        from_dir, dir_text = self.hunt(kind, str(self.folder / prefix), *args)
        s3_text = s3_text.replace(f"s3://{BUCKET}/", "<root>/")
        dir_text = dir_text.replace(str(self.folder) + "/", "<root>/")
        self.assertEqual(json.loads(s3_text), json.loads(dir_text))
        return from_s3

    def test_cloudtrail_from_s3_equals_folder_and_finds_exfiltration(self):
        r = self.same_as_folder("--cloudtrail", "AWSLogs/", "--instance", INSTANCE, "--ip", OWN_IP)
        self.assertEqual(r["skipped"], [])
        # 15 by and 52 on in the samples (src/hunt/cloudtrail_reader_test.cc), plus the decoy.
        self.assertEqual(len(r["cloudtrail"]["by"]), 16)
        self.assertEqual(len(r["cloudtrail"]["on"]), 52)
        for e in r["cloudtrail"]["by"] + r["cloudtrail"]["on"]:
            self.assertTrue(e["file"].startswith(f"s3://{BUCKET}/{CT_ROOT}"), e["file"])
        exfil = r["cloudtrail"]["exfiltration"]
        self.assertEqual(len(exfil), 1)
        self.assertEqual(exfil[0]["sourceIPAddress"], "192.168.10.20")
        self.assertEqual(exfil[0]["instance"], INSTANCE)

    def test_window_lists_only_its_days(self):
        self.proxy.requests.clear()
        args = ("--instance", INSTANCE, "--ip", OWN_IP, "--since", "2023-07-10", "--until", "2023-07-10")
        r = self.same_as_folder("--cloudtrail", "", *args)
        prefixes = self.proxy.list_prefixes()
        # The walk to the region folder, then the window's days with a day of margin on each side.
        day_lists = sorted(p for p in prefixes if p.startswith(CT_ROOT) and p != CT_ROOT)
        self.assertEqual(day_lists, [CT_ROOT + d for d in ("2023/07/09/", "2023/07/10/", "2023/07/11/")])
        self.assertFalse([p for p in prefixes if "2023/06" in p], prefixes)
        self.assertEqual(len(r["cloudtrail"]["by"]), 15)
        self.assertNotIn(DECOY_EVENT["eventID"], [e["eventID"] for e in r["cloudtrail"]["by"]])
        self.assertEqual(len(r["cloudtrail"]["exfiltration"]), 1)
        # The flow logs live under other days: none of their objects is read.
        invictus_files = len(list(INVICTUS.glob("*.json")))
        self.assertEqual(r["summary"]["objects"], invictus_files)

    def test_flow_logs_from_s3_equal_folder(self):
        r = self.same_as_folder("--flow-logs", FLOW_ROOT, "--eni", "eni-1235b8ca123456789",
                                "--ip", "172.31.16.139", "--instance", "i-01234567890123456")
        self.assertEqual(r["skipped"], [])
        self.assertGreater(r["flows"]["matched_records"], 0)
        self.assertEqual(r["flows"]["matched_records"],
                         sum(a["flows"] for a in r["flows"]["aggregates"]))

    def test_single_object_prefix(self):
        key = next(k for k in self.objects if k.endswith("_decoy.json.gz"))
        r, _ = self.hunt("--cloudtrail", f"s3://{BUCKET}/{key}", "--instance", INSTANCE)
        self.assertEqual([e["eventID"] for e in r["cloudtrail"]["by"]], [DECOY_EVENT["eventID"]])

    def test_missing_bucket_is_an_error(self):
        proc = run_cordon(["hunt", "--cloudtrail", "s3://no-such-bucket-cordon/AWSLogs/", "--instance",
                           INSTANCE, "--quiet", "--endpoint-url", self.endpoint])
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("cordon: error:", proc.stderr)
        self.assertIn("no-such-bucket-cordon", proc.stderr)


if __name__ == "__main__":
    unittest.main()
