"""EBS snapshot lock (LockSnapshot, DescribeLockedSnapshots, UnlockSnapshot, and DeleteSnapshot's refusal
of a locked snapshot), which moto 5.x lacks.

As the EBS user guide describes it (https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lock-concepts.html)
and the EC2 API reference specifies it (API_LockSnapshot.html, API_DescribeLockedSnapshots.html,
API_UnlockSnapshot.html; EC2 query protocol, XML answers, shapes checked against botocore's ec2 model):

- LockSnapshot takes SnapshotId, LockMode (`governance` | `compliance`), either LockDuration (days,
  1 to 36500) or ExpirationDate, and CoolOffPeriod (hours, 1 to 72, compliance mode only). The answer
  carries snapshotId, lockState, lockDuration, coolOffPeriod, coolOffPeriodExpiresOn, lockCreatedOn,
  lockExpiresOn and lockDurationStartTime.
- lockState: `governance`; `compliance-cooloff` while the cooling-off period runs, then `compliance`;
  `expired` once lockExpiresOn has passed.
- "A locked snapshot can't be deleted": DeleteSnapshot of a snapshot whose lock has not expired is
  refused (in every mode, cooling-off included; governance and cooling-off locks must be unlocked
  first). The reference documents no error code for it; the range answers 400 `SnapshotLocked`.
- UnlockSnapshot works in governance mode and during the cooling-off period, never after it.
- A lock on a snapshot moto does not have is refused as EC2 refuses it
  (400 `InvalidSnapshot.NotFound`).

Not implemented: re-locking to modify a lock's settings (a second LockSnapshot replaces the lock
when the rules above allow an unlock, else it may only extend the duration), the filters of
DescribeLockedSnapshots other than `lock-state`, and paging (every lock is one page).
"""

from __future__ import annotations

import datetime
import http.client
import re
import threading
import urllib.parse

EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
ACTIONS = ("LockSnapshot", "DescribeLockedSnapshots", "UnlockSnapshot", "DeleteSnapshot")


class LockError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def _parse_time(text: str) -> datetime.datetime:
    try:
        t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LockError("InvalidParameterValue", f"ExpirationDate {text!r} is not a date and time")
    return t if t.tzinfo else t.replace(tzinfo=datetime.timezone.utc)


def _int(params: dict, name: str, low: int, high: int) -> int | None:
    if name not in params:
        return None
    try:
        v = int(params[name])
    except ValueError:
        v = None
    if v is None or not low <= v <= high:
        raise LockError("InvalidParameterValue", f"{name} must be from {low} to {high}")
    return v


