"""Integration tests of cordon's test range (range/), judged by boto3 as an independent client.

Run from the repository root:  python3 -m unittest tests/integration/range_test.py -v

Each test class starts its own range (range/run.py: moto_server + the proxy) in setUpClass and
stops it in tearDownClass; tests that start more processes stop them with addCleanup.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore.exceptions
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from event_sources import as_get_findings, guardduty_finding  # noqa: E402
from helpers import RANGE_DIR, REGION, ROOT, load_range_module, read_json_line  # noqa: E402

RUN_PY = RANGE_DIR / "run.py"


range_moto = load_range_module("moto")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def wait_dead(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def port_open(url: str) -> bool:
    host, port = url.rsplit("/", 1)[-1].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


class RangeProcess:
    """range/run.py as a child process."""

    def __init__(self, *args: str):
        self.args = list(args)
        self.proc = None
        self.info = None
        self.startup_seconds = None

    def start(self, timeout: float = 30.0) -> dict:
        self._stderr = tempfile.TemporaryFile()
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN_PY), *self.args], cwd=str(ROOT),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr,
            preexec_fn=range_moto.child_preexec())

        def timed_out():
            self.kill()
            raise AssertionError(f"range did not start in {timeout}s: {self.stderr()}")

        def exited():
            self.proc.wait(5)
            raise AssertionError(f"range exited with {self.proc.returncode}: {self.stderr()}")

        self.info = read_json_line(self.proc, timeout - (time.monotonic() - t0), timed_out, exited)
        self.startup_seconds = time.monotonic() - t0
        return self.info

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        moto_pid = (self.info or {}).get("moto_pid")
        if moto_pid and not wait_dead(moto_pid, timeout):
            os.kill(moto_pid, signal.SIGKILL)
            raise AssertionError("moto_server outlived the range")
        self.proc.stdout.close()
        self._stderr.close()
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


_SESSION = None
_CLIENTS = {}


def make_client(service, endpoint, region=REGION, attempts=1, key="testing", secret="testing"):
    """A boto3 client (cached: building one costs a good part of a second). attempts=1: no retries."""
    global _SESSION
    k = (service, endpoint, region, attempts, key, secret)
    if k not in _CLIENTS:
        if _SESSION is None:
            _SESSION = boto3.session.Session()
        cfg = Config(retries={"total_max_attempts": attempts, "mode": "standard"},
                     connect_timeout=5, read_timeout=60)
        _CLIENTS[k] = _SESSION.client(service, endpoint_url=endpoint, region_name=region,
                                      aws_access_key_id=key, aws_secret_access_key=secret, config=cfg)
    return _CLIENTS[k]


def sign_v4(method: str, url: str, body: bytes, headers=None, service="s3") -> dict:
    """SigV4 headers for a request we send by hand (botocore signs it, with the dummy credentials)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    h = dict(headers or {})
    h["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    req = AWSRequest(method=method, url=url, data=body, headers=h)
    SigV4Auth(Credentials("testing", "testing"), service, REGION).add_auth(req)
    return dict(req.headers.items())


def http_json(method: str, url: str, obj=None, timeout: float = 30.0):
    data = None if obj is None else json.dumps(obj).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


# ------------------------------------------------------------------------------------------------
# The scenario used by ScenarioTests

ALICE_KEY = "AKIAALICE0000000TEST"
ROLE_KEY = "ASIAROLE00000000TEST"
MALLORY_KEY = "AKIAMALLORY00000TEST"
SUSPECT = "i-0aaa1111bbbb2222c"


def _record(name, when, source, identity, readonly=None, params=None, response=None, region=REGION,
            event_id=None):
    r = {"eventVersion": "1.08", "userIdentity": identity, "eventTime": when, "eventSource": source,
         "eventName": name, "awsRegion": region, "sourceIPAddress": "203.0.113.7",
         "userAgent": "aws-cli/2.15.0", "requestParameters": params, "responseElements": response,
         "eventType": "AwsApiCall", "recipientAccountId": "123456789012"}
    if readonly is not None:
        r["readOnly"] = readonly
    if event_id:
        r["eventID"] = event_id
    return r


ALICE = {"type": "IAMUser", "principalId": "AIDAALICE", "arn": "arn:aws:iam::123456789012:user/alice",
         "accountId": "123456789012", "accessKeyId": ALICE_KEY, "userName": "alice"}
MALLORY = {"type": "IAMUser", "principalId": "AIDAMAL", "arn": "arn:aws:iam::123456789012:user/mallory",
           "accountId": "123456789012", "accessKeyId": MALLORY_KEY, "userName": "mallory"}
ROLE_SESSION = {"type": "AssumedRole", "principalId": "AROAWEB:" + SUSPECT,
                "arn": f"arn:aws:sts::123456789012:assumed-role/web-role/{SUSPECT}",
                "accountId": "123456789012", "accessKeyId": ROLE_KEY,
                "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "web-role",
                                                     "arn": "arn:aws:iam::123456789012:role/web-role"},
                                   "ec2RoleDelivery": "2.0"}}

EVENTS = [
    _record("RunInstances", "2026-01-01T10:00:00Z", "ec2.amazonaws.com", ALICE, readonly=False,
            params={"instancesSet": {"items": [{"imageId": "ami-0123456789abcdef0", "minCount": 1}]}},
            response={"instancesSet": {"items": [{"instanceId": SUSPECT}]}},
            event_id="11111111-1111-1111-1111-111111111111"),
    _record("DescribeInstances", "2026-01-01T10:05:00Z", "ec2.amazonaws.com", ALICE, readonly=True,
            params={"instancesSet": {"items": [{"instanceId": SUSPECT}]}}),
    _record("GetCallerIdentity", "2026-01-01T10:10:00Z", "sts.amazonaws.com", ROLE_SESSION, readonly=True),
    _record("AuthorizeSecurityGroupIngress", "2026-01-01T10:20:00Z", "ec2.amazonaws.com", MALLORY,
            params={"groupId": "sg-0bad0bad0bad0bad0", "ipPermissions": {"items": [{"ipProtocol": "-1"}]}}),
    _record("StopLogging", "2026-01-01T10:30:00Z", "cloudtrail.amazonaws.com", MALLORY,
            params={"name": "main-trail"}),
    _record("ListBuckets", "2026-01-01T10:40:00Z", "s3.amazonaws.com", ROLE_SESSION),
    _record("TerminateInstances", "2026-01-01T10:50:00Z", "ec2.amazonaws.com", MALLORY, region="us-west-2",
            params={"instancesSet": {"items": [{"instanceId": "i-0west"}]}}),
    {   # LookupEvents-shaped: explicit fields win; CloudTrailEvent given as its JSON string
        "EventId": "99999999-9999-9999-9999-999999999999",
        "Username": "explicit-user",
        "Resources": [{"ResourceType": "AWS::IAM::Role", "ResourceName": "web-role"}],
        "CloudTrailEvent": json.dumps(_record(
            "PutRolePolicy", "2026-01-01T11:00:00Z", "iam.amazonaws.com", MALLORY,
            params={"roleName": "web-role", "policyName": "x"})),
    },
]

MANAGED = [
    {"InstanceId": SUSPECT, "IPAddress": "10.0.1.10", "ComputerName": "ip-10-0-1-10.ec2.internal",
     "Tags": {"Role": "web"}, "LastPingDateTime": "2026-01-01T10:00:00Z"},
    {"InstanceId": "i-0win", "PlatformType": "Windows", "PlatformName": "Microsoft Windows Server 2022",
     "PlatformVersion": "10.0.20348", "PingStatus": "ConnectionLost"},
] + [{"InstanceId": f"i-0fleet{i:02d}", "Tags": {"Role": "fleet"}} for i in range(5)]

COMMANDS = [
    {"InstanceId": SUSPECT, "CommandContains": "sha256sum", "Status": "Success",
     "StandardOutputContent": "e3b0c442  /tmp/mem.lime\n", "not_found_polls": 1, "pending_polls": 2},
    {"InstanceId": "*", "DocumentName": "AWS-RunShellScript", "CommandContains": "fail-me",
     "Status": "Failed", "ResponseCode": 2, "StandardErrorContent": "boom\n"},
]

SCENARIO = {"description": "range_test scenario", "cloudtrail_events": EVENTS,
            "ssm_managed_instances": MANAGED, "ssm_commands": COMMANDS}


# ------------------------------------------------------------------------------------------------

