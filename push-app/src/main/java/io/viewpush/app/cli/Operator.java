package io.viewpush.app.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who runs a CLI command, as pauses and the replay journal record it. */
final class Operator {
    private Operator() {
    }

    /** @return {@code CLI user 'NAME' on HOST} */
    static String describe() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unknown host";
        }
        return "CLI user '" + System.getProperty("user.name", "?") + "' on " + host;
    }
}
