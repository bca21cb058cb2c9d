/**
 * The whole multi-article markdown problem as one mixed-integer programme solved by SCIP through
 * OR-Tools: the exact reference, for small instances, that the decomposition is tested against.
 */
package io.pricepath.optimizer.exact;
