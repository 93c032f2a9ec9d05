package io.viewpush.http.api;

/** Text from a request made safe for a log line: control characters escaped, length bounded. */
final class LogText {
    /** Longest text logged, in characters; longer text is cut with an ellipsis. */
    static final int MAX_LENGTH = 300;

    private LogText() {
    }

    /**
     * @return {@code text} with every control character (C0, DEL, C1, line and paragraph separators)
     *         as {@code \\uXXXX} and backslashes doubled, so one request is one log line that no
     *         terminal interprets
     */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_LENGTH && text.length() > MAX_LENGTH) {
            out.append('…');
        }
        return out.toString();
    }
}
