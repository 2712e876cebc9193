/**
 * The isotropic API: backend-neutral tensors, the compute-backend SPI and registry, isotropic networks, data sets,
 * training, and restructuring (adaptive topology). Depends on the JDK only; backends are found at run time through
 * {@link io.isotropic.spi.BackendProvider}.
 */
module io.isotropic.api {
    exports io.isotropic;
    exports io.isotropic.tensor;
    exports io.isotropic.spi;
    exports io.isotropic.linalg;
    exports io.isotropic.activation;
    exports io.isotropic.nn;
    exports io.isotropic.train;
    exports io.isotropic.data;
    exports io.isotropic.adapt;
    exports io.isotropic.task;

    uses io.isotropic.spi.BackendProvider;

    opens io.isotropic.data; // the shipped digits resource
}
