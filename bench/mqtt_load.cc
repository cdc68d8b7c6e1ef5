// bench/mqtt.sh's load program: MQTT devices over mutual TLS 1.2 (OpenSSL),
// against any broker (the mock's --mqtt-port, mosquitto).
//
//   bench_mqtt_load connects PORT SECONDS THREADS PKI_DIR DEVICE
//     THREADS threads, each in a loop for SECONDS: TCP connect, TLS 1.2
//     handshake with PKI_DIR/DEVICE.pem/.key (the server verified against
//     PKI_DIR/tls-ca.pem; no session resumption), CONNECT (3.1.1), CONNACK,
//     DISCONNECT, wait for the server to close. Prints
//     "RESULT connects=N failures=F seconds=S tcp=.. tls=.. connack=.. io=.."
//   bench_mqtt_load hold PORT COUNT PKI_DIR DEVICE
//     opens COUNT connections (CONNECT with keep-alive 1800 s, CONNACK 0)
//     and holds them; prints "READY held=N failures=F" once all are open,
//     then waits for its stdin to close, sends DISCONNECT on each and exits.
//
// Client ids are GID_bench@@@<thread>-<n>, distinct at any moment. The TLS
// server name is "localhost" (the default instance of the mock).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "contract/mqtt_codec.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace mqtt = onsmqtt::mqtt;

enum Failure { kNone, kTcp, kTls, kConnack, kIo, kFailureKinds };
const char* const kFailureNames[kFailureKinds] = {"none", "tcp", "tls", "connack", "io"};

SSL_CTX* ClientContext(const std::string& pki, const std::string& device) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);  // every handshake a full one, for both servers
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx, (pki + "/tls-ca.pem").c_str(), nullptr) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx, (pki + "/" + device + ".pem").c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, (pki + "/" + device + ".key").c_str(), SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    std::exit(2);
  }
  return ctx;
}

int TcpConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Device {
  int fd = -1;
  SSL* ssl = nullptr;
  void Close() {
    if (ssl != nullptr) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
    ssl = nullptr;
    fd = -1;
  }
};

bool WriteAll(SSL* ssl, const std::string& bytes) {
  return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
}

// Reads one whole packet; false on EOF, error or a malformed frame.
bool ReadPacket(SSL* ssl, mqtt::Frame* frame, std::string* body) {
  std::string buf;
  char chunk[256];
  for (;;) {
    switch (mqtt::ReadFrame(buf, mqtt::kDefaultMaxPacket, frame)) {
      case mqtt::FrameState::kComplete:
        *body = buf.substr(frame->header_bytes, frame->body_bytes);
        return true;
      case mqtt::FrameState::kNeedMore:
        break;
      default:
        return false;
    }
    int n = SSL_read(ssl, chunk, sizeof chunk);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
}

// TCP, TLS, CONNECT, CONNACK 0: the open device, or why not.
Failure Open(SSL_CTX* ctx, int port, const std::string& client_id, uint16_t keep_alive, Device* d) {
  d->fd = TcpConnect(port);
  if (d->fd < 0) return kTcp;
  d->ssl = SSL_new(ctx);
  SSL_set_fd(d->ssl, d->fd);
  SSL_set_tlsext_host_name(d->ssl, "localhost");
  if (SSL_connect(d->ssl) != 1) return kTls;
  mqtt::Connect connect;
  connect.version = mqtt::Version::k311;
  connect.client_id = client_id;
  connect.keep_alive = keep_alive;
  if (!WriteAll(d->ssl, mqtt::EncodeConnect(connect))) return kIo;
  mqtt::Frame frame;
  std::string body;
  if (!ReadPacket(d->ssl, &frame, &body)) return kIo;
  if (frame.type != mqtt::PacketType::kConnack) return kConnack;
  onsmqtt::StatusOr<mqtt::Connack> connack = mqtt::DecodeConnack(mqtt::Version::k311, body);
  return connack.ok() && connack->code == mqtt::kConnackAccepted ? kNone : kConnack;
}

// DISCONNECT, then the server closes: read until EOF.
Failure Disconnect(Device* d) {
  Failure f = WriteAll(d->ssl, mqtt::EncodeDisconnect(mqtt::Version::k311)) ? kNone : kIo;
  char chunk[64];
  while (f == kNone && SSL_read(d->ssl, chunk, sizeof chunk) > 0) {
  }
  d->Close();
  return f;
}

struct Counts {
  std::atomic<long> connects{0};
  std::atomic<long> failures[kFailureKinds] = {};
};

void ConnectLoop(SSL_CTX* ctx, int port, int thread, Clock::time_point end, Counts* counts) {
  const std::string prefix = "GID_bench@@@" + std::to_string(thread) + "-";
  for (long n = 0; Clock::now() < end; ++n) {
    Device d;
    Failure f = Open(ctx, port, prefix + std::to_string(n), 60, &d);
    if (f == kNone) f = Disconnect(&d);
    d.Close();
    if (f == kNone) {
      counts->connects++;
    } else {
      counts->failures[f]++;
    }
  }
}

int RunConnects(int port, int seconds, int threads, SSL_CTX* ctx) {
  Counts counts;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back(ConnectLoop, ctx, port, t, end, &counts);
  for (std::thread& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  long failures = 0;
  for (int f = kTcp; f < kFailureKinds; ++f) failures += counts.failures[f];
  std::printf("RESULT connects=%ld failures=%ld seconds=%.3f", counts.connects.load(), failures, elapsed);
  for (int f = kTcp; f < kFailureKinds; ++f) std::printf(" %s=%ld", kFailureNames[f], counts.failures[f].load());
  std::printf("\n");
  return 0;
}

int RunHold(int port, int count, SSL_CTX* ctx) {
  rlimit nofile{};
  ::getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &nofile);
  std::vector<Device> held;
  long failures = 0;
  for (int i = 0; i < count; ++i) {
    Device d;
    if (Open(ctx, port, "GID_bench@@@idle-" + std::to_string(i), 1800, &d) == kNone) {
      held.push_back(d);
    } else {
      d.Close();
      ++failures;
    }
  }
  std::printf("READY held=%zu failures=%ld\n", held.size(), failures);
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  long lost = 0;
  for (Device& d : held) lost += Disconnect(&d) == kNone ? 0 : 1;
  std::printf("HELD disconnected=%zu failed=%ld\n", held.size() - static_cast<size_t>(lost), lost);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a server closing first is a failure to count, not death
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "connects" && argc == 7) {
    SSL_CTX* ctx = ClientContext(argv[5], argv[6]);
    return RunConnects(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]), ctx);
  }
  if (mode == "hold" && argc == 6) {
    SSL_CTX* ctx = ClientContext(argv[4], argv[5]);
    return RunHold(std::atoi(argv[2]), std::atoi(argv[3]), ctx);
  }
  std::fprintf(stderr,
               "usage: bench_mqtt_load connects PORT SECONDS THREADS PKI_DIR DEVICE\n"
               "       bench_mqtt_load hold PORT COUNT PKI_DIR DEVICE\n");
  return 2;
}
