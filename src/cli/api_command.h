// `cordon api SERVICE OPERATION [JSON | @file]`: the escape hatch to any embedded AWS operation.
#pragma once

namespace cordon::cli {
int RunApi(int argc, char** argv);
}  // namespace cordon::cli
