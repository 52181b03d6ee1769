"""Issue 16, hostile input: `cordon hunt` and `cordon triage` on logs an attacker wrote.

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/hunt_hostile_test.py -v

* Memory: a gzip flow log that inflates to one line of CORDON_BOMB_GIB GiB (default 2; the issue's case
  is 8 and passes too, in about four times as long) and eight gzip CloudTrail objects of 512 MiB of
  valid JSON each, scanned with --threads 8. The bombs are made by repeating one deflate block that
  ends in a full flush (which is how a 37 MB file holds 8 GiB), so nothing large is held in Python.
  The child's peak resident memory (wait4's ru_maxrss) stays under 300 MB, each bomb is reported in
  `skipped` with its reason, and the planted records around the bombs are still found. The same for
  `cordon triage` (its local-logs hunt reads the same readers), against moto behind the range.
* Coverage: logs behind a link to a folder are read; a FIFO (never opened: the test would hang), a
  socket, a link to a device, a broken link and a link loop are each in `skipped` with their reason.
* Terminals: an OSC 8 link, "erase line", a carriage return and U+009B in a CloudTrail field, a
  GuardDuty title, a file name and an instance tag never reach stdout or stderr raw in text output.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import sys
import tempfile
import unittest
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import triage_hunt_test  # noqa: E402  (build_instance; imported as a module so its tests are not collected)
from helpers import Range, boto3_client, run_cordon, run_cordon_peak  # noqa: E402

MB = 1000 * 1000
PEAK_LIMIT = 300 * MB
IP = "10.0.3.8"
PEER = "198.51.100.7"
FLOW_HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
               "start end action log-status")
GOOD_FLOW = f"2 123456789012 eni-0a1 {IP} {PEER} 40000 443 6 10 4000 1748736000 1748736060 ACCEPT OK\n"
BOMB_GIB = int(os.environ.get("CORDON_BOMB_GIB", "2"))
HOSTILE = "a\x1b]8;;http://evil\x07link\x1b]8;;\x07\x1b[2K\rb\u009bc"
HOSTILE_NAME = HOSTILE.replace("/", "_")  # the same in a file name


FAKE_ROW = "\n  criticality              low"
# A value that ends its line and fakes the next one: an event cordon never saw, a finding row.
FAKE_EVENT = "\n  2025-06-01T00:00:00Z  ec2:TerminateInstances  from 203.0.113.9"


def shown(text: str) -> bytes:
    """`text` as cordon's text output shows one value (OneLine in src/base/terminal_text.h): its control
    characters made visible, a newline too, so that it stays on its line."""
    for raw, visible in (("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\r", "\\x0d"), ("\u009b", "\\u009b"),
                         ("\n", "\\x0a"), ("\t", "\\x09")):
        text = text.replace(raw, visible)
    return text.encode()


def lines_starting(data: bytes, prefix: str) -> list[bytes]:
    return [line for line in data.split(b"\n") if line.startswith(prefix.encode())]


def repeated_gzip(path: Path, head: bytes, unit: bytes, times: int, tail: bytes):
    """Writes a gzip member of head + unit * times + tail, holding only `unit` in memory: the deflate
    block of `unit` after a full flush does not depend on what came before, so it is written `times`
    times; CRC-32 and ISIZE are computed over the real content, so the file is valid gzip."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(unit) * times + len(tail)
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")  # gzip header, mtime 0, unix
        f.write(deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH))
        block = deflate.compress(unit) + deflate.flush(zlib.Z_FULL_FLUSH)
        for _ in range(times):
            f.write(block)
        f.write(deflate.compress(tail) + deflate.flush())
        f.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))


def record(event_id: str, **fields) -> dict:
    r = {"eventVersion": "1.08", "eventID": event_id, "eventTime": "2025-06-01T00:00:00Z",
         "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances", "awsRegion": "us-east-1",
         "sourceIPAddress": IP, "userAgent": "aws-cli/2",
         "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/u"}}
    r.update(fields)
    return r


