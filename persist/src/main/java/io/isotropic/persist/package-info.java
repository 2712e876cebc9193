/**
 * Persistence of isotropic networks: safetensors model and optimiser files with verified reads and atomic writes
 * ({@link io.isotropic.persist.Safetensors}, {@link io.isotropic.persist.ModelFile},
 * {@link io.isotropic.persist.AtomicFiles}), checkpoints that are complete before they become visible
 * ({@link io.isotropic.persist.Checkpoint}) and exclusive run directories ({@link io.isotropic.persist.RunDirectory}).
 * Depends on the api and Jackson; used by the cli's commands, and usable from Java without the cli.
 */
package io.isotropic.persist;
