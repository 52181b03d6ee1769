"""contain --nacl (issue 13): the suspect's subnets go to the case's deny-all network ACL, after contain
names every neighbour that cuts off; release gives each subnet its own network ACL back, and reports
(does not clobber) a subnet someone else re-associated meanwhile.

AWS behaviour stood for:
- VPC User Guide, "Control subnet traffic with network access control lists": a subnet is associated
  with exactly one network ACL; rules are evaluated in order, lowest number first; network ACLs are
  stateless (established connections are cut too); a custom network ACL denies all inbound and
  outbound traffic until rules are added: its only rules are the "*" deny rules, shown as rule
  32767. moto leaves those out of a custom ACL; the range adds them (range/network_acls.py).
- EC2 API Reference, ReplaceNetworkAclAssociation: moves the subnet to another network ACL and
  answers a NEW association id (so release must find the subnet by subnet id); an unknown
  association id is InvalidAssociationID.NotFound and an unknown network ACL
  InvalidNetworkAclID.NotFound, changing nothing (moto answers a 500, or drops the subnet's
  association; the range answers as AWS does).

Run from the repository root:  python3 -m unittest tests/integration/nacl_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import AMI, ResponseCase, client  # noqa: E402


class NaclTests(ResponseCase):

    def setUp(self):
        self.fresh()
        self.ec2 = client("ec2", self.moto)
        enis = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [self.ids["suspect"]]}])["NetworkInterfaces"]
        self.subnets = sorted({e["SubnetId"] for e in enis})
        # a neighbour: an instance of no case in the suspect's first subnet
        self.neighbour = self.ec2.run_instances(
            ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=self.subnets[0],
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "billing-db-1"}]}],
        )["Instances"][0]["InstanceId"]
        self.original = self.associations()

    def associations(self) -> dict:
        """{subnet: (network ACL id, association id)} for the suspect's subnets, read from moto."""
        out = {}
        for acl in self.ec2.describe_network_acls()["NetworkAcls"]:
            for a in acl.get("Associations", []):
                if a["SubnetId"] in self.subnets:
                    out[a["SubnetId"]] = (acl["NetworkAclId"], a["NetworkAclAssociationId"])
        return out

    def acls(self) -> dict:
        return {a["NetworkAclId"]: a for a in self.ec2.describe_network_acls()["NetworkAcls"]}

    def test_plan_and_prompt_name_the_neighbours_and_change_nothing(self):
        plan = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--nacl", "--plan", "--output", "json",
                           "--cases-dir", self.cases_dir)
        self.assertExit(plan, 0)
        (only,) = json.loads(plan.stdout)["plans"]
        steps = {s["step"]: s for s in only["steps"]}
        self.assertIn("isolate-subnet", steps)
        changes = "\n".join(steps["isolate-subnet"]["changes"])
        self.assertIn(self.neighbour, changes)
        self.assertIn("billing-db-1", changes)
        for sibling in self.ids["siblings"]:
            if self.ec2.describe_instances(InstanceIds=[sibling])["Reservations"][0]["Instances"][0][
                    "SubnetId"] in self.subnets:
                self.assertIn(sibling, changes, "a sibling in the subnet is not named")
        for subnet in self.subnets:
            self.assertIn(subnet, changes)
        # without --yes and no terminal to answer: the neighbours are named, then nothing is done
        asked = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--nacl", "--cases-dir", self.cases_dir)
        self.assertExit(asked, 2)
        self.assertIn(self.neighbour, asked.stderr)
        self.assertIn("billing-db-1", asked.stderr)
        self.assertEqual(self.associations(), self.original, "the plan or the prompt changed a subnet")
        # without --nacl the step is not in the plan, and --only cannot bring it in
        plain = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(plain, 0)
        self.assertNotIn("isolate-subnet", plain.stdout)
        only = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--only", "isolate-subnet", "--plan",
                           "--cases-dir", self.cases_dir)
        self.assertExit(only, 2)
        self.assertIn("--nacl", only.stderr)

    def test_nacl_isolates_the_subnets_and_release_restores_them(self):
        proc = self.contain("IR-N2", "--nacl")
        self.assertExit(proc, 0)
        self.assertIn(self.neighbour, proc.stderr, "contain --yes did not say which neighbour it cuts off")
        self.assertIn("billing-db-1", proc.stderr)
        now, acls = self.associations(), self.acls()
        for subnet in self.subnets:
            acl_id, assoc = now[subnet]
            self.assertNotEqual(acl_id, self.original[subnet][0], f"{subnet} still on its own network ACL")
            self.assertNotEqual(assoc, self.original[subnet][1], "ReplaceNetworkAclAssociation gives a new id")
            acl = acls[acl_id]
            tags = {t["Key"]: t["Value"] for t in acl.get("Tags", [])}
            self.assertEqual(tags.get("cordon:purpose"), "nacl-isolation", tags)
            self.assertEqual(tags.get("cordon:case"), "IR-N2", tags)
            self.assertEqual(tags.get(f"cordon:restore:{subnet}"), self.original[subnet][0], tags)
            self.assertEqual(acl["VpcId"], self.ids["vpc_id"])
            self.assertFalse(acl["IsDefault"])
            # nothing allowed: as AWS shows a custom ACL, only the "*" deny rule in each direction
            seen = client("ec2", self.endpoint).describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
            self.assertEqual(sorted((e["Egress"], e["RuleNumber"], e["RuleAction"]) for e in seen["Entries"]),
                             [(False, 32767, "deny"), (True, 32767, "deny")], seen["Entries"])
        # the neighbour's subnet is behind the ACL too: that is what was said
        neighbour_subnet = self.ec2.describe_instances(InstanceIds=[self.neighbour])["Reservations"][0][
            "Instances"][0]["SubnetId"]
        self.assertEqual(now[neighbour_subnet][0], now[self.subnets[0]][0])
        case_acl = now[self.subnets[0]][0]

        released = self.release("IR-N2")
        self.assertExit(released, 0)
        back = self.associations()
        self.assertEqual({s: a for s, (a, _) in back.items()}, {s: a for s, (a, _) in self.original.items()},
                         "release did not give the subnets their network ACLs")
        self.assertNotIn(case_acl, self.acls(), "the case's network ACL outlived the release")
        self.assertCaseConsistent("IR-N2")

    def test_a_second_instance_of_the_case_in_the_subnet_releases_too(self):
        """The second instance contained into the case finds its subnet on the case's ACL already: its
        step is done with no result, which release once read as an object (abort, exit -6)."""
        sibling = self.ids["siblings"][0]
        self.assertExit(self.contain("IR-N5", "--nacl"), 0)
        second = self.contain("IR-N5", "--nacl", targets=[sibling])
        self.assertExit(second, 0)
        self.assertIn("nothing to do", second.stderr + second.stdout, "the subnet was not on the case's ACL yet")
        released = self.release("IR-N5")
        self.assertExit(released, 0, "release of both")
        self.assertEqual({s: a for s, (a, _) in self.associations().items()},
                         {s: a for s, (a, _) in self.original.items()})

    def test_release_reports_a_subnet_someone_else_reassociated_and_does_not_clobber_it(self):
        self.assertExit(self.contain("IR-N3", "--nacl"), 0)
        subnet = self.subnets[0]
        # a colleague moves the subnet to a network ACL of their own
        theirs = self.ec2.create_network_acl(VpcId=self.ids["vpc_id"])["NetworkAcl"]["NetworkAclId"]
        self.ec2.replace_network_acl_association(AssociationId=self.associations()[subnet][1], NetworkAclId=theirs)
        proc = self.release("IR-N3")
        self.assertExit(proc, 1, "release went ahead over a re-associated subnet")
        self.assertIn(subnet, proc.stderr)
        self.assertIn(theirs, proc.stderr)
        self.assertIn("isolate-subnet", proc.stderr)
        self.assertEqual(self.associations()[subnet][0], theirs, "refused, yet the subnet was moved")
        drift = [r for r in self.journal("IR-N3") if r["kind"] == "note" and r["step"] == "release"][-1]
        self.assertTrue(any(subnet in d and theirs in d for d in drift["payload"]["drift"]), drift)
        # --force sets the recorded network ACL back over it
        forced = self.release("IR-N3", "--force")
        self.assertExit(forced, 0)
        self.assertEqual(self.associations()[subnet][0], self.original[subnet][0])
        self.assertCaseConsistent("IR-N3")

    def test_range_answers_replace_network_acl_association_errors_as_aws(self):
        ec2 = client("ec2", self.endpoint, attempts=1)
        subnet = self.subnets[0]
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.replace_network_acl_association(AssociationId="aclassoc-00000000000000000",
                                                NetworkAclId=self.original[subnet][0])
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidAssociationID.NotFound")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.replace_network_acl_association(AssociationId=self.original[subnet][1],
                                                NetworkAclId="acl-00000000000000000")
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidNetworkAclID.NotFound")
        self.assertEqual(self.associations(), self.original, "a refused call changed the subnet's association")


if __name__ == "__main__":
    unittest.main()
