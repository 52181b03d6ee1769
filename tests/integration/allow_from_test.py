"""`cordon contain --allow-from`: the analysts' access is in a per-case group, never in the isolation
group every contained instance of the VPC shares. Judged with boto3 against moto.

Run from tests/integration:  CORDON_BIN=... python3 -m unittest -v allow_from_test
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memory_capture_test as mc  # noqa: E402  (a module, so its tests are not collected here)
from scenario import ResponseCase, client, mutating_calls  # noqa: E402

ALLOW_DESCRIPTION = "cordon --allow-from"


def rules(perms: list) -> list:
    """Every (protocol, source) of a described rule list, one per source, sorted: ports and
    descriptions left out (all of cordon's rules are all-protocol)."""
    out = []
    for p in perms:
        proto = p.get("IpProtocol")
        out += [(proto, "v4", r["CidrIp"]) for r in p.get("IpRanges", [])]
        out += [(proto, "v6", str(ipaddress.ip_network(r["CidrIpv6"]))) for r in p.get("Ipv6Ranges", [])]
        out += [(proto, "sg", r["GroupId"]) for r in p.get("UserIdGroupPairs", [])]
        out += [(proto, "pl", r["PrefixListId"]) for r in p.get("PrefixListIds", [])]
    return sorted(out)


class AllowFromTests(ResponseCase):

    # -- judging helpers
    def groups_of(self, eni: str) -> set:
        e = client("ec2", self.moto).describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
        return {g["GroupId"] for g in e["Groups"]}

    def enis(self, suspect: dict) -> list:
        return [suspect["primary_eni"], suspect["second_eni"]]

    def cordon_groups(self) -> dict:
        return self.isolation_groups(self.ids["vpc_id"])

    def isolation(self) -> dict:
        return self.cordon_groups()[f"cordon-isolation-{self.ids['vpc_id']}"]

    def allow_group(self, case: str) -> dict | None:
        return self.cordon_groups().get(f"cordon-allow-{case}-{self.ids['vpc_id']}")

    def assertIsolationGroupEmpty(self):
        iso = self.isolation()
        self.assertEqual(iso["IpPermissions"], [], "the shared isolation group has ingress")
        self.assertEqual(iso["IpPermissionsEgress"], [], "the shared isolation group has egress")

    def assertAllowGroup(self, case: str, expected: list) -> dict:
        g = self.allow_group(case)
        self.assertIsNotNone(g, f"no allow group for {case}: {sorted(self.cordon_groups())}")
        tags = {t["Key"]: t["Value"] for t in g.get("Tags", [])}
        self.assertEqual(tags.get("cordon:managed"), "true")
        self.assertEqual(tags.get("cordon:purpose"), "allow-from")
        self.assertEqual(tags.get("cordon:case"), case)
        self.assertEqual(rules(g["IpPermissions"]), sorted(expected))
        self.assertEqual(g["IpPermissionsEgress"], [], "the allow group has egress")
        return g

    # -- tests
    def test_allow_from_reaches_only_its_case_and_release_removes_it(self):
        self.fresh(suspects=2)
        pre = self.state()
        a, b = self.ids["suspects"]
        self.assertExit(self.contain("AF-1", "--allow-from", "10.9.0.0/24", targets=[a["instance_id"]]), 0)
        self.assertExit(self.contain("AF-2", targets=[b["instance_id"]]), 0)
        iso = self.isolation()["GroupId"]
        allow = self.assertAllowGroup("AF-1", [("-1", "v4", "10.9.0.0/24")])["GroupId"]
        self.assertIsolationGroupEmpty()
        for eni in self.enis(a):
            self.assertEqual(self.groups_of(eni), {iso, allow}, f"A's ENI {eni}")
        for eni in self.enis(b):
            self.assertEqual(self.groups_of(eni), {iso}, f"B's ENI {eni}")
        self.assertIsNone(self.allow_group("AF-2"), "a case without --allow-from got an allow group")

        # the same contain again: nothing changes, no new group, the step says so
        before = self.cordon_groups()
        self.range.control("POST", "stats/reset")
        proc = self.contain("AF-1", "--allow-from", "10.9.0.0/24", targets=[a["instance_id"]])
        self.assertExit(proc, 0)
        self.assertRegex(proc.stdout + proc.stderr, re.compile(r"already|nothing to do|no change", re.I))
        self.assertEqual(mutating_calls(self.range.stats()), {}, "the rerun changed something")
        self.assertEqual(sorted(self.cordon_groups()), sorted(before))
        self.assertCaseConsistent("AF-1")

        # release of A: its groups back, the allow group deleted, B still isolated
        proc = self.release("AF-1")
        self.assertExit(proc, 0)
        post = self.state()
        self.assertEqual(post["instances"][a["instance_id"]]["enis"], pre["instances"][a["instance_id"]]["enis"])
        self.assertIsNone(self.allow_group("AF-1"), "release left the allow group")
        for eni in self.enis(b):
            self.assertEqual(self.groups_of(eni), {iso}, f"B's ENI {eni} after A's release")
        self.assertIsolationGroupEmpty()
        self.assertCaseConsistent("AF-1")

    def test_group_and_ipv6_sources_and_a_narrower_rerun(self):
        self.fresh()
        s = self.ids["suspects"][0]
        mgmt = self.ids["security_groups"]["mgmt"]
        # an IPv6 CIDR not in the form AWS describes it: still one rule, and a rerun matches it
        sources = ["--allow-from", mgmt, "--allow-from", "2001:DB8:9:0::/64"]
        self.assertExit(self.contain("AF-3", *sources), 0)
        allow = self.assertAllowGroup("AF-3", [("-1", "sg", mgmt), ("-1", "v6", "2001:db8:9::/64")])["GroupId"]
        self.range.control("POST", "stats/reset")
        self.assertExit(self.contain("AF-3", *sources), 0)
        self.assertEqual(mutating_calls(self.range.stats()), {}, "the rerun changed something")
        iso = self.isolation()["GroupId"]
        self.assertIsolationGroupEmpty()
        for eni in self.enis(s):
            self.assertEqual(self.groups_of(eni), {iso, allow})
        for p in self.allow_group("AF-3")["IpPermissions"]:
            for r in p.get("UserIdGroupPairs", []) + p.get("Ipv6Ranges", []):
                self.assertEqual(r.get("Description"), ALLOW_DESCRIPTION)
        # a rerun with fewer sources: the group keeps exactly those
        self.assertExit(self.contain("AF-3", "--allow-from", mgmt), 0)
        self.assertAllowGroup("AF-3", [("-1", "sg", mgmt)])
        for eni in self.enis(s):
            self.assertEqual(self.groups_of(eni), {iso, allow})
        self.assertExit(self.release("AF-3"), 0)
        self.assertIsNone(self.allow_group("AF-3"))

    def test_upgrade_revokes_allow_from_left_in_the_isolation_group(self):
        self.fresh()
        ec2 = client("ec2", self.moto)
        vpc = self.ids["vpc_id"]
        name = f"cordon-isolation-{vpc}"
        gid = ec2.create_security_group(GroupName=name, Description="older cordon", VpcId=vpc)["GroupId"]
        ec2.create_tags(Resources=[gid], Tags=[{"Key": "cordon:managed", "Value": "true"},
                                               {"Key": "cordon:purpose", "Value": "isolation"},
                                               {"Key": "Name", "Value": name}])
        stale = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.8.0.0/24", "Description": ALLOW_DESCRIPTION}]}]
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=stale)
        self.assertNotEqual(self.isolation()["IpPermissions"], [])
        self.assertExit(self.contain("AF-4"), 0)
        self.assertEqual(self.isolation()["GroupId"], gid)
        self.assertIsolationGroupEmpty()
        for eni in self.enis(self.ids["suspects"][0]):
            self.assertEqual(self.groups_of(eni), {gid})
        # an instance contained before the upgrade: the rerun cleans the group too
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=stale)
        self.assertExit(self.contain("AF-4"), 0)
        self.assertIsolationGroupEmpty()
        # --allow-from added on a rerun: straight from [isolation] to [isolation, allow], one call per
        # ENI, never back through the all-open untrack group
        self.range.control("POST", "stats/reset")
        self.assertExit(self.contain("AF-4", "--allow-from", "10.9.0.0/24"), 0)
        allow = self.assertAllowGroup("AF-4", [("-1", "v4", "10.9.0.0/24")])["GroupId"]
        for eni in self.enis(self.ids["suspects"][0]):
            self.assertEqual(self.groups_of(eni), {gid, allow})
        self.assertEqual(mutating_calls(self.range.stats()).get("ec2:ModifyNetworkInterfaceAttribute"), 2)
        self.assertIsolationGroupEmpty()
        self.assertCaseConsistent("AF-4")


