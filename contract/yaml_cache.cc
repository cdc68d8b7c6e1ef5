#include "contract/yaml_cache.h"

namespace onsmqtt::yaml {

const ShippedYaml* FindShipped(std::string_view text, std::span<const ShippedYaml> shipped) {
  for (const ShippedYaml& f : shipped) {
    if (f.path[0] != '\0' && f.text == text) return &f;
  }
  return nullptr;
}

StatusOr<Node> ParseCached(const std::string& text, const std::string& file, std::vector<Status>* recoverable,
                           std::span<const ShippedYaml> shipped) {
  if (const ShippedYaml* found = FindShipped(text, shipped)) {
    StatusOr<Node> tree = Deserialize(found->tree, file);
    if (tree.ok()) return tree;  // else (cannot happen: the generator wrote it) parse the text
  }
  return Parse(text, file, recoverable);
}

StatusOr<Node> ParseFile(const std::string& path, std::string* text) {
  StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return content.status();
  if (text != nullptr) *text = *content;
  return ParseCached(*content, path);
}

}  // namespace onsmqtt::yaml
