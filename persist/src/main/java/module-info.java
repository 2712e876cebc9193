/**
 * Persistence of isotropic networks: safetensors model and optimiser files with verified reads, atomic writes,
 * exclusive run directories, and checkpoints that are complete before they become visible. Depends on the api
 * and Jackson.
 */
module io.isotropic.persist {
    requires transitive io.isotropic.api;
    requires com.fasterxml.jackson.databind;

    exports io.isotropic.persist;
}
