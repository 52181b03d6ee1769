#include "base/error.h"

namespace cordon {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid argument";
    case ErrorKind::kNotFound:
      return "not found";
    case ErrorKind::kAccessDenied:
      return "access denied";
    case ErrorKind::kThrottled:
      return "throttled";
    case ErrorKind::kTransient:
      return "transient";
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kService:
      return "service error";
    case ErrorKind::kParse:
      return "parse error";
    case ErrorKind::kIo:
      return "i/o error";
    case ErrorKind::kAmbiguous:
      return "ambiguous";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kCancelled:
      return "cancelled";
    case ErrorKind::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string Error::ToString() const {
  if (code.empty() && http_status == 0) return message;
  std::string out = code.empty() ? std::string(ErrorKindName(kind)) : code;
  if (http_status != 0 || !request_id.empty()) {  // a code of cordon's own has neither
    out += " (";
    if (http_status != 0) out += "HTTP " + std::to_string(http_status);
    if (!request_id.empty()) out += (http_status != 0 ? ", request " : "request ") + request_id;
    out += ")";
  }
  if (!message.empty()) out += ": " + message;
  return out;
}

}  // namespace cordon
