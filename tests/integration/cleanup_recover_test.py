"""`cordon cleanup` and `cordon recover` (issue 11) after a containment, judged with boto3 against
moto behind the range.

- cleanup refuses while a snapshot of the case is `pending` (the range holds it pending for one
  DescribeSnapshots) and names it; once it is `completed`, the suspect is terminated, its volumes and
  snapshots remain, and cordon's groups no interface uses are gone. Termination keeps the volumes
  because contain set DeleteOnTermination false (EC2 User Guide, "Preserve data when an instance is
  terminated"); cordon never deletes evidence.
- recover, after contain detached the suspect without decrementing (Auto Scaling then launches a
  replacement: "Detach EC2 instances from your Auto Scaling group", Amazon EC2 Auto Scaling User
  Guide): the group is at desired capacity and every member is in the classic ELB and the target
  group. With a member marked Unhealthy (SetInstanceHealth; AWS would replace it in time, moto never
  does, so the group stays below capacity), recover exits 7 naming it.
- recover --relaunch on a standalone instance: the replacement matches the recorded configuration
  field by field and is registered where the suspect was.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/cleanup_recover_test.py -v
"""

from __future__ import annotations

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from scenario import AMI, ResponseCase, case_snapshots, client, explain  # noqa: E402

CASE = "IR-CLEAN-1"


class AfterContainCase(ResponseCase):
    def run_case(self, command: str, *extra, case: str = CASE, env=None):
        return self.cordon(command, "--case", case, "--cases-dir", self.cases_dir, *extra, env=env)

    def instance(self, iid: str) -> dict:
        return client("ec2", self.moto).describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]

    def group_names(self, vpc: str) -> set:
        groups = client("ec2", self.moto).describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
        return {g["GroupName"] for g in groups}


