"""Amazon Inspector ListFindings, which moto 5.2.1 lacks, served from the scenario's `inspector_findings`.

moto keeps Inspector's account status (Enable, BatchGetAccountStatus) but answers ListFindings from a
queue of canned pages, whatever the filter asks. The range answers `ListFindings` (REST-JSON,
`POST /findings/list`, body `{"filterCriteria"?, "maxResults"?, "nextToken"?, "sortCriteria"?}`,
answer `{"findings": [...], "nextToken"?}`; Inspector API Reference,
https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html) with the scenario's
findings, each in the API's camelCase and holding every member botocore's `Finding` shape requires
(checked when the scenario is loaded, against the machine's botocore model). As in Inspector:

- `filterCriteria` string filters (`[{"comparison": "EQUALS" | "NOT_EQUALS" | "PREFIX", "value"}]`; a
  finding matches a key when it matches any EQUALS/PREFIX entry, if there is one, and no NOT_EQUALS
  entry) for `findingArn`, `awsAccountId`, `findingType`, `severity`, `findingStatus`, `title`,
  `resourceType`, `resourceId` and `vulnerabilityId`; the keys are ANDed;
- only the findings of the caller's region (each finding's `resources[].region`, when it has one);
- `maxResults` 1 to 100 (default 100), `nextToken` pages the results.

Any other filter key is refused with 400 `ValidationException` naming it ("not implemented by the
range"), so a test never reads a silently unfiltered answer. `sortCriteria` is ignored (findings come
back in scenario order).
"""

from __future__ import annotations

import functools

LIST_PATH = "/findings/list"
STRING_FILTERS = {
    "findingArn": lambda f: [f.get("findingArn")],
    "awsAccountId": lambda f: [f.get("awsAccountId")],
    "findingType": lambda f: [f.get("type")],
    "severity": lambda f: [f.get("severity")],
    "findingStatus": lambda f: [f.get("status")],
    "title": lambda f: [f.get("title")],
    "resourceType": lambda f: [r.get("type") for r in f.get("resources") or []],
    "resourceId": lambda f: [r.get("id") for r in f.get("resources") or []],
    "vulnerabilityId": lambda f: [(f.get("packageVulnerabilityDetails") or {}).get("vulnerabilityId")],
}


class InspectorError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message


def operation(method: str, path: str) -> str | None:
    """ListFindings for its request, None for the Inspector calls moto serves."""
    if method == "POST" and path.split("?", 1)[0].rstrip("/") == LIST_PATH:
        return "ListFindings"
    return None


@functools.lru_cache(maxsize=1)
def required_finding_members() -> tuple:
    """The members botocore's inspector2 `Finding` shape requires."""
    import botocore.session
    model = botocore.session.get_session().get_service_model("inspector2")
    return tuple(model.shape_for("Finding").required_members)


def check_findings(findings, error) -> list:
    """`inspector_findings`: findings as ListFindings returns them; `error` builds the scenario error."""
    if findings is None:
        return []
    if not isinstance(findings, list):
        raise error("inspector_findings must be a list of findings")
    for n, f in enumerate(findings):
        missing = [m for m in required_finding_members() if not isinstance(f, dict) or m not in f]
        if missing:
            raise error(f"inspector_findings #{n} lacks required members {missing} (botocore inspector2 Finding)")
    return findings


def _matches(values: list, entries: list) -> bool:
    positive = [e for e in entries if e.get("comparison") in ("EQUALS", "PREFIX")]
    for e in entries:
        if e.get("comparison") not in ("EQUALS", "PREFIX", "NOT_EQUALS") or not isinstance(e.get("value"), str):
            raise InspectorError(400, "ValidationException", f"invalid string filter {e!r}")

    def hit(e):
        v = e["value"]
        return any(isinstance(x, str) and (x == v if e["comparison"] != "PREFIX" else x.startswith(v)) for x in values)

    if any(hit(e) for e in entries if e["comparison"] == "NOT_EQUALS"):
        return False
    return not positive or any(hit(e) for e in positive)


def list_findings(findings: list, region: str | None, params) -> dict:
    params = params if isinstance(params, dict) else {}
    criteria = params.get("filterCriteria") or {}
    unknown = sorted(set(criteria) - set(STRING_FILTERS))
    if unknown:
        raise InspectorError(400, "ValidationException", f"filterCriteria {unknown} not implemented by the range")
    size = params.get("maxResults", 100)
    if not isinstance(size, int) or not 1 <= size <= 100:
        raise InspectorError(400, "ValidationException", "maxResults must be between 1 and 100")
    picked = []
    for f in findings:
        regions = {r.get("region") for r in f.get("resources") or [] if r.get("region")}
        if region and regions and region not in regions:
            continue
        if all(_matches(STRING_FILTERS[k](f), v or []) for k, v in criteria.items()):
            picked.append(f)
    token = params.get("nextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise InspectorError(400, "ValidationException", "invalid nextToken") from None
    page = {"findings": picked[start:start + size]}
    if start + size < len(picked):
        page["nextToken"] = str(start + size)
    return page
