"""Integration tests of `cordon triage` against moto behind the range, judged by boto3.

Run from the repository root:  python3 -m unittest tests/integration/triage_test.py -v
(CORDON_BIN selects the binary; default build/src/cli/cordon.)

One range (range/run.py: moto + the proxy serving LookupEvents and DescribeInstanceInformation)
per test class. The scenario is built with boto3: VPC A with two subnets, a suspect with two ENIs
(each with its own groups), an Elastic IP on the second ENI, three EBS volumes (one KMS-encrypted),
an instance profile whose role has an attached and an inline policy, registrations in a classic ELB
and a target group (port 8080), SSH open to 0.0.0.0/0 and IMDSv1 allowed; an Auto Scaling group of
one; a terminated instance; and VPC B with an instance on the suspect's private IP.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import sys
import threading
import unittest
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import REGION, Range, boto3_client, normalise, run_cordon  # noqa: E402

SUSPECT_IP = "10.0.1.10"


class RegionRefusingProxy:
    """A loopback proxy in front of the range that refuses every call signed for one of `regions` (only
    the `actions` given, if any) as EC2 refuses a region that is not enabled for the account (403
    UnauthorizedOperation), and forwards the rest. The range's fault rules select by service and action
    only, not by region. .endpoint is the proxy."""

    ERROR = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnauthorizedOperation"
             b"</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors>"
             b"<RequestID>refused-by-test-proxy</RequestID></Response>")

    def __init__(self, upstream, regions, actions=None):
        up = urllib.parse.urlsplit(upstream)
        refused, error = set(regions), self.ERROR

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                m = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", self.headers.get("Authorization", ""))
                action = urllib.parse.parse_qs(body.decode(errors="replace")).get("Action", [""])[0]
                if m and m.group(1) in refused and (actions is None or action in actions):
                    status, headers, out = 403, [("Content-Type", "text/xml")], error
                else:
                    conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
                    conn.request(self.command, self.path, body=body,
                                 headers={k: v for k, v in self.headers.items() if k.lower() != "expect"})
                    resp = conn.getresponse()
                    status, out = resp.status, resp.read()
                    headers = [(k, v) for k, v in resp.getheaders()
                               if k.lower() not in ("content-length", "transfer-encoding", "connection")]
                    conn.close()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def build_scenario(endpoint):
    """Creates the scenario with boto3; returns a dict of the ids the tests check."""
    ec2 = boto3_client("ec2", endpoint)
    iam = boto3_client("iam", endpoint)
    kms = boto3_client("kms", endpoint)
    elb = boto3_client("elb", endpoint)
    elbv2 = boto3_client("elbv2", endpoint)
    asg = boto3_client("autoscaling", endpoint)
    s = {}
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sub1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sub2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])

    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                 "Principal": {"Service": "ec2.amazonaws.com"}}]})
    iam.create_role(RoleName="web-role", AssumeRolePolicyDocument=trust)
    pol = iam.create_policy(PolicyName="web-read", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    iam.attach_role_policy(RoleName="web-role", PolicyArn=pol["Policy"]["Arn"])
    iam.put_role_policy(RoleName="web-role", PolicyName="web-inline", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}))
    prof = iam.create_instance_profile(InstanceProfileName="web-profile")["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web-role")

    inst = ec2.run_instances(
        ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=sub1, PrivateIpAddress=SUSPECT_IP,
        SecurityGroupIds=[web], KeyName="ops", IamInstanceProfile={"Arn": prof["Arn"]},
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [
            {"Key": "Name", "Value": "web-1"}, {"Key": "Owner", "Value": "alice"},
            {"Key": "criticality", "Value": "high"}]}])["Instances"][0]
    iid = inst["InstanceId"]
    eni2 = ec2.create_network_interface(SubnetId=sub2, Groups=[db], PrivateIpAddress="10.0.2.20")["NetworkInterface"]
    ec2.attach_network_interface(NetworkInterfaceId=eni2["NetworkInterfaceId"], InstanceId=iid, DeviceIndex=1)
    eip = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=eip["AllocationId"], NetworkInterfaceId=eni2["NetworkInterfaceId"])
    key = kms.create_key()["KeyMetadata"]["Arn"]
    vols = []
    for dev, enc in (("/dev/sdf", True), ("/dev/sdg", False)):
        kw = {"KmsKeyId": key} if enc else {}
        v = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=enc, **kw)["VolumeId"]
        ec2.attach_volume(VolumeId=v, InstanceId=iid, Device=dev)
        vols.append(v)

    elb.create_load_balancer(LoadBalancerName="web-clb", Subnets=[sub1], SecurityGroups=[web],
                             Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}])
    elb.register_instances_with_load_balancer(LoadBalancerName="web-clb", Instances=[{"InstanceId": iid}])
    tg = elbv2.create_target_group(Name="web-tg", Protocol="HTTP", Port=80, VpcId=vpc,
                                   TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": iid, "Port": 8080}])

    lt = ec2.create_launch_template(LaunchTemplateName="web-lt",
                                    LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.micro"})
    asg.create_auto_scaling_group(AutoScalingGroupName="web-asg", MinSize=1, MaxSize=3, DesiredCapacity=1,
                                  LaunchTemplate={"LaunchTemplateName": "web-lt"}, VPCZoneIdentifier=sub1)
    asg_iid = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])[
        "AutoScalingGroups"][0]["Instances"][0]["InstanceId"]

    dead = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=sub1)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[dead])

    vpc_b = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sub_b = ec2.create_subnet(VpcId=vpc_b, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    twin = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=sub_b,
                             PrivateIpAddress=SUSPECT_IP)["Instances"][0]["InstanceId"]
    del lt
    s.update(vpc=vpc, vpc_b=vpc_b, web=web, db=db, iid=iid, eni2=eni2["NetworkInterfaceId"], eip=eip, vols=vols,
             key=key, profile_arn=prof["Arn"], tg=tg, asg_iid=asg_iid, dead=dead, twin=twin)
    return s


class TriageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.range = Range().start()
        cls.endpoint = cls.range.endpoint
        cls.s = build_scenario(cls.endpoint)
        iid = cls.s["iid"]
        cls.range.post_scenario({
            "cloudtrail_events": [
                {"eventVersion": "1.08", "eventTime": "2099-01-01T10:00:00Z", "eventSource": "ec2.amazonaws.com",
                 "eventName": "StopInstances", "awsRegion": REGION, "eventID": "ev-stop",
                 "userIdentity": {"type": "IAMUser", "userName": "mallory"}, "sourceIPAddress": "198.51.100.9",
                 "requestParameters": {"instancesSet": {"items": [{"instanceId": iid}]}}},
                {"eventVersion": "1.08", "eventTime": "2099-01-01T11:00:00Z", "eventSource": "s3.amazonaws.com",
                 "eventName": "ListBuckets", "awsRegion": REGION, "eventID": "ev-list",
                 "userIdentity": {"type": "AssumedRole",
                                  "arn": f"arn:aws:sts::123456789012:assumed-role/web-role/{iid}"}},
            ],
            "ssm_managed_instances": [{"InstanceId": iid, "PingStatus": "Online", "AgentVersion": "3.3.0.0"}],
        })
        cls.ec2 = boto3_client("ec2", cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()

    def triage(self, *args, expect=0):
        # No configuration file, whatever the machine has: its log sources would add a hunt
        # (triage_hunt_test.py tests that).
        proc = run_cordon(["triage", *args, "--endpoint-url", self.endpoint, "--since", "2000-01-01"],
                          env={"CORDON_CONFIG": ""})
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def triage_json(self, *args):
        return json.loads(self.triage(*args, "--output", "json").stdout)

    # --- lookups ------------------------------------------------------------------------------

    def test_lookup_by_each_form_finds_the_suspect(self):
        iid = self.s["iid"]
        for target in (iid, self.s["eni2"], "10.0.2.20", self.s["eip"]["PublicIp"]):
            with self.subTest(target=target):
                out = self.triage_json(target)
                self.assertEqual(out["target"]["instance_id"], iid)
                self.assertFalse(out["target"]["terminated"])

    def test_private_ip_in_two_vpcs_is_ambiguous_and_vpc_narrows_it(self):
        proc = self.triage(SUSPECT_IP, expect=4)
        self.assertIn(self.s["iid"], proc.stderr)
        self.assertIn(self.s["twin"], proc.stderr)
        self.assertIn("--vpc", proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(self.triage_json(SUSPECT_IP, "--vpc", self.s["vpc"])["target"]["instance_id"], self.s["iid"])
        self.assertEqual(self.triage_json(SUSPECT_IP, "--vpc", self.s["vpc_b"])["target"]["instance_id"],
                         self.s["twin"])

    def test_all_regions_finds_the_region(self):
        out = self.triage_json(self.s["iid"], "--all-regions")
        self.assertEqual((out["target"]["instance_id"], out["target"]["region"]), (self.s["iid"], REGION))

    # --- a region that cannot be searched -------------------------------------------------------

    def triage_refusing(self, regions, *args, expect, actions=None):
        proxy = RegionRefusingProxy(self.endpoint, regions, actions)
        self.addCleanup(proxy.stop)
        proc = run_cordon(["triage", *args, "--all-regions", "--max-attempts", "1", "--endpoint-url",
                           proxy.endpoint, "--since", "2000-01-01"], env={"CORDON_CONFIG": ""})
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def test_ip_found_while_a_region_refuses_is_incomplete(self):
        # 10.0.2.20 is the suspect's alone in us-east-1; eu-west-1 could hold another instance with it.
        proc = self.triage_refusing(["eu-west-1"], "10.0.2.20", "--output", "json", expect=6)
        out = json.loads(proc.stdout)
        self.assertEqual((out["target"]["instance_id"], out["target"]["region"]), (self.s["iid"], REGION))
        self.assertEqual([r["region"] for r in out["target"]["skipped_regions"]], ["eu-west-1"])
        self.assertIn("UnauthorizedOperation", out["target"]["skipped_regions"][0]["error"])
        self.assertFalse(out["complete"])
        self.assertEqual([p["part"] for p in out["incomplete"]], ["target.regions"])
        self.assertIn("eu-west-1", out["incomplete"][0]["error"])
        self.assertIn("UnauthorizedOperation", out["incomplete"][0]["error"])
        self.assertIn("target.regions", proc.stderr)
        # The inventory was still collected, from the match that was found.
        self.assertEqual(len(out["inventory"]["volumes"]), 3)
        proc = self.triage_refusing(["eu-west-1"], "10.0.2.20", expect=6)
        self.assertIn("other instances may have this IP", proc.stdout)
        self.assertIn("eu-west-1", proc.stdout)
        self.assertIn("Incomplete", proc.stdout)

    def test_id_found_while_a_region_refuses_is_definitive(self):
        proc = self.triage_refusing(["eu-west-1", "ap-south-1"], self.s["iid"], "--output", "json", expect=0)
        out = json.loads(proc.stdout)
        self.assertEqual(out["target"]["instance_id"], self.s["iid"])
        self.assertEqual([r["region"] for r in out["target"]["skipped_regions"]], ["ap-south-1", "eu-west-1"])
        self.assertTrue(out["complete"])
        self.assertEqual(out["incomplete"], [])
        proc = self.triage_refusing(["eu-west-1"], self.s["iid"], expect=0)
        self.assertIn("could not be searched: eu-west-1", proc.stdout)

    def test_ip_in_no_region_that_answered_is_not_not_found(self):
        # Not in the regions that answered proves nothing about eu-west-1: access denied (5), not 3.
        proc = self.triage_refusing(["eu-west-1"], "192.0.2.77", expect=5)
        self.assertIn("no instance with the IP address 192.0.2.77", proc.stderr)
        self.assertIn("could not search eu-west-1", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_every_region_refusing_is_the_regions_error(self):
        # DescribeRegions (for --all-regions) answers; every lookup is refused.
        regions = [r["RegionName"] for r in self.ec2.describe_regions()["Regions"]]
        proc = self.triage_refusing(regions, "10.0.2.20", expect=5,
                                    actions={"DescribeInstances", "DescribeNetworkInterfaces", "DescribeAddresses"})
        self.assertIn("UnauthorizedOperation", proc.stderr)
        self.assertRegex(proc.stderr, rf"looking up 10\.0\.2\.20 in [a-z0-9-]+ \(all {len(regions)} regions failed\)")

    # --- a public-address lookup that fails ----------------------------------------------------

    def deny(self, action):
        """Every `ec2 <action>` call is refused (403 UnauthorizedOperation), in every region."""
        self.range.control("POST", "faults", {"rules": [
            {"kind": "http500", "status": 403, "code": "UnauthorizedOperation",
             "message": "You are not authorized to perform this operation.", "service": "ec2", "action": action}]})
        self.addCleanup(self.range.control, "DELETE", "faults")

    def test_private_ip_found_while_the_elastic_ip_lookup_is_denied_is_definitive(self):
        # 10.0.2.20 is private: no Elastic IP or public IP can be it, so the refused lookup hides nothing
        # (a public address found that way is not proven unique: target_test's unit tests).
        self.deny("DescribeAddresses")
        proc = self.triage("10.0.2.20", "--max-attempts", "1", "--output", "json", expect=6)
        out = json.loads(proc.stdout)
        self.assertEqual(out["target"]["instance_id"], self.s["iid"])
        self.assertEqual(out["target"]["failed_lookups"], [])
        # Only the inventory's own Elastic IP part is incomplete.
        self.assertEqual([p["part"] for p in out["incomplete"]], ["inventory.elastic_ips"])
        self.assertNotIn("target.lookups", proc.stderr)

    def test_ip_not_found_while_the_elastic_ip_lookup_is_denied_is_access_denied(self):
        # Not found by the lookups that answered proves nothing about Elastic IPs: access denied (5), not 3.
        self.deny("DescribeAddresses")
        proc = self.triage("192.0.2.77", "--max-attempts", "1", expect=5)
        self.assertIn("no instance with the IP address 192.0.2.77", proc.stderr)
        self.assertIn("ec2:DescribeAddresses", proc.stderr)
        self.assertIn("instance id", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_id_lookup_with_the_elastic_ip_lookup_denied_has_no_target_part(self):
        self.deny("DescribeAddresses")
        out = json.loads(self.triage(self.s["iid"], "--max-attempts", "1", "--output", "json", expect=6).stdout)
        self.assertEqual(out["target"]["failed_lookups"], [])
        # Only the inventory's own Elastic IP part is incomplete.
        self.assertEqual([p["part"] for p in out["incomplete"]], ["inventory.elastic_ips"])

    def test_unknown_id_and_unmatched_ip_are_not_found(self):
        proc = self.triage("i-0123456789abcdef0", expect=3)
        self.assertIn("no instance i-0123456789abcdef0 in us-east-1", proc.stderr)
        proc = self.triage("192.0.2.77", expect=3)
        self.assertIn("192.0.2.77", proc.stderr)

    def test_bad_target_and_since_are_usage_errors(self):
        self.triage("web-1", expect=2)
        proc = run_cordon(["triage", self.s["iid"], "--since", "yesterday", "--endpoint-url", self.endpoint])
        self.assertEqual(proc.returncode, 2, proc.stderr)

    def test_terminated_instance_is_found_and_flagged(self):
        out = self.triage_json(self.s["dead"])
        self.assertTrue(out["target"]["terminated"])
        self.assertEqual(out["inventory"]["instance"]["state"], "terminated")
        self.assertTrue(any("terminated" in f for f in out["findings"]))

    # --- the inventory against boto3's view ---------------------------------------------------

    def test_inventory_matches_boto3(self):
        s = self.s
        out = self.triage_json(s["iid"])
        inv = out["inventory"]
        want = normalise(self.ec2.describe_instances(InstanceIds=[s["iid"]])["Reservations"][0]["Instances"][0])
        i = inv["instance"]
        self.assertEqual(i["id"], want["InstanceId"])
        self.assertEqual(i["name"], "web-1")
        self.assertEqual(i["type"], want["InstanceType"])
        self.assertEqual(i["state"], want["State"]["Name"])
        self.assertEqual(i["launch_time"], want["LaunchTime"])
        self.assertEqual(i["image_id"], want["ImageId"])
        self.assertEqual(i["availability_zone"], want["Placement"]["AvailabilityZone"])
        self.assertEqual(i["vpc_id"], s["vpc"])
        self.assertEqual(i["subnet_id"], want["SubnetId"])
        self.assertEqual(i["key_name"], "ops")
        self.assertEqual(i["tags"], {t["Key"]: t["Value"] for t in want["Tags"]})
        self.assertEqual(out["owner"], "Owner=alice")
        self.assertEqual(out["criticality"], "criticality=high")

        enis = normalise(self.ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [s["iid"]]}])["NetworkInterfaces"])
        self.assertEqual(len(inv["network_interfaces"]), 2)
        by_id = {e["NetworkInterfaceId"]: e for e in enis}
        for got in inv["network_interfaces"]:
            w = by_id[got["id"]]
            self.assertEqual(got["attachment_id"], w["Attachment"]["AttachmentId"])
            self.assertEqual(got["device_index"], w["Attachment"]["DeviceIndex"])
            self.assertEqual(sorted(g["id"] for g in got["groups"]), sorted(g["GroupId"] for g in w["Groups"]))
            self.assertEqual([p["address"] for p in got["private_ips"]],
                             [p["PrivateIpAddress"] for p in w["PrivateIpAddresses"]])
            self.assertEqual(got["source_dest_check"], w["SourceDestCheck"])
            self.assertEqual(got["delete_on_termination"], w["Attachment"].get("DeleteOnTermination", False))
        second = [e for e in inv["network_interfaces"] if e["id"] == s["eni2"]][0]
        self.assertEqual(second["device_index"], 1)
        self.assertIn(s["db"], [g["id"] for g in second["groups"]])
        self.assertEqual(second["public_ip"], s["eip"]["PublicIp"])
        self.assertEqual(second["eip_allocation_id"], s["eip"]["AllocationId"])
        self.assertEqual([e["allocation_id"] for e in inv["elastic_ips"]], [s["eip"]["AllocationId"]])

        self.assertEqual([(r["group_id"], r["ports"], r["cidr"]) for r in inv["exposure"]],
                         [(s["web"], "tcp/22", "0.0.0.0/0")])
        self.assertTrue(inv["metadata_options"]["imdsv1_allowed"])
        self.assertIn("IMDSv1 allowed (HttpTokens optional)", out["findings"])

        vols = normalise(self.ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [s["iid"]]}])["Volumes"])
        self.assertEqual(len(vols), 3)
        self.assertEqual(sorted(v["id"] for v in inv["volumes"]), sorted(v["VolumeId"] for v in vols))
        for got in inv["volumes"]:
            w = [v for v in vols if v["VolumeId"] == got["id"]][0]
            self.assertEqual(got["encrypted"], w["Encrypted"])
            self.assertEqual(got["kms_key_id"], w.get("KmsKeyId"))
            self.assertEqual(got["size_gib"], w["Size"])
            self.assertEqual(got["device"], w["Attachments"][0]["Device"])
            self.assertEqual(got["delete_on_termination"], w["Attachments"][0].get("DeleteOnTermination", False))

        prof = inv["instance_profile"]
        assoc = self.ec2.describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": [s["iid"]]}])["IamInstanceProfileAssociations"]
        self.assertEqual(prof["arn"], s["profile_arn"])
        if assoc:
            self.assertEqual(prof["association_id"], assoc[0]["AssociationId"])
        self.assertEqual(prof["role"]["name"], "web-role")
        self.assertEqual([p["name"] for p in prof["role"]["attached_policies"]], ["web-read"])
        self.assertEqual(prof["role"]["inline_policies"], ["web-inline"])

        self.assertEqual(inv["classic_load_balancers"], ["web-clb"])
        self.assertEqual([(t["arn"], t["port"]) for t in inv["target_groups"]], [(s["tg"], 8080)])
        self.assertIsNone(inv["auto_scaling"])

        attrs = self.ec2.describe_instance_attribute(InstanceId=s["iid"], Attribute="disableApiTermination")
        self.assertEqual(inv["attributes"]["disable_api_termination"], attrs["DisableApiTermination"]["Value"])
        self.assertEqual(inv["ssm"]["managed"], True)
        self.assertEqual(inv["ssm"]["ping_status"], "Online")

        self.assertIsNone(out["hunt"], "no log sources configured: no hunt")
        # Every part was read: exit 0 (self.triage checks it), and nothing is listed as incomplete.
        self.assertTrue(out["complete"])
        self.assertEqual(out["incomplete"], [])
        events = out["activity"]["cloudtrail"]
        self.assertEqual([(e["event_id"], e["matched"]) for e in events],
                         [("ev-list", "session"), ("ev-stop", "resource")])
        self.assertEqual(events[1]["source_ip"], "198.51.100.9")

    def test_a_part_that_fails_is_reported_in_place_and_exits_partial(self):
        self.range.control("POST", "faults", {"rules": [
            {"kind": "http500", "status": 403, "code": "AccessDenied", "message": "not allowed",
             "service": "elasticloadbalancing", "action": "DescribeLoadBalancers"}]})
        self.addCleanup(self.range.control, "DELETE", "faults")
        proc = self.triage(self.s["iid"], "--max-attempts", "1", "--output", "json", expect=6)
        out = json.loads(proc.stdout)
        inv = out["inventory"]
        self.assertIn("AccessDenied", inv["classic_load_balancers"]["error"])
        self.assertEqual([t["arn"] for t in inv["target_groups"]], [self.s["tg"]])
        self.assertEqual(len(inv["volumes"]), 3)
        # Exit 6, and the JSON names the part that failed and why; nothing else is listed.
        self.assertFalse(out["complete"])
        self.assertEqual([p["part"] for p in out["incomplete"]], ["inventory.classic_load_balancers"])
        self.assertIn("AccessDenied", out["incomplete"][0]["error"])
        self.assertIn("inventory.classic_load_balancers", proc.stderr)
        proc = self.triage(self.s["iid"], "--max-attempts", "1", expect=6)
        self.assertIn("could not be read", proc.stdout)
        self.assertIn("Storage", proc.stdout)
        self.assertIn("Incomplete", proc.stdout)
        self.assertIn("inventory.classic_load_balancers", proc.stdout)
        self.assertIn("triage is incomplete", proc.stderr)

    def test_denied_image_lookup_is_an_incomplete_instance_store(self):
        # DescribeImages names the instance-store devices; a deregistered AMI is silent, a refusal is not.
        self.range.control("POST", "faults", {"rules": [
            {"kind": "http500", "status": 403, "code": "UnauthorizedOperation",
             "message": "You are not authorized to perform this operation.", "service": "ec2",
             "action": "DescribeImages"}]})
        self.addCleanup(self.range.control, "DELETE", "faults")
        proc = self.triage(self.s["iid"], "--max-attempts", "1", "--output", "json", expect=6)
        out = json.loads(proc.stdout)
        self.assertIn("UnauthorizedOperation", out["inventory"]["instance_store"]["error"])
        self.assertIn("ec2:DescribeImages", out["inventory"]["instance_store"]["error"])
        # The instance type was read before the refusal: its answer stays (a t2 has no instance store).
        self.assertIs(out["inventory"]["instance_store"]["supported"], False)
        self.assertEqual(out["inventory"]["instance_store"]["total_gib"], 0)
        proc = self.triage(self.s["iid"], "--max-attempts", "1", expect=6)
        self.assertIn("none by the instance type; (could not be read:", proc.stdout)
        self.assertEqual([p["part"] for p in out["incomplete"]], ["inventory.instance_store"])
        self.assertIn("inventory.instance_store", proc.stderr)

    def test_throttled_activity_lookup_exits_partial(self):
        # A call that is still throttled after its retries counts like a refused one.
        self.range.control("POST", "faults", {"rules": [
            {"kind": "throttle", "service": "cloudtrail", "action": "LookupEvents"}]})
        self.addCleanup(self.range.control, "DELETE", "faults")
        proc = self.triage(self.s["iid"], "--max-attempts", "2", "--output", "json", expect=6)
        out = json.loads(proc.stdout)
        self.assertIn("error", out["activity"]["cloudtrail"])
        self.assertEqual([p["part"] for p in out["incomplete"]], ["activity.cloudtrail"])
        self.assertEqual(out["inventory"]["classic_load_balancers"], ["web-clb"])

    def test_asg_instance_shows_its_group(self):
        out = self.triage_json(self.s["asg_iid"])
        a = out["inventory"]["auto_scaling"]
        self.assertEqual(a["group_name"], "web-asg")
        self.assertEqual((a["min_size"], a["max_size"], a["desired_capacity"]), (1, 3, 1))
        self.assertEqual(a["lifecycle_state"], "InService")

    def test_posture_share_is_the_suspects_exposure_as_boto3_sees_it(self):
        """Issue 14: triage shows the suspect's own share of `cordon posture` (its open groups with its
        public addresses, IMDSv1, unencrypted volumes), each finding naming the suspect."""
        iid = self.s["iid"]
        out = self.triage_json(iid)
        share = out["posture"]
        self.assertEqual(share["not_assessed"], [])
        self.assertTrue(out["complete"])
        for f in share["findings"]:
            self.assertIn(iid, f["evidence"], f)  # nothing of the VPC B twin or the ASG instance
            self.assertTrue(f["fix"].startswith("aws "), f)
        [inst] = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"]
        mine = {n["NetworkInterfaceId"]: n for n in inst["NetworkInterfaces"]}
        groups = {g["GroupId"] for n in mine.values() for g in n["Groups"]}
        world_open = sorted(g["GroupId"] for g in self.ec2.describe_security_groups(GroupIds=sorted(groups))["SecurityGroups"]
                            if any(r.get("CidrIp") == "0.0.0.0/0" for p in g["IpPermissions"] for r in p.get("IpRanges", [])))
        self.assertEqual(world_open, [self.s["web"]], "boto3: only the web group is open to the world")
        open_findings = [f for f in share["findings"] if f["check"] == "sg.world_open"]
        self.assertEqual(sorted(f["evidence"][0] for f in open_findings), world_open)
        for f in open_findings:
            users = {n["network_interface_id"]: n["public_ip"] for n in f["details"]["network_interfaces"]
                     if n["instance_id"] == iid}
            expected = {e: n.get("Association", {}).get("PublicIp", "") for e, n in mine.items()
                        if any(g["GroupId"] == f["evidence"][0] for g in n["Groups"])}
            self.assertEqual(users, expected, "the suspect's ENIs in the group, with their public addresses")
            self.assertIn("SSH tcp/22", f["details"]["admin_ports"])
        self.assertEqual(inst["MetadataOptions"]["HttpTokens"], "optional")
        self.assertEqual([f["evidence"] for f in share["findings"] if f["check"] == "instance.imdsv1"], [[iid]])
        unencrypted = sorted((v["VolumeId"], iid) for v in self.ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["Volumes"] if not v["Encrypted"])
        self.assertIn((self.s["vols"][1], iid), unencrypted)
        self.assertEqual(sorted(tuple(f["evidence"]) for f in share["findings"] if f["check"] == "volume.unencrypted"),
                         unencrypted)
        # The suspect is SSM-managed (the range's DescribeInstanceInformation) and its role reads S3 only.
        self.assertEqual([f for f in share["findings"] if f["check"] in ("instance.no_ssm", "role.admin")], [])
        text = self.triage(iid).stdout
        self.assertIn("Posture (its share of cordon posture", text)
        self.assertIn(f"aws ec2 revoke-security-group-ingress --group-id {self.s['web']}", text)
        self.assertIn(f"aws ec2 modify-instance-metadata-options --instance-id {iid}", text)

    def test_posture_share_of_a_clean_instance_is_empty(self):
        # The ASG instance: launched from a template with no groups of its own (the VPC's default group,
        # which moto opens to nothing from outside); judged by boto3 first.
        iid = self.s["asg_iid"]
        [inst] = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"]
        groups = sorted({g["GroupId"] for n in inst["NetworkInterfaces"] for g in n["Groups"]})
        opened = [g["GroupId"] for g in self.ec2.describe_security_groups(GroupIds=groups)["SecurityGroups"]
                  if any(r.get("CidrIp") == "0.0.0.0/0" for p in g["IpPermissions"] for r in p.get("IpRanges", []))]
        share = self.triage_json(iid)["posture"]
        self.assertEqual(sorted(f["evidence"][0] for f in share["findings"] if f["check"] == "sg.world_open"), sorted(opened))
        for f in share["findings"]:
            self.assertIn(iid, f["evidence"], f)
            self.assertNotIn(self.s["iid"], f["evidence"], "the suspect's findings are not the sibling's")

    def test_text_output_highlights_findings(self):
        text = self.triage(self.s["iid"]).stdout
        self.assertIn("! IMDSv1 allowed", text)
        self.assertIn("! 0.0.0.0/0 → tcp/22", text)
        for section in ("Identity", "Network interfaces", "Credentials", "Storage", "CloudTrail"):
            self.assertIn(section, text)


if __name__ == "__main__":
    unittest.main()
