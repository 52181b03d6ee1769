// The `bootstrap` of cordon's Lambda package (`cordon automation package`): Lambda's provided.al2023
// runtime executes it, and it executes the cordon binary of the package through the package's own
// dynamic loader and libraries:
//
//   DIR/lib/ld-linux-x86-64.so.2 --library-path DIR/lib DIR/cordon lambda-runtime
//
// Why not a shell script: it would need the host's /bin/sh, and the package must run with nothing
// from the host (a chroot of the unzipped package proves it). Why through the loader, not the
// binary's own PT_INTERP: the binary names /lib64/ld-linux-x86-64.so.2, which on AL2023 is glibc 2.34,
// older than the glibc cordon was built against; and --library-path, unlike LD_LIBRARY_PATH (which
// Lambda sets, /lib64 first), makes the loader take the package's libc, not the system's.
//
// DIR is the folder of argv[0] when it has one (Lambda runs /var/task/bootstrap), else
// $LAMBDA_TASK_ROOT, else ".". AWS_CA_BUNDLE, unless set already, names the package's
// ca-certificates.crt: AL2023 keeps its CA bundle elsewhere than Debian's libcurl looks.
// Plain C library calls only, so the static binary stays small.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

std::string PackageDir(const char* argv0) {
  const char* slash = argv0 != nullptr ? strrchr(argv0, '/') : nullptr;
  if (slash != nullptr) return slash == argv0 ? "/" : std::string(argv0, slash - argv0);
  const char* root = getenv("LAMBDA_TASK_ROOT");
  if (root != nullptr && *root != '\0') return root;
  return ".";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = PackageDir(argc > 0 ? argv[0] : nullptr);
  const std::string loader = dir + "/lib/ld-linux-x86-64.so.2", lib = dir + "/lib", cordon = dir + "/cordon";
  const std::string ca = dir + "/ca-certificates.crt";
  if (getenv("AWS_CA_BUNDLE") == nullptr) setenv("AWS_CA_BUNDLE", ca.c_str(), 1);
  std::vector<char*> args = {const_cast<char*>(loader.c_str()), const_cast<char*>("--library-path"),
                             const_cast<char*>(lib.c_str()), const_cast<char*>(cordon.c_str()),
                             const_cast<char*>("lambda-runtime")};
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(loader.c_str(), args.data());
  fprintf(stderr, "cordon bootstrap: cannot run %s: %s\n", loader.c_str(), strerror(errno));
  return 127;
}
