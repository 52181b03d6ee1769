"""The forensics lab (issue 11): `lab up`, `lab allow`, `lab attach`, `lab down` on a contained
suspect, judged with boto3 against moto behind the range.

moto 5.2.1's CloudFormation ignores parts of the template that real AWS honours (the instance's
SecurityGroupIds and the launch template's MetadataOptions; the group's SecurityGroupEgress): the
template is written for AWS (the AWS::EC2::Instance and AWS::EC2::SecurityGroup pages of the
CloudFormation User Guide), and these tests check the workstation cordon leaves behind, which is what
lab-verify makes of it on either.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/lab_test.py -v
"""

from __future__ import annotations

import os
import sys
import unittest

import boto3

sys.path.insert(0, os.path.dirname(__file__))
from scenario import AMI, ResponseCase, case_snapshots, client, explain  # noqa: E402

CASE = "IR-LAB-1"
LAB_ROLES = ["lab", "forensic-workstation"]


class LabCase(ResponseCase):
    def lab(self, sub: str, *extra, env=None, case: str = CASE):
        args = ["lab", sub, "--case", case, "--cases-dir", self.cases_dir, *extra]
        if sub == "up":
            args += ["--ami", AMI]
        if sub == "down":
            args += ["--yes"]
        return self.cordon(*args, env=env)

    def contained(self, case: str = CASE) -> dict:
        ids = self.fresh()
        self.assertExit(self.contain(case), 0, "contain")
        return ids

    def ec2(self):
        return client("ec2", self.moto)

    def workstations(self, case: str = CASE) -> list:
        out = self.ec2().describe_instances(Filters=[
            {"Name": "tag:cordon:case", "Values": [case]}, {"Name": "tag:cordon:role", "Values": ["forensic-workstation"]},
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}])
        return [i for r in out["Reservations"] for i in r["Instances"]]

    def stacks(self) -> list:
        cf = client("cloudformation", self.moto)
        return [s for s in cf.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"]

    def lab_volumes(self, case: str = CASE) -> list:
        return self.ec2().describe_volumes(Filters=[{"Name": "tag:cordon:case", "Values": [case]},
                                                    {"Name": "tag:cordon:role", "Values": ["lab"]}])["Volumes"]

    def leftovers(self, case: str = CASE) -> list:
        ec2 = self.ec2()
        f = [{"Name": "tag:cordon:case", "Values": [case]}, {"Name": "tag:cordon:role", "Values": LAB_ROLES}]
        left = [i["InstanceId"] for r in ec2.describe_instances(Filters=f)["Reservations"] for i in r["Instances"]
                if i["State"]["Name"] != "terminated"]
        left += [v["VolumeId"] for v in ec2.describe_volumes(Filters=f)["Volumes"]]
        left += [g["GroupId"] for g in ec2.describe_security_groups(Filters=f)["SecurityGroups"]]
        left += [s["StackName"] for s in self.stacks()]
        return left

    def group_rules(self) -> dict:
        """Every group's rules but cordon's own and the lab's: what lab allow must not change."""
        groups = self.ec2().describe_security_groups()["SecurityGroups"]
        return {g["GroupId"]: (g["IpPermissions"], g["IpPermissionsEgress"]) for g in groups
                if not g["GroupName"].startswith("cordon-") and
                not any(t["Key"] == "cordon:case" for t in g.get("Tags", []))}

    def eni_groups(self, instance_id: str) -> dict:
        inst = self.ec2().describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        return {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in inst["NetworkInterfaces"]}


class LabLifecycleTest(LabCase):
    def test_up_allow_attach_down(self):
        ids = self.contained()
        suspect = ids["suspects"][0]
        ec2 = self.ec2()
        me = ec2.describe_instances(InstanceIds=[ids["suspect"]])["Reservations"][0]["Instances"][0]
        siblings_before = {s: self.eni_groups(s) for s in ids["siblings"]}
        rules_before = self.group_rules()
        snapshots_before = sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE))
        self.assertEqual(len(snapshots_before), len(suspect["volumes"]))

        # lab up: the stack, the workstation in the suspect's VPC and AZ, locked down.
        proc = self.lab("up")
        self.assertExit(proc, 0, "lab up")
        self.assertEqual([s["StackName"] for s in self.stacks()], ["cordon-lab-IR-LAB-1"])
        [ws] = self.workstations()
        self.assertEqual(ws["VpcId"], ids["vpc_id"])
        self.assertEqual(ws["Placement"]["AvailabilityZone"], me["Placement"]["AvailabilityZone"])
        self.assertNotIn("PublicIpAddress", ws)
        self.assertEqual(ws["MetadataOptions"]["HttpTokens"], "required")
        [lab_sg] = {g["GroupId"] for e in ws["NetworkInterfaces"] for g in e["Groups"]}
        group = ec2.describe_security_groups(GroupIds=[lab_sg])["SecurityGroups"][0]
        self.assertEqual({t["Key"]: t["Value"] for t in group["Tags"]}.get("cordon:role"), "lab")
        self.assertEqual(group["IpPermissions"], [])
        self.assertEqual([(p["IpProtocol"], p.get("FromPort"), [r["CidrIp"] for r in p["IpRanges"]])
                          for p in group["IpPermissionsEgress"]], [("tcp", 443, ["0.0.0.0/0"])])
        self.assertFalse(ec2.describe_instance_attribute(InstanceId=ws["InstanceId"], Attribute="disableApiTermination")
                         ["DisableApiTermination"]["Value"])
        # a second lab up finds the lab done: still one stack, one workstation
        self.assertExit(self.lab("up"), 0, "lab up again")
        self.assertEqual(len(self.stacks()), 1)
        self.assertEqual([w["InstanceId"] for w in self.workstations()], [ws["InstanceId"]])

        # lab allow: the suspect's ENIs admit the workstation's group, through the case's own group.
        self.assertExit(self.lab("allow"), 0, "lab allow")
        allow = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"cordon-allow-{CASE}-{ids['vpc_id']}"]}]
                                             )["SecurityGroups"]
        self.assertEqual(len(allow), 1)
        allow = allow[0]
        self.assertEqual([[pair["GroupId"] for pair in p["UserIdGroupPairs"]] + [r["CidrIp"] for r in p["IpRanges"]]
                          for p in allow["IpPermissions"]], [[lab_sg]])
        isolation = self.isolation_groups(ids["vpc_id"])[f"cordon-isolation-{ids['vpc_id']}"]["GroupId"]
        for eni, groups in self.eni_groups(ids["suspect"]).items():
            self.assertEqual(groups, sorted([isolation, allow["GroupId"]]), eni)
        # the isolation group shared with other contained instances gained nothing
        iso = ec2.describe_security_groups(GroupIds=[isolation])["SecurityGroups"][0]
        self.assertEqual((iso["IpPermissions"], iso["IpPermissionsEgress"]), ([], []))
        self.assertEqual({s: self.eni_groups(s) for s in ids["siblings"]}, siblings_before)
        self.assertEqual(self.group_rules(), rules_before)

        # lab attach: one volume per snapshot in the workstation's AZ, attached, tagged with its source.
        proc = self.lab("attach")
        self.assertExit(proc, 0, "lab attach")
        self.assertIn("ro,noload", proc.stderr)
        volumes = self.lab_volumes()
        self.assertEqual(sorted(self.tag(v, "cordon:source-snapshot") for v in volumes), snapshots_before)
        snaps = {s["SnapshotId"]: s for s in case_snapshots(self.moto, CASE)}
        for v in volumes:
            self.assertEqual(v["AvailabilityZone"], ws["Placement"]["AvailabilityZone"])  # moto does not check it
            self.assertEqual([(a["InstanceId"], a["State"]) for a in v["Attachments"]], [(ws["InstanceId"], "attached")])
            snap = snaps[self.tag(v, "cordon:source-snapshot")]
            self.assertEqual(v["SnapshotId"], snap["SnapshotId"])
            self.assertEqual(self.tag(v, "cordon:source-volume"), snap["VolumeId"])
            self.assertEqual(self.tag(v, "cordon:source-device"), suspect["volume_devices"][snap["VolumeId"]])
        # the journal's chain of custody names every snapshot -> volume -> device
        done = [r for r in self.journal(CASE) if r["kind"] == "step.done" and r.get("step") == "lab-attach"]
        self.assertEqual(len(done), 1)
        custody = done[0]["payload"]["result"]["custody"]
        attached = {v["VolumeId"]: v["Attachments"][0]["Device"] for v in volumes}
        self.assertEqual(sorted(c["snapshot"] for c in custody), snapshots_before)
        for c in custody:
            self.assertEqual(attached[c["volume"]], c["device"])
            self.assertEqual(c["source_device"], suspect["volume_devices"][c["source_volume"]])
        notes = [r for r in self.journal(CASE) if r["kind"] == "note" and "custody:" in str(r.get("payload"))]
        self.assertEqual(len(notes), len(snapshots_before))
        # attach again: nothing new
        self.assertExit(self.lab("attach"), 0, "lab attach again")
        self.assertEqual(len(self.lab_volumes()), len(snapshots_before))

        # lab down: nothing of the lab remains; the snapshots and the case do.
        self.assertExit(self.lab("down"), 0, "lab down")
        self.assertEqual(self.leftovers(), [])
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE)), snapshots_before)
        for eni, groups in self.eni_groups(ids["suspect"]).items():
            self.assertEqual(groups, [isolation], f"{eni} still carries the lab's allow group")
        self.assertEqual(ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [allow["GroupName"]]}]
                                                      )["SecurityGroups"], [])
        self.assertCaseConsistent(CASE)
        # and the case can still be released as contain left it
        self.assertExit(self.release(CASE), 0, "release after lab down")
        self.assertEqual(self.eni_groups(ids["suspect"]), suspect["enis"])

    @staticmethod
    def tag(resource: dict, key: str) -> str:
        return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}.get(key, "")

    def test_refusals(self):
        self.fresh()
        # no such case
        proc = self.lab("allow", case="IR-NONE")
        self.assertExit(proc, 3, "lab on a missing case")
        self.assertIn("IR-NONE", proc.stderr)
        self.assertExit(self.contain(CASE), 0, "contain")
        # no lab yet: allow and attach say to run lab up
        for sub in ("allow", "attach"):
            proc = self.lab(sub)
            self.assertExit(proc, 1, f"lab {sub} without a lab")
            self.assertIn("lab up", proc.stderr)
        # lab up without an AMI is refused before anything
        proc = self.cordon("lab", "up", "--case", CASE, "--cases-dir", self.cases_dir)
        self.assertExit(proc, 2, "lab up without --ami")
        self.assertIn("--ami", proc.stderr)
        self.assertEqual(self.stacks(), [])
        # lab down asks first; without a terminal and --yes it destroys nothing
        self.assertExit(self.lab("up"), 0, "lab up")
        proc = self.cordon("lab", "down", "--case", CASE, "--cases-dir", self.cases_dir)
        self.assertExit(proc, 2, "lab down without --yes")
        self.assertIn("--yes", proc.stderr)
        self.assertEqual(len(self.workstations()), 1)
        # --plan prints the plan and changes nothing
        proc = self.cordon("lab", "down", "--case", CASE, "--cases-dir", self.cases_dir, "--plan")
        self.assertExit(proc, 0, "lab down --plan")
        self.assertIn("lab-sweep", proc.stdout)
        self.assertEqual(len(self.workstations()), 1)


