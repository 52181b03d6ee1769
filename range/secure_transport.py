"""`aws:SecureTransport` in S3 bucket policies, which moto does not evaluate (its put_bucket_policy:
"Conditions are not taken into account", so it applies such a Deny to every request, HTTPS or not).

With the range's HTTPS listener on (run.py --tls), the range holds a bucket policy's Deny statements
conditioned on aws:SecureTransport itself and evaluates them per request: a request over plain HTTP
that such a statement matches is refused with S3's 403 AccessDenied, one over HTTPS goes on. As S3
does: its guide's way to enforce encryption in transit is a bucket policy that explicitly denies
requests with "aws:SecureTransport": "false", i.e. every plain HTTP request (S3 User Guide, "Security
best practices for Amazon S3", https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit). moto gets
the rest of the policy (PutBucketPolicy's body less those statements), so its own evaluation (Deny
statements with Principal "*", on object requests) still applies to them, and GetBucketPolicy answers
the policy as it was put.

What is evaluated: Deny statements with Principal "*" (or {"AWS": "*"}) whose Condition is
Bool/BoolIfExists on aws:SecureTransport alone; Action/NotAction and Resource/NotResource with IAM's
wildcards. Other statements go to moto as they are. Path-style requests only (what cordon and the
tests send to 127.0.0.1). Changing PutBucketPolicy's body invalidates its SigV4 signature, which moto
checks only with INITIAL_NO_AUTH_ACTION_COUNT set: do not combine --tls with that.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.parse

KEY = "aws:securetransport"

# S3 operations whose IAM action is not "s3:" + the operation's name (S3 User Guide, "Actions,
# resources, and condition keys for Amazon S3"); versioned forms below.
_ACTIONS = {
    "HeadObject": "s3:GetObject", "HeadBucket": "s3:ListBucket", "ListObjects": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket", "ListObjectVersions": "s3:ListBucketVersions",
    "ListMultipartUploads": "s3:ListBucketMultipartUploads", "ListParts": "s3:ListMultipartUploadParts",
    "CreateMultipartUpload": "s3:PutObject", "UploadPart": "s3:PutObject",
    "CompleteMultipartUpload": "s3:PutObject", "DeleteObjects": "s3:DeleteObject",
    "GetObjectAttributes": "s3:GetObject", "GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration", "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock", "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "GetBucketNotificationConfiguration": "s3:GetBucketNotification",
    "PutBucketNotificationConfiguration": "s3:PutBucketNotification",
    "GetBucketCors": "s3:GetBucketCORS", "PutBucketCors": "s3:PutBucketCORS",
    "GetBucketReplication": "s3:GetReplicationConfiguration", "PutBucketReplication": "s3:PutReplicationConfiguration",
}
_VERSIONED = {"GetObject": "s3:GetObjectVersion", "HeadObject": "s3:GetObjectVersion",
              "DeleteObject": "s3:DeleteObjectVersion", "GetObjectTagging": "s3:GetObjectVersionTagging",
              "PutObjectTagging": "s3:PutObjectVersionTagging", "GetObjectAcl": "s3:GetObjectVersionAcl"}


def iam_action(operation: str, query: dict) -> str:
    if "versionId" in query and operation in _VERSIONED:
        return _VERSIONED[operation]
    return _ACTIONS.get(operation, "s3:" + operation)


def bucket_and_key(path: str) -> tuple[str | None, str | None]:
    parts = urllib.parse.unquote(urllib.parse.urlsplit(path).path).lstrip("/").split("/", 1)
    bucket = parts[0] or None
    return bucket, (parts[1] or None) if len(parts) > 1 else None


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _wild(pattern: str, value: str, fold: bool) -> bool:
    """IAM's wildcards: * any run of characters, ? one character; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if fold else re.DOTALL) is not None


def _any_wild(patterns, value: str, fold: bool) -> bool:
    return any(_wild(str(p), value, fold) for p in _listed(patterns))


