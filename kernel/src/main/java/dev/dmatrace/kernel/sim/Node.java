package dev.dmatrace.kernel.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario document as a tree that remembers where each value was written: Jackson's streaming parser (YAML or
 * JSON) fills it, so every later error can name the file, the line and the field path ({@code devices[2].name}).
 */
sealed interface Node {

    String path();

    int line();

    /** A scalar as written: numbers, booleans and strings all keep their source text; null is {@code null}. */
    record Scalar(String path, int line, String text) implements Node {
    }

    record Seq(String path, int line, List<Node> items) implements Node {
    }

    record Obj(String path, int line, Map<String, Node> fields) implements Node {
    }

    /** Parses {@code source}; {@code file} ending in {@code .json} is read as JSON, anything else as YAML. */
    static Node parse(String file, String source) throws ScenarioException {
        JsonFactory f = file.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        try (JsonParser p = f.createParser(source)) {
            if (p.nextToken() == null) {
                throw new ScenarioException(file, 1, "", "empty scenario");
            }
            return read(file, p, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new ScenarioException(file, line, "", "not valid " + (f instanceof YAMLFactory ? "YAML" : "JSON")
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ScenarioException(file, 1, "", e.getMessage());
        }
    }

    private static Node read(String file, JsonParser p, String path) throws IOException, ScenarioException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                String child = path.isEmpty() ? key : path + "." + key;
                if (fields.containsKey(key)) {
                    throw new ScenarioException(file, keyLine, child, "given twice");
                }
                p.nextToken();
                Node value = read(file, p, child);
                // a field is reported at its key's line, where a block value's own line would be the next one
                fields.put(key, value instanceof Scalar s ? new Scalar(s.path(), keyLine, s.text())
                        : value instanceof Seq q ? new Seq(q.path(), keyLine, q.items())
                        : new Obj(child, keyLine, ((Obj) value).fields()));
            }
            return new Obj(path, line, fields);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(file, p, path + "[" + items.size() + "]"));
            }
            return new Seq(path, line, items);
        }
        return new Scalar(path, line, t == JsonToken.VALUE_NULL ? null : p.getText());
    }
}
