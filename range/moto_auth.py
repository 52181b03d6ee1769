#!/usr/bin/env python3
"""moto_server with three errors of its IAM enforcement corrected (1, 2 and 4 below) and the range's own
lookups let through (3); the range starts moto this way when IAM authentication is on
(`--moto-env INITIAL_NO_AUTH_ACTION_COUNT=N`). Nothing else in moto is changed.

    python3 range/moto_auth.py -H 127.0.0.1 -p PORT     (moto_server's own arguments)

1. The signature of a request without a body (moto 5.x, moto/iam/access_control.py,
   IAMRequestBase._create_aws_request). To recompute a signature moto builds the request again with
   `data=self._body or self._data`. The fallback to `self._data` is there for form posts, whose raw body
   Werkzeug has already consumed into `request.form`. But it also fires for a request that has no body,
   and then moto's `data` is the parsed query string or, with no query, the request's headers
   (moto/core/responses.py, BaseResponse.setup_class: `if not querystring: querystring.update(headers)`).
   botocore url-encodes that dict as the body, so moto hashes "Host=...&User-Agent=...&X-Amz-Date=..."
   where the client hashed the empty payload. Every GET of a REST service that signs no
   x-amz-content-sha256 (GuardDuty ListDetectors, Macie GetMacieSession, Security Hub DescribeHub) is
   refused with SignatureDoesNotMatch, boto3's calls as much as cordon's. AWS hashes the payload as sent,
   for no body "the hash of an empty string"
   (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, HashedPayload). Here a
   request that carried no body (no Content-Length or 0, not chunked) is checked with an empty body.

2. The IAM action of S3 HeadBucket (moto/s3/responses.py, ACTION_MAP["BUCKET"]["HEAD"]): moto requires
   "s3:HeadBucket", an action IAM does not have, so no policy AWS accepts can allow it. S3 authorizes
   HeadBucket with s3:ListBucket ("To use this operation, you must have permissions to perform the
   s3:ListBucket action", https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html).

3. The range's own lookups (range/organizations.py: the organization, the caller's account, a delegated
   administrator, a role's existence) stand for what AWS knows without asking the caller's policy; they
   carry the header organizations.BOOKKEEPING_HEADER and skip authentication and authorization. The
   caller's own request is still judged by moto, unchanged, before the range answers it.

4. Conditions on sts:RoleSessionName in the caller's own policies. moto evaluates conditions only in a
   role's trust policy, only StringEquals, and only on sts:ExternalId (moto/iam/policy_conditions.py,
   moto/iam/utils.py format_incoming_conditional_values), so an identity policy that allows
   sts:AssumeRole only for sessions named "cordon-*" allows any name. AWS evaluates the key on
   AssumeRole: "sts:RoleSessionName ... Use this key to compare the session name that a principal
   specifies when assuming a role with the value that is specified in the policy"
   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname),
   and a statement applies only when all its conditions hold ("Condition ... specify conditions for when
   a policy is in effect", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
   Here, for sts:AssumeRole, a statement whose Condition tests sts:RoleSessionName with StringEquals,
   StringLike, StringNotEquals or StringNotLike is kept (without that test) when it holds for the
   request's RoleSessionName and dropped when it does not. StringLike matches case-sensitively, `*`
   any run of characters and `?` one character (reference_policies_elements_condition_operators.html,
   "String condition operators"). Other keys and operators stay as moto treats them.
"""

import json
import os
import re
import sys

# Run as a script, sys.path[0] is range/, whose moto.py would shadow the moto package.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

from moto.core import responses as core_responses  # noqa: E402
from moto.iam import access_control  # noqa: E402
from moto.s3 import responses as s3_responses  # noqa: E402
from moto.server import main  # noqa: E402


def _sent_no_body(headers) -> bool:
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return False
    try:
        return int(headers.get("Content-Length") or 0) == 0
    except ValueError:
        return False


_moto_create_aws_request = access_control.IAMRequestBase._create_aws_request


def _create_aws_request(self):
    request = _moto_create_aws_request(self)
    if not self._body and _sent_no_body(self._headers):
        request.data = b""
    return request


access_control.IAMRequestBase._create_aws_request = _create_aws_request
s3_responses.ACTION_MAP["BUCKET"]["HEAD"]["DEFAULT"] = "ListBucket"

_moto_authorize = core_responses.BaseResponse._authenticate_and_authorize_normal_action
BOOKKEEPING_HEADER = "X-Range-Bookkeeping"  # organizations.BOOKKEEPING_HEADER (not importable here: sys.path)


def _authorize(self, resource="*"):
    if self.headers.get(BOOKKEEPING_HEADER):
        return
    _moto_authorize(self, resource)


core_responses.BaseResponse._authenticate_and_authorize_normal_action = _authorize


_SESSION_KEY = "sts:rolesessionname"  # condition keys are case-insensitive
_SESSION_OPERATORS = {"StringEquals": (False, False), "StringNotEquals": (False, True),
                      "StringLike": (True, False), "StringNotLike": (True, True)}  # (wildcards, negated)


def _string_like(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _session_test_holds(operator: str, expected, name: str) -> bool:
    wildcards, negated = _SESSION_OPERATORS[operator]
    values = expected if isinstance(expected, list) else [expected]
    matched = any(_string_like(v, name) if wildcards else v == name for v in values)
    return matched != negated


def _judged_for_session(statement: dict, name: str) -> dict | None:
    """`statement` with its sts:RoleSessionName tests taken out when they hold; None when one fails."""
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return statement
    kept = {}
    for operator, tests in condition.items():
        rest = {}
        for key, expected in tests.items():
            if key.lower() != _SESSION_KEY or operator not in _SESSION_OPERATORS:
                rest[key] = expected
            elif not _session_test_holds(operator, expected, name):
                return None
        if rest:
            kept[operator] = rest
    judged = {k: v for k, v in statement.items() if k != "Condition"}
    if kept:
        judged["Condition"] = kept
    return judged


def _policy_for_session(policy, name: str) -> str:
    document = access_control.IAMPolicy(policy)._policy_json
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    judged = [j for j in (_judged_for_session(st, name) for st in statements) if j is not None]
    return json.dumps({**document, "Statement": judged})


_moto_check_action_permitted = access_control.IAMRequestBase.check_action_permitted


def _check_action_permitted(self, resource):
    if self._action != "sts:AssumeRole":
        return _moto_check_action_permitted(self, resource)
    name = (self._data.get("RoleSessionName") or [""])[0]
    key = self._access_key
    policies = key.collect_policies()
    key.collect_policies = lambda: [_policy_for_session(p, name) for p in policies]
    try:
        return _moto_check_action_permitted(self, resource)
    finally:
        del key.collect_policies  # the class's method again


access_control.IAMRequestBase.check_action_permitted = _check_action_permitted

if __name__ == "__main__":
    sys.exit(main())
