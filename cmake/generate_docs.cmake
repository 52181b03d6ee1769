# Writes the completion scripts and the man page by running the built cordon (cmake -P, from
# src/cli/CMakeLists.txt): they come from its own command table, so they match the binary.
# Inputs: CORDON (the binary), OUT (the folder).
file(MAKE_DIRECTORY "${OUT}")
foreach(spec "completion;bash;cordon.bash" "completion;zsh;_cordon" "man;;cordon.1")
  list(GET spec 0 command)
  list(GET spec 1 arg)
  list(GET spec 2 file)
  execute_process(COMMAND "${CORDON}" ${command} ${arg} OUTPUT_FILE "${OUT}/${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cordon ${command} ${arg} failed: ${rc}")
  endif()
endforeach()
