package io.pricepath.forecast.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 content hashes of models, as short hex strings. */
final class Hashing {
  private Hashing() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash models: SHA-256 is not available", e);
    }
  }

  static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** Version of a model: its target, its parameters or bytes, and its reproducible provenance. */
  static String version(Target target, byte[] content, Provenance p) {
    MessageDigest d = sha256();
    update(d, target.column());
    d.update(content);
    update(d, p.kind());
    update(d, p.planWeek());
    update(d, p.trainingFrom() + "/" + p.trainingTo());
    update(d, String.join(",", p.features()));
    update(d, p.layout().toString());
    update(d, p.objective());
    update(d, p.hyperparameters().toString());
    update(d, Long.toString(p.seed()));
    update(d, p.dataFingerprint());
    update(d, Long.toString(p.trainingRows()));
    return hex(d);
  }
}
