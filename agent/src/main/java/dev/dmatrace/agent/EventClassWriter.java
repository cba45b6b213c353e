package dev.dmatrace.agent;

import static net.bytebuddy.jar.asm.Opcodes.*;

import dev.dmatrace.agent.runtime.FlagFormats;
import dev.dmatrace.agent.runtime.HopEvent;
import dev.dmatrace.agent.runtime.HopStack;
import dev.dmatrace.agent.runtime.HopTypes;
import dev.dmatrace.agent.runtime.KernelValues;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * Writes the JFR event class of one instrumented method: a final subclass of {@link HopEvent} with the
 * event's annotations, one field per capture, and three static methods the instrumented code calls:
 * {@code enter(args…)} (an event — reused from the thread's stack when one of this type is free at this
 * depth — fill arguments, push, begin), {@code exit([ret,] hop)} and
 * {@code thrown(hop)} (end, fill the result and flag texts only if {@code shouldCommit()}, commit, pop).
 * Keeping this logic in the event class keeps the woven code small and every JFR call monomorphic.
 */
final class EventClassWriter {

    static final String HOP_EVENT = Type.getInternalName(HopEvent.class);
    static final String HOP_EVENT_DESC = "L" + HOP_EVENT + ";";
    private static final String HOP_STACK = Type.getInternalName(HopStack.class);
    private static final String HOP_STACK_DESC = "L" + HOP_STACK + ";";
    private static final String KERNEL_VALUES = Type.getInternalName(KernelValues.class);
    private static final String FLAG_FORMATS = Type.getInternalName(FlagFormats.class);
    private static final String PACKAGE = HOP_EVENT.substring(0, HOP_EVENT.lastIndexOf('/') + 1);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private EventClassWriter() {
    }

    /** A fresh internal name in the runtime package (the lookup defines classes there). */
    static String newInternalName(String eventName) {
        String simple = eventName.replaceAll("[^A-Za-z0-9_]", "_");
        return PACKAGE + "Hop$" + simple + "$" + SEQUENCE.incrementAndGet();
    }

