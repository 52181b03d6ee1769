"""The incident scenario of cordon's response tests and demo, built and inspected with boto3 only.

    from scenario import build, snapshot_state, Range, run_cordon

- build(endpoint_url, region="us-east-1", suspects=1) -> dict
      A VPC with 2 subnets; one IAM role + instance profile shared by every instance; a launch
      template and an Auto Scaling group of 3 (+ suspects-1) behind a classic ELB and an ALB target
      group; each suspect (an ASG member) gets a 2nd ENI with its own security groups, an Elastic IP,
      3 EBS volumes in all (2 extra attached) and Owner/Criticality/Name tags. Returns every id.
- snapshot_state(endpoint_url, ids, region="us-east-1") -> dict
      Every property `cordon contain` changes, per instance (suspects and siblings), plus the
      group-wide ones (ASG, CLB, TG, role policies), as plain JSON-able values for field-by-field
      comparison of pre / post / released states.
- Range: range/run.py as a child process (moto_server + proxy), for a unittest class (from helpers).
- run_cordon(args, endpoint, ...): helpers.run_cordon with the endpoint second and a 300 s timeout.

moto quirks handled here (DESIGN §5): moto does not always register ASG members in target groups,
so they are registered explicitly; the instance profile of the launch template is associated
explicitly where moto did not; DetachVolume always gets InstanceId.

Also a CLI for the demo and the bench:
    python3 tests/integration/scenario.py build ENDPOINT [--suspects N] > ids.json
    python3 tests/integration/scenario.py state ENDPOINT ids.json
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import helpers
from helpers import REGION, Range, boto3_client

EXIT_PARTIAL = 6  # README "Exit codes"

cordon_bin, cordon_env = helpers.cordon_bin, helpers.cordon_env  # bench/contain/bench.py uses them from here

AMI = "ami-12c6146b"  # in moto's default catalogue
ROLE_NAME = "web-role"
PROFILE_NAME = "web-profile"
ASG_NAME = "web-asg"
CLB_NAME = "web-clb"
TG_NAME = "web-tg"
ALB_NAME = "web-alb"

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")


# ------------------------------------------------------------------------------------------ clients

def client(service: str, endpoint: str, region: str = REGION, key: str = "testing", secret: str = "testing",
           attempts: int = 5, verify=None):
    """boto3 client for moto/the range. A few retries: the judge must not be fooled by injected faults.
    `verify`: the CA file of the range's HTTPS listener (Range.ca_bundle) for an https endpoint."""
    return boto3_client(service, endpoint, access_key=key, secret_key=secret, region=region,
                        retries={"max_attempts": attempts, "mode": "standard"}, connect_timeout=10,
                        read_timeout=60, verify=verify)


# ------------------------------------------------------------------------------------------ building

def _tags(d: dict) -> list:
    return [{"Key": k, "Value": v} for k, v in d.items()]


def _sg(ec2, vpc: str, name: str, ingress: list | None = None) -> str:
    gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    if ingress:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=ingress)
    return gid


def _profile_associations(ec2) -> list:
    """Every IAM instance profile association, all pages (moto answers 100 a page, as AWS may)."""
    pages = ec2.get_paginator("describe_iam_instance_profile_associations").paginate()
    return [a for page in pages for a in page["IamInstanceProfileAssociations"]]


def _subnet_cidrs(suspects: int) -> list:
    """The two subnets' CIDRs: /24s, unless the Auto Scaling group would not fit in one.

    moto launches every instance of a group into the first subnet of its VPCZoneIdentifier, and each
    detach without decrementing launches a replacement there. A /24 has 251 usable addresses (AWS
    reserves 5); a fleet of 200 needs its 202 members plus 200 replacements. When the first subnet is
    full, moto's DetachInstances fails with an HTML 500 after it has detached the instance (its
    replacement's RunInstances raises), every retry answers the same, and the retry quota runs dry:
    moto's limit, not one of AWS (which launches the replacement asynchronously). Fleets that fit
    keep the /24s every other test knows."""
    members = 3 + max(0, suspects - 1)
    if members + suspects + 16 <= 251:
        return ["10.0.1.0/24", "10.0.2.0/24"]
    return ["10.0.16.0/20", "10.0.32.0/20"]  # 4,091 usable addresses each


