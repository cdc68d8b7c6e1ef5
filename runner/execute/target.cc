#include "runner/execute/target.h"

#include <cstdlib>

#include "contract/contract.h"
#include "contract/yaml_tree.h"
#include "mock_server/mock_server.h"

namespace onsmqtt::runner {

Session::Session() = default;
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

namespace {

constexpr char kEnvKeyId[] = "ALIBABA_CLOUD_ACCESS_KEY_ID";
constexpr char kEnvKeySecret[] = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
constexpr char kEnvToken[] = "ALIBABA_CLOUD_SECURITY_TOKEN";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Replaces every ${env.NAME} in `value`.
StatusOr<std::string> ExpandEnv(const std::string& value, const yaml::Node& node,
                                const std::function<const char*(const char*)>& getenv) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t start = value.find("${", i);
    if (start == std::string::npos) break;
    size_t end = value.find('}', start);
    if (end == std::string::npos) return Status::ParseError(node.loc, "unterminated \"${\" in \"" + value + "\"");
    std::string name = value.substr(start + 2, end - start - 2);
    if (name.rfind("env.", 0) != 0) {
      return Status::ParseError(node.loc, "only ${env.NAME} may be used in a vars file, not ${" + name + "}");
    }
    const char* env = getenv(name.substr(4).c_str());
    if (env == nullptr) {
      return Status::ParseError(
          node.loc, "environment variable " + name.substr(4) + " is not set (export it, or write the value here)");
    }
    out += value.substr(i, start - i) + env;
    i = end + 1;
  }
  return out + value.substr(i);
}

Status Flatten(const yaml::Node& node, const std::string& prefix, const std::function<const char*(const char*)>& getenv,
               std::map<std::string, std::string>* out) {
  if (node.is_map()) {
    for (const auto& [key, value] : node.entries) {
      Status s = Flatten(value, prefix.empty() ? key.scalar : prefix + "." + key.scalar, getenv, out);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  if (!node.is_scalar()) {
    return Status::ParseError(node.loc, "the value of \"" + prefix + "\" must be a string, not " + node.KindName());
  }
  StatusOr<std::string> value = ExpandEnv(node.scalar, node, getenv);
  if (!value.ok()) return value.status();
  (*out)[prefix] = *value;
  return Status::Ok();
}

std::set<std::string> SecretValues(const std::map<std::string, std::string>& vars) {
  std::set<std::string> out;
  for (const auto& [k, v] : vars) {
    if (IsSecretVariable(k) && !v.empty()) out.insert(v);
  }
  return out;
}

}  // namespace

std::string MqttEndpoint::Address() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

StatusOr<MqttEndpoint> ParseMqttEndpoint(const std::string& text) {
  const std::string usage =
      "--mqtt-endpoint wants HOST:PORT (e.g. post-cn-xxx.mqtt.aliyuncs.com:8883), got \"" + text + "\"";
  MqttEndpoint out;
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return Status::InvalidArgument(usage);
  out.host = text.substr(0, colon);
  if (out.host.front() == '[') {
    if (out.host.size() < 3 || out.host.back() != ']') return Status::InvalidArgument(usage);
    out.host = out.host.substr(1, out.host.size() - 2);
  } else if (out.host.find(':') != std::string::npos) {
    return Status::InvalidArgument(usage + " (write an IPv6 address in brackets: [::1]:8883)");
  }
  std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) < 1 || std::stoi(port) > 65535) {
    return Status::InvalidArgument(usage);
  }
  out.port = std::stoi(port);
  out.server_name = out.host;
  return out;
}

bool IsSecretVariable(const std::string& name) {
  std::string lower = ToLower(name);
  return EndsWith(lower, "secret") || EndsWith(lower, "token") || EndsWith(lower, "password") ||
         EndsWith(lower, ".key");
}

