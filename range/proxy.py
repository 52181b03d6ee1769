#!/usr/bin/env python3
"""cordon's test range proxy: a loopback HTTP/1.1 reverse proxy in front of moto_server.

- passes requests through to moto unchanged (method, target, headers in order including Host and
  Authorization, bodies of any size streamed), and moto's answers back;
- injects faults on a schedule (throttling in each protocol's own shape, 500/503 with AWS or HTML
  bodies, latency, connection resets, slow "pending" snapshots);
- serves what moto lacks from a scenario: CloudTrail LookupEvents, SSM DescribeInstanceInformation,
  SSM GetCommandInvocation outcomes, GuardDuty GetFindings;
- a control API under /__range/ (faults, scenario, stats, reset).

Use from Python:   RangeProxy(upstream_url, scenario=..., faults=...).start() -> url
Use from a shell:  python3 range/proxy.py --upstream http://127.0.0.1:PORT [--scenario F] [--faults F]
(range/run.py starts moto and this proxy together; that is the usual entry point.)
See range/README.md for the fault and scenario formats and the control API.
"""

from __future__ import annotations

import argparse
import email.utils
import http.client
import http.server
import importlib.util
import json
import os
import random
import re
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid

_HERE = os.path.dirname(os.path.abspath(__file__))


# Held while an Auto Scaling change is forwarded to moto (RangeHandler._proxy).
AUTOSCALING_CHANGES = threading.Lock()


def _sibling(name: str):
    """Load range/<name>.py by path under a private module name (range/moto.py would otherwise
    shadow the moto package, and `range` is a builtin)."""
    modname = "cordon_range_" + name
    mod = sys.modules.get(modname)
    if mod is None:
        spec = importlib.util.spec_from_file_location(modname, os.path.join(_HERE, name + ".py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[modname] = mod
        spec.loader.exec_module(mod)
    return mod


scenario_mod = _sibling("scenario")
shared_snapshots = _sibling("shared_snapshots")
SharedSnapshots = shared_snapshots.SharedSnapshots
conntrack = _sibling("conntrack")
asg_states = _sibling("asg_states")
eni_groups = _sibling("eni_groups")
network_acls = _sibling("network_acls")
guardduty = _sibling("guardduty")
inspector = _sibling("inspector")
ebs_direct = _sibling("ebs_direct")
snapshot_lag = _sibling("snapshot_lag")
snapshot_locks = _sibling("snapshot_locks")
secure_transport = _sibling("secure_transport")
tls = _sibling("tls")
sso = _sibling("sso")
iam_quotas = _sibling("iam_quotas")
organizations = _sibling("organizations")
sts_roles = _sibling("sts_roles")
ec2_repeats = _sibling("ec2_repeats")
Scenario = scenario_mod.Scenario
ApiError = scenario_mod.ApiError
ScenarioError = scenario_mod.ScenarioError

HOST = "127.0.0.1"
CHUNK = 64 * 1024
BUFFER_LIMIT = 16 * 1024 * 1024  # form/JSON request bodies up to this size are read whole
REQUEST_LOG_LIMIT = 50000  # the request log keeps the newest this many requests
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
              "proxy-authenticate", "proxy-authorization",
              "x-range-bookkeeping"}  # organizations.BOOKKEEPING_HEADER: the range's own lookups only

CLOUDTRAIL_TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"
TARGET_SERVICES = {  # X-Amz-Target prefix -> service, for requests without a credential scope
    "CloudTrail_20131101": "cloudtrail",
    CLOUDTRAIL_TARGET_PREFIX: "cloudtrail",
    "AmazonSSM": "ssm",
    "Logs_20140328": "logs",
    "AWSEvents": "events",
    "DynamoDB_20120810": "dynamodb",
    "TrentService": "kms",
    "secretsmanager": "secretsmanager",
    "GuardDutyAPIService": "guardduty",
    "StarlingDoveService": "config",
    "AWSSecurityTokenServiceV20110615": "sts",
}


# =============================================================================================
# Classifying a request: service, region, action, protocol

class RequestInfo:
    __slots__ = ("service", "region", "action", "protocol", "params", "version", "path", "query_keys")

    def __init__(self):
        self.service = "unknown"
        self.region = None
        self.action = None
        self.protocol = "rest-json"
        self.params = None     # parsed JSON body (json protocol) or form/query dict
        self.version = None    # query protocol API version
        self.path = None       # the request target's path, without the query
        self.query_keys = []   # the query's parameter names (never their values: a presigned URL's are secret)


_CRED_RE = re.compile(r"Credential=([^,\s]+)")


def _credential_scope(headers, query: dict):
    auth = headers.get("Authorization") or ""
    m = _CRED_RE.search(auth)
    cred = m.group(1) if m else (query.get("X-Amz-Credential") or [None])[0]
    if not cred:
        return None, None
    parts = cred.split("/")
    if len(parts) >= 5:
        return parts[-3], parts[-2]  # region, service
    return None, None


def s3_operation(method: str, path: str, query: dict) -> str:
    """The S3 operation name for a path-style request (best effort, used for stats and filters)."""
    parts = path.lstrip("/").split("/", 1)
    bucket = parts[0] if parts and parts[0] else None
    key = parts[1] if len(parts) > 1 and parts[1] else None
    q = set(query)
    if bucket is None:
        return "ListBuckets" if method == "GET" else method
    if key is None:
        sub = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method)
        for name, op in (("policy", "BucketPolicy"), ("tagging", "BucketTagging"),
                         ("acl", "BucketAcl"), ("versioning", "BucketVersioning"),
                         ("encryption", "BucketEncryption"), ("lifecycle", "BucketLifecycleConfiguration"),
                         ("logging", "BucketLogging"), ("notification", "BucketNotificationConfiguration"),
                         ("object-lock", "ObjectLockConfiguration"), ("publicAccessBlock", "PublicAccessBlock"),
                         ("ownershipControls", "BucketOwnershipControls"), ("cors", "BucketCors"),
                         ("location", "BucketLocation"), ("website", "BucketWebsite"),
                         ("replication", "BucketReplication")):
            if name in q and sub:
                return sub + op
        if method == "POST" and "delete" in q:
            return "DeleteObjects"
        if method == "GET" and "uploads" in q:
            return "ListMultipartUploads"
        if method == "GET" and "versions" in q:
            return "ListObjectVersions"
        if method == "GET":
            return "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects"
        return {"PUT": "CreateBucket", "HEAD": "HeadBucket", "DELETE": "DeleteBucket"}.get(method, method)
    if "uploads" in q and method == "POST":
        return "CreateMultipartUpload"
    if "uploadId" in q:
        return {"PUT": "UploadPart", "POST": "CompleteMultipartUpload",
                "DELETE": "AbortMultipartUpload", "GET": "ListParts"}.get(method, method)
    for name, op in (("tagging", "ObjectTagging"), ("acl", "ObjectAcl"), ("retention", "ObjectRetention"),
                     ("legal-hold", "ObjectLegalHold"), ("attributes", "ObjectAttributes")):
        if name in q:
            return {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method) + op
    return {"GET": "GetObject", "PUT": "PutObject", "HEAD": "HeadObject",
            "DELETE": "DeleteObject", "POST": "PostObject"}.get(method, method)


