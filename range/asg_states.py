"""Auto Scaling's refusals of instance moves that do not fit an instance's state (moto 5.2.1 accepts them).

Auto Scaling acts on an instance only from the states the move starts from ("Detach or attach instances
from your Auto Scaling group": "You can detach an instance only when it's either in an InService or
StandBy state", and an instance to attach must not be "a member of another Auto Scaling group";
"Temporarily remove instances from your Auto Scaling group": "You can put an instance that is in the
InService state into the Standby state"). Otherwise the call fails with ValidationError, which is what a
client's retry meets when the first attempt took effect and its answer was lost. moto instead detaches a
non-member silently, attaches a member a second time (the group lists it twice, one larger), adds one to
the desired capacity for every ExitStandby even of an instance in service, and answers 500 for
TerminateInstanceInAutoScalingGroup of an instance in no group. The range refuses these as Auto Scaling
does, after reading the instance's membership from moto (a bookkeeping DescribeAutoScalingInstances).
The messages are those real Auto Scaling sends for DetachInstances ("The instance i-... is not part of
Auto Scaling group ...") and, for the others, the same form.
"""

from __future__ import annotations

import re
from typing import Callable

ACTIONS = ("DetachInstances", "EnterStandby", "ExitStandby", "AttachInstances",
           "TerminateInstanceInAutoScalingGroup")
# post(params) -> (status, body): an Auto Scaling query call straight to moto (proxy.py signs it).
Post = Callable[[dict], tuple]


def _ids(params: dict) -> list[str]:
    if params.get("InstanceId"):
        return [params["InstanceId"]]
    keys = sorted((k for k in params if re.fullmatch(r"InstanceIds\.member\.\d+", k)),
                  key=lambda k: int(k.rsplit(".", 1)[1]))
    return [params[k] for k in keys]


def _membership(post: Post, instance_id: str) -> tuple[str | None, str | None] | None:
    """(group, lifecycle state) of the instance in moto, (None, None) in no group, None if unreadable."""
    status, body = post({"Action": "DescribeAutoScalingInstances", "Version": "2011-01-01",
                         "InstanceIds.member.1": instance_id})
    if status != 200:
        return None
    group = re.search(rb"<AutoScalingGroupName>([^<]*)</AutoScalingGroupName>", body)
    state = re.search(rb"<LifecycleState>([^<]*)</LifecycleState>", body)
    if group is None:
        return None, None
    return group.group(1).decode(), state.group(1).decode() if state else None


def refuse(post: Post, action: str, params: dict) -> tuple[int, str, str] | None:
    """(status, code, message) when Auto Scaling would refuse this move, else None (forward it)."""
    asked = params.get("AutoScalingGroupName", "")
    for iid in _ids(params):
        member = _membership(post, iid)
        if member is None:
            continue
        group, state = member
        if action == "DetachInstances" and (group != asked or state not in ("InService", "Standby")):
            return 400, "ValidationError", f"The instance {iid} is not part of Auto Scaling group {asked}."
        if action == "EnterStandby" and (group != asked or state != "InService"):
            return 400, "ValidationError", f"The instance {iid} is not in InService."
        if action == "ExitStandby" and (group != asked or state != "Standby"):
            return 400, "ValidationError", f"The instance {iid} is not in Standby."
        if action == "AttachInstances" and group is not None:
            return 400, "ValidationError", f"The instance {iid} is already part of Auto Scaling group {group}."
        if action == "TerminateInstanceInAutoScalingGroup" and group is None:
            return 400, "ValidationError", f"Instance Id not found - No managed instance found for instance ID: {iid}"
    return None
