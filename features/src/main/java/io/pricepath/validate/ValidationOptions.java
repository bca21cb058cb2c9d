package io.pricepath.validate;

/**
 * How {@link DatasetValidator} treats rows that break a row-level rule.
 *
 * @param quarantineDir null: such rows are fatal problems; a folder (local path, {@code
 *     file://…}, {@code s3a://…}): they are written there, per table, with a {@code
 *     quarantine_reason} column, summed up in {@code report.json}, and left out of {@link
 *     ValidationReport#cleanTables()}
 */
public record ValidationOptions(String quarantineDir) {

  public ValidationOptions {
    if (quarantineDir != null && quarantineDir.isBlank()) {
      throw new IllegalArgumentException(
          "quarantine folder (\"%s\") must not be blank; pass null for no quarantine"
              .formatted(quarantineDir));
    }
  }

  /** Row-level problems are fatal. */
  public static ValidationOptions strict() {
    return new ValidationOptions(null);
  }

  /** Row-level problems set their rows aside in {@code quarantineDir}. */
  public static ValidationOptions quarantineTo(String quarantineDir) {
    if (quarantineDir == null) {
      throw new IllegalArgumentException("quarantine folder must not be null; use strict()");
    }
    return new ValidationOptions(quarantineDir);
  }

  /** Whether bad rows are set aside rather than fatal. */
  public boolean quarantines() {
    return quarantineDir != null;
  }
}
