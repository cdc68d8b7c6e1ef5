// What the mock's HTTP server does to sockets that httplib 0.11 does not
// let it reach: it finds them among the process's descriptors by their
// addresses. Used by server.cc only.
#pragma once

#include <string>

namespace onsmqtt::mock {

// Writes to a connection the peer already closed must not kill the
// process: ignores SIGPIPE unless the embedding program chose a handler.
void IgnoreSigpipeIfDefault();

// Shuts down (both ways) the connection from remote_addr:remote_port to
// this process's local_port: the drop_connection fault.
void ShutdownConnection(int local_port, const std::string& remote_addr, int remote_port);

// Shuts the read side of every connection accepted on host:port, so that
// workers waiting for a next keep-alive request return at once.
void ShutdownReadsOfServedConnections(const std::string& host, int port);

}  // namespace onsmqtt::mock
