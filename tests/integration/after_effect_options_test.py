"""Answers lost after effect (issue 13) in what after_effect_test.py leaves out: the forensic lab, snapshot
locks, the evidence bucket's uploads, `contain --nacl` and Auto Scaling standby.

On real AWS a request can be applied and its answer still fail (the Amazon EC2 Developer Guide,
"Ensuring idempotency in Amazon EC2 API requests": operations "might also time out or encounter other
server issues before they complete, even though the request has already returned a result"). cordon's
client retries such failures, and the retry meets the world the first attempt made. The range's `after:
true` faults (range/README.md) make the first request of each action below lose its answer after moto
applied it; the range answers the retry as AWS does where moto does not (range/ec2_repeats.py: a
ClientToken's repeat gets the first answer, AttachVolume of an attached volume VolumeInUse;
range/network_acls.py: ReplaceNetworkAclAssociation of an association that is gone
InvalidAssociationID.NotFound; range/asg_states.py: EnterStandby of an instance in Standby and
ExitStandby of one in service ValidationError; range/snapshot_locks.py: LockSnapshot of a locked
snapshot relocks). CloudFormation answers a second CreateStack of a name AlreadyExistsException (moto
does too). Each test judges the whole effect with boto3:

- lab up / allow / attach / down: one stack and one workstation, one allow group admitting the lab
  group, one lab volume per case snapshot attached to it, no other volume made, and nothing of the lab
  left after lab down;
- contain --lock-snapshots: every case snapshot locked, once, as its evidence row records;
- contain --evidence-bucket: every exported object in the bucket with the SHA-256 the journal recorded;
- contain --nacl: each subnet on the case's one network ACL, and back on its own after release;
- contain --asg standby: the suspect in Standby, protected; after release InService, the group's sizes as
  they were.

Run from the repository root:  python3 -m unittest tests/integration/after_effect_options_test.py -v
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import boto3_client  # noqa: E402
from scenario import AMI, ResponseCase, case_snapshots, client, run_cordon  # noqa: E402


def lost_answers(service: str, actions: list, kinds: dict | None = None) -> dict:
    """A fault plan: the first request of each action takes effect and loses its answer (a 500 unless
    `kinds` names another fault)."""
    kinds = kinds or {}
    return {"seed": 13, "rules": [{"kind": kinds.get(a, "http500"), "service": service, "action": a,
                                   "requests": [1], "after": True, "body": "aws"} for a in actions]}


def tag(resource: dict, key: str) -> str:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}.get(key, "")


class AfterEffectCase(ResponseCase):

    def fired(self) -> set:
        return {r["action"] for r in self.range.control("GET", "faults")["rules"] if r["fired"]}

    def run_faulted(self, faults: dict, msg: str, *args, must_fire=None):
        """cordon ARGS under `faults`; asserts exit 0 and that each rule (or those of `must_fire`) fired."""
        self.range.set_faults(faults)
        proc = self.cordon(*args)
        fired = self.fired()
        self.range.set_faults(None)
        self.assertExit(proc, 0, f"{msg} with answers lost after effect (fired: {sorted(fired)})")
        for action in must_fire or [r["action"] for r in faults["rules"]]:
            self.assertIn(action, fired, f"the fault on {action} did not fire: the test tests nothing for it")
        return proc

    def evidence(self, case: str) -> list:
        proc = self.cordon("case", "show", case, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "cordon case show --output json")
        return json.loads(proc.stdout)["evidence"]


class LabAfterEffectTest(AfterEffectCase):
    CASE = "IR-AE-LAB"
    UP = ["CreateStack", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress",
          "ModifyNetworkInterfaceAttribute", "ModifyInstanceMetadataOptions"]
    ALLOW = ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
             "ModifyNetworkInterfaceAttribute"]
    ATTACH = ["CreateVolume", "AttachVolume"]
    DOWN = ["DetachVolume", "DeleteVolume", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress",
            "ModifyNetworkInterfaceAttribute", "DeleteSecurityGroup", "DeleteStack"]

    def lab(self, sub: str, faults: dict, must_fire=None):
        args = ["lab", sub, "--case", self.CASE, "--cases-dir", self.cases_dir]
        args += {"up": ["--ami", AMI], "down": ["--yes"]}.get(sub, [])
        return self.run_faulted(faults, f"lab {sub}", *args, must_fire=must_fire)

    def lab_faults(self, actions: list) -> dict:
        ec2 = [a for a in actions if a not in ("CreateStack", "DeleteStack")]
        plan = lost_answers("ec2", ec2, {"AttachVolume": "reset", "CreateVolume": "throttle"})
        plan["rules"] += lost_answers("cloudformation", [a for a in actions if a not in ec2])["rules"]
        return plan

    def test_lab_up_attach_down_when_first_answers_are_lost(self):
        self.fresh()
        self.assertExit(self.contain(self.CASE), 0, "contain")
        ec2, cf = client("ec2", self.moto), client("cloudformation", self.moto)
        snapshots = sorted(s["SnapshotId"] for s in case_snapshots(self.moto, self.CASE))
        volumes_before = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}

        # lab-verify's fixes depend on what moto ignores of the template: the rules that fire are
        # those it sends; the stack's and the egress fixes always are.
        self.lab("up", self.lab_faults(self.UP), must_fire=["CreateStack", "AuthorizeSecurityGroupEgress",
                                                            "RevokeSecurityGroupEgress"])
        stacks = [s for s in cf.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"]
        self.assertEqual([s["StackName"] for s in stacks], [f"cordon-lab-{self.CASE}"])
        workstations = [i for r in ec2.describe_instances(Filters=[
            {"Name": "tag:cordon:case", "Values": [self.CASE]},
            {"Name": "tag:cordon:role", "Values": ["forensic-workstation"]},
            {"Name": "instance-state-name", "Values": ["pending", "running"]}])["Reservations"] for i in r["Instances"]]
        self.assertEqual(len(workstations), 1, workstations)
        ws = workstations[0]["InstanceId"]
        lab_groups = sorted({g["GroupId"] for e in workstations[0]["NetworkInterfaces"] for g in e["Groups"]})
        group = ec2.describe_security_groups(GroupIds=lab_groups)["SecurityGroups"]
        self.assertEqual([[(p["IpProtocol"], p.get("FromPort")) for p in g["IpPermissionsEgress"]] for g in group],
                         [[("tcp", 443)]], "the lab group's egress is not HTTPS only")

        self.lab("allow", self.lab_faults(self.ALLOW))
        allow = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [
            f"cordon-allow-{self.CASE}-{self.ids['vpc_id']}"]}])["SecurityGroups"]
        self.assertEqual(len(allow), 1, "not one allow group for the case")
        self.assertEqual([[pair["GroupId"] for pair in p["UserIdGroupPairs"]] for p in allow[0]["IpPermissions"]],
                         [lab_groups], "the allow group does not admit the lab group once")
        suspect = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]
        for eni in suspect["NetworkInterfaces"]:
            self.assertIn(allow[0]["GroupId"], [g["GroupId"] for g in eni["Groups"]], eni["NetworkInterfaceId"])

        self.lab("attach", self.lab_faults(self.ATTACH))
        lab_volumes = ec2.describe_volumes(Filters=[{"Name": "tag:cordon:case", "Values": [self.CASE]},
                                                    {"Name": "tag:cordon:role", "Values": ["lab"]}])["Volumes"]
        self.assertEqual(sorted(tag(v, "cordon:source-snapshot") for v in lab_volumes), snapshots,
                         "not one lab volume per snapshot")
        for v in lab_volumes:
            self.assertEqual([(a["InstanceId"], a["State"]) for a in v["Attachments"]], [(ws, "attached")],
                             v["VolumeId"])
        made = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]} - volumes_before
        lab_ids = {v["VolumeId"] for v in lab_volumes}
        self.assertEqual(made - {m["Ebs"]["VolumeId"] for m in ec2.describe_instances(InstanceIds=[ws])[
            "Reservations"][0]["Instances"][0]["BlockDeviceMappings"]}, set(), "a volume was made that nobody uses")
        self.assertLessEqual(lab_ids, made)
        custody = [r for r in self.journal(self.CASE) if r["kind"] == "step.done" and r.get("step") == "lab-attach"]
        self.assertEqual(sorted(c["volume"] for c in custody[-1]["payload"]["result"]["custody"]), sorted(lab_ids))

        self.lab("down", self.lab_faults(self.DOWN))
        f = [{"Name": "tag:cordon:case", "Values": [self.CASE]},
             {"Name": "tag:cordon:role", "Values": ["lab", "forensic-workstation"]}]
        self.assertEqual([i["InstanceId"] for r in ec2.describe_instances(Filters=f)["Reservations"]
                          for i in r["Instances"] if i["State"]["Name"] != "terminated"], [])
        self.assertEqual(ec2.describe_volumes(Filters=f)["Volumes"], [])
        self.assertEqual(ec2.describe_security_groups(Filters=f)["SecurityGroups"], [])
        self.assertEqual(ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [allow[0]["GroupId"]]}])[
            "SecurityGroups"], [], "the allow group outlived lab down")
        self.assertEqual([s for s in cf.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"], [])
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, self.CASE)), snapshots)
        self.assertCaseConsistent(self.CASE)


class LockAfterEffectTest(AfterEffectCase):

    def test_every_snapshot_locked_once_as_recorded(self):
        self.fresh()
        case = "IR-AE-LOCK"
        self.run_faulted(lost_answers("ec2", ["LockSnapshot"]), "contain --lock-snapshots", "contain",
                         self.ids["suspect"], "--case", case, "--yes", "--cases-dir", self.cases_dir,
                         "--responder", self.responder, "--lock-snapshots", "7d", "--lock-mode", "governance")
        ids = [s["SnapshotId"] for s in case_snapshots(self.moto, case)]
        self.assertEqual(len(ids), len(self.ids["suspects"][0]["volumes"]))
        locks = boto3_client("ec2", self.endpoint).describe_locked_snapshots(SnapshotIds=ids)["Snapshots"]
        self.assertEqual(sorted(lock["SnapshotId"] for lock in locks), sorted(ids), "not every snapshot locked once")
        rows = {e["location"]: e for e in self.evidence(case) if e["kind"] == "snapshot"}
        self.assertEqual(sorted(rows), sorted(ids))
        for lock in locks:
            self.assertEqual(lock["LockState"], "governance")
            recorded = rows[lock["SnapshotId"]]["lock"]
            self.assertEqual(recorded["mode"], "governance")
            until = lock["LockExpiresOn"].strftime("%Y-%m-%dT%H:%M:%S")
            self.assertEqual(recorded["expires_on"][:19], until, "the recorded lock is not the one in force")
        self.assertCaseConsistent(case)


class BucketAfterEffectTest(AfterEffectCase):
    """Over the range's HTTPS listener, as evidence_bucket_test.py: the bucket's policy denies plain HTTP."""

    BUCKET, PREFIX = "ir-evidence-ae", "cases"
    range_args = ("--tls",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.range.tls_endpoint

    def cordon(self, *args, env: dict | None = None, endpoint: bool = True, timeout: float = 300.0):
        return run_cordon(list(args), self.endpoint if endpoint else None, timeout=timeout,
                          env={"AWS_CA_BUNDLE": self.range.ca_bundle, **(env or {})})

    def test_every_export_in_the_bucket_with_its_recorded_hash(self):
        self.fresh()
        case = "IR-AE-S3"
        self.assertExit(self.cordon("evidence-bucket", "create", f"s3://{self.BUCKET}"), 0, "evidence-bucket create")
        self.run_faulted(lost_answers("s3", ["PutObject"]), "contain --evidence-bucket", "contain",
                         self.ids["suspect"], "--case", case, "--yes", "--cases-dir", self.cases_dir,
                         "--responder", self.responder, "--evidence-bucket", f"s3://{self.BUCKET}/{self.PREFIX}")
        with sqlite3.connect(Path(self.cases_dir, case, "case.db")) as con:
            exported = [json.loads(p) for (p,) in con.execute(
                "SELECT payload FROM journal WHERE kind = 'case.exported' ORDER BY seq")]
        self.assertTrue(exported and exported[-1]["objects"], "no export recorded")
        s3 = client("s3", self.moto)
        for o in exported[-1]["objects"]:
            head = s3.head_object(Bucket=self.BUCKET, Key=o["key"], ChecksumMode="ENABLED",
                                  **({"VersionId": o["version_id"]} if o.get("version_id") else {}))
            self.assertEqual(base64.b64decode(head["ChecksumSHA256"]).hex(), o["sha256"], o["key"])
            self.assertEqual(head["ContentLength"], o["size"], o["key"])
            data = Path(self.cases_dir, case, o["path"]).read_bytes()
            current = s3.get_object(Bucket=self.BUCKET, Key=o["key"])["Body"].read()
            self.assertEqual(current, data, f"{o['key']} in the bucket is not the case's file")
        self.assertCaseConsistent(case)  # against the journal anchor in the bucket


class NaclAfterEffectTest(AfterEffectCase):

    def associations(self, ec2, subnets) -> dict:
        return {a["SubnetId"]: acl["NetworkAclId"] for acl in ec2.describe_network_acls()["NetworkAcls"]
                for a in acl.get("Associations", []) if a["SubnetId"] in subnets}

    def test_subnets_on_the_case_acl_once_and_back_after_release(self):
        self.fresh()
        case = "IR-AE-NACL"
        ec2 = client("ec2", self.moto)
        enis = ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [self.ids["suspect"]]}])["NetworkInterfaces"]
        subnets = sorted({e["SubnetId"] for e in enis})
        original = self.associations(ec2, subnets)
        self.run_faulted(lost_answers("ec2", ["CreateNetworkAcl", "ReplaceNetworkAclAssociation"]),
                         "contain --nacl", "contain", self.ids["suspect"], "--case", case, "--yes", "--nacl",
                         "--cases-dir", self.cases_dir, "--responder", self.responder)
        case_acls = ec2.describe_network_acls(Filters=[{"Name": "tag:cordon:case", "Values": [case]}])["NetworkAcls"]
        self.assertEqual(len(case_acls), 1, "not one network ACL for the case")
        acl = case_acls[0]
        self.assertEqual(self.associations(ec2, subnets), {s: acl["NetworkAclId"] for s in subnets})
        self.assertEqual(sorted(a["SubnetId"] for a in acl["Associations"] if a["SubnetId"] in subnets), subnets,
                         "a subnet associated twice")
        for subnet in subnets:
            self.assertEqual(tag(acl, f"cordon:restore:{subnet}"), original[subnet])

        self.run_faulted(lost_answers("ec2", ["ReplaceNetworkAclAssociation", "DeleteNetworkAcl"]), "release",
                         "release", "--case", case, "--yes", "--cases-dir", self.cases_dir)
        self.assertEqual(self.associations(ec2, subnets), original, "release did not give the subnets back")
        self.assertEqual(ec2.describe_network_acls(Filters=[{"Name": "tag:cordon:case", "Values": [case]}])[
            "NetworkAcls"], [], "the case's network ACL outlived the release")
        self.assertCaseConsistent(case)


class StandbyAfterEffectTest(AfterEffectCase):
    ENTER = ["SetInstanceProtection", "EnterStandby"]
    EXIT = ["ExitStandby", "SetInstanceProtection", "UpdateAutoScalingGroup"]

    def sizes(self) -> tuple:
        g = client("autoscaling", self.moto).describe_auto_scaling_groups(
            AutoScalingGroupNames=[self.ids["asg_name"]])["AutoScalingGroups"][0]
        return g["MinSize"], g["MaxSize"], g["DesiredCapacity"]

    def test_standby_and_back_in_service(self):
        self.fresh()
        case = "IR-AE-SB"
        iid = self.ids["suspect"]
        pre, sizes = self.state(), self.sizes()
        self.run_faulted(lost_answers("autoscaling", self.ENTER, {"EnterStandby": "reset"}), "contain --asg standby",
                         "contain", iid, "--case", case, "--yes", "--asg", "standby", "--cases-dir", self.cases_dir,
                         "--responder", self.responder)
        post = self.state()
        self.assertEqual(post["asg"]["members"].get(iid), {"lifecycle": "Standby", "protected": True}, post["asg"])
        self.assertEqual(self.sizes(), sizes, "contain changed the group's sizes")

        self.run_faulted(lost_answers("autoscaling", self.EXIT), "release", "release", "--case", case, "--yes",
                         "--cases-dir", self.cases_dir, must_fire=["ExitStandby", "SetInstanceProtection"])
        back = self.state()
        self.assertEqual(back["asg"]["members"].get(iid), pre["asg"]["members"][iid], back["asg"])
        self.assertEqual(back["asg"]["members"], pre["asg"]["members"])
        self.assertEqual(self.sizes(), sizes, "the group's sizes are not as recorded")
        self.assertCaseConsistent(case)


if __name__ == "__main__":
    unittest.main()