class SnapshotLocks:
    """Thread-safe: the proxy's handler threads call it concurrently."""

    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.locks = {}  # snapshot id -> lock record

    def reset(self):
        with self.lock:
            self.locks = {}

    @staticmethod
    def state_of(rec: dict, now: datetime.datetime) -> str:
        if now >= rec["expires"]:
            return "expired"
        if rec["mode"] == "governance":
            return "governance"
        return "compliance-cooloff" if rec["cool_off_until"] and now < rec["cool_off_until"] else "compliance"

    def _owner(self, headers, snapshot_id: str) -> str:
        """moto's owner of the snapshot (DescribeSnapshots with the caller's credentials), or LockError."""
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            fwd = {k: v for k, v in headers.items() if k.lower() in ("authorization", "x-amz-date", "x-amz-security-token")}
            fwd["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode({"Action": "DescribeSnapshots", "Version": "2016-11-15",
                                           "SnapshotId.1": snapshot_id})
            conn.request("POST", "/", body=body, headers=fwd)
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        m = re.search(r"<ownerId>([^<]*)</ownerId>", data)
        if resp.status != 200 or not m:
            raise LockError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")
        return m.group(1)

    # ---- the operations -----------------------------------------------------------------------
    def lock_snapshot(self, headers, params: dict) -> str:
        snap = params.get("SnapshotId", "")
        mode = params.get("LockMode", "")
        if mode not in ("governance", "compliance"):
            raise LockError("InvalidParameterValue", "LockMode must be governance or compliance")
        duration = _int(params, "LockDuration", 1, 36500)
        cool_off = _int(params, "CoolOffPeriod", 1, 72)
        if (duration is None) == ("ExpirationDate" not in params):
            raise LockError("InvalidParameterCombination", "Specify either LockDuration or ExpirationDate")
        if cool_off is not None and mode != "compliance":
            raise LockError("InvalidParameterCombination", "CoolOffPeriod is for compliance mode only")
        owner = self._owner(headers, snap)
        now = _now()
        expires = now + datetime.timedelta(days=duration) if duration else _parse_time(params["ExpirationDate"])
        if expires <= now:
            raise LockError("InvalidParameterValue", "ExpirationDate must be in the future")
        with self.lock:
            old = self.locks.get(snap)
            if old and self.state_of(old, now) == "compliance" and (mode != "compliance" or expires < old["expires"]):
                raise LockError("SnapshotLocked", f"The snapshot '{snap}' is locked in compliance mode: its lock "
                                                  "can only be extended")
            rec = {"snapshot": snap, "owner": owner, "mode": mode, "duration": duration, "cool_off": cool_off,
                   "cool_off_until": now + datetime.timedelta(hours=cool_off) if cool_off else None,
                   "created": now, "start": now, "expires": expires}
            self.locks[snap] = rec
        return self._response("LockSnapshotResponse", self._fields(rec, now, with_owner=False))

    def describe_locked_snapshots(self, params: dict) -> str:
        wanted = {v for k, v in params.items() if re.fullmatch(r"SnapshotId\.\d+", k)}
        states = set()
        for k, v in params.items():
            m = re.fullmatch(r"Filter\.(\d+)\.Name", k)
            if m and v == "lock-state":
                states |= {pv for pk, pv in params.items() if pk.startswith(f"Filter.{m.group(1)}.Value.")}
        now = _now()
        with self.lock:
            recs = [r for s, r in sorted(self.locks.items()) if not wanted or s in wanted]
        items = "".join("<item>%s</item>" % self._fields(r, now, with_owner=True) for r in recs
                        if not states or self.state_of(r, now) in states)
        return self._response("DescribeLockedSnapshotsResponse", f"<snapshotSet>{items}</snapshotSet>")

    def unlock_snapshot(self, params: dict) -> str:
        snap = params.get("SnapshotId", "")
        with self.lock:
            rec = self.locks.get(snap)
            if rec is None:
                raise LockError("InvalidParameterValue", f"The snapshot '{snap}' is not locked")
            if self.state_of(rec, _now()) == "compliance":
                raise LockError("SnapshotLocked", f"The snapshot '{snap}' is locked in compliance mode and its "
                                                  "cooling-off period has passed: it cannot be unlocked")
            del self.locks[snap]
        return self._response("UnlockSnapshotResponse", f"<snapshotId>{snap}</snapshotId>")

    def refuse_delete(self, params: dict) -> None:
        """Raises LockError when DeleteSnapshot must be refused because the snapshot is locked."""
        snap = params.get("SnapshotId", "")
        with self.lock:
            rec = self.locks.get(snap)
            state = self.state_of(rec, _now()) if rec else None
        if state and state != "expired":
            raise LockError("SnapshotLocked", f"The snapshot '{snap}' is locked ({state}) until "
                                              f"{_iso(rec['expires'])} and cannot be deleted.")

    # ---- XML ----------------------------------------------------------------------------------
    def _fields(self, rec: dict, now: datetime.datetime, with_owner: bool) -> str:
        out = []
        if with_owner:
            out.append(f"<ownerId>{rec['owner']}</ownerId>")
        out.append(f"<snapshotId>{rec['snapshot']}</snapshotId>")
        out.append(f"<lockState>{self.state_of(rec, now)}</lockState>")
        if rec["duration"]:
            out.append(f"<lockDuration>{rec['duration']}</lockDuration>")
        if rec["cool_off"]:
            out.append(f"<coolOffPeriod>{rec['cool_off']}</coolOffPeriod>")
            out.append(f"<coolOffPeriodExpiresOn>{_iso(rec['cool_off_until'])}</coolOffPeriodExpiresOn>")
        out.append(f"<lockCreatedOn>{_iso(rec['created'])}</lockCreatedOn>")
        out.append(f"<lockDurationStartTime>{_iso(rec['start'])}</lockDurationStartTime>")
        out.append(f"<lockExpiresOn>{_iso(rec['expires'])}</lockExpiresOn>")
        return "".join(out)

    @staticmethod
    def _response(root: str, inner: str) -> str:
        import uuid
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{EC2_NS}">'
                f"<requestId>{uuid.uuid4()}</requestId>{inner}</{root}>")
