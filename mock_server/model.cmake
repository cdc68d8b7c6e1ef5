# The mock's model: store, fixtures, certificates, operation semantics
# (no HTTP). Included by mock_server/CMakeLists.txt.
#
# The model is compiled once as an object library and its objects are added
# to onsmqtt_mock; the model's tests link the objects directly (plus
# errors.cc), so they build without the HTTP layer.
add_library(onsmqtt_mock_model OBJECT
  ${CMAKE_CURRENT_LIST_DIR}/ca_handlers.cc
  ${CMAKE_CURRENT_LIST_DIR}/certificate.cc
  ${CMAKE_CURRENT_LIST_DIR}/device_handlers.cc
  ${CMAKE_CURRENT_LIST_DIR}/fixture.cc
  ${CMAKE_CURRENT_LIST_DIR}/handlers.cc
  ${CMAKE_CURRENT_LIST_DIR}/state.cc
  ${CMAKE_CURRENT_LIST_DIR}/store.cc
)
target_link_libraries(onsmqtt_mock_model PUBLIC onsmqtt_contract nlohmann_json::nlohmann_json OpenSSL::Crypto)
target_sources(onsmqtt_mock PRIVATE $<TARGET_OBJECTS:onsmqtt_mock_model>)

add_executable(mock_model_tests
  ${CMAKE_CURRENT_LIST_DIR}/errors.cc
  ${CMAKE_CURRENT_LIST_DIR}/certificate_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/fixture_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/handlers_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/semantics_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/state_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_test.cc
)
target_link_libraries(mock_model_tests PRIVATE onsmqtt_mock_model GTest::gtest_main Threads::Threads)
target_compile_definitions(mock_model_tests PRIVATE ONSMQTT_SOURCE_DIR="${ONSMQTT_SOURCE_DIR}")
gtest_discover_tests(mock_model_tests TEST_PREFIX "mock_model." WORKING_DIRECTORY ${ONSMQTT_SOURCE_DIR}
  DISCOVERY_TIMEOUT 30)

# Figures for the model's hot path (not a test): build/mock_server/mock_model_bench
add_executable(mock_model_bench ${CMAKE_CURRENT_LIST_DIR}/model_bench.cc ${CMAKE_CURRENT_LIST_DIR}/errors.cc)
target_link_libraries(mock_model_bench PRIVATE onsmqtt_mock_model Threads::Threads)
