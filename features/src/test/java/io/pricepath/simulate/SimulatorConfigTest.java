package io.pricepath.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  @Test
  void defaultsStartOnAMondayAndPlanTheWeekAfterHistory() {
    SimulatorConfig config = SimulatorConfig.of(10, 3, 104, 7);

    assertThat(config.firstWeek()).isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(config.partitions()).isZero();
    assertThat(config.lastWeek()).isEqualTo(LocalDate.of(2025, 12, 22));
    assertThat(config.planWeek()).isEqualTo(LocalDate.of(2025, 12, 29));
    assertThat(config.marketNames()).containsExactly("DE", "FR", "NL");
  }

  @Test
  void namesMarketsBeyondTheEighthByNumber() {
    assertThat(SimulatorConfig.of(1, 10, 4, 1).marketNames())
        .containsExactly("DE", "FR", "NL", "AT", "PL", "IT", "ES", "SE", "M01", "M02");
  }

  @Test
  void rejectsOutOfRangeComponents() {
    assertThatThrownBy(() -> SimulatorConfig.of(0, 2, 10, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot configure simulator: articles must be in [1, 10000000] (0)");
    assertThatThrownBy(() -> SimulatorConfig.of(5, 100, 10, 1))
        .hasMessage("Cannot configure simulator: markets must be in [1, 99] (100)");
    assertThatThrownBy(() -> SimulatorConfig.of(5, 2, 3, 1))
        .hasMessage("Cannot configure simulator: weeks must be in [4, 520] (3)");
    assertThatThrownBy(() -> SimulatorConfig.of(5, 2, 10, 1).withPartitions(-1))
        .hasMessage("Cannot configure simulator: partitions must be >= 0, 0 for automatic (-1)");
  }

  @Test
  void rejectsAFirstWeekThatIsNotAMonday() {
    assertThatThrownBy(() -> SimulatorConfig.of(5, 2, 10, 1).withFirstWeek(LocalDate.of(2024, 1, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot configure simulator: firstWeek must be a Monday (2024-01-03 is a WEDNESDAY)");
  }

  @Test
  void choosesPartitionsFromTheSizeUnlessGiven() {
    assertThat(SimulatorConfig.of(100_000, 2, 10, 1).effectivePartitions(2)).isEqualTo(50);
    assertThat(SimulatorConfig.of(100, 2, 10, 1).effectivePartitions(2)).isEqualTo(2);
    assertThat(SimulatorConfig.of(3, 2, 10, 1).withPartitions(8).effectivePartitions(2)).isEqualTo(3);
  }
}
