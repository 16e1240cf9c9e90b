package org.tollguard.hub.publish;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tollguard.hub.db.Database;

/** Reads what publication wrote: the current head and the immutable files, for any instance to serve. */
public final class ListFiles {
    private final Database db;

    public ListFiles(Database db) {
        this.db = db;
    }

    public Optional<CurrentHead> head(String list) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select generation, head_body, head_signature from list_state where list = ? and head_body is not null")) {
            s.setString(1, list);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                byte[] body = r.getBytes(2);
                return Optional.of(new CurrentHead(r.getLong(1), body, r.getString(3), Digests.sha256(body)));
            }
        }
    }

    public Optional<PublishedFile> file(String list, String path) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select sha256, body_gzip, signature from published_file where list = ? and path = ?")) {
            s.setString(1, list);
            s.setString(2, path);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new PublishedFile(path, r.getString(1), r.getBytes(2), r.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** The paths of every stored file of {@code list}, oldest generation first. */
    public List<String> paths(String list) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select path from published_file where list = ? order by generation, kind")) {
            s.setString(1, list);
            List<String> paths = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    paths.add(r.getString(1));
                }
            }
            return paths;
        }
    }
}
