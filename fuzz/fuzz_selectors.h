// The selectors the hunt reader fuzzers look for: one of each kind, short enough that the fuzzer
// finds them in its inputs.
#pragma once

#include "hunt/selectors.h"

inline cordon::hunt::Selectors FuzzSelectors() {
  cordon::hunt::Selectors s;
  s.instances = {"i-0abc"};
  s.ips = {"10.0.3.8"};
  s.roles = {"web"};
  s.access_keys = {"ASIAX"};
  return s;
}
