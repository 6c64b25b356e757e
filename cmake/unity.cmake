# Batches for a unity build (WATCHPARTY_UNITY) that ccache shares between
# clones: each batch is a file in the build tree that includes its sources by
# their path under `root` (src/ for the server, tests/ for the unit tests, each
# on its target's include path), so that its text is the same wherever the
# checkout is (CMake's own unity files name them by absolute path).
#
# A batch holds up to 8 files of one directory, in name order. The files of a
# directory share a namespace, so two of them defining the same name in their
# anonymous namespaces is a duplicate to share; files of two modules may name
# their helpers alike and never meet. Files with compile options of their own
# (the SOCI users under UBSan) batch among themselves, with those options.
#
# BY_MODULE: the files of one directory batch by the module their name starts
# with (`parties_service_test.cpp`: parties), for the unit tests, which share a
# directory but each bring their module's namespace in with `using namespace`.
function(wp_unity_batches out_var root)
  cmake_parse_arguments(PARSE_ARGV 2 arg "BY_MODULE" "" "")
  set(names "")
  foreach(source IN LISTS arg_UNPARSED_ARGUMENTS)
    file(RELATIVE_PATH rel ${root} ${source})
    get_filename_component(dir ${rel} DIRECTORY)
    get_source_file_property(options ${source} COMPILE_OPTIONS)
    set(key "${dir}")
    if(arg_BY_MODULE)
      get_filename_component(stem ${rel} NAME_WE)
      string(REGEX REPLACE "_.*" "" module ${stem})
      set(key "${dir}_${module}")
    endif()
    if(options)
      set(key "${dir}_own_options")
    endif()
    string(MAKE_C_IDENTIFIER "${key}" key)
    if(NOT DEFINED count_${key})
      set(count_${key} 0)
    endif()
    math(EXPR batch "${count_${key}} / 8")
    math(EXPR count_${key} "${count_${key}} + 1")
    set(name ${key}_${batch})
    if(NOT DEFINED text_${name})
      list(APPEND names ${name})
      set(options_${name} "${options}")
    endif()
    string(APPEND text_${name} "#include \"${rel}\"\n")
  endforeach()
  set(batches "")
  foreach(name IN LISTS names)
    set(file ${CMAKE_BINARY_DIR}/unity/${name}.cpp)
    # Written only when its text changes: an unchanged batch keeps its object.
    file(CONFIGURE OUTPUT ${file} CONTENT "${text_${name}}")
    if(options_${name})
      set_source_files_properties(${file} PROPERTIES COMPILE_OPTIONS "${options_${name}}")
    endif()
    list(APPEND batches ${file})
  endforeach()
  set(${out_var} ${batches} PARENT_SCOPE)
endfunction()
