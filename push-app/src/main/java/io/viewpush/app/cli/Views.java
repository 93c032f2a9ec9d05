package io.viewpush.app.cli;

import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigProblem;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.app.config.Location;
import io.viewpush.view.ViewDefinition;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Finds the view a command names, or says which views there are. */
final class Views {
    private Views() {
    }

    static ViewDefinition named(AppConfig config, String name, boolean needsPush) {
        ViewDefinition d = config.view(name).orElseThrow(() -> {
            List<String> names = config.views().stream().map(ViewDefinition::name).collect(Collectors.toList());
            String near = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
                    || n.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))).findFirst()
                    .map(n -> " (did you mean '" + n + "'?)").orElse("");
            return new InvalidConfigException(List.of(ConfigProblem.at(Location.of(config.fileName()), "views",
                    "there is no view named '" + name + "'" + near + "; the views are "
                            + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
                            + " (quote a name with spaces: \"orders to push\")")));
        });
        if (needsPush && d.push().isEmpty()) {
            throw new InvalidConfigException(List.of(config.locate(name, "push", "the view has no push policy (it is "
                    + "pull-only); add a 'push:' section with url and stamp to push it")));
        }
        return d;
    }
}
