package org.blockwatch.core.webconnectivity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.blockwatch.core.archival.MeasurementJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * x_status as probe-cli computes it: recomputed from real OONI records' test_keys (published
 * measurements checked in from ooni/backend's fastpath/fastpath/tests/data, commit
 * 32d8349dc5440e75264c84c0ffe97495c7488e84), it is what OONI's own probe wrote; and the branches
 * of probe-cli's summary.go on hand-made keys, with the values probe-cli's webconnectivityqa expects.
 */
class XStatusTest {
    @ParameterizedTest
    @ValueSource(strings = {WebConnectivityRecordTest.OONI_RECORD, "ooni-backend-web_connectivity_ir_fp.json",
        "ooni-backend-web_connectivity_null.json", "ooni-backend-web_connectivity_null2.json", "ooni-backend-requests_none.json"})
    void recomputedFromOonisOwnRecordsItIsWhatOonisProbeWrote(String record) throws Exception {
        JsonNode keys = WebConnectivityRecordTest.ooniRecord(record).get("test_keys");
        assertThat(XStatus.of(keys)).isEqualTo(keys.get("x_status").asLong());
    }

    private static JsonNode keys(String json) throws Exception {
        return MeasurementJson.mapper().readTree(json.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // an https page that arrived: StatusSuccessSecure
        "https success | {'requests':[{'failure':null,'request':{'url':'https://a.example/'}}],'control_failure':'x'} | 1",
        // the same over http when the control could not be reached
        "control unreachable | {'requests':[{'failure':null,'request':{'url':'http://a.example/'}}],'control_failure':'connection_refused'} | 8",
        "nxdomain everywhere | {'control':{},'dns_experiment_failure':'dns_nxdomain_error','dns_consistency':'consistent','requests':[]} | 2052",
        "no connect, consistent | {'control':{},'dns_consistency':'consistent','tcp_connect':[{'status':{'success':false}}],'requests':[]} | 4224",
        "no connect, inconsistent | {'control':{},'dns_consistency':'inconsistent','tcp_connect':[{'status':{'success':false}}],'requests':[]} | 4256",
        "control's http failed | {'dns_consistency':'consistent','control':{'http_request':{'failure':'generic_timeout_error'}},'requests':[{'failure':'connection_reset','request':{'url':'http://a.example/'}}]} | 16",
        "reset | {'dns_consistency':'consistent','control':{'http_request':{'failure':null}},'requests':[{'failure':'connection_reset','request':{'url':'http://a.example/'}}]} | 8448",
        "bad certificate, lying resolver | {'control':{},'dns_consistency':'inconsistent','requests':[{'failure':'ssl_invalid_certificate','request':{'url':'https://a.example/'}}]} | 9248",
        "unknown failure | {'control':{},'dns_consistency':'inconsistent','requests':[{'failure':'unknown_failure: x','request':{'url':'http://a.example/'}}]} | 8192",
        "no request recorded, http failure | {'control':{},'dns_consistency':'consistent','requests':[],'http_experiment_failure':'connection_refused'} | 8320",
        "nothing at all | {'control':{},'dns_consistency':'consistent','requests':[]} | 16384",
        "no control asked | {'control':null,'control_failure':null,'status_code_match':null,'requests':[{'failure':null,'request':{'url':'http://a.example/'}}]} | 8",
        "title matches | {'control':{},'dns_consistency':'consistent','status_code_match':true,'title_match':true,'requests':[{'failure':null,'request':{'url':'http://a.example/'}}]} | 2",
        "diff, lying resolver | {'control':{},'dns_consistency':'inconsistent','status_code_match':true,'title_match':false,'requests':[{'failure':null,'request':{'url':'http://a.example/'}}]} | 96"})
    void followsProbeClisSummary(String name, String json, long expected) throws Exception {
        assertThat(XStatus.of(keys(json))).isEqualTo(expected);
    }
}
