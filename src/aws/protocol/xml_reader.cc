#include "aws/protocol/xml_reader.h"

#include <cstring>

#include "aws/protocol/wire_values.h"

namespace cordon::aws::detail {
namespace {

const char* LocalName(const pugi::xml_node& node) {
  const char* name = node.name();
  const char* colon = std::strchr(name, ':');
  return colon ? colon + 1 : name;
}

std::string ListMemberName(const Json& list_shape) {
  const Json& member = list_shape["member"];
  return member.value("locationName", std::string("member"));
}

Json ReadList(const ServiceModel& service, const Json& shape, const pugi::xml_node& node);
Json ReadMap(const ServiceModel& service, const Json& shape, const pugi::xml_node& node);

}  // namespace

pugi::xml_node ChildNamed(const pugi::xml_node& node, const std::string& name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling())
    if (child.type() == pugi::node_element && name == LocalName(child)) return child;
  return {};
}

Json ReadXmlShape(const ServiceModel& service, const Json& shape, const pugi::xml_node& node) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    Json out = Json::object();
    for (auto& [name, ref] : shape["members"].items()) {
      const Json& member_shape = service.Resolve(ref);
      const std::string member_type = member_shape.value("type", "");
      if (ref.value("location", "") != "") continue;  // headers/status are read by the rest protocols
      if (ref.value("xmlAttribute", false)) {
        std::string attr_name = ref.value("locationName", name);
        pugi::xml_attribute attr = node.attribute(attr_name.c_str());
        if (!attr) {
          // xsi:type style attributes are namespaced; match on the local part.
          for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
            const char* colon = std::strchr(a.name(), ':');
            if (attr_name == (colon ? colon + 1 : a.name()) || attr_name == a.name()) attr = a;
          }
        }
        if (attr) out[name] = ScalarFromText(member_shape, attr.value());
        continue;
      }
      bool flattened = ref.value("flattened", false) || member_shape.value("flattened", false);
      if ((member_type == "list" || member_type == "map") && flattened) {
        // Flattened: the entries repeat directly under this node, named after the member.
        std::string entry_name = ref.value("locationName", std::string());
        if (entry_name.empty())
          entry_name = member_type == "list" ? member_shape["member"].value("locationName", name) : name;
        Json items = Json::array();
        Json map = Json::object();
        bool any = false;
        for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
          if (child.type() != pugi::node_element || entry_name != LocalName(child)) continue;
          any = true;
          if (member_type == "list") {
            items.push_back(ReadXmlShape(service, service.Resolve(member_shape["member"]), child));
          } else {
            Json entry = ReadMap(service, member_shape, child);  // a single entry node
            for (auto& [k, v] : entry.items()) map[k] = v;
          }
        }
        if (any) out[name] = member_type == "list" ? items : map;
        continue;
      }
      pugi::xml_node child = ChildNamed(node, ref.value("locationName", name));
      if (child) out[name] = ReadXmlShape(service, member_shape, child);
    }
    return out;
  }
  if (type == "list") return ReadList(service, shape, node);
  if (type == "map") return ReadMap(service, shape, node);
  return ScalarFromText(shape, node.child_value());
}

namespace {

Json ReadList(const ServiceModel& service, const Json& shape, const pugi::xml_node& node) {
  Json out = Json::array();
  const std::string member_name = ListMemberName(shape);
  const Json& member_shape = service.Resolve(shape["member"]);
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && member_name == LocalName(child))
      out.push_back(ReadXmlShape(service, member_shape, child));
  }
  return out;
}

// For a wrapped map, `node` holds <entry> children; for a flattened map, `node` is one entry.
Json ReadMap(const ServiceModel& service, const Json& shape, const pugi::xml_node& node) {
  Json out = Json::object();
  const std::string key_name = shape["key"].value("locationName", std::string("key"));
  const std::string value_name = shape["value"].value("locationName", std::string("value"));
  const Json& value_shape = service.Resolve(shape["value"]);
  auto read_entry = [&](const pugi::xml_node& entry) {
    pugi::xml_node k = ChildNamed(entry, key_name);
    pugi::xml_node v = ChildNamed(entry, value_name);
    if (k) out[k.child_value()] = v ? ReadXmlShape(service, value_shape, v) : Json();
  };
  bool flattened = shape.value("flattened", false);
  if (flattened || ChildNamed(node, key_name)) {
    read_entry(node);
  } else {
    for (pugi::xml_node entry = node.first_child(); entry; entry = entry.next_sibling())
      if (entry.type() == pugi::node_element) read_entry(entry);
  }
  return out;
}

}  // namespace
}  // namespace cordon::aws::detail
