"""IAM's quota on the size of a role's inline policies, which moto 5.2.1 does not enforce (issue 13).

AWS behaviour stood for:
- IAM User Guide, "IAM and AWS STS quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html:
  "Role policy size": you can add as many inline policies as you want to a role, but their total
  aggregate size cannot exceed 10,240 characters; "IAM doesn't count white space when calculating the
  size of a policy against these limits." The quota cannot be raised.
- IAM API Reference, PutRolePolicy, Errors: LimitExceeded (HTTP 409), "The request was rejected because
  it attempted to create resources beyond the current AWS account limits. The error message describes
  the limit exceeded." IAM's message for this quota reads "Maximum policy size of 10240 bytes exceeded
  for role <name>". The request changes nothing.
moto accepts inline policies of any total size. The range adds the size of the document being put to
the sizes of the role's other inline policies (a policy of the same name is replaced, so it does not
count) and answers LimitExceeded when the total is over the quota; otherwise the call goes on to moto.
"""

from __future__ import annotations

import threading
import urllib.parse
import xml.etree.ElementTree as ET

ROLE_POLICY_QUOTA = 10240  # characters, whitespace not counted
IAM_VERSION = "2010-05-08"

# PutRolePolicy's check and the put itself happen under this lock, so two puts on one role cannot
# both pass the check against the same old state.
LOCK = threading.Lock()


def iam_size(text: str) -> int:
    """A policy document's size as IAM counts it: every character but whitespace."""
    return sum(1 for c in text if not c.isspace())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _texts(body: bytes, name: str) -> list[str]:
    return [n.text or "" for n in ET.fromstring(body).iter() if _local(n.tag) == name]


def _inline_names(role: str, call) -> list[str] | None:
    """The role's inline policy names (ListRolePolicies, every page), or None when moto refuses."""
    names, marker = [], None
    while True:
        params = {"Action": "ListRolePolicies", "Version": IAM_VERSION, "RoleName": role}
        if marker:
            params["Marker"] = marker
        status, body = call(params)
        if status != 200:
            return None
        root_texts = _texts(body, "member")
        names += root_texts
        truncated = _texts(body, "IsTruncated")
        markers = _texts(body, "Marker")
        if not (truncated and truncated[0] == "true" and markers):
            return names
        marker = markers[0]


def check_put_role_policy(params: dict, call) -> tuple[int, str, str] | None:
    """None when PutRolePolicy may go on to moto, else (status, code, message).
    `call(params)` is an IAM query call at moto as the caller: (status, body)."""
    role, name = params.get("RoleName", ""), params.get("PolicyName", "")
    names = _inline_names(role, call)
    if names is None:
        return None  # moto's own refusal (NoSuchEntity, credentials, ...) comes from forwarding the call
    total = iam_size(params.get("PolicyDocument", ""))
    for other in names:
        if other == name:
            continue
        status, body = call({"Action": "GetRolePolicy", "Version": IAM_VERSION, "RoleName": role,
                             "PolicyName": other})
        if status != 200:
            return None
        docs = _texts(body, "PolicyDocument")
        # IAM sends documents URL-encoded (RFC 3986); unquoting one moto sent plain changes no size
        # that matters here (a policy with a literal "%xx" is not among the range's scenarios).
        total += iam_size(urllib.parse.unquote(docs[0])) if docs else 0
    if total > ROLE_POLICY_QUOTA:
        return (409, "LimitExceeded", f"Maximum policy size of {ROLE_POLICY_QUOTA} bytes exceeded for role {role}")
    return None