def make_bombs(root: Path, instance_line_ip: str = IP) -> dict:
    """The flow-log bomb, the eight CloudTrail bombs and the planted good records, under root/flows and
    root/ct. Returns what a hunt must find."""
    flows, ct = root / "flows", root / "ct"
    flows.mkdir(parents=True)
    ct.mkdir(parents=True)
    repeated_gzip(flows / "bomb.log.gz", f"{FLOW_HEADER}\n{GOOD_FLOW}2 123456789012 eni-0a1 {instance_line_ip} ".encode(),
                  b"1" * (1 << 20), BOMB_GIB * 1024, f"\n{GOOD_FLOW}".encode())
    (flows / "good.log").write_text(f"{FLOW_HEADER}\n{GOOD_FLOW}")
    unit = b"".join(json.dumps(record("bomb", requestParameters={"pad": "x" * 900})).encode() + b","
                    for _ in range(1024))  # ~1 MiB of records that all name the IP
    repeated_gzip(ct / "bomb-0.json.gz", b'{"Records":[', unit, 512,
                  json.dumps(record("bomb-last")).encode() + b"]}")
    for i in range(1, 8):
        shutil.copyfile(ct / "bomb-0.json.gz", ct / f"bomb-{i}.json.gz")  # copies: links are read once
    (ct / "good.json").write_text(json.dumps({"Records": [record("planted-1")]}))
    return {"flows": flows, "ct": ct}


def control_points(data: bytes) -> list[str]:
    """Every C0 control but \\n and \\t, DEL, and every C1 code point (U+0080..U+009F) in UTF-8 `data`,
    plus any byte 0x80..0x9F that is not part of a valid UTF-8 sequence (an 8-bit C1 to some terminals)."""
    found = []
    text = data.decode("utf-8", errors="surrogateescape")
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in "\n\t") or o == 0x7F or 0x80 <= o <= 0x9F:
            found.append(f"U+{o:04X} at {i}")
        elif 0xDC80 <= o <= 0xDC9F:  # surrogateescape of a lone byte 0x80..0x9F
            found.append(f"byte 0x{o - 0xDC00:02x} at {i}")
    return found


