// yaml::Parse: yaml-cpp's event parser builds the positioned tree directly,
// within the limits of yaml_tree.h. yaml::Load would build yaml-cpp's own
// node graph first, in which an alias shares its anchor's node: copying that
// graph into a tree is exponential for a "billion laughs" file, and a cyclic
// alias (&a [*a]) never ends. Here every node is charged to a budget as it
// is made, an alias is charged the whole size of the content it copies
// before it is copied, and nesting is bounded before yaml-cpp's recursive
// descent goes deeper.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <set>
#include <sstream>

#include "contract/yaml_hints.h"
#include "contract/yaml_tree.h"

namespace onsmqtt::yaml {

namespace {

std::string WithCommas(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Thrown by the builder to stop yaml-cpp at once; caught in Parse.
struct Stop {
  Status status;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, std::vector<Status>* recoverable) : file_(file), recoverable_(recoverable) {}

  bool has_root() const { return has_root_; }
  Node TakeRoot() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.loc = Loc(mark);
    Charge(n.loc, 1, 0);
    Finish(std::move(n), anchor, 1, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    n.kind = Kind::kScalar;
    n.loc = Loc(mark);
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp's non-specific tag of a quoted scalar
    Charge(n.loc, 1, value.size());
    Finish(std::move(n), anchor, 1, value.size());
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    SourceLocation at = Loc(mark);
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw Stop{Status::ParseError(at, "alias *" + AnchorName(anchor) +
                                            " is used inside the content of its own anchor (a cycle); an alias may "
                                            "only repeat a node that is complete")};
    }
    const Anchored& a = it->second;
    if (nodes_ + stored_nodes_ + a.nodes > kMaxYamlNodes || bytes_ + stored_bytes_ + a.bytes > kMaxYamlScalarBytes) {
      throw Stop{Status::ParseError(at, "aliases expand this document beyond " + WithCommas(kMaxYamlNodes) +
                                            " nodes or " + WithCommas(kMaxYamlScalarBytes) + " bytes of text (*" +
                                            AnchorName(anchor) + " copies " + WithCommas(a.nodes) +
                                            " nodes each time it is used); use fewer or smaller aliases")};
    }
    nodes_ += a.nodes;
    bytes_ += a.bytes;
    Attach(Node(a.node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, Kind::kSequence, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, Kind::kMap, anchor);
  }
  void OnMapEnd() override { Close(); }

  // yaml-cpp numbers anchors 1, 2, ... in the order their names are read.
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_names_.push_back(name); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    size_t nodes_before = 0;  // budget used when the collection opened
    size_t bytes_before = 0;
    bool has_key = false;
    Node key;
    std::set<std::string> keys;
  };
  struct Anchored {
    Node node;
    size_t nodes = 0;
    size_t bytes = 0;
  };

  SourceLocation Loc(const YAML::Mark& mark) const {
    if (mark.is_null()) return SourceLocation{file_, 0, 0};
    return SourceLocation{file_, mark.line + 1, mark.column + 1};
  }

  std::string AnchorName(YAML::anchor_t anchor) const {
    if (anchor >= 1 && anchor <= anchor_names_.size()) return anchor_names_[anchor - 1];
    return "?";
  }

  // Counts nodes made (`stored`: copies kept for aliases) against the budget.
  void Charge(const SourceLocation& at, size_t nodes, size_t bytes, bool stored = false) {
    (stored ? stored_nodes_ : nodes_) += nodes;
    (stored ? stored_bytes_ : bytes_) += bytes;
    if (nodes_ + stored_nodes_ > kMaxYamlNodes || bytes_ + stored_bytes_ > kMaxYamlScalarBytes) {
      throw Stop{Status::ParseError(at, "the document holds more than " + WithCommas(kMaxYamlNodes) + " nodes or " +
                                            WithCommas(kMaxYamlScalarBytes) + " bytes of text")};
    }
  }