def build(endpoint_url: str, region: str = REGION, suspects: int = 1, prefix: str = "") -> dict:
    """Builds the scenario through `endpoint_url` and returns its ids (see module doc).

    `prefix` namespaces names so that several environments can live in one moto (ambiguous-IP test).
    """
    ec2 = client("ec2", endpoint_url, region)
    iam = client("iam", endpoint_url, region)
    asg = client("autoscaling", endpoint_url, region)
    elb = client("elb", endpoint_url, region)
    elbv2 = client("elbv2", endpoint_url, region)
    p = prefix

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=_tags({"Name": f"{p}web-vpc"}))
    azs = [f"{region}a", f"{region}b"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in zip(_subnet_cidrs(suspects), azs)]
    web_sg = _sg(ec2, vpc, f"{p}web-sg", [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    app_sg = _sg(ec2, vpc, f"{p}app-sg", [
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
    mgmt_sg = _sg(ec2, vpc, f"{p}mgmt-sg", [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.9.0.0/16"}]}])
    db_sg = _sg(ec2, vpc, f"{p}db-sg", [
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])

    # IAM: one role and profile shared by every instance of the group.
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                      "Action": "sts:AssumeRole"}]}
    role_name, profile_name = f"{p}{ROLE_NAME}", f"{p}{PROFILE_NAME}"
    role_arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role_name, PolicyName="app-data", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                                                 "Resource": "arn:aws:s3:::app-data/*"}]}))
    profile_arn = iam.create_instance_profile(InstanceProfileName=profile_name)["InstanceProfile"]["Arn"]
    iam.add_role_to_instance_profile(InstanceProfileName=profile_name, RoleName=role_name)

    # Load balancers.
    clb_name, tg_name = f"{p}{CLB_NAME}", f"{p}{TG_NAME}"
    lb_sg = _sg(ec2, vpc, f"{p}lb-sg", [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    elb.create_load_balancer(LoadBalancerName=clb_name, Subnets=subnets, SecurityGroups=[lb_sg], Listeners=[
        {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}])
    alb_arn = elbv2.create_load_balancer(Name=f"{p}{ALB_NAME}", Subnets=subnets, SecurityGroups=[lb_sg],
                                         Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = elbv2.create_target_group(Name=tg_name, Protocol="HTTP", Port=8080, VpcId=vpc,
                                       TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(LoadBalancerArn=alb_arn, Protocol="HTTP", Port=80,
                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}])

    # Launch template and the Auto Scaling group.
    lt_name = f"{p}web-lt"
    ec2.create_launch_template(LaunchTemplateName=lt_name, LaunchTemplateData={
        "ImageId": AMI, "InstanceType": "t3.micro", "SecurityGroupIds": [web_sg, app_sg],
        "IamInstanceProfile": {"Arn": profile_arn},
        "InstanceInitiatedShutdownBehavior": "terminate",
        "TagSpecifications": [{"ResourceType": "instance", "Tags": _tags({"App": "web"})}]})
    size = 3 + max(0, suspects - 1)
    asg_name = f"{p}{ASG_NAME}"
    asg.create_auto_scaling_group(
        AutoScalingGroupName=asg_name, LaunchTemplate={"LaunchTemplateName": lt_name, "Version": "$Latest"},
        MinSize=size, MaxSize=size + max(2, suspects), DesiredCapacity=size,
        VPCZoneIdentifier=",".join(subnets), LoadBalancerNames=[clb_name], TargetGroupARNs=[tg_arn],
        HealthCheckType="ELB", HealthCheckGracePeriod=300,
        Tags=[{"Key": "Service", "Value": "web", "PropagateAtLaunch": True, "ResourceId": asg_name,
               "ResourceType": "auto-scaling-group"}])
    members = sorted(i["InstanceId"] for i in asg.describe_auto_scaling_groups(
        AutoScalingGroupNames=[asg_name])["AutoScalingGroups"][0]["Instances"])
    assert len(members) == size, members

    # moto quirks: register explicitly in the CLB and TG; associate the profile where missing.
    in_clb = {i["InstanceId"] for i in elb.describe_load_balancers(
        LoadBalancerNames=[clb_name])["LoadBalancerDescriptions"][0]["Instances"]}
    if set(members) - in_clb:
        elb.register_instances_with_load_balancer(LoadBalancerName=clb_name,
                                                  Instances=[{"InstanceId": i} for i in members if i not in in_clb])
    in_tg = {d["Target"]["Id"] for d in elbv2.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]}
    if set(members) - in_tg:
        elbv2.register_targets(TargetGroupArn=tg_arn, Targets=[{"Id": i, "Port": 8080} for i in members if i not in in_tg])
    assoc = {a["InstanceId"] for a in _profile_associations(ec2) if a.get("State", "associated") == "associated"}
    for i in members:
        if i not in assoc:
            ec2.associate_iam_instance_profile(InstanceId=i, IamInstanceProfile={"Arn": profile_arn})

    reservations = ec2.describe_instances(InstanceIds=members)["Reservations"]
    described = {i["InstanceId"]: i for r in reservations for i in r["Instances"]}
    suspect_ids = members[:suspects]
    siblings = members[suspects:]
    out_suspects = []
    for n, iid in enumerate(suspect_ids, 1):
        inst = described[iid]
        subnet, az = inst["SubnetId"], inst["Placement"]["AvailabilityZone"]
        primary = next(e for e in inst["NetworkInterfaces"] if e["Attachment"]["DeviceIndex"] == 0)
        eni2 = ec2.create_network_interface(SubnetId=subnet, Groups=[mgmt_sg, db_sg],
                                            Description=f"{p}suspect-{n} mgmt")["NetworkInterface"]["NetworkInterfaceId"]
        ec2.attach_network_interface(NetworkInterfaceId=eni2, InstanceId=iid, DeviceIndex=1)
        alloc = ec2.allocate_address(Domain="vpc")
        ec2.associate_address(AllocationId=alloc["AllocationId"], NetworkInterfaceId=primary["NetworkInterfaceId"])
        vols = []
        for dev in ("/dev/sdf", "/dev/sdg"):
            vid = ec2.create_volume(AvailabilityZone=az, Size=8, VolumeType="gp3", Encrypted=(dev == "/dev/sdg"),
                                    TagSpecifications=[{"ResourceType": "volume", "Tags": _tags({"Name": f"{p}data{dev[-1]}"})}]
                                    )["VolumeId"]
            ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device=dev)
            vols.append(vid)
        # moto ignores the launch template's shutdown behaviour; set it in the form moto reads.
        ec2.modify_instance_attribute(InstanceId=iid, Attribute="instanceInitiatedShutdownBehavior", Value="terminate")
        ec2.create_tags(Resources=[iid], Tags=_tags({
            "Name": f"{p}web-{n}", "Owner": "team-web@example.com", "Criticality": "high"}))
        inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        devices = {b["Ebs"]["VolumeId"]: b["DeviceName"] for b in inst["BlockDeviceMappings"] if "Ebs" in b}
        volumes = sorted(devices)
        assert len(volumes) == 3, inst["BlockDeviceMappings"]
        out_suspects.append({
            "instance_id": iid,
            "subnet_id": subnet,
            "private_ip": inst["PrivateIpAddress"],
            "enis": {e["NetworkInterfaceId"]: sorted(g["GroupId"] for g in e["Groups"])
                     for e in inst["NetworkInterfaces"]},
            "primary_eni": primary["NetworkInterfaceId"],
            "second_eni": eni2,
            "eip_allocation": alloc["AllocationId"],
            "public_ip": alloc["PublicIp"],
            "volumes": volumes,
            "volume_devices": devices,
        })

    return {
        "region": region,
        "vpc_id": vpc,
        "subnets": subnets,
        "security_groups": {"web": web_sg, "app": app_sg, "mgmt": mgmt_sg, "db": db_sg, "lb": lb_sg},
        "role_name": role_name,
        "role_arn": role_arn,
        "profile_name": profile_name,
        "profile_arn": profile_arn,
        "asg_name": asg_name,
        "clb_name": clb_name,
        "alb_arn": alb_arn,
        "tg_arn": tg_arn,
        "launch_template": lt_name,
        "suspect": out_suspects[0]["instance_id"],
        "suspects": out_suspects,
        "siblings": siblings,
        # flat conveniences for the first suspect
        "enis": out_suspects[0]["enis"],
        "eip_allocation": out_suspects[0]["eip_allocation"],
        "volumes": out_suspects[0]["volumes"],
        "private_ip": out_suspects[0]["private_ip"],
        "public_ip": out_suspects[0]["public_ip"],
    }


