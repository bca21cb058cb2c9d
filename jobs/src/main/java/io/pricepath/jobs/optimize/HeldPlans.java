package io.pricepath.jobs.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The week's plans, held fixed while a daily run prices the articles that appeared since: for
 * every company-wide target row the weekly run met (or tried to), what its plans put into the row.
 * A daily run's plan for the new articles must then meet each row with what is left of it, so that
 * the targets hold over all articles, the week's and the new ones.
 *
 * <p>A budget granted relative to the plan without targets ({@code
 * markdown-budget-vs-unconstrained}) grows by the same share of the new articles' own extra spend:
 * the floor of keeping their live discounts plus the share of what their plan without targets adds
 * to it. Every other row keeps its target.
 *
 * @param weeklyRunId the weekly run whose plans are held
 * @param rows the weekly run's rows, each with the activity of its plans
 */
public record HeldPlans(String weeklyRunId, List<Held> rows) {

  /**
   * One target row of the weekly run.
   *
   * @param row the row as the weekly run solved it (its {@code carried} included)
   * @param activity {@code Σ_a g_a} of the weekly plans in the row
   * @param relativeBudget whether it is a budget granted by {@code markdown-budget-vs-unconstrained}
   */
  public record Held(CouplingRow row, double activity, boolean relativeBudget) {}

  public HeldPlans {
    rows = List.copyOf(rows);
  }

  /**
   * Reads the rows a weekly run recorded in its manifest ({@code optimizer.coupling_rows}).
   *
   * @throws IllegalStateException when the manifest lacks what a daily run needs (written by an
   *     older pricepath)
   */
  public static HeldPlans fromManifest(String weeklyRunId, JsonNode optimizer, String where) {
    JsonNode rows = optimizer.path("coupling_rows");
    List<Held> held = new ArrayList<>();
    for (JsonNode r : rows) {
      if (!r.has("week") || !r.has("carried")) {
        throw new IllegalStateException(("Cannot hold the week's plans of %s: its manifest records the targets without "
            + "their week and carried values (written by an older pricepath); run the weekly run's command again "
            + "with this version: it redoes only its optimize and export steps").formatted(where));
      }
      CouplingRow row = new CouplingRow(r.path("name").asText(), r.path("market").asText(),
          r.path("category").isTextual() ? r.path("category").asText() : null,
          CouplingRow.Kind.valueOf(r.path("kind").asText().toUpperCase(Locale.ROOT)), r.path("target").asDouble(),
          r.path("week").asInt(), r.path("penalty").isNumber() ? r.path("penalty").asDouble() : Double.NaN,
          r.path("carried").asDouble());
      held.add(new Held(row, r.path("activity").asDouble(), r.path("relative_budget").asBoolean(false)));
    }
    return new HeldPlans(weeklyRunId, held);
  }

  /** Whether any row is a budget relative to the plan without targets. */
  boolean hasRelativeBudgets() {
    return rows.stream().anyMatch(Held::relativeBudget);
  }

  /**
   * The rows the new articles' plan must meet: each weekly row carrying what the week's plans
   * already put into it; a relative budget raised by the new articles' allowance, {@code floor +
   * share × (free − floor)} of their {@code spend} by market ({floor, free}).
   */
  List<CouplingRow> remaining(Map<String, double[]> spend, double share) {
    List<CouplingRow> out = new ArrayList<>(rows.size());
    for (Held h : rows) {
      CouplingRow row = h.row();
      if (h.relativeBudget()) {
        double[] range = spend.getOrDefault(row.market(), new double[2]);
        double allowance = range[0] + share * Math.max(0, range[1] - range[0]);
        CouplingRow raised = CouplingRows.row("markdown-budget", row.target() + allowance, row.market(), null, -1);
        row = new CouplingRow(raised.name(), row.market(), null, row.kind(), raised.target(), -1, row.penalty(),
            row.carried());
      }
      out.add(row.carrying(row.name() + " (with the plans of run %s held)".formatted(weeklyRunId),
          row.carried() + h.activity()));
    }
    return out;
  }
}
