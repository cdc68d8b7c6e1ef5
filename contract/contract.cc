#include "contract/contract.h"

#include "contract/yaml_tree.h"

namespace onsmqtt {

namespace {

using yaml::MapReader;
using yaml::Node;

Status ParseErrorAt(const Node& n, const std::string& msg) { return Status::ParseError(n.loc, msg); }

template <typename T>
Status Assign(StatusOr<T> in, T* out) {
  if (!in.ok()) return in.status();
  *out = std::move(*in);
  return Status::Ok();
}

Status ParseFields(const Node& node, std::vector<FieldSpec>* out);

Status ParseField(const std::string& name, const Node& value, FieldSpec* out) {
  out->name = name;
  out->loc = value.loc;
  if (value.is_scalar()) {
    static const std::map<std::string, JsonType> kScalars = {
        {"string", JsonType::kString}, {"number", JsonType::kNumber}, {"boolean", JsonType::kBoolean}};
    auto it = kScalars.find(value.scalar);
    if (it == kScalars.end()) {
      std::string hint = yaml::DidYouMean(value.scalar, {"string", "number", "boolean"});
      return ParseErrorAt(value,
                          "unknown field type \"" + value.scalar + "\" for \"" + name + "\"" +
                              (hint.empty() ? " (expected string, number, boolean, object or array)" : "; " + hint));
    }
    out->type = it->second;
    return Status::Ok();
  }
  if (!value.is_map() || value.entries.size() != 1) {
    return ParseErrorAt(value, "field \"" + name + "\" must be a type name or a map with one key, object or array");
  }
  const auto& [kind, fields] = value.entries.front();
  if (kind.scalar == "object") {
    out->type = JsonType::kObject;
  } else if (kind.scalar == "array") {
    out->type = JsonType::kArray;
  } else {
    std::string hint = yaml::DidYouMean(kind.scalar, {"object", "array"});
    return ParseErrorAt(kind, "unknown composite type \"" + kind.scalar + "\"" +
                                  (hint.empty() ? " (expected object or array)" : "; " + hint));
  }
  return ParseFields(fields, &out->fields);
}

Status ParseFields(const Node& node, std::vector<FieldSpec>* out) {
  if (!node.is_map()) return ParseErrorAt(node, std::string("response fields must be a map, got ") + node.KindName());
  for (const auto& [key, value] : node.entries) {
    FieldSpec field;
    RETURN_IF_ERROR(ParseField(key.scalar, value, &field));
    out->push_back(std::move(field));
  }
  return Status::Ok();
}

Status ParseParameter(const std::string& name, const Node& node, ParameterSpec* out) {
  out->name = name;
  out->loc = node.loc;
  MapReader r(node, "parameter \"" + name + "\"");
  const Node* type = r.Required("type");
  const Node* required = r.Required("required");
  const Node* max_bytes = r.Optional("max_bytes");
  const Node* integer = r.Optional("integer");
  RETURN_IF_ERROR(r.Finish());
  std::string type_name;
  RETURN_IF_ERROR(Assign(yaml::AsString(*type, "type"), &type_name));
  if (type_name != "string") {
    return ParseErrorAt(
        *type, "parameter type \"" + type_name + "\" is not supported (all parameters of this API are strings)");
  }
  RETURN_IF_ERROR(Assign(yaml::AsBool(*required, "required"), &out->required));
  if (max_bytes != nullptr) {
    int64_t v = 0;
    RETURN_IF_ERROR(Assign(yaml::AsInt(*max_bytes, "max_bytes"), &v));
    if (v <= 0) return ParseErrorAt(*max_bytes, "max_bytes must be positive");
    out->max_bytes = static_cast<size_t>(v);
  }
  if (integer != nullptr) {
    MapReader ir(*integer, "integer range");
    const Node* min = ir.Required("min");
    const Node* max = ir.Optional("max");
    RETURN_IF_ERROR(ir.Finish());
    IntegerRange range;
    RETURN_IF_ERROR(Assign(yaml::AsInt(*min, "min"), &range.min));
    if (max != nullptr) {
      int64_t v = 0;
      RETURN_IF_ERROR(Assign(yaml::AsInt(*max, "max"), &v));
      if (v < range.min) return ParseErrorAt(*max, "max is below min");
      range.max = v;
    }
    out->integer = range;
  }
  return Status::Ok();
}

Status ParseMethods(const Node& node, std::vector<HttpMethod>* out) {
  if (!node.is_sequence()) return ParseErrorAt(node, "accepted_methods must be a list");
  for (const auto& item : node.items) {
    std::optional<HttpMethod> m = item.is_scalar() ? ParseHttpMethod(item.scalar) : std::nullopt;
    if (!m) return ParseErrorAt(item, "unknown HTTP method (expected GET or POST)");
    out->push_back(*m);
  }
  return Status::Ok();
}

Status ParseOperation(const std::string& name, const Node& node, OperationSpec* op) {
  op->name = name;
  op->loc = node.loc;
  MapReader r(node, "operation \"" + name + "\"");
  const Node* sdk_method = r.Required("sdk_method");
  const Node* accepted = r.Required("accepted_methods");
  const Node* ram_action = r.Required("ram_action");
  const Node* kind = r.Required("kind");
  const Node* parameters = r.Required("parameters");
  const Node* response = r.Required("response");
  const Node* errors = r.Required("errors");
  RETURN_IF_ERROR(r.Finish());

  std::optional<HttpMethod> m = sdk_method->is_scalar() ? ParseHttpMethod(sdk_method->scalar) : std::nullopt;
  if (!m) return ParseErrorAt(*sdk_method, "sdk_method must be GET or POST");
  op->sdk_method = *m;
  RETURN_IF_ERROR(ParseMethods(*accepted, &op->accepted_methods));
  RETURN_IF_ERROR(Assign(yaml::AsString(*ram_action, "ram_action"), &op->ram_action));
  std::string kind_name;
  RETURN_IF_ERROR(Assign(yaml::AsString(*kind, "kind"), &kind_name));
  static const std::map<std::string, OperationKind> kKinds = {
      {"read", OperationKind::kRead}, {"write", OperationKind::kWrite}, {"delete", OperationKind::kDelete}};
  auto k = kKinds.find(kind_name);
  if (k == kKinds.end()) return ParseErrorAt(*kind, "kind must be read, write or delete");
  op->kind = k->second;
  if (!parameters->is_map()) return ParseErrorAt(*parameters, "parameters must be a map");
  for (const auto& [key, value] : parameters->entries) {
    ParameterSpec p;
    RETURN_IF_ERROR(ParseParameter(key.scalar, value, &p));
    op->parameters.push_back(std::move(p));
  }
  RETURN_IF_ERROR(ParseFields(*response, &op->response));
  RETURN_IF_ERROR(Assign(yaml::AsStringList(*errors, "errors"), &op->errors));
  return Status::Ok();
}

Status ParseStatusList(const Node& node, std::vector<int>* out) {
  if (!node.is_sequence() || node.items.empty())
    return ParseErrorAt(node, "statuses must be a non-empty list of HTTP statuses");
  for (const auto& item : node.items) {
    int64_t v = 0;
    RETURN_IF_ERROR(Assign(yaml::AsInt(item, "HTTP status"), &v));
    if (v < 100 || v > 599) return ParseErrorAt(item, "HTTP status must be between 100 and 599");
    out->push_back(static_cast<int>(v));
  }
  return Status::Ok();
}

Status ParseErrorSpec(const std::string& code, const Node& node, ErrorSpec* e) {
  e->code = code;
  e->loc = node.loc;
  MapReader r(node, "error \"" + code + "\"");
  const Node* origin = r.Required("origin");
  const Node* message = r.Required("message");
  const Node* statuses = r.Required("statuses");
  const Node* mock_status = r.Optional("mock_status");
  const Node* mock_invalid = r.Optional("mock_status_invalid");
  const Node* assumption = r.Optional("assumption");
  RETURN_IF_ERROR(r.Finish());
  std::string origin_name;
  RETURN_IF_ERROR(Assign(yaml::AsString(*origin, "origin"), &origin_name));
  if (origin_name == "service") {
    e->origin = ErrorOrigin::kService;
  } else if (origin_name == "gateway") {
    e->origin = ErrorOrigin::kGateway;
  } else {
    return ParseErrorAt(*origin, "origin must be service or gateway");
  }
  RETURN_IF_ERROR(Assign(yaml::AsString(*message, "message"), &e->message));
  RETURN_IF_ERROR(ParseStatusList(*statuses, &e->statuses));
  e->mock_status = e->statuses.front();
  if (mock_status != nullptr) {
    int64_t v = 0;
    RETURN_IF_ERROR(Assign(yaml::AsInt(*mock_status, "mock_status"), &v));
    e->mock_status = static_cast<int>(v);
    if (!e->Documents(e->mock_status))
      return ParseErrorAt(*mock_status, "mock_status must be one of the documented statuses");
  }
  if (mock_invalid != nullptr) {
    int64_t v = 0;
    RETURN_IF_ERROR(Assign(yaml::AsInt(*mock_invalid, "mock_status_invalid"), &v));
    e->mock_status_invalid = static_cast<int>(v);
    if (!e->Documents(static_cast<int>(v)))
      return ParseErrorAt(*mock_invalid, "mock_status_invalid must be one of the documented statuses");
  }
  if (assumption != nullptr) RETURN_IF_ERROR(Assign(yaml::AsString(*assumption, "assumption"), &e->assumption));
  return Status::Ok();
}

Status ParseRateLimit(const Node& node, RateLimit* out) {
  MapReader r(node, "rate_limit");
  const Node* cps = r.Required("calls_per_second");
  const Node* scope = r.Required("scope");
  const Node* error = r.Required("error");
  RETURN_IF_ERROR(r.Finish());
  int64_t v = 0;
  RETURN_IF_ERROR(Assign(yaml::AsInt(*cps, "calls_per_second"), &v));
  if (v <= 0) return ParseErrorAt(*cps, "calls_per_second must be positive");
  out->calls_per_second = static_cast<int>(v);
  RETURN_IF_ERROR(Assign(yaml::AsString(*scope, "scope"), &out->scope));
  return Assign(yaml::AsString(*error, "error"), &out->error_code);
}

// Cross-references: every code an operation or profile names must exist.
Status CheckReferences(const Contract& c, const Node& root) {
  for (const auto& op : c.operations) {
    const Node* listed = root.Find("operations")->Find(op.name)->Find("errors");
    for (size_t i = 0; i < op.errors.size(); ++i) {
      if (c.FindError(op.errors[i]) == nullptr) {
        std::string hint = yaml::DidYouMean(op.errors[i], [&] {
          std::vector<std::string> known;
          for (const auto& e : c.errors) known.push_back(e.code);
          return known;
        }());
        return Status::ParseError(listed->items[i].loc, "operation \"" + op.name + "\" lists unknown error code \"" +
                                                            op.errors[i] + "\"" + (hint.empty() ? "" : "; " + hint));
      }
    }
  }
  if (c.FindError(c.rate_limit.error_code) == nullptr) {
    return Status::ParseError(root.Find("rate_limit")->loc,
                              "rate_limit.error names unknown code \"" + c.rate_limit.error_code + "\"");
  }
  const Node* profiles = root.Find("profiles");
  for (const auto& [name, overrides] : c.profiles) {
    const Node* profile = profiles->Find(name);
    for (const auto& [code, status] : overrides) {
      const ErrorSpec* e = c.FindError(code);
      const Node* at = profile->Find(code);
      if (e == nullptr)
        return Status::ParseError(at->loc, "profile \"" + name + "\" names unknown error code \"" + code + "\"");
      if (!e->Documents(status)) {
        return Status::ParseError(at->loc, "profile \"" + name + "\" gives " + code + " status " +
                                               std::to_string(status) + ", which is not among its documented statuses");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Contract> ParseContract(const std::string& text, const std::string& file) {
  StatusOr<Node> doc = yaml::Parse(text, file);
  if (!doc.ok()) return doc.status();
  return ContractFromTree(*doc);
}

StatusOr<Contract> ContractFromTree(const Node& root) {
  Contract c;
  MapReader r(root, "the contract");
  const Node* product = r.Required("product");
  const Node* version = r.Required("version");
  const Node* endpoint = r.Required("endpoint");
  const Node* host_id = r.Required("host_id");
  const Node* recommend = r.Required("recommend");
  const Node* rate_limit = r.Required("rate_limit");
  const Node* operations = r.Required("operations");
  const Node* errors = r.Required("errors");
  const Node* profiles = r.Required("profiles");
  RETURN_IF_ERROR(r.Finish());
  RETURN_IF_ERROR(Assign(yaml::AsString(*product, "product"), &c.product));
  RETURN_IF_ERROR(Assign(yaml::AsString(*version, "version"), &c.version));
  RETURN_IF_ERROR(Assign(yaml::AsString(*endpoint, "endpoint"), &c.endpoint));
  RETURN_IF_ERROR(Assign(yaml::AsString(*host_id, "host_id"), &c.host_id));
  RETURN_IF_ERROR(Assign(yaml::AsString(*recommend, "recommend"), &c.recommend));
  RETURN_IF_ERROR(ParseRateLimit(*rate_limit, &c.rate_limit));
  if (!operations->is_map()) return ParseErrorAt(*operations, "operations must be a map");
  for (const auto& [key, value] : operations->entries) {
    OperationSpec op;
    RETURN_IF_ERROR(ParseOperation(key.scalar, value, &op));
    c.operations.push_back(std::move(op));
  }
  if (!errors->is_map()) return ParseErrorAt(*errors, "errors must be a map");
  for (const auto& [key, value] : errors->entries) {
    ErrorSpec e;
    RETURN_IF_ERROR(ParseErrorSpec(key.scalar, value, &e));
    c.errors.push_back(std::move(e));
  }
  if (!profiles->is_map()) return ParseErrorAt(*profiles, "profiles must be a map");
  for (const auto& [name, overrides] : profiles->entries) {
    if (!overrides.is_map()) return ParseErrorAt(overrides, "a profile must map error codes to statuses");
    for (const auto& [code, status] : overrides.entries) {
      int64_t v = 0;
      RETURN_IF_ERROR(Assign(yaml::AsInt(status, "status"), &v));
      c.profiles[name.scalar][code.scalar] = static_cast<int>(v);
    }
  }
  RETURN_IF_ERROR(CheckReferences(c, root));
  return c;
}

StatusOr<Contract> LoadContractFile(const std::string& path) {
  StatusOr<std::string> text = yaml::ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseContract(*text, path);
}

}  // namespace onsmqtt
