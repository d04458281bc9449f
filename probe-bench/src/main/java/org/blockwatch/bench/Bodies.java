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
}
