package dev.dmatrace.analyzer.render;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.read.RecordingReader;

/** The whole analysis as JSON; the schema is documented in docs/report-schema.md. */
public final class JsonReport {
    /** Bumped on any incompatible change of the report's shape. */
    public static final int REPORT_VERSION = 1;

    private JsonReport() {}

    /** The document's root object. */
    public record Report(int reportVersion, int eventSchema, List<RecordingAnalysis> recordings) {}

    public static void write(List<RecordingAnalysis> analyses, OutputStream out) throws IOException {
        ObjectMapper mapper = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.writeValue(out, new Report(REPORT_VERSION, RecordingReader.SUPPORTED_SCHEMA, analyses));
    }
}
