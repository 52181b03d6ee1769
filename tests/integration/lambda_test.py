"""Issue 12: cordon as a Lambda function on provided.al2023. `cordon automation package` builds the zip;
its `bootstrap` runs cordon's Runtime API loop, here against a loopback server that plays the four
documented Runtime API endpoints (no Lambda emulator is installable here), with moto + the range as
AWS, and the effects judged with boto3 as watch_test judges them.

The Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
  GET  /2018-06-01/runtime/invocation/next           -> the event, with Lambda-Runtime-Aws-Request-Id
                                                        and Lambda-Runtime-Deadline-Ms (Unix ms)
  POST /2018-06-01/runtime/invocation/{id}/response  <- the result (202)
  POST /2018-06-01/runtime/invocation/{id}/error     <- {"errorMessage", "errorType", ...} (202)
  POST /2018-06-01/runtime/init/error                <- the same, when the runtime cannot start (202)
EventBridge invokes a function target with the event JSON itself as the payload, as it sends it to
an SQS target (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).

Expects:
  - the package: a static bootstrap (no PT_INTERP), cordon, the loader, its libraries, a CA bundle;
  - a GuardDuty finding (tests/data/guardduty/derived, rewritten to the suspect): the suspect contained
    (every property contain_test checks, siblings untouched), the response POSTed with the case; a
    malformed event: POSTed to /error with errorType Cordon.InvalidEvent; a finding whose deadline is
    already within the runtime's reserve: /error Cordon.DeadlineExceeded, and the same finding again
    with time to spare converges the same case with one snapshot per volume;
  - a bad CORDON_POLICY: POSTed to /init/error, exit 2;
  - CORDON_EVIDENCE_BUCKET (issue 15), against the range's HTTPS listener and a bucket made by
    `cordon evidence-bucket create` (its deny of plain HTTP in place, evaluated by the range): the case
    the finding opened is in the bucket, every file with an x-amz-checksum-sha256 matching the local
    file, and its journal head anchored as a write-once object; a bucket that is not write-once is an
    init error;
  - the unzipped package in a chroot of nothing but its own files (and an empty /tmp, as Lambda has):
    the finding contained from inside it (chroot does not change the network namespace, so
    127.0.0.1 is the same loopback; plain http needs no CA bundle). Needs root (skipped otherwise).

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/lambda_test.py -v
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evidence_bucket_test as eb  # noqa: E402
from helpers import TEST_DATA, load_range_module  # noqa: E402
from scenario import ResponseCase, case_snapshots, client, run_cordon  # noqa: E402

FINDING = TEST_DATA / "guardduty" / "derived" / "eventbridge-guardduty_ec2_event.json"
API = "/2018-06-01/runtime"


class RuntimeApi:
    """The four Runtime API endpoints on 127.0.0.1. Invocations are queued with invoke(); /next blocks
    until one is queued. Every report is kept in .reports: (request_id, "response"|"error", body,
    error-type header); init errors in .init_errors."""

    def __init__(self):
        self.pending: queue.Queue = queue.Queue()
        self.reports: list = []
        self.init_errors: list = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != f"{API}/invocation/next":
                    return self.answer(404, {"errorMessage": "no such path"})
                try:
                    request_id, deadline_ms, body = api.pending.get(timeout=120)
                except queue.Empty:
                    return self.answer(500, {"errorMessage": "no invocation came"})
                data = body.encode()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(deadline_ms))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 "arn:aws:lambda:us-east-1:123456789012:function:cordon")
                self.send_header("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                kind = self.headers.get("Lambda-Runtime-Function-Error-Type")
                if self.path == f"{API}/init/error":
                    api.init_errors.append((json.loads(body), kind))
                    return self.answer(202, {"status": "OK"})
                parts = self.path[len(f"{API}/invocation/"):].split("/")
                if not self.path.startswith(f"{API}/invocation/") or len(parts) != 2 or \
                        parts[1] not in ("response", "error"):
                    return self.answer(404, {"errorMessage": "no such path"})
                api.reports.append((parts[0], parts[1], body, kind))
                self.answer(202, {"status": "OK"})

            def answer(self, status: int, doc: dict):
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def invoke(self, body: str, seconds: float = 300.0) -> str:
        request_id = str(uuid.uuid4())
        self.pending.put((request_id, int((time.time() + seconds) * 1000), body))
        return request_id

    def report(self, request_id: str) -> tuple:
        [(kind, body, error_type)] = [(k, b, t) for i, k, b, t in self.reports if i == request_id]
        return kind, json.loads(body), error_type

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def has_interpreter(path: Path) -> bool:
    """Whether an x86-64 ELF file asks for a dynamic loader (a PT_INTERP program header)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2, f"{path} is not a 64-bit ELF file"
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    return any(struct.unpack_from("<I", data, phoff + i * phentsize)[0] == 3 for i in range(phnum))


