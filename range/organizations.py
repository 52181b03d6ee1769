"""Organizations ListAccounts as AWS answers it, where moto 5.2.1 departs from it (issue 13).

AWS behaviour stood for (Organizations API Reference, ListAccounts,
https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html, and "Account",
https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html):
- "You can only call this operation from the management account or a member account that is a
  delegated administrator." Any other member is refused with AccessDeniedException (HTTP 400), and an
  account outside every organization with AWSOrganizationsNotInUseException (HTTP 400: "Your account
  isn't a member of an organization."). moto answers both with an empty list.
- "always check the NextToken response parameter value, even if you receive an empty result set.
  These operations can occasionally return an empty set of results even when more results are
  available." The range pages PAGE_SIZE accounts at a time and answers the first page of every
  listing empty, with a NextToken.
- Account.Status "will be retired on September 9, 2026"; State (PENDING_ACTIVATION, ACTIVE, SUSPENDED,
  PENDING_CLOSURE, CLOSED) replaces it. The range answers without Status.
The accounts themselves are moto's (CreateAccount, CloseAccount), listed as the management account:
the range learns the caller's account and the organization from moto (GetCallerIdentity,
DescribeOrganization, which moto answers for members too) and, for a member, whether it is a delegated
administrator (ListDelegatedAdministrators, as the management account through moto's AssumeRole,
which moto grants into any account).

With moto enforcing IAM (range/moto_auth.py), the caller's own request goes to moto first, unchanged, so
that moto judges its signature and whether the caller's policy allows organizations:ListAccounts; the
range's own lookups above are AWS's bookkeeping, not the caller's calls, and carry BOOKKEEPING_HEADER,
which moto_auth.py lets past authorization (their signatures are not the caller's).
"""

from __future__ import annotations

import http.client
import json
import re

PAGE_SIZE = 2
BOOKKEEPING_HEADER = "X-Range-Bookkeeping"
TARGET = "AWSOrganizationsV20161128."
TOKEN = re.compile(r"^range-page-(\d+)$")
DEFAULT_AUTH = ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, "
                "SignedHeaders=host, Signature=0")
_SCOPE = re.compile(r"(Credential=[^/]+/\d{8}/[^/]+/)([^/]+)(/aws4_request)")


def auth_for(headers, service: str) -> dict:
    """The caller's Authorization (and session token) with `service` in its credential scope: moto
    routes by the scope and maps the access key to its account; it checks no signature."""
    auth = headers.get("Authorization") or DEFAULT_AUTH.format(service=service)
    out = {"Authorization": _SCOPE.sub(lambda m: m.group(1) + service + m.group(3), auth)}
    if headers.get("X-Amz-Security-Token"):
        out["X-Amz-Security-Token"] = headers["X-Amz-Security-Token"]
    return out