class RangeCase(unittest.TestCase):
    """Starts one range for the class; resets moto and the range between tests."""

    range_args: tuple = ()
    reset_each_test = True

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="cordon-range-test-")
        cls.rng = RangeProcess(*cls.build_args(Path(cls.tmp.name)))
        try:
            cls.info = cls.rng.start()
        except BaseException:
            cls.tmp.cleanup()
            raise
        cls.endpoint = cls.info["endpoint"]

    @classmethod
    def build_args(cls, tmp: Path):
        return list(cls.range_args)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rng.stop()
        finally:
            cls.tmp.cleanup()

    def setUp(self):
        if self.reset_each_test:
            self.control("DELETE", "faults")
            self.assertEqual(self.control("POST", "reset")[0], 200)

    def control(self, method, path, obj=None):
        return http_json(method, f"{self.endpoint}/__range/{path}", obj)

    def set_faults(self, config):
        status, body = self.control("POST", "faults", config)
        self.assertEqual(status, 200, body)
        return body

    def stats(self):
        status, body = self.control("GET", "stats")
        self.assertEqual(status, 200)
        return body

    def client(self, service, region=REGION, attempts=1, endpoint=None, key="testing", secret="testing"):
        return make_client(service, endpoint or self.endpoint, region, attempts, key, secret)

    def assertClientError(self, fn, code, status=None):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def outcomes(self, fn, n):
        """Calls fn n times; a list with None for success or the error code."""
        out = []
        for _ in range(n):
            try:
                fn()
                out.append(None)
            except botocore.exceptions.ClientError as e:
                out.append(e.response["Error"]["Code"])
        return out


# ================================================================================================

class PassthroughTests(RangeCase):

    def test_ec2_run_and_describe_instances(self):
        ec2 = self.client("ec2")
        run = ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2, InstanceType="t3.micro",
                                TagSpecifications=[{"ResourceType": "instance",
                                                    "Tags": [{"Key": "Name", "Value": "web & db <1>"}]}])
        ids = sorted(i["InstanceId"] for i in run["Instances"])
        desc = ec2.describe_instances(InstanceIds=ids)
        got = sorted(i["InstanceId"] for r in desc["Reservations"] for i in r["Instances"])
        self.assertEqual(got, ids)
        tags = desc["Reservations"][0]["Instances"][0]["Tags"]
        self.assertIn({"Key": "Name", "Value": "web & db <1>"}, tags)
        # moto directly sees the same state: the proxy changed nothing on the way
        direct = self.client("ec2", endpoint=self.info["moto"]).describe_instances(InstanceIds=ids)
        self.assertEqual(sorted(i["InstanceId"] for r in direct["Reservations"] for i in r["Instances"]), ids)
        st = self.stats()
        self.assertEqual(st["operations"]["ec2"]["RunInstances"]["requests"], 1)
        self.assertEqual(st["operations"]["ec2"]["DescribeInstances"]["requests"], 1)
        self.assertEqual(st["served"]["moto"], 2)

    def test_s3_20mb_object_with_escaped_key(self):
        s3 = self.client("s3")
        s3.create_bucket(Bucket="range-evidence")
        key = "case 42/ünïcödé+plus&amp=eq?#hash%25 ~.bin"
        data = os.urandom(1 << 20) * 20 + b"tail"
        s3.put_object(Bucket="range-evidence", Key=key, Body=data, Metadata={"sha256": hashlib.sha256(data).hexdigest()})
        head = s3.head_object(Bucket="range-evidence", Key=key)
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(head["Metadata"]["sha256"], hashlib.sha256(data).hexdigest())
        got = s3.get_object(Bucket="range-evidence", Key=key)["Body"].read()
        self.assertEqual(len(got), len(data))
        self.assertEqual(hashlib.sha256(got).digest(), hashlib.sha256(data).digest())
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="range-evidence")["Contents"]]
        self.assertEqual(keys, [key])
        ops = self.stats()["operations"]["s3"]
        for op in ("CreateBucket", "PutObject", "HeadObject", "GetObject", "ListObjectsV2"):
            self.assertEqual(ops[op]["requests"], 1, op)

    def test_s3_multipart_upload(self):
        s3 = self.client("s3")
        s3.create_bucket(Bucket="range-multipart")
        parts = [os.urandom(5 << 20), os.urandom(5 << 20), b"last part"]
        up = s3.create_multipart_upload(Bucket="range-multipart", Key="disk.img")
        etags = []
        for n, p in enumerate(parts, 1):
            r = s3.upload_part(Bucket="range-multipart", Key="disk.img", UploadId=up["UploadId"],
                               PartNumber=n, Body=p)
            etags.append({"ETag": r["ETag"], "PartNumber": n})
        s3.complete_multipart_upload(Bucket="range-multipart", Key="disk.img", UploadId=up["UploadId"],
                                     MultipartUpload={"Parts": etags})
        got = s3.get_object(Bucket="range-multipart", Key="disk.img")["Body"].read()
        self.assertEqual(got, b"".join(parts))
        ops = self.stats()["operations"]["s3"]
        self.assertEqual(ops["UploadPart"]["requests"], 3)
        self.assertEqual(ops["CreateMultipartUpload"]["requests"], 1)
        self.assertEqual(ops["CompleteMultipartUpload"]["requests"], 1)

    def test_chunked_request_body_and_keep_alive(self):
        self.client("s3").create_bucket(Bucket="range-chunked")
        host, port = self.endpoint.rsplit("/", 1)[-1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.addCleanup(conn.close)
        payload = [b"first chunk;", os.urandom(100000), b"", b"end"]
        headers = sign_v4("PUT", self.endpoint + "/range-chunked/chunked.bin", b"".join(payload),
                          {"Content-Type": "application/octet-stream", "Transfer-Encoding": "chunked"})
        conn.request("PUT", "/range-chunked/chunked.bin", body=iter([p for p in payload if p]),
                     encode_chunked=True, headers=headers)
        r = conn.getresponse()
        r.read()
        self.assertEqual(r.status, 200)
        sock = conn.sock
        # the same connection carries the next requests (keep-alive to the client)
        conn.request("GET", "/range-chunked/chunked.bin",
                     headers=sign_v4("GET", self.endpoint + "/range-chunked/chunked.bin", b""))
        r = conn.getresponse()
        body = r.read()
        self.assertEqual(r.status, 200)
        self.assertEqual(body, b"".join(payload))
        conn.request("GET", "/__range/health")
        r = conn.getresponse()
        self.assertEqual(json.loads(r.read())["ok"], True)
        self.assertIs(conn.sock, sock)
        got = self.client("s3").get_object(Bucket="range-chunked", Key="chunked.bin")["Body"].read()
        self.assertEqual(got, b"".join(payload))

    def test_json_and_query_protocols_pass_through(self):
        logs = self.client("logs")
        logs.create_log_group(logGroupName="/cordon/range")
        names = [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]
        self.assertIn("/cordon/range", names)
        iam = self.client("iam")
        iam.create_role(RoleName="web-role", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "ec2.amazonaws.com"}}]}))
        self.assertEqual(iam.get_role(RoleName="web-role")["Role"]["RoleName"], "web-role")
        ops = self.stats()["operations"]
        self.assertEqual(ops["logs"]["CreateLogGroup"]["requests"], 1)
        self.assertEqual(ops["iam"]["CreateRole"]["requests"], 1)
        self.assertEqual(ops["iam"]["GetRole"]["requests"], 1)

    def test_range_reset_resets_moto(self):
        ec2 = self.client("ec2")
        ec2.create_vpc(CidrBlock="10.9.0.0/16")
        before = len(ec2.describe_vpcs()["Vpcs"])
        self.assertEqual(self.control("POST", "reset")[0], 200)
        after = len(ec2.describe_vpcs()["Vpcs"])
        self.assertEqual(after, before - 1)
        self.assertEqual(self.stats()["requests"], 1)  # stats were reset too


# ================================================================================================

