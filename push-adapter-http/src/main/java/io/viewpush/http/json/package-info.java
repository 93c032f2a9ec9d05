/**
 * The JSON that receivers get: {@link io.viewpush.http.json.RowJsonWriter} writes a view's rows
 * (push payload and pull API alike) as a stream, one object per row, exact decimals, ISO-8601
 * dates and times, and refuses invalid text with a {@link io.viewpush.http.json.RowEncodingException}.
 */
package io.viewpush.http.json;
