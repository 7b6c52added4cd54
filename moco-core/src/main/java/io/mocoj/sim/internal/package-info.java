/** Internals of the simulated model (example index, hashing draws, prompt reading, texts); not API. */
package io.mocoj.sim.internal;
