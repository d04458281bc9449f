package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * One piece of evidence about who answers a Do53 resolver's queries ({@code core.dns.InterceptionCheck}
 * says how each is gathered and how strong it is). Each says what was asked, what came back, and
 * its {@link Outcome}; {@link #reading()} is what it proves: interception, an honest resolver, or
 * nothing. Answers kept here are scrubbed first (see {@code core.dns.InterceptionCheck}): an
 * identity answer never carries the probe's network.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InterceptionSignal.Identity.class, name = "identity"),
        @JsonSubTypes.Type(value = InterceptionSignal.Comparison.class, name = "transport_comparison"),
        @JsonSubTypes.Type(value = InterceptionSignal.Ttl.class, name = "ttl")})
public sealed interface InterceptionSignal {

    Outcome outcome();

    /** What this signal proves. */
    @JsonIgnore
    Reading reading();

    enum Reading { INTERCEPTED, HONEST, NOTHING }

    enum Outcome {
        /** The identity answer is the honest resolver's. */
        MATCH("match"),
        /** A response came, and it is not the honest resolver's identity. */
        MISMATCH("mismatch"),
        /** Nothing usable came back: a timeout, a network error, SERVFAIL. */
        NO_ANSWER("no_answer"),
        /** Do53 and the encrypted resolver share an address for the name. */
        AGREE("agree"),
        /** Do53 gave other addresses than the encrypted resolver, or none where it gave some. */
        DISAGREE("disagree"),
        /** One side did not answer: nothing to compare. */
        UNKNOWN("unknown"),
        /** The TTL is at most the authoritative one. */
        WITHIN("within"),
        /** The TTL is above the authoritative one. */
        ABOVE("above");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }

    /**
     * The identity query ({@code id.server CH TXT}, a secret name of one's own resolver) and its answer.
     *
     * @param query the question, {@code id.server CH TXT}
     * @param expected the pattern every honest answer matches
     * @param rcode the response code; null when no response came
     * @param answers the answer's strings as kept (scrubbed, at most a few)
     * @param failure why no usable response came; null when one did
     */
    record Identity(String query, String expected, Integer rcode, List<String> answers, String failure, Outcome outcome)
            implements InterceptionSignal {
        public Identity {
            answers = List.copyOf(answers);
        }

        @Override
        public Reading reading() {
            return switch (outcome) {
                case MATCH -> Reading.HONEST;
                case MISMATCH -> Reading.INTERCEPTED;
                default -> Reading.NOTHING;
            };
        }
    }

    /**
     * The same name asked over Do53 and over the same operator's encrypted resolver.
     *
     * @param name a name whose answer is the same wherever it is resolved from
     * @param encryptedResolver the encrypted resolver's address (a URL, {@code host:853})
     * @param do53Addresses the IPv4 addresses over Do53
     * @param do53Failure why Do53 gave none (its rcode's failure, a timeout); null when it did
     * @param encryptedAddresses the IPv4 addresses over the encrypted resolver
     * @param encryptedFailure why it gave none; null when it did
     */
    record Comparison(String name, String encryptedResolver, List<String> do53Addresses, String do53Failure,
            List<String> encryptedAddresses, String encryptedFailure, Outcome outcome) implements InterceptionSignal {
        public Comparison {
            do53Addresses = List.copyOf(do53Addresses);
            encryptedAddresses = List.copyOf(encryptedAddresses);
        }

        @Override
        public Reading reading() {
            return switch (outcome) {
                case AGREE -> Reading.HONEST;
                case DISAGREE -> Reading.INTERCEPTED;
                default -> Reading.NOTHING;
            };
        }
    }

    /**
     * A name's TTL over Do53 against its authoritative TTL: recorded, never a proof alone.
     *
     * @param ttl the smallest TTL of the answer's A records; null without an answer
     */
    record Ttl(String name, Long ttl, long authoritativeTtl, Outcome outcome) implements InterceptionSignal {
        @Override
        public Reading reading() {
            return Reading.NOTHING;
        }
    }
}
