// The standard Athena table over CloudTrail logs, as AWS documents it ("Create the table for CloudTrail
// logs in Athena using manual partitioning"; the DDL `cordon hunt --emit athena-ddl` prints): which record
// fields are columns, which of them are structs, and which keep a JSON object as a JSON string. Both the
// Sigma SQL translation and the engine that turns Athena rows back into records read it from here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt::sigma {

struct AthenaColumn {
  enum class Kind { kString, kStruct, kArray, kJsonString };
  std::string_view field;  // the record's key, as CloudTrail spells it: "userIdentity"
  Kind kind;
};

// Every column, in the DDL's order. The SQL name of a column (and of a struct field) is its field name in
// lower case: Athena's identifiers are case-insensitive and the JSON SerDe maps keys case-insensitively.
const std::vector<AthenaColumn>& AthenaCloudTrailColumns();

// The struct fields of the struct and array-of-struct columns, as dotted record paths in CloudTrail's
// spelling: "userIdentity.sessionContext.sessionIssuer.type", "resources.ARN". Intermediate structs are
// listed too ("userIdentity.sessionContext").
const std::vector<std::string_view>& AthenaStructFields();

// CloudTrail's spelling of the lower-cased dotted path `lower` (a column or struct field), or "" when the
// table has no such column or field.
std::string_view AthenaFieldSpelling(std::string_view lower);

}  // namespace cordon::hunt::sigma
