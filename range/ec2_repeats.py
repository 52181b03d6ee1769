"""What EC2 answers a request sent again after its first sending took effect, where moto 5.2.1 does not
(a retry after an answer lost, range/README.md "after"; issue 13).

AWS behaviour stood for:
- Amazon EC2 Developer Guide, "Ensuring idempotency in Amazon EC2 API requests"
  (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html): the actions that take a
  `ClientToken` (CreateVolume, CreateNetworkAcl and RunInstances among them) are idempotent with one:
  "If you retry a request that completed successfully using the same client token and the same
  parameters, the retry succeeds without performing any further actions"; with the same token and
  another parameter changed ("other than the Region or Availability Zone") "the retry fails with an
  IdempotentParameterMismatch error". The answer of such a retry is the first one's ("the result might
  contain updated information, such as the current creation status"). A token is the caller's, per
  account and Region. moto reads the token of RunInstances only and makes a new resource for every
  request: a retry of a lost CreateVolume leaves a second volume nobody knows of.
- EC2 API Reference, "Error codes for the Amazon EC2 API"
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html): `VolumeInUse`, "The
  specified EBS volume is attached to an instance. Ensure that the specified volume is in an 'available'
  state" (AttachVolume; "vol-... is already attached to an instance"), and `IncorrectState` for a
  volume in any other state than available (creating, deleting). moto attaches an attached volume
  again, silently, wherever it was.

So the range remembers the answer of each request with a ClientToken (by the caller's access key,
Region, action and token) and answers a repeat itself: the first answer when the parameters are the
same, else 400 IdempotentParameterMismatch; and it refuses AttachVolume of a volume that is not
`available` (read from moto first, a bookkeeping DescribeVolumes), changing nothing. `POST
/__range/reset` forgets the tokens.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from typing import Callable

# The actions of EC2 whose ClientToken the range honours (all take one in the EC2 API Reference).
TOKEN_ACTIONS = ("CreateVolume", "CreateNetworkAcl", "RunInstances")
# post(params) -> (status, body): an EC2 query call straight to moto, as the caller (proxy.py signs it).
Post = Callable[[dict], tuple]

_KEY_RE = re.compile(r"Credential=([^/,\s]+)/[^/]*/([^/]+)/")


def has_token(action: str | None, params) -> bool:
    return action in TOKEN_ACTIONS and isinstance(params, dict) and bool(params.get("ClientToken"))


def _scope(headers, params: dict) -> tuple:
    """(access key, Region, action, token): a token belongs to its caller in one Region."""
    m = _KEY_RE.search(headers.get("Authorization") or "")
    key, region = (m.group(1), m.group(2)) if m else ("", "")
    return key, region, params.get("Action", ""), params["ClientToken"]


def _fingerprint(params: dict) -> tuple:
    """The parameters a repeat must match: all but the token, the version and the availability zone."""
    ignored = {"ClientToken", "Version", "AvailabilityZone"}
    return tuple(sorted((k, v) for k, v in params.items() if k not in ignored))


class ClientTokens:
    """Thread-safe: the proxy's handler threads call it concurrently."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = {}  # _scope -> (_fingerprint, the first answer's body)

    def reset(self):
        with self.lock:
            self.answers = {}

    def repeat(self, headers, params: dict):
        """For a request with a ClientToken: None when it is the token's first (it goes on to moto), else
        (200, body) of the first answer, or (400, code, message) when the parameters differ."""
        with self.lock:
            seen = self.answers.get(_scope(headers, params))
        if seen is None:
            return None
        fingerprint, body = seen
        if fingerprint != _fingerprint(params):
            return (400, "IdempotentParameterMismatch",
                    f"The client token '{params['ClientToken']}' was used in a request with other "
                    "parameters; do not reuse a client token with different requests")
        return 200, body

    def remember(self, headers, params: dict, status: int, body: bytes) -> None:
        """The answer of a token's first request, kept when it succeeded (a failure made nothing)."""
        if status != 200:
            return
        with self.lock:
            self.answers.setdefault(_scope(headers, params), (_fingerprint(params), body))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def refuse_attach(post: Post, params: dict) -> tuple[int, str, str] | None:
    """None when AttachVolume may go on to moto, else (status, code, message) as EC2 refuses it."""
    volume = params.get("VolumeId", "")
    status, body = post({"Action": "DescribeVolumes", "VolumeId.1": volume})
    if status != 200:
        return None  # moto's own refusal (no such volume, credentials) is relayed by forwarding the call
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    for item in root.iter():
        if _local(item.tag) != "item":
            continue
        fields = {_local(c.tag): (c.text or "") for c in item}
        if fields.get("volumeId") != volume:
            continue
        state = fields.get("status", "")
        if state == "in-use":
            return 400, "VolumeInUse", f"{volume} is already attached to an instance"
        if state != "available":
            return 400, "IncorrectState", f"{volume} is not 'available'."
        return None
    return None
