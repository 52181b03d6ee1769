"""Issue 14: `cordon posture`, the account's exposure and detective controls, against moto + the range.

The account has two regions set up by boto3 (on moto itself, behind the range's back):

- us-east-1, the scenario: a VPC without flow logs holding the suspect, an instance that allows IMDSv1
  (HttpTokens optional), has an unencrypted root volume, no SSM agent and an instance role with AWS's
  AdministratorAccess; the suspect's group is open to 0.0.0.0/0 on tcp/22; no GuardDuty detector;
  Inspector scans EC2 and has one finding on the suspect (the range serves ListFindings, which moto
  lacks: range/inspector.py);
- eu-west-1, the clean twin: the same shape made safe: IMDSv2 required, an encrypted volume, SSM
  managed (the range's DescribeInstanceInformation), a group open only to 10.0.0.0/8, a read-only
  role, flow logs on every VPC, GuardDuty with EC2 runtime monitoring and malware protection, Config
  recording, Security Hub, Macie (moto's default), Inspector EC2 scanning, and a logging multi-region
  trail with log-file validation (which covers us-east-1 too).

Expects, each judged against what boto3 says of the same account:
  - us-east-1: the open SSH group with its ENI and instance (critical: admin port, public address),
    the IMDSv1 instance, the unencrypted volume, each VPC without flow logs, the region without
    GuardDuty, the admin role; each finding with its ids and an AWS CLI fix; `--output text` names them;
  - eu-west-1: no finding and nothing not assessed, exit 0;
  - `--all-regions`: the same findings for us-east-1, none for eu-west-1;
  - `--instance`: the suspect's VPC had no flow logs, Inspector is on, its Inspector finding listed;
  - the fix commands work: the AWS CLI runs the open-group and IMDS fixes and the findings go away;
  - an API that is denied (Security Hub, through the range's fault rule) is "not assessed" with the
    reason (exit 6), never reported as clean and never as a finding.

Run from the repository root:
    CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/posture_test.py -v
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import Range, boto3_client, cordon_env, run_cordon  # noqa: E402

SCENARIO, CLEAN = "us-east-1", "eu-west-1"
ACCOUNT = "123456789012"


def inspector_finding(instance_id: str, region: str) -> dict:
    """An Inspector package-vulnerability finding on the instance, with every member botocore's
    inspector2 `Finding` shape requires (Inspector API Reference, Finding:
    https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html)."""
    return {
        "findingArn": f"arn:aws:inspector2:{region}:{ACCOUNT}:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "awsAccountId": ACCOUNT, "type": "PACKAGE_VULNERABILITY", "title": "CVE-2024-6387 - openssh",
        "description": "A signal handler race condition in OpenSSH's server (sshd).",
        "remediation": {"recommendation": {"text": "Update openssh to 9.8p1 or later."}},
        "severity": "HIGH", "status": "ACTIVE",
        "firstObservedAt": 1767225600, "lastObservedAt": 1767312000,
        "resources": [{"type": "AWS_EC2_INSTANCE", "id": instance_id, "region": region, "partition": "aws"}],
        "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-2024-6387", "source": "NVD",
                                        "vulnerablePackages": [{"name": "openssh", "version": "8.7p1"}]},
    }


class PostureTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # AWS managed policies (AdministratorAccess) exist in moto only when it loads them.
        cls.range = Range("--moto-env", "MOTO_IAM_LOAD_MANAGED_POLICIES=true").start()
        cls.addClassCleanup(cls.range.stop)
        cls.ids = {}
        cls.build_scenario()
        cls.build_clean_twin()
        cls.range.post_scenario({
            "ssm_managed_instances": [{"InstanceId": cls.ids["clean_instance"]}],
            "inspector_findings": [inspector_finding(cls.ids["suspect"], SCENARIO)],
        })

    @classmethod
    def c(cls, service, region):
        return boto3_client(service, cls.range.moto, region=region)

    @classmethod
    def image(cls, ec2):
        return ec2.describe_images()["Images"][0]

    @classmethod
    def build_scenario(cls):
        ec2 = cls.c("ec2", SCENARIO)
        vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName="ssh-open", Description="ssh from anywhere", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        iam = cls.c("iam", SCENARIO)
        iam.create_role(RoleName="web-admin", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))
        iam.attach_role_policy(RoleName="web-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        profile = iam.create_instance_profile(InstanceProfileName="web-admin")["InstanceProfile"]["Arn"]
        iam.add_role_to_instance_profile(InstanceProfileName="web-admin", RoleName="web-admin")
        run = ec2.run_instances(
            ImageId=cls.image(ec2)["ImageId"], MinCount=1, MaxCount=1,
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [sg],
                                "AssociatePublicIpAddress": True}],
            MetadataOptions={"HttpTokens": "optional"}, IamInstanceProfile={"Arn": profile})
        cls.ids.update(vpc=vpc, subnet=subnet, sg=sg, suspect=run["Instances"][0]["InstanceId"],
                       admin_profile=profile)
        # Inspector scans EC2 here (so the suspect's findings are listed); GuardDuty is off.
        cls.c("inspector2", SCENARIO).enable(accountIds=[ACCOUNT], resourceTypes=["EC2"])
        cls.c("macie2", SCENARIO).enable_macie()
        cls.c("securityhub", SCENARIO).enable_security_hub()

    @classmethod
    def build_clean_twin(cls):
        ec2 = cls.c("ec2", CLEAN)
        image = cls.image(ec2)
        vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName="https-internal", Description="internal", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
        iam = cls.c("iam", CLEAN)
        iam.create_role(RoleName="app-read", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName="app-read", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                    "Resource": "arn:aws:s3:::app/*"}]}))
        profile = iam.create_instance_profile(InstanceProfileName="app-read")["InstanceProfile"]["Arn"]
        iam.add_role_to_instance_profile(InstanceProfileName="app-read", RoleName="app-read")
        run = ec2.run_instances(
            ImageId=image["ImageId"], MinCount=1, MaxCount=1,
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [sg]}],
            MetadataOptions={"HttpTokens": "required"}, IamInstanceProfile={"Arn": profile},
            BlockDeviceMappings=[{"DeviceName": image.get("RootDeviceName", "/dev/sda1"),
                                  "Ebs": {"VolumeSize": 8, "Encrypted": True}}])
        cls.ids.update(clean_instance=run["Instances"][0]["InstanceId"], clean_sg=sg)
        s3 = cls.c("s3", CLEAN)
        s3.create_bucket(Bucket="clean-logs", CreateBucketConfiguration={"LocationConstraint": CLEAN})
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
        ec2.create_flow_logs(ResourceType="VPC", ResourceIds=vpcs, TrafficType="ALL", LogDestinationType="s3",
                             LogDestination="arn:aws:s3:::clean-logs")
        cfg = cls.c("config", CLEAN)
        cfg.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config", "recordingGroup": {"allSupported": True}})
        cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "clean-logs"})
        cfg.start_configuration_recorder(ConfigurationRecorderName="default")
        cls.c("guardduty", CLEAN).create_detector(Enable=True, Features=[
            {"Name": "RUNTIME_MONITORING", "Status": "ENABLED",
             "AdditionalConfiguration": [{"Name": "EC2_AGENT_MANAGEMENT", "Status": "ENABLED"}]},
            {"Name": "EBS_MALWARE_PROTECTION", "Status": "ENABLED"}])
        cls.c("securityhub", CLEAN).enable_security_hub()
        cls.c("inspector2", CLEAN).enable(accountIds=[ACCOUNT], resourceTypes=["EC2"])
        ct = cls.c("cloudtrail", CLEAN)
        ct.create_trail(Name="org-trail", S3BucketName="clean-logs", IsMultiRegionTrail=True,
                        EnableLogFileValidation=True)
        ct.start_logging(Name="org-trail")

    # ---- running cordon ------------------------------------------------------------------------

    def posture(self, *args, region=SCENARIO, output="json"):
        proc = run_cordon(["posture", *args, "--output", output, "--endpoint-url", self.range.endpoint,
                           "--region", region], timeout=300)
        if output != "json":
            return proc, None
        self.assertIn(proc.returncode, (0, 6), proc.stderr)
        return proc, json.loads(proc.stdout)

    def findings(self, doc, check, region=SCENARIO):
        return [f for f in doc["findings"] if f["check"] == check and f["region"] == region]

    # ---- boto3's view --------------------------------------------------------------------------

    def world_open(self, region):
        """(group id, ENI ids, instance ids) of the groups boto3 shows open to 0.0.0.0/0 or ::/0."""
        ec2 = self.c("ec2", region)
        out = []
        for g in ec2.describe_security_groups()["SecurityGroups"]:
            if any(r.get("CidrIp") == "0.0.0.0/0" for p in g["IpPermissions"] for r in p.get("IpRanges", [])) or \
                    any(r.get("CidrIpv6") == "::/0" for p in g["IpPermissions"] for r in p.get("Ipv6Ranges", [])):
                enis = ec2.describe_network_interfaces(Filters=[{"Name": "group-id", "Values": [g["GroupId"]]}])
                out.append((g["GroupId"], sorted(n["NetworkInterfaceId"] for n in enis["NetworkInterfaces"]),
                            sorted(n["Attachment"]["InstanceId"] for n in enis["NetworkInterfaces"]
                                   if n.get("Attachment", {}).get("InstanceId"))))
        return out

    def imdsv1(self, region):
        ec2 = self.c("ec2", region)
        return sorted(i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
                      if i["MetadataOptions"]["HttpTokens"] == "optional")

    def unencrypted(self, region):
        ec2 = self.c("ec2", region)
        return sorted((v["VolumeId"], a["InstanceId"]) for v in ec2.describe_volumes()["Volumes"]
                      if not v["Encrypted"] for a in v["Attachments"])

    def vpcs_without_flow_logs(self, region):
        ec2 = self.c("ec2", region)
        logged = {f["ResourceId"] for f in ec2.describe_flow_logs()["FlowLogs"]}
        return sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] not in logged)

    # ---- the scenario --------------------------------------------------------------------------

    def test_scenario_region_reports_each_weakness_with_its_ids(self):
        proc, doc = self.posture()
        self.assertEqual(doc["account"], ACCOUNT)
        self.assertEqual(doc["regions"], [SCENARIO])

        expected_open = self.world_open(SCENARIO)
        self.assertEqual([g for g, _, _ in expected_open], [self.ids["sg"]], "boto3 sees one open group")
        for group, enis, instances in expected_open:
            [f] = [f for f in self.findings(doc, "sg.world_open") if f["evidence"][0] == group]
            self.assertEqual(f["severity"], "critical", f)  # SSH, on an ENI with a public address
            self.assertEqual(sorted(e for e in f["evidence"] if e.startswith("eni-")), enis)
            self.assertEqual(sorted(e for e in f["evidence"] if e.startswith("i-")), instances)
            self.assertIn(self.ids["suspect"], instances)
            self.assertEqual(f["details"]["admin_ports"], ["SSH tcp/22"])
            self.assertTrue(f["details"]["public"])
            self.assertTrue(f["fix"].startswith(f"aws ec2 revoke-security-group-ingress --group-id {group}"), f)

        self.assertIn(self.ids["suspect"], self.imdsv1(SCENARIO))
        self.assertEqual(sorted(f["evidence"][0] for f in self.findings(doc, "instance.imdsv1")), self.imdsv1(SCENARIO))
        for f in self.findings(doc, "instance.imdsv1"):
            self.assertIn("--http-tokens required", f["fix"])

        self.assertTrue(self.unencrypted(SCENARIO))
        self.assertEqual(sorted(tuple(f["evidence"]) for f in self.findings(doc, "volume.unencrypted")),
                         self.unencrypted(SCENARIO))

        self.assertIn(self.ids["vpc"], self.vpcs_without_flow_logs(SCENARIO))
        self.assertEqual(sorted(f["evidence"][0] for f in self.findings(doc, "vpc.no_flow_logs")),
                         self.vpcs_without_flow_logs(SCENARIO))

        self.assertEqual(self.c("guardduty", SCENARIO).list_detectors()["DetectorIds"], [])
        [gd] = self.findings(doc, "guardduty.off")
        self.assertEqual(gd["evidence"], [SCENARIO])
        self.assertIn("aws guardduty create-detector --enable", gd["fix"])
        self.assertIn("RUNTIME_MONITORING", gd["fix"])

        [admin] = [f for f in doc["findings"] if f["check"] == "role.admin"]
        self.assertEqual(admin["severity"], "critical")
        self.assertIn("web-admin", admin["evidence"])
        self.assertIn("arn:aws:iam::aws:policy/AdministratorAccess", admin["evidence"])
        self.assertIn(self.ids["suspect"], admin["evidence"])

        # The suspect has no SSM agent (the range lists only the clean instance).
        self.assertIn([self.ids["suspect"]], [f["evidence"] for f in self.findings(doc, "instance.no_ssm")])
        self.assertEqual(doc["not_assessed"], [])
        self.assertEqual(doc["summary"]["findings"], len(doc["findings"]))

    def test_text_output_names_the_same_ids(self):
        proc, _ = self.posture(output="text")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for needle in (self.ids["sg"], self.ids["suspect"], self.ids["vpc"], "guardduty.off", "[critical]",
                       "aws ec2 revoke-security-group-ingress"):
            self.assertIn(needle, proc.stdout)

    def test_clean_twin_reports_nothing(self):
        # boto3's view of the twin: nothing to report.
        self.assertEqual(self.world_open(CLEAN), [])
        self.assertEqual(self.imdsv1(CLEAN), [])
        self.assertEqual(self.unencrypted(CLEAN), [])
        self.assertEqual(self.vpcs_without_flow_logs(CLEAN), [])
        self.assertEqual(len(self.c("guardduty", CLEAN).list_detectors()["DetectorIds"]), 1)
        proc, doc = self.posture(region=CLEAN)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(doc["findings"], [])
        self.assertEqual(doc["not_assessed"], [])
        proc, _ = self.posture(region=CLEAN, output="text")
        self.assertIn("Nothing found.", proc.stdout)

    def test_all_regions_keeps_the_twin_clean(self):
        _, doc = self.posture("--all-regions")
        self.assertIn(SCENARIO, doc["regions"])
        self.assertIn(CLEAN, doc["regions"])
        self.assertEqual([f for f in doc["findings"] if f["region"] == CLEAN], [])
        self.assertEqual([n for n in doc["not_assessed"] if n["region"] == CLEAN], [])
        self.assertEqual([f["evidence"][0] for f in self.findings(doc, "sg.world_open")], [self.ids["sg"]])
        self.assertTrue(self.findings(doc, "guardduty.off"))
        # Every other region moto has is as fresh as an unused region: no GuardDuty there either.
        self.assertEqual(sorted({f["region"] for f in doc["findings"] if f["check"] == "guardduty.off"}),
                         sorted(r for r in doc["regions"] if r != CLEAN))

    def test_instance_share_flow_logs_and_inspector_findings(self):
        _, doc = self.posture("--instance", self.ids["suspect"])
        [s] = doc["suspect"]
        self.assertEqual(s, {"instance_id": self.ids["suspect"], "region": SCENARIO, "vpc_id": self.ids["vpc"],
                             "vpc_flow_logs": "no", "inspector": "on"})
        [f] = self.findings(doc, "inspector.finding")
        self.assertEqual(f["severity"], "high")
        self.assertEqual(f["evidence"][:2], [self.ids["suspect"], inspector_finding(self.ids["suspect"], SCENARIO)["findingArn"]])
        self.assertIn("CVE-2024-6387", f["evidence"])
        self.assertIn("AWS-RunPatchBaseline", f["fix"])
        # The clean instance: flow logs on, Inspector on, no finding.
        _, doc = self.posture("--instance", self.ids["clean_instance"], region=CLEAN)
        self.assertEqual(doc["suspect"][0]["vpc_flow_logs"], "yes")
        self.assertEqual(doc["findings"], [])

    def test_unknown_instance_is_not_found(self):
        proc = run_cordon(["posture", "--instance", "i-0123456789abcdef0", "--endpoint-url", self.range.endpoint,
                           "--region", SCENARIO])
        self.assertEqual(proc.returncode, 3, proc.stderr)

    def test_case_that_does_not_exist_is_refused_before_the_posture_runs(self):
        # `posture --case` stores into an existing case only (case_report_test.py stores into a real one);
        # a wrong id is refused first, with nothing assessed and nothing written.
        cases = tempfile.mkdtemp(prefix="cordon-posture-cases-")
        self.addCleanup(shutil.rmtree, cases, True)
        proc = run_cordon(["posture", "--case", "IR-NONE", "--cases-dir", cases, "--endpoint-url",
                           self.range.endpoint, "--region", SCENARIO])
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("IR-NONE", proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(os.listdir(cases), [])

    def test_denied_api_is_not_assessed_never_clean(self):
        self.range.set_faults({"rules": [{"kind": "http500", "service": "securityhub", "status": 403,
                                          "code": "AccessDeniedException",
                                          "message": "User is not authorized to perform: securityhub:DescribeHub"}]})
        self.addCleanup(self.range.set_faults, None)
        proc, doc = self.posture(region=CLEAN)
        self.assertEqual(proc.returncode, 6, proc.stderr)
        self.assertEqual(doc["findings"], [])
        [n] = doc["not_assessed"]
        self.assertEqual((n["check"], n["region"]), ("securityhub", CLEAN))
        self.assertIn("AccessDeniedException", n["reason"])
        proc, _ = self.posture(region=CLEAN, output="text")
        self.assertIn("Not assessed", proc.stdout)
        self.assertNotIn("Nothing found", proc.stdout)


class PostureFixTests(unittest.TestCase):
    """The fixes are real AWS CLI commands: run them, and the findings go away."""

    def test_open_group_and_imds_fixes_apply(self):
        rng = Range().start()
        self.addCleanup(rng.stop)
        ec2 = boto3_client("ec2", rng.moto, region=SCENARIO)
        sg = ec2.create_security_group(GroupName="rdp-open", Description="rdp")["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
        image = ec2.describe_images()["Images"][0]["ImageId"]
        iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SecurityGroupIds=[sg],
                                MetadataOptions={"HttpTokens": "optional"})["Instances"][0]["InstanceId"]

        def posture():
            proc = run_cordon(["posture", "--output", "json", "--endpoint-url", rng.endpoint, "--region", SCENARIO])
            self.assertIn(proc.returncode, (0, 6), proc.stderr)
            return json.loads(proc.stdout)["findings"]

        before = posture()
        [open_rule] = [f for f in before if f["check"] == "sg.world_open"]
        self.assertIn("RDP (tcp/3389)", open_rule["title"])
        [imds] = [f for f in before if f["check"] == "instance.imdsv1" and f["evidence"] == [iid]]
        for fix in (open_rule["fix"], imds["fix"]):
            argv = shlex.split(fix)
            self.assertEqual(argv[0], "aws")
            done = subprocess.run(argv + ["--endpoint-url", rng.endpoint], env=cordon_env(),
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr)
        after = posture()
        self.assertEqual([f for f in after if f["check"] in ("sg.world_open", "instance.imdsv1")], [])
        [g] = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"]
        self.assertEqual(g["IpPermissions"], [])
        [r] = ec2.describe_instances(InstanceIds=[iid])["Reservations"]
        self.assertEqual(r["Instances"][0]["MetadataOptions"]["HttpTokens"], "required")


class RangeInspectorTests(unittest.TestCase):
    """The range's ListFindings (range/inspector.py), judged with boto3 through the proxy."""

    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.addClassCleanup(cls.range.stop)

    def test_filters_by_resource_status_and_region(self):
        a, b = inspector_finding("i-0aaa", SCENARIO), inspector_finding("i-0bbb", SCENARIO)
        b["findingArn"] = b["findingArn"][:-1] + "1"
        b["status"] = "CLOSED"
        other = inspector_finding("i-0aaa", CLEAN)
        other["findingArn"] = other["findingArn"][:-1] + "2"
        self.range.post_scenario({"inspector_findings": [a, b, other]})
        ins = boto3_client("inspector2", self.range.endpoint, region=SCENARIO)

        def arns(**criteria):
            return [f["findingArn"] for f in ins.list_findings(filterCriteria=criteria)["findings"]]

        eq = [{"comparison": "EQUALS", "value": "i-0aaa"}]
        self.assertEqual(arns(resourceId=eq), [a["findingArn"]])
        self.assertEqual(arns(resourceId=[{"comparison": "NOT_EQUALS", "value": "i-0aaa"}]), [b["findingArn"]])
        self.assertEqual(arns(findingStatus=[{"comparison": "EQUALS", "value": "ACTIVE"}]), [a["findingArn"]])
        self.assertEqual(arns(vulnerabilityId=[{"comparison": "PREFIX", "value": "CVE-2024"}]),
                         [a["findingArn"], b["findingArn"]])
        clean = boto3_client("inspector2", self.range.endpoint, region=CLEAN)
        self.assertEqual([f["findingArn"] for f in clean.list_findings(filterCriteria={"resourceId": eq})["findings"]],
                         [other["findingArn"]])
        page = ins.list_findings(maxResults=1)
        self.assertEqual(len(page["findings"]), 1)
        self.assertEqual(len(ins.list_findings(maxResults=1, nextToken=page["nextToken"])["findings"]), 1)

    def test_unimplemented_filter_and_bad_findings_are_refused(self):
        ins = boto3_client("inspector2", self.range.endpoint, region=SCENARIO)
        with self.assertRaises(ins.exceptions.ValidationException) as err:
            ins.list_findings(filterCriteria={"ec2InstanceVpcId": [{"comparison": "EQUALS", "value": "vpc-1"}]})
        self.assertIn("not implemented by the range", str(err.exception))
        bad = inspector_finding("i-0aaa", SCENARIO)
        del bad["remediation"]
        with self.assertRaises(Exception) as err:
            self.range.post_scenario({"inspector_findings": [bad]})
        self.assertIn("400", str(err.exception))


if __name__ == "__main__":
    unittest.main()
