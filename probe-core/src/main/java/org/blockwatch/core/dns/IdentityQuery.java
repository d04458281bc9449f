package org.blockwatch.core.dns;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A question whose honest answer is known for one resolver, and the pattern every honest answer
 * matches (in full). Two kinds:
 *
 * <ul>
 *   <li>{@link #chaos}: {@code id.server} or {@code hostname.bind} in class CHAOS, TXT, which a
 *       resolver answers with its own name (an anycast operator's names follow one pattern: a
 *       site code, a host name in the operator's domain). The pattern must cover every site of
 *       the operator: one too narrow flags an honest resolver.
 *   <li>{@link #secret}: a name that only a resolver of one's own answers, with a value only its
 *       operator knows (class IN, TXT). Any other resolver recurses to the public DNS, which
 *       knows nothing of it: the strongest identity there is.
 * </ul>
 *
 * @param name the name asked
 * @param dclass {@link DClass#CH} or {@link DClass#IN}
 * @param type {@link Type#TXT}, {@link Type#A} or {@link Type#AAAA} (an address answer is matched as text)
 * @param expected what every honest answer's string matches, whole
 */
public record IdentityQuery(String name, int dclass, int type, Pattern expected) {

    public IdentityQuery {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("identity query: the name is empty");
        try {
            Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("identity query: '" + name + "' is not a DNS name: " + e.getMessage(), e);
        }
        if (dclass != DClass.CH && dclass != DClass.IN) throw new IllegalArgumentException("identity query " + name + ": class must be CH or IN");
        if (type != Type.TXT && type != Type.A && type != Type.AAAA) {
            throw new IllegalArgumentException("identity query " + name + ": type must be TXT, A or AAAA");
        }
        if (expected == null) throw new IllegalArgumentException("identity query " + name + ": no expected answer");
    }

    /** {@code name} (id.server, hostname.bind) CHAOS TXT, answered honestly with a string matching {@code regex}. */
    public static IdentityQuery chaos(String name, String regex) {
        return new IdentityQuery(name, DClass.CH, Type.TXT, compile(name, regex));
    }

    /** {@code name} IN TXT, which only one's own resolver answers, and with exactly {@code value}. */
    public static IdentityQuery secret(String name, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("identity query " + name + ": the secret value is empty");
        return new IdentityQuery(name, DClass.IN, Type.TXT, Pattern.compile("^" + Pattern.quote(value) + "$"));
    }

    /** {@code id.server CH TXT}, as dig writes the question. */
    public String question() {
        return name.toLowerCase(Locale.ROOT) + " " + DClass.string(dclass) + " " + Type.string(type);
    }

    /**
     * Whether {@code answer} is one the honest resolver gives: the pattern is found in it (anchor
     * it with {@code ^...$} for a whole answer), the same rule as dnscheck's identities, so that
     * one configured pattern means one thing everywhere.
     */
    public boolean honest(String answer) {
        return expected.matcher(answer).find();
    }

    private static Pattern compile(String name, String regex) {
        if (regex == null || regex.isEmpty()) throw new IllegalArgumentException("identity query " + name + ": the expected pattern is empty");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("identity query " + name + ": '" + regex + "' is not a regular expression: " + e.getDescription(), e);
        }
    }
}
