// Measures MockState::Handle without HTTP: ActiveDeviceCertificate calls
// per second on the default fixture, from 1 and from N threads (one mutex
// guards the store, so this is the model's ceiling for the HTTP layer).
// Prints figures; asserts nothing. Usage: mock_model_bench [fixture] [calls]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "contract/clock.h"
#include "contract/contract.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"

namespace {

using onsmqtt::mock::MockState;
using onsmqtt::mock::ServiceCall;

double Run(MockState& state, const ServiceCall& call, int threads, int calls_per_thread, std::vector<double>* lat) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  std::vector<std::vector<double>> per(threads);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      per[t].reserve(calls_per_thread);
      for (int i = 0; i < calls_per_thread; ++i) {
        auto a = std::chrono::steady_clock::now();
        if (state.Handle(call).status != 200) std::abort();
        per[t].push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - a).count());
      }
    });
  }
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& v : per) lat->insert(lat->end(), v.begin(), v.end());
  std::sort(lat->begin(), lat->end());
  return threads * static_cast<double>(calls_per_thread) / secs;
}

}  // namespace

int main(int argc, char** argv) {
  std::string fixture = argc > 1 ? argv[1] : "fixtures/default.yaml";
  int calls = argc > 2 ? std::atoi(argv[2]) : 200000;
  onsmqtt::mock::MockOptions options;
  auto catalog = onsmqtt::mock::ErrorCatalog::Create(onsmqtt::BuiltinContract(), options);
  auto load_start = std::chrono::steady_clock::now();
  auto state = MockState::Load(fixture, &*catalog, &options, &onsmqtt::SystemClock::Instance());
  double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
  if (!state.ok()) {
    std::fprintf(stderr, "%s\n", state.status().ToString().c_str());
    return 2;
  }
  auto vars = (*state)->Variables();
  ServiceCall call;
  call.operation = onsmqtt::BuiltinContract().FindOperation("ActiveDeviceCertificate");
  call.caller = (*state)->FindAccessKey(vars.at("key.owner.id"))->caller;
  call.region = vars.at("region");
  call.params = {{"MqttInstanceId", vars.at("instance.platinum.id")},
                 {"DeviceSn", vars.at("device.inactive.sn")},
                 {"CaSn", vars.at("ca.a.sn")}};
  std::printf("fixture load: %.2f ms\n", load_ms);
  unsigned hw = std::max(2u, std::thread::hardware_concurrency());
  for (int threads : {1, static_cast<int>(hw), 32}) {
    std::vector<double> lat;
    double rate = Run(**state, call, threads, calls / threads, &lat);
    std::printf(
        "ActiveDeviceCertificate via MockState::Handle, %2d thread(s): %10.0f calls/s  p50 %.2f us  p99 %.2f us\n",
        threads, rate, lat[lat.size() / 2], lat[lat.size() * 99 / 100]);
  }
  return 0;
}
