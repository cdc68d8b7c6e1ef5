#pragma once

// Error codes the C++ code refers to by name. Messages and statuses live in
// the contract file only; contract_test checks every name here is in it.
namespace onsmqtt::codes {

// Service errors.
inline constexpr char kParameterFieldCheckFailed[] = "ParameterFieldCheckFailed";
inline constexpr char kFindDeviceBySnError[] = "FindDeviceBySnError";
inline constexpr char kMqttInstanceNotFound[] = "MqttInstanceNotFound";
inline constexpr char kPermissionCheckFailed[] = "PermissionCheckFailed";
inline constexpr char kMqttOwnerCheckError[] = "MqttOwnerCheckError";
inline constexpr char kFindCaBySnError[] = "FindCaBySnError";
inline constexpr char kRegisterCodeError[] = "RegisterCodeError";
inline constexpr char kRegisterCodeUsed[] = "RegisterCodeUsed";
inline constexpr char kCaNumExceed[] = "CaNumExceed";
inline constexpr char kCertificateContentError[] = "CertificateContentError";
inline constexpr char kSnNotUnique[] = "SnNotUnique";
inline constexpr char kSystemOverFlow[] = "SystemOverFlow";
inline constexpr char kInternalError[] = "InternalError";
inline constexpr char kApiNotSupport[] = "ApiNotSupport";

// Gateway errors.
inline constexpr char kIncompleteSignature[] = "IncompleteSignature";
inline constexpr char kMissingParameter[] = "MissingParameter";
inline constexpr char kSignatureDoesNotMatch[] = "SignatureDoesNotMatch";
inline constexpr char kInvalidAccessKeyIdNotFound[] = "InvalidAccessKeyId.NotFound";
inline constexpr char kInvalidAccessKeyIdInactive[] = "InvalidAccessKeyId.Inactive";
inline constexpr char kInvalidTimeStampFormat[] = "InvalidTimeStamp.Format";
inline constexpr char kInvalidTimeStampExpired[] = "InvalidTimeStamp.Expired";
inline constexpr char kSignatureNonceUsed[] = "SignatureNonceUsed";
inline constexpr char kMissingSecurityToken[] = "MissingSecurityToken";
inline constexpr char kInvalidSecurityTokenExpired[] = "InvalidSecurityToken.Expired";
inline constexpr char kInvalidSecurityTokenMalformed[] = "InvalidSecurityToken.Malformed";
inline constexpr char kInvalidSecurityTokenMismatch[] = "InvalidSecurityToken.MismatchWithAccessKey";
inline constexpr char kInvalidVersion[] = "InvalidVersion";
inline constexpr char kInvalidActionNotFound[] = "InvalidAction.NotFound";
inline constexpr char kThrottlingUser[] = "Throttling.User";

inline constexpr const char* kAll[] = {
    kParameterFieldCheckFailed,
    kFindDeviceBySnError,
    kMqttInstanceNotFound,
    kPermissionCheckFailed,
    kMqttOwnerCheckError,
    kFindCaBySnError,
    kRegisterCodeError,
    kRegisterCodeUsed,
    kCaNumExceed,
    kCertificateContentError,
    kSnNotUnique,
    kSystemOverFlow,
    kInternalError,
    kApiNotSupport,
    kIncompleteSignature,
    kMissingParameter,
    kSignatureDoesNotMatch,
    kInvalidAccessKeyIdNotFound,
    kInvalidAccessKeyIdInactive,
    kInvalidTimeStampFormat,
    kInvalidTimeStampExpired,
    kSignatureNonceUsed,
    kMissingSecurityToken,
    kInvalidSecurityTokenExpired,
    kInvalidSecurityTokenMalformed,
    kInvalidSecurityTokenMismatch,
    kInvalidVersion,
    kInvalidActionNotFound,
    kThrottlingUser,
};

}  // namespace onsmqtt::codes
