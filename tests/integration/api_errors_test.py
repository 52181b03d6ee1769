"""`cordon api` under IAM enforcement and on bad input: clear messages, the documented exit codes.

Run from the repository root:
    python3 -m unittest discover -s tests/integration -p 'api_*_test.py'

Exit codes (src/cli/exit_codes.h): 1 AWS/network error, 2 bad input, 5 access denied.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import time
import unittest
import urllib.request

from helpers import MotoFixture, boto3_client, normalise, run_cordon

EXIT_FAILED, EXIT_USAGE, EXIT_ACCESS_DENIED = 1, 2, 5

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["ec2:DescribeInstances", "sts:GetCallerIdentity",
                                        "logs:DescribeLogGroups", "iam:GetUser", "sqs:ListQueues"],
         "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket"], "Resource": "*"},
    ],
}


class AuthEnforcedTest(MotoFixture, unittest.TestCase):
    """moto with INITIAL_NO_AUTH_ACTION_COUNT=0 checks cordon's SigV4 signatures and IAM policies."""

    moto_env = {"INITIAL_NO_AUTH_ACTION_COUNT": "0"}

    @classmethod
    def set_free_requests(cls, n):
        """moto's /moto-api/reset-auth: the next `n` requests skip authentication."""
        req = urllib.request.Request(cls.endpoint + "/moto-api/reset-auth", data=str(n).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})  # not a form: moto reads the raw body
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_free_requests(1000)  # set-up with the initial "root" credentials
        iam = cls.client("iam")
        iam.create_user(UserName="responder")
        key = iam.create_access_key(UserName="responder")["AccessKey"]
        iam.put_user_policy(UserName="responder", PolicyName="cordon", PolicyDocument=json.dumps(POLICY))
        cls.client("s3").create_bucket(Bucket="evidence")
        cls.client("ec2").run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
        cls.key_id, cls.secret = key["AccessKeyId"], key["SecretAccessKey"]
        cls.set_free_requests(0)  # from here on every request is authenticated and authorized

    def as_user(self, *args, secret=None):
        return run_cordon(["api", *args, "--endpoint-url", self.endpoint],
                          access_key=self.key_id, secret_key=secret or self.secret)

    def user_client(self, service):
        return boto3_client(service, self.endpoint, access_key=self.key_id, secret_key=self.secret)

    def test_unauthenticated_is_refused(self):
        # The default test credentials are unknown to moto now: proof that moto is enforcing.
        proc = run_cordon(["api", "sts", "GetCallerIdentity", "--endpoint-url", self.endpoint])
        self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, proc.stderr)
        self.assertIn("InvalidClientTokenId", proc.stderr)

    def test_signature_accepted_query_protocol(self):
        proc = self.as_user("sts", "GetCallerIdentity")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), normalise(self.user_client("sts").get_caller_identity()))
        self.assertTrue(json.loads(proc.stdout)["Arn"].endswith(":user/responder"))

    def test_signature_accepted_ec2_protocol(self):
        proc = self.as_user("ec2", "DescribeInstances", json.dumps({"Filters": [
            {"Name": "instance-state-name", "Values": ["running"]}]}))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        expected = normalise(self.user_client("ec2").describe_instances(
            Filters=[{"Name": "instance-state-name", "Values": ["running"]}]))
        self.assertEqual(json.loads(proc.stdout), expected)

    def test_signature_accepted_json_protocol(self):
        proc = self.as_user("logs", "DescribeLogGroups")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), normalise(self.user_client("logs").describe_log_groups()))

    def test_signature_accepted_rest_xml_with_payload(self):
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            data = os.urandom(300_000)
            f.write(data)
            f.flush()
            proc = self.as_user("s3", "PutObject", json.dumps({"Bucket": "evidence", "Key": "disk.img",
                                                               "Body": "fileb://" + f.name}))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        body = self.user_client("s3").get_object(Bucket="evidence", Key="disk.img")["Body"].read()
        self.assertEqual(body, data)
        proc = self.as_user("s3", "ListObjectsV2", json.dumps({"Bucket": "evidence"}))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([o["Key"] for o in json.loads(proc.stdout)["Contents"]], ["disk.img"])

    def test_access_denied_names_the_action(self):
        for service, operation, action in [("ec2", "DescribeVpcs", "ec2:DescribeVpcs"),
                                           ("iam", "ListRoles", "iam:ListRoles"),
                                           ("logs", "CreateLogGroup", "logs:CreateLogGroup")]:
            with self.subTest(action=action):
                args = [service, operation]
                if operation == "CreateLogGroup":
                    args.append(json.dumps({"logGroupName": "x"}))
                proc = self.as_user(*args)
                self.assertEqual(proc.returncode, EXIT_ACCESS_DENIED, proc.stderr)
                self.assertEqual(proc.stdout, "")
                self.assertTrue(proc.stderr.startswith("cordon: error: "), proc.stderr)
                self.assertIn(action, proc.stderr)
                self.assertIn("not authorized", proc.stderr)
                self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)  # one clear line, no retries spam

    def test_wrong_secret_is_a_signature_error(self):
        proc = self.as_user("sts", "GetCallerIdentity", secret="not-the-secret")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", proc.stderr)


