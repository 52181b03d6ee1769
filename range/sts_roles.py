"""sts:AssumeRole of a role that does not exist, refused as AWS refuses it, where moto 5.2.1 grants
any role ARN (issue 13). Opt-in (POST /__range/sts {"roles_must_exist": true}): other tests reach
other accounts through roles they never made.

AWS behaviour stood for: STS API Reference, AssumeRole
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), and the IAM User Guide,
"Troubleshoot IAM roles" (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html):
a role that does not exist in the account its ARN names, or whose trust policy does not allow the
caller, cannot be assumed; STS answers AccessDenied (HTTP 403) "User: <caller> is not authorized to
perform: sts:AssumeRole on resource: <role ARN>". The range checks existence only (GetRole in that
account, as moto keeps it); moto's own AssumeRole serves the rest.
"""

from __future__ import annotations

import re
import threading

ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)$")


class RolesMustExist:
    def __init__(self, upstream: tuple, organizations):
        self.upstream = upstream
        self.org = organizations  # range/organizations.py: its moto calls
        self.lock = threading.Lock()
        self.enabled = False

    def reset(self):
        with self.lock:
            self.enabled = False

    def configure(self, payload: dict):
        with self.lock:
            self.enabled = bool(payload.get("roles_must_exist", False))

    def state(self) -> dict:
        return {"roles_must_exist": self.enabled}

    def check(self, headers, params: dict) -> tuple[int, str, str] | None:
        """None when AssumeRole may go on to moto, else (status, code, message)."""
        if not self.enabled:
            return None
        arn = params.get("RoleArn", "")
        m = ROLE_ARN.match(arn)
        if not m:
            return None  # moto's own validation answers a malformed ARN
        auth = self.org.account_auth(self.upstream, m.group(1), "iam")
        if auth is not None:
            status, _ = self.org.query(self.upstream, auth,
                                        {"Action": "GetRole", "Version": "2010-05-08", "RoleName": m.group(2)})
            if status == 200:
                return None
        status, body = self.org.query(self.upstream, self.org.auth_for(headers, "sts"),
                                       {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
        caller = self.org.xml_text(body, "Arn") or "the caller"
        return 403, "AccessDenied", f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {arn}"