class HuntBombsTest(unittest.TestCase):
    """`cordon hunt` on the bombs: bounded memory, each bomb skipped with its reason, the rest read."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-bombs-"))
        cls.paths = make_bombs(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_peak_memory_stays_under_300_mb(self):
        proc, peak = run_cordon_peak(["hunt", "--ip", IP, "--cloudtrail", self.paths["ct"], "--flow-logs",
                                      self.paths["flows"], "--threads", "8", "--output", "json", "--quiet"],
                                     env={"CORDON_CONFIG": ""})
        self.assertEqual(proc.returncode, 6, proc.stderr.decode())
        self.assertLess(peak, PEAK_LIMIT, f"peak RSS {peak / MB:.0f} MB")
        out = json.loads(proc.stdout)
        skipped = {Path(s["file"]).name: s for s in out["skipped"]}
        flow_bomb = skipped["bomb.log.gz"]
        self.assertEqual(flow_bomb["unit"], "line")
        self.assertTrue(flow_bomb["reason"].startswith("line over 65536 bytes (first at byte "), flow_bomb)
        for i in range(8):
            bomb = skipped[f"bomb-{i}.json.gz"]
            self.assertEqual(bomb["unit"], "object")
            self.assertIn("memory budget", bomb["reason"])
        self.assertEqual(len(skipped), 9, skipped)
        # The rest was read: the planted event, and the good flow of good.log plus the two around the line.
        self.assertEqual([e["eventID"] for e in out["cloudtrail"]["by"]], ["planted-1"])
        self.assertEqual(out["flows"]["matched_records"], 3)
        self.assertEqual(out["flows"]["aggregates"][0]["peer"], PEER)
        self.assertGreater(out["summary"]["bytes_scanned"], BOMB_GIB << 30, "the whole line was streamed")
        self.assertFalse(out["summary"]["complete"])
        self.assertIn(b"bomb.log.gz", proc.stderr)


class TriageBombsTest(unittest.TestCase):
    """`cordon triage` with the bombs as its local log sources: the same bound and the same skips."""

    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint
        cls.s = triage_hunt_test.build_instance(cls.endpoint)
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-triage-bombs-"))
        cls.paths = make_bombs(cls.tmp, instance_line_ip=triage_hunt_test.SUSPECT_IP)

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_triage_hunt_stays_under_300_mb(self):
        proc, peak = run_cordon_peak(["triage", self.s["iid"], "--since", "2025-01-01", "--output", "json",
                                      "--cloudtrail", self.paths["ct"], "--flow-logs", self.paths["flows"],
                                      "--max-attempts", "1"],
                                     endpoint=self.endpoint, env={"CORDON_CONFIG": ""})
        self.assertEqual(proc.returncode, 6, proc.stderr.decode())
        self.assertLess(peak, PEAK_LIMIT, f"peak RSS {peak / MB:.0f} MB")
        out = json.loads(proc.stdout)
        self.assertEqual(out["target"]["instance_id"], self.s["iid"])
        skipped = {Path(s["file"]).name: s for s in out["hunt"]["skipped"]}
        self.assertEqual(sorted(skipped), ["bomb-%d.json.gz" % i for i in range(8)] + ["bomb.log.gz"])
        self.assertTrue(skipped["bomb.log.gz"]["reason"].startswith("line over 65536 bytes"))
        self.assertEqual([p["part"] for p in out["incomplete"]], ["hunt"])


class HuntCoverageTest(unittest.TestCase):
    """Every entry of a log folder is read or named in `skipped`: links followed, loops detected."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-coverage-"))
        real = cls.tmp / "disk2" / "cloudtrail"
        real.mkdir(parents=True)
        (real / "trail.json").write_text(json.dumps({"Records": [record("behind-link")]}))
        root = cls.root = cls.tmp / "logs"
        root.mkdir()
        (root / "ct").symlink_to(real)
        os.mkfifo(root / "pipe.json")
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(root / "agent.sock"))
        (root / "zero.json").symlink_to("/dev/zero")
        (root / "gone.json").symlink_to(root / "deleted.json")
        (root / "again").symlink_to(root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_links_are_followed_and_every_entry_not_read_is_skipped(self):
        proc = run_cordon(["hunt", "--ip", IP, "--cloudtrail", self.root, "--output", "json", "--quiet"],
                          env={"CORDON_CONFIG": ""}, timeout=60)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        out = json.loads(proc.stdout)
        self.assertEqual([e["eventID"] for e in out["cloudtrail"]["by"]], ["behind-link"])
        reasons = {Path(s["file"]).name: s["reason"] for s in out["skipped"]}
        self.assertEqual(reasons["pipe.json"], "FIFO (named pipe): not opened, reading it could block")
        self.assertEqual(reasons["agent.sock"], "socket: not a file")
        self.assertEqual(reasons["zero.json"], "character device: not a file")
        self.assertTrue(reasons["gone.json"].startswith("broken link to "), reasons)
        self.assertEqual(reasons["again"], f"link loop: leads back to {self.root} (not walked again)")
        self.assertEqual(len(reasons), 5, reasons)
        self.assertEqual(out["summary"]["objects_skipped"], 5)
        self.assertFalse(out["summary"]["complete"])
        # stderr names each too, for whoever only reads the terminal.
        for name in reasons:
            self.assertIn(name, proc.stderr)

    def test_text_output_lists_them(self):
        proc = run_cordon(["hunt", "--ip", IP, "--cloudtrail", self.root, "--quiet"], env={"CORDON_CONFIG": ""},
                          timeout=60)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        self.assertIn("pipe.json: 1 object: FIFO (named pipe)", proc.stdout)
        self.assertIn("INCOMPLETE", proc.stdout)


class TerminalTextTest(unittest.TestCase):
    """Text output and stderr carry no raw control characters from the logs or from AWS."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-terminal-"))
        logs = cls.tmp / ("logs-" + HOSTILE_NAME)
        (logs / "ct").mkdir(parents=True)
        (logs / "gd").mkdir()
        (logs / "ct" / "trail.json").write_text(json.dumps({"Records": [record(
            "ev-" + HOSTILE, eventName="Describe" + HOSTILE, errorCode=HOSTILE,
            userIdentity={"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/" + HOSTILE})]}))
        (logs / "ct" / "fake-line.json").write_text(json.dumps({"Records": [record(
            "ev-fake", eventName="DescribeVolumes" + FAKE_EVENT, userAgent="x")]}))
        (logs / "ct" / (HOSTILE_NAME + ".json")).write_text("not JSON at all " + IP)  # a skipped file name
        (logs / "gd" / "finding.json").write_text(json.dumps({
            "schemaVersion": "2.0", "id": "gd-1", "type": "UnauthorizedAccess:EC2/TorClient",
            "title": "Title " + HOSTILE, "severity": 8, "updatedAt": "2025-06-01T00:00:00Z",
            "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": "i-0abc",
                         "networkInterfaces": [{"privateIpAddress": IP}]}}}))
        cls.logs = logs

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assert_clean(self, data: bytes, what: str):
        self.assertEqual(control_points(data), [], f"{what}:\n{data!r}")
        self.assertNotIn(b"\x1b]8;;", data, what)

    def test_hunt_text_and_stderr(self):
        proc = run_cordon(["hunt", "--ip", IP, "--cloudtrail", self.logs / "ct", "--guardduty", self.logs / "gd",
                           "--quiet"], env={"CORDON_CONFIG": ""}, raw=True)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        self.assert_clean(proc.stdout, "stdout")
        self.assert_clean(proc.stderr, "stderr")
        self.assertIn(b"Describe" + shown(HOSTILE), proc.stdout)            # a CloudTrail field
        self.assertIn(b"Title " + shown(HOSTILE), proc.stdout)              # a GuardDuty title
        self.assertIn(b"/" + shown(HOSTILE_NAME) + b".json", proc.stdout)  # a file name (skipped)
        self.assertIn(b"/" + shown(HOSTILE_NAME) + b".json", proc.stderr)  # and its warning
        # A newline in a field stays on the field's line: the event it fakes is not a line of its own.
        self.assertIn(b"DescribeVolumes" + shown(FAKE_EVENT), proc.stdout)
        self.assertEqual(lines_starting(proc.stdout, FAKE_EVENT.lstrip("\n")), [], proc.stdout)

    def test_hunt_json_escapes_instead(self):
        proc = run_cordon(["hunt", "--ip", IP, "--cloudtrail", self.logs / "ct", "--guardduty", self.logs / "gd",
                           "--quiet", "--output", "json"], env={"CORDON_CONFIG": ""}, raw=True)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        for byte in (b"\x1b", b"\x07", b"\r"):
            self.assertNotIn(byte, proc.stdout)
        out = json.loads(proc.stdout)
        self.assertEqual(out["cloudtrail"]["by"][0]["eventName"], "Describe" + HOSTILE)  # exact
        self.assertEqual(out["findings"][0]["title"], "Title " + HOSTILE)


class TriageTerminalTest(unittest.TestCase):
    """`cordon triage` text with an instance tag, a CloudTrail field and a GuardDuty title from the logs."""

    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint
        cls.s = triage_hunt_test.build_instance(cls.endpoint)
        ec2 = boto3_client("ec2", cls.endpoint)
        ec2.create_tags(Resources=[cls.s["iid"]], Tags=[{"Key": "Name", "Value": "web " + HOSTILE},
                                                        {"Key": "owner", "Value": "alice" + FAKE_ROW}])
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-triage-terminal-"))
        (cls.tmp / "ct").mkdir()
        (cls.tmp / "ct" / "trail.json").write_text(json.dumps({"Records": [record(
            "ev-1", eventName="Describe" + HOSTILE, sourceIPAddress=triage_hunt_test.SUSPECT_IP),
            record("ev-2", eventName="DescribeVolumes" + FAKE_EVENT, sourceIPAddress=triage_hunt_test.SUSPECT_IP)]}))

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_triage_text(self):
        # moto returns the tag raw inside its XML (which boto3's strict parser then refuses, so boto3
        # cannot judge it here); cordon's JSON output shows it holds the attacker's bytes, but for the
        # \r, which XML end-of-line handling makes \n (XML 1.0, section 2.11).
        tag = "web " + HOSTILE.replace("\r", "\n")
        js = run_cordon(["triage", self.s["iid"], "--since", "2025-01-01", "--cloudtrail", self.tmp / "ct",
                         "--max-attempts", "1", "--output", "json"], endpoint=self.endpoint,
                        env={"CORDON_CONFIG": ""}, raw=True)
        self.assertIn(js.returncode, (0, 6), js.stderr)
        self.assertNotIn(b"\x1b", js.stdout)
        self.assertEqual(json.loads(js.stdout)["inventory"]["instance"]["tags"]["Name"], tag)
        proc = run_cordon(["triage", self.s["iid"], "--since", "2025-01-01", "--cloudtrail", self.tmp / "ct",
                           "--max-attempts", "1"], endpoint=self.endpoint, env={"CORDON_CONFIG": ""}, raw=True)
        self.assertIn(proc.returncode, (0, 6), proc.stderr)
        self.assertEqual(control_points(proc.stdout), [], proc.stdout)
        self.assertEqual(control_points(proc.stderr), [], proc.stderr)
        self.assertIn(b'"' + shown(tag) + b'"', proc.stdout)       # the Name tag in the heading
        self.assertIn(b"Describe" + shown(HOSTILE), proc.stdout)      # the CloudTrail event (Log hunt)
        # The owner tag's newline would have printed a second "criticality" row, claiming "low".
        self.assertIn(b"alice" + shown(FAKE_ROW), proc.stdout)
        self.assertEqual(len(lines_starting(proc.stdout, "  criticality ")), 1, proc.stdout)
        self.assertIn(b"DescribeVolumes" + shown(FAKE_EVENT), proc.stdout)  # in the Log hunt's events
        self.assertEqual(lines_starting(proc.stdout, FAKE_EVENT.lstrip("\n")), [], proc.stdout)


if __name__ == "__main__":
    unittest.main()
