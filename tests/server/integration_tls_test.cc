// TLS: a client trusting the district's CA gets in; a plaintext client and a
// plaintext server on a non-loopback address do not.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "server/server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Makes a CA and a server certificate for 127.0.0.1 signed by it, with the
// openssl command line, as docs/operations.md tells a district to.
void MakeCertificates(const testing::TempDir& dir) {
  const std::string ca_key = dir.File("ca.key"), ca = dir.File("ca.pem");
  const std::string key = dir.File("server.key"), csr = dir.File("server.csr");
  const std::string cert = dir.File("server.pem"), ext = dir.File("san.ext");
  testing::WriteFile(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  const std::vector<std::vector<std::string>> steps = {
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
       "-keyout", ca_key, "-out", ca, "-days", "2", "-subj",
       "/CN=portfolio test CA"},
      {"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
       key, "-out", csr, "-subj", "/CN=127.0.0.1"},
      {"/usr/bin/openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
       ca_key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext},
  };
  for (const auto& step : steps) {
    const testing::RunResult r = testing::Run(step);
    ASSERT_EQ(r.exit_code, 0) << step[1] << ": " << r.err;
  }
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir_));
    ServerOptions options;
    options.data_dir = dir_.File("data");
    options.listen = "127.0.0.1:0";
    options.seed = false;
    options.tls_cert_path = dir_.File("server.pem");
    options.tls_key_path = dir_.File("server.key");
    auto server = PortfolioServer::Start(options, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    std::ifstream in(server_->admin_token_path());
    std::getline(in, token_);
  }

  grpc::Status List(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto channel = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), credentials);
    auto stub = v1::ProjectService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.AddMetadata("authorization", "Bearer " + token_);
    v1::ListProjectsRequest request;
    v1::ListProjectsResponse response;
    return stub->ListProjects(&context, request, &response);
  }

  FakeClock clock_{absl::FromUnixSeconds(1720000000)};
  testing::TempDir dir_;
  std::unique_ptr<PortfolioServer> server_;
  std::string token_;
};

TEST_F(TlsTest, AClientTrustingTheCaIsServed) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(dir_.File("ca.pem"));
  const grpc::Status status = List(grpc::SslCredentials(ssl));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, APlaintextClientIsRefused) {
  const grpc::Status status = List(grpc::InsecureChannelCredentials());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AClientTrustingAnotherCaIsRefused) {
  testing::TempDir other;
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(other));
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(other.File("ca.pem"));
  EXPECT_EQ(List(grpc::SslCredentials(ssl)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(ServerCredentialsTest, PlaintextOffLoopbackIsRefusedUnlessAllowed) {
  ServerOptions options;
  options.listen = "0.0.0.0:50051";
  EXPECT_EQ(MakeCredentials(options).status().code(),
            absl::StatusCode::kFailedPrecondition);
  options.allow_insecure_remote = true;
  EXPECT_TRUE(MakeCredentials(options).ok());
  options.listen = "127.0.0.1:50051";
  options.allow_insecure_remote = false;
  EXPECT_TRUE(MakeCredentials(options).ok());
}

TEST(ServerCredentialsTest, IncompleteOrUnreadableTlsSettingsAreRefused) {
  ServerOptions options;
  options.tls_cert_path = "/no/such/cert.pem";
  EXPECT_EQ(MakeCredentials(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tls_key_path = "/no/such/key.pem";
  EXPECT_EQ(MakeCredentials(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  ServerOptions ca_only;
  ca_only.tls_client_ca_path = "/some/ca.pem";
  EXPECT_EQ(MakeCredentials(ca_only).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace portfolio