class CleanupTest(AfterContainCase):
    def test_refuses_while_pending_then_terminates(self):
        ids = self.fresh()
        self.assertExit(self.contain(CASE), 0, "contain")
        snapshots = sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE))
        self.assertEqual(len(snapshots), 3)

        proc = self.run_case("cleanup", "--yes")
        self.assertExit(proc, 2, "cleanup without --terminate-suspect")
        self.assertIn("--terminate-suspect", proc.stderr)

        self.range.set_faults({"rules": [{"kind": "pending", "describes": 1, "scope": "all"}]})
        proc = self.run_case("cleanup", "--terminate-suspect", "--yes")
        self.assertExit(proc, 1, "cleanup while the snapshots are pending")
        for snap in snapshots:
            self.assertIn(snap + " pending", proc.stderr + proc.stdout)
        self.assertEqual(self.instance(ids["suspect"])["State"]["Name"], "running")

        proc = self.run_case("cleanup", "--terminate-suspect")  # no --yes, no terminal: refused
        self.assertExit(proc, 2, "cleanup without confirmation")
        self.assertEqual(self.instance(ids["suspect"])["State"]["Name"], "running")

        proc = self.run_case("cleanup", "--terminate-suspect", "--yes")
        self.assertExit(proc, 0, "cleanup once the snapshots completed")
        self.assertEqual(self.instance(ids["suspect"])["State"]["Name"], "terminated")
        ec2 = client("ec2", self.moto)
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, CASE)), snapshots)
        left = ec2.describe_volumes(VolumeIds=ids["volumes"])["Volumes"]
        self.assertEqual(sorted(v["VolumeId"] for v in left), sorted(ids["volumes"]), "a volume was deleted")
        # The suspect's second interface outlives it (attached with DeleteOnTermination false, as ENIs
        # attached later are: EC2 User Guide, "Network interface attributes"), still isolated: the
        # VPC's isolation group stays for it; every other cordon group is gone. (AWS detaches it,
        # "available"; moto 5.2.1 leaves it "in-use" by the terminated instance.)
        eni2 = ec2.describe_network_interfaces(NetworkInterfaceIds=[ids["suspects"][0]["second_eni"]])["NetworkInterfaces"][0]
        self.assertIn(eni2["Status"], ("available", "in-use"))
        isolation = self.isolation_groups(ids["vpc_id"])["cordon-isolation-" + ids["vpc_id"]]["GroupId"]
        self.assertEqual([g["GroupId"] for g in eni2["Groups"]], [isolation])
        names = self.group_names(ids["vpc_id"])
        self.assertEqual({n for n in names if n.startswith("cordon-")}, {"cordon-isolation-" + ids["vpc_id"]})
        for sib in ids["siblings"]:
            self.assertEqual(self.instance(sib)["State"]["Name"], "running")

        proc = self.run_case("cleanup", "--terminate-suspect", "--yes")
        self.assertExit(proc, 0, "cleanup rerun")
        self.assertIn("nothing changed", proc.stdout)
        self.assertCaseConsistent(CASE)

    def test_refuses_while_the_lab_is_up(self):
        ids = self.fresh()
        self.assertExit(self.contain(CASE), 0, "contain")
        self.assertExit(self.cordon("lab", "up", "--case", CASE, "--cases-dir", self.cases_dir, "--ami", AMI), 0, "lab up")
        proc = self.run_case("cleanup", "--terminate-suspect", "--yes")
        self.assertExit(proc, 1, "cleanup with the lab up")
        self.assertIn("lab down", proc.stderr + proc.stdout)
        self.assertEqual(self.instance(ids["suspect"])["State"]["Name"], "running")


    def test_crash_and_rerun(self):
        """SIGKILL right after the suspect was terminated (before the outcome is journaled), then a
        rerun: it sees the suspect gone and finishes the groups."""
        ids = self.fresh()
        self.assertExit(self.contain(CASE), 0, "contain")
        proc = self.cordon("cleanup", "--case", CASE, "--cases-dir", self.cases_dir, "--terminate-suspect", "--yes",
                           env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": "2"})
        self.assertEqual(proc.returncode, 137, explain(proc))
        self.assertEqual(self.instance(ids["suspect"])["State"]["Name"], "terminated")
        self.assertExit(self.run_case("cleanup", "--terminate-suspect", "--yes"), 0, "cleanup rerun after a crash")
        self.assertEqual(self.group_names(ids["vpc_id"]) & {"cordon-untrack-" + ids["vpc_id"]}, set())
        self.assertCaseConsistent(CASE)


class RecoverTest(AfterContainCase):
    def members(self, ids: dict) -> list:
        g = client("autoscaling", self.moto).describe_auto_scaling_groups(
            AutoScalingGroupNames=[ids["asg_name"]])["AutoScalingGroups"][0]
        return g

    def test_auto_scaling_group_recovered_then_held_below(self):
        ids = self.fresh()
        before = self.members(ids)
        self.assertExit(self.contain(CASE), 0, "contain")
        proc = self.run_case("recover", "--wait", "0")
        self.assertExit(proc, 0, "recover")
        group = self.members(ids)
        serving = [i["InstanceId"] for i in group["Instances"] if i["LifecycleState"] == "InService"]
        self.assertEqual(len(serving), before["DesiredCapacity"])
        self.assertNotIn(ids["suspect"], serving)
        clb = {i["InstanceId"] for i in client("elb", self.moto).describe_instance_health(
            LoadBalancerName=ids["clb_name"])["InstanceStates"] if i["State"] == "InService"}
        tg = {d["Target"]["Id"] for d in client("elbv2", self.moto).describe_target_health(
            TargetGroupArn=ids["tg_arn"])["TargetHealthDescriptions"] if d["TargetHealth"]["State"] == "healthy"}
        replacement = set(serving) - {i["InstanceId"] for i in before["Instances"]}
        self.assertEqual(len(replacement), 1, f"no replacement: {serving}")
        self.assertLessEqual(set(serving), clb)
        self.assertLessEqual(set(serving), tg)

        sick = sorted(replacement)[0]
        client("autoscaling", self.moto).set_instance_health(InstanceId=sick, HealthStatus="Unhealthy")
        proc = self.run_case("recover", "--wait", "0")
        self.assertExit(proc, 7, "recover with the group below capacity")
        self.assertIn("InService and Healthy", proc.stderr + proc.stdout)


class RelaunchTest(AfterContainCase):
    def standalone(self, ids: dict) -> str:
        """A web server outside the group, from the same launch template, in the CLB and the TG."""
        ec2 = client("ec2", self.moto)
        ec2.create_key_pair(KeyName="ops")
        iid = ec2.run_instances(
            LaunchTemplate={"LaunchTemplateName": ids["launch_template"], "Version": "1"}, MinCount=1, MaxCount=1,
            SubnetId=ids["subnets"][1], KeyName="ops",
            SecurityGroupIds=[ids["security_groups"]["web"], ids["security_groups"]["app"]],
            MetadataOptions={"HttpTokens": "required"},
            TagSpecifications=[{"ResourceType": "instance", "Tags": [
                {"Key": "Name", "Value": "web-standalone"}, {"Key": "Owner", "Value": "team-web@example.com"}]}],
        )["Instances"][0]["InstanceId"]
        ec2.associate_iam_instance_profile(InstanceId=iid, IamInstanceProfile={"Arn": ids["profile_arn"]})
        client("elb", self.moto).register_instances_with_load_balancer(
            LoadBalancerName=ids["clb_name"], Instances=[{"InstanceId": iid}])
        client("elbv2", self.moto).register_targets(TargetGroupArn=ids["tg_arn"], Targets=[{"Id": iid, "Port": 8080}])
        return iid

    def test_relaunch_matches_the_recorded_configuration(self):
        ids = self.fresh()
        suspect = self.standalone(ids)
        original = self.instance(suspect)
        self.assertExit(self.contain(CASE, targets=[suspect]), 0, "contain the standalone instance")
        proc = self.run_case("recover", "--wait", "0")
        self.assertExit(proc, 7, "recover of a standalone instance without --relaunch")
        self.assertIn("--relaunch", proc.stderr + proc.stdout)

        # SIGKILL after RunInstances, before its outcome is journaled: the rerun finds the replacement.
        proc = self.run_case("recover", "--relaunch", "--wait", "0", env={"CORDON_TEST_CRASH_BEFORE_OUTCOME": "1"})
        self.assertEqual(proc.returncode, 137, explain(proc))
        proc = self.run_case("recover", "--relaunch", "--wait", "0")
        self.assertExit(proc, 0, "recover --relaunch")
        ec2 = client("ec2", self.moto)
        found = ec2.describe_instances(Filters=[{"Name": "tag:cordon:replaces", "Values": [suspect]},
                                                {"Name": "instance-state-name", "Values": ["running"]}])
        new = [i for r in found["Reservations"] for i in r["Instances"]]
        self.assertEqual(len(new), 1, explain(proc))
        new = new[0]
        self.assertIn(new["InstanceId"], proc.stdout + proc.stderr)
        for field in ("ImageId", "InstanceType", "SubnetId", "KeyName"):
            self.assertEqual(new.get(field), original.get(field), field)
        self.assertEqual(new["MetadataOptions"]["HttpTokens"], original["MetadataOptions"]["HttpTokens"])
        self.assertEqual(sorted(g["GroupId"] for g in new["SecurityGroups"]),
                         sorted(g["GroupId"] for g in original["SecurityGroups"]))
        self.assertEqual(new["IamInstanceProfile"]["Arn"], ids["profile_arn"])
        owner_tags = {t["Key"]: t["Value"] for t in original["Tags"] if not t["Key"].startswith(("aws:", "cordon:"))}
        new_tags = {t["Key"]: t["Value"] for t in new["Tags"]}
        self.assertEqual({k: v for k, v in new_tags.items() if not k.startswith(("aws:", "cordon:"))}, owner_tags)
        self.assertEqual(new_tags["cordon:case"], CASE)
        suspect_volumes = {b["Ebs"]["VolumeId"] for b in original["BlockDeviceMappings"]}
        self.assertFalse(suspect_volumes & {b["Ebs"]["VolumeId"] for b in new.get("BlockDeviceMappings", [])})
        clb = {i["InstanceId"] for i in client("elb", self.moto).describe_instance_health(
            LoadBalancerName=ids["clb_name"])["InstanceStates"]}
        self.assertIn(new["InstanceId"], clb)
        targets = {(d["Target"]["Id"], d["Target"].get("Port")) for d in client("elbv2", self.moto).describe_target_health(
            TargetGroupArn=ids["tg_arn"])["TargetHealthDescriptions"]}
        self.assertIn((new["InstanceId"], 8080), targets)

        proc = self.run_case("recover", "--relaunch", "--wait", "0")
        self.assertExit(proc, 0, "recover --relaunch rerun")
        again = ec2.describe_instances(Filters=[{"Name": "tag:cordon:replaces", "Values": [suspect]}])
        self.assertEqual(len([i for r in again["Reservations"] for i in r["Instances"]]), 1, "relaunched twice")
        self.assertCaseConsistent(CASE)


if __name__ == "__main__":
    unittest.main()
