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
    /**
     * The Web Connectivity version whose test_keys every record carries: the classic layout
     * (dns_consistency, body_length_match, ... blocking, accessible). 0.5's x_dns_flags,
     * x_blocking_flags and x_null_null_flags are not computed, so 0.5 is not claimed.
     */
    public static final String TEST_VERSION = "0.4.3";
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
        return toJson(observation, probe, Report.none(observation.startTime()), extraTestKeys);
    }

    /** The whole measurement, one of {@code report}. */
    public static ObjectNode toJson(WebObservation observation, ProbeInfo probe, Report report, Map<String, ?> extraTestKeys) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode annotations = root.putObject("annotations");
        annotations.put("architecture", architecture());
        annotations.put("engine_name", probe.softwareName());
        annotations.put("engine_version", probe.softwareVersion());
        annotations.put("platform", "linux");
        root.put("data_format_version", DATA_FORMAT_VERSION);
        root.put("input", observation.input());
        root.put("measurement_start_time", OONI_TIME.format(observation.startTime()));
        root.put("test_start_time", OONI_TIME.format(report.testStartTime()));
        root.put("probe_asn", probe.asn());
        root.put("probe_cc", probe.cc());
        root.put("probe_network_name", probe.networkName());
        root.put("probe_ip", "127.0.0.1");
        root.put("report_id", report.id());
        // resolver_ip: the resolver's egress when identified (as OONI's), else the resolver asked, without its port.
        String resolverIp = probe.resolverIp().isEmpty() ? resolverIp(observation.resolverAddress()) : probe.resolverIp();
        root.put("resolver_asn", probe.resolverAsn());
        root.put("resolver_ip", resolverIp);
        root.put("resolver_network_name", probe.resolverNetworkName());
        root.put("software_name", probe.softwareName());
        root.put("software_version", probe.softwareVersion());
        root.putObject("test_helpers");
        root.put("test_name", TEST_NAME);
        root.put("test_runtime", observation.runtimeSeconds());
        root.put("test_version", TEST_VERSION);
        ObjectNode testKeys = MAPPER.createObjectNode();
        // OONI's client_resolver is an address: the resolver's egress (who-am-I), else the one asked.
        if (resolverIp.isEmpty()) testKeys.putNull("client_resolver");
        else testKeys.put("client_resolver", resolverIp);
        testKeys.put("x_resolver", observation.resolverAddress() == null || observation.resolverAddress().isEmpty() ? "system"
                : observation.resolverAddress());
        if (probe.resolverElsewhere()) testKeys.put("x_resolver_elsewhere", true);
        testKeys.setAll((ObjectNode) MAPPER.valueToTree(observation));
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

    /** OONI's annotation values: amd64, arm64, 386, arm. */
    static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch.startsWith("arm") ? "arm" : arch;
        };
    }

    private static String resolverIp(String resolverAddress) {
        if (resolverAddress == null || resolverAddress.isEmpty()) return "";
        if (resolverAddress.startsWith("[")) return resolverAddress.substring(1, resolverAddress.indexOf(']'));
        int colon = resolverAddress.lastIndexOf(':');
        return colon > 0 && resolverAddress.indexOf(':') == colon ? resolverAddress.substring(0, colon) : resolverAddress;
    }
}
