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
#include "tests/support/certs.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::MakeCertificates(dir_).ok());
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
  ssl.pem_root_certs = testing::ReadWholeFile(dir_.File("ca.pem"));
  const grpc::Status status = List(grpc::SslCredentials(ssl));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, APlaintextClientIsRefused) {
  const grpc::Status status = List(grpc::InsecureChannelCredentials());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AClientTrustingAnotherCaIsRefused) {
  testing::TempDir other;
  ASSERT_TRUE(testing::MakeCertificates(other).ok());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = testing::ReadWholeFile(other.File("ca.pem"));
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
