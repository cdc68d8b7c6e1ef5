#include <string>
#include <vector>

#include "contract/clock.h"
#include "contract/codes.h"
#include "mock_server/model/handlers.h"

// Device certificate operations: lookups by (DeviceSn, CaSn) on the
// instance, idempotent state changes, listings in registration order.
namespace onsmqtt::mock::internal {

namespace {

// The device with DeviceSn on the instance whose issuing CA is CaSn; a
// known DeviceSn with another CaSn is "not found" too (CONTRACT.md §1).
DeviceCertificate* FindDevice(Context& ctx) {
  DeviceCertificate* device = ctx.instance.FindDevice(ctx.Param("DeviceSn"));
  if (device == nullptr || device->ca_sn != ctx.Param("CaSn")) return nullptr;
  return device;
}

ServiceResult SetDeviceActive(Context& ctx, bool active) {
  DeviceCertificate* device = FindDevice(ctx);
  if (device == nullptr) return ctx.Fail(codes::kFindDeviceBySnError);
  device->active = active;  // idempotent: setting the current state succeeds
  return Success({{"DeviceSn", device->sn()}});
}

}  // namespace

ServiceResult ActiveDeviceCertificate(Context& ctx) { return SetDeviceActive(ctx, true); }

ServiceResult InactivateDeviceCertificate(Context& ctx) { return SetDeviceActive(ctx, false); }

ServiceResult DeleteDeviceCertificate(Context& ctx) {
  DeviceCertificate* device = FindDevice(ctx);
  if (device == nullptr) return ctx.Fail(codes::kFindDeviceBySnError);
  std::string sn = device->sn();
  ctx.instance.RemoveDevice(sn);
  return Success({{"DeviceSn", sn}});
}

ServiceResult GetDeviceCertificate(Context& ctx) {
  DeviceCertificate* device = FindDevice(ctx);
  if (device == nullptr) return ctx.Fail(codes::kFindDeviceBySnError);
  return Success({{"Data", DeviceView(*device)}});
}

ServiceResult ListDeviceCertificate(Context& ctx) {
  std::vector<const DeviceCertificate*> all;
  all.reserve(ctx.instance.devices.size());
  for (const auto& [seq, device] : ctx.instance.devices) all.push_back(&device);
  return Success(Page(ctx, all, "DeviceCertificateVOS", [](const DeviceCertificate* d) { return DeviceView(*d); }));
}

ServiceResult ListDeviceCertificateByCaSn(Context& ctx) {
  const std::string& ca_sn = ctx.Param("CaSn");
  if (ctx.instance.FindCa(ca_sn) == nullptr) return ctx.Fail(codes::kFindCaBySnError);
  std::vector<const DeviceCertificate*> issued;
  for (const auto& [seq, device] : ctx.instance.devices) {
    if (device.ca_sn == ca_sn) issued.push_back(&device);
  }
  return Success(Page(ctx, issued, "DeviceCertificateVOS", [](const DeviceCertificate* d) { return DeviceView(*d); }));
}

ServiceResult GetRegisterCode(Context& ctx) { return Success({{"RegisterCode", ctx.instance.registration_code}}); }

namespace {

std::string Describe(const Certificate& cert) {
  return "SN " + cert.sn() + (cert.subject_cn().empty() ? "" : " (CN=" + cert.subject_cn() + ")");
}

}  // namespace

StatusOr<nlohmann::json> RegisterOnConnect(Store& store, const std::string& instance_id, const std::string& device_pem,
                                           int64_t now_ms) {
  StatusOr<std::shared_ptr<const Certificate>> parsed = Certificate::ParsePem(device_pem);
  if (!parsed.ok()) return Status::FailedPrecondition("bad device certificate: " + parsed.status().message());
  const std::shared_ptr<const Certificate>& cert = *parsed;
  Instance* instance = store.FindInstance(instance_id);
  if (instance == nullptr) return Status::FailedPrecondition("unknown instance \"" + instance_id + "\"");

  const CaCertificate* issuer = nullptr;  // an active issuer wins over an inactive one
  for (const auto& ca : instance->cas) {
    if (!cert->IsSignedBy(*ca.cert)) continue;
    if (issuer == nullptr || (ca.active && !issuer->active)) issuer = &ca;
  }
  if (issuer == nullptr) {
    return Status::FailedPrecondition("device certificate " + Describe(*cert) +
                                      " was not issued by any CA certificate registered on instance " + instance_id);
  }
  if (!issuer->active) {
    return Status::FailedPrecondition("device certificate " + Describe(*cert) + " was issued by CA certificate " +
                                      issuer->sn() + ", which is inactive on instance " + instance_id +
                                      " (activate it with ActiveCaCertificate)");
  }
  if (Status s = cert->VerifyAgainst(*issuer->cert, now_ms); !s.ok()) {
    return Status::FailedPrecondition("device certificate " + Describe(*cert) + " refused: " + s.message());
  }
  DeviceCertificate device;
  if (const DeviceCertificate* known = instance->FindDevice(cert->sn()); known != nullptr) device = *known;
  device.cert = cert;
  device.ca_sn = issuer->sn();
  if (device.name.empty()) device.name = cert->subject_cn();
  device.active = true;
  instance->PutDevice(device, &store.next_device_sequence);
  return DeviceView(device);
}

}  // namespace onsmqtt::mock::internal
