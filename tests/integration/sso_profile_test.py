"""Issue 13: IAM Identity Center (SSO) profiles and MFA role profiles, as the AWS CLI v2 uses them.

cordon reads the token `aws sso login` cached in ~/.aws/sso/cache/<SHA-1>.json (of the sso-session
name, or of the start URL for the legacy form), refreshes it through SSO OIDC CreateToken when it is
about to expire (writing the file back), and trades it for role credentials with the SSO portal's
GetRoleCredentials (AWS CLI User Guide, "Configure IAM Identity Center authentication",
https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html). moto has neither API: the
range serves them (range/sso.py) and hands out credentials from moto's AssumeRole of the permission
set's role, so GetCallerIdentity names it. A role profile with mfa_serial sends SerialNumber and
TokenCode to STS AssumeRole (STS API Reference, AssumeRole) and caches the session in
~/.aws/cli/cache, reused until it nears expiry. Tokens and keys never appear in cordon's output or
case folder.

Run from the repository root:  python3 -m unittest tests/integration/sso_profile_test.py -v
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pty
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
from botocore import UNSIGNED  # noqa: E402
from botocore.config import Config  # noqa: E402
from helpers import REGION, Range, boto3_client, cordon_bin, cordon_env  # noqa: E402

EXIT_CREDENTIALS = 5
ACCOUNT = "123456789012"  # moto's default account, where the instance lives
START_URL = "https://corp.awsapps.com/start"
ACCESS_TOKEN = "sso-access-token-SECRET-0123456789"
REFRESH_TOKEN = "sso-refresh-token-SECRET-0123456789"
CLIENT_SECRET = "sso-client-secret-SECRET-0123456789"


def iso(delta: datetime.timedelta) -> str:
    return (datetime.datetime.now(datetime.timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


class SsoProfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint
        ec2 = boto3_client("ec2", cls.range.moto)
        vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24", AvailabilityZone="us-east-1a")
        ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        cls.iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                    SubnetId=subnet["Subnet"]["SubnetId"])["Instances"][0]["InstanceId"]

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()

    def setUp(self):
        self.home = Path(tempfile.mkdtemp(prefix="cordon-sso-home-"))
        (self.home / ".aws").mkdir()
        (self.home / ".aws" / "config").write_text(
            "[profile sso]\nsso_session = corp\nsso_account_id = %s\nsso_role_name = IR\nregion = %s\n"
            "[sso-session corp]\nsso_start_url = %s\nsso_region = eu-west-1\n"
            "[profile legacy]\nsso_start_url = %s\nsso_region = eu-west-1\nsso_account_id = %s\n"
            "sso_role_name = Legacy\n"
            "[profile mfa]\nrole_arn = arn:aws:iam::%s:role/Responder\nsource_profile = base\n"
            "mfa_serial = arn:aws:iam::%s:mfa/alice\n"
            % (ACCOUNT, REGION, START_URL, START_URL, ACCOUNT, ACCOUNT, ACCOUNT))
        (self.home / ".aws" / "credentials").write_text(
            "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
        self.cases = tempfile.mkdtemp(prefix="cordon-sso-cases-")
        self.outputs = []
        self.range.control("POST", "reset?moto=0")  # counters, request log, SSO state; the instance stays

    # ---- helpers -----------------------------------------------------------------------------
    def cache_file(self, key: str) -> Path:
        return self.home / ".aws" / "sso" / "cache" / (hashlib.sha1(key.encode()).hexdigest() + ".json")

    def write_token(self, key: str, expires: datetime.timedelta, refreshable: bool):
        doc = {"startUrl": START_URL, "region": "eu-west-1", "accessToken": ACCESS_TOKEN, "expiresAt": iso(expires)}
        if refreshable:
            doc.update({"refreshToken": REFRESH_TOKEN, "clientId": "cordon-test-client",
                        "clientSecret": CLIENT_SECRET, "registrationExpiresAt": iso(datetime.timedelta(days=80))})
        path = self.cache_file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc))
        path.chmod(0o600)

    def cordon(self, *args):
        env = cordon_env({"HOME": str(self.home), "AWS_CONFIG_FILE": str(self.home / ".aws" / "config"),
                          "AWS_SHARED_CREDENTIALS_FILE": str(self.home / ".aws" / "credentials")})
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(key, None)
        proc = subprocess.run([cordon_bin(), *args, "--endpoint-url", self.endpoint, "--region", REGION],
                              env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        self.outputs.append(proc.stdout + proc.stderr)
        return proc

    def caller(self, profile: str, *flags) -> dict:
        proc = self.cordon("api", "sts", "GetCallerIdentity", "--profile", profile, *flags)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def sso_calls(self, api: str) -> list:
        return [c for c in self.range.control("GET", "sso")["calls"] if c["api"] == api]

    def assertNoSecretShown(self, *secrets):
        case_text = ""
        for root, _, files in os.walk(self.cases):
            for name in files:
                case_text += Path(root, name).read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            for out in self.outputs:
                self.assertNotIn(secret, out)
            self.assertNotIn(secret, case_text)

    # ---- SSO ---------------------------------------------------------------------------------
    def test_sso_session_profile_triages_and_contains_without_showing_secrets(self):
        self.range.control("POST", "sso", {"access_tokens": {ACCESS_TOKEN: 3600}})
        self.write_token("corp", datetime.timedelta(hours=1), refreshable=True)
        me = self.caller("sso")
        self.assertEqual(me["Account"], ACCOUNT)
        self.assertIn(":assumed-role/IR/", me["Arn"])
        triage = self.cordon("triage", self.iid, "--profile", "sso")
        self.assertEqual(triage.returncode, 0, triage.stderr)
        self.assertIn(self.iid, triage.stdout)
        contain = self.cordon("contain", self.iid, "--case", "IR-SSO", "--yes", "--profile", "sso",
                              "--cases-dir", self.cases)
        self.assertIn(contain.returncode, (0, 6), contain.stdout + contain.stderr)
        self.assertTrue(Path(self.cases, "IR-SSO").is_dir())
        calls = self.sso_calls("GetRoleCredentials")
        self.assertTrue(calls)
        self.assertTrue(all(c == {"api": "GetRoleCredentials", "accountId": ACCOUNT, "roleName": "IR",
                                  "outcome": "ok"} for c in calls), calls)
        self.assertEqual(self.sso_calls("CreateToken"), [])  # an hour left: no refresh
        issued = self.range.control("GET", "sso")["issued"]
        self.assertNoSecretShown(ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET,
                                 *[i["secretAccessKey"] for i in issued])

    def test_legacy_profile_reads_the_token_cached_under_its_start_url(self):
        self.range.control("POST", "sso", {"access_tokens": {ACCESS_TOKEN: 3600}})
        self.write_token(START_URL, datetime.timedelta(hours=1), refreshable=False)
        me = self.caller("legacy")
        self.assertIn(":assumed-role/Legacy/", me["Arn"])

    def test_expiring_token_is_refreshed_and_the_cache_file_rewritten(self):
        self.range.control("POST", "sso", {"clients": [{"clientId": "cordon-test-client", "clientSecret": CLIENT_SECRET,
                                                        "refreshToken": REFRESH_TOKEN}], "expires_in": 7200})
        self.write_token("corp", datetime.timedelta(minutes=-10), refreshable=True)
        me = self.caller("sso")
        self.assertIn(":assumed-role/IR/", me["Arn"])
        self.assertEqual([c["outcome"] for c in self.sso_calls("CreateToken")], ["ok"])
        self.assertEqual([c["outcome"] for c in self.sso_calls("GetRoleCredentials")], ["ok"])
        path = self.cache_file("corp")
        doc = json.loads(path.read_text())
        self.assertNotEqual(doc["accessToken"], ACCESS_TOKEN)
        self.assertNotEqual(doc["refreshToken"], REFRESH_TOKEN)
        self.assertGreater(doc["expiresAt"], iso(datetime.timedelta(minutes=100)))
        self.assertEqual(doc["clientSecret"], CLIENT_SECRET)  # the registration is kept
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        self.assertNoSecretShown(ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, doc["accessToken"], doc["refreshToken"])

        self.caller("sso")  # the refreshed token is used as it is
        self.assertEqual(len(self.sso_calls("CreateToken")), 1)

    def test_expired_token_without_refresh_token_says_to_sign_in(self):
        self.write_token("corp", datetime.timedelta(minutes=-10), refreshable=False)
        for args in (("api", "sts", "GetCallerIdentity"), ("triage", self.iid)):
            with self.subTest(command=args[0]):
                proc = self.cordon(*args, "--profile", "sso")
                self.assertEqual(proc.returncode, EXIT_CREDENTIALS, proc.stderr)
                self.assertIn("aws sso login --profile sso", proc.stderr)
                self.assertNotIn("no instance", proc.stderr)
        self.assertEqual(self.range.control("GET", "sso")["calls"], [])
        self.assertNoSecretShown(ACCESS_TOKEN)

    def test_missing_token_says_to_sign_in(self):
        proc = self.cordon("api", "sts", "GetCallerIdentity", "--profile", "sso")
        self.assertEqual(proc.returncode, EXIT_CREDENTIALS, proc.stderr)
        self.assertIn("no SSO token is cached", proc.stderr)
        self.assertIn("aws sso login --profile sso", proc.stderr)

    def test_range_answers_botocore_as_identity_center_does(self):
        """The range's SSO APIs against botocore's own clients (the wire format cordon must match)."""
        self.range.control("POST", "sso", {"access_tokens": {ACCESS_TOKEN: 3600},
                                           "clients": [{"clientId": "c1", "clientSecret": CLIENT_SECRET,
                                                        "refreshToken": REFRESH_TOKEN}]})
        unsigned = Config(signature_version=UNSIGNED)
        sso = boto3.client("sso", endpoint_url=self.endpoint, region_name="eu-west-1", config=unsigned)
        creds = sso.get_role_credentials(roleName="IR", accountId=ACCOUNT, accessToken=ACCESS_TOKEN)["roleCredentials"]
        sts = boto3.client("sts", endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=creds["accessKeyId"],
                           aws_secret_access_key=creds["secretAccessKey"], aws_session_token=creds["sessionToken"])
        self.assertEqual(sts.get_caller_identity()["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/IR/sso-portal")
        with self.assertRaises(sso.exceptions.UnauthorizedException):
            sso.get_role_credentials(roleName="IR", accountId=ACCOUNT, accessToken="not-a-token")
        oidc = boto3.client("sso-oidc", endpoint_url=self.endpoint, region_name="eu-west-1", config=unsigned)
        fresh = oidc.create_token(clientId="c1", clientSecret=CLIENT_SECRET, grantType="refresh_token",
                                  refreshToken=REFRESH_TOKEN)
        self.assertEqual(fresh["tokenType"], "Bearer")
        with self.assertRaises(oidc.exceptions.InvalidGrantException):  # the old refresh token is spent
            oidc.create_token(clientId="c1", clientSecret=CLIENT_SECRET, grantType="refresh_token",
                              refreshToken=REFRESH_TOKEN)
        sso.get_role_credentials(roleName="IR", accountId=ACCOUNT, accessToken=fresh["accessToken"])
        logged = self.range.control("GET", "requests?service=sso")["requests"]
        self.assertTrue(logged and all(r["params"] is None for r in logged))  # no token in the request log

    # ---- MFA ---------------------------------------------------------------------------------
    def assume_role_calls(self) -> list:
        return self.range.control("GET", "requests?service=sts&action=AssumeRole")["requests"]

    def test_mfa_code_reaches_assume_role_and_the_session_is_reused(self):
        me = self.caller("mfa", "--mfa-code", "123456")
        self.assertIn(":assumed-role/Responder/", me["Arn"])
        calls = self.assume_role_calls()
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(calls[0]["params"]["SerialNumber"], f"arn:aws:iam::{ACCOUNT}:mfa/alice")
        self.assertEqual(calls[0]["params"]["TokenCode"], "123456")
        cache = list((self.home / ".aws" / "cli" / "cache").glob("*.json"))
        self.assertEqual(len(cache), 1)
        self.assertEqual(stat.S_IMODE(cache[0].stat().st_mode), 0o600)

        again = self.caller("mfa")  # no code, no terminal: the cached session serves
        self.assertEqual(again["Arn"], me["Arn"])
        self.assertEqual(len(self.assume_role_calls()), 1)
        secret = json.loads(cache[0].read_text())["Credentials"]["SecretAccessKey"]
        self.assertNoSecretShown(secret)

    def test_mfa_code_is_asked_for_on_a_terminal(self):
        master, slave = pty.openpty()
        env = cordon_env({"HOME": str(self.home), "AWS_CONFIG_FILE": str(self.home / ".aws" / "config"),
                          "AWS_SHARED_CREDENTIALS_FILE": str(self.home / ".aws" / "credentials")})
        proc = subprocess.Popen([cordon_bin(), "api", "sts", "GetCallerIdentity", "--profile", "mfa",
                                 "--endpoint-url", self.endpoint, "--region", REGION],
                                env=env, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        try:
            prompt = b""
            while b"Enter MFA code for" not in prompt:
                chunk = proc.stderr.read1(256)
                self.assertTrue(chunk, f"no prompt; stderr: {prompt!r}")
                prompt += chunk
            self.assertIn(f"arn:aws:iam::{ACCOUNT}:mfa/alice".encode(), prompt)
            os.write(master, b"654321\n")
            out, err = proc.communicate(timeout=60)
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(":assumed-role/Responder/", json.loads(out)["Arn"])
        calls = self.assume_role_calls()
        self.assertEqual([c["params"]["TokenCode"] for c in calls], ["654321"])

    def test_mfa_without_code_or_terminal_is_a_clear_error(self):
        proc = self.cordon("api", "sts", "GetCallerIdentity", "--profile", "mfa")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("requires an MFA code", proc.stderr)
        self.assertIn("--mfa-code", proc.stderr)
        self.assertEqual(self.assume_role_calls(), [])


if __name__ == "__main__":
    unittest.main()
