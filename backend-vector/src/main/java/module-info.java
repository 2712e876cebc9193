/**
 * The {@code vector} compute backend on the JDK's incubating Vector API, registered as a service provider for the
 * module path (the {@code META-INF/services} file does the same on the class path, where the cli and bench run it).
 * {@code jdk.incubator.vector} is required only statically: the module resolves without it, and the provider then
 * reports itself unavailable, naming {@code --add-modules jdk.incubator.vector}, as it does on the class path.
 */
module io.isotropic.backend.vector {
    requires transitive io.isotropic.api;
    requires static jdk.incubator.vector;

    exports io.isotropic.backend.vector;

    provides io.isotropic.spi.BackendProvider with io.isotropic.backend.vector.VectorBackendProvider;
}
