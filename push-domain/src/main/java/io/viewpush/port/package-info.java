/**
 * The ports: interfaces the domain needs and adapters implement. Every port has a contract test
 * suite in the domain's test-jar ({@code io.viewpush.port.contract}) that an implementation must pass.
 */
package io.viewpush.port;
