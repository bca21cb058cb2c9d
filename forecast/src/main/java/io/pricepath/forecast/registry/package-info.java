/**
 * The model registry and its approval gate. A training run produces a {@link
 * io.pricepath.forecast.model.ModelSet} (five target models sharing one feature layout); the {@link
 * io.pricepath.forecast.registry.ModelRegistry} keeps every registered set as a version with its
 * per-target model versions, provenance summaries, backtest metrics and a status — pending,
 * approved or rejected, with the reason, who decided (the gate or a person) and when. The serving
 * set is the most recently approved one. An {@link io.pricepath.forecast.registry.ApprovalRule}
 * decides automatically from backtest metrics (see {@link
 * io.pricepath.forecast.registry.BacktestMetrics} for the keys it reads); people approve and reject
 * by hand.
 *
 * <p>Storage sits behind one small package-private interface with a Hadoop {@code FileSystem}
 * implementation, so a registry lives in a local folder, on HDFS or on S3 ({@code s3a://}).
 *
 * <p>Layout of a registry root:
 *
 * <pre>
 * versions/&lt;set version&gt;/models/&lt;target&gt;/{model.ubj, provenance.json}   the saved set
 * versions/&lt;set version&gt;/status.json   decisions, oldest first (rewritten atomically)
 * versions/&lt;set version&gt;/entry.json    registration facts, written once and last: a version
 *                                       without it is incomplete and not listed
 * _staging/                             copies in progress
 * </pre>
 *
 * One writer at a time (the weekly run or a person); readers may run alongside.
 */
package io.pricepath.forecast.registry;
