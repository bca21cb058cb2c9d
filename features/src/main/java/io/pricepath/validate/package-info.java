/**
 * Validating a dataset root against the data contract (v1) before a run uses it.
 *
 * <p>{@link io.pricepath.validate.DatasetValidator} checks every rule of the contract, one pass
 * per table, and returns a {@link io.pricepath.validate.ValidationReport}: each {@link
 * io.pricepath.validate.Problem} names its table, column, how many rows or files, a few example
 * keys, and what would fix it. With a quarantine folder ({@link
 * io.pricepath.validate.ValidationOptions}), rows that break a row-level rule are written there
 * with their reason and left out of {@link io.pricepath.validate.ValidationReport#cleanTables()},
 * so a run can go on with the rest; nothing is dropped without being reported.
 */
package io.pricepath.validate;