def _transport_values(condition) -> list | None:
    """The aws:SecureTransport values a Condition compares with, or None when it is not exactly a
    Bool/BoolIfExists on that key (the range then leaves the statement to moto)."""
    if not isinstance(condition, dict) or len(condition) != 1:
        return None
    op, keys = next(iter(condition.items()))
    if op.lower() not in ("bool", "boolifexists") or not isinstance(keys, dict) or len(keys) != 1:
        return None
    key, values = next(iter(keys.items()))
    if key.lower() != KEY:
        return None
    return [str(v).lower() for v in _listed(values)]


def is_transport_deny(st) -> bool:
    return (isinstance(st, dict) and st.get("Effect") == "Deny"
            and st.get("Principal") in ("*", {"AWS": "*"}) and _transport_values(st.get("Condition")) is not None)


def split_policy(text: bytes) -> tuple[bytes, list] | None:
    """(the policy for moto, the statements the range evaluates), or None when the range has none to
    take (or the body is not a policy: moto answers that)."""
    try:
        policy = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(policy, dict):
        return None
    statements = _listed(policy.get("Statement", []))
    ours = [st for st in statements if is_transport_deny(st)]
    if not ours:
        return None
    rest = dict(policy, Statement=[st for st in statements if not is_transport_deny(st)])
    return json.dumps(rest).encode("utf-8"), ours


def statement_denies(st: dict, action: str, resource: str, secure: bool) -> bool:
    if "Action" in st and not _any_wild(st["Action"], action, True):
        return False
    if "NotAction" in st and _any_wild(st["NotAction"], action, True):
        return False
    if "Resource" in st and not _any_wild(st["Resource"], resource, False):
        return False
    if "NotResource" in st and _any_wild(st["NotResource"], resource, False):
        return False
    return ("true" if secure else "false") in _transport_values(st["Condition"])


def rewritten_headers(headers, body: bytes) -> list:
    """The request's headers for a new body: its length and digests recomputed, the SDK's checksum
    headers (of the old body) left out."""
    out = []
    for k, v in headers.items():
        lk = k.lower()
        if lk in ("content-length", "transfer-encoding", "x-amz-sdk-checksum-algorithm", "x-amz-trailer",
                  "x-amz-decoded-content-length") or lk.startswith("x-amz-checksum-"):
            continue
        if lk == "content-md5":
            v = base64.b64encode(hashlib.md5(body).digest()).decode()
        elif lk == "x-amz-content-sha256" and re.fullmatch(r"[0-9a-f]{64}", v):
            v = hashlib.sha256(body).hexdigest()
        out.append((k, v))
    out.append(("Content-Length", str(len(body))))
    return out


class SecureTransport:
    """The aws:SecureTransport statements of each bucket's policy, and the policy as it was put."""

    def __init__(self):
        self.lock = threading.Lock()
        self.buckets = {}  # bucket -> (the policy's text as put, [statements the range evaluates])

    def reset(self):
        with self.lock:
            self.buckets = {}

    def denies(self, operation: str, path: str, query: dict, secure: bool) -> bool:
        bucket, key = bucket_and_key(path)
        if bucket is None:
            return False
        with self.lock:
            held = self.buckets.get(bucket)
        if held is None:
            return False
        resource = f"arn:aws:s3:::{bucket}" + (f"/{key}" if key is not None else "")
        action = iam_action(operation, query)
        return any(statement_denies(st, action, resource, secure) for st in held[1])

    def answered(self, operation: str, path: str, pending, status: int, data: bytes) -> bytes:
        """After moto answered `operation`: what the range holds follows, and GetBucketPolicy shows the
        policy as it was put. `pending` is PutBucketPolicy's (text, statements)."""
        bucket, _ = bucket_and_key(path)
        if not 200 <= status < 300 or bucket is None:
            return data
        with self.lock:
            if operation == "PutBucketPolicy":
                if pending is None:
                    self.buckets.pop(bucket, None)
                else:
                    self.buckets[bucket] = pending
            elif operation in ("DeleteBucketPolicy", "DeleteBucket"):
                self.buckets.pop(bucket, None)
            elif operation == "GetBucketPolicy" and bucket in self.buckets:
                return self.buckets[bucket][0]
        return data
