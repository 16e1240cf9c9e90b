package org.tollguard.yamlconfig;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads one YAML config file strictly into a tree of records: unknown keys, wrong types and impossible values
 * fail with the file, line and key path, never with a stack trace. The agent's {@code tollguard.yml} and the
 * hub's {@code hub.yml} are both read by it.
 *
 * @param <T> the record of the whole file
 */
public final class StrictYaml<T> {
    private final ObjectMapper reader;
    private final ObjectMapper writer;
    private final Class<T> root;
    private final Supplier<T> defaults;
    private final Predicate<Class<?>> isSection;
    private final Function<Class<?>, String> describeValue;

    /**
     * @param root          the record of the whole file
     * @param defaults      the config of an empty file
     * @param isSection     which records are sections (key: value lines) rather than single values
     * @param describeValue how to word "expected ..." for a value type this class does not know (null if none)
     */
    public StrictYaml(Class<T> root, Supplier<T> defaults, Predicate<Class<?>> isSection,
                      Function<Class<?>, String> describeValue) {
        this.root = root;
        this.defaults = defaults;
        this.isSection = isSection;
        this.describeValue = describeValue;
        this.reader = configure(YAMLMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS))
                .build();
        this.writer = configure(YAMLMapper.builder(new YAMLFactory()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)))
                .build();
    }

    /** How the config records word a failed check: {@code key: problem} or {@code key[index]: problem}. */
    private static final Pattern KEYED_PROBLEM =
            Pattern.compile("([a-z][a-z0-9-]*)(?:\\[(\\d{1,9})\\])?: (.+)", Pattern.DOTALL);

    public T load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public T parse(String source, String yaml) throws ConfigException {
        if (yaml.isBlank()) {
            return defaults.get();
        }
        if (!checkSyntax(source, yaml)) {
            return defaults.get();
        }
        try {
            T config = reader.readValue(yaml, root);
            return config == null ? defaults.get() : config;
        } catch (JsonMappingException e) {
            if (!(e instanceof UnrecognizedPropertyException)) {
                // a record's own checks run before Jackson reports unknown keys; a misspelt key must win
                ConfigException unknown = firstUnknownKey(source, yaml);
                if (unknown != null) {
                    throw unknown;
                }
            }
            List<Object> path = pathOf(e);
            String reason = reason(e);
            // a record's check says "key: problem"; report it at that key when the file has it
            Matcher keyed = KEYED_PROBLEM.matcher(reason);
            if (keyed.matches()) {
                List<Object> keyPath = new ArrayList<>(path);
                keyPath.add(keyed.group(1));
                if (keyed.group(2) != null) {
                    keyPath.add(Integer.parseInt(keyed.group(2)));
                }
                if (YamlLocator.lineOf(yaml, keyPath) > 0) {
                    path = keyPath;
                    reason = keyed.group(3);
                }
            }
            int line = YamlLocator.lineOf(yaml, path);
            String where = line > 0 ? source + ":" + line + ": " : where(source, e.getLocation());
            throw new ConfigException(where + keyPath(path) + ": " + reason);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(source, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage());
        }
    }

    /**
     * Reads the whole text once as plain YAML, so that a syntax error or a duplicate key is reported as such (one
     * line, at its own line) rather than as whatever the binding was doing when the parser gave up. Returns
     * false if the text holds no value at all (only comments, or an empty document).
     */
    private boolean checkSyntax(String source, String yaml) throws ConfigException {
        JsonParser parser = null;
        try (JsonParser p = reader.createParser(yaml)) {
            parser = p;
            int documents = 0;
            int depth = 0;
            boolean content = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0 && ++documents > 1) {
                    throw new ConfigException(where(source, p.currentTokenLocation())
                            + "not valid YAML: a second document ('---') is not allowed; the config is one document");
                }
                content |= t != JsonToken.VALUE_NULL; // an empty document is no content
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
            return content;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.startsWith("Duplicate field '") && parser != null) {
                List<Object> path = pathOf(parser.getParsingContext());
                throw new ConfigException(where(source, e.getLocation()) + keyPath(path)
                        + ": duplicate key (each key may appear only once in a section)");
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                    String context = m.getContext() == null ? "" : " (" + m.getContext()
                            + (m.getContextMark() == null ? "" : " that starts at line " + (m.getContextMark().getLine() + 1))
                            + ")";
                    throw new ConfigException(source + ":" + (m.getProblemMark().getLine() + 1) + ": not valid YAML: "
                            + m.getProblem().strip() + context);
                }
            }
            throw new ConfigException(where(source, e.getLocation()) + "not valid YAML: " + message.lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage());
        }
    }

    private static List<Object> pathOf(JsonStreamContext context) {
        List<Object> path = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                path.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                path.add(0, c.getCurrentIndex());
            }
        }
        return path;
    }

    /** The effective configuration as YAML, secrets masked. */
    public String render(T config) {
        try {
            return writer.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first key anywhere in {@code yaml} that its section does not have, as an error; null if none. */
    private ConfigException firstUnknownKey(String source, String yaml) {
        JsonNode tree;
        try {
            tree = reader.readTree(yaml);
        } catch (JsonProcessingException e) {
            return null;
        }
        List<Object> path = new ArrayList<>();
        return firstUnknownKey(source, yaml, tree, reader.constructType(root), path);
    }

    private ConfigException firstUnknownKey(String source, String yaml, JsonNode node, JavaType type,
                                                   List<Object> path) {
        if (node == null) {
            return null;
        }
        if (type.isCollectionLikeType() && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                ConfigException found = firstUnknownKey(source, yaml, node.get(i), type.getContentType(), path);
                path.remove(path.size() - 1);
                if (found != null) {
                    return found;
                }
            }
        } else if (type.isMapLikeType() && node.isObject()) {
            // names chosen by the operator (calls.accounts."1001"): any key, each value checked
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                path.add(name);
                ConfigException found = firstUnknownKey(source, yaml, node.get(name), type.getContentType(), path);
                path.remove(path.size() - 1);
                if (found != null) {
                    return found;
                }
            }
        } else if (isSection(type) && node.isObject()) {
            Map<String, JavaType> known = new TreeMap<>();
            BeanDescription bean = reader.getDeserializationConfig().introspect(type);
            for (BeanPropertyDefinition property : bean.findProperties()) {
                known.put(property.getName(), property.getPrimaryType());
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                path.add(name);
                try {
                    if (!known.containsKey(name)) {
                        int line = YamlLocator.lineOf(yaml, path);
                        return new ConfigException((line > 0 ? source + ":" + line + ": " : source + ": ")
                                + keyPath(path) + ": " + unknownKey(name, known.keySet()));
                    }
                    ConfigException found = firstUnknownKey(source, yaml, node.get(name), known.get(name), path);
                    if (found != null) {
                        return found;
                    }
                } finally {
                    path.remove(path.size() - 1);
                }
            }
        }
        return null;
    }

    private boolean isSection(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw.isRecord() && raw != Secret.class && isSection.test(raw);
    }

    private static String unknownKey(String name, Collection<String> known) {
        String list = known.stream().sorted().collect(Collectors.joining(", "));
        return "unknown key '" + name + "'" + (list.isEmpty() ? "" : " (known keys: " + list + ")");
    }

    private static String where(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source + ": ";
        }
        return source + ":" + location.getLineNr() + ": ";
    }

    private static List<Object> pathOf(JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.add(ref.getIndex());
            }
        }
        return path;
    }

    private static String keyPath(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object element : path) {
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append(sb.length() > 0 ? "." : "").append(element);
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    private String reason(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(Object::toString).toList();
            return unknownKey(u.getPropertyName(), known);
        }
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        if (e instanceof InvalidFormatException f) {
            String type = f.getTargetType() == null ? "value" : f.getTargetType().getSimpleName();
            if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                String values = java.util.Arrays.stream(f.getTargetType().getEnumConstants())
                        .map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", "));
                return "'" + f.getValue() + "' is not one of: " + values;
            }
            if (Number.class.isAssignableFrom(f.getTargetType()) || f.getTargetType().isPrimitive()) {
                return "'" + f.getValue() + "' is not a whole number";
            }
            return "'" + f.getValue() + "' is not a valid " + type.toLowerCase();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + describe(m.getTargetType());
        }
        return e.getOriginalMessage();
    }

    private String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number here";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false here";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list here";
        }
        if (type == Duration.class) {
            return "a duration here (e.g. 90s, 10m, 6h, 7d)";
        }
        if (type.isEnum()) {
            return "one of: " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", "));
        }
        String described = describeValue == null ? null : describeValue.apply(type);
        if (described != null) {
            return described;
        }
        if (type == String.class || type == Secret.class || type == Path.class) {
            return "text here (in quotes if it looks like a number or true/false)";
        }
        return "a section here (key: value lines)";
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
        return builder.addModule(valueModule())
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    }

    /** How config values read and print: durations as {@code 90s}/{@code 6h}, paths as text. */
    public static SimpleModule valueModule() {
        SimpleModule durations = new SimpleModule("tollguard-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (!p.currentToken().isScalarValue()) {
                    return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                }
                try {
                    return Durations.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), p.getText(), Duration.class)
                            .withCause(e);
                }
            }
        });
        durations.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen, SerializerProvider s)
                    throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        durations.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, com.fasterxml.jackson.core.JsonGenerator gen, SerializerProvider s)
                    throws IOException {
                gen.writeString(value.toString());
            }
        });
        return durations;
    }

}
