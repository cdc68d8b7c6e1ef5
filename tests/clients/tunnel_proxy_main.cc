// The tunnel proxy (tunnel_proxy.h) as a program, for mosquitto_test.sh:
//
//   clients_tunnel_proxy TARGET_PORT
//
// Prints "tunnel proxy on 127.0.0.1:PORT" and relays every tunnel to
// 127.0.0.1:TARGET_PORT until SIGTERM or SIGINT; then prints each host a
// client asked for ("requested host:port") and exits 0.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/clients/tunnel_proxy.h"

int main(int argc, char** argv) {
  int target = argc == 2 ? std::atoi(argv[1]) : 0;
  if (target <= 0 || target > 65535) {
    std::fprintf(stderr, "usage: clients_tunnel_proxy TARGET_PORT\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before any thread: they inherit it
  std::string error;
  auto proxy = onsmqtt::clients::TunnelProxy::Start(target, &error);
  if (!proxy) {
    std::fprintf(stderr, "clients_tunnel_proxy: %s\n", error.c_str());
    return 1;
  }
  std::printf("tunnel proxy on 127.0.0.1:%d\n", proxy->port());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  proxy->Stop();
  for (const std::string& host : proxy->requested()) std::printf("requested %s\n", host.c_str());
  return 0;
}
