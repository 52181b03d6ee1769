#include "evidence/journal_format.h"

#include "base/hash.h"
#include "base/strings.h"

namespace cordon::evidence {
namespace {

constexpr size_t kMaxKind = 64;
constexpr size_t kMaxName = 256;

bool IsKindChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Status CheckName(std::string_view field, std::string_view value) {
  if (value.size() > kMaxName) {
    return MakeError(ErrorKind::kInvalidArgument, "journal " + std::string(field) + " is longer than " +
                                                      std::to_string(kMaxName) + " bytes");
  }
  if (HasControlChar(value)) {
    return MakeError(ErrorKind::kInvalidArgument, "journal " + std::string(field) + " '" +
                                                      std::string(value) + "' contains a control character");
  }
  return Ok();
}

}  // namespace

Json JournalRecord::PayloadJson() const { return Json::parse(payload, nullptr, /*allow_exceptions=*/false); }

std::string CanonicalRecord(const JournalRecord& record) {
  std::string out;
  out.reserve(kRecordSignature.size() + record.time.size() + record.kind.size() + record.target.size() +
              record.step.size() + record.payload.size() + record.prev_hash.size() + 32);
  const std::string seq = std::to_string(record.seq);  // outlives the loop below
  for (std::string_view field :
       {kRecordSignature, std::string_view(seq), std::string_view(record.time), std::string_view(record.kind),
        std::string_view(record.target), std::string_view(record.step), std::string_view(record.payload),
        std::string_view(record.prev_hash)}) {
    out += field;
    out += '\n';
  }
  return out;
}

std::string RecordHash(const JournalRecord& record) { return Sha256Hex(CanonicalRecord(record)); }

std::string CompactJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status ValidateRecordFields(std::string_view kind, std::string_view target, std::string_view step) {
  if (kind.empty() || kind.size() > kMaxKind) {
    return MakeError(ErrorKind::kInvalidArgument, "journal kind must be 1 to 64 characters");
  }
  for (char c : kind) {
    if (!IsKindChar(c)) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "journal kind '" + std::string(kind) +
                           "' may hold only lowercase letters, digits, '.', '_' and '-'");
    }
  }
  if (auto s = CheckName("target", target); !s) return s;
  return CheckName("step", step);
}

}  // namespace cordon::evidence
