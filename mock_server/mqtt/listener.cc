#include "mock_server/mqtt/listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "mock_server/mqtt/listener_internal.h"

namespace onsmqtt::mock {

namespace internal {

namespace {

constexpr char kServerNameSuffix[] = ".mqtt.aliyuncs.com";

const char* RefusalName(MqttRefusal r) {
  switch (r) {
    case MqttRefusal::kConnack:
      return "connack";
    case MqttRefusal::kClose:
      return "close";
    case MqttRefusal::kTlsAlert:
      return "tls-alert";
  }
  return "connack";
}

int VerifyCallback(int /*preverify_ok*/, X509_STORE_CTX* store) {
  // Every certificate is accepted here (the context trusts nothing); the
  // broker's own decision is made on the leaf, at depth 0.
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  Conn* c = ssl != nullptr ? static_cast<Conn*>(SSL_get_ex_data(ssl, ConnIndex())) : nullptr;
  if (c == nullptr || X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  if (c->owner->CheckAtHandshake(c, X509_STORE_CTX_get_current_cert(store))) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

}  // namespace

int ConnIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// --- ListenerImpl ------------------------------------------------------------

Status ListenerImpl::Bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    return Status::Unavailable("cannot resolve MQTT listen address " + host);
  }
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int yes = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  bool ok = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0;
  int err = errno;
  freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return Status::Unavailable("cannot listen for MQTT on " + host + ":" + service + ": " + std::strerror(err));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  listen_fd_ = fd;
  return Status::Ok();
}

void ListenerImpl::Run() {
  unsigned cores = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  for (unsigned i = 0; i < cores; ++i) loops_.push_back(std::make_unique<Loop>(this, listen_fd_));
  for (auto& loop : loops_) loop->Start();
}

void ListenerImpl::Stop() {
  if (stopped_.exchange(true)) return;
  for (auto& loop : loops_) loop->StopAndJoin();
  loops_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void ListenerImpl::Identify(Conn* c, X509* leaf) {
  const char* sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
  c->record.server_name = sni != nullptr ? sni : "";
  std::string named = InstanceFromServerName(c->record.server_name);
  c->record.instance_id = named.empty() ? parts_.default_instance : named;
  if (leaf != nullptr && c->leaf_pem.empty()) c->leaf_pem = ToPem(leaf);
}

void ListenerImpl::OnHandshake(Conn* c) { Identify(c, SSL_get0_peer_certificate(c->ssl)); }

bool ListenerImpl::CheckAtHandshake(Conn* c, X509* leaf) {
  if (parts_.options->mqtt_refusal != MqttRefusal::kTlsAlert) return true;
  if (c->checked_at_handshake) return !c->decided;
  c->checked_at_handshake = true;
  Identify(c, leaf);
  ConnectDecision d = parts_.state->DecideConnect(c->record.instance_id, c->leaf_pem, false);
  if (d.accepted) return true;
  c->record.device_sn = d.device_sn;
  c->record.ca_sn = d.ca_sn;
  c->record.device_name = d.device_name;
  c->record.outcome = "refused";
  c->record.reason = d.reason;
  c->record.refusal = "tls-alert";
  Emit(c);
  return false;
}

Session::Verdict ListenerImpl::Decide(Conn* c, const mqtt::Connect& connect) {
  ConnectRecord& r = c->record;
  r.client_id = connect.client_id;
  r.protocol = mqtt::VersionName(connect.version);
  const bool v5 = connect.version == mqtt::Version::k5;
  if (connect.client_id.empty() || connect.client_id.size() > mqtt::kMaxClientId) {
    r.outcome = "rejected";
    r.reason = "the client identifier must have 1 to 64 characters (<GroupID>@@@<DeviceID>), got " +
               std::to_string(connect.client_id.size());
    r.connack = v5 ? mqtt::kReasonClientIdNotValid : mqtt::kConnackIdentifierRejected;
    Emit(c);
    return {false, static_cast<uint8_t>(r.connack)};
  }
  ConnectDecision d = parts_.state->DecideConnect(r.instance_id, c->leaf_pem, true);
  r.device_sn = d.device_sn;
  r.ca_sn = d.ca_sn;
  r.device_name = d.device_name;
  r.reason = d.reason;
  r.registered = d.registered;
  Session::Verdict verdict;
  if (d.accepted) {
    r.outcome = "accepted";
    r.connack = mqtt::kConnackAccepted;
    verdict.accepted = true;
  } else {
    r.outcome = "refused";
    r.refusal = RefusalName(parts_.options->mqtt_refusal);
    if (parts_.options->mqtt_refusal == MqttRefusal::kConnack) {
      r.connack = mqtt::NotAuthorizedCode(connect.version);
      verdict.connack = static_cast<uint8_t>(r.connack);
    } else {
      r.refusal = "close";  // a TLS alert is no longer possible after the handshake
    }
  }
  Emit(c);
  return verdict;
}

void ListenerImpl::Emit(Conn* c) {
  c->decided = true;
  c->record.time = parts_.clock->Now();
  if (parts_.observer) parts_.observer(c->record);
}

}  // namespace internal

using internal::ListenerImpl;

std::string InstanceFromServerName(const std::string& server_name) {
  const size_t suffix = sizeof internal::kServerNameSuffix - 1;
  if (server_name.size() <= suffix) return std::string();
  std::string lower = server_name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (lower.compare(lower.size() - suffix, suffix, internal::kServerNameSuffix) != 0) return std::string();
  std::string id = server_name.substr(0, server_name.size() - suffix);
  return id.find('.') == std::string::npos ? id : std::string();
}

StatusOr<std::unique_ptr<MqttListener>> MqttListener::Start(ListenerParts parts, const std::string& host, int port) {
  StatusOr<SslCtxPtr> ctx = CreateServerContext(parts.certificate_pem, parts.key_pem, parts.options->mqtt_tls_version,
                                                internal::VerifyCallback);
  if (!ctx.ok()) return ctx.status();
  auto listener = std::make_unique<ListenerImpl>(std::move(parts), std::move(*ctx));
  if (Status s = listener->Bind(host, port); !s.ok()) return s;
  listener->Run();
  return std::unique_ptr<MqttListener>(std::move(listener));
}

}  // namespace onsmqtt::mock
