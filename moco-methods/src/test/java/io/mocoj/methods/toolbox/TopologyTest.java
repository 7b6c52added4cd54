package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MoCo's generate_adj shapes, written out by hand for small pools. */
class TopologyTest {
    @Test
    void namedShapesMatchMoCosAdjacency() {
        assertEquals(List.of(List.of(0, 1, 0, 0), List.of(1, 0, 1, 0), List.of(0, 1, 0, 1), List.of(0, 0, 1, 0)), Topology.named("chain", 4).rows());
        assertEquals(List.of(List.of(0, 1, 1, 0), List.of(1, 0, 0, 1), List.of(1, 0, 0, 0), List.of(0, 1, 0, 0)), Topology.named("tree", 4).rows());
        // MoCo's star: hub 0 plus the ring 1-2-3-1 (a wheel)
        assertEquals(List.of(List.of(0, 1, 1, 1), List.of(1, 0, 1, 1), List.of(1, 1, 0, 1), List.of(1, 1, 1, 0)), Topology.named("star", 4).rows());
        assertEquals(List.of(List.of(0, 1, 0, 1), List.of(1, 0, 1, 0), List.of(0, 1, 0, 1), List.of(1, 0, 1, 0)), Topology.named("circle", 4).rows());
        assertEquals(List.of(0, 2), Topology.named("complete", 3).inNeighbours(1));
        assertEquals(List.of(1), Topology.named("chain", 3).inNeighbours(0));
    }

    @Test
    void aGivenMatrixReadsRowsAsSpeakersAndColumnsAsListeners() {
        Topology t = Topology.ofMatrix(List.of(List.of(0, 1, 0), List.of(0, 0, 1), List.of(0, 0, 0)));
        assertEquals(List.of(), t.inNeighbours(0));
        assertEquals(List.of(0), t.inNeighbours(1));
        assertEquals(List.of(1), t.inNeighbours(2));
        assertThrows(IllegalArgumentException.class, () -> Topology.ofMatrix(List.of(List.of(0, 2), List.of(0, 0))));
        assertThrows(IllegalArgumentException.class, () -> Topology.named("ring", 3));
    }
}