class FaultTests(RangeCase):

    def test_throttle_by_probability_ec2(self):
        self.set_faults({"seed": 7, "rules": [{"kind": "throttle", "service": "ec2", "probability": 0.5}]})
        ec2 = self.client("ec2")
        first = self.outcomes(ec2.describe_instances, 30)
        throttled = [o for o in first if o]
        self.assertTrue(0 < len(throttled) < 30, first)
        self.assertEqual(set(throttled), {"RequestLimitExceeded"})
        err = self.assertClientError(
            lambda: [ec2.describe_instances() for _ in range(100)], "RequestLimitExceeded", 503)
        self.assertEqual(err["Error"]["Message"], "Request limit exceeded.")
        st = self.stats()
        self.assertEqual(st["operations"]["ec2"]["DescribeInstances"]["faults"]["throttle"], st["faults"]["throttle"])
        # reproducible: the same seed gives the same pattern after a reset
        self.assertEqual(self.control("POST", "reset?moto=0")[0], 200)
        self.assertEqual(self.outcomes(ec2.describe_instances, 30), first)
        self.assertEqual(self.stats()["faults"]["throttle"], len(throttled))

    def test_token_bucket_throttles_per_action_and_refills(self):
        """EC2's request token buckets ("Request throttling for the Amazon EC2 API"): one per action,
        `capacity` tokens at first, `rate` more a second; an empty bucket answers RequestLimitExceeded."""
        ec2 = self.client("ec2")
        ec2.describe_vpcs()  # moto's first EC2 call takes seconds (its AMI catalogue): not in the bucket's time
        self.control("DELETE", "requests")
        self.set_faults({"rules": [{"kind": "bucket", "service": "ec2", "capacity": 3, "rate": 0.2}]})
        first = self.outcomes(ec2.describe_vpcs, 6)
        # 3 tokens; the refill while the calls run (0.2 a second) cannot make another whole token
        self.assertEqual(first[:3], [None] * 3, first)
        self.assertEqual(first[3:], ["RequestLimitExceeded"] * 3, first)
        self.assertIsNone(self.outcomes(ec2.describe_subnets, 1)[0], "another action has its own bucket")
        time.sleep(5.1)  # one token back
        self.assertEqual(self.outcomes(ec2.describe_vpcs, 2), [None, "RequestLimitExceeded"])
        log = self.control("GET", "requests?action=DescribeVpcs")[1]["requests"]
        self.assertEqual([r["fault"] for r in log], [None] * 3 + ["bucket"] * 3 + [None, "bucket"])
        times = [r["time"] for r in log]
        self.assertEqual(times, sorted(times))
        self.assertGreater(times[-2] - times[-3], 5)
        self.assertEqual(self.stats()["faults"]["bucket"], 4)
        status, body = self.control("POST", "faults", {"rules": [{"kind": "bucket", "capacity": 0, "rate": 1}]})
        self.assertEqual(status, 400, body)

    def test_throttle_by_probability_query_protocol(self):
        self.set_faults({"seed": 3, "rules": [{"kind": "throttle", "service": ["iam", "sts"], "probability": 0.5}]})
        iam, sts = self.client("iam"), self.client("sts")
        res = self.outcomes(iam.list_users, 12) + self.outcomes(sts.get_caller_identity, 12)
        self.assertIn(None, res)
        self.assertEqual(set(res) - {None}, {"Throttling"})
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            for _ in range(100):
                iam.list_users()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], "Throttling")
        self.assertEqual(err["Error"]["Type"], "Sender")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_throttle_by_probability_json_protocol(self):
        self.set_faults({"seed": 11, "rules": [{"kind": "throttle", "service": ["logs", "cloudtrail", "ssm"],
                                                "probability": 0.5}]})
        logs, ct, ssm = self.client("logs"), self.client("cloudtrail"), self.client("ssm")
        for fn in (logs.describe_log_groups, ct.lookup_events, ssm.describe_instance_information):
            res = self.outcomes(fn, 12)
            self.assertIn(None, res, fn)
            self.assertEqual(set(res) - {None}, {"ThrottlingException"}, fn)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            for _ in range(100):
                logs.describe_log_groups()
        err = cm.exception.response
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"], "ThrottlingException")
        self.assertEqual(err["Error"]["Message"], "Rate exceeded")

    def test_throttle_s3_slowdown(self):
        self.client("s3").create_bucket(Bucket="range-throttle")
        self.set_faults({"seed": 5, "rules": [{"kind": "throttle", "service": "s3", "probability": 0.5}]})
        s3 = self.client("s3")
        res = self.outcomes(lambda: s3.put_object(Bucket="range-throttle", Key="k", Body=b"x"), 16)
        self.assertIn(None, res)
        self.assertEqual(set(res) - {None}, {"SlowDown"})
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            for _ in range(100):
                s3.list_objects_v2(Bucket="range-throttle")
        self.assertEqual(cm.exception.response["Error"]["Code"], "SlowDown")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 503)

    def test_every_nth_request_filtered_by_action(self):
        self.set_faults({"rules": [{"kind": "throttle", "service": "ec2", "action": "DescribeVpcs", "every": 3}]})
        ec2 = self.client("ec2")
        res = []
        for _ in range(9):
            res += self.outcomes(ec2.describe_vpcs, 1)
            self.assertEqual(self.outcomes(ec2.describe_subnets, 1), [None])  # other actions untouched
        self.assertEqual(res, [None, None, "RequestLimitExceeded"] * 3)
        st = self.stats()
        self.assertEqual(st["operations"]["ec2"]["DescribeVpcs"], {"requests": 9, "faults": {"throttle": 3},
                                                                   "served_by_range": 0})
        self.assertEqual(st["operations"]["ec2"]["DescribeSubnets"]["faults"], {})

    def test_explicit_request_numbers_and_max(self):
        self.set_faults({"rules": [
            {"kind": "throttle", "service": "sts", "requests": [1, 4]},
            {"kind": "http500", "service": "iam", "max": 2},
        ]})
        sts, iam = self.client("sts"), self.client("iam")
        self.assertEqual(self.outcomes(sts.get_caller_identity, 5), ["Throttling", None, None, "Throttling", None])
        self.assertEqual(self.outcomes(iam.list_roles, 4), ["InternalFailure", "InternalFailure", None, None])
        status, faults = self.control("GET", "faults")
        self.assertEqual([(r["seen"], r["fired"]) for r in faults["rules"]], [(5, 2), (4, 2)])

    def test_http500_with_aws_and_html_bodies(self):
        ec2 = self.client("ec2")
        self.set_faults({"rules": [{"kind": "http500", "action": "DescribeVpcs", "body": "aws"}]})
        self.assertClientError(ec2.describe_vpcs, "InternalError", 500)
        self.set_faults({"rules": [{"kind": "http500", "action": "DescribeVpcs", "body": "html"}]})
        err = self.assertClientError(ec2.describe_vpcs, "500", 500)
        self.assertEqual(err["Error"]["Message"], "Internal Server Error")
        # the raw answer is an HTML page, as a load balancer sends
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(self.endpoint + "/?Action=DescribeVpcs&Version=2016-11-15", timeout=10)
        self.assertEqual(cm.exception.code, 500)
        self.assertEqual(cm.exception.headers["Content-Type"], "text/html")
        self.assertTrue(cm.exception.read().startswith(b"<html>"))

    def test_http503_html_and_mixed_bodies(self):
        ec2, s3 = self.client("ec2"), self.client("s3")
        self.set_faults({"rules": [{"kind": "http503", "body": "html"}]})
        self.assertClientError(ec2.describe_vpcs, "503", 503)
        self.assertClientError(s3.list_buckets, "503", 503)
        self.set_faults({"seed": 2, "rules": [{"kind": "http503", "service": "ec2"}]})  # default: mixed
        res = self.outcomes(ec2.describe_vpcs, 12)
        self.assertEqual(set(res), {"503", "Unavailable"})
        self.assertEqual(self.stats()["faults"]["http503"], 2 + 12)

    def test_connection_reset(self):
        self.set_faults({"rules": [{"kind": "reset", "action": "DescribeVpcs", "max": 1}]})
        ec2 = self.client("ec2")
        with self.assertRaises(botocore.exceptions.ConnectionClosedError):
            ec2.describe_vpcs()
        self.assertIsNotNone(ec2.describe_vpcs()["Vpcs"])  # once only (max 1); the client reconnects
        self.assertEqual(self.stats()["faults"]["reset"], 1)
        # on the wire: an RST and no answer at all ("how": "fin" closes cleanly instead)
        host, port = self.endpoint.rsplit("/", 1)[-1].split(":")
        for how, expect_rst in (("rst", True), ("fin", False)):
            self.set_faults({"rules": [{"kind": "reset", "how": how}]})
            with socket.create_connection((host, int(port)), timeout=10) as s:
                s.sendall(b"GET /?Action=DescribeVpcs&Version=2016-11-15 HTTP/1.1\r\nHost: x\r\n\r\n")
                if expect_rst:
                    with self.assertRaises(ConnectionResetError):
                        while s.recv(4096):
                            pass
                else:
                    self.assertEqual(s.recv(4096), b"")

    def test_after_faults_lose_the_answer_not_the_request(self):
        """`after: true`: moto applies the request, and the client gets the fault instead of the answer,
        as when a real service's answer is lost after the change ("Ensuring idempotency in Amazon EC2
        API requests": operations "might also time out or encounter other server issues before they
        complete, even though the request has already returned a result")."""
        ec2 = self.client("ec2")
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        self.set_faults({"rules": [
            {"kind": "http500", "action": "CreateSecurityGroup", "requests": [1], "after": True},
            {"kind": "reset", "action": "CreateTags", "requests": [1], "after": True},
        ]})
        self.assertClientError(lambda: ec2.create_security_group(GroupName="after-1", Description="d",
                                                                 VpcId=vpc), "InternalError", 500)
        groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["after-1"]}])
        self.assertEqual(len(groups["SecurityGroups"]), 1)  # the effect is there
        group = groups["SecurityGroups"][0]["GroupId"]
        # the client's retry meets the world the first attempt made
        self.assertClientError(lambda: ec2.create_security_group(GroupName="after-1", Description="d",
                                                                 VpcId=vpc), "InvalidGroup.Duplicate")
        with self.assertRaises(botocore.exceptions.ConnectionClosedError):
            ec2.create_tags(Resources=[group], Tags=[{"Key": "k", "Value": "v"}])
        tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [group]}])["Tags"]
        self.assertEqual([(t["Key"], t["Value"]) for t in tags], [("k", "v")])
        ec2.create_tags(Resources=[group], Tags=[{"Key": "k2", "Value": "v"}])  # once only
        st = self.stats()
        self.assertEqual(st["faults"], {"http500": 1, "reset": 1})
        self.assertEqual(st["operations"]["ec2"]["CreateTags"]["requests"], 2)
        log = self.control("GET", "requests?action=CreateSecurityGroup")[1]["requests"]
        self.assertEqual([r["fault"] for r in log], ["http500", None])
        # only the kinds that answer with an error or drop the connection can come after
        for kind in ("latency", "pending", "bucket"):
            status, body = self.control("POST", "faults", {"rules": [{"kind": kind, "after": True, "ms": 1,
                                                                      "capacity": 1, "rate": 1}]})
            self.assertEqual(status, 400, (kind, body))

    def test_latency(self):
        self.set_faults({"rules": [{"kind": "latency", "ms": 600, "action": "DescribeVpcs"}]})
        ec2 = self.client("ec2")
        ec2.describe_subnets()  # warm the connection
        t = time.monotonic()
        ec2.describe_vpcs()
        slow = time.monotonic() - t
        t = time.monotonic()
        ec2.describe_subnets()
        fast = time.monotonic() - t
        self.assertGreaterEqual(slow, 0.6)
        self.assertLess(fast, slow)
        self.assertEqual(self.stats()["faults"], {"latency": 1})

    def test_concurrent_requests_run_in_parallel(self):
        import concurrent.futures
        self.set_faults({"rules": [{"kind": "latency", "ms": 500, "service": "sts"}]})
        sts = self.client("sts")
        sts.get_caller_identity()
        t = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: sts.get_caller_identity()["Account"], range(8)))
        elapsed = time.monotonic() - t
        self.assertEqual(results, ["123456789012"] * 8)
        self.assertLess(elapsed, 8 * 0.5 / 2)  # serially it would take 4 s
        self.assertEqual(self.stats()["faults"], {"latency": 9})

    def test_latency_and_throttle_combine(self):
        self.set_faults({"rules": [{"kind": "latency", "ms": 300}, {"kind": "throttle", "every": 2}]})
        sts = self.client("sts")
        t = time.monotonic()
        res = self.outcomes(sts.get_caller_identity, 4)
        self.assertGreaterEqual(time.monotonic() - t, 1.2)
        self.assertEqual(res, [None, "Throttling", None, "Throttling"])
        self.assertEqual(self.stats()["faults"], {"latency": 4, "throttle": 2})

    def test_stats_counts(self):
        self.set_faults({"rules": [{"kind": "throttle", "service": "ec2", "action": "DescribeVpcs", "requests": [2]}]})
        ec2, s3 = self.client("ec2"), self.client("s3")
        self.outcomes(ec2.describe_vpcs, 3)
        s3.create_bucket(Bucket="range-stats")
        s3.list_buckets()
        self.client("cloudtrail").lookup_events()
        st = self.stats()
        self.assertEqual(st["requests"], 6)
        self.assertEqual(st["served"], {"moto": 4, "range": 1, "fault": 1})
        self.assertEqual(st["faults"], {"throttle": 1})
        self.assertEqual(st["operations"]["ec2"]["DescribeVpcs"]["requests"], 3)
        self.assertEqual(st["operations"]["s3"]["CreateBucket"]["requests"], 1)
        self.assertEqual(st["operations"]["s3"]["ListBuckets"]["requests"], 1)
        self.assertEqual(st["operations"]["cloudtrail"]["LookupEvents"]["served_by_range"], 1)
        status, cleared = self.control("POST", "stats/reset")
        self.assertEqual((status, cleared["requests"]), (200, 0))

    def test_control_api_rejects_bad_schedules(self):
        for bad in ({"rules": [{"kind": "explode"}]},
                    {"rules": [{"kind": "throttle", "probability": 2}]},
                    {"rules": [{"kind": "throttle", "every": 0}]},
                    {"rules": [{"kind": "throttle", "colour": "red"}]},
                    {"rulez": []}):
            status, body = self.control("POST", "faults", bad)
            self.assertEqual(status, 400, bad)
            self.assertIn("error", body)
        status, body = self.control("GET", "nothing-here")
        self.assertEqual(status, 404)
        # a rejected schedule leaves the previous one in force
        self.set_faults({"rules": [{"kind": "throttle", "service": "sts"}]})
        self.control("POST", "faults", {"rules": [{"kind": "nope"}]})
        self.assertEqual(self.outcomes(self.client("sts").get_caller_identity, 1), ["Throttling"])

    def test_pending_snapshots(self):
        self.set_faults({"rules": [{"kind": "pending", "describes": 2}]})
        ec2 = self.client("ec2")
        vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
        snap = ec2.create_snapshot(VolumeId=vol, Description="cordon-test")
        self.assertEqual(snap["State"], "pending")
        sid = snap["SnapshotId"]
        seen = []
        for _ in range(3):
            s = ec2.describe_snapshots(SnapshotIds=[sid])["Snapshots"][0]
            seen.append((s["State"], s["Progress"]))
        self.assertEqual(seen, [("pending", "33%"), ("pending", "66%"), ("completed", "100%")])
        # snapshots the range did not see created (moto's AMI snapshots) are left alone
        owned = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        others = [s for s in ec2.describe_snapshots()["Snapshots"] if s["SnapshotId"] != sid]
        self.assertTrue(others)
        self.assertTrue(all(s["State"] == "completed" for s in others))
        self.assertIn(sid, [s["SnapshotId"] for s in owned])
        # a multi-volume set (CreateSnapshots), waited for with boto3's own waiter
        inst = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        ids = [s["SnapshotId"] for s in ec2.create_snapshots(
            InstanceSpecification={"InstanceId": inst})["Snapshots"]]
        self.assertTrue(ids)
        first = ec2.describe_snapshots(SnapshotIds=ids)["Snapshots"]
        self.assertEqual({s["State"] for s in first}, {"pending"})
        before = self.stats()["operations"]["ec2"]["DescribeSnapshots"]["requests"]
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=ids, WaiterConfig={"Delay": 0.1, "MaxAttempts": 10})
        after = self.stats()["operations"]["ec2"]["DescribeSnapshots"]["requests"]
        self.assertEqual(after - before, 2)  # one more pending answer, then completed
        self.assertEqual(self.stats()["pending_rewrites"], 2 + 2 * len(ids))

    def test_pending_scope_all_and_reset(self):
        self.set_faults({"rules": [{"kind": "pending", "describes": 1, "scope": "all"}]})
        ec2 = self.client("ec2")
        some = ec2.describe_snapshots()["Snapshots"][:3]
        self.assertTrue(some)
        ids = [s["SnapshotId"] for s in some]
        again = ec2.describe_snapshots(SnapshotIds=ids)["Snapshots"]
        self.assertEqual({s["State"] for s in again}, {"completed"})
        self.assertEqual(self.control("POST", "reset?moto=0")[0], 200)  # counters start over
        self.assertEqual({s["State"] for s in ec2.describe_snapshots(SnapshotIds=ids)["Snapshots"]}, {"pending"})

    def test_snapshot_lag_hides_a_new_snapshot_from_its_first_tag_lookups(self):
        # EC2's eventual consistency (range/snapshot_lag.py): a lookup by tag can miss a snapshot just made.
        status, body = self.control("POST", "snapshot-lag", {"tag_lookups": 2})
        self.assertEqual(status, 200, body)
        ec2 = self.client("ec2")
        vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
        tags = [{"ResourceType": "snapshot", "Tags": [{"Key": "cordon:request", "Value": "r-1"}]}]
        sid = ec2.create_snapshot(VolumeId=vol, TagSpecifications=tags)["SnapshotId"]
        by_tag = [{"Name": "tag:cordon:request", "Values": ["r-1"]}]
        # by id or by volume it shows at once; by tag only from the third lookup
        self.assertEqual([s["SnapshotId"] for s in ec2.describe_snapshots(SnapshotIds=[sid])["Snapshots"]], [sid])
        self.assertEqual([s["SnapshotId"] for s in ec2.describe_snapshots(
            Filters=[{"Name": "volume-id", "Values": [vol]}])["Snapshots"]], [sid])
        seen = [[s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"], Filters=by_tag)["Snapshots"]]
                for _ in range(3)]
        self.assertEqual(seen, [[], [], [sid]])
        self.assertEqual(self.control("GET", "snapshot-lag")[1]["hidden"], {sid: 2})
        self.assertEqual(self.control("POST", "snapshot-lag", {"tag_lookups": -1})[0], 400)
        self.assertEqual(self.control("POST", "reset?moto=0")[0], 200)
        self.assertEqual(self.control("GET", "snapshot-lag")[1], {"tag_lookups": 0, "hidden": {}})


# ================================================================================================

class ScenarioTests(RangeCase):

    @classmethod
    def build_args(cls, tmp: Path):
        path = tmp / "scenario.json"
        path.write_text(json.dumps(SCENARIO, indent=1))
        return ["--scenario", str(path)]

    def lookup(self, region=REGION, **kw):
        return self.client("cloudtrail", region=region).lookup_events(**kw)

    def names(self, resp):
        return [e["EventName"] for e in resp["Events"]]

    def by(self, key, value):
        return self.names(self.lookup(LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}]))

    def test_lookup_events_all_newest_first(self):
        resp = self.lookup()
        self.assertEqual(self.names(resp), ["PutRolePolicy", "ListBuckets", "StopLogging",
                                            "AuthorizeSecurityGroupIngress", "GetCallerIdentity",
                                            "DescribeInstances", "RunInstances"])
        self.assertNotIn("NextToken", resp)
        self.assertEqual(self.names(self.lookup(region="us-west-2")), ["TerminateInstances"])

    def test_lookup_events_response_shape(self):
        ev = self.lookup(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "RunInstances"}])["Events"]
        self.assertEqual(len(ev), 1)
        e = ev[0]
        self.assertEqual(set(e), {"EventId", "EventName", "ReadOnly", "AccessKeyId", "EventTime",
                                  "EventSource", "Username", "Resources", "CloudTrailEvent"})
        self.assertEqual(e["EventId"], "11111111-1111-1111-1111-111111111111")
        self.assertEqual(e["ReadOnly"], "false")
        self.assertEqual(e["AccessKeyId"], ALICE_KEY)
        self.assertEqual(e["EventSource"], "ec2.amazonaws.com")
        self.assertEqual(e["Username"], "alice")
        self.assertEqual(e["EventTime"].timestamp(), 1767261600.0)  # 2026-01-01T10:00:00Z
        self.assertEqual(e["Resources"], [{"ResourceType": "AWS::EC2::Ami", "ResourceName": "ami-0123456789abcdef0"},
                                          {"ResourceType": "AWS::EC2::Instance", "ResourceName": SUSPECT}])
        self.assertEqual(json.loads(e["CloudTrailEvent"]), EVENTS[0])
        # on the wire EventTime is a number of epoch seconds, and the type is JSON 1.1
        req = urllib.request.Request(self.endpoint + "/", method="POST", data=json.dumps({
            "LookupAttributes": [{"AttributeKey": "EventId", "AttributeValue": e["EventId"]}]}).encode(),
            headers={"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                     "Content-Type": "application/x-amz-json-1.1"})
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = json.loads(r.read())
            self.assertEqual(r.headers["Content-Type"], "application/x-amz-json-1.1")
        self.assertEqual(raw["Events"][0]["EventTime"], 1767261600)
        self.assertIsInstance(raw["Events"][0]["CloudTrailEvent"], str)

    def test_lookup_events_by_each_attribute(self):
        self.assertEqual(self.by("ResourceName", SUSPECT), ["DescribeInstances", "RunInstances"])
        self.assertEqual(self.by("Username", "alice"), ["DescribeInstances", "RunInstances"])
        self.assertEqual(self.by("Username", SUSPECT), ["ListBuckets", "GetCallerIdentity"])  # role session
        self.assertEqual(self.by("AccessKeyId", ROLE_KEY), ["ListBuckets", "GetCallerIdentity"])
        self.assertEqual(self.by("EventName", "StopLogging"), ["StopLogging"])
        self.assertEqual(self.by("ResourceType", "AWS::CloudTrail::Trail"), ["StopLogging"])
        self.assertEqual(self.by("EventSource", "s3.amazonaws.com"), ["ListBuckets"])
        self.assertEqual(self.by("ReadOnly", "true"), ["ListBuckets", "GetCallerIdentity", "DescribeInstances"])
        self.assertEqual(self.by("ResourceType", "AWS::EC2::SecurityGroup"), ["AuthorizeSecurityGroupIngress"])
        self.assertEqual(self.by("EventId", "11111111-1111-1111-1111-111111111111"), ["RunInstances"])
        self.assertEqual(self.by("Username", "nobody"), [])
        # a LookupEvents-shaped scenario entry keeps its explicit fields
        e = self.lookup(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "web-role"}])["Events"]
        self.assertEqual([(x["EventName"], x["Username"], x["EventId"]) for x in e],
                         [("PutRolePolicy", "explicit-user", "99999999-9999-9999-9999-999999999999")])
        self.assertEqual(e[0]["Resources"], [{"ResourceType": "AWS::IAM::Role", "ResourceName": "web-role"}])

    def test_lookup_events_time_window(self):
        import datetime as dt
        utc = dt.timezone.utc
        resp = self.lookup(StartTime=dt.datetime(2026, 1, 1, 10, 4, tzinfo=utc),
                           EndTime=dt.datetime(2026, 1, 1, 10, 20, tzinfo=utc))
        self.assertEqual(self.names(resp), ["AuthorizeSecurityGroupIngress", "GetCallerIdentity", "DescribeInstances"])
        resp = self.lookup(StartTime=dt.datetime(2026, 1, 1, 10, 30, tzinfo=utc),
                           LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "mallory"}])
        self.assertEqual(self.names(resp), ["StopLogging"])
        self.assertClientError(lambda: self.lookup(StartTime=dt.datetime(2026, 1, 2, tzinfo=utc),
                                                   EndTime=dt.datetime(2026, 1, 1, tzinfo=utc)),
                               "InvalidTimeRangeException", 400)

    def test_lookup_events_pagination(self):
        everything = self.names(self.lookup())
        page1 = self.lookup(MaxResults=3)
        self.assertEqual(self.names(page1), everything[:3])
        page2 = self.lookup(MaxResults=3, NextToken=page1["NextToken"])
        self.assertEqual(self.names(page2), everything[3:6])
        page3 = self.lookup(MaxResults=3, NextToken=page2["NextToken"])
        self.assertEqual(self.names(page3), everything[6:])
        self.assertNotIn("NextToken", page3)
        pages = list(self.client("cloudtrail").get_paginator("lookup_events").paginate(
            PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["Events"]) for p in pages], [2, 2, 2, 1])
        self.assertEqual([n for p in pages for n in self.names(p)], everything)
        # a token belongs to its query
        self.assertClientError(lambda: self.lookup(MaxResults=3, NextToken=page1["NextToken"], LookupAttributes=[
            {"AttributeKey": "Username", "AttributeValue": "alice"}]), "InvalidNextTokenException", 400)
        self.assertClientError(lambda: self.lookup(NextToken="garbage"), "InvalidNextTokenException", 400)

    def test_lookup_events_errors(self):
        self.assertClientError(lambda: self.lookup(LookupAttributes=[
            {"AttributeKey": "Username", "AttributeValue": "alice"},
            {"AttributeKey": "EventName", "AttributeValue": "RunInstances"}]),
            "InvalidLookupAttributesException", 400)
        self.assertClientError(lambda: self.lookup(MaxResults=51), "InvalidMaxResultsException", 400)

    def dii(self, **kw):
        return self.client("ssm").describe_instance_information(**kw)

    def test_describe_instance_information(self):
        allinfo = self.dii()["InstanceInformationList"]
        self.assertEqual([i["InstanceId"] for i in allinfo], [m["InstanceId"] for m in MANAGED])
        suspect = allinfo[0]
        self.assertEqual(suspect["PingStatus"], "Online")
        self.assertEqual(suspect["PlatformType"], "Linux")
        self.assertEqual(suspect["ResourceType"], "EC2Instance")
        self.assertEqual(suspect["IPAddress"], "10.0.1.10")
        self.assertEqual(suspect["LastPingDateTime"].timestamp(), 1767261600.0)
        self.assertNotIn("Tags", suspect)
        self.assertTrue(suspect["IsLatestVersion"])
        one = self.dii(Filters=[{"Key": "InstanceIds", "Values": [SUSPECT]}])["InstanceInformationList"]
        self.assertEqual([i["InstanceId"] for i in one], [SUSPECT])
        old = self.dii(InstanceInformationFilterList=[{"key": "InstanceIds", "valueSet": [SUSPECT, "i-0win"]}])
        self.assertEqual([i["InstanceId"] for i in old["InstanceInformationList"]], [SUSPECT, "i-0win"])
        lost = self.dii(Filters=[{"Key": "PingStatus", "Values": ["ConnectionLost"]}])["InstanceInformationList"]
        self.assertEqual([i["InstanceId"] for i in lost], ["i-0win"])
        win = self.dii(InstanceInformationFilterList=[{"key": "PlatformTypes", "valueSet": ["Windows"]}])
        self.assertEqual([i["PlatformName"] for i in win["InstanceInformationList"]], ["Microsoft Windows Server 2022"])
        web = self.dii(Filters=[{"Key": "tag:Role", "Values": ["web"]}])["InstanceInformationList"]
        self.assertEqual([i["InstanceId"] for i in web], [SUSPECT])
        none = self.dii(Filters=[{"Key": "InstanceIds", "Values": ["i-0notmanaged"]}])
        self.assertEqual(none["InstanceInformationList"], [])
        # (boto3 checks MaxResults >= 5 itself, so ask the range directly)
        req = urllib.request.Request(self.endpoint + "/", method="POST", data=b'{"MaxResults": 4}', headers={
            "X-Amz-Target": "AmazonSSM.DescribeInstanceInformation", "Content-Type": "application/x-amz-json-1.1"})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 400)
        self.assertEqual(json.loads(cm.exception.read())["__type"], "ValidationException")
        self.assertClientError(lambda: self.dii(Filters=[{"Key": "Colour", "Values": ["red"]}]), "InvalidFilterKey", 400)

    def test_describe_instance_information_pagination(self):
        pages = list(self.client("ssm").get_paginator("describe_instance_information").paginate(
            PaginationConfig={"PageSize": 5}))
        self.assertEqual([len(p["InstanceInformationList"]) for p in pages], [5, 2])
        self.assertEqual([i["InstanceId"] for p in pages for i in p["InstanceInformationList"]],
                         [m["InstanceId"] for m in MANAGED])
        fleet = self.dii(Filters=[{"Key": "tag:Role", "Values": ["fleet"]}], MaxResults=5)
        self.assertEqual(len(fleet["InstanceInformationList"]), 5)
        self.assertNotIn("NextToken", fleet)

    def test_ssm_command_outcomes(self):
        ssm = self.client("ssm")
        cid = ssm.send_command(InstanceIds=[SUSPECT], DocumentName="AWS-RunShellScript",
                               Parameters={"commands": ["sha256sum /tmp/mem.lime"]})["Command"]["CommandId"]
        get = lambda: ssm.get_command_invocation(CommandId=cid, InstanceId=SUSPECT)  # noqa: E731
        self.assertClientError(get, "InvocationDoesNotExist", 400)  # as right after a real SendCommand
        states = [get()["Status"] for _ in range(2)]
        self.assertEqual(states, ["Pending", "InProgress"])
        final = get()
        self.assertEqual(final["Status"], "Success")
        self.assertEqual(final["ResponseCode"], 0)
        self.assertEqual(final["StandardOutputContent"], "e3b0c442  /tmp/mem.lime\n")
        self.assertEqual(final["DocumentName"], "AWS-RunShellScript")
        self.assertEqual(final["PluginName"], "aws:runShellScript")
        # a failed command, seen through boto3's waiter
        cid2 = ssm.send_command(InstanceIds=["i-0fleet01"], DocumentName="AWS-RunShellScript",
                                Parameters={"commands": ["fail-me"]})["Command"]["CommandId"]
        with self.assertRaises(botocore.exceptions.WaiterError):
            ssm.get_waiter("command_executed").wait(CommandId=cid2, InstanceId="i-0fleet01",
                                                    WaiterConfig={"Delay": 0.1, "MaxAttempts": 5})
        failed = ssm.get_command_invocation(CommandId=cid2, InstanceId="i-0fleet01")
        self.assertEqual((failed["Status"], failed["ResponseCode"], failed["StandardErrorContent"]),
                         ("Failed", 2, "boom\n"))
        # a command no outcome matches is moto's
        cid3 = ssm.send_command(InstanceIds=["i-0fleet02"], DocumentName="AWS-RunShellScript",
                                Parameters={"commands": ["uptime"]})["Command"]["CommandId"]
        ssm.get_command_invocation(CommandId=cid3, InstanceId="i-0fleet02")
        ops = self.stats()["operations"]["ssm"]
        self.assertEqual(ops["GetCommandInvocation"]["requests"], 4 + 2 + 1)
        self.assertEqual(ops["GetCommandInvocation"]["served_by_range"], 4 + 2)

    def test_scenario_replace_and_append_by_control_api(self):
        self.addCleanup(self.control, "POST", "scenario", SCENARIO)
        status, body = self.control("POST", "scenario", {"cloudtrail_events": [EVENTS[0]]})
        self.assertEqual((status, body["cloudtrail_events"], body["ssm_managed_instances"]), (200, 1, 0))
        self.assertEqual(self.names(self.lookup()), ["RunInstances"])
        self.assertEqual(self.dii()["InstanceInformationList"], [])
        status, body = self.control("POST", "scenario?mode=append", {
            "cloudtrail_events": [EVENTS[4]], "ssm_managed_instances": [MANAGED[0]]})
        self.assertEqual((status, body["cloudtrail_events"], body["ssm_managed_instances"]), (200, 2, 1))
        self.assertEqual(self.names(self.lookup()), ["StopLogging", "RunInstances"])
        status, body = self.control("POST", "scenario", {"cloudtrail_events": [{"eventName": "NoTime"}]})
        self.assertEqual(status, 400)
        status, body = self.control("POST", "scenario", {"not_a_key": []})
        self.assertEqual(status, 400)
        self.assertEqual(self.names(self.lookup()), ["StopLogging", "RunInstances"])  # unchanged