StatusOr<std::map<std::string, std::string>> LoadVarsFile(const std::string& path,
                                                          const std::function<const char*(const char*)>& getenv) {
  StatusOr<yaml::Node> root = yaml::ParseFile(path);
  if (!root.ok()) return root.status();
  std::map<std::string, std::string> out;
  if (root->is_null()) return out;
  if (!root->is_map()) {
    return Status::ParseError(root->loc, std::string("a vars file is a map of name: value, not ") + root->KindName());
  }
  Status s = Flatten(*root, "", getenv, &out);
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::unique_ptr<Target>> Target::Create(const TargetOptions& options) {
  std::unique_ptr<Target> target(new Target(options));
  if (!target->options_.getenv) target->options_.getenv = [](const char* n) { return std::getenv(n); };
  Status s = target->is_mock() ? target->InitMock() : target->InitEndpoint();
  if (!s.ok()) return s;
  return target;
}

StatusOr<std::shared_ptr<const mock::Fixture>> Target::LoadedFixture(const std::string& path) const {
  {
    std::lock_guard<std::mutex> lock(fixtures_mu_);
    if (auto it = fixtures_.find(path); it != fixtures_.end()) return it->second;
  }
  // Read outside the lock; a failure is not kept (each caller reports it).
  StatusOr<std::shared_ptr<const mock::Fixture>> read = mock::MockServer::ReadFixture(path);
  if (!read.ok()) return read.status();
  std::lock_guard<std::mutex> lock(fixtures_mu_);
  return fixtures_.emplace(path, *read).first->second;
}

StatusOr<std::set<std::string>> Target::FixtureNames(const std::string& path) const {
  StatusOr<std::shared_ptr<const mock::Fixture>> fixture = LoadedFixture(path);
  if (!fixture.ok()) return fixture.status();
  mock::MockOptions mo;
  mo.quiet = true;
  mock::MockServer probe(mo);
  if (Status s = probe.LoadFixture(*fixture); !s.ok()) return s;
  std::set<std::string> names;
  for (const auto& [k, v] : probe.Variables()) names.insert(k);
  return names;
}

Status Target::InitMock() {
  if (!options_.vars_file.empty()) {
    return Status::InvalidArgument("--vars is for endpoints; the embedded mock takes its variables from the fixture");
  }
  if (!options_.mqtt_endpoint.empty()) {
    return Status::InvalidArgument(
        "--mqtt-endpoint is for --target endpoints; the embedded mock starts its own MQTT listener");
  }
  StatusOr<std::shared_ptr<const mock::Fixture>> fixture = LoadedFixture(options_.default_fixture);
  if (!fixture.ok()) return fixture.status();
  mock::MockOptions mo;
  mo.quiet = true;
  mock::MockServer probe(mo);
  if (Status s = probe.LoadFixture(*fixture); !s.ok()) return s;
  variables_ = probe.Variables();
  auto region = variables_.find("region");
  region_ = region == variables_.end() ? "cn-hangzhou" : region->second;
  return Status::Ok();
}

Status Target::InitEndpoint() {
  StatusOr<BaseUrl> url = ParseBaseUrl(options_.url);
  if (!url.ok()) return url.status();
  if (!options_.mqtt_endpoint.empty()) {
    StatusOr<MqttEndpoint> mqtt = ParseMqttEndpoint(options_.mqtt_endpoint);
    if (!mqtt.ok()) return mqtt.status();
    mqtt_ = *mqtt;
  }
  if (!options_.vars_file.empty()) {
    auto vars = LoadVarsFile(options_.vars_file, options_.getenv);
    if (!vars.ok()) return vars.status();
    variables_ = *vars;
  }
  const char* id = options_.getenv(kEnvKeyId);
  const char* secret = options_.getenv(kEnvKeySecret);
  const char* token = options_.getenv(kEnvToken);
  if (id != nullptr && *id != '\0') variables_["key.owner.id"] = id;
  if (secret != nullptr && *secret != '\0') variables_["key.owner.secret"] = secret;
  if (token != nullptr && *token != '\0') variables_["key.owner.token"] = token;
  if (variables_.count("key.owner.id") == 0 || variables_.count("key.owner.secret") == 0) {
    return Status::InvalidArgument(std::string("no credentials for ") + options_.url + ": export " + kEnvKeyId +
                                   " and " + kEnvKeySecret + " (and " + kEnvToken +
                                   " for STS), or set key.owner.id/key.owner.secret in the --vars file");
  }
  if (variables_.count("region") == 0) {
    std::string region = BuiltinContract().RegionFromHost(url->host);
    if (region.empty()) {
      return Status::InvalidArgument("cannot tell the region from \"" + url->host +
                                     "\"; set `region: <id>` in the --vars file");
    }
    variables_["region"] = region;
  }
  region_ = variables_["region"];
  // The fixture's names are known too, so scenarios that use what this
  // endpoint lacks still load (the executor skips them with the name), and a
  // name no source defines is still a typo.
  StatusOr<std::set<std::string>> names = FixtureNames(options_.default_fixture);
  if (!names.ok()) {
    return Status::InvalidArgument("the fixture " + options_.default_fixture +
                                   " names the variables scenarios may use, and it does not load (" +
                                   names.status().ToString() + "); pass --fixture FILE");
  }
  fixture_names_ = std::move(*names);
  return Status::Ok();
}

std::set<std::string> Target::VariableNames() const {
  std::set<std::string> out = fixture_names_;
  for (const auto& [k, v] : variables_) out.insert(k);
  return out;
}

StatusOr<std::set<std::string>> Target::VariableNamesFor(const std::string& fixture) const {
  if (fixture.empty() || fixture == options_.default_fixture) return VariableNames();
  StatusOr<std::set<std::string>> names = FixtureNames(fixture);
  if (!names.ok() || is_mock()) return names;
  for (const auto& [k, v] : variables_) names->insert(k);
  return names;
}

StatusOr<Session> Target::Open(const std::string& fixture, bool mqtt) const {
  Session session;
  session.region = region_;
  session.transport.ca_file = options_.ca_file;
  session.transport.insecure = options_.insecure;
  if (!is_mock()) {
    session.transport.base_url = options_.url;
    StatusOr<BaseUrl> url = ParseBaseUrl(options_.url);
    if (!url.ok()) return url.status();
    session.host = url->HostHeader();
    session.variables = variables_;
    session.secret_values = SecretValues(variables_);
    if (mqtt && mqtt_.has_value()) {
      session.mqtt = mqtt_;
      if (auto ca = variables_.find("mqtt.ca"); ca != variables_.end()) session.mqtt->ca_pem = ca->second;
      session.mqtt->verify = !options_.insecure;
    }
    return session;
  }
  StatusOr<std::shared_ptr<const mock::Fixture>> loaded =
      LoadedFixture(fixture.empty() ? options_.default_fixture : fixture);
  if (!loaded.ok()) return loaded.status();
  mock::MockOptions mo;
  mo.quiet = true;
  if (mqtt) mo.mqtt_port = 0;
  session.mock = std::make_unique<mock::MockServer>(mo);
  if (Status s = session.mock->LoadFixture(*loaded); !s.ok()) return s;
  StatusOr<int> port = session.mock->Start();
  if (!port.ok()) return port.status();
  if (mqtt) {
    if (session.mock->mqtt_port() <= 0) return Status::Internal("the embedded mock started without its MQTT listener");
    session.mqtt = MqttEndpoint{"127.0.0.1", session.mock->mqtt_port(), "localhost", "", true};
  }
  session.transport.base_url = "http://127.0.0.1:" + std::to_string(*port);
  session.transport.ca_file.clear();
  session.host = "127.0.0.1:" + std::to_string(*port);
  session.variables = session.mock->Variables();
  if (auto region = session.variables.find("region"); region != session.variables.end())
    session.region = region->second;
  session.secret_values = SecretValues(session.variables);
  if (auto ca = session.variables.find("mqtt.ca"); session.mqtt && ca != session.variables.end()) {
    session.mqtt->ca_pem = ca->second;
  }
  return session;
}

}  // namespace onsmqtt::runner
