#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/source_location.h"
#include "contract/status.h"

// The API contract as typed data, loaded from contract/onsmqtt-2020-04-20.yaml
// (checked and embedded into every binary at build time; see BuiltinContract()).
namespace onsmqtt {

namespace yaml {
struct Node;
}  // namespace yaml

enum class HttpMethod { kGet, kPost };
enum class OperationKind { kRead, kWrite, kDelete };
enum class ErrorOrigin { kService, kGateway };
enum class JsonType { kString, kNumber, kBoolean, kObject, kArray };

const char* HttpMethodName(HttpMethod m);  // "GET", "POST"
std::optional<HttpMethod> ParseHttpMethod(const std::string& s);
const char* JsonTypeName(JsonType t);  // "string", "number", ...

struct IntegerRange {
  int64_t min = 0;
  std::optional<int64_t> max;
};

struct ParameterSpec {
  std::string name;
  bool required = true;
  std::optional<size_t> max_bytes;      // longer values are invalid
  std::optional<IntegerRange> integer;  // the string must be a decimal in range
  SourceLocation loc;
};

// A response field. Objects list their fields; arrays list the fields of
// each (object) item.
struct FieldSpec {
  std::string name;
  JsonType type = JsonType::kString;
  std::vector<FieldSpec> fields;
  SourceLocation loc;
};

struct OperationSpec {
  std::string name;
  HttpMethod sdk_method = HttpMethod::kPost;
  std::vector<HttpMethod> accepted_methods;
  std::string ram_action;
  OperationKind kind = OperationKind::kRead;
  std::vector<ParameterSpec> parameters;  // in file order
  std::vector<FieldSpec> response;        // top-level fields, RequestId included
  std::vector<std::string> errors;        // service error codes documented
  SourceLocation loc;

  const ParameterSpec* FindParameter(const std::string& name) const;
  bool Accepts(HttpMethod m) const;
};

struct ErrorSpec {
  std::string code;
  ErrorOrigin origin = ErrorOrigin::kService;
  std::string message;                     // may contain "{param}"
  std::vector<int> statuses;               // every documented status, first = reference
  int mock_status = 0;                     // the mock's default answer
  std::optional<int> mock_status_invalid;  // present-but-invalid variant
  std::string assumption;                  // non-empty when the entry is a decision
  SourceLocation loc;

  bool Documents(int status) const;
  // The message with "{param}" replaced.
  std::string FormatMessage(const std::string& param = "") const;
};

struct RateLimit {
  int calls_per_second = 0;
  std::string scope;
  std::string error_code;
};

class Contract {
 public:
  std::string product;
  std::string version;
  std::string endpoint;   // with "{region}"
  std::string host_id;    // with "{region}"
  std::string recommend;  // with "{code}" and "{request_id}"
  RateLimit rate_limit;
  std::vector<OperationSpec> operations;
  std::vector<ErrorSpec> errors;
  // profile name -> code -> status
  std::map<std::string, std::map<std::string, int>> profiles;

  const OperationSpec* FindOperation(const std::string& action) const;
  const ErrorSpec* FindError(const std::string& code) const;
  std::string HostId(const std::string& region) const;
  std::string Endpoint(const std::string& region) const;
  // The region a Host names, by host_id: "onsmqtt.{region}.aliyuncs.com",
  // or its VPC form, the first label with "-vpc" ("onsmqtt-vpc.{region}...",
  // Alibaba Cloud's naming of VPC endpoints). Compared without case (host
  // names have none), a port is ignored, and the region is one DNS label:
  // "ONSMQTT.cn-beijing.aliyuncs.com:443" -> "cn-beijing". Anything else
  // ("127.0.0.1:8080", "onsmqtt.cn-hangzhou.example.com") -> "". The one
  // rule for both the mock (the region of a request) and the runner (the
  // region of an endpoint).
  std::string RegionFromHost(std::string_view host) const;
  std::string Recommend(const std::string& code, const std::string& request_id) const;
  std::vector<std::string> OperationNames() const;
};

// Parses a contract document. `file` names it in error locations.
StatusOr<Contract> ParseContract(const std::string& text, const std::string& file);
// The second half of ParseContract: the model from the document's YAML tree
// (locations come from the tree's nodes).
StatusOr<Contract> ContractFromTree(const yaml::Node& root);
StatusOr<Contract> LoadContractFile(const std::string& path);

// The contract embedded at build time (in the onsmqtt_contract library, made
// by contract/embed_contract.cc, which fails the build on a broken contract).
// Parsed from the embedded text once per process, thread-safe; a text that
// does not parse is a build defect and aborts with the diagnostic.
const Contract& BuiltinContract();
// The embedded text and the path it came from (for diagnostics and docs).
const std::string& BuiltinContractText();
const char* BuiltinContractPath();

}  // namespace onsmqtt
