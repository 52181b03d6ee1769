"""`contain` and `release` when a mutating call takes effect and its answer is lost (issue 13).

On real AWS a request can be applied and its answer still fail: a 5xx or a throttle from a front end
after the backend acted, a connection lost after the request was sent. The EC2 developer guide says so
("Ensuring idempotency in Amazon EC2 API requests": operations "might also time out or encounter other
server issues before they complete, even though the request has already returned a result ... if the
original request and the subsequent retries are successful, the operation is completed multiple
times"). cordon's client retries such failures, so the retry meets a world the first attempt changed:
Auto Scaling answers a second DetachInstances with ValidationError (an instance can be detached "only
when it's either in an InService or StandBy state", Auto Scaling user guide, "Detach or attach
instances"), a second CreateSecurityGroup with InvalidGroup.Duplicate, and a second CreateSnapshots,
which takes no client token, makes a second set.

The range's `after: true` faults (range/README.md) make the first request of every mutating action
cordon sends lose its answer. Judged with boto3: contain exits 0 with the full containment and exactly
one recorded snapshot per volume (none unrecorded), preserve takes one more set, and release under the
same faults restores the pre-state.

Run from the repository root:  python3 -m unittest tests/integration/after_effect_test.py -v
"""

from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots  # noqa: E402

# Every mutating action contain and release send, by service, with the fault its first request meets
# after it took effect: mostly a 500, some a throttle (EC2 answers RequestLimitExceeded with 503) or a
# dropped connection, which cordon retries alike.
MUTATING = {
    "ec2": ["CreateTags", "DeleteTags", "ModifyInstanceAttribute", "CreateSecurityGroup",
            "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress", "ModifyNetworkInterfaceAttribute", "DisassociateAddress",
            "AssociateAddress", "ReplaceIamInstanceProfileAssociation", "DisassociateIamInstanceProfile",
            "AssociateIamInstanceProfile", "CreateSnapshots", "CreateSnapshot", "DeleteSecurityGroup"],
    "autoscaling": ["SetInstanceProtection", "DetachInstances", "EnterStandby", "ExitStandby",
                    "AttachInstances", "UpdateAutoScalingGroup", "TerminateInstanceInAutoScalingGroup"],
    "elasticloadbalancing": ["DeregisterTargets", "RegisterTargets", "DeregisterInstancesFromLoadBalancer",
                             "RegisterInstancesWithLoadBalancer"],
    "iam": ["PutRolePolicy", "DeleteRolePolicy"],
}
KINDS = {"DetachInstances": "reset", "CreateSnapshots": "reset", "ModifyNetworkInterfaceAttribute": "throttle",
         "PutRolePolicy": "throttle", "AttachInstances": "reset"}


def after_effect_faults() -> dict:
    rules = []
    for service, actions in MUTATING.items():
        for action in actions:
            rules.append({"kind": KINDS.get(action, "http500"), "service": service, "action": action,
                          "requests": [1], "after": True, "body": "aws"})
    return {"seed": 13, "rules": rules}


class AfterEffectTests(ResponseCase):

    def fired(self) -> dict:
        body = self.range.control("GET", "faults")
        return {r["action"]: r["fired"] for r in body["rules"] if r["fired"]}

    def recorded_snapshots(self, case: str) -> list:
        proc = self.cordon("case", "show", case, "--cases-dir", self.cases_dir, "--output", "json", endpoint=False)
        self.assertExit(proc, 0, "cordon case show --output json")
        return [e["location"] for e in json.loads(proc.stdout)["evidence"] if e["kind"] == "snapshot"]

    def test_contain_and_release_when_every_first_answer_is_lost(self):
        self.fresh()
        pre = self.state()
        case = "IR-AE1"
        self.range.set_faults(after_effect_faults())
        proc = self.contain(case)
        fired = self.fired()
        self.assertExit(proc, 0, f"contain failed with answers lost after effect (fired: {fired})")
        for action in ("DetachInstances", "DeregisterTargets", "CreateSecurityGroup",
                       "ModifyNetworkInterfaceAttribute", "CreateSnapshots", "PutRolePolicy"):
            self.assertIn(action, fired, "the fault did not fire: the test tests nothing for it")
        self.assertContained(case, pre)
        # the lost CreateSnapshots was looked for, not sent again (it takes no client token)
        self.assertEqual(self.range.stats()["operations"]["ec2"]["CreateSnapshots"]["requests"], 1)
        # every snapshot cordon took is recorded evidence, and only one per volume was taken
        recorded = self.recorded_snapshots(case)
        taken = [s["SnapshotId"] for s in case_snapshots(self.moto, case)]
        self.assertEqual(sorted(recorded), sorted(taken), "a snapshot of the case is not recorded")
        self.assertEqual(len(taken), len(pre["instances"][self.ids["suspect"]]["volumes"]))
        # the undo record is whole: the asg step recorded the members before the detach
        done = [r["payload"] for r in self.journal(case) if r["kind"] == "step.done" and r["step"] == "asg"]
        self.assertEqual(len(done), 1)
        self.assertIn(self.ids["suspect"], done[0]["result"]["members_before"])

        # preserve takes one more set, once, under the same faults (CreateSnapshots loses its answer)
        self.range.set_faults(after_effect_faults())
        proc = self.cordon("preserve", self.ids["suspect"], "--case", case, "--cases-dir", self.cases_dir,
                           "--responder", self.responder)
        self.assertExit(proc, 0, f"preserve failed with answers lost after effect (fired: {self.fired()})")
        self.assertIn("CreateSnapshots", self.fired())
        taken = [s["SnapshotId"] for s in case_snapshots(self.moto, case)]
        self.assertEqual(len(taken), 2 * len(pre["instances"][self.ids["suspect"]]["volumes"]), taken)
        self.assertEqual(sorted(self.recorded_snapshots(case)), sorted(taken), "a snapshot of the case is not recorded")

        self.range.set_faults(after_effect_faults())
        proc = self.release(case)
        fired = self.fired()
        self.assertExit(proc, 0, f"release failed with answers lost after effect (fired: {fired})")
        for action in ("AttachInstances", "TerminateInstanceInAutoScalingGroup", "DeleteRolePolicy",
                       "RegisterTargets"):
            self.assertIn(action, fired, "the fault did not fire: the test tests nothing for it")
        post = self.state()
        me, before = post["instances"][self.ids["suspect"]], pre["instances"][self.ids["suspect"]]
        for field in ("state", "enis", "instance_groups", "eips", "profile", "disable_api_termination",
                      "shutdown_behavior", "volumes"):
            self.assertEqual(me[field], before[field], f"{field} not restored")
        self.assertEqual(post["asg"]["members"][self.ids["suspect"]], pre["asg"]["members"][self.ids["suspect"]])
        self.assertEqual(post["asg"]["desired"], pre["asg"]["desired"])
        self.assertEqual(len(post["asg"]["members"]), len(pre["asg"]["members"]), post["asg"])
        self.assertIn(self.ids["suspect"], post["clb_instances"])
        self.assertIn(self.ids["suspect"], post["tg_targets"])
        self.assertEqual(post["role_policies"], pre["role_policies"])
        for sib in self.ids["siblings"]:
            self.assertEqual(post["instances"][sib], pre["instances"][sib], f"sibling {sib} changed")
        self.assertEqual(sorted(s["SnapshotId"] for s in case_snapshots(self.moto, case)), sorted(taken))
        self.assertCaseConsistent(case)


if __name__ == "__main__":
    unittest.main()
