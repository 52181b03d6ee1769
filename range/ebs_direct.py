"""The EBS direct APIs' read side (ListSnapshotBlocks, GetSnapshotBlock) for the snapshots made through the range.

moto 5.x serves the EBS direct APIs only for snapshots written with StartSnapshot/PutSnapshotBlock, so a
snapshot made with CreateSnapshot(s) has no blocks there. The range gives every snapshot it saw created
(CreateSnapshot, CreateSnapshots, CopySnapshot answers) deterministic content derived from its volume id:
a few non-zero 512 KiB blocks at indexes drawn from the volume id, the rest absent (never written, read as
zeros). Two snapshots of one volume hold the same content. Snapshots the range did not see created go to
moto unchanged.

The wire shapes follow the EBS direct APIs reference (REST-JSON, service "ebs", API version 2019-11-02):
- ListSnapshotBlocks, `GET /snapshots/{snapshotId}/blocks?maxResults&pageToken&startingBlockIndex`
  (https://docs.aws.amazon.com/ebs/latest/APIReference/API_ListSnapshotBlocks.html): `{"Blocks":
  [{"BlockIndex", "BlockToken"}], "BlockSize": 524288, "VolumeSize": GiB, "ExpiryTime": epoch seconds,
  "NextToken"?}`, blocks in increasing index order, MaxResults 100 to 10000.
- GetSnapshotBlock, `GET /snapshots/{snapshotId}/blocks/{blockIndex}?blockToken=...`
  (https://docs.aws.amazon.com/ebs/latest/APIReference/API_GetSnapshotBlock.html): the block's bytes with
  `x-amz-Data-Length`, `x-amz-Checksum` (base64 SHA-256 of the bytes) and `x-amz-Checksum-Algorithm:
  SHA256`.
- Errors as the reference lists them: 400 ValidationException (Reason INVALID_BLOCK_TOKEN,
  INVALID_PAGE_TOKEN, INVALID_PARAMETER_VALUE, INVALID_BLOCK), with the error type in `x-amzn-ErrorType`
  and `{"Message", "Reason"}` as the body; throttling is 400 ThrottlingException ("The request was denied
  due to request throttling", Common Errors).

Test knobs (`POST /__range/ebs`, JSON; `GET /__range/ebs` reads the state back):
- `{"corrupt": [{"snapshot": "snap-..." or "*", "block": N}]}`: that block is sent with a checksum that
  does not match its bytes (the bytes are right), as a corrupted transfer would look.
- `{"throttle": 0.05, "seed": 7}`: that fraction of the EBS requests is answered ThrottlingException.
- `{"data_blocks": 1024}`: non-zero blocks per volume (default 48), for the benchmark (bench/image/).
- the state holds `reads`: per snapshot, per block index, how many times GetSnapshotBlock sent it, and
  `lists`: how many ListSnapshotBlocks pages were served.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import random
import re
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

BLOCK_SIZE = 512 * 1024
BLOCKS_PER_GIB = (1 << 30) // BLOCK_SIZE
MAX_DATA_BLOCKS = 48  # non-zero blocks per volume: enough to exercise paging-free parallel reads
LIST_PATH = re.compile(r"^/snapshots/(snap-[0-9a-zA-Z]+)/blocks/?$")
BLOCK_PATH = re.compile(r"^/snapshots/(snap-[0-9a-zA-Z]+)/blocks/([0-9]+)$")
TOKEN_KEY = b"cordon-range-ebs"


def operation(method: str, path: str) -> str | None:
    """The EBS operation of a request the range serves, for the stats."""
    bare = path.split("?", 1)[0]
    if method == "GET" and LIST_PATH.match(bare):
        return "ListSnapshotBlocks"
    if method == "GET" and BLOCK_PATH.match(bare):
        return "GetSnapshotBlock"
    return None


@functools.lru_cache(maxsize=256)
def data_blocks(volume_id: str, size_gib: int, count: int = MAX_DATA_BLOCKS) -> tuple[int, ...]:
    """The indexes of the volume's `count` non-zero blocks, in increasing order (block 0 always: a boot
    sector)."""
    total = max(size_gib, 1) * BLOCKS_PER_GIB
    rng = random.Random(hashlib.sha256(volume_id.encode()).digest())
    picked = set(rng.sample(range(1, total), max(0, min(count - 1, total - 1))))
    return tuple(sorted(picked | {0}))


def block_bytes(volume_id: str, index: int) -> bytes:
    """The content of one non-zero block of the volume."""
    return hashlib.shake_256(f"{volume_id}:{index}".encode()).digest(BLOCK_SIZE)


def block_token(snapshot_id: str, index: int) -> str:
    mac = hashlib.sha256(TOKEN_KEY + f"{snapshot_id}:{index}".encode()).digest()
    return base64.b64encode(mac[:24]).decode()


class EbsError(Exception):
    def __init__(self, status: int, error_type: str, reason: str | None, message: str):
        super().__init__(message)
        self.status, self.error_type, self.reason, self.message = status, error_type, reason, message

    def answer(self):
        body = {"Message": self.message}
        if self.reason:
            body["Reason"] = self.reason
        return self.status, [("x-amzn-ErrorType", self.error_type), ("Content-Type", "application/json")], \
            json.dumps(body).encode()


def _invalid(reason: str, message: str) -> EbsError:
    return EbsError(400, "ValidationException", reason, message)


class EbsDirect:
    """Thread-safe: the proxy's handler threads call it concurrently."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.snapshots = {}  # snapshot id -> (volume id, GiB)
            self.corrupt = []
            self.throttle = 0.0
            self.rng = random.Random(0)
            self.reads = {}
            self.data_blocks = MAX_DATA_BLOCKS
            self.lists = 0
            self.throttled = 0

    # ---- learning snapshots and knobs ---------------------------------------------------------
    def note_created(self, body: bytes) -> None:
        """Records the snapshots of a CreateSnapshot/CreateSnapshots/CopySnapshot answer."""
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return
        found = {}
        for el in root.iter():
            kids = {c.tag.rsplit("}", 1)[-1]: (c.text or "") for c in el}
            if kids.get("snapshotId", "").startswith("snap-") and kids.get("volumeId"):
                size = int(kids["volumeSize"]) if kids.get("volumeSize", "").isdigit() else 1
                found[kids["snapshotId"]] = (kids["volumeId"], size)
        with self.lock:
            self.snapshots.update(found)

    def configure(self, knobs: dict) -> None:
        if not isinstance(knobs, dict):
            raise ValueError("the ebs knobs are a JSON object")
        corrupt = knobs.get("corrupt", [])
        if not isinstance(corrupt, list) or not all(
                isinstance(c, dict) and isinstance(c.get("block"), int) and isinstance(c.get("snapshot", "*"), str)
                for c in corrupt):
            raise ValueError('corrupt is a list of {"snapshot": ID or "*", "block": N}')
        throttle = knobs.get("throttle", 0.0)
        if not isinstance(throttle, (int, float)) or not 0 <= throttle <= 1:
            raise ValueError("throttle is a fraction from 0 to 1")
        count = knobs.get("data_blocks", MAX_DATA_BLOCKS)
        if not isinstance(count, int) or count < 1:
            raise ValueError("data_blocks is a positive number of blocks")
        with self.lock:
            self.data_blocks = count
            self.corrupt = [(c.get("snapshot", "*"), c["block"]) for c in corrupt]
            self.throttle = float(throttle)
            self.rng = random.Random(knobs.get("seed", 0))

    def state(self) -> dict:
        with self.lock:
            return json.loads(json.dumps({
                "snapshots": {k: {"volume_id": v, "size_gib": s} for k, (v, s) in self.snapshots.items()},
                "corrupt": [{"snapshot": s, "block": b} for s, b in self.corrupt],
                "throttle": self.throttle, "data_blocks": self.data_blocks, "reads": self.reads, "lists": self.lists,
                "throttled": self.throttled}))

    def knows(self, path: str) -> bool:
        m = LIST_PATH.match(path) or BLOCK_PATH.match(path)
        with self.lock:
            return bool(m) and m.group(1) in self.snapshots

    # ---- serving ------------------------------------------------------------------------------
    def serve(self, path: str, query: str):
        """(status, headers, body) for a ListSnapshotBlocks or GetSnapshotBlock of a known snapshot."""
        try:
            with self.lock:
                throttled = self.throttle > 0 and self.rng.random() < self.throttle
                self.throttled += throttled
            if throttled:
                raise EbsError(400, "ThrottlingException", None, "The request was denied due to request throttling.")
            q = {k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
            m = BLOCK_PATH.match(path)
            if m:
                return self._get_block(m.group(1), int(m.group(2)), q.get("blockToken", ""))
            return self._list(LIST_PATH.match(path).group(1), q)
        except EbsError as e:
            return e.answer()

    def _list(self, snap: str, q: dict):
        with self.lock:
            volume, gib = self.snapshots[snap]
            count = self.data_blocks
            self.lists += 1
        try:
            max_results = int(q.get("maxResults", "10000"))
            start = int(q.get("startingBlockIndex", "0"))
        except ValueError:
            raise _invalid("INVALID_PARAMETER_VALUE", "maxResults and startingBlockIndex are integers")
        if not 100 <= max_results <= 10000 or start < 0:
            raise _invalid("INVALID_PARAMETER_VALUE", "maxResults must be from 100 to 10000")
        if "pageToken" in q:
            try:
                start = int(base64.b64decode(q["pageToken"], validate=True).decode().split(":", 1)[1])
            except (ValueError, IndexError, UnicodeDecodeError):
                raise _invalid("INVALID_PAGE_TOKEN", "The page token is not valid.")
        blocks = [i for i in data_blocks(volume, gib, count) if i >= start]
        page, rest = blocks[:max_results], blocks[max_results:]
        answer = {"Blocks": [{"BlockIndex": i, "BlockToken": block_token(snap, i)} for i in page],
                  "ExpiryTime": time.time() + 7 * 24 * 3600, "VolumeSize": gib, "BlockSize": BLOCK_SIZE}
        if rest:
            answer["NextToken"] = base64.b64encode(f"{snap}:{rest[0]}".encode()).decode()
        return 200, [("Content-Type", "application/json")], json.dumps(answer).encode()

    def _get_block(self, snap: str, index: int, token: str):
        with self.lock:
            volume, gib = self.snapshots[snap]
            count = self.data_blocks
            corrupt = any(s in ("*", snap) and b == index for s, b in self.corrupt)
        if index not in data_blocks(volume, gib, count) or token != block_token(snap, index):
            raise _invalid("INVALID_BLOCK_TOKEN", "The block token is not valid for this block.")
        data = block_bytes(volume, index)
        digest = hashlib.sha256(data + (b"x" if corrupt else b"")).digest()
        with self.lock:
            per = self.reads.setdefault(snap, {})
            per[str(index)] = per.get(str(index), 0) + 1
        return 200, [("Content-Type", "application/octet-stream"), ("x-amz-Data-Length", str(len(data))),
                     ("x-amz-Checksum", base64.b64encode(digest).decode()),
                     ("x-amz-Checksum-Algorithm", "SHA256")], data
