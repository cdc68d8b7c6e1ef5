# The size rule (README.md, "Layout"): no source file outside the tests is
# over 400 lines, and no program's main.cc is over 60 lines (a main parses
# its command line through a tested module and calls the library).
#
#   cmake -DROOT=<source root> -P cmake/check_sizes.cmake
#
# Tests are *_test.cc and the helpers they share (*test_util.h,
# *test_support.h, test_child.h).
set(_max_file 400)
set(_max_main 60)
file(GLOB_RECURSE _files RELATIVE ${ROOT}
  ${ROOT}/contract/*.cc ${ROOT}/contract/*.h ${ROOT}/mock_server/*.cc ${ROOT}/mock_server/*.h
  ${ROOT}/runner/*.cc ${ROOT}/runner/*.h ${ROOT}/bench/*.cc ${ROOT}/bench/*.h
  ${ROOT}/fuzz/*.cc ${ROOT}/fuzz/*.h ${ROOT}/tests/clients/*.cc ${ROOT}/tests/clients/*.h)
set(_bad "")
set(_n 0)
foreach(_f IN LISTS _files)
  if(_f MATCHES "_test\\.cc$|test_util\\.h$|test_support\\.h$|/test_child\\.h$")
    continue()
  endif()
  math(EXPR _n "${_n} + 1")
  # file(STRINGS) drops empty lines; count newlines instead.
  file(READ ${ROOT}/${_f} _text)
  string(REGEX REPLACE "[^\n]" "" _newlines "${_text}")
  string(LENGTH "${_newlines}" _lines)
  set(_max ${_max_file})
  if(_f MATCHES "(^|/)main\\.cc$")
    set(_max ${_max_main})
  endif()
  if(_lines GREATER _max)
    list(APPEND _bad "${_f}: ${_lines} lines (at most ${_max}): split it by concern")
  endif()
endforeach()
if(_bad)
  list(JOIN _bad "\n  " _out)
  message(FATAL_ERROR "files over the size rule:\n  ${_out}")
endif()
message(STATUS "${_n} source files checked: none over ${_max_file} lines, no main.cc over ${_max_main}")
