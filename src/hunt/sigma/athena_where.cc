#include "hunt/sigma/athena_where.h"

#include <re2/re2.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "hunt/sigma/athena_table.h"

namespace cordon::hunt::sigma {
namespace {

// A part of the filter; `always` is TRUE (it filters nothing), which `and` drops and `or` spreads.
struct Expr {
  bool always = true;
  std::string sql;
};

Expr True() { return {}; }
Expr Sql(std::string sql) { return {false, std::move(sql)}; }

Expr Combine(std::vector<Expr> parts, bool conjunction) {
  std::vector<std::string> texts;
  for (Expr& p : parts) {
    if (p.always) {
      if (!conjunction) return True();
      continue;
    }
    texts.push_back(std::move(p.sql));
  }
  if (texts.empty()) return True();  // an empty `or` filters nothing either: a superset
  if (texts.size() == 1) return Sql(std::move(texts[0]));
  return Sql("(" + Join(texts, conjunction ? " AND " : " OR ") + ")");
}
Expr And(std::vector<Expr> parts) { return Combine(std::move(parts), true); }
Expr Or(std::vector<Expr> parts) { return Combine(std::move(parts), false); }

bool Ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// LIKE's own characters escaped with '\' (the queries say ESCAPE '\').
std::string LikeEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string Like(const std::string& lhs, const std::string& pattern) {
  return lhs + " LIKE " + SqlQuote(pattern) + " ESCAPE '\\'";
}

// Where the field's values are in the table.
struct Target {
  enum class Kind { kNone, kColumn, kJsonText } kind = Kind::kNone;
  std::string sql;  // the column, or the struct field (useridentity.sessioncontext.sessionissuer.type)
};

Target TargetOf(const FieldPath& field) {
  if (field.parts.empty()) return {};
  for (const AthenaColumn& c : AthenaCloudTrailColumns()) {
    if (field.parts[0] != c.field) continue;
    switch (c.kind) {
      case AthenaColumn::Kind::kString:
        if (field.parts.size() == 1) return {Target::Kind::kColumn, ToLower(c.field)};
        return {};
      case AthenaColumn::Kind::kJsonString:
        return {Target::Kind::kJsonText, ToLower(c.field)};
      case AthenaColumn::Kind::kStruct: {
        // Only a leaf: an inner struct's value is an object, which a pattern sees as its JSON text.
        const std::string path = Join(field.parts, ".");
        if (AthenaFieldSpelling(ToLower(path)) != path) return {};
        for (std::string_view f : AthenaStructFields())
          if (f.size() > path.size() && f.starts_with(path + ".")) return {};
        return {Target::Kind::kColumn, ToLower(path)};
      }
      case AthenaColumn::Kind::kArray:
        return {};  // resources: an array of structs (any_match would do; not needed by the rules)
    }
  }
  return {};
}

// A Sigma pattern over a string column: equality when it has no wildcard, LIKE otherwise.
Expr ColumnPattern(const Pattern& p, const std::string& column) {
  std::string like;
  for (const Pattern::Piece& piece : p.pieces()) {
    switch (piece.kind) {
      case Pattern::Piece::Kind::kLiteral:
        // Athena's lower() folds non-ASCII letters too, the matcher only ASCII: a non-ASCII literal
        // could differ after lower() from a value the matcher takes.
        if (!p.cased() && !Ascii(piece.text)) return True();
        like += LikeEscape(piece.text);
        break;
      case Pattern::Piece::Kind::kOne:
        like += '_';
        break;
      case Pattern::Piece::Kind::kAny:
        like += '%';
        break;
    }
  }
  if (like == "%") return Sql(column + " IS NOT NULL");
  const std::string lhs = p.cased() ? column : "lower(" + column + ")";
  if (p.IsLiteral()) return Sql(lhs + " = " + SqlQuote(p.LiteralText()));
  return Sql(Like(lhs, like));
}

// Characters that stand for themselves in any JSON text holding the value: not structural, never
// escaped (serializers differ on '/', '<', '>', '&', '\'' and non-ASCII), not whitespace between tokens.
bool JsonPlain(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" -_.@=+$#!~;|*?%()^").find(c) != std::string_view::npos;
}

// A pattern over a JSON-string column: its literal runs of plain characters, in order, in the text.
Expr JsonPattern(const Pattern& p, const std::string& column) {
  std::string like = "%";
  bool any = false;
  for (const Pattern::Piece& piece : p.pieces()) {
    if (piece.kind != Pattern::Piece::Kind::kLiteral) continue;
    for (char c : piece.text) {
      if (JsonPlain(c)) {
        like += LikeEscape(std::string_view(&c, 1));
        any = true;
      } else if (like.back() != '%') {
        like += '%';
      }
    }
    if (like.back() != '%') like += '%';
  }
  if (!any) return True();
  return Sql(Like(p.cased() ? column : "lower(" + column + ")", like));
}

// Whether RE2 and Trino's regexp_like (Java syntax) read `re` the same, given (?s) in front: plain
// characters, `.`, the quantifiers `+*?`, anchors, alternation and plain groups. With (?s), Java's `.`
// takes every character RE2's does (Java's default would leave out \r and other line ends).
bool PortableRegex(std::string_view re) {
  if (re.find("(?") != std::string_view::npos) return false;
  return std::all_of(re.begin(), re.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(" .+*?^$|():/-_@=,").find(c) != std::string_view::npos;
  });
}

