package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** Headers in the order they were on the wire, as OONI's {@code headers_list}. */
public record HttpHeaders(List<List<String>> list) {
    public HttpHeaders {
        list = list.stream().map(pair -> List.of(pair.get(0), pair.get(1))).toList();
    }

    @JsonValue
    List<List<String>> archival() {
        return list;
    }

    /** The first value of a header, case-insensitively, or null. */
    public String first(String name) {
        for (List<String> pair : list) {
            if (pair.get(0).equalsIgnoreCase(name)) return pair.get(1);
        }
        return null;
    }

    /** OONI's {@code headers} map: the first value of each name. */
    public java.util.Map<String, String> firstValues() {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (List<String> pair : list) map.putIfAbsent(pair.get(0), pair.get(1));
        return map;
    }

    public List<String> lowerCaseNames() {
        return list.stream().map(p -> p.get(0).toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