# ================================================================================================

class SharedSnapshotTests(RangeCase):
    """A volume from a snapshot another account shared with createVolumePermission, which AWS allows
    ("Share an Amazon EBS snapshot", Amazon EBS User Guide) and moto 5.2.1 answers with
    InvalidSnapshot.NotFound: the range serves it (range/shared_snapshots.py)."""

    FORENSIC = "222222222222"

    def forensic(self, service):
        creds = self.client("sts").assume_role(RoleArn=f"arn:aws:iam::{self.FORENSIC}:role/forensics",
                                               RoleSessionName="range-test")["Credentials"]
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"])

    def test_a_shared_snapshot_makes_a_volume_in_the_other_account(self):
        ec2 = self.client("ec2")
        vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=12)["VolumeId"]
        snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
        theirs = self.forensic("ec2")
        with self.assertRaises(Exception) as refused:  # not shared yet: AWS and the range refuse it
            theirs.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snap)
        self.assertIn("InvalidSnapshot.NotFound", str(refused.exception))
        ec2.modify_snapshot_attribute(SnapshotId=snap, Attribute="createVolumePermission", OperationType="add",
                                      UserIds=[self.FORENSIC])
        made = theirs.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snap, Encrypted=True,
                                    TagSpecifications=[{"ResourceType": "volume",
                                                        "Tags": [{"Key": "k", "Value": "v"}]}])
        self.assertEqual((made["SnapshotId"], made["Size"], made["Encrypted"]), (snap, 12, True))
        seen = theirs.describe_volumes(VolumeIds=[made["VolumeId"]])["Volumes"][0]
        self.assertEqual(seen["SnapshotId"], snap)
        self.assertEqual(seen["Tags"], [{"Key": "k", "Value": "v"}])
        mine = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
        self.assertNotIn(made["VolumeId"], mine)  # it lives in the forensic account
        own = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snap)  # the owner's path is moto's
        self.assertEqual(own["SnapshotId"], snap)


