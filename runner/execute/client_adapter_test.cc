// The runner's side of the adapter protocol against real processes: the
// fake adapters of runner/testdata/adapters/canned.py, each failing in one
// way. Timeouts here are upper bounds against hangs, never asserted.
#include "runner/execute/client_adapter.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>

namespace onsmqtt::runner {
namespace {

const std::string kCanned = "python3 runner/testdata/adapters/canned.py ";

ClientOptions Options(const std::string& mode, int timeout_ms = 30000) { return {kCanned + mode, timeout_ms}; }

std::vector<ClientRequest> Requests(int n, int64_t first_id = 1) {
  std::vector<ClientRequest> out;
  for (int i = 0; i < n; ++i) {
    int64_t id = first_id + i;
    out.push_back(
        {id, "GetRegisterCode",
         R"({"id":)" + std::to_string(id) +
             R"(,"action":"GetRegisterCode","params":{"MqttInstanceId":"x"},"credentials":{"id":"a","secret":"s"}})"});
  }
  return out;
}

// The failure of the first call to an adapter in `mode`.
std::string FirstCallError(const std::string& mode, ClientFailure expected, int timeout_ms = 30000) {
  auto adapter = ClientAdapter::Start(Options(mode, timeout_ms));
  if (!adapter.ok()) return "start failed: " + adapter.status().message();
  auto answers = (*adapter)->Call(Requests(1), 1);
  EXPECT_FALSE(answers.ok());
  EXPECT_TRUE((*adapter)->broken());
  EXPECT_EQ((*adapter)->failure(), expected);
  return answers.ok() ? "" : answers.status().message();
}

TEST(ClientAdapter, ReadsTheHelloAndAnswers) {
  auto adapter = ClientAdapter::Start(Options("ok pop-core-1.8.0"));
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  EXPECT_EQ((*adapter)->hello().name, "pop-core-1.8.0");
  EXPECT_EQ((*adapter)->hello().schemes, (std::vector<std::string>{"v1", "v3"}));
  EXPECT_EQ((*adapter)->hello().methods, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ((*adapter)->hello().formats, (std::vector<std::string>{"JSON", "XML"}));
  auto answers = (*adapter)->Call(Requests(3), 1);
  ASSERT_TRUE(answers.ok()) << answers.status().ToString();
  ASSERT_EQ(answers->size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*answers)[i]["request_id"], "CANNED-" + std::to_string(i + 1));
  EXPECT_FALSE((*adapter)->broken());
}

TEST(ClientAdapter, MatchesAnswersByIdInAnyOrder) {
  auto adapter = ClientAdapter::Start(Options("reverse"));
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  auto answers = (*adapter)->Call(Requests(40, 100), 8);
  ASSERT_TRUE(answers.ok()) << answers.status().ToString();
  ASSERT_EQ(answers->size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ((*answers)[i]["id"], 100 + i);
}

TEST(ClientAdapter, StopsSendingWhenStopped) {
  auto adapter = ClientAdapter::Start(Options("ok"));
  ASSERT_TRUE(adapter.ok());
  std::atomic<bool> stop{true};
  auto answers = (*adapter)->Call(Requests(5), 2, &stop);
  ASSERT_TRUE(answers.ok());
  EXPECT_EQ(answers->size(), 0u);
}

TEST(ClientAdapter, AnAdapterThatExitsSaysItsStatusAndStderr) {
  std::string error = FirstCallError("crash", ClientFailure::kExited);
  EXPECT_NE(error.find("the client adapter exited with status 3"), std::string::npos) << error;
  EXPECT_NE(error.find("request 1 (GetRegisterCode)"), std::string::npos) << error;
  EXPECT_NE(error.find("its stderr ends:\nboom"), std::string::npos) << error;
}

TEST(ClientAdapter, AnAdapterThatHangsTimesOut) {
  std::string error = FirstCallError("hang", ClientFailure::kTimedOut, 1);
  EXPECT_NE(error.find("the client adapter timed out: the runner waited 5001 ms (timeout_ms 1 + 5 s) for the answer "
                       "to request 1 (GetRegisterCode)"),
            std::string::npos)
      << error;
}

TEST(ClientAdapter, ALineThatIsNotJsonIsShownShortened) {
  std::string error = FirstCallError("notjson", ClientFailure::kNotJson);
  EXPECT_NE(error.find("printed a line that is not a JSON object: Traceback (most recent call last)"),
            std::string::npos)
      << error;
}

TEST(ClientAdapter, AnAnswerToAnIdNotAskedIsAnError) {
  std::string error = FirstCallError("unknown-id", ClientFailure::kUnknownId);
  EXPECT_NE(error.find("answered id 1001, which the runner did not ask"), std::string::npos) << error;
}

TEST(ClientAdapter, AnAnswerWithoutOkIsAnError) {
  std::string error = FirstCallError("no-ok", ClientFailure::kMissingField);
  EXPECT_NE(error.find("answer has no boolean \"ok\""), std::string::npos) << error;
}

TEST(ClientAdapter, ALineOver16MiBIsRefusedWithoutReadingItAll) {
  std::string error = FirstCallError("huge", ClientFailure::kLineTooLong);
  EXPECT_NE(error.find("printed a line longer than 16 MiB"), std::string::npos) << error;
}

TEST(ClientAdapter, ClosedStdoutWhileRunning) {
  // exec: otherwise the shell keeps the pipe open after python closes it.
  auto adapter = ClientAdapter::Start({"exec " + kCanned + "close-stdout", 30000});
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  auto answers = (*adapter)->Call(Requests(1), 1);
  ASSERT_FALSE(answers.ok());
  EXPECT_EQ((*adapter)->failure(), ClientFailure::kClosed);
  EXPECT_NE(answers.status().message().find("closed its stdout (it is still running)"), std::string::npos)
      << answers.status().message();
  pid_t pid = (*adapter)->pid();
  (*adapter)->Close();  // it ignores its stdin: killed after 5 s
  EXPECT_NE(kill(pid, 0), 0);
}

TEST(ClientAdapter, ExitDuringHelloFailsTheStart) {
  auto adapter = ClientAdapter::Start(Options("hello-exit"));
  ASSERT_FALSE(adapter.ok());
  EXPECT_NE(adapter.status().message().find("exited with status 1 while the runner waited for its hello"),
            std::string::npos)
      << adapter.status().message();
  EXPECT_NE(adapter.status().message().find("cannot load the SDK"), std::string::npos);
}

TEST(ClientAdapter, AHelloOfAnotherProtocolFailsTheStart) {
  auto adapter = ClientAdapter::Start(Options("bad-hello"));
  ASSERT_FALSE(adapter.ok());
  EXPECT_NE(adapter.status().message().find("hello is not the protocol's: it speaks protocol 2"), std::string::npos)
      << adapter.status().message();
}

TEST(ClientAdapter, AHelloThatIsNotOneFailsTheStart) {
  auto adapter = ClientAdapter::Start({"echo '{\"hi\": 1}'; sleep 1", 30000});
  ASSERT_FALSE(adapter.ok());
  EXPECT_NE(adapter.status().message().find("it is not {\"hello\": {...}}: {\"hi\": 1}"), std::string::npos)
      << adapter.status().message();
  auto bad_name = ClientAdapter::Start(
      {R"(echo '{"hello":{"protocol":1,"name":"a b","schemes":[],"methods":[],"formats":[]}}'; sleep 1)", 30000});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("\"name\" must be"), std::string::npos) << bad_name.status().message();
}

TEST(ClientAdapter, ACommandThatDoesNotExistFailsTheStart) {
  auto adapter = ClientAdapter::Start({"/nonexistent/adapter", 30000});
  ASSERT_FALSE(adapter.ok());
  EXPECT_NE(adapter.status().message().find("exited with status 127"), std::string::npos) << adapter.status().message();
}

TEST(ClientAdapter, AChattyStderrNeverBlocksAndKeepsOnlyTheLastLines) {
  auto adapter = ClientAdapter::Start(Options("chatty"));
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  auto answers = (*adapter)->Call(Requests(3), 1);  // 3 MiB of stderr meanwhile
  ASSERT_TRUE(answers.ok()) << answers.status().ToString();
  std::string tail = (*adapter)->StderrTail();
  EXPECT_FALSE(tail.empty());
  EXPECT_LE(std::count(tail.begin(), tail.end(), '\n'), static_cast<long>(kClientStderrLines));
}

TEST(ClientPool, ReusesItsFirstAdapterAndReplacesABrokenOne) {
  auto pool = ClientPool::Create(Options("ok"));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ((*pool)->hello().name, "canned-1.0.0");
  auto first = (*pool)->Acquire();
  ASSERT_TRUE(first.ok());
  pid_t pid = (*first)->pid();
  (*pool)->Release(std::move(*first));
  auto again = (*pool)->Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->pid(), pid);
  auto second = (*pool)->Acquire();  // the first is in use: a new process
  ASSERT_TRUE(second.ok());
  EXPECT_NE((*second)->pid(), pid);
  (*pool)->Release(std::move(*second));
  (*pool)->Release(std::move(*again));
}

TEST(ClientPool, ABrokenAdapterIsClosedAndTheNextAcquireStartsAnother) {
  auto pool = ClientPool::Create(Options("crash"));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  auto adapter = (*pool)->Acquire();
  ASSERT_TRUE(adapter.ok());
  pid_t pid = (*adapter)->pid();
  EXPECT_FALSE((*adapter)->Call(Requests(1), 1).ok());
  (*pool)->Release(std::move(*adapter));
  auto next = (*pool)->Acquire();
  ASSERT_TRUE(next.ok());
  EXPECT_NE((*next)->pid(), pid);
  EXPECT_FALSE((*next)->broken());
}

}  // namespace
}  // namespace onsmqtt::runner
