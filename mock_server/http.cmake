# The mock's HTTP layer: server wiring, gateway pipeline, auth policy,
# throttle, nonce cache, journal, faults, admin API, rendering; the
# onsmqtt-mock binary; its tests; the interop test; the bench helper.
# Included by mock_server/CMakeLists.txt.
target_sources(onsmqtt_mock PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/admin.cc
  ${CMAKE_CURRENT_LIST_DIR}/auth_policy.cc
  ${CMAKE_CURRENT_LIST_DIR}/cli.cc
  ${CMAKE_CURRENT_LIST_DIR}/connections.cc
  ${CMAKE_CURRENT_LIST_DIR}/faults.cc
  ${CMAKE_CURRENT_LIST_DIR}/gateway.cc
  ${CMAKE_CURRENT_LIST_DIR}/journal.cc
  ${CMAKE_CURRENT_LIST_DIR}/nonce_cache.cc
  ${CMAKE_CURRENT_LIST_DIR}/render.cc
  ${CMAKE_CURRENT_LIST_DIR}/request_log.cc
  ${CMAKE_CURRENT_LIST_DIR}/server.cc
  ${CMAKE_CURRENT_LIST_DIR}/throttle.cc
)

# cli.cc's --version.
target_compile_definitions(onsmqtt_mock PRIVATE ONSMQTT_VERSION="${PROJECT_VERSION}")

add_executable(onsmqtt-mock ${CMAKE_CURRENT_LIST_DIR}/main.cc)
target_link_libraries(onsmqtt-mock PRIVATE onsmqtt_mock)

# Unit tests of the parts, and the whole mock over real HTTP on port 0.
add_executable(mock_http_tests
  ${CMAKE_CURRENT_LIST_DIR}/throttle_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cli_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/nonce_cache_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/render_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/faults_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/gateway_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/region_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/service_errors_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/admin_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/concurrency_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/connections_test.cc
)
target_link_libraries(mock_http_tests PRIVATE onsmqtt_mock PkgConfig::HTTPLIB GTest::gtest_main)
target_compile_definitions(mock_http_tests PRIVATE ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}"
                           ONSMQTT_EXPECTED_VERSION="${PROJECT_VERSION}")
gtest_discover_tests(mock_http_tests WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR} DISCOVERY_TIMEOUT 30)

# The official Node.js clients against the binary (needs node and npm).
add_test(NAME mock_interop
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/interop_test.sh $<TARGET_FILE:onsmqtt-mock>
  WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR})
set_tests_properties(mock_interop PROPERTIES TIMEOUT 300)

# The binary's lifecycle: POST without Content-Length (curl), SIGTERM after traffic.
add_test(NAME mock_lifecycle
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/lifecycle_test.sh $<TARGET_FILE:onsmqtt-mock>
  WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR})
set_tests_properties(mock_lifecycle PROPERTIES TIMEOUT 120)

# bench/mock.sh's baseline (b): a minimal cpp-httplib server with the
# mock's settings. Not a test.
add_executable(bench_minimal_server ${ONSMQTT_SOURCE_DIR}/bench/minimal_server.cc
  ${CMAKE_CURRENT_LIST_DIR}/connections.cc)
target_link_libraries(bench_minimal_server PRIVATE PkgConfig::HTTPLIB Threads::Threads)
target_include_directories(bench_minimal_server PRIVATE ${ONSMQTT_SOURCE_DIR})
add_executable(bench_first_answer ${ONSMQTT_SOURCE_DIR}/bench/first_answer.cc)
add_executable(bench_sign_requests ${ONSMQTT_SOURCE_DIR}/bench/sign_requests.cc)
target_link_libraries(bench_sign_requests PRIVATE onsmqtt_contract)
add_executable(bench_soak_driver ${ONSMQTT_SOURCE_DIR}/bench/soak_driver.cc)
target_link_libraries(bench_soak_driver PRIVATE onsmqtt_contract PkgConfig::HTTPLIB nlohmann_json::nlohmann_json
  Threads::Threads)
