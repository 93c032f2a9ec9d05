/**
 * Contract test suites for the ports: abstract JUnit 5 classes that an adapter's tests extend, one
 * per port and database, so that every implementation (ours or a host's own) is held to the same
 * behaviour. Store suites get their database through {@link io.viewpush.port.contract.TestTables};
 * the transport suite ({@link io.viewpush.port.contract.PushTransportContractTest}) is transport-neutral,
 * and {@link io.viewpush.port.contract.HttpTransportContractTest} adds an HTTP part with a receiver of
 * its own. Published in the {@code viewpush-testing} artifact, whose dependencies (JUnit 5, AssertJ,
 * ArchUnit) come along into a host's test build.
 */
package io.viewpush.port.contract;
