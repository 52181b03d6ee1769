"""`cordon contain --capture-memory` (DESIGN.md §3 rule 7) against moto + the range, judged with boto3
and the case's SQLite file (never with cordon).

moto's SSM runs nothing, so each test plays the agent: it uploads the "memory image" and the volatile
bundle to the evidence bucket with boto3, and has the range answer GetCommandInvocation with the
stdout the host would print (its SHA-256 lines). The range also answers DescribeInstanceInformation.

Run from tests/integration:  CORDON_BIN=... python3 -m unittest memory_capture_test -v
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import create_write_once_bucket  # noqa: E402
from scenario import REGION, ResponseCase, client  # noqa: E402

BUCKET = "evidence"
PREFIX = "ir"
TOOL = "/opt/ir/avml"
TOOL_SHA256 = hashlib.sha256(b"the staged acquisition tool").hexdigest()
SSM_SERVICES = ("ssm", "ssmmessages", "ec2messages")
KILLED = (137, -9)


def volatile_bundle() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in (("volatile/processes.txt", b"root 1 init\n"), ("volatile/sockets.txt", b"tcp 22\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    return buf.getvalue()


class MemoryCaptureTests(ResponseCase):

    # -- fixtures
    def prepare(self, case: str, endpoints: bool = True, managed: bool = True, host_memory_sha: str | None = None):
        """Scenario + evidence bucket + (optionally) the VPC endpoints; the agent's uploads and stdout."""
        self.fresh()
        ec2 = client("ec2", self.moto)
        s3 = client("s3", self.moto)
        create_write_once_bucket(s3, BUCKET)  # every evidence-writing command checks it is write-once
        vpc = self.ids["vpc_id"]
        self.endpoint_ips, self.prefix_list = set(), None
        if endpoints:
            ep_sg = ec2.create_security_group(GroupName="endpoints", Description="endpoints", VpcId=vpc)["GroupId"]
            for svc in SSM_SERVICES:
                e = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{svc}",
                                            VpcEndpointType="Interface", SubnetIds=[self.ids["subnets"][0]],
                                            SecurityGroupIds=[ep_sg])["VpcEndpoint"]
                enis = ec2.describe_network_interfaces(NetworkInterfaceIds=e["NetworkInterfaceIds"])
                self.endpoint_ips |= {n["PrivateIpAddress"] for n in enis["NetworkInterfaces"]}
            rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway",
                                    RouteTableIds=[rt["RouteTableId"]])
            self.prefix_list = ec2.describe_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [
                f"com.amazonaws.{REGION}.s3"]}])["PrefixLists"][0]["PrefixListId"]

        # The agent's part: stream the objects to the bucket, print their hashes.
        iid = self.ids["suspect"]
        dest = f"{PREFIX}/{case}/{iid}"
        self.uploaded = {"memory": os.urandom(3 * 1024 * 1024 + 17), "volatile": volatile_bundle()}
        objects = {"memory": "memory.lime", "volatile": "volatile.tar.gz"}
        lines = []
        for name in ("volatile", "memory"):
            body = self.uploaded[name]
            s3.put_object(Bucket=BUCKET, Key=f"{dest}/{objects[name]}", Body=body)
            sha = hashlib.sha256(body).hexdigest()
            if name == "memory" and host_memory_sha:
                sha = host_memory_sha
            lines.append(f"CORDON-EVIDENCE {name} sha256={sha} size={len(body)} uri=s3://{BUCKET}/{dest}/{objects[name]}")
        lines.append("CORDON-DONE")
        scenario = {
            "ssm_managed_instances": [{"InstanceId": iid, "PingStatus": "Online"}] if managed else [],
            "ssm_commands": [{"InstanceId": iid, "DocumentName": "AWS-RunShellScript",
                              "CommandContains": "CORDON-EVIDENCE", "Status": "Success",
                              "StandardOutputContent": "\n".join(lines) + "\n",
                              "not_found_polls": 1, "pending_polls": 1}],
        }
        self.range.control("POST", "scenario", scenario)

    def capture(self, case: str, *extra, env=None):
        return self.contain(case, "--capture-memory", "--evidence-bucket", f"s3://{BUCKET}/{PREFIX}",
                            "--memory-tool", TOOL, "--memory-tool-sha256", TOOL_SHA256, *extra, env=env)

    # -- judging
    def db(self, case: str) -> sqlite3.Connection:
        path = Path(self.cases_dir, case, "case.db")
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.addCleanup(con.close)
        return con

    def records(self, case: str, step: str | None = None) -> list:
        rows = self.db(case).execute("SELECT seq, kind, step, payload FROM journal ORDER BY seq").fetchall()
        return [{"seq": s, "kind": k, "step": st, "payload": json.loads(p)} for s, k, st, p in rows
                if step is None or st == step]

    def outcome(self, case: str, step: str) -> dict:
        outs = [r for r in self.records(case, step) if r["kind"] in ("step.done", "step.failed", "step.skipped")]
        self.assertTrue(outs, f"no outcome for {step}")
        return outs[-1]

    def capture_watching_groups(self, case: str, *extra):
        """Runs the capture in the background and reads the primary ENI's groups with boto3 once the
        command is sent (the range keeps it pending for a few seconds of polls): (process, groups then)."""
        result = {}
        runner = threading.Thread(target=lambda: result.setdefault("proc", self.capture(case, *extra)))
        runner.start()
        during = None
        while runner.is_alive() and during is None:
            if self.commands():
                during = self.primary_eni_groups()
            time.sleep(0.1)
        runner.join()
        return result["proc"], during

    def commands(self) -> list:
        return client("ssm", self.moto).list_commands(InstanceId=self.ids["suspect"])["Commands"]

    def primary_eni_groups(self) -> list:
        """The suspect's primary ENI's group ids, sorted, as boto3 sees them."""
        enis = client("ec2", self.moto).describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-id", "Values": [self.ids["suspect"]]}])["NetworkInterfaces"]
        primary = [e for e in enis if e["Attachment"]["DeviceIndex"] == 0]
        self.assertEqual(len(primary), 1, enis)
        return sorted(g["GroupId"] for g in primary[0]["Groups"])

    def cordon_groups(self) -> tuple[dict, str, str]:
        """(cordon's groups by name, the isolation group's id, the ssm-reach group's name)."""
        vpc = self.ids["vpc_id"]
        groups = self.isolation_groups(vpc)
        return groups, groups[f"cordon-isolation-{vpc}"]["GroupId"], f"cordon-ssm-reach-{vpc}"

    def assertSsmReachRemoved(self, case: str):
        """The primary ENI is back in exactly [isolation], after an attach-then-detach in the journal."""
        groups, isolation, reach_name = self.cordon_groups()
        self.assertEqual(self.primary_eni_groups(), [isolation])
        reach = groups[reach_name]["GroupId"]
        notes = [r for r in self.records(case, "capture-memory") if r["kind"] == "note"]
        attached = [r for r in notes if r["payload"].get("ssm_reach") == "attached"]
        detached = [r for r in notes if r["payload"].get("ssm_reach") == "detached"]
        self.assertTrue(attached and detached, notes)
        self.assertEqual(attached[0]["payload"]["groups"], [isolation, reach])
        self.assertEqual(detached[-1]["payload"]["groups"], [isolation])
        self.assertLess(attached[0]["seq"], detached[-1]["seq"])
        return attached, detached

    def assertNothingDestructiveAfter(self, case: str):
        """Rule 5: credentials were not touched (no deny policy, profile still associated)."""
        self.assertEqual(self.outcome(case, "credentials")["kind"], "step.skipped")
        policies = client("iam", self.moto).list_role_policies(RoleName=self.ids["role_name"])["PolicyNames"]
        self.assertFalse([p for p in policies if p.startswith("cordon-deny")], policies)
        assoc = client("ec2", self.moto).describe_iam_instance_profile_associations(Filters=[
            {"Name": "instance-id", "Values": [self.ids["suspect"]]}])["IamInstanceProfileAssociations"]
        self.assertTrue([a for a in assoc if a.get("State") == "associated"], assoc)

    # -- tests
    def test_capture_after_isolation_records_both_hashes(self):
        case = "IR-MEM1"
        self.prepare(case)
        proc, during = self.capture_watching_groups(case)
        self.assertExit(proc, 0)

        # The one command sent: the pinned tool, checked before it runs; nothing from the internet.
        cmds = self.commands()
        self.assertEqual(len(cmds), 1, cmds)
        self.assertEqual(cmds[0]["DocumentName"], "AWS-RunShellScript")
        script = "\n".join(cmds[0]["Parameters"]["commands"])
        self.assertIn(f"TOOL_SHA256='{TOOL_SHA256}'", script)
        self.assertIn(f"TOOL='{TOOL}'", script)
        self.assertIn('[ "$ACTUAL" = "$TOOL_SHA256" ] || abort "tool-sha256-mismatch', script)
        self.assertIn(f"DEST='s3://{BUCKET}/{PREFIX}/{case}/{self.ids['suspect']}'", script)
        for banned in ("curl", "wget", "http://", "https://"):
            self.assertNotIn(banned, script)

        # Both hashes, equal to hashlib's of what the agent uploaded, in the ledger and the journal.
        rows = self.db(case).execute("SELECT kind, location, sha256, size, source, collector, time, details "
                                     "FROM evidence WHERE step = 'capture-memory'").fetchall()
        by_name = {("memory" if r[0] == "memory" else "volatile"): r for r in rows}
        self.assertEqual(set(by_name), {"memory", "volatile"}, rows)
        for name, body in self.uploaded.items():
            kind, location, sha, size, source, collector, when, details = by_name[name]
            details = json.loads(details)
            want = hashlib.sha256(body).hexdigest()
            self.assertEqual(sha, want)
            self.assertEqual(details["host_sha256"], want)
            self.assertEqual(details["evidence_sha256"], want)
            self.assertEqual(size, len(body))
            self.assertTrue(location.startswith(f"s3://{BUCKET}/{PREFIX}/{case}/"), location)
            self.assertIn(cmds[0]["CommandId"], source)
            self.assertEqual(collector, self.responder)
            self.assertTrue(when)
        done = self.outcome(case, "capture-memory")
        self.assertEqual(done["kind"], "step.done")
        self.assertEqual(done["payload"]["result"]["command_id"], cmds[0]["CommandId"])
        for obj in done["payload"]["result"]["objects"]:
            self.assertEqual(obj["host_sha256"], obj["sha256"])

        # The isolation group has no egress at all; the exception is the ssm-reach group's, exactly
        # tcp/443 to the SSM endpoints and S3's prefix list, and no ingress.
        groups, isolation, reach_name = self.cordon_groups()
        self.assertEqual(groups[f"cordon-isolation-{self.ids['vpc_id']}"]["IpPermissionsEgress"], [])
        reach = groups[reach_name]
        self.assertEqual(reach["IpPermissions"], [])
        self.assertEqual({t["Key"]: t["Value"] for t in reach.get("Tags", [])}.get("cordon:purpose"), "ssm-reach")
        self.assertEqual({t["Key"]: t["Value"] for t in reach.get("Tags", [])}.get("cordon:managed"), "true")
        cidrs, lists = set(), set()
        for perm in reach["IpPermissionsEgress"]:
            self.assertEqual((perm["IpProtocol"], perm.get("FromPort"), perm.get("ToPort")), ("tcp", 443, 443), perm)
            cidrs |= {r["CidrIp"] for r in perm.get("IpRanges", [])}
            lists |= {p["PrefixListId"] for p in perm.get("PrefixListIds", [])}
            self.assertFalse(perm.get("Ipv6Ranges") or perm.get("UserIdGroupPairs"), perm)
        self.assertEqual(cidrs, {ip + "/32" for ip in self.endpoint_ips})
        self.assertEqual(lists, {self.prefix_list})
        # While the command ran (seen with boto3), the primary ENI had [isolation, ssm-reach]; after
        # it, exactly [isolation]. The journal has the attach before the command, the detach after.
        self.assertEqual(during, sorted([isolation, reach["GroupId"]]))
        attached, detached = self.assertSsmReachRemoved(case)
        sent = [r for r in self.records(case, "capture-memory") if "command_id" in r["payload"]]
        self.assertLess(attached[0]["seq"], sent[0]["seq"])
        self.assertLess(sent[0]["seq"], detached[-1]["seq"])
        # ... and the case records the exception.
        notes = [r["payload"]["text"] for r in self.records(case) if r["kind"] == "note"]
        self.assertTrue([n for n in notes if "isolation exception" in n and self.prefix_list in n], notes)
        exception = done["payload"]["result"]["isolation_exception"]
        self.assertTrue(exception["rules"])
        self.assertEqual(exception["group"], reach["GroupId"])
        self.assertEqual(exception["eni_groups_after"], [isolation])

        # Rule 7 order: isolated first, captured, then the credentials are cut.
        seqs = {r["step"]: r["seq"] for r in self.records(case) if r["kind"] == "step.done"}
        self.assertLess(seqs["isolate-network"], seqs["capture-memory"])
        self.assertLess(seqs["capture-memory"], seqs["credentials"])
        self.assertCaseConsistent(case)

    def test_hash_mismatch_fails_and_stops_destructive_steps(self):
        case = "IR-MEM2"
        self.prepare(case, host_memory_sha="0" * 64)
        proc = self.capture(case)
        self.assertExit(proc, 1)
        failed = self.outcome(case, "capture-memory")
        self.assertEqual(failed["kind"], "step.failed")
        self.assertIn("hash mismatch", failed["payload"]["error"]["message"])
        self.assertIn("0" * 64, failed["payload"]["error"]["message"])
        self.assertIn(hashlib.sha256(self.uploaded["memory"]).hexdigest(), failed["payload"]["error"]["message"])
        self.assertIn("hash mismatch", proc.stderr)
        self.assertNothingDestructiveAfter(case)
        rows = self.db(case).execute("SELECT * FROM evidence WHERE kind = 'memory'").fetchall()
        self.assertEqual(rows, [])
        # The failed capture ended the exception as well.
        self.assertSsmReachRemoved(case)

    def test_unmanaged_instance_fails_clearly_without_sending(self):
        case = "IR-MEM3"
        self.prepare(case, managed=False)
        proc = self.capture(case)
        self.assertExit(proc, 1)
        self.assertIn("not managed by SSM", proc.stderr)
        self.assertEqual(self.commands(), [])
        self.assertNothingDestructiveAfter(case)

    def test_cleanup_waits_for_the_capture_or_its_waiver(self):
        """A capture that failed keeps `cleanup` from terminating the suspect (its memory is evidence that
        termination destroys) until the responder waives it, which the case records."""
        case = "IR-MEM-CLEAN"
        self.prepare(case, managed=False)
        self.assertExit(self.capture(case), 1, "capture on an unmanaged instance")
        self.assertExit(self.contain(case, "--skip", "capture-memory"), 0, "contain without the capture")
        clean = ["cleanup", "--case", case, "--cases-dir", self.cases_dir, "--terminate-suspect", "--yes"]
        proc = self.cordon(*clean)
        self.assertExit(proc, 1, "cleanup after a failed capture")
        self.assertIn("memory capture did not finish", proc.stderr + proc.stdout)
        ec2 = client("ec2", self.moto)
        state = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]["State"]
        self.assertEqual(state["Name"], "running")
        self.assertExit(self.cordon(*clean, "--accept-missing-memory"), 0, "cleanup with the capture waived")
        state = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]["State"]
        self.assertEqual(state["Name"], "terminated")
        done = self.outcome(case, "cleanup-check-evidence")
        self.assertIn("memory capture did not finish", json.dumps(done))

    def test_no_ssm_endpoints_fails_before_sending(self):
        case = "IR-MEM4"
        self.prepare(case, endpoints=False)
        proc = self.capture(case)
        self.assertExit(proc, 1)
        self.assertIn("cannot reach SSM", proc.stderr)
        self.assertIn("--capture-before-isolation", proc.stderr)
        self.assertEqual(self.commands(), [])
        self.assertNothingDestructiveAfter(case)

    def test_capture_before_isolation_needs_no_exception(self):
        case = "IR-MEM5"
        self.prepare(case, endpoints=False)
        proc = self.capture(case, "--capture-before-isolation")
        self.assertExit(proc, 0)
        self.assertEqual(len(self.commands()), 1)
        seqs = {(r["step"], r["kind"]): r["seq"] for r in self.records(case)}
        self.assertLess(seqs[("capture-memory", "step.done")], seqs[("isolate-network", "step.intent")])
        groups, isolation, reach_name = self.cordon_groups()
        self.assertEqual(groups[f"cordon-isolation-{self.ids['vpc_id']}"]["IpPermissionsEgress"], [])
        self.assertNotIn(reach_name, groups)
        self.assertEqual(self.primary_eni_groups(), [isolation])

    def test_rerun_after_a_crash_does_not_send_a_second_command(self):
        case = "IR-MEM6"
        self.prepare(case)
        plan = self.cordon("contain", self.ids["suspect"], "--case", case, "--plan", "--capture-memory",
                           "--evidence-bucket", f"s3://{BUCKET}/{PREFIX}", "--memory-tool", TOOL,
                           "--memory-tool-sha256", TOOL_SHA256, "--cases-dir", self.cases_dir)
        self.assertExit(plan, 0)
        steps = [line.split(".", 1)[1].split()[0] for line in plan.stdout.splitlines()
                 if line.strip()[:1].isdigit()]
        position = steps.index("capture-memory") + 1
        crashed = self.capture(case, env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": str(position)})
        self.assertIn(crashed.returncode, KILLED, crashed.stderr)
        self.assertEqual(len(self.commands()), 1)
        # As a crash while the host worked would leave it: the primary ENI still in ssm-reach.
        groups, isolation, reach_name = self.cordon_groups()
        enis = client("ec2", self.moto).describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-id", "Values": [self.ids["suspect"]]}])["NetworkInterfaces"]
        primary = [e for e in enis if e["Attachment"]["DeviceIndex"] == 0][0]["NetworkInterfaceId"]
        client("ec2", self.moto).modify_network_interface_attribute(
            NetworkInterfaceId=primary, Groups=[isolation, groups[reach_name]["GroupId"]])
        proc = self.capture(case)
        self.assertExit(proc, 0)
        self.assertEqual(len(self.commands()), 1, "the rerun sent a second capture")
        done = self.outcome(case, "capture-memory")
        self.assertEqual(done["kind"], "step.done")
        self.assertTrue(done["payload"]["result"]["reused_command"])
        rows = self.db(case).execute("SELECT kind FROM evidence WHERE step = 'capture-memory'").fetchall()
        self.assertEqual(sorted(r[0] for r in rows), ["file", "memory"])
        # The rerun of a finished capture took ssm-reach off and did not put it on again.
        self.assertEqual(self.primary_eni_groups(), [isolation])
        reach_notes = [r["payload"]["ssm_reach"] for r in self.records(case, "capture-memory")
                       if r["kind"] == "note" and "ssm_reach" in r["payload"]]
        self.assertEqual(reach_notes, ["attached", "detached", "detached"])
        self.assertCaseConsistent(case)

    def test_capture_flags_are_checked_before_anything_runs(self):
        self.cases_dir = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases_dir, True)
        self.range.control("POST", "stats/reset")
        for flags, needle in (
                (["--memory-tool", "https://example.com/avml", "--memory-tool-sha256", TOOL_SHA256], "--memory-tool"),
                (["--memory-tool", TOOL, "--memory-tool-sha256", "abc"], "--memory-tool-sha256"),
                (["--memory-tool", TOOL], "--memory-tool-sha256")):
            proc = self.contain("IR-MEM7", "--capture-memory", "--evidence-bucket", f"s3://{BUCKET}", *flags,
                                targets=["i-0123456789abcdef0"])
            self.assertExit(proc, 2, str(flags))
            self.assertIn(needle, proc.stderr)
        # --evidence-bucket alone is where the case is exported; the tool is the capture's.
        proc = self.contain("IR-MEM7", "--memory-tool", TOOL, targets=["i-0123456789abcdef0"])
        self.assertExit(proc, 2)
        self.assertIn("--capture-memory", proc.stderr)
        self.assertFalse(Path(self.cases_dir, "IR-MEM7").exists())
        self.assertEqual(self.range.stats()["requests"], 0, "flags must be refused before any AWS call")


if __name__ == "__main__":
    unittest.main()
