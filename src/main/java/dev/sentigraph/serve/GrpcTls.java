package dev.sentigraph.serve;

import com.google.protobuf.TextFormat;
import dev.sentigraph.error.InputException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import tensorflow.serving.SslConfig.SSLConfig;

/**
 * TF Serving's {@code --ssl_config_file}: its {@code SSLConfig} (PEM texts, not paths: {@code server_key},
 * {@code server_cert}, {@code custom_ca}, {@code client_verify}) secures the gRPC port, as TF Serving's
 * {@code BuildServerCredentials} does; REST stays plain HTTP there too.
 *
 * @param serverKey the server's private key, PEM (PKCS#8, {@code BEGIN PRIVATE KEY}, as Netty reads it)
 * @param serverCert the server's certificate chain, PEM
 * @param customCa certificates clients are verified against, PEM, or empty for the JDK's trusted roots
 * @param clientVerify require and verify a client certificate
 */
public record GrpcTls(String serverKey, String serverCert, String customCa, boolean clientVerify) {
  /** Reads an {@code SSLConfig} text-format file. */
  public static GrpcTls read(Path file) {
    SSLConfig.Builder b = SSLConfig.newBuilder();
    try {
      TextFormat.getParser().merge(Files.readString(file), b);
    } catch (TextFormat.ParseException e) {
      throw new InputException(file + " is not a valid SSLConfig in protobuf text format: "
          + e.getMessage().replaceAll("\\s+", " ").strip());
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    if (b.getServerKey().isBlank() || b.getServerCert().isBlank()) {
      throw new InputException(file + ": an SSLConfig needs server_key and server_cert (PEM texts)");
    }
    GrpcTls tls = new GrpcTls(b.getServerKey(), b.getServerCert(), b.getCustomCa(), b.getClientVerify());
    tls.context(); // a key or certificate that does not parse is refused at start, in one line
    return tls;
  }

  /** Netty's server context for these keys. */
  SslContext context() {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(stream(serverCert), stream(serverKey))
          .clientAuth(clientVerify ? ClientAuth.REQUIRE : ClientAuth.NONE);
      if (!customCa.isBlank()) {
        b.trustManager(stream(customCa));
      }
      return GrpcSslContexts.configure(b).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new InputException("--ssl_config_file: cannot use the key and certificates: " + e.getMessage()
          + " (server_key must be a PKCS#8 PEM key, BEGIN PRIVATE KEY)");
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
