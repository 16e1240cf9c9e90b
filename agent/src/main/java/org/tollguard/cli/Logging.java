package org.tollguard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.LogConfig;

/** Applies {@code log.level} from the config to the root logger. */
final class Logging {
    private Logging() {}

    static void setLevel(LogConfig.Level level) {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name()));
    }
}
