"""contain --nacl (issue 13): the suspect's subnets go to a deny-all network ACL, after contain names
every neighbour that cuts off; release gives each subnet its own network ACL back.

AWS behaviour stood for (moto serves these calls itself): VPC User Guide, "Network ACLs" / "Custom
network ACLs": every subnet is associated with exactly one network ACL; a custom network ACL denies all
inbound and outbound traffic until rules are added; network ACLs are stateless, so they also cut
connections already established (EC2 User Guide, "Security group connection tracking"). EC2 API
Reference, ReplaceNetworkAclAssociation: changes which network ACL a subnet is associated with.

Run from the repository root:  python3 -m unittest tests/integration/nacl_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest

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
        out = {}
        for acl in self.ec2.describe_network_acls()["NetworkAcls"]:
            for a in acl.get("Associations", []):
                if a["SubnetId"] in self.subnets:
                    out[a["SubnetId"]] = acl["NetworkAclId"]
        return out

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
        for subnet in self.subnets:
            self.assertIn(subnet, changes)
        # without --yes and no terminal to answer: the neighbours are named, then nothing is done
        asked = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--nacl", "--cases-dir", self.cases_dir)
        self.assertExit(asked, 2)
        self.assertIn(self.neighbour, asked.stderr)
        self.assertIn("billing-db-1", asked.stderr)
        self.assertEqual(self.associations(), self.original, "the plan or the prompt changed a subnet")
        # without --nacl the step is not in the plan
        plain = self.cordon("contain", self.ids["suspect"], "--case", "IR-N1", "--plan", "--cases-dir", self.cases_dir)
        self.assertExit(plain, 0)
        self.assertNotIn("isolate-subnet", plain.stdout)

    def test_nacl_isolates_the_subnets_and_release_restores_them(self):
        proc = self.contain("IR-N2", "--nacl")
        self.assertExit(proc, 0)
        self.assertIn(self.neighbour, proc.stderr, "contain --yes did not say which neighbour it cuts off")
        now = self.associations()
        acls = {a["NetworkAclId"]: a for a in self.ec2.describe_network_acls()["NetworkAcls"]}
        for subnet in self.subnets:
            acl = acls[now[subnet]]
            self.assertNotEqual(now[subnet], self.original[subnet], f"{subnet} still on its own network ACL")
            tags = {t["Key"]: t["Value"] for t in acl.get("Tags", [])}
            self.assertEqual(tags.get("cordon:purpose"), "nacl-isolation", tags)
            self.assertEqual(acl["VpcId"], self.ids["vpc_id"])
            # nothing allowed: no allow rule in either direction
            self.assertEqual([e for e in acl.get("Entries", []) if e["RuleAction"] == "allow"], [], acl)
        self.assertExit(self.release("IR-N2"), 0)
        self.assertEqual(self.associations(), self.original, "release did not give the subnets their network ACLs")
        self.assertCaseConsistent("IR-N2")


if __name__ == "__main__":
    unittest.main()
