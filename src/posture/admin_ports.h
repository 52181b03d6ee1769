// Remote-administration ports, and which of them an inbound rule's port range opens. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cordon::posture {

struct AdminPort {
  int port;
  std::string_view protocol;  // "tcp" or "udp"
  std::string_view name;      // "SSH"
};

// The ports cordon flags: CIS AWS Foundations' "remote server administration ports" (22, 3389) and
// the other remote shells and consoles an attacker tries first (Telnet, VNC, WinRM, SMB, the Docker
// and Kubernetes APIs).
const std::vector<AdminPort>& AdminPorts();

// The admin ports a rule of `protocol` ("tcp", "udp", "all", "icmp", a number: as cloud::OpenRule has
// it) over [from_port, to_port] opens. "all" (or from_port -1) opens every port of every protocol; an
// ICMP rule opens none. Sorted by port.
std::vector<AdminPort> AdminPortsOpened(std::string_view protocol, int from_port, int to_port);

// "SSH (tcp/22), RDP (tcp/3389)".
std::string DescribeAdminPorts(const std::vector<AdminPort>& ports);

}  // namespace cordon::posture
