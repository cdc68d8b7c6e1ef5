// Writes the HTML report of the tests' sample run (the golden file's run)
// to the path given, for html_browser_test.sh.
#include <cstdio>

#include "runner/report/report_html.h"
#include "runner/report/report_html_test_support.h"
#include "runner/report/report_junit.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.html\n", argv[0]);
    return 2;
  }
  using namespace onsmqtt::runner;
  onsmqtt::Status s = WriteFileAtomically(argv[1], RenderHtml(testing::HtmlSampleRun(), {"../"}));
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
