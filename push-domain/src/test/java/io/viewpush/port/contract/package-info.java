/**
 * Contract test suites for the ports: abstract JUnit 5 classes that an adapter's tests extend, one
 * per port and database, so that every implementation (ours or a host's own) is held to the same
 * behaviour. Store suites get their database through {@link io.viewpush.port.contract.TestTables};
 * the transport suite runs its own receiver.
 */
package io.viewpush.port.contract;
