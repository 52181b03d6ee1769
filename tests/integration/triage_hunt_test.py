"""`cordon triage` with log sources: the hunt runs with the triaged instance's selectors (its id, every
address and ENI id, its role) and its results appear under `hunt`. Against moto behind the range, with
the scenario built by boto3 and the logs generated here from boto3's view of the instance.

Run from tests/integration:  CORDON_BIN=... python3 -m unittest triage_hunt_test -v

The logs (a small CloudTrail file and a flow log, in a folder and in a moto bucket) plant, for the
suspect: a role-session call from its own Elastic IP, the same session used from 203.0.113.66
(credential exfiltration), a call from its second ENI's private address, an admin stopping it, a change
to its second ENI, and one role-session call before --since; flows to and from a web peer, rejected SSH
attempts on the second ENI, and a record matched by ENI id only. Decoys use look-alikes (10.0.1.100,
another instance id) and must not match.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import triage_test  # noqa: E402  (its Range; imported as a module so its tests are not collected here)
from helpers import boto3_client, run_cordon  # noqa: E402

SUSPECT_IP = "10.0.1.10"
SECOND_IP = "10.0.2.20"
ROLE = "hunt-role"
THIEF_IP = "203.0.113.66"
WEB_PEER = "198.51.100.7"
SCANNER = "203.0.113.5"
SINCE = "2025-01-01"
BUCKET = "cordon-triage-logs"
T0 = 1748736000  # 2025-06-01T00:00:00Z


def build_instance(endpoint: str) -> dict:
    """A VPC, a suspect with two ENIs, an Elastic IP on the second and an instance profile; returns what
    boto3 says about it."""
    ec2 = boto3_client("ec2", endpoint)
    iam = boto3_client("iam", endpoint)
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sub1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sub2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                 "Principal": {"Service": "ec2.amazonaws.com"}}]})
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=trust)
    prof = iam.create_instance_profile(InstanceProfileName="hunt-profile")["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName="hunt-profile", RoleName=ROLE)
    iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=sub1,
                            PrivateIpAddress=SUSPECT_IP, IamInstanceProfile={"Arn": prof["Arn"]})[
        "Instances"][0]["InstanceId"]
    eni2 = ec2.create_network_interface(SubnetId=sub2, PrivateIpAddress=SECOND_IP)["NetworkInterface"]
    ec2.attach_network_interface(NetworkInterfaceId=eni2["NetworkInterfaceId"], InstanceId=iid, DeviceIndex=1)
    eip = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=eip["AllocationId"], NetworkInterfaceId=eni2["NetworkInterfaceId"])
    enis = ec2.describe_network_interfaces(
        Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["NetworkInterfaces"]
    ips = set()
    for eni in enis:
        if "Association" in eni:
            ips.add(eni["Association"]["PublicIp"])
        for p in eni["PrivateIpAddresses"]:
            ips.add(p["PrivateIpAddress"])
            if "Association" in p:
                ips.add(p["Association"]["PublicIp"])
    return {"iid": iid, "eni2": eni2["NetworkInterfaceId"], "eip": eip["PublicIp"],
            "enis": sorted(e["NetworkInterfaceId"] for e in enis), "ips": sorted(ips)}


def cloudtrail_records(s: dict) -> list[dict]:
    iid = s["iid"]
    # The instance's own credentials: CloudTrail marks what EC2 delivered through the metadata service
    # with sessionContext.ec2RoleDelivery (userIdentity element reference), which cordon requires before
    # it attributes a session to the instance.
    session = {"type": "AssumedRole", "principalId": f"AROAHUNT:{iid}",
               "arn": f"arn:aws:sts::123456789012:assumed-role/{ROLE}/{iid}", "accessKeyId": "ASIAHUNT0001",
               "sessionContext": {"sessionIssuer": {"type": "Role", "userName": ROLE},
                                  "ec2RoleDelivery": "2.0"}}
    admin = {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/admin", "userName": "admin"}

    def record(event_id, when, name, source, ip, identity, params=None):
        return {"eventVersion": "1.08", "eventID": event_id, "eventTime": when, "eventName": name,
                "eventSource": source, "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "test",
                "userIdentity": identity, "requestParameters": params}
    return [
        record("ev-old", "2024-06-01T00:00:00Z", "ListBuckets", "s3.amazonaws.com", s["eip"], session),
        record("ev-own", "2025-06-01T10:00:00Z", "ListBuckets", "s3.amazonaws.com", s["eip"], session),
        record("ev-thief", "2025-06-01T11:00:00Z", "GetObject", "s3.amazonaws.com", THIEF_IP, session),
        record("ev-thief2", "2025-06-01T11:05:00Z", "GetObject", "s3.amazonaws.com", THIEF_IP, session),
        record("ev-eni2-ip", "2025-06-01T12:00:00Z", "GetCallerIdentity", "sts.amazonaws.com", SECOND_IP,
               {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/bob", "userName": "bob"}),
        record("ev-stop", "2025-06-01T13:00:00Z", "StopInstances", "ec2.amazonaws.com", "192.0.2.1", admin,
               {"instancesSet": {"items": [{"instanceId": iid}]}}),
        record("ev-eni", "2025-06-01T14:00:00Z", "ModifyNetworkInterfaceAttribute", "ec2.amazonaws.com",
               "192.0.2.1", admin, {"networkInterfaceId": s["eni2"]}),
        # Decoys: a look-alike address and another instance.
        record("ev-decoy-ip", "2025-06-01T15:00:00Z", "ListBuckets", "s3.amazonaws.com", "10.0.1.100", admin),
        record("ev-decoy-id", "2025-06-01T15:30:00Z", "StopInstances", "ec2.amazonaws.com", "192.0.2.1", admin,
               {"instancesSet": {"items": [{"instanceId": "i-0feedface00000011"}]}}),
    ]


def flow_log(s: dict) -> str:
    header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end " \
             "action log-status"
    eni1 = next(e for e in s["enis"] if e != s["eni2"])
    rows = [
        (eni1, SUSPECT_IP, WEB_PEER, 49152, 443, 10, 5000, T0, T0 + 60, "ACCEPT"),
        (eni1, WEB_PEER, SUSPECT_IP, 443, 49152, 8, 3000, T0, T0 + 60, "ACCEPT"),
        (s["eni2"], SCANNER, SECOND_IP, 40000, 22, 1, 40, T0 + 100, T0 + 160, "REJECT"),
        (s["eni2"], SCANNER, SECOND_IP, 40001, 22, 1, 40, T0 + 200, T0 + 260, "REJECT"),
        (s["eni2"], "10.0.2.99", "10.0.2.98", 5000, 80, 2, 100, T0 + 300, T0 + 360, "ACCEPT"),
        ("eni-0decoy000000001", "10.0.1.100", WEB_PEER, 49153, 443, 5, 999, T0, T0 + 60, "ACCEPT"),
    ]
    lines = [header] + [f"2 123456789012 {e} {src} {dst} {sp} {dp} 6 {pk} {by} {st} {en} {act} OK"
                        for e, src, dst, sp, dp, pk, by, st, en, act in rows]
    return "\n".join(lines) + "\n"


# The flow aggregates the planted records must give, largest first.
EXPECTED_FLOWS = [
    {"peer": WEB_PEER, "port": 443, "protocol": 6, "direction": "egress", "action": "ACCEPT", "bytes": 5000,
     "packets": 10, "flows": 1},
    {"peer": WEB_PEER, "port": 49152, "protocol": 6, "direction": "ingress", "action": "ACCEPT", "bytes": 3000,
     "packets": 8, "flows": 1},
    {"peer": "10.0.2.99->10.0.2.98", "port": 80, "protocol": 6, "direction": "unknown", "action": "ACCEPT",
     "bytes": 100, "packets": 2, "flows": 1},
    {"peer": SCANNER, "port": 22, "protocol": 6, "direction": "ingress", "action": "REJECT", "bytes": 80,
     "packets": 2, "flows": 2},
]


class TriageHuntTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.range = triage_test.Range().start()
        cls.endpoint = cls.range.endpoint
        cls.s = build_instance(cls.endpoint)
        cls.tmp = Path(tempfile.mkdtemp(prefix="cordon-triage-hunt-"))
        cls.ct_dir, cls.flow_dir = cls.tmp / "logs" / "ct", cls.tmp / "logs" / "flows"
        cls.ct_dir.mkdir(parents=True)
        cls.flow_dir.mkdir(parents=True)
        ct = json.dumps({"Records": cloudtrail_records(cls.s)}).encode()
        flows = flow_log(cls.s).encode()
        (cls.ct_dir / "trail.json.gz").write_bytes(gzip.compress(ct, mtime=0))
        (cls.flow_dir / "flows.log").write_bytes(flows)
        s3 = boto3_client("s3", cls.endpoint)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="ct/trail.json.gz", Body=gzip.compress(ct, mtime=0))
        s3.put_object(Bucket=BUCKET, Key="flows/flows.log", Body=flows)

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def triage(self, *args, config: str = "", expect: int = 0, output: str = "json"):
        """`cordon triage SUSPECT ARGS --since SINCE`; config is $CORDON_CONFIG ("" for no file)."""
        proc = run_cordon(["triage", self.s["iid"], *args, "--since", SINCE, "--output", output,
                           "--endpoint-url", self.endpoint, "--max-attempts", "1"],
                          env={"CORDON_CONFIG": config})
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def hunt_of(self, *args, config: str = "", expect: int = 0) -> dict:
        out = json.loads(self.triage(*args, config=config, expect=expect).stdout)
        self.assertEqual(out["target"]["instance_id"], self.s["iid"], "the rest of triage still prints")
        return out["hunt"]

    def assert_planted_results(self, hunt: dict):
        s = self.s
        self.assertEqual(hunt["selectors"]["instances"], [s["iid"]])
        self.assertEqual(sorted(hunt["selectors"]["ips"]), s["ips"])
        self.assertIn(s["eip"], hunt["selectors"]["ips"])
        self.assertIn(SECOND_IP, hunt["selectors"]["ips"])
        self.assertEqual(sorted(hunt["selectors"]["enis"]), s["enis"])
        self.assertEqual(hunt["selectors"]["roles"], [ROLE])
        self.assertEqual(hunt["selectors"]["since"], SINCE + "T00:00:00Z")
        ct = hunt["cloudtrail"]
        self.assertEqual([e["eventID"] for e in ct["by"]], ["ev-own", "ev-thief", "ev-thief2", "ev-eni2-ip"])
        self.assertEqual([e["eventID"] for e in ct["on"]], ["ev-stop", "ev-eni"])
        session = f"arn:aws:sts::123456789012:assumed-role/{ROLE}/{s['iid']}"
        self.assertEqual([(x["session"], x["sourceIPAddress"], x["events"], x["first"], x["last"])
                          for x in ct["exfiltration"]],
                         [(session, THIEF_IP, 2, "2025-06-01T11:00:00Z", "2025-06-01T11:05:00Z")])
        own = [x for x in ct["sessions"] if x["own_ip"]]
        self.assertEqual([(x["sourceIPAddress"], x["events"]) for x in own], [(s["eip"], 1)])
        keys = ("peer", "port", "protocol", "direction", "action", "bytes", "packets", "flows")
        self.assertEqual([{k: a[k] for k in keys} for a in hunt["flows"]["aggregates"]], EXPECTED_FLOWS)
        self.assertEqual(hunt["flows"]["matched_records"], 5)
        self.assertEqual([(r["peer"], r["flows"]) for r in hunt["flows"]["rejected"]], [(SCANNER, 2)])
        self.assertEqual(hunt["flows"]["top_talkers"][0]["peer"], WEB_PEER)
        self.assertEqual(hunt["flows"]["top_talkers"][0]["bytes"], 8000)
        self.assertEqual(hunt["skipped"], [])
        self.assertTrue(hunt["summary"]["complete"])

    def test_folders_given_as_flags(self):
        hunt = self.hunt_of("--cloudtrail", self.ct_dir, "--flow-logs", self.flow_dir)
        self.assert_planted_results(hunt)
        for e in hunt["cloudtrail"]["by"] + hunt["cloudtrail"]["on"]:
            self.assertEqual(e["file"], str(self.ct_dir / "trail.json.gz"))

    def test_s3_prefixes_give_the_same_results(self):
        hunt = self.hunt_of("--cloudtrail", f"s3://{BUCKET}/ct/", "--flow-logs", f"s3://{BUCKET}/flows/")
        self.assert_planted_results(hunt)
        self.assertEqual({e["file"] for e in hunt["cloudtrail"]["by"]}, {f"s3://{BUCKET}/ct/trail.json.gz"})

    def test_configuration_file_with_relative_paths(self):
        config = self.tmp / "logs" / "config.json"
        config.write_text(json.dumps({"hunt": {"cloudtrail": ["ct"], "flow_logs": "./flows"}}))
        hunt = self.hunt_of(config=str(config))
        self.assert_planted_results(hunt)
        # Flags replace the file's sources as a whole: only the flow logs are read here.
        hunt = self.hunt_of("--flow-logs", self.flow_dir, config=str(config))
        self.assertEqual(hunt["cloudtrail"]["by"], [])
        self.assertEqual(hunt["flows"]["matched_records"], 5)
        # --no-hunt skips the configured hunt.
        out = json.loads(self.triage("--no-hunt", config=str(config)).stdout)
        self.assertIsNone(out["hunt"])

    def test_hunt_reads_the_configuration_file_too(self):
        config = self.tmp / "logs" / "hunt-config.json"
        config.write_text(json.dumps({"hunt": {"cloudtrail": "ct"}}))
        proc = run_cordon(["hunt", "--instance", self.s["iid"], "--since", SINCE, "--output", "json", "--quiet"],
                          env={"CORDON_CONFIG": str(config)})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        ct = json.loads(proc.stdout)["cloudtrail"]
        self.assertEqual([e["eventID"] for e in ct["by"]], ["ev-own", "ev-thief", "ev-thief2"])
        self.assertEqual([e["eventID"] for e in ct["on"]], ["ev-stop"])
        proc = run_cordon(["hunt", "--instance", self.s["iid"], "--quiet"], env={"CORDON_CONFIG": ""})
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("no log sources", proc.stderr)

    def test_bad_configuration_file_is_a_usage_error_naming_it(self):
        cases = {
            "syntax.json": ('{"hunt": {"cloudtrail": ["ct"],}}', "line 1"),
            "typo.json": ('{"hunt": {"flowlogs": ["flows"]}}', 'unknown key "hunt.flowlogs"'),
            "type.json": ('{"hunt": {"cloudtrail": [7]}}', '"hunt.cloudtrail" holds 7'),
        }
        for name, (text, what) in cases.items():
            with self.subTest(name=name):
                path = self.tmp / name
                path.write_text(text)
                proc = self.triage(config=str(path), expect=2)
                self.assertEqual(proc.stdout, "")
                self.assertIn(str(path), proc.stderr)
                self.assertIn(what, proc.stderr)
        proc = self.triage(config=str(self.tmp / "absent.json"), expect=2)
        self.assertIn(str(self.tmp / "absent.json") + ": does not exist", proc.stderr)

    def test_missing_path_is_reported_in_place_with_exit_6(self):
        missing = self.tmp / "no-such-folder"
        hunt = self.hunt_of("--cloudtrail", missing, expect=6)
        self.assertEqual(list(hunt), ["error"])
        self.assertIn(str(missing), hunt["error"])
        text = self.triage("--cloudtrail", missing, output="text", expect=6).stdout
        self.assertIn("Log hunt since", text)
        self.assertIn("(could not be read:", text)
        self.assertIn("cordon: warning: the log hunt failed", self.triage("--cloudtrail", missing, expect=6).stderr)
        self.assertIn("Network interfaces", text)
        self.assertIn(SECOND_IP, text)

    def test_s3_access_denied_is_reported_in_place(self):
        self.range.control("POST", "faults", {"rules": [
            {"kind": "http500", "status": 403, "code": "AccessDenied", "message": "Access Denied",
             "service": "s3", "action": "ListObjectsV2"}]})
        self.addCleanup(self.range.control, "DELETE", "faults")
        out = json.loads(self.triage("--cloudtrail", f"s3://{BUCKET}/ct/", expect=6).stdout)
        self.assertIn("AccessDenied", out["hunt"]["error"])
        self.assertEqual(sorted(e["id"] for e in out["inventory"]["network_interfaces"]), self.s["enis"])

    def test_text_section(self):
        text = self.triage("--cloudtrail", self.ct_dir, "--flow-logs", self.flow_dir, output="text").stdout
        section = text[text.index("Log hunt since"):]
        self.assertIn("by  4 event(s): GetObject 2, GetCallerIdentity 1, ListBuckets 1", section)
        self.assertIn("on  2 event(s):", section)
        self.assertIn(f"! credential exfiltration: arn:aws:sts::123456789012:assumed-role/{ROLE}/{self.s['iid']} "
                      f"used from {THIEF_IP}", section)
        self.assertIn(f"peer {WEB_PEER}", section)
        self.assertIn(f"! rejected ingress {SCANNER} port 22", section)
        self.assertNotIn("10.0.1.100", section)
        self.assertNotIn("ev-old", section)


if __name__ == "__main__":
    unittest.main()
