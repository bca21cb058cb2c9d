package io.pricepath.validate;

import org.apache.spark.sql.Column;

/**
 * A row-level rule of the data contract.
 *
 * @param id stable identifier, also the quarantine reason ({@code units_sold_negative})
 * @param column the column it is about, or null for a rule about whole rows ({@code
 *     duplicate_key})
 * @param condition true for a row that breaks the rule (null counts as false)
 * @param finding what such rows have, after "N rows have" ({@code negative units_sold})
 * @param requirement what the contract asks for ({@code units_sold must be >= 0})
 */
record Rule(String id, String column, Column condition, String finding, String requirement) {}
