package org.tollguard.hub.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Writes the published files into a directory a static web server serves ({@code publication.directory}):
 * {@code NAME.json}, {@code NAME.json.gz} (for nginx's gzip_static) and {@code NAME.json.minisig}, each through
 * a temporary file and a rename; immutable files before the head that names them.
 */
public final class DirectoryMirror {
    private final Path root;
    private final String list;
    private final ListFiles files;

    public DirectoryMirror(Path directory, String list, ListFiles files) {
        this.root = directory.resolve("v1").resolve("lists").resolve(list);
        this.list = list;
        this.files = files;
    }

    public void sync() throws SQLException, IOException {
        for (String path : files.paths(list)) {
            Path target = root.resolve(path);
            if (Files.exists(target.resolveSibling(target.getFileName() + ".minisig"))) {
                continue;
            }
            Optional<PublishedFile> file = files.file(list, path);
            if (file.isPresent()) {
                write(target, file.get().body());
                write(target.resolveSibling(target.getFileName() + ".gz"), file.get().bodyGzip());
                write(target.resolveSibling(target.getFileName() + ".minisig"),
                        file.get().signature().getBytes(StandardCharsets.UTF_8));
            }
        }
        Optional<CurrentHead> head = files.head(list);
        if (head.isPresent()) {
            write(root.resolve("head.json.minisig"), head.get().signature().getBytes(StandardCharsets.UTF_8));
            write(root.resolve("head.json"), head.get().body());
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".tmp-", "");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
