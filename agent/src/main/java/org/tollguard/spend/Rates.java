package org.tollguard.spend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rates in force: the configured rate deck (if any) with the default prices. A reload that fails keeps the
 * previous deck in use and says why. Safe from any thread.
 */
public final class Rates {
    private static final Logger log = LoggerFactory.getLogger(Rates.class);

    private final IdsConfig config;
    private final Path file;
    private volatile Rater current;
    private FileTime seenModified;
    private long seenSize = -1;

    /** Loads the configured deck; at start a bad deck is an error (there is no previous one to keep). */
    public Rates(IdsConfig config) throws RateDeckException {
        this.config = config;
        this.file = config.rateDeck();
        if (file == null) {
            current = new Rater(RateDeck.empty(), config);
        } else {
            note();
            current = new Rater(RateDeck.load(file), config);
            log.info("rate deck loaded file={} rates={}", file, current.deck().size());
        }
    }

    public Rater current() {
        return current;
    }

    /** What a reload did. */
    public record Reload(boolean loaded, String file, int rates, String error) {}

    /** Reads the deck file again; on any error the previous deck stays in use. */
    public synchronized Reload reload() {
        if (file == null) {
            return new Reload(false, null, 0, "no rate deck configured (ids.rate-deck)");
        }
        note();
        try {
            RateDeck deck = RateDeck.load(file);
            current = new Rater(deck, config);
            log.info("rate deck reloaded file={} rates={}", file, deck.size());
            return new Reload(true, file.toString(), deck.size(), null);
        } catch (RateDeckException e) {
            log.error("rate deck not reloaded, previous deck stays in use ({} rates) error=\"{}\"",
                    current.deck().size(), e.getMessage());
            return new Reload(false, file.toString(), current.deck().size(), e.getMessage());
        }
    }

    /** Reloads if the file's modification time or size changed since it was last read. */
    public synchronized Reload reloadIfChanged() {
        if (file == null) {
            return null;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(seenModified) && size == seenSize) {
                return null;
            }
        } catch (IOException e) {
            if (seenSize == -2) {
                return null; // already said so
            }
            seenSize = -2;
            seenModified = null;
            log.warn("rate deck cannot be checked, previous deck stays in use file={} error=\"{}\"", file, e.toString());
            return null;
        }
        return reload();
    }

    private void note() {
        try {
            seenModified = Files.getLastModifiedTime(file);
            seenSize = Files.size(file);
        } catch (IOException e) {
            seenModified = null;
            seenSize = -2;
        }
    }
}
