package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes a measurement as one object of OONI's base data format with {@code test_name}
 * {@code web_connectivity}. {@code probe_ip} is always 127.0.0.1, as OONI's scrubbing does.
 */
public final class MeasurementJson {
    public static final String DATA_FORMAT_VERSION = "0.2.0";
    public static final String TEST_NAME = "web_connectivity";
    /** The Web Connectivity version whose test_keys layout (x_dns_late_replies, ...) we follow. */
    public static final String TEST_VERSION = "0.5.0";
    private static final DateTimeFormatter OONI_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private MeasurementJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The whole measurement. {@code extraTestKeys} are merged into {@code test_keys} after the
     * observation (the analysis adds its fields there).
     */
    public static ObjectNode toJson(WebObservation observation, ProbeInfo probe, Map<String, ?> extraTestKeys) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("annotations").put("engine_name", probe.softwareName());
        root.put("data_format_version", DATA_FORMAT_VERSION);
        root.put("input", observation.input());
        String start = OONI_TIME.format(observation.startTime());
        root.put("measurement_start_time", start);
        root.put("test_start_time", start);
        root.put("probe_asn", probe.asn());
        root.put("probe_cc", probe.cc());
        root.put("probe_network_name", probe.networkName());
        root.put("probe_ip", "127.0.0.1");
        root.put("report_id", "");
        root.put("resolver_asn", "AS0");
        root.put("resolver_ip", resolverIp(observation.resolverAddress()));
        root.put("resolver_network_name", "");
        root.put("software_name", probe.softwareName());
        root.put("software_version", probe.softwareVersion());
        root.putObject("test_helpers");
        root.put("test_name", TEST_NAME);
        root.put("test_runtime", observation.runtimeSeconds());
        root.put("test_version", TEST_VERSION);
        ObjectNode testKeys = MAPPER.valueToTree(observation);
        extraTestKeys.forEach((k, v) -> testKeys.set(k, MAPPER.valueToTree(v)));
        root.set("test_keys", testKeys);
        return root;
    }

    public static String toJsonLine(WebObservation observation, ProbeInfo probe, Map<String, ?> extraTestKeys) {
        try {
            return MAPPER.writeValueAsString(toJson(observation, probe, extraTestKeys));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a measurement could not be written as JSON", e);
        }
    }

    private static String resolverIp(String resolverAddress) {
        if (resolverAddress == null || resolverAddress.isEmpty()) return "";
        if (resolverAddress.startsWith("[")) return resolverAddress.substring(1, resolverAddress.indexOf(']'));
        int colon = resolverAddress.lastIndexOf(':');
        return colon > 0 && resolverAddress.indexOf(':') == colon ? resolverAddress.substring(0, colon) : resolverAddress;
    }
}
