#include "posture/admin_ports.h"

namespace cordon::posture {

const std::vector<AdminPort>& AdminPorts() {
  static const std::vector<AdminPort> kPorts = {
      {22, "tcp", "SSH"},
      {23, "tcp", "Telnet"},
      {445, "tcp", "SMB"},
      {2375, "tcp", "Docker API"},
      {2376, "tcp", "Docker API (TLS)"},
      {3389, "tcp", "RDP"},
      {3389, "udp", "RDP"},
      {5900, "tcp", "VNC"},
      {5985, "tcp", "WinRM"},
      {5986, "tcp", "WinRM (HTTPS)"},
      {6443, "tcp", "Kubernetes API"},
  };
  return kPorts;
}

std::vector<AdminPort> AdminPortsOpened(std::string_view protocol, int from_port, int to_port) {
  std::vector<AdminPort> out;
  // EC2 gives -1 for "all protocols" (IpProtocol "-1") and no ports; a tcp/udp rule always has both.
  const bool every = protocol == "all" || protocol == "-1";
  if (!every && protocol != "tcp" && protocol != "udp") return out;
  if (!every && (from_port < 0 || to_port < from_port)) return out;
  for (const AdminPort& p : AdminPorts()) {
    if (every || (p.protocol == protocol && from_port <= p.port && p.port <= to_port)) out.push_back(p);
  }
  return out;
}

std::string DescribeAdminPorts(const std::vector<AdminPort>& ports) {
  std::string out;
  for (const AdminPort& p : ports) {
    if (!out.empty()) out += ", ";
    out += std::string(p.name) + " (" + std::string(p.protocol) + "/" + std::to_string(p.port) + ")";
  }
  return out;
}

}  // namespace cordon::posture