def finding_event(instance_id: str, finding_id: str) -> str:
    """The EventBridge event of a GuardDuty finding on `instance_id`, as EventBridge invokes a function."""
    event = json.loads(FINDING.read_text())
    event["detail"]["id"] = finding_id
    event["detail"]["severity"] = 8
    event["detail"]["type"] = "UnauthorizedAccess:EC2/SSHBruteForce"
    event["detail"]["resource"]["instanceDetails"]["instanceId"] = instance_id
    event["region"] = "us-east-1"
    return json.dumps(event)


class LambdaCase(ResponseCase):
    """The package, unzipped once per class, and the Runtime API server per test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = tempfile.mkdtemp(prefix="cordon-lambda-")
        cls.zip = Path(cls.work, "cordon-lambda.zip")
        proc = run_cordon(["automation", "package", "--out", str(cls.zip)], timeout=120)
        if proc.returncode != 0:
            raise AssertionError(f"cordon automation package failed: {proc.stderr}")
        cls.manifest = json.loads(proc.stdout)
        cls.package = Path(cls.work, "package")
        subprocess.run(["unzip", "-q", str(cls.zip), "-d", str(cls.package)], check=True, timeout=60)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, True)
        super().tearDownClass()

    def setUp(self):
        self.api = RuntimeApi()
        self.addCleanup(self.api.stop)

    def lambda_env(self, invocations: int, **extra) -> dict:
        """What Lambda gives a function's process, and nothing from the developer's machine: the
        credentials as variables, the region, the Runtime API; the endpoint points at the range."""
        env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "token",
               "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint,
               "AWS_EC2_METADATA_DISABLED": "true", "AWS_LAMBDA_RUNTIME_API": self.api.host,
               "LAMBDA_TASK_ROOT": "/var/task", "CORDON_RESPONDER": self.responder,
               "CORDON_LAMBDA_MAX_INVOCATIONS": str(invocations), "PATH": "/usr/bin:/bin"}
        env.update(extra)
        return env

    def run_runtime(self, args: list, env: dict, timeout: float = 300.0) -> subprocess.CompletedProcess:
        return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, preexec_fn=load_range_module("moto").child_preexec())

    def assertResponded(self, request_id: str, case: str):
        kind, body, _ = self.api.report(request_id)
        self.assertEqual(kind, "response", body)
        self.assertEqual([(r["outcome"], r["case"]) for r in body["results"]], [("contained", case)], body)


class LambdaTests(LambdaCase):

    def test_package_holds_everything_and_a_static_bootstrap(self):
        files = set(self.manifest["files"])
        for need in ("bootstrap", "cordon", "lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libcurl.so.4",
                     "lib/libssl.so.3", "lib/libstdc++.so.6", "ca-certificates.crt"):
            self.assertIn(need, files)
        on_disk = {str(p.relative_to(self.package)) for p in self.package.rglob("*") if p.is_file()}
        self.assertEqual(on_disk, files)
        self.assertFalse(has_interpreter(self.package / "bootstrap"), "bootstrap is not static")
        self.assertTrue(os.access(self.package / "bootstrap", os.X_OK), "bootstrap lost its mode in the zip")
        # Lambda: 250 MB unzipped at most (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
        self.assertLess(sum((self.package / f).stat().st_size for f in files), 250 * 1024 * 1024)

    def test_finding_contained_malformed_reported_deadline_honoured(self):
        self.fresh()
        pre = self.state()
        finding = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
        case = f"AUTO-GD-{finding}"
        event = finding_event(self.ids["suspect"], finding)
        # A deadline already inside the runtime's 2 s reserve: the plan must not start.
        short = self.api.invoke(event, seconds=1.0)
        malformed = self.api.invoke('{"detail-type": "GuardDuty Finding", "source": "aws.guardduty"')
        good = self.api.invoke(event)
        proc = self.run_runtime([str(self.package / "bootstrap")],
                                self.lambda_env(3, CORDON_CASES_DIR=self.cases_dir))
        self.assertEqual(proc.returncode, 0, proc.stderr)

        kind, body, error_type = self.api.report(short)
        self.assertEqual((kind, body["errorType"], error_type), ("error", "Cordon.DeadlineExceeded",
                                                                 "Cordon.DeadlineExceeded"), body)
        kind, body, error_type = self.api.report(malformed)
        self.assertEqual((kind, body["errorType"]), ("error", "Cordon.InvalidEvent"), body)
        self.assertEqual(error_type, "Cordon.InvalidEvent")
        self.assertIn("not valid JSON", body["errorMessage"])
        self.assertResponded(good, case)
        self.assertContained(case, pre)
        self.assertCaseConsistent(case)
        self.assertEqual(len(self.api.reports), 3)
        self.assertEqual(self.api.init_errors, [])

    def test_bad_policy_is_an_init_error(self):
        proc = self.run_runtime([str(self.package / "bootstrap")],
                                self.lambda_env(1, CORDON_POLICY='{"rules": [{"name": "x", "do": "explode"}]}'))
        self.assertEqual(proc.returncode, 2, proc.stderr)
        [(body, error_type)] = self.api.init_errors
        self.assertEqual((body["errorType"], error_type), ("Cordon.InitError", "Cordon.InitError"))
        self.assertIn("CORDON_POLICY", body["errorMessage"])
        self.assertEqual(self.api.reports, [])

    @unittest.skipUnless(os.geteuid() == 0, "chroot needs root")
    def test_runs_in_a_chroot_of_its_own_files(self):
        self.fresh()
        pre = self.state()
        root = Path(tempfile.mkdtemp(prefix="cordon-chroot-"))
        self.addCleanup(shutil.rmtree, root, True)
        shutil.copytree(self.package, root, dirs_exist_ok=True, symlinks=True)
        (root / "tmp").mkdir(mode=0o1777)  # Lambda's only writable folder
        self.assertEqual({p.name for p in root.iterdir()}, {"bootstrap", "cordon", "lib", "ca-certificates.crt", "tmp"})
        finding = "c4c4c4c4d5d5d5d5e6e6e6e6f7f7f7f7"
        case = f"AUTO-GD-{finding}"
        good = self.api.invoke(finding_event(self.ids["suspect"], finding))
        proc = self.run_runtime(["/usr/sbin/chroot", str(root), "./bootstrap"], self.lambda_env(1))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertResponded(good, case)
        self.cases_dir = str(root / "tmp" / "cordon-cases")  # the default inside the sandbox
        self.assertContained(case, pre)
        self.assertCaseConsistent(case)
        self.assertEqual(len(case_snapshots(self.moto, case)), len(pre["instances"][self.ids["suspect"]]["volumes"]))


class LambdaEvidenceTests(LambdaCase):
    """The function with CORDON_EVIDENCE_BUCKET, over HTTPS: its endpoint is the range's HTTPS listener,
    AWS_CA_BUNDLE the range's CA (the bootstrap keeps a bundle the function sets)."""

    range_args = ("--tls",)

    def lambda_env(self, invocations: int, **extra) -> dict:
        env = super().lambda_env(invocations, AWS_ENDPOINT_URL=self.range.tls_endpoint,
                                 AWS_CA_BUNDLE=self.range.ca_bundle)
        env.update(extra)
        return env

    def s3(self):
        return client("s3", self.range.tls_endpoint, verify=self.range.ca_bundle)

    def test_the_case_is_exported_and_anchored(self):
        self.fresh()
        made = run_cordon(["evidence-bucket", "create", f"s3://{eb.BUCKET}"], self.range.tls_endpoint,
                          env={"AWS_CA_BUNDLE": self.range.ca_bundle})
        self.assertEqual(made.returncode, 0, made.stderr)
        finding = "e7e7e7e7f8f8f8f8a9a9a9a9b0b0b0b0"
        case = f"AUTO-GD-{finding}"
        good = self.api.invoke(finding_event(self.ids["suspect"], finding))
        proc = self.run_runtime([str(self.package / "bootstrap")], self.lambda_env(
            1, CORDON_CASES_DIR=self.cases_dir, CORDON_EVIDENCE_BUCKET=f"s3://{eb.BUCKET}/{eb.PREFIX}"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertResponded(good, case)
        self.assertIn(f'"evidence_bucket":"s3://{eb.BUCKET}/{eb.PREFIX}"', proc.stderr.replace(" ", ""))

        case_dir = Path(self.cases_dir, case)
        files = eb.case_files(case_dir)
        self.assertIn("case.db", files)
        s3 = self.s3()
        for path, data in files.items():
            head = s3.head_object(Bucket=eb.BUCKET, Key=f"{eb.PREFIX}/{case}/{path}", ChecksumMode="ENABLED")
            self.assertEqual(head["ChecksumSHA256"], eb.b64sha256(data), path)
            self.assertEqual(head["ContentLength"], len(data), path)
            self.assertEqual(head["ObjectLockMode"], "COMPLIANCE", path)
        seq, digest = eb.journal_head(case_dir / "case.db")
        key = f"{eb.PREFIX}/{case}/anchors/{seq:012d}-{digest}.json"
        anchor = json.loads(s3.get_object(Bucket=eb.BUCKET, Key=key)["Body"].read())
        self.assertEqual((anchor["seq"], anchor["hash"], anchor["responder"]), (seq, digest, self.responder))
        self.assertEqual(anchor["database_sha256"], hashlib.sha256(files["case.db"]).hexdigest())
        self.assertEqual(s3.head_object(Bucket=eb.BUCKET, Key=key)["ObjectLockMode"], "COMPLIANCE")
        # The anchor holds: `case verify` against the bucket compares the journal with it.
        verified = run_cordon(["case", "verify", case, "--cases-dir", self.cases_dir], self.range.tls_endpoint,
                              env={"AWS_CA_BUNDLE": self.range.ca_bundle})
        self.assertEqual(verified.returncode, 0, verified.stdout + verified.stderr)
        self.assertIn(f"compared with anchor s3://{eb.BUCKET}/{key}", verified.stdout)

    def test_a_bucket_that_is_not_write_once_is_an_init_error(self):
        self.fresh()
        self.s3().create_bucket(Bucket="plain-evidence")
        finding = "f1f1f1f1a2a2a2a2b3b3b3b3c4c4c4c4"
        pending = self.api.invoke(finding_event(self.ids["suspect"], finding))
        env = self.lambda_env(1, CORDON_CASES_DIR=self.cases_dir, CORDON_EVIDENCE_BUCKET="s3://plain-evidence/ir")
        proc = self.run_runtime([str(self.package / "bootstrap")], env)
        self.assertNotEqual(proc.returncode, 0, proc.stderr)
        [(body, error_type)] = self.api.init_errors
        self.assertEqual(error_type, "Cordon.InitError")
        self.assertIn("s3://plain-evidence is not write-once", body["errorMessage"])
        self.assertIn("CORDON_EVIDENCE_BUCKET", body["errorMessage"])
        self.assertIn("CORDON_ALLOW_UNLOCKED_BUCKET=1", body["errorMessage"])
        self.assertEqual(self.api.reports, [])
        self.assertEqual(os.listdir(self.cases_dir), [])
        # The responder's explicit choice: the same bucket used anyway, the case exported to it.
        proc = self.run_runtime([str(self.package / "bootstrap")], {**env, "CORDON_ALLOW_UNLOCKED_BUCKET": "1"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertResponded(pending, f"AUTO-GD-{finding}")
        db = Path(self.cases_dir, f"AUTO-GD-{finding}", "case.db").read_bytes()
        head = self.s3().head_object(Bucket="plain-evidence", Key=f"ir/AUTO-GD-{finding}/case.db",
                                     ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumSHA256"], eb.b64sha256(db))


if __name__ == "__main__":
    unittest.main()