  void Open(const YAML::Mark& mark, Kind kind, YAML::anchor_t anchor) {
    Frame f;
    f.node.kind = kind;
    f.node.loc = Loc(mark);
    if (stack_.size() >= static_cast<size_t>(kMaxYamlDepth)) {
      throw Stop{Status::ParseError(
          f.node.loc, "lists and maps are nested deeper than " + std::to_string(kMaxYamlDepth) + " levels")};
    }
    Charge(f.node.loc, 1, 0);
    f.anchor = anchor;
    f.nodes_before = nodes_ - 1;
    f.bytes_before = bytes_;
    stack_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Finish(std::move(f.node), f.anchor, nodes_ - f.nodes_before, bytes_ - f.bytes_before);
  }

  // A node is complete: remember it under its anchor (a copy, charged like
  // any other node), then put it into its parent.
  void Finish(Node n, YAML::anchor_t anchor, size_t nodes, size_t bytes) {
    if (anchor != 0) {
      Charge(n.loc, nodes, bytes, /*stored=*/true);
      anchors_[anchor] = Anchored{n, nodes, bytes};
    }
    Attach(std::move(n));
  }

  void Attach(Node n) {
    if (stack_.empty()) {
      if (!has_root_) root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == Kind::kSequence) {
      top.node.items.push_back(std::move(n));
      return;
    }
    if (!top.has_key) {
      top.key = std::move(n);
      top.has_key = true;
      return;
    }
    top.has_key = false;
    Node key = std::move(top.key);
    if (!key.is_scalar()) {
      Report(Status::ParseError(key.loc, "map keys must be plain strings"));
    } else if (!top.keys.insert(key.scalar).second) {
      Report(Status::ParseError(key.loc, "duplicate key \"" + key.scalar + "\" (a key may appear once per map)"));
    } else {
      top.node.entries.emplace_back(std::move(key), std::move(n));
    }
  }

  // An error after which the tree is still usable (the entry is left out).
  void Report(Status s) {
    if (recoverable_ == nullptr) throw Stop{std::move(s)};
    recoverable_->push_back(std::move(s));
  }

  const std::string& file_;
  std::vector<Status>* recoverable_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::vector<std::string> anchor_names_;
  size_t nodes_ = 0;  // in the tree (aliases counted at their full size)
  size_t bytes_ = 0;
  size_t stored_nodes_ = 0;  // in the copies kept for aliases
  size_t stored_bytes_ = 0;
  Node root_;
  bool has_root_ = false;
};

// yaml-cpp's scanner reads ahead through nested flow collections before its
// parser sees the first of them (each "[" or "{" may open a simple key):
// 2,000,000 of them took 8 s and 480 MB before any event. Counting them is
// cheap and exact enough: ordinary files hold a few hundred.
Status CheckFlowOpeners(const std::string& text, const std::string& file) {
  size_t count = 0;
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    } else if ((c == '[' || c == '{') && ++count > kMaxYamlFlowOpeners) {
      return Status::ParseError(SourceLocation{file, line, static_cast<int>(i - line_start) + 1},
                                "the file holds more than " + WithCommas(kMaxYamlFlowOpeners) +
                                    " \"[\" and \"{\" (flow lists and maps); write long lists in block style");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Node> Parse(const std::string& text, const std::string& file, std::vector<Status>* recoverable) {
  if (text.size() > kMaxYamlBytes) {
    return Status::ParseError(SourceLocation{file, 1, 1}, "the file holds " + WithCommas(text.size()) +
                                                              " bytes; a YAML file may hold at most " +
                                                              WithCommas(kMaxYamlBytes) + " (4 MiB)");
  }
  if (Status s = CheckFlowOpeners(text, file); !s.ok()) return s;
  std::istringstream in(text);
  std::vector<Status> found;
  TreeBuilder builder(file, recoverable != nullptr ? &found : nullptr);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const Stop& stop) {
    return stop.status;
  } catch (const YAML::Exception& e) {
    SourceLocation at =
        e.mark.is_null() ? SourceLocation{file, 1, 1} : SourceLocation{file, e.mark.line + 1, e.mark.column + 1};
    return Status::ParseError(at, WithHint(e.msg, text, at));
  }
  if (recoverable != nullptr) recoverable->insert(recoverable->end(), found.begin(), found.end());
  Node out = builder.has_root() ? builder.TakeRoot() : Node{};
  if (!out.loc.known()) out.loc = SourceLocation{file, 1, 1};
  return out;
}

}  // namespace onsmqtt::yaml
