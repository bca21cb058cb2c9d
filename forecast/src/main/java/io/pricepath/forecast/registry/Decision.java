package io.pricepath.forecast.registry;

import java.util.Objects;

/**
 * What an {@link ApprovalRule} decided about a candidate.
 *
 * @param approved whether the candidate may serve
 * @param reason why, in words a person can read
 */
public record Decision(boolean approved, String reason) {
  public Decision {
    Objects.requireNonNull(reason, "reason");
  }
}
