#pragma once

#include <string>

#include "contract/status.h"
#include "mock_server/gateway/journal.h"
#include "mock_server/gateway/request_log.h"
#include "mock_server/mqtt/listener.h"
#include "mock_server/options.h"

// The MQTT listener's place in the mock: its server identity and what a
// connect leaves in the journal and the log.
namespace onsmqtt::mock {

// parts->certificate_pem and key_pem: --mqtt-tls-cert/--mqtt-tls-key when
// given (both or neither), else the fixture's mqtt section; an error that
// says which when there is neither.
Status ResolveMqttIdentity(const MockOptions& options, const std::string& fixture_certificate_pem,
                           const std::string& fixture_key_pem, ListenerParts* parts);

// A journal entry (action CONNECT, method MQTT, code the outcome, `connect`
// the record) and, unless quiet, a log line.
void RecordConnect(const ConnectRecord& r, Journal* journal, RequestLog* log);

}  // namespace onsmqtt::mock