def classify(method: str, raw_path: str, headers, body: bytes | None) -> RequestInfo:
    info = RequestInfo()
    split = urllib.parse.urlsplit(raw_path)
    query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
    info.region, service = _credential_scope(headers, query)
    info.path, info.query_keys = split.path, sorted(query)
    target = headers.get("X-Amz-Target")
    ctype = (headers.get("Content-Type") or "").lower()
    form = None
    if body is not None and "x-www-form-urlencoded" in ctype:
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            form = None
    if target:
        prefix, _, action = target.rpartition(".")
        info.action = action or target
        info.protocol = "json"
        if not service:
            service = TARGET_SERVICES.get(prefix) or TARGET_SERVICES.get(prefix.split(".")[-1])
        if body:
            try:
                info.params = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                info.params = None
        elif body is not None:
            info.params = {}
    else:
        params = form if form and "Action" in form else (query if "Action" in query else None)
        sso_op = sso.operation(method, split.path, headers) if service is None and params is None else None
        if sso_op is not None:
            service, info.action = sso_op  # unsigned; params stay None: the request holds tokens
        elif params is not None:
            info.action = params["Action"][0]
            info.version = (params.get("Version") or [None])[0]
            info.params = {k: v[0] for k, v in params.items()}
            info.protocol = "ec2" if service == "ec2" else "query"
        elif service in (None, "s3"):
            service = "s3"
            info.protocol = "s3"
            info.action = s3_operation(method, urllib.parse.unquote(split.path), query)
        else:
            info.protocol = "rest-json"
            info.action = method
            if service == "guardduty":
                info.action = guardduty.operation(method, split.path) or method
            elif service == "inspector2":
                info.action = inspector.operation(method, split.path) or method
            elif service == "ebs":
                info.action = ebs_direct.operation(method, split.path) or method
    if service == "ec2" and info.protocol == "query":
        info.protocol = "ec2"
    info.service = service or "unknown"
    return info


# =============================================================================================
# Error answers in each protocol's shape

def _xml_escape(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


HTML_BODIES = {
    500: ("<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
          "<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n"),
    502: ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
          "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"),
    503: ("<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
          "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"),
    504: ("<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
          "<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n"),
}

# (kind, protocol) -> (status, code, message)
ERROR_DEFAULTS = {
    ("throttle", "ec2"): (503, "RequestLimitExceeded", "Request limit exceeded."),
    ("throttle", "query"): (400, "Throttling", "Rate exceeded"),
    ("throttle", "json"): (400, "ThrottlingException", "Rate exceeded"),
    ("throttle", "rest-json"): (429, "ThrottlingException", "Rate exceeded"),
    ("throttle", "s3"): (503, "SlowDown", "Please reduce your request rate."),
    ("http500", "ec2"): (500, "InternalError", "An internal error has occurred"),
    ("http500", "query"): (500, "InternalFailure", "An internal error occurred."),
    ("http500", "json"): (500, "InternalFailure", "An internal error occurred."),
    ("http500", "rest-json"): (500, "InternalFailure", "An internal error occurred."),
    ("http500", "s3"): (500, "InternalError", "We encountered an internal error. Please try again."),
    ("http503", "ec2"): (503, "Unavailable", "The server is overloaded and can't handle the request."),
    ("http503", "query"): (503, "ServiceUnavailable", "Service is unavailable."),
    ("http503", "json"): (503, "ServiceUnavailableException", "Service is unavailable."),
    ("http503", "rest-json"): (503, "ServiceUnavailableException", "Service is unavailable."),
    ("http503", "s3"): (503, "ServiceUnavailable", "Service is unable to handle request."),
}


def aws_error(info: RequestInfo, status: int, code: str, message: str, json_content_type=None):
    """(status, [(header, value)], body) for an AWS error in the protocol of `info`."""
    rid = str(uuid.uuid4())
    p = info.protocol
    if p == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>%s</Code>'
                '<Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>'
                % (_xml_escape(code), _xml_escape(message), rid))
        headers = [("Content-Type", "text/xml;charset=UTF-8")]
    elif p == "query":
        ns = ' xmlns="https://%s.amazonaws.com/doc/%s/"' % (info.service, info.version) if info.version else ""
        kind = "Sender" if status < 500 else "Receiver"
        body = ('<ErrorResponse%s>\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n'
                '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
                % (ns, kind, _xml_escape(code), _xml_escape(message), rid))
        headers = [("x-amzn-RequestId", rid), ("Content-Type", "text/xml")]
    elif p == "s3":
        host_id = uuid.uuid4().hex
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
                '<RequestId>%s</RequestId><HostId>%s</HostId></Error>'
                % (_xml_escape(code), _xml_escape(message), rid[:16].upper(), host_id))
        headers = [("x-amz-request-id", rid[:16].upper()), ("x-amz-id-2", host_id),
                   ("Content-Type", "application/xml")]
    else:  # json, rest-json
        body = json.dumps({"__type": code, "message": message})
        ctype = json_content_type or ("application/x-amz-json-1.1" if p == "json" else "application/json")
        headers = [("x-amzn-RequestId", rid), ("x-amzn-ErrorType", code), ("Content-Type", ctype)]
    return status, headers, body.encode("utf-8")


# =============================================================================================
# Fault schedule

FAULT_KINDS = ("throttle", "http500", "http503", "latency", "reset", "pending", "bucket")
TERMINAL_KINDS = ("throttle", "http500", "http503", "reset", "bucket")
RULE_KEYS = {"kind", "service", "action", "probability", "every", "requests", "max", "seed",
             "ms", "jitter_ms", "status", "code", "message", "body", "html_probability", "how",
             "describes", "scope", "name", "error_volumes", "error_message", "error_count",
             "capacity", "rate", "per", "after"}
# The kinds that may fire after the request reached moto (`after: true`): the answer is lost.
AFTER_KINDS = ("throttle", "http500", "http503", "reset")


def _str_set(v, what):
    if v is None:
        return None
    if isinstance(v, str):
        return {v}
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return set(v)
    raise ValueError(f"{what} must be a string or a list of strings")


