"""`cordon release` restores exactly the recorded pre-state, compared field by field with boto3.

Run from the repository root:  python3 -m unittest tests/integration/release_test.py -v
"""

from __future__ import annotations

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase, case_snapshots, client  # noqa: E402

CASE_TAG_KEYS = ("incident-response", "cordon:case")


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


if __name__ == "__main__":
    unittest.main()
