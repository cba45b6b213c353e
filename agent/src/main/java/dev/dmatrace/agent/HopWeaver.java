package dev.dmatrace.agent;

import static net.bytebuddy.jar.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Weaves one hop into a method body, the way an inlined advice with {@code suppress = Throwable.class} would:
 *
 * <pre>
 *   HopEvent ev = X.on ? X.enter(args…) : null;        // any Throwable from enter → ev = null
 *   try { body }                                        // at each return: if (ev != null) X.exit(ret, ev)
 *   catch (Throwable t) { if (ev != null) X.thrown(ev); throw t; }
 * </pre>
 *
 * Every call into the agent sits in its own catch-all that is listed before the method's own handlers, so an
 * agent failure can neither escape nor be caught by the program. Three locals are added after the
 * parameters (event, throwable, result) and the method's own locals move up to make room.
 */
final class HopWeaver implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {

    private final String eventClass;
    private final HopPlan plan;

    HopWeaver(String eventClass, HopPlan plan) {
        this.eventClass = eventClass;
        this.plan = plan;
    }

    @Override
    public MethodVisitor wrap(TypeDescription instrumentedType, MethodDescription instrumentedMethod, MethodVisitor methodVisitor,
                              Implementation.Context implementationContext, TypePool typePool, int writerFlags, int readerFlags) {
        return new Visitor(methodVisitor, Type.getMethodType(instrumentedMethod.getDescriptor()), instrumentedMethod.isStatic());
    }

    private final class Visitor extends MethodVisitor {
        private final Type[] params;
        private final Type returns;
        private final int firstLocal;
        private final int event;
        private final int thrown;
        private final int result;
        private final int shift;
        private final Label body = new Label();
        private final List<Label[]> agentHandlers = new ArrayList<>();
        private final List<Object[]> ownHandlers = new ArrayList<>();

        Visitor(MethodVisitor mv, Type method, boolean isStatic) {
            super(OpenedClassReader.ASM_API, mv);
            params = method.getArgumentTypes();
            returns = method.getReturnType();
            int slot = isStatic ? 0 : 1;
            for (Type p : params) {
                slot += p.getSize();
            }
            firstLocal = slot;
            event = slot;
            thrown = slot + 1;
            result = slot + 2;
            shift = 2 + returns.getSize();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label skip = new Label();
            Label from = new Label();
            Label to = new Label();
            Label handler = new Label();
            super.visitFieldInsn(GETSTATIC, eventClass, dev.dmatrace.agent.runtime.HopTypes.ON_FIELD, "Z");
            super.visitJumpInsn(IFEQ, skip);
            super.visitLabel(from);
            for (Capture c : plan.arguments()) {
                super.visitVarInsn(Type.getType(c.javaDesc()).getOpcode(ILOAD), slotOf(c.index()));
            }
            super.visitMethodInsn(INVOKESTATIC, eventClass, "enter", plan.enterDescriptor(), false);
            super.visitVarInsn(ASTORE, event);
            super.visitJumpInsn(GOTO, body);
            super.visitLabel(to);
            super.visitLabel(handler);
            super.visitInsn(POP);
            super.visitLabel(skip);
            super.visitInsn(ACONST_NULL);
            super.visitVarInsn(ASTORE, event);
            super.visitLabel(body);
            agentHandlers.add(new Label[] {from, to, handler});
        }

        private int slotOf(int index) {
            int slot = firstLocal;
            for (int i = params.length - 1; i >= index; i--) {
                slot -= params[i].getSize();
            }
            return slot;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= IRETURN && opcode <= RETURN) {
                exitHop(opcode);
            }
            super.visitInsn(opcode);
        }

        private void exitHop(int returnOpcode) {
            boolean hasValue = returnOpcode != RETURN;
            if (hasValue) {
                super.visitVarInsn(returns.getOpcode(ISTORE), result);
            }
            Label done = new Label();
            Label from = new Label();
            Label to = new Label();
            Label handler = new Label();
            super.visitVarInsn(ALOAD, event);
            super.visitJumpInsn(IFNULL, done);
            super.visitLabel(from);
            if (plan.result() != null) {
                super.visitVarInsn(returns.getOpcode(ILOAD), result);
            }
            super.visitVarInsn(ALOAD, event);
            super.visitMethodInsn(INVOKESTATIC, eventClass, "exit", plan.exitDescriptor(), false);
            super.visitJumpInsn(GOTO, done);
            super.visitLabel(to);
            super.visitLabel(handler);
            super.visitInsn(POP);
            super.visitLabel(done);
            if (hasValue) {
                super.visitVarInsn(returns.getOpcode(ILOAD), result);
            }
            agentHandlers.add(new Label[] {from, to, handler});
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            ownHandlers.add(new Object[] {start, end, handler, type}); // written after ours, see visitMaxs
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label end = new Label();
            Label handler = new Label();
            Label rethrow = new Label();
            Label from = new Label();
            Label to = new Label();
            Label failed = new Label();
            super.visitLabel(end);
            super.visitLabel(handler);
            super.visitVarInsn(ASTORE, thrown);
            super.visitVarInsn(ALOAD, event);
            super.visitJumpInsn(IFNULL, rethrow);
            super.visitLabel(from);
            super.visitVarInsn(ALOAD, event);
            super.visitMethodInsn(INVOKESTATIC, eventClass, "thrown", "(" + EventClassWriter.HOP_EVENT_DESC + ")V", false);
            super.visitJumpInsn(GOTO, rethrow);
            super.visitLabel(to);
            super.visitLabel(failed);
            super.visitInsn(POP);
            super.visitLabel(rethrow);
            super.visitVarInsn(ALOAD, thrown);
            super.visitInsn(ATHROW);
            agentHandlers.add(new Label[] {from, to, failed});
            // the agent's own catch-alls first, then the method's handlers, then the hop's catch-all last
            for (Label[] h : agentHandlers) {
                super.visitTryCatchBlock(h[0], h[1], h[2], "java/lang/Throwable");
            }
            for (Object[] h : ownHandlers) {
                super.visitTryCatchBlock((Label) h[0], (Label) h[1], (Label) h[2], (String) h[3]);
            }
            super.visitTryCatchBlock(body, end, handler, "java/lang/Throwable");
            super.visitMaxs(maxStack + 4, maxLocals + shift);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            super.visitVarInsn(opcode, remap(var));
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            super.visitIincInsn(remap(var), increment);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
            super.visitLocalVariable(name, descriptor, signature, start, end, remap(index));
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            // dropped: the class is written with COMPUTE_FRAMES
        }

        @Override
        public net.bytebuddy.jar.asm.AnnotationVisitor visitTryCatchAnnotation(int typeRef, net.bytebuddy.jar.asm.TypePath typePath,
                                                                                String descriptor, boolean visible) {
            return null; // its index would point at a moved handler entry
        }

        @Override
        public net.bytebuddy.jar.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, net.bytebuddy.jar.asm.TypePath typePath,
                Label[] start, Label[] end, int[] index, String descriptor, boolean visible) {
            int[] moved = new int[index.length];
            for (int i = 0; i < index.length; i++) {
                moved[i] = remap(index[i]);
            }
            return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, moved, descriptor, visible);
        }

        private int remap(int var) {
            return var < firstLocal ? var : var + shift;
        }
    }
}
