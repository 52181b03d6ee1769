"""`cordon case report --format html|md|json` (issue 15, "a report people can read") against moto + the range.

A suspect is contained, the logs then show activity on it (CloudTrail and a flow), it is preserved, and
`cordon hunt --case` stores what the logs show in the case. The HTML report is opened in headless Chromium
(Debian's `chromium`): a screenshot is taken, the page logs no console error and loads nothing but its own
file, it prints to PDF, and its timeline (parsed with html.parser) lists the case's actions in journal
order with the hunt's events between the two runs. What the report claims is judged independently: the
journal with sqlite3, the caller with boto3's STS GetCallerIdentity, the snapshots with boto3.

Run from the repository root:  python3 -m unittest tests/integration/case_report_test.py -v
Needs the cordon binary (CORDON_BIN, else build/) and chromium (scripts/install-deps.sh installs it).
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import html.parser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client  # noqa: E402

HOSTILE_MD = "a|b\n# Fake heading\n| fake | row |"  # a tag that would fake a heading and a table row
HOSTILE_NAME = "web-1\"><script>console.error('pwned')</script><img src=http://127.0.0.1:9/x>"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Headless and hermetic: none of Chromium's own background traffic (updates, sync, safe browsing), so that
# any request in the net log is the page's.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
                  "--enable-logging=stderr", "--v=0"]


class TimelineParser(html.parser.HTMLParser):
    """Rows of <table id="timeline-table">: each {source, seq, cells}; and every start tag seen."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.ids = [], [], {}
        self._table = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids[attrs["id"]] = tag
        if tag == "table" and attrs.get("id") == "timeline-table":
            self._table = True
        elif tag == "tr" and self._table and "data-source" in attrs:
            self.rows.append({"source": attrs["data-source"], "seq": int(attrs.get("data-seq", 0)), "cells": []})
        elif tag == "td" and self._table and self.rows:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "td" and self._cell is not None:
            self.rows[-1]["cells"].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def wait_past(t: datetime.datetime):
    """Sleeps until the clock is in a later second than `t` (journal times have one-second resolution)."""
    target = t.replace(microsecond=0) + datetime.timedelta(seconds=1)
    while utc_now() < target:
        time.sleep(0.05)


def journal(db: Path) -> list[dict]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT seq, time, kind, target, step, payload FROM journal ORDER BY seq").fetchall()
    finally:
        con.close()
    return [{"seq": s, "time": t, "kind": k, "target": tg, "step": st, "payload": json.loads(p)}
            for s, t, k, tg, st, p in rows]


