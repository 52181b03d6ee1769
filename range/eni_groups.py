"""The security groups of an instance and of its network interfaces, as EC2 has them (moto 5.2.1 differs).

On EC2 security groups belong to network interfaces; an instance's groups are its primary interface's.
ModifyInstanceAttribute(Groups) changes the primary interface's groups, and EC2 refuses it for an
instance with more than one network interface: InvalidInstanceID "There are multiple interfaces attached
to instance 'i-...'. Please specify an interface ID for the operation instead." (the EC2 API's answer as
reported in hashicorp/terraform#3205, nixops-aws#55, and fixed for in terraform PR #14299 by calling
ModifyNetworkInterfaceAttribute on the primary interface instead).

moto 5.2.1 accepts that call for any instance, and keeps the instance's groups as a second list that it
adds to every attached interface's own (moto/ec2/models/elastic_network_interfaces.py,
NetworkInterface.group_set), so after ModifyNetworkInterfaceAttribute(Groups) on the primary interface
the interface still shows the groups the instance launched with. The range:

- refuses ModifyInstanceAttribute(Groups) for an instance with more than one attached interface, with
  EC2's error;
- after a ModifyNetworkInterfaceAttribute(Groups) on an instance's primary interface (device index 0)
  that moto accepted, sets moto's instance groups to the same list (a bookkeeping call straight to
  moto), so that moto reports the interface with exactly its own groups, as EC2 does.
"""

from __future__ import annotations

import re
from typing import Callable

# post(params) -> (status, body): an EC2 query call straight to moto, as the range's own bookkeeping
# (proxy.py signs it with the caller's scope and the bookkeeping header, which moto_auth lets through).
Post = Callable[[dict], tuple]
MULTIPLE = ("There are multiple interfaces attached to instance '%s'. "
            "Please specify an interface ID for the operation instead.")


def _groups(params: dict, prefix: str) -> list[str]:
    keys = sorted((k for k in params if re.fullmatch(re.escape(prefix) + r"\.\d+", k)),
                  key=lambda k: int(k.rsplit(".", 1)[1]))
    return [params[k] for k in keys]


def _text(xml: bytes, tag: str) -> str | None:
    m = re.search(rb"<%s>([^<]*)</%s>" % (tag.encode(), tag.encode()), xml)
    return m.group(1).decode() if m else None


def refuse_instance_groups(post: Post, params: dict) -> tuple[int, str, str] | None:
    """EC2's refusal of ModifyInstanceAttribute(Groups) on an instance with several interfaces, or None."""
    if not _groups(params, "GroupId"):
        return None
    instance = params.get("InstanceId", "")
    status, body = post({"Action": "DescribeNetworkInterfaces",
                                             "Filter.1.Name": "attachment.instance-id",
                                             "Filter.1.Value.1": instance})
    if status != 200:
        return None  # moto's own answer to the call (an unknown instance) stands
    if body.count(b"<networkInterfaceId>") > 1:
        return (400, "InvalidInstanceID", MULTIPLE % instance)
    return None


def follow_primary_interface(post: Post, params: dict) -> None:
    """After moto accepted ModifyNetworkInterfaceAttribute(Groups): the instance's groups follow its
    primary interface's."""
    groups = _groups(params, "SecurityGroupId")
    if not groups:
        return
    status, body = post({"Action": "DescribeNetworkInterfaces",
                                             "NetworkInterfaceId.1": params.get("NetworkInterfaceId", "")})
    instance = _text(body, "instanceId") if status == 200 else None
    if not instance or _text(body, "deviceIndex") != "0":
        return
    post({"Action": "ModifyInstanceAttribute", "InstanceId": instance,
                              **{f"GroupId.{i}": g for i, g in enumerate(groups, 1)}})
