// MockServer: the mock's parts wired to cpp-httplib (0.11, Debian's
// compiled library).
//
// Connections: plain HTTP is served by a ConnectionHub (connections.h):
// open connections wait in epoll, not in threads, so an idle or half-open
// connection never delays another client; up to
// MockOptions::max_connections are open at once. HTTPS keeps httplib's
// model (a worker thread per connection, ElasticThreadPool up to
// max_connections threads).
//
// Performance notes (bench/mock.sh measures them): TCP_NODELAY (httplib
// writes headers and body separately, which with Nagle's algorithm and
// delayed ACKs costs ~40 ms per keep-alive request), a large keep-alive
// count (httplib's default closes every 5th request), workers started on
// demand (an idle mock is small and starts fast) and a listen backlog of
// SOMAXCONN (httplib's compiled-in 5 drops SYNs when many clients connect
// at once).
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "contract/codes.h"
#include "mock_server/gateway/admin.h"
#include "mock_server/gateway/auth_policy.h"
#include "mock_server/gateway/connections.h"
#include "mock_server/gateway/elastic_pool.h"
#include "mock_server/gateway/faults.h"
#include "mock_server/gateway/gateway.h"
#include "mock_server/gateway/journal.h"
#include "mock_server/gateway/mqtt_wiring.h"
#include "mock_server/gateway/nonce_cache.h"
#include "mock_server/gateway/request_log.h"
#include "mock_server/gateway/sockets.h"
#include "mock_server/gateway/throttle.h"
#include "mock_server/mock_server.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"
#include "mock_server/mqtt/listener.h"

namespace onsmqtt::mock {

namespace {

// Exposes the listening socket (protected in httplib::Server).
template <class Base>
class Listener : public Base {
 public:
  using Base::Base;
  int listening_socket() const { return static_cast<int>(this->svr_sock_); }
};

// Descriptors kept free of connections (fixture files, the journal, logs).
constexpr size_t kReservedDescriptors = 64;
constexpr size_t kKeepAliveMaxCount = 1'000'000;
constexpr time_t kKeepAliveTimeoutSeconds = 5;
constexpr size_t kPayloadMaxLength = 1 << 20;
constexpr char kAdminPrefix[] = "/__admin";

// cpp-httplib refuses some requests before any handler sees them, with an
// empty body: 414 for a request line over CPPHTTPLIB_REQUEST_URI_MAX_LENGTH
// (8192), 413 for a form body over CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH
// (8192) or any body over kPayloadMaxLength, 400 for a header line over
// CPPHTTPLIB_HEADER_MAX_LENGTH (8192) or a malformed request. The limits
// are compiled into Debian's libcpp-httplib; this only says which one.
// Answers of the mock itself always have a body and are left alone.
void ExplainHttplibRejection(httplib::Response& res) {
  if (!res.body.empty()) return;
  std::string why;
  if (res.status == 413) {
    why =
        "the request body is too large: at most 8192 bytes for a form body "
        "(application/x-www-form-urlencoded), " +
        std::to_string(kPayloadMaxLength) + " bytes for any other";
  } else if (res.status == 414) {
    why = "the request line (method, path and query) is longer than 8192 bytes";
  } else if (res.status == 400) {
    why = "malformed HTTP request: a header line longer than 8192 bytes, or a bad request line or header";
  } else {
    return;
  }
  res.set_content(nlohmann::json{{"error", why}}.dump(), "application/json;charset=utf-8");
}

HttpRequest ToWire(const httplib::Request& req) {
  HttpRequest wire;
  wire.method = req.method;
  wire.path = req.path;
  if (size_t q = req.target.find('?'); q != std::string::npos) wire.query = req.target.substr(q + 1);
  wire.headers.reserve(req.headers.size());
  for (const auto& [k, v] : req.headers) wire.headers.emplace_back(k, v);
  wire.body = req.body;
  return wire;
}

// A request without Content-Length or Transfer-Encoding has no body (RFC
// 9112 6.3), but httplib 0.11 reads a POST, PUT, PATCH or DELETE without
// them until the peer closes or the read timeout passes, then answers 400.
bool HasNoBodyHeaders(const httplib::Request& req) {
  return (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE") &&
         !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding");
}

}  // namespace

class MockServer::Impl {
 public:
  explicit Impl(MockOptions options)
      : options_(std::move(options)),
        clock_(options_.clock != nullptr ? options_.clock : &SystemClock::Instance()),
        contract_(&BuiltinContract()) {}
  ~Impl() { Stop(); }

