package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.blockwatch.core.ip.Endpoint;

/**
 * OONI's base data format (df-000): the envelope every measurement of every kind shares, around
 * the kind's {@code test_keys}. {@code probe_ip} is always 127.0.0.1, as OONI's scrubbing does.
 * Also the mapper every record is written with (snake_case, nulls written).
 */
public final class MeasurementJson {
    public static final String DATA_FORMAT_VERSION = "0.2.0";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private MeasurementJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** What the envelope says of one measurement: its kind, its input, when, and the resolver it asked. */
    public record Header(String testName, String testVersion, String input, Instant startTime, double runtimeSeconds, String resolverAddress) {}

    /**
     * The envelope, in OONI's field order, with {@code testKeys} in it and {@code test_helpers}
     * empty (the caller adds its helpers). {@code resolver_ip} is the resolver's egress when it is
     * identified (as OONI's), else the address of the resolver asked, without its port.
     */
    public static ObjectNode envelope(Header h, ProbeInfo probe, Report report, ObjectNode testKeys) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode annotations = root.putObject("annotations");
        annotations.put("architecture", architecture());
        annotations.put("engine_name", probe.softwareName());
        annotations.put("engine_version", probe.softwareVersion());
        annotations.put("platform", "linux");
        root.put("data_format_version", DATA_FORMAT_VERSION);
        if (h.input() == null || h.input().isEmpty()) root.putNull("input");
        else root.put("input", h.input());
        root.put("measurement_start_time", OoniTime.format(h.startTime()));
        root.put("test_start_time", OoniTime.format(report.testStartTime()));
        root.put("probe_asn", probe.asn());
        root.put("probe_cc", probe.cc());
        root.put("probe_network_name", probe.networkName());
        root.put("probe_ip", "127.0.0.1");
        root.put("report_id", report.id());
        root.put("resolver_asn", probe.resolverAsn());
        root.put("resolver_ip", resolverIp(probe, h.resolverAddress()));
        root.put("resolver_network_name", probe.resolverNetworkName());
        root.put("software_name", probe.softwareName());
        root.put("software_version", probe.softwareVersion());
        root.putObject("test_helpers");
        root.put("test_name", h.testName());
        root.put("test_runtime", h.runtimeSeconds());
        root.put("test_version", h.testVersion());
        root.set("test_keys", testKeys);
        return root;
    }

    /** The resolver's address as OONI publishes it: its egress when identified, else the one asked, without its port. */
    public static String resolverIp(ProbeInfo probe, String resolverAddress) {
        return probe.resolverIp().isEmpty() ? Endpoint.addressOf(resolverAddress) : probe.resolverIp();
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
}
