#include "runner/execute/xml_answer.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <memory>
#include <mutex>
#include <string>

#include "contract/contract.h"
#include "contract/json_limits.h"
#include "runner/execute/transport.h"

// libxml2 (2.9.14) reads the text; this file only maps its tree to JSON.
// Each call has its own parser context, whose errors go to that context's
// structured handler (never to libxml2's global one, which prints to
// stderr). Options: no network, no DTD loading, no entity substitution and
// no XML_PARSE_HUGE, so libxml2's own limits (entity amplification, name
// and text lengths) hold. A DOCTYPE, and nesting deeper than JSON answers
// may go, stop the parser where they start.
namespace onsmqtt::runner {
namespace {

constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

struct FreeContext {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct FreeDoc {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using ContextPtr = std::unique_ptr<xmlParserCtxt, FreeContext>;
using DocPtr = std::unique_ptr<xmlDoc, FreeDoc>;

// What went wrong first in one parse (the later errors follow from it).
struct ParseState {
  Status first;
};

std::string At(int line, int column) {
  return "at line " + std::to_string(line) + ", column " + std::to_string(column);
}

ParseState* StateOf(void* ctx) { return static_cast<ParseState*>(static_cast<xmlParserCtxt*>(ctx)->_private); }

void Fail(xmlParserCtxt* ctxt, const std::string& message) {
  ParseState* state = StateOf(ctxt);
  if (state->first.ok()) state->first = Status::InvalidArgument(message);
  xmlStopParser(ctxt);
}

std::string Where(void* ctx) {
  auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
  return At(ctxt->input != nullptr ? ctxt->input->line : 0, ctxt->input != nullptr ? ctxt->input->col : 0);
}

void OnError(void* ctx, xmlErrorPtr error) {
  if (error == nullptr || error->level < XML_ERR_ERROR || !StateOf(ctx)->first.ok()) return;
  std::string message = error->message != nullptr ? error->message : "unknown error";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (char& c : message) c = c == '\n' ? ' ' : c;  // "Input is not proper UTF-8 ...\nBytes: 0xB3 ..."
  StateOf(ctx)->first = Status::InvalidArgument("not well-formed XML " + At(error->line, error->int2) + ": " + message);
}

void OnDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  Fail(static_cast<xmlParserCtxt*>(ctx),
       "XML with a DOCTYPE (" + Where(ctx) + "); an API answer has none, and the runner reads no DTD");
}

void OnStartElement(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, int nb_namespaces,
                    const xmlChar** namespaces, int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
  auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
  if (ctxt->nameNr > kMaxJsonDepth) {  // the open ancestors: the root is dropped, each level below is one in JSON
    Fail(ctxt, "XML nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (" + Where(ctx) + ")");
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                        attributes);
}

// The document `text` holds, or what is wrong with it and where.
StatusOr<DocPtr> Parse(std::string_view text) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (text.size() > kMaxAnswerBytes || text.size() > INT_MAX) {
    return Status::InvalidArgument("XML of " + std::to_string(text.size()) + " bytes; at most " +
                                   std::to_string(kMaxAnswerBytes) + " are read");
  }
  ContextPtr ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr) return Status::Internal("libxml2 could not make a parser context");
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->serror = OnError;
  ctxt->sax->internalSubset = OnDoctype;
  ctxt->sax->startElementNs = OnStartElement;
  DocPtr doc(xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()), nullptr, nullptr, kOptions));
  if (!state.first.ok()) return state.first;
  if (doc == nullptr || xmlDocGetRootElement(doc.get()) == nullptr) {
    return Status::InvalidArgument("not well-formed XML " + At(1, 1) + ": no root element");
  }
  return doc;
}

// The element's name as written ("a:B" keeps its prefix).
std::string NameOf(const xmlNode* element) {
  std::string name = reinterpret_cast<const char*>(element->name);
  if (element->ns != nullptr && element->ns->prefix != nullptr) {
    name = reinterpret_cast<const char*>(element->ns->prefix) + (":" + name);
  }
  return name;
}

void Add(nlohmann::json* object, const std::string& name, nlohmann::json value) {
  if (!object->contains(name)) {
    (*object)[name] = std::move(value);
    return;
  }
  nlohmann::json& existing = (*object)[name];
  if (!existing.is_array()) existing = nlohmann::json::array({existing});
  existing.push_back(std::move(value));
}