  Status LoadFixture(const std::string& path);
  Status LoadFixture(const Fixture& fixture);
  StatusOr<int> Start();
  void Stop();
  std::map<std::string, std::string> Variables() const {
    return state_ ? state_->Variables() : std::map<std::string, std::string>();
  }
  nlohmann::json JournalJson(size_t limit) const {
    if (journal_) return journal_->ToJson(limit);
    // Not started: no request yet (the capacity as Journal counts it).
    return {{"capacity", std::max<size_t>(options_.journal_capacity, 1)},
            {"recorded", 0},
            {"requests", nlohmann::json::array()}};
  }

  int port_ = 0;
  bool tls_ = false;
  int mqtt_port_ = -1;

 private:
  void BuildParts();
  size_t ConnectionCap() const;
  StatusOr<std::unique_ptr<httplib::Server>> CreateServer();
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  Status StartMqtt();

  const MockOptions options_;
  const Clock* clock_;
  const Contract* contract_;
  std::optional<ErrorCatalog> catalog_;
  std::unique_ptr<MockState> state_;
  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<NonceCache> nonces_;
  std::unique_ptr<mock::Journal> journal_;  // mock:: (MockServer::Journal is a member)
  Faults faults_;
  std::unique_ptr<RequestLog> log_;
  std::unique_ptr<AuthPolicy> auth_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<Admin> admin_;
  std::unique_ptr<httplib::Server> server_;
  // The fixture's MQTT server identity and default instance (LoadFixture).
  std::string mqtt_certificate_pem_;
  std::string mqtt_key_pem_;
  std::string mqtt_default_instance_;
  std::unique_ptr<MqttListener> mqtt_;
  ConnectionHub* hub_ = nullptr;  // plain HTTP: server_'s; nullptr with TLS
  std::thread thread_;
  std::atomic<bool> serving_done_{false};
};

Status MockServer::Impl::LoadFixture(const std::string& path) {
  if (server_) return Status::FailedPrecondition("LoadFixture must be called before Start");
  StatusOr<Fixture> fixture = LoadFixtureFile(path);
  if (!fixture.ok()) return fixture.status();
  return LoadFixture(*fixture);
}

Status MockServer::Impl::LoadFixture(const Fixture& fixture) {
  if (server_) return Status::FailedPrecondition("LoadFixture must be called before Start");
  if (!catalog_) {
    StatusOr<ErrorCatalog> catalog = ErrorCatalog::Create(*contract_, options_);
    if (!catalog.ok()) return catalog.status();
    catalog_.emplace(std::move(*catalog));
  }
  state_ = MockState::Create(fixture, &*catalog_, &options_, clock_);
  mqtt_certificate_pem_ = fixture.mqtt_certificate_pem;
  mqtt_key_pem_ = fixture.mqtt_key_pem;
  mqtt_default_instance_ = fixture.first_platinum_instance;
  return Status::Ok();
}

void MockServer::Impl::BuildParts() {
  int limit = options_.rate_limit > 0 ? options_.rate_limit : contract_->rate_limit.calls_per_second;
  throttle_ = std::make_unique<Throttle>(limit > 0 ? limit : 1, clock_);
  nonces_ = std::make_unique<NonceCache>(clock_, options_.timestamp_window);
  journal_ = std::make_unique<mock::Journal>(options_.journal_capacity);
  log_ = std::make_unique<RequestLog>(stderr, options_.quiet);
  auth_ = std::make_unique<AuthPolicy>(&options_, &*catalog_, clock_, nonces_.get(), log_.get());
  gateway_ = std::make_unique<Gateway>(GatewayParts{contract_, &*catalog_, &options_, clock_, state_.get(), auth_.get(),
                                                    throttle_.get(), &faults_, journal_.get(), log_.get()});
  admin_ = std::make_unique<Admin>(AdminParts{
      contract_, &options_, state_.get(), journal_.get(), &faults_, throttle_.get(), nonces_.get(),
      options_.mqtt_port < 0 ? std::function<size_t()>()
                             : std::function<size_t()>([this] { return mqtt_ ? mqtt_->connections() : 0; })});
}

// max_connections, lowered to what the open-file limit (raised to its
// hard limit first) leaves.
size_t MockServer::Impl::ConnectionCap() const {
  const size_t descriptors = RaiseOpenFileLimit();
  size_t cap = options_.max_connections > 0 ? static_cast<size_t>(options_.max_connections) : 1;
  if (descriptors > kReservedDescriptors) cap = std::min(cap, descriptors - kReservedDescriptors);
  return cap;
}

StatusOr<std::unique_ptr<httplib::Server>> MockServer::Impl::CreateServer() {
  std::unique_ptr<httplib::Server> server;
  if (options_.tls_cert_file.empty() != options_.tls_key_file.empty()) {
    return Status::InvalidArgument("TLS needs both a certificate and a key (--tls-cert and --tls-key)");
  }
  if (!options_.tls_cert_file.empty()) {
    server =
        std::make_unique<Listener<httplib::SSLServer>>(options_.tls_cert_file.c_str(), options_.tls_key_file.c_str());
    if (!server->is_valid()) {
      return Status::InvalidArgument("cannot use TLS certificate " + options_.tls_cert_file + " with key " +
                                     options_.tls_key_file + ": unreadable, not PEM, or the key does not match");
    }
    tls_ = true;
    const size_t cap = ConnectionCap();
    server->new_task_queue = [cap] { return new ElasticThreadPool(cap); };
  } else {
    ConnectionHub::Options hub;
    hub.max_connections = ConnectionCap();
    hub.max_workers = options_.worker_threads > 0 ? static_cast<size_t>(options_.worker_threads) : 8;
    hub.keep_alive = std::chrono::seconds(kKeepAliveTimeoutSeconds);
    hub.payload_max = kPayloadMaxLength;
    server = std::make_unique<HubServer>(hub);
  }
  // httplib's default also sets SO_REUSEPORT, which lets a second mock
  // bind the same port silently; "cannot bind" must be an error.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(kKeepAliveMaxCount);
  server->set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  server->set_payload_max_length(kPayloadMaxLength);
  server->set_error_handler([](const httplib::Request&, httplib::Response& res) { ExplainHttplibRejection(res); });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Dispatch(req, res); };
  server->Get(".*", handler).Post(".*", handler).Put(".*", handler).Delete(".*", handler).Patch(".*", handler);
  server->Options(".*", handler);
  server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!HasNoBodyHeaders(req)) return httplib::Server::HandlerResponse::Unhandled;
    Dispatch(req, res);  // an empty body, answered at once
    return httplib::Server::HandlerResponse::Handled;
  });
  return server;
}

void MockServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res) {
  HttpRequest wire = ToWire(req);
  try {
    if (options_.admin_enabled && wire.path.rfind(kAdminPrefix, 0) == 0) {
      AdminAnswer a = admin_->Handle(wire, req.remote_addr);
      res.status = a.status;
      res.set_content(a.body, "application/json;charset=utf-8");
      return;
    }
    GatewayAnswer a = gateway_->Handle(wire);
    if (a.drop_connection) {
      if (int fd = ConnectionHub::CurrentSocket(); fd >= 0) {
        ::shutdown(fd, SHUT_RDWR);
      } else {
        ShutdownConnection(req.local_port, req.remote_addr, req.remote_port);
      }
      res.status = 500;
      return;
    }
    res.status = a.status;
    res.set_header("x-acs-request-id", a.request_id);
    res.set_content(std::move(a.body), a.content_type);
  } catch (const std::exception&) {
    // A bug, not a contract answer; still the service's envelope.
    std::string request_id = NewRequestId();
    res.status = 500;
    res.set_header("x-acs-request-id", request_id);
    res.set_content(RenderError(BodyFormat::kJson, *contract_, state_->default_region(), request_id,
                                catalog_->Make(codes::kInternalError)),
                    ContentTypeFor(BodyFormat::kJson));
  }
}

