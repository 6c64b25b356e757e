// libFuzzer target: a TOML config file through toml++ and the checks of every
// setting (core/config.cpp). Only ConfigError may leave load_config: a
// malformed file or value must be a message naming it, never a crash or
// another exception at start-up or on SIGHUP.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/config.hpp"

namespace {

// load_config reads a file, as the server does: one per process, removed when the fuzzer exits.
struct ConfigFile {
  std::string path = "/tmp/wp-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  ~ConfigFile() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ConfigFile file;
  const std::string& path = file.path;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  wp::ConfigSources sources;
  sources.file = path;
  sources.getenv = [](const char*) -> const char* { return nullptr; };
  try {
    (void)wp::load_config(sources);
  } catch (const wp::ConfigError&) {
  }
  return 0;
}