class Ec2RepeatTests(RangeCase):
    """EC2's answers to a request sent again (range/ec2_repeats.py): a ClientToken's repeat gets the
    first answer, or IdempotentParameterMismatch with other parameters ("Ensuring idempotency in Amazon
    EC2 API requests"); AttachVolume of an attached volume VolumeInUse (EC2 error codes). moto makes a
    second volume and attaches again."""

    def test_a_client_token_makes_one_volume(self):
        ec2 = self.client("ec2")
        first = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, ClientToken="tok-1")
        again = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, ClientToken="tok-1")
        self.assertEqual(again["VolumeId"], first["VolumeId"])
        self.assertEqual(len(ec2.describe_volumes()["Volumes"]), 1)
        self.assertClientError(lambda: ec2.create_volume(AvailabilityZone="us-east-1a", Size=9, ClientToken="tok-1"),
                               "IdempotentParameterMismatch", 400)
        other = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, ClientToken="tok-2")
        self.assertNotEqual(other["VolumeId"], first["VolumeId"])
        self.assertEqual(self.stats()["operations"]["ec2"]["CreateVolume"]["served_by_range"], 2)

    def test_a_lost_create_network_acl_answer_then_its_retry_make_one_acl(self):
        ec2 = self.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
        before = len(ec2.describe_network_acls()["NetworkAcls"])
        self.set_faults({"rules": [{"kind": "http500", "service": "ec2", "action": "CreateNetworkAcl",
                                    "requests": [1], "after": True, "body": "aws"}]})
        self.assertClientError(lambda: ec2.create_network_acl(VpcId=vpc, ClientToken="acl-1"), "InternalError", 500)
        made = ec2.create_network_acl(VpcId=vpc, ClientToken="acl-1")["NetworkAcl"]
        acls = ec2.describe_network_acls()["NetworkAcls"]
        self.assertEqual(len(acls), before + 1)
        self.assertIn(made["NetworkAclId"], {a["NetworkAclId"] for a in acls})

    def test_attach_volume_of_an_attached_volume_is_refused(self):
        ec2 = self.client("ec2")
        inst = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]
        vol = ec2.create_volume(AvailabilityZone=inst["Placement"]["AvailabilityZone"], Size=8)["VolumeId"]
        ec2.attach_volume(VolumeId=vol, InstanceId=inst["InstanceId"], Device="/dev/sdf")
        self.assertClientError(lambda: ec2.attach_volume(VolumeId=vol, InstanceId=inst["InstanceId"], Device="/dev/sdg"),
                               "VolumeInUse", 400)
        seen = ec2.describe_volumes(VolumeIds=[vol])["Volumes"][0]["Attachments"]
        self.assertEqual([(a["InstanceId"], a["Device"]) for a in seen], [(inst["InstanceId"], "/dev/sdf")])


