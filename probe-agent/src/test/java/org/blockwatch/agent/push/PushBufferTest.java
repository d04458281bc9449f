package org.blockwatch.agent.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushBufferTest {
    @TempDir
    Path dir;

    @Test
    void requestsWaitInOrderAcrossARestartAndAHalfWrittenOneIsForgotten() throws Exception {
        PushBuffer b = new PushBuffer(dir, 1_000_000);
        b.append(new byte[] {1}, 10);
        b.append(new byte[] {2}, 20);
        Files.write(dir.resolve("0000000000000099-5.tmp"), new byte[] {9}); // a kill mid-write
        PushBuffer again = new PushBuffer(dir, 1_000_000);
        assertThat(Files.exists(dir.resolve("0000000000000099-5.tmp"))).isFalse();
        PushBuffer.Segment first = again.oldest().orElseThrow();
        assertThat(again.read(first)).containsExactly(1);
        assertThat(first.samples()).isEqualTo(10);
        again.remove(first);
        again.append(new byte[] {3}, 30);
        assertThat(again.read(again.oldest().orElseThrow())).containsExactly(2);
        assertThat(again.bytes()).isEqualTo(2);
    }

    @Test
    void pastItsBoundTheOldestAreDroppedAndCountedButNeverTheNewest() throws Exception {
        PushBuffer b = new PushBuffer(dir, 250);
        assertThat(b.append(new byte[100], 1)).isZero();
        assertThat(b.append(new byte[100], 2)).isZero();
        assertThat(b.append(new byte[100], 3)).isEqualTo(1);
        assertThat(b.bytes()).isEqualTo(200);
        assertThat(b.oldest().orElseThrow().samples()).isEqualTo(2);
        // One request larger than the bound: it stays, alone.
        assertThat(b.append(new byte[400], 4)).isEqualTo(5);
        assertThat(b.oldest().orElseThrow().samples()).isEqualTo(4);
    }
}
