#include <string>

#include "contract/codes.h"
#include "mock_server/model/handlers.h"

// CA certificate operations. SNs are global: a CA registered on one
// instance cannot be registered again anywhere (SnNotUnique).
namespace onsmqtt::mock::internal {

namespace {

ServiceResult SetCaActive(Context& ctx, bool active) {
  CaCertificate* ca = ctx.instance.FindCa(ctx.Param("Sn"));
  if (ca == nullptr) return ctx.Fail(codes::kFindCaBySnError);
  ca->active = active;  // idempotent
  return Success({{"Sn", ca->sn()}});
}

}  // namespace

// Checks, in order: CA content (PEM, CA:TRUE), verification certificate
// (PEM, signed by the CA), its CN is the instance's registration code, the
// CA's SN is new everywhere, the verification certificate was never used,
// the instance has room. The SN check comes before the "used" check so
// that registering the same CA twice says SnNotUnique.
ServiceResult RegisterCaCertificate(Context& ctx) {
  StatusOr<std::shared_ptr<const Certificate>> ca = Certificate::ParsePem(ctx.Param("CaContent"));
  if (!ca.ok() || !(*ca)->is_ca()) return ctx.Fail(codes::kCertificateContentError);
  StatusOr<std::shared_ptr<const Certificate>> verification = Certificate::ParsePem(ctx.Param("VerificationContent"));
  if (!verification.ok() || !(*verification)->IsSignedBy(**ca)) return ctx.Fail(codes::kCertificateContentError);
  if ((*verification)->subject_cn() != ctx.instance.registration_code) return ctx.Fail(codes::kRegisterCodeError);
  if (ctx.store.FindCaOwner((*ca)->sn()) != nullptr) return ctx.Fail(codes::kSnNotUnique);
  if (ctx.store.used_verification_sns.count((*verification)->sn()) != 0) return ctx.Fail(codes::kRegisterCodeUsed);
  if (static_cast<int>(ctx.instance.cas.size()) >= ctx.store.limits.max_cas_per_instance) {
    return ctx.Fail(codes::kCaNumExceed);
  }
  CaCertificate record;
  record.cert = *ca;
  record.verification = *verification;
  record.name = ctx.Param("CaName");
  record.registration_code = ctx.instance.registration_code;
  record.active = true;
  ctx.store.used_verification_sns.insert((*verification)->sn());
  ctx.instance.cas.push_back(std::move(record));
  return Success({{"Sn", (*ca)->sn()}});
}

ServiceResult ActiveCaCertificate(Context& ctx) { return SetCaActive(ctx, true); }

ServiceResult InactivateCaCertificate(Context& ctx) { return SetCaActive(ctx, false); }

ServiceResult DeleteCaCertificate(Context& ctx) {
  std::string sn = ctx.Param("Sn");
  // Deleting a CA deletes the device certificates it issued.
  if (!ctx.instance.RemoveCa(sn)) return ctx.Fail(codes::kFindCaBySnError);
  return Success({{"Sn", sn}});
}

ServiceResult GetCaCertificate(Context& ctx) {
  CaCertificate* ca = ctx.instance.FindCa(ctx.Param("Sn"));
  if (ca == nullptr) return ctx.Fail(codes::kFindCaBySnError);
  return Success({{"Data", CaView(*ca)}});
}

ServiceResult ListCaCertificate(Context& ctx) {
  return Success(Page(ctx, ctx.instance.cas, "CaCertificateVOS", [](const CaCertificate& ca) { return CaView(ca); }));
}

}  // namespace onsmqtt::mock::internal
