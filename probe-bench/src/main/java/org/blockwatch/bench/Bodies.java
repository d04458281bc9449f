package org.blockwatch.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Deterministic page bodies of a given size, shaped like a news page: markup (links, images,
 * paragraphs) around running text in Latin and Cyrillic words from a vocabulary of 3,000.
 */
final class Bodies {
    private static final String[] MARKUP = {"<p>", "</p>", "<div class=\"article-body\">", "</div>",
            "<a href=\"https://www.example.kz/news/2024/11/", "</a>", "<span class=\"date\">", "</span>", "<li>", "</li>",
            "<img src=\"/static/img/photo.jpg\" alt=\"", "\">"};

    private Bodies() {}

    static byte[] html(int size) {
        Random random = new Random(size);
        String latin = "abcdefghijklmnopqrstuvwxyz";
        String cyrillic = "абвгдежзийклмнопрстуфхцчшщыэюяқңөұүһі";
        String[] vocabulary = new String[3000];
        for (int i = 0; i < vocabulary.length; i++) {
            String alphabet = i % 3 == 0 ? cyrillic : latin;
            StringBuilder word = new StringBuilder();
            for (int k = 2 + random.nextInt(9); k > 0; k--) word.append(alphabet.charAt(random.nextInt(alphabet.length())));
            vocabulary[i] = word.toString();
        }
        StringBuilder sb = new StringBuilder(size + 64);
        sb.append("<!DOCTYPE html><html><head><title>Independent news of Kazakhstan</title></head><body>");
        while (sb.length() < size) {
            if (random.nextInt(8) == 0) sb.append(MARKUP[random.nextInt(MARKUP.length)]);
            else sb.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    /**
     * Text made to be hard for a multi-pattern matcher: near misses of the patterns themselves
     * (each a pattern cut short by its last character, so every one runs deep into the automaton and then
     * fails), back to back. A cut pattern may still hold a shorter one whole: every engine must report those.
     */
    static byte[] adversarial(int size, java.util.List<byte[]> patterns) {
        Random random = new Random(size);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size + 256);
        while (out.size() < size) {
            byte[] p = patterns.get(random.nextInt(patterns.size()));
            if (p.length < 4) continue;
            // Short by its last character (not half of one: the text stays UTF-8 for engines that decode it).
            int end = p.length - 1;
            while (end > 0 && (p[end] & 0xC0) == 0x80) end--;
            out.write(p, 0, end);
            out.write(' ');
        }
        byte[] body = Arrays.copyOf(out.toByteArray(), size);
        // Not ending in half a character: blanks instead of a cut one.
        int last = size - 1;
        while (last > 0 && (body[last] & 0xC0) == 0x80) last--;
        if (last >= 0 && (body[last] & 0x80) != 0) Arrays.fill(body, last, size, (byte) ' ');
        return body;
    }
}
