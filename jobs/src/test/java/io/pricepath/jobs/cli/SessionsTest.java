package io.pricepath.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path dir;

  @Test
  void theDefaultsAddNoSparkSettings() {
    assertThat(Sessions.sparkConf(ConfigLoader.merged(null, List.of()))).isEmpty();
  }

  @Test
  void sparkSettingsComeFromTheConfFileAndFromSet() throws Exception {
    Path file = dir.resolve("s3.conf");
    Files.writeString(file, """
        pricepath.spark.conf {
          "spark.hadoop.fs.s3a.endpoint" = "http://127.0.0.1:9000"
          "spark.hadoop.fs.s3a.endpoint.region" = us-east-1
          "spark.hadoop.fs.s3a.path.style.access" = true
        }
        """);
    Map<String, String> conf = Sessions.sparkConf(ConfigLoader.merged(file.toString(),
        List.of("spark.conf.\"spark.hadoop.fs.s3a.path.style.access\"=false",
            "spark.conf.spark.hadoop.fs.s3a.connection.ssl.enabled=false")));
    assertThat(conf).containsExactlyInAnyOrderEntriesOf(Map.of(
        "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
        "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
        "spark.hadoop.fs.s3a.path.style.access", "false",
        "spark.hadoop.fs.s3a.connection.ssl.enabled", "false"));
  }

  @Test
  void credentialsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> Sessions.sparkConf(ConfigLoader.merged(null,
        List.of("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use config spark.conf.spark.hadoop.fs.s3a.secret.key")
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Sessions.sparkConf(ConfigLoader.merged(null,
        List.of("spark.conf.\"spark.hadoop.fs.s3a.bucket.b.access.key\"=AKIA"))))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void keysThatAreNotSparkSettingsAreRefused() {
    assertThatThrownBy(() -> Sessions.sparkConf(ConfigLoader.merged(null,
        List.of("spark.conf.\"fs.s3a.endpoint\"=http://x"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("start with spark.");
  }

  @Test
  void aMissingBucketOrDeniedAccessIsSaidInWords() {
    var missing = new org.apache.hadoop.fs.s3a.UnknownStoreException("s3a://nope/data", "bucket does not exist");
    assertThat(Sessions.storageProblem(new RuntimeException("job failed", missing))).hasValueSatisfying(m ->
        assertThat(m).startsWith("Cannot read or write s3a://nope/data: its bucket does not exist"));
    var denied = new java.nio.file.AccessDeniedException("s3a://b/runs/x", null, "403");
    assertThat(Sessions.storageProblem(denied)).hasValueSatisfying(m ->
        assertThat(m).startsWith("Cannot read or write s3a://b/runs/x: access denied"));
    assertThat(Sessions.storageProblem(new java.nio.file.AccessDeniedException("/tmp/x"))).isEmpty();
    assertThat(Sessions.storageProblem(new IllegalStateException("other"))).isEmpty();
  }
  @Test
  void anyKeyThatNamesASecretOfAnyStoreIsRefused() {
    for (String secret : List.of("spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
        "spark.hadoop.fs.azure.sas.fixed.token.acct.dfs.core.windows.net", "spark.hadoop.fs.gs.auth.client.secret",
        "spark.hadoop.fs.s3a.session.token", "spark.hadoop.fs.s3a.encryption.key", "spark.ssl.keyPassword",
        "spark.kubernetes.authenticate.oauthToken", "spark.hadoop.fs.oss.accessKeySecret",
        "spark.hadoop.fs.cosn.userinfo.secretKey", "spark.authenticate.secret", "spark.hadoop.fs.ftp.password.host")) {
      assertThat(Sessions.namesSecret(secret)).as(secret).isTrue();
    }
    for (String setting : List.of("spark.hadoop.fs.s3a.aws.credentials.provider", "spark.hadoop.fs.s3a.endpoint",
        "spark.hadoop.fs.gs.auth.service.account.json.keyfile", "spark.kerberos.keytab", "spark.io.encryption.keySizeBits",
        "spark.hadoop.fs.s3a.server-side-encryption-algorithm", "spark.network.sasl.serverAlwaysEncrypt",
        "spark.hadoop.fs.s3a.delegation.token.binding", "spark.sql.shuffle.partitions",
        "spark.security.credentials.hive.enabled")) {
      assertThat(Sessions.namesSecret(setting)).as(setting).isFalse();
    }
    assertThatThrownBy(() -> Sessions.sparkConf(ConfigLoader.merged(null, List.of(
        "spark.conf.\"spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net\"=c2VjcmV0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("names a secret")
        .hasMessageNotContaining("c2VjcmV0");
  }
}
