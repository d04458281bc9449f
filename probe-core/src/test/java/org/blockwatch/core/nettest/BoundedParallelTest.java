package org.blockwatch.core.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {
    @Test
    void everyResultReachesTheSink() throws Exception {
        List<Integer> out = new ArrayList<>();
        BoundedParallel.forEach(IntStream.range(0, 50).boxed().toList(), 4, i -> i * 2, out::add);
        assertThat(out).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50).map(i -> i * 2).boxed().toList());
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthersAndItsErrorIsNotLost() {
        List<Integer> out = new ArrayList<>();
        assertThatThrownBy(() -> BoundedParallel.forEach(IntStream.range(0, 10).boxed().toList(), 3, i -> {
            if (i % 4 == 1) throw new IllegalStateException("task " + i);
            return i;
        }, out::add)).isInstanceOf(IllegalStateException.class).satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
        assertThat(out).containsExactlyInAnyOrder(0, 2, 3, 4, 6, 7, 8);
    }
}