class CaptureWithAllowFromTests(ResponseCase):
    """A memory capture after isolation keeps the case's allow group on the ENI (the analysts keep
    their access) and adds ssm-reach only while the command runs. moto's SSM runs nothing: the
    fixtures of memory_capture_test play the agent."""

    prepare = mc.MemoryCaptureTests.prepare
    capture = mc.MemoryCaptureTests.capture
    commands = mc.MemoryCaptureTests.commands
    primary_eni_groups = mc.MemoryCaptureTests.primary_eni_groups
    capture_watching_groups = mc.MemoryCaptureTests.capture_watching_groups

    def test_capture_keeps_the_allow_group(self):
        case = "AF-MEM"
        self.prepare(case)
        proc, during = self.capture_watching_groups(case, "--allow-from", "10.9.0.0/24")
        self.assertExit(proc, 0)
        vpc = self.ids["vpc_id"]
        groups = self.isolation_groups(vpc)
        iso = groups[f"cordon-isolation-{vpc}"]["GroupId"]
        allow = groups[f"cordon-allow-{case}-{vpc}"]["GroupId"]
        reach = groups[f"cordon-ssm-reach-{vpc}"]["GroupId"]
        self.assertEqual(during, sorted([iso, allow, reach]))
        self.assertEqual(self.primary_eni_groups(), sorted([iso, allow]))
        self.assertEqual(groups[f"cordon-isolation-{vpc}"]["IpPermissions"], [])


if __name__ == "__main__":
    unittest.main()
