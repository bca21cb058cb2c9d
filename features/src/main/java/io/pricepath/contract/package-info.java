/**
 * The data contract (v1): table and column names, the reader that loads a dataset root with the
 * contract's types, ISO-week helpers and the Spark settings every pricepath session uses.
 */
package io.pricepath.contract;
