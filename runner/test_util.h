#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

// Small helpers shared by the runner's exec tests.
namespace onsmqtt::runner::testing {

// How many times `what` occurs in `text` (overlapping occurrences count).
inline size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void WriteAll(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "onsmqtt-runner-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A loopback port nothing listens on (bound once by the kernel, then
// closed): connections to it are refused.
inline int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

// Runs `command` through the shell, capturing both streams.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// xmllint --schema on `xml_path`: "" when valid, else xmllint's output.
inline std::string SchemaErrors(const std::string& xml_path, const std::string& xsd_path) {
  CommandResult r = RunCommand("xmllint --noout --schema '" + xsd_path + "' '" + xml_path + "'");
  return r.exit_code == 0 ? "" : r.output;
}

// "" when every <testsuite>'s tests/failures/errors/skipped attributes
// (and <testsuites>' when it has them) agree with the testcases it holds;
// else what differs.
inline std::string JUnitCountErrors(const std::string& xml) {
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
  };
  auto attr = [](const std::string& tag, const std::string& name) -> long {
    std::smatch m;
    if (!std::regex_search(tag, m, std::regex(" " + name + "=\"([0-9]+)\""))) return -1;
    return std::stol(m[1]);
  };
  std::string problems;
  auto check = [&](const std::string& where, const std::string& tag, const std::string& body) {
    const std::pair<const char*, const char*> pairs[] = {
        {"tests", "<testcase "}, {"failures", "<failure "}, {"errors", "<error "}, {"skipped", "<skipped "}};
    for (const auto& [name, element] : pairs) {
      long declared = attr(tag, name);
      if (declared < 0) continue;
      if (static_cast<size_t>(declared) != count(body, element)) {
        problems += where + ": " + name + "=" + std::to_string(declared) + " but " +
                    std::to_string(count(body, element)) + " " + element + "\n";
      }
    }
  };
  // Plain searches, not one regex over the document: libstdc++'s regex
  // recurses per character and overflows the stack on large reports.
  if (size_t root = xml.find("<testsuites"); root != std::string::npos) {
    check("testsuites", xml.substr(root, xml.find('>', root) - root + 1), xml);
  }
  for (size_t at = xml.find("<testsuite "); at != std::string::npos; at = xml.find("<testsuite ", at + 1)) {
    size_t open_end = xml.find('>', at);
    size_t close = xml.find("</testsuite>", open_end);
    if (open_end == std::string::npos || close == std::string::npos) return problems + "unterminated <testsuite>\n";
    std::string tag = xml.substr(at, open_end - at + 1);
    check(tag.substr(0, 60), tag, xml.substr(open_end + 1, close - open_end - 1));
  }
  return problems;
}

}  // namespace onsmqtt::runner::testing
