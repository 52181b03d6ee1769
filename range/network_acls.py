"""Network ACLs as AWS answers for them, where moto 5.2.1 does not (contain --nacl, issue 13).

AWS behaviour stood for:
- VPC User Guide, "Control subnet traffic with network access control lists" / "Custom network ACLs
  for your VPC": every network ACL includes a rule whose rule number is an asterisk, in each
  direction, that denies what no numbered rule matched; it cannot be removed, and a custom network
  ACL has only those until rules are added. DescribeNetworkAcls and CreateNetworkAcl show it as
  rule number 32767, action deny, 0.0.0.0/0, protocol -1 (and ::/0 when the VPC has IPv6; the
  range's VPCs have none). moto adds these rules to a VPC's default network ACL only: a custom one
  shows an empty entrySet. The range adds the missing "*" rules to every ACL it relays.
- EC2 API Reference, ReplaceNetworkAclAssociation (AssociationId: "the ID of the current association
  between the original network ACL and the subnet"; answers newAssociationId) and the EC2 error codes
  InvalidAssociationID.NotFound / InvalidNetworkAclID.NotFound. moto answers an unknown association
  id with an HTML 500 (StopIteration), and an unknown network ACL id only after it has removed the
  subnet's association, leaving the subnet on no network ACL at all, which AWS never does (a subnet
  is always associated with exactly one). The range checks both ids first and answers the error
  codes, changing nothing; a call with both known goes on to moto.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

STAR_RULE = 32767


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node, name: str):
    return next((c for c in node if _local(c.tag) == name), None)


def _acl_items(root):
    """Every networkAcl element of a CreateNetworkAcl or DescribeNetworkAcls answer."""
    for node in root.iter():
        if _local(node.tag) == "networkAcl":
            yield node
        elif _local(node.tag) == "networkAclSet":
            yield from list(node)


def add_star_rules(body: bytes, dump) -> bytes:
    """The answer with each network ACL's missing "*" deny rules (ruleNumber 32767) in entrySet."""
    if b"entrySet" not in body:
        return body
    root = ET.fromstring(body)
    changed = False
    for acl in _acl_items(root):
        ns = acl.tag[:acl.tag.index("}") + 1] if acl.tag.startswith("{") else ""
        entries = _child(acl, "entrySet")
        if entries is None:
            entries = ET.SubElement(acl, ns + "entrySet")
        have = {(_child(e, "egress").text, _child(e, "ruleNumber").text) for e in entries
                if _child(e, "egress") is not None and _child(e, "ruleNumber") is not None}
        for egress in ("true", "false"):
            if (egress, str(STAR_RULE)) in have:
                continue
            item = ET.SubElement(entries, ns + "item")
            for tag, text in (("cidrBlock", "0.0.0.0/0"), ("egress", egress), ("protocol", "-1"),
                              ("ruleAction", "deny"), ("ruleNumber", str(STAR_RULE))):
                ET.SubElement(item, ns + tag).text = text
            changed = True
    return dump(root) if changed else body


def check_replace(params: dict, describe) -> tuple[int, str, str] | None:
    """None when ReplaceNetworkAclAssociation may go on to moto, else (status, code, message).
    `describe(params)` is DescribeNetworkAcls at moto as the caller: (status, body)."""
    association, acl = params.get("AssociationId", ""), params.get("NetworkAclId", "")
    status, body = describe({"Filter.1.Name": "association.association-id", "Filter.1.Value.1": association})
    if status != 200:
        return None  # moto's own refusal (credentials, ...) is relayed by forwarding the call
    if b"<networkAclId>" not in body:
        return (400, "InvalidAssociationID.NotFound", f"The association ID '{association}' does not exist")
    # by id: moto has no network-acl-id filter, and refuses an unknown id (as
    # InvalidRouteTableID.NotFound)
    status, body = describe({"NetworkAclId.1": acl})
    if status != 200 and b"NotFound" in body:
        return (400, "InvalidNetworkAclID.NotFound", f"The networkAcl ID '{acl}' does not exist")
    return None
