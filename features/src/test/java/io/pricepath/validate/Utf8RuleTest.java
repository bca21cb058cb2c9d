package io.pricepath.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte check behind the {@code *_not_utf8} rules (the rule on a dataset: {@code DatasetValidatorTest}). */
class Utf8RuleTest {
  @Test
  void wellFormedUtf8PassesAndAStrayByteDoesNot() {
    assertThat(ContractRules.notUtf8("A1".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(ContractRules.notUtf8("Düsseldorf-€".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(ContractRules.notUtf8(new byte[] {0x41, (byte) 0xFF})).isTrue();
    assertThat(ContractRules.notUtf8("Düsseldorf".getBytes(StandardCharsets.ISO_8859_1))).isTrue();
    assertThat(ContractRules.notUtf8(null)).isFalse();
  }
}
