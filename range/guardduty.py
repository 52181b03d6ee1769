"""GuardDuty GetFindings, which moto 5.2.1 lacks, served from the scenario's `guardduty_findings`.

moto keeps GuardDuty detectors (CreateDetector, ListDetectors, GetDetector) but has no findings. The
range answers `GetFindings` (REST-JSON, `POST /detector/{detectorId}/findings/get`, body
`{"findingIds": [...], "sortCriteria"?}`, answer `{"findings": [...]}`; GuardDuty API Reference,
https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFindings.html) with the scenario's
findings whose `service.detectorId` is the detector asked for, in the API's camelCase as the test
seeded them (checked by `Scenario`, range/scenario.py). As in GuardDuty:

- the detector must exist: the range asks moto (`GetDetector`, the caller's credentials) and relays
  moto's refusal of an unknown one, which has GuardDuty's shape (400, `x-amzn-ErrorType:
  BadRequestException`, "The request is rejected because the input detectorId is not owned by the
  current account.");
- an id the detector has no finding for is left out of `findings` (the answer may hold 0 items; the
  reference lists no error for it), so a caller asking for one unknown id gets `{"findings": []}`;
- `findingIds` is required, 0 to 50 strings of 1 to 300 characters; anything else is refused with
  400 `BadRequestException` (`__type` InvalidInputException) as GuardDuty refuses an invalid value.

Not implemented: `sortCriteria` (findings come back in the order asked), the other finding APIs
(ListFindings, ArchiveFindings, ...).
"""

from __future__ import annotations

import http.client
import re

FINDINGS_PATH = re.compile(r"^/detector/([^/?]+)/findings/get/?(?:\?.*)?$")
INVALID_INPUT = "The request is rejected because an invalid or out-of-range value is specified as an input parameter."
MAX_IDS = 50  # FindingIds: "Array Members: Minimum number of 0 items. Maximum number of 50 items."


class GuardDutyError(Exception):
    """An error answer in GuardDuty's REST-JSON shape."""

    def __init__(self, status: int, error_type: str, code: str, message: str):
        super().__init__(f"{error_type}: {message}")
        self.status, self.error_type, self.code, self.message = status, error_type, code, message


def operation(method: str, path: str) -> str | None:
    """The GuardDuty operation of a request, for the stats, as far as the range tells them apart:
    GetFindings, which it serves, and the detector calls moto serves."""
    if findings_detector(method, path):
        return "GetFindings"
    bare = path.split("?", 1)[0].rstrip("/")
    if bare == "/detector":
        return {"GET": "ListDetectors", "POST": "CreateDetector"}.get(method)
    if re.fullmatch(r"/detector/[^/]+", bare):
        return {"GET": "GetDetector", "POST": "UpdateDetector", "DELETE": "DeleteDetector"}.get(method)
    return None


def findings_detector(method: str, path: str) -> str | None:
    """The detector id of a GetFindings request, or None for any other request."""
    if method != "POST":
        return None
    m = FINDINGS_PATH.match(path)
    return m.group(1) if m else None


def get_findings(findings: list, detector_id: str, params) -> dict:
    """GetFindings' answer for `detector_id` (known to exist) and the request body `params`."""
    ids = params.get("findingIds") if isinstance(params, dict) else None
    if (not isinstance(ids, list) or len(ids) > MAX_IDS
            or not all(isinstance(i, str) and 1 <= len(i) <= 300 for i in ids)):
        raise GuardDutyError(400, "BadRequestException", "InvalidInputException", INVALID_INPUT)
    have = {f["id"]: f for f in findings if f["service"]["detectorId"] == detector_id}
    return {"findings": [have[i] for i in ids if i in have]}


def moto_detector_check(upstream: tuple, headers, detector_id: str):
    """None when moto has the detector, else moto's refusal as (status, [(header, value)], body).
    moto routes by the credential scope of the caller's Authorization header (guardduty already)."""
    conn = http.client.HTTPConnection(*upstream, timeout=60)
    try:
        fwd = {k: v for k, v in headers.items() if k.lower() in ("authorization", "x-amz-date", "x-amz-security-token")}
        conn.request("GET", f"/detector/{detector_id}", headers=fwd)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status == 200:
            return None
        keep = [(k, v) for k, v in resp.getheaders() if k.lower() in ("content-type", "x-amzn-errortype", "x-amzn-requestid")]
        return resp.status, keep, body
    finally:
        conn.close()
