// CompileItem: applies a detection item's modifiers, in the order written, to its values.
#include <fmt/format.h>
#include <re2/re2.h>

#include <charconv>

#include "base/strings.h"
#include "hunt/sigma/detection_item.h"
#include "hunt/sigma/encodings.h"

namespace cordon::hunt::sigma {
namespace {

// What the item's values become once every transformation ran.
enum class Type { kString, kRegex, kCidr, kCompare, kExists, kFieldRef };

struct Working {
  std::vector<std::string> values;  // Sigma strings (wildcards and escapes), for kString
  std::vector<RawValue::Type> types;
  Type type = Type::kString;
  ValueMatcher::Compare compare = ValueMatcher::Compare::kLt;
  ValueMatcher::RefMode ref_mode = ValueMatcher::RefMode::kEquals;
  std::string regex_flags;
  bool cased = false;
  bool encoded = false;  // an encoding ran: the values are plain bytes (escaped as Sigma strings)
};

std::string EscapeSigma(std::string_view plain) {
  std::string out;
  for (char c : plain) {
    if (c == '*' || c == '?' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The plain text of a Sigma string; false when it holds a wildcard (an encoding of `*` means nothing).
bool UnescapeSigma(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      *out += s[++i];
    } else if (s[i] == '*' || s[i] == '?') {
      return false;
    } else {
      *out += s[i];
    }
  }
  return true;
}

Status InvalidModifier(std::string message) {
  return MakeError(ErrorKind::kInvalidArgument, std::move(message));
}

bool EndsWithWildcard(std::string_view s) {
  if (s.empty() || s.back() != '*') return false;
  size_t slashes = 0;  // an odd number of backslashes before it escapes it
  for (size_t i = s.size() - 1; i > 0 && s[i - 1] == '\\'; --i) ++slashes;
  return slashes % 2 == 0;
}

void AddWildcards(Working* w, bool front, bool back) {
  for (std::string& v : w->values) {
    if (front && (v.empty() || v.front() != '*')) v = "*" + v;
    if (back && !EndsWithWildcard(v)) v += "*";
  }
}

// Replaces every value by what `encode` makes of its plain text.
template <class Encoder>
Status Encode(Working* w, std::string_view modifier, Encoder encode) {
  std::vector<std::string> out;
  for (const std::string& v : w->values) {
    std::string plain;
    if (!UnescapeSigma(v, &plain))
      return InvalidModifier("modifier '" + std::string(modifier) + "' on a value with wildcards");
    std::vector<std::string> encoded;
    if (Status s = encode(plain, &encoded); !s) return s;
    for (const std::string& e : encoded) out.push_back(EscapeSigma(e));
  }
  w->values = std::move(out);
  w->types.assign(w->values.size(), RawValue::Type::kString);
  w->encoded = true;
  return Ok();
}

Status Utf16(Working* w, std::string_view modifier, bool big_endian, bool bom) {
  return Encode(w, modifier, [&](const std::string& plain, std::vector<std::string>* out) -> Status {
    std::optional<std::string> e = EncodeUtf16(plain, big_endian, bom);
    if (!e) return InvalidModifier("modifier '" + std::string(modifier) + "' on a value that is not UTF-8");
    out->push_back(*e);
    return Ok();
  });
}

Status ApplyModifier(std::string_view m, Working* w, DetectionItem* item) {
  using Compare = ValueMatcher::Compare;
  using RefMode = ValueMatcher::RefMode;
  const bool ref = w->type == Type::kFieldRef;
  if (m == "contains") {
    if (ref)
      w->ref_mode = RefMode::kContains;
    else
      AddWildcards(w, true, true);
  } else if (m == "startswith") {
    if (ref)
      w->ref_mode = RefMode::kStartsWith;
    else
      AddWildcards(w, false, true);
  } else if (m == "endswith") {
    if (ref)
      w->ref_mode = RefMode::kEndsWith;
    else
      AddWildcards(w, true, false);
  } else if (m == "all") {
    item->all = true;
  } else if (m == "cased") {
    w->cased = true;
  } else if (m == "neq") {
    item->negate = true;
  } else if (m == "base64") {
    return Encode(w, m, [](const std::string& p, std::vector<std::string>* out) {
      out->push_back(EncodeBase64(p));
      return Ok();
    });
  } else if (m == "base64offset") {
    return Encode(w, m, [](const std::string& p, std::vector<std::string>* out) {
      for (std::string& e : EncodeBase64Offsets(p)) out->push_back(std::move(e));
      return Ok();
    });
  } else if (m == "utf16le" || m == "wide") {
    return Utf16(w, m, false, false);
  } else if (m == "utf16be") {
    return Utf16(w, m, true, false);
  } else if (m == "utf16") {
    return Utf16(w, m, false, true);
  } else if (m == "windash") {
    return Encode(w, m, [](const std::string& p, std::vector<std::string>* out) -> Status {
      auto variants = WindashVariants(p, 4096);
      if (!variants) return InvalidModifier("modifier 'windash' makes over 4096 variants of '" + p + "'");
      *out = std::move(*variants);
      return Ok();
    });
  } else if (m == "re") {
    w->type = Type::kRegex;
  } else if (m == "i" || m == "m" || m == "s") {
    if (w->type != Type::kRegex)
      return InvalidModifier("modifier '" + std::string(m) + "' without 're' before it");
    w->regex_flags += m;
  } else if (m == "cidr") {
    w->type = Type::kCidr;
  } else if (m == "exists") {
    w->type = Type::kExists;
  } else if (m == "fieldref") {
    w->type = Type::kFieldRef;
  } else if (m == "lt" || m == "lte" || m == "gt" || m == "gte") {
    w->type = Type::kCompare;
    w->compare = m == "lt"    ? Compare::kLt
                 : m == "lte" ? Compare::kLte
                 : m == "gt"  ? Compare::kGt
                              : Compare::kGte;
  } else if (m == "expand") {
    return InvalidModifier("modifier 'expand': its placeholders need values cordon has no source for");
  } else {
    return InvalidModifier("unknown modifier '" + std::string(m) + "'");
  }
  return Ok();
}

Result<ValueMatcher> Finish(const Working& w, size_t i) {
  ValueMatcher v;
  const std::string& text = w.values[i];
  switch (w.type) {
    case Type::kString:
      if (w.types[i] == RawValue::Type::kNull && !w.encoded) {
        v.kind = ValueMatcher::Kind::kNull;
      } else {
        v.kind = ValueMatcher::Kind::kPattern;
        v.pattern = Pattern::Parse(text, w.cased);
      }
      return v;
    case Type::kRegex: {
      v.kind = ValueMatcher::Kind::kRegex;
      const std::string flags = w.regex_flags.empty() ? "" : "(?" + w.regex_flags + ")";
      auto regex = std::make_shared<re2::RE2>(flags + text, re2::RE2::Quiet);
      if (!regex->ok())
        return MakeError(ErrorKind::kInvalidArgument, "regular expression '" + text + "': " + regex->error());
      v.regex = std::move(regex);
      return v;
    }
    case Type::kCidr: {
      std::optional<Cidr> cidr = Cidr::Parse(text);
      if (!cidr) return MakeError(ErrorKind::kInvalidArgument, "'" + text + "' is not a CIDR network");
      v.kind = ValueMatcher::Kind::kCidr;
      v.cidr = *cidr;
      return v;
    }
    case Type::kCompare: {
      v.kind = ValueMatcher::Kind::kCompare;
      v.compare = w.compare;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v.number);
      if (ec != std::errc() || end != text.data() + text.size())
        return MakeError(ErrorKind::kInvalidArgument, "'" + text + "' is not a number");
      return v;
    }
    case Type::kExists:
      if (w.types[i] != RawValue::Type::kBool)
        return MakeError(ErrorKind::kInvalidArgument,
                         "modifier 'exists' needs true or false, not '" + text + "'");
      v.kind = ValueMatcher::Kind::kExists;
      v.exists = text == "true";
      return v;
    case Type::kFieldRef:
      v.kind = ValueMatcher::Kind::kFieldRef;
      v.ref = FieldPath::Parse(text);
      v.ref_mode = w.ref_mode;
      v.cased = w.cased;
      return v;
  }
  return MakeError(ErrorKind::kInternal, "unreachable");
}

}  // namespace

Result<DetectionItem> CompileItem(std::string_view key, const std::vector<RawValue>& values) {
  DetectionItem item;
  std::vector<std::string> parts = Split(key, '|');
  if (parts.empty()) parts.emplace_back();
  if (!parts[0].empty()) item.field = FieldPath::Parse(parts[0]);
  Working w;
  for (const RawValue& v : values) {
    w.values.push_back(v.text);
    w.types.push_back(v.type);
  }
  // fmt, not "'" + std::string(key): GCC 12 at -O3 inlines operator+(const char*, string&&) into an
  // insert() and warns -Wrestrict about an overlap that cannot happen (a false positive in
  // basic_string::_M_replace, GCC bug 105329), a 30-line template trace in a Release build.
  if (w.values.empty()) return MakeError(ErrorKind::kInvalidArgument, fmt::format("'{}' has no values", key));
  for (size_t i = 1; i < parts.size(); ++i) {
    if (Status s = ApplyModifier(parts[i], &w, &item); !s) return MakeError(s.error());
  }
  if (!item.field) {
    if (w.type != Type::kString)
      return MakeError(ErrorKind::kInvalidArgument, "keywords take string modifiers only");
    AddWildcards(&w, true, true);  // a keyword is found anywhere in the event, as in a full-text search
  }
  for (size_t i = 0; i < w.values.size(); ++i) {
    Result<ValueMatcher> v = Finish(w, i);
    if (!v) return MakeError(v.error());
    item.values.push_back(std::move(*v));
  }
  return item;
}

}  // namespace cordon::hunt::sigma
