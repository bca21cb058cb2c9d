/**
 * Benchmark mains (not tests): the full decomposition at scale ({@link
 * io.pricepath.optimizer.bench.DecompositionScaleBenchmark}) on memory-efficient random articles.
 */
package io.pricepath.optimizer.bench;