class GuardDutyTests(RangeCase):
    """GuardDuty GetFindings, which moto 5.2.1 lacks, from the scenario's guardduty_findings for a
    detector moto has (range/guardduty.py; GuardDuty API Reference, GetFindings)."""

    def seed(self, *findings):
        status, body = self.control("POST", "scenario", {"guardduty_findings": list(findings)})
        self.assertEqual(status, 200, body)
        self.addCleanup(self.control, "DELETE", "scenario")
        return body

    def test_get_findings_from_the_scenario(self):
        gd = self.client("guardduty")
        detector = gd.create_detector(Enable=True)["DetectorId"]  # moto's own
        self.assertEqual(gd.list_detectors()["DetectorIds"], [detector])
        mine = as_get_findings(guardduty_finding("i-0aaaaaaaaaaaaaaa1", "a" * 32, detector_id=detector))
        other = guardduty_finding("i-0aaaaaaaaaaaaaaa2", "b" * 32, detector_id="0" * 32)  # another detector's
        self.assertEqual(self.seed(mine, other)["guardduty_findings"], 2)
        self.control("POST", "stats/reset")
        [got] = gd.get_findings(DetectorId=detector, FindingIds=["a" * 32])["Findings"]
        self.assertEqual((got["Id"], got["Type"], got["Severity"]), ("a" * 32, mine["type"], 8))
        self.assertEqual(got["Resource"]["InstanceDetails"]["InstanceId"], "i-0aaaaaaaaaaaaaaa1")
        self.assertEqual(got["Service"]["DetectorId"], detector)
        # unknown ids, and another detector's finding, are left out: no error, as GuardDuty answers
        self.assertEqual(gd.get_findings(DetectorId=detector, FindingIds=["c" * 32])["Findings"], [])
        self.assertEqual(gd.get_findings(DetectorId=detector, FindingIds=["b" * 32, "a" * 32])["Findings"][0]["Id"],
                         "a" * 32)
        self.assertEqual(gd.get_findings(DetectorId=detector, FindingIds=[])["Findings"], [])
        ops = self.stats()["operations"]["guardduty"]
        self.assertEqual((ops["GetFindings"]["requests"], ops["GetFindings"]["served_by_range"]), (4, 4))
        gd.list_detectors()
        gd.get_detector(DetectorId=detector)
        ops = self.stats()["operations"]["guardduty"]
        self.assertEqual((ops["ListDetectors"]["served_by_range"], ops["GetDetector"]["requests"]), (0, 1))

    def test_get_findings_errors(self):
        gd = self.client("guardduty")
        detector = gd.create_detector(Enable=True)["DetectorId"]
        self.seed(guardduty_finding("i-0aaaaaaaaaaaaaaa1", "a" * 32, detector_id=detector))
        err = self.assertClientError(lambda: gd.get_findings(DetectorId="f" * 32, FindingIds=["a" * 32]),
                                     "BadRequestException", 400)
        self.assertIn("detectorId is not owned by the current account", err["Error"]["Message"])
        self.assertClientError(lambda: gd.get_findings(DetectorId=detector, FindingIds=["x"] * 51),
                               "BadRequestException", 400)
        status, body = self.control("POST", "scenario", {"guardduty_findings": [{"id": "a" * 32}]})
        self.assertEqual(status, 400)
        self.assertIn("detectorId", body["error"])


