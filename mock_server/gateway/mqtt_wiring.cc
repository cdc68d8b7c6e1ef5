#include "mock_server/gateway/mqtt_wiring.h"

#include "contract/yaml_tree.h"

namespace onsmqtt::mock {

Status ResolveMqttIdentity(const MockOptions& options, const std::string& fixture_certificate_pem,
                           const std::string& fixture_key_pem, ListenerParts* parts) {
  if (options.mqtt_tls_cert_file.empty() != options.mqtt_tls_key_file.empty()) {
    return Status::InvalidArgument("the MQTT listener needs both --mqtt-tls-cert and --mqtt-tls-key");
  }
  if (!options.mqtt_tls_cert_file.empty()) {
    StatusOr<std::string> cert = yaml::ReadFile(options.mqtt_tls_cert_file);
    if (!cert.ok()) return Status::InvalidArgument("--mqtt-tls-cert: " + cert.status().message());
    StatusOr<std::string> key = yaml::ReadFile(options.mqtt_tls_key_file);
    if (!key.ok()) return Status::InvalidArgument("--mqtt-tls-key: " + key.status().message());
    parts->certificate_pem = *cert;
    parts->key_pem = *key;
    return Status::Ok();
  }
  if (fixture_certificate_pem.empty()) {
    return Status::InvalidArgument(
        "the MQTT listener needs a server certificate: --mqtt-tls-cert and --mqtt-tls-key, or the fixture's "
        "mqtt section (fixtures/README.md)");
  }
  parts->certificate_pem = fixture_certificate_pem;
  parts->key_pem = fixture_key_pem;
  return Status::Ok();
}

void RecordConnect(const ConnectRecord& r, Journal* journal, RequestLog* log) {
  JournalEntry e;
  e.time = r.time;
  e.action = "CONNECT";
  e.method = "MQTT";
  e.code = r.outcome;
  e.connect = {{"peer", r.peer},           {"server_name", r.server_name}, {"instance_id", r.instance_id},
               {"client_id", r.client_id}, {"protocol", r.protocol},       {"device_sn", r.device_sn},
               {"ca_sn", r.ca_sn},         {"device_name", r.device_name}, {"outcome", r.outcome},
               {"reason", r.reason},       {"registered", r.registered},   {"connack", r.connack},
               {"refusal", r.refusal}};
  journal->Record(std::move(e));
  if (!log->enabled()) return;
  log->Note("mqtt " + r.outcome + " " + r.peer + " instance=" + r.instance_id + " device=" +
            (r.device_sn.empty() ? "-" : r.device_sn) + " client=" + (r.client_id.empty() ? "-" : r.client_id) +
            (r.protocol.empty() ? "" : " mqtt/" + r.protocol) + ": " + r.reason);
}

}  // namespace onsmqtt::mock
