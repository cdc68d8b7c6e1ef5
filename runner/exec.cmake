# Transport, target, executor, reporters, the CLI and the onsmqtt-runner
# binary (included by runner/CMakeLists.txt).
target_sources(onsmqtt_runner_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/app.cc
  ${CMAKE_CURRENT_LIST_DIR}/cli.cc
  ${CMAKE_CURRENT_LIST_DIR}/data_paths.cc
  ${CMAKE_CURRENT_LIST_DIR}/executor.cc
  ${CMAKE_CURRENT_LIST_DIR}/redact.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_console.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_junit.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_text.cc
  ${CMAKE_CURRENT_LIST_DIR}/run_errors.cc
  ${CMAKE_CURRENT_LIST_DIR}/step.cc
  ${CMAKE_CURRENT_LIST_DIR}/target.cc
  ${CMAKE_CURRENT_LIST_DIR}/transport.cc
  ${CMAKE_CURRENT_LIST_DIR}/xml_answer.cc
)
# The embedded target starts the mock through its public API only
# (mock_server/mock_server.h).
target_link_libraries(onsmqtt_runner_lib PUBLIC onsmqtt_mock)
target_compile_definitions(onsmqtt_runner_lib PRIVATE ONSMQTT_RUNNER_VERSION="${PROJECT_VERSION}"
                           ONSMQTT_DATA_FROM_BIN="${ONSMQTT_DATA_FROM_BIN}")

add_executable(onsmqtt-runner ${CMAKE_CURRENT_LIST_DIR}/main.cc)
target_link_libraries(onsmqtt-runner PRIVATE onsmqtt_runner_lib)
set_target_properties(onsmqtt-runner PROPERTIES OUTPUT_NAME onsmqtt-runner)

# Unit tests: reporters, redaction, CLI, transport and executor (the last
# two against a small cpp-httplib server inside the test).
add_executable(runner_exec_tests
  ${CMAKE_CURRENT_LIST_DIR}/ci_gate_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cli_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/executor_gate_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/executor_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redact_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_console_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_json_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/report_junit_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/selection_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/target_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/transport_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/xml_answer_test.cc
)
target_link_libraries(runner_exec_tests PRIVATE onsmqtt_runner_lib PkgConfig::HTTPLIB GTest::gtest_main GTest::gmock)
target_compile_definitions(runner_exec_tests PRIVATE ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}")
gtest_discover_tests(runner_exec_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30)

# End to end: the onsmqtt-runner binary on every file in scenarios/ against
# the embedded mock, on runner/testdata/failing/, against an unreachable
# target, and against a separately started onsmqtt-mock process over HTTPS.
add_executable(runner_e2e_tests ${CMAKE_CURRENT_LIST_DIR}/e2e_test.cc)
target_link_libraries(runner_e2e_tests PRIVATE onsmqtt_contract nlohmann_json::nlohmann_json PkgConfig::HTTPLIB
                      GTest::gtest_main)
target_compile_definitions(runner_e2e_tests PRIVATE
  ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}"
  ONSMQTT_RUNNER_BIN="$<TARGET_FILE:onsmqtt-runner>")
add_dependencies(runner_e2e_tests onsmqtt-runner)
if(ONSMQTT_SANITIZE)
  target_compile_definitions(runner_e2e_tests PRIVATE ONSMQTT_SANITIZED=1)
endif()
if(TARGET onsmqtt-mock)
  target_compile_definitions(runner_e2e_tests PRIVATE ONSMQTT_MOCK_BIN="$<TARGET_FILE:onsmqtt-mock>")
  add_dependencies(runner_e2e_tests onsmqtt-mock)
else()
  target_compile_definitions(runner_e2e_tests PRIVATE ONSMQTT_MOCK_BIN="")
endif()
gtest_discover_tests(runner_e2e_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30
                     PROPERTIES TIMEOUT 300)

# Hostile input through both programs (alias bombs, deep nesting, oversized
# files, deep JSON to the admin API and from an endpoint) and the loader's
# diagnostics as a user sees them.
if(TARGET onsmqtt-mock)
add_executable(runner_hostile_tests ${CMAKE_CURRENT_LIST_DIR}/hostile_input_test.cc)
target_link_libraries(runner_hostile_tests PRIVATE nlohmann_json::nlohmann_json PkgConfig::HTTPLIB GTest::gtest_main)
target_compile_definitions(runner_hostile_tests PRIVATE
  ONSMQTT_RUNNER_BIN="$<TARGET_FILE:onsmqtt-runner>" ONSMQTT_MOCK_BIN="$<TARGET_FILE:onsmqtt-mock>")
add_dependencies(runner_hostile_tests onsmqtt-runner onsmqtt-mock)
if(ONSMQTT_SANITIZE)
  target_compile_definitions(runner_hostile_tests PRIVATE ONSMQTT_SANITIZED=1)
endif()
gtest_discover_tests(runner_hostile_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30
                     PROPERTIES TIMEOUT 120)
endif()

# The reports read by JUnit consumers from the npm registry and by the CI
# reporters' counting rules (needs node and npm): no run that did not pass
# may look green.
add_test(NAME runner_junit_consumers
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/consumers_test.sh $<TARGET_FILE:onsmqtt-runner>
  WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR})
set_tests_properties(runner_junit_consumers PROPERTIES TIMEOUT 300)

# End to end, documented features: a file's own fixture, default_region,
# ${var} in regex:, XML lists, endpoint skips, both command lines.
add_executable(runner_e2e_features_tests ${CMAKE_CURRENT_LIST_DIR}/e2e_features_test.cc)
target_link_libraries(runner_e2e_features_tests PRIVATE onsmqtt_contract nlohmann_json::nlohmann_json
                      PkgConfig::HTTPLIB GTest::gtest_main)
target_compile_definitions(runner_e2e_features_tests PRIVATE
  ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}"
  ONSMQTT_EXPECTED_VERSION="${PROJECT_VERSION}"
  ONSMQTT_RUNNER_BIN="$<TARGET_FILE:onsmqtt-runner>")
add_dependencies(runner_e2e_features_tests onsmqtt-runner)
if(TARGET onsmqtt-mock)
  target_compile_definitions(runner_e2e_features_tests PRIVATE ONSMQTT_MOCK_BIN="$<TARGET_FILE:onsmqtt-mock>")
  add_dependencies(runner_e2e_features_tests onsmqtt-mock)
else()
  target_compile_definitions(runner_e2e_features_tests PRIVATE ONSMQTT_MOCK_BIN="")
endif()
gtest_discover_tests(runner_e2e_features_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30
                     PROPERTIES TIMEOUT 300)
