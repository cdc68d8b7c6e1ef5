#include "runner/report/docs.h"

// Placeholder until the documentation lands (branch h-docs).
namespace onsmqtt::runner {
std::map<std::string, std::string> RenderDocs(const RunResult&, const Contract&, const DocsOptions&) { return {}; }
}  // namespace onsmqtt::runner
