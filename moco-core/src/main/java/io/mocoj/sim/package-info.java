/**
 * Simulated models: fake language models that know a task's gold answers and answer correctly
 * with a configured probability, for statistical tests of collaboration methods and for demos.
 * They are always labelled simulated. Build one with {@link io.mocoj.sim.SimulatedModel#builder}
 * or the model spec {@code sim:NAME?accuracy=0.6&…} ({@link io.mocoj.sim.SimSpecResolver}); the
 * exact probability rules are in {@code docs/simulated-models.md}.
 */
package io.mocoj.sim;