class AuthModeTests(RangeCase):
    """moto enforcing IAM auth (env passthrough): SigV4 signatures must survive the proxy."""

    range_args = ("--moto-env", "INITIAL_NO_AUTH_ACTION_COUNT=3")
    reset_each_test = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = make_client("iam", cls.endpoint)
        iam.create_user(UserName="responder")
        key = iam.create_access_key(UserName="responder")["AccessKey"]
        iam.put_user_policy(UserName="responder", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:*", "s3:*"], "Resource": "*"}]}))
        cls.key, cls.secret = key["AccessKeyId"], key["SecretAccessKey"]

    def free_requests(self, n: int):
        """moto's /moto-api/reset-auth: the next `n` requests skip authentication."""
        req = urllib.request.Request(self.info["moto"] + "/moto-api/reset-auth", data=str(n).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)

    def test_signed_requests_pass_with_a_real_key(self):
        ec2 = self.client("ec2", key=self.key, secret=self.secret)
        run = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
        iid = run["Instances"][0]["InstanceId"]
        self.assertEqual(ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["InstanceId"], iid)
        s3 = self.client("s3", key=self.key, secret=self.secret)
        s3.create_bucket(Bucket="range-auth")
        data = os.urandom(3 << 20)
        # (moto's own SigV4 check refuses keys that need escaping, even without the proxy)
        s3.put_object(Bucket="range-auth", Key="case-42/disk-1.img", Body=data)
        self.assertEqual(s3.get_object(Bucket="range-auth", Key="case-42/disk-1.img")["Body"].read(), data)

    def test_bad_signatures_and_unknown_keys_are_refused(self):
        self.assertClientError(self.client("ec2", key=self.key, secret="wrong-secret").describe_instances,
                               "AuthFailure")
        self.assertClientError(self.client("ec2").describe_instances, "AuthFailure")  # "testing" is no user
        self.assertClientError(self.client("s3", key=self.key, secret="wrong-secret").list_buckets,
                               "SignatureDoesNotMatch", 403)

    def test_a_get_without_a_body_is_checked_as_aws_hashes_it(self):
        """range/moto_auth.py: moto hashed such a request's url-encoded headers as its payload and refused
        every bodyless REST GET (GuardDuty ListDetectors) with SignatureDoesNotMatch. Now the signature
        holds and IAM decides: the responder's policy has no guardduty action (AccessDenied), and a wrong
        secret is still refused."""
        for secret, code in ((self.secret, "<Code>AccessDenied</Code>"),
                             ("wrong-secret", "<Code>SignatureDoesNotMatch</Code>")):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.client("guardduty", key=self.key, secret=secret).list_detectors()
            err = cm.exception.response  # moto answers in XML, which botocore's rest-json parser keeps whole
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 403, err)
            self.assertIn(code, err["Error"]["Message"])

    def test_head_bucket_is_authorized_as_list_bucket(self):
        """range/moto_auth.py: S3 authorizes HeadBucket with s3:ListBucket (S3 API Reference, HeadBucket);
        moto asked for s3:HeadBucket, which no IAM policy can grant."""
        iam = self.client("iam")
        self.free_requests(3)
        iam.create_user(UserName="lister")
        key = iam.create_access_key(UserName="lister")["AccessKey"]
        iam.put_user_policy(UserName="lister", PolicyName="list", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}))
        s3 = self.client("s3", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
        self.client("s3", key=self.key, secret=self.secret).create_bucket(Bucket="range-head")
        s3.head_bucket(Bucket="range-head")
        self.assertClientError(lambda: s3.head_object(Bucket="range-head", Key="none"), "403", 403)


# ================================================================================================

class SecureTransportTests(RangeCase):
    """--tls: an HTTPS listener (a CA made at start; boto3 trusts it through the CA file alone), and
    aws:SecureTransport evaluated in bucket policies, which moto ignores (S3 User Guide, security best
    practices, #transit: a Deny with "aws:SecureTransport": "false" refuses every plain HTTP request)."""

    range_args = ("--tls",)
    BUCKET = "range-tls"
    POLICY = {"Version": "2012-10-17", "Statement": [
        {"Sid": "no-http", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "no-deletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
         "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}

    def tls_client(self, service="s3"):
        return boto3.session.Session().client(
            service, endpoint_url=self.info["tls_endpoint"], region_name=REGION, aws_access_key_id="testing",
            aws_secret_access_key="testing", verify=self.info["ca_bundle"],
            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def test_https_with_the_range_ca_only(self):
        self.assertTrue(self.info["tls_endpoint"].startswith("https://127.0.0.1:"), self.info)
        self.assertEqual(self.tls_client("ec2").describe_vpcs()["ResponseMetadata"]["HTTPStatusCode"], 200)
        untrusted = boto3.session.Session().client(
            "s3", endpoint_url=self.info["tls_endpoint"], region_name=REGION, aws_access_key_id="testing",
            aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}))
        with self.assertRaises(botocore.exceptions.SSLError):
            untrusted.list_buckets()

    def test_the_secure_transport_deny_refuses_plain_http_only(self):
        tls, plain = self.tls_client(), self.client("s3")
        tls.create_bucket(Bucket=self.BUCKET)
        tls.put_bucket_policy(Bucket=self.BUCKET, Policy=json.dumps(self.POLICY))
        self.assertEqual(json.loads(tls.get_bucket_policy(Bucket=self.BUCKET)["Policy"]), self.POLICY)
        tls.put_object(Bucket=self.BUCKET, Key="k", Body=b"over https")
        self.assertEqual(tls.get_object(Bucket=self.BUCKET, Key="k")["Body"].read(), b"over https")
        for call in (lambda: plain.put_object(Bucket=self.BUCKET, Key="k2", Body=b"x"),
                     lambda: plain.get_object(Bucket=self.BUCKET, Key="k"),
                     lambda: plain.list_objects_v2(Bucket=self.BUCKET),
                     lambda: plain.get_bucket_policy(Bucket=self.BUCKET)):
            self.assertClientError(call, "AccessDenied", 403)
        self.assertEqual(tls.list_objects_v2(Bucket=self.BUCKET)["KeyCount"], 1)
        # the other Deny is moto's to apply, over HTTPS as well
        with self.assertRaises(botocore.exceptions.ClientError) as refused:
            tls.delete_object(Bucket=self.BUCKET, Key="k")
        self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        # another bucket is not concerned; the policy deleted (over HTTPS), plain HTTP goes through again
        plain.create_bucket(Bucket="range-tls-other")
        plain.put_object(Bucket="range-tls-other", Key="k", Body=b"x")
        tls.delete_bucket_policy(Bucket=self.BUCKET)
        self.assertEqual(plain.get_object(Bucket=self.BUCKET, Key="k")["Body"].read(), b"over https")


# ================================================================================================

class LifecycleTests(unittest.TestCase):

    def start(self, *args, timeout=30.0):
        rp = RangeProcess(*args)
        info = rp.start(timeout)
        self.addCleanup(rp.stop)
        return rp, info

    def test_start_with_fault_file_state_file_and_sigterm(self):
        with tempfile.TemporaryDirectory() as tmp:
            faults = Path(tmp, "faults.json")
            faults.write_text(json.dumps({"seed": 1, "rules": [
                {"kind": "throttle", "service": "sts", "action": "GetCallerIdentity", "every": 2}]}))
            state = Path(tmp, "range.json")
            rp, info = self.start("--faults", str(faults), "--state-file", str(state))
            self.assertLess(rp.startup_seconds, 10.0)
            self.assertEqual(set(info), {"endpoint", "moto", "pid", "moto_pid"})
            self.assertEqual(json.loads(state.read_text()), info)
            self.assertEqual(info["pid"], rp.proc.pid)
            for url in (info["endpoint"], info["moto"]):
                self.assertTrue(url.startswith("http://127.0.0.1:"), url)
            sts = make_client("sts", info["endpoint"])
            codes = []
            for _ in range(4):
                try:
                    sts.get_caller_identity()
                    codes.append(None)
                except botocore.exceptions.ClientError as e:
                    codes.append(e.response["Error"]["Code"])
            self.assertEqual(codes, [None, "Throttling"] * 2)
            self.assertEqual(rp.stop(), 0)
            self.assertFalse(pid_alive(info["moto_pid"]))
            self.assertFalse(port_open(info["endpoint"]))
            self.assertFalse(port_open(info["moto"]))
            self.assertFalse(state.exists())

    def test_sigkill_takes_moto_down_too(self):
        rp, info = self.start()
        self.assertTrue(pid_alive(info["moto_pid"]))
        rp.proc.kill()
        rp.proc.wait(10)
        self.assertTrue(wait_dead(info["moto_pid"], 15), "moto_server outlived a SIGKILLed range")

    def test_sigint_stops_cleanly(self):
        rp, info = self.start()
        self.assertEqual(rp.stop(sig=signal.SIGINT), 0)
        self.assertFalse(pid_alive(info["moto_pid"]))

    def test_bad_input_files_fail_fast(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp, "bad.json")
            bad.write_text(json.dumps({"rules": [{"kind": "meteor"}]}))
            r = subprocess.run([sys.executable, str(RUN_PY), "--faults", str(bad)], cwd=str(ROOT),
                               capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertIn(b"kind must be one of", r.stderr)
            r = subprocess.run([sys.executable, str(RUN_PY), "--scenario", str(Path(tmp, "missing.json"))],
                               cwd=str(ROOT), capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stdout, b"")


class ProxyModuleTests(unittest.TestCase):

    def test_in_process_proxy_and_upstream_down(self):
        proxy_mod = load_range_module("proxy")
        dead = f"http://127.0.0.1:{range_moto.free_port()}"  # nothing listens there
        proxy = proxy_mod.RangeProxy(dead, scenario={"ssm_managed_instances": [{"InstanceId": "i-0abc"}]})
        url = proxy.start()
        self.addCleanup(proxy.stop)
        self.assertTrue(url.startswith("http://127.0.0.1:"))
        # what the range serves itself works without moto ...
        ssm = make_client("ssm", url)
        self.assertEqual([i["InstanceId"] for i in ssm.describe_instance_information()["InstanceInformationList"]],
                         ["i-0abc"])
        # ... and what goes to moto gets a load balancer's 502 page
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            make_client("ec2", url).describe_vpcs()
        self.assertEqual(cm.exception.response["Error"]["Code"], "502")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 502)
        proxy.stop()
        self.assertFalse(port_open(url))


class MotoModuleTests(unittest.TestCase):

    def test_start_reset_stop(self):
        server = range_moto.MotoServer()
        url = server.start()
        self.addCleanup(server.stop)
        self.assertTrue(url.startswith("http://127.0.0.1:"))
        s3 = make_client("s3", url)
        s3.create_bucket(Bucket="before-reset")
        self.assertEqual([b["Name"] for b in s3.list_buckets()["Buckets"]], ["before-reset"])
        server.reset()
        self.assertEqual(s3.list_buckets()["Buckets"], [])
        pid = server.pid
        server.stop()
        self.assertFalse(pid_alive(pid))
        self.assertFalse(port_open(url))

    def test_cli_serve_with_env_then_stop(self):
        p = subprocess.Popen([sys.executable, str(RANGE_DIR / "moto.py"), "serve",
                              "--env", "INITIAL_NO_AUTH_ACTION_COUNT=0"], cwd=str(ROOT),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                             preexec_fn=range_moto.child_preexec())
        self.addCleanup(lambda: p.poll() is None and (p.kill(), p.wait(10)))
        info = json.loads(p.stdout.readline())
        p.stdout.close()
        self.assertTrue(port_open(info["moto"]))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:  # the env reached moto: auth is on
            make_client("sts", info["moto"]).get_caller_identity()
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientTokenId")
        r = subprocess.run([sys.executable, str(RANGE_DIR / "moto.py"), "reset", info["moto"]],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([sys.executable, str(RANGE_DIR / "moto.py"), "stop", str(info["pid"])],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(p.wait(10), 0)
        self.assertTrue(wait_dead(info["moto_pid"]))


if __name__ == "__main__":
    unittest.main()
