// Connect steps: resolve the device's identity, connect as the device,
// judge the outcome (scenarios/README.md, "A connect step").
#include "contract/crypto.h"
#include "runner/execute/device_client.h"
#include "runner/execute/step.h"
#include "runner/scenario/connack_codes.h"

namespace onsmqtt::runner {
namespace {

// The default client id: the contract's <GroupID>@@@<DeviceID>, unique per
// connection (26 characters, within the 64 allowed).
constexpr char kDefaultGroup[] = "GID_onsmqtt@@@";

struct Resolved {
  TlsClientOptions tls;
  std::optional<mqtt::Connect> connect;
  ConnectRecord record;
};

Status ResolveOptional(const std::optional<Template>& t, const Variables& vars, std::optional<std::string>* out) {
  if (!t.has_value()) return Status::Ok();
  StatusOr<std::string> v = vars.Resolve(*t);
  if (!v.ok()) return v.status();
  *out = *v;
  return Status::Ok();
}

// The identity (certificate, key, chain) and where to connect.
Status ResolveTls(const ConnectSpec& c, const MqttEndpoint& mqtt, StepContext& ctx, Resolved* out) {
  DECLARE_OR_RETURN(StatusOr<std::string>, certificate, ctx.vars->Resolve(c.certificate));
  DECLARE_OR_RETURN(StatusOr<std::string>, key, ctx.vars->Resolve(c.key));
  ctx.redactor->AddSecret(*key);  // also when written inline, not through a *.key variable
  TlsClientOptions& tls = out->tls;
  tls.host = mqtt.host;
  tls.port = mqtt.port;
  tls.ca_pem = mqtt.ca_pem;
  tls.verify_server = mqtt.verify;
  tls.server_name = mqtt.server_name;
  std::optional<std::string> server_name;
  if (Status s = ResolveOptional(c.server_name, *ctx.vars, &server_name); !s.ok()) return s;
  if (server_name) tls.server_name = *server_name;
  tls.certificate_pem = *certificate;
  tls.key_pem = *key;
  for (const Template& t : c.chain) {
    DECLARE_OR_RETURN(StatusOr<std::string>, pem, ctx.vars->Resolve(t));
    tls.chain_pems.push_back(*pem);
  }
  StatusOr<CertificateSummary> summary = SummarizeCertificate(*certificate);
  if (!summary.ok())
    return Status::InvalidArgument("certificate: " + summary.status().message()).WithLocation(c.certificate.loc);
  ConnectRecord& r = out->record;
  r.server = mqtt.Address();
  r.server_name = SentServerName(tls.server_name);
  r.certificate_sn = summary->sn;
  r.certificate_cn = summary->cn;
  r.chain = tls.chain_pems.size();
  return Status::Ok();
}

// The CONNECT, unless handshake_only.
Status ResolveConnect(const ConnectSpec& c, StepContext& ctx, Resolved* out) {
  out->record.handshake_only = c.handshake_only;
  out->record.protocol = mqtt::VersionName(c.protocol);
  if (c.handshake_only) return Status::Ok();
  mqtt::Connect connect;
  connect.version = c.protocol;
  connect.keep_alive = static_cast<uint16_t>(c.keep_alive);
  if (c.client_id.has_value()) {
    DECLARE_OR_RETURN(StatusOr<std::string>, id, ctx.vars->Resolve(*c.client_id));
    connect.client_id = *id;
  } else {
    DECLARE_OR_RETURN(StatusOr<std::string>, hex, RandomHex(6));
    connect.client_id = kDefaultGroup + *hex;
  }
  if (Status s = ResolveOptional(c.username, *ctx.vars, &connect.username); !s.ok()) return s;
  if (Status s = ResolveOptional(c.password, *ctx.vars, &connect.password); !s.ok()) return s;
  if (connect.password) ctx.redactor->AddSecret(*connect.password);
  out->record.client_id = connect.client_id;
  out->connect = std::move(connect);
  return Status::Ok();
}

// "connack 0 (accepted)", "refused: tls", "closed", "handshake ok".
std::string Expected(const ConnectExpectation& e, mqtt::Version v) {
  switch (e.kind) {
    case ConnectExpectation::Kind::kConnack:
      return "connack " + DescribeConnackCode(v, e.code);
    case ConnectExpectation::Kind::kRefusedTls:
      return "refused: tls";
    case ConnectExpectation::Kind::kRefusedAny:
      return "refused (a CONNACK other than 0, a close before CONNACK, or a TLS refusal)";
    case ConnectExpectation::Kind::kClosed:
      return "closed";
    case ConnectExpectation::Kind::kHandshakeOk:
      break;
  }
  return "handshake ok";
}

bool Matches(const ConnectExpectation& e, const DeviceOutcome& o) {
  switch (e.kind) {
    case ConnectExpectation::Kind::kConnack:
      return o.kind == DeviceOutcomeKind::kConnack && o.code == e.code;
    case ConnectExpectation::Kind::kRefusedTls:
      return o.kind == DeviceOutcomeKind::kRefusedTls;
    case ConnectExpectation::Kind::kRefusedAny:
      return o.kind == DeviceOutcomeKind::kRefusedTls || o.kind == DeviceOutcomeKind::kClosed ||
             (o.kind == DeviceOutcomeKind::kConnack && o.code != 0);
    case ConnectExpectation::Kind::kClosed:
      return o.kind == DeviceOutcomeKind::kClosed;
    case ConnectExpectation::Kind::kHandshakeOk:
      break;
  }
  return o.kind == DeviceOutcomeKind::kHandshakeOk;
}

// certificate.sn, certificate.cn, client_id: facts of what the step sent.
void SetCaptures(const Step& step, const ConnectRecord& record, Variables* vars) {
  for (const Capture& c : step.captures) {
    if (c.path == "certificate.sn") vars->Set(c.name, record.certificate_sn);
    if (c.path == "certificate.cn") vars->Set(c.name, record.certificate_cn);
    if (c.path == "client_id") vars->Set(c.name, record.client_id);
  }
}

StepResult Errored(StepResult r, ErrorKind kind, std::string error) {
  r.verdict = Verdict::kError;
  r.error_kind = kind;
  r.error = std::move(error);
  return r;
}

}  // namespace

StepResult RunConnectStep(const Step& step, StepContext& ctx) {
  StepResult r;
  r.name = step.name;
  const ConnectSpec& c = step.connect;
  if (!ctx.session->mqtt.has_value()) return Errored(r, ErrorKind::kHarness, "no MQTT endpoint (--mqtt-endpoint)");
  Resolved resolved;
  Status s = ResolveTls(c, *ctx.session->mqtt, ctx, &resolved);
  if (s.ok()) s = ResolveConnect(c, ctx, &resolved);
  if (!s.ok()) return Errored(r, ErrorKind::kHarness, s.ToString());
  DeviceOutcome o = ConnectDevice(resolved.tls, resolved.connect);
  ConnectRecord& record = resolved.record;
  record.tls_version = o.tls_version;
  record.outcome = DescribeOutcome(o, c.protocol);
  record.handshake_seconds = o.handshake_seconds;
  record.seconds = o.seconds;
  r.seconds = o.seconds;
  r.connect = record;
  SetCaptures(step, record, ctx.vars);
  if (o.kind == DeviceOutcomeKind::kError) {
    return Errored(r, o.transport ? ErrorKind::kTransport : ErrorKind::kHarness,
                   "connect to " + record.server + ": " + o.reason);
  }
  if (!Matches(c.expect, o)) {
    r.failures.push_back(
        {FailureKind::kConnect, "connect", Expected(c.expect, c.protocol), record.outcome, c.expect.loc});
  }
  r.verdict = r.failures.empty() ? Verdict::kPassed : Verdict::kFailed;
  return r;
}

}  // namespace onsmqtt::runner
