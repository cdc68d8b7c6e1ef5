// Many clients at once on one mock: every request gets its own answer.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "contract/codes.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

TEST(ConcurrencyTest, SixteenClientsTimesTwoHundredMixedCalls) {
  MockOptions options;
  options.rate_limit = 1'000'000;  // this test is about concurrency, not throttling
  MockFixture mock(options);
  constexpr int kThreads = 16, kCalls = 200;
  const char* devices[] = {"active", "extra1", "extra2", "c"};
  std::atomic<int> answered{0}, mismatched{0}, lost{0};
  std::vector<std::string> failures[kThreads];
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = mock.NewClient();
      client->set_keep_alive(t % 2 == 0);
      for (int i = 0; i < kCalls; ++i) {
        const std::string device = devices[(t + i) % 4];
        Call call = mock.Activate(device);
        call.scheme = i % 2 == 0 ? SignatureScheme::kV1 : SignatureScheme::kV3;
        call.method = i % 3 == 0 ? HttpMethod::kGet : HttpMethod::kPost;
        std::string expect_code;
        if (i % 5 == 4) {  // a service error
          call.params[1].second = "ff" + std::to_string(t * 1000 + i);
          expect_code = codes::kFindDeviceBySnError;
        }
        Reply r = mock.Send(call, mock.Key("owner"), SystemClock::Instance(), client.get());
        if (!r.answered) {
          ++lost;
          continue;
        }
        ++answered;
        bool ok = r.json.value("RequestId", "") == r.request_id_header && IsRequestIdFormat(r.request_id_header);
        if (expect_code.empty()) {
          ok = ok && r.status == 200 && r.json.value("DeviceSn", "") == call.params[1].second;
        } else {
          ok = ok && r.Code() == expect_code;
        }
        if (!ok) {
          ++mismatched;
          failures[t].push_back(r.body);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(lost.load(), 0);
  EXPECT_EQ(mismatched.load(), 0);
  EXPECT_EQ(answered.load(), kThreads * kCalls);
  for (int t = 0; t < kThreads; ++t) {
    if (!failures[t].empty()) ADD_FAILURE() << "thread " << t << ": " << failures[t].front();
  }
  Reply journal = mock.Admin("GET", "journal?limit=1");
  EXPECT_EQ(journal.json.value("recorded", 0), kThreads * kCalls);
}

TEST(ConcurrencyTest, ManyMocksInParallelShareNothing) {
  constexpr int kMocks = 4;
  std::vector<std::unique_ptr<MockFixture>> mocks;
  for (int i = 0; i < kMocks; ++i) mocks.push_back(std::make_unique<MockFixture>());
  // Inactivate on mock 0 only.
  Call inactivate = mocks[0]->Activate();
  inactivate.action = "InactivateDeviceCertificate";
  ASSERT_EQ(mocks[0]->Send(inactivate, mocks[0]->Key("owner")).status, 200);
  for (int i = 0; i < kMocks; ++i) {
    Call get = mocks[i]->Activate();
    get.action = "GetDeviceCertificate";
    Reply r = mocks[i]->Send(get, mocks[i]->Key("owner"));
    EXPECT_EQ(r.json["Data"].value("Status", ""), i == 0 ? "0" : "1") << "mock " << i;
    EXPECT_EQ(mocks[i]->Admin("GET", "journal").json["requests"].size(), i == 0 ? 2u : 1u);
  }
}

TEST(ConcurrencyTest, StartAndStopAreQuickAndIdempotent) {
  std::chrono::steady_clock::duration stop_total{};
  for (int i = 0; i < 5; ++i) {
    MockFixture mock;
    // The fixture's client keeps its keep-alive connection open and idle:
    // Stop must not wait for the keep-alive timeout (5 s).
    EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("owner")).status, 200);
    auto start = std::chrono::steady_clock::now();
    mock.server().Stop();
    stop_total += std::chrono::steady_clock::now() - start;
    mock.server().Stop();
    auto after = mock.NewClient();
    EXPECT_FALSE(after->Get("/__admin/health")) << "stopped";
  }
  // Not a speed assertion: 5 stops each waiting out the 5 s timeout would
  // take 25 s; this only tells "woken" from "waited out".
  EXPECT_LT(stop_total, std::chrono::seconds(5));
}

}  // namespace
}  // namespace onsmqtt::mock
