package org.blockwatch.agent.settings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.agent.units.Units;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;

/**
 * What a setting's value is: how its text is read and checked, and how it is written for a person
 * ({@code 1h}, {@code 64KiB}, never {@code PT1H}). Ranges live here, in the table's kinds, and
 * nowhere else. {@link #parse} throws {@link IllegalArgumentException} with a message that names
 * the text and what is wrong.
 */
public sealed interface Kind<T> {
    T parse(String text);

    /** The value as a person writes it; most kinds write it as it reads. */
    default String format(T value) {
        return String.valueOf(value);
    }

    /** A duration: {@code 90s}, {@code 1h30m}, {@code 250ms}, {@code 7d}; a plain number is seconds. */
    record Time(Duration min, Duration max) implements Kind<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
        private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

        @Override
        public Duration parse(String text) {
            String s = text.strip().toLowerCase(Locale.ROOT);
            Duration d;
            try {
                d = SECONDS.matcher(s).matches() ? Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000)) : parts(text, s);
            } catch (ArithmeticException | NumberFormatException tooLong) {
                // More than a Duration holds (e.g. 99999999999999999d): out of range, like any too long.
                throw new IllegalArgumentException("'" + text + "' is out of range " + format(min) + " to " + format(max));
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(format(d) + " is out of range " + format(min) + " to " + format(max));
            }
            return d;
        }

        private static Duration parts(String text, String s) {
            Matcher m = PART.matcher(s);
            Duration total = Duration.ZERO;
            int at = 0;
            while (m.find() && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                at = m.end();
            }
            if (at == 0 || at != s.length()) throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 1h30m)");
            return total;
        }

        @Override
        public String format(Duration d) {
            return Units.duration(d);
        }
    }

    /** Bytes: a plain number, or with B, KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024). */
    record Size(long min, long max) implements Kind<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

        @Override
        public Long parse(String text) {
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 65536, 64KiB, 50MB)");
            long factor = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT)) {
                case "KB" -> 1000L;
                case "KIB" -> 1024L;
                case "MB" -> 1000L * 1000;
                case "MIB" -> 1024L * 1024;
                case "GB" -> 1000L * 1000 * 1000;
                case "GIB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            long v;
            try {
                v = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is too large");
            }
            if (v < min || v > max) throw new IllegalArgumentException(format(v) + " is out of range " + format(min) + " to " + format(max));
            return v;
        }

        @Override
        public String format(Long v) {
            return Units.size(v);
        }
    }

    record Count(int min, int max) implements Kind<Integer> {
        @Override
        public Integer parse(String text) {
            int v;
            try {
                v = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, not '" + text + "'");
            }
            if (v < min || v > max) throw new IllegalArgumentException(v + " is out of range " + min + " to " + max);
            return v;
        }

    }

    record Switch() implements Kind<Boolean> {
        @Override
        public Boolean parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("expected true or false, not '" + text + "'");
            };
        }

    }

    /** One of a few words, compared without case. */
    record Choice(List<String> values) implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip().toLowerCase(Locale.ROOT);
            if (!values.contains(s)) throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", values));
            return s;
        }

    }

    /** Free text that must match {@code pattern}; {@code what} says what it is, with an example. */
    record Text(Pattern pattern, String what, boolean upperCase) implements Kind<String> {
        public static Text any() {
            return new Text(Pattern.compile("(?s).*"), "text", false);
        }

        /** No setting is longer (a name, a URL, a host:port); a longer value is a mistake, named by its length. */
        static final int MAX_LENGTH = 1000;

        @Override
        public String parse(String text) {
            if (text.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("a value of " + text.length() + " characters; at most " + MAX_LENGTH);
            }
            String s = upperCase ? text.strip().toUpperCase(Locale.ROOT) : text.strip();
            if (!pattern.matcher(s).matches()) throw new IllegalArgumentException("'" + text + "' is not " + what);
            return s;
        }

    }

    /** {@code auto} (in any case), or a value of {@code value}: a setting the program can find by itself unless stated. */
    record AutoOr(Text value) implements Kind<String> {
        public static final String AUTO = "auto";

        @Override
        public String parse(String text) {
            if (text.strip().equalsIgnoreCase(AUTO)) return AUTO;
            try {
                return value.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not 'auto' or " + value.what());
            }
        }
    }

    /** A file; relative paths in a configuration file are taken from the file's folder, {@code ~/} from the home folder. */
    record File() implements Kind<Path> {
        @Override
        public Path parse(String text) {
            String s = text.strip();
            if (s.isEmpty()) throw new IllegalArgumentException("a file name is needed");
            return Path.of(s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s);
        }

    }

    /** A resolver {@code IP[:PORT]}; {@code system} (or empty) is the system's, as null. */
    record Resolver() implements Kind<ResolverAddress> {
        @Override
        public ResolverAddress parse(String text) {
            if (text.isBlank() || text.strip().equalsIgnoreCase("system")) return null;
            return ResolverAddress.parse(text);
        }

        @Override
        public String format(ResolverAddress v) {
            return v == null ? "system" : v.toString();
        }
    }

    /**
     * A resolver's URL as dnscheck takes it ({@code udp://IP[:PORT]}, {@code tcp://...},
     * {@code dot://HOST[:PORT]}, {@code https://HOST/PATH}; {@code core.dns.ResolverUrl}): checked
     * by that parser, whose message says what is wrong, and kept as written.
     */
    record ResolverLink() implements Kind<String> {
        @Override
        public String parse(String text) {
            org.blockwatch.core.dns.ResolverUrl.parse(text);
            return text.strip();
        }
    }

    /**
     * A port-filtering helper: {@code portfilter://HOST}, or its host alone (a name, an IPv4
     * address, an IPv6 one with or without brackets), kept as the kind's input
     * {@code portfilter://HOST}; empty (or none) is no helper, as null.
     */
    record PortFilterHelper() implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip();
            if (s.isEmpty() || s.equalsIgnoreCase("none")) return null;
            String input = s.contains("://") ? s
                    : "portfilter://" + (IpLiteral.parse(s).map(a -> a instanceof java.net.Inet6Address).orElse(false) && !s.startsWith("[") ? "[" + s + "]" : s);
            String host = org.blockwatch.core.portfiltering.PortFilterTarget.parse(input).host();
            return org.blockwatch.core.portfiltering.PortFilterTarget.SCHEME + "://" + (host.contains(":") ? "[" + host + "]" : host);
        }

        @Override
        public String format(String v) {
            return v == null ? "none" : v;
        }
    }

    /** {@code HOST=REGEX}: a resolver's host (an address or a name) and a regular expression, both checked. */
    record HostPattern() implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip();
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + text + "' is not HOST=REGEX (e.g. 9.9.9.9=\\.pch\\.net$)");
            String host = s.substring(0, eq).strip();
            if (IpLiteral.parse(host).isEmpty() && !host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address or a host name");
            }
            String regex = s.substring(eq + 1);
            if (regex.isEmpty()) throw new IllegalArgumentException("'" + text + "': the pattern after '=' is empty");
            try {
                Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "': '" + regex + "' is not a regular expression (" + e.getDescription() + ")");
            }
            return host + "=" + regex;
        }
    }

    /** A listening address {@code IP:PORT} (an IP literal, never a name to look up). */
    record Listen() implements Kind<InetSocketAddress> {
        @Override
        public InetSocketAddress parse(String text) {
            String s = text.strip();
            Endpoint e = Endpoint.parse(s).orElse(null);
            if (e == null) {
                int colon = s.lastIndexOf(':');
                if (colon > 0 && IpLiteral.parse(s.substring(0, colon)).isPresent()) {
                    throw new IllegalArgumentException("port must be 0 to 65535 in '" + text + "'");
                }
                throw new IllegalArgumentException("expected IP:PORT (e.g. 127.0.0.1:9466), not '" + text + "'");
            }
            return e.socketAddress();
        }

        @Override
        public String format(InetSocketAddress v) {
            return Endpoint.of(v).toString();
        }
    }

    record Cidr() implements Kind<String> {
        @Override
        public String parse(String text) {
            AddressRange.parse(text.strip());
            return text.strip();
        }

    }

    /** An http(s) URL. */
    /** A daily window of local time, {@code 18:00-23:00} (across midnight too), or empty for none. */
    record Window() implements Kind<String> {
        @Override
        public String parse(String text) {
            return org.blockwatch.agent.schedule.QuietHours.parse(text).toString();
        }
    }

    record Url() implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip();
            if (okhttp3.HttpUrl.parse(s) == null) throw new IllegalArgumentException("'" + text + "' is not an http(s) URL");
            return s;
        }

    }

    /** An https URL (an app's web client or service: a plain one would measure something else). */
    record Https() implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip();
            okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(s);
            if (url == null || !url.isHttps()) throw new IllegalArgumentException("'" + text + "' is not an https:// URL");
            return s;
        }
    }

    /** An IP address literal (IPv4 or IPv6), never a name to look up. */
    record Ip() implements Kind<String> {
        @Override
        public String parse(String text) {
            String s = text.strip();
            if (IpLiteral.parse(s).isEmpty()) throw new IllegalArgumentException("'" + text + "' is not an IP address");
            return s;
        }
    }

    /** A time: a date or a time, with a zone or in the local one ({@link org.blockwatch.agent.export.ExportTime}). */
    record When() implements Kind<Instant> {
        @Override
        public Instant parse(String text) {
            return org.blockwatch.agent.export.ExportTime.parse(text, java.time.ZoneId.systemDefault());
        }
    }
}
