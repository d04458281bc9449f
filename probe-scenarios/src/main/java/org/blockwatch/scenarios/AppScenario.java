package org.blockwatch.scenarios;

/**
 * One app of the censored world, measured by its kind without input: what the censor does to it
 * and the verdict that must follow with the control answering and, where the table says, with no
 * control.
 *
 * @param testName the kind's OONI test name ({@code telegram})
 * @param censor what the censor does to the app, as a volunteer would read it
 * @param withoutControl the verdict with no control; null where the table makes no claim
 */
public record AppScenario(String testName, String censor, Scenario.Expected withControl, Scenario.Expected withoutControl) {
    @Override
    public String toString() {
        return testName + ": " + censor;
    }
}
