// The Markdown helpers of the documentation and its HTML rendering through
// cmark-gfm (tables, escaping, heading anchors).
#include <gtest/gtest.h>

#include <string>

#include "runner/report/docs.h"
#include "runner/report/docs_internal.h"

namespace onsmqtt::runner {
namespace {

TEST(DocsMarkdown, TextCodeFencesAndSlugs) {
  EXPECT_EQ(docs::Text("a_b <i>|*x*"), "a\\_b \\<i\\>\\|\\*x\\*");
  EXPECT_EQ(docs::Code("x `y` z"), "``x `y` z``");
  EXPECT_EQ(docs::Code("`"), "`` ` ``");
  EXPECT_EQ(docs::CellCode("a|b"), "`a\\|b`");
  EXPECT_EQ(docs::Fenced("a\n````\nb", "http"), "`````http\na\n````\nb\n`````\n");
  EXPECT_EQ(docs::Fenced("", "http"), "```http\n```\n");
  EXPECT_EQ(docs::Slug("InvalidAccessKeyId.NotFound (undocumented)"), "invalidaccesskeyidnotfound-undocumented");
  EXPECT_EQ(docs::Slug("V1 XML"), "v1-xml");
  EXPECT_EQ(docs::Link("t", "a b(c).yaml#L1"), "[t](a%20b%28c%29.yaml#L1)");
}

TEST(MarkdownToHtml, RendersTablesIntoACompletePage) {
  std::string html = MarkdownToHtml("# A & B\n\n| Code | Status |\n| --- | --- |\n| `X` | 400 |\n", "A & B");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", 0), 0u) << html;
  EXPECT_NE(html.find("<title>A &amp; B</title>"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<table>\n<thead>\n<tr>\n<th>Code</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td><code>X</code></td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<h1><a id=\"a--b\"></a>A &amp; B</h1>"), std::string::npos) << html;
  EXPECT_EQ(html.substr(html.size() - 16), "</body>\n</html>\n");
  for (const char* absent : {"<script", "<link", "src=", "http://", "https://"}) {
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  }
}

TEST(MarkdownToHtml, RawHtmlNeverBecomesMarkup) {
  std::string html = MarkdownToHtml(
      "<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> [x](javascript:alert(1))\n\n"
      "```http\n<script>in a block</script>\n```\n",
      "t");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;in a block&lt;/script&gt;"), std::string::npos) << html;
}

TEST(MarkdownToHtml, HeadingIdsMatchGitHubAnchors) {
  std::string html = MarkdownToHtml("### `Throttling.User`\n\n### V1 XML\n\n### V1 XML\n", "t");
  EXPECT_NE(html.find("<h3><a id=\"throttlinguser\"></a><code>Throttling.User</code></h3>"), std::string::npos) << html;
  EXPECT_NE(html.find("id=\"v1-xml\""), std::string::npos);
  EXPECT_NE(html.find("id=\"v1-xml-1\""), std::string::npos) << "repeats numbered as GitHub does";
}

}  // namespace
}  // namespace onsmqtt::runner
