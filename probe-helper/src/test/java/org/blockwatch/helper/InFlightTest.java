package org.blockwatch.helper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void eachClientHasItsOwnShareAndIsForgottenWhenDone() {
        InFlight inFlight = new InFlight(2);
        assertThat(inFlight.tryEnter("a")).isTrue();
        assertThat(inFlight.tryEnter("a")).isTrue();
        assertThat(inFlight.tryEnter("a")).isFalse();
        assertThat(inFlight.tryEnter("b")).isTrue();
        inFlight.exit("a");
        assertThat(inFlight.tryEnter("a")).isTrue();
        inFlight.exit("a");
        inFlight.exit("a");
        inFlight.exit("b");
        assertThat(inFlight.clients()).isZero();
    }
}
