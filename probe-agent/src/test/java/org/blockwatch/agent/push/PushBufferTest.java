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

    /**
     * Issue 29, finding 18: an entry named like a request with an overflowing count stopped the
     * agent from starting ({@code For input string: "99999999999"}, no file named), and a folder
     * named like one was tried (and failed) at every flush, nothing else sent. Both are named,
     * left where they are, and the real requests go on.
     */
    @Test
    void entriesNamedLikeRequestsThatAreNotAreNamedAndLeftAlone(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rw"));
        Path overflowing = Files.write(dir.resolve("0000000000000001-99999999999.rw"), new byte[] {1, 2, 3});
        Path folder = Files.createDirectory(dir.resolve("0000000000000002-5.rw"));
        Files.write(dir.resolve("0000000000000003-7.rw"), new byte[] {4, 5});
        PushBuffer b = new PushBuffer(dir, 1_000_000);
        assertThat(b.damaged()).containsOnlyKeys(overflowing, folder);
        assertThat(b.damaged().get(overflowing)).contains("99999999999");
        assertThat(b.damaged().get(folder)).contains("not a file");
        PushBuffer.Segment oldest = b.oldest().orElseThrow();
        assertThat(oldest.sequence()).isEqualTo(3);
        assertThat(oldest.samples()).isEqualTo(7);
        b.remove(oldest);
        b.append(new byte[] {6}, 1);
        assertThat(b.oldest().orElseThrow().sequence()).as("never written over a damaged entry").isEqualTo(4);
        assertThat(overflowing).exists();
        assertThat(folder).isDirectory();
    }
}
