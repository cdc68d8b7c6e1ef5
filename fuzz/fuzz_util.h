#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "contract/yaml_tree.h"

// Helpers shared by the fuzz targets (fuzz/README.md). Each target is one
// translation unit, so everything here is inline.
namespace onsmqtt::fuzz {

// Stops the run: a broken invariant is a finding, like a sanitizer report.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what.c_str());
  std::abort();
}

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// A folder of this process's own under $TMPDIR, made on first use and
// removed at a normal exit. It holds `fixtures` (a link to the project's
// fixtures/) and `pki` (to fixtures/pki/), so that an input that names
// ../../fixtures/default.yaml or pki/ca-a.pem finds the shipped files.
inline const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/onsmqtt-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
    fs::path d(pattern);
    fs::path fixtures = fs::path(ONSMQTT_SOURCE_DIR) / "fixtures";
    std::error_code ec;
    fs::create_directory_symlink(fixtures, d / "fixtures", ec);
    fs::create_directory_symlink(fixtures / "pki", d / "pki", ec);
    fs::create_directories(d / "scenarios" / "fuzz", ec);
    static const std::string keep = d.string();
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(keep, ignored);
    });
    return d;
  }();
  return dir;
}

// Writes `bytes` to ScratchDir()/`name` and returns the path.
inline std::string WriteScratch(const std::string& name, std::string_view bytes) {
  std::string path = (ScratchDir() / name).string();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) Fail("cannot write " + path);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) Fail("short write " + path);
  std::fclose(f);
  return path;
}

// An error must say something.
inline void CheckError(const Status& s, std::string_view what) {
  if (s.ok()) return;
  if (s.message().empty()) Fail(std::string(what) + ": an error without a message");
}

}  // namespace onsmqtt::fuzz
