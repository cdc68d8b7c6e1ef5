// Connect steps: the runner acting as a device (scenarios/README.md, "A
// connect step").
#include <algorithm>

#include "runner/scenario/connack_codes.h"
#include "runner/scenario/loader_internal.h"

namespace onsmqtt::runner::internal {

namespace {

constexpr char kForms[] =
    "{connack: N}, {refused: any}, {refused: tls}, {closed: true} or {handshake: ok} (handshake_only steps)";

// What a connect step can capture: facts of what it sent.
const std::vector<std::string>& CaptureFields() {
  static const std::vector<std::string> fields = {"certificate.sn", "certificate.cn", "client_id"};
  return fields;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The fixture's devices that have both a certificate and a key.
std::vector<std::string> KnownDevices(const std::set<std::string>& known) {
  std::vector<std::string> out;
  for (const std::string& name : known) {
    if (name.rfind("device.", 0) != 0 || !EndsWith(name, ".pem")) continue;
    std::string k = name.substr(7, name.size() - 11);
    if (known.count("device." + k + ".key") != 0) out.push_back(k);
  }
  return out;
}

// `device: <k>`: certificate ${device.<k>.pem} and key ${device.<k>.key}.
void ReadDevice(const yaml::Node& node, ConnectSpec* c, LoadContext* ctx) {
  std::optional<std::string> k = ReadString(node, "device", ctx);
  if (!k.has_value()) return;
  c->device = *k;
  c->certificate = Template{"${device." + *k + ".pem}", node.loc};
  c->key = Template{"${device." + *k + ".key}", node.loc};
  if (!ctx->check_variables()) return;
  const std::set<std::string>& known = *ctx->known();
  for (const char* suffix : {".pem", ".key"}) {
    if (known.count("device." + *k + suffix) != 0) continue;
    std::string msg = "unknown device " + Quote(*k) + ": the target defines no device." + *k + suffix;
    std::vector<std::string> devices = KnownDevices(known);
    std::string hint = yaml::DidYouMean(*k, devices);
    if (hint.empty()) {
      msg += " (devices:";
      for (const std::string& d : devices) msg += " " + d;
      msg += ")";
    }
    ctx->Error(node.loc, msg + (hint.empty() ? "" : "; " + hint));
    return;
  }
}

void ReadChain(const yaml::Node& node, ConnectSpec* c, LoadContext* ctx) {
  if (node.is_scalar()) {
    if (auto t = ReadTemplate(node, "chain", ctx)) c->chain.push_back(std::move(*t));
    return;
  }
  if (!node.is_sequence() || node.items.empty()) {
    ctx->Error(node.loc, "chain must be a PEM text or a non-empty list of them, got " + std::string(node.KindName()));
    return;
  }
  for (const yaml::Node& item : node.items) {
    if (auto t = ReadTemplate(item, "chain item", ctx)) c->chain.push_back(std::move(*t));
  }
}

// device, or certificate and key: exactly one way of naming the identity.
void ReadIdentity(const KeyReader& r, const yaml::Node& node, ConnectSpec* c, LoadContext* ctx) {
  const yaml::Node* device = r.Get("device");
  const yaml::Node* certificate = r.Get("certificate");
  const yaml::Node* key = r.Get("key");
  if (device != nullptr && (certificate != nullptr || key != nullptr)) {
    const yaml::Node* second = certificate != nullptr ? certificate : key;
    ctx->Error(second->loc, "write device: <k> or certificate: and key:, not both");
    return;
  }
  if (device != nullptr) {
    ReadDevice(*device, c, ctx);
    return;
  }
  if (certificate == nullptr && key == nullptr) {
    ctx->Error(node.loc,
               "connect needs device: <k> (the fixture's device.<k>.pem and .key) or certificate: and key: "
               "(PEM texts, e.g. ${file.<k>} and ${file.<k>.key})");
    return;
  }
  if (certificate == nullptr || key == nullptr) {
    ctx->Error(node.loc, certificate == nullptr ? "connect has key: but no certificate: (the leaf's PEM text)"
                                                : "connect has certificate: but no key: (its private key's PEM text)");
  }
  if (certificate != nullptr) c->certificate = ReadTemplate(*certificate, "certificate", ctx).value_or(Template{});
  if (key != nullptr) c->key = ReadTemplate(*key, "key", ctx).value_or(Template{});
}

void ReadConnectMap(const yaml::Node& node, ConnectSpec* c, LoadContext* ctx) {
  c->loc = node.loc;
  KeyReader r(node, "connect", keys::kConnect);
  ctx->Finish(&r);
  if (!node.is_map()) return;
  ReadIdentity(r, node, c, ctx);
  if (const yaml::Node* n = r.Get("chain")) ReadChain(*n, c, ctx);
  if (const yaml::Node* n = r.Get("protocol")) {
    static const mqtt::Version kVersions[] = {mqtt::Version::k31, mqtt::Version::k311, mqtt::Version::k5};
    if (auto i = ReadChoice(*n, "protocol", {"3.1", "3.1.1", "5.0"}, ctx)) c->protocol = kVersions[*i];
  }
  if (const yaml::Node* n = r.Get("client_id")) c->client_id = ReadTemplate(*n, "client_id", ctx);
  if (const yaml::Node* n = r.Get("server_name")) c->server_name = ReadTemplate(*n, "server_name", ctx);
  if (const yaml::Node* n = r.Get("username")) c->username = ReadTemplate(*n, "username", ctx);
  if (const yaml::Node* n = r.Get("password")) c->password = ReadTemplate(*n, "password", ctx);
  if (const yaml::Node* n = r.Get("keep_alive")) {
    c->keep_alive = static_cast<int>(ReadInt(*n, "keep_alive", 0, 65535, ctx).value_or(60));
  }
  if (const yaml::Node* n = r.Get("handshake_only"))
    c->handshake_only = ReadBool(*n, "handshake_only", ctx).value_or(false);
}

// {connack: N}: N must be a code the step's protocol defines.
void ReadConnackCode(const yaml::Node& arg, ConnectSpec* c, LoadContext* ctx) {
  std::optional<int64_t> n = ReadInt(arg, "connack", 0, 255, ctx);
  if (!n.has_value()) return;
  c->expect.code = static_cast<int>(*n);
  if (!ConnackCodeName(c->protocol, c->expect.code).empty()) return;
  if (c->protocol == mqtt::Version::k5) {
    std::string hint = *n >= 1 && *n <= 5 ? " (a 3.1.1 return code; in 5.0 \"not authorized\" is 135)" : "";
    ctx->Error(arg.loc, "connack " + std::to_string(*n) + " is not an MQTT 5.0 reason code" + hint);
  } else {
    std::string hint = *n >= 128 ? " (a 5.0 reason code; write protocol: \"5.0\", or 5 for not authorized)" : "";
    ctx->Error(arg.loc, "connack " + std::to_string(*n) + " is not an MQTT 3.1/3.1.1 return code (0-5)" + hint);
  }
}

// The one expected outcome, after the connect map (the code depends on the
// protocol, the allowed forms on handshake_only).
void ReadConnectExpect(const yaml::Node& node, ConnectSpec* c, LoadContext* ctx) {
  c->expect.loc = node.loc;
  const std::vector<std::string> forms = KeyNames(keys::kConnectExpect);
  if (!node.is_map() || node.entries.size() != 1) {
    ctx->Error(node.loc, std::string("a connect step's expect is one of ") + kForms);
    return;
  }
  const auto& [key, arg] = node.entries.front();
  auto it = std::find(forms.begin(), forms.end(), key.scalar);
  if (it == forms.end()) {
    std::string hint = yaml::DidYouMean(key.scalar, forms);
    ctx->Error(key.loc, "unknown expectation " + Quote(key.scalar) + " of a connect step" +
                            (hint.empty() ? "" : "; " + hint) + " (one of " + kForms + ")");
    return;
  }
  using Kind = ConnectExpectation::Kind;
  static const Kind kKinds[] = {Kind::kConnack, Kind::kRefusedTls, Kind::kClosed, Kind::kHandshakeOk};
  c->expect.kind = kKinds[it - forms.begin()];
  if (c->expect.kind == Kind::kConnack) ReadConnackCode(arg, c, ctx);
  if (c->expect.kind == Kind::kRefusedTls) {
    std::optional<size_t> i = ReadChoice(arg, "refused", {"any", "tls"}, ctx);
    if (i == std::optional<size_t>(0)) c->expect.kind = Kind::kRefusedAny;
  }
  if (c->expect.kind == Kind::kHandshakeOk) ReadChoice(arg, "handshake", {"ok"}, ctx);
  if (c->expect.kind == Kind::kClosed && ReadBool(arg, "closed", ctx) == std::optional<bool>(false)) {
    ctx->Error(arg.loc, "write {closed: true} (an accepted connect is {connack: 0})");
  }
  bool sends_connect = c->expect.kind == Kind::kConnack || c->expect.kind == Kind::kClosed;
  if (c->handshake_only && sends_connect) {
    ctx->Error(key.loc,
               "a handshake_only step sends no CONNECT: expect {handshake: ok}, {refused: any} or {refused: tls}");
  } else if (!c->handshake_only && c->expect.kind == Kind::kHandshakeOk) {
    ctx->Error(key.loc, "{handshake: ok} is for steps with handshake_only: true (a CONNECT is answered: {connack: N})");
  }
}

void ReadConnectCaptures(const yaml::Node& node, Step* step, LoadContext* ctx) {
  if (!node.is_map()) {
    ctx->Error(node.loc, "capture must be a map of variable name to certificate.sn, certificate.cn or client_id");
    return;
  }
  std::set<std::string> defined;
  for (const auto& [key, value] : node.entries) {
    if (!IsCaptureName(key.scalar) || key.scalar.rfind("env.", 0) == 0) {
      ctx->Error(key.loc, "capture name " + Quote(key.scalar) +
                              " must start with a letter and hold letters, digits, _ . - (not env.*)");
      continue;
    }
    std::optional<size_t> i = ReadChoice(value, "capture " + key.scalar, CaptureFields(), ctx);
    if (!i.has_value()) continue;
    if (step->connect.handshake_only && CaptureFields()[*i] == "client_id") {
      ctx->Error(value.loc, "a handshake_only step sends no client id to capture");
      continue;
    }
    step->captures.push_back(Capture{key.scalar, CaptureFields()[*i], key.loc, std::nullopt});
    defined.insert(key.scalar);
  }
  // Visible from the next step on, as a call step's.
  ctx->captures().insert(defined.begin(), defined.end());
}

}  // namespace

std::optional<Step> ReadConnectStep(const yaml::Node& node, size_t index, LoadContext* ctx) {
  size_t errors_before = ctx->error_count();
  Step step;
  step.kind = Step::Kind::kConnect;
  step.loc = node.loc;
  if (const yaml::Node* call = node.Find("call")) {
    ctx->Error(call->loc, "a step is either a call (call:) or a device connecting (connect:), not both");
  }
  KeyReader r(node, "connect step", keys::kConnectStep);
  const yaml::Node* name = r.Get("name");
  const yaml::Node* connect = r.Get("connect");
  const yaml::Node* expect = r.Get("expect");
  const yaml::Node* capture = r.Get("capture");
  if (node.Find("call") == nullptr) ctx->Finish(&r);
  ConnectSpec& c = step.connect;
  if (connect != nullptr) ReadConnectMap(*connect, &c, ctx);
  c.expect.loc = node.loc;
  c.expect.kind = c.handshake_only ? ConnectExpectation::Kind::kHandshakeOk : ConnectExpectation::Kind::kConnack;
  if (expect != nullptr) ReadConnectExpect(*expect, &c, ctx);
  if (capture != nullptr) ReadConnectCaptures(*capture, &step, ctx);
  if (name != nullptr) step.name = ReadString(*name, "name", ctx).value_or("");
  if (step.name.empty()) {
    step.name = std::to_string(index + 1) + ": connect" + (c.device.empty() ? "" : " " + c.device) +
                (c.handshake_only ? " (handshake only)" : "");
  }
  if (ctx->error_count() != errors_before) return std::nullopt;
  return step;
}

void ReportStepWithoutKind(const yaml::Node& node, LoadContext* ctx) {
  std::vector<std::string> known = KeyNames(keys::kStep);
  for (const keys::Key& k : keys::kConnectStep) {
    if (std::find(known.begin(), known.end(), k.name) == known.end()) known.emplace_back(k.name);
  }
  for (const auto& [key, value] : node.entries) {
    if (std::find(known.begin(), known.end(), key.scalar) != known.end()) continue;
    std::string hint = yaml::DidYouMean(key.scalar, known);
    ctx->Error(key.loc, "unknown key " + Quote(key.scalar) + " in step" + (hint.empty() ? "" : "; " + hint));
  }
  ctx->Error(node.loc, "a step needs call: (an API call) or connect: (a device connecting over MQTT)");
}

}  // namespace onsmqtt::runner::internal