class FaultRule:
    def __init__(self, spec: dict, index: int, seed):
        if not isinstance(spec, dict):
            raise ValueError(f"rule #{index} is not an object")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise ValueError(f"rule #{index}: unknown keys {sorted(unknown)}")
        self.spec = dict(spec)
        self.kind = spec.get("kind")
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"rule #{index}: kind must be one of {', '.join(FAULT_KINDS)}")
        self.name = spec.get("name") or f"{index}:{self.kind}"
        self.services = _str_set(spec.get("service"), "service")
        self.actions = _str_set(spec.get("action"), "action")
        self.probability = spec.get("probability")
        if self.probability is not None and not (isinstance(self.probability, (int, float))
                                                 and 0 <= self.probability <= 1):
            raise ValueError(f"rule #{index}: probability must be between 0 and 1")
        self.every = spec.get("every")
        if self.every is not None and not (isinstance(self.every, int) and self.every >= 1):
            raise ValueError(f"rule #{index}: every must be a positive integer")
        reqs = spec.get("requests")
        if reqs is not None and not (isinstance(reqs, list) and all(isinstance(x, int) for x in reqs)):
            raise ValueError(f"rule #{index}: requests must be a list of integers (1-based)")
        self.requests = set(reqs) if reqs is not None else None
        self.max = spec.get("max")
        self.ms = spec.get("ms", 0)
        self.jitter_ms = spec.get("jitter_ms", 0)
        if self.kind == "latency" and not (isinstance(self.ms, (int, float)) and self.ms >= 0):
            raise ValueError(f"rule #{index}: latency needs ms >= 0")
        self.body = spec.get("body", "mixed" if self.kind == "http503" else "aws")
        if self.body not in ("aws", "html", "empty", "mixed"):
            raise ValueError(f"rule #{index}: body must be aws, html, empty or mixed")
        self.html_probability = float(spec.get("html_probability", 0.5))
        self.how = spec.get("how", "rst")
        if self.how not in ("rst", "fin"):
            raise ValueError(f"rule #{index}: how must be rst or fin")
        self.describes = int(spec.get("describes", 2))
        self.scope = spec.get("scope", "created")
        if self.scope not in ("created", "all"):
            raise ValueError(f"rule #{index}: scope must be created or all")
        self.error_volumes = _str_set(spec.get("error_volumes"), "error_volumes") or set()
        self.error_message = str(spec.get("error_message", "The snapshot failed (range: error_volumes)."))
        self.error_count = spec.get("error_count", 1)
        if not (isinstance(self.error_count, int) and self.error_count >= 1):
            raise ValueError(f"rule #{index}: error_count must be a positive integer")
        self.capacity, self.rate, self.per = spec.get("capacity"), spec.get("rate"), spec.get("per", "action")
        if self.kind == "bucket":
            if not (isinstance(self.capacity, (int, float)) and self.capacity >= 1):
                raise ValueError(f"rule #{index}: bucket needs capacity >= 1 (tokens)")
            if not (isinstance(self.rate, (int, float)) and self.rate > 0):
                raise ValueError(f"rule #{index}: bucket needs rate > 0 (tokens refilled a second)")
            if self.per not in ("action", "service"):
                raise ValueError(f"rule #{index}: per must be action or service")
        self.after = spec.get("after", False)
        if not isinstance(self.after, bool):
            raise ValueError(f"rule #{index}: after must be true or false")
        if self.after and self.kind not in AFTER_KINDS:
            raise ValueError(f"rule #{index}: after is for {', '.join(AFTER_KINDS)} only")
        self.buckets = {}  # bucket rules: (service, action) or service -> [tokens, time of last refill]
        rule_seed = spec.get("seed", f"{seed}:{index}")
        self.rng = random.Random(str(rule_seed))
        self.seen = 0
        self.fired = 0

    def matches(self, info: RequestInfo) -> bool:
        if self.services is not None and info.service not in self.services:
            return False
        if self.actions is not None and info.action not in self.actions:
            return False
        return True

    def decide(self) -> bool:
        """Called for each matching request, in order; counts it and says whether to fire."""
        self.seen += 1
        if self.requests is not None:
            fire = self.seen in self.requests
        elif self.every is not None:
            fire = self.seen % self.every == 0
        elif self.probability is not None:
            fire = self.rng.random() < self.probability
        else:
            fire = True
        if fire and self.max is not None and self.fired >= self.max:
            fire = False
        if fire:
            self.fired += 1
        return fire

    def take_token(self, info: RequestInfo, now: float) -> bool:
        """For a bucket rule: takes a token for this request; says whether it is throttled instead.

        EC2's request throttling as "Request throttling for the Amazon EC2 API" describes it
        (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): a bucket per API
        action (`per: action`, the default) holding up to `capacity` tokens, refilled at `rate` tokens a
        second; each request takes one, and a request that finds the bucket empty fails with
        RequestLimitExceeded (taking none)."""
        self.seen += 1
        key = (info.service, info.action) if self.per == "action" else info.service
        tokens, last = self.buckets.get(key, (float(self.capacity), now))
        tokens = min(float(self.capacity), tokens + (now - last) * self.rate)
        throttled = tokens < 1
        if not throttled:
            tokens -= 1
        self.buckets[key] = (tokens, now)
        if throttled:
            self.fired += 1
        return throttled

    def delay_seconds(self) -> float:
        jitter = self.rng.uniform(0, self.jitter_ms) if self.jitter_ms else 0
        return (self.ms + jitter) / 1000.0

    def describe(self) -> dict:
        d = dict(self.spec)
        d.update({"name": self.name, "seen": self.seen, "fired": self.fired})
        return d


class FaultPlan:
    def __init__(self, config=None):
        if config is None:
            config = {}
        if isinstance(config, list):
            config = {"rules": config}
        if not isinstance(config, dict):
            raise ValueError("a fault configuration is an object {\"seed\": ..., \"rules\": [...]}")
        unknown = set(config) - {"seed", "rules", "description"}
        if unknown:
            raise ValueError(f"unknown fault configuration keys: {sorted(unknown)}")
        self.config = config
        self.seed = config.get("seed", 0)
        self.rules = [FaultRule(r, i, self.seed) for i, r in enumerate(config.get("rules") or [])]

    @classmethod
    def load(cls, path: str) -> "FaultPlan":
        with open(path) as f:
            return cls(json.load(f))

    def pending_rule(self):
        for r in self.rules:
            if r.kind == "pending":
                return r
        return None


# =============================================================================================
# Shared state: faults, scenario, stats, pending snapshots

_SNAP_ID_RE = re.compile(rb"<snapshotId>(snap-[0-9a-zA-Z]+)</snapshotId>")
_VOL_ID_RE = re.compile(rb"<volumeId>(vol-[0-9a-zA-Z]+)</volumeId>")
_ITEM_TAG_RE = re.compile(rb"<(/?)item(\s*/?)>")


def _iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def _top_level_items(body: bytes, start: int, end: int):
    """(start, end) of each top-level <item>...</item> between start and end."""
    depth, item_start, out = 0, None, []
    for m in _ITEM_TAG_RE.finditer(body, start, end):
        closing, selfclose = m.group(1) == b"/", b"/" in m.group(2)
        if selfclose:
            continue
        if not closing:
            if depth == 0:
                item_start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and item_start is not None:
                out.append((item_start, m.end()))
                item_start = None
    return out


