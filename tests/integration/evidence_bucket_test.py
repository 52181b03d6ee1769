"""Evidence that stands up (issue 15): `cordon evidence-bucket create`, the write-once check of every
command that writes evidence, the case exported with checksums, and journal anchors that `case verify`
holds the local journal to. Driven through the cordon binary against moto + the range, judged with
boto3 and the case's SQLite file.

moto 5.2.1 enforces what these tests lean on: a version under Object Lock retention cannot be deleted
(DeleteObject with VersionId answers AccessDenied, as S3 does: "Object Lock ... prevents an object
version from being deleted or overwritten for a fixed amount of time", S3 User Guide, "Locking objects
with Object Lock"), and it keeps and returns x-amz-checksum-sha256.

The bucket policy's deny of non-TLS access (Deny with "aws:SecureTransport": "false") stays as created:
these tests run the range with --tls, cordon talks to its HTTPS listener (AWS_CA_BUNDLE: the range's
throwaway CA) and boto3 judges through it too. moto ignores policy conditions (its put_bucket_policy:
"Conditions are not taken into account"), so the range evaluates aws:SecureTransport itself
(range/secure_transport.py), as S3 does: over HTTPS the deny does not apply, over plain HTTP every
request to the bucket is AccessDenied (S3 User Guide, "Security best practices for Amazon S3",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit).

Run from the repository:  CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/evidence_bucket_test.py -v
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import unittest
from pathlib import Path

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, client, run_cordon  # noqa: E402

BUCKET = "ir-evidence"
PREFIX = "cases"
EXIT_PARTIAL = 6  # README "Exit codes": finished, but something could not be checked
SKIPPED = ("case.db-wal", "case.db-shm", "case.db-journal", "run.lock")


def b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def case_files(case_dir: Path) -> dict:
    """Every file of the case folder cordon exports: relative path -> bytes."""
    out = {}
    for path in sorted(case_dir.rglob("*")):
        if path.is_file() and path.name not in SKIPPED and not path.name.startswith(".tmp."):
            out[path.relative_to(case_dir).as_posix()] = path.read_bytes()
    return out


def journal_head(db: Path) -> tuple[int, str]:
    with sqlite3.connect(db) as con:
        seq, digest = con.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return seq, digest


class EvidenceBucketTests(ResponseCase):
    """Over HTTPS (see the module doc): self.endpoint is the range's HTTPS listener."""

    range_args = ("--tls",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_endpoint, cls.endpoint = cls.endpoint, cls.range.tls_endpoint

    def cordon(self, *args, env: dict | None = None, endpoint: bool = True, timeout: float = 300.0):
        return run_cordon(list(args), self.endpoint if endpoint else None, timeout=timeout,
                          env={"AWS_CA_BUNDLE": self.range.ca_bundle, **(env or {})})

    def s3(self, endpoint: str | None = None):
        """boto3 through the range: its HTTPS listener unless `endpoint` says otherwise."""
        return client("s3", endpoint or self.endpoint, verify=self.range.ca_bundle)

    def create(self, name: str = BUCKET, *flags):
        return self.cordon("evidence-bucket", "create", f"s3://{name}", *flags)

    def contain_with_bucket(self, case: str, *extra):
        return self.contain(case, "--evidence-bucket", f"s3://{BUCKET}/{PREFIX}", *extra)

    def make_bucket(self):
        """The evidence bucket as `evidence-bucket create` makes it, its deny of plain HTTP included."""
        self.assertExit(self.create(), 0, "evidence-bucket create")

    # -- evidence-bucket create
    def test_create_makes_a_write_once_bucket_and_its_log_bucket(self):
        self.fresh()
        key = client("kms", self.moto).create_key(Description="evidence")["KeyMetadata"]["Arn"]
        proc = self.create(BUCKET, "--retention", "30d", "--kms-key", key)
        self.assertExit(proc, 0, "evidence-bucket create")
        s3 = self.s3()
        lock = s3.get_object_lock_configuration(Bucket=BUCKET)["ObjectLockConfiguration"]
        self.assertEqual(lock["ObjectLockEnabled"], "Enabled")
        self.assertEqual(lock["Rule"]["DefaultRetention"]["Mode"], "COMPLIANCE")
        self.assertEqual(lock["Rule"]["DefaultRetention"]["Days"], 30)
        self.assertEqual(s3.get_bucket_versioning(Bucket=BUCKET)["Status"], "Enabled")
        sse = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms")
        self.assertEqual(sse["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], key)
        self.assertEqual(s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"],
                         {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                          "RestrictPublicBuckets": True})
        policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
        denies = [st for st in policy["Statement"] if st["Effect"] == "Deny"]
        self.assertTrue(any(st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
                            for st in denies), policy)
        deleting = {a for st in denies for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
        self.assertTrue({"s3:DeleteObject", "s3:DeleteObjectVersion"} <= deleting, policy)
        logging = s3.get_bucket_logging(Bucket=BUCKET)["LoggingEnabled"]
        self.assertEqual(logging["TargetBucket"], f"{BUCKET}-logs")
        self.assertNotEqual(logging["TargetBucket"], BUCKET)
        s3.head_bucket(Bucket=f"{BUCKET}-logs")

        # Rerun-safe: everything is found right and left alone.
        proc = self.cordon("evidence-bucket", "create", f"s3://{BUCKET}", "--retention", "30d", "--kms-key", key,
                           "--output", "json")
        self.assertExit(proc, 0, "evidence-bucket create, again")
        outcomes = {(s["bucket"], s["setting"]): s["outcome"] for s in json.loads(proc.stdout)["settings"]}
        self.assertEqual(set(outcomes.values()), {"ok"}, outcomes)

        # A version cannot be deleted: the policy denies it, and without any policy Object Lock still does.
        version = s3.put_object(Bucket=BUCKET, Key="x/evidence.bin", Body=b"evidence",
                                ChecksumAlgorithm="SHA256")["VersionId"]
        for guard in ("the policy's deny", "Object Lock alone"):
            if guard == "Object Lock alone":
                s3.delete_bucket_policy(Bucket=BUCKET)
            with self.assertRaises(botocore.exceptions.ClientError, msg=guard) as refused:
                s3.delete_object(Bucket=BUCKET, Key="x/evidence.bin", VersionId=version)
            # AccessDenied, or moto's bodiless 403 for the policy's deny (boto3 then names the status).
            self.assertIn(refused.exception.response["Error"]["Code"], ("AccessDenied", "403"), guard)
            self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403, guard)
        self.assertEqual(s3.get_object(Bucket=BUCKET, Key="x/evidence.bin", VersionId=version)["Body"].read(),
                         b"evidence")

    def test_create_completes_a_half_made_bucket(self):
        self.fresh()
        s3 = self.s3()
        s3.create_bucket(Bucket="half-made", ObjectLockEnabledForBucket=True)  # no retention, nothing else
        proc = self.create("half-made", "--mode", "governance", "--retention", "1y", "--output", "json")
        self.assertExit(proc, 0, "evidence-bucket create over a half-made bucket")
        settings = {(s["bucket"], s["setting"]): s["outcome"] for s in json.loads(proc.stdout)["settings"]}
        self.assertEqual(settings[("half-made", "bucket")], "ok")
        self.assertEqual(settings[("half-made", "object lock")], "set")
        retention = s3.get_object_lock_configuration(Bucket="half-made")["ObjectLockConfiguration"]["Rule"]
        self.assertEqual(retention["DefaultRetention"]["Mode"], "GOVERNANCE")
        self.assertEqual(retention["DefaultRetention"]["Years"], 1)
        sse = s3.get_bucket_encryption(Bucket="half-made")["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms")
        self.assertEqual(s3.get_bucket_logging(Bucket="half-made")["LoggingEnabled"]["TargetBucket"],
                         "half-made-logs")

    def test_create_refuses_the_bucket_as_its_own_log_bucket(self):
        self.fresh()
        proc = self.create(BUCKET, "--log-bucket", BUCKET)
        self.assertExit(proc, 2)
        self.assertIn("cannot be its own access log destination", proc.stderr)
        self.assertEqual(self.range.stats()["requests"], 0)

    # -- the write-once check
    def test_a_plain_bucket_is_refused_before_anything_changes(self):
        self.fresh()
        s3 = self.s3()
        s3.create_bucket(Bucket="plain-evidence")
        s3.create_bucket(Bucket="lock-no-retention", ObjectLockEnabledForBucket=True)
        pre = self.state()
        for bucket, why in (("plain-evidence", "it has no Object Lock"),
                            ("lock-no-retention", "sets no default retention")):
            for extra in ((), ("--capture-memory", "--memory-tool", "/opt/ir/avml", "--memory-tool-sha256",
                               hashlib.sha256(b"tool").hexdigest())):
                proc = self.contain("IR-PLAIN", "--evidence-bucket", f"s3://{bucket}/ir", *extra)
                self.assertExit(proc, 2, f"contain with {bucket} {extra}")
                self.assertIn(f"s3://{bucket} is not write-once", proc.stderr)
                self.assertIn(why, proc.stderr)
                self.assertIn("cordon evidence-bucket create", proc.stderr)
                self.assertIn("--allow-unlocked-bucket", proc.stderr)
                self.assertIn("nothing was changed", proc.stderr)
        self.assertFalse(Path(self.cases_dir, "IR-PLAIN").exists())
        self.assertEqual(self.state(), pre, "a refused contain changed the estate")
        self.assertEqual(s3.list_objects_v2(Bucket="plain-evidence").get("KeyCount", 0), 0)

        # --allow-unlocked-bucket is the responder's explicit choice: the containment goes ahead.
        proc = self.contain("IR-PLAIN", "--evidence-bucket", "s3://plain-evidence/ir", "--allow-unlocked-bucket")
        self.assertExit(proc, 0, "contain --allow-unlocked-bucket")
        self.assertIn("is not write-once", proc.stderr)

    # -- the case leaves the laptop
    def test_after_contain_every_case_file_is_in_the_bucket_with_its_checksum(self):
        self.fresh()
        self.make_bucket()
        proc = self.contain_with_bucket("IR-EXPORT")
        self.assertExit(proc, 0, "contain --evidence-bucket")
        case_dir = Path(self.cases_dir, "IR-EXPORT")
        files = case_files(case_dir)
        self.assertIn("case.db", files)
        self.assertTrue(any(p.startswith("evidence/") for p in files), files.keys())
        s3 = self.s3()
        for path, data in files.items():
            head = s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}/IR-EXPORT/{path}", ChecksumMode="ENABLED")
            self.assertEqual(head["ChecksumSHA256"], b64sha256(data), path)
            self.assertEqual(head["ContentLength"], len(data), path)
            self.assertEqual(head["ObjectLockMode"], "COMPLIANCE", path)

        # The anchor: the journal head as the local database has it, write-once, and printed.
        seq, digest = journal_head(case_dir / "case.db")
        key = f"{PREFIX}/IR-EXPORT/anchors/{seq:012d}-{digest}.json"
        anchor = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        self.assertEqual((anchor["seq"], anchor["hash"], anchor["responder"]), (seq, digest, self.responder))
        self.assertEqual(anchor["database_sha256"], hashlib.sha256(files["case.db"]).hexdigest())
        self.assertIn(f"journal anchor: seq {seq} sha256 {digest}", proc.stderr)
        self.assertEqual(s3.head_object(Bucket=BUCKET, Key=key)["ObjectLockMode"], "COMPLIANCE")

        # The export is in the journal: every file but the database (exported after the record).
        with sqlite3.connect(case_dir / "case.db") as con:
            payloads = [json.loads(p) for (p,) in con.execute(
                "SELECT payload FROM journal WHERE kind = 'case.exported' ORDER BY seq")]
            bucket_records = con.execute("SELECT count(*) FROM journal WHERE kind = 'case.evidence_bucket'").fetchone()
        self.assertEqual(bucket_records[0], 1)
        exported = {o["path"]: o["sha256"] for o in payloads[-1]["objects"]}
        self.assertEqual(exported, {p: hashlib.sha256(d).hexdigest() for p, d in files.items() if p != "case.db"})

        # `case export` again: what is unchanged is not written twice, and the files still match.
        proc = self.cordon("case", "export", "IR-EXPORT", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0, "case export")
        for path, data in case_files(case_dir).items():
            head = s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}/IR-EXPORT/{path}", ChecksumMode="ENABLED")
            self.assertEqual(head["ChecksumSHA256"], b64sha256(data), path)
        versions = s3.list_object_versions(Bucket=BUCKET, Prefix=f"{PREFIX}/IR-EXPORT/evidence/")["Versions"]
        self.assertEqual(len(versions), len([p for p in files if p.startswith("evidence/")]),
                         "an unchanged evidence file was written again")

    def test_the_deny_of_plain_http_holds_and_https_goes_through(self):
        """S3 User Guide, security best practices (#transit): a bucket policy denying requests with
        "aws:SecureTransport": "false" refuses every request over plain HTTP; over HTTPS it does not apply.
        The policy stays as `evidence-bucket create` made it; cordon's contain went through over HTTPS."""
        self.fresh()
        self.make_bucket()
        self.assertExit(self.contain_with_bucket("IR-TLS"), 0, "contain --evidence-bucket over HTTPS")
        policy = json.loads(self.s3().get_bucket_policy(Bucket=BUCKET)["Policy"])
        self.assertIn("cordon-deny-insecure-transport", [st.get("Sid") for st in policy["Statement"]], policy)
        key, exported = f"{PREFIX}/IR-TLS/over-http.txt", f"{PREFIX}/IR-TLS/case.db"
        plain = self.s3(self.plain_endpoint)
        for what, call in (("PutObject", lambda: plain.put_object(Bucket=BUCKET, Key=key, Body=b"over http",
                                                                  ChecksumAlgorithm="SHA256")),
                           ("GetObject", lambda: plain.get_object(Bucket=BUCKET, Key=exported)),
                           ("GetBucketPolicy", lambda: plain.get_bucket_policy(Bucket=BUCKET))):
            with self.assertRaises(botocore.exceptions.ClientError, msg=what) as refused:
                call()
            self.assertEqual(refused.exception.response["Error"]["Code"], "AccessDenied", what)
            self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403, what)
        s3 = self.s3()
        with self.assertRaises(botocore.exceptions.ClientError) as missing:
            s3.head_object(Bucket=BUCKET, Key=key)
        self.assertEqual(missing.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404,
                         "the refused PutObject wrote the object")
        # The same PutObject over HTTPS is allowed.
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"over https", ChecksumAlgorithm="SHA256")
        self.assertEqual(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read(), b"over https")
        # cordon over plain HTTP is refused as well, and says by whom.
        proc = run_cordon(["case", "export", "IR-TLS", "--cases-dir", self.cases_dir], self.plain_endpoint)
        self.assertNotEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("AccessDenied", proc.stderr)

    # -- journal anchors
    def verify(self, case: str, *flags):
        return self.cordon("case", "verify", case, "--cases-dir", self.cases_dir, *flags)

    def test_verify_detects_truncation_rollback_and_rebuild_naming_the_anchor(self):
        self.fresh()
        self.make_bucket()
        self.assertExit(self.contain_with_bucket("IR-ANCHOR"), 0, "contain --evidence-bucket")
        case_dir = Path(self.cases_dir, "IR-ANCHOR")
        db = case_dir / "case.db"
        older = db.read_bytes()  # the case after contain: a copy to roll back to later
        noted = self.cordon("case", "note", "--case", "IR-ANCHOR", "--cases-dir", self.cases_dir, "--responder",
                            self.responder, "beacon to 203.0.113.9 at 02:14", endpoint=False)
        self.assertExit(noted, 0, "case note")
        self.assertIn("cordon case export IR-ANCHOR", noted.stderr)  # a note has no AWS flags: export anchors it
        note = self.cordon("case", "export", "IR-ANCHOR", "--cases-dir", self.cases_dir, "--responder",
                           self.responder)
        self.assertExit(note, 0, "case export")
        seq, digest = journal_head(db)
        latest = f"{PREFIX}/IR-ANCHOR/anchors/{seq:012d}-{digest}.json"
        self.assertIn(f"journal anchor: seq {seq} sha256 {digest}", note.stderr)
        good = db.read_bytes()
        proc = self.verify("IR-ANCHOR")
        self.assertExit(proc, 0, "verify of the untouched case")
        self.assertIn(f"compared with anchor s3://{BUCKET}/{latest}", proc.stdout)

        # 1. The last records deleted, and the meta head moved back to match: locally consistent.
        with sqlite3.connect(db) as con:
            con.execute("DROP TRIGGER journal_no_delete")
            con.execute("DELETE FROM journal WHERE seq > ?", (seq - 2,))
            new_seq, new_hash = con.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
            con.execute("UPDATE meta SET value = ? WHERE key = 'head_seq'", (str(new_seq),))
            con.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (new_hash,))
        self.assertExit(self.cordon("case", "verify", "IR-ANCHOR", "--cases-dir", self.cases_dir,
                                    "--anchor", f"{new_seq}:{new_hash}"), 0,
                        "the truncated journal is consistent by itself")
        proc = self.verify("IR-ANCHOR")
        self.assertExit(proc, 1, "verify of a truncated journal")
        self.assertIn("TAMPERED", proc.stdout)
        self.assertIn(latest, proc.stdout)
        self.assertIn("records were removed", proc.stdout)

        # 2. An older copy of the database put back.
        self.restore(case_dir, older)
        proc = self.verify("IR-ANCHOR")
        self.assertExit(proc, 1, "verify of a rolled-back database")
        self.assertIn(latest, proc.stdout)
        self.assertIn(f"external anchor is seq {seq}", proc.stdout)

        # The real one passes again: the anchors are about the journal, not the file's age.
        self.restore(case_dir, good)
        self.assertExit(self.verify("IR-ANCHOR"), 0, "verify of the restored good copy")

        # 3. The case rebuilt from scratch: a new case of the same id, its journal written anew. It knows
        # no bucket. Verified on its own it is not called verified: the chain holds, but nothing outside
        # the case was compared with it (exit 6, not 0 and not 1), and verify says how to give an anchor.
        shutil.rmtree(case_dir)
        self.assertExit(self.contain("IR-ANCHOR"), 0, "contain into a fresh case of the same id")
        proc = self.verify("IR-ANCHOR")
        self.assertExit(proc, EXIT_PARTIAL, "verify of a rebuilt case that names no bucket")
        self.assertIn("NOT VERIFIED AGAINST AN ANCHOR: the case records no evidence bucket", proc.stdout)
        self.assertIn("rebuilt from scratch cannot be ruled out", proc.stdout)
        self.assertIn("--evidence-bucket s3://", proc.stdout)
        self.assertIn("--anchor SEQ:SHA256", proc.stdout)
        self.assertNotIn("compared with anchor", proc.stdout)
        out = json.loads(self.verify("IR-ANCHOR", "--output", "json").stdout)
        self.assertEqual((out["ok"], out["chain_intact"], out["anchored"]), (False, True, False), out)
        # A bucket with no anchor of this case is no anchor either, and verify names where it looked.
        proc = self.verify("IR-ANCHOR", "--evidence-bucket", f"s3://{BUCKET}/elsewhere")
        self.assertExit(proc, EXIT_PARTIAL, "verify against a prefix without anchors")
        self.assertIn(f"no journal anchor of case IR-ANCHOR in s3://{BUCKET}/elsewhere/IR-ANCHOR/anchors/",
                      proc.stdout)
        # The verifier who gives the bucket: none of its anchors is in this journal; it fails, naming them.
        proc = self.verify("IR-ANCHOR", "--evidence-bucket", f"s3://{BUCKET}/{PREFIX}")
        self.assertExit(proc, 1, "verify of a rebuilt case")
        self.assertIn("TAMPERED", proc.stdout)
        self.assertIn(f"compared with anchor s3://{BUCKET}/{latest}", proc.stdout)
        self.assertIn("the journal holds none of the", proc.stdout)
        self.assertIn("rebuilt from scratch or replaced", proc.stdout)

    def restore(self, case_dir: Path, data: bytes):
        for name in ("case.db-wal", "case.db-shm"):
            Path(case_dir, name).unlink(missing_ok=True)
        Path(case_dir, "case.db").write_bytes(data)

    def test_verify_names_the_anchor_text_and_json(self):
        self.fresh()
        self.make_bucket()
        self.assertExit(self.contain_with_bucket("IR-JSON"), 0, "contain --evidence-bucket")
        seq, digest = journal_head(Path(self.cases_dir, "IR-JSON", "case.db"))
        proc = self.verify("IR-JSON", "--output", "json")
        self.assertExit(proc, 0, "verify --output json")
        out = json.loads(proc.stdout)
        self.assertTrue(out["ok"])
        self.assertEqual((out["anchor"]["seq"], out["anchor"]["hash"]), (seq, digest))
        self.assertTrue(re.search(rf"anchors/{seq:012d}-{digest}\.json$", out["anchor"]["name"]), out)


if __name__ == "__main__":
    unittest.main()