class BadInputTest(MotoFixture, unittest.TestCase):
    """Mistakes are reported before anything is sent, naming what is wrong."""

    def api_raw(self, *args, **kw):
        return run_cordon(["api", *args, "--endpoint-url", self.endpoint], **kw)

    def test_unknown_service_suggests_closest(self):
        proc = self.api_raw("ec3", "DescribeInstances")
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("ec3", proc.stderr)
        self.assertIn("'ec2'", proc.stderr)
        proc = self.api_raw("cloudtrial", "DescribeTrails")
        self.assertIn("'cloudtrail'", proc.stderr)

    def test_unknown_operation_suggests_closest(self):
        proc = self.api_raw("ec2", "DescribeInstance")
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("DescribeInstance", proc.stderr)
        self.assertIn("DescribeInstances", proc.stderr)
        proc = self.api_raw("s3", "list_objects_v2")
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("ListObjectsV2", proc.stderr)

    def test_invalid_json_points_at_line_and_column(self):
        text = '{\n  "InstanceIds": ["i-1",]\n}'
        proc = self.api_raw("ec2", "DescribeInstances", text)
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("line 2, column 25", proc.stderr)
        self.assertIn('"InstanceIds": ["i-1",]', proc.stderr)  # the offending line is shown
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"Filters": [{"Name": "tag:x" "Values": []}]}')
            f.flush()
            proc = self.api_raw("ec2", "DescribeInstances", "@" + f.name)
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn(f.name, proc.stderr)
        self.assertRegex(proc.stderr, r"line 1, column 3[1-8]\b")  # at the "Values" token

    def test_input_must_be_an_object(self):
        proc = self.api_raw("ec2", "DescribeInstances", '["i-1"]')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("JSON object", proc.stderr)

    def test_missing_required_member_is_named(self):
        proc = self.api_raw("ec2", "ModifyInstanceAttribute", '{"Attribute": "disableApiTermination"}')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("InstanceId", proc.stderr)
        proc = self.api_raw("elbv2", "RegisterTargets",
                            '{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1",'
                            ' "Targets": [{"Port": 80}]}')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("Targets[0].Id", proc.stderr)  # a nested member is named with its path

    def test_unknown_member_is_named_with_suggestion(self):
        proc = self.api_raw("ec2", "DescribeInstances", '{"InstanceId": ["i-1"]}')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("InstanceId", proc.stderr)
        self.assertIn("InstanceIds", proc.stderr)

    def test_wrong_type_is_named(self):
        proc = self.api_raw("ec2", "DescribeInstances", '{"MaxResults": "5"}')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("MaxResults", proc.stderr)
        self.assertIn("integer", proc.stderr)

    def test_nothing_is_sent_on_bad_input(self):
        # moto would have created the queue; validation stops it first.
        proc = self.api_raw("sqs", "CreateQueue", '{"QueueName": "q", "Atributes": {}}')
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertEqual(boto3_client("sqs", self.endpoint).list_queues().get("QueueUrls", []), [])

    def test_aws_error_is_reported_with_code(self):
        proc = self.api_raw("ec2", "DescribeInstances", '{"InstanceIds": ["i-0123456789abcdef0"]}')
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("InvalidInstanceID.NotFound", proc.stderr)
        self.assertIn("i-0123456789abcdef0", proc.stderr)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ResettingServer:
    """Accepts TCP connections on 127.0.0.1 and drops each at once; counts them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()  # RST

    def close(self):
        self.sock.close()


class UnreachableEndpointTest(unittest.TestCase):
    """No moto here: the endpoint is a closed port, or a server that drops every connection."""

    def test_closed_port_gives_up_after_max_attempts(self):
        url = f"http://127.0.0.1:{closed_port()}"
        for attempts in (1, 3):
            with self.subTest(attempts=attempts):
                started = time.monotonic()
                proc = run_cordon(["api", "sts", "GetCallerIdentity", "--endpoint-url", url,
                                   "--max-attempts", attempts], timeout=60)
                elapsed = time.monotonic() - started
                self.assertEqual(proc.returncode, EXIT_FAILED, proc.stderr)
                self.assertEqual(proc.stdout, "")
                self.assertIn("127.0.0.1", proc.stderr)
                self.assertTrue("connect" in proc.stderr.lower() or "refused" in proc.stderr.lower(), proc.stderr)
                if attempts > 1:
                    self.assertIn(f"gave up after {attempts} attempts", proc.stderr)
                self.assertLess(elapsed, 30, "retries must be bounded in time")

    def test_attempts_are_counted_on_the_wire(self):
        server = ResettingServer()
        self.addCleanup(server.close)
        started = time.monotonic()
        proc = run_cordon(["api", "ec2", "DescribeInstances", "--endpoint-url", f"http://127.0.0.1:{server.port}",
                           "--max-attempts", 4], timeout=60)
        self.assertLess(time.monotonic() - started, 40)
        self.assertEqual(proc.returncode, EXIT_FAILED, proc.stderr)
        self.assertIn("gave up after 4 attempts", proc.stderr)
        time.sleep(0.2)
        self.assertEqual(server.connections, 4)

    def test_bad_max_attempts(self):
        proc = run_cordon(["api", "sts", "GetCallerIdentity", "--endpoint-url", "http://127.0.0.1:9",
                           "--max-attempts", 0])
        self.assertEqual(proc.returncode, EXIT_USAGE, proc.stderr)
        self.assertIn("max-attempts", proc.stderr)


if __name__ == "__main__":
    unittest.main()
