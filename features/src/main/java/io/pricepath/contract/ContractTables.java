package io.pricepath.contract;

import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The tables of one dataset root, as the data contract (v1) lays them out, with columns cast to
 * the contract's types. {@code weekly} and {@code returns} carry their partition column
 * ({@code week}, {@code return_week}) as a {@code DATE} column.
 *
 * @param root the dataset root they were read from
 * @param articles {@code articles/}
 * @param weekly {@code weekly/}
 * @param returns {@code returns/}, when the dataset has it
 * @param residuals {@code residuals/}, when the dataset has it
 */
public record ContractTables(
    String root,
    Dataset<Row> articles,
    Dataset<Row> weekly,
    Optional<Dataset<Row>> returns,
    Optional<Dataset<Row>> residuals) {

  public ContractTables {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(articles, "articles");
    Objects.requireNonNull(weekly, "weekly");
    Objects.requireNonNull(returns, "returns");
    Objects.requireNonNull(residuals, "residuals");
  }
}
