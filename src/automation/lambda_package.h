// `cordon automation package`: the zip that runs cordon as a Lambda function on provided.al2023.
//
// Layout (every path relative to the zip's root, which Lambda unpacks to /var/task):
//   bootstrap                   the static launcher (lambda_bootstrap/main.cc), mode 0755
//   cordon                      this cordon binary, its debug sections stripped (Lambda allows 250 MB
//                               unzipped; a RelWithDebInfo cordon is about that alone)
//   lib/ld-linux-x86-64.so.2    the dynamic loader cordon was linked against
//   lib/<soname>                every shared library `ldd cordon` lists, under the name cordon asks for
//   ca-certificates.crt         the CA bundle TLS is verified against (AWS_CA_BUNDLE, set by bootstrap)
//
// Why ship the loader and libraries rather than link statically: Debian's libcurl, OpenSSL and their
// dependencies (GnuTLS, Kerberos, LDAP, ...) come as shared libraries only, and AL2023's glibc (2.34)
// is older than the one cordon is built against, so nothing of the system's may be used. Why ldd:
// it is the loader itself resolving the dependencies, recursively, exactly as it would at run time.
// The zip is made by Info-ZIP's `zip` (which keeps the Unix modes Lambda needs for bootstrap).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace cordon::automation {

struct SharedLibrary {
  std::string soname;          // libcurl.so.4
  std::filesystem::path path;  // /lib/x86_64-linux-gnu/libcurl.so.4
};

struct LddOutput {
  std::filesystem::path loader;  // /lib64/ld-linux-x86-64.so.2
  std::vector<SharedLibrary> libraries;
};

// Parses `ldd BINARY`'s output: "NAME => PATH (0x...)" lines, the loader's "PATH (0x...)" line, and
// the vDSO ("linux-vdso.so.1 (0x...)", no file: skipped). kInvalidArgument for "NAME => not found"
// (the package would not start) and when no loader is named. Pure.
[[nodiscard]] Result<LddOutput> ParseLdd(std::string_view text);

struct PackageOptions {
  std::filesystem::path binary;     // the cordon to package (default: this process's)
  std::filesystem::path bootstrap;  // the launcher (default: cordon-lambda-bootstrap beside `binary`)
  std::filesystem::path ca_bundle = "/etc/ssl/certs/ca-certificates.crt";
  std::filesystem::path out = "cordon-lambda.zip";
  bool strip = true;  // strip debug sections from the copy of cordon (`strip --strip-debug`)
};

struct PackageReport {
  std::vector<std::string> files;  // as in the zip, sorted
  uintmax_t zip_bytes = 0;
};

// Builds the zip at `out` (replacing it), staging the files in a temporary folder that is removed
// afterwards. kNotFound naming a missing input; kIo when ldd, strip or zip cannot be run or fail.
[[nodiscard]] Result<PackageReport> BuildLambdaPackage(const PackageOptions& options);

}  // namespace cordon::automation