class RangeState:
    def __init__(self, upstream: str, scenario=None, faults=None):
        u = urllib.parse.urlsplit(upstream)
        if u.scheme != "http" or not u.hostname:
            raise ValueError(f"upstream must be http://HOST:PORT, got {upstream!r}")
        self.upstream = upstream.rstrip("/")
        self.upstream_host = u.hostname
        self.upstream_port = u.port or 80
        self.lock = threading.Lock()
        self.scenario = scenario if scenario is not None else Scenario()
        self.plan = faults if faults is not None else FaultPlan()
        self.reset_stats()
        self.snapshots_created = set()
        self.snapshot_describes = {}
        self.snapshot_errors = {}  # snapshot id -> StateMessage: it ends in `error` (pending error_volumes)
        self.volumes_failed = {}  # volume id -> how many of its snapshots were made to fail
        self.snapshot_completed = {}  # snapshot id -> completionTime, of snapshots the range held pending
        self.shared = SharedSnapshots(self.upstream_host, self.upstream_port)
        self.ebs = ebs_direct.EbsDirect()
        self.snapshot_lag = snapshot_lag.SnapshotLag()
        self.locks = snapshot_locks.SnapshotLocks(self.upstream_host, self.upstream_port)
        self.tokens = ec2_repeats.ClientTokens()  # EC2 ClientToken idempotency (range/ec2_repeats.py)
        self.sso = sso.SsoEmulation((self.upstream_host, self.upstream_port))
        self.conntrack = conntrack.ConntrackTimeouts((self.upstream_host, self.upstream_port), shared_snapshots)
        self.sts_roles = sts_roles.RolesMustExist((self.upstream_host, self.upstream_port), organizations)
        self.requests = []  # the request log: GET /__range/requests
        self.request_seq = 0
        # aws:SecureTransport in bucket policies (range/secure_transport.py): with the HTTPS listener only
        self.transport = None

    # ---- stats --------------------------------------------------------------------------------
    def reset_stats(self):
        with self.lock:
            self.stats = {"requests": 0, "faults": {}, "served": {"moto": 0, "range": 0, "fault": 0},
                          "pending_rewrites": 0, "operations": {}}

    def _op(self, info):
        ops = self.stats["operations"].setdefault(info.service, {})
        return ops.setdefault(info.action or "?", {"requests": 0, "faults": {}, "served_by_range": 0})

    def count_request(self, info):
        with self.lock:
            self.stats["requests"] += 1
            self._op(info)["requests"] += 1

    def count_fault(self, info, kind):
        with self.lock:
            self.stats["faults"][kind] = self.stats["faults"].get(kind, 0) + 1
            f = self._op(info)["faults"]
            f[kind] = f.get(kind, 0) + 1

    def count_served(self, info, by):
        with self.lock:
            self.stats["served"][by] += 1
            if by == "range":
                self._op(info)["served_by_range"] += 1

    def log_request(self, info, fault):
        """One request log entry: service, action, the parsed parameters, the fault it got."""
        with self.lock:
            self.request_seq += 1
            self.requests.append({"seq": self.request_seq, "time": time.time(), "service": info.service,
                                  "action": info.action,
                                  "params": info.params if isinstance(info.params, dict) else None,
                                  "path": info.path, "query": info.query_keys, "fault": fault})
            if len(self.requests) > REQUEST_LOG_LIMIT:
                del self.requests[:len(self.requests) - REQUEST_LOG_LIMIT]

    def request_log(self, service=None, action=None):
        with self.lock:
            return [r for r in self.requests
                    if (service is None or r["service"] == service) and (action is None or r["action"] == action)]

    def clear_request_log(self):
        with self.lock:
            self.requests = []

    def stats_snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.stats))

    # ---- faults -------------------------------------------------------------------------------
    def set_plan(self, plan):
        with self.lock:
            self.plan = plan
            self.snapshot_describes = {}

    def decide(self, info):
        """(delay_seconds, terminal_rule or None) for this request."""
        delay, terminal, latency_hits = 0.0, None, 0
        with self.lock:
            for r in self.plan.rules:
                if r.kind == "pending" or not r.matches(info):
                    continue
                if r.kind == "latency":
                    if r.decide():
                        delay += r.delay_seconds()
                        latency_hits += 1
                elif terminal is None and r.kind == "bucket":
                    if r.take_token(info, time.monotonic()):
                        terminal = r
                elif terminal is None and r.decide():
                    terminal = r
        for _ in range(latency_hits):
            self.count_fault(info, "latency")
        return delay, terminal

    # ---- pending snapshots --------------------------------------------------------------------
    def note_created_snapshots(self, body: bytes) -> None:
        ids = {m.group(1).decode() for m in _SNAP_ID_RE.finditer(body)}
        with self.lock:
            self.snapshots_created |= ids
            rule = self.plan.pending_rule()
            if rule is None or not rule.error_volumes:
                return
            # The first error_count snapshots the range sees made of an error_volumes volume fail;
            # later ones (a retry) complete. CreateSnapshots answers one <item> per volume, CreateSnapshot one pair.
            start, end = body.find(b"<snapshotSet>"), body.rfind(b"</snapshotSet>")
            chunks = ([body[a:b] for a, b in _top_level_items(body, start, end)] if start >= 0 and end >= 0
                      else [body])
            for chunk in chunks:
                snap, vol = _SNAP_ID_RE.search(chunk), _VOL_ID_RE.search(chunk)
                if not snap or not vol:
                    continue
                vol_id = vol.group(1).decode()
                if vol_id in rule.error_volumes and self.volumes_failed.get(vol_id, 0) < rule.error_count:
                    self.volumes_failed[vol_id] = self.volumes_failed.get(vol_id, 0) + 1
                    self.snapshot_errors[snap.group(1).decode()] = rule.error_message

    def rewrite_create_snapshot(self, body: bytes) -> bytes:
        with self.lock:
            rule = self.plan.pending_rule()
        if rule is None or rule.describes <= 0:
            return body
        body = body.replace(b"<status>completed</status>", b"<status>pending</status>", 1)
        return body.replace(b"<progress>100%</progress>", b"<progress></progress>", 1)

    def rewrite_describe_snapshots(self, body: bytes) -> bytes:
        with self.lock:
            rule = self.plan.pending_rule()
        if rule is None or (rule.describes <= 0 and not rule.error_volumes):
            return body
        set_start = body.find(b"<snapshotSet>")
        set_end = body.rfind(b"</snapshotSet>")
        if set_start < 0 or set_end < 0:
            return body
        k = rule.describes
        pieces, pos, rewrites, changed = [], 0, 0, 0
        for a, b in _top_level_items(body, set_start, set_end):
            item = body[a:b]
            m = _SNAP_ID_RE.search(item)
            if not m:
                continue
            sid = m.group(1).decode()
            with self.lock:
                if rule.scope == "created" and sid not in self.snapshots_created:
                    continue
                n = self.snapshot_describes.get(sid, 0) + 1
                self.snapshot_describes[sid] = n
                error = self.snapshot_errors.get(sid)
                if n > k and error is None and k > 0:
                    self.snapshot_completed.setdefault(sid, _iso_now())
                completed_at = self.snapshot_completed.get(sid)
            if b"<status>completed</status>" not in item:
                continue
            if n > k and error is None:
                if completed_at is None or b"<completionTime>" in item:
                    continue
                # EC2 reports when a snapshot completed (Snapshot.CompletionTime); moto does not.
                new = item.replace(b"<status>completed</status>",
                                   b"<status>completed</status><completionTime>%s</completionTime>"
                                   % completed_at.encode(), 1)
                rewrites -= 1  # not a fault: the snapshot is completed
            elif n > k:
                new = item.replace(b"<status>completed</status>", b"<status>error</status><statusMessage>%s"
                                   b"</statusMessage>" % _xml_escape(error).encode(), 1)
            else:
                pct = (100 * n) // (k + 1)
                new = item.replace(b"<status>completed</status>", b"<status>pending</status>", 1)
                new = re.sub(rb"<progress>[^<]*</progress>", b"<progress>%d%%</progress>" % pct, new, count=1)
            pieces.append(body[pos:a])
            pieces.append(new)
            pos = b
            rewrites += 1
            changed += 1
        if not changed:
            return body
        pieces.append(body[pos:])
        with self.lock:
            self.stats["pending_rewrites"] += rewrites
            self.stats["faults"]["pending"] = self.stats["faults"].get("pending", 0) + rewrites
        return b"".join(pieces)

    def reset(self):
        """Counters, schedules (RNGs re-seeded), pending snapshots, SSM command tracking."""
        with self.lock:
            self.plan = FaultPlan(self.plan.config)
            self.snapshots_created = set()
            self.snapshot_describes = {}
            self.snapshot_errors = {}
            self.volumes_failed = {}
            self.snapshot_completed = {}
        self.shared.reset()
        self.ebs.reset()
        self.snapshot_lag.reset()
        self.locks.reset()
        self.tokens.reset()
        self.conntrack.reset()
        self.sts_roles.reset()
        if self.transport is not None:
            self.transport.reset()
        self.sso.reset()
        self.scenario.reset_state()
        self.reset_stats()
        self.clear_request_log()


# =============================================================================================
# HTTP handling