def page_requests(path: Path) -> list[str]:
    """The URLs a page asked for, from a Chromium net log (--log-net-log): the URL_REQUEST_START_JOB events
    made on behalf of a document. Chromium's own background requests (component updates, network time,
    account checks, which it makes whatever the page) carry the initiator "not an origin" and no document's
    network isolation key; a request of a page loaded from a file carries "file://" in its key. The page's
    own file:// load is not a network request and is not in the log."""
    log = json.loads(path.read_text(errors="replace"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in log["events"]:
        params = e.get("params") or {}
        if e["type"] != start_job or "url" not in params:
            continue
        if params.get("initiator") != "not an origin" or "file://" in params.get("network_isolation_key", ""):
            urls.append(params["url"])
    return urls


class CaseReportTest(ResponseCase):

    def setUp(self):
        if CHROMIUM is None:
            self.fail("chromium is not installed: scripts/install-deps.sh installs it (Debian package chromium)")
        self.work = Path(tempfile.mkdtemp(prefix="cordon-report-"))
        self.addCleanup(shutil.rmtree, self.work, True)

    def chromium(self, url: str, *flags: str) -> subprocess.CompletedProcess:
        profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=self.work)
        return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *flags, url],
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)

    def console_errors(self, proc) -> list[str]:
        # Chromium logs a page's console messages as "...:CONSOLE(line)] "message", source: URL (line)",
        # or (Chromium 156) "...:INFO:CONSOLE:line] ...".
        return [line for line in proc.stderr.splitlines() if ":CONSOLE(" in line or ":CONSOLE:" in line]

    def test_chromium_harness_sees_console_errors_and_requests(self):
        # The negative checks below mean something only if this harness catches what they rule out.
        probe = self.work / "probe.html"
        probe.write_text("<!DOCTYPE html><title>probe</title><script>console.error('probe-error')</script>"
                         "<img src=\"http://127.0.0.1:9/probe.png\">")
        net_log = self.work / "probe-net.json"
        proc = self.chromium(probe.as_uri(), "--dump-dom", f"--log-net-log={net_log}")
        self.assertTrue(any("probe-error" in line for line in self.console_errors(proc)), proc.stderr[-3000:])
        self.assertEqual(page_requests(net_log), ["http://127.0.0.1:9/probe.png"])

    def test_html_report_timeline_in_chromium(self):
        ids = self.fresh()
        suspect = ids["suspect"]
        ec2 = client("ec2", self.moto)
        ec2.create_tags(Resources=[suspect], Tags=[{"Key": "Name", "Value": HOSTILE_NAME},
                                                   {"Key": "team", "Value": HOSTILE_MD}])
        instance = ec2.describe_instances(InstanceIds=[suspect])["Reservations"][0]["Instances"][0]
        eni = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
        ip = instance["PrivateIpAddress"]

        self.assertExit(self.contain("IR-REP"), 0, "contain")
        db = Path(self.cases_dir, "IR-REP", "case.db")
        contained = journal(db)
        last_contain = datetime.datetime.strptime(contained[-1]["time"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)

        # After the containment, the logs show the instance touched (CloudTrail) and a flow out of it.
        wait_past(last_contain)
        seen = utc_now().replace(microsecond=0)
        logs = self.write_logs(suspect, eni, ip, seen)
        wait_past(seen)
        preserve = self.cordon("preserve", suspect, "--case", "IR-REP", "--cases-dir", self.cases_dir,
                               "--responder", self.responder)
        self.assertExit(preserve, 0, "preserve")
        hunt = self.cordon("hunt", "--instance", suspect, "--ip", ip, "--eni", eni, "--cloudtrail",
                           str(logs / "cloudtrail"), "--flow-logs", str(logs / "flows"), "--case", "IR-REP",
                           "--cases-dir", self.cases_dir, "--responder", self.responder, "--quiet", endpoint=False)
        self.assertExit(hunt, 0, "hunt --case")

        out = self.work / "report.html"
        proc = self.cordon("case", "report", "IR-REP", "--format", "html", "--cases-dir", self.cases_dir,
                           "--out", str(out), endpoint=False)
        self.assertExit(proc, 0, "case report --format html")
        page = out.read_bytes()
        records = journal(db)

        # The report's own SHA-256 is in the journal, naming the journal head it was rendered from.
        written = [r for r in records if r["kind"] == "report.written"]
        self.assertEqual(len(written), 1)
        self.assertEqual(written[0]["payload"]["sha256"], hashlib.sha256(page).hexdigest())
        self.assertEqual(written[0]["payload"]["format"], "html")
        self.assertEqual(written[0]["payload"]["head_seq"], written[0]["seq"] - 1)

        self.check_in_chromium(out)
        self.check_timeline(page.decode(), records, seen)
        self.check_auditor_facts(page.decode(), records, suspect)

        # md and json say the same; json parses and carries the same timeline.
        for fmt in ("md", "json"):
            target = self.work / f"report.{fmt}"
            self.assertExit(self.cordon("case", "report", "IR-REP", "--format", fmt, "--cases-dir", self.cases_dir,
                                        "--out", str(target), endpoint=False), 0, f"case report --format {fmt}")
        doc = json.loads((self.work / "report.json").read_text())
        self.assertIn("isolated since", doc["current_state"])
        events = [e for e in doc["timeline"] if e["source"] == "cloudtrail"]
        self.assertEqual([e["what"] for e in events], ["ec2:ModifyInstanceAttribute", "ec2:CreateTags"])
        self.assertEqual(doc["runs"][0]["caller_arn"], self.caller()["Arn"])
        self.assertIn("| preserve-metadata-1 | done |", (self.work / "report.md").read_text())
        self.assertIn("## Timeline", (self.work / "report.md").read_text())
        self.check_markdown_bytes((self.work / "report.md").read_bytes())
        self.assertChainIntact(self.case_verify("IR-REP"), "the report records keep the chain intact")

    def test_how_it_happened_from_posture_and_hunt(self):
        """Issue 14: `posture --case` and `hunt --case` (with --sigma) in the case; the report's posture
        section and "How it happened" say what they found, in time order, each line with its source, judged
        against boto3's view of the suspect before containment and the logs written here."""
        ids = self.fresh()
        suspect = ids["suspect"]
        ec2 = client("ec2", self.moto)
        before = ec2.describe_instances(InstanceIds=[suspect])["Reservations"][0]["Instances"][0]
        groups = {g["GroupId"]: n["NetworkInterfaceId"] for n in before["NetworkInterfaces"] for g in n["Groups"]}
        world_open = sorted(g["GroupId"] for g in ec2.describe_security_groups(GroupIds=sorted(groups))["SecurityGroups"]
                            if any(r.get("CidrIp") == "0.0.0.0/0" for p in g["IpPermissions"] for r in p.get("IpRanges", [])))
        self.assertTrue(world_open, "boto3: the scenario's web group is open to the world")
        public = sorted({n["Association"]["PublicIp"] for n in before["NetworkInterfaces"]
                         if n.get("Association", {}).get("PublicIp")})
        self.assertTrue(public, "boto3: the suspect has a public address (its Elastic IP)")
        imdsv1 = before["MetadataOptions"]["HttpTokens"] == "optional"
        ip = before["PrivateIpAddress"]

        self.assertExit(self.contain("IR-HOW"), 0, "contain")
        # Nothing is known yet beyond the pre-state: the section says what would tell the rest.
        doc = self.report_json("IR-HOW")
        how = doc["how_it_happened"]
        self.assertEqual(how["events"], [])
        self.assertEqual(sorted(line["what"].split(" ")[0] for line in how["exposure"]), public)
        self.assertTrue(all(line["kind"] == "public address" and "pre-state of " + suspect in line["source"]
                            for line in how["exposure"]))
        gaps = " ".join(how["not_known"])
        self.assertIn("cordon posture --case IR-HOW", gaps)
        self.assertIn(f"cordon hunt --instance {suspect}", gaps)
        self.assertIsNone(doc["posture"])
        # Contained: no ENI is in its old groups any more (boto3), so the share must come from the pre-state.
        after = ec2.describe_instances(InstanceIds=[suspect])["Reservations"][0]["Instances"][0]
        self.assertFalse({g["GroupId"] for n in after["NetworkInterfaces"] for g in n["Groups"]} & set(groups))

        posture = self.cordon("posture", "--case", "IR-HOW", "--cases-dir", self.cases_dir, "--responder",
                              self.responder, "--output", "json")
        self.assertExit(posture, (0, 6), "posture --case")
        db = Path(self.cases_dir, "IR-HOW", "case.db")
        [added] = [r["payload"] for r in journal(db) if r["kind"] == "evidence.added"
                   and r["payload"]["location"].startswith("evidence/posture-")]
        stored_bytes = Path(self.cases_dir, "IR-HOW", added["location"]).read_bytes()
        self.assertEqual(hashlib.sha256(stored_bytes).hexdigest(), added["sha256"])
        stored = json.loads(stored_bytes)
        self.assertEqual(stored["findings"], json.loads(posture.stdout)["findings"], "the file is --output json's")
        share = stored["case_share"]
        for wanted in [suspect, *groups, *groups.values()]:
            self.assertIn(wanted, share["ids"])
        self.assertEqual(sorted(f["evidence"][0] for f in share["findings"] if f["check"] == "sg.world_open"),
                         world_open)
        self.assertEqual([f["evidence"] for f in share["findings"] if f["check"] == "instance.imdsv1"],
                         [[suspect]] if imdsv1 else [])

        # The attacker: a flow in to the suspect, then its role credentials used from the same address
        # (ec2RoleDelivery proves EC2 issued the session), a call a Sigma rule flags.
        attacker = "203.0.113.66"
        t0 = utc_now().replace(microsecond=0) - datetime.timedelta(minutes=30)
        logs = self.attack_logs(suspect, ip, attacker, t0)
        rule = Path(__file__).resolve().parents[1] / "data/sigma/rules/cloud/aws/cloudtrail/aws_sts_getcalleridentity_trufflehog.yml"
        hunt = self.cordon("hunt", "--instance", suspect, "--ip", ip, "--role", "web-role", "--cloudtrail",
                           str(logs / "cloudtrail"), "--flow-logs", str(logs / "flows"), "--sigma", str(rule),
                           "--case", "IR-HOW", "--cases-dir", self.cases_dir, "--responder", self.responder,
                           "--quiet", endpoint=False)
        self.assertExit(hunt, 0, "hunt --sigma --case")

        out = self.work / "how.html"
        self.assertExit(self.cordon("case", "report", "IR-HOW", "--format", "html", "--cases-dir", self.cases_dir,
                                    "--out", str(out), endpoint=False), 0, "case report --format html")
        self.check_in_chromium(out)
        parser = TimelineParser()
        parser.feed(out.read_text())
        for section in ("how-it-happened", "cause-exposure", "cause-events", "posture", "posture-share"):
            self.assertIn(section, parser.ids)
        self.assertNotIn("script", parser.tags)

        doc = self.report_json("IR-HOW")
        how = doc["how_it_happened"]
        exposure = how["exposure"]
        opened = [line for line in exposure if line["kind"] == "open group"]
        self.assertEqual(len(opened), len(world_open))
        for line in opened:
            self.assertIn(added["location"], line["source"])
            self.assertTrue(any(g in line["source"] for g in world_open), line)
        self.assertEqual(sorted(line["what"].split(" ")[0] for line in exposure if line["kind"] == "public address"),
                         public)
        self.assertEqual(len([line for line in exposure if line["kind"] == "IMDSv1"]), 1 if imdsv1 else 0)
        events = how["events"]
        self.assertEqual([e["kind"] for e in events], ["first contact", "credential use", "sigma"])
        self.assertEqual([e["time"] for e in events],
                         [iso(t0), iso(t0 + datetime.timedelta(minutes=5)), iso(t0 + datetime.timedelta(minutes=5))])
        hunt_file = next(h for h in doc["hunts"])
        self.assertIn(f"first flow with {attacker}", events[0]["what"])
        self.assertIn(f"{hunt_file}: flows.aggregates (peer {attacker}, port 22)", events[0]["source"])
        self.assertIn(f"used from {attacker}", events[1]["what"])
        self.assertIn("CloudTrail event ev-attack (GetCallerIdentity)", events[1]["source"])
        self.assertIn("AWS STS GetCallerIdentity Enumeration Via TruffleHog", events[2]["what"])
        self.assertIn("9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d", events[2]["what"])
        self.assertIn("sigma.matches", events[2]["source"])
        self.assertEqual(how["not_known"], [])

        report_posture = doc["posture"]
        self.assertEqual(report_posture["location"], added["location"])
        self.assertEqual(len(report_posture["share"]), len(share["findings"]))
        self.assertEqual(len(report_posture["share"]) + len(report_posture["elsewhere"]) +
                         report_posture["elsewhere_left_out"], len(stored["findings"]))
        md_path = self.work / "how.md"
        self.assertExit(self.cordon("case", "report", "IR-HOW", "--format", "md", "--cases-dir", self.cases_dir,
                                    "--out", str(md_path), endpoint=False), 0, "case report --format md")
        md = md_path.read_text()
        self.assertIn("## How it happened", md)
        self.assertIn("## Posture", md)
        self.assertIn(f"aws ec2 revoke-security-group-ingress --group-id {world_open[0]}", md)
        self.assertIn("| first contact |", md)
        # posture and hunt keep the chain intact; the case has no evidence bucket, so no anchor (exit 6)
        verify = self.case_verify("IR-HOW")
        self.assertChainIntact(verify, "posture and hunt keep the chain intact")
        self.assertEqual(verify.returncode, 6, "a case with no evidence bucket has no anchor")

    # -- pieces

    def report_json(self, case: str) -> dict:
        target = self.work / f"{case}.json"
        self.assertExit(self.cordon("case", "report", case, "--format", "json", "--cases-dir", self.cases_dir,
                                    "--out", str(target), endpoint=False), 0, "case report --format json")
        return json.loads(target.read_text())

    def attack_logs(self, suspect: str, ip: str, attacker: str, t0: datetime.datetime) -> Path:
        """A flow from `attacker` to the suspect's SSH port at t0, and at t0+5 min the suspect's role session
        (EC2-issued: sessionContext.ec2RoleDelivery, as CloudTrail's userIdentity element documents) calling
        GetCallerIdentity from `attacker` with TruffleHog's user agent."""
        logs = self.work / "attack"
        (logs / "cloudtrail").mkdir(parents=True)
        (logs / "flows").mkdir()
        arn = f"arn:aws:sts::123456789012:assumed-role/web-role/{suspect}"
        record = {"eventVersion": "1.09", "eventID": "ev-attack", "eventTime": iso(t0 + datetime.timedelta(minutes=5)),
                  "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "awsRegion": "us-east-1",
                  "sourceIPAddress": attacker, "userAgent": "TruffleHog",
                  "userIdentity": {"type": "AssumedRole", "principalId": f"AROAEXAMPLE:{suspect}", "arn": arn,
                                   "accountId": "123456789012", "accessKeyId": "ASIAEXAMPLESTOLEN001",
                                   "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "web-role",
                                                                        "arn": "arn:aws:iam::123456789012:role/web-role"},
                                                      "ec2RoleDelivery": "2.0"}},
                  "requestParameters": None, "responseElements": None, "readOnly": True, "eventType": "AwsApiCall",
                  "recipientAccountId": "123456789012"}
        (logs / "cloudtrail" / "trail.json").write_text(json.dumps({"Records": [record]}))
        start = int(t0.timestamp())
        header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end " \
                 "action log-status"
        row = f"2 123456789012 eni-00000000000000001 {attacker} {ip} 51515 22 6 12 2400 {start} {start + 30} ACCEPT OK"
        (logs / "flows" / "flow.log").write_text(header + "\n" + row + "\n")
        return logs


    def caller(self) -> dict:
        return client("sts", self.moto).get_caller_identity()

    def write_logs(self, suspect: str, eni: str, ip: str, when: datetime.datetime) -> Path:
        logs = self.work / "logs"
        day = logs / "cloudtrail" / "AWSLogs" / "123456789012" / "CloudTrail" / "us-east-1" / when.strftime("%Y/%m/%d")
        day.mkdir(parents=True)
        admin = {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/mallory", "userName": "mallory"}

        def record(event_id, seconds, name, params):
            return {"eventVersion": "1.08", "eventID": event_id, "eventTime": iso(when + datetime.timedelta(seconds=seconds)),
                    "eventName": name, "eventSource": "ec2.amazonaws.com", "awsRegion": "us-east-1",
                    "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2", "userIdentity": admin,
                    "requestParameters": params}
        # Both within the second `when` names, which lies between the two runs; the second after the first.
        records = [record("ev-1", 0, "ModifyInstanceAttribute", {"instanceId": suspect}),
                   record("ev-2", 0, "CreateTags", {"resourcesSet": {"items": [{"resourceId": suspect}]},
                                                       "tagSet": {"items": [{"key": "x", "value": "<b>y</b>"}]}})]
        records[1]["eventTime"] = when.strftime("%Y-%m-%dT%H:%M:%S") + ".500Z"
        with gzip.open(day / "123456789012_CloudTrail_us-east-1_test.json.gz", "wt") as f:
            json.dump({"Records": records}, f)
        flows = logs / "flows"
        flows.mkdir()
        start = int(when.timestamp())
        header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end " \
                 "action log-status"
        row = f"2 123456789012 {eni} {ip} 203.0.113.77 49152 443 6 40 90000 {start} {start} ACCEPT OK"
        (flows / "flow.log").write_text(header + "\n" + row + "\n")
        return logs

    def check_in_chromium(self, out: Path):
        shot, pdf, net_log = self.work / "report.png", self.work / "report.pdf", self.work / "net.json"
        proc = self.chromium(out.as_uri(), f"--screenshot={shot}", "--window-size=1280,2400",
                             f"--log-net-log={net_log}")
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        self.assertEqual(shot.read_bytes()[:8], b"\x89PNG\r\n\x1a\n", "a PNG screenshot")
        self.assertGreater(shot.stat().st_size, 10000, "the screenshot shows the page")
        self.assertEqual(self.console_errors(proc), [], "the page logs nothing to the console")
        # The only load is the report's own file: no script, font, image or style from anywhere (the hostile
        # tag value's <img src=http://...> stayed text).
        self.assertEqual(page_requests(net_log), [], "the page asked for something besides its own file")
        proc = self.chromium(out.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        data = pdf.read_bytes()
        self.assertTrue(data.startswith(b"%PDF-"), data[:16])
        self.assertGreaterEqual(len(re.findall(rb"/Type\s*/Page[^s]", data)), 1, "the PDF has pages")

    def check_timeline(self, page: str, records: list[dict], seen: datetime.datetime):
        parser = TimelineParser()
        parser.feed(page)
        self.assertNotIn("script", parser.tags, "a hostile value became an element")
        self.assertNotIn("img", parser.tags, "a hostile value became an element")
        rows = parser.rows
        self.assertTrue(rows, "the timeline has rows")
        times = [r["cells"][0] for r in rows]
        self.assertEqual(times, sorted(times), "the timeline is in time order")
        # cordon's actions, in journal order, are the journal's records (aws.call and intents aside).
        cordon = [r["seq"] for r in rows if r["source"] == "cordon"]
        self.assertEqual(cordon, sorted(cordon), "cordon's actions in journal order")
        shown = {r["seq"] for r in rows if r["source"] == "cordon"}
        done = {r["seq"] for r in records if r["kind"] in ("step.done", "step.failed", "evidence.added", "run.identity")
                and r["seq"] < max(shown)}
        self.assertLessEqual(done, shown, "every step outcome, evidence item and run of the journal is shown")
        # The hunt's events sit between the contain run and the preserve run.
        preserve_start = next(r["seq"] for r in records if r["kind"] == "run.identity"
                              and r["payload"]["command"] == "preserve")
        hunt_rows = [i for i, r in enumerate(rows) if r["source"] in ("cloudtrail", "flow")]
        self.assertEqual([rows[i]["cells"][2] for i in hunt_rows if rows[i]["source"] == "cloudtrail"],
                         ["ec2:ModifyInstanceAttribute", "ec2:CreateTags"])
        self.assertTrue(any(rows[i]["source"] == "flow" and "203.0.113.77:443" in rows[i]["cells"][2]
                            for i in hunt_rows), "the flow peak is on the timeline")
        before = [i for i, r in enumerate(rows) if r["source"] == "cordon" and r["seq"] < preserve_start]
        after = [i for i, r in enumerate(rows) if r["source"] == "cordon" and r["seq"] >= preserve_start]
        self.assertTrue(before and after)
        self.assertLess(max(before), min(hunt_rows), "contain's actions come before the hunt's events")
        self.assertGreater(min(after), max(hunt_rows), "preserve's actions come after them")
        self.assertTrue(all(rows[i]["cells"][0] == iso(seen) for i in hunt_rows))

    def check_markdown_bytes(self, md: bytes):
        """Issue 16: the tag's newline starts no Markdown line (no fake heading or row), its '|' is escaped as
        GFM tables require, and the HTML of the other tag is no tag (judged on the raw bytes)."""
        lines = md.split(b"\n")
        self.assertFalse([ln for ln in lines if ln.startswith(b"# Fake") or ln.startswith(b"| fake")], md[:3000])
        self.assertNotIn(b"\r", md)
        self.assertIn(b"team=a\\|b\\\\x0a# Fake heading\\\\x0a\\| fake \\| row \\|", md)
        self.assertIn(b"\\<script>", md)
        self.assertIsNone(re.search(rb"(?<!\\)<script>", md), "an unescaped tag a renderer passes through")

    def check_auditor_facts(self, page: str, records: list[dict], suspect: str):
        caller = self.caller()
        identities = [r for r in records if r["kind"] == "run.identity"]
        self.assertEqual([r["payload"]["command"] for r in identities], ["contain", "preserve", "hunt"])
        for r in identities[:2]:  # the runs that called AWS
            self.assertEqual(r["payload"]["caller_arn"], caller["Arn"])
            self.assertEqual(r["payload"]["account"], caller["Account"])
            self.assertTrue(r["payload"]["host"])
            self.assertIn("--case IR-REP", r["payload"]["command_line"])
        self.assertIn(html_text(caller["Arn"]), page)
        self.assertIn(html_text(identities[0]["payload"]["command_line"]), page)
        self.assertIn(html_text(identities[0]["payload"]["version"]), page)
        # Every snapshot boto3 sees for the case is in the evidence table; the metadata step is a step.
        for snap in case_snapshots(self.moto, "IR-REP"):
            self.assertIn(snap["SnapshotId"], page)
        self.assertRegex(page, r"<td>preserve-metadata-1</td><td>done</td>")
        for item in [r["payload"] for r in records if r["kind"] == "evidence.added" and r["payload"]["sha256"]]:
            self.assertIn(item["sha256"], page)
        self.assertRegex(page, r'id="current-state">' + re.escape(suspect) + " isolated since ")
        # The hostile Name tag is shown as text in the pre-state table, never as markup.
        self.assertIn(html_text(HOSTILE_NAME), page)
        self.assertIn("@media print", page)


def html_text(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


if __name__ == "__main__":
    unittest.main()
