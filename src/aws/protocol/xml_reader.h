// Reads XML response bodies into JSON by walking the output shape, as botocore's XML parsers do
// (shared by the ec2, query and rest-xml protocols).
#pragma once

#include <pugixml.hpp>

#include "aws/model/service_model.h"
#include "base/json.h"

namespace cordon::aws::detail {

// Parses `node` as `shape`. For structures, members are found by locationName (or member name);
// lists are wrapped (<member> / <item> children, or the member's locationName) unless flattened;
// maps read <entry><key/><value/></entry>; xmlAttribute members come from attributes.
Json ReadXmlShape(const ServiceModel& service, const Json& shape, const pugi::xml_node& node);

// The first child element with this local name (namespace prefixes ignored).
pugi::xml_node ChildNamed(const pugi::xml_node& node, const std::string& name);

}  // namespace cordon::aws::detail