class _BodyReader:
    """Reads a request body from the client: Content-Length, or chunked passed on raw."""

    def __init__(self, rfile, headers):
        self.rfile = rfile
        te = (headers.get("Transfer-Encoding") or "").lower()
        self.chunked = "chunked" in te
        cl = headers.get("Content-Length")
        self.length = None
        if not self.chunked:
            self.length = int(cl) if cl and cl.strip().isdigit() else 0
        self.done = False

    def read_all(self) -> bytes:
        return b"".join(self.iter_raw())

    def iter_raw(self):
        """Yields the body as it is on the wire (chunk framing included when chunked)."""
        if self.done:
            return
        self.done = True
        if not self.chunked:
            left = self.length
            while left > 0:
                data = self.rfile.read(min(CHUNK, left))
                if not data:
                    raise ConnectionError("client closed during the request body")
                left -= len(data)
                yield data
            return
        while True:
            line = self.rfile.readline(65537)
            if not line:
                raise ConnectionError("client closed during a chunked body")
            yield line
            size = int(line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers, then the blank line
                    t = self.rfile.readline(65537)
                    if not t:
                        raise ConnectionError("client closed during chunk trailers")
                    yield t
                    if t in (b"\r\n", b"\n"):
                        return
            left = size + 2  # data and its CRLF
            while left > 0:
                data = self.rfile.read(min(CHUNK, left))
                if not data:
                    raise ConnectionError("client closed during a chunk")
                left -= len(data)
                yield data

    def drain(self):
        for _ in self.iter_raw():
            pass

    def decoded(self, raw: bytes) -> bytes:
        """The payload of a raw chunked body read whole."""
        if not self.chunked:
            return raw
        out, pos = [], 0
        while True:
            eol = raw.index(b"\r\n", pos)
            size = int(raw[pos:eol].split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                return b"".join(out)
            out.append(raw[eol + 2:eol + 2 + size])
            pos = eol + 2 + size + 2


class RangeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cordon-range"
    timeout = 300  # an idle keep-alive connection ends after this

    # every method goes the same way
    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    @property
    def state(self) -> RangeState:
        return self.server.state

    def setup(self):
        # The HTTPS listener's handshake, here in the connection's own thread, not in accept().
        super().setup()
        self.tls_failed = False
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError) as e:
                self.tls_failed = True
                self.log_message("TLS handshake failed: %s", e)

    def handle(self):
        if not self.tls_failed:
            super().handle()

    def log_message(self, fmt, *args):
        if getattr(self.server, "verbose", False):
            sys.stderr.write("range %s %s\n" % (self.address_string(), fmt % args))

    # ---- the main path ------------------------------------------------------------------------
    def _handle(self):
        self._after_fault = None  # (info, rule) of an `after` fault that replaces this answer
        try:
            if self.path.startswith("/__range/") or self.path == "/__range":
                return self._control()
            self._proxy()
        except (BrokenPipeError, ConnectionResetError, ConnectionError, socket.timeout, ssl.SSLError):
            self.close_connection = True
        except Exception:  # a bug in the range: say so on stderr, drop this connection
            import traceback
            sys.stderr.write("cordon range: error handling %s %s\n%s"
                             % (self.command, self.path, traceback.format_exc()))
            self.close_connection = True

    def _proxy(self):
        reader = _BodyReader(self.rfile, self.headers)
        ctype = (self.headers.get("Content-Type") or "").lower()
        small = reader.length is not None and reader.length <= BUFFER_LIMIT
        body = None
        if small and ("x-www-form-urlencoded" in ctype or "json" in ctype or reader.length <= CHUNK
                      or self.headers.get("X-Amz-Target")):
            body = reader.read_all()
        info = classify(self.command, self.path, self.headers, body)
        st = self.state
        st.count_request(info)

        delay, rule = st.decide(info)
        st.log_request(info, rule.kind if rule is not None else None)
        if delay > 0:
            time.sleep(delay)
        if rule is not None and rule.after:
            # The request goes on to moto (or the range) and takes effect; the answer is replaced by
            # the fault where it would have been sent (_send, _relay).
            st.count_fault(info, rule.kind)
            self._after_fault = (info, rule)
        elif rule is not None:
            st.count_fault(info, rule.kind)
            st.count_served(info, "fault")
            if rule.kind == "reset":
                return self._reset_connection(rule.how)
            if body is None:
                reader.drain()
            return self._send_fault(info, rule)

        if info.service == "s3" and st.transport is not None and self._secure_transport(info, reader, body):
            return

        if info.service == "cloudtrail" and info.action == "LookupEvents":
            return self._serve_json(info, lambda p: st.scenario.lookup_events(p, info.region))
        if info.service == "ssm" and info.action == "DescribeInstanceInformation":
            return self._serve_json(info, st.scenario.describe_instance_information)
        if info.service == "ssm" and info.action == "GetCommandInvocation" and isinstance(info.params, dict):
            try:
                answer = st.scenario.get_command_invocation(info.params)
            except ApiError as e:
                st.count_served(info, "range")
                return self._send(*aws_error(info, e.status, e.code, e.message, self._json_ctype()))
            if answer is not None:
                st.count_served(info, "range")
                return self._send_json_ok(answer)

        if info.service in ("sso", "sso-oidc") and info.action in ("GetRoleCredentials", "CreateToken"):
            if body is None:
                reader.drain()
            st.count_served(info, "range")
            return self._send(*st.sso.serve(info.action, self.path, self.headers, body))

        if info.service == "guardduty" and info.action == "GetFindings":
            if body is None:
                reader.drain()
            return self._serve_get_findings(info, body)

        if info.service == "inspector2" and info.action == "ListFindings":
            if body is None:
                reader.drain()
            return self._serve_list_findings(info, body)

        if info.service == "ebs" and info.action in ("ListSnapshotBlocks", "GetSnapshotBlock"):
            split = urllib.parse.urlsplit(self.path)
            if st.ebs.knows(split.path):
                if body is None:
                    reader.drain()
                st.count_served(info, "range")
                return self._send(*st.ebs.serve(split.path, split.query))

        if info.service == "ec2" and info.action in snapshot_locks.ACTIONS and isinstance(info.params, dict):
            if self._serve_snapshot_lock(info):
                return

        token = info.service == "ec2" and ec2_repeats.has_token(info.action, info.params)
        if token:  # a repeat of a request with a ClientToken: the first answer (range/ec2_repeats.py)
            served = st.tokens.repeat(self.headers, info.params)
            if served is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                if len(served) == 3:
                    return self._send(*aws_error(info, *served))
                return self._send(served[0], [("Content-Type", "text/xml;charset=UTF-8")], served[1])

        if info.service == "ec2" and info.action == "AttachVolume" and isinstance(info.params, dict):
            refused = ec2_repeats.refuse_attach(self._ec2_bookkeeping, info.params)
            if refused is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                return self._send(*aws_error(info, *refused))

        if (info.service == "ec2" and info.action == "CreateVolume" and isinstance(info.params, dict)
                and info.params.get("SnapshotId")):
            served = st.shared.serve_create_volume(self.headers, info.params)
            if served is not None:
                st.count_served(info, "range")
                if token:
                    st.tokens.remember(self.headers, info.params, served[0], served[1])
                return self._send(served[0], [("Content-Type", "text/xml;charset=UTF-8")], served[1])

        if (info.service == "ec2" and info.action == "ModifyNetworkInterfaceAttribute"
                and isinstance(info.params, dict) and conntrack.is_conntrack_call(info.params)):
            st.count_served(info, "range")
            served = st.conntrack.serve_modify(self.headers, info.params)
            if len(served) == 3:
                return self._send(*aws_error(info, *served))
            return self._send(served[0], [("Content-Type", "text/xml;charset=UTF-8")], served[1])

        if info.service == "ec2" and info.action == "ModifyInstanceAttribute" and isinstance(info.params, dict):
            refused = eni_groups.refuse_instance_groups(self._ec2_bookkeeping, info.params)
            if refused is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                return self._send(*aws_error(info, *refused))

        if info.service == "autoscaling" and info.action in asg_states.ACTIONS and isinstance(info.params, dict):
            with AUTOSCALING_CHANGES:  # read and change under one lock (see below)
                refused = asg_states.refuse(self._asg_bookkeeping, info.action, info.params)
            if refused is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                return self._send(*aws_error(info, *refused))

        if (info.service == "ec2" and info.action == "ReplaceNetworkAclAssociation"
                and isinstance(info.params, dict)):
            refused = network_acls.check_replace(info.params, lambda p: shared_snapshots._post(
                (st.upstream_host, st.upstream_port), shared_snapshots._auth_for(self.headers, "ec2"),
                {"Action": "DescribeNetworkAcls", "Version": "2016-11-15", **p}))
            if refused is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                return self._send(*aws_error(info, *refused))

        if info.service == "iam" and info.action == "PutRolePolicy" and isinstance(info.params, dict):
            return self._put_role_policy(reader, body, info)

        if info.service == "organizations" and info.action == "ListAccounts" and isinstance(info.params, dict):
            if body is None:
                reader.drain()
            st.count_served(info, "range")
            upstream = (st.upstream_host, st.upstream_port)
            refused = organizations.caller_refused(upstream, self.path, self.headers, body)
            if refused is not None:
                return self._send(*aws_error(info, *refused))
            served = organizations.serve_list_accounts(upstream, self.headers, info.params)
            return self._send_json_ok(served[1]) if served[0] == 200 else self._send(*aws_error(info, *served))

        if info.service == "sts" and info.action == "AssumeRole" and isinstance(info.params, dict):
            refused = st.sts_roles.check(self.headers, info.params)
            if refused is not None:
                if body is None:
                    reader.drain()
                st.count_served(info, "range")
                return self._send(*aws_error(info, *refused))

        capture = None
        if info.service == "ec2" and info.action in ("DescribeNetworkAcls", "CreateNetworkAcl"):
            capture = "NetworkAcls"  # the "*" deny rules moto leaves out of custom network ACLs
        elif info.service == "ec2" and info.action in ("DescribeNetworkInterfaces", "DescribeInstances"):
            capture = info.action  # connection-tracking timeouts, instance states
        elif info.service == "ec2" and info.action == "DescribeVolumes" and st.shared.volumes:
            capture = info.action
        elif info.service == "ec2" and info.action in ("DescribeSnapshots", "CreateSnapshot",
                                                     "CreateSnapshots", "CopySnapshot"):
            capture = info.action
        elif info.service == "ssm" and info.action == "SendCommand" and isinstance(info.params, dict):
            capture = "SendCommand"
        elif (info.service == "ec2" and info.action == "ModifyNetworkInterfaceAttribute"
              and isinstance(info.params, dict)):
            capture = info.action  # the instance's groups follow its primary interface's (eni_groups)
        elif token:
            capture = "ClientToken"  # the answer is kept for a repeat (_forward)
        st.count_served(info, "moto")
        if info.service == "autoscaling" and not (info.action or "").startswith("Describe"):
            # moto's Auto Scaling model is not thread-safe: DetachInstances rewrites the group's
            # instance list from its own read of it, so two at once on one group lose one detach and
            # then launch or terminate to match the capacity (a sibling terminated). Auto Scaling runs
            # a group's activities one at a time; the range forwards its changes one at a time.
            with AUTOSCALING_CHANGES:
                self._forward(reader, body, info, capture)
            return
        self._forward(reader, body, info, capture)

    def _put_role_policy(self, reader, body, info):
        """PutRolePolicy within IAM's quota on a role's inline policies (range/iam_quotas.py)."""
        st = self.state
        auth = shared_snapshots._auth_for(self.headers, "iam")
        with iam_quotas.LOCK:
            refused = iam_quotas.check_put_role_policy(
                info.params, lambda p: shared_snapshots._post((st.upstream_host, st.upstream_port), auth, p))
            if refused is not None:
                st.count_served(info, "range")
                if body is None:
                    reader.drain()
                return self._send(*aws_error(info, *refused))
            st.count_served(info, "moto")
            self._forward(reader, body, info, None)

    def _serve_snapshot_lock(self, info) -> bool:
        """The snapshot lock operations (range/snapshot_locks.py); False for a DeleteSnapshot that may go
        on to moto."""
        st, p = self.state, info.params
        ctype = [("Content-Type", "text/xml;charset=UTF-8")]
        try:
            if info.action == "DeleteSnapshot":
                st.locks.refuse_delete(p)
                return False
            if info.action == "LockSnapshot":
                answer = st.locks.lock_snapshot(self.headers, p)
            elif info.action == "UnlockSnapshot":
                answer = st.locks.unlock_snapshot(p)
            else:
                answer = st.locks.describe_locked_snapshots(p)
        except snapshot_locks.LockError as e:
            st.count_served(info, "range")
            self._send(*aws_error(info, e.status, e.code, e.message))
            return True
        st.count_served(info, "range")
        self._send(200, ctype, answer.encode("utf-8"))
        return True

    def _secure_transport(self, info, reader, body) -> bool:
        """aws:SecureTransport (range/secure_transport.py): True when the request was answered: refused
        (plain HTTP that a statement denies), or one of the bucket policy operations, forwarded so that
        the range follows the policy."""
        st = self.state
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        secure = isinstance(self.connection, ssl.SSLSocket)
        if st.transport.denies(info.action, self.path, query, secure):
            if body is None:
                reader.drain()
            st.count_served(info, "range")
            self._send(*aws_error(info, 403, "AccessDenied", "Access Denied"))
            return True
        if info.action not in ("PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy", "DeleteBucket"):
            return False
        headers, pending = None, None
        if info.action == "PutBucketPolicy":
            raw = body if body is not None else reader.read_all()
            plain = "aws-chunked" not in (self.headers.get("Content-Encoding") or "").lower()
            split = secure_transport.split_policy(reader.decoded(raw) if body is None else raw) if plain else None
            body = raw
            if split is not None:
                body, statements = split
                pending = (reader.decoded(raw) if reader.chunked else raw, statements)
                headers = secure_transport.rewritten_headers(self.headers, body)
        st.count_served(info, "moto")
        self._forward(reader, body, info, (info.action, self.path, pending), headers=headers)
        return True

    def _serve_get_findings(self, info, body):
        """GuardDuty GetFindings from the scenario, for a detector moto has (range/guardduty.py)."""
        st = self.state
        try:
            params = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            params = None
        st.count_served(info, "range")
        detector = urllib.parse.unquote(guardduty.findings_detector(self.command, urllib.parse.urlsplit(self.path).path))
        refused = guardduty.moto_detector_check((st.upstream_host, st.upstream_port), self.headers, detector)
        if refused is not None:
            return self._send(*refused)
        try:
            answer = guardduty.get_findings(st.scenario.guardduty_findings, detector, params)
        except guardduty.GuardDutyError as e:
            body = json.dumps({"__type": e.code, "message": e.message}).encode()
            return self._send(e.status, [("x-amzn-RequestId", str(uuid.uuid4())), ("x-amzn-ErrorType", e.error_type),
                                         ("Content-Type", "application/json")], body)
        body = json.dumps(answer, separators=(",", ":")).encode("utf-8")
        return self._send(200, [("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Type", "application/json")], body)

    def _serve_list_findings(self, info, body):
        """Inspector ListFindings from the scenario (range/inspector.py)."""
        st = self.state
        st.count_served(info, "range")
        try:
            params = json.loads(body.decode("utf-8")) if body else {}
            answer = inspector.list_findings(st.scenario.inspector_findings, info.region, params)
        except (UnicodeDecodeError, ValueError):
            return self._send(400, [("x-amzn-ErrorType", "ValidationException"), ("Content-Type", "application/json")],
                              b'{"message": "The request body is not JSON."}')
        except inspector.InspectorError as e:
            return self._send(e.status, [("x-amzn-RequestId", str(uuid.uuid4())), ("x-amzn-ErrorType", e.code),
                                         ("Content-Type", "application/json")],
                              json.dumps({"message": e.message}).encode())
        return self._send(200, [("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Type", "application/json")],
                          json.dumps(answer, separators=(",", ":")).encode("utf-8"))

    def _json_ctype(self):
        c = self.headers.get("Content-Type") or ""
        return c if c.lower().startswith("application/x-amz-json") else "application/x-amz-json-1.1"

    def _serve_json(self, info, fn):
        self.state.count_served(info, "range")
        params = info.params if isinstance(info.params, dict) else None
        if params is None:
            return self._send(*aws_error(info, 400, "SerializationException",
                                         "The request body is not JSON.", self._json_ctype()))
        try:
            answer = fn(params)
        except ApiError as e:
            return self._send(*aws_error(info, e.status, e.code, e.message, self._json_ctype()))
        return self._send_json_ok(answer)

    def _send_json_ok(self, obj):
        body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        self._send(200, [("x-amzn-RequestId", str(uuid.uuid4())),
                         ("Content-Type", self._json_ctype())], body)

    # ---- answers ------------------------------------------------------------------------------
    def _send(self, status, headers, body: bytes, reason=None):
        if self._lose_answer():
            return
        self.send_response_only(status, reason)
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()

    def _lose_answer(self) -> bool:
        """For an `after` fault: sends the fault instead of the answer about to go out; False if none."""
        pending = self._after_fault
        if pending is None:
            return False
        self._after_fault = None
        info, rule = pending
        if rule.kind == "reset":
            self._reset_connection(rule.how)
        else:
            self._send_fault(info, rule)
        return True

    def _send_fault(self, info, rule):
        kind = "throttle" if rule.kind == "bucket" else rule.kind  # an empty bucket throttles
        status, code, message = ERROR_DEFAULTS[(kind, info.protocol)]
        status = rule.spec.get("status", status)
        code = rule.spec.get("code", code)
        message = rule.spec.get("message", message)
        body_kind = rule.body
        if body_kind == "mixed":
            with self.state.lock:
                body_kind = "html" if rule.rng.random() < rule.html_probability else "aws"
        if body_kind == "html":
            html = HTML_BODIES.get(status) or HTML_BODIES[503 if status >= 503 else 500]
            return self._send(status, [("Content-Type", "text/html")], html.encode())
        if body_kind == "empty":
            return self._send(status, [], b"")
        return self._send(*aws_error(info, status, code, message, self._json_ctype()))

    def _reset_connection(self, how):
        self.close_connection = True
        if how == "rst":
            self.server.mark_reset(self.connection)
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass

    # ---- forwarding to moto -------------------------------------------------------------------
    def _forward(self, reader, body, info, capture, headers=None):
        st = self.state
        conn = http.client.HTTPConnection(st.upstream_host, st.upstream_port, timeout=600)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in (headers if headers is not None else self.headers.items()):
                if k.lower() in HOP_BY_HOP:
                    continue
                conn.putheader(k, v)
            if body is not None:
                conn.endheaders(body if body else None)
            else:
                conn.endheaders()
                for piece in reader.iter_raw():
                    conn.send(piece)
            resp = conn.getresponse()
        except (ConnectionRefusedError, http.client.HTTPException, OSError) as e:
            conn.close()
            if body is None:  # part of a streamed body may still be unread: drop the connection
                self.close_connection = True
            sys.stderr.write(f"cordon range: upstream {st.upstream} failed: {e}\n")
            return self._send(502, [("Content-Type", "text/html")], HTML_BODIES[502].encode())
        try:
            if capture:
                data = resp.read()
                data = self._post_process(capture, body, info, resp.status, data)
                if info.service == "ec2" and ec2_repeats.has_token(info.action, info.params):
                    st.tokens.remember(self.headers, info.params, resp.status, data)
                headers = [(k, v) for k, v in resp.getheaders()
                           if k.lower() not in HOP_BY_HOP and k.lower() not in ("content-length", "transfer-encoding")]
                return self._send(resp.status, headers, data, reason=resp.reason)
            self._relay(resp)
        finally:
            conn.close()

    def _relay(self, resp):
        if self._after_fault is not None:
            resp.read()  # moto's whole answer, so that it has finished acting; then lost
            self._lose_answer()
            return
        self.send_response_only(resp.status, resp.reason)
        chunked = False
        no_body = self.command == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200
        for k, v in resp.getheaders():
            lk = k.lower()
            if lk in HOP_BY_HOP or lk == "transfer-encoding":
                continue
            self.send_header(k, v)
        if not no_body and resp.getheader("Content-Length") is None:
            chunked = True
            self.send_header("Transfer-Encoding", "chunked")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if no_body:
            self.wfile.flush()
            return
        while True:
            data = resp.read(CHUNK)
            if not data:
                break
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _ec2_bookkeeping(self, params: dict) -> tuple[int, bytes]:
        """An EC2 call of the range's own straight to moto, in the caller's account (eni_groups)."""
        st = self.state
        headers = {**shared_snapshots._auth_for(self.headers, "ec2"), "X-Range-Bookkeeping": "1"}
        return shared_snapshots._post((st.upstream_host, st.upstream_port), headers,
                                      {"Version": "2016-11-15", **params})

    def _asg_bookkeeping(self, params: dict) -> tuple[int, bytes]:
        """An Auto Scaling call of the range's own straight to moto, in the caller's account (asg_states)."""
        st = self.state
        headers = {**shared_snapshots._auth_for(self.headers, "autoscaling"), "X-Range-Bookkeeping": "1"}
        return shared_snapshots._post((st.upstream_host, st.upstream_port), headers, params)

    def _post_process(self, capture, req_body, info, status, data: bytes) -> bytes:
        st = self.state
        if isinstance(capture, tuple):  # a bucket policy operation (_secure_transport)
            return st.transport.answered(*capture, status, data)
        if status != 200:
            return data
        if capture in ("CreateSnapshot", "CreateSnapshots", "CopySnapshot"):
            st.note_created_snapshots(data)
            st.ebs.note_created(data)
            if capture != "CopySnapshot":
                st.snapshot_lag.note_created(data)
            if capture == "CreateSnapshot":
                return st.rewrite_create_snapshot(data)
            return data
        if capture == "DescribeSnapshots":
            data = st.snapshot_lag.rewrite(info.params, data, _top_level_items)
            return st.rewrite_describe_snapshots(data)
        if capture == "NetworkAcls":
            return network_acls.add_star_rules(data, shared_snapshots._dump)
        if capture == "DescribeNetworkInterfaces":
            return st.conntrack.rewrite(data)
        if capture == "DescribeInstances":
            data = st.conntrack.rewrite(data)
            return st.scenario.rewrite_instance_states(data) if st.scenario.instance_states else data
        if capture == "DescribeVolumes":
            return st.shared.rewrite_describe_volumes(data)
        if capture == "ModifyNetworkInterfaceAttribute":
            eni_groups.follow_primary_interface(self._ec2_bookkeeping, info.params)
            return data
        if capture == "SendCommand":
            try:
                st.scenario.record_send_command(info.params, json.loads(data.decode("utf-8")))
            except (ValueError, UnicodeDecodeError):
                pass
        return data

    # ---- control API --------------------------------------------------------------------------
    def _control(self):
        reader = _BodyReader(self.rfile, self.headers)
        raw = reader.read_all()
        raw = reader.decoded(raw)
        split = urllib.parse.urlsplit(self.path)
        path = split.path.rstrip("/")
        query = urllib.parse.parse_qs(split.query)
        st = self.state
        m = self.command

        def ok(obj, status=200):
            self._send(status, [("Content-Type", "application/json")],
                       (json.dumps(obj, indent=1, sort_keys=True) + "\n").encode())

        def bad(msg, status=400):
            ok({"error": msg}, status)

        def payload():
            return json.loads(raw.decode("utf-8")) if raw.strip() else {}

        try:
            if path == "/__range/health" and m == "GET":
                return ok({"ok": True, "upstream": st.upstream})
            if path == "/__range/stats":
                if m == "GET":
                    return ok(st.stats_snapshot())
                if m in ("DELETE", "POST"):
                    st.reset_stats()
                    return ok(st.stats_snapshot())
            if path == "/__range/stats/reset" and m == "POST":
                st.reset_stats()
                return ok(st.stats_snapshot())
            if path == "/__range/faults":
                if m == "GET":
                    with st.lock:
                        return ok({"seed": st.plan.seed, "rules": [r.describe() for r in st.plan.rules]})
                if m == "POST" or m == "PUT":
                    plan = FaultPlan(payload())
                    st.set_plan(plan)
                    return ok({"seed": plan.seed, "rules": [r.describe() for r in plan.rules]})
                if m == "DELETE":
                    st.set_plan(FaultPlan())
                    return ok({"seed": 0, "rules": []})
            if path == "/__range/scenario":
                if m == "GET":
                    return ok(st.scenario.data)
                if m in ("POST", "PUT"):
                    data = payload()
                    if (query.get("mode") or [""])[0] == "append":
                        st.scenario = st.scenario.merged(data)
                    else:
                        st.scenario = Scenario(data)
                    sc = st.scenario
                    return ok({"cloudtrail_events": len(sc.events),
                               "ssm_managed_instances": len(sc.instances),
                               "ssm_commands": len(sc.outcomes),
                               "guardduty_findings": len(sc.guardduty_findings),
                               "inspector_findings": len(sc.inspector_findings)})
                if m == "DELETE":
                    st.scenario = Scenario()
                    return ok({"cloudtrail_events": 0, "ssm_managed_instances": 0, "ssm_commands": 0,
                               "guardduty_findings": 0, "inspector_findings": 0})
            if path == "/__range/ebs":
                if m in ("POST", "PUT"):
                    st.ebs.configure(payload())
                if m in ("GET", "POST", "PUT"):
                    return ok(st.ebs.state())
            if path == "/__range/snapshot-lag":
                if m in ("POST", "PUT"):
                    st.snapshot_lag.configure(payload())
                if m in ("GET", "POST", "PUT"):
                    return ok(st.snapshot_lag.state())
            if path == "/__range/sso":
                if m in ("POST", "PUT"):
                    st.sso.configure(payload())
                if m in ("GET", "POST", "PUT"):
                    return ok(st.sso.state())
            if path == "/__range/sts":
                if m in ("POST", "PUT"):
                    st.sts_roles.configure(payload())
                if m in ("GET", "POST", "PUT"):
                    return ok(st.sts_roles.state())
            if path == "/__range/requests":
                if m == "GET":
                    service = (query.get("service") or [None])[0]
                    action = (query.get("action") or [None])[0]
                    return ok({"requests": st.request_log(service, action)})
                if m == "DELETE":
                    st.clear_request_log()
                    return ok({"requests": []})
            if path == "/__range/reset" and m == "POST":
                st.reset()
                if (query.get("moto") or ["1"])[0] not in ("0", "false", "no"):
                    c = http.client.HTTPConnection(st.upstream_host, st.upstream_port, timeout=60)
                    try:
                        c.request("POST", "/moto-api/reset", body=b"")
                        r = c.getresponse()
                        r.read()
                        if r.status != 200:
                            return bad(f"moto reset answered {r.status}", 502)
                    finally:
                        c.close()
                return ok({"reset": True})
            return bad(f"no such control endpoint: {m} {path}", 404)
        except (ValueError, ScenarioError) as e:
            return bad(str(e))


class RangeHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    request_queue_size = 128

    def __init__(self, addr, state, verbose=False, tls_context=None):
        self.state = state
        self.verbose = verbose
        self.tls_context = tls_context  # an ssl.SSLContext: this listener speaks HTTPS
        self._resets = set()
        self._resets_lock = threading.Lock()
        super().__init__(addr, RangeHandler)

    def server_bind(self):
        # HTTPServer.server_bind would call socket.getfqdn(), a DNS lookup we do not need.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
        if self.tls_context is not None:  # each connection's handshake is in its handler (setup)
            self.socket = self.tls_context.wrap_socket(self.socket, server_side=True,
                                                       do_handshake_on_connect=False)

    def mark_reset(self, sock):
        with self._resets_lock:
            self._resets.add(id(sock))

    def shutdown_request(self, request):
        with self._resets_lock:
            reset = id(request) in self._resets
            self._resets.discard(id(request))
        if reset:  # no FIN first: SO_LINGER(1, 0) makes close() send an RST
            self.close_request(request)
            return
        super().shutdown_request(request)


class RangeProxy:
    """The proxy on a free 127.0.0.1 port, serving in background threads."""

    def __init__(self, upstream: str, scenario=None, faults=None, port: int = 0, verbose=False,
                 tls_paths=None, tls_port: int = 0):
        if isinstance(scenario, str):
            scenario = Scenario.load(scenario)
        elif isinstance(scenario, dict):
            scenario = Scenario(scenario)
        if isinstance(faults, str):
            faults = FaultPlan.load(faults)
        elif isinstance(faults, (dict, list)):
            faults = FaultPlan(faults)
        self.state = RangeState(upstream, scenario, faults)
        self.server = RangeHTTPServer((HOST, port), self.state, verbose=verbose)
        self.thread = None
        # tls_paths (range/tls.py make_certificates): a second listener, HTTPS, in front of the same
        # state, and aws:SecureTransport evaluated in bucket policies (range/secure_transport.py).
        self.tls_server, self.tls_thread = None, None
        if tls_paths is not None:
            self.state.transport = secure_transport.SecureTransport()
            self.tls_server = RangeHTTPServer((HOST, tls_port), self.state, verbose=verbose,
                                              tls_context=tls.server_context(tls_paths))

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def tls_url(self) -> str | None:
        return f"https://{HOST}:{self.tls_server.server_address[1]}" if self.tls_server is not None else None

    def start(self) -> str:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="range-proxy", daemon=True)
        self.thread.start()
        if self.tls_server is not None:
            self.tls_thread = threading.Thread(target=self.tls_server.serve_forever,
                                               kwargs={"poll_interval": 0.1}, name="range-proxy-tls", daemon=True)
            self.tls_thread.start()
        return self.url

    def stop(self):
        for server, thread in ((self.server, self.thread), (self.tls_server, self.tls_thread)):
            if server is None:
                continue
            if thread is not None:
                server.shutdown()
                thread.join(10)
            server.server_close()
        self.thread = self.tls_thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="range/proxy.py", description="cordon test range proxy (in front of a running moto)")
    ap.add_argument("--upstream", required=True, help="moto's URL, http://127.0.0.1:PORT")
    ap.add_argument("--scenario", help="scenario JSON file")
    ap.add_argument("--faults", help="fault schedule JSON file")
    ap.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    ap.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = ap.parse_args(argv)
    stop = _sibling("moto").StopSignals()
    proxy = RangeProxy(args.upstream, args.scenario, args.faults, port=args.port, verbose=args.verbose)
    proxy.start()
    print(json.dumps({"endpoint": proxy.url, "moto": args.upstream, "pid": os.getpid()}), flush=True)
    try:
        return stop.wait()
    finally:
        proxy.stop()


if __name__ == "__main__":
    sys.exit(main())
