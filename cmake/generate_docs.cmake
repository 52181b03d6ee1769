# Writes the completion scripts and the man page by running the built cordon (cmake -P, from
# src/cli/CMakeLists.txt): they come from its own command table, so they match the binary.
# Inputs: CORDON (the binary), OUT (the folder).
file(MAKE_DIRECTORY "${OUT}")
function(write_from_cordon file)
  execute_process(COMMAND "${CORDON}" ${ARGN} OUTPUT_FILE "${OUT}/${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cordon ${ARGN} failed: ${rc}")
  endif()
endfunction()
write_from_cordon(cordon.bash completion bash)
write_from_cordon(_cordon completion zsh)
write_from_cordon(cordon.1 man)
