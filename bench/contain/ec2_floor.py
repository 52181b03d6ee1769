"""The least time Amazon EC2's request token buckets allow for a set of EC2 calls: the floor under
which no client can contain a fleet on real AWS, however it schedules its calls.

From "Request throttling for the Amazon EC2 API"
(https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html, "Request token bucket sizes
and refill rates"): EC2 throttles per account, region and API action, each action with a bucket of
its category's size that refills at its category's rate; a few actions have numbers of their own.
A bucket that starts full serves `capacity` calls at once and then `rate` a second, so `n` calls of
one action need at least max(0, (n - capacity) / rate) seconds, and a run needs at least the largest
of those over its actions. The actions share nothing, so that maximum is the floor.

This is a lower bound on purpose: the seven "unfiltered and unpaginated" Describe actions are counted
in the larger non-mutating bucket (the proxy's counts do not say which calls had a filter), and only
EC2 is counted (AWS publishes no bucket numbers for Auto Scaling, IAM or Elastic Load Balancing's
mutating calls). cordon paces itself by the same table (src/aws/retry/ec2_buckets.cc)."""

from __future__ import annotations

NON_MUTATING = (100, 20)  # (capacity, refill a second)
MUTATING = (50, 5)

# The page's "Uncategorized actions" that the bench's two sides call, with their own numbers.
UNCATEGORIZED = {
    "CreateTags": (100, 10),
    "CreateSnapshots": (100, 5),
    "CreateSnapshot": (100, 5),
    "ModifyNetworkInterfaceAttribute": (100, 5),
    "DisassociateIamInstanceProfile": (100, 5),
    "AssociateIamInstanceProfile": (100, 5),
}


def bucket(action: str) -> tuple[int, float]:
    if action in UNCATEGORIZED:
        return UNCATEGORIZED[action]
    if action.startswith(("Describe", "List", "Search", "Get")):
        return NON_MUTATING
    return MUTATING  # resource-intensive actions have the same numbers


def floor(operations: dict) -> tuple[float, str]:
    """(seconds, the action that sets them) for {"service:Operation": calls}; (0, "") without EC2 calls."""
    worst = (0.0, "")
    for name, calls in operations.items():
        service, _, action = name.partition(":")
        if service != "ec2":
            continue
        capacity, rate = bucket(action)
        seconds = max(0.0, (calls - capacity) / rate)
        if seconds > worst[0]:
            worst = (seconds, action)
    return worst
