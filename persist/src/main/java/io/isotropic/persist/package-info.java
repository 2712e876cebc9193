/**
 * Model and optimiser files in the safetensors format, with atomic writes and verified reads. Depends on the api
 * and Jackson.
 */
package io.isotropic.persist;
