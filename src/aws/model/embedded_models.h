// The botocore models embedded at build time (see generate_models.py and services.txt).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace cordon::aws {

struct EmbeddedService {
  const char* name;  // botocore's folder name, e.g. "ec2", "elbv2"
  const char* api_version;
  const char* model;
  size_t model_size;
  const char* paginators;
  size_t paginators_size;
  const char* waiters;
  size_t waiters_size;
};

std::span<const EmbeddedService> EmbeddedServices();
std::string_view EmbeddedPartitions();  // botocore's partitions.json

}  // namespace cordon::aws
