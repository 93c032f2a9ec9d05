/**
 * The YAML config file (README, "Configuration reference"): {@link io.viewpush.app.config.ConfigLoader} reads it
 * into an {@link io.viewpush.app.config.AppConfig} or reports every mistake at once, each with its
 * file, line, column, view and key.
 */
package io.viewpush.app.config;
