// The channel over TLS: with the CA file that signed the server's
// certificate the call goes through; plaintext, or another CA, is refused
// as an unreachable server (exit 4). The certificates are fixtures made
// once with `openssl ca`, valid from 2000 to 2999 so that the test does not
// depend on the current date.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/errors.h"
#include "client/rpc.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/server_credentials.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

// The CA the server certificate is signed by.
constexpr char kCaPem[] = R"pem(
-----BEGIN CERTIFICATE-----
MIIBbDCCARKgAwIBAgICEAAwCgYIKoZIzj0EAwIwHDEaMBgGA1UEAwwRcG9ydGZv
bGlvIHRlc3QgQ0EwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTEyMzEyMzU5NTlaMBwx
GjAYBgNVBAMMEXBvcnRmb2xpbyB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAErrx6ek11dSdnVSN39062Z5PSB1RS77jiqP4y5oCKLlx72h+gteya1w+9
+ih2bQSbhI8ES93nz/jzTQBnnzisZ6NCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNV
HQ8BAf8EBAMCAQYwHQYDVR0OBBYEFNyedfHJW6+OzmMStT0cN29Ouk+9MAoGCCqG
SM49BAMCA0gAMEUCIQD18+tKMyihriQxGTzog0pqYllmpKWJoxX0JdyD3Q78XgIg
S15yEZLlXi48Zt0x96PhpJ0NKEVWBTZK5E4AfTQ/ymQ=
-----END CERTIFICATE-----
)pem";

// CN=localhost, with subject alternative names localhost and 127.0.0.1.
constexpr char kServerCertPem[] = R"pem(
-----BEGIN CERTIFICATE-----
MIIBoDCCAUagAwIBAgICEAIwCgYIKoZIzj0EAwIwHDEaMBgGA1UEAwwRcG9ydGZv
bGlvIHRlc3QgQ0EwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTEyMzEyMzU5NTlaMBQx
EjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGXD
HBZNmNSBQ1+GF4XQpGfEA76gIda/3B59OfJyX91IeS5PWN127dVjJMzzki31EhdN
iQGto46wppce9S355rujfjB8MAkGA1UdEwQCMAAwGgYDVR0RBBMwEYIJbG9jYWxo
b3N0hwR/AAABMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQWBBQM8MGy79YV
Ch1bAmmkAzi1tZwKODAfBgNVHSMEGDAWgBTcnnXxyVuvjs5jErU9HDdvTrpPvTAK
BggqhkjOPQQDAgNIADBFAiEAv3YoB3ojowl2QW21U4Hb8JdDaqOc7m9oJ+kM+yGQ
/TwCIG4rrry4qh1daf6hXW+YoIwDVzTmo/OcemqwytY6/TzK
-----END CERTIFICATE-----
)pem";

// The server certificate's key (P-256); a test fixture, protecting nothing.
constexpr char kServerKeyPem[] = R"pem(
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMDan1gr66rA+NUEw
CciFtuS7IMYgT/GY8/dBbkcFIUKhRANCAARlwxwWTZjUgUNfhheF0KRnxAO+oCHW
v9wefTnycl/dSHkuT1jddu3VYyTM85It9RIXTYkBraOOsKaXHvUt+ea7
-----END PRIVATE KEY-----
)pem";

// A CA that signed nothing the server holds.
constexpr char kOtherCaPem[] = R"pem(
-----BEGIN CERTIFICATE-----
MIIBZTCCAQqgAwIBAgICEAEwCgYIKoZIzj0EAwIwGDEWMBQGA1UEAwwNc29tZSBv
dGhlciBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5MTIzMTIzNTk1OVowGDEWMBQG
A1UEAwwNc29tZSBvdGhlciBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLJ/
7qfqHPtkwsuddg29iGE6ZbdlTBufWHNOORUU24jmYYZ55voGZJK1yeHcyhqjA0W1
5cCA/6hTcd+a9LpXXoGjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQD
AgEGMB0GA1UdDgQWBBSri9oHdSHLMVi0MujZb3KXxhISIjAKBggqhkjOPQQDAgNJ
ADBGAiEAr6Lj4TtuCfCsNRF//HFwvoFimIsfqAT9UsQD/gt/5ysCIQColld6alur
BwUMnsMCEsiOwppwmNj7HbX5qtCZ6OqdoQ==
-----END CERTIFICATE-----
)pem";

class AnswersListProjects final : public v1::ProjectService::Service {
 public:
  grpc::Status ListProjects(grpc::ServerContext*,
                            const v1::ListProjectsRequest*,
                            v1::ListProjectsResponse* response) override {
    response->set_total_size(7);
    return grpc::Status::OK;
  }
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({kServerKeyPem, kServerCertPem});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                             &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  // ListProjects with the CA `ca_pem` ("" for plaintext).
  absl::Status List(const std::string& ca_pem) {
    Connection connection{absl::StrCat("127.0.0.1:", port_), "--addr", "tok"};
    if (!ca_pem.empty()) {
      connection.ca_path = "test-ca.pem";
      connection.ca_pem = ca_pem;
    }
    RpcClient rpc(connection, absl::Seconds(5));
    v1::ListProjectsResponse response;
    absl::Status status =
        rpc.Call(rpc.projects(), &v1::ProjectService::Stub::ListProjects,
                 v1::ListProjectsRequest(), &response);
    if (status.ok()) {
      EXPECT_EQ(response.total_size(), 7);
    }
    return status;
  }

  AnswersListProjects service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(TlsTest, TheRightCaConnects) { EXPECT_TRUE(List(kCaPem).ok()); }

TEST_F(TlsTest, PlaintextIsRefused) {
  const absl::Status status = List("");
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUnreachable) << status;
  EXPECT_NE(status.message().find("If it serves TLS, pass --ca FILE"),
            std::string::npos)
      << status;
}

TEST_F(TlsTest, AnotherCaIsRefused) {
  const absl::Status status = List(kOtherCaPem);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUnreachable) << status;
  EXPECT_NE(status.message().find("over TLS with CA file test-ca.pem"),
            std::string::npos)
      << status;
}

}  // namespace
}  // namespace portfolio::client
