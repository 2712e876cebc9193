package io.isotropic.conformance;

/**
 * The whole conformance suite. A backend module runs it from one small test class:
 *
 * <pre>{@code
 * class EjmlConformanceTest implements BackendConformance {
 *     private static final Backend BACKEND = Backends.create("ejml", BackendOptions.defaults());
 *     public Backend backend() { return BACKEND; }
 * }
 * }</pre>
 *
 * Contract ids (K kernels, A activation, S SVD, B bad input, D discovery, N networks and training, R restructuring)
 * are listed with their tolerances in the README and in docs/method.md section 13.10.
 */
public interface BackendConformance
        extends KernelContract, IsoTanhContract, SvdContract, BadInputContract, DiscoveryContract, NetworkContract,
        DiagonalisationContract, NeurogenesisContract, NeurodegenerationContract, ControllerContract,
        OptimiserStateContract, ResizingContract, TaskContract {
}
