"""`cordon release` restores exactly the recorded pre-state, compared field by field with boto3.

Run from the repository root:  python3 -m unittest tests/integration/release_test.py -v
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client  # noqa: E402

CASE_TAG_KEYS = ("incident-response", "cordon:case")


def recorded_pre_state(cases_dir: str, case: str, iid: str) -> dict:
    """The case's recorded pre-state of `iid`, read from case.db with sqlite3 (not through cordon)."""
    db = sqlite3.connect(f"file:{os.path.join(cases_dir, case, 'case.db')}?mode=ro", uri=True)
    try:
        (state,) = db.execute("SELECT state FROM pre_state WHERE target = ?", (iid,)).fetchone()
    finally:
        db.close()
    return json.loads(state)


class ReleaseTests(ResponseCase):

    def assertRestored(self, case: str, pre: dict, post: dict):
        iid = self.ids["suspect"]
        me, before = post["instances"][iid], pre["instances"][iid]
        for field in ("state", "enis", "instance_groups", "eips", "profile", "disable_api_termination",
                      "shutdown_behavior", "volumes"):
            self.assertEqual(me[field], before[field], f"{field} not restored")
        # tags: the originals back (the ASG tag too, as re-attaching adds it); the case tags say released
        for k, v in before["tags"].items():
            self.assertEqual(me["tags"].get(k), v, f"tag {k}")
        self.assertIn("released", me["tags"].get("incident-response", ""), me["tags"])
        extra = set(me["tags"]) - set(before["tags"])
        self.assertTrue(extra <= set(CASE_TAG_KEYS) | {k for k in me["tags"] if k.startswith("cordon:")}, extra)
        # Auto Scaling membership (InService, same scale-in protection), CLB and TG registrations
        self.assertIn(iid, post["asg"]["members"])
        self.assertEqual(post["asg"]["members"][iid], pre["asg"]["members"][iid])
        self.assertIn(iid, post["clb_instances"])
        self.assertIn(iid, post["tg_targets"])
        # the deny is gone, nothing else on the role changed
        self.assertEqual(post["role_policies"], pre["role_policies"])
        self.assertEqual(post["role_attached_policies"], pre["role_attached_policies"])
        self.assertEqual(post["profile_roles"], pre["profile_roles"])
        for sib in self.ids["siblings"]:
            self.assertEqual(post["instances"][sib], pre["instances"][sib], f"sibling {sib} changed")
            self.assertIn(sib, post["asg"]["members"])

    def test_release_restores_the_pre_state_field_by_field(self):
        self.fresh()
        pre = self.state()
        self.assertExit(self.contain("IR-R1"), 0)
        self.assertContained("IR-R1", pre)
        snaps = case_snapshots(self.moto, "IR-R1")
        proc = self.release("IR-R1")
        self.assertExit(proc, 0)
        post = self.state()
        self.assertRestored("IR-R1", pre, post)
        # evidence stays
        self.assertEqual([s["SnapshotId"] for s in case_snapshots(self.moto, "IR-R1")],
                         [s["SnapshotId"] for s in snaps])
        self.assertCaseConsistent("IR-R1")

    def test_release_leaves_the_auto_scaling_group_its_recorded_size(self):
        """Issue 13: AttachInstances raises the desired capacity by one and fails at MaxSize (Auto Scaling
        API reference, AttachInstances). After release the group's min, max and desired are the
        pre-state's, the released instance is InService in it, and the replacement the group launched
        is the instance retired, never the released one; also with the group at its MaxSize."""
        for at_max in (False, True):
            with self.subTest(at_max=at_max):
                self.fresh()
                asg = client("autoscaling", self.moto)
                name, suspect = self.ids["asg_name"], self.ids["suspect"]

                def group():
                    return asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]

                if at_max:
                    asg.update_auto_scaling_group(AutoScalingGroupName=name, MaxSize=group()["DesiredCapacity"])
                before = group()
                sizes = (before["MinSize"], before["MaxSize"], before["DesiredCapacity"])
                members = {i["InstanceId"] for i in before["Instances"]}
                case = f"IR-RSZ{int(at_max)}"
                self.assertExit(self.contain(case), 0)
                (replacement,) = {i["InstanceId"] for i in group()["Instances"]} - members
                self.assertExit(self.release(case), 0)
                after = group()
                self.assertEqual((after["MinSize"], after["MaxSize"], after["DesiredCapacity"]), sizes)
                now = {i["InstanceId"]: i["LifecycleState"] for i in after["Instances"]}
                self.assertEqual(now.get(suspect), "InService")
                self.assertNotIn(replacement, now)
                self.assertEqual(set(now), members)

    def test_a_release_stopped_before_it_retired_the_replacement_finishes_on_rerun(self):
        """A release that put the suspect back in its group (AttachInstances, or ExitStandby, each of
        which raises the desired capacity by one: Auto Scaling API reference) and then failed to retire
        the replacement (TerminateInstanceInAutoScalingGroup down) leaves the group one larger, and in
        detach mode at MaxSize with MaxSize raised for the attach. Its rerun finds the suspect already
        in service and must still retire the replacement and put MaxSize back: the group ends at its
        recorded min, max and desired."""
        for mode in ("detach", "standby"):
            with self.subTest(mode=mode):
                self.fresh()
                asg = client("autoscaling", self.moto)
                name, suspect = self.ids["asg_name"], self.ids["suspect"]

                def group():
                    return asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]

                if mode == "detach":
                    asg.update_auto_scaling_group(AutoScalingGroupName=name, MaxSize=group()["DesiredCapacity"])
                before = group()
                sizes = (before["MinSize"], before["MaxSize"], before["DesiredCapacity"])
                members = {i["InstanceId"] for i in before["Instances"]}
                case = f"IR-RST-{mode}"
                self.assertExit(self.contain(case, "--asg", mode), 0)
                (replacement,) = {i["InstanceId"] for i in group()["Instances"]} - members
                self.range.set_faults({"seed": 7, "rules": [{"kind": "http500", "service": "autoscaling",
                                                             "action": "TerminateInstanceInAutoScalingGroup"}]})
                stopped = self.release(case)
                self.range.set_faults(None)
                self.assertNotEqual(stopped.returncode, 0, "release went on without retiring the replacement")
                self.assertEqual(group()["DesiredCapacity"], sizes[2] + 1, "the stopped release did not put it back")
                proc = self.release(case)
                self.assertExit(proc, 0)
                after = group()
                self.assertEqual((after["MinSize"], after["MaxSize"], after["DesiredCapacity"]), sizes)
                now = {i["InstanceId"]: i["LifecycleState"] for i in after["Instances"]}
                self.assertEqual(now.get(suspect), "InService", after["Instances"])
                self.assertNotIn(replacement, now)
                self.assertEqual(set(now), members)

    def test_releasing_two_instances_of_one_group_retires_both_replacements(self):
        """Issue 13, for a fleet: two suspects of one Auto Scaling group contained in one case, so the
        group launched two replacements, and each suspect's record names both as instances it did
        not know. Release (which runs the targets side by side) must retire one replacement per
        released instance, each once: the group ends at its recorded min, max and desired, with both
        suspects InService and neither replacement left (TerminateInstanceInAutoScalingGroup with
        ShouldDecrementDesiredCapacity, Auto Scaling API reference)."""
        self.fresh(suspects=2)
        asg = client("autoscaling", self.moto)
        name = self.ids["asg_name"]
        suspects = [s["instance_id"] for s in self.ids["suspects"]]

        def group():
            return asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]

        before = group()
        sizes = (before["MinSize"], before["MaxSize"], before["DesiredCapacity"])
        members = {i["InstanceId"] for i in before["Instances"]}
        self.assertExit(self.contain("IR-RSZ2", targets=suspects), 0)
        replacements = {i["InstanceId"] for i in group()["Instances"]} - members
        self.assertEqual(len(replacements), 2, group()["Instances"])
        proc = self.release("IR-RSZ2")
        self.assertExit(proc, 0)
        self.assertNotIn("left to retire", proc.stdout + proc.stderr)
        after = group()
        self.assertEqual((after["MinSize"], after["MaxSize"], after["DesiredCapacity"]), sizes)
        now = {i["InstanceId"]: i["LifecycleState"] for i in after["Instances"]}
        for s in suspects:
            self.assertEqual(now.get(s), "InService", after["Instances"])
        self.assertEqual(set(now), members)

    def test_ip_target_groups_are_deregistered_and_restored(self):
        """Issue 13: an ip-type target group (ALB/NLB) holds the instance by a private address, not its
        id (Elastic Load Balancing, "Target type": ip). Containment takes that target out of service;
        release registers it again with the same port."""
        self.fresh()
        ec2, elbv2 = client("ec2", self.moto), client("elbv2", self.moto)
        suspect = self.ids["suspect"]
        enis = ec2.describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-id", "Values": [suspect]}])["NetworkInterfaces"]
        address = enis[0]["PrivateIpAddress"]
        tg = elbv2.create_target_group(Name="ip-targets", Protocol="TCP", Port=9000, VpcId=self.ids["vpc_id"],
                                       TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": address, "Port": 9000}])

        def targets():
            return sorted((d["Target"]["Id"], d["Target"].get("Port")) for d in
                          elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
                          if d.get("TargetHealth", {}).get("State") not in ("draining", "unused"))

        self.assertEqual(targets(), [(address, 9000)])
        self.assertExit(self.contain("IR-IPTG"), 0)
        self.assertEqual(targets(), [])
        self.assertExit(self.release("IR-IPTG"), 0)
        self.assertEqual(targets(), [(address, 9000)])

    def test_release_refuses_unreconcilable_drift_unless_forced(self):
        self.fresh()
        pre = self.state()
        self.assertExit(self.contain("IR-R2"), 0)
        contained = self.assertContained("IR-R2", pre)
        # someone deletes one of the suspect's original groups (only the suspect's 2nd ENI used it)
        client("ec2", self.moto).delete_security_group(GroupId=self.ids["security_groups"]["db"])
        proc = self.release("IR-R2")
        self.assertNotEqual(proc.returncode, 0, "release went ahead over drift it cannot reconcile")
        self.assertIn(proc.returncode, (1, 6))
        self.assertIn(self.ids["security_groups"]["db"], proc.stdout + proc.stderr)
        now = self.state()
        self.assertEqual(now["instances"][self.ids["suspect"]]["enis"],
                         contained["instances"][self.ids["suspect"]]["enis"], "refused, yet changed the ENIs")
        forced = self.release("IR-R2", "--force")
        self.assertExit(forced, (0, 6))
        post = self.state()
        eni0 = self.ids["suspects"][0]["primary_eni"]
        self.assertEqual(post["instances"][self.ids["suspect"]]["enis"][eni0]["groups"],
                         pre["instances"][self.ids["suspect"]]["enis"][eni0]["groups"])
        self.assertEqual(post["role_policies"], pre["role_policies"])
        self.assertCaseConsistent("IR-R2")

        # the refusal and the forced release are journaled: the drift, then what --force skipped
        notes = [r for r in self.journal("IR-R2") if r["kind"] == "note" and r["step"] == "release"]
        self.assertGreaterEqual(len(notes), 2, notes)
        self.assertIn("refused", notes[0]["payload"]["text"])
        self.assertTrue(any(self.ids["security_groups"]["db"] in d for d in notes[0]["payload"]["drift"]))
        self.assertTrue(any(self.ids["security_groups"]["db"] in d for d in notes[-1]["payload"]["skipped"]))
        # --force restored what it could: the 2nd ENI gets its groups that still exist
        eni1 = self.ids["suspects"][0]["second_eni"]
        # (moto lists the instance's groups on every ENI, so the pre-state's list is the reference)
        self.assertEqual(post["instances"][self.ids["suspect"]]["enis"][eni1]["groups"],
                         [g for g in pre["instances"][self.ids["suspect"]]["enis"][eni1]["groups"]
                          if g != self.ids["security_groups"]["db"]])

    def test_release_refuses_each_drifted_property_and_force_skips_what_cannot_be_restored(self):
        self.fresh()
        pre = self.state()
        iid, s = self.ids["suspect"], self.ids["suspects"][0]
        self.assertExit(self.contain("IR-R3"), 0)
        ec2, iam = client("ec2", self.moto), client("iam", self.moto)
        # three drifts at once: the Elastic IP taken for a sibling, another profile put on the
        # suspect (both restorable over), and the 2nd ENI detached and deleted (not restorable)
        ec2.associate_address(AllocationId=s["eip_allocation"], InstanceId=self.ids["siblings"][0],
                              AllowReassociation=True)
        other = iam.create_instance_profile(InstanceProfileName="someone-elses")["InstanceProfile"]["Arn"]
        ec2.associate_iam_instance_profile(InstanceId=iid, IamInstanceProfile={"Arn": other})
        eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[s["second_eni"]])["NetworkInterfaces"][0]
        ec2.detach_network_interface(AttachmentId=eni["Attachment"]["AttachmentId"], Force=True)
        ec2.delete_network_interface(NetworkInterfaceId=s["second_eni"])
        drifted = self.state()
        proc = self.release("IR-R3")
        self.assertExit(proc, 1, "release went ahead over drift")
        for needle in (s["public_ip"], "associated elsewhere", other, s["second_eni"]):
            self.assertIn(needle, proc.stderr)
        self.assertEqual(self.state(), drifted, "refused, yet changed something")
        drift = [r for r in self.journal("IR-R3") if r["kind"] == "note" and r["step"] == "release"][-1]
        self.assertEqual(len(drift["payload"]["drift"]), 3, drift)
        forced = self.release("IR-R3", "--force")
        self.assertExit(forced, 6, "--force that skipped the deleted ENI is partial")
        post, before = self.state()["instances"][iid], pre["instances"][iid]
        # overridden: the Elastic IP and the profile are back; the deleted ENI is skipped and said so
        self.assertEqual(post["eips"], before["eips"])
        self.assertEqual(post["profile"], before["profile"])
        eni0 = s["primary_eni"]
        self.assertEqual(post["enis"][eni0]["groups"], before["enis"][eni0]["groups"])
        self.assertNotIn(s["second_eni"], post["enis"])
        for field in ("disable_api_termination", "shutdown_behavior", "volumes"):
            self.assertEqual(post[field], before[field], field)
        self.assertIn(s["second_eni"], forced.stderr)
        self.assertCaseConsistent("IR-R3")

    def test_release_accepts_reconcilable_drift(self):
        self.fresh()
        pre = self.state()
        iid = self.ids["suspect"]
        self.assertExit(self.contain("IR-R4"), 0)
        # a colleague already put the ENIs back in their groups by hand: nothing to refuse
        ec2 = client("ec2", self.moto)
        for eni, groups in self.ids["enis"].items():
            ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=groups)
        # moto keeps the instance's groups apart from the primary ENI's and lists them on every ENI
        # (DESIGN §5): put them back too, as on AWS the primary ENI's groups are the instance's
        ec2.modify_instance_attribute(InstanceId=iid, Groups=self.ids["enis"][self.ids["suspects"][0]["primary_eni"]])
        proc = self.release("IR-R4")
        self.assertExit(proc, 0)
        self.assertRestored("IR-R4", pre, self.state())

    def test_release_refuses_an_instance_another_case_holds_even_with_force(self):
        self.fresh()
        pre = self.state()
        iid = self.ids["suspect"]
        self.assertExit(self.contain("IR-R7"), 0)
        contained = self.assertContained("IR-R7", pre)
        # another case took the instance over: its cordon:case tag now names IR-R8
        client("ec2", self.moto).create_tags(Resources=[iid], Tags=[{"Key": "cordon:case", "Value": "IR-R8"}])
        held = self.state()
        proc = self.release("IR-R7", "--force")
        self.assertExit(proc, 1, "--force released an instance another case holds")
        self.assertIn(f"instance {iid} is now held by case IR-R8; release it from that case", proc.stderr)
        # nothing changed: still isolated (boto3), still out of its group, the deny still on the role
        now = self.state()
        self.assertEqual(now, held, "refused, yet changed something")
        self.assertEqual(now["instances"][iid]["enis"], contained["instances"][iid]["enis"])
        self.assertEqual(now["instances"][iid]["tags"].get("incident-response"), "quarantine:IR-R7")
        note = [r for r in self.journal("IR-R7") if r["kind"] == "note" and r["step"] == "release"][-1]
        self.assertIn("held", note["payload"]["text"])
        self.assertTrue(any("IR-R8" in h for h in note["payload"]["held"]), note)

    def test_contain_release_contain_again_under_a_new_case_then_release(self):
        self.fresh()
        pre = self.state()
        iid = self.ids["suspect"]
        self.assertExit(self.contain("IR-R5"), 0)
        self.assertExit(self.release("IR-R5"), 0)
        released = self.state()
        self.assertRestored("IR-R5", pre, released)
        self.assertExit(self.contain("IR-R6"), 0)
        # assertContained compares every other original tag: the case tags are expected to change
        expected = copy.deepcopy(released)
        tags = expected["instances"][iid]["tags"]
        for k in [k for k in tags if k == "incident-response" or k.startswith("cordon:")]:
            del tags[k]
        self.assertContained("IR-R6", expected)
        # the second case recorded the released state, not the quarantined one
        rec = recorded_pre_state(self.cases_dir, "IR-R6", iid)
        enis = {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"]) for e in rec["network_interfaces"]}
        self.assertEqual(enis, {k: v["groups"] for k, v in pre["instances"][iid]["enis"].items()})
        # the Elastic IP is recorded although moto leaves InstanceId empty on an address associated by ENI
        self.assertEqual([a["AllocationId"] for a in rec["addresses"]], [self.ids["eip_allocation"]])
        self.assertEqual({e["NetworkInterfaceId"]: (e.get("Association") or {}).get("PublicIp")
                          for e in rec["network_interfaces"]},
                         {k: v["public_ip"] for k, v in pre["instances"][iid]["enis"].items()})
        self.assertEqual(rec["iam_instance_profile_association"]["IamInstanceProfile"]["Arn"],
                         pre["instances"][iid]["profile"])
        self.assertEqual(rec["auto_scaling"]["AutoScalingGroupName"], self.ids["asg_name"])
        tags = {t["Key"]: t["Value"] for t in rec["instance"].get("Tags", [])}
        self.assertEqual(tags.get("incident-response"), "released:IR-R5")
        self.assertExit(self.release("IR-R6"), 0)
        post = self.state()
        self.assertRestored("IR-R6", pre, post)
        self.assertEqual(post["instances"][iid]["tags"]["incident-response"], "released:IR-R6")
        self.assertCaseConsistent("IR-R5")
        self.assertCaseConsistent("IR-R6")


if __name__ == "__main__":
    unittest.main()
