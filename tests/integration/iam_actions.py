"""The IAM actions a request of the range's log needs, and whether a policy allows them.

The names come from the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html):
its "Actions defined by ..." table of each service names the action of every API operation and,
in the column "Dependent actions", what else a call needs. Most operations are allowed by the
action of their own name under the service's prefix; the exceptions cordon meets are below.

- The prefix is the request's SigV4 signing name (the range's `service`): the same for every service
  cordon calls, ELB's two API versions included (both `elasticloadbalancing`, whose actions keep
  their names: v1's and v2's DescribeLoadBalancers are one action).
- S3's operations and IAM's actions differ in name for many (list_amazons3.html): HeadBucket and
  ListObjectsV2 are s3:ListBucket, HeadObject s3:GetObject, a multipart upload's calls s3:PutObject,
  GetBucketEncryption s3:GetEncryptionConfiguration, ...; and a request for a version of an object
  (`versionId`) needs the action's Version form (s3:GetObjectVersion).
- EC2: a call that tags what it creates (TagSpecification.N) needs ec2:CreateTags as well ("Grant
  permission to tag Amazon EC2 resources during creation", EC2 User Guide); associating or replacing
  an instance profile lists iam:PassRole as a dependent action.
- REST services the range does not name an operation of (its `action` is the HTTP method): by path.

What the log cannot show is left out, and said where it matters: request headers (S3's Object Lock
headers on PutObject need s3:PutObjectRetention; CopyObject's source needs s3:GetObject), and what a
service calls as the caller on its own (CloudFormation creating a stack's resources inside moto).
"""

from __future__ import annotations

import fnmatch
import re

# S3 operation (the range's s3_operation) -> IAM action, where they differ.
S3_ACTIONS = {
    "ListBuckets": "ListAllMyBuckets",
    "HeadBucket": "ListBucket",
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "ListMultipartUploads": "ListBucketMultipartUploads",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "PutBucketEncryption": "PutEncryptionConfiguration",
    "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketCors": "GetBucketCORS",
    "HeadObject": "GetObject",
    "DeleteObjects": "DeleteObject",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "ListParts": "ListMultipartUploadParts",
}
# With `versionId`: the version's own action (list_amazons3.html).
S3_VERSION_ACTIONS = {
    "GetObject": "GetObjectVersion",
    "DeleteObject": "DeleteObjectVersion",
    "GetObjectTagging": "GetObjectVersionTagging",
    "PutObjectTagging": "PutObjectVersionTagging",
    "GetObjectAcl": "GetObjectVersionAcl",
    "GetObjectAttributes": "GetObjectVersionAttributes",
}

# (service, method, path pattern) -> operation, for REST calls the range logs by HTTP method.
REST_OPERATIONS = [
    ("securityhub", "GET", r"/accounts/?", "DescribeHub"),
    ("macie2", "GET", r"/macie/?", "GetMacieSession"),
    ("inspector2", "POST", r"/status/batch/get", "BatchGetAccountStatus"),
]

# Operations that need no permission at all: "No permissions are required to perform this operation"
# (AWS STS API Reference, GetCallerIdentity).
NO_PERMISSION = {"sts:GetCallerIdentity"}

# EC2 operations and what else they need (the reference's "Dependent actions").
EC2_DEPENDENT = {
    "AssociateIamInstanceProfile": ["iam:PassRole"],
    "ReplaceIamInstanceProfileAssociation": ["iam:PassRole"],
}

HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"}


def operation(entry: dict) -> str | None:
    """The API operation of a request-log entry, or None when the range could not name it."""
    action = entry.get("action")
    if action not in HTTP_METHODS:
        return action
    for service, method, pattern, name in REST_OPERATIONS:
        if entry["service"] == service and action == method and re.fullmatch(pattern, entry.get("path") or ""):
            return name
    return None


def actions_for(entry: dict) -> list[str] | None:
    """The IAM actions the request needs ([] for none); None when it cannot be named (unnamed())."""
    service, op = entry["service"], operation(entry)
    if op is None or service == "unknown":
        return None
    if f"{service}:{op}" in NO_PERMISSION:
        return []
    if service == "s3":
        name = S3_ACTIONS.get(op, op)
        if "versionId" in (entry.get("query") or []):
            name = S3_VERSION_ACTIONS.get(name, name)
        return [f"s3:{name}"]
    out = [f"{service}:{op}"]
    if service == "ec2":
        out += EC2_DEPENDENT.get(op, [])
        if any(k.startswith("TagSpecification.") for k in entry.get("params") or {}):
            out.append("ec2:CreateTags")
    return out


def unnamed(log: list[dict]) -> list[str]:
    """The requests no IAM action could be named for ("service METHOD path"): a new REST call wants
    a row in REST_OPERATIONS."""
    return sorted({f"{e['service']} {e.get('action')} {e.get('path')}" for e in log if actions_for(e) is None})


def needed(log: list[dict]) -> dict[str, set[str]]:
    """{IAM action: the operations that needed it} over a request log."""
    out: dict[str, set[str]] = {}
    for e in log:
        for a in actions_for(e) or []:
            out.setdefault(a, set()).add(f"{e['service']}:{operation(e)}")
    return out


def allowed(policy: dict) -> set[str]:
    """Every action an Allow statement names (conditions and resources are not evaluated: the test
    asks which actions a policy lacks, not whether a condition holds)."""
    out = set()
    for st in policy.get("Statement", []):
        if st.get("Effect") != "Allow":
            continue
        acts = st.get("Action", [])
        out |= {acts} if isinstance(acts, str) else set(acts)
    return out


def covers(patterns: set[str], action: str) -> bool:
    """IAM matches action names case-insensitively, with * and ? wildcards."""
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns)
