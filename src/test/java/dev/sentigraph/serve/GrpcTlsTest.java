package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.TestFolders;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.FileTrees;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;

/**
 * {@code --ssl_config_file}: TF Serving's SSLConfig (PEM texts) secures the gRPC port, with and without client
 * verification; a key that does not parse is refused in one line. Keys come from the JDK's keytool.
 */
class GrpcTlsTest {
  @TempDir Path dir;

  /** A self-signed key pair for 127.0.0.1 as PKCS#8 key and certificate PEMs. */
  private String[] keyPair(String alias) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + alias,
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "secret".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey(alias, "secret".toCharArray());
    Certificate cert = ks.getCertificate(alias);
    return new String[] {pem("PRIVATE KEY", key.getEncoded()), pem("CERTIFICATE", cert.getEncoded())};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }

  private static ModelServiceGrpc.ModelServiceBlockingStub stub(ManagedChannel c) {
    return ModelServiceGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static GetModelStatusRequest status() {
    return GetModelStatusRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("lstm")).build();
  }

  @Test
  void tlsWithAndWithoutClientCertificates() throws Exception {
    String[] server = keyPair("server");
    String[] client = keyPair("client");
    Path config = dir.resolve("ssl.config");
    Files.writeString(config, "server_key: " + quoted(server[0]) + "\nserver_cert: " + quoted(server[1])
        + "\ncustom_ca: " + quoted(client[1]) + "\nclient_verify: true\n");
    Path base = dir.resolve("models/lstm");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("1"));
    try (ModelServer s = ModelServer.start(List.of(ModelSource.of("lstm", base)), ServerSettings.defaults()
        .withPort(0).withGrpc(GrpcSettings.on(0).withTls(GrpcTls.read(config))), line -> { })) {
      SslContextBuilder trustServer = GrpcSslContexts.forClient()
          .trustManager(new ByteArrayInputStream(server[1].getBytes(StandardCharsets.US_ASCII)));
      ManagedChannel withCert = NettyChannelBuilder.forAddress("127.0.0.1", s.grpcPort()).sslContext(trustServer
          .keyManager(new ByteArrayInputStream(client[1].getBytes(StandardCharsets.US_ASCII)),
              new ByteArrayInputStream(client[0].getBytes(StandardCharsets.US_ASCII))).build()).build();
      ManagedChannel withoutCert = NettyChannelBuilder.forAddress("127.0.0.1", s.grpcPort()).sslContext(
          GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(server[1].getBytes(
              StandardCharsets.US_ASCII))).build()).build();
      ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", s.grpcPort()).usePlaintext().build();
      try {
        assertEquals(1, stub(withCert).getModelStatus(status()).getModelVersionStatus(0).getVersion());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
            () -> stub(withoutCert).getModelStatus(status()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
        assertThrows(StatusRuntimeException.class, () -> stub(plain).getModelStatus(status()));
      } finally {
        withCert.shutdownNow();
        withoutCert.shutdownNow();
        plain.shutdownNow();
      }
    } finally {
      FileTrees.delete(dir.resolve("models"));
    }
  }

  @Test
  void aConfigThatCannotBeUsedIsOneLine() throws Exception {
    Path config = dir.resolve("bad.config");
    Files.writeString(config, "server_key: \"not a key\"\nserver_cert: \"not a cert\"\n");
    InputException e = assertThrows(InputException.class, () -> GrpcTls.read(config));
    assertTrue(e.getMessage().contains("--ssl_config_file") && !e.getMessage().contains("\n"), e.getMessage());
    Files.writeString(config, "server_key: \"k\"\nunknown: 1\n");
    e = assertThrows(InputException.class, () -> GrpcTls.read(config));
    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
  }
}
