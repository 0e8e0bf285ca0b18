#include "net/listener.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <future>
#include <thread>

namespace edgesql::net {
namespace {

TEST(EndpointTest, Parses) {
  auto ep = ParseEndpoint("127.0.0.1:1433");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 1433);
  auto any = ParseEndpoint(":0");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "0.0.0.0");
  auto v6 = ParseEndpoint("[::1]:1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(ParseEndpoint("host:99999").ok());
  EXPECT_FALSE(ParseEndpoint("host:x").ok());
}

int IntOption(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  EXPECT_EQ(::getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

TEST(AcceptorTest, AcceptedSocketsUseSqlServersKeepAlive) {
  auto listen_fd = ListenTcp(Endpoint{"127.0.0.1", 0});
  ASSERT_TRUE(listen_fd.ok()) << listen_fd.status().ToString();
  std::string address = LocalAddress(*listen_fd);
  uint16_t port = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));

  Acceptor acceptor(*listen_fd);
  std::promise<std::array<int, 4>> seen;
  std::thread run([&] {
    acceptor.Run([&](int fd, std::string) {
      seen.set_value(
          {IntOption(fd, SOL_SOCKET, SO_KEEPALIVE), IntOption(fd, IPPROTO_TCP, TCP_KEEPIDLE),
           IntOption(fd, IPPROTO_TCP, TCP_KEEPINTVL), IntOption(fd, IPPROTO_TCP, TCP_NODELAY)});
      ::close(fd);
    });
  });
  int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  auto options = seen.get_future().get();
  EXPECT_NE(options[0], 0);
  EXPECT_EQ(options[1], 30);
  EXPECT_EQ(options[2], 1);
  EXPECT_NE(options[3], 0);
  acceptor.Stop();
  run.join();
  ::close(client);
  ::close(*listen_fd);
}

}  // namespace
}  // namespace edgesql::net
