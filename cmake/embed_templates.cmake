# Writes OUT: a C++ file holding every file under SRC_DIR (the notification
# templates) as a string, keyed by its path relative to SRC_DIR.
file(GLOB_RECURSE files RELATIVE ${SRC_DIR} ${SRC_DIR}/*)
list(SORT files)
set(body "#include \"modules/notifications/templates.hpp\"\nnamespace wp::notifications {\nconst std::map<std::string, std::string>& embedded_templates() {\n  static const std::map<std::string, std::string> all = {\n")
foreach(f ${files})
  file(READ ${SRC_DIR}/${f} text)
  string(APPEND body "    {\"${f}\", R\"__wp_tpl__(${text})__wp_tpl__\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n}  // namespace wp::notifications\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