def add_instance_store_only(endpoint_url: str, ids: dict, region: str = REGION) -> str:
    """An extra instance (outside the ASG) whose block devices are instance-store only, as moto can
    model it: moto refuses ephemeral-only mappings and has no instance-store AMI, so the instance is
    launched as usual and its EBS root volume is detached (moto: always pass InstanceId)."""
    ec2 = client("ec2", endpoint_url, region)
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="m5d.large",
                            SubnetId=ids["subnets"][0],
                            TagSpecifications=[{"ResourceType": "instance", "Tags": _tags({"Name": "scratch-1"})}]
                            )["Instances"][0]["InstanceId"]
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    for b in inst.get("BlockDeviceMappings", []):
        if "Ebs" in b:
            ec2.detach_volume(VolumeId=b["Ebs"]["VolumeId"], InstanceId=iid, Device=b["DeviceName"], Force=True)
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert not [b for b in inst.get("BlockDeviceMappings", []) if "Ebs" in b], inst["BlockDeviceMappings"]
    return iid


# ------------------------------------------------------------------------------------------ observing

def _instance_state(ec2, iam_policies: dict, iid: str, assoc: dict) -> dict:
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    enis = {}
    for e in inst.get("NetworkInterfaces", []):
        enis[e["NetworkInterfaceId"]] = {
            "groups": sorted(g["GroupId"] for g in e["Groups"]),
            "device_index": e["Attachment"]["DeviceIndex"],
            "public_ip": (e.get("Association") or {}).get("PublicIp"),
        }
    attr = lambda a: ec2.describe_instance_attribute(InstanceId=iid, Attribute=a)  # noqa: E731
    dot = {}
    for b in inst.get("BlockDeviceMappings", []):
        if "Ebs" in b:
            dot[b["Ebs"]["VolumeId"]] = {"device": b["DeviceName"], "delete_on_termination": b["Ebs"]["DeleteOnTermination"]}
    return {
        "state": inst["State"]["Name"],
        "enis": enis,
        "instance_groups": sorted(g["GroupId"] for g in inst.get("SecurityGroups", [])),
        # {allocation: ENI}; moto leaves InstanceId empty when an EIP is associated by ENI
        "eips": {a["AllocationId"]: a.get("NetworkInterfaceId") for a in ec2.describe_addresses()["Addresses"]
                 if a.get("InstanceId") == iid or (a.get("NetworkInterfaceId") and a["NetworkInterfaceId"] in enis)},
        "profile": assoc.get(iid),
        "disable_api_termination": attr("disableApiTermination")["DisableApiTermination"]["Value"],
        "shutdown_behavior": attr("instanceInitiatedShutdownBehavior")["InstanceInitiatedShutdownBehavior"]["Value"],
        "volumes": dot,
        "tags": {t["Key"]: t["Value"] for t in inst.get("Tags", [])},
    }


