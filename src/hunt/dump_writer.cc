#include "hunt/dump_writer.h"

#include <string>

#include "base/json.h"

namespace cordon::hunt {

void DumpWriter::AppendEscaped(std::string_view s) { Append(Json(std::string(s)).dump()); }

}  // namespace cordon::hunt
