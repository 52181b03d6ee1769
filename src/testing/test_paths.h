// Support for unit tests: where the checkout's test data and sources are. The paths are compiled into
// one file (test_paths.cc) rather than defined on every test's command line, so that the test objects
// of two checkouts are the same and ccache shares them.
#pragma once

namespace cordon::test {

const char* SourceDir();    // the checkout's root
const char* TestDataDir();  // tests/data/: the public samples, each folder with its PROVENANCE.md

}  // namespace cordon::test