class LabMountTest(LabCase):
    """lab attach --mount: over SSM Run Command on the workstation (the range plays the agent), each
    lab volume set read-only, hashed whole and mounted read-only; the hashes in the chain of custody."""

    def test_hashes_and_mounts_over_ssm_once(self):
        self.contained()
        self.assertExit(self.lab("up"), 0, "lab up")
        self.assertExit(self.lab("attach"), 0, "lab attach")
        ws = self.workstations()[0]["InstanceId"]
        proc = self.lab("attach", "--mount")
        self.assertExit(proc, 1, "--mount on a workstation without an SSM agent")
        self.assertIn("not managed by SSM", proc.stderr)

        volumes = self.lab_volumes()
        hashes = {v["VolumeId"]: f"{n:064x}" for n, v in enumerate(volumes, 1)}
        lines = [f"CORDON-DEVICE {vid} dev=/dev/nvme{n}n1 sha256={h}" for n, (vid, h) in enumerate(hashes.items(), 1)]
        lines += [f"CORDON-MOUNTED {vid} at=/mnt/cordon/x" for vid in hashes] + ["CORDON-DONE"]
        self.range.control("POST", "scenario", {
            "ssm_managed_instances": [{"InstanceId": ws, "PingStatus": "Online"}],
            "ssm_commands": [{"InstanceId": ws, "DocumentName": "AWS-RunShellScript", "CommandContains": "CORDON-DEVICE",
                              "Status": "Success", "StandardOutputContent": "\n".join(lines) + "\n"}]})
        self.addCleanup(self.range.control, "DELETE", "scenario")
        self.assertExit(self.lab("attach", "--mount"), 0, "lab attach --mount")
        commands = client("ssm", self.moto).list_commands(InstanceId=ws)["Commands"]
        self.assertEqual(len(commands), 1)
        script = "\n".join(commands[0]["Parameters"]["commands"])
        for must in ("blockdev --setro", "sha256sum", "mount -o ro,noload", "ro,norecovery"):
            self.assertIn(must, script)
        self.assertNotIn("mount -o rw", script)
        notes = [str(r["payload"]) for r in self.journal(CASE) if r["kind"] == "note" and "sha256" in str(r["payload"])]
        for vid, h in hashes.items():
            self.assertTrue(any(vid in n and h in n for n in notes), f"no custody hash for {vid}")
        proc = self.lab("attach", "--mount")
        self.assertExit(proc, 0, "lab attach --mount rerun")
        self.assertEqual(len(client("ssm", self.moto).list_commands(InstanceId=ws)["Commands"]), 1, "sent twice")


