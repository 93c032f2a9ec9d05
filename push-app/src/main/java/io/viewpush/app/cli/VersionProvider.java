package io.viewpush.app.cli;

import io.viewpush.http.transport.HttpPushTransport;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the ViewPush version and the Java runtime. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"ViewPush " + HttpPushTransport.VERSION,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
