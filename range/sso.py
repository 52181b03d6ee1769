"""IAM Identity Center: SSO OIDC `CreateToken` (the refresh grant) and the SSO portal's
`GetRoleCredentials`, which moto 5 lacks.

`aws sso login` caches an access token (and, for an sso-session, a refresh token and a client
registration) in ~/.aws/sso/cache; the CLI then trades the access token for role credentials. The
range stands for both services:

- `POST /token` (SSO OIDC API Reference, CreateToken,
  https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html): JSON body
  `clientId`, `clientSecret`, `grantType`, `refreshToken`. With grantType `refresh_token`, a
  registered client and its current refresh token, the answer is `{"accessToken", "tokenType":
  "Bearer", "expiresIn", "refreshToken"}` (a new refresh token: the old one stops working). A wrong
  client id or secret is 401 `InvalidClientException`; an unknown refresh token is 400
  `InvalidGrantException`; another grant type is 400 `UnsupportedGrantTypeException`.
- `GET /federation/credentials?account_id=..&role_name=..` with header `x-amz-sso_bearer_token`
  (Portal API Reference, GetRoleCredentials,
  https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html):
  a known, unexpired access token gets `{"roleCredentials": {"accessKeyId", "secretAccessKey",
  "sessionToken", "expiration"}}` (expiration in epoch milliseconds); any other token is 401
  `UnauthorizedException`; a missing parameter is 400 `InvalidRequestException`. The credentials come
  from moto's STS AssumeRole of `arn:aws:iam::<account_id>:role/<role_name>`, so moto accepts them
  and GetCallerIdentity names that account and role.

Configured with `POST /__range/sso` `{"access_tokens": {TOKEN: seconds_valid}, "clients":
[{"clientId", "clientSecret", "refreshToken"}], "expires_in": N}`; `GET /__range/sso` lists the calls
(api, accountId, roleName, clientId, outcome), never a token; and, under `issued`, the role
credentials handed out (key id and secret key), so that a test can check cordon never shows them.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import threading
import time
import urllib.parse

CREDENTIALS_PATH = "/federation/credentials"
TOKEN_PATH = "/token"
STS_AUTH = ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=0")


def operation(method: str, path: str, headers) -> tuple[str, str] | None:
    """(service, action) of an SSO request, or None. These requests are unsigned: there is no
    credential scope to tell the service by, so the path and the bearer header do."""
    bare = path.split("?", 1)[0]
    if method == "GET" and bare == CREDENTIALS_PATH and headers.get("x-amz-sso_bearer_token") is not None:
        return "sso", "GetRoleCredentials"
    if method == "POST" and bare == TOKEN_PATH and "json" in (headers.get("Content-Type") or "").lower():
        return "sso-oidc", "CreateToken"
    return None


def _error(status: int, error_type: str, body: dict):
    return status, [("x-amzn-ErrorType", error_type), ("Content-Type", "application/json")], json.dumps(body).encode()


def _ok(body: dict):
    return 200, [("Content-Type", "application/json")], json.dumps(body).encode()


class SsoEmulation:
    def __init__(self, upstream: tuple):
        self.upstream = upstream
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.tokens = {}  # access token -> expiry (epoch seconds)
            self.clients = {}  # client id -> {"secret", "refresh"}
            self.expires_in = 28800
            self.calls = []
            self.issued = []  # role credentials handed out: for tests that check they never leak

    def configure(self, spec: dict):
        if not isinstance(spec, dict):
            raise ValueError("sso: expected a JSON object")
        now = time.time()
        with self.lock:
            for token, seconds in (spec.get("access_tokens") or {}).items():
                self.tokens[str(token)] = now + float(seconds)
            for c in spec.get("clients") or []:
                self.clients[c["clientId"]] = {"secret": c["clientSecret"], "refresh": c["refreshToken"]}
            self.expires_in = int(spec.get("expires_in", self.expires_in))

    def state(self) -> dict:
        with self.lock:
            return {"calls": list(self.calls), "clients": sorted(self.clients), "tokens": len(self.tokens),
                    "issued": list(self.issued)}

    def _note(self, **call):
        with self.lock:
            self.calls.append(call)

    def serve(self, action: str, path: str, headers, body: bytes | None):
        if action == "CreateToken":
            return self._create_token(body)
        return self._get_role_credentials(path, headers)

    def _create_token(self, body: bytes | None):
        try:
            p = json.loads((body or b"{}").decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            p = None
        if not isinstance(p, dict):
            return _error(400, "InvalidRequestException", {"error": "invalid_request"})
        client_id = p.get("clientId")
        with self.lock:
            client = self.clients.get(client_id)
            if client is None or client["secret"] != p.get("clientSecret"):
                outcome = _error(401, "InvalidClientException", {"error": "invalid_client"})
            elif p.get("grantType") != "refresh_token":
                outcome = _error(400, "UnsupportedGrantTypeException", {"error": "unsupported_grant_type"})
            elif client["refresh"] != p.get("refreshToken"):
                outcome = _error(400, "InvalidGrantException", {"error": "invalid_grant"})
            else:
                access, refresh = "range-sso-" + secrets.token_hex(16), "range-refresh-" + secrets.token_hex(16)
                client["refresh"] = refresh
                self.tokens[access] = time.time() + self.expires_in
                outcome = _ok({"accessToken": access, "tokenType": "Bearer", "expiresIn": self.expires_in,
                               "refreshToken": refresh})
        self._note(api="CreateToken", clientId=client_id, grantType=p.get("grantType"),
                   outcome="ok" if outcome[0] == 200 else dict(outcome[1])["x-amzn-ErrorType"])
        return outcome

    def _get_role_credentials(self, path: str, headers):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        account = (query.get("account_id") or [None])[0]
        role = (query.get("role_name") or [None])[0]
        token = headers.get("x-amz-sso_bearer_token")
        with self.lock:
            expiry = self.tokens.get(token)
        if not account or not role:
            outcome = _error(400, "InvalidRequestException", {"message": "account_id and role_name are required"})
        elif expiry is None or expiry <= time.time():
            outcome = _error(401, "UnauthorizedException", {"message": "Session token not found or invalid"})
        else:
            outcome = self._assume(account, role)
        self._note(api="GetRoleCredentials", accountId=account, roleName=role,
                   outcome="ok" if outcome[0] == 200 else dict(outcome[1])["x-amzn-ErrorType"])
        return outcome

    def _assume(self, account: str, role: str):
        """Role credentials moto accepts: moto's own AssumeRole of the permission set's role."""
        params = {"Action": "AssumeRole", "Version": "2011-06-15", "RoleSessionName": "sso-portal",
                  "RoleArn": f"arn:aws:iam::{account}:role/{role}"}
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            conn.request("POST", "/", body=urllib.parse.urlencode(params),
                         headers={"Authorization": STS_AUTH, "Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            xml = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

        def text(tag):
            m = re.search(r"<%s>([^<]*)</%s>" % (tag, tag), xml)
            return m.group(1) if m else None
        if resp.status != 200 or not text("AccessKeyId"):
            return _error(500, "InternalServerException", {"message": "the range could not make role credentials"})
        expiration = int(time.time() + 3600) * 1000
        with self.lock:
            self.issued.append({"accessKeyId": text("AccessKeyId"), "secretAccessKey": text("SecretAccessKey")})
        return _ok({"roleCredentials": {"accessKeyId": text("AccessKeyId"), "secretAccessKey": text("SecretAccessKey"),
                                        "sessionToken": text("SessionToken"), "expiration": expiration}})