def snapshot_state(endpoint_url: str, ids: dict, region: str = REGION, instances: list | None = None) -> dict:
    """Every property contain changes, for the suspects and siblings (or `instances`), as plain values."""
    ec2 = client("ec2", endpoint_url, region)
    iam = client("iam", endpoint_url, region)
    asg = client("autoscaling", endpoint_url, region)
    elb = client("elb", endpoint_url, region)
    elbv2 = client("elbv2", endpoint_url, region)
    if instances is None:
        instances = [s["instance_id"] for s in ids["suspects"]] + list(ids["siblings"])
    assoc = {}
    for a in _profile_associations(ec2):
        if a.get("State", "associated") in ("associated", "associating"):
            assoc[a["InstanceId"]] = a["IamInstanceProfile"]["Arn"]
    group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[ids["asg_name"]])["AutoScalingGroups"][0]
    role_policies = {}
    for name in iam.list_role_policies(RoleName=ids["role_name"])["PolicyNames"]:
        doc = iam.get_role_policy(RoleName=ids["role_name"], PolicyName=name)["PolicyDocument"]
        role_policies[name] = json.loads(doc) if isinstance(doc, str) else doc
    attached = sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=ids["role_name"])["AttachedPolicies"])
    return {
        "instances": {iid: _instance_state(ec2, role_policies, iid, assoc) for iid in instances},
        "asg": {
            "desired": group["DesiredCapacity"],
            "members": {i["InstanceId"]: {"lifecycle": i["LifecycleState"], "protected": i["ProtectedFromScaleIn"]}
                        for i in group["Instances"]},
        },
        "clb_instances": sorted({i["InstanceId"] for i in elb.describe_load_balancers(
            LoadBalancerNames=[ids["clb_name"]])["LoadBalancerDescriptions"][0]["Instances"]}),  # moto can list twice
        "tg_targets": sorted(d["Target"]["Id"] for d in elbv2.describe_target_health(
            TargetGroupArn=ids["tg_arn"])["TargetHealthDescriptions"]
            if d.get("TargetHealth", {}).get("State") not in ("draining", "unused")),
        "profile_roles": sorted(r["RoleName"] for r in iam.get_instance_profile(
            InstanceProfileName=ids["profile_name"])["InstanceProfile"]["Roles"]),
        "role_policies": role_policies,
        "role_attached_policies": attached,
    }