class LabForensicAccountTest(LabCase):
    """The lab in a second account (AWS's guidance: a forensic account of its own). moto keeps accounts
    apart by the credentials STS's AssumeRole hands out; a volume made there from a snapshot the
    suspect's account shared is served by the range (range/shared_snapshots.py), as AWS allows it
    ("Share an Amazon EBS snapshot", Amazon EBS User Guide)."""

    FORENSIC = "222222222222"
    ROLE = f"arn:aws:iam::{FORENSIC}:role/cordon-forensics"

    def forensic(self, service: str, endpoint: str | None = None):
        creds = client("sts", self.moto).assume_role(RoleArn=self.ROLE, RoleSessionName="judge")["Credentials"]
        return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint or self.moto,
                            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"])

    def test_copies_encrypted_shared_and_volumes_in_the_forensic_account(self):
        self.contained()
        originals = sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE))
        fec2 = self.forensic("ec2")
        vpc = fec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
        subnet = fec2.create_subnet(VpcId=vpc, CidrBlock="10.90.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]
        up = ["--forensic-account-role", self.ROLE, "--subnet", subnet["SubnetId"]]
        self.assertExit(self.lab("up", *up), 0, "lab up in the forensic account")
        self.assertEqual(self.stacks(), [], "the stack is in the suspect's account")
        fcf = self.forensic("cloudformation")
        self.assertEqual([s["StackName"] for s in fcf.describe_stacks()["Stacks"]], ["cordon-lab-" + CASE])
        ws = [i for r in fec2.describe_instances(Filters=[
            {"Name": "tag:cordon:role", "Values": ["forensic-workstation"]},
            {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"] for i in r["Instances"]]
        self.assertEqual(len(ws), 1)
        self.assertEqual(ws[0]["SubnetId"], subnet["SubnetId"])

        proc = self.lab("allow")
        self.assertExit(proc, 1, "lab allow across accounts (the step refuses)")
        self.assertIn("peering", proc.stderr)

        # Killed after its copies, shares and volumes, before its outcome: the rerun makes none twice.
        proc = self.lab("attach", env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": "1"})
        self.assertEqual(proc.returncode, 137, explain(proc))
        self.assertExit(self.lab("attach"), 0, "lab attach in the forensic account")
        ec2 = self.ec2()
        copies = ec2.describe_snapshots(OwnerIds=["self"], Filters=[
            {"Name": "tag:cordon:case", "Values": [CASE]}, {"Name": "tag:cordon:role", "Values": ["lab"]}])["Snapshots"]
        self.assertEqual(sorted(LabLifecycleTest.tag(c, "cordon:source-snapshot") for c in copies), originals)
        key = client("kms", self.moto).describe_key(KeyId="alias/cordon-lab-" + CASE)["KeyMetadata"]
        for c in copies:
            self.assertTrue(c["Encrypted"])
            self.assertEqual(c["KmsKeyId"], key["Arn"], "a copy not under the case key")
            perms = ec2.describe_snapshot_attribute(SnapshotId=c["SnapshotId"], Attribute="createVolumePermission")
            self.assertEqual(perms["CreateVolumePermissions"], [{"UserId": self.FORENSIC}])
        for o in originals:  # the evidence itself is never shared
            perms = ec2.describe_snapshot_attribute(SnapshotId=o, Attribute="createVolumePermission")
            self.assertEqual(perms["CreateVolumePermissions"], [])
        # Through the range, which keeps the snapshot a shared-snapshot volume was made from (moto drops it).
        volumes = self.forensic("ec2", self.endpoint).describe_volumes(
            Filters=[{"Name": "tag:cordon:role", "Values": ["lab"]}])["Volumes"]
        self.assertEqual(sorted(LabLifecycleTest.tag(v, "cordon:source-snapshot") for v in volumes), originals)
        by_copy = {c["SnapshotId"] for c in copies}
        for v in volumes:
            self.assertIn(v["SnapshotId"], by_copy)
            self.assertEqual(LabLifecycleTest.tag(v, "cordon:lab-copy"), v["SnapshotId"])
            self.assertEqual(v["AvailabilityZone"], "us-east-1b")
            self.assertEqual([a["InstanceId"] for a in v["Attachments"]], [ws[0]["InstanceId"]])
        self.assertEqual(self.lab_volumes(), [], "lab volumes in the suspect's account")
        custody = [r for r in self.journal(CASE) if r["kind"] == "note" and "custody" in str(r["payload"])]
        self.assertTrue(custody and all(self.FORENSIC in str(r["payload"]) for r in custody[-len(originals):]))

        self.assertExit(self.lab("down"), 0, "lab down in the forensic account")
        self.assertEqual(fec2.describe_volumes(Filters=[{"Name": "tag:cordon:role", "Values": ["lab"]}])["Volumes"], [])
        self.assertEqual([s for s in fcf.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"], [])
        self.assertEqual(fec2.describe_security_groups(Filters=[{"Name": "tag:cordon:case", "Values": [CASE]}])[
            "SecurityGroups"], [])
        left = [i for r in fec2.describe_instances(Filters=[{"Name": "tag:cordon:case", "Values": [CASE]}])[
            "Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"]
        self.assertEqual(left, [])
        self.assertEqual(ec2.describe_snapshots(OwnerIds=["self"], Filters=[
            {"Name": "tag:cordon:role", "Values": ["lab"]}])["Snapshots"], [], "a lab copy was left")
        key = client("kms", self.moto).describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        self.assertEqual(key["KeyState"], "PendingDeletion")
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE)), originals)
        self.assertCaseConsistent(CASE)


class LabCrashTest(LabCase):
    """A SIGKILL after each step (and inside lab attach, after its AWS calls), then a rerun: one stack,
    one volume per snapshot, nothing left behind."""

    def crash(self, sub: str, hook: str, n: int):
        proc = self.lab(sub, env={hook: str(n)})
        self.assertEqual(proc.returncode, 137, f"lab {sub} with {hook}={n} did not crash\n{explain(proc)}")
        self.assertExit(self.lab(sub), 0, f"lab {sub} rerun after {hook}={n}")

    def test_crash_and_rerun(self):
        self.contained()
        snapshots = sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE))
        for n in (1, 2):
            self.assertExit(self.lab("down"), 0, "lab down before a crashing lab up")
            self.crash("up", "CORDON_TEST_CRASH_BEFORE_OUTCOME", n)
            self.assertEqual(len(self.stacks()), 1)
            self.assertEqual(len(self.workstations()), 1)
        self.crash("allow", "CORDON_TEST_CRASH_BEFORE_OUTCOME", 1)
        self.crash("attach", "CORDON_TEST_CRASH_BEFORE_OUTCOME", 1)
        self.assertEqual(sorted(LabLifecycleTest.tag(v, "cordon:source-snapshot") for v in self.lab_volumes()), snapshots)
        # The killed attach journaled no custody; its rerun, which found every volume attached, did.
        custody = [r for r in self.journal(CASE) if r["kind"] == "note" and "custody" in str(r["payload"])]
        self.assertEqual(sorted({str(r["payload"]).split("custody: ")[1].split(" ")[0] for r in custody}), snapshots)
        # A crash after the last step is a finished lab down; after each earlier one, the rerun finishes it.
        for n in (1, 2, 3):
            for sub in ("up", "allow", "attach"):
                self.assertExit(self.lab(sub), 0, f"lab {sub} before a crashing lab down")
            self.crash("down", "CORDON_TEST_CRASH_AFTER_STEP", n)
            self.assertEqual(self.leftovers(), [], f"left behind after a crash at step {n} of lab down")
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE)), snapshots)
        self.assertCaseConsistent(CASE)


if __name__ == "__main__":
    unittest.main()