    static byte[] write(String internalName, HopPlan plan, String threshold) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // only ever asked about trivial merges; never load classes here
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName, null, HOP_EVENT, null);
        annotateType(cw, plan, threshold);
        cw.visitField(ACC_PUBLIC | ACC_STATIC | ACC_VOLATILE, HopTypes.ON_FIELD, "Z", null, null).visitEnd();
        for (Capture c : plan.arguments()) {
            field(cw, c.field(), c.fieldDesc(), c.content());
            if (c.flagsDecoder() >= 0) {
                field(cw, c.textField(), "Ljava/lang/String;", null);
            }
        }
        if (plan.result() != null) {
            field(cw, plan.result().field(), plan.result().fieldDesc(), plan.result().content());
        }
        constructor(cw);
        enter(cw, internalName, plan);
        exit(cw, internalName, plan, "exit", plan.exitDescriptor(), false);
        exit(cw, internalName, plan, "thrown", "(" + HOP_EVENT_DESC + ")V", true);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void annotateType(ClassWriter cw, HopPlan plan, String threshold) {
        stringAnnotation(cw.visitAnnotation("Ljdk/jfr/Name;", true), plan.eventName());
        stringAnnotation(cw.visitAnnotation("Ljdk/jfr/Label;", true), plan.label());
        stringAnnotation(cw.visitAnnotation("Ljdk/jfr/Description;", true), plan.description());
        AnnotationVisitor category = cw.visitAnnotation("Ljdk/jfr/Category;", true);
        AnnotationVisitor values = category.visitArray("value");
        plan.category().forEach(s -> values.visit(null, s));
        values.visitEnd();
        category.visitEnd();
        AnnotationVisitor stack = cw.visitAnnotation("Ljdk/jfr/StackTrace;", true);
        stack.visit("value", Boolean.FALSE);
        stack.visitEnd();
        if (threshold != null) {
            stringAnnotation(cw.visitAnnotation("Ljdk/jfr/Threshold;", true), threshold);
        }
    }

    private static void field(ClassWriter cw, String name, String desc, Capture.Content content) {
        FieldVisitor fv = cw.visitField(ACC_PUBLIC, name, desc, null, null);
        stringAnnotation(fv.visitAnnotation("Ljdk/jfr/Label;", true), name);
        if (content == Capture.Content.BYTES) {
            stringAnnotation(fv.visitAnnotation("Ljdk/jfr/DataAmount;", true), "BYTES");
        } else if (content == Capture.Content.ADDRESS) {
            fv.visitAnnotation("Ljdk/jfr/MemoryAddress;", true).visitEnd();
        }
        fv.visitEnd();
    }

    private static void stringAnnotation(AnnotationVisitor av, String value) {
        av.visit("value", value);
        av.visitEnd();
    }

    private static void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, HOP_EVENT, "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void enter(ClassWriter cw, String self, HopPlan plan) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "enter", plan.enterDescriptor(), null, null);
        mv.visitCode();
        int event = 0;
        for (Capture c : plan.arguments()) {
            event += Type.getType(c.passDesc()).getSize();
        }
        int stack = event + 1;
        Label fresh = new Label();
        Label fill = new Label();
        mv.visitMethodInsn(INVOKESTATIC, HOP_STACK, "current", "()" + HOP_STACK_DESC, false);
        mv.visitVarInsn(ASTORE, stack);
        mv.visitVarInsn(ALOAD, stack);
        mv.visitMethodInsn(INVOKEVIRTUAL, HOP_STACK, "reusable", "()" + HOP_EVENT_DESC, false);
        mv.visitInsn(DUP);
        mv.visitTypeInsn(INSTANCEOF, self);
        mv.visitJumpInsn(IFEQ, fresh);
        mv.visitTypeInsn(CHECKCAST, self);
        mv.visitVarInsn(ASTORE, event);
        mv.visitJumpInsn(GOTO, fill);
        mv.visitLabel(fresh);
        mv.visitInsn(POP);
        mv.visitTypeInsn(NEW, self);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, self, "<init>", "()V", false);
        mv.visitVarInsn(ASTORE, event);
        mv.visitVarInsn(ALOAD, stack);
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, HOP_STACK, "keep", "(" + HOP_EVENT_DESC + ")V", false);
        mv.visitLabel(fill);
        int slot = 0;
        for (Capture c : plan.arguments()) {
            mv.visitVarInsn(ALOAD, event);
            store(mv, self, c, slot);
            slot += Type.getType(c.passDesc()).getSize();
        }
        mv.visitVarInsn(ALOAD, stack);
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, HOP_STACK, "push", "(" + HOP_EVENT_DESC + ")V", false);
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, self, "begin", "()V", false);
        mv.visitVarInsn(ALOAD, event);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static int zero(String desc) {
        switch (desc.charAt(0)) {
            case 'J':
                return LCONST_0;
            case 'F':
                return FCONST_0;
            case 'D':
                return DCONST_0;
            case 'L':
                return ACONST_NULL;
            default:
                return ICONST_0;
        }
    }

    /** Loads the passed value from {@code slot}, converts it and stores it into the event below it on the stack. */
    private static void store(MethodVisitor mv, String self, Capture c, int slot) {
        mv.visitVarInsn(Type.getType(c.passDesc()).getOpcode(ILOAD), slot);
        if (c.conversion() != Capture.Conversion.NONE) {
            mv.visitMethodInsn(INVOKESTATIC, KERNEL_VALUES, c.conversion().helper,
                    "(Ljava/lang/Object;)" + c.conversion().fieldDesc, false);
        }
        mv.visitFieldInsn(PUTFIELD, self, c.field(), c.fieldDesc());
    }

    private static void exit(ClassWriter cw, String self, HopPlan plan, String name, String desc, boolean threw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, desc, null, null);
        mv.visitCode();
        Capture result = threw ? null : plan.result();
        int hop = result == null ? 0 : Type.getType(result.passDesc()).getSize();
        int event = hop + 1;
        mv.visitVarInsn(ALOAD, hop);
        mv.visitTypeInsn(CHECKCAST, self);
        mv.visitVarInsn(ASTORE, event);
        if (threw) {
            mv.visitVarInsn(ALOAD, event);
            mv.visitInsn(ICONST_1);
            mv.visitFieldInsn(PUTFIELD, self, "threw", "Z");
            if (plan.result() != null) { // a reused event may still hold an earlier call's result
                mv.visitVarInsn(ALOAD, event);
                mv.visitInsn(zero(plan.result().fieldDesc()));
                mv.visitFieldInsn(PUTFIELD, self, plan.result().field(), plan.result().fieldDesc());
            }
        }
        Label pop = new Label();
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, self, "end", "()V", false); // shouldCommit() judges the threshold by it
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, self, "shouldCommit", "()Z", false);
        mv.visitJumpInsn(IFEQ, pop);
        if (result != null) {
            mv.visitVarInsn(ALOAD, event);
            store(mv, self, result, 0);
        }
        for (Capture c : plan.arguments()) {
            if (c.flagsDecoder() >= 0) {
                mv.visitVarInsn(ALOAD, event);
                mv.visitLdcInsn(c.flagsDecoder());
                mv.visitVarInsn(ALOAD, event);
                mv.visitFieldInsn(GETFIELD, self, c.field(), c.fieldDesc());
                if (!c.fieldDesc().equals("J")) {
                    mv.visitInsn(I2L);
                }
                mv.visitMethodInsn(INVOKESTATIC, FLAG_FORMATS, "text", "(IJ)Ljava/lang/String;", false);
                mv.visitFieldInsn(PUTFIELD, self, c.textField(), "Ljava/lang/String;");
            }
        }
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKEVIRTUAL, self, "commit", "()V", false);
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKESTATIC, HOP_STACK, "committed", "(" + HOP_EVENT_DESC + ")V", false);
        mv.visitLabel(pop);
        mv.visitVarInsn(ALOAD, event);
        mv.visitMethodInsn(INVOKESTATIC, HOP_STACK, "exit", "(" + HOP_EVENT_DESC + ")V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
