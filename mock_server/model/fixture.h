#pragma once

#include <map>
#include <string>

#include "contract/status.h"
#include "mock_server/model/store.h"

// Loads a fixture file (format: fixtures/README.md) into a Store. Strict:
// unknown and duplicate keys, wrong types, unknown references (with "did you
// mean"), unreadable PEM files and certificates that contradict the file
// (a device not issued by its CA, a CA without CA:TRUE, repeated SNs) are
// errors positioned as "fixtures/x.yaml:12:7: error: ...".
namespace onsmqtt::mock {

struct Fixture {
  std::string path;  // as given
  Store store;
  // Scenario variables named after the fixture's keys: account.<k>.uid,
  // key.<k>.id, key.<k>.secret, instance.<k>.id, instance.<k>.region,
  // ca.<k>.sn, ca.<k>.name, device.<k>.sn, device.<k>.ca_sn, file.<k>.
  // "region" is added by MockState (the fixture's or the options' default).
  // Private keys: device.<k>.key and file.<k>.key hold the PEM key of a
  // certificate whose `key:` is given or whose <name>.key lies beside its
  // <name>.pem; device.<k>.pem is the device's certificate. mqtt.ca is the
  // CA PEM that issued the MQTT server certificate (section `mqtt`).
  std::map<std::string, std::string> variables;
  // The MQTT listener's server certificate and key (section `mqtt`), PEM
  // text; empty when the fixture names none.
  std::string mqtt_certificate_pem;
  std::string mqtt_key_pem;
  // The id of the first Platinum instance in file order: the instance of a
  // device connect whose TLS server name does not name one. Empty: none.
  std::string first_platinum_instance;
};

// Relative PEM and file paths are resolved against the fixture's folder.
StatusOr<Fixture> LoadFixtureFile(const std::string& path);

}  // namespace onsmqtt::mock
