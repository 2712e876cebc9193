/**
 * The isotropic API: backend-neutral tensors, the compute-backend SPI and registry, and (as they land) isotropic
 * networks, training and restructuring. Depends on the JDK only.
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

    uses io.isotropic.spi.BackendProvider;

    opens io.isotropic.data; // the shipped digits resource
}
