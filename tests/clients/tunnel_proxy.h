#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// A proxy for the client tests that sends every tunnel to one local port,
// whatever host the client asked for. It lets a client use
// "<instance-id>.mqtt.aliyuncs.com" as its host name, hence as its TLS
// server name (SNI), without DNS: the clients set SNI from the host they
// connect to and have no option of their own for it.
//
//   - HTTP CONNECT ("CONNECT host:port HTTP/1.1", answered "HTTP/1.1 200"):
//     Paho C's MQTTClient_connectOptions::httpsProxy;
//   - SOCKS5 without authentication, CONNECT to a domain name or an IPv4
//     address: mosquitto_pub/sub --proxy socks5h://127.0.0.1:PORT.
//
// Then bytes are relayed both ways until either side closes. One thread per
// tunnel; tests open a handful. Thread-safe.
namespace onsmqtt::clients {

class TunnelProxy {
 public:
  // Listens on 127.0.0.1 (a free port) and relays to 127.0.0.1:target_port.
  // nullptr with *error set when it cannot listen.
  static std::unique_ptr<TunnelProxy> Start(int target_port, std::string* error);
  ~TunnelProxy();
  TunnelProxy(const TunnelProxy&) = delete;
  TunnelProxy& operator=(const TunnelProxy&) = delete;

  int port() const { return port_; }
  // The hosts clients asked for, in order ("name:port").
  std::vector<std::string> requested() const;
  // Stops accepting, ends every tunnel, joins. Idempotent.
  void Stop();

 private:
  TunnelProxy(int listen_fd, int port, int target_port);
  void AcceptLoop();
  void Serve(int client_fd);

  const int listen_fd_;
  const int port_;
  const int target_port_;
  int wake_[2] = {-1, -1};  // a pipe: Stop() writes, every poll() watches
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> tunnels_;    // guarded by mu_
  std::vector<std::string> requested_;  // guarded by mu_
  bool stopped_ = false;                // guarded by mu_
};

}  // namespace onsmqtt::clients
