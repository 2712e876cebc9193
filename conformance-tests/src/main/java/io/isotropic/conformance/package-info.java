/**
 * The conformance suite every backend must pass: JUnit contracts as interfaces with default test methods, each
 * needing only a {@link io.isotropic.spi.Backend} ({@link io.isotropic.conformance.BackendFixture}). The reference
 * loops, tolerances and invariance bound they compare with are the oracle's ({@link io.isotropic.oracle}, shared
 * with the benchmarks); this package holds the contracts, their cases and the JUnit-facing
 * {@link io.isotropic.conformance.ContractAssertions} (contract ids and tolerances: docs/method.md section 13).
 * Depends on the api, the oracle and JUnit only; the backend modules use it in test scope.
 */
package io.isotropic.conformance;
