"""The APIs moto lacks, served by cordon's test range from a scenario (JSON).

Scenario format (every key optional):

    {
      "cloudtrail_events": [ EVENT, ... ],
      "ssm_managed_instances": [ INSTANCE_INFORMATION, ... ],
      "ssm_commands": [ COMMAND_OUTCOME, ... ],
      "guardduty_findings": [ FINDING, ... ],
      "inspector_findings": [ INSPECTOR_FINDING, ... ]
    }

EVENT is either a raw CloudTrail record as found in the S3 logs ({"eventVersion", "eventTime",
"eventName", "eventSource", "userIdentity", "requestParameters", ...}) or a LookupEvents-shaped
object ({"EventId", "EventName", ..., "CloudTrailEvent": RECORD-or-its-JSON-string}); fields a
LookupEvents-shaped object leaves out are derived from its record as CloudTrail derives them.
See range/README.md for all the details.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import hashlib
import json
import re
import threading
import time
import uuid


class ApiError(Exception):
    """An AWS error answer: HTTP status, error code, message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class ScenarioError(ValueError):
    pass


# EC2's instance state codes (InstanceState in the EC2 API reference).
INSTANCE_STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64,
                        "stopped": 80}


# ---------------------------------------------------------------------------------------------
# time helpers

def parse_time(value) -> float | None:
    """Epoch seconds from a number, a numeric string or an ISO 8601 string ('Z' allowed)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ScenarioError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        s = value.strip()
        try:
            return float(s)
        except ValueError:
            pass
        if s.endswith("Z") or s.endswith("z"):
            s = s[:-1] + "+00:00"
        try:
            t = _dt.datetime.fromisoformat(s)
        except ValueError as e:
            raise ScenarioError(f"not a time: {value!r}") from e
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return t.timestamp()
    raise ScenarioError(f"not a time: {value!r}")


def _epoch_number(t: float):
    return int(t) if float(t).is_integer() else t


# ---------------------------------------------------------------------------------------------
# pagination tokens: opaque, tied to the query they came from

def _query_hash(params: dict, ignore=("NextToken", "MaxResults")) -> str:
    q = {k: v for k, v in params.items() if k not in ignore}
    return hashlib.sha256(json.dumps(q, sort_keys=True, default=str).encode()).hexdigest()[:16]


def make_token(offset: int, params: dict) -> str:
    raw = json.dumps({"o": offset, "q": _query_hash(params)}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_token(token, params: dict, error_code: str) -> int:
    if token is None:
        return 0
    try:
        obj = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        offset = int(obj["o"])
        ok = obj["q"] == _query_hash(params) and offset >= 0
    except Exception:
        ok = False
    if not ok:
        raise ApiError(400, error_code, "Invalid NextToken.")
    return offset


# ---------------------------------------------------------------------------------------------
# CloudTrail

LOOKUP_KEYS = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
               "EventSource", "AccessKeyId")

# requestParameters / responseElements keys CloudTrail turns into LookupEvents resources.
RESOURCE_KEYS = {
    "instanceId": "AWS::EC2::Instance",
    "volumeId": "AWS::EC2::Volume",
    "snapshotId": "AWS::EC2::Snapshot",
    "groupId": "AWS::EC2::SecurityGroup",
    "networkInterfaceId": "AWS::EC2::NetworkInterface",
    "allocationId": "AWS::EC2::EIP",
    "vpcId": "AWS::EC2::VPC",
    "subnetId": "AWS::EC2::Subnet",
    "imageId": "AWS::EC2::Ami",
    "keyName": "AWS::EC2::KeyPair",
    "networkAclId": "AWS::EC2::NetworkAcl",
    "roleName": "AWS::IAM::Role",
    "roleArn": "AWS::IAM::Role",
    "userName": "AWS::IAM::User",
    "instanceProfileName": "AWS::IAM::InstanceProfile",
    "policyArn": "AWS::IAM::Policy",
    "accessKeyId": "AWS::IAM::AccessKey",
    "bucketName": "AWS::S3::Bucket",
    "autoScalingGroupName": "AWS::AutoScaling::AutoScalingGroup",
    "targetGroupArn": "AWS::ElasticLoadBalancingV2::TargetGroup",
    "loadBalancerName": "AWS::ElasticLoadBalancing::LoadBalancer",
    "trailName": "AWS::CloudTrail::Trail",
}

# Keys that name a resource only for some events.
EVENT_RESOURCE_KEYS = {
    name: {"name": "AWS::CloudTrail::Trail"}
    for name in ("StopLogging", "StartLogging", "DeleteTrail", "UpdateTrail", "CreateTrail",
                 "PutEventSelectors", "PutInsightSelectors")
}

_READ_PREFIXES = ("Describe", "Get", "List", "Lookup", "Head", "Search", "BatchGet")


def _walk_resources(obj, out: list, depth: int = 0):
    if depth > 12:
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            rtype = RESOURCE_KEYS.get(k)
            if rtype and isinstance(v, str) and v:
                out.append((rtype, v))
            elif rtype and isinstance(v, list):
                for x in v:
                    if isinstance(x, str) and x:
                        out.append((rtype, x))
            else:
                _walk_resources(v, out, depth + 1)
    elif isinstance(obj, list):
        for x in obj:
            _walk_resources(x, out, depth + 1)


def derive_resources(record: dict) -> list:
    found = []
    for r in record.get("resources") or []:
        if isinstance(r, dict) and r.get("ARN"):
            found.append((r.get("type") or "", r["ARN"]))
    extra = EVENT_RESOURCE_KEYS.get(record.get("eventName"), {})
    params = record.get("requestParameters")
    if isinstance(params, dict):
        for k, rtype in extra.items():
            if isinstance(params.get(k), str) and params[k]:
                found.append((rtype, params[k]))
    _walk_resources(params, found)
    _walk_resources(record.get("responseElements"), found)
    seen, out = set(), []
    for rtype, name in found:
        if (rtype, name) not in seen:
            seen.add((rtype, name))
            item = {"ResourceName": name}
            if rtype:
                item = {"ResourceType": rtype, "ResourceName": name}
            out.append(item)
    return out


def derive_username(record: dict):
    ui = record.get("userIdentity") or {}
    if ui.get("userName"):
        return ui["userName"]
    arn = ui.get("arn") or ""
    if ":assumed-role/" in arn:
        return arn.rsplit("/", 1)[-1]
    if ui.get("type") == "Root":
        return "root"
    sess = ((ui.get("sessionContext") or {}).get("sessionIssuer") or {})
    return sess.get("userName")


def _bool_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower()
    return None


class TrailEvent:
    """One event, with its LookupEvents fields and the record it came from."""

    __slots__ = ("fields", "time", "region", "order")

    def __init__(self, entry: dict, order: int):
        if not isinstance(entry, dict):
            raise ScenarioError(f"cloudtrail event #{order} is not an object")
        lookup_shaped = any(k in entry for k in ("CloudTrailEvent", "EventId", "EventName", "EventTime"))
        if lookup_shaped:
            raw = entry.get("CloudTrailEvent")
            if isinstance(raw, str):
                try:
                    record = json.loads(raw)
                except ValueError as e:
                    raise ScenarioError(f"cloudtrail event #{order}: CloudTrailEvent is not JSON") from e
                record_text = raw
            elif isinstance(raw, dict):
                record, record_text = raw, json.dumps(raw, separators=(",", ":"))
            elif raw is None:
                record, record_text = {}, None
            else:
                raise ScenarioError(f"cloudtrail event #{order}: CloudTrailEvent must be an object or a string")
        else:
            record, record_text = entry, json.dumps(entry, separators=(",", ":"))

        f = {}
        event_id = record.get("eventID") or str(uuid.uuid5(
            uuid.NAMESPACE_URL, "cordon-range:" + json.dumps(record, sort_keys=True)))
        f["EventId"] = event_id
        if record.get("eventName"):
            f["EventName"] = record["eventName"]
        ro = _bool_str(record.get("readOnly"))
        if ro is None and record.get("eventName"):
            ro = "true" if record["eventName"].startswith(_READ_PREFIXES) else "false"
        if ro is not None:
            f["ReadOnly"] = ro
        akid = (record.get("userIdentity") or {}).get("accessKeyId")
        if akid:
            f["AccessKeyId"] = akid
        if record.get("eventTime") is not None:
            f["EventTime"] = parse_time(record["eventTime"])
        if record.get("eventSource"):
            f["EventSource"] = record["eventSource"]
        user = derive_username(record)
        if user:
            f["Username"] = user
        f["Resources"] = derive_resources(record)
        if record_text is not None:
            f["CloudTrailEvent"] = record_text

        if lookup_shaped:  # explicit fields win over derived ones
            for k in ("EventId", "EventName", "AccessKeyId", "EventSource", "Username"):
                if k in entry:
                    f[k] = entry[k]
            if "ReadOnly" in entry:
                f["ReadOnly"] = _bool_str(entry["ReadOnly"]) or str(entry["ReadOnly"])
            if "EventTime" in entry:
                f["EventTime"] = parse_time(entry["EventTime"])
            if "Resources" in entry:
                f["Resources"] = [dict(r) for r in entry["Resources"] or []]
        if f.get("EventTime") is None:
            raise ScenarioError(f"cloudtrail event #{order} ({f.get('EventName')}) has no time")
        self.time = f["EventTime"]
        f["EventTime"] = _epoch_number(self.time)
        self.fields = f
        self.region = record.get("awsRegion") or entry.get("awsRegion")
        self.order = order

    def matches(self, key: str, value: str) -> bool:
        f = self.fields
        if key == "ResourceType":
            return any(r.get("ResourceType") == value for r in f.get("Resources", []))
        if key == "ResourceName":
            return any(r.get("ResourceName") == value for r in f.get("Resources", []))
        return f.get(key) == value


# ---------------------------------------------------------------------------------------------
# SSM

SSM_INFO_DEFAULTS = {
    "PingStatus": "Online",
    "AgentVersion": "3.3.987.0",
    "IsLatestVersion": True,
    "PlatformType": "Linux",
    "PlatformName": "Amazon Linux",
    "PlatformVersion": "2023",
    "ResourceType": "EC2Instance",
}

# filter key -> InstanceInformation field
SSM_FILTER_FIELDS = {
    "InstanceIds": "InstanceId",
    "AgentVersion": "AgentVersion",
    "PingStatus": "PingStatus",
    "PlatformTypes": "PlatformType",
    "ActivationIds": "ActivationId",
    "IamRole": "IamRole",
    "ResourceType": "ResourceType",
    "AssociationStatus": "AssociationStatus",
}

SSM_FINAL_STATUSES = ("Success", "Failed", "Cancelled", "TimedOut", "DeliveryTimedOut",
                      "ExecutionTimedOut", "Undeliverable", "Terminated", "InvalidPlatform",
                      "AccessDenied")


class ManagedInstance:
    __slots__ = ("info", "tags")

    def __init__(self, entry: dict, order: int):
        if not isinstance(entry, dict) or not entry.get("InstanceId"):
            raise ScenarioError(f"ssm managed instance #{order} needs an InstanceId")
        info = dict(SSM_INFO_DEFAULTS)
        tags = entry.get("Tags") or {}
        if isinstance(tags, list):
            tags = {t["Key"]: t.get("Value", "") for t in tags}
        for k, v in entry.items():
            if k != "Tags":
                info[k] = v
        for k in ("LastPingDateTime", "RegistrationDate", "LastAssociationExecutionDate",
                  "LastSuccessfulAssociationExecutionDate"):
            if k in info:
                info[k] = _epoch_number(parse_time(info[k]))
        self.info = info
        self.tags = dict(tags)

    def output(self, now: float) -> dict:
        out = dict(self.info)
        out.setdefault("LastPingDateTime", _epoch_number(round(now, 3)))
        return out

    def matches(self, key: str, values: list) -> bool:
        if key.startswith("tag:"):
            return self.tags.get(key[4:]) in values
        if key == "tag-key":
            return any(v in self.tags for v in values)
        field = SSM_FILTER_FIELDS[key]
        have = self.info.get(field)
        return str(have) in [str(v) for v in values] if have is not None else False


class CommandOutcome:
    def __init__(self, entry: dict, order: int):
        if not isinstance(entry, dict):
            raise ScenarioError(f"ssm command #{order} is not an object")
        self.entry = entry
        self.instance_id = entry.get("InstanceId")
        self.document = entry.get("DocumentName")
        self.contains = entry.get("CommandContains")
        self.status = entry.get("Status", "Success")
        self.pending_polls = int(entry.get("pending_polls", 0))
        self.not_found_polls = int(entry.get("not_found_polls", 0))
        self.times = entry.get("times")
        self.used = 0
        self.order = order

    def matches(self, instance_id: str, document: str, commands_text: str) -> bool:
        if self.times is not None and self.used >= int(self.times):
            return False
        if self.instance_id not in (None, "*", instance_id):
            return False
        if self.document is not None and self.document != document:
            return False
        if self.contains is not None and self.contains not in commands_text:
            return False
        return True


def _default_response_code(status: str) -> int:
    return {"Success": 0, "Failed": 1}.get(status, -1)


def _ssm_time(t: float) -> str:
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# ---------------------------------------------------------------------------------------------
# GuardDuty (served by guardduty.py)

def _check_findings(findings) -> list:
    """`guardduty_findings`: a list of findings in the API's camelCase, each with an `id` and a
    `service.detectorId` (the detector that has it, as in GuardDuty's own findings)."""
    if findings is None:
        return []
    if not isinstance(findings, list):
        raise ScenarioError("guardduty_findings must be a list of findings")
    for n, f in enumerate(findings):
        if not isinstance(f, dict) or not isinstance(f.get("id"), str) or not f["id"]:
            raise ScenarioError(f"guardduty_findings #{n} needs an \"id\"")
        service = f.get("service")
        detector = service.get("detectorId") if isinstance(service, dict) else None
        if not isinstance(detector, str) or not detector:
            raise ScenarioError(f"guardduty_findings #{n} ({f['id']}) needs \"service\": {{\"detectorId\": ...}}")
    return findings


def _inspector():
    """range/inspector.py, loaded by path (range/ is not a package)."""
    import importlib.util
    import os
    import sys
    name = "cordon_range_inspector"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(os.path.dirname(__file__), "inspector.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


class Scenario:
    def __init__(self, data: dict | None = None):
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise ScenarioError("a scenario is a JSON object")
        known = {"cloudtrail_events", "ssm_managed_instances", "ssm_commands", "instance_states",
                 "guardduty_findings", "inspector_findings", "description", "name"}
        unknown = set(data) - known
        if unknown:
            raise ScenarioError(f"unknown scenario keys: {sorted(unknown)}")
        self.data = copy.deepcopy(data)
        self.events = [TrailEvent(e, i) for i, e in enumerate(data.get("cloudtrail_events") or [])]
        self.instances = [ManagedInstance(e, i) for i, e in enumerate(data.get("ssm_managed_instances") or [])]
        self.outcomes = [CommandOutcome(e, i) for i, e in enumerate(data.get("ssm_commands") or [])]
        self.instance_states = dict(data.get("instance_states") or {})
        self.guardduty_findings = _check_findings(data.get("guardduty_findings"))
        self.inspector_findings = _inspector().check_findings(data.get("inspector_findings"), ScenarioError)
        for iid, state in self.instance_states.items():
            if state not in INSTANCE_STATE_CODES:
                raise ScenarioError(f"instance_states: {iid}: unknown state {state!r}")
        self._lock = threading.Lock()
        self._invocations = {}  # (command_id, instance_id) -> dict

    @classmethod
    def load(cls, path: str) -> "Scenario":
        with open(path) as f:
            return cls(json.load(f))

    def merged(self, extra: dict) -> "Scenario":
        """A new scenario with extra's lists appended to this one's (command tracking is kept)."""
        data = copy.deepcopy(self.data)
        for k, v in extra.items():
            if isinstance(v, list):
                data[k] = list(data.get(k) or []) + v
            else:
                data[k] = v
        new = Scenario(data)
        with self._lock:
            new._invocations = self._invocations
            for old, fresh in zip(self.outcomes, new.outcomes):
                fresh.used = old.used
        return new

    # ---- EC2 DescribeInstances: lifecycle states moto never shows -----------------------------
    def rewrite_instance_states(self, body: bytes) -> bytes:
        """DescribeInstances XML with each listed instance's <instanceState> replaced. moto moves a
        terminated instance straight to `terminated`; AWS shows `shutting-down` first, for a while
        (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html)."""
        for iid, state in self.instance_states.items():
            pattern = re.compile(rb"(<instanceId>" + re.escape(iid.encode()) +
                                 rb"</instanceId>.*?<instanceState>)\s*<code>\d+</code>\s*<name>[^<]*</name>",
                                 re.S)
            code = INSTANCE_STATE_CODES[state]
            body = pattern.sub(lambda m: m.group(1) + b"<code>%d</code><name>%s</name>" % (code, state.encode()),
                               body, count=1)
        return body

    # ---- CloudTrail LookupEvents ------------------------------------------------------------
    def lookup_events(self, params: dict, region: str | None) -> dict:
        attrs = params.get("LookupAttributes") or []
        if len(attrs) > 1:
            raise ApiError(400, "InvalidLookupAttributesException",
                           "You cannot specify more than one lookup attribute.")
        for a in attrs:
            if a.get("AttributeKey") not in LOOKUP_KEYS:
                raise ApiError(400, "InvalidLookupAttributesException",
                               f"The attribute key {a.get('AttributeKey')!r} is not valid.")
            if not a.get("AttributeValue"):
                raise ApiError(400, "InvalidLookupAttributesException",
                               "The lookup attribute value cannot be empty.")
        max_results = params.get("MaxResults")
        if max_results is None:
            max_results = 50
        if not isinstance(max_results, int) or not 1 <= max_results <= 50:
            raise ApiError(400, "InvalidMaxResultsException",
                           "MaxResults must be between 1 and 50.")
        try:
            start = parse_time(params.get("StartTime"))
            end = parse_time(params.get("EndTime"))
        except ScenarioError as e:
            raise ApiError(400, "InvalidTimeRangeException", str(e)) from None
        if start is not None and end is not None and start > end:
            raise ApiError(400, "InvalidTimeRangeException",
                           "Start time must be less than or equal to end time.")
        if params.get("EventCategory") not in (None, "insight"):
            raise ApiError(400, "InvalidEventCategoryException", "EventCategory must be insight.")
        offset = read_token(params.get("NextToken"), params, "InvalidNextTokenException")

        if params.get("EventCategory") == "insight":
            hits = []
        else:
            hits = [e for e in self.events
                    if (region is None or e.region is None or e.region == region)
                    and (start is None or e.time >= start)
                    and (end is None or e.time <= end)
                    and all(e.matches(a["AttributeKey"], a["AttributeValue"]) for a in attrs)]
        hits.sort(key=lambda e: (-e.time, e.order))  # newest first
        page = hits[offset:offset + max_results]
        out = {"Events": [copy.deepcopy(e.fields) for e in page]}
        if offset + max_results < len(hits):
            out["NextToken"] = make_token(offset + max_results, params)
        return out

    # ---- SSM DescribeInstanceInformation ----------------------------------------------------
    def describe_instance_information(self, params: dict) -> dict:
        conds = []
        for f in params.get("InstanceInformationFilterList") or []:
            key, values = f.get("key"), f.get("valueSet") or []
            if key not in SSM_FILTER_FIELDS:
                raise ApiError(400, "InvalidInstanceInformationFilterValue",
                               f"The filter key {key!r} is not valid.")
            if not values:
                raise ApiError(400, "InvalidInstanceInformationFilterValue",
                               f"The filter {key!r} needs at least one value.")
            conds.append((key, values))
        for f in params.get("Filters") or []:
            key, values = f.get("Key"), f.get("Values") or []
            if not (key in SSM_FILTER_FIELDS or key == "tag-key"
                    or (isinstance(key, str) and key.startswith("tag:"))):
                raise ApiError(400, "InvalidFilterKey", f"The filter key {key!r} is not valid.")
            if not values:
                raise ApiError(400, "InvalidFilterValue", f"The filter {key!r} needs at least one value.")
            conds.append((key, values))
        if params.get("InstanceInformationFilterList") and params.get("Filters"):
            raise ApiError(400, "InvalidFilter",
                           "InstanceInformationFilterList and Filters cannot be used together.")
        max_results = params.get("MaxResults")
        if max_results is None:
            max_results = 50
        if not isinstance(max_results, int) or not 5 <= max_results <= 50:
            raise ApiError(400, "ValidationException",
                           "1 validation error detected: Value at 'maxResults' failed to satisfy "
                           "constraint: Member must have value between 5 and 50")
        offset = read_token(params.get("NextToken"), params, "InvalidNextToken")
        hits = [m for m in self.instances if all(m.matches(k, v) for k, v in conds)]
        page = hits[offset:offset + max_results]
        now = time.time()
        out = {"InstanceInformationList": [m.output(now) for m in page]}
        if offset + max_results < len(hits):
            out["NextToken"] = make_token(offset + max_results, params)
        return out

    # ---- SSM commands ------------------------------------------------------------------------
    def record_send_command(self, request: dict, response: dict) -> int:
        """Remember the scenario outcome of each (command, instance) moto accepted. Returns how many."""
        if not self.outcomes:
            return 0
        command = (response or {}).get("Command") or {}
        command_id = command.get("CommandId")
        if not command_id:
            return 0
        instance_ids = request.get("InstanceIds") or command.get("InstanceIds") or []
        document = request.get("DocumentName") or command.get("DocumentName") or ""
        parameters = request.get("Parameters") or {}
        commands_text = "\n".join(
            x for v in parameters.values() if isinstance(v, list) for x in v if isinstance(x, str))
        n = 0
        now = time.time()
        with self._lock:
            for iid in instance_ids:
                for o in self.outcomes:
                    if o.matches(iid, document, commands_text):
                        o.used += 1
                        self._invocations[(command_id, iid)] = {
                            "outcome": o, "polls": 0, "sent": now, "document": document,
                            "comment": request.get("Comment", ""),
                        }
                        n += 1
                        break
        return n

    def get_command_invocation(self, params: dict):
        """The scenario's answer for a tracked (command, instance), or None to ask moto."""
        key = (params.get("CommandId"), params.get("InstanceId"))
        with self._lock:
            inv = self._invocations.get(key)
            if inv is None:
                return None
            inv["polls"] += 1
            polls = inv["polls"]
        o = inv["outcome"]
        if polls <= o.not_found_polls:
            raise ApiError(400, "InvocationDoesNotExist", "")
        e = o.entry
        start = inv["sent"] + 0.5
        plugin = e.get("PluginName") or (
            "aws:runPowerShellScript" if inv["document"] == "AWS-RunPowerShellScript" else "aws:runShellScript")
        out = {
            "CommandId": key[0],
            "InstanceId": key[1],
            "Comment": inv["comment"],
            "DocumentName": inv["document"],
            "DocumentVersion": e.get("DocumentVersion", "$DEFAULT"),
            "PluginName": plugin,
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
        }
        if polls <= o.not_found_polls + o.pending_polls:
            status = "Pending" if polls == o.not_found_polls + 1 and o.pending_polls > 1 else "InProgress"
            out.update({
                "ResponseCode": -1,
                "ExecutionStartDateTime": _ssm_time(start) if status == "InProgress" else "",
                "ExecutionElapsedTime": "",
                "ExecutionEndDateTime": "",
                "Status": status,
                "StatusDetails": status,
                "StandardOutputContent": "",
                "StandardOutputUrl": "",
                "StandardErrorContent": "",
                "StandardErrorUrl": "",
            })
            return out
        status = o.status
        elapsed = float(e.get("elapsed_seconds", 2.0))
        out.update({
            "ResponseCode": int(e.get("ResponseCode", _default_response_code(status))),
            "ExecutionStartDateTime": _ssm_time(start),
            "ExecutionElapsedTime": "PT%.3fS" % elapsed,
            "ExecutionEndDateTime": _ssm_time(start + elapsed),
            "Status": status,
            "StatusDetails": e.get("StatusDetails", status),
            "StandardOutputContent": e.get("StandardOutputContent", ""),
            "StandardOutputUrl": e.get("StandardOutputUrl", ""),
            "StandardErrorContent": e.get("StandardErrorContent", ""),
            "StandardErrorUrl": e.get("StandardErrorUrl", ""),
        })
        return out

    def reset_state(self) -> None:
        with self._lock:
            self._invocations.clear()
            for o in self.outcomes:
                o.used = 0
