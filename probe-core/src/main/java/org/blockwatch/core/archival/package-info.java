/**
 * What a measurement records, in the shape of OONI's archival data format (df-000 and the
 * records of df-002 dnst, df-005 tcpconnect, df-006 tlshandshake, df-001 httpt). Records only:
 * the engine fills them, the analysis and the agent read them, {@link
 * org.blockwatch.core.archival.MeasurementJson} writes them. Times {@code t0}/{@code t} are
 * seconds since the measurement started; a {@code null} failure means success.
 */
package org.blockwatch.core.archival;
