// The signature verifier (contract/verifier.h) fed raw wire requests
// (fuzz/wire_request.h): query, headers and body as a client put them on
// the wire. Both schemes' parsing, then verification with the default
// fixture's owner secret (the seeds are signed with it, so mutations start
// from requests that verify; the published V3 example has its own key),
// then the timestamp window.
#include <chrono>
#include <cstdint>

#include "contract/clock.h"
#include "contract/verifier.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/wire_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // fixtures/default.yaml's key.owner.secret (a fake test credential).
  static constexpr char kSecret[] = "q7Lm2Xv9Rk4Tn8Wp3Zs6Yb1Hc5Jd0F";
  // The seeds' signing time (fuzz/seeds.cc).
  static const onsmqtt::ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)));
  const onsmqtt::HttpRequest wire = onsmqtt::fuzz::ParseWireRequest(onsmqtt::fuzz::Bytes(data, size));
  onsmqtt::ParsedRequest parsed;
  onsmqtt::AuthOutcome outcome = onsmqtt::ParseSignedRequest(wire, &parsed);
  if (!outcome.ok()) {
    if (*outcome.code() == '\0') onsmqtt::fuzz::Fail("a failure without a code");
    return 0;
  }
  onsmqtt::TimestampWithin(parsed, clock, std::chrono::seconds(900));
  const char* secret = parsed.access_key_id == "YourAccessKeyId" ? "YourAccessKeySecret" : kSecret;
  outcome = onsmqtt::VerifySignature(wire, parsed, secret);
  if (!outcome.ok() && *outcome.code() == '\0') onsmqtt::fuzz::Fail("a failure without a code");
  onsmqtt::VerifySignature(wire, parsed, "");
  return 0;
}
