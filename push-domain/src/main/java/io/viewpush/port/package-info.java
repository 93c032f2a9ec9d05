/**
 * The ports: interfaces the domain needs and adapters implement. Every port has a contract test
 * suite in the {@code viewpush-testing} artifact ({@code io.viewpush.port.contract}) that an
 * implementation must pass.
 */
package io.viewpush.port;
