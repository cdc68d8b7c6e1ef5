#pragma once

#include <span>

#include "contract/yaml_cache.h"

namespace onsmqtt::runner {

// Every shipped scenario, scenarios/**/*.yaml, parsed at build time and
// embedded in the runner only (runner/scenario/CMakeLists.txt): the table
// the loader gives yaml::ParseCached. The mock does not carry it.
std::span<const yaml::ShippedYaml> ShippedScenarios();

}  // namespace onsmqtt::runner
