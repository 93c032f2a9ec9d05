package io.viewpush.app.cli;

import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code -c FILE} option every command that reads a config shares. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_FILE,
            description = "the config file (default: ${DEFAULT-VALUE} in the working directory)")
    Path file;

    AppConfig load() {
        return ConfigLoader.load(file);
    }
}
