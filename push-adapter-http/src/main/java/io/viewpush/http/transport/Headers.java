package io.viewpush.http.transport;

/** Header names and value checks. */
final class Headers {
    static final String WEBHOOK_ID = "webhook-id";
    static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    static final String WEBHOOK_SIGNATURE = "webhook-signature";

    private Headers() {
    }

    /**
     * @throws IllegalArgumentException naming the option when the value is empty or holds a line
     *                                  break or another control character (header injection)
     */
    static void requireValidValue(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException(option + " must not contain a line break (at character " + (i + 1) + ")");
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException(option + " must hold only printable ISO-8859-1 characters, but character "
                        + (i + 1) + " is " + String.format("U+%04X", (int) c));
            }
        }
    }
}