def case_snapshots(endpoint_url: str, case: str, region: str = REGION) -> list:
    ec2 = client("ec2", endpoint_url, region)
    snaps = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:cordon:case", "Values": [case]}])["Snapshots"]
    return sorted(snaps, key=lambda s: s["SnapshotId"])


# ------------------------------------------------------------------------------------------ range + cordon

def run_cordon(args, endpoint: str | None = None, env: dict | None = None, timeout: float = 300.0,
               region: str = REGION, key: str = "testing", secret: str = "testing") -> subprocess.CompletedProcess:
    """`cordon ARGS... [--endpoint-url ENDPOINT --region REGION]`; never raises on exit status
    (helpers.run_cordon with this module's longer timeout and positional endpoint)."""
    return helpers.run_cordon(args, env=env, timeout=timeout, endpoint=endpoint, region=region,
                              access_key=key, secret_key=secret)


def explain(proc: subprocess.CompletedProcess) -> str:
    return f"cordon {' '.join(proc.args[1:])} -> {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"


class IamEnforcing:
    """Mixin for a ResponseCase whose moto enforces IAM (range_args sets INITIAL_NO_AUTH_ACTION_COUNT=0):
    `with self.as_root():` sets up and judges as moto's root user, cordon runs with a user's keys."""

    range_args = ("--moto-env", "INITIAL_NO_AUTH_ACTION_COUNT=0")

    def free_requests(self, n: int):
        """moto's /moto-api/reset-auth: the next `n` requests skip authentication and authorization."""
        import urllib.request
        req = urllib.request.Request(self.moto + "/moto-api/reset-auth", data=str(n).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)

    @contextlib.contextmanager
    def as_root(self):
        self.free_requests(1_000_000)
        try:
            yield
        finally:
            self.free_requests(0)


def _main(argv) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="scenario.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("endpoint")
    b.add_argument("--suspects", type=int, default=1)
    b.add_argument("--region", default=REGION)
    s = sub.add_parser("state")
    s.add_argument("endpoint")
    s.add_argument("ids")
    s.add_argument("--region", default=REGION)
    a = ap.parse_args(argv)
    if a.cmd == "build":
        print(json.dumps(build(a.endpoint, a.region, a.suspects), indent=2))
    else:
        print(json.dumps(snapshot_state(a.endpoint, json.loads(Path(a.ids).read_text()), a.region), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))


# ------------------------------------------------------------------------------------------ test base

import re  # noqa: E402
import shutil  # noqa: E402
import unittest  # noqa: E402

READ_PREFIXES = ("Describe", "Get", "List", "Lookup")
CONTAIN_STEPS = ["record-pre-state", "tag", "protect", "asg", "deregister-lb", "isolate-network",
                 "disassociate-eip", "credentials", "snapshot", "console-output"]
ACCOUNT = "123456789012"  # moto's default account


def mutating_calls(stats: dict) -> dict:
    """{"service:Operation": requests} for every non-read operation the range saw."""
    out = {}
    for svc, ops in stats.get("operations", {}).items():
        for op, st in ops.items():
            if not op.startswith(READ_PREFIXES) and st.get("requests"):
                out[f"{svc}:{op}"] = st["requests"]
    return out


