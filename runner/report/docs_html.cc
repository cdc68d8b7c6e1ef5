// MarkdownToHtml (docs.h): GitHub-flavoured Markdown to a self-contained
// page through cmark-gfm. cmark stays in this file.
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contract/xml_escape.h"
#include "runner/report/docs.h"
#include "runner/report/docs_internal.h"

namespace onsmqtt::runner {
namespace {

// Tables with borders, code blocks that scroll instead of widening the
// page. No font or image from anywhere: the page works offline.
constexpr char kStyle[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1f2328;"
    "max-width:80em;margin:2em auto;padding:0 1em}\n"
    "table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}\n"
    "th,td{border:1px solid #d0d7de;padding:.3em .7em;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}\n"
    "pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.8em;overflow-x:auto}\n"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}\n";

// The options of parsing and rendering: no raw HTML passes (without
// CMARK_OPT_UNSAFE cmark omits it), invalid UTF-8 becomes U+FFFD.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// The text of a heading as GitHub reads it for its anchor: its text and
// code spans, without markup.
std::string HeadingText(cmark_node* heading) {
  std::string out;
  std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(heading));
  while (cmark_iter_next(it.get()) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    cmark_node_type type = cmark_node_get_type(n);
    bool text = type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE;
    if (text && cmark_iter_get_event_type(it.get()) == CMARK_EVENT_ENTER) {
      if (const char* literal = cmark_node_get_literal(n)) out += literal;
    }
  }
  return out;
}

// Gives every heading the id GitHub gives it (docs::Slug; repeats get
// "-1", "-2"), so that "Page.html#code" finds what "Page.md#code" finds.
// The anchor is a custom inline node: cmark writes its text as given,
// which only this function chooses (a slug has no quote or '<').
void AddHeadingIds(cmark_node* document) {
  std::vector<cmark_node*> headings;
  {
    std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(document));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
      cmark_node* n = cmark_iter_get_node(it.get());
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) headings.push_back(n);
    }
  }
  std::map<std::string, int> seen;
  for (cmark_node* heading : headings) {
    std::string slug = docs::Slug(HeadingText(heading));
    int repeat = seen[slug]++;
    if (repeat > 0) slug += "-" + std::to_string(repeat);
    cmark_node* anchor = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    std::string html = "<a id=\"" + XmlEscape(slug) + "\"></a>";
    cmark_node_set_on_enter(anchor, html.c_str());
    cmark_node_set_on_exit(anchor, "");
    if (!cmark_node_prepend_child(heading, anchor)) cmark_node_free(anchor);
  }
}

// The body of the page: the Markdown rendered with the table extension.
std::string RenderBody(std::string_view markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  if (cmark_syntax_extension* table = cmark_find_syntax_extension("table")) {
    cmark_parser_attach_syntax_extension(parser.get(), table);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  AddHeadingIds(document.get());
  char* html = cmark_render_html(document.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out = html != nullptr ? html : "";
  // Rendered with the default allocator, so freed by it.
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace

std::string MarkdownToHtml(std::string_view markdown, std::string_view title) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + XmlEscape(title) + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  out += RenderBody(markdown);
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace onsmqtt::runner
