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
  std::map<std::string, std::string> variables;
};

// Relative PEM and file paths are resolved against the fixture's folder.
StatusOr<Fixture> LoadFixtureFile(const std::string& path);

}  // namespace onsmqtt::mock
