package dev.dmatrace.agent;

/**
 * One captured value of a hop: an argument (by parameter index) or the result ({@code index = -1}).
 *
 * @param index      the parameter index, or -1 for the result
 * @param field      the event field name, the kernel's way ({@code dma_handle})
 * @param javaDesc   the descriptor of the value as the instrumented method holds it
 * @param passDesc   the descriptor the generated event class receives it as (an object travels as Object)
 * @param fieldDesc  the descriptor of the event field
 * @param conversion how the passed value becomes the field value
 * @param content    the JFR content type, or {@code null}
 * @param flagsDecoder the {@link dev.dmatrace.agent.runtime.FlagFormats} id for a {@code <field>_text}, or -1
 */
record Capture(int index, String field, String javaDesc, String passDesc, String fieldDesc,
               Conversion conversion, Content content, int flagsDecoder) {

    /** How an object becomes a JFR field value; primitives and Strings need none. */
    enum Conversion {
        NONE(null, null), ENUM_NAME("enumName", "Ljava/lang/String;"), VALUE_STRING("string", "Ljava/lang/String;"),
        VALUE_NUMBER("number", "J"), VALUE_BOOLEAN("bool", "Z");

        final String helper;
        final String fieldDesc;

        Conversion(String helper, String fieldDesc) {
            this.helper = helper;
            this.fieldDesc = fieldDesc;
        }
    }

    /** JFR content types the kernel's names imply. */
    enum Content { BYTES, ADDRESS }

    String textField() {
        return field + "_text";
    }
}