def _request(upstream: tuple, headers: dict, body: str, extra: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(*upstream, timeout=60)
    try:
        conn.request("POST", "/", body=body, headers={**headers, **extra, BOOKKEEPING_HEADER: "1"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _org_call(upstream, auth: dict, action: str, params: dict) -> tuple[int, dict]:
    status, body = _request(upstream, auth, json.dumps(params),
                            {"X-Amz-Target": TARGET + action, "Content-Type": "application/x-amz-json-1.1"})
    try:
        return status, json.loads(body or b"{}")
    except ValueError:
        return status, {}


def query(upstream, auth: dict, params: dict) -> tuple[int, str]:
    from urllib.parse import urlencode
    status, body = _request(upstream, auth, urlencode(params),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    return status, body.decode("utf-8", "replace")


def xml_text(text: str, tag: str) -> str | None:
    m = re.search(r"<%s>([^<]*)</%s>" % (tag, tag), text)
    return m.group(1) if m else None


def caller_account(upstream, headers) -> str | None:
    status, body = query(upstream, auth_for(headers, "sts"), {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    return xml_text(body, "Account") if status == 200 else None


def account_auth(upstream, account: str, service: str) -> dict | None:
    """Credentials acting in `account` (moto's AssumeRole needs no role there), as headers."""
    status, body = query(upstream, auth_for({}, "sts"), {
        "Action": "AssumeRole", "Version": "2011-06-15", "RoleSessionName": "cordon-range",
        "RoleArn": f"arn:aws:iam::{account}:role/cordon-range"})
    key, token = xml_text(body, "AccessKeyId"), xml_text(body, "SessionToken")
    if status != 200 or not key:
        return None
    out = {"Authorization": DEFAULT_AUTH.format(service=service).replace("testing/", key + "/", 1)}
    if token:
        out["X-Amz-Security-Token"] = token
    return out


def _all_accounts(upstream, auth: dict) -> tuple[int, dict] | list:
    accounts, token = [], None
    while True:
        status, out = _org_call(upstream, auth, "ListAccounts", {"NextToken": token} if token else {})
        if status != 200:
            return status, out
        accounts += out.get("Accounts") or []
        token = out.get("NextToken")
        if not token:
            return accounts


def caller_refused(upstream: tuple, path: str, headers, body: bytes) -> tuple | None:
    """The caller's ListAccounts as it was sent, to moto: None when moto lets it through, else
    (status, code, message) of its refusal (IAM enforcement: a signature that does not match, or a
    policy without organizations:ListAccounts)."""
    conn = http.client.HTTPConnection(*upstream, timeout=60)
    try:
        conn.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        for k, v in headers.items():
            if k.lower() not in ("connection", "keep-alive", BOOKKEEPING_HEADER.lower()):
                conn.putheader(k, v)
        conn.endheaders(body or None)
        resp = conn.getresponse()
        status, answer = resp.status, resp.read()
    finally:
        conn.close()
    # Only authentication and authorization refuse here (401, 403): moto judges them before the
    # action, and its own answer to the action (a NextToken of the range's pages, say) is not AWS's.
    if status not in (401, 403):
        return None
    text = answer.decode("utf-8", "replace")
    try:
        doc = json.loads(text or "{}")
    except ValueError:
        doc = {"__type": xml_text(text, "Code"), "message": xml_text(text, "Message")}
    code = (doc.get("__type") or "AccessDenied").rsplit("#", 1)[-1]
    return status, code, doc.get("message") or doc.get("Message") or ""


def serve_list_accounts(upstream: tuple, headers, params: dict) -> tuple:
    """(200, answer) or (status, code, message) for a ListAccounts by the caller of `headers`."""
    status, org = _org_call(upstream, auth_for(headers, "organizations"), "DescribeOrganization", {})
    if status != 200:
        return status, org.get("__type", "ServiceException").rsplit("#", 1)[-1], org.get("message", "")
    master = org["Organization"]["MasterAccountId"]
    me = caller_account(upstream, headers)
    auth = auth_for(headers, "organizations")
    if me != master:
        auth = account_auth(upstream, master, "organizations")
        status, admins = _org_call(upstream, auth, "ListDelegatedAdministrators", {}) if auth else (500, {})
        if me not in [a.get("Id") for a in admins.get("DelegatedAdministrators") or []]:
            return 400, "AccessDeniedException", "You don't have permissions to access this resource."
    listed = _all_accounts(upstream, auth)
    if not isinstance(listed, list):
        return listed[0], listed[1].get("__type", "ServiceException"), listed[1].get("message", "")
    token = params.get("NextToken")
    match = TOKEN.match(token) if token else None
    if token and not match:
        return 400, "InvalidInputException", "You provided an invalid value for parameter NextToken."
    start = int(match.group(1)) if match else 0
    # The first page of a listing is empty, as ListAccounts may answer one; then PAGE_SIZE at a time.
    end = start if not token else start + PAGE_SIZE
    page = [{k: v for k, v in a.items() if k != "Status"} for a in listed[start:end]]
    answer = {"Accounts": page}
    if end < len(listed):
        answer["NextToken"] = f"range-page-{end}"
    return 200, answer
