# Installing and packaging (included last by CMakeLists.txt).
#
#   cmake --install build --prefix P   P/bin/onsmqtt-{mock,runner},
#                                      P/share/onsmqtt-contract/{contract,fixtures,scenarios}
#   (cd build && cpack -G DEB)         onsmqtt-contract_<version>_<arch>.deb (prefix /usr)
#
# The runner finds its default scenarios/ and fixtures/default.yaml under
# <bin>/ONSMQTT_DATA_FROM_BIN when they are not in the current folder
# (runner/data_paths.h); the variable is set in CMakeLists.txt before the
# modules so that the runner is compiled with it.
install(TARGETS onsmqtt-mock onsmqtt-runner RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(_data ${CMAKE_INSTALL_DATADIR}/onsmqtt-contract)
install(FILES ${PROJECT_SOURCE_DIR}/contract/onsmqtt-2020-04-20.yaml ${PROJECT_SOURCE_DIR}/contract/coverage-waivers.yaml
        DESTINATION ${_data}/contract)
# The fixtures with the test PKI they reference (pem and key files; the
# scripts that regenerate and check it stay in the checkout).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/fixtures/ DESTINATION ${_data}/fixtures
        FILES_MATCHING PATTERN "*.yaml" PATTERN "*.pem" PATTERN "*.key" PATTERN "*.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${_data}/scenarios
        FILES_MATCHING PATTERN "*.yaml" PATTERN "*.json" PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/runner/testdata/vars.example.yaml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# A .deb whose Depends dpkg-shlibdeps computes from the binaries (libssl3,
# libyaml-cpp0.7, libcpp-httplib0.11, libxml2 for the runner, libstdc++6, libc6,
# ...).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME onsmqtt-contract)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Mock and conformance runner for the Alibaba Cloud OnsMqtt 2020-04-20 certificate API")
set(CPACK_PACKAGE_CONTACT "onsmqtt-contract maintainers <onsmqtt-contract@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build.*/" "/\\\\.git/" "/reports/" "/node_modules/")
include(CPack)

# Tests: the installed tree and the .deb outside a checkout, and the
# bootstrap guard (scripts/check-deps.sh) on this build tree.
set(_pkg_tests ${PROJECT_SOURCE_DIR}/tests/packaging)
add_test(NAME packaging_install_outside_checkout COMMAND ${_pkg_tests}/install_test.sh ${CMAKE_BINARY_DIR})
add_test(NAME packaging_deb COMMAND ${_pkg_tests}/deb_test.sh ${CMAKE_BINARY_DIR})
add_test(NAME packaging_deps_guard_names_missing_package COMMAND ${_pkg_tests}/check_deps_test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(packaging_install_outside_checkout packaging_deb packaging_deps_guard_names_missing_package
                     PROPERTIES LABELS packaging TIMEOUT 300)
# Sanitizer builds are several times slower: a burst cannot reach its
# min_rate there (a harness error), so their runs of the installed suite
# leave bursts out, as runner/e2e_test.cc does.
if(ONSMQTT_SANITIZE)
  set_tests_properties(packaging_install_outside_checkout packaging_deb PROPERTIES ENVIRONMENT ONSMQTT_SANITIZED=1)
endif()
add_test(NAME packaging_doc_links_inside_repository COMMAND ${_pkg_tests}/doc_links_test.sh)
add_test(NAME packaging_doc_links_without_git COMMAND ${_pkg_tests}/doc_links_nogit_test.sh)