StatusOr<int> MockServer::Impl::Start() {
  if (server_) return Status::FailedPrecondition("the mock is already started");
  if (!state_) return Status::FailedPrecondition("no fixture loaded: call LoadFixture before Start");
  IgnoreSigpipeIfDefault();
  BuildParts();
  StatusOr<std::unique_ptr<httplib::Server>> server = CreateServer();
  if (!server.ok()) return server.status();
  int port = options_.port;
  bool bound = false;
  errno = 0;
  if (port == 0) {
    port = (*server)->bind_to_any_port(options_.host);
    bound = port > 0;
  } else {
    bound = (*server)->bind_to_port(options_.host, port);
  }
  if (!bound) {
    std::string why = errno != 0 ? std::strerror(errno) : "address unavailable";
    return Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + why);
  }
  server_ = std::move(*server);
  if (!tls_) hub_ = &static_cast<HubServer*>(server_.get())->hub();
  // Listening already (httplib listens inside bind); widen the backlog.
  int fd = tls_ ? static_cast<Listener<httplib::SSLServer>*>(server_.get())->listening_socket()
                : static_cast<HubServer*>(server_.get())->listening_socket();
  ::listen(fd, SOMAXCONN);
  port_ = port;
  if (Status s = StartMqtt(); !s.ok()) {
    server_.reset();
    hub_ = nullptr;
    return s;
  }
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    serving_done_ = true;
  });
  return port;
}

Status MockServer::Impl::StartMqtt() {
  if (options_.mqtt_port < 0) return Status::Ok();
  ListenerParts parts;
  parts.options = &options_;
  parts.state = state_.get();
  parts.clock = clock_;
  if (Status s = ResolveMqttIdentity(options_, mqtt_certificate_pem_, mqtt_key_pem_, &parts); !s.ok()) return s;
  parts.default_instance = options_.mqtt_instance.empty() ? mqtt_default_instance_ : options_.mqtt_instance;
  parts.observer = [this](const ConnectRecord& r) { RecordConnect(r, journal_.get(), log_.get()); };
  StatusOr<std::unique_ptr<MqttListener>> listener =
      MqttListener::Start(std::move(parts), options_.host, options_.mqtt_port);
  if (!listener.ok()) return listener.status();
  mqtt_ = std::move(*listener);
  mqtt_port_ = mqtt_->port();
  return Status::Ok();
}

void MockServer::Impl::Stop() {
  if (mqtt_) mqtt_->Stop();
  if (!server_) return;
  if (thread_.joinable()) {
    // stop() only acts once listen_after_bind has marked the server running.
    while (!server_->is_running() && !serving_done_) std::this_thread::yield();
    server_->stop();
    if (hub_ == nullptr) ShutdownReadsOfServedConnections(options_.host, port_);
    thread_.join();
  }
  if (hub_ != nullptr) hub_->Shutdown();
}

MockServer::MockServer(MockOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
MockServer::~MockServer() = default;
Status MockServer::LoadFixture(const std::string& fixture_path) { return impl_->LoadFixture(fixture_path); }
Status MockServer::LoadFixture(const std::shared_ptr<const Fixture>& fixture) { return impl_->LoadFixture(*fixture); }
StatusOr<std::shared_ptr<const Fixture>> MockServer::ReadFixture(const std::string& fixture_path) {
  StatusOr<Fixture> fixture = LoadFixtureFile(fixture_path);
  if (!fixture.ok()) return fixture.status();
  return std::make_shared<const Fixture>(std::move(*fixture));
}
StatusOr<int> MockServer::Start() { return impl_->Start(); }
void MockServer::Stop() { impl_->Stop(); }
int MockServer::port() const { return impl_->port_; }
bool MockServer::tls() const { return impl_->tls_; }
int MockServer::mqtt_port() const { return impl_->mqtt_port_; }
std::map<std::string, std::string> MockServer::Variables() const { return impl_->Variables(); }
nlohmann::json MockServer::Journal(size_t limit) const { return impl_->JournalJson(limit); }

}  // namespace onsmqtt::mock