class ResponseCase(unittest.TestCase):
    """One range per test class. Scenarios are built and judged through moto directly (no faults, not
    counted in the range's stats); cordon talks to the proxy (self.endpoint)."""

    range_args: tuple = ()
    responder = "alice"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.range = Range(*cls.range_args).start()
        cls.endpoint, cls.moto = cls.range.endpoint, cls.range.moto

    @classmethod
    def tearDownClass(cls):
        cls.range.stop()
        super().tearDownClass()

    # -- fixtures
    def fresh(self, suspects: int = 1) -> dict:
        """Resets moto, the range's counters and faults; builds the scenario; a new cases folder."""
        self.range.set_faults(None)
        self.range.reset()
        self.ids = build(self.moto, suspects=suspects)
        self.range.control("POST", "stats/reset")
        self.cases_dir = tempfile.mkdtemp(prefix="cordon-cases-")
        self.addCleanup(shutil.rmtree, self.cases_dir, True)
        return self.ids

    def state(self, ids: dict | None = None, **kw) -> dict:
        return snapshot_state(self.moto, ids or self.ids, **kw)

    # -- cordon
    def cordon(self, *args, env: dict | None = None, endpoint: bool = True, timeout: float = 300.0):
        return run_cordon(list(args), self.endpoint if endpoint else None, env=env, timeout=timeout)

    def contain(self, case: str, *extra, targets=None, env=None):
        targets = targets or [self.ids["suspect"]]
        return self.cordon("contain", *targets, "--case", case, "--yes", "--cases-dir", self.cases_dir,
                           "--responder", self.responder, *extra, env=env)

    def release(self, case: str, *extra, env=None):
        return self.cordon("release", "--case", case, "--yes", "--cases-dir", self.cases_dir, *extra, env=env)

    def case_show(self, case: str):
        return self.cordon("case", "show", case, "--cases-dir", self.cases_dir, endpoint=False)

    def journal(self, case: str) -> list:
        """The case's journal records (`cordon case show ID --output json`, key "journal")."""
        proc = self.cordon("case", "show", case, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "cordon case show --output json")
        return json.loads(proc.stdout)["journal"]

    def case_verify(self, case: str):
        """`cordon case verify`, with the endpoint: a case with an evidence bucket is checked against
        its journal anchors there."""
        return self.cordon("case", "verify", case, "--cases-dir", self.cases_dir)

    def assertChainIntact(self, proc, msg: str = "cordon case verify"):
        """`case verify` found the chain, pre-state and evidence intact: exit 0 when it compared them
        with an anchor, or 6 (README "Exit codes": finished, something could not be checked) saying
        it had none to compare with (a case with no evidence bucket)."""
        self.assertExit(proc, (0, EXIT_PARTIAL), msg)
        self.assertIn("journal intact", proc.stdout, msg)
        if proc.returncode == EXIT_PARTIAL:
            self.assertIn("NOT VERIFIED AGAINST AN ANCHOR", proc.stdout, msg)

    def assertExit(self, proc, codes, msg: str = ""):
        codes = (codes,) if isinstance(codes, int) else tuple(codes)
        self.assertIn(proc.returncode, codes, f"{msg}\n{explain(proc)}")

    def assertCaseConsistent(self, case: str):
        """The case folder exists and its journal verifies."""
        self.assertTrue(Path(self.cases_dir, case).is_dir(), f"no case folder {case} in {self.cases_dir}")
        self.assertChainIntact(self.case_verify(case))

    # -- judging (boto3 against moto)
    def isolation_groups(self, vpc: str) -> dict:
        ec2 = client("ec2", self.moto)
        groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
        return {g["GroupName"]: g for g in groups if g["GroupName"].startswith("cordon-")}

    def suspect_volumes(self) -> tuple[list, str]:
        """The suspect's EBS volumes (sorted; at least two) and its data volume, not the root one, so
        that a test can make one of several fail."""
        ec2 = client("ec2", self.moto)
        inst = ec2.describe_instances(InstanceIds=[self.ids["suspect"]])["Reservations"][0]["Instances"][0]
        volumes = sorted(m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"])
        self.assertGreaterEqual(len(volumes), 2, inst["BlockDeviceMappings"])
        data = next(m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"] if m["DeviceName"] != inst["RootDeviceName"])
        return volumes, data

    def shared_read(self, post: dict, key: str, read):
        """`read()`, made once per post state: the reads every suspect's judging needs alike (the VPC's
        groups, the addresses, the case's snapshots), so that a fleet of 200 is judged in 3 reads of
        them, not 600. Kept beside `post`, not in it: tests compare post states whole."""
        if getattr(self, "_shared_reads", (None,))[0] is not post:
            self._shared_reads = (post, {})
        reads = self._shared_reads[1]
        if key not in reads:
            reads[key] = read()
        return reads[key]

    def assertContained(self, case: str, pre: dict, post: dict | None = None, suspect: dict | None = None,
                        in_asg: bool = True, snapshots: bool = True):
        """Every property contain promises holds for `suspect` (default: the first) and the siblings
        are untouched. Returns the post state."""
        ids = self.ids
        s = suspect or ids["suspects"][0]
        iid = s["instance_id"]
        post = post or self.state()
        me, before = post["instances"][iid], pre["instances"][iid]
        # never stopped
        self.assertEqual(me["state"], "running")
        # tags: the quarantine tags, and every original tag but the ASG's own kept
        self.assertEqual(me["tags"].get("incident-response"), f"quarantine:{case}")
        self.assertEqual(me["tags"].get("cordon:case"), case)
        for k, v in before["tags"].items():
            if not k.startswith("aws:autoscaling:"):
                self.assertEqual(me["tags"].get(k), v, f"tag {k}")
        # termination protection, shutdown behaviour, DeleteOnTermination off on every volume
        self.assertTrue(me["disable_api_termination"])
        self.assertEqual(me["shutdown_behavior"], "stop")
        self.assertEqual(set(me["volumes"]), set(before["volumes"]))
        for vid, v in me["volumes"].items():
            self.assertFalse(v["delete_on_termination"], f"DeleteOnTermination still on for {vid}")
        # Auto Scaling: out of the group, desired unchanged, a replacement launched
        if in_asg:
            self.assertNotIn(iid, post["asg"]["members"])
            self.assertEqual(post["asg"]["desired"], pre["asg"]["desired"])
            others = [m for m in post["asg"]["members"] if m != iid]
            self.assertEqual(len(others), pre["asg"]["desired"], post["asg"])
            for sib in ids["siblings"]:
                self.assertIn(sib, post["asg"]["members"])
            # load balancers: the suspect is gone from the CLB and the TG, the siblings are not
            self.assertNotIn(iid, post["clb_instances"])
            self.assertNotIn(iid, post["tg_targets"])
            for sib in ids["siblings"]:
                self.assertIn(sib, post["clb_instances"])
                self.assertIn(sib, post["tg_targets"])
        # network: every ENI only in cordon's isolation group of its VPC, which has no rules and is tagged
        groups = self.shared_read(post, "groups", lambda: self.isolation_groups(ids["vpc_id"]))
        iso = groups.get(f"cordon-isolation-{ids['vpc_id']}")
        self.assertIsNotNone(iso, f"no cordon-isolation group; cordon groups: {sorted(groups)}")
        self.assertIn(f"cordon-untrack-{ids['vpc_id']}", groups)
        for g in (iso, groups[f"cordon-untrack-{ids['vpc_id']}"]):
            self.assertIn({"Key": "cordon:managed", "Value": "true"}, g.get("Tags", []), g["GroupName"])
        self.assertEqual(iso["IpPermissions"], [], "isolation group has ingress rules")
        self.assertEqual(iso["IpPermissionsEgress"], [], "isolation group has egress rules")
        self.assertEqual(set(me["enis"]), set(before["enis"]))
        for eni, e in me["enis"].items():
            self.assertEqual(e["groups"], [iso["GroupId"]], f"ENI {eni} not isolated")
            self.assertIsNone(e["public_ip"], f"ENI {eni} still has a public IP")
        # Elastic IPs disassociated, kept allocated
        self.assertEqual(me["eips"], {})
        allocs = self.shared_read(post, "addresses", lambda: {
            a["AllocationId"]: a for a in client("ec2", self.moto).describe_addresses()["Addresses"]})
        for alloc in before["eips"]:
            self.assertIn(alloc, allocs, "Elastic IP was released instead of disassociated")
            self.assertNotIn("AssociationId", allocs[alloc])
        # credentials: profile gone (no quarantine profile given), deny for this instance only
        self.assertIsNone(me["profile"])
        deny_name = f"cordon-deny-{case}"  # one per role and case, naming each instance (issue 13)
        self.assertIn(deny_name, post["role_policies"], sorted(post["role_policies"]))
        deny = post["role_policies"][deny_name]
        stmts = deny["Statement"] if isinstance(deny["Statement"], list) else [deny["Statement"]]
        self.assertTrue(stmts)
        deny_st = [st for st in stmts if "ec2:SourceInstanceARN" in json.dumps(st.get("Condition", {}))]
        self.assertEqual(len(deny_st), 1, stmts)
        for st in stmts:
            self.assertEqual(st["Effect"], "Deny")
        self.assertIn(f"*/{iid}", deny_st[0]["Condition"]["StringLike"]["ec2:SourceInstanceARN"],
                      "deny not conditioned on this instance")
        for name, doc in pre["role_policies"].items():
            self.assertEqual(post["role_policies"].get(name), doc, f"role policy {name} changed")
        self.assertEqual(post["role_attached_policies"], pre["role_attached_policies"])
        self.assertEqual(post["profile_roles"], pre["profile_roles"])
        # siblings untouched, field by field
        for sib in ids["siblings"]:
            self.assertEqual(post["instances"][sib], pre["instances"][sib], f"sibling {sib} changed")
        # snapshots: exactly one per volume, tagged
        if snapshots:
            snaps = [sn for sn in self.shared_read(post, f"snapshots {case}", lambda: case_snapshots(self.moto, case))
                     if {"Key": "cordon:instance", "Value": iid} in sn.get("Tags", [])]
            by_vol = {}
            for sn in snaps:
                tags = {t["Key"]: t["Value"] for t in sn.get("Tags", [])}
                by_vol.setdefault(tags.get("cordon:volume"), []).append(sn)
                self.assertEqual(sn["VolumeId"], tags.get("cordon:volume"))
                self.assertEqual(tags.get("cordon:device"), before["volumes"][sn["VolumeId"]]["device"])
                self.assertTrue(sn.get("Description", "").startswith(f"{self.responder}-"), sn.get("Description"))
                self.assertTrue(sn.get("Description", "").endswith(case), sn.get("Description"))
            self.assertEqual(sorted(by_vol), sorted(before["volumes"]), "not one snapshot per volume")
            for vid, lst in by_vol.items():
                self.assertEqual(len(lst), 1, f"{len(lst)} snapshots of {vid}")
        return post

    def normalised(self, value, ids: dict | None = None):
        """`value` with every generated id replaced by its role, so runs on different builds compare."""
        ids = ids or self.ids
        labels = {ids["vpc_id"]: "VPC", ids["role_arn"]: "ROLE_ARN", ids["profile_arn"]: "PROFILE_ARN",
                  ids["tg_arn"]: "TG_ARN", ids["alb_arn"]: "ALB_ARN"}
        for i, sn in enumerate(ids["subnets"]):
            labels[sn] = f"SUBNET{i}"
        for name, g in ids["security_groups"].items():
            labels[g] = f"SG_{name}"
        for name, g in self.isolation_groups(ids["vpc_id"]).items():
            labels[g["GroupId"]] = f"SG_{name.split('-')[1]}"
        for n, s in enumerate(ids["suspects"]):
            labels[s["instance_id"]] = f"SUSPECT{n}"
            labels[s["primary_eni"]] = f"SUSPECT{n}_ENI0"
            labels[s["second_eni"]] = f"SUSPECT{n}_ENI1"
            labels[s["eip_allocation"]] = f"SUSPECT{n}_EIP"
            labels[s["public_ip"]] = f"SUSPECT{n}_PUBLIC_IP"
            for vid, dev in s["volume_devices"].items():
                labels[vid] = f"SUSPECT{n}_VOL{dev}"
        for n, sib in enumerate(ids["siblings"]):
            labels[sib] = f"SIBLING{n}"
        pattern = re.compile("|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True)))
        other = re.compile(r"\b(i|eni|vol|snap|sg|eipalloc|lt|subnet|vpc|eipassoc|iip-assoc)-[0-9a-f]{8,17}\b")

        def sub(s: str) -> str:
            return other.sub(lambda m: f"{m.group(1)}-OTHER", pattern.sub(lambda m: labels[m.group(0)], s))

        def walk(v):
            if isinstance(v, dict):
                return {sub(k): walk(x) for k, x in v.items()}
            if isinstance(v, list):
                return sorted((walk(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
            if isinstance(v, str):
                return sub(v)
            return v
        return walk(value)
