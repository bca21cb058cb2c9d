package io.pricepath.forecast.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/** The JSON documents of a registry version folder: their shapes, reading and writing. */
final class RegistryFiles {
  private RegistryFiles() {}

  static final int FORMAT = 1;
  static final String VERSIONS = "versions";
  static final String MODELS = "models";
  static final String ENTRY = "entry.json";
  static final String STATUS = "status.json";

  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static String folder(String version) {
    return VERSIONS + "/" + version;
  }

  /**
   * {@code entry.json}: what was registered; written once, after the models and the status.
   *
   * @param format file format version
   * @param version set version
   * @param sequence registry-wide order of registration and decisions
   * @param createdAt ISO instant
   * @param planWeek ISO date
   * @param note free text
   * @param metrics backtest metrics
   * @param targets per-target summaries
   */
  record EntryFile(
      int format,
      String version,
      long sequence,
      String createdAt,
      String planWeek,
      String note,
      Map<String, Double> metrics,
      List<RegistryEntry.TargetSummary> targets) {}

  /**
   * {@code status.json}: every decision, oldest first; no decision = pending.
   *
   * @param format file format version
   * @param history decisions
   */
  record StatusFile(int format, List<ChangeFile> history) {}

  /**
   * One decision as written.
   *
   * @param sequence registry-wide order (the serving set is the approved one decided last)
   * @param status lower-case status
   * @param reason why
   * @param decidedBy {@code gate} or {@code person}
   * @param actor {@code gate} or the user name
   * @param at ISO instant
   */
  record ChangeFile(
      long sequence, String status, String reason, String decidedBy, String actor, String at) {}

  static String write(Object document) {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a registry document: " + e.getMessage(), e);
    }
  }

  static <T> T read(String text, Class<T> type, String what) {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot read %s: not a registry document (%s)".formatted(what, e.getOriginalMessage()),
          e);
    }
  }
}
