/**
 * Model and optimiser files in the safetensors format, with atomic writes and verified reads. Depends on the api
 * and Jackson; used by the cli's commands.
 */
package io.isotropic.cli.model;
