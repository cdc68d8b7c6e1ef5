#include "runner/result/result.h"

#include "runner/result/report_text.h"

namespace onsmqtt::runner {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPassed:
      return "passed";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kError:
      return "error";
    case Verdict::kSkipped:
      return "skipped";
  }
  return "?";
}

std::string AssertionFailure::ToString() const {
  std::string out = path.empty() ? std::string(KindName(kind)) : path;
  out += ": expected " + expected + ", got " + actual;
  if (kind == FailureKind::kClient) out = "client: " + actual;
  std::string where = loc.ToString();
  if (!where.empty()) out += " (" + where + ")";
  return out;
}

std::string ConnectRecord::Summary() const {
  std::string out = "CN " + (certificate_cn.empty() ? std::string("(none)") : certificate_cn) + " (SN " +
                    certificate_sn + "), chain " + std::to_string(chain);
  out += handshake_only ? ", TLS handshake only" : ", MQTT " + protocol + ", client id " + client_id;
  out += " -> " + server + " (SNI " + (server_name.empty() ? std::string("none") : server_name);
  if (!tls_version.empty()) out += ", " + tls_version;
  out += "): " + outcome + " in " + FormatSeconds(seconds) + " s";
  return out;
}

}  // namespace onsmqtt::runner
