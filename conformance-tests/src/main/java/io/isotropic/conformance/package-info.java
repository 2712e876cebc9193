/**
 * The conformance suite every backend must pass: JUnit contracts as interfaces with default test methods, each
 * needing only a {@link io.isotropic.spi.Backend} ({@link io.isotropic.conformance.BackendFixture}), a scalar
 * double-precision {@link io.isotropic.conformance.Reference} and tolerances with their derivation (contract ids
 * and tolerances: docs/method.md section 13). Depends on the api and JUnit only; the backend modules use it in
 * test scope.
 */
package io.isotropic.conformance;
