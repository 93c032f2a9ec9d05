package io.viewpush.app.cli;

import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code -c FILE} option every command that reads a config shares. */
final class ConfigOption {
    /** The environment variable that names the config file when {@code -c} is not given. */
    static final String ENV = "VIEWPUSH_CONFIG";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            defaultValue = "${env:" + ENV + ":-" + ConfigLoader.DEFAULT_FILE + "}",
            description = "the config file (default: " + ConfigLoader.DEFAULT_FILE + " in the working directory, or $"
                    + ENV + " when set; here: ${DEFAULT-VALUE})")
    Path file;

    AppConfig load() {
        return ConfigLoader.load(file);
    }
}
