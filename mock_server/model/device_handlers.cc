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

namespace {

ConnectDecision Refuse(ConnectDecision d, std::string reason) {
  d.accepted = false;
  d.reason = std::move(reason);
  return d;
}

// The issuer among the instance's CAs (an active one wins over an inactive
// one), or nullptr.
const CaCertificate* FindIssuer(const Instance& instance, const Certificate& cert) {
  const CaCertificate* issuer = nullptr;
  for (const auto& ca : instance.cas) {
    if (!cert.IsSignedBy(*ca.cert)) continue;
    if (issuer == nullptr || (ca.active && !issuer->active)) issuer = &ca;
  }
  return issuer;
}

std::string InactiveCa(const Certificate& cert, const CaCertificate& ca, const std::string& instance_id) {
  return "device certificate " + Describe(cert) + " was issued by CA certificate " + ca.sn() +
         ", which is inactive on instance " + instance_id + " (activate it with ActiveCaCertificate)";
}

}  // namespace

ConnectDecision DecideConnect(Store& store, const std::string& instance_id,
                              const std::shared_ptr<const Certificate>& cert, int64_t now_ms, bool register_device) {
  ConnectDecision d;
  d.device_sn = cert->sn();
  d.device_name = cert->subject_cn();
  Instance* instance = store.FindInstance(instance_id);
  if (instance == nullptr) return Refuse(d, "unknown instance \"" + instance_id + "\"");
  const DeviceCertificate* known = instance->FindDevice(cert->sn());
  const CaCertificate* issuer = nullptr;
  if (known != nullptr) {
    d.ca_sn = known->ca_sn;
    if (!known->active) {
      return Refuse(d, "device certificate " + Describe(*cert) + " is registered on instance " + instance_id +
                           " and inactive (activate it with ActiveDeviceCertificate)");
    }
    issuer = instance->FindCa(known->ca_sn);
    if (issuer == nullptr) return Refuse(d, "the CA certificate " + known->ca_sn + " of the device is not registered");
  } else {
    issuer = FindIssuer(*instance, *cert);
    if (issuer == nullptr) {
      return Refuse(d, "device certificate " + Describe(*cert) +
                           " was not issued by any CA certificate registered on instance " + instance_id);
    }
    d.ca_sn = issuer->sn();
  }
  if (!issuer->active) return Refuse(d, InactiveCa(*cert, *issuer, instance_id));
  if (Status s = cert->VerifyAgainst(*issuer->cert, now_ms); !s.ok()) {
    return Refuse(d, "device certificate " + Describe(*cert) + " refused: " + s.message());
  }
  d.accepted = true;
  if (known != nullptr) {
    d.reason = "registered and active";
    d.device = DeviceView(*known);
    return d;
  }
  DeviceCertificate device;
  device.cert = cert;
  device.ca_sn = issuer->sn();
  device.name = cert->subject_cn();
  device.active = true;
  d.device = DeviceView(device);
  if (!register_device) {
    d.reason = "valid certificate of CA " + issuer->sn() + " (registered at CONNECT)";
    return d;
  }
  instance->PutDevice(std::move(device), &store.next_device_sequence);
  d.registered = true;
  d.reason = "registered on connect (issued by CA " + d.ca_sn + ")";
  return d;
}

}  // namespace onsmqtt::mock::internal
