"""EC2's eventual consistency for new snapshots: a snapshot just created is missing from tag lookups for a while.

"The Amazon EC2 API follows an eventual consistency model ... the result of an API command you run that
affects your Amazon EC2 resources might not be immediately visible to all subsequent commands you run"
("Eventual consistency in the Amazon EC2 API", EC2 developer guide,
https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html). moto shows every snapshot at
once, so a client that looks for what a lost CreateSnapshot(s) made (by a tag of the request) always
finds it there; on AWS the look can miss it, the client sends the request again, and the volume has two
snapshots. This piece makes that happen.

Test knob (`POST /__range/snapshot-lag`, JSON; `GET /__range/snapshot-lag` reads the state back):
- `{"tag_lookups": N}`: each snapshot created through the range afterwards (CreateSnapshot,
  CreateSnapshots answers, lost ones included) is left out of the first N DescribeSnapshots answers
  that filter by a tag (`Filter.n.Name=tag:...`), the lookups a client makes for what it created.
  Describes by snapshot or volume id, or with no tag filter, show it at once (they are the range's
  other pieces' business: `pending`). 0 (the default) turns it off.
- the state holds `hidden`: how many times a snapshot was left out, per snapshot id.
"""

from __future__ import annotations

import re
import threading

_SNAP_ID_RE = re.compile(rb"<snapshotId>(snap-[0-9a-zA-Z]+)</snapshotId>")
_FILTER_NAME_RE = re.compile(r"^Filter\.\d+\.Name$")


class SnapshotLag:
    def __init__(self):
        self.lock = threading.Lock()
        self.tag_lookups = 0
        self.lookups_left = {}  # snapshot id -> tag lookups it is still left out of
        self.hidden = {}

    def configure(self, spec: dict) -> None:
        if not isinstance(spec, dict) or set(spec) - {"tag_lookups"}:
            raise ValueError('snapshot-lag takes {"tag_lookups": N}')
        n = spec.get("tag_lookups", 0)
        if not (isinstance(n, int) and n >= 0):
            raise ValueError("tag_lookups must be a non-negative integer")
        with self.lock:
            self.tag_lookups = n

    def state(self) -> dict:
        with self.lock:
            return {"tag_lookups": self.tag_lookups, "hidden": dict(self.hidden)}

    def reset(self) -> None:
        with self.lock:
            self.tag_lookups, self.lookups_left, self.hidden = 0, {}, {}

    def note_created(self, body: bytes) -> None:
        """A CreateSnapshot(s) answer from moto: its snapshots start lagging."""
        with self.lock:
            if self.tag_lookups <= 0:
                return
            for m in _SNAP_ID_RE.finditer(body):
                self.lookups_left.setdefault(m.group(1).decode(), self.tag_lookups)

    def rewrite(self, params: dict, body: bytes, top_level_items) -> bytes:
        """A DescribeSnapshots answer: drops the lagging snapshots from a lookup by tag."""
        by_tag = any(_FILTER_NAME_RE.match(k) and str(v).startswith("tag:") for k, v in (params or {}).items())
        if not by_tag:
            return body
        start, end = body.find(b"<snapshotSet>"), body.rfind(b"</snapshotSet>")
        if start < 0 or end < 0:
            return body
        pieces, pos = [], 0
        with self.lock:
            if not self.lookups_left:
                return body
            for a, b in top_level_items(body, start, end):
                m = _SNAP_ID_RE.search(body, a, b)
                sid = m.group(1).decode() if m else None
                if sid is None or self.lookups_left.get(sid, 0) <= 0:
                    continue
                self.lookups_left[sid] -= 1
                self.hidden[sid] = self.hidden.get(sid, 0) + 1
                pieces.append(body[pos:a])
                pos = b
        if not pieces:
            return body
        pieces.append(body[pos:])
        return b"".join(pieces)
