// cordon: respond to a compromised EC2 instance. Entry point; the command table is in commands.cc.
#include "cli/commands.h"

int main(int argc, char** argv) { return cordon::cli::Main(argc, argv); }
