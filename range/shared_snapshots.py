"""Volumes from a snapshot another account shared (what moto 5.2.1 lacks).

AWS lets an account create a volume from a snapshot another account shared with it through the
snapshot's createVolumePermission ("Share an Amazon EBS snapshot", Amazon EBS User Guide). moto keeps
each account's snapshots apart and answers such a CreateVolume with InvalidSnapshot.NotFound. The
proxy then asks moto (as the default account, which owns the scenario's snapshots) whether the
snapshot exists and is shared with the caller's account; if so it creates the volume in the caller's
account at the snapshot's size and encryption, and shows the snapshot id on it, in CreateVolume's
answer and in every later DescribeVolumes.

moto does not check signatures, so the proxy's own calls reuse the caller's Authorization header with
the service in its credential scope changed (moto routes by that scope and maps the access key to its
account).
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
import xml.etree.ElementTree as ET

DEFAULT_AUTH = ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, "
                "SignedHeaders=host, Signature=0")
_SCOPE = re.compile(r"(Credential=[^/]+/\d{8}/[^/]+/)([^/]+)(/aws4_request)")


def _post(upstream: tuple, headers: dict, params: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(*upstream, timeout=60)
    try:
        body = urllib.parse.urlencode(params)
        conn.request("POST", "/", body=body, headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _auth_for(headers, service: str) -> dict:
    auth = _SCOPE.sub(lambda m: m.group(1) + service + m.group(3), headers.get("Authorization") or DEFAULT_AUTH)
    out = {"Authorization": auth}
    if headers.get("X-Amz-Security-Token"):
        out["X-Amz-Security-Token"] = headers["X-Amz-Security-Token"]
    return out


def _text(xml: bytes, tag: str) -> str | None:
    m = re.search(rb"<%s>([^<]*)</%s>" % (tag.encode(), tag.encode()), xml)
    return m.group(1).decode() if m else None


class SharedSnapshots:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.volumes = {}  # volume id -> the shared snapshot it was made from

    def reset(self):
        with self.lock:
            self.volumes.clear()

    def caller_account(self, headers) -> str | None:
        status, body = _post(self.upstream, _auth_for(headers, "sts"),
                             {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
        return _text(body, "Account") if status == 200 else None

    def shared_with(self, snapshot_id: str, account: str) -> dict | None:
        """The snapshot (size, encryption) when the default account owns it and shares it with `account`."""
        auth = _auth_for({}, "ec2")
        status, body = _post(self.upstream, auth, {"Action": "DescribeSnapshots", "Version": "2016-11-15",
                                                   "SnapshotId.1": snapshot_id})
        if status != 200 or _text(body, "snapshotId") != snapshot_id:
            return None
        status, perms = _post(self.upstream, auth, {"Action": "DescribeSnapshotAttribute", "Version": "2016-11-15",
                                                    "SnapshotId": snapshot_id, "Attribute": "createVolumePermission"})
        if status != 200 or f"<userId>{account}</userId>".encode() not in perms:
            return None
        return {"size": _text(body, "volumeSize") or "1", "encrypted": _text(body, "encrypted") == "true"}

    def serve_create_volume(self, headers, params: dict) -> tuple[int, bytes] | None:
        """(status, body) for a CreateVolume from a snapshot shared from another account; None when
        moto can answer it itself (the caller's own snapshot, or one it may not use)."""
        snapshot_id = params["SnapshotId"]
        auth = _auth_for(headers, "ec2")
        status, _ = _post(self.upstream, auth, {"Action": "DescribeSnapshots", "Version": "2016-11-15",
                                                "SnapshotId.1": snapshot_id})
        if status == 200:
            return None
        account = self.caller_account(headers)
        snapshot = self.shared_with(snapshot_id, account) if account else None
        if snapshot is None:
            return None
        status, answer = _post(self.upstream, auth, self.create_volume_params(params, snapshot))
        return (status, self.remember(answer, snapshot_id) if status == 200 else answer)

    def create_volume_params(self, params: dict, snapshot: dict) -> dict:
        """The caller's CreateVolume without the snapshot moto cannot see, at the snapshot's size."""
        out = {k: v for k, v in params.items() if k != "SnapshotId"}
        out.setdefault("Size", snapshot["size"])
        if snapshot["encrypted"]:
            out["Encrypted"] = "true"
        return out

    def remember(self, answer: bytes, snapshot_id: str) -> bytes:
        """CreateVolume's answer, with the snapshot moto did not see; the volume remembered."""
        root = ET.fromstring(answer)
        volume_id = _child_text(root, "volumeId")
        if volume_id:
            with self.lock:
                self.volumes[volume_id] = snapshot_id
        _set_child(root, "snapshotId", snapshot_id)
        return _dump(root)

    def rewrite_describe_volumes(self, body: bytes) -> bytes:
        with self.lock:
            known = dict(self.volumes)
        if not known or b"<volumeSet>" not in body:
            return body
        root = ET.fromstring(body)
        changed = False
        for vset in root:
            if _local(vset.tag) != "volumeSet":
                continue
            for item in vset:
                vid = _child_text(item, "volumeId")
                if vid in known:
                    _set_child(item, "snapshotId", known[vid])
                    changed = True
        return _dump(root) if changed else body


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(node, name: str) -> str | None:
    for c in node:
        if _local(c.tag) == name:
            return c.text
    return None


def _set_child(node, name: str, text: str) -> None:
    for c in node:
        if _local(c.tag) == name:
            c.text = text
            return
    ns = node.tag[:node.tag.index("}") + 1] if node.tag.startswith("{") else ""
    ET.SubElement(node, ns + name).text = text


def _dump(root) -> bytes:
    if root.tag.startswith("{"):
        ET.register_namespace("", root.tag[1:root.tag.index("}")])
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)
