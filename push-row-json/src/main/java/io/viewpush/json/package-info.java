/**
 * The JSON that receivers get: {@link io.viewpush.json.RowJsonWriter} writes a view's rows (push
 * payload and pull API alike) as a stream, one object per row, exact decimals, ISO-8601 dates and
 * times, and refuses invalid text with a {@link io.viewpush.json.RowEncodingException}. Its own
 * artifact ({@code push-row-json}), so that any transport can send the documented JSON without
 * depending on the HTTP adapter.
 */
package io.viewpush.json;