Expr ValueExpr(const ValueMatcher& v, const Target& target) {
  if (target.kind == Target::Kind::kJsonText) {
    return v.kind == ValueMatcher::Kind::kPattern ? JsonPattern(v.pattern, target.sql) : True();
  }
  switch (v.kind) {
    case ValueMatcher::Kind::kPattern:
      return ColumnPattern(v.pattern, target.sql);
    case ValueMatcher::Kind::kNull:
      return Sql(target.sql + " IS NULL");
    case ValueMatcher::Kind::kExists:
      return Sql(target.sql + (v.exists ? " IS NOT NULL" : " IS NULL"));
    case ValueMatcher::Kind::kRegex:
      if (v.regex && PortableRegex(v.regex->pattern())) {
        return Sql("regexp_like(" + target.sql + ", " + SqlQuote("(?s)" + v.regex->pattern()) + ")");
      }
      return True();
    default:
      return True();  // cidr, numbers, fieldref: no exact equivalent over text columns
  }
}

Expr ItemExpr(const DetectionItem& item) {
  if (!item.field || item.negate) return True();
  const Target target = TargetOf(*item.field);
  if (target.kind == Target::Kind::kNone) return True();
  std::vector<Expr> parts;
  // Plain case-insensitive literals of an `or` list go together as one IN.
  std::vector<std::string> in;
  for (const ValueMatcher& v : item.values) {
    if (!item.all && target.kind == Target::Kind::kColumn && v.kind == ValueMatcher::Kind::kPattern &&
        !v.pattern.cased() && v.pattern.IsLiteral() && Ascii(v.pattern.LiteralText())) {
      in.push_back(v.pattern.LiteralText());
      continue;
    }
    parts.push_back(ValueExpr(v, target));
  }
  if (in.size() == 1) parts.push_back(Sql("lower(" + target.sql + ") = " + SqlQuote(in[0])));
  if (in.size() > 1) {
    std::vector<std::string> quoted;
    for (const std::string& s : in) quoted.push_back(SqlQuote(s));
    parts.push_back(Sql("lower(" + target.sql + ") IN (" + Join(quoted, ", ") + ")"));
  }
  return item.all ? And(std::move(parts)) : Or(std::move(parts));
}

Expr SearchExpr(const SearchIdentifier& search) {
  std::vector<Expr> alternatives;
  for (const std::vector<DetectionItem>& items : search.alternatives) {
    std::vector<Expr> conjuncts;
    for (const DetectionItem& item : items) conjuncts.push_back(ItemExpr(item));
    alternatives.push_back(And(std::move(conjuncts)));
  }
  return Or(std::move(alternatives));
}

Expr ConditionExpr(const Condition& c, const Rule& rule) {
  switch (c.op) {
    case Condition::Op::kSearch:
      return SearchExpr(rule.searches[c.search]);
    case Condition::Op::kNot:
      return True();  // a superset of `not X` would need a subset of X
    case Condition::Op::kAnd:
    case Condition::Op::kOr: {
      std::vector<Expr> parts;
      for (const Condition& child : c.children) parts.push_back(ConditionExpr(child, rule));
      return c.op == Condition::Op::kAnd ? And(std::move(parts)) : Or(std::move(parts));
    }
  }
  return True();
}

}  // namespace

std::string SqlQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

AthenaWhere RuleToAthenaWhere(const Rule& rule) {
  std::vector<Expr> conditions;
  for (const Condition& c : rule.conditions) conditions.push_back(ConditionExpr(c, rule));
  Expr e = Or(std::move(conditions));
  if (e.always) return {"TRUE", false};
  return {e.sql, true};
}

}  // namespace cordon::hunt::sigma
