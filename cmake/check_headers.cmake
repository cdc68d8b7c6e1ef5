cmake_policy(SET CMP0057 NEW)
# The layout's rule for third-party headers (README.md, "Layout"):
# cpp-httplib, yaml-cpp, CLI11 and cmark-gfm stay inside the .cc files of the module that
# uses them, so no header another module can see includes them. The include
# paths (cmake/modules.cmake) decide what a module can see of the project;
# these libraries live in /usr/include, visible to every target, hence
# this check of the headers themselves.
#
#   cmake -DROOT=<source root> -P cmake/check_headers.cmake
#
# Headers allowed to include cpp-httplib, each read only inside its module:
# the gateway's connection layer (the gateway's .cc files and the bench's
# baseline server) and the test helpers that stand up a server.
set(_allowed
  mock_server/gateway/connection_stream.h
  mock_server/gateway/connections.h
  mock_server/gateway/elastic_pool.h
  mock_server/gateway/http_test_support.h
  runner/execute/fake_service_test_util.h
  tests/clients/paho_test_util.h
)
file(GLOB_RECURSE _headers RELATIVE ${ROOT} ${ROOT}/contract/*.h ${ROOT}/mock_server/*.h ${ROOT}/runner/*.h
  ${ROOT}/tests/clients/*.h)
set(_bad "")
foreach(_h IN LISTS _headers)
  if(_h IN_LIST _allowed)
    continue()
  endif()
  file(STRINGS ${ROOT}/${_h} _lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](httplib\\.h|yaml-cpp/|CLI/|cmark)")
  if(_lines)
    list(APPEND _bad "${_h}: ${_lines}")
  endif()
endforeach()
foreach(_h IN LISTS _allowed)
  if(NOT EXISTS ${ROOT}/${_h})
    list(APPEND _bad "${_h}: listed as allowed in cmake/check_headers.cmake, and does not exist")
  endif()
endforeach()
if(_bad)
  list(JOIN _bad "\n  " _text)
  message(FATAL_ERROR "third-party headers in headers (keep them in the .cc files):\n  ${_text}")
endif()
list(LENGTH _headers _n)
message(STATUS "${_n} headers checked: no cpp-httplib, yaml-cpp, CLI11 or cmark-gfm outside the allowed ones")