// An element with child elements is an object of them (text between them
// is dropped); one without is the string of its text. Parse() bounds the
// depth of the recursion.
nlohmann::json Convert(const xmlNode* element) {
  nlohmann::json object = nlohmann::json::object();
  std::string text;
  bool has_children = false;
  for (const xmlNode* n = element->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      has_children = true;
      Add(&object, NameOf(n), Convert(n));
    } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content != nullptr) {
      text += reinterpret_cast<const char*>(n->content);
    }
  }
  return has_children ? object : nlohmann::json(text);
}

// The answer's root: its name and its content as JSON (a root without
// child elements is {}).
struct Root {
  std::string name;
  nlohmann::json value;
};

StatusOr<Root> ReadRoot(std::string_view text) {
  StatusOr<DocPtr> doc = Parse(text);
  if (!doc.ok()) return doc.status();
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  nlohmann::json value = Convert(root);
  if (value.is_string()) value = nlohmann::json::object();
  return Root{NameOf(root), std::move(value)};
}

std::optional<nlohmann::json> Optional(StatusOr<nlohmann::json> j) {
  if (!j.ok()) return std::nullopt;
  return std::move(j).value();
}

void ApplyFields(const std::vector<FieldSpec>& fields, nlohmann::json* object);

// `value` as the contract's `field` says (see xml_answer.h).
void ApplyField(const FieldSpec& field, nlohmann::json* value) {
  switch (field.type) {
    case JsonType::kArray:
      if (value->is_string() && value->get_ref<const std::string&>().empty()) {
        *value = nlohmann::json::array();
      } else if (!value->is_array()) {
        *value = nlohmann::json::array({std::move(*value)});
      }
      for (nlohmann::json& item : *value) {
        if (!field.fields.empty() && item.is_string() && item.get_ref<const std::string&>().empty()) {
          item = nlohmann::json::object();
        }
        if (item.is_object()) ApplyFields(field.fields, &item);
      }
      break;
    case JsonType::kObject:
      if (value->is_string() && value->get_ref<const std::string&>().empty()) *value = nlohmann::json::object();
      if (value->is_object()) ApplyFields(field.fields, value);
      break;
    case JsonType::kNumber:
      if (value->is_string()) {
        nlohmann::json n = nlohmann::json::parse(value->get_ref<const std::string&>(), nullptr, false);
        if (n.is_number()) *value = std::move(n);
      }
      break;
    case JsonType::kBoolean:
      if (*value == "true" || *value == "false") *value = *value == "true";
      break;
    case JsonType::kString:
      break;
  }
}

void ApplyFields(const std::vector<FieldSpec>& fields, nlohmann::json* object) {
  for (const FieldSpec& field : fields) {
    auto it = object->find(field.name);
    if (it != object->end()) {
      ApplyField(field, &*it);
    } else if (field.type == JsonType::kArray) {
      (*object)[field.name] = nlohmann::json::array();  // an empty list writes no element
    }
  }
}

}  // namespace

StatusOr<nlohmann::json> ReadXmlAnswer(std::string_view text, const Contract& contract) {
  static constexpr std::string_view kSuffix = "Response";
  StatusOr<Root> root = ReadRoot(text);
  if (!root.ok()) return root.status();
  const std::string& name = root->name;
  if (name.size() > kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    if (const OperationSpec* op = contract.FindOperation(name.substr(0, name.size() - kSuffix.size()))) {
      ApplyFields(op->response, &root->value);
    }
  }
  return std::move(root->value);
}

std::optional<nlohmann::json> XmlAnswerToJson(std::string_view text, const Contract& contract) {
  return Optional(ReadXmlAnswer(text, contract));
}

std::optional<nlohmann::json> XmlToJson(std::string_view text, const std::vector<FieldSpec>& response) {
  StatusOr<Root> root = ReadRoot(text);
  if (!root.ok()) return std::nullopt;
  ApplyFields(response, &root->value);
  return std::move(root->value);
}

std::optional<nlohmann::json> XmlToJson(std::string_view text) {
  StatusOr<Root> root = ReadRoot(text);
  if (!root.ok()) return std::nullopt;
  return std::move(root->value);
}

std::string XmlRootName(std::string_view text) {
  StatusOr<Root> root = ReadRoot(text);
  return root.ok() ? root->name : "";
}

}  // namespace onsmqtt::runner
