# Header views: how the build, not review, keeps the layout's dependency
# rules (README.md, "Layout").
#
# No include path leads to the source root. Each library publishes its
# headers in a folder of its own, build/include/<target>/, which holds
# symbolic links to those headers only, at their usual paths
# ("mock_server/model/state.h"). A target sees a header only when it links
# the library that publishes it: a reporter that includes
# "runner/execute/transport.h", or the model including
# "mock_server/gateway/gateway.h", does not compile.
#
#   onsmqtt_header_view(<target> <PUBLIC|INTERFACE> <path>...)
#
# Each <path>, relative to the source root, is a folder (every header in
# it, present and future) or one header. A path that does not exist is an
# error.
function(onsmqtt_header_view target scope)
  set(view ${PROJECT_BINARY_DIR}/include/${target})
  foreach(path IN LISTS ARGN)
    set(source ${PROJECT_SOURCE_DIR}/${path})
    if(NOT EXISTS ${source})
      message(FATAL_ERROR "onsmqtt_header_view(${target}): ${path} does not exist")
    endif()
    get_filename_component(parent ${view}/${path} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${source} ${view}/${path} SYMBOLIC)
  endforeach()
  target_include_directories(${target} ${scope} ${view})
endfunction()
