#include "response/bucket/bucket_ref.h"

#include <cctype>

namespace cordon::response {

std::string BucketRef::Uri() const { return "s3://" + bucket + (prefix.empty() ? "" : "/" + prefix); }

std::string BucketRef::CaseKeyPrefix(std::string_view case_id) const {
  return (prefix.empty() ? "" : prefix + "/") + std::string(case_id) + "/";
}

bool IsBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

bool IsPlainKey(std::string_view k) {
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-'))
      return false;
  return k.find("//") == std::string_view::npos && k.find("..") == std::string_view::npos;
}

Result<BucketRef> ParseBucketUri(std::string_view text, std::string_view flag) {
  const std::string name(flag);
  if (!text.starts_with("s3://"))
    return MakeError(ErrorKind::kInvalidArgument,
                     name + " takes s3://BUCKET[/PREFIX], not '" + std::string(text) + "'");
  std::string rest(text.substr(5));
  const size_t slash = rest.find('/');
  BucketRef ref;
  ref.bucket = rest.substr(0, slash);
  ref.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!ref.prefix.empty() && ref.prefix.back() == '/') ref.prefix.pop_back();
  if (!IsBucketName(ref.bucket))
    return MakeError(ErrorKind::kInvalidArgument, name + ": '" + ref.bucket + "' is not an S3 bucket name");
  if (!IsPlainKey(ref.prefix) || ref.prefix.starts_with("/"))
    return MakeError(ErrorKind::kInvalidArgument,
                     name + ": the prefix may hold only letters, digits, '/', '.', '_' and '-'");
  return ref;
}

}  // namespace cordon::response
