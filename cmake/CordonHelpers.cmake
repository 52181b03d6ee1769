# cordon_add_module(NAME [extra sources...] LINK libs...)
# A static library of every .cc under the current folder (recursively, but not into sub-folders that
# have their own CMakeLists.txt), minus *_test.cc, *_fuzzer.cc, *_perftest.cc and main.cc.
# When the folder has *_test.cc files it also builds NAME_tests, a gtest binary of just this module's
# tests, so one part can be built and tested while another is being changed. The tests of every module
# are also collected into the single cordon_tests binary (see the top-level CMakeLists.txt).
function(cordon_add_module name)
  cmake_parse_arguments(ARG "" "" "LINK" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB_RECURSE sub_lists ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  foreach(sub ${sub_lists})
    get_filename_component(sub_dir ${sub} DIRECTORY)
    list(FILTER srcs EXCLUDE REGEX "^${sub_dir}/")
  endforeach()
  set(tests ${srcs})
  list(FILTER tests INCLUDE REGEX "_test\\.cc$")
  list(FILTER srcs EXCLUDE REGEX "(_test|_fuzzer|_perftest)\\.cc$")
  list(FILTER srcs EXCLUDE REGEX "/main\\.cc$")
  if(NOT srcs AND NOT ARG_UNPARSED_ARGUMENTS)
    # A module with no code yet: an interface library keeps the dependency graph intact.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/src)
    target_link_libraries(${name} INTERFACE ${ARG_LINK})
  else()
    add_library(${name} STATIC ${srcs} ${ARG_UNPARSED_ARGUMENTS})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/src)
    target_link_libraries(${name} PUBLIC ${ARG_LINK})
  endif()
  if(CORDON_BUILD_TESTS AND tests)
    # Not part of `all`: the same tests are in cordon_tests, and building them twice doubles CI time.
    add_executable(${name}_tests EXCLUDE_FROM_ALL ${tests})
    target_link_libraries(${name}_tests PRIVATE ${name} GTest::gtest GTest::gtest_main GTest::gmock)
    cordon_test_definitions(${name}_tests)
    set_property(GLOBAL APPEND PROPERTY CORDON_ALL_TESTS ${tests})
    set_property(GLOBAL APPEND PROPERTY CORDON_ALL_TEST_LIBS ${name})
    cordon_collect_thread_tests(${name} ${tests})
  endif()
endfunction()

# A test binary finds the checkout's data through testing/test_paths.h (cordon_test_paths, defined in the
# top-level CMakeLists.txt), the one object that holds the checkout's path.
function(cordon_test_definitions target)
  target_link_libraries(${target} PRIVATE cordon_test_paths)
endfunction()

# The tests that run code on several threads: those whose text names threads, a mutex, concurrency or
# parallelism, or the executor and scanner that run steps and files in parallel. The thread sanitizer
# build (scripts/test.sh) builds and runs only these (cordon_thread_tests), with only their modules'
# libraries: a test on one thread cannot race, and TSan builds of all tests doubled its time.
function(cordon_collect_thread_tests name)
  set(found "")
  foreach(test ${ARGN})
    file(STRINGS ${test} hits REGEX "thread|Thread|mutex|oncurren|arallel|Executor|Scanner" LIMIT_COUNT 1)
    if(hits)
      list(APPEND found ${test})
    endif()
  endforeach()
  if(found)
    set_property(GLOBAL APPEND PROPERTY CORDON_THREAD_TESTS ${found})
    set_property(GLOBAL APPEND PROPERTY CORDON_THREAD_TEST_LIBS ${name})
  endif()
endfunction()
