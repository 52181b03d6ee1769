// cordon: respond to a compromised EC2 instance. Entry point; the commands live in command_table.cc.
#include "cli/commands.h"

int main(int argc, char** argv) { return cordon::cli::Main(argc, argv); }
