"""`cordon contain` under injected faults: 10% transient failures converge (and the journal shows
the retries); a permanent AccessDenied on one step fails that step only, stops the later destructive
steps, names the missing permission, and a rerun after granting it completes.

Run from the repository root:  python3 -m unittest tests/integration/faults_test.py -v
"""

from __future__ import annotations

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import ResponseCase  # noqa: E402

# About 10% of cordon's calls fail: throttling, 500, 503 (AWS or HTML bodies), and dropped connections.
TRANSIENT = {"seed": 1234, "rules": [
    {"kind": "throttle", "probability": 0.03},
    {"kind": "http500", "probability": 0.025},
    {"kind": "http503", "probability": 0.025, "body": "mixed"},
    {"kind": "reset", "probability": 0.02},
]}

# The isolate-network step's permission, denied for good.
DENY_ENI = {"seed": 1, "rules": [
    {"kind": "http500", "service": "ec2", "action": "ModifyNetworkInterfaceAttribute", "status": 403,
     "code": "UnauthorizedOperation", "message": "You are not authorized to perform this operation.", "body": "aws"},
]}
# steps after isolate-network that change something (disassociate-eip, credentials)
LATER_DESTRUCTIVE = {
    "ec2": ("DisassociateAddress", "DisassociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation"),
    "iam": ("PutRolePolicy",),
}
RETRIES = re.compile(r"retr|attempt|RequestLimitExceeded|Throttl|InternalError|Unavailable", re.I)


class FaultTests(ResponseCase):

    def test_ten_percent_transient_faults_converge_and_retries_are_journaled(self):
        self.fresh()
        pre = self.state()
        self.range.set_faults(TRANSIENT)
        proc = self.contain("IR-F1", "--max-attempts", "10")
        stats = self.range.stats()
        self.range.set_faults(None)
        self.assertGreater(stats["served"].get("fault", 0), 0, f"no fault fired: {stats}")
        self.assertLess(stats["served"]["fault"] / stats["requests"], 0.3, stats)
        self.assertExit(proc, 0, f"did not converge under faults ({stats['served']})")
        self.assertContained("IR-F1", pre)
        self.assertCaseConsistent("IR-F1")
        calls = [r["payload"] for r in self.journal("IR-F1") if r.get("kind") == "aws.call"]
        retried = [c for c in calls if (c.get("attempts") or 1) > 1 or c.get("retried")]
        self.assertTrue(retried, "the journal does not show the retries")
        self.assertRegex(json.dumps(retried), RETRIES)

    def test_permanent_access_denied_stops_later_destructive_steps(self):
        self.fresh()
        pre = self.state()
        self.range.set_faults(DENY_ENI)
        proc = self.contain("IR-F2")
        stats = self.range.stats()
        self.assertExit(proc, (5,), "a denied step must fail the run with the access-denied exit code")
        out = proc.stdout + proc.stderr
        self.assertIn("ec2:ModifyNetworkInterfaceAttribute", out, "the message does not name the permission")
        denied = stats["operations"]["ec2"]["ModifyNetworkInterfaceAttribute"]
        self.assertGreaterEqual(denied["requests"], 1)
        self.assertLessEqual(denied["requests"], 2, "a permanent AccessDenied was retried")
        for svc, ops in LATER_DESTRUCTIVE.items():
            for op in ops:
                self.assertEqual(stats["operations"].get(svc, {}).get(op, {}).get("requests", 0), 0,
                                 f"{svc}:{op} attempted after isolate-network failed")
        now = self.state()
        me, before = now["instances"][self.ids["suspect"]], pre["instances"][self.ids["suspect"]]
        self.assertEqual(me["eips"], before["eips"])
        self.assertEqual(me["profile"], before["profile"])
        self.assertEqual(now["role_policies"], pre["role_policies"])
        self.assertEqual(me["state"], "running")
        self.assertCaseConsistent("IR-F2")
        failed = [r for r in self.journal("IR-F2") if r.get("step") == "isolate-network"
                  and re.search(r"fail|denied", r.get("kind", "") + json.dumps(r.get("payload")), re.I)
                  and not r.get("kind", "").startswith("aws.")]
        self.assertTrue(failed, "isolate-network is not marked failed in the journal")
        # grant it, rerun: completes
        self.range.set_faults(None)
        rerun = self.contain("IR-F2")
        self.assertExit(rerun, 0, "rerun after granting the permission")
        self.assertContained("IR-F2", pre)
        self.assertCaseConsistent("IR-F2")


if __name__ == "__main__":
    unittest.main()
