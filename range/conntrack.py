"""Connection-tracking timeouts of network interfaces (what moto 5.2.1 lacks).

EC2 sets an ENI's idle timeouts with ModifyNetworkInterfaceAttribute ConnectionTrackingSpecification
and reports them as DescribeNetworkInterfaces' connectionTrackingConfiguration (and on the instance's
networkInterfaceSet items in DescribeInstances). moto accepts the parameter, ignores it and reports
nothing. The range keeps the timeouts per ENI and answers as the EC2 API Reference describes
(ConnectionTrackingSpecificationRequest; ModifyNetworkInterfaceAttribute: "You can specify only one
attribute at a time"; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingSpecificationRequest.html):

- TcpEstablishedTimeout 60..432000, UdpStreamTimeout 60..180, UdpTimeout 30..60 seconds; a value
  outside is InvalidParameterValue, another attribute in the same call InvalidParameterCombination;
- an ENI moto does not have: moto's own DescribeNetworkInterfaces refusal is relayed;
- a field the call leaves out keeps its value (its default, 432000 / 180 / 30, the first time);
- an ENI never set shows no connectionTrackingConfiguration (the shape is optional in the model).
"""

from __future__ import annotations

import threading
import uuid
import xml.etree.ElementTree as ET

PREFIX = "ConnectionTrackingSpecification."
# field -> (minimum, maximum, default, XML element)
FIELDS = {
    "TcpEstablishedTimeout": (60, 432000, 432000, "tcpEstablishedTimeout"),
    "UdpStreamTimeout": (60, 180, 180, "udpStreamTimeout"),
    "UdpTimeout": (30, 60, 30, "udpTimeout"),
}
# The other attributes of ModifyNetworkInterfaceAttribute, as the EC2 protocol names them.
OTHER_ATTRIBUTES = ("SecurityGroupId.", "Description.", "SourceDestCheck.", "Attachment.",
                    "EnaSrdSpecification.", "EnablePrimaryIpv6", "AssociatePublicIpAddress",
                    "AssociatedSubnetId.")


class ConntrackError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def is_conntrack_call(params: dict) -> bool:
    return any(k.startswith(PREFIX) for k in params)


def requested(params: dict) -> dict:
    """The timeouts a ModifyNetworkInterfaceAttribute asks for, checked against the API's limits."""
    if any(k.startswith(OTHER_ATTRIBUTES) for k in params):
        raise ConntrackError("InvalidParameterCombination",
                             "Only one attribute can be modified at a time.")
    out = {}
    for key, value in params.items():
        if not key.startswith(PREFIX):
            continue
        field = key[len(PREFIX):]
        if field not in FIELDS:
            raise ConntrackError("InvalidParameterValue", f"Unknown parameter {key}.")
        lo, hi, _, _ = FIELDS[field]
        try:
            n = int(value)
        except ValueError:
            raise ConntrackError("InvalidParameterValue", f"Invalid value '{value}' for {field}.") from None
        if not lo <= n <= hi:
            raise ConntrackError("InvalidParameterValue",
                                 f"{field} must be between {lo} and {hi} seconds, got {n}.")
        out[field] = n
    return out


class ConntrackTimeouts:
    def __init__(self, upstream: tuple, shared):
        """`shared`: range/shared_snapshots.py, whose helpers ask moto as the caller."""
        self.upstream = upstream
        self.shared = shared
        self.lock = threading.Lock()
        self.timeouts = {}  # eni id -> {field: seconds}

    def reset(self):
        with self.lock:
            self.timeouts.clear()

    def serve_modify(self, headers, params: dict) -> tuple[int, bytes] | tuple[int, str, str]:
        """(200, body) on success, (status, code, message) for an error of ours, or (status, body)
        relaying moto's refusal of an unknown ENI."""
        try:
            want = requested(params)
        except ConntrackError as e:
            return (400, e.code, e.message)
        eni = params.get("NetworkInterfaceId", "")
        status, body = self.shared._post(self.upstream, self.shared._auth_for(headers, "ec2"),
                                     {"Action": "DescribeNetworkInterfaces", "Version": "2016-11-15",
                                      "NetworkInterfaceId.1": eni})
        if status != 200:
            return (status, body)
        with self.lock:
            now = self.timeouts.setdefault(eni, {f: d for f, (_, _, d, _) in FIELDS.items()})
            now.update(want)
        return (200, ('<?xml version="1.0" encoding="UTF-8"?>\n<ModifyNetworkInterfaceAttributeResponse '
                      'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%s</requestId>'
                      '<return>true</return></ModifyNetworkInterfaceAttributeResponse>' % uuid.uuid4()).encode())

    def rewrite(self, body: bytes) -> bytes:
        """Adds connectionTrackingConfiguration to every networkInterfaceSet item with timeouts set."""
        with self.lock:
            known = {k: dict(v) for k, v in self.timeouts.items()}
        if not known or b"networkInterfaceSet" not in body:
            return body
        root = ET.fromstring(body)
        changed = False
        for node in root.iter():
            if _local(node.tag) != "networkInterfaceSet":
                continue
            for item in node:
                eni = next((c.text for c in item if _local(c.tag) == "networkInterfaceId"), None)
                if eni not in known:
                    continue
                for old in [c for c in item if _local(c.tag) == "connectionTrackingConfiguration"]:
                    item.remove(old)
                ns = item.tag[:item.tag.index("}") + 1] if item.tag.startswith("{") else ""
                cfg = ET.SubElement(item, ns + "connectionTrackingConfiguration")
                for field, (_, _, _, tag) in FIELDS.items():
                    ET.SubElement(cfg, ns + tag).text = str(known[eni][field])
                changed = True
        return self.shared._dump(root) if changed else body


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
