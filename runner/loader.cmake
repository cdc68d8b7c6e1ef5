# Scenario loader, variables, JSON paths, matchers and the contract-shape
# check (included by runner/CMakeLists.txt).
target_sources(onsmqtt_runner_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/assertions.cc
  ${CMAKE_CURRENT_LIST_DIR}/contract_check.cc
  ${CMAKE_CURRENT_LIST_DIR}/json_path.cc
  ${CMAKE_CURRENT_LIST_DIR}/loader.cc
  ${CMAKE_CURRENT_LIST_DIR}/loader_steps.cc
  ${CMAKE_CURRENT_LIST_DIR}/loader_values.cc
  ${CMAKE_CURRENT_LIST_DIR}/variables.cc
)

set(_loader_tests
  assertions_test.cc
  loader_errors_test.cc
  contract_check_test.cc
  loader_test.cc
  regex_template_test.cc
  scenarios_load_test.cc
  variables_test.cc
)
list(TRANSFORM _loader_tests PREPEND ${CMAKE_CURRENT_LIST_DIR}/)
set(_existing_loader_tests "")
foreach(_t IN LISTS _loader_tests)
  if(EXISTS ${_t})
    list(APPEND _existing_loader_tests ${_t})
  endif()
endforeach()
if(_existing_loader_tests)
  add_executable(runner_loader_tests ${_existing_loader_tests})
  target_link_libraries(runner_loader_tests PRIVATE onsmqtt_runner_lib GTest::gtest_main GTest::gmock)
  target_compile_definitions(runner_loader_tests PRIVATE ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}")
  gtest_discover_tests(runner_loader_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30)
endif()
