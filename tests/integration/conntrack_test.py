"""Open connections (issue 13): isolation shortens each ENI's connection-tracking timeouts and moves
it through the untrack group before the isolation group; release restores the recorded timeouts.

AWS behaviour stood for (the range serves it, moto 5.2.1 ignores ConnectionTrackingSpecification;
range/conntrack.py):
- EC2 API Reference, ConnectionTrackingSpecificationRequest
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingSpecificationRequest.html):
  TcpEstablishedTimeout 60..432000 s, UdpStreamTimeout 60..180 s, UdpTimeout 30..60 s; defaults
  432000, 180, 30.
- ModifyNetworkInterfaceAttribute: "You can specify only one attribute at a time."
- EC2 User Guide, "Security group connection tracking": changing a group's rules does not cut tracked
  connections; the ENI moves to an all-open group first (untracked), then to the isolation group.

The timeouts are judged with boto3 through the range (which serves them); groups with boto3 on moto.

Run from the repository root:  python3 -m unittest tests/integration/conntrack_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, client  # noqa: E402

MINIMUM = {"TcpEstablishedTimeout": 60, "UdpStreamTimeout": 60, "UdpTimeout": 30}
DEFAULTS = {"TcpEstablishedTimeout": 432000, "UdpStreamTimeout": 180, "UdpTimeout": 30}
CUSTOM = {"TcpEstablishedTimeout": 7200, "UdpStreamTimeout": 120, "UdpTimeout": 45}
SPEC = "ConnectionTrackingSpecification."


def eni_calls(log: list, eni: str) -> list:
    """The ModifyNetworkInterfaceAttribute calls on `eni`, in order, as ("groups", [ids]) or
    ("conntrack", {field: seconds})."""
    out = []
    for r in log:
        p = r["params"] or {}
        if p.get("NetworkInterfaceId") != eni or r["fault"]:
            continue
        if any(k.startswith(SPEC) for k in p):
            out.append(("conntrack", {k[len(SPEC):]: int(v) for k, v in p.items() if k.startswith(SPEC)}))
        else:
            groups = [v for k, v in sorted(p.items(), key=lambda kv: kv[0]) if k.startswith("SecurityGroupId.")]
            out.append(("groups", groups))
    return out


class ConntrackTests(ResponseCase):

    def range_ec2(self):
        """boto3 through the range: the timeouts are the range's, not moto's."""
        return client("ec2", self.endpoint)

    def timeouts(self, eni: str) -> dict | None:
        (e,) = self.range_ec2().describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"]
        return e.get("ConnectionTrackingConfiguration")

    def requests(self) -> list:
        return self.range.control("GET", "requests?service=ec2&action=ModifyNetworkInterfaceAttribute")["requests"]

    def test_isolation_shortens_timeouts_after_untrack_then_isolation_and_release_restores(self):
        self.fresh()
        s = self.ids["suspects"][0]
        primary, second = s["primary_eni"], s["second_eni"]
        # the 2nd ENI has timeouts of its own; the primary never had any set (the usual case)
        self.range_ec2().modify_network_interface_attribute(NetworkInterfaceId=second,
                                                            ConnectionTrackingSpecification=CUSTOM)
        self.assertEqual(self.timeouts(second), CUSTOM)
        self.assertIsNone(self.timeouts(primary))
        self.range.control("DELETE", "requests")

        self.assertExit(self.contain("IR-CT1"), 0)
        groups = self.isolation_groups(self.ids["vpc_id"])
        untrack = groups[f"cordon-untrack-{self.ids['vpc_id']}"]["GroupId"]
        isolation = groups[f"cordon-isolation-{self.ids['vpc_id']}"]["GroupId"]
        log = self.requests()
        for eni in (primary, second):
            self.assertEqual(self.timeouts(eni), MINIMUM, f"{eni} timeouts not at the minimum")
            calls = eni_calls(log, eni)
            # per ENI: the timeouts, then the untrack group alone, then the isolation group alone
            self.assertEqual(calls, [("conntrack", MINIMUM), ("groups", [untrack]), ("groups", [isolation])],
                             f"{eni}: {calls}")

        # the previous values are recorded in the step's before (null: never set)
        done = [r for r in self.journal("IR-CT1") if r["kind"] == "step.done" and r["step"] == "isolate-network"]
        recorded = {e["id"]: e["conntrack"] for e in done[-1]["payload"]["before"]["enis"]}
        self.assertEqual(recorded, {primary: None, second: CUSTOM}, json.dumps(done[-1]["payload"]))

        self.range.control("DELETE", "requests")
        self.assertExit(self.release("IR-CT1"), 0)
        self.assertEqual(self.timeouts(second), CUSTOM, "the 2nd ENI's own timeouts not restored")
        # never set before: EC2's documented defaults (no API unsets them)
        self.assertEqual(self.timeouts(primary), DEFAULTS)
        log = self.requests()
        for eni, want in ((primary, DEFAULTS), (second, CUSTOM)):
            calls = eni_calls(log, eni)
            self.assertEqual(calls[0], ("conntrack", want), f"{eni}: {calls}")
            self.assertEqual(calls[1][0], "groups", f"{eni}: {calls}")
        note = [r for r in self.journal("IR-CT1") if r["kind"] == "note" and primary in r["payload"].get("text", "")]
        self.assertTrue(note and "defaults" in note[-1]["payload"]["text"], note)
        self.assertCaseConsistent("IR-CT1")

    def test_isolation_never_sets_instance_groups_which_ec2_refuses_for_two_enis(self):
        """EC2 refuses ModifyInstanceAttribute(Groups) for an instance with more than one network
        interface (InvalidInstanceID "There are multiple interfaces attached to instance ..."; the API's
        answer reported in hashicorp/terraform#3205 and fixed for in terraform PR #14299), and an
        instance's groups are its primary interface's. The range serves both (range/eni_groups.py); the
        suspect has two ENIs, so a contain or release that made the call would fail."""
        self.fresh()
        s = self.ids["suspects"][0]
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.range_ec2().modify_instance_attribute(InstanceId=s["instance_id"],
                                                       Groups=[self.ids["security_groups"]["web"]])
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidInstanceID")
        self.assertIn("multiple interfaces", e.exception.response["Error"]["Message"])
        pre = self.state()
        self.range.control("DELETE", "requests")

        self.assertExit(self.contain("IR-CT5"), 0)
        made = self.range.control("GET", "requests?service=ec2&action=ModifyInstanceAttribute")["requests"]
        self.assertFalse([r for r in made if any(k.startswith("GroupId.") for k in (r["params"] or {}))], made)
        isolation = self.isolation_groups(self.ids["vpc_id"])[f"cordon-isolation-{self.ids['vpc_id']}"]["GroupId"]
        ec2 = client("ec2", self.moto)
        (inst,) = ec2.describe_instances(InstanceIds=[s["instance_id"]])["Reservations"][0]["Instances"]
        self.assertEqual([g["GroupId"] for g in inst["SecurityGroups"]], [isolation])
        for eni in (s["primary_eni"], s["second_eni"]):
            (e,) = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"]
            self.assertEqual([g["GroupId"] for g in e["Groups"]], [isolation], eni)

        self.assertExit(self.release("IR-CT5"), 0)
        post = self.state()
        for key in ("enis", "instance_groups"):
            self.assertEqual(post["instances"][s["instance_id"]][key], pre["instances"][s["instance_id"]][key], key)

    def test_release_refuses_timeouts_someone_else_changed_and_force_restores(self):
        self.fresh()
        s = self.ids["suspects"][0]
        self.assertExit(self.contain("IR-CT2"), 0)
        changed = {"TcpEstablishedTimeout": 600, "UdpStreamTimeout": 90, "UdpTimeout": 40}
        self.range_ec2().modify_network_interface_attribute(NetworkInterfaceId=s["second_eni"],
                                                            ConnectionTrackingSpecification=changed)
        contained = self.state()
        proc = self.release("IR-CT2")
        self.assertExit(proc, 1, "release went ahead over changed timeouts")
        self.assertIn("connection-tracking timeouts changed by someone else", proc.stderr)
        self.assertIn(s["second_eni"], proc.stderr)
        self.assertEqual(self.state(), contained, "refused, yet changed something")
        self.assertEqual(self.timeouts(s["second_eni"]), changed)
        self.assertExit(self.release("IR-CT2", "--force"), 0)
        self.assertEqual(self.timeouts(s["second_eni"]), DEFAULTS)
        self.assertEqual(self.timeouts(s["primary_eni"]), DEFAULTS)

    def test_release_after_a_by_hand_group_restore_still_restores_timeouts(self):
        self.fresh()
        s = self.ids["suspects"][0]
        self.range_ec2().modify_network_interface_attribute(NetworkInterfaceId=s["primary_eni"],
                                                            ConnectionTrackingSpecification=CUSTOM)
        self.assertExit(self.contain("IR-CT3"), 0)
        ec2 = client("ec2", self.moto)
        for eni, groups in self.ids["enis"].items():
            ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=groups)
        ec2.modify_instance_attribute(InstanceId=self.ids["suspect"], Groups=self.ids["enis"][s["primary_eni"]])
        self.assertExit(self.release("IR-CT3"), 0)
        self.assertEqual(self.timeouts(s["primary_eni"]), CUSTOM)

    def test_plan_names_the_timeouts(self):
        self.fresh()
        proc = self.cordon("contain", self.ids["suspect"], "--case", "IR-CT4", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(proc, 0)
        self.assertIn("connection-tracking timeouts to the minimum (TCP established 60 s, UDP stream 60 s, UDP 30 s",
                      proc.stdout)
        self.assertEqual(self.requests(), [], "--plan changed something")

    def test_range_keeps_the_documented_limits(self):
        self.fresh()
        ec2, eni = self.range_ec2(), self.ids["suspects"][0]["primary_eni"]
        for bad in ({"TcpEstablishedTimeout": 59}, {"UdpStreamTimeout": 181}, {"UdpTimeout": 29}):
            with self.assertRaises(botocore.exceptions.ClientError) as e:
                ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, ConnectionTrackingSpecification=bad)
            self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterValue", bad)
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[self.ids["security_groups"]["web"]],
                                                   ConnectionTrackingSpecification=MINIMUM)
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterCombination")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.modify_network_interface_attribute(NetworkInterfaceId="eni-0123456789abcdef0",
                                                   ConnectionTrackingSpecification=MINIMUM)
        self.assertIn("NotFound", e.exception.response["Error"]["Code"])
        # a field left out keeps its value
        ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, ConnectionTrackingSpecification={"UdpTimeout": 60})
        self.assertEqual(self.timeouts(eni), {**DEFAULTS, "UdpTimeout": 60})


if __name__ == "__main__":
    unittest.main()
