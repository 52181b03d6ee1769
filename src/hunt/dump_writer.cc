#include "hunt/dump_writer.h"

#include <string>

#include "base/json.h"

namespace cordon::hunt {

void DumpWriter::AppendEscaped(std::string_view s) {
  Append(Json(std::string(s)).dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace));
}

}  // namespace cordon::hunt
